"""Record a corrected, or late-finished, translation of a published policy version (run via
scripts/correct-translation). The Dutch text and its archive never change.

    scripts/correct-translation en --note "Terminology reviewed by a legal translator."

Reads docs/index.<lang>.md and the version it names (``translation_of``), which must be the
version in force or an announced one, and freezes it as docs/versies/<version>/index.<lang>.md:
the live page and the archive then show it. docs/versies/versions.yml records the new sha256
and keeps every earlier one under the version's ``corrections``.

Refuses, changing no file: a language the site does not have, a translation of an unpublished
or superseded version, a translation identical to what is recorded, an empty note, and a
translation that does not pass a strict build.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src" / "privacy_kit"))

import yaml  # noqa: E402
from check_translations import other_languages  # noqa: E402
from new_version import MANIFEST_HEADER, Refused, apply, require_strict_build, title_suffix, today  # noqa: E402
from policy import (  # noqa: E402
    MANIFEST,
    VERSION,
    archived_name,
    front_matter,
    frozen_copy,
    timeline,
    translation_path,
    version_key,
)


def plan(project: Path, language: str, note: str) -> tuple[dict[Path, str], list[str]]:
    """Every file to write (path -> new content) and what to tell the translator; raises Refused."""
    docs = project / "docs"
    languages = other_languages(project / "mkdocs.yml")
    if language not in languages:
        raise Refused(f"language {language!r}: expected one of the translated languages {languages}")
    if not note.strip():
        raise Refused(
            '--note is empty: say in one line what was corrected, e.g. --note "Terminology reviewed."'
        )
    source = docs / translation_path(language)
    version = front_matter(source).get("translation_of")
    if not isinstance(version, str) or not VERSION.match(version):
        raise Refused(f'docs/{source.name}: translation_of {version!r}: expected a version like "1.1"')
    line = timeline(docs, today())
    entry = line.entry(version)
    if entry is None:
        raise Refused(
            f"docs/{source.name} translates version {version}, which is not published: scripts/new-version "
            "freezes it with the Dutch text"
        )
    current = line.in_force
    if version_key(version) < version_key(current["version"]):
        raise Refused(
            f"docs/{source.name} translates version {version}, which no longer applies (version "
            f"{current['version']} applies since {current['date'].isoformat()}): translate that version, set "
            f'translation_of: "{current["version"]}", then record it'
        )
    name = archived_name(version, language, "nl")
    content = frozen_copy(source.read_text(encoding="utf-8"), version, title_suffix(project, language))
    target = docs / name
    old = target.read_text(encoding="utf-8") if target.is_file() else None
    if old == content:
        raise Refused(
            f"docs/{source.name} is identical to the recorded translation {name}: nothing to record"
        )
    require_strict_build(project, "the translation")

    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    manifest_path = docs / MANIFEST
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    raw = next(e for e in data if e["version"] == version)
    previous = raw["files"].get(name)
    raw["files"][name] = digest
    raw.setdefault("corrections", []).append(
        {"file": name, "date": today(), "sha256": digest, "replaces": previous, "note": note.strip()}
    )
    manifest = MANIFEST_HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    kind = "corrected" if previous else "late-finished"
    return {target: content, manifest_path: manifest}, [
        f"recorded the {kind} {language} translation of version {version} (sha256 {digest[:12]}…)"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("language", help="the translation's language, e.g. en")
    parser.add_argument("--note", required=True, help="one line: what was corrected or completed")
    parser.add_argument("--project", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        writes, notes = plan(args.project, args.language, args.note)
    except Refused as reason:
        print(f"correct-translation: refused, nothing changed: {reason}", file=sys.stderr)
        return 2
    apply(writes)
    for path in writes:
        print(f"  wrote {path.relative_to(args.project)}")
    for note in notes:
        print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
