"""What a site declares (the privacy-kit plugin's ``consent`` and ``analytics`` in mkdocs.yml,
read with the build's own validation): every cookie and storage key of its cookie declaration,
plus the record that stores the choice; its consent revision; the hosts of its analytics
service and the origins its embeds load from, by which the audit judges requests; and what
those services would answer, for an audit offline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..consent.providers import hosts_of
from ..project import Project, ProjectError
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
        host, origin = parts.hostname or "", f"{parts.scheme}://{parts.netloc}"
        return any(host == h or host.endswith("." + h) for h in self.analytics_hosts) or any(
            origin in origins for _, origins in self.embeds
        )


def kit_words(language: str) -> dict:
    """The audit's texts in ``language`` from the kit's own texts (nl, en, de)."""
    return yaml.safe_load((DEFAULTS / f"{language}.yml").read_text(encoding="utf-8"))["audit"]


def load_declaration(mkdocs_yml: Path) -> Declaration:
    """What the project of ``mkdocs_yml`` declares."""
    try:
        site = Project(mkdocs_yml)
    except ProjectError as error:
        raise AuditError(f"--declaration {str(mkdocs_yml)!r}: {error}") from None
    options, consent = site.options, site.options.consent
    language = site.languages.default
    try:  # the site's own texts may reword the audit too; a language the kit lacks speaks English
        words = site.texts[language]["audit"]
    except KeyError:
        words = kit_words("en")
    if consent is None:
        return Declaration([], None, language=language, words=words)
    declared = [
        Declared(c.name, c.storage, c.category, c.provider)
        for category in consent.categories.values()
        for c in category.cookies
    ]
    if len(consent.categories) > 1:  # something to choose, so a banner and a stored choice
        declared.insert(
            0, Declared(consent.storage_key, "localStorage", "necessary", words["this_site_consent"])
        )
    if site.palette_key:  # the colour scheme chosen with Material's switch (at the site's root path)
        declared.insert(
            0,
            Declared(site.palette_key, "localStorage", "necessary", words["this_site_palette"], True),
        )
    embeds = tuple((name, category.hosts) for name, category in consent.categories.items() if category.hosts)
    return Declaration(
        declared,
        consent.revision,
        hosts_of(options.analytics),
        embeds,
        stand_ins(options.analytics, embeds, fonts=True),
        language,
        words,
    )


def declared_as(declaration: list[Declared], name: str, storage: str) -> Declared | None:
    return next((d for d in declaration if d.matches(name, storage)), None)
