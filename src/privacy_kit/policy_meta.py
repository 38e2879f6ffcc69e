"""Policy metadata: which text a policy page shows, its version line and its status notices.

A policy page (the current one, a translation, or an archived version) places
``<!-- policy-meta -->`` where the version line belongs.

- The live policy page shows the version in force (see policy.Timeline): when the working text
  is already a newer, announced version, the archived text in force takes its place; a
  translation shows the newest recorded translation not newer than the version in force.
- Below the version line it says, in the page's language: that a newer version is announced
  (with links to its text and its redline); that a translation describes an older version than
  the Dutch one in force (lagging, with links to the Dutch text and redline); and under
  scripts/serve that the text is a draft (with a link to its live redline).
- On an archived text (front matter ``archived_version``) the line shows that version's date and
  says whether it is in force, announced or superseded.

Labels come from texts/, months are written in the page's language.
"""

from __future__ import annotations

import html
import logging

from babel.dates import format_date
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data
from policy import (
    ARCHIVE_DIR,
    POLICY_PAGE,
    archive_target,
    archived_name,
    current_policy,
    drafts,
    drafts_allowed,
    timeline,
    translation_path,
    version_key,
)
from texts import language_root, languages, texts, when

log = logging.getLogger("mkdocs.hooks.policy_meta")

MARKER = "<!-- policy-meta -->"
REDLINE = "wijzigingen"
DRAFT_REDLINE = f"{ARCHIVE_DIR}/concept/{REDLINE}/"


def live_state(page, config) -> dict | None:
    """For the live policy page in the current language (else None): the manifest entry of the
    version it shows, the version of its working text, whether that is a draft being shown, and
    the timeline."""
    default, others = languages(config)
    language = config.theme["language"]
    if page.file.src_uri != (POLICY_PAGE if language == default else translation_path(language)):
        return None
    line = timeline(config.docs_dir)
    if line.in_force is None:
        return None
    working = (
        current_policy(config.docs_dir)["version"] if language == default else page.meta.get("translation_of")
    )
    draft = drafts_allowed() and any(
        d.path == page.file.src_uri for d in drafts(config.docs_dir, default, others)
    )
    shown = line.entry(str(working)) if draft else line.shown(language, default)
    if shown is None:  # recorded only for an announced version (or a draft): show the working text
        shown = line.entry(str(working)) or line.in_force
    return {"shown": shown, "working": working, "draft": draft, "timeline": line, "language": language}


def on_page_markdown(markdown, page, config, files):
    """Replace a working text that is not the one to show by the archived text that is."""
    state = live_state(page, config)
    if state is None or state["draft"] or state["shown"]["version"] == state["working"]:
        return markdown
    default, _ = languages(config)
    path = archived_name(state["shown"]["version"], state["language"], default)
    with open(f"{config.docs_dir}/{path}", encoding="utf-8") as handle:
        return get_data(handle.read())[0]


def _link(target: str, page, label: str, hreflang: str | None = None) -> str:
    attribute = f' hreflang="{hreflang}"' if hreflang else ""
    return f'<a href="{html.escape(get_relative_url(target, page.url))}"{attribute}>{html.escape(label)}</a>'


def _notice(kind: str, text: str, links: list[str]) -> str:
    return (
        f'<div class="policy-notice" data-policy-notice="{kind}" role="note"><p>{html.escape(text)} '
        f"{' · '.join(links)}</p></div>"
    )


def live_notices(page, config, state: dict) -> list[str]:
    default, _ = languages(config)
    language = state["language"]
    t = texts(language)["policy"]
    line, shown = state["timeline"], state["shown"]
    dutch = None if language == default else default
    notices = []
    if state["draft"]:
        if language == default:
            link = _link(DRAFT_REDLINE, page, t["draft_changes"])
            notices.append(_notice("draft", t["draft"].format(version=shown["version"]), [link]))
        else:
            notices.append(_notice("draft", t["draft_translation"].format(version=state["working"]), []))
    current = line.in_force
    if language != default and version_key(shown["version"]) < version_key(current["version"]):
        text = t["lagging"].format(
            shown=shown["version"], current=current["version"], date=when(current["date"], language)
        )
        links = [_link("", page, t["lagging_text"], dutch)]
        links.append(
            _link(f"{ARCHIVE_DIR}/{current['version']}/{REDLINE}/", page, t["lagging_changes"], dutch)
        )
        notices.append(_notice("lagging", text, links))
    for v in line.announced:
        target, own = archive_target(config.docs_dir, v["version"], language, default)
        label = t["announced_text"] if own else t["announced_text_dutch"]
        links = [
            _link(target, page, label.format(version=v["version"]), None if own else dutch),
            _link(f"{ARCHIVE_DIR}/{v['version']}/{REDLINE}/", page, t["announced_changes"], dutch),
        ]
        text = t["announced"].format(version=v["version"], date=when(v["date"], language))
        notices.append(_notice("announced", text, links))
    return notices


def meta_html(page, config) -> str:
    default, _ = languages(config)
    language = config.theme["language"]
    t, v = texts(language)["policy"], texts(language)["versions"]
    line = timeline(config.docs_dir)
    archived = page.meta.get("archived_version")
    state = None
    if archived is not None:
        shown = line.entry(archived)
        if shown is None:
            raise PluginError(f"{page.file.src_uri}: archived_version {archived!r} is not in the manifest")
    else:
        state = live_state(page, config)
        shown = state["shown"] if state else current_policy(config.docs_dir)
    month = format_date(shown["date"], "LLLL yyyy", locale=language)
    version_text = html.escape(shown["version"])
    if state and state["draft"]:
        version_text += f" ({html.escape(t['draft_marker'])})"
    parts = [
        f"<span>{html.escape(t['version'])}: <strong data-policy-version>{version_text}</strong></span>",
        f'<span>{html.escape(t["updated"])}: <time datetime="{shown["date"].isoformat()}">{html.escape(month)}</time></span>',
    ]
    notices = []
    if archived is None:
        if line.versions:
            parts.append(
                f"<span>{_link(language_root(config) + ARCHIVE_DIR + '/', page, v['history'])}</span>"
            )
        older = [e for e in line.versions if version_key(e["version"]) < version_key(shown["version"])]
        if older:
            previous = older[-1]["version"]
            target, own = archive_target(config.docs_dir, previous, language, default)
            label = v["previous"].format(version=previous)
            parts.append(f"<span>{_link(target, page, label, None if own else default)}</span>")
        if state:
            notices = live_notices(page, config, state)
    else:
        status = line.status(archived)
        current = line.in_force["version"]
        text = v[f"archived_{status}"].format(
            version=archived, current=current, date=when(shown["date"], language)
        )
        links = (
            [] if status == "in_force" else [_link(language_root(config) or "./", page, v["current_link"])]
        )
        notices.append(
            f'<p class="policy-archive-notice" role="note">{html.escape(text)}'
            + (" " + links[0] if links else "")
            + "</p>"
        )
    return f'<p class="policy-meta">{" ".join(parts)}</p>' + "".join(notices)


def on_page_content(html_text, page, config, files):
    if MARKER not in html_text:
        if "policy" in page.meta:
            log.warning(
                "%s has policy front matter but no %s marker for the version line", page.file.src_uri, MARKER
            )
        return html_text
    return html_text.replace(MARKER, meta_html(page, config), 1)
