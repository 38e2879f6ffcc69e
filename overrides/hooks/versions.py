"""Policy versions: a frozen archive, the history page, generated redlines, a feed and versions.json.

- ``docs/versies/versions.yml`` (written by scripts/new-version) lists every published version
  with its date, summary and the sha256 of each archived file. The build fails when an archived
  text was edited, when the archive holds an unrecorded file, or when the current policy's
  front matter disagrees with the last published version.
- For each version after the first, a redline page ``versies/<version>/wijzigingen/`` is
  generated here: word-level differences of the Dutch text against the previous version, per
  section, marked with <del> and <ins>.
- ``<!-- policy-history -->`` on the history page becomes the table of versions.
- ``feed.xml`` (Atom) and ``versions.json`` are written at the end of the build.
- When the cookie list changed since the last published version but the consent revision did
  not, a warning says to raise it (a strict build fails).
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import logging
import re
from pathlib import Path

from atomic import write_atomic
from babel.dates import format_date
from markup import table
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data
from policy import ARCHIVE_DIR, archive_target, load_versions, verify_archive
from texts import inner_language_build, languages, texts

log = logging.getLogger("mkdocs.hooks.versions")

HISTORY_MARKER = "<!-- policy-history -->"
REDLINE_PAGE = "wijzigingen"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{\s*#([\w-]+)\s*\})?\s*$")


def cookie_fingerprint(extra: dict) -> str:
    """A hash of the cookie list, recorded per version to notice changes that need a new revision."""
    categories = (extra.get("cookie_consent") or {}).get("categories") or {}
    return hashlib.sha256(json.dumps(categories, sort_keys=True, default=str).encode()).hexdigest()


# --- Redlines ----------------------------------------------------------------------------------


def sections(markdown: str, intro: str) -> list[tuple[str, str, list[str]]]:
    """(anchor, heading, paragraphs of plain text) per h2 section; text before the first h2
    (after the title) is the introduction."""
    body = re.sub(r"<!--.*?-->", "", get_data(markdown)[0], flags=re.S)
    result = [("", intro, [])]
    for raw in body.splitlines():
        line = raw.strip()
        heading = HEADING.match(line)
        if heading and len(heading[1]) == 1:
            continue  # the title
        if heading and len(heading[1]) == 2:
            result.append((heading[3] or heading[2], heading[2], []))
            continue
        text = heading[2] if heading else line
        text = re.sub(r"<[^>]+>", "", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"^[-*]\s+", "", text)
        if text and not re.fullmatch(r"\{[^}]*\}", text):
            result[-1][2].append(text)
    return [s for s in result if s[0] or s[2]]


def word_diff(old: list[str], new: list[str]) -> str:
    """Paragraphs of HTML with <del>/<ins> around the words that differ."""

    def tokens(paragraphs):
        out = []
        for paragraph in paragraphs:
            out += paragraph.split() + ["\n"]
        return out

    a, b = tokens(old), tokens(new)
    marked = []  # (kind, token)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            marked += [("equal", t) for t in b[j1:j2]]
        else:
            marked += [("del", t) for t in a[i1:i2]] + [("ins", t) for t in b[j1:j2]]
    paragraphs, current = [], []
    for kind, token in marked:
        if token == "\n":
            if current:
                paragraphs.append(current)
            current = []
        else:
            current.append((kind, token))
    if current:
        paragraphs.append(current)
    rendered = []
    for paragraph in paragraphs:
        parts, run_kind, run = [], None, []
        for kind, token in [*paragraph, (None, None)]:
            if kind != run_kind and run:
                words = html.escape(" ".join(run))
                parts.append(words if run_kind == "equal" else f"<{run_kind}>{words}</{run_kind}>")
                run = []
            run_kind = kind
            if token is not None:
                run.append(token)
        rendered.append("<p>" + " ".join(parts) + "</p>")
    return "".join(rendered)


def redline_markdown(old_md: str, new_md: str, version: dict, previous: dict, language: str) -> str:
    t = texts(language)["versions"]
    old = {anchor: (heading, paras) for anchor, heading, paras in sections(old_md, t["intro"])}
    new = sections(new_md, t["intro"])
    order = [anchor for anchor, _, _ in new] + [a for a in old if a not in {n[0] for n in new}]
    new_by_anchor = {anchor: (heading, paras) for anchor, heading, paras in new}
    parts = []
    for anchor in order:
        heading, new_paras = new_by_anchor.get(anchor, (old.get(anchor, ("", []))[0], []))
        old_paras = old.get(anchor, ("", []))[1]
        if old_paras == new_paras:  # one quiet line, so the changes stand out
            parts.append(
                f'<p class="policy-redline-section" data-redline="unchanged">{html.escape(heading)} — {html.escape(t["unchanged"])}</p>'
            )
            continue
        id_attr = f' id="{html.escape(anchor)}"' if anchor else ""
        parts.append(
            f'<section class="policy-redline-section" data-redline="changed"><h2{id_attr}>{html.escape(heading)}</h2>'
            f"{word_diff(old_paras, new_paras)}</section>"
        )

    def when(entry):
        return format_date(entry["date"], "d MMMM yyyy", locale=language)

    title = t["redline_title"].format(version=version["version"])
    intro = t["redline_intro"].format(
        previous=previous["version"],
        previous_date=when(previous),
        version=version["version"],
        date=when(version),
    )
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsearch:\n  exclude: true\n---\n\n"
        f"# {title}\n\n{html.escape(intro)}\n{{ .policy-redline-intro }}\n\n"
        f'<div class="policy-redline" lang="nl">{"".join(parts)}</div>\n'
    )


# --- Build events ------------------------------------------------------------------------------

_versions: list[dict] = []


def on_pre_build(config):
    global _versions
    _versions = load_versions(config.docs_dir)
    problems = verify_archive(config.docs_dir, _versions)
    if problems:
        raise PluginError("Policy archive check failed:\n  " + "\n  ".join(problems))
    consent = (
        (config.extra.get("cookie_consent") or {})
        if isinstance(config.extra.get("cookie_consent"), dict)
        else {}
    )
    recorded = _versions[-1]["consent"] if _versions else {}
    if (
        recorded
        and recorded.get("cookies_sha256") != cookie_fingerprint(config.extra)
        and recorded.get("revision") == consent.get("revision")
    ):
        log.warning(
            "The cookie list in extra.cookie_consent changed since policy version %s, but the consent "
            "revision is still %s: raise extra.cookie_consent.revision so every visitor is asked again",
            _versions[-1]["version"],
            consent.get("revision"),
        )


@event_priority(-150)  # after static-i18n sorted the files per language: it cannot take generated ones
def on_files(files, config):
    """One generated redline page per version after the first (Dutch: the binding text)."""
    default, _ = languages(config)
    if config.theme["language"] != default:
        return files
    docs = Path(config.docs_dir)
    for previous, version in zip(_versions, _versions[1:], strict=False):
        old = (docs / ARCHIVE_DIR / previous["version"] / "index.md").read_text(encoding="utf-8")
        new = (docs / ARCHIVE_DIR / version["version"] / "index.md").read_text(encoding="utf-8")
        content = redline_markdown(old, new, version, previous, default)
        files.append(
            File.generated(config, f"{ARCHIVE_DIR}/{version['version']}/{REDLINE_PAGE}.md", content=content)
        )
    return files


def history_html(page, config) -> str:
    language = config.theme["language"]
    t = texts(language)["versions"]
    rows = []
    for index in range(len(_versions) - 1, -1, -1):
        v = _versions[index]
        target, own_language = archive_target(config.docs_dir, v["version"], language, languages(config)[0])
        text_label = (t["text_link"] if own_language else t["text_link_dutch"]).format(version=v["version"])
        hreflang = "" if own_language else ' hreflang="nl"'
        text_cell = f'<a href="{get_relative_url(target, page.url)}"{hreflang}>{html.escape(text_label)}</a>'
        if index:
            redline = f"{ARCHIVE_DIR}/{v['version']}/{REDLINE_PAGE}/"
            label = t["changes_link"].format(previous=_versions[index - 1]["version"])
            changes = (
                f'<a href="{get_relative_url(redline, page.url)}" hreflang="nl">{html.escape(label)}</a>'
            )
        else:
            changes = html.escape(t["first"])
        marker = f" {html.escape(t['current_marker'])}" if index == len(_versions) - 1 else ""
        summary = v["summary"].get(language) or v["summary"]["nl"]
        when = format_date(v["date"], "d MMMM yyyy", locale=language)
        rows.append(
            f'<tr data-version="{v["version"]}"><td>{v["version"]}{marker}</td>'
            f'<td><time datetime="{v["date"].isoformat()}">{when}</time></td>'
            f"<td>{html.escape(summary)}</td><td>{text_cell}</td><td>{changes}</td></tr>"
        )
    headings = [t[k] for k in ("version", "date", "summary", "text", "changes")]
    return table("policy-history", t["caption"], headings, rows)


def on_page_content(html_text, page, config, files):
    if HISTORY_MARKER in html_text:
        html_text = html_text.replace(HISTORY_MARKER, history_html(page, config))
    return html_text


def on_page_context(context, page, config, nav):
    context["feed_url"] = "feed.xml"
    context["feed_title"] = texts(config.theme["language"])["versions"]["feed_title"]
    return context


def on_template_context(context, template_name, config):
    return on_page_context(context, None, config, None)


def feed_xml(config) -> str:
    site = config.site_url.rstrip("/") + "/"
    t = texts(languages(config)[0])["versions"]
    entries = []
    for index, v in enumerate(_versions):
        url = f"{site}{ARCHIVE_DIR}/{v['version']}/"
        changes = (
            f'<link rel="related" href="{site}{ARCHIVE_DIR}/{v["version"]}/{REDLINE_PAGE}/"/>'
            if index
            else ""
        )
        entries.append(
            "  <entry>\n"
            f"    <title>{html.escape(t['version'])} {v['version']}</title>\n"
            f"    <id>{url}</id>\n"
            f'    <link rel="alternate" href="{url}"/>{changes}\n'
            f"    <updated>{v['date'].isoformat()}T00:00:00Z</updated>\n"
            f"    <summary>{html.escape(v['summary']['nl'])}</summary>\n"
            "  </entry>\n"
        )
    updated = _versions[-1]["date"].isoformat() if _versions else "1970-01-01"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">\n'
        f"  <title>{html.escape(t['feed_title'])}</title>\n"
        f"  <id>{site}feed.xml</id>\n"
        f'  <link rel="self" href="{site}feed.xml"/>\n'
        f'  <link rel="alternate" href="{site}{ARCHIVE_DIR}/"/>\n'
        f"  <updated>{updated}T00:00:00Z</updated>\n"
        f"  <author><name>{html.escape(config.site_author or config.site_name)}</name></author>\n"
        + "".join(reversed(entries))
        + "</feed>\n"
    )


def versions_json(config) -> str:
    site = config.site_url.rstrip("/") + "/"
    items = []
    for index, v in enumerate(_versions):
        items.append(
            {
                "version": v["version"],
                "date": v["date"].isoformat(),
                "summary": v["summary"],
                "url": f"{site}{ARCHIVE_DIR}/{v['version']}/",
                "changes_url": f"{site}{ARCHIVE_DIR}/{v['version']}/{REDLINE_PAGE}/" if index else None,
                "sha256": v["files"],
            }
        )
    current = _versions[-1]["version"] if _versions else None
    return json.dumps({"current": current, "versions": items}, ensure_ascii=False, indent=2) + "\n"


@event_priority(-200)  # after static-i18n has built every language
def on_post_build(config):
    if inner_language_build(config):
        return
    write_atomic(Path(config.site_dir) / "feed.xml", feed_xml(config))
    write_atomic(Path(config.site_dir) / "versions.json", versions_json(config))
