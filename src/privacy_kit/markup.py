"""HTML the plugin generates or cleans: the tables (cookie declaration, version history), and
page content without the editors' comments. Wide tables scroll sideways on a phone inside
Material's own scroll wrapper, which is a labelled, keyboard-focusable region so that it can be
scrolled without a mouse."""

from __future__ import annotations

import html
import re

COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


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


def without_comments(content: str) -> str:
    """A page's content without the HTML comments of its markdown: they are notes for editors
    ("LEGAL TEXT. This is version 1.0 …"), which may name a source file or a version that is not
    the one shown, and have no place in what visitors receive."""
    return COMMENT.sub("", content)
