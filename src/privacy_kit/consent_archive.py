"""What each consent was given on: an archive of the banner texts and cookie list per revision.

A stored consent record says ``{id, timestamp, revision}``. ``docs/versies/consent.yml`` keeps,
for each consent revision, every snapshot of what the banner and the preferences said (the
``consent`` texts and the storage-record description of each language) and of the cookie list
(``extra.cookie_consent.categories``), with the date from which it applied. The record's
revision and timestamp pick exactly one snapshot: the last one of that revision dated on or
before the timestamp. That is the proof of Art. 7(1) GDPR a static site can give.

The build fails (strict) when what would be shown differs from the last snapshot, or when the
revision in mkdocs.yml has none: record it with scripts/record-consent. Recording a wording
change keeps the revision (nobody is asked again for a typo); a new cookie or category needs a
new revision, so the recording command refuses it under the old one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.consent_archive")
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: the archive grows

ARCHIVE = "versies/consent.yml"  # relative to docs/
TEXTS_DIR = Path(__file__).resolve().parents[2] / "texts"
RECORD_TEXTS = ("storage_record_purpose", "storage_record_duration", "storage_record_provider")
HEADER = (
    "# What the cookie banner and preferences showed, per consent revision, and from when: a stored\n"
    "# consent record {id, timestamp, revision} points to the last snapshot of its revision dated on\n"
    "# or before its timestamp. Written by scripts/record-consent and scripts/new-version: do not edit.\n"
)


def snapshot(categories: dict, texts_dir: Path = TEXTS_DIR) -> dict:
    """What a visitor is shown before consenting, in every language: banner and preferences
    texts, the description of the record that stores the choice, and the cookie list."""
    shown = {}
    for path in sorted(texts_dir.glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        shown[path.stem] = {
            "consent": data["consent"],
            "declaration": {key: data["declaration"][key] for key in RECORD_TEXTS},
        }
    return {"texts": shown, "cookies": categories}


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


def load(docs_dir: str | Path) -> list[dict]:
    """The archive's snapshots, oldest first, each checked against its own hash."""
    path = Path(docs_dir) / ARCHIVE
    if not path.is_file():
        return []
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or []
    if not isinstance(data, list):
        raise PluginError(f"{ARCHIVE}: expected a list of snapshots, got {type(data).__name__}")
    previous = (0, datetime.date.min)
    for i, entry in enumerate(data):
        where = f"{ARCHIVE}[{i}]"
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
                "restore it with git checkout; record new texts with scripts/record-consent"
            )
    return data


def problems(docs_dir: str | Path, revision: int, categories: dict, texts_dir: Path = TEXTS_DIR) -> list[str]:
    """Why what the site would show now is not what the archive recorded last ([] if it is)."""
    entries = load(docs_dir)
    current = snapshot(categories, texts_dir)
    last = entries[-1] if entries else None
    if last is None or last["revision"] != revision:
        return [
            f"consent revision {revision} (extra.cookie_consent.revision) has no snapshot in docs/{ARCHIVE}: "
            "record what the banner shows with scripts/record-consent"
        ]
    if last["sha256"] != fingerprint(current):
        return [
            f"the banner or preferences texts (texts/*.yml) or the cookie list (mkdocs.yml) differ from "
            f"what docs/{ARCHIVE} recorded for revision {revision} (from {last['from']}): record them with "
            "scripts/record-consent (a wording change keeps the revision; a new cookie needs a new one)"
        ]
    return []


def snapshot_for(entries: list[dict], revision: int, timestamp: str) -> dict | None:
    """The snapshot a stored consent record ``{revision, timestamp}`` was given on: the last one
    of its revision that applied on the record's (UTC) date; None if there is none."""
    day = datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(datetime.UTC).date()
    matching = [e for e in entries if e["revision"] == revision and e["from"] <= day]
    return matching[-1] if matching else None


def entry(revision: int, date: datetime.date, snap: dict) -> dict:
    return {"revision": revision, "from": date, "sha256": fingerprint(snap), **snap}


def archive_text(entries: list[dict]) -> str:
    return HEADER + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)


def on_pre_build(config):
    from texts import languages

    if config.theme["language"] != languages(config)[0]:
        return  # static-i18n's other languages: checked once
    consent = config.extra.get("cookie_consent")
    if not isinstance(consent, dict) or not isinstance(consent.get("revision"), int):
        return  # no consent configured (or invalid: cookie_consent.py says why)
    for problem in problems(config.docs_dir, consent["revision"], consent.get("categories") or {}):
        log.warning("Consent archive: %s", problem)
