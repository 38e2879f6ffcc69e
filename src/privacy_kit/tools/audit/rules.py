"""The pure judgement of what the visitors saw: failures and warnings per page and for the site,
and the declaration against what was observed. No browser here: every rule has a unit test."""

from __future__ import annotations

import dataclasses
import datetime
from urllib.parse import urlsplit

from ...consent.providers import GOOGLE_HOSTS
from .declaration import Declaration, declared_as
from .discovery import origin

ANALYTICS_HOSTS = (  # well-known analytics hosts, counted as analytics on any site (a suffix match)
    *GOOGLE_HOSTS,
    "plausible.io",
    "matomo.cloud",
    "clarity.ms",
    "hotjar.com",
    "connect.facebook.net",
)
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


def finding(level: str, code: str, subject: str, text: str) -> dict:
    return {"level": level, "code": code, "subject": subject, "text": text}


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


def judge_page(result: dict, declaration: Declaration, expect_banner: bool) -> list[dict]:
    """The failures (level fail) and warnings (level warn) of one page."""
    cookies = declaration.cookies
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
            match = declared_as(cookies, item["name"], item["storage"])
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
            if declared_as(cookies, item["name"], item["storage"]) is None:
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
        match = declared_as(cookies, cookie["name"], "cookie")
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
    for url in dict.fromkeys(withdraw.get("third_party", [])):  # an embed that loads again, say
        if url not in withdraw.get("analytics", []):
            found.append(
                finding(
                    "fail",
                    "third-party-withdraw",
                    host_of(url),
                    f"Verzoek naar {host_of(url)} na intrekken ({url})",
                )
            )
    accept = phases.get("accept") or {}
    for url in dict.fromkeys(accept.get("third_party", [])):
        if not declaration.covers(url):
            found.append(
                finding(
                    "fail",
                    "undeclared-host",
                    host_of(url),
                    f"Verzoek naar {host_of(url)} na accepteren, een dienst die de verklaring niet noemt ({url})",
                )
            )
    found += missing_controls(phases, expect_banner)
    status = (phases.get("before") or {}).get("status")
    if status and status >= 400:
        found.append(finding("warn", "page-status", str(status), f"De pagina antwoordt met HTTP {status}"))
    if accept.get("tested") and not accept.get("analytics") and declaration.analytics_hosts:
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
    declaration: Declaration,
    facts: dict,
    revision: int | None,
    preferences: dict | None = None,
) -> dict:
    """Site-wide: findings merged over pages, and the declaration against what was seen."""
    cookies = declaration.cookies
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
        match = declared_as(cookies, entry["name"], entry["storage"])
        observed.append({**entry, "declared_as": match.name if match else None})
    rows = []
    for d in cookies:
        hits = [o["name"] for o in observed if d.matches(o["name"], o["storage"])]
        rows.append({**dataclasses.asdict(d), "seen": hits})
        if not hits and not d.on_request:
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
    local_cookies = sorted(d.name for d in cookies if d.storage == "cookie" and d.category != "necessary")
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
