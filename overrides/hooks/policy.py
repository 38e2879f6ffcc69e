"""Where the current policy lives and what its front matter says (version, date).

A helper for the hooks and scripts, not a hook: the Dutch ``docs/index.md`` is the one place
that states the current policy version and the date it took effect.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from pathlib import Path

import yaml
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


def _stamp(path: Path) -> tuple[int, int] | None:
    """What changes when a file is edited; the caches below are keyed by it, so every page of a
    build shares one read and parse, and an edit under live reload is still seen."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def current_policy(docs_dir: str | Path) -> dict:
    """Version and date of the current Dutch policy (shared: do not modify)."""
    path = Path(docs_dir) / POLICY_PAGE
    return _current_policy(path, _stamp(path))


@functools.lru_cache(maxsize=16)
def _current_policy(path: Path, stamp) -> dict:
    return check_policy(front_matter(path).get("policy"), f"{path.name}: front matter 'policy'")


def version_key(version: str) -> tuple[int, ...]:
    """ "1.10" sorts after "1.9"."""
    return tuple(int(part) for part in version.split("."))


# --- Published versions -------------------------------------------------------------------
ARCHIVE_DIR = "versies"  # docs/versies/<version>/index[.<lang>].md, frozen at publication
MANIFEST = f"{ARCHIVE_DIR}/versions.yml"  # every published version, with content hashes
ARCHIVED = re.compile(rf"^{ARCHIVE_DIR}/\d+\.\d+/")


def archive_target(docs_dir: str | Path, version: str, language: str, default: str) -> tuple[str, bool]:
    """Site-root-relative URL of a version's archived text in ``language`` if it was frozen in
    that language, else of the Dutch text; and whether it is in ``language``."""
    if language == default:
        return f"{ARCHIVE_DIR}/{version}/", True
    if (Path(docs_dir) / ARCHIVE_DIR / version / f"index.{language}.md").is_file():
        return f"{language}/{ARCHIVE_DIR}/{version}/", True
    return f"{ARCHIVE_DIR}/{version}/", False


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_versions(docs_dir: str | Path) -> list[dict]:
    """The manifest's versions, validated, oldest first; [] when nothing was published yet
    (shared: do not modify)."""
    path = Path(docs_dir) / MANIFEST
    return _load_versions(path, _stamp(path))


@functools.lru_cache(maxsize=16)
def _load_versions(path: Path, stamp) -> list[dict]:
    if stamp is None:
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise PluginError(f"{MANIFEST}: expected a list of versions, got {data!r}")
    versions = []
    for i, entry in enumerate(data):
        where = f"{MANIFEST}[{i}]"
        if not isinstance(entry, dict):
            raise PluginError(f"{where}: expected a mapping, got {entry!r}")
        checked = check_policy(entry, where)
        summary, files = entry.get("summary"), entry.get("files")
        if not isinstance(summary, dict) or not isinstance(summary.get("nl"), str):
            raise PluginError(
                f"{where}.summary: expected a mapping of language to text with at least nl, got {summary!r}"
            )
        if not isinstance(files, dict) or not files:
            raise PluginError(f"{where}.files: expected a mapping of archived file to sha256, got {files!r}")
        versions.append(
            {**checked, "summary": summary, "files": files, "consent": entry.get("consent") or {}}
        )
    keys = [version_key(v["version"]) for v in versions]
    if keys != sorted(set(keys)):
        raise PluginError(
            f"{MANIFEST}: versions must be listed once each, oldest first; got {[v['version'] for v in versions]}"
        )
    return versions


def verify_archive(docs_dir: str | Path, versions: list[dict]) -> list[str]:
    """Every archived file exactly as published, and nothing in the archive unrecorded."""
    docs = Path(docs_dir)
    problems, recorded = [], set()
    for v in versions:
        for name, digest in v["files"].items():
            recorded.add(name)
            path = docs / name
            if not path.is_file():
                problems.append(f"archived file {name} of version {v['version']} is missing")
            elif sha256_of(path) != digest:
                problems.append(
                    f"archived text {name} of version {v['version']} was edited after publication "
                    f"(sha256 {sha256_of(path)[:12]}…, published {digest[:12]}…); archived versions never "
                    "change: restore it (git checkout) and publish changes as a new version"
                )
    for path in sorted((docs / ARCHIVE_DIR).glob("*/**/*.md")):
        name = path.relative_to(docs).as_posix()
        if ARCHIVED.match(name) and name not in recorded:
            problems.append(
                f"{name} is in the archive but not in {MANIFEST}: publish with scripts/new-version"
            )
    if versions:
        current = current_policy(docs)
        last = versions[-1]
        if (current["version"], current["date"]) != (last["version"], last["date"]):
            problems.append(
                f"{POLICY_PAGE} says version {current['version']} of {current['date']}, but the last published "
                f"version in {MANIFEST} is {last['version']} of {last['date']}: use scripts/new-version"
            )
    return problems
