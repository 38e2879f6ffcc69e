"""Building a site: the strict production build as a separate process, as operators and hosts run
it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The GA4 measurement ID test builds use (GA_PROPERTY): a banner and analytics to test, Google stubbed.
TEST_PROPERTY = "G-XXXXXXXXXX"


@dataclass
class Build:
    returncode: int
    output: str
    site: Path
    site_url: str | None = None
    seconds: float = 0.0  # wall-clock time
    cpu_seconds: float = 0.0  # the build process's own CPU time (user and system)
    peak_kb: int = 0  # its peak resident memory (kibibytes)


PROGRESS_EVERY = 15  # seconds between two progress reports of a long build


def pages_written(dest: Path) -> int:
    """How many pages a build has written into ``dest`` so far."""
    return sum(1 for _ in dest.rglob("*.html")) if dest.is_dir() else 0


def build(
    project: Path,
    dest: Path,
    site_url: str | None = None,
    ga_property: str | None = TEST_PROPERTY,
    config_file: str = "mkdocs.yml",
    engine: list[str] | None = None,
    environment: dict | None = None,
    progress: Callable[[str], None] | None = None,
    timeout: float | None = None,
) -> Build:
    """A strict build WITHOUT -q (quiet hides strict warnings) of ``project`` into ``dest``.
    ``site_url`` sets SITE_URL, as an operator does for the address the site is deployed at, and
    ``ga_property`` GA_PROPERTY (None: unset, a site without analytics; "" sets it empty).
    ``engine`` is the command that builds (default: this Python's MkDocs); ``environment`` sets
    more variables (None unsets one). The build runs as
    long as it needs (a site of thousands of pages takes minutes): ``progress`` hears every
    PROGRESS_EVERY seconds how many pages it has written; ``timeout`` (seconds), when given,
    stops it (subprocess.TimeoutExpired)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(environment or {})}
    env = {name: value for name, value in env.items() if value is not None}  # None: unset
    env.pop("SITE_URL", None)
    env.pop("GA_PROPERTY", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    if ga_property is not None:
        env["GA_PROPERTY"] = ga_property
    command = engine or [sys.executable, "-m", "mkdocs"]
    arguments = [
        *command,
        "build",
        "--strict",
        "--clean",
        "--config-file",
        config_file,
        "--site-dir",
        str(dest),
    ]
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(arguments, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            status, usage = _wait(process, started, dest, progress, timeout)
        except BaseException:  # a timeout, Ctrl-C: the build stops with its caller
            process.kill()
            process.wait()
            raise
        log.seek(0)
        output = log.read()
    return Build(
        os.waitstatus_to_exitcode(status),
        output,
        dest,
        site_url,
        time.perf_counter() - started,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss,
    )


def _wait(process, started: float, dest: Path, progress, timeout: float | None):
    """The build's exit status and resource usage (its own, from wait4), once it has ended."""
    reported = started
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            return status, usage
        now = time.perf_counter()
        if timeout is not None and now - started > timeout:
            raise subprocess.TimeoutExpired(process.args, timeout)
        if progress is not None and now - reported >= PROGRESS_EVERY:
            reported = now
            progress(f"  still building: {pages_written(dest)} pages written, {now - started:.0f} s")
        time.sleep(0.05)
