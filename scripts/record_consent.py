"""Record what the cookie banner and preferences show now (run via scripts/record-consent).

    scripts/record-consent [--date YYYY-MM-DD]

Appends a snapshot of the banner and preferences texts (texts/*.yml) and the cookie
list (mkdocs.yml) to docs/versies/consent.yml, for the consent revision in mkdocs.yml, applying
from --date (default: today). Under the same revision it records a wording change; visitors are
not asked again. A new cookie or category needs a new revision: raise
extra.cookie_consent.revision first, and every visitor is asked again.

Refuses, changing no file: nothing changed since the last snapshot, a new cookie or category
under the old revision, a revision lower than the last recorded, a date before the last one.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src" / "privacy_kit"))

from atomic import write_atomic  # noqa: E402
from check_translations import read_config  # noqa: E402
from consent_archive import ARCHIVE, archive_text, cookie_names, entry, fingerprint, load, snapshot  # noqa: E402


class Refused(Exception):
    """A reason not to record; nothing has been changed."""


def plan(project: Path, date: datetime.date, revision: int | None = None) -> tuple[str, str]:
    """The new archive text and what to tell the editor; raises Refused. ``revision`` overrides
    the one in mkdocs.yml (for scripts/new-version, which is about to raise it)."""
    consent = read_config(project / "mkdocs.yml")["extra"]["cookie_consent"]
    revision = consent["revision"] if revision is None else revision
    snap = snapshot(consent.get("categories") or {}, project / "texts")
    entries = load(project / "docs")
    last = entries[-1] if entries else None
    if last:
        if revision < last["revision"]:
            raise Refused(
                f"extra.cookie_consent.revision is {revision}, lower than the last recorded revision {last['revision']}"
            )
        if date < last["from"]:
            raise Refused(
                f"--date {date.isoformat()} is before the last snapshot's date {last['from'].isoformat()}"
            )
        if revision == last["revision"]:
            if fingerprint(snap) == last["sha256"]:
                raise Refused(
                    f"nothing changed since the snapshot of revision {revision} from {last['from']}"
                )
            if cookie_names(snap) != cookie_names(last):
                raise Refused(
                    f"the cookie list names other cookies than revision {revision} recorded ({cookie_names(last)} -> "
                    f"{cookie_names(snap)}): consent given under revision {revision} did not cover them; raise "
                    f"extra.cookie_consent.revision to {revision + 1} in mkdocs.yml, then record"
                )
    kind = (
        "a wording change under the same revision: visitors are not asked again"
        if last and revision == last["revision"]
        else "a new revision: every visitor is asked again"
    )
    text = archive_text([*entries, entry(revision, date, snap)])
    return text, f"recorded consent revision {revision} from {date.isoformat()} ({kind})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", help="the date from which it applies, YYYY-MM-DD (default: today)")
    parser.add_argument("--project", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        try:
            date = (
                datetime.date.fromisoformat(args.date)
                if args.date
                else datetime.datetime.now(datetime.UTC).date()
            )
        except ValueError:
            raise Refused(f"--date {args.date!r}: expected a date like 2026-12-01") from None
        text, note = plan(args.project, date)
    except Refused as reason:
        print(f"record-consent: refused, nothing changed: {reason}", file=sys.stderr)
        return 2
    write_atomic(args.project / "docs" / ARCHIVE, text)
    print(f"  wrote docs/{ARCHIVE}\n  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
