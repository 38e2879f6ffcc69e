"""The policy's life cycle: the working text, the published versions, and which one is in force.

- The policy page (``policy.page``, e.g. ``docs/index.md``) is the editors' working copy in the
  default language. Its front matter names the last published version; when its text differs
  from that version's archived text it is a *draft*: shown by ``mkdocs serve``, refused by a
  production build.
- The manifest (``<versions.folder>/versions.yml``) lists every published version with its date,
  its summaries and the sha256 of each archived file (``<folder>/<version>/index[.<lang>].md``);
  ``corrections`` keep every earlier hash of an archived translation that was corrected later.
- The version *in force* is the last one whose date is not after the build date; later ones are
  *announced*. The live policy page shows the text in force, in each language the newest
  recorded translation not newer than it (a *lagging* translation when it is older).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

from .. import yaml_files

# POLICY_DRAFT=show: a build shows drafts as mkdocs serve does (a pull request's check, a deploy
# preview, a command's check build), never for production.
SHOW_DRAFTS = "POLICY_DRAFT"
VERSION = re.compile(r"^\d+\.\d+$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The editors' notes in a page's Markdown source (what a reader of the Markdown skips).
MARKDOWN_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
MANIFEST_NAME = "versions.yml"


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


def version_key(version: str) -> tuple[int, ...]:
    """ "1.10" sorts after "1.9"."""
    return tuple(int(part) for part in version.split("."))


def today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def build_date(epoch: str | None) -> datetime.date:
    """The day the site is built for (UTC): from SOURCE_DATE_EPOCH (``epoch``) when set
    (reproducible builds), else today. Versions dated after it are announced, not in force."""
    epoch = (epoch or "").strip()
    if not epoch:
        return today()
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise PluginError(f"SOURCE_DATE_EPOCH {epoch!r}: expected whole seconds since 1970-01-01") from None


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def body_of(text: str) -> str:
    """A page's text without its front matter and its editors' comments (what a reader sees), for
    comparing a working copy with its archived form, whose front matter differs by design."""
    return MARKDOWN_COMMENT.sub("", get_data(text)[0]).strip()


def frozen_copy(source: str, version: str, texts: dict) -> str:
    """The archived form of a policy page: the same body, front matter marking the version, its
    title followed by the "version {version}" label of the page's language (``texts``: the site's
    texts in that language, whose name of the policy titles a page that has no title)."""
    body, meta = get_data(source)
    name = meta.get("title", texts["not_found"]["policy"])
    title = f"{name} – {texts['versions']['title_suffix'].format(version=version)}"
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if meta.get("description"):
        lines.append(f"description: {json.dumps(meta['description'], ensure_ascii=False)}")
    if meta.get("translation_of"):
        lines.append(f'translation_of: "{version}"')
    lines += [f'archived_version: "{version}"', "search:", "  exclude: true", "---", ""]
    return "\n".join(lines) + "\n" + body.lstrip("\n")


def _check_summary(summary, where: str, default: str) -> dict:
    if (
        not isinstance(summary, dict)
        or not isinstance(summary.get(default), str)
        or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in summary.items())
    ):
        raise PluginError(
            f"{where}.summary: expected a mapping of language to text with at least {default}, got {summary!r}"
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


@dataclass(frozen=True)
class Timeline:
    """The published versions as of one day: which is in force, which are announced."""

    versions: list[dict]
    today: datetime.date
    files: PolicyFiles

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

    def shown(self, language: str) -> dict | None:
        """The version the live policy page shows in ``language``: the one in force, or for a
        translation the newest recorded translation not newer than it (lagging when older)."""
        current = self.in_force
        if current is None or language == self.files.default:
            return current
        recorded = [
            v
            for v in self.versions
            if version_key(v["version"]) <= version_key(current["version"])
            and self.files.archived_name(v["version"], language) in v["files"]
        ]
        return recorded[-1] if recorded else None


@dataclass(frozen=True)
class Draft:
    """A working text that is not what was published: fine under ``mkdocs serve``, refused by a
    production build."""

    path: str  # docs/-relative
    language: str
    version: str  # the published version it is compared with (or claims to translate)
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class PolicyFiles:
    """Where the policy and its published versions live under ``docs``, from the plugin's
    ``policy`` options; ``default`` is the language of the binding text."""

    docs: Path
    default: str
    page: str = "index.md"
    folder: str = "versions"
    changes: str = "changes"
    draft: str = "draft"

    @property
    def manifest(self) -> str:
        return f"{self.folder}/{MANIFEST_NAME}"

    @property
    def archived(self) -> re.Pattern:
        """docs/-relative paths inside a version's archive folder."""
        return re.compile(rf"^{re.escape(self.folder)}/\d+\.\d+/")

    def translation_path(self, language: str) -> str:
        return self.page.removesuffix(".md") + f".{language}.md"

    def archived_name(self, version: str, language: str) -> str:
        """docs/-relative path of a version's archived text in ``language``."""
        suffix = "" if language == self.default else f".{language}"
        return f"{self.folder}/{version}/index{suffix}.md"

    def archive_target(self, version: str, language: str) -> tuple[str, bool]:
        """Site-root-relative URL of a version's archived text in ``language`` if it was frozen
        in that language, else of the text in the default language; and whether it is in
        ``language``."""
        if language == self.default:
            return f"{self.folder}/{version}/", True
        if (self.docs / self.archived_name(version, language)).is_file():
            return f"{language}/{self.folder}/{version}/", True
        return f"{self.folder}/{version}/", False

    def redline(self, version: str) -> str:
        """Site-root-relative URL of the changes a version made (its redline)."""
        return f"{self.folder}/{version}/{self.changes}/"

    @property
    def draft_redline(self) -> str:
        """Site-root-relative URL of the live redline of a draft (mkdocs serve only)."""
        return f"{self.folder}/{self.draft}/{self.changes}/"


class Policy:
    """The policy of one site, read once: the working text's front matter and the manifest."""

    def __init__(self, files: PolicyFiles):
        self.files = files
        self._current: dict | None = None
        self._versions: list[dict] | None = None

    def current(self) -> dict:
        """Version and date of the working text in the default language (shared: do not modify)."""
        if self._current is None:
            path = self.files.docs / self.files.page
            self._current = check_policy(
                front_matter(path).get("policy"), f"{path.name}: front matter 'policy'"
            )
        return self._current

    def versions(self) -> list[dict]:
        """The manifest's versions, validated, oldest first; [] when nothing was published yet
        (shared: do not modify)."""
        if self._versions is None:
            self._versions = self._load_versions()
        return self._versions

    def timeline(self, today: datetime.date) -> Timeline:
        return Timeline(self.versions(), today, self.files)

    def _load_versions(self) -> list[dict]:
        manifest = self.files.manifest
        path = self.files.docs / manifest
        if not path.is_file():
            return []
        data = yaml_files.load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise PluginError(f"{manifest}: expected a list of versions, got {data!r}")
        versions = []
        for i, entry in enumerate(data):
            where = f"{manifest}[{i}]"
            if not isinstance(entry, dict):
                raise PluginError(f"{where}: expected a mapping, got {entry!r}")
            checked = check_policy(entry, where)
            files = entry.get("files")
            if not isinstance(files, dict) or not files:
                raise PluginError(
                    f"{where}.files: expected a mapping of archived file to sha256, got {files!r}"
                )
            published = entry.get("published", checked["date"])
            if not isinstance(published, datetime.date):
                raise PluginError(f"{where}.published: expected a date like 2026-11-25, got {published!r}")
            versions.append(
                {
                    **checked,
                    "published": published,
                    "summary": _check_summary(entry.get("summary"), where, self.files.default),
                    "files": files,
                    "corrections": _check_corrections(entry.get("corrections"), files, where),
                    "consent": entry.get("consent") or {},
                }
            )
        keys = [version_key(v["version"]) for v in versions]
        if keys != sorted(set(keys)):
            raise PluginError(
                f"{manifest}: versions must be listed once each, oldest first; got {[v['version'] for v in versions]}"
            )
        dates = [v["date"] for v in versions]
        if dates != sorted(dates):
            raise PluginError(
                f"{manifest}: a later version cannot take effect before an earlier one; got {dates}"
            )
        return versions

    def verify_archive(self) -> list[str]:
        """Every archived file exactly as published, and nothing in the archive unrecorded."""
        docs, manifest = self.files.docs, self.files.manifest
        problems, recorded = [], set()
        versions = self.versions()
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
                        "a translation with privacy-kit correct-translation"
                    )
            for name in {c["file"] for c in v["corrections"]}:
                last = [c for c in v["corrections"] if c["file"] == name][-1]
                if last["sha256"] != v["files"][name]:
                    problems.append(
                        f"{manifest}: the last correction of {name} records sha256 {last['sha256'][:12]}…, but its "
                        f"files entry says {v['files'][name][:12]}…; written by privacy-kit correct-translation, "
                        "do not edit by hand"
                    )
        for path in sorted((docs / self.files.folder).glob("*/**/*.md")):
            name = path.relative_to(docs).as_posix()
            if self.files.archived.match(name) and name not in recorded:
                problems.append(
                    f"{name} is in the archive but not in {manifest}: publish with privacy-kit new-version, or "
                    "record a translation with privacy-kit correct-translation"
                )
        if versions:
            current = self.current()
            last = versions[-1]
            if (current["version"], current["date"]) != (last["version"], last["date"]):
                problems.append(
                    f"{self.files.page} says version {current['version']} of {current['date']}, but the last "
                    f"published version in {manifest} is {last['version']} of {last['date']}: use "
                    "privacy-kit new-version"
                )
        return problems

    def drafts(self, others) -> list[Draft]:
        """The working policy texts (default language and translations) that differ from what
        was published."""
        files = self.files
        docs = files.docs
        versions = self.versions()
        if not versions:
            return []
        published = {v["version"]: v for v in versions}
        found = []
        working_version = self.current()["version"]
        archived = docs / files.archived_name(working_version, files.default)
        working = body_of((docs / files.page).read_text(encoding="utf-8"))
        if (
            working_version in published
            and archived.is_file()
            and working != body_of(archived.read_text(encoding="utf-8"))
        ):
            found.append(
                Draft(
                    files.page,
                    files.default,
                    working_version,
                    f"differs from the published text of version {working_version}: it is a draft. "
                    'Publish it with privacy-kit new-version <new version> --date YYYY-MM-DD --summary "…", '
                    f"or undo the edit (git checkout docs/{files.page})",
                )
            )
        for language in others:
            name = files.translation_path(language)
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
                        f"translates version {version!r}, which is not published: privacy-kit new-version "
                        "freezes it when that version is published",
                    )
                )
                continue
            frozen = docs / files.archived_name(version, language)
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
                    f'{message}: record it with privacy-kit correct-translation {language} --note "…" (the '
                    "archive of the binding text stays as it is)",
                )
            )
        return found
