"""Debian's Chromium through Playwright, with nothing reaching the internet: every request that
is not local is answered by a stand-in of a declared service (standins.py) or aborted."""

from __future__ import annotations

import os
import re
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


def find_chromium(headless_shell: bool = False) -> str | None:
    """CHROMIUM, else Debian's Chromium: the whole browser, which visitors run and the audit judges
    (it fetches what only a browser fetches: a PDF for its viewer, an OpenSearch description).
    ``headless_shell``: Chromium's headless shell first where it is installed (Debian's
    chromium-headless-shell: the same engine without the browser around it, Playwright's own
    choice for headless; about 40% less CPU a page), for tests of the kit's own scripts."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    shell = shutil.which("chromium-headless-shell") if headless_shell else None
    return shell or shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_MISSING = (
    "Chromium not found: install it (Debian, Ubuntu: apt-get install chromium; elsewhere: "
    "playwright install chromium), or set CHROMIUM=/path/to/chromium."
)


def playwrights_own(playwright) -> str | None:
    """The Chromium that ``playwright install chromium`` downloaded, if it did."""
    path = playwright.chromium.executable_path
    return path if path and os.path.exists(path) else None


def launch(playwright, headless_shell: bool = False):
    """Debian's Chromium (Playwright cannot download its own browsers here); see find_chromium."""
    path = find_chromium(headless_shell) or playwrights_own(playwright)
    if not path:
        raise RuntimeError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def offline(context, local_prefix: str, on_external=None, known: tuple[StandIn, ...] = ()) -> None:
    """Route every request of ``context`` that is not local (does not start with ``local_prefix``,
    nor is a data: URL): those a stand-in of ``known`` answers get its answer; everything else is
    aborted. ``on_external(url)`` is told of each. Local requests go straight to the server."""

    def handle(route):
        url = route.request.url
        if on_external:
            on_external(url)
        stand_in = answer(url, known)
        if stand_in is None:
            return route.abort()
        return route.fulfill(status=stand_in.status, content_type=stand_in.content_type, body=stand_in.body)

    context.route(not_local(local_prefix), handle)


def not_local(local_prefix: str) -> re.Pattern:
    """A route pattern for the URLs that do not start with ``local_prefix`` and are not data: URLs:
    a regular expression, which Playwright matches in its own process, so that local requests
    never wait for Python (a tenth of a page's load)."""
    return re.compile(rf"^(?!{re.escape(local_prefix)}|data:)")
