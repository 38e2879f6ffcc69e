"""What every ``privacy-kit`` command shares, the editors', the runtime's and the developers':
the ``--config-file`` option, and the project it names."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .project import Project, ProjectError


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
