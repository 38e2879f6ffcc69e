"""Embeds that load only with consent: an ``<iframe>`` a page's author gates behind a category,

    <iframe data-consent-category="external-media" data-consent-provider="Vimeo"
            data-src="https://player.vimeo.com/video/76979871?dnt=1" title="A tour of the studio"></iframe>

becomes a figure with the frame (empty and hidden: nothing is requested) and a click-to-load
placeholder in the page's language that names the provider, says what it receives, and whose
button gives consent to that category (consent-embeds.js, on pages with an embed, then loads
every embed of it). The frame's
origin must be one its category declares (``hosts``): the Content-Security-Policy allows only
those, and the audit judges the requests by them.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

EMBED = re.compile(r"<iframe\b[^>]*\bdata-consent-category=[^>]*>\s*</iframe>", re.S)
MARKER = "data-consent-embed"  # on the figure of each placeholder


def has_embeds(content: str | None) -> bool:
    """Whether a page's rendered content holds a placeholder (its page then loads the embeds'
    script and styles)."""
    return bool(content) and f'<figure class="consent-embed" {MARKER}="' in content


def attributes_of(tag: str) -> dict[str, str]:
    """The attributes of an HTML start tag, as the browser reads them."""
    found: dict[str, str] = {}

    class Reader(HTMLParser):
        def handle_starttag(self, name, attrs):
            for key, value in attrs:  # a repeated attribute keeps its first value, as in a browser
                found.setdefault(key, value or "")

    Reader().feed(tag)
    return found


def _tag(attrs: dict[str, str]) -> str:
    return "<iframe" + "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items()) + " hidden></iframe>"


def placeholders(content: str, hosts: dict[str, tuple[str, ...]], texts: dict, problems: list[str]) -> str:
    """``content`` with every gated iframe turned into the frame and its placeholder; what is
    wrong with one (an undeclared origin, no provider, no title) goes to ``problems`` and the
    iframe is dropped, so that nothing loads that the declaration does not cover."""

    def replace(match: re.Match) -> str:
        attrs = attributes_of(match.group(0))
        category, provider = attrs.get("data-consent-category", ""), attrs.get("data-consent-provider", "")
        source = attrs.get("data-src", "")
        parts = urlsplit(source)
        origin = f"{parts.scheme}://{parts.netloc}"
        if "src" in attrs or not source:
            problems.append(
                f"an embed needs data-src instead of src (it loads after consent), got {match.group(0)!r}"
            )
        elif category not in hosts or origin not in hosts[category]:
            allowed = ", ".join(hosts.get(category, ())) or "none"
            problems.append(
                f"an embed of {category!r} loads from {origin}, which consent.categories.{category}.hosts "
                f"does not declare (declared: {allowed})"
            )
        elif not provider.strip() or not attrs.get("title", "").strip():
            problems.append(
                f"an embed needs data-consent-provider and a title (what it shows), got {match.group(0)!r}"
            )
        else:
            t = texts["embed"]
            label = texts["consent"]["categories"][category]["label"]
            return (
                f'<figure class="consent-embed" {MARKER}="{html.escape(category)}">{_tag(attrs)}'
                '<div class="consent-placeholder" data-consent-placeholder>'
                f"<p>{html.escape(t['text'].format(provider=provider))}</p>"
                f'<p><button type="button" class="consent-button" data-consent-action="grant" '
                f'data-consent-category="{html.escape(category)}">{html.escape(t["button"].format(provider=provider))}'
                "</button></p>"
                f'<p class="consent-placeholder-note">{html.escape(t["note"].format(category=label))}</p>'
                "</div></figure>"
            )
        return ""

    return EMBED.sub(replace, content)
