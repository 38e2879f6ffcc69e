"""The policy's life cycle: the working text, the published versions, and which one is in force.

A helper for the hooks and scripts, not a hook.

- ``docs/index.md`` is the editors' working copy of the Dutch policy. Its front matter names the
  last published version; when its text differs from that version's archived text it is a
  *draft*: shown by ``scripts/serve``, refused by a production build.
- ``docs/versies/versions.yml`` (the manifest) lists every published version with its date, its
  summaries and the sha256 of each archived file (``docs/versies/<version>/index[.<lang>].md``);
  ``corrections`` keep every earlier hash of an archived translation that was corrected later.
- The version *in force* is the last one whose date is not after the build date; later ones are
  *announced*. The live policy page shows the text in force, in each language the newest
  recorded translation not newer than it (a *lagging* translation when it is older).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
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
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Set by the versions hook under `mkdocs serve`, or by POLICY_DRAFT=allow (scripts/new-version's
# test build): a draft is then shown with a notice instead of refusing the build.
DRAFTS = {"allowed": False}


def drafts_allowed() -> bool:
    return DRAFTS["allowed"] or os.environ.get("POLICY_DRAFT", "").strip() == "allow"


def build_date() -> datetime.date:
    """The day the site is built for (UTC): from SOURCE_DATE_EPOCH when set (reproducible
    builds), else today. Versions dated after it are announced, not in force."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise PluginError(f"SOURCE_DATE_EPOCH {epoch!r}: expected whole seconds since 1970-01-01") from None


def archived_name(version: str, language: str, default: str) -> str:
    """docs/-relative path of a version's archived text in ``language``."""
    suffix = "" if language == default else f".{language}"
    return f"{ARCHIVE_DIR}/{version}/index{suffix}.md"


def archive_target(docs_dir: str | Path, version: str, language: str, default: str) -> tuple[str, bool]:
    """Site-root-relative URL of a version's archived text in ``language`` if it was frozen in
    that language, else of the Dutch text; and whether it is in ``language``."""
    if language == default:
        return f"{ARCHIVE_DIR}/{version}/", True
    if (Path(docs_dir) / archived_name(version, language, default)).is_file():
        return f"{language}/{ARCHIVE_DIR}/{version}/", True
    return f"{ARCHIVE_DIR}/{version}/", False


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def body_of(text: str) -> str:
    """A page's text without its front matter (what a reader sees), for comparing a working
    copy with its archived form, whose front matter differs by design."""
    return get_data(text)[0].strip()


def frozen_copy(source: str, version: str, title_suffix: str) -> str:
    """The archived form of a policy page: the same body, front matter marking the version.
    ``title_suffix`` is the language's "version {version}" label."""
    body, meta = get_data(source)
    title = f"{meta.get('title', 'Privacybeleid')} – {title_suffix.format(version=version)}"
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if meta.get("description"):
        lines.append(f"description: {json.dumps(meta['description'], ensure_ascii=False)}")
    if meta.get("translation_of"):
        lines.append(f'translation_of: "{version}"')
    lines += [f'archived_version: "{version}"', "search:", "  exclude: true", "---", ""]
    return "\n".join(lines) + "\n" + body.lstrip("\n")


def load_versions(docs_dir: str | Path) -> list[dict]:
    """The manifest's versions, validated, oldest first; [] when nothing was published yet
    (shared: do not modify)."""
    path = Path(docs_dir) / MANIFEST
    return _load_versions(path, _stamp(path))


def _check_summary(summary, where: str) -> dict:
    if (
        not isinstance(summary, dict)
        or not isinstance(summary.get("nl"), str)
        or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in summary.items())
    ):
        raise PluginError(
            f"{where}.summary: expected a mapping of language to text with at least nl, got {summary!r}"
        )
    return summary


def _check_corrections(corrections, files: dict, where: str) -> list[dict]:
    if corrections is None:
        return []
    if not isinstance(corrections, list):
        raise PluginError(f"{where}.corrections: expected a list of corrections, got {corrections!r}")
    checked = []
    for j, c in enumerate(corrections):
        at = f"{where}.corrections[{j}]"
        if not isinstance(c, dict) or c.get("file") not in files:
            raise PluginError(f"{at}: expected a mapping whose file is one of {sorted(files)}, got {c!r}")
        if not isinstance(c.get("date"), datetime.date):
            raise PluginError(f"{at}.date: expected a date like 2026-12-01, got {c.get('date')!r}")
        if not isinstance(c.get("sha256"), str) or not SHA256.match(c["sha256"]):
            raise PluginError(f"{at}.sha256: expected a sha256 (64 hex digits), got {c.get('sha256')!r}")
        replaces = c.get("replaces")  # None: a translation finished after its version was published
        if replaces is not None and (not isinstance(replaces, str) or not SHA256.match(replaces)):
            raise PluginError(f"{at}.replaces: expected a sha256 (64 hex digits) or null, got {replaces!r}")
        checked.append(c)
    return checked


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
        files = entry.get("files")
        if not isinstance(files, dict) or not files:
            raise PluginError(f"{where}.files: expected a mapping of archived file to sha256, got {files!r}")
        published = entry.get("published", checked["date"])
        if not isinstance(published, datetime.date):
            raise PluginError(f"{where}.published: expected a date like 2026-11-25, got {published!r}")
        versions.append(
            {
                **checked,
                "published": published,
                "summary": _check_summary(entry.get("summary"), where),
                "files": files,
                "corrections": _check_corrections(entry.get("corrections"), files, where),
                "consent": entry.get("consent") or {},
            }
        )
    keys = [version_key(v["version"]) for v in versions]
    if keys != sorted(set(keys)):
        raise PluginError(
            f"{MANIFEST}: versions must be listed once each, oldest first; got {[v['version'] for v in versions]}"
        )
    dates = [v["date"] for v in versions]
    if dates != sorted(dates):
        raise PluginError(
            f"{MANIFEST}: a later version cannot take effect before an earlier one; got {dates}"
        )
    return versions


@dataclass(frozen=True)
class Timeline:
    """The published versions as of one day: which is in force, which are announced."""

    versions: list[dict]
    today: datetime.date

    @property
    def in_force(self) -> dict | None:
        """The last version dated on or before today (the first one if all are announced: there
        is no earlier text to show)."""
        due = [v for v in self.versions if v["date"] <= self.today]
        if due:
            return due[-1]
        return self.versions[0] if self.versions else None

    @property
    def announced(self) -> list[dict]:
        current = self.in_force
        return [
            v
            for v in self.versions
            if current and version_key(v["version"]) > version_key(current["version"])
        ]

    @property
    def latest(self) -> dict | None:
        return self.versions[-1] if self.versions else None

    def entry(self, version: str) -> dict | None:
        return next((v for v in self.versions if v["version"] == version), None)

    def status(self, version: str) -> str:
        """'in_force', 'announced' or 'superseded'."""
        current = self.in_force
        if current and version == current["version"]:
            return "in_force"
        if any(v["version"] == version for v in self.announced):
            return "announced"
        return "superseded"

    def shown(self, language: str, default: str) -> dict | None:
        """The version the live policy page shows in ``language``: the one in force, or for a
        translation the newest recorded translation not newer than it (lagging when older)."""
        current = self.in_force
        if current is None or language == default:
            return current
        recorded = [
            v
            for v in self.versions
            if version_key(v["version"]) <= version_key(current["version"])
            and archived_name(v["version"], language, default) in v["files"]
        ]
        return recorded[-1] if recorded else None


def timeline(docs_dir: str | Path, today: datetime.date | None = None) -> Timeline:
    return Timeline(load_versions(docs_dir), today or build_date())


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
                    "change: restore it (git checkout) and publish changes as a new version, or correct "
                    "a translation with scripts/correct-translation"
                )
        for name in {c["file"] for c in v["corrections"]}:
            last = [c for c in v["corrections"] if c["file"] == name][-1]
            if last["sha256"] != v["files"][name]:
                problems.append(
                    f"{MANIFEST}: the last correction of {name} records sha256 {last['sha256'][:12]}…, but its "
                    f"files entry says {v['files'][name][:12]}…; written by scripts/correct-translation, "
                    "do not edit by hand"
                )
    for path in sorted((docs / ARCHIVE_DIR).glob("*/**/*.md")):
        name = path.relative_to(docs).as_posix()
        if ARCHIVED.match(name) and name not in recorded:
            problems.append(
                f"{name} is in the archive but not in {MANIFEST}: publish with scripts/new-version, or "
                "record a translation with scripts/correct-translation"
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


@dataclass(frozen=True)
class Draft:
    """A working text that is not what was published: fine under scripts/serve, refused by a
    production build."""

    path: str  # docs/-relative
    language: str
    version: str  # the published version it is compared with (or claims to translate)
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def translation_path(language: str) -> str:
    return POLICY_PAGE.replace(".md", f".{language}.md")


def drafts(docs_dir: str | Path, default: str, others: list[str]) -> list[Draft]:
    """The working policy texts (Dutch and translations) that differ from what was published."""
    docs = Path(docs_dir)
    versions = load_versions(docs)
    if not versions:
        return []
    published = {v["version"]: v for v in versions}
    found = []
    dutch = current_policy(docs)["version"]
    archived = docs / archived_name(dutch, default, default)
    working = body_of((docs / POLICY_PAGE).read_text(encoding="utf-8"))
    if dutch in published and archived.is_file() and working != body_of(archived.read_text(encoding="utf-8")):
        found.append(
            Draft(
                POLICY_PAGE,
                default,
                dutch,
                f"differs from the published text of version {dutch}: it is a draft (concept). Publish it "
                'with scripts/new-version <new version> --date YYYY-MM-DD --summary "…", or undo the '
                f"edit (git checkout docs/{POLICY_PAGE})",
            )
        )
    for language in others:
        name = translation_path(language)
        path = docs / name
        if not path.is_file():
            continue
        version = front_matter(path).get("translation_of")
        if not isinstance(version, str) or version not in published:
            found.append(
                Draft(
                    name,
                    language,
                    str(version),
                    f"translates version {version!r}, which is not published: scripts/new-version freezes it "
                    "when that Dutch version is published",
                )
            )
            continue
        frozen = docs / archived_name(version, language, default)
        if not frozen.is_file():
            message = f"translates version {version} but was not recorded with it"
        elif body_of(path.read_text(encoding="utf-8")) != body_of(frozen.read_text(encoding="utf-8")):
            message = f"differs from the recorded translation of version {version}"
        else:
            continue
        found.append(
            Draft(
                name,
                language,
                version,
                f'{message}: record it with scripts/correct-translation {language} --note "…" (the Dutch '
                "archive stays as it is)",
            )
        )
    return found
