"""Policy metadata: the version line below a policy text's title.

A policy page (the current one, a translation, or an archived version) places
``<!-- policy-meta -->`` where the version line belongs. On the current policy it shows the
version and effective date from the Dutch page's front matter (the one place those facts live),
with links to the version history and the previous version; on an archived text (front matter
``archived_version``) it shows that version's date from the manifest and says which version is
current. Labels come from overrides/texts, months are written in the page's language.
"""

from __future__ import annotations

import html
import logging

from babel.dates import format_date
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from policy import ARCHIVE_DIR, archive_target, current_policy, load_versions
from texts import language_root, languages, texts

log = logging.getLogger("mkdocs.hooks.policy_meta")

MARKER = "<!-- policy-meta -->"


def _link(target: str, page, label: str) -> str:
    return f'<a href="{html.escape(get_relative_url(target, page.url))}">{html.escape(label)}</a>'


def meta_html(page, config) -> str:
    language = config.theme["language"]
    t, v = texts(language)["policy"], texts(language)["versions"]
    current = current_policy(config.docs_dir)
    versions = load_versions(config.docs_dir)
    archived = page.meta.get("archived_version")
    if archived is not None:
        entry = next((e for e in versions if e["version"] == archived), None)
        if entry is None:
            raise PluginError(f"{page.file.src_uri}: archived_version {archived!r} is not in the manifest")
        shown, label = entry, v["effective"]
    else:
        shown, label = current, t["updated"]
    month = format_date(shown["date"], "LLLL yyyy", locale=language)
    parts = [
        f"<span>{html.escape(t['version'])}: <strong data-policy-version>{html.escape(shown['version'])}</strong></span>",
        f'<span>{html.escape(label)}: <time datetime="{shown["date"].isoformat()}">{html.escape(month)}</time></span>',
    ]
    notice = ""
    if archived is None:
        if versions:
            parts.append(
                f"<span>{_link(language_root(config) + ARCHIVE_DIR + '/', page, v['history'])}</span>"
            )
        older = [e for e in versions if e["version"] != current["version"]]
        if older:
            previous = older[-1]["version"]
            parts.append(
                f"<span>{_link(archive_target(config.docs_dir, previous, language, languages(config)[0])[0], page, v['previous'].format(version=previous))}</span>"
            )
    elif archived == current["version"]:
        notice = f'<p class="policy-archive-notice" role="note">{html.escape(v["archived_current"].format(version=archived))}</p>'
    else:
        text = html.escape(v["archived_old"].format(version=archived, current=current["version"]))
        notice = f'<p class="policy-archive-notice" role="note">{text} {_link(language_root(config) or "./", page, v["current_link"])}</p>'
    return f'<p class="policy-meta">{" ".join(parts)}</p>{notice}'


def on_page_content(html_text, page, config, files):
    if MARKER not in html_text:
        if "policy" in page.meta:
            log.warning(
                "%s has policy front matter but no %s marker for the version line", page.file.src_uri, MARKER
            )
        return html_text
    return html_text.replace(MARKER, meta_html(page, config), 1)
