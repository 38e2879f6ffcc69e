"""Cookie audit of a deployed site (run via scripts/audit): visit every page of its sitemaps in
Chromium as fresh visitors, record what is requested and stored before a choice, after reject,
after accept, after withdrawing and with Global Privacy Control, compare every cookie and
storage key with the declaration in mkdocs.yml, and write a Dutch HTML report and JSON.

Without a URL it audits a preview of the current build: built into a temporary folder with a
test measurement ID, served on 127.0.0.1 with the generated headers, Google stubbed (offline).
Against a URL nothing is routed: the real network, the real Google Analytics.
Exit code: 0 passed (warnings allowed), 1 failed, 2 the audit could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sitelib import CHROMIUM_ARGS, ROOT, build, find_chromium, serve  # noqa: E402

sys.path.insert(0, str(ROOT / "src" / "privacy_kit"))

TEST_PROPERTY = "G-TEST123456"  # the measurement ID of the preview the audit builds itself
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
# Hosts whose requests count as analytics (a suffix match on the host name).
ANALYTICS_HOSTS = (
    "googletagmanager.com",
    "google-analytics.com",
    "analytics.google.com",
    "doubleclick.net",
    "plausible.io",
    "matomo.cloud",
    "clarity.ms",
    "hotjar.com",
    "connect.facebook.net",
)
OURS = {  # our public DOM contract (README, "Public contract of the banner")
    "accept": '[data-consent-action="accept-all"]',
    "reject": '[data-consent-action="reject-all"]',
    "preferences": '[data-consent-action="preferences"]',
    "withdraw": [
        '[data-consent-action="open"]',
        "input[type=checkbox][data-consent-category]:checked",
        '[data-consent-action="save"]',
    ],
}
# Offline: what Google would answer. The stubbed gtag.js sets the cookies GA4 sets (unless
# window["ga-disable-<id>"] is set, as the real one honours) and sends one collect request.
GTAG_STUB = """(function () {
  var s = document.currentScript, id = (s && new URL(s.src).searchParams.get("id")) || "G-STUB";
  if (window["ga-disable-" + id]) return;
  var now = Math.floor(Date.now() / 1000), age = "; max-age=63072000; path=/; SameSite=Lax";
  document.cookie = "_ga=GA1.1." + Math.floor(Math.random() * 1e9) + "." + now + age;
  document.cookie = "_ga_" + id.replace(/^G-/, "") + "=GS2.1.s" + now + "$o1$g0$t" + now + age;
  navigator.sendBeacon("https://region1.google-analytics.com/g/collect?v=2&en=page_view&tid=" + encodeURIComponent(id));
})();"""
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
PHASES = ("before", "reject", "accept", "withdraw", "gpc")
PHASE_LABELS = {
    "before": "vóór een keuze",
    "reject": "na weigeren",
    "accept": "na accepteren",
    "withdraw": "na intrekken",
    "gpc": "met Global Privacy Control",
}
KINDS = {
    "cookie": "Cookie",
    "localStorage": "localStorage-sleutel",
    "sessionStorage": "sessionStorage-sleutel",
}


class AuditError(Exception):
    """The audit could not run (bad input, unreachable site, failed build): exit code 2."""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the declaration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    name: str  # a trailing * matches a prefix
    storage: str  # cookie, localStorage or sessionStorage
    category: str
    provider: str

    def matches(self, name: str, storage: str) -> bool:
        if storage != self.storage:
            return False
        if self.name.endswith("*"):
            return name.startswith(self.name[:-1])
        return name == self.name


def load_declaration(mkdocs_yml: Path) -> tuple[list[Declared], int | None]:
    """Every cookie and storage key a project declares (extra.cookie_consent in mkdocs.yml, read
    with the build's own validation) plus the consent record itself; and the consent revision."""
    from cookie_consent import STORAGE_KEY, validate
    from mkdocs.exceptions import PluginError
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(mkdocs_yml, encoding="utf-8") as f:
            config = yaml_load(f) or {}
        extra = dict(config.get("extra") or {})
        if isinstance(extra.get("analytics"), dict):  # its measurement ID (maybe unset here) declares nothing
            extra["analytics"] = {**extra["analytics"], "property": TEST_PROPERTY}
        consent = validate(extra)
    except OSError as error:
        raise AuditError(f"--declaration {str(mkdocs_yml)!r}: cannot read it ({error.strerror})") from None
    except PluginError as error:
        raise AuditError(f"--declaration {str(mkdocs_yml)!r}: {error}") from None
    if consent is None:
        return [], None
    declared = [Declared(c.name, c.storage, c.category, c.provider) for c in consent.cookies]
    if consent.categories:
        declared.insert(
            0, Declared(STORAGE_KEY, "localStorage", "necessary", "deze website (de toestemming)")
        )
    return declared, consent.revision


def declared_as(declaration: list[Declared], name: str, storage: str) -> Declared | None:
    return next((d for d in declaration if d.matches(name, storage)), None)


# --- the pages ---------------------------------------------------------------------------------


def fetch(url: str, timeout: float = 20) -> bytes | None:
    """The body at ``url``, or None for a 4xx/5xx answer."""
    request = urllib.request.Request(url, headers={"User-Agent": "maestro-cookie-audit"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError:
        return None
    except (urllib.error.URLError, OSError) as error:
        raise AuditError(f"{url!r} is not reachable: {getattr(error, 'reason', error)}") from None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def parse_sitemap(data: bytes) -> tuple[list[str], list[str]]:
    """(page URLs incl. their hreflang alternates, child sitemaps) of a sitemap or sitemap index."""
    try:
        tree = ET.fromstring(data)
    except ET.ParseError as error:
        raise AuditError(f"a sitemap is not valid XML ({error})") from None
    pages, children = [], []
    if tree.tag == f"{SITEMAP_NS}sitemapindex":
        children = [e.text.strip() for e in tree.iter(f"{SITEMAP_NS}loc") if e.text]
    for url in tree.iter(f"{SITEMAP_NS}url"):
        loc = url.find(f"{SITEMAP_NS}loc")
        if loc is not None and loc.text:
            pages.append(loc.text.strip())
        pages += [link.get("href") for link in url.iter(f"{XHTML_NS}link") if link.get("href")]
    return pages, children


def discover(base: str) -> tuple[list[str], list[str]]:
    """Every page the site's sitemaps name (every language), on the audited origin; and notes."""
    notes, queue = [], [urljoin(base, "sitemap.xml")]
    robots = fetch(urljoin(base, "/robots.txt"))
    if robots:
        for line in robots.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("sitemap:"):
                queue.append(line.split(":", 1)[1].strip())
    seen, pages = set(), []
    while queue:
        sitemap = rebase(queue.pop(0), base)
        if sitemap in seen:
            continue
        seen.add(sitemap)
        data = fetch(sitemap)
        if data is None:
            continue
        found, children = parse_sitemap(data)
        queue += children
        for url in found:
            local = rebase(url, base)
            if local != url and not any("verwijzen naar" in n for n in notes):
                notes.append(
                    f"De sitemaps verwijzen naar {origin(url)}; de pagina's zijn op {origin(base)} bezocht."
                )
            if local not in pages:
                pages.append(local)
    if not pages:
        notes.append("Geen sitemap gevonden: alleen de opgegeven pagina is bezocht.")
        pages = [base]
    return pages, notes


def rebase(url: str, base: str) -> str:
    """``url`` on the audited origin (a deploy preview's sitemaps name the production address)."""
    parts, target = urlsplit(url), urlsplit(base)
    return urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, ""))


# --- one visitor -------------------------------------------------------------------------------


@dataclass
class Visitor:
    """A fresh browser context: every request, error and CSP violation, tagged with its phase."""

    context: object
    page: object
    site: str  # the audited origin
    phase: str = "before"
    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    csp: list = field(default_factory=list)
    clicks: list = field(default_factory=list)
    inflight: int = 0
    last_activity: float = 0.0

    def sent(self, phase: str) -> list[dict]:
        """Requests of ``phase`` that left the page (not those its CSP stopped)."""
        return [r for r in self.requests if r["phase"] == phase and not r.get("blocked")]

    def third_party(self, phase: str) -> list[dict]:
        return [r for r in self.sent(phase) if r["third_party"]]

    async def settle(self, quiet_ms: int, cap_ms: int = 15000) -> None:
        """Wait until no request has been open for ``quiet_ms``."""
        start = time.monotonic()
        while (time.monotonic() - start) * 1000 < cap_ms:
            await asyncio.sleep(0.04)
            idle = (time.monotonic() - self.last_activity) * 1000
            if self.inflight <= 0 and idle >= quiet_ms:
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


def expiry(seconds: float) -> str | None:
    if seconds is None or seconds < 0:
        return None  # a session cookie
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat(timespec="seconds")


def is_third_party(url: str, site: str, allowed: tuple[str, ...] = ()) -> bool:
    """A request to another origin than the site's (or one the operator counts as its own)."""
    return origin(url) not in (site, *allowed)


def is_analytics(url: str, extra_hosts: tuple[str, ...] = ()) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in ANALYTICS_HOSTS + extra_hosts)


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
    control_timeout_ms: int = 3000


async def new_visitor(browser, options: Options, gpc: bool = False, viewport: dict = DESKTOP) -> Visitor:
    context = await browser.new_context(
        viewport=viewport,
        extra_http_headers={"Sec-GPC": "1"} if gpc else None,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    page = await context.new_page()
    visitor = Visitor(context, page, origin(options.base))

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
        visitor.inflight += 1
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
        visitor.inflight -= 1
        visitor.last_activity = time.monotonic()

    def on_failed(request):
        on_done(request)
        if request.failure == "csp":  # stopped by the page's own policy: never sent (see csp)
            for record in visitor.requests:
                if record["request"] is request:
                    record["blocked"] = True

    context.on("request", on_request)
    context.on("requestfinished", on_done)
    context.on("requestfailed", on_failed)
    page.on(
        "pageerror", lambda e: visitor.errors.append({"phase": visitor.phase, "kind": "page", "text": str(e)})
    )

    def on_console(message):
        if message.type == "error":
            where = (message.location or {}).get("url") or ""
            visitor.errors.append(
                {"phase": visitor.phase, "kind": "console", "text": message.text, "url": where}
            )

    page.on("console", on_console)
    if options.offline:
        await route_offline(context, visitor.site)
    return visitor


async def route_offline(context, site: str) -> None:
    """Nothing leaves the machine: Google's gtag.js and collect endpoint are stubbed, every
    other request to another origin is aborted (after it has been recorded)."""

    async def handle(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host == "www.googletagmanager.com" and urlsplit(url).path == "/gtag/js":
            return await route.fulfill(status=200, content_type="text/javascript", body=GTAG_STUB)
        if host.endswith("google-analytics.com") and "/collect" in url:
            return await route.fulfill(status=204, body="")
        if host == "fonts.googleapis.com":
            return await route.fulfill(status=200, content_type="text/css", body="/* stub */")
        return await route.abort()

    # Only requests to other origins are intercepted: the site's own go straight through.
    await context.route(re.compile(r"^(?!" + re.escape(site) + r"/)https?://"), handle)


async def goto(visitor: Visitor, url: str, settle_ms: int) -> int | None:
    """Open ``url`` and wait until the network is quiet; the HTTP status of the page."""
    try:
        response = await visitor.page.goto(url, wait_until="load", timeout=30000)
    except Exception as error:
        raise AuditError(f"{url!r} did not load: {error}") from None
    await visitor.settle(settle_ms)
    return response.status if response else None


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


async def reject_flow(browser, options: Options, url: str) -> dict:
    """A fresh visitor: what happens before any choice; then reject, and the next page view."""
    v = await new_visitor(browser, options)
    try:
        status = await goto(v, url, options.settle_ms)
        banner = await visible(v.page, options.accept, options.control_timeout_ms) or await visible(
            v.page, options.reject, 0
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
    finally:
        await v.context.close()


async def accept_flow(browser, options: Options, url: str) -> dict:
    """A fresh visitor accepts; then withdraws through the settings, and views the page again."""
    v = await new_visitor(browser, options)
    try:
        await goto(v, url, options.settle_ms)
        if not await visible(v.page, options.accept, options.control_timeout_ms):
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
    finally:
        await v.context.close()


def hosts(visitor: Visitor, phase: str) -> dict:
    counts: dict[str, int] = {}
    for r in visitor.third_party(phase):
        counts[r["host"]] = counts.get(r["host"], 0) + 1
    return counts


async def gpc_flow(browser, options: Options, url: str) -> dict:
    """A fresh visitor whose browser sends Global Privacy Control: no analytics may load."""
    v = await new_visitor(browser, options, gpc=True)
    try:
        await goto(v, url, options.settle_ms)
        gpc = summary(v, "before", await v.snapshot())
        gpc["banner"] = await visible(v.page, options.accept, 0)
        return {"gpc": gpc}
    finally:
        await v.context.close()


def policy_version(base: str) -> str | None:
    """The policy version the site declares in its versions.json (ours; None elsewhere)."""
    data = fetch(urljoin(base, "versions.json"))
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        return json.loads(data).get("current")
    return None


async def preferences_flow(browser, options: Options, url: str, shots: bool) -> dict:
    """A fresh visitor opens the preferences: no optional box may be ticked in advance (CJEU
    C-673/17, Planet49). With ``shots``: the banner and the preferences on a desktop and a
    phone (JPEG, for the report)."""
    result = {"tested": False, "preticked": [], "screenshots": []}
    for device, viewport in (("desktop", DESKTOP), ("telefoon", PHONE)) if shots else (("desktop", DESKTOP),):
        v = await new_visitor(browser, options, viewport=viewport)
        try:
            await goto(v, url, options.settle_ms)
            if not await visible(v.page, options.accept, options.control_timeout_ms):
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
                    {"device": device, "view": "voorkeuren", "jpeg": await jpeg(v.page)}
                )
        finally:
            await v.context.close()
    return result


async def jpeg(page) -> bytes:
    return await page.screenshot(type="jpeg", quality=70)


# --- judging -----------------------------------------------------------------------------------


def finding(level: str, code: str, subject: str, text: str) -> dict:
    return {"level": level, "code": code, "subject": subject, "text": text}


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


def judge_page(result: dict, declaration: list[Declared], expect_banner: bool) -> list[dict]:
    """The failures (level fail) and warnings (level warn) of one page."""
    found = []
    phases = result["phases"]
    labels = PHASE_LABELS
    for phase in ("before", "reject", "gpc"):
        data = phases.get(phase) or {}
        for url in dict.fromkeys(data.get("third_party", [])):
            found.append(
                finding(
                    "fail",
                    f"third-party-{phase}",
                    host_of(url),
                    f"Verzoek naar {host_of(url)} {labels[phase]} ({url})",
                )
            )
        for url in dict.fromkeys(data.get("analytics", [])):
            if url not in data.get("third_party", []):
                found.append(
                    finding("fail", f"analytics-{phase}", host_of(url), f"Analytics {labels[phase]} ({url})")
                )
        for item in stored(data):
            match = declared_as(declaration, item["name"], item["storage"])
            if match is None or match.category != "necessary":
                found.append(
                    finding(
                        "fail",
                        f"stored-{phase}",
                        item["name"],
                        f"{KINDS[item['storage']]} „{item['name']}” {labels[phase]}"
                        + ("" if match else " (niet in de verklaring)"),
                    )
                )
    for phase in PHASES:
        data = phases.get(phase) or {}
        for item in stored(data):
            if declared_as(declaration, item["name"], item["storage"]) is None:
                found.append(
                    finding(
                        "fail",
                        "undeclared",
                        item["name"],
                        f"{KINDS[item['storage']]} „{item['name']}” ({item.get('domain') or 'deze origin'}) staat niet in de verklaring",
                    )
                )
        for csp in data.get("csp", []):
            found.append(
                finding(
                    "fail",
                    "csp-violation",
                    host_of(csp["blocked"]) if "://" in (csp["blocked"] or "") else csp["blocked"],
                    f"CSP-schending {labels[phase]}: {csp['blocked'] or 'inline'} geblokkeerd door {csp['directive']}",
                )
            )
        for error in data.get("errors", []):
            level = "fail" if error["kind"] == "page" else "warn"
            kind = "JavaScript-fout" if error["kind"] == "page" else "Consolefout"
            example = f" (bijv. {error['url']})" if error.get("url") else ""
            found.append(
                finding(
                    level,
                    f"{error['kind']}-error",
                    error["text"][:200],
                    f"{kind} {labels[phase]}: {error['text'][:300]}{example}",
                )
            )
    withdraw = phases.get("withdraw") or {}
    for cookie in withdraw.get("cookies", []):
        match = declared_as(declaration, cookie["name"], "cookie")
        if match is None or match.category != "necessary":
            found.append(
                finding(
                    "fail",
                    "remains-after-withdraw",
                    cookie["name"],
                    f"Cookie „{cookie['name']}” ({cookie['domain']}) blijft staan na intrekken",
                )
            )
    for url in dict.fromkeys(withdraw.get("analytics", [])):
        found.append(
            finding("fail", "analytics-after-withdraw", host_of(url), f"Analytics na intrekken ({url})")
        )
    found += missing_controls(phases, expect_banner)
    status = (phases.get("before") or {}).get("status")
    if status and status >= 400:
        found.append(finding("warn", "page-status", str(status), f"De pagina antwoordt met HTTP {status}"))
    accept = phases.get("accept") or {}
    if (
        accept.get("tested")
        and not accept.get("analytics")
        and any(d.category != "necessary" for d in declaration)
    ):
        found.append(
            finding("warn", "no-analytics-after-accept", "", "Na accepteren is geen analyticsverzoek gezien")
        )
    return dedupe(found)


def missing_controls(phases: dict, expect_banner: bool) -> list[dict]:
    """A step whose control was not found. No banner at all is a failure only where the page
    carries our consent config (it promises one); a banner that can be accepted but not refused
    on the same layer, or consent that cannot be withdrawn, is a failure anywhere (GDPR Art. 7(3))."""
    accepted = (phases.get("accept") or {}).get("tested")
    no_banner = not accepted and not (phases.get("reject") or {}).get("tested")
    found = []
    for phase, control in (
        ("reject", "te weigeren"),
        ("accept", "te accepteren"),
        ("withdraw", "in te trekken"),
    ):
        data = phases.get(phase)
        if data is None or data.get("tested"):
            continue
        what = data.get("control") or ", ".join(s["selector"] for s in data.get("steps", []))
        level = "fail" if expect_banner or not no_banner else "warn"
        text = f"Geen bedieningselement gevonden om {control} ({what}): deze stap is niet getest"
        if no_banner and not expect_banner:
            text = f"Geen banner gevonden ({what}): deze stap is niet getest"
        found.append(finding(level, f"no-{phase}-control", what, text))
    return found


def stored(data: dict) -> list[dict]:
    items = [{**c, "storage": "cookie"} for c in data.get("cookies", [])]
    items += [{"name": k, "storage": "localStorage"} for k in data.get("localStorage", [])]
    items += [{"name": k, "storage": "sessionStorage"} for k in data.get("sessionStorage", [])]
    return items


def dedupe(findings: list[dict]) -> list[dict]:
    seen, out = set(), []
    for f in findings:
        key = (f["code"], f["subject"])
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def judge_site(
    pages: list[dict],
    declaration: list[Declared],
    facts: dict,
    revision: int | None,
    preferences: dict | None = None,
) -> dict:
    """Site-wide: findings merged over pages, and the declaration against what was seen."""
    merged: dict[tuple, dict] = {}
    for page in pages:
        for f in page["findings"]:
            entry = merged.setdefault((f["code"], f["subject"]), {**f, "pages": []})
            entry["pages"].append(page["path"])
    seen: dict[tuple, dict] = {}
    for page in pages:
        for phase, data in page["phases"].items():
            for item in stored(data or {}):
                key = (item["storage"], item["name"])
                entry = seen.setdefault(
                    key,
                    {
                        "name": item["name"],
                        "storage": item["storage"],
                        "domain": item.get("domain"),
                        "expires": item.get("expires"),
                        "third_party": item.get("third_party", False),
                        "phases": [],
                        "pages": [],
                    },
                )
                if phase not in entry["phases"]:
                    entry["phases"].append(phase)
                if page["path"] not in entry["pages"]:
                    entry["pages"].append(page["path"])
    observed = []
    for entry in seen.values():
        match = declared_as(declaration, entry["name"], entry["storage"])
        observed.append({**entry, "declared_as": match.name if match else None})
    rows = []
    for d in declaration:
        hits = [o["name"] for o in observed if d.matches(o["name"], o["storage"])]
        rows.append({**dataclasses.asdict(d), "seen": hits})
        if not hits:
            merged[("declared-not-seen", d.name)] = {
                **finding(
                    "warn",
                    "declared-not-seen",
                    d.name,
                    f"{KINDS[d.storage]} „{d.name}” staat in de verklaring maar is nergens gezien",
                ),
                "pages": [],
            }
    config = facts.get("consent_config") or {}
    if config and revision is not None and config.get("revision") != revision:
        merged[("revision-mismatch", "")] = {
            **finding(
                "warn",
                "revision-mismatch",
                "",
                f"De site vraagt toestemming onder revisie {config.get('revision')}, de lokale verklaring is revisie {revision}",
            ),
            "pages": [],
        }
    site_cookies = sorted({n for names in (config.get("cookies") or {}).values() for n in names})
    local_cookies = sorted(d.name for d in declaration if d.storage == "cookie" and d.category != "necessary")
    if config and site_cookies != local_cookies:
        merged[("declaration-mismatch", "")] = {
            **finding(
                "warn",
                "declaration-mismatch",
                "",
                f"De site noemt de cookies {', '.join(site_cookies) or '(geen)'}, de lokale verklaring {', '.join(local_cookies) or '(geen)'}",
            ),
            "pages": [],
        }
    for language, check in (preferences or {}).items():
        for label in check["preticked"]:
            merged[("preticked", label)] = {
                **finding(
                    "fail", "preticked", label, f"Vooraf aangevinkt in de voorkeuren ({language}): „{label}”"
                ),
                "pages": [check["path"]],
            }
    findings = list(merged.values())
    failures = [f for f in findings if f["level"] == "fail"]
    return {
        "passed": not failures,
        "failures": failures,
        "warnings": [f for f in findings if f["level"] == "warn"],
        "declaration": rows,
        "observed": sorted(observed, key=lambda o: (o["declared_as"] is not None, o["storage"], o["name"])),
    }


# --- the run -----------------------------------------------------------------------------------


async def audit_page(browser, options: Options, url: str, declaration) -> dict:
    """Every flow for one page, each as a fresh visitor, at the same time; judged."""
    t0 = time.monotonic()
    phases: dict = {}
    for part in await asyncio.gather(
        reject_flow(browser, options, url),
        accept_flow(browser, options, url),
        gpc_flow(browser, options, url),
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


async def audit(options: Options, pages: list[str], declaration, shots: bool, jobs: int) -> dict:
    from playwright.async_api import async_playwright

    chromium = find_chromium()
    if not chromium:
        raise AuditError(
            "Chromium not found: install Debian's chromium package or set CHROMIUM=/path/to/chromium"
        )
    started, limit, done = time.monotonic(), asyncio.Semaphore(jobs), []
    async with async_playwright() as p:
        # sitelib.launch() is for the sync API; the same browser, started for the async one.
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:

            async def one(url):
                async with limit:
                    page = await audit_page(browser, options, url, declaration)
                done.append(page)
                fails = sum(f["level"] == "fail" for f in page["findings"])
                progress(
                    f"[{len(done)}/{len(pages)}] {page['path']} ({page['lang']}): {page['seconds']:.1f} s, "
                    f"{fails} fout(en), {len(page['findings']) - fails} waarschuwing(en)"
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


def guess_language(url: str, base: str) -> str:
    path = urlsplit(url).path[len(urlsplit(base).path) :]
    first = path.strip("/").split("/")[0]
    return first if len(first) == 2 else "?"


def commit_of(path: Path) -> str | None:
    """The git commit the declaration file was read at (with '+' if it has local changes)."""
    folder = path.resolve().parent
    git = ["git", "-C", str(folder)]
    head = subprocess.run([*git, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return None
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", str(path.resolve())], capture_output=True, text=True
    )
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/audit",
        description="Cookie audit of a deployed site against the declaration in mkdocs.yml.",
    )
    parser.add_argument("url", nargs="?", help="the deployed site (default: a preview of the current build)")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "audit-report",
        metavar="DIR",
        help="report folder (default: audit-report/)",
    )
    parser.add_argument(
        "--declaration",
        type=Path,
        default=ROOT / "mkdocs.yml",
        metavar="FILE",
        help="mkdocs.yml with the cookie declaration (default: this project's)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--offline", dest="offline", action="store_true", default=None, help="stub Google, abort other hosts"
    )
    mode.add_argument(
        "--online", dest="offline", action="store_false", help="real network (the default for a URL)"
    )
    parser.add_argument(
        "--accept", default=OURS["accept"], metavar="SELECTOR", help="selector of the accept-all button"
    )
    parser.add_argument(
        "--reject", default=OURS["reject"], metavar="SELECTOR", help="selector of the reject-all button"
    )
    parser.add_argument(
        "--preferences",
        default=OURS["preferences"],
        metavar="SELECTOR",
        help="selector that opens the preferences",
    )
    parser.add_argument(
        "--withdraw",
        action="append",
        metavar="SELECTOR",
        help="clicked in order to withdraw consent (repeat the option; every visible match is clicked, "
        "a step with :checked may match nothing); default: our footer link, every checked category, save",
    )
    parser.add_argument(
        "--path", action="append", metavar="PATH", help="audit this path instead of the sitemap (repeatable)"
    )
    parser.add_argument(
        "--max-pages", type=int, metavar="N", help="audit only the first N pages of the sitemaps"
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin that counts as the site's own (e.g. your own CDN; repeatable)",
    )
    parser.add_argument(
        "--analytics-host",
        action="append",
        default=[],
        metavar="HOST",
        help="another host whose requests count as analytics (repeatable)",
    )
    parser.add_argument(
        "--settle",
        type=int,
        default=None,
        metavar="MS",
        help="quiet time without requests that ends a step (default 150 offline, 1500 online)",
    )
    parser.add_argument(
        "--jobs", type=int, default=3, metavar="N", help="pages audited at the same time (default 3)"
    )
    parser.add_argument("--no-screenshots", action="store_true", help="skip the screenshots")
    args = parser.parse_args(argv)
    if args.url is not None:
        parts = urlsplit(args.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            parser.error(f"URL {args.url!r}: expected an address like https://privacy.example.nl/")
    if args.max_pages is not None and args.max_pages < 1:
        parser.error(f"--max-pages {args.max_pages}: expected a whole number of at least 1")
    if not 1 <= args.jobs <= 16:
        parser.error(f"--jobs {args.jobs}: expected a whole number from 1 to 16")
    if args.settle is not None and not 0 <= args.settle <= 60000:
        parser.error(f"--settle {args.settle}: expected milliseconds from 0 to 60000")
    for value in args.allow_origin:
        if urlsplit(value).scheme not in ("http", "https"):
            parser.error(f"--allow-origin {value!r}: expected an origin like https://cdn.example.nl")
    return args


def run(args) -> int:
    from audit_report import render

    started = datetime.datetime.now(datetime.UTC)
    declaration, revision = load_declaration(args.declaration)
    with contextlib.ExitStack() as stack:
        if args.url:
            base = args.url if args.url.endswith("/") else args.url + "/"
            offline = bool(args.offline)
            target = "url"
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="audit-")))
            served = stack.enter_context(serve(folder / "site"))
            base = served + "/"
            progress(f"Building a preview of {ROOT} for {base} (GA_PROPERTY={TEST_PROPERTY}) ...")
            built = build(ROOT, folder / "site", site_url=base, ga_property=TEST_PROPERTY)
            if built.returncode != 0:
                raise AuditError("the preview build failed:\n" + built.output[-3000:])
            offline = args.offline is not False
            target = "preview"
        options = Options(
            base=base,
            offline=offline,
            accept=args.accept,
            reject=args.reject,
            preferences=args.preferences,
            withdraw=args.withdraw or OURS["withdraw"],
            settle_ms=args.settle if args.settle is not None else (150 if offline else 1500),
            allowed=tuple(origin(o) for o in args.allow_origin),
            analytics_hosts=tuple(args.analytics_host),
        )
        if args.path:
            pages, notes = (
                [urljoin(base, p.lstrip("/")) for p in args.path],
                ["Alleen de opgegeven paden zijn bezocht."],
            )
        else:
            pages, notes = discover(base)
        if args.max_pages and len(pages) > args.max_pages:
            notes.append(f"Alleen de eerste {args.max_pages} van {len(pages)} pagina's zijn bezocht.")
            pages = pages[: args.max_pages]
        progress(
            f"Auditing {len(pages)} page(s) of {base} ({'offline, Google stubbed' if offline else 'real network'})"
        )
        from playwright.async_api import Error as BrowserError

        try:
            data = asyncio.run(audit(options, pages, declaration, not args.no_screenshots, args.jobs))
        except BrowserError as error:  # e.g. a selector given that is not valid CSS
            raise AuditError(f"Chromium: {str(error).splitlines()[0]}") from None
    verdict = judge_site(data["pages"], declaration, data["facts"], revision, data["preferences"])
    report = {
        "tool": "scripts/audit",
        "date": started.isoformat(timespec="seconds"),
        "url": args.url or base,
        "target": target,
        "offline": offline,
        "declaration": {
            "source": str(args.declaration.resolve()),
            "from_local_project": True,
            "commit": commit_of(args.declaration),
            "revision": revision,
        },
        "site": {
            "policy_version": data["facts"]["policy_version"],
            "consent_revision": (data["facts"]["consent_config"] or {}).get("revision"),
            "consent_config": data["facts"]["consent_config"],
        },
        "notes": notes,
        "chromium": data["chromium"],
        "jobs": args.jobs,
        "seconds": data["seconds"],
        "verdict": verdict,
        "preferences": data["preferences"],
        "pages": data["pages"],
    }
    html = render(report, data["screenshots"])  # both files are written only once both are ready
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / "report.json", (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode())
    write_atomic(args.out / "report.html", html.encode())
    failures, warnings = len(verdict["failures"]), len(verdict["warnings"])
    print(
        f"{'GESLAAGD' if verdict['passed'] else 'NIET GESLAAGD'}: {len(data['pages'])} pagina's, "
        f"{failures} fout(en), {warnings} waarschuwing(en), {data['seconds']} s"
    )
    for f in verdict["failures"]:
        print(f"  FOUT: {f['text']}" + (f" [{len(f['pages'])} pagina's]" if f["pages"] else ""))
    for f in verdict["warnings"]:
        print(f"  waarschuwing: {f['text']}" + (f" [{len(f['pages'])} pagina's]" if f["pages"] else ""))
    print(f"Rapport: {args.out / 'report.html'} en {args.out / 'report.json'}")
    return 0 if verdict["passed"] else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except AuditError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
