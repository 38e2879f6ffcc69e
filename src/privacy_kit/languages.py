"""Which languages the site is built in: mkdocs-static-i18n's languages when the site uses that
plugin, else the theme's one language. The default language is the reference: its texts are
binding, the others translate it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Languages:
    default: str
    others: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return (self.default, *self.others)

    def root(self, language: str) -> str:
        """The path of ``language``'s home, relative to the site root ("" or "en/")."""
        return "" if language == self.default else f"{language}/"


def site_languages(config) -> Languages:
    """The languages of the site configured in ``config`` (a loaded MkDocs config)."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return Languages(config.theme["language"])
    built = [lang for lang in plugin.config.languages if lang.build]
    default = next(lang.locale for lang in plugin.config.languages if lang.default)
    return Languages(default, tuple(lang.locale for lang in built if lang.locale != default))


def current_language(config) -> str:
    """The language being built now (static-i18n sets the theme's language for each)."""
    return config.theme["language"]


def default_build(config) -> bool:
    """Whether this is the default language's build: the outer one, from inside whose
    on_post_build static-i18n builds the other languages (each running every event again). Work
    for the whole site happens here, once; what needs every language waits for its end."""
    plugin = config.plugins.get("i18n")
    return plugin is None or not plugin.building
