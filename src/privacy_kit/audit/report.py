"""The audit's report as one self-contained HTML page (inline CSS, screenshots as data: URIs), for
a privacy officer to file, in the site's default language: every word is the kit's (texts/<language>.yml,
audit.report). Used by the audit's command; holds no audit logic."""

from __future__ import annotations

import base64
import datetime
from html import escape

from babel.dates import format_date

from .rules import PHASES

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:0;background:#f4f5f7}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:2em;border-bottom:2px solid #d0d4dc;padding-bottom:.2em}
h3{font-size:1.05em;margin:1.4em 0 .4em}
.verdict{border-radius:8px;padding:16px 20px;color:#fff;margin:16px 0}
.verdict.pass{background:#1b6e3a}.verdict.fail{background:#a11d2a}
.verdict h2{font-size:1.5em;margin:0;border:0;padding:0}
.verdict ul{margin:.6em 0 0;padding-left:1.2em}
table{border-collapse:collapse;width:100%;background:#fff;margin:.4em 0 1em;font-size:.92em}
th,td{border:1px solid #d0d4dc;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#e8ebf0}td:first-child code{white-space:nowrap}
code{font-family:ui-monospace,Consolas,monospace;font-size:.92em;word-break:break-all}
.ok{color:#1b6e3a;font-weight:600}.bad{color:#a11d2a;font-weight:600}.warn{color:#8a5a00;font-weight:600}
.muted{color:#5b6270}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:#fff;padding:12px 16px;border:1px solid #d0d4dc}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.shots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;background:#fff;border:1px solid #d0d4dc;padding:8px}
figure img{display:block;max-width:100%;height:auto}
figure.desktop img{width:480px}figure.phone img{width:180px}
figcaption{font-size:.85em;color:#5b6270;margin-top:4px}
ul.findings{margin:.2em 0;padding-left:1.2em}
"""


COMMAND = "privacy-kit audit"


class Words:
    """The report's words in one language (the kit's audit texts) and its dates."""

    def __init__(self, words: dict, language: str):
        self.all, self.language = words, language
        self.r = words["report"]

    def date(self, moment: datetime.datetime) -> str:
        return format_date(moment, self.all["date_format"], locale=self.language)

    def moment(self, iso: str) -> str:
        moment = datetime.datetime.fromisoformat(iso)
        return f"{self.date(moment)}, {moment:%H:%M} UTC"


def lifetime(expires: str | None, audited: str, w: Words) -> str:
    """'30 december 2027 (400 dagen)': when a cookie expires, and how long after the audit."""
    if not expires:
        return w.r["session_end"]
    end, start = datetime.datetime.fromisoformat(expires), datetime.datetime.fromisoformat(audited)
    return w.r["lifetime"].format(date=w.date(end), days=(end - start).days)


def timing(pages: list[dict], jobs: int, w: Words) -> str:
    values = sorted(
        p["phases"]["accept"]["analytics_ms"]
        for p in pages
        if (p["phases"].get("accept") or {}).get("analytics_ms") is not None
    )
    if not values:
        return w.r["no_timing"]
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    text = w.r["timing"].format(
        median=f"{median:.0f}", low=f"{values[0]:.0f}", high=f"{values[-1]:.0f}", count=len(values)
    )
    if jobs > 1 and len(pages) > 1:
        text += w.r["timing_jobs"].format(jobs=jobs)
    return text


def render(report: dict, screenshots: list[dict], words: dict, language: str) -> str:
    w = Words(words, language)
    verdict = report["verdict"]
    parts = [
        "<!doctype html>",
        f'<html lang="{escape(language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(w.r['title'].format(url=report['url']))}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{escape(w.r['title'].format(url=report['url']))}</h1>",
        '<p class="muted">'
        + escape(w.r["run"]).format(date=escape(w.moment(report["date"])), command=f"<code>{COMMAND}</code>")
        + "</p>",
        verdict_box(verdict, w),
        facts(report, w),
        declaration(verdict, w),
        observed(verdict, report["date"], w),
        pages(report, w),
        shots(screenshots, w),
        legend(w),
        "</main></body></html>",
    ]
    return "\n".join(parts)


def items(findings: list[dict], w: Words) -> str:
    out = []
    for f in findings:
        where = ""
        if f.get("pages"):
            shown = ", ".join(f["pages"][:4]) + (" …" if len(f["pages"]) > 4 else "")
            text = w.r["on_pages"].format(count=len(f["pages"]), pages=shown)
            where = f' <span class="where">({escape(text)})</span>'
        out.append(f"<li>{escape(f['text'])}{where}</li>")
    return "".join(out)


def verdict_box(verdict: dict, w: Words) -> str:
    failures, warnings = verdict["failures"], verdict["warnings"]
    head = w.all["passed"] if verdict["passed"] else w.all["failed"]
    html = [f'<section class="verdict {"pass" if verdict["passed"] else "fail"}" id="verdict">']
    html.append(f"<h2>{escape(w.r['verdict'].format(verdict=head))}</h2>")
    html.append(escape(w.r["counts"].format(failures=len(failures), warnings=len(warnings))))
    if failures:
        html.append(f"<ul>{items(failures, w)}</ul>")
    html.append("</section>")
    if warnings:
        html.append(f'<h3>{escape(w.r["warnings"])}</h3><ul class="findings">{items(warnings, w)}</ul>')
    return "".join(html)


def facts(report: dict, w: Words) -> str:
    site, decl, r = report["site"], report["declaration"], w.r
    languages = sorted({p["lang"] for p in report["pages"]})
    mode = r["offline"] if report["offline"] else r["online"]
    target = r["preview"] if report["target"] == "preview" else r["given_url"]
    commit = r["commit"].format(commit=decl["commit"]) if decl.get("commit") else ""
    rows = [
        (r["address"], f"<code>{escape(report['url'])}</code> — {escape(target)}"),
        (r["date"], escape(w.moment(report["date"]))),
        (r["policy_version"], escape(str(site.get("policy_version") or r["no_policy_version"]))),
        (r["consent_revision"], escape(str(site.get("consent_revision") or r["no_consent_revision"]))),
        (
            r["declaration"],
            escape(r["declaration_source"]).format(
                source=f"<code>{escape(decl['source'])}</code>",
                commit=escape(commit),
                revision=escape(str(decl["revision"])),
            ),
        ),
        (
            r["pages"],
            escape(
                r["pages_in"].format(
                    count=len(report["pages"]), languages_count=len(languages), languages=", ".join(languages)
                )
            ),
        ),
        (r["network"], escape(mode)),
        (r["preferences"], preticked(report.get("preferences") or {}, w)),
        (r["click"], escape(timing(report["pages"], report.get("jobs", 1), w))),
        (r["browser"], escape(r["browser_text"].format(version=report["chromium"]))),
        (r["duration"], f"{report['seconds']} s"),
    ]
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.get("notes", []))
    html = f"<h2>{escape(r['facts'])}</h2><dl class='facts'>"
    html += "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"
    if notes:
        html += f"<ul class='findings'>{notes}</ul>"
    return html


def preticked(checks: dict, w: Words) -> str:
    """Per language: whether an optional box was ticked before the visitor touched it."""
    quote = w.all["finding"]["preticked"].split("{label}")  # the language's quotation marks
    opening, closing = quote[0][-1:], quote[1][:1]
    parts = []
    for language, check in checks.items():
        if not check["tested"]:
            parts.append(f'{escape(language)}: <span class="warn">{escape(w.r["prefs_closed"])}</span>')
        elif check["preticked"]:
            ticked = ", ".join(f"{opening}{label}{closing}" for label in check["preticked"])
            text = w.r["prefs_ticked"].format(labels=ticked)
            parts.append(f'{escape(language)}: <span class="bad">{escape(text)}</span>')
        else:
            parts.append(f'{escape(language)}: <span class="ok">{escape(w.r["prefs_clean"])}</span>')
    return "; ".join(parts) or escape(w.r["not_tested"])


def header(columns: dict) -> str:
    return "<tr>" + "".join(f"<th>{escape(label)}</th>" for label in columns.values()) + "</tr>"


def declaration(verdict: dict, w: Words) -> str:
    rows, categories = [], w.all["category"]
    for d in verdict["declaration"]:
        seen = (
            f'<span class="ok">{escape(w.r["seen"])}</span>: {escape(", ".join(d["seen"]))}'
            if d["seen"]
            else f'<span class="warn">{escape(w.r["never_seen"])}</span>'
        )
        rows.append(
            f"<tr><td><code>{escape(d['name'])}</code></td><td>{escape(d['storage'])}</td>"
            f"<td>{escape(categories.get(d['category'], d['category']))}</td><td>{escape(d['provider'])}</td><td>{seen}</td></tr>"
        )
    if not rows:
        rows.append(f'<tr><td colspan="5">{escape(w.r["declaration_empty"])}</td></tr>')
    return (
        f"<h2>{escape(w.r['declaration_title'])}</h2>"
        f"<table>{header(w.r['declaration_columns'])}{''.join(rows)}</table>"
    )


def observed(verdict: dict, audited: str, w: Words) -> str:
    rows, r = [], w.r
    for o in verdict["observed"]:
        code = f"<code>{escape(o['declared_as'] or '')}</code>"
        status = (
            f'<span class="ok">{escape(r["declared_as"]).format(name=code)}</span>'
            if o["declared_as"]
            else f'<span class="bad">{escape(r["undeclared"])}</span>'
        )
        expires = lifetime(o["expires"], audited, w) if o["storage"] == "cookie" else "—"
        domain = o["domain"] or r["site_origin"]
        if o.get("third_party"):
            domain += r["third_party"]
        phases = ", ".join(w.all["phase_title"][p] for p in o["phases"])
        rows.append(
            f"<tr><td><code>{escape(o['name'])}</code></td><td>{escape(o['storage'])}</td><td>{escape(domain)}</td>"
            f"<td>{escape(expires)}</td><td>{escape(phases)}</td><td>{len(o['pages'])}</td><td>{status}</td></tr>"
        )
    if not rows:
        rows.append(f'<tr><td colspan="7">{escape(r["nothing_stored"])}</td></tr>')
    return (
        f"<h2>{escape(r['observed_title'])}</h2><table>{header(r['observed_columns'])}{''.join(rows)}</table>"
    )


def names(data: dict, w: Words) -> str:
    stored = (
        [c["name"] for c in data.get("cookies", [])]
        + data.get("localStorage", [])
        + data.get("sessionStorage", [])
    )
    return ", ".join(stored) if stored else w.r["nothing"]


def cell(phase: str, data: dict | None, w: Words) -> str:
    r = w.r
    if data is None:
        return '<td class="muted">—</td>'
    if data.get("tested") is False:
        return f'<td class="warn">{escape(r["not_tested"])}</td>'
    third = data.get("third_party", [])
    lines = []
    if phase == "accept":
        hosts = data.get("hosts", {})
        listed = ", ".join(f"{h} ({n})" for h, n in hosts.items()) if hosts else r["no_external"]
        lines.append(escape(r["requests"].format(hosts=listed)))
        ms = data.get("analytics_ms")
        lines.append(escape(r["click_ms"].format(ms=ms) if ms is not None else r["click_none"]))
    else:
        css = "bad" if third and phase != "withdraw" else "ok"
        lines.append(f'<span class="{css}">{escape(r["external"].format(count=len(third)))}</span>')
        if phase in ("reject", "gpc", "withdraw"):
            lines.append(escape(r["analytics"].format(count=len(data.get("analytics", [])))))
    lines.append(escape(r["stored"].format(names=names(data, w))))
    csp, errors = data.get("csp", []), data.get("errors", [])
    if csp:
        lines.append(f'<span class="bad">{escape(r["csp"].format(count=len(csp)))}</span>')
    if errors:
        css = "bad" if any(e["kind"] == "page" for e in errors) else "warn"
        lines.append(f'<span class="{css}">{escape(r["console"].format(count=len(errors)))}</span>')
    if phase in ("before", "gpc") and "banner" in data:
        lines.append(escape(r["banner_visible"] if data["banner"] else r["banner_hidden"]))
    return "<td>" + "<br>".join(lines) + "</td>"


def pages(report: dict, w: Words) -> str:
    r, titles = w.r, w.all["phase_title"]
    html = [f"<h2>{escape(r['per_page'])}</h2>"]
    by_language: dict[str, list] = {}
    for page in report["pages"]:
        by_language.setdefault(page["lang"], []).append(page)
    for language, group in by_language.items():
        html.append(
            f"<h3>{escape(r['language'].format(language=language))}</h3><table><tr><th>{escape(r['page'])}</th>"
        )
        html += [f"<th>{escape(titles[phase])}</th>" for phase in PHASES]
        html.append(f"<th>{escape(r['verdict_column'])}</th></tr>")
        for page in group:
            fails = [f for f in page["findings"] if f["level"] == "fail"]
            warns = [f for f in page["findings"] if f["level"] == "warn"]
            mark = (
                f'<span class="bad">{escape(r["bad"])}</span>'
                if fails
                else f'<span class="ok">{escape(r["good"])}</span>'
            )
            if warns:
                mark += f'<br><span class="warn">{escape(r["page_warnings"].format(count=len(warns)))}</span>'
            html.append(f"<tr><td><code>{escape(page['path'])}</code></td>")
            html += [cell(phase, page["phases"].get(phase), w) for phase in PHASES]
            html.append(f"<td>{mark}</td></tr>")
            if page["findings"]:
                html.append(
                    f'<tr><td></td><td colspan="{len(PHASES) + 1}"><ul class="findings">{items(page["findings"], w)}</ul></td></tr>'
                )
        html.append("</table>")
    return "".join(html)


def shots(screenshots: list[dict], w: Words) -> str:
    r = w.r
    if not screenshots:
        return f"<h2>{escape(r['shots_none_title'])}</h2><p class='muted'>{escape(r['shots_none'])}</p>"
    html = [f"<h2>{escape(r['shots_title'])}</h2>"]
    by_language: dict[str, list] = {}
    for s in screenshots:
        by_language.setdefault(s["lang"], []).append(s)
    for language, group in by_language.items():
        heading = r["language"].format(language=language)
        html.append(f"<h3>{escape(heading)} ({escape(group[0]['path'])})</h3><div class='shots'>")
        for s in group:
            data = base64.b64encode(s["jpeg"]).decode()
            view, device = w.all["view"][s["view"]], w.all["device"][s["device"]]
            alt = r["shot_alt"].format(view=view, device=device, language=language)
            html.append(
                f"<figure class='{s['device']}'><img alt='{escape(alt)}' src='data:image/jpeg;base64,{data}'>"
                f"<figcaption>{escape(view[:1].upper() + view[1:])} — {escape(device)}</figcaption></figure>"
            )
        html.append("</div>")
    return "".join(html)


def legend(w: Words) -> str:
    """What each step means; the kit's texts write it with <b> for the step's name."""
    entries = "".join(f"<li>{text}</li>" for text in w.r["legend"].values())
    return f"<h2>{escape(w.r['legend_title'])}</h2><ul>{entries}</ul>"
