"""The editors' report on the working texts (``privacy-kit report``): what a pull request
proposes, as GitHub-flavoured Markdown for its job summary, in the site's default language.

    privacy-kit report [--artifact NAME --run-url URL] >> "$GITHUB_STEP_SUMMARY"

It says whether the policy page is a draft and shows its redline (made by the same code as the
site's redline pages), what publishing it will do (the files new-version will write, the consent
revision raised or kept, the translations that will lag), every refusal publishing or the build
would give, and where to look at the built draft. Exit status: 0 when the draft can be published
(or there is none and the site builds), 1 when publishing or the build would refuse, 2 when the
project cannot be read.
"""

from __future__ import annotations

import sys

from babel import Locale

from ..consent import archive as consent_archive
from ..editing import FrontMatter
from ..policy.model import today, version_key
from ..policy.redline import redline_gfm
from ..tools.building import check_build
from .common import Refused, parser, project
from .new_version import plan


def next_version(version: str) -> str:
    major, minor = version.split(".")
    return f"{major}.{int(minor) + 1}"


def language_name(language: str, in_language: str) -> str:
    return Locale.parse(language).get_display_name(in_language) or language


class Report:
    """The report's Markdown, built up in order, and the refusals found."""

    def __init__(self, site):
        self.site = site
        self.default = site.languages.default
        self.t = site.texts[self.default]["report"]
        self.lines: list[str] = []
        self.refusals: list[tuple[str, str]] = []  # (what it means, the kit's reason)
        self.draft = False  # the policy page is a draft
        self.records_consent = False  # publishing the draft records the banner (a raised revision)

    def say(self, *paragraphs: str) -> None:
        for paragraph in paragraphs:
            self.lines += [paragraph, ""]

    def refuse(self, meaning: str, reason: str) -> None:
        if (meaning, reason) not in self.refusals:
            self.refusals.append((meaning, reason))

    def when(self, date) -> str:
        return self.site.texts.when(date, self.default)

    def page(self) -> str:
        """The policy page, as the site's owner knows it."""
        options = self.site.options.policy
        return f"`{self.site.relative(self.site.docs / options.page)}`" if options else "`docs/`"

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def policy_part(report: Report) -> None:
    """The draft, its redline and what publishing it will do; the refusals of the archive, the
    translations and publishing."""
    site, t, default = report.site, report.t, report.default
    policy = site.policy
    if policy is None:
        report.say(t["no_versions"].format(page=report.page()))
        return
    for problem in policy.verify_archive():
        report.refuse(t["refusal_archive"].format(page=report.page()), problem)
    current = policy.current()
    drafts = policy.drafts(site.languages.others)
    draft = next((d for d in drafts if d.path == policy.files.page), None)
    published = {v["version"] for v in policy.versions()}
    for other in (d for d in drafts if d is not draft):
        if other.version in published:  # edited after it was recorded, or never recorded
            file = f"`{site.relative(policy.files.docs / other.path)}`"
            report.refuse(t["refusal_translation"].format(file=file, language=other.language), str(other))
        elif draft is None:  # prepared for a version that no draft is about to become
            report.refuse(t["refusal_build"], str(other))
    if draft is None:
        report.say(
            t["no_draft"].format(
                page=report.page(), version=current["version"], date=report.when(current["date"])
            )
        )
        return
    report.draft = True
    report.say(
        t["draft"].format(page=report.page(), version=current["version"], date=report.when(current["date"]))
    )
    docs, files = policy.files.docs, policy.files
    old = (docs / files.archived_name(current["version"], default)).read_text(encoding="utf-8")
    new = (docs / files.page).read_text(encoding="utf-8")
    labels = site.texts[default]["versions"]
    report.say(f"## {t['changes'].format(version=current['version'])}", t["changes_intro"])
    report.say(redline_gfm(old, new, labels).rstrip("\n"))

    report.say(f"## {t['publishing']}")
    version = next_version(max((v["version"] for v in policy.versions()), key=version_key))
    date = max(today(), current["date"])
    try:
        writes, _ = plan(site, version, date.isoformat(), {default: "report"}, today(), built=True)
    except Refused as reason:
        report.refuse(t["refusal_publish"], str(reason))
        return
    report.say(t["publish_how"].format(version=version))
    items = []
    revision = site.options.consent.revision if site.options.consent else None
    if site.config_file in writes:
        items.append(t["revision_raised"].format(old=revision, new=revision + 1))
        report.records_consent = True
    elif revision is not None:
        items.append(t["revision_kept"].format(revision=revision))
    lagging, frozen = [], []
    for lang in site.languages.others:
        path = docs / files.translation_path(lang)
        if not path.is_file():
            continue
        translates = str(FrontMatter(path.read_text(encoding="utf-8")).data.get("translation_of"))
        item = dict(language=language_name(lang, default), file=f"`{site.relative(path)}`")
        if translates == version:
            frozen.append(t["frozen_item"].format(**item, version=version))
        else:
            lagging.append(t["lagging_item"].format(**item, version=translates))
    items.append(
        "\n".join([t["lagging"], *(f"  - {line}" for line in lagging)]) if lagging else t["no_lagging"]
    )
    items += frozen
    report.say("\n".join(f"- {item}" for item in items))
    report.say(t["files"], "\n".join(f"- `{site.relative(path)}`" for path in writes))


def consent_part(report: Report) -> None:
    """An unrecorded change of the banner, the preferences or the cookie list (unless publishing
    records it, with a raised revision)."""
    site = report.site
    options = site.options.consent
    if options is None or report.records_consent:
        return
    path = site.docs / options.archive
    entries = consent_archive.load(path, site.relative(path))
    current = consent_archive.snapshot_of(site)
    for problem in consent_archive.problems(
        entries, options.revision, current, site.relative(path), site.texts
    ):
        report.refuse(report.t["refusal_consent"], problem)


def refusals_part(report: Report, build_tail: str | None) -> None:
    t = report.t
    if build_tail is not None and not report.refusals:
        report.refuse(t["refusal_build"], build_tail)
    report.say(f"## {t['refusals']}")
    if not report.refusals:
        report.say(t["no_refusals"] if report.draft else t["no_refusals_site"])
        return
    report.say(t["refused_intro"])
    for meaning, reason in report.refusals:
        quoted = "\n".join(f"  {line}" for line in reason.splitlines())
        report.say(f"- **{meaning}**\n\n  ```text\n{quoted}\n  ```")


def where_part(report: Report, artifact: str, run_url: str) -> None:
    t, site = report.t, report.site
    items = []
    if artifact and run_url:
        items.append(t["artifact"].format(name=artifact, url=run_url))
    if site.policy is not None:
        items.append(t["preview"].format(path=site.policy.files.draft_redline))
    if items:
        report.say(f"## {t['where']}", "\n".join(f"- {item}" for item in items))


def write_report(site, artifact: str = "", run_url: str = "") -> tuple[str, bool]:
    """The report's Markdown and whether anything would be refused."""
    report = Report(site)
    report.say(f"# {report.t['title']}", report.t["today"].format(today=report.when(today())))
    build_tail = check_build(site.config_file)  # with drafts shown, as the pull request proposes them
    policy_part(report)
    consent_part(report)
    refusals_part(report, build_tail)
    where_part(report, artifact, run_url)
    return report.text(), bool(report.refusals)


def main(argv: list[str] | None = None) -> int:
    args_parser = parser("report", "The editors' report on the working texts, as GitHub-flavoured Markdown.")
    args_parser.add_argument("--artifact", default="", help="the name of the built draft site's artifact")
    args_parser.add_argument(
        "--run-url", default="", help="the address of the check's run (with the artifact)"
    )
    args = args_parser.parse_args(argv)
    site = project(args, "report")
    text, refused = write_report(site, args.artifact.strip(), args.run_url.strip())
    sys.stdout.write(text)
    return 1 if refused else 0
