"""Policy versions: the archive check, drafts, the history page, generated redlines, feeds and
versions.json.

- ``docs/versies/versions.yml`` (written by scripts/new-version and scripts/correct-translation)
  lists every published version with its date, summaries and the sha256 of each archived file.
  The build fails when an archived text was edited, when the archive holds an unrecorded file,
  or when the current policy's front matter disagrees with the last published version.
- A working policy text that differs from what was published is a draft (see policy.drafts):
  ``mkdocs serve`` shows it, with a live redline at ``versies/concept/wijzigingen/``; any other
  build refuses it, naming the command that publishes or records it.
- For each version after the first, a redline page ``versies/<version>/wijzigingen/`` is
  generated here: the Dutch text against the previous version, section by section, keeping
  headings, paragraphs and lists, with the changed words marked by <del> and <ins>.
- ``<!-- policy-history -->`` on the history page becomes the table of versions (in force,
  announced, superseded), with summaries in the page's language where there is one.
- ``feed.xml`` (Atom, one per language) and ``versions.json`` are written at the end of the build.
- What the banner showed per consent revision is checked by consent_archive.py.
"""

from __future__ import annotations

import difflib
import html
import itertools
import json
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

from atomic import write_atomic
from markup import table
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data
from policy import (
    ARCHIVE_DIR,
    DRAFTS,
    POLICY_PAGE,
    archive_target,
    archived_name,
    build_date,
    drafts,
    drafts_allowed,
    timeline,
    verify_archive,
)
from texts import inner_language_build, language_root, languages, texts, when

log = logging.getLogger("mkdocs.hooks.versions")

HISTORY_MARKER = "<!-- policy-history -->"
REDLINE_PAGE = "wijzigingen"
DRAFT_DIR = f"{ARCHIVE_DIR}/concept"  # the live redline of a draft, under scripts/serve only
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# --- Redlines ----------------------------------------------------------------------------------

COMMENT = re.compile(r"<!--.*?-->", re.S)
# Lines that only open or close a block (<ol …>, </address>) or carry attributes ({ .x }).
STRUCTURE = re.compile(r"^(</?[a-z][a-z0-9]*(\s[^>]*)?>|\{[^}]*\})$")
BLOCK = re.compile(
    r"^(?P<prefix>#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|<li>)?(?P<content>.*?)"
    r"(?P<suffix>\s*\{\s*#[\w-]+\s*\}|</li>|<br>)?$"
)
# Words, with a markdown link or an HTML tag kept whole, so a mark never splits one.
TOKEN = re.compile(r"\[[^\]]*\]\([^)]*\)|<[^>]+>|\S+")
HTML_MARKS = ("<del>", "</del>", "<ins>", "</ins>")
TEXT_MARKS = ("[-", "-]", "{+", "+}")  # as `git diff --word-diff` writes them


@dataclass(frozen=True)
class Line:
    """One markdown line: a block's markup (prefix, suffix) around its words (content)."""

    prefix: str
    content: str
    suffix: str
    structure: bool  # a blank line or markup only: kept, never marked

    def render(self, content: str | None = None) -> str:
        return self.prefix + (self.content if content is None else content) + self.suffix

    def marked(self, opening: str, closing: str) -> str:
        return (
            self.render()
            if self.structure or not self.content
            else self.render(opening + self.content + closing)
        )


def parse_line(raw: str) -> Line:
    line = raw.strip()
    if not line or STRUCTURE.match(line):
        return Line("", line, "", True)
    match = BLOCK.match(line)
    return Line(match["prefix"] or "", match["content"], match["suffix"] or "", False)


def sections(markdown: str, intro: str) -> list[tuple[str, Line, list[Line]]]:
    """(anchor, heading line, body lines) per h2 section of a policy text; what stands before
    the first h2 (after the title) is the introduction, headed ``intro``."""
    result = [("", Line("## ", intro, "", False), [])]
    for raw in COMMENT.sub("", get_data(markdown)[0]).splitlines():
        line = parse_line(raw)
        if line.prefix.strip() == "#":
            continue  # the title
        if line.prefix.strip() == "##":
            anchor = re.search(r"#([\w-]+)", line.suffix)
            result.append((anchor[1] if anchor else line.content, line, []))
            continue
        body = result[-1][2]
        if not (line.structure and not line.content and (not body or not body[-1].content)):
            body.append(line)  # blank lines folded to one, none leading
    for _, _, body in result:
        while body and body[-1].structure and not body[-1].content:
            body.pop()
    return [s for s in result if s[0] or any(line.content for line in s[2])]


def word_diff(old: str, new: str, marks: tuple[str, str, str, str] = HTML_MARKS) -> str:
    """``new`` with the words that differ from ``old`` marked as deleted and inserted."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(" ".join(b[j1:j2]))
            continue
        if i2 > i1:
            parts.append(marks[0] + " ".join(a[i1:i2]) + marks[1])
        if j2 > j1:
            parts.append(marks[2] + " ".join(b[j1:j2]) + marks[3])
    return " ".join(parts)


def lines_diff(old: list[Line], new: list[Line], marks: tuple[str, str, str, str] = HTML_MARKS) -> list[str]:
    """The lines of ``new`` with ``old``'s deleted lines put back in place, changed words marked;
    a line keeps its markup, so headings stay headings and list items stay in their list."""
    out = []
    matcher = difflib.SequenceMatcher(None, [line.render() for line in old], [line.render() for line in new])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [line.render() for line in new[j1:j2]]
            continue
        for o, n in itertools.zip_longest(old[i1:i2], new[j1:j2]):
            if o and n and not o.structure and not n.structure and o.prefix == n.prefix:
                out.append(n.render(word_diff(o.content, n.content, marks)))
                continue
            if o:
                out.append(o.marked(*marks[:2]))
            if n:
                out.append(n.marked(*marks[2:]))
    return out


def redline_markdown(old_md: str, new_md: str, title: str, intro: str, language: str) -> str:
    """A page of the changes from ``old_md`` to ``new_md``: changed sections in full with their
    structure, unchanged ones as one quiet line so the changes stand out."""
    t = texts(language)["versions"]
    parts = []
    for heading, body in section_changes(old_md, new_md, t["intro"]):
        if body is None:  # one quiet line, so the changes stand out
            parts.append(
                f'<p class="policy-redline-section" data-redline="unchanged">{html.escape(heading.content)} — '
                f"{html.escape(t['unchanged'])}</p>"
            )
            continue
        parts.append(
            '<section class="policy-redline-section" data-redline="changed" markdown>\n\n'
            f"{heading.render()}\n\n" + "\n".join(body) + "\n\n</section>"
        )
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsearch:\n  exclude: true\n---\n\n"
        f"# {title}\n\n{html.escape(intro)}\n{{ .policy-redline-intro }}\n\n"
        f'<div class="policy-redline" lang="nl" markdown>\n\n' + "\n\n".join(parts) + "\n\n</div>\n"
    )


def section_pairs(old_md: str, new_md: str, intro: str):
    """Per section, in reading order (the new order, removed sections after):
    (anchor, old heading, new heading, old lines, new lines); a side is None/[] when absent."""
    old = {anchor: (heading, body) for anchor, heading, body in sections(old_md, intro)}
    new = {anchor: (heading, body) for anchor, heading, body in sections(new_md, intro)}
    for anchor in list(new) + [a for a in old if a not in new]:
        old_heading, old_lines = old.get(anchor, (None, []))
        new_heading, new_lines = new.get(anchor, (None, []))
        yield anchor, old_heading, new_heading, old_lines, new_lines


def section_changes(old_md: str, new_md: str, intro: str, marks: tuple[str, str, str, str] = HTML_MARKS):
    """Per section in reading order: (heading, None) when unchanged, else (heading with its
    changed words marked, the section's lines with the changes marked by ``lines_diff``)."""
    for _anchor, old_heading, new_heading, old_lines, new_lines in section_pairs(old_md, new_md, intro):
        if old_heading and new_heading:
            if old_heading.content == new_heading.content and old_lines == new_lines:
                yield new_heading, None
                continue
            heading = replace(new_heading, content=word_diff(old_heading.content, new_heading.content, marks))
        elif old_heading:  # a section removed
            heading = replace(old_heading, content=marks[0] + old_heading.content + marks[1])
        else:  # a section added
            heading = replace(new_heading, content=marks[2] + new_heading.content + marks[3])
        yield heading, lines_diff(old_lines, new_lines, marks)


def version_redline(docs: Path, version: dict, previous: dict, language: str) -> str:
    t = texts(language)["versions"]
    old = (docs / archived_name(previous["version"], language, language)).read_text(encoding="utf-8")
    new = (docs / archived_name(version["version"], language, language)).read_text(encoding="utf-8")
    intro = t["redline_intro"].format(
        previous=previous["version"],
        previous_date=when(previous["date"], language),
        version=version["version"],
        date=when(version["date"], language),
    )
    return redline_markdown(old, new, t["redline_title"].format(version=version["version"]), intro, language)


# --- Build events ------------------------------------------------------------------------------


def on_startup(command, dirty):
    """Under `mkdocs serve` a draft is shown (with a notice and a live redline), not refused."""
    DRAFTS["allowed"] = command == "serve"


def on_pre_build(config):
    default, others = languages(config)
    if config.theme["language"] != default:
        return  # static-i18n's builds of the other languages: checked once, in the default one
    problems = verify_archive(config.docs_dir, timeline(config.docs_dir).versions)
    if problems:
        raise PluginError("Policy archive check failed:\n  " + "\n  ".join(problems))
    found = drafts(config.docs_dir, default, others)
    if found and not drafts_allowed():
        raise PluginError(
            "A production build publishes only published texts; found drafts:\n  "
            + "\n  ".join(map(str, found))
            + "\n(scripts/serve shows drafts with a notice and their changes.)"
        )
    for draft in found:
        log.info("Draft shown (not published): %s", draft)


def dutch_draft(config) -> dict | None:
    """The Dutch working text's draft, when one is being shown (scripts/serve)."""
    default, others = languages(config)
    if not drafts_allowed():
        return None
    return next(
        ({"version": d.version} for d in drafts(config.docs_dir, default, others) if d.path == POLICY_PAGE),
        None,
    )


@event_priority(-150)  # after static-i18n sorted the files per language: it cannot take generated ones
def on_files(files, config):
    """One generated redline page per version after the first (Dutch: the binding text), and
    under scripts/serve one for the draft."""
    default, _ = languages(config)
    if config.theme["language"] != default:
        return files
    docs = Path(config.docs_dir)
    for previous, version in itertools.pairwise(timeline(docs).versions):
        content = version_redline(docs, version, previous, default)
        files.append(
            File.generated(config, f"{ARCHIVE_DIR}/{version['version']}/{REDLINE_PAGE}.md", content=content)
        )
    draft = dutch_draft(config)
    if draft:
        t = texts(default)["versions"]
        old = (docs / archived_name(draft["version"], default, default)).read_text(encoding="utf-8")
        new = (docs / POLICY_PAGE).read_text(encoding="utf-8")
        title = t["draft_redline_title"].format(previous=draft["version"])
        content = redline_markdown(
            old, new, title, t["draft_redline_intro"].format(previous=draft["version"]), default
        )
        files.append(File.generated(config, f"{DRAFT_DIR}/{REDLINE_PAGE}.md", content=content))
    return files


def summary_of(version: dict, language: str) -> tuple[str, str]:
    """A version's summary in ``language`` if written, else the Dutch one; and its language."""
    if version["summary"].get(language):
        return version["summary"][language], language
    return version["summary"]["nl"], "nl"


def history_html(page, config) -> str:
    default, _ = languages(config)
    language = config.theme["language"]
    t = texts(language)["versions"]
    line = timeline(config.docs_dir)
    rows = []
    for index in range(len(line.versions) - 1, -1, -1):
        v = line.versions[index]
        target, own_language = archive_target(config.docs_dir, v["version"], language, default)
        text_label = (t["text_link"] if own_language else t["text_link_dutch"]).format(version=v["version"])
        hreflang = "" if own_language else f' hreflang="{default}"'
        text_cell = f'<a href="{get_relative_url(target, page.url)}"{hreflang}>{html.escape(text_label)}</a>'
        if index:
            redline = f"{ARCHIVE_DIR}/{v['version']}/{REDLINE_PAGE}/"
            label = t["changes_link"].format(previous=line.versions[index - 1]["version"])
            changes = f'<a href="{get_relative_url(redline, page.url)}" hreflang="{default}">{html.escape(label)}</a>'
        else:
            changes = html.escape(t["first"])
        status = line.status(v["version"])
        marker = (
            f' <span class="policy-status">{html.escape(t["status"][status])}</span>'
            if status != "superseded"
            else ""
        )
        summary, summary_language = summary_of(v, language)
        if summary_language != language:
            summary_cell = f'<span lang="{summary_language}">{html.escape(summary)}</span> {html.escape(t["summary_in_dutch"])}'
        else:
            summary_cell = html.escape(summary)
        rows.append(
            f'<tr data-version="{v["version"]}" data-status="{status}"><td>{v["version"]}{marker}</td>'
            f'<td><time datetime="{v["date"].isoformat()}">{when(v["date"], language)}</time></td>'
            f"<td>{summary_cell}</td><td>{text_cell}</td><td>{changes}</td></tr>"
        )
    headings = [t[k] for k in ("version", "date", "summary", "text", "changes")]
    return table("policy-history", t["caption"], headings, rows)


def on_page_content(html_text, page, config, files):
    if HISTORY_MARKER in html_text:
        html_text = html_text.replace(HISTORY_MARKER, history_html(page, config))
    return html_text


def on_page_context(context, page, config, nav):
    context["feed_url"] = language_root(config) + "feed.xml"  # each language has its own feed
    context["feed_title"] = texts(config.theme["language"])["versions"]["feed_title"]
    return context


def on_template_context(context, template_name, config):
    return on_page_context(context, None, config, None)


def _sub(parent, tag: str, text: str | None = None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _stamp(date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def feed_xml(config, language: str) -> bytes:
    """The Atom feed of policy versions in ``language``, newest first, announced ones included."""
    default, _ = languages(config)
    site = config.site_url.rstrip("/") + "/"
    root = "" if language == default else f"{language}/"
    t = texts(language)["versions"]
    line = timeline(config.docs_dir)
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _sub(feed, "title", t["feed_title"])
    _sub(feed, "id", f"{site}{root}feed.xml")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{site}{root}feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{site}{root}{ARCHIVE_DIR}/")
    updated = max((v["published"] for v in line.versions), default=build_date())
    _sub(feed, "updated", _stamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", config.site_author or config.site_name)
    for index in range(len(line.versions) - 1, -1, -1):
        v = line.versions[index]
        target, own_language = archive_target(config.docs_dir, v["version"], language, default)
        entry = _sub(feed, "entry")
        title = t["feed_entry"].format(version=v["version"], date=when(v["date"], language))
        _sub(entry, "title", title)
        _sub(entry, "id", f"{site}{root}{ARCHIVE_DIR}/{v['version']}/")
        link = _sub(entry, "link", rel="alternate", type="text/html", href=site + target)
        if not own_language:
            link.set("hreflang", default)
        if index:
            _sub(
                entry,
                "link",
                rel="related",
                type="text/html",
                hreflang=default,
                href=f"{site}{ARCHIVE_DIR}/{v['version']}/{REDLINE_PAGE}/",
            )
        _sub(entry, "published", _stamp(v["published"]))
        _sub(entry, "updated", _stamp(v["published"]))
        summary, summary_language = summary_of(v, language)
        element = _sub(entry, "summary", summary)
        if summary_language != language:
            element.set(XML_LANG, summary_language)
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def versions_json(config) -> str:
    default, others = languages(config)
    site = config.site_url.rstrip("/") + "/"
    line = timeline(config.docs_dir)
    items = []
    for index, v in enumerate(line.versions):
        targets = {
            lang: archive_target(config.docs_dir, v["version"], lang, default) for lang in [default, *others]
        }
        texts_by_language = {lang: site + target for lang, (target, own) in targets.items() if own}
        items.append(
            {
                "version": v["version"],
                "date": v["date"].isoformat(),
                "published": v["published"].isoformat(),
                "status": line.status(v["version"]),
                "summary": v["summary"],
                "url": f"{site}{ARCHIVE_DIR}/{v['version']}/",
                "texts": texts_by_language,
                "changes_url": f"{site}{ARCHIVE_DIR}/{v['version']}/{REDLINE_PAGE}/" if index else None,
                "sha256": v["files"],
                "corrections": [{**c, "date": c["date"].isoformat()} for c in v["corrections"]],
            }
        )
    data = {
        "current": line.in_force["version"] if line.in_force else None,
        "announced": [v["version"] for v in line.announced],
        "built": build_date().isoformat(),
        "versions": items,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@event_priority(-200)  # after static-i18n has built every language
def on_post_build(config):
    if inner_language_build(config):
        return
    default, others = languages(config)
    for language in [default, *others]:
        root = Path(config.site_dir) / ("" if language == default else language)
        write_atomic(root / "feed.xml", feed_xml(config, language))
    write_atomic(Path(config.site_dir) / "versions.json", versions_json(config))
