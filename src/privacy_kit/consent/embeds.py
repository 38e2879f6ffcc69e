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

from ..markup import element_spans
from ..origins import origin_of
from ..reading import Reading

MARKER = "data-consent-embed"  # on the figure of each placeholder


def _tag(attrs: dict[str, str]) -> str:
    return "<iframe" + "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items()) + " hidden></iframe>"


def placeholder(attrs: dict[str, str], texts: dict, local: str | None = None) -> str:
    """The figure that stands for one gated embed: the frame (empty and hidden) and the
    click-to-load placeholder in the page's language. Under the local preview its frame loads
    ``local`` instead (consent/local.py)."""
    category, provider = attrs["data-consent-category"], attrs["data-consent-provider"]
    attrs = attrs if local is None else {**attrs, "data-src": local}
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


def _problem(attrs: dict[str, str], written: str, hosts: dict[str, tuple[str, ...]]) -> str | None:
    category, provider = attrs.get("data-consent-category", ""), attrs.get("data-consent-provider", "")
    source = attrs.get("data-src", "")
    origin = origin_of(source)
    if "src" in attrs or not source:
        return f"an embed needs data-src instead of src (it loads after consent), got {written!r}"
    if category not in hosts or origin not in hosts[category]:
        allowed = ", ".join(hosts.get(category, ())) or "none"
        return (
            f"an embed of {category!r} loads from {origin}, which consent.categories.{category}.hosts "
            f"does not declare (declared: {allowed})"
        )
    if not provider.strip() or not attrs.get("title", "").strip():
        return f"an embed needs data-consent-provider and a title (what it shows), got {written!r}"
    return None


def placeholders(
    content: str,
    reading: Reading,
    hosts: dict[str, tuple[str, ...]],
    texts: dict,
    problems: list[str],
    local: str | None = None,
) -> tuple[str, list[str]]:
    """``content`` with every gated iframe turned into the frame and its placeholder, and the
    placeholders made; what is wrong with one (an undeclared origin, no provider, no title) goes
    to ``problems`` and the iframe is dropped, so that nothing loads that the declaration does not
    cover. Where the written iframes and the reading do not agree, nothing is changed (the guard
    then refuses a gated iframe without its placeholder)."""
    frames = [e for e in reading.named("iframe") if not e.in_template]
    if not any("data-consent-category" in e.attrs for e in frames):
        return content, []
    spans = element_spans(content, reading, "iframe")
    if spans is None:
        problems.append(
            "the kit could not turn its embeds into placeholders: write each <iframe …></iframe> on a line of its own"
        )
        return content, []
    made = []
    for element, (start, end) in reversed(list(zip(frames, spans, strict=True))):
        if "data-consent-category" not in element.attrs:
            continue
        written = content[start:end]
        problem = _problem(element.attrs, written, hosts)
        if problem:
            problems.append(problem)
            replacement = ""
        else:
            replacement = placeholder(element.attrs, texts, local)
            made.append(replacement)
        content = content[:start] + replacement + content[end:]
    return content, made[::-1]
