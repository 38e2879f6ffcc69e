"""What the editors' commands share: refusals, the check build before they change files (in this
process, with drafts shown, as ``mkdocs serve`` shows them), and writing the planned files."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from ..editing import write_atomic
from ..policy.model import SHOW_DRAFTS
from ..project import Project


class Refused(Exception):
    """A reason not to go on; nothing has been changed."""


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


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


@contextlib.contextmanager
def drafts_shown():
    """POLICY_DRAFT=show (a build that shows drafts) for a build run in this process."""
    before = os.environ.get(SHOW_DRAFTS)
    os.environ[SHOW_DRAFTS] = "show"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SHOW_DRAFTS, None)
        else:
            os.environ[SHOW_DRAFTS] = before


def check_build(config_file: Path) -> str | None:
    """A strict build of the project with its drafts shown (a production build would refuse
    them), into a temporary folder: None when it passes, else the end of its log."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with tempfile.TemporaryDirectory(prefix="privacy-kit-check-") as out:
            try:
                with drafts_shown():  # as mkdocs serve shows them; the plugin reads it at startup
                    config = load_config(str(config_file), site_dir=out, strict=True)
                    config.plugins.on_startup(command="build", dirty=False)
                    mkdocs_build(config)
            except (MkDocsException, SystemExit) as error:
                collect.lines.append(f"ERROR   -  {error}")
                return "\n".join(collect.lines[-15:])
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    return None
