"""Redlines: what changed between two texts of the policy, word by word, keeping its structure.

The markdown is compared line by line, each line keeping its markup, and word by word inside a
line: headings stay headings and list items stay in their list (a deleted item is an
``<li><del>…</del></li>`` between its neighbours). Markdown links and HTML tags are atomic
tokens. Changed sections are shown in full, unchanged ones as one quiet line. The same engine
writes the site's redline pages, the editors' report on a draft (GitHub-flavoured Markdown) and
the translators' worklist (with ``git diff --word-diff``'s marks).
"""

from __future__ import annotations

import difflib
import html
import itertools
import json
import re
from dataclasses import dataclass, replace

from mkdocs.utils.meta import get_data

from ..gfm import html_text

# The regular expressions here read the policy's Markdown source, line by line (never a built
# page's HTML, which the kit reads only as a browser does, reading.py).
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


def redline_sections(old_md: str, new_md: str, labels: dict, unchanged, changed) -> list[str]:
    """The redline of ``old_md`` to ``new_md``, one part per section in reading order: the
    quiet line ``unchanged(heading)`` for an unchanged section, ``changed(heading, lines)`` for a
    changed one (the heading's and the lines' changed words marked with <del>/<ins>). The site's
    redline pages are made by it, and the editors' report (``redline_gfm``) from the same
    ``section_changes``, so they cannot disagree. ``labels`` are the ``versions`` texts of the
    text's language."""
    return [
        unchanged(heading) if body is None else changed(heading, body)
        for heading, body in section_changes(old_md, new_md, labels["intro"])
    ]


def redline_markdown(old_md: str, new_md: str, title: str, intro: str, labels: dict, language: str) -> str:
    """A page of the changes from ``old_md`` to ``new_md`` (texts in ``language``): changed
    sections in full with their structure, unchanged ones as one quiet line so the changes
    stand out. ``labels`` are the ``versions`` texts of the page's language."""

    def unchanged(heading: Line) -> str:
        return (
            f'<p class="policy-redline-section" data-redline="unchanged">{html.escape(heading.content)} — '
            f"{html.escape(labels['unchanged'])}</p>"
        )

    def changed(heading: Line, body: list[str]) -> str:
        return (
            '<section class="policy-redline-section" data-redline="changed" markdown>\n\n'
            f"{heading.render()}\n\n" + "\n".join(body) + "\n\n</section>"
        )

    parts = redline_sections(old_md, new_md, labels, unchanged, changed)
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsearch:\n  exclude: true\n---\n\n"
        f"# {title}\n\n{html.escape(intro)}\n{{ .policy-redline-intro }}\n\n"
        f'<div class="policy-redline" lang="{language}" markdown>\n\n' + "\n\n".join(parts) + "\n\n</div>\n"
    )


# The report's own marks while it escapes the texts: private use characters, which no text keeps
# (any in a text are replaced first), so no word of a draft can pass for a mark.
GFM_MARKS = ("\ue000", "\ue001", "\ue002", "\ue003")
GFM_TAGS = dict(zip(GFM_MARKS, HTML_MARKS, strict=True))
GFM_MARK = re.compile("[\ue000-\ue003]")
TRAILING_ATTRIBUTES = re.compile(r"\s*\{[^}]*\}(?=[\ue000-\ue003]*$)")  # attr_list's { .x }: not GFM


def redline_gfm(old_md: str, new_md: str, labels: dict) -> str:
    """The same redline for GitHub-flavoured Markdown (a pull request's job summary), so written
    that no text of the policy can shape what stands around it: one raw HTML block, a
    ``<blockquote>`` with no blank line inside (a blank line would end it), every character of
    the texts escaped and the report's own ``<del>``/``<ins>`` put in afterwards. Headings of the
    text are bold lines (a draft adds no heading to the report), list items one list, lines of
    markup only (``<ol …>``, ``{ .x }``) left out; unchanged sections one list line each."""

    def words(content: str) -> str:
        escaped = html_text(TRAILING_ATTRIBUTES.sub("", content))
        return GFM_MARK.sub(lambda mark: GFM_TAGS[mark[0]], escaped)

    def changed(heading: Line, body: list[str]) -> list[str]:
        rows = [("heading", words(heading.content))]  # (kind, words); a blank line is ("", "")
        for line in map(parse_line, body):
            if line.structure:
                rows += [] if line.content else [("", "")]
            elif line.prefix.startswith("#"):
                rows.append(("heading", words(line.content)))
            elif line.prefix.strip() in ("-", "*", "+", "<li>"):
                rows.append(("item", words(line.content)))
            else:
                rows.append(("line", words(line.prefix + line.content)))
        blocks = []
        for kind, group in itertools.groupby(rows, key=lambda row: row[0]):
            shown = [words for _, words in group]
            if kind == "heading":
                blocks += [f"<p><strong>{heading}</strong></p>" for heading in shown]
            elif kind == "item":
                blocks.append("<ul>" + "".join(f"<li>{item}</li>" for item in shown) + "</ul>")
            elif kind == "line":
                blocks.append("<p>" + "<br>".join(shown) + "</p>")
        return blocks

    unchanged = f" — <em>{html_text(labels['unchanged'])}</em>"
    old_md, new_md = GFM_MARK.sub("\ufffd", old_md), GFM_MARK.sub("\ufffd", new_md)
    lines = ["<blockquote>"]
    sections = section_changes(old_md, new_md, labels["intro"], GFM_MARKS)
    for quiet, group in itertools.groupby(sections, key=lambda section: section[1] is None):
        if quiet:
            lines.append(
                "<ul>" + "".join(f"<li>{words(h.content)}{unchanged}</li>" for h, _ in group) + "</ul>"
            )
        else:
            lines += [block for heading, body in group for block in changed(heading, body)]
    return "\n".join([*lines, "</blockquote>"]) + "\n"


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


def version_redline(old: str, new: str, version: dict, previous: dict, texts, language: str) -> str:
    """The redline page of ``version`` against ``previous`` (their archived texts ``old`` and
    ``new``, in ``language``)."""
    t = texts[language]["versions"]
    intro = t["redline_intro"].format(
        previous=previous["version"],
        previous_date=texts.when(previous["date"], language),
        version=version["version"],
        date=texts.when(version["date"], language),
    )
    return redline_markdown(
        old, new, t["redline_title"].format(version=version["version"]), intro, t, language
    )


def redline_pages(policy, drafts_shown, texts, language: str) -> list[tuple[str, str]]:
    """The generated redline pages (docs-relative path, Markdown) of the published ``policy``:
    one per version after the first, in the binding ``language``; and, where a build shows the
    draft of the policy page (``drafts_shown``), one for the draft against its version."""
    files, docs, pages = policy.files, policy.files.docs, []

    def text(name: str) -> str:
        return (docs / name).read_text(encoding="utf-8")

    for previous, version in itertools.pairwise(policy.versions()):
        old = text(files.archived_name(previous["version"], language))
        new = text(files.archived_name(version["version"], language))
        content = version_redline(old, new, version, previous, texts, language)
        pages.append((files.redline(version["version"]).rstrip("/") + ".md", content))
    draft = next((d for d in drafts_shown if d.path == files.page), None)
    if draft:
        t = texts[language]["versions"]
        title = t["draft_redline_title"].format(previous=draft.version)
        intro = t["draft_redline_intro"].format(previous=draft.version)
        content = redline_markdown(
            text(files.archived_name(draft.version, language)), text(files.page), title, intro, t, language
        )
        pages.append((files.draft_redline.rstrip("/") + ".md", content))
    return pages
