"""HTML the plugin generates or changes: the tables (cookie declaration, version history), and
the changes the kit makes to a page's content (its markers replaced, the editors' comments left
out, gated embeds turned into placeholders).

Wide tables scroll sideways on a phone inside Material's own scroll wrapper, which is a labelled,
keyboard-focusable region so that it can be scrolled without a mouse.

What a change replaces is found in the page's ``Reading`` (the kit's one reading of it, as a
browser reads it): a comment is replaced only where the reading has exactly as many comments
with that text as its written form occurs in the page (so its text in an attribute or a script
is never taken for it), an element only where the reading and the written tags agree. Whatever
a change produces is read again by the guard with the rest of the final page.
"""

from __future__ import annotations

import html
from collections import Counter
from html.parser import HTMLParser

from .reading import Reading


def table(css_class: str, caption: str, headings: list[str], rows: list[str]) -> str:
    """``rows`` are ready <tr> elements; caption and headings are plain text. The table itself
    has no class, so Material styles it like every table in its content; ``css_class`` names
    the wrapper."""
    caption_id = f"{css_class}-caption"
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headings)
    return (
        f'<div class="md-typeset__scrollwrap {css_class}" role="region" tabindex="0" aria-labelledby="{caption_id}">'
        f'<div class="md-typeset__table"><table>'
        f'<caption id="{caption_id}">{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></div>"
    )


def comment(text: str) -> str:
    """A comment's written form, as the kit's markers are written (``<!-- cookie-declaration -->``)."""
    return f"<!--{text}-->"


def marker_text(marker: str) -> str:
    """The text of a marker comment: ``<!-- x -->`` has `` x ``."""
    return marker.removeprefix("<!--").removesuffix("-->")


def replaceable(content: str, reading: Reading, text: str) -> bool:
    """Whether every written ``<!--text-->`` in ``content`` is a comment of the reading."""
    written = content.count(comment(text))
    return written > 0 and written == Counter(reading.comments)[text]


def with_markers(content: str, reading: Reading, markers: dict[str, str]) -> tuple[str, list[str]]:
    """``content`` with each marker comment (``markers``: its written form → the HTML it
    becomes) replaced; the markers that stand where they are not comments are returned."""
    misplaced = []
    for marker, replacement in markers.items():
        if replaceable(content, reading, marker_text(marker)):
            content = content.replace(marker, replacement)
        elif marker in content:
            misplaced.append(marker)
    return content, misplaced


def without_comments(content: str, reading: Reading) -> str:
    """A page's content without the HTML comments of its markdown: they are notes for editors
    ("LEGAL TEXT. This is version 1.0 …"), which may name a source file or a version that is not
    the one shown, and have no place in what visitors receive (with the line break after one)."""
    for text in dict.fromkeys(reading.comments):
        if replaceable(content, reading, text):
            written = comment(text)
            content = content.replace(written + "\n", "").replace(written, "")
    return content


class _StartTags(HTMLParser):
    """Where the start and end tags of one element name stand in a text (a locator only: what
    they are is the reading's to say)."""

    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.starts: list[tuple[int, int, dict[str, str]]] = []
        self.ends: list[tuple[int, int]] = []
        self.line_starts: list[int] = [0]

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == self.name:
            first: dict[str, str] = {}
            for key, value in attrs:
                first.setdefault(key, value or "")
            start = self.position()
            self.starts.append((start, start + len(self.get_starttag_text() or ""), first))

    def handle_endtag(self, tag):
        if tag == self.name:
            start = self.position()
            end = self.rawdata.find(">", start)
            self.ends.append((start, end + 1 if end >= 0 else len(self.rawdata)))


def element_spans(content: str, reading: Reading, name: str) -> list[tuple[int, int]] | None:
    """Where each ``name`` element of the reading stands in ``content``, from its start tag to
    the end of its end tag, in document order; None where the written tags and the reading do
    not agree (then nothing is changed)."""
    locator = _StartTags(name)
    locator.line_starts += [index + 1 for index, character in enumerate(content) if character == "\n"]
    locator.feed(content)
    locator.close()
    elements = [e for e in reading.named(name) if not e.in_template]
    if len(locator.starts) != len(elements) or [s[2] for s in locator.starts] != [e.attrs for e in elements]:
        return None
    spans = []
    for start, tag_end, _ in locator.starts:
        end = next((e for s, e in locator.ends if s >= tag_end), None)
        if end is None:
            return None
        spans.append((start, end))
    return spans
