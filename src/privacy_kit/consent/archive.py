"""What each consent was given on: an archive of the banner texts and cookie list per revision.

A stored consent record says ``{id, timestamp, revision}``. The consent archive (the plugin's
``consent.archive``, a YAML file under docs/) keeps, for each consent revision, every snapshot of
what the banner and the preferences said (the ``consent`` texts and the storage-record
description of each language) and of the cookie list (``consent.categories``), with the date
from which it applied. The record's revision and timestamp pick exactly one snapshot: the last
one of that revision dated on or before the timestamp. That is the proof of Art. 7(1) GDPR a
static site can give.

The build fails (strict) when what would be shown differs from the last snapshot, or when the
configured revision has none: record it with ``privacy-kit record-consent``. The message names
each difference (a cookie, a host, a row of the declaration, a text of one language) and whose it
is: the site's own edit (its mkdocs.yml, its texts files) or a new version of the kit (the kit's
own texts and rows; each snapshot records the kit's version that recorded it). Recording a wording
change keeps the revision (nobody is asked again for a typo); a new cookie or category needs a
new revision, so the recording command refuses it under the old one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from mkdocs.exceptions import PluginError

from .. import __version__, yaml_files
from ..config import Category, Cookie
from ..editing import appended
from ..providers import every, named

RECORD_TEXTS = ("storage_record_purpose", "storage_record_duration", "storage_record_provider")
HEADER = (
    "# What the cookie banner and preferences showed, per consent revision, and from when: a stored\n"
    "# consent record {id, timestamp, revision} points to the last snapshot of its revision dated on\n"
    "# or before its timestamp. Written by privacy-kit record-consent and new-version: do not edit.\n"
)


def _as_written(cookie: Cookie) -> dict:
    """A cookie of the declaration as its owner writes it in mkdocs.yml."""
    written = {
        "name": cookie.name,
        "provider": cookie.provider,
        "duration": cookie.duration,
        "purpose": cookie.purpose,
    }
    if cookie.storage != "cookie":
        written["storage"] = cookie.storage
    return written


def cookie_list(categories: dict[str, Category]) -> dict:
    """The configured categories, their cookies and the hosts of their embeds, as written in mkdocs.yml."""
    listed = {}
    for name, category in categories.items():
        listed[name] = {"cookies": [_as_written(c) for c in category.cookies]}
        if category.hosts:
            listed[name]["hosts"] = list(category.hosts)
    return listed


PALETTE_TEXTS = ("palette_purpose", "palette_duration")
EMBED_REQUEST_TEXTS = ("request_name", "embed_request_purpose", "embed_request_duration")


def snapshot(
    categories: dict[str, Category],
    texts,
    languages,
    palette: bool = False,
    provider: str | None = None,
    theme_storage: tuple[tuple[str, str], ...] = (),
) -> dict:
    """What a visitor is shown before consenting, in every language: banner and preferences
    texts, the description of the record that stores the choice and of the services that
    receive data without a cookie (the analytics ``provider``, when it sets none; embeds), and the
    cookie list."""
    hosts = any(category.hosts for category in categories.values())
    recipients = (EMBED_REQUEST_TEXTS if hosts else ()) + (
        named(provider).texts if provider is not None and "analytics" in categories else ()
    )
    stored = tuple(f"{name}_purpose" for _, name in theme_storage) + (
        ("palette_duration",) if theme_storage else ()
    )
    shown = {}
    for language in sorted(languages):
        data = texts[language]
        consent = dict(data["consent"])  # the labels of the categories the banner offers, no others
        consent["categories"] = {name: data["consent"]["categories"].get(name) for name in categories}
        shown[language] = {
            "consent": consent,
            "declaration": {
                key: data["declaration"][key]
                for key in dict.fromkeys(
                    RECORD_TEXTS + (PALETTE_TEXTS if palette else ()) + stored + recipients
                )
            },
        }
        if hosts:  # click-to-load placeholders ask too
            shown[language]["embed"] = data["embed"]
    return {"texts": shown, "cookies": cookie_list(categories)}


def fingerprint(snap: dict) -> str:
    return hashlib.sha256(
        json.dumps(snap, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def cookie_names(snap: dict) -> dict[str, list[str]]:
    """Category -> cookie names: what consent is asked for (a change needs a new revision)."""
    return {
        category: sorted(c.get("name", "") for c in (value or {}).get("cookies") or [])
        for category, value in (snap["cookies"] or {}).items()
    }


def load(path: Path, shown_as: str) -> list[dict]:
    """The archive's snapshots, oldest first, each checked against its own hash."""
    if not path.is_file():
        return []
    data = yaml_files.load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise PluginError(f"{shown_as}: expected a list of snapshots, got {type(data).__name__}")
    previous = (0, datetime.date.min)
    for i, entry in enumerate(data):
        where = f"{shown_as}[{i}]"
        if not isinstance(entry, dict) or not {"revision", "from", "sha256", "texts", "cookies"} <= set(
            entry
        ):
            raise PluginError(
                f"{where}: expected revision, from, sha256, texts and cookies, got {entry!r:.200}"
            )
        if not isinstance(entry["revision"], int) or not isinstance(entry["from"], datetime.date):
            raise PluginError(
                f"{where}: expected a whole-number revision and a date, got {entry['revision']!r}, {entry['from']!r}"
            )
        if (entry["revision"], entry["from"]) < previous:
            raise PluginError(f"{where}: snapshots must be listed oldest first (revision, then date)")
        previous = (entry["revision"], entry["from"])
        if fingerprint({"texts": entry["texts"], "cookies": entry["cookies"]}) != entry["sha256"]:
            raise PluginError(
                f"{where} (revision {entry['revision']} from {entry['from']}) was edited after it was recorded: "
                "restore it with git checkout; record new texts with privacy-kit record-consent"
            )
    return data


def problems(entries: list[dict], revision: int, current: dict, shown_as: str, texts=None) -> list[str]:
    """Why what the site would show now (``current``, a snapshot) is not what the archive
    recorded last ([] if it is), naming each difference and whose it is. ``texts`` (the site's
    Texts) tells the site's own texts from the kit's."""
    last = entries[-1] if entries else None
    if last is None or last["revision"] != revision:
        return [
            f"consent revision {revision} (consent.revision in mkdocs.yml) has no snapshot in {shown_as}: "
            "record what the banner shows with privacy-kit record-consent"
        ]
    if last["sha256"] != fingerprint(current):
        own = texts.own_keys if texts is not None else None
        found = differences(last, current, own)
        return [
            f"the banner or preferences texts or the cookie list (mkdocs.yml) differ from what {shown_as} "
            f"recorded for revision {revision} (from {last['from']}):\n"
            + "\n".join(f"  - {text} ({whose})" for text, whose in found[:MOST])
            + (f"\n  - and {len(found) - MOST} more" if len(found) > MOST else "")
            + f"\n{cause(found, last.get('kit'))}: record them with privacy-kit record-consent "
            "(a wording change keeps the revision; a new cookie needs a new one)"
        ]
    return []


MOST = 20  # differences named in one message
SITE, KIT = "the site's own edit", "new in this version of the kit"


def cause(found: list[tuple[str, str]], recorded_with: str | None) -> str:
    """Whose the differences are, in a sentence: the site's, the kit's, or both."""
    kit = f"privacy-kit {__version__}; the snapshot was recorded with " + (
        f"privacy-kit {recorded_with}" if recorded_with else "an earlier version (see CHANGELOG.md)"
    )
    whose = {w for _, w in found}
    if whose == {KIT}:
        return f"Nothing of this is the site's own edit: it comes from the kit ({kit})"
    if KIT in whose:
        return f"Some of this is the site's own edit, the rest comes from the kit ({kit})"
    return "This is the site's own edit"


def flat(tree: dict, prefix: str = "") -> dict[str, object]:
    """A tree of texts as dotted keys: {"consent": {"title": …}} -> {"consent.title": …}."""
    found = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            found.update(flat(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = value
    return found


def differences(recorded: dict, current: dict, own=None) -> list[tuple[str, str]]:
    """What differs between the snapshot ``recorded`` and ``current``: (what, whose) pairs. The
    cookie list is the site's (mkdocs.yml); a text is the site's where its texts file has the key
    (``own(language)``: the dotted keys it defines), else the kit's; a row of the declaration the
    kit adds for hosts already recorded is the kit's."""
    found = cookie_differences(recorded["cookies"] or {}, current["cookies"] or {})
    rows, explained = new_rows(recorded, current)
    found += rows
    for language in sorted(set(recorded["texts"]) | set(current["texts"])):
        before = flat(recorded["texts"].get(language) or {})
        after = flat(current["texts"].get(language) or {})
        mine = own(language) if own is not None else set()
        for key in sorted(set(before) | set(after)):
            if before.get(key) == after.get(key) or key in explained:
                continue
            change = "new" if key not in before else "no longer shown" if key not in after else "changed"
            if key in mine:
                found.append((f"texts/{language}.yml {key} {change}", SITE))
            else:
                found.append((f"the kit's text {key} ({language}) {change}", KIT))
    return found


def cookie_differences(recorded: dict, current: dict) -> list[tuple[str, str]]:
    """The cookie list's differences: categories, cookies and their fields, embeds' hosts."""
    found = []
    for category in [*recorded, *(c for c in current if c not in recorded)]:
        if category not in current:
            found.append((f"mkdocs.yml: category '{category}' removed", SITE))
            continue
        if category not in recorded:
            found.append((f"mkdocs.yml: new category '{category}'", SITE))
        before = {c.get("name"): c for c in (recorded.get(category) or {}).get("cookies") or []}
        after = {c.get("name"): c for c in (current[category] or {}).get("cookies") or []}
        for name in [*before, *(n for n in after if n not in before)]:
            if name not in after:
                found.append((f"mkdocs.yml: cookie '{name}' removed (category {category})", SITE))
            elif name not in before:
                found.append((f"mkdocs.yml: new cookie '{name}' (category {category})", SITE))
            elif before[name] != after[name]:
                fields = sorted(
                    k
                    for k in set(before[name]) | set(after[name])
                    if before[name].get(k) != after[name].get(k)
                )
                found.append(
                    (f"mkdocs.yml: cookie '{name}' (category {category}): {', '.join(fields)} changed", SITE)
                )
        hosts_before = (recorded.get(category) or {}).get("hosts") or []
        hosts_after = (current[category] or {}).get("hosts") or []
        found += [
            (f"mkdocs.yml: new host {h} (category {category})", SITE)
            for h in hosts_after
            if h not in hosts_before
        ]
        found += [
            (f"mkdocs.yml: host {h} removed (category {category})", SITE)
            for h in hosts_before
            if h not in hosts_after
        ]
    return found


def new_rows(recorded: dict, current: dict) -> tuple[list[tuple[str, str]], set[str]]:
    """Rows of the declaration the kit now adds for what was recorded (the embeds' hosts as
    "Request to …", an analytics service's that sets no cookie), and the text keys they explain."""
    found, explained = [], set()
    if not current["texts"]:
        return found, explained
    language = "en" if "en" in current["texts"] else sorted(current["texts"])[0]
    before = recorded["texts"].get(language, {}).get("declaration", {})
    after = current["texts"][language].get("declaration", {})
    services = [(service.texts, service.title) for service in every() if service.texts]
    for texts, kind in ((EMBED_REQUEST_TEXTS, "hosts"), *services):
        added = [k for k in texts if k in after and k not in before]
        if not added:
            continue
        explained |= {f"declaration.{k}" for k in added}
        if kind != "hosts":  # an analytics service's row
            found.append((f"declaration: new row for the requests to {kind} (category analytics)", KIT))
            continue
        for category, value in (current["cookies"] or {}).items():
            recorded_hosts = ((recorded["cookies"] or {}).get(category) or {}).get("hosts") or []
            for origin in [h for h in (value or {}).get("hosts") or [] if h in recorded_hosts]:
                name = after["request_name"].format(host=origin.split("//", 1)[-1].split("/", 1)[0])
                found.append((f"declaration: new row '{name}' (category {category})", KIT))
    return found, explained


def snapshot_for(entries: list[dict], revision: int, timestamp: str) -> dict | None:
    """The snapshot a stored consent record ``{revision, timestamp}`` was given on: the last one
    of its revision that applied on the record's (UTC) date; None if there is none."""
    day = datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(datetime.UTC).date()
    matching = [e for e in entries if e["revision"] == revision and e["from"] <= day]
    return matching[-1] if matching else None


def entry(revision: int, date: datetime.date, snap: dict) -> dict:
    """A snapshot as the archive keeps it; ``kit`` (the kit's version that recorded it) is not
    part of what its hash covers, so snapshots recorded before it existed stay valid."""
    return {"revision": revision, "from": date, "sha256": fingerprint(snap), "kit": __version__, **snap}


class NotRecorded(Exception):
    """Why a snapshot cannot be recorded; nothing has been changed."""


def record(entries: list[dict], revision: int, date: datetime.date, snap: dict) -> tuple[list[dict], str]:
    """The archive with ``snap`` recorded for ``revision`` from ``date``, and what to tell the
    editor; raises NotRecorded. Under the same revision only the wording may change: a new
    cookie or category was not covered by the consent already given."""
    last = entries[-1] if entries else None
    if last:
        if revision < last["revision"]:
            raise NotRecorded(
                f"consent.revision is {revision}, lower than the last recorded revision {last['revision']}"
            )
        if date < last["from"]:
            raise NotRecorded(
                f"--date {date.isoformat()} is before the last snapshot's date {last['from'].isoformat()}"
            )
        if revision == last["revision"]:
            if fingerprint(snap) == last["sha256"]:
                raise NotRecorded(
                    f"nothing changed since the snapshot of revision {revision} from {last['from']}"
                )
            if cookie_names(snap) != cookie_names(last):
                raise NotRecorded(
                    f"the cookie list names other cookies than revision {revision} recorded ({cookie_names(last)} -> "
                    f"{cookie_names(snap)}): consent given under revision {revision} did not cover them; raise "
                    f"consent.revision to {revision + 1} in mkdocs.yml, then record"
                )
    kind = (
        "a wording change under the same revision: visitors are not asked again"
        if last and revision == last["revision"]
        else "a new revision: every visitor is asked again"
    )
    return [
        *entries,
        entry(revision, date, snap),
    ], f"recorded consent revision {revision} from {date.isoformat()} ({kind})"


def check_renders(site) -> None:
    """Render, in every language, what a snapshot records (the banner's texts and labels, the
    declaration's rows): raises PluginError where the build would."""
    from .banner import template_data
    from .declaration import consent_from, declaration_html

    consent = consent_from(site.options, site.palette_key, theme_storage=site.theme_storage)
    for language in site.languages.all:
        if consent is not None and consent.categories:
            template_data(consent, site.texts[language], language, "", "")
        if consent is not None:
            declaration_html(consent, site.texts[language], language)


def current(options, texts, languages, palette_key: str | None, theme_storage: tuple = ()) -> dict:
    """What the banner shows now, from the plugin's validated options (its build checks this
    against the archive; record-consent records it): the one place its inputs are read."""
    analytics = options.analytics
    return snapshot(
        options.consent.categories,
        texts,
        languages,
        palette_key is not None,
        analytics.provider if analytics is not None else None,
        tuple(theme_storage),
    )


def snapshot_of(site) -> dict:
    """What the banner of the project ``site`` shows now (as its build checks it)."""
    return current(site.options, site.texts, site.languages.all, site.palette_key, site.theme_storage)


def planned_record(site, date: datetime.date, revision: int | None = None) -> tuple[Path, str, str]:
    """For the project ``site``: the consent archive's path, its text with what the banner shows
    now recorded, and what to tell the editor; raises NotRecorded. ``revision`` overrides the
    configured one (for new-version, which is about to raise it)."""
    options = site.options.consent
    if options is None:
        raise NotRecorded(f"{site.relative(site.config_file)} configures no consent: nothing to record")
    revision = options.revision if revision is None else revision
    path = site.docs / options.archive
    entries = load(path, site.relative(path))
    try:
        shown = snapshot_of(site)
        check_renders(site)
    except PluginError as error:  # what the build would refuse is never recorded as shown
        raise NotRecorded(f"the build would refuse it: {error}") from None
    recorded, note = record(entries, revision, date, shown)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    return path, appended(old, recorded[len(entries) :], HEADER), note
