"""One visitor in Chromium (Playwright's async API): a browser context that records every
request, error, failed request and CSP violation, tagged with the step it happened in; and,
offline, the stand-ins for what Google would answer. A context is made once and made a fresh
visitor again for each page (``Visitors``): its cookies, storage and cache deleted and a new tab
opened, which costs a fraction of a new context."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..origins import origin_of
from ..serving.chromium import CHROMIUM_ARGS, CHROMIUM_MISSING, find_chromium, playwrights_own
from ..serving.standins import StandIn, answer
from . import AuditError
from .rules import expiry, is_analytics, is_third_party


def run_to_end(coroutine):
    """``asyncio.run(coroutine)``, also where an event loop already runs in this thread (a
    notebook, Playwright's sync API in the same process): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as own_thread:
        return own_thread.submit(asyncio.run, coroutine).result()


class NotLoaded(AuditError):
    """A page did not load in time (on a busy machine: its flows are tried once more)."""


class NotFresh(NotLoaded):
    """A new visitor's page remembered an earlier visitor's choice (its flows are tried once more)."""


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
OBSERVE = """(() => {
  const report = (data) => { try { window.__auditReport(data); } catch (e) {} };
  document.addEventListener("securitypolicyviolation", (e) => report({kind: "csp",
    blocked: e.blockedURI, directive: e.effectiveDirective || e.violatedDirective}));
  addEventListener("click", (e) => { if (e.isTrusted) report({kind: "click", t: performance.timeOrigin + performance.now()}); }, true);
})();"""
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});"
# Visible, ticked, changeable boxes once the preferences are open (the label says what they are).
PRETICKED = """() => Array.from(document.querySelectorAll("input[type=checkbox]:checked:not(:disabled)"))
  .filter((box) => box.checkVisibility())
  .map((box) => (box.closest("label") || box.parentElement).textContent.trim().replace(/\\s+/g, " ").slice(0, 80))"""
CONFIG_JS = """() => { const e = document.getElementById("consent-config");
  try { return e ? JSON.parse(e.textContent) : null; } catch (x) { return null; } }"""
STORAGE = "() => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage)})"


# Resolves once the page's main thread has nothing queued (or after 5 s of a page that is never idle).
# First a task (a timer the page set to fire at once runs before it), then a frame: Chromium may
# schedule no idle time on a page that has drawn no frame since a change (seen after a click).
PAGE_IDLE = """() => new Promise((done) => setTimeout(() => {
  let idle = () => { idle = () => {}; requestIdleCallback(done, {timeout: 5000}); };
  requestAnimationFrame(() => idle()); setTimeout(() => idle(), 100);
}, 0))"""
# How long the report of a request the page sent as it became idle may take to arrive here.
REPORTED_MS = 50


@dataclass
class Visitor:
    """A browser context: every request, error, failed request and CSP violation, tagged with its phase."""

    context: object
    page: object
    site: str  # the audited origin
    phase: str = "before"
    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # "<status or failure> <url>" of each request answered with an error, or failed
    failed: list = field(default_factory=list)
    csp: list = field(default_factory=list)
    clicks: list = field(default_factory=list)
    open: set = field(default_factory=set)  # requests not yet answered
    last_activity: float = 0.0

    def watch(self, page) -> None:
        """Record the errors of ``page`` (the visitor's tab)."""
        self.page = page
        page.on(
            "pageerror", lambda e: self.errors.append({"phase": self.phase, "kind": "page", "text": str(e)})
        )

        def on_console(message):
            if message.type == "error":
                where = (message.location or {}).get("url") or ""
                self.errors.append(
                    {"phase": self.phase, "kind": "console", "text": message.text, "url": where}
                )

        page.on("console", on_console)

    async def forget(self) -> None:
        """Make this a new visitor: its tab closed (with its session storage), every cookie,
        the site's storage and the HTTP cache deleted, a new tab opened, nothing recorded. The
        tab first empties its own origin's storage: Chromium deletes storage for the browser, and
        a renderer it reuses for the next tab may still read what it had cached (a choice the
        next visitor never made)."""
        with contextlib.suppress(Exception):  # a tab that crashed or left the site
            await self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        await self.page.close()
        await self.context.clear_cookies()
        page = await self.context.new_page()
        session = await self.context.new_cdp_session(page)
        origins = {self.site} | {origin_of(r["url"]) for r in self.requests if r["url"].startswith("http")}
        for visited in sorted(origins):
            await session.send("Storage.clearDataForOrigin", {"origin": visited, "storageTypes": "all"})
        await session.send("Network.clearBrowserCache")
        await session.detach()
        self.phase, self.requests, self.errors, self.csp, self.clicks = "before", [], [], [], []
        self.failed = []
        self.open = set()
        self.watch(page)

    def sent(self, phase: str) -> list[dict]:
        """Requests of ``phase`` that left the page (not those its CSP stopped)."""
        return [r for r in self.requests if r["phase"] == phase and not r.get("blocked")]

    def third_party(self, phase: str) -> list[dict]:
        return [r for r in self.sent(phase) if r["third_party"]]

    async def settle(self, quiet_ms: int, cap_ms: int = 15000) -> None:
        """Wait until no request has been open for ``quiet_ms`` and the page has done the work it
        had queued (a script that arrived may still be about to send: on a busy machine it runs
        later than any fixed quiet time), and then still none."""

        def quiet() -> bool:
            return not self.open and (time.monotonic() - self.last_activity) * 1000 >= quiet_ms

        start = time.monotonic()
        while (time.monotonic() - start) * 1000 < cap_ms:
            await asyncio.sleep(0.04)
            if not quiet():
                continue
            with contextlib.suppress(Exception):  # a page that navigates: its next load is watched
                await self.page.evaluate(PAGE_IDLE)
            await asyncio.sleep(REPORTED_MS / 1000)
            if quiet():
                return

    async def snapshot(self) -> dict:
        """The cookies of the whole context and the storage keys of the page's origin."""
        cookies = [
            {
                "name": c["name"],
                "domain": c["domain"],
                "path": c["path"],
                "expires": expiry(c["expires"]),
                "third_party": not self.site_domain_matches(c["domain"]),
            }
            for c in await self.context.cookies()
        ]
        try:
            storage = await self.page.evaluate(STORAGE)
        except Exception:  # a page that navigated away mid-read: read again once
            await self.page.wait_for_load_state()
            storage = await self.page.evaluate(STORAGE)
        return {"cookies": cookies, "localStorage": storage["local"], "sessionStorage": storage["session"]}

    def site_domain_matches(self, domain: str) -> bool:
        host = urlsplit(self.site).hostname or ""
        domain = domain.lstrip(".")
        return host == domain or host.endswith("." + domain)


@dataclass
class Options:
    base: str
    offline: bool
    accept: str
    reject: str
    preferences: str
    withdraw: list[str]
    settle_ms: int
    allowed: tuple[str, ...]
    analytics_hosts: tuple[str, ...]
    stand_ins: tuple[StandIn, ...] = ()  # offline: what the declared services answer
    control_timeout_ms: int = 3000
    # How long a banner its page promises (it carries a consent config, and no stored choice) may
    # take: on a busy machine a page's script runs late (3 s were too short at a load of 20).
    promised_ms: int = 20000


async def start_chromium(playwright):
    """Debian's Chromium (or CHROMIUM), else Playwright's own, for the async API."""
    chromium = find_chromium() or playwrights_own(playwright)
    if not chromium:
        raise AuditError(CHROMIUM_MISSING)
    return await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


async def new_visitor(browser, options: Options, gpc: bool = False, viewport: dict = DESKTOP) -> Visitor:
    context = await browser.new_context(
        viewport=viewport,
        extra_http_headers={"Sec-GPC": "1"} if gpc else None,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    page = await context.new_page()
    visitor = Visitor(context, page, origin_of(options.base))

    def on_binding(source, data):
        if data.get("kind") == "csp":
            visitor.csp.append({"phase": visitor.phase, **data})
        elif data.get("kind") == "click":
            visitor.clicks.append(data["t"])

    await context.expose_binding("__auditReport", on_binding)
    await context.add_init_script(OBSERVE)
    if gpc:
        await context.add_init_script(GPC_ON)

    def on_request(request):
        visitor.open.add(request)
        visitor.last_activity = time.monotonic()
        url = request.url
        if url.startswith(("data:", "blob:")):
            return
        third = is_third_party(url, visitor.site, options.allowed)
        visitor.requests.append(
            {
                "phase": visitor.phase,
                "url": url,
                "host": urlsplit(url).hostname,
                "type": request.resource_type,
                "third_party": third,
                "analytics": is_analytics(url, options.analytics_hosts),
                "request": request,
            }
        )

    def on_done(request):
        visitor.open.discard(request)  # one of a tab closed since is no longer counted
        visitor.last_activity = time.monotonic()

    def on_failed(request):
        on_done(request)
        visitor.failed.append(f"{request.failure} {request.url}")
        if request.failure == "csp":  # stopped by the page's own policy: never sent (see csp)
            for record in visitor.requests:
                if record["request"] is request:
                    record["blocked"] = True

    context.on("request", on_request)
    context.on("requestfinished", on_done)
    context.on("requestfailed", on_failed)
    context.on("response", lambda r: r.status >= 400 and visitor.failed.append(f"{r.status} {r.url}"))
    visitor.watch(page)
    if options.offline:
        await route_offline(context, visitor.site, options.stand_ins)
    return visitor


class Visitors:
    """New visitors on the desktop, with or without Global Privacy Control: each context made
    once, and made a new visitor again (Visitor.forget) as soon as a page has done with it, while
    the other pages go on."""

    def __init__(self, browser, options: Options):
        self.browser, self.options = browser, options
        self.idle: dict[bool, list[asyncio.Task]] = {False: [], True: []}  # each yields a new visitor
        self.made: list[Visitor] = []

    @contextlib.asynccontextmanager
    async def visitor(self, gpc: bool = False):
        idle = self.idle[gpc]
        if idle:
            visitor = await idle.pop(0)
        else:
            visitor = await new_visitor(self.browser, self.options, gpc=gpc)
            self.made.append(visitor)
        yield visitor
        idle.append(asyncio.ensure_future(self._forgotten(visitor)))  # not after failed steps

    @staticmethod
    async def _forgotten(visitor: Visitor) -> Visitor:
        await visitor.forget()
        return visitor

    async def close(self) -> None:
        for task in (*self.idle[False], *self.idle[True]):
            with contextlib.suppress(Exception):
                await task
        for visitor in self.made:
            await visitor.context.close()


async def route_offline(context, site: str, known: tuple[StandIn, ...]) -> None:
    """Nothing leaves the machine: the services the site declares are answered by their
    stand-ins, every other request to another origin is aborted (after it has been recorded)."""

    async def handle(route):
        stand_in = answer(route.request.url, known)
        if stand_in is None:
            return await route.abort()
        return await route.fulfill(
            status=stand_in.status, content_type=stand_in.content_type, body=stand_in.body
        )

    # Only requests to other origins are intercepted: the site's own go straight through.
    await context.route(re.compile(r"^(?!" + re.escape(site) + r"/)https?://"), handle)


async def goto(visitor: Visitor, url: str, settle_ms: int) -> int | None:
    """Open ``url`` and wait until the network is quiet; the HTTP status of the page."""
    try:
        response = await visitor.page.goto(url, wait_until="load", timeout=60000)
    except Exception as error:
        raise NotLoaded(f"{url!r} did not load: {error}") from None
    await visitor.settle(settle_ms)
    return response.status if response else None


async def shows_late(page, selector: str, url: str, options: Options) -> bool:
    """For a new visitor's page where ``selector`` did not show in the usual time: NotFresh if
    the page holds a stored choice (under the key its consent config names); else, where the page
    carries a consent config (a banner is promised), whether ``selector`` shows within
    ``options.promised_ms``. A banner that never comes costs that wait, once per flow of a
    failing page."""
    config = await page.evaluate(CONFIG_JS)
    if not config:
        return False
    key = config.get("key") if isinstance(config, dict) else None
    if key and await page.evaluate("(key) => localStorage.getItem(key) !== null", key):
        raise NotFresh(f"{url!r}: the new visitor's page held a stored choice")
    return await visible(page, selector, options.promised_ms)


async def visible(page, selector: str, timeout_ms: int) -> bool:
    """Whether ``selector`` shows up (a banner may appear a moment after load)."""
    if timeout_ms <= 0:  # Playwright reads a timeout of 0 as "wait forever"
        return await page.locator(selector).first.is_visible()
    try:
        await page.locator(selector).first.wait_for(state="visible", timeout=timeout_ms)
        return True
    except Exception:
        return False


async def click_all(page, selector: str) -> int:
    """Click every visible element ``selector`` matches now (all toggles of a category list)."""
    clicked = 0
    for handle in await page.query_selector_all(selector):
        if await handle.is_visible():
            await handle.click()
            clicked += 1
    return clicked


def summary(visitor: Visitor, phase: str, snapshot: dict) -> dict:
    third = visitor.third_party(phase)
    return {
        **snapshot,
        "third_party": [r["url"] for r in third],
        "analytics": [r["url"] for r in visitor.sent(phase) if r["analytics"]],
        "errors": [
            {k: e.get(k, "") for k in ("kind", "text", "url")} for e in visitor.errors if e["phase"] == phase
        ],
        "csp": [
            {"blocked": c["blocked"], "directive": c["directive"]} for c in visitor.csp if c["phase"] == phase
        ],
    }


def hosts(visitor: Visitor, phase: str) -> dict:
    counts: dict[str, int] = {}
    for r in visitor.third_party(phase):
        counts[r["host"]] = counts.get(r["host"], 0) + 1
    return counts


async def jpeg(page) -> bytes:
    return await page.screenshot(type="jpeg", quality=70)
