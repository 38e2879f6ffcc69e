"""The site's own texts per language, from ``texts/<language>.yml``.

One file per language holds every text our templates and scripts show (consent banner,
cookie declaration, version labels). Dutch is the reference: every other language must
have exactly the same keys, so a missing or stray translation fails the build.
This module is a helper imported by the hooks, not a hook itself.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

TEXTS_DIR = Path(__file__).resolve().parents[2] / "texts"
REFERENCE_LANGUAGE = "nl"


def _keys(tree: dict, prefix: str = "") -> set[str]:
    """Dotted paths of every leaf in a nested mapping."""
    keys = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys |= _keys(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


@functools.cache
def _load(language: str) -> dict:
    path = TEXTS_DIR / f"{language}.yml"
    if not path.is_file():
        raise PluginError(
            f"No texts for language {language!r}: expected the file {path.relative_to(TEXTS_DIR.parent)}"
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PluginError(f"{path.name}: expected a mapping of texts, got {data!r}")
    return data


@functools.cache
def texts(language: str) -> dict:
    """All texts for ``language``, checked to have exactly the keys of the Dutch file."""
    data = _load(language)
    if language != REFERENCE_LANGUAGE:
        expected, found = _keys(_load(REFERENCE_LANGUAGE)), _keys(data)
        if expected != found:
            missing = ", ".join(sorted(expected - found)) or "none"
            extra = ", ".join(sorted(found - expected)) or "none"
            raise PluginError(
                f"texts/{language}.yml must have the same keys as "
                f"{REFERENCE_LANGUAGE}.yml; missing: {missing}; not in {REFERENCE_LANGUAGE}.yml: {extra}"
            )
    return data


def when(date, language: str) -> str:
    """A full date as written in ``language`` (e.g. 1 februari 2026, 1. Februar 2026)."""
    from babel.dates import format_date

    return format_date(date, texts(language)["versions"]["date_format"], locale=language)


def languages(config) -> tuple[str, list[str]]:
    """(default language, other languages) from the i18n plugin, or the theme language alone."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return config.theme["language"], []
    locales = [lang.locale for lang in plugin.config.languages if lang.build]
    default = next(lang.locale for lang in plugin.config.languages if lang.default)
    return default, [locale for locale in locales if locale != default]


def inner_language_build(config) -> bool:
    """True during static-i18n's builds of the other languages, which it runs from inside the
    default language's on_post_build; work for the whole site waits for the outer build's end."""
    plugin = config.plugins.get("i18n")
    return plugin is not None and plugin.building


def language_root(config) -> str:
    """The path of the current language's home, relative to the site root ("" or "en/")."""
    language = config.theme["language"]
    return "" if language == languages(config)[0] else f"{language}/"


def on_files(files, config):
    """The text files live beside the templates; keep them out of the published site."""
    for file in [f for f in files if f.src_uri.startswith("texts/") and f.src_uri.endswith(".yml")]:
        files.remove(file)
    return files
