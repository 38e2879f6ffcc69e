"""Shared by the scripts and the tests: build a project strictly, serve a folder on 127.0.0.1,
and start Debian's Chromium through Playwright with nothing reaching the internet."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GTAG_URL = "https://www.googletagmanager.com/gtag/js"
GTAG_STUB = "window.__gtagStubLoaded = (window.__gtagStubLoaded || 0) + 1;"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    # A real parent domain for cookie tests: www.maestro.test -> this machine.
    "--host-resolver-rules=MAP *.maestro.test 127.0.0.1",
]


@dataclass
class Build:
    returncode: int
    output: str
    site: Path
    site_url: str | None = None
    seconds: float = 0.0


def build(project: Path, dest: Path, site_url: str | None = None) -> Build:
    """A strict build WITHOUT -q (quiet hides strict warnings) of ``project`` into ``dest``.
    ``site_url`` sets SITE_URL, as an operator does for the address the site is deployed at."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    env.pop("GA_PROPERTY", None)
    if site_url:
        env["SITE_URL"] = site_url
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(dest)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, dest, site_url, time.perf_counter() - started)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` (it may still be empty) on 127.0.0.1 at a free port; yields the base URL."""
    directory.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def find_chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_MISSING = (
    "Chromium not found. Run scripts/test as root to install Debian's chromium package "
    "(apt-get install chromium), or set CHROMIUM=/path/to/chromium."
)


def launch(playwright):
    """Debian's Chromium (Playwright cannot download its own browsers here)."""
    path = find_chromium()
    if not path:
        raise RuntimeError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def offline(context, local_prefix: str, on_external=None) -> None:
    """Route every request of ``context``: local ones go through; Google's gtag.js gets a stub;
    everything else is aborted. ``on_external(url)`` is told of each non-local request."""

    def handle(route):
        url = route.request.url
        if url.startswith(local_prefix) or url.startswith("data:"):
            return route.continue_()
        if on_external:
            on_external(url)
        if url.startswith(GTAG_URL):
            return route.fulfill(status=200, content_type="text/javascript", body=GTAG_STUB)
        return route.abort()

    context.route("**/*", handle)
