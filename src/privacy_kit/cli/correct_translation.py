"""Record a corrected, or late-finished, translation of a published policy version
(``privacy-kit correct-translation``; ``scripts/correct-translation`` in this project). The
binding text and its archive never change.

    privacy-kit correct-translation en --note "Terminology reviewed by a legal translator."

Reads the policy page's translation (``index.<lang>.md``) and the version it names
(``translation_of``), which must be the version in force or an announced one, and freezes it
into that version's archive: the live page and the archive then show it. The manifest records
the new sha256 and keeps every earlier one under the version's ``corrections``.

Refuses, changing no file: a language the site does not have, a translation of an unpublished
or superseded version, a translation identical to what is recorded, an empty note, and a
translation that does not pass a strict build.
"""

from __future__ import annotations

import hashlib
import sys

from ..command_line import parser, project
from ..editing import YamlText, set_value
from ..policy.model import VERSION, front_matter, frozen_copy, today, version_key
from .common import Refused, apply, require_strict_build


def plan(site, language: str, note: str, now):
    """Every file to write (path -> new content) and what to tell the translator; raises Refused."""
    policy = site.policy
    if policy is None:
        raise Refused("mkdocs.yml publishes no policy versions (the privacy-kit plugin's policy.versions)")
    files, docs = policy.files, site.docs
    languages = list(site.languages.others)
    if language not in languages:
        raise Refused(f"language {language!r}: expected one of the translated languages {languages}")
    if not note.strip():
        raise Refused(
            '--note is empty: say in one line what was corrected, e.g. --note "Terminology reviewed."'
        )
    source = docs / files.translation_path(language)
    version = front_matter(source).get("translation_of")
    if not isinstance(version, str) or not VERSION.match(version):
        raise Refused(f'docs/{source.name}: translation_of {version!r}: expected a version like "1.1"')
    line = policy.timeline(now)
    entry = line.entry(version)
    if entry is None:
        raise Refused(
            f"docs/{source.name} translates version {version}, which is not published: privacy-kit new-version "
            "freezes it with the binding text"
        )
    current = line.in_force
    if version_key(version) < version_key(current["version"]):
        raise Refused(
            f"docs/{source.name} translates version {version}, which no longer applies (version "
            f"{current['version']} applies since {current['date'].isoformat()}): translate that version, set "
            f'translation_of: "{current["version"]}", then record it'
        )
    name = files.archived_name(version, language)
    content = frozen_copy(source.read_text(encoding="utf-8"), version, site.texts[language])
    target = docs / name
    old = target.read_text(encoding="utf-8") if target.is_file() else None
    if old == content:
        raise Refused(
            f"docs/{source.name} is identical to the recorded translation {name}: nothing to record"
        )
    require_strict_build(site, "the translation")

    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    manifest_path = docs / files.manifest
    manifest = YamlText(manifest_path.read_text(encoding="utf-8"))
    raw = next(e for e in manifest.data if str(e["version"]) == version)
    previous = raw["files"].get(name)
    set_value(raw["files"], name, digest)
    if raw.get("corrections") is None:
        raw["corrections"] = []
    raw["corrections"].append(
        {"file": name, "date": now, "sha256": digest, "replaces": previous, "note": note.strip()}
    )
    kind = "corrected" if previous else "late-finished"
    return {target: content, manifest_path: manifest.text()}, [
        f"recorded the {kind} {language} translation of version {version} (sha256 {digest[:12]}…)"
    ]


def main(argv: list[str] | None = None) -> int:
    args_parser = parser("correct-translation", __doc__.splitlines()[0].rstrip("("))
    args_parser.add_argument("language", help="the translation's language, e.g. en")
    args_parser.add_argument("--note", required=True, help="one line: what was corrected or completed")
    args = args_parser.parse_args(argv)
    site = project(args, "correct-translation")
    try:
        writes, notes = plan(site, args.language, args.note, today())
    except Refused as reason:
        print(f"correct-translation: refused, nothing changed: {reason}", file=sys.stderr)
        return 2
    apply(writes)
    for path in writes:
        print(f"  wrote {site.relative(path)}")
    for note in notes:
        print(f"  {note}")
    return 0
