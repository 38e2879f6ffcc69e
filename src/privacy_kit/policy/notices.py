"""Which text a policy page shows, its version line and its status notices.

A policy page (the current one, a translation, or an archived version) places
``<!-- policy-meta -->`` where the version line belongs.

- The live policy page shows the version in force (see model.Timeline): when the working text
  is already a newer, announced version, the archived text in force takes its place; a
  translation shows the newest recorded translation not newer than the version in force.
- Below the version line it says, in the page's language: that a newer version is announced
  (with links to its text and its redline); that a translation describes an older version than
  the binding one in force (lagging, with links to the binding text and redline); and under
  ``mkdocs serve`` that the text is a draft (with a link to its live redline).
- On an archived text (front matter ``archived_version``) the line shows that version's date and
  says whether it is in force, announced or superseded.

Labels come from the site's texts; months are written in the page's language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from .model import Draft, Policy, Timeline, version_key

MARKER = "<!-- policy-meta -->"


@dataclass(frozen=True)
class PolicyBuild:
    """The policy as one build sees it: its timeline, and the drafts it shows (mkdocs serve)."""

    policy: Policy
    line: Timeline
    drafts_shown: tuple[Draft, ...]


@dataclass(frozen=True)
class LiveState:
    """What the live policy page in one language shows."""

    shown: dict  # the manifest entry of the version it shows
    working: str | None  # the version its working text names
    draft: bool  # a draft being shown
    language: str


def live_state(build: PolicyBuild, page, language: str) -> LiveState | None:
    """For the live policy page in ``language`` (else None)."""
    files = build.policy.files
    if page.file.src_uri != (files.page if language == files.default else files.translation_path(language)):
        return None
    line = build.line
    if line.in_force is None:
        return None
    working = (
        build.policy.current()["version"] if language == files.default else page.meta.get("translation_of")
    )
    draft = any(d.path == page.file.src_uri for d in build.drafts_shown)
    shown = line.entry(str(working)) if draft else line.shown(language)
    if shown is None:  # recorded only for an announced version (or a draft): show the working text
        shown = line.entry(str(working)) or line.in_force
    return LiveState(shown, working, draft, language)


def markdown_to_show(build: PolicyBuild, page, language: str) -> str | None:
    """The archived text to show instead of a working text that is not the one to show (None:
    show the working text)."""
    state = live_state(build, page, language)
    if state is None or state.draft or state.shown["version"] == state.working:
        return None
    path = build.policy.files.docs / build.policy.files.archived_name(state.shown["version"], language)
    return get_data(path.read_text(encoding="utf-8"))[0]


def _link(target: str, page, label: str, hreflang: str | None = None) -> str:
    attribute = f' hreflang="{hreflang}"' if hreflang else ""
    return f'<a href="{html.escape(get_relative_url(target, page.url))}"{attribute}>{html.escape(label)}</a>'


def _notice(kind: str, text: str, links: list[str]) -> str:
    return (
        f'<div class="policy-notice" data-policy-notice="{kind}" role="note"><p>{html.escape(text)} '
        f"{' · '.join(links)}</p></div>"
    )


def live_notices(build: PolicyBuild, page, state: LiveState, texts) -> list[str]:
    files = build.policy.files
    default = files.default
    language = state.language
    t = texts[language]["policy"]
    line, shown = build.line, state.shown
    binding = None if language == default else default
    notices = []
    if state.draft:
        if language == default:
            link = _link(files.draft_redline, page, t["draft_changes"])
            notices.append(_notice("draft", t["draft"].format(version=shown["version"]), [link]))
        else:
            notices.append(_notice("draft", t["draft_translation"].format(version=state.working), []))
    current = line.in_force
    if language != default and version_key(shown["version"]) < version_key(current["version"]):
        text = t["lagging"].format(
            shown=shown["version"], current=current["version"], date=texts.when(current["date"], language)
        )
        links = [_link("", page, t["lagging_text"], binding)]
        links.append(_link(files.redline(current["version"]), page, t["lagging_changes"], binding))
        notices.append(_notice("lagging", text, links))
    for v in line.announced:
        target, own = files.archive_target(v["version"], language)
        label = t["announced_text"] if own else t["announced_text_original"]
        links = [
            _link(target, page, label.format(version=v["version"]), None if own else binding),
            _link(files.redline(v["version"]), page, t["announced_changes"], binding),
        ]
        text = t["announced"].format(version=v["version"], date=texts.when(v["date"], language))
        notices.append(_notice("announced", text, links))
    return notices


def meta_html(build: PolicyBuild, page, language: str, texts, root: str) -> str:
    """The version line (and notices) of a policy page in ``language``, whose home is ``root``."""
    files = build.policy.files
    default = files.default
    t, v = texts[language]["policy"], texts[language]["versions"]
    line = build.line
    archived = page.meta.get("archived_version")
    state = None
    if archived is not None:
        shown = line.entry(archived)
        if shown is None:
            raise PluginError(f"{page.file.src_uri}: archived_version {archived!r} is not in the manifest")
    else:
        state = live_state(build, page, language)
        shown = state.shown if state else build.policy.current()
    version_text = html.escape(shown["version"])
    if state and state.draft:
        version_text += f" ({html.escape(t['draft_marker'])})"
    parts = [
        f"<span>{html.escape(t['version'])}: <strong data-policy-version>{version_text}</strong></span>",
        f'<span>{html.escape(t["updated"])}: <time datetime="{shown["date"].isoformat()}">'
        f"{html.escape(texts.month(shown['date'], language))}</time></span>",
    ]
    notices = []
    if archived is None:
        if line.versions:
            parts.append(f"<span>{_link(root + files.folder + '/', page, v['history'])}</span>")
        older = [e for e in line.versions if version_key(e["version"]) < version_key(shown["version"])]
        if older:
            previous = older[-1]["version"]
            target, own = files.archive_target(previous, language)
            label = v["previous"].format(version=previous)
            parts.append(f"<span>{_link(target, page, label, None if own else default)}</span>")
        if state:
            notices = live_notices(build, page, state, texts)
    else:
        status = line.status(archived)
        current = line.in_force["version"]
        text = v[f"archived_{status}"].format(
            version=archived, current=current, date=texts.when(shown["date"], language)
        )
        links = [] if status == "in_force" else [_link(root or "./", page, v["current_link"])]
        notices.append(
            f'<p class="policy-archive-notice" role="note">{html.escape(text)}'
            + (" " + links[0] if links else "")
            + "</p>"
        )
    return f'<p class="policy-meta">{" ".join(parts)}</p>' + "".join(notices)
