"""The editors' report on the working texts (``privacy-kit report``): what a pull request
proposes, as GitHub-flavoured Markdown for its job summary, in the site's default language.

    privacy-kit report [--artifact NAME --run-url URL] [--base SHA --head SHA] >> "$GITHUB_STEP_SUMMARY"

From the top: whether the pull request changes the check itself (the kit, its scripts, the
workflows: ``--base``/``--head`` name the pull request's commits), then every refusal publishing
or the build would give, then whether the policy page is a draft and its redline (made by the
same code as the site's redline pages), what publishing it will do (the files new-version will
write, the consent revision raised or kept, the translations that will lag), and where to look
at the built draft.

Nothing that comes from the pull request shapes the report: the draft's words, file names,
versions, the site's texts and the kit's messages that quote them are escaped, put in code spans
or fenced (``privacy_kit.gfm``); the redline is one HTML block with every character escaped.

Exit status: 0 when the draft can be published (or there is none and the site builds), 1 when
publishing or the build would refuse, 2 when the project cannot be read or the changed files
cannot be listed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel import Locale

from ..command_line import parser, project
from ..consent import archive as consent_archive
from ..editing import FrontMatter
from ..gfm import bold, code, fenced, fill, link, text
from ..policy.model import today, version_key
from ..policy.redline import redline_gfm
from .common import Refused, check_build
from .new_version import plan

# What the check itself runs, relative to the repository: the kit, its scripts, the workflows
# and the package's definition. A pull request that changes one of them computes its own verdict.
CHECK_PATHS = ("src/", "scripts/", ".github/", "pyproject.toml")
# GitHub shows no job summary over 1 MiB: past this the redline gives way to a note.
SUMMARY_LIMIT = 1_000_000
REASON_LIMIT = 20_000  # characters of one refusal's reason
REDLINE = "\0redline\0"  # the redline's place among the report's lines (no Markdown has a NUL)


def next_version(version: str) -> str:
    major, minor = version.split(".")
    return f"{major}.{int(minor) + 1}"


def language_name(language: str, in_language: str) -> str:
    return Locale.parse(language).get_display_name(in_language) or language


class Report:
    """What the report says, gathered part by part, and the refusals found; ``text`` writes it
    in its order (the refusals first)."""

    def __init__(self, site, changed_code: list[str] | None = None):
        self.site = site
        self.default = site.languages.default
        self.t = site.texts[self.default]["report"]
        self.lines: list[str] = []  # after the refusals: the draft, its redline, publishing, where
        self.refusals: list[tuple[str, str]] = []  # (what it means, as Markdown; the kit's reason)
        self.changed_code = changed_code or []  # files of the check itself the pull request changes
        self.redline = ""  # the redline's HTML block, which stands at REDLINE among the lines
        self.draft = False  # the policy page is a draft
        self.records_consent = False  # publishing the draft records the banner (a raised revision)

    def say(self, *paragraphs: str) -> None:
        """Paragraphs of Markdown made by the report (every quoted value escaped by its maker)."""
        for paragraph in paragraphs:
            self.lines += [paragraph, ""]

    def fill(self, key: str, **values: str) -> str:
        return fill(self.t[key], **values)

    def refuse(self, meaning: str, reason: str) -> None:
        if (meaning, reason) not in self.refusals:
            self.refusals.append((meaning, reason))

    def when(self, date) -> str:
        return text(self.site.texts.when(date, self.default))

    def page(self) -> str:
        """The policy page, as the site's owner knows it."""
        options = self.site.options.policy
        return code(self.site.relative(self.site.docs / options.page)) if options else code("docs/")

    def file(self, path: Path) -> str:
        return code(self.site.relative(path))

    def top(self) -> list[str]:
        t = self.t
        lines = [f"# {text(t['title'])}", "", self.fill("today", today=self.when(today())), ""]
        if self.changed_code:
            lines += [f"## {text(t['untrusted'])}", "", self.fill("untrusted_why"), ""]
            lines += [*(f"- {code(name)}" for name in self.changed_code), ""]
        lines += [f"## {text(t['refusals'])}", ""]
        if not self.refusals:
            return [*lines, self.fill("no_refusals" if self.draft else "no_refusals_site"), ""]
        lines += [self.fill("refused_intro"), ""]
        for number, (meaning, reason) in enumerate(self.refusals, 1):
            if len(reason) > REASON_LIMIT:
                reason = reason[:REASON_LIMIT] + "\n…"
            lines += [f"### {number}\\. {meaning}", "", fenced(reason), ""]
        return lines

    def text(self, redline_shown: bool = True) -> str:
        if redline_shown or not self.redline:
            redline = self.redline
        else:
            redline = self.fill("redline_too_long", path=code(f"/{self.site.policy.files.draft_redline}"))
        lines = [redline if line == REDLINE else line for line in self.lines]
        return "\n".join([*self.top(), *lines]).rstrip("\n") + "\n"


def policy_part(report: Report) -> None:
    """The draft, its redline and what publishing it will do; the refusals of the archive, the
    translations and publishing."""
    site, t, default = report.site, report.t, report.default
    policy = site.policy
    if policy is None:
        report.say(report.fill("no_versions", page=report.page()))
        return
    for problem in policy.verify_archive():
        report.refuse(report.fill("refusal_archive", page=report.page()), problem)
    current = policy.current()
    drafts = policy.drafts(site.languages.others)
    draft = next((d for d in drafts if d.path == policy.files.page), None)
    published = {v["version"] for v in policy.versions()}
    for other in (d for d in drafts if d is not draft):
        if other.version in published:  # edited after it was recorded, or never recorded
            meaning = report.fill(
                "refusal_translation",
                file=report.file(policy.files.docs / other.path),
                language=text(other.language),
                workflow=bold(text("Record translation")),
                command=code(f"privacy-kit correct-translation {other.language}"),
            )
            report.refuse(meaning, str(other))
        elif draft is None:  # prepared for a version that no draft is about to become
            report.refuse(report.fill("refusal_build"), str(other))
    version, date = text(current["version"]), report.when(current["date"])
    if draft is None:
        report.say(report.fill("no_draft", page=report.page(), version=version, date=date))
        return
    report.draft = True
    report.say(report.fill("draft", page=report.page(), version=version, date=date))
    docs, files = policy.files.docs, policy.files
    old = (docs / files.archived_name(current["version"], default)).read_text(encoding="utf-8")
    new = (docs / files.page).read_text(encoding="utf-8")
    report.redline = redline_gfm(old, new, site.texts[default]["versions"]).rstrip("\n")
    report.say(f"## {report.fill('changes', version=version)}", report.fill("changes_intro"), REDLINE)

    report.say(f"## {text(t['publishing'])}")
    version = next_version(max((v["version"] for v in policy.versions()), key=version_key))
    date = max(today(), current["date"])
    try:
        writes, _ = plan(site, version, date.isoformat(), {default: "report"}, today(), built=True)
    except Refused as reason:
        report.refuse(report.fill("refusal_publish"), str(reason))
        return
    report.say(
        report.fill("publish_how", version=text(version), workflow=bold(text("Publish policy version")))
    )
    items = []
    revision = site.options.consent.revision if site.options.consent else None
    if site.config_file in writes:
        items.append(report.fill("revision_raised", old=text(revision), new=text(revision + 1)))
        report.records_consent = True
    elif revision is not None:
        items.append(report.fill("revision_kept", revision=text(revision)))
    lagging, frozen = [], []
    for lang in site.languages.others:
        path = docs / files.translation_path(lang)
        if not path.is_file():
            continue
        translates = str(FrontMatter(path.read_text(encoding="utf-8")).data.get("translation_of"))
        item = dict(language=text(language_name(lang, default)), file=report.file(path))
        if translates == version:
            frozen.append(report.fill("frozen_item", **item, version=text(version)))
        else:
            lagging.append(report.fill("lagging_item", **item, version=text(translates)))
    items.append(
        "\n".join([report.fill("lagging"), *(f"  - {line}" for line in lagging)])
        if lagging
        else report.fill("no_lagging")
    )
    items += frozen
    report.say("\n".join(f"- {item}" for item in items))
    report.say(report.fill("files"), "\n".join(f"- {report.file(path)}" for path in writes))


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
    meaning = report.fill(
        "refusal_consent",
        workflow=bold(text("Record cookie banner")),
        command=code("privacy-kit record-consent"),
    )
    for problem in consent_archive.problems(
        entries, options.revision, current, site.relative(path), site.texts
    ):
        report.refuse(meaning, problem)


def where_part(report: Report, artifact: str, run_url: str) -> None:
    site = report.site
    items = []
    if artifact and run_url:
        check = link(report.t["this_check"], run_url)
        items.append(report.fill("artifact", name=bold(text(artifact)), check=check))
    if site.policy is not None:
        items.append(report.fill("preview", path=code(f"/{site.policy.files.draft_redline}")))
    if items:
        report.say(f"## {text(report.t['where'])}", "\n".join(f"- {item}" for item in items))


class ChangesUnknown(Exception):
    """The files a pull request changes cannot be listed."""


def changed_files(root: Path, base: str, head: str) -> list[str]:
    """The files the commits from ``base`` to ``head`` change (``git diff base...head``: since
    they parted), relative to the repository; a renamed file under both its names."""
    command = [
        "git",
        "diff",
        "--no-renames",
        "--name-only",
        "-z",
        "--end-of-options",
        f"{base}...{head}",
        "--",
    ]
    result = subprocess.run(command, cwd=root, capture_output=True)
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", "replace").strip()
        raise ChangesUnknown(f"git diff {base}...{head} failed in {root}: {error}")
    return [name for name in result.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def repository_root(root: Path) -> Path:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise ChangesUnknown(f"{root} is not in a git repository: {result.stderr.strip()}")
    return Path(result.stdout.strip())


def check_code(site, changed: list[str], repository: Path) -> list[str]:
    """Of the ``changed`` files, those the check itself runs: the kit, its scripts, the
    workflows (CHECK_PATHS), and the site's own code that its mkdocs.yml names (hooks, theme
    templates in ``custom_dir``)."""
    own = [
        Path(module.__file__) for module in site.config.hooks.values() if getattr(module, "__file__", None)
    ]
    if site.config.theme.custom_dir:
        own.append(Path(site.config.theme.custom_dir))
    prefixes = list(CHECK_PATHS)
    for path in own:
        try:
            relative = path.resolve().relative_to(repository.resolve()).as_posix()
        except ValueError:
            continue
        prefixes.append(relative + "/" if path.is_dir() else relative)
    return [name for name in changed if name.startswith(tuple(prefixes))]


def write_report(
    site,
    artifact: str = "",
    run_url: str = "",
    changed: list[str] | None = None,
    repository: Path | None = None,
) -> tuple[str, bool]:
    """The report's Markdown and whether anything would be refused. ``changed``: the files the
    pull request changes, relative to ``repository`` (None: not known, nothing said about them)."""
    report = Report(site, check_code(site, changed, repository or site.root) if changed else None)
    build_tail = check_build(site.config_file)  # with drafts shown, as the pull request proposes them
    policy_part(report)
    consent_part(report)
    if build_tail is not None and not report.refusals:
        report.refuse(report.fill("refusal_build"), build_tail)
    where_part(report, artifact, run_url)
    markdown = report.text()
    if len(markdown.encode("utf-8")) > SUMMARY_LIMIT:
        markdown = report.text(redline_shown=False)
    return markdown, bool(report.refusals)


def main(argv: list[str] | None = None) -> int:
    args_parser = parser("report", "The editors' report on the working texts, as GitHub-flavoured Markdown.")
    args_parser.add_argument("--artifact", default="", help="the name of the built draft site's artifact")
    args_parser.add_argument(
        "--run-url", default="", help="the address of the check's run (with the artifact)"
    )
    args_parser.add_argument(
        "--base", default="", help="the commit the pull request goes into (with --head; empty: not given)"
    )
    args_parser.add_argument(
        "--head", default="", help="the pull request's last commit (with --base; empty: not given)"
    )
    args = args_parser.parse_args(argv)
    base, head = args.base.strip(), args.head.strip()
    if bool(base) != bool(head):
        print(
            f"report: --base {base!r} and --head {head!r}: expected both (the pull request's commits) or neither",
            file=sys.stderr,
        )
        return 2
    site = project(args, "report")
    changed, repository = None, None
    if base:
        try:
            repository = repository_root(site.root)
            changed = changed_files(repository, base, head)
        except ChangesUnknown as error:
            print(f"report: {error}", file=sys.stderr)
            return 2
    markdown, refused = write_report(site, args.artifact.strip(), args.run_url.strip(), changed, repository)
    sys.stdout.write(markdown)
    return 1 if refused else 0
