"""What a site declares (the privacy-kit plugin's ``consent`` and ``analytics`` in mkdocs.yml,
read with the build's own validation): every cookie and storage key of its cookie declaration,
plus the record that stores the choice; its consent revision; the hosts of its analytics
service and the origins its embeds load from, by which the audit judges requests; and what
those services would answer, for an audit offline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .. import yaml_files
from ..consent.declaration import consent_from, kit_storage
from ..origins import origin_of
from ..project import Project, ProjectError
from ..providers import hosts_of
from ..serving.standins import StandIn, stand_ins
from ..texts import DEFAULTS
from . import AuditError


@dataclass(frozen=True)
class Declared:
    name: str  # a trailing * matches a prefix
    storage: str  # cookie, localStorage or sessionStorage
    category: str
    provider: str
    on_request: bool = False  # stored only when the visitor asks for it (no warning when unseen)

    def matches(self, name: str, storage: str) -> bool:
        if storage != self.storage:
            return False
        if self.name.endswith("*"):
            return name.startswith(self.name[:-1])
        return name == self.name


@dataclass(frozen=True)
class Declaration:
    cookies: list[Declared]  # and storage keys
    revision: int | None
    analytics_hosts: tuple[str, ...] = ()  # host names (a suffix match) that are its analytics service
    embeds: tuple[tuple[str, tuple[str, ...]], ...] = ()  # category, the origins its embeds load from
    stand_ins: tuple[StandIn, ...] = ()
    language: str = "en"  # the site's default language: the audit speaks it (console and report)
    words: dict = field(default_factory=lambda: kit_words("en"), compare=False, hash=False)

    def covers(self, url: str) -> bool:
        """Whether a request to ``url`` goes to a service the site declares (after consent)."""
        parts = urlsplit(url)
        host, origin = parts.hostname or "", origin_of(url)
        return any(host == h or host.endswith("." + h) for h in self.analytics_hosts) or any(
            origin in origins for _, origins in self.embeds
        )


def kit_texts(language: str) -> dict:
    """The kit's own texts in ``language`` (nl, en, de)."""
    return yaml_files.load((DEFAULTS / f"{language}.yml").read_text(encoding="utf-8"))


def kit_words(language: str) -> dict:
    """The audit's texts in ``language`` from the kit's own texts."""
    return kit_texts(language)["audit"]


def load_declaration(mkdocs_yml: Path) -> Declaration:
    """What the project of ``mkdocs_yml`` declares: the build's own declaration
    (consent/declaration.py), as mkdocs.yml declares it even where an identifier of its analytics
    service is unset here (a deployed site was built where it was set)."""
    try:
        site = Project(mkdocs_yml)
    except ProjectError as error:
        raise AuditError(f"--declaration {str(mkdocs_yml)!r}: {error}") from None
    language = site.languages.default
    try:  # the site's own texts may reword the audit too; a language the kit lacks speaks English
        texts = site.texts[language]
    except KeyError:
        texts = kit_texts("en")
    consent = consent_from(site.options, site.palette_key, declared=True, theme_storage=site.theme_storage)
    if consent is None:
        return Declaration([], None, language=language, words=texts["audit"])
    # What the site stores itself (the choice; the colour scheme, only once the visitor uses the
    # switch), then every cookie and storage item of its categories.
    declared = [
        Declared(c.name, c.storage, c.category, c.provider, on_request=c.name == consent.palette_key)
        for c in kit_storage(consent, texts) + consent.cookies
    ]
    analytics = site.options.analytics
    return Declaration(
        declared,
        consent.revision,
        hosts_of(analytics),
        consent.hosts,
        stand_ins(analytics, consent.hosts, fonts=True),
        language,
        texts["audit"],
    )


def declared_as(declaration: list[Declared], name: str, storage: str) -> Declared | None:
    return next((d for d in declaration if d.matches(name, storage)), None)
