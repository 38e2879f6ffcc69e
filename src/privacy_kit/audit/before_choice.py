"""What every page requests of a new visitor who makes no choice, at the address the site was
built for and at another origin of the same build (a deploy preview, www against apex): how many
requests, those answered with an error or failed, those to another origin, and the violations of
the page's Content-Security-Policy. Each visitor is the audit's (browser.py), offline: a request
to another origin is recorded, then aborted. Any failed, other-origin or CSP entry is a problem
(``pages_broken``); ``privacy-kit bench`` reports them per page."""

from __future__ import annotations

from .browser import Options, goto, new_visitor, run_to_end, start_chromium

SETTLE_MS = 300  # quiet time without requests that ends a visit


async def visit_page(browser, origin: str, path: str, settle_ms: int = SETTLE_MS) -> dict:
    """A new visitor opens ``origin + path`` and makes no choice: what was requested, what failed."""
    options = Options(
        base=origin + "/",
        offline=True,
        accept="",
        reject="",
        preferences="",
        withdraw=[],
        settle_ms=settle_ms,
        allowed=(),
        analytics_hosts=(),
    )
    visitor = await new_visitor(browser, options)
    try:
        await goto(visitor, origin + path, settle_ms)
        return {
            "requests": len(visitor.requests),
            "failed": list(visitor.failed),
            "other_origin": [r["url"] for r in visitor.requests if r["third_party"]],
            "csp": [c["blocked"] for c in visitor.csp],
        }
    finally:
        await visitor.context.close()


async def visit_pages(origin: str, other_origin: str, paths: list[str], settle_ms: int) -> dict:
    from playwright.async_api import async_playwright

    pages = {}
    async with async_playwright() as playwright:
        browser = await start_chromium(playwright)
        try:
            for path in paths:
                pages[path] = {
                    "site_url": await visit_page(browser, origin, path, settle_ms),
                    "other": await visit_page(browser, other_origin, path, settle_ms),
                }
        finally:
            await browser.close()
    return {"site_url": origin + "/", "other_origin": other_origin + "/", "pages": pages}


def requests_before_choice(
    origin: str, other_origin: str, paths: list[str], settle_ms: int = SETTLE_MS
) -> dict:
    """Every page of ``paths`` (site-relative, from /) opened by a new visitor at ``origin``, the
    address the site was built for, and at ``other_origin``, served by the same server:
    {"site_url", "other_origin", "pages": {path: {"site_url": visit, "other": visit}}}."""
    return run_to_end(visit_pages(origin, other_origin, paths, settle_ms))


def pages_broken(pages: dict) -> list[str]:
    """Every failed, other-origin and CSP entry of ``requests_before_choice``'s result, one line each."""
    broken = []
    for path, runs in pages["pages"].items():
        for where, run in (("at SITE_URL", runs["site_url"]), ("at another origin", runs["other"])):
            for kind in ("failed", "other_origin", "csp"):
                for item in run[kind]:
                    broken.append(f"{path} {where}: {kind.replace('_', '-')} {item}")
    return broken
