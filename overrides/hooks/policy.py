"""Where the current policy lives and what its front matter says (version, date).

A helper for the hooks and scripts, not a hook: the Dutch ``docs/index.md`` is the one place
that states the current policy version and the date it took effect.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

POLICY_PAGE = "index.md"
VERSION = re.compile(r"^\d+\.\d+$")


def front_matter(path: Path) -> dict:
    return get_data(path.read_text(encoding="utf-8"))[1]


def check_policy(meta, where: str) -> dict:
    """The ``policy: {version, date}`` front matter, validated."""
    if not isinstance(meta, dict):
        raise PluginError(f"{where}: expected a mapping with version and date, got {meta!r}")
    version, date = meta.get("version"), meta.get("date")
    if not isinstance(version, str) or not VERSION.match(version):
        raise PluginError(f'{where}.version: expected a quoted version like "1.0", got {version!r}')
    if not isinstance(date, datetime.date):
        raise PluginError(f"{where}.date: expected a date like 2026-02-01, got {date!r}")
    return {"version": version, "date": date}


def current_policy(docs_dir: str | Path) -> dict:
    """Version and date of the current Dutch policy."""
    path = Path(docs_dir) / POLICY_PAGE
    return check_policy(front_matter(path).get("policy"), f"{path.name}: front matter 'policy'")


def version_key(version: str) -> tuple[int, ...]:
    """ "1.10" sorts after "1.9"."""
    return tuple(int(part) for part in version.split("."))
