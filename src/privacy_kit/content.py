"""What the kit writes into a page's content (the plugin's ``on_page_content``), from one reading
of it: each marker an author writes as a comment of its own becomes what it stands for (the
sentence about the choice, claims.py; the cookie declaration, consent/declaration.py; the version
line, policy/notices.py; the version history, policy/history.py), gated embeds become their
click-to-load placeholders (consent/embeds.py), and the editors' comments are left out."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import claims, markup
from .consent import embeds
from .consent.declaration import MARKER as DECLARATION_MARKER
from .consent.declaration import Consent, declaration_html
from .policy import history, notices
from .reading import Reading

log = logging.getLogger("mkdocs.plugins.privacy_kit")

# The comments a page's author writes where the kit puts what they stand for.
MARKERS = (DECLARATION_MARKER, notices.MARKER, history.MARKER, claims.MARKER)


@dataclass(frozen=True)
class Site:
    """What a page's content needs of the site being built."""

    consent: Consent | None
    texts: object  # every language's texts (texts.Texts)
    policy: notices.PolicyBuild | None  # the published policy, as this build shows it (None: not versioned)
    hosts: dict[str, tuple[str, ...]]  # category -> the origins its embeds load from
    frames: str | None = None  # what every embed loads instead (the local preview), else its own


@dataclass(frozen=True)
class Content:
    html: str  # the content as the kit leaves it
    made: list[str]  # what the kit wrote into it: its consent attributes are the kit's own
    embeds: bool  # whether it holds placeholders of embeds


def written(
    html: str, content: Reading, page, language: str, root: str, site: Site, declaration_page: bool
) -> Content:
    """The content ``html`` of ``page`` (read as ``content``) in ``language``, whose home is
    ``root``, with what the kit writes; ``declaration_page``: it is the cookie declaration page
    (consent.declaration_page)."""
    where, texts = page.file.src_uri, site.texts[language]
    has = {marker: markup.replaceable(html, content, markup.marker_text(marker)) for marker in MARKERS}
    if has[DECLARATION_MARKER]:
        claims.check(content, where, site.consent, texts)
    elif declaration_page:
        log.warning(
            "%s is the cookie declaration page (consent.declaration_page) but has no %s: "
            "without it the page publishes no declaration; put the marker where the table goes",
            where,
            DECLARATION_MARKER,
        )
    markers = {claims.MARKER: claims.sentence(site.consent, texts)}
    if has[DECLARATION_MARKER]:
        if site.consent is None:
            log.warning("%s has a cookie declaration marker but consent is not configured", where)
        else:
            markers[DECLARATION_MARKER] = declaration_html(site.consent, texts, language)
    if has[notices.MARKER] and site.policy is not None:
        markers[notices.MARKER] = notices.meta_html(site.policy, page, language, site.texts, root)
    elif "policy" in page.meta and site.policy is not None:
        log.warning("%s has policy front matter but no %s marker for the version line", where, notices.MARKER)
    if has[history.MARKER] and site.policy is not None:
        markers[history.MARKER] = history.history_html(site.policy.line, site.texts, language, page.url)
    problems: list[str] = []
    html, made = embeds.placeholders(html, content, site.hosts, texts, problems, site.frames)
    with_embeds = bool(made)
    for problem in problems:
        log.warning("%s: %s", where, problem)
    html, misplaced = markup.with_markers(html, content, markers)
    for marker in misplaced:
        log.warning(
            "%s: %s stands where it is not a comment of its own (in an attribute or a script?)", where, marker
        )
    made += [markers[m] for m in markers if has[m] and m not in misplaced]
    return Content(markup.without_comments(html, content), made, with_embeds)
