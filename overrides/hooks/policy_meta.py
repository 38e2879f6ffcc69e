"""Policy metadata: shows the version and effective date from a page's front matter.

A policy page declares ``policy: {version: "1.0", date: 2026-02-01}`` in its front matter and
places ``<!-- policy-meta -->`` where the version line belongs (below the title). The line is
rendered here, with labels from overrides/texts and the month written in the page's language,
so the version is data, not only body text.
"""

from __future__ import annotations

import datetime
import html
import logging
import re

from babel.dates import format_date
from mkdocs.exceptions import PluginError
from texts import texts

log = logging.getLogger("mkdocs.hooks.policy_meta")

MARKER = "<!-- policy-meta -->"
VERSION = re.compile(r"^\d+\.\d+$")


def policy_of(page) -> dict | None:
    """The validated ``policy`` front matter of a page, or None for other pages."""
    meta = page.meta.get("policy")
    if meta is None:
        return None
    where = f"{page.file.src_uri}: front matter 'policy'"
    if not isinstance(meta, dict):
        raise PluginError(f"{where}: expected a mapping with version and date, got {meta!r}")
    version, date = meta.get("version"), meta.get("date")
    if not isinstance(version, str) or not VERSION.match(version):
        raise PluginError(f'{where}.version: expected a quoted version like "1.0", got {version!r}')
    if not isinstance(date, datetime.date):
        raise PluginError(f"{where}.date: expected a date like 2026-02-01, got {date!r}")
    return {"version": version, "date": date}


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
    policy = policy_of(page)
    if policy is None:
        return html_text
    if MARKER not in html_text:
        log.warning(
            "%s has policy front matter but no %s marker for the version line", page.file.src_uri, MARKER
        )
        return html_text
    return html_text.replace(MARKER, meta_html(policy, config.theme["language"]), 1)
