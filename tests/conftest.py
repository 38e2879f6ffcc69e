"""Shared fixtures: build the site once per session (strict, into a temp dir), serve it on
127.0.0.1, and drive Debian's Chromium through Playwright with every non-local request routed."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
# The adopted text of version 1.0, as delivered (a copy of shared/seed, checked to be identical).
SEED = ROOT / "tests" / "fixtures" / "privacybeleid-1.0.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "privacybeleid-1.0.txt"
GTAG_STUB = "window.__gtagStubLoaded = (window.__gtagStubLoaded || 0) + 1;"


@dataclass
class Build:
    returncode: int
    output: str
    site: Path
    site_url: str | None = None


def build(project: Path, dest: Path, site_url: str | None = None) -> Build:
    """Run a strict build WITHOUT -q (quiet hides strict warnings) of ``project`` into ``dest``.
    ``site_url`` sets SITE_URL, as an operator does for the address the site is deployed at."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    env.pop("GA_PROPERTY", None)
    if site_url:
        env["SITE_URL"] = site_url
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(dest)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, dest, site_url)


def copy_project(dest: Path) -> Path:
    """A copy of everything a build reads, for tests that change the project."""
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def built_and_served(project: Path, dest: Path):
    """Build ``project`` for the address it is then served at on 127.0.0.1, as if deployed there
    (canonical and hreflang URLs point at that origin). Yields (Build, base URL)."""
    dest.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(dest))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    result = build(project, dest, site_url=url + "/")
    assert result.returncode == 0, result.output
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield result, url
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    with built_and_served(ROOT, tmp_path_factory.mktemp("build") / "site") as served:
        yield served


@pytest.fixture(scope="session")
def site_build(served_site) -> Build:
    return served_site[0]


@pytest.fixture(scope="session")
def site(site_build) -> Path:
    return site_build.site


@pytest.fixture(scope="session")
def site_url(site_build) -> str:
    return site_build.site_url


@pytest.fixture(scope="session")
def base_url(served_site) -> str:
    return served_site[1]


def find_chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Chromium not found: the browser tests need it. Run scripts/test as root to install "
            "Debian's chromium package, or set CHROMIUM=/path/to/chromium.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=find_chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                # A real parent domain for cookie tests: www.maestro.test -> this machine.
                "--host-resolver-rules=MAP *.maestro.test 127.0.0.1",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class Visitor:
    """One browser context (one visitor), with what it sent off the site recorded."""

    context: object
    page: object
    base_url: str
    external: list = field(default_factory=list)  # every request to another origin
    gtag_requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # uncaught JavaScript errors

    def goto(self, path: str = "/"):
        self.page.goto(self.base_url + path)
        return self.page

    def storage(self) -> dict:
        return self.page.evaluate(
            "() => ({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})"
        )


def _route(visitor: Visitor, route):
    url = route.request.url
    if url.startswith(visitor.base_url.rsplit(":", 1)[0]) or url.startswith("data:"):
        return route.continue_()
    visitor.external.append(url)
    if re.match(r"https://www\.googletagmanager\.com/gtag/js", url):
        visitor.gtag_requests.append(url)
        return route.fulfill(status=200, content_type="text/javascript", body=GTAG_STUB)
    return route.abort()


@pytest.fixture
def new_visitor(browser, base_url):
    """Factory: new_visitor(**context_options) -> Visitor; nothing leaves the machine."""
    contexts = []

    def make(url: str | None = None, **options) -> Visitor:
        context = browser.new_context(**options)
        contexts.append(context)
        visitor = Visitor(context, context.new_page(), url or base_url)
        context.route("**/*", lambda route: _route(visitor, route))
        visitor.page.on("pageerror", lambda error: visitor.errors.append(str(error)))
        return visitor

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def visitor(new_visitor) -> Visitor:
    return new_visitor()


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.fixturenames or "visitor" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
