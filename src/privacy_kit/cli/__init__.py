"""``privacy-kit <command>``: the editors' and operators' commands of the kit.

Each command is a module here (or in audit/, serving/ or tools/) with ``main(argv) -> exit status``; this
dispatcher only picks it. ``privacy-kit <command> --help`` says what each does.
"""

from __future__ import annotations

import importlib
import sys

from .. import __version__

try:  # the commands run on ProperDocs alone too, which provides MkDocs' modules under its name
    import mkdocs  # noqa: F401
except ModuleNotFoundError:
    import properdocs.replacement  # noqa: F401

COMMANDS = {
    "init": ("privacy_kit.cli.init", "write a new site that builds and shows its banner at once"),
    "new-version": ("privacy_kit.cli.new_version", "publish a new version of the privacy policy"),
    "correct-translation": ("privacy_kit.cli.correct_translation", "record a corrected or late translation"),
    "report": ("privacy_kit.cli.report", "the editors' report on a draft (Markdown, for a pull request)"),
    "check-translations": ("privacy_kit.cli.check_translations", "list missing and lagging translations"),
    "record-consent": ("privacy_kit.cli.record_consent", "record what the cookie banner shows now"),
    "serve": ("privacy_kit.serving.local_preview", "mkdocs serve as a local preview: services answered here"),
    "preview": ("privacy_kit.serving.preview", "build as deployed and serve it as the hosts do"),
    "audit": ("privacy_kit.audit.cli", "cookie audit of a site against its declaration"),
    "bench": ("privacy_kit.tools.bench", "this site against stock Material's consent, in one run"),
    "lighthouse": ("privacy_kit.tools.lighthouse", "Lighthouse on every page served by nginx"),
    "screenshots": ("privacy_kit.tools.screenshots", "screenshots of the banner and the preferences"),
    "reference": ("privacy_kit.cli.reference", "the plugin's configuration reference (--readme FILE)"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {summary}" for name, (_, summary) in COMMANDS.items()]
    return (
        "usage: privacy-kit <command> [options]   (privacy-kit <command> --help; privacy-kit --version)"
        "\n\ncommands:\n" + "\n".join(lines)
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--version":
        print(f"privacy-kit {__version__}")
        return 0
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"privacy-kit: unknown command {name!r}\n{usage()}", file=sys.stderr)
        return 2
    return importlib.import_module(COMMANDS[name][0]).main(rest)
