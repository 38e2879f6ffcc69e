"""The pure judgement of what the visitors saw: failures and warnings per page and for the site,
and the declaration against what was observed. No browser here: every rule has a unit test."""

from __future__ import annotations

import dataclasses
import datetime
from urllib.parse import urlsplit

from .. import providers
from ..origins import origin_of
from .declaration import Declaration, declared_as

ANALYTICS_HOSTS = (  # well-known analytics hosts, counted as analytics on any site (a suffix match)
    *(host for provider in providers.every() for host in provider.well_known),
    "clarity.ms",
    "hotjar.com",
    "connect.facebook.net",
)
PHASES = ("before", "reject", "accept", "withdraw", "gpc")
# Every text of a finding is the kit's (texts/<language>.yml, audit.finding), in the language of
# the declaration: the site's default language.


def expiry(seconds: float) -> str | None:
    if seconds is None or seconds < 0:
        return None  # a session cookie
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat(timespec="seconds")


def is_third_party(url: str, site: str, allowed: tuple[str, ...] = ()) -> bool:
    """A request to another origin than the site's (or one the operator counts as its own)."""
    return origin_of(url) not in (site, *allowed)


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
    w = declaration.words
    labels, kinds, say = w["phase"], w["kind"], w["finding"]
    for phase in ("before", "reject", "gpc"):
        data = phases.get(phase) or {}
        for url in dict.fromkeys(data.get("third_party", [])):
            found.append(
                finding(
                    "fail",
                    f"third-party-{phase}",
                    host_of(url),
                    say["request"].format(host=host_of(url), phase=labels[phase], url=url),
                )
            )
        for url in dict.fromkeys(data.get("analytics", [])):
            if url not in data.get("third_party", []):
                found.append(
                    finding(
                        "fail",
                        f"analytics-{phase}",
                        host_of(url),
                        say["analytics"].format(phase=labels[phase], url=url),
                    )
                )
        for item in stored(data):
            match = declared_as(cookies, item["name"], item["storage"])
            if match is None or match.category != "necessary":
                found.append(
                    finding(
                        "fail",
                        f"stored-{phase}",
                        item["name"],
                        say["stored"].format(
                            kind=kinds[item["storage"]], name=item["name"], phase=labels[phase]
                        )
                        + ("" if match else say["not_declared"]),
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
                        say["undeclared"].format(
                            kind=kinds[item["storage"]],
                            name=item["name"],
                            domain=item.get("domain") or say["this_origin"],
                        ),
                    )
                )
        for csp in data.get("csp", []):
            found.append(
                finding(
                    "fail",
                    "csp-violation",
                    host_of(csp["blocked"]) if "://" in (csp["blocked"] or "") else csp["blocked"],
                    say["csp"].format(
                        phase=labels[phase], blocked=csp["blocked"] or "inline", directive=csp["directive"]
                    ),
                )
            )
        for error in data.get("errors", []):
            level = "fail" if error["kind"] == "page" else "warn"
            kind = say["javascript_error"] if error["kind"] == "page" else say["console_error"]
            example = say["example"].format(url=error["url"]) if error.get("url") else ""
            found.append(
                finding(
                    level,
                    f"{error['kind']}-error",
                    error["text"][:200],
                    say["error"].format(
                        kind=kind, phase=labels[phase], text=error["text"][:300], example=example
                    ),
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
                    say["remains"].format(name=cookie["name"], domain=cookie["domain"]),
                )
            )
    for url in dict.fromkeys(withdraw.get("analytics", [])):
        found.append(
            finding(
                "fail",
                "analytics-after-withdraw",
                host_of(url),
                say["analytics_after_withdraw"].format(url=url),
            )
        )
    for url in dict.fromkeys(withdraw.get("third_party", [])):  # an embed that loads again, say
        if url not in withdraw.get("analytics", []):
            found.append(
                finding(
                    "fail",
                    "third-party-withdraw",
                    host_of(url),
                    say["request_after_withdraw"].format(host=host_of(url), url=url),
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
                    say["undeclared_host"].format(host=host_of(url), url=url),
                )
            )
    found += missing_controls(phases, expect_banner, w)
    status = (phases.get("before") or {}).get("status")
    if status and status >= 400:
        found.append(finding("warn", "page-status", str(status), say["page_status"].format(status=status)))
    if accept.get("tested") and not accept.get("analytics") and declaration.analytics_hosts:
        found.append(finding("warn", "no-analytics-after-accept", "", say["no_analytics"]))
    return dedupe(found)


def missing_controls(phases: dict, expect_banner: bool, words: dict | None = None) -> list[dict]:
    """A step whose control was not found. No banner at all is a failure only where the page
    carries our consent config (it promises one); a banner that can be accepted but not refused
    on the same layer, or consent that cannot be withdrawn, is a failure anywhere (GDPR Art. 7(3))."""
    accepted = (phases.get("accept") or {}).get("tested")
    no_banner = not accepted and not (phases.get("reject") or {}).get("tested")
    found = []
    say = (words or Declaration([], None).words)["finding"]
    for phase in ("reject", "accept", "withdraw"):
        data = phases.get(phase)
        if data is None or data.get("tested"):
            continue
        what = data.get("control") or ", ".join(s["selector"] for s in data.get("steps", []))
        level = "fail" if expect_banner or not no_banner else "warn"
        text = say["no_control"].format(control=say["control"][phase], what=what)
        if no_banner and not expect_banner:
            text = say["no_banner"].format(what=what)
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
    kinds, say = declaration.words["kind"], declaration.words["finding"]
    merged: dict[tuple, dict] = {}
    for page in pages:
        for f in page["findings"]:
            entry = merged.setdefault((f["code"], f["subject"]), {**f, "pages": []})
            entry["pages"].append(page["path"])
    seen: dict[tuple, dict] = {}
    on_pages: dict[tuple, set[str]] = {}
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
                if page["path"] not in on_pages.setdefault(key, set()):  # a set: thousands of pages
                    on_pages[key].add(page["path"])
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
                    say["declared_not_seen"].format(kind=kinds[d.storage], name=d.name),
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
                say["revision_mismatch"].format(site=config.get("revision"), local=revision),
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
                say["declaration_mismatch"].format(
                    site=", ".join(site_cookies) or say["none"], local=", ".join(local_cookies) or say["none"]
                ),
            ),
            "pages": [],
        }
    for language, check in (preferences or {}).items():
        for label in check["preticked"]:
            merged[("preticked", label)] = {
                **finding(
                    "fail", "preticked", label, say["preticked"].format(language=language, label=label)
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
