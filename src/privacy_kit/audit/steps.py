"""What each fresh visitor does on a page (before a choice and reject; accept and withdraw;
Global Privacy Control; the preferences, with screenshots), and the audit of every page."""

from __future__ import annotations

import asyncio
import sys
import time
from urllib.parse import urlsplit

from .browser import (
    CONFIG_JS,
    DESKTOP,
    PHONE,
    PRETICKED,
    NotLoaded,
    Options,
    Visitors,
    click_all,
    goto,
    hosts,
    jpeg,
    new_visitor,
    shows_late,
    start_chromium,
    summary,
    visible,
)
from .discovery import guess_language, policy_version
from .rules import judge_page


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def reject_flow(visitors: Visitors, options: Options, url: str) -> dict:
    """A new visitor: what happens before any choice; then reject, and the next page view."""
    async with visitors.visitor() as v:
        status = await goto(v, url, options.settle_ms)
        banner = (
            await visible(v.page, options.accept, options.control_timeout_ms)
            or await visible(v.page, options.reject, 0)
            or await shows_late(v.page, options.accept, url, options)
        )
        before = summary(v, "before", await v.snapshot())
        before["banner"] = banner
        before["status"] = status
        before["lang"] = await v.page.evaluate("document.documentElement.lang") or None
        before["consent_config"] = await v.page.evaluate(CONFIG_JS)
        result = {"before": before}
        if not await visible(v.page, options.reject, options.control_timeout_ms if banner else 0):
            result["reject"] = {"tested": False, "control": options.reject}
            return result
        v.phase = "reject"
        await v.page.click(options.reject)
        await v.settle(options.settle_ms)
        await goto(v, url, options.settle_ms)  # the refusal must hold on the next page view
        result["reject"] = {
            "tested": True,
            **summary(v, "reject", await v.snapshot()),
            "banner_again": await visible(v.page, options.accept, 0),
        }
        return result


async def accept_flow(visitors: Visitors, options: Options, url: str) -> dict:
    """A new visitor accepts; then withdraws through the settings, and views the page again."""
    async with visitors.visitor() as v:
        await goto(v, url, options.settle_ms)
        if not (
            await visible(v.page, options.accept, options.control_timeout_ms)
            or await shows_late(v.page, options.accept, url, options)
        ):
            return {"accept": {"tested": False, "control": options.accept}}
        v.phase = "accept"
        await v.page.click(options.accept)
        deadline = time.monotonic() + (2 if options.offline else 10)  # stubs answer at once
        while not any(r["analytics"] for r in v.requests if r["phase"] == "accept"):
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.02)
        await v.settle(options.settle_ms)
        clicked_at = v.clicks[-1] if v.clicks else None  # reported by the page itself
        accept = {"tested": True, **summary(v, "accept", await v.snapshot())}
        accept["hosts"] = hosts(v, "accept")
        first = next((r for r in v.sent("accept") if r["analytics"]), None)
        accept["analytics_ms"] = None
        if first and clicked_at:
            start = first["request"].timing.get("startTime", -1)
            if start and start > 0:
                accept["analytics_ms"] = round(max(start - clicked_at, 0.0), 1)
        result = {"accept": accept}
        v.phase = "withdraw"
        steps = []
        for step in options.withdraw:
            optional = ":checked" in step  # "untick what is ticked" may find nothing to untick
            if not optional and not await visible(v.page, step, options.control_timeout_ms):
                steps.append({"selector": step, "clicked": 0})
                break
            steps.append({"selector": step, "clicked": await click_all(v.page, step)})
        missing = next(
            (s["selector"] for s in steps if not s["clicked"] and ":checked" not in s["selector"]), None
        )
        if missing:
            result["withdraw"] = {"tested": False, "control": missing, "steps": steps}
            return result
        await v.settle(options.settle_ms)
        after = await v.snapshot()
        await goto(v, url, options.settle_ms)  # and on the next page view nothing may load or return
        again = await v.snapshot()
        for key in ("cookies", "localStorage", "sessionStorage"):
            after[key] += [item for item in again[key] if item not in after[key]]
        withdraw = {"tested": True, "steps": steps, **summary(v, "withdraw", after)}
        result["withdraw"] = withdraw
        return result


async def gpc_flow(visitors: Visitors, options: Options, url: str) -> dict:
    """A new visitor whose browser sends Global Privacy Control: no analytics may load."""
    async with visitors.visitor(gpc=True) as v:
        await goto(v, url, options.settle_ms)
        gpc = summary(v, "before", await v.snapshot())
        gpc["banner"] = await visible(v.page, options.accept, 0)
        return {"gpc": gpc}


async def preferences_flow(browser, options: Options, url: str, shots: bool) -> dict:
    """A fresh visitor opens the preferences: no optional box may be ticked in advance (CJEU
    C-673/17, Planet49). With ``shots``: the banner and the preferences on a desktop and a
    phone (JPEG, for the report)."""
    result = {"tested": False, "preticked": [], "screenshots": []}
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)) if shots else (("desktop", DESKTOP),):
        v = await new_visitor(browser, options, viewport=viewport)
        try:
            await goto(v, url, options.settle_ms)
            if not (
                await visible(v.page, options.accept, options.control_timeout_ms)
                or await shows_late(v.page, options.accept, url, options)
            ):
                break
            if shots:
                result["screenshots"].append({"device": device, "view": "banner", "jpeg": await jpeg(v.page)})
            if not await visible(v.page, options.preferences, 0):
                break
            await v.page.click(options.preferences)
            await asyncio.sleep(0.15)
            if device == "desktop":
                result["tested"] = True
                result["preticked"] = await v.page.evaluate(PRETICKED)
            if shots:
                result["screenshots"].append(
                    {"device": device, "view": "preferences", "jpeg": await jpeg(v.page)}
                )
        finally:
            await v.context.close()
    return result


async def audit_page(visitors: Visitors, options: Options, url: str, declaration) -> dict:
    """Every flow for one page, each as a new visitor, at the same time; judged."""
    t0 = time.monotonic()
    phases: dict = {}
    for part in await asyncio.gather(
        reject_flow(visitors, options, url),
        accept_flow(visitors, options, url),
        gpc_flow(visitors, options, url),
    ):
        phases.update(part)
    language = phases["before"].pop("lang", None)
    config = phases["before"].pop("consent_config", None)
    page = {"url": url, "path": urlsplit(url).path or "/", "consent_config": config, "phases": phases}
    page["lang"] = (language or guess_language(url, options.base)).split("-")[0].lower()
    page["seconds"] = round(time.monotonic() - t0, 2)
    # A banner is promised where the page carries our consent config.
    page["findings"] = judge_page(page, declaration, expect_banner=bool(config))
    return page


async def audited(visitors: Visitors, options: Options, url: str, declaration) -> dict:
    """audit_page, its flows tried once more when the page did not load in time, or a new
    visitor's page remembered a choice (a machine busy with other work: one slow page does not
    end, or fail, the audit of a thousand)."""
    try:
        return await audit_page(visitors, options, url, declaration)
    except NotLoaded as error:
        progress(f"{str(error).splitlines()[0]}; trying it once more")
        return await audit_page(visitors, options, url, declaration)


async def audit(options: Options, pages: list[str], declaration, shots: bool, jobs: int) -> dict:
    from playwright.async_api import async_playwright

    started, limit, done = time.monotonic(), asyncio.Semaphore(jobs), []
    async with async_playwright() as p:
        browser = await start_chromium(p)
        visitors = Visitors(browser, options)
        try:

            async def one(url):
                async with limit:
                    page = await audited(visitors, options, url, declaration)
                done.append(page)
                fails = sum(f["level"] == "fail" for f in page["findings"])
                counts = declaration.words["report"]["counts"].rstrip(".")
                counts = counts.format(failures=fails, warnings=len(page["findings"]) - fails)
                progress(
                    f"[{len(done)}/{len(pages)}] {page['path']} ({page['lang']}): {page['seconds']:.1f} s, {counts}"
                )
                return page

            async def preferences(url):
                async with limit:
                    return await preferences_flow(browser, options, url, shots)

            results = await asyncio.gather(*(one(url) for url in pages))  # in sitemap order
            first_of_language: dict[str, str] = {}
            for page in results:
                first_of_language.setdefault(page["lang"], page["url"])
            progress(f"preferences{' and screenshots' if shots else ''}: {', '.join(first_of_language)}")
            checks = await asyncio.gather(*(preferences(url) for url in first_of_language.values()))
            version = browser.version
        finally:
            await visitors.close()
            await browser.close()
    images, prefs = [], {}
    for (language, url), found in zip(first_of_language.items(), checks, strict=True):
        path = urlsplit(url).path
        images += [{"lang": language, "path": path, **shot} for shot in found.pop("screenshots")]
        prefs[language] = {"path": path, **found}
    facts = {"consent_config": results[0]["consent_config"], "policy_version": policy_version(options.base)}
    for page in results:  # the site's config is reported once, in the facts
        del page["consent_config"]
    return {
        "pages": list(results),
        "facts": facts,
        "preferences": prefs,
        "screenshots": images,
        "chromium": version,
        "seconds": round(time.monotonic() - started, 1),
    }
