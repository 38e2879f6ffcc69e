"""Shared fixtures: build the site once per session (strict, into a temp dir), serve it on
127.0.0.1, and drive Debian's Chromium through Playwright with every non-local request routed."""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src" / "privacy_kit"), str(ROOT / "scripts")]

from sitelib import CHROMIUM_MISSING, GTAG_URL, Build, build, find_chromium, launch, offline, serve  # noqa: E402

# The adopted text of version 1.0, as delivered (a copy of shared/seed, checked to be identical).
SEED = ROOT / "tests" / "fixtures" / "privacybeleid-1.0.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "privacybeleid-1.0.txt"


def soup(path: Path):
    """A built page, parsed."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(element) -> str:
    """An element's text with white space folded, as a reader sees it."""
    return normalise(element.get_text())


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def copy_project(dest: Path) -> Path:
    """A copy of everything a build reads, for tests that change the project."""
    for name in ("docs", "src", "texts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


REVISION = re.compile(r"(\n    revision: )(\d+)\n")


def consent_revision(project: Path = ROOT) -> int:
    """extra.cookie_consent.revision as mkdocs.yml says now (never a literal in a test)."""
    return int(REVISION.search((project / "mkdocs.yml").read_text(encoding="utf-8"))[2])


def set_revision(project: Path, value) -> None:
    path = project / "mkdocs.yml"
    text, count = REVISION.subn(lambda m: f"{m[1]}{value}\n", path.read_text(encoding="utf-8"), count=1)
    assert count == 1, "no extra.cookie_consent.revision in mkdocs.yml"
    path.write_text(text, encoding="utf-8")


def run_script(script: str, project: Path, *args: str):
    """One of the editors' commands (``scripts/<script>``, e.g. "new_version.py") run on ``project``."""
    import subprocess

    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args, "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def raise_revision(project: Path) -> None:
    """What an editor does after changing the cookie list: raise the consent revision and record
    what the banner now shows (scripts/record-consent)."""
    set_revision(project, consent_revision(project) + 1)
    result = run_script("record_consent.py", project)
    assert result.returncode == 0, result.stderr


def policy_timeline(project: Path = ROOT):
    """The published versions of ``project`` and which is in force today (from the manifest)."""
    from policy import timeline

    return timeline(project / "docs")


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@contextlib.contextmanager
def built_and_served(project: Path, dest: Path):
    """Build ``project`` for the address it is then served at on 127.0.0.1, as if deployed there
    (canonical and hreflang URLs point at that origin). Yields (Build, base URL)."""
    with serve(dest) as url:
        result = build(project, dest, site_url=url + "/")
        assert result.returncode == 0, result.output
        yield result, url


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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not find_chromium():
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    with sync_playwright() as p:
        chromium = launch(p)
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

    def record(self, url: str) -> None:
        self.external.append(url)
        if url.startswith(GTAG_URL):
            self.gtag_requests.append(url)

    def goto(self, path: str = "/"):
        self.page.goto(self.base_url + path)
        return self.page

    def storage(self) -> dict:
        return self.page.evaluate(
            "() => ({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})"
        )


@pytest.fixture
def new_visitor(browser, base_url):
    """Factory: new_visitor(**context_options) -> Visitor; nothing leaves the machine."""
    contexts = []

    def make(url: str | None = None, **options) -> Visitor:
        context = browser.new_context(**options)
        contexts.append(context)
        visitor = Visitor(context, context.new_page(), url or base_url)
        offline(context, visitor.base_url.rsplit(":", 1)[0], visitor.record)
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
