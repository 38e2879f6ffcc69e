"""Debian's Chromium through Playwright, with nothing reaching the internet: every request that
is not local is answered by a stand-in of a declared service (standins.py) or aborted."""

from __future__ import annotations

import os
import shutil

from .standins import StandIn, answer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    # Every name under .test (reserved for testing, RFC 2606: no real site has one) -> this machine,
    # so a test can serve a site at a name with a parent domain (cookies set for it, deleted from it).
    "--host-resolver-rules=MAP *.test 127.0.0.1",
]


def find_chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_MISSING = (
    "Chromium not found: install it (Debian, Ubuntu: apt-get install chromium; elsewhere: "
    "playwright install chromium), or set CHROMIUM=/path/to/chromium."
)


def playwrights_own(playwright) -> str | None:
    """The Chromium that ``playwright install chromium`` downloaded, if it did."""
    path = playwright.chromium.executable_path
    return path if path and os.path.exists(path) else None


def launch(playwright):
    """Debian's Chromium (Playwright cannot download its own browsers here)."""
    path = find_chromium() or playwrights_own(playwright)
    if not path:
        raise RuntimeError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def offline(context, local_prefix: str, on_external=None, known: tuple[StandIn, ...] = ()) -> None:
    """Route every request of ``context``: local ones go through; those a stand-in of ``known``
    answers get its answer; everything else is aborted. ``on_external(url)`` is told of each
    non-local request."""

    def handle(route):
        url = route.request.url
        if url.startswith(local_prefix) or url.startswith("data:"):
            return route.continue_()
        if on_external:
            on_external(url)
        stand_in = answer(url, known)
        if stand_in is None:
            return route.abort()
        return route.fulfill(status=stand_in.status, content_type=stand_in.content_type, body=stand_in.body)

    context.route("**/*", handle)
