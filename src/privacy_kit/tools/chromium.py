"""Debian's Chromium through Playwright, with nothing reaching the internet: every request that
is not local is answered by a stub (Google's gtag.js) or aborted."""

from __future__ import annotations

import os
import shutil

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
