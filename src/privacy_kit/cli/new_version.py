"""Publish a new version of the privacy policy (``privacy-kit new-version``;
``scripts/new-version`` in this project).

    privacy-kit new-version 1.1 --date YYYY-MM-DD --summary "Bewaartermijn contactgegevens verduidelijkt."

Freezes the draft text of the policy page (in the default language) into the archive of
versions, together with any translation already updated for this version (translation_of:
"<version>"), records the files' sha256 in the manifest, sets the new version and date in the
policy page's front matter, and raises consent.revision in mkdocs.yml when the policy's cookie
section changed (recording the banner texts for the new revision in the consent archive).
A date after today announces the version: the site keeps showing the version in force and
says from when the new one applies. Other translations lag: they are published with a notice
until they are updated (privacy-kit check-translations prints what to translate).

Refuses, changing no file: a malformed or existing version, one not greater than the current,
a malformed date, one before the current version's or (without ``--backdate``) before today
in UTC (the date a version takes effect is a legal fact: a past one is given on purpose only),
an empty summary, a draft identical to the current
version, and a draft that does not pass a strict build.
"""

from __future__ import annotations

import datetime
import hashlib
import sys

from ..command_line import parser, project
from ..consent.archive import NotRecorded, planned_record
from ..editing import FrontMatter, YamlText, appended, same_style
from ..i18n import check
from ..policy.model import VERSION, Policy, body_of, frozen_copy, today, version_key
from ..policy.redline import sections
from ..project import PLUGIN
from .common import Refused, apply, require_strict_build

MANIFEST_HEADER = (
    "# Every published version of the privacy policy, oldest first. Written by privacy-kit new-version:\n"
    "# do not edit by hand. The build checks each archived file against its sha256.\n"
)


def cookie_section(markdown: str, anchor: str | None) -> list[str]:
    return next(
        ([line.render() for line in body] for found, _, body in sections(markdown, "") if found == anchor),
        [],
    )


def plugin_options(config: YamlText):
    """The privacy-kit entry of mkdocs.yml's plugins list, as written."""
    for item in config.data.get("plugins") or []:
        if isinstance(item, dict) and PLUGIN in item:
            return item[PLUGIN]
    raise Refused(f"mkdocs.yml has no {PLUGIN} entry under plugins")


def plan(
    site,
    version: str,
    date_text: str,
    summaries: dict[str, str],
    now: datetime.date,
    backdate: bool = False,
    built: bool = False,
):
    """Every file to write (path -> new content) and what to tell the editor; raises Refused.
    ``now`` is today (UTC); a ``date_text`` before it is refused unless ``backdate``. ``built``:
    the caller made the strict check build of the draft itself (privacy-kit report)."""
    policy = site.policy
    if policy is None:
        raise Refused("mkdocs.yml publishes no policy versions (the privacy-kit plugin's policy.versions)")
    files, docs, default = policy.files, site.docs, site.languages.default
    if not VERSION.match(version):
        raise Refused(f"version {version!r}: expected two numbers like 1.1")
    try:
        date = datetime.date.fromisoformat(date_text)
    except ValueError:
        raise Refused(f"--date {date_text!r}: expected a date like 2026-12-01") from None
    if not summaries.get(default, "").strip():
        raise Refused(f"--summary is empty: say in one line what changed ({default})")
    current = policy.current()
    versions = policy.versions()
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
    if date < now and not backdate:
        raise Refused(
            f"--date {date_text} is before today ({now.isoformat()}, UTC): a version takes effect on "
            "its date, so a date in the past says it applied before anyone could read it. Give today "
            "or a later date, or --backdate if the version really took effect then"
        )

    policy_path = docs / files.page
    draft = policy_path.read_text(encoding="utf-8")
    previous = docs / files.archived_name(current["version"], default)
    previous_text = previous.read_text(encoding="utf-8") if previous.is_file() else ""
    if previous_text and body_of(previous_text) == body_of(draft):
        raise Refused(
            f"docs/{files.page} has the same text as version {current['version']}: change the draft first"
        )
    if not built:
        require_strict_build(site, "the draft")

    writes, notes = {}, []
    archive = {default: docs / files.archived_name(version, default)}
    writes[archive[default]] = frozen_copy(draft, version, site.texts[default])
    for lang in site.languages.others:
        translation = docs / files.translation_path(lang)
        text = translation.read_text(encoding="utf-8") if translation.is_file() else ""
        if text and str(FrontMatter(text).data.get("translation_of")) == version:
            archive[lang] = docs / files.archived_name(version, lang)
            writes[archive[lang]] = frozen_copy(text, version, site.texts[lang])
            notes.append(f"froze the {lang} translation, already updated for {version}")

    front = FrontMatter(draft)
    front.data["policy"]["version"] = same_style(front.data["policy"]["version"], version)
    front.data["policy"]["date"] = date
    writes[policy_path] = front.text()

    revision = site.options.consent.revision if site.options.consent else None
    anchor = site.options.policy.cookie_section
    if (
        revision is not None
        and anchor
        and cookie_section(previous_text, anchor) != cookie_section(draft, anchor)
    ):
        revision += 1
        config = YamlText(site.config_file.read_text(encoding="utf-8"))
        plugin_options(config)["consent"]["revision"] = revision
        writes[site.config_file] = config.text()
        try:
            path, text, _ = planned_record(site, now, revision)
        except NotRecorded as reason:
            raise Refused(f"the consent archive: {reason}") from None
        writes[path] = text
        archive_file = site.relative(path)
        notes.append(
            f"the cookie section changed: raised consent.revision to {revision} (every visitor is "
            f"asked again) and recorded what the banner shows in {archive_file}"
        )

    entry = {
        "version": version,
        "date": date,
        "published": now,
        "summary": {lang: text for lang, text in summaries.items() if text},
        "files": {
            path.relative_to(docs).as_posix(): hashlib.sha256(writes[path].encode("utf-8")).hexdigest()
            for path in archive.values()
        },
        "consent": {"revision": revision},
    }
    manifest = docs / files.manifest
    old = manifest.read_text(encoding="utf-8") if manifest.is_file() else None
    writes[manifest] = appended(old, [entry], MANIFEST_HEADER)
    return writes, notes


def main(argv: list[str] | None = None) -> int:
    args_parser = parser("new-version", "Publish a new version of the privacy policy.")
    args_parser.add_argument("version", help='the new version, e.g. "1.1"')
    args_parser.add_argument("--date", required=True, help="the date it takes effect, YYYY-MM-DD")
    args_parser.add_argument(
        "--summary", required=True, help="one line in the default language: what changed"
    )
    args_parser.add_argument(
        "--backdate",
        action="store_true",
        help="allow a --date before today (UTC): the version took effect in the past, on purpose",
    )
    known, _ = args_parser.parse_known_args(argv)
    site = project(known, "new-version")
    for lang in site.languages.others:
        args_parser.add_argument(f"--summary-{lang}", default="", help=f"the same in {lang} (optional)")
    args = args_parser.parse_args(argv)
    summaries = {site.languages.default: args.summary}
    summaries.update({lang: getattr(args, f"summary_{lang}") for lang in site.languages.others})
    try:
        writes, notes = plan(site, args.version, args.date, summaries, today(), args.backdate)
    except Refused as reason:
        print(f"new-version: refused, nothing changed: {reason}", file=sys.stderr)
        return 2
    apply(writes)
    print(f"Published version {args.version} (effective {args.date}):")
    for path in writes:
        print(f"  wrote {site.relative(path)}")
    for note in notes:
        print(f"  {note}")
    if datetime.date.fromisoformat(args.date) > today():
        print(
            f"  {args.date} is after today: version {args.version} is announced; the site shows it in force from then"
        )
    stale = check(site.docs, site.languages.others, Policy(site.policy.files))  # as written now
    if stale:
        print(
            "Translations now lagging (published with a notice until updated; privacy-kit check-translations"
        )
        print("prints the changes to translate):")
        for problem in stale:
            print(f"  {problem}")
    return 0
