"""Record what the cookie banner and preferences show now (``privacy-kit record-consent``;
``scripts/record-consent`` in this project).

    privacy-kit record-consent [--date YYYY-MM-DD]

Appends a snapshot of the banner and preferences texts and the cookie list (the plugin's
``consent.categories``) to the consent archive, for the configured consent revision, applying
from --date (default: today). Under the same revision it records a wording change; visitors
are not asked again. A new cookie or category needs a new revision: raise consent.revision
first, and every visitor is asked again.

Refuses, changing no file: nothing changed since the last snapshot, a new cookie or category
under the old revision, a revision lower than the last recorded, a date before the last one.
"""

from __future__ import annotations

import datetime
import sys

from ..command_line import parser, project
from ..consent.archive import NotRecorded, planned_record
from ..policy.model import today
from .common import Refused, apply


def main(argv: list[str] | None = None) -> int:
    args_parser = parser("record-consent", __doc__.splitlines()[0])
    args_parser.add_argument("--date", help="the date from which it applies, YYYY-MM-DD (default: today)")
    args = args_parser.parse_args(argv)
    site = project(args, "record-consent")
    try:
        try:
            date = datetime.date.fromisoformat(args.date) if args.date else today()
        except ValueError:
            raise Refused(f"--date {args.date!r}: expected a date like 2026-12-01") from None
        path, text, note = planned_record(site, date)
        writes = {path: text}
    except (Refused, NotRecorded) as reason:
        print(f"record-consent: refused, nothing changed: {reason}", file=sys.stderr)
        return 2
    apply(writes)
    for path in writes:
        print(f"  wrote {site.relative(path)}")
    print(f"  {note}")
    return 0
