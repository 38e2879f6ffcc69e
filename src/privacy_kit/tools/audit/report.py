"""The audit's report as one self-contained HTML page in Dutch (inline CSS, screenshots as data:
URIs), for a privacy officer to file. Used by the audit's command; holds no audit logic."""

from __future__ import annotations

import base64
import datetime
from html import escape

from babel.dates import format_date

DATE = "d MMMM yyyy"  # 1 december 2026, in Dutch from babel

PHASES = {
    "before": "Vóór een keuze",
    "reject": "Na weigeren",
    "accept": "Na accepteren",
    "withdraw": "Na intrekken",
    "gpc": "Global Privacy Control",
}
CATEGORIES = {"necessary": "noodzakelijk", "analytics": "analyse", "external-media": "externe media"}
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
figure.desktop img{width:480px}figure.telefoon img{width:180px}
figcaption{font-size:.85em;color:#5b6270;margin-top:4px}
ul.findings{margin:.2em 0;padding-left:1.2em}
"""


def dutch_date(iso: str) -> str:
    moment = datetime.datetime.fromisoformat(iso)
    return f"{format_date(moment, DATE, locale='nl')}, {moment:%H:%M} UTC"


def lifetime(expires: str | None, audited: str) -> str:
    """'30 december 2027 (400 dagen)': when a cookie expires, and how long after the audit."""
    if not expires:
        return "einde van de sessie"
    end, start = datetime.datetime.fromisoformat(expires), datetime.datetime.fromisoformat(audited)
    return f"{format_date(end, DATE, locale='nl')} ({(end - start).days} dagen)"


def timing(pages: list[dict], jobs: int) -> str:
    values = sorted(
        p["phases"]["accept"]["analytics_ms"]
        for p in pages
        if (p["phases"].get("accept") or {}).get("analytics_ms") is not None
    )
    if not values:
        return "geen analyticsverzoek na accepteren"
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    text = f"mediaan {median:.0f} ms ({values[0]:.0f}–{values[-1]:.0f} ms) over {len(values)} pagina's"
    if jobs > 1 and len(pages) > 1:
        text += f" ({jobs} pagina's tegelijk bezocht; --jobs 1 meet zuiverder)"
    return text


def render(report: dict, screenshots: list[dict]) -> str:
    verdict = report["verdict"]
    parts = [
        "<!doctype html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Cookie-audit {escape(report['url'])}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>Cookie-audit van {escape(report['url'])}</h1>",
        f'<p class="muted">Uitgevoerd op {dutch_date(report["date"])} met <code>scripts/audit</code>.</p>',
        verdict_box(verdict),
        facts(report),
        declaration(verdict),
        observed(verdict, report["date"]),
        pages(report),
        shots(screenshots),
        legend(),
        "</main></body></html>",
    ]
    return "\n".join(parts)


def items(findings: list[dict]) -> str:
    out = []
    for f in findings:
        where = ""
        if f.get("pages"):
            shown = ", ".join(f["pages"][:4]) + (" …" if len(f["pages"]) > 4 else "")
            where = f' <span class="where">({len(f["pages"])} pagina(’s): {escape(shown)})</span>'
        out.append(f"<li>{escape(f['text'])}{where}</li>")
    return "".join(out)


def verdict_box(verdict: dict) -> str:
    failures, warnings = verdict["failures"], verdict["warnings"]
    head = "Geslaagd" if verdict["passed"] else "Niet geslaagd"
    html = [f'<section class="verdict {"pass" if verdict["passed"] else "fail"}" id="verdict">']
    html.append(f"<h2>Oordeel: {head}</h2>")
    html.append(f"{len(failures)} fout(en), {len(warnings)} waarschuwing(en).")
    if failures:
        html.append(f"<ul>{items(failures)}</ul>")
    html.append("</section>")
    if warnings:
        html.append(f'<h3>Waarschuwingen</h3><ul class="findings">{items(warnings)}</ul>')
    return "".join(html)


def facts(report: dict) -> str:
    site, decl = report["site"], report["declaration"]
    languages = sorted({p["lang"] for p in report["pages"]})
    mode = (
        "offline: Google Analytics vervangen door een stub die _ga en _ga_&lt;ID&gt; zet; andere externe verzoeken geblokkeerd"
        if report["offline"]
        else "echt netwerk: niets omgeleid"
    )
    target = (
        "een preview van de huidige build (lokaal gebouwd en op 127.0.0.1 geserveerd met de gegenereerde headers)"
        if report["target"] == "preview"
        else "de opgegeven URL"
    )
    rows = [
        ("Adres", f"<code>{escape(report['url'])}</code> — {target}"),
        ("Datum", dutch_date(report["date"])),
        (
            "Privacybeleid (versie)",
            escape(str(site.get("policy_version") or "niet gevonden (geen versions.json)")),
        ),
        (
            "Toestemmingsrevisie",
            escape(str(site.get("consent_revision") or "niet gevonden (geen #consent-config)")),
        ),
        (
            "Verklaring",
            f"uit het lokale project: <code>{escape(decl['source'])}</code>"
            + (f" (commit {escape(decl['commit'])})" if decl.get("commit") else "")
            + f", revisie {escape(str(decl['revision']))}; niet van de site zelf gelezen",
        ),
        (
            "Pagina's",
            f"{len(report['pages'])}, in {len(languages)} taal/talen: {escape(', '.join(languages))}",
        ),
        ("Netwerk", mode),
        ("Voorkeuren", preticked(report.get("preferences") or {})),
        ("Klik → analytics", escape(timing(report["pages"], report.get("jobs", 1)))),
        ("Browser", f"Chromium {escape(report['chromium'])}, elke stap als nieuwe bezoeker"),
        ("Duur", f"{report['seconds']} s"),
    ]
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.get("notes", []))
    html = "<h2>Gegevens van de audit</h2><dl class='facts'>"
    html += "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"
    if notes:
        html += f"<ul class='findings'>{notes}</ul>"
    return html


def preticked(checks: dict) -> str:
    """Per language: whether an optional box was ticked before the visitor touched it."""
    parts = []
    for language, check in checks.items():
        if not check["tested"]:
            parts.append(f'{escape(language)}: <span class="warn">niet te openen</span>')
        elif check["preticked"]:
            ticked = ", ".join(f"„{label}”" for label in check["preticked"])
            parts.append(f'{escape(language)}: <span class="bad">vooraf aangevinkt: {escape(ticked)}</span>')
        else:
            parts.append(f'{escape(language)}: <span class="ok">niets vooraf aangevinkt</span>')
    return "; ".join(parts) or "niet getest"


def declaration(verdict: dict) -> str:
    rows = []
    for d in verdict["declaration"]:
        seen = (
            f'<span class="ok">gezien</span>: {escape(", ".join(d["seen"]))}'
            if d["seen"]
            else '<span class="warn">nergens gezien</span>'
        )
        rows.append(
            f"<tr><td><code>{escape(d['name'])}</code></td><td>{escape(d['storage'])}</td>"
            f"<td>{escape(CATEGORIES.get(d['category'], d['category']))}</td><td>{escape(d['provider'])}</td><td>{seen}</td></tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="5">De verklaring is leeg.</td></tr>')
    return (
        "<h2>De verklaring tegen wat er werkelijk is opgeslagen</h2>"
        "<table><tr><th>Naam (* = voorvoegsel)</th><th>Soort</th><th>Categorie</th><th>Aanbieder</th>"
        f"<th>Tijdens de audit</th></tr>{''.join(rows)}</table>"
    )


def observed(verdict: dict, audited: str) -> str:
    rows = []
    for o in verdict["observed"]:
        status = (
            f'<span class="ok">verklaard</span> als <code>{escape(o["declared_as"])}</code>'
            if o["declared_as"]
            else '<span class="bad">niet verklaard</span>'
        )
        expires = lifetime(o["expires"], audited) if o["storage"] == "cookie" else "—"
        domain = o["domain"] or "(origin van de site)"
        if o.get("third_party"):
            domain += " (derde partij)"
        phases = ", ".join(PHASES[p] for p in o["phases"])
        rows.append(
            f"<tr><td><code>{escape(o['name'])}</code></td><td>{escape(o['storage'])}</td><td>{escape(domain)}</td>"
            f"<td>{escape(expires)}</td><td>{escape(phases)}</td><td>{len(o['pages'])}</td><td>{status}</td></tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="7">Niets opgeslagen.</td></tr>')
    return (
        "<h2>Alle cookies en opslag die de audit zag</h2>"
        "<table><tr><th>Naam</th><th>Soort</th><th>Domein</th><th>Verloopt</th><th>Wanneer</th>"
        f"<th>Pagina's</th><th>Oordeel</th></tr>{''.join(rows)}</table>"
    )


def names(data: dict) -> str:
    stored = (
        [c["name"] for c in data.get("cookies", [])]
        + data.get("localStorage", [])
        + data.get("sessionStorage", [])
    )
    return ", ".join(stored) if stored else "niets"


def cell(phase: str, data: dict | None) -> str:
    if data is None:
        return '<td class="muted">—</td>'
    if data.get("tested") is False:
        return '<td class="warn">niet getest</td>'
    third = data.get("third_party", [])
    lines = []
    if phase == "accept":
        hosts = data.get("hosts", {})
        lines.append(
            "verzoeken: "
            + (", ".join(f"{escape(h)} ({n})" for h, n in hosts.items()) if hosts else "geen externe")
        )
        ms = data.get("analytics_ms")
        lines.append(f"klik → analytics: {ms} ms" if ms is not None else "klik → analytics: geen")
    else:
        css = "bad" if third and phase != "withdraw" else "ok"
        lines.append(f'<span class="{css}">{len(third)} extern</span>')
        if phase in ("reject", "gpc", "withdraw"):
            lines.append(f"analytics: {len(data.get('analytics', []))}")
    lines.append("opgeslagen: " + escape(names(data)))
    csp, errors = data.get("csp", []), data.get("errors", [])
    if csp:
        lines.append(f'<span class="bad">{len(csp)} CSP-schending(en)</span>')
    if errors:
        css = "bad" if any(e["kind"] == "page" for e in errors) else "warn"
        lines.append(f'<span class="{css}">{len(errors)} consolefout(en)</span>')
    if phase in ("before", "gpc") and "banner" in data:
        lines.append("banner: " + ("zichtbaar" if data["banner"] else "niet zichtbaar"))
    return "<td>" + "<br>".join(lines) + "</td>"


def pages(report: dict) -> str:
    html = ["<h2>Per taal en per pagina</h2>"]
    by_language: dict[str, list] = {}
    for page in report["pages"]:
        by_language.setdefault(page["lang"], []).append(page)
    for language, group in by_language.items():
        html.append(f"<h3>Taal: {escape(language)}</h3><table><tr><th>Pagina</th>")
        html += [f"<th>{label}</th>" for label in PHASES.values()]
        html.append("<th>Oordeel</th></tr>")
        for page in group:
            fails = [f for f in page["findings"] if f["level"] == "fail"]
            warns = [f for f in page["findings"] if f["level"] == "warn"]
            mark = '<span class="bad">fout</span>' if fails else '<span class="ok">goed</span>'
            if warns:
                mark += f'<br><span class="warn">{len(warns)} waarschuwing(en)</span>'
            html.append(f"<tr><td><code>{escape(page['path'])}</code></td>")
            html += [cell(phase, page["phases"].get(phase)) for phase in PHASES]
            html.append(f"<td>{mark}</td></tr>")
            if page["findings"]:
                html.append(
                    f'<tr><td></td><td colspan="{len(PHASES) + 1}"><ul class="findings">{items(page["findings"])}</ul></td></tr>'
                )
        html.append("</table>")
    return "".join(html)


def shots(screenshots: list[dict]) -> str:
    if not screenshots:
        return "<h2>Schermafbeeldingen</h2><p class='muted'>Geen: er was geen banner te zien, of --no-screenshots.</p>"
    html = ["<h2>Schermafbeeldingen van de banner en de voorkeuren</h2>"]
    by_language: dict[str, list] = {}
    for s in screenshots:
        by_language.setdefault(s["lang"], []).append(s)
    for language, group in by_language.items():
        html.append(f"<h3>Taal: {escape(language)} ({escape(group[0]['path'])})</h3><div class='shots'>")
        for s in group:
            data = base64.b64encode(s["jpeg"]).decode()
            alt = f"{s['view']} op {s['device']}, taal {language}"
            html.append(
                f"<figure class='{s['device']}'><img alt='{escape(alt)}' src='data:image/jpeg;base64,{data}'>"
                f"<figcaption>{escape(s['view'].capitalize())} — {escape(s['device'])}</figcaption></figure>"
            )
        html.append("</div>")
    return "".join(html)


def legend() -> str:
    return """<h2>Zo leest u dit rapport</h2><ul>
<li><b>Vóór een keuze</b>: een nieuwe bezoeker opent de pagina en kiest niets. Elk verzoek naar een andere
origin en alle opslag die niet als noodzakelijk is verklaard, zijn een fout.</li>
<li><b>Na weigeren</b>: dezelfde bezoeker weigert en opent de pagina opnieuw. Er mag geen analytics en geen extern
verzoek volgen; alleen noodzakelijke opslag (de keuze zelf) mag bestaan.</li>
<li><b>Na accepteren</b>: een andere nieuwe bezoeker accepteert. Vermeld zijn de externe verzoeken per host, de tijd van
de klik tot het eerste analyticsverzoek, en wat er is opgeslagen. Alles wat niet in de verklaring staat is een fout.</li>
<li><b>Na intrekken</b>: dezelfde bezoeker trekt zijn toestemming in via „Cookie-instellingen” en opent de pagina opnieuw.
Een cookie van een niet-noodzakelijke categorie die blijft staan, of nieuwe analytics, is een fout.</li>
<li><b>Global Privacy Control</b>: een nieuwe bezoeker wiens browser GPC meestuurt. Analytics is dan een fout.</li>
<li><b>CSP-schendingen</b> betekenen dat de pagina iets probeert te laden dat haar eigen beveiligingsbeleid verbiedt,
bijvoorbeeld een script dat de host heeft ingevoegd: een fout. <b>Consolefouten</b> (zoals een 404) zijn waarschuwingen.</li>
<li><b>Nergens gezien</b>: een verklaarde cookie die de audit niet tegenkwam. Een waarschuwing: de verklaring kan te ruim zijn,
of de dienst zette in deze omstandigheden niets.</li>
</ul>"""
