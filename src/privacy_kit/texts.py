"""The site's own texts per language, from ``<texts_dir>/<language>.yml`` (default ``texts/``
beside mkdocs.yml).

One file per language holds every text our templates and commands show (consent banner,
cookie declaration, version labels). The default language is the reference: every other
language must have exactly the same keys, so a missing or stray translation fails the build.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from babel.dates import format_date
from mkdocs.exceptions import PluginError


def _keys(tree: dict, prefix: str = "") -> set[str]:
    """Dotted paths of every leaf in a nested mapping."""
    keys = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


class Texts:
    """The texts of one site, read once per build; ``texts[language]`` is checked."""

    def __init__(self, folder: Path, reference: str, shown_as: str = "texts"):
        self.folder = folder
        self.reference = reference
        self.shown_as = shown_as  # the folder as the site's owner knows it, for messages
        self._loaded: dict[str, dict] = {}
        self._checked: dict[str, dict] = {}

    def _load(self, language: str) -> dict:
        if language not in self._loaded:
            path = self.folder / f"{language}.yml"
            if not path.is_file():
                raise PluginError(
                    f"No texts for language {language!r}: expected the file {self.shown_as}/{language}.yml"
                )
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise PluginError(f"{path.name}: expected a mapping of texts, got {data!r}")
            self._loaded[language] = data
        return self._loaded[language]

    def __getitem__(self, language: str) -> dict:
        """All texts for ``language``, checked to have exactly the keys of the reference language."""
        if language not in self._checked:
            data = self._load(language)
            if language != self.reference:
                expected, found = _keys(self._load(self.reference)), _keys(data)
                if expected != found:
                    missing = ", ".join(sorted(expected - found)) or "none"
                    extra = ", ".join(sorted(found - expected)) or "none"
                    raise PluginError(
                        f"{self.shown_as}/{language}.yml must have the same keys as "
                        f"{self.reference}.yml; missing: {missing}; not in {self.reference}.yml: {extra}"
                    )
            self._checked[language] = data
        return self._checked[language]

    def when(self, date, language: str) -> str:
        """A full date as written in ``language`` (e.g. 1 februari 2026, 1. Februar 2026)."""
        return format_date(date, self[language]["versions"]["date_format"], locale=language)

    def month(self, date, language: str) -> str:
        """Month and year as written in ``language`` (e.g. februari 2026)."""
        return format_date(date, "LLLL yyyy", locale=language)
