"""What every command shares: the project option, refusals, and writing the planned files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..editing import write_atomic
from ..project import Project, ProjectError
from ..serving.building import check_build


class Refused(Exception):
    """A reason not to go on; nothing has been changed."""


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"privacy-kit {prog}", description=description)
    parser.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site's mkdocs.yml (default: mkdocs.yml in the current folder)",
    )
    return parser


def project(args, command: str) -> Project:
    """The project of ``--config-file``; exits 2, saying why, when it cannot be read."""
    try:
        return Project(args.config_file)
    except ProjectError as error:
        print(f"{command}: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def apply(writes: dict[Path, str]) -> None:
    """Every planned file, each written atomically (all are planned before any is written)."""
    for path, content in writes.items():
        write_atomic(path, content)


def require_strict_build(site: Project, what: str) -> None:
    """A strict build of the project with its drafts (which a production build would refuse);
    raises Refused, quoting the build's last lines, when it fails."""
    tail = check_build(site.config_file)
    if tail is not None:
        raise Refused(f"{what} does not pass a strict build; fix it first:\n{tail}")
