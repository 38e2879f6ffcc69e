"""The texts the kit shows, per language: its own defaults (``privacy_kit/texts/<language>.yml``,
in Dutch, English and German), with a site's own texts (``<texts_dir>/<language>.yml``, default
``texts/`` beside mkdocs.yml) in their place wherever the site writes one.

A site overrides what it must say itself (who receives data, which categories it offers) and
keeps the rest. Its files are checked, so a slip fails the build instead of showing another text:
every language of the site has a file as soon as one does, all of them with the same keys as the
default language's (a missing or stray translation); a key the kit does not know is a typo (only
``consent.categories`` takes the site's own categories). A language the kit has no defaults for
needs every text from the site.
"""

from __future__ import annotations

import copy
import string
from pathlib import Path

from babel.dates import format_date
from mkdocs.exceptions import PluginError

from . import yaml_files

DEFAULTS = Path(__file__).parent / "texts"
OPEN_KEYS = ("consent.categories.",)  # where a site may add keys of its own (its categories)


def _keys(tree: dict, prefix: str = "") -> set[str]:
    """Dotted paths of every leaf in a nested mapping."""
    keys = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def _merged(base: dict, own: dict) -> dict:
    """``base`` with every text of ``own`` in its place (nested mappings merged)."""
    result = copy.deepcopy(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


def _read(path: Path, shown_as: str) -> dict | None:
    if not path.is_file():
        return None
    data = yaml_files.load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PluginError(f"{shown_as}: expected a mapping of texts, got {data!r}")
    _check_types(data, shown_as)
    return data


def _check_types(tree: dict, shown_as: str, prefix: str = "") -> None:
    """Every text is a string, in a mapping of groups: YAML turns an unquoted list, number,
    yes/no or empty value into something else, which would be published as Python prints it
    (an empty text is written ``""``)."""
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            _check_types(value, shown_as, f"{path}.")
        elif not isinstance(value, str):
            kind = {list: "a list", bool: "yes/no", type(None): "empty", int: "a number", float: "a number"}
            raise PluginError(
                f"{shown_as}: {path}: expected a text (a string; put it in quotes if YAML reads it "
                f'otherwise, and write an empty one as ""), got {kind.get(type(value), type(value).__name__)} {value!r}'
            )


def placeholders(text: str) -> set[str]:
    """The names a text fills in (``{provider}``)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_placeholders(own: dict, defaults: dict, shown_as: str, prefix: str = "") -> None:
    """A site's text fills in only what the kit's text of the same key is given (a misspelt
    ``{provder}`` would fail only when the page is built, or not at all)."""
    for key, value in own.items():
        path, default = f"{prefix}{key}", defaults.get(key)
        if isinstance(value, dict) and isinstance(default, dict):
            _check_placeholders(value, default, shown_as, f"{path}.")
        elif isinstance(value, str) and isinstance(default, str):
            try:
                unknown = placeholders(value) - placeholders(default)
            except ValueError as error:
                raise PluginError(
                    f"{shown_as}: {path}: {error} in {value!r} (write {{{{ for a brace)"
                ) from None
            if unknown:
                allowed = ", ".join(f"{{{n}}}" for n in sorted(placeholders(default))) or "none"
                raise PluginError(
                    f"{shown_as}: {path}: {', '.join(f'{{{n}}}' for n in sorted(unknown))} is not filled in "
                    f"here (it may use: {allowed}), in {value!r}"
                )


class Texts:
    """The texts of one site, read once per build; ``texts[language]`` is checked and merged."""

    def __init__(self, folder: Path, languages, reference: str, shown_as: str = "texts"):
        self.folder = folder
        self.languages = tuple(languages)
        self.reference = reference
        self.shown_as = shown_as  # the folder as the site's owner knows it, for messages
        self._merged: dict[str, dict] | None = None

    def _site(self, language: str) -> dict | None:
        return _read(self.folder / f"{language}.yml", f"{self.shown_as}/{language}.yml")

    def own_keys(self, language: str) -> set[str]:
        """The dotted keys of the texts the site writes itself for ``language`` (none without a file)."""
        data = self._site(language)
        return _keys(data) if data else set()

    def _check_and_merge(self) -> dict[str, dict]:
        own = {language: self._site(language) for language in self.languages}
        written = [language for language, data in own.items() if data is not None]
        if written and len(written) < len(self.languages):
            missing = next(language for language in self.languages if own[language] is None)
            raise PluginError(
                f"No texts for language {missing!r}: expected the file {self.shown_as}/{missing}.yml "
                f"({self.shown_as}/{written[0]}.yml overrides the kit's texts, so every language needs "
                "its own, with the same keys)"
            )
        reference = own.get(self.reference)
        merged = {}
        for language in self.languages:
            defaults = _read(DEFAULTS / f"{language}.yml", f"the kit's texts/{language}.yml")
            data = own[language]
            if defaults is None and data is None:
                raise PluginError(
                    f"No texts for language {language!r}: expected the file {self.shown_as}/{language}.yml "
                    "(the kit has texts for nl, en and de only, so it needs every text)"
                )
            if data is not None and reference is not None and language != self.reference:
                expected, found = _keys(reference), _keys(data)
                if expected != found:
                    missing = ", ".join(sorted(expected - found)) or "none"
                    extra = ", ".join(sorted(found - expected)) or "none"
                    raise PluginError(
                        f"{self.shown_as}/{language}.yml must have the same keys as "
                        f"{self.reference}.yml; missing: {missing}; not in {self.reference}.yml: {extra}"
                    )
            if data is not None and defaults is not None:
                unknown = sorted(k for k in _keys(data) - _keys(defaults) if not k.startswith(OPEN_KEYS))
                if unknown:
                    raise PluginError(
                        f"{self.shown_as}/{language}.yml: the kit has no text {', '.join(unknown)} "
                        f"(a misspelt key? the kit's own texts/{language}.yml lists every one)"
                    )
            if data is not None and defaults is not None:
                _check_placeholders(data, defaults, f"{self.shown_as}/{language}.yml")
            merged[language] = _merged(defaults or {}, data or {})
        expected = _keys(merged[self.reference])
        for language in self.languages:
            missing = expected - _keys(merged[language])
            if missing:  # a language the kit has no defaults for, beside one it has
                raise PluginError(
                    f"The texts of {language!r} lack what {self.reference!r} has: {', '.join(sorted(missing))} "
                    f"(write them in {self.shown_as}/{language}.yml)"
                )
        return merged

    def __getitem__(self, language: str) -> dict:
        """All texts for ``language``, checked."""
        if self._merged is None:
            self._merged = self._check_and_merge()
        if language not in self._merged:
            raise PluginError(
                f"No texts for language {language!r}: the site is built in {list(self.languages)}"
            )
        return self._merged[language]

    def when(self, date, language: str) -> str:
        """A full date as written in ``language`` (e.g. 1 februari 2026, 1. Februar 2026)."""
        return format_date(date, self[language]["versions"]["date_format"], locale=language)

    def month(self, date, language: str) -> str:
        """Month and year as written in ``language`` (e.g. februari 2026)."""
        return format_date(date, "LLLL yyyy", locale=language)
