"""What a cookie page says about the choice must be true of the site as built: the sentence that
depends on the configuration comes from the kit, and the build warns when the page's own prose
names what the site does not offer.

- ``<!-- cookie-choice -->`` on the page (a comment of its own) becomes the kit's text ``declaration.choice`` when the
  banner offers optional categories (consent after a choice, withdrawn via "Cookie settings"), and
  ``declaration.no_choice`` when it offers none (nothing is asked, so no control is named). A site
  may word both itself in its texts (markdown: **bold** and links work).
- The page's prose around it: a category the kit or the site's texts know (its label, or for
  analytics any word beginning with "analy") that the banner does not offer, or the "Cookie
  settings" control on a site that shows none, is a warning (strict builds fail), naming the word.
"""

from __future__ import annotations

import functools
import logging
import re

import markdown as markdown_lib

MARKER = "<!-- cookie-choice -->"
log = logging.getLogger("mkdocs.plugins.privacy_kit")


def _words_of(label: str) -> list[str]:
    """What names a category in prose: its label without a note in brackets; one word, any word
    that begins like it ("Analyse" names "analytische" too)."""
    label = re.sub(r"\s*\(.*?\)", "", label).strip().lower()
    if " " in label or len(label) < 5:
        return [re.escape(label)]
    return [re.escape(label[:5]) + r"\w*"]


def untrue(prose: str, offered: set[str], texts: dict) -> list[str]:
    """The words of ``prose`` (a page's text) that name what the site does not offer."""
    found = []
    for name, words in (texts["consent"].get("categories") or {}).items():
        if name == "necessary" or name in offered or not isinstance(words, dict) or "label" not in words:
            continue
        patterns = _words_of(words["label"]) + ([r"analy\w*"] if name == "analytics" else [])
        for pattern in dict.fromkeys(patterns):
            match = re.search(rf"\b{pattern}", prose, re.I)
            if match:
                found.append(f"{match[0]!r} (the category {name!r}, which the banner does not offer)")
                break
    control = texts["consent"]["open"]
    if not offered and control.lower() in prose.lower():
        found.append(f"{control!r} (a control the site does not show: it offers no optional category)")
    return found


@functools.lru_cache(maxsize=64)
def inline(text: str) -> str:
    """A text of the kit's, as markdown within a paragraph: its emphasis and links, never raw HTML
    (a site's texts are an editor's: HTML in them is shown as written)."""
    md = markdown_lib.Markdown()
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    return html.removeprefix("<p>").removesuffix("</p>")


def sentence(consent, texts: dict) -> str:
    """The kit's sentence about the choice, as HTML, for the site as built."""
    offered = [name for name in (consent.categories if consent else ()) if name != "necessary"]
    return inline(texts["declaration"]["choice" if offered else "no_choice"])


def check(content, page: str, consent, texts: dict) -> None:
    """On a page with the cookie declaration, a warning for each word of its prose (``content``:
    the page's content as the kit reads it) that names what the site does not offer."""
    offered = {name for name in (consent.categories if consent else ()) if name != "necessary"}
    for word in untrue(content.prose(), offered, texts):
        log.warning("%s names %s: remove it, or write the sentence as %s", page, word, MARKER)
