"""Publish a new version of the privacy policy (run via scripts/new-version).

    scripts/new-version 1.1 --date 2026-12-01 --summary "Bewaartermijn contactgegevens verduidelijkt."

Freezes the draft Dutch text (docs/index.md) into docs/versies/<version>/, together with any
translation already updated for this version (translation_of: "<version>"), records the files'
sha256 in docs/versies/versions.yml, sets the new version and date in docs/index.md, and raises
extra.cookie_consent.revision in mkdocs.yml when the cookie section changed (recording the
banner texts for the new revision in docs/versies/consent.yml).
A date after today announces the version: the site keeps showing the version in force and
says from when the new one applies. Other translations lag: they are published with a notice
until they are updated (scripts/check-translations prints what to translate).

Refuses, changing no file: a malformed or existing version, one not greater than the current,
a malformed date or one before the current, an empty summary, a draft identical to the current
version, and a draft that does not pass a strict build.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src" / "privacy_kit"))

import yaml  # noqa: E402
from atomic import write_atomic  # noqa: E402
from check_translations import other_languages, read_config  # noqa: E402
from consent_archive import ARCHIVE as CONSENT_ARCHIVE  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402
from policy import (  # noqa: E402
    ARCHIVE_DIR,
    MANIFEST,
    POLICY_PAGE,
    VERSION,
    body_of,
    current_policy,
    frozen_copy,
    load_versions,
    version_key,
)
from record_consent import Refused as ConsentRefused  # noqa: E402
from record_consent import plan as consent_plan  # noqa: E402
from translations import check  # noqa: E402
from versions import sections  # noqa: E402

COOKIE_SECTION = "8-cookies-en-websitegebruik"
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


class Refused(Exception):
    """A reason not to publish; nothing has been changed."""


def title_suffix(project: Path, language: str) -> str:
    """The "version {version}" label of ``language``, for an archived page's title."""
    texts = yaml.safe_load((project / "texts" / f"{language}.yml").read_text(encoding="utf-8"))
    return texts["versions"]["title_suffix"]


def cookie_section(markdown: str) -> list[str]:
    return next(
        (
            [line.render() for line in body]
            for anchor, _, body in sections(markdown, "")
            if anchor == COOKIE_SECTION
        ),
        [],
    )


def require_strict_build(project: Path, what: str) -> None:
    """A strict build of the project with its draft (which a production build would refuse);
    raises Refused, quoting the build's last lines, when it fails."""
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DRAFT": "allow"}
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", out],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise Refused(f"{what} does not pass a strict build; fix it first:\n{tail}")


def plan(
    project: Path, version: str, date_text: str, summaries: dict[str, str]
) -> tuple[dict[Path, str], list[str]]:
    """Every file to write (path -> new content) and what to tell the editor; raises Refused."""
    docs = project / "docs"
    if not VERSION.match(version):
        raise Refused(f"version {version!r}: expected two numbers like 1.1")
    try:
        date = datetime.date.fromisoformat(date_text)
    except ValueError:
        raise Refused(f"--date {date_text!r}: expected a date like 2026-12-01") from None
    if not summaries.get("nl", "").strip():
        raise Refused("--summary is empty: say in one line what changed (Dutch)")
    current = current_policy(docs)
    versions = load_versions(docs)
    if any(v["version"] == version for v in versions):
        raise Refused(
            f"version {version} was already published; choose a version greater than {current['version']}"
        )
    if version_key(version) <= version_key(current["version"]):
        raise Refused(f"version {version} is not greater than the current version {current['version']}")
    if date < current["date"]:
        raise Refused(
            f"--date {date_text} is before the current version's date {current['date'].isoformat()}"
        )

    policy_path = docs / POLICY_PAGE
    draft = policy_path.read_text(encoding="utf-8")
    previous = docs / ARCHIVE_DIR / current["version"] / POLICY_PAGE
    previous_text = previous.read_text(encoding="utf-8") if previous.is_file() else ""
    if previous_text and body_of(previous_text) == body_of(draft):
        raise Refused(
            f"docs/{POLICY_PAGE} has the same text as version {current['version']}: change the draft first"
        )
    require_strict_build(project, "the draft")

    writes, notes = {}, []
    archive = docs / ARCHIVE_DIR / version
    writes[archive / POLICY_PAGE] = frozen_copy(draft, version, title_suffix(project, "nl"))
    for lang in other_languages(project / "mkdocs.yml"):
        translation = docs / POLICY_PAGE.replace(".md", f".{lang}.md")
        text = translation.read_text(encoding="utf-8") if translation.is_file() else ""
        if str(get_data(text)[1].get("translation_of")) == version:
            writes[archive / translation.name] = frozen_copy(text, version, title_suffix(project, lang))
            notes.append(f"froze the {lang} translation, already updated for {version}")

    front = FRONT_MATTER.match(draft)
    new_front = re.sub(r'(\n  version: )"[^"]*"', rf'\g<1>"{version}"', "\n" + front[1])
    new_front = re.sub(r"(\n  date: )\S+", rf"\g<1>{date.isoformat()}", new_front)
    writes[policy_path] = "---" + new_front + "---\n" + draft[front.end() :]

    config_path = project / "mkdocs.yml"
    config_text = config_path.read_text(encoding="utf-8")
    revision = read_config(config_path)["extra"]["cookie_consent"]["revision"]
    if cookie_section(previous_text) != cookie_section(draft):
        revision += 1
        writes[config_path] = re.sub(r"(\n    revision: )\d+", rf"\g<1>{revision}", config_text, count=1)
        try:
            writes[docs / CONSENT_ARCHIVE], _ = consent_plan(project, today(), revision)
        except ConsentRefused as reason:
            raise Refused(f"the consent archive: {reason}") from None
        notes.append(
            f"the cookie section changed: raised extra.cookie_consent.revision to {revision} (every visitor is "
            f"asked again) and recorded what the banner shows in docs/{CONSENT_ARCHIVE}"
        )

    files = {
        path.relative_to(docs).as_posix(): content
        for path, content in writes.items()
        if path.parent == archive
    }
    entry = {
        "version": version,
        "date": date,
        "published": today(),
        "summary": {lang: text for lang, text in summaries.items() if text},
        "files": {
            name: hashlib.sha256(content.encode("utf-8")).hexdigest() for name, content in files.items()
        },
        "consent": {"revision": revision},
    }
    manifest = docs / MANIFEST
    old = manifest.read_text(encoding="utf-8") if manifest.is_file() else MANIFEST_HEADER
    writes[manifest] = (
        old.rstrip("\n") + "\n" + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    )
    return writes, notes


MANIFEST_HEADER = (
    "# Every published version of the privacy policy, oldest first. Written by scripts/new-version:\n"
    "# do not edit by hand. The build checks each archived file against its sha256.\n"
)


def apply(writes: dict[Path, str]) -> None:
    for path, content in writes.items():
        write_atomic(path, content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish a new version of the privacy policy.")
    parser.add_argument("version", help='the new version, e.g. "1.1"')
    parser.add_argument("--date", required=True, help="the date it takes effect, YYYY-MM-DD")
    parser.add_argument("--summary", required=True, help="one line in Dutch: what changed")
    parser.add_argument("--summary-en", default="", help="the same in English (optional)")
    parser.add_argument("--summary-de", default="", help="the same in German (optional)")
    parser.add_argument("--project", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    summaries = {"nl": args.summary, "en": args.summary_en, "de": args.summary_de}
    try:
        writes, notes = plan(args.project, args.version, args.date, summaries)
    except Refused as reason:
        print(f"new-version: refused, nothing changed: {reason}", file=sys.stderr)
        return 2
    apply(writes)
    print(f"Published version {args.version} (effective {args.date}):")
    for path in writes:
        print(f"  wrote {path.relative_to(args.project)}")
    for note in notes:
        print(f"  {note}")
    if datetime.date.fromisoformat(args.date) > today():
        print(
            f"  {args.date} is after today: version {args.version} is announced; the site shows it in force from then"
        )
    stale = check(args.project / "docs", other_languages(args.project / "mkdocs.yml"))
    if stale:
        print("Translations now lagging (published with a notice until updated; scripts/check-translations")
        print("prints the Dutch changes to translate):")
        for problem in stale:
            print(f"  {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
