"""The site as the plugin and the commands see it: its texts and its policy, from the plugin's
validated options; and, for the commands, the whole project loaded from mkdocs.yml by MkDocs
itself (so every option a command reads is the one the build validated: the languages from the
i18n plugin, the folders, the consent settings)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .consent.declaration import palette_key, theme_storage
from .languages import Languages, site_languages
from .policy.model import Policy, PolicyFiles
from .texts import Texts

PLUGIN = "privacy-kit"


def texts_for(options, config_file: Path, languages: Languages) -> Texts:
    folder = config_file.parent / options.texts_dir
    return Texts(folder, languages.all, languages.default, options.texts_dir.rstrip("/"))


def policy_for(options, docs: Path, default: str) -> Policy | None:
    """The policy and its published versions, when the site publishes versions."""
    if options.policy is None or options.policy.versions is None:
        return None
    v = options.policy.versions
    return Policy(PolicyFiles(docs, default, options.policy.page, v.folder, v.changes, v.draft))


@contextlib.contextmanager
def _config_errors():
    """The errors MkDocs logs while it loads a configuration (it raises only "Aborted ...")."""
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            errors.append(record.getMessage())

    handler = Collect(logging.ERROR)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield errors
    finally:
        logger.removeHandler(handler)


class ProjectError(Exception):
    """The project cannot be read (no mkdocs.yml, no privacy-kit plugin, a bad option)."""


class Project:
    """A site built with the privacy-kit plugin: ``mkdocs.yml`` and what it configures."""

    def __init__(self, config_file: Path):
        self.config_file = Path(config_file).resolve()
        self.root = self.config_file.parent
        if not self.config_file.is_file():
            raise ProjectError(f"{config_file}: no such file (expected the site's mkdocs.yml)")
        with _config_errors() as errors:
            try:
                self.config = load_config(str(self.config_file))
            except MkDocsException as error:  # MkDocs logs what is wrong, then aborts
                raise ProjectError(f"{config_file}: {'; '.join(errors) or error}") from None
        if PLUGIN not in self.config.plugins:
            raise ProjectError(f"{config_file}: the {PLUGIN} plugin is not in its plugins list")
        self.options = self.config.plugins[PLUGIN].config
        self.languages: Languages = site_languages(self.config)
        self.docs = Path(self.config.docs_dir)
        self.texts = texts_for(self.options, self.config_file, self.languages)
        self.policy = policy_for(self.options, self.docs, self.languages.default)
        self.palette_key = palette_key(self.config.theme, self.config.site_url)
        self.theme_storage = theme_storage(self.config.theme, self.config.site_url)

    def relative(self, path: Path) -> str:
        """``path`` as the site's owner knows it: relative to the project folder."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
