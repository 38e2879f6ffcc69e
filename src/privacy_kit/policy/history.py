"""The version history: the table on the history page, one Atom feed per language, and
versions.json, all from the timeline of published versions.

``<!-- policy-history -->`` on the history page becomes the table of versions (in force,
announced, superseded), with summaries in the page's language where there is one.
"""

from __future__ import annotations

import html
import json
from xml.etree import ElementTree

from mkdocs.utils import get_relative_url

from ..markup import table
from .model import Timeline

MARKER = "<!-- policy-history -->"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def summary_of(version: dict, language: str, default: str) -> tuple[str, str]:
    """A version's summary in ``language`` if written, else the default language's; and its language."""
    if version["summary"].get(language):
        return version["summary"][language], language
    return version["summary"][default], default


def history_html(line: Timeline, texts, language: str, page_url: str) -> str:
    files = line.files
    default = files.default
    t = texts[language]["versions"]
    rows = []
    for index in range(len(line.versions) - 1, -1, -1):
        v = line.versions[index]
        target, own_language = files.archive_target(v["version"], language)
        text_label = (t["text_link"] if own_language else t["text_link_original"]).format(
            version=v["version"]
        )
        hreflang = "" if own_language else f' hreflang="{default}"'
        text_cell = f'<a href="{get_relative_url(target, page_url)}"{hreflang}>{html.escape(text_label)}</a>'
        if index:
            label = t["changes_link"].format(previous=line.versions[index - 1]["version"])
            redline = get_relative_url(files.redline(v["version"]), page_url)
            changes = f'<a href="{redline}" hreflang="{default}">{html.escape(label)}</a>'
        else:
            changes = html.escape(t["first"])
        status = line.status(v["version"])
        marker = (
            f' <span class="policy-status">{html.escape(t["status"][status])}</span>'
            if status != "superseded"
            else ""
        )
        summary, summary_language = summary_of(v, language, default)
        if summary_language != language:
            summary_cell = f'<span lang="{summary_language}">{html.escape(summary)}</span> {html.escape(t["summary_in_original"])}'
        else:
            summary_cell = html.escape(summary)
        rows.append(
            f'<tr data-version="{v["version"]}" data-status="{status}"><td>{v["version"]}{marker}</td>'
            f'<td><time datetime="{v["date"].isoformat()}">{texts.when(v["date"], language)}</time></td>'
            f"<td>{summary_cell}</td><td>{text_cell}</td><td>{changes}</td></tr>"
        )
    headings = [t[k] for k in ("version", "date", "summary", "text", "changes")]
    return table("policy-history", t["caption"], headings, rows)


def _sub(parent, tag: str, text: str | None = None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _stamp(date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def feed_xml(line: Timeline, texts, language: str, site: str, root: str, author: str) -> bytes:
    """The Atom feed of policy versions in ``language`` (its home at ``site`` + ``root``), newest
    first, announced ones included."""
    files = line.files
    t = texts[language]["versions"]
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _sub(feed, "title", t["feed_title"])
    _sub(feed, "id", f"{site}{root}feed.xml")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{site}{root}feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{site}{root}{files.folder}/")
    updated = max((v["published"] for v in line.versions), default=line.today)
    _sub(feed, "updated", _stamp(updated))
    _sub(_sub(feed, "author"), "name", author)
    for index in range(len(line.versions) - 1, -1, -1):
        v = line.versions[index]
        target, own_language = files.archive_target(v["version"], language)
        entry = _sub(feed, "entry")
        title = t["feed_entry"].format(version=v["version"], date=texts.when(v["date"], language))
        _sub(entry, "title", title)
        _sub(entry, "id", f"{site}{root}{files.folder}/{v['version']}/")
        link = _sub(entry, "link", rel="alternate", type="text/html", href=site + target)
        if not own_language:
            link.set("hreflang", files.default)
        if index:
            _sub(
                entry,
                "link",
                rel="related",
                type="text/html",
                hreflang=files.default,
                href=site + files.redline(v["version"]),
            )
        _sub(entry, "published", _stamp(v["published"]))
        _sub(entry, "updated", _stamp(v["published"]))
        summary, summary_language = summary_of(v, language, files.default)
        element = _sub(entry, "summary", summary)
        if summary_language != language:
            element.set(XML_LANG, summary_language)
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def versions_json(line: Timeline, languages, site: str) -> str:
    files = line.files
    items = []
    for index, v in enumerate(line.versions):
        targets = {lang: files.archive_target(v["version"], lang) for lang in languages}
        texts_by_language = {lang: site + target for lang, (target, own) in targets.items() if own}
        items.append(
            {
                "version": v["version"],
                "date": v["date"].isoformat(),
                "published": v["published"].isoformat(),
                "status": line.status(v["version"]),
                "summary": v["summary"],
                "url": f"{site}{files.folder}/{v['version']}/",
                "texts": texts_by_language,
                "changes_url": site + files.redline(v["version"]) if index else None,
                "sha256": v["files"],
                "corrections": [{**c, "date": c["date"].isoformat()} for c in v["corrections"]],
            }
        )
    data = {
        "current": line.in_force["version"] if line.in_force else None,
        "announced": [v["version"] for v in line.announced],
        "built": line.today.isoformat(),
        "versions": items,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
