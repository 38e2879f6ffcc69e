"""GitHub-flavoured Markdown that quoted text cannot shape: the editors' report puts a draft's
words, file names, versions and the kit's messages about them into its own structure, and
none of them may end a fence, open or close a ``<details>``, add a heading or a line, or bring
HTML with it.

- ``text``: words in a line of Markdown: every ASCII punctuation character backslash-escaped
  (CommonMark's escapes: no emphasis, link, code, HTML, entity, heading or list marker is left),
  on one line; ``fill`` a text with placeholders so, each filled with Markdown the caller made.
- ``code``: a code span with a backtick run longer than any in the text, on one line.
- ``fenced``: a fenced code block whose fence is longer than any backtick run in the text.
- ``html_text``: words for a raw HTML block (``html.escape``), on one line.

"On one line" is what keeps a quoted value from starting a block of its own: cmark-gfm reads
the lines of a document before anything inside them, so a line ending inside a code span or a
bold text would start a new block. Line endings, other control characters and the characters
that reorder text (bidi controls: Trojan Source) are written as escapes (``\\n``, ``\\u202e``),
so a reader sees them.
"""

from __future__ import annotations

import html
import re
import string
from urllib.parse import quote

# C0 and C1 controls (line endings, tab, NUL), the line and paragraph separators, the bidi
# controls (LRM, RLM, ALM, the embeddings, overrides and isolates), and lone surrogates (a file
# name that is not UTF-8, as git's output decodes).
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
BACKTICKS = re.compile("`+")


def visible(value: str) -> str:
    """``value`` on one line, each control or bidi character written as its escape."""

    def escape(match: re.Match) -> str:
        char = match[0]
        return NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

    return INVISIBLE.sub(escape, str(value))


def text(value: str) -> str:
    """``value`` as literal words in a line of Markdown."""
    return PUNCTUATION.sub(r"\\\1", visible(value))


def fill(template: str, **values: str) -> str:
    """A text with placeholders (``{file}``) as Markdown: its own words escaped (``text``: a
    site's texts come from the pull request too), each placeholder filled with the Markdown the
    caller made of its value (escaped words, a code span)."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(text(literal))
        if name is not None:
            parts.append(values[name])
    return "".join(parts)


def code(value: str) -> str:
    """``value`` as a code span (a file name, a command)."""
    value = visible(value)
    if not value.strip():
        return text(value)
    fence = "`" * (max((len(run) for run in BACKTICKS.findall(value)), default=0) + 1)
    padded = value.startswith(("`", " ")) or value.endswith(("`", " "))
    return f"{fence} {value} {fence}" if padded else f"{fence}{value}{fence}"


def fenced(value: str, info: str = "text") -> str:
    """``value`` as a fenced code block of its own (lines kept; each line's control and bidi
    characters written as escapes)."""
    lines = [visible(line) for line in str(value).splitlines()] or [""]
    longest = max((len(run) for line in lines for run in BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}{info}", *lines, fence])


def bold(markdown: str) -> str:
    """Markdown (already escaped) in bold. ``<strong>`` rather than ``**``: a ``**`` next to an
    escaped punctuation character may not count as a delimiter."""
    return f"<strong>{markdown}</strong>"


def link(label: str, url: str) -> str:
    """A link with the words ``label`` to an http(s) address (percent-encoded inside ``<…>``);
    any other address is shown as code after the words, never followed."""
    if not url.startswith(("https://", "http://")):
        return f"{text(label)} ({code(url)})"
    return f"[{text(label)}](<{quote(visible(url), safe=':/?#@!$&+,;=%~')}>)"


def html_text(value: str) -> str:
    """``value`` as text inside a raw HTML block (which cmark-gfm passes through whole)."""
    return html.escape(visible(value), quote=True)
