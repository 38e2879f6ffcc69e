"""Building a site: the strict production build as a separate process (as operators and hosts run
it), and the check build a command makes before it changes files (in this process, with drafts
shown, as ``mkdocs serve`` shows them)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..project import PLUGIN

# The GA4 measurement ID test builds use (GA_PROPERTY): a banner and analytics to test, Google stubbed.
TEST_PROPERTY = "G-XXXXXXXXXX"


@dataclass
class Build:
    returncode: int
    output: str
    site: Path
    site_url: str | None = None
    seconds: float = 0.0


def build(
    project: Path,
    dest: Path,
    site_url: str | None = None,
    ga_property: str | None = TEST_PROPERTY,
    config_file: str = "mkdocs.yml",
    engine: list[str] | None = None,
    environment: dict | None = None,
) -> Build:
    """A strict build WITHOUT -q (quiet hides strict warnings) of ``project`` into ``dest``.
    ``site_url`` sets SITE_URL, as an operator does for the address the site is deployed at, and
    ``ga_property`` GA_PROPERTY (None: unset, a site without analytics; "" sets it empty).
    ``engine`` is the command that builds (default: this Python's MkDocs)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(environment or {})}
    env.pop("SITE_URL", None)
    env.pop("GA_PROPERTY", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    if ga_property is not None:
        env["GA_PROPERTY"] = ga_property
    command = engine or [sys.executable, "-m", "mkdocs"]
    started = time.perf_counter()
    proc = subprocess.run(
        [*command, "build", "--strict", "--clean", "--config-file", config_file, "--site-dir", str(dest)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, dest, site_url, time.perf_counter() - started)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


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
                config = load_config(str(config_file), site_dir=out, strict=True)
                config.plugins[PLUGIN].show_drafts = True
                mkdocs_build(config)
            except (MkDocsException, SystemExit) as error:
                collect.lines.append(f"ERROR   -  {error}")
                return "\n".join(collect.lines[-15:])
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    return None
