"""Policy metadata: shows the current version and effective date below the policy's title.

A policy page (the Dutch one, or a translation) places ``<!-- policy-meta -->`` where the
version line belongs. The line is rendered from the Dutch page's front matter
(``policy: {version, date}``, the one place those facts live), with labels from
overrides/texts and the month written in the page's language.
"""

from __future__ import annotations

import html
import logging

from babel.dates import format_date
from policy import current_policy
from texts import texts

log = logging.getLogger("mkdocs.hooks.policy_meta")

MARKER = "<!-- policy-meta -->"


def meta_html(policy: dict, language: str) -> str:
    labels = texts(language)["policy"]
    month = format_date(policy["date"], "LLLL yyyy", locale=language)
    return (
        '<p class="policy-meta">'
        f"<span>{html.escape(labels['version'])}: <strong data-policy-version>{html.escape(policy['version'])}</strong></span> "
        f'<span>{html.escape(labels["updated"])}: <time datetime="{policy["date"].isoformat()}">{html.escape(month)}</time></span>'
        "</p>"
    )


def on_page_content(html_text, page, config, files):
    if MARKER not in html_text:
        if "policy" in page.meta:
            log.warning(
                "%s has policy front matter but no %s marker for the version line", page.file.src_uri, MARKER
            )
        return html_text
    return html_text.replace(MARKER, meta_html(current_policy(config.docs_dir), config.theme["language"]), 1)
