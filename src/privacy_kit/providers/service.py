"""What the entry of one analytics service holds (each a module of this package), and what it
makes of the plugin's validated ``analytics`` options.

An entry is everything the kit knows of its service: the options it takes (validated only when it
is the chosen ``provider``), the theme's script that loads it after consent to ``analytics`` and
the settings that script reads, what the Content-Security-Policy allows it, the hosts whose
requests are it, the row of the cookie declaration for a service that sets no cookie, its standard
tracking code as the guard recognises it, what it answers in tests and the offline audit, and what
``privacy-kit init`` asks and writes for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..origins import origin_of


@dataclass(frozen=True)
class StandIn:
    """What a service would answer, without leaving the machine (tests, the offline audit)."""

    url: str  # a prefix of the URLs it answers
    status: int
    content_type: str
    body: str


@dataclass(frozen=True)
class Analytics:
    """The configured service as the pages load it: consent.js runs the theme's ``script`` (a gated
    ``<script type="text/plain" data-consent-category="analytics">``) with its settings as data
    attributes, once the visitor has consented to analytics."""

    provider: str
    script: str  # the theme asset consent.js runs after consent
    attributes: tuple[tuple[str, str], ...]  # its settings, as data-* attributes of the gated script
    sources: tuple[tuple[str, tuple[str, ...]], ...]  # Content-Security-Policy: directive, sources
    hosts: tuple[str, ...]  # host names whose requests are this service (a suffix match)


@dataclass(frozen=True)
class Question:
    """What ``privacy-kit init`` asks for one option of the service (or takes from
    ``--<provider>-<option>``). With a ``hint``, its default is a placeholder of the right form
    that no real service has: a production build refuses it and says to write ``hint``."""

    key: str
    question: str
    default: str
    hint: str | None = None


def host_of(url: str) -> str:
    return urlsplit(url).hostname


def on(host: str, domains: tuple[str, ...]) -> bool:
    """Whether ``host`` is one of ``domains`` or below one of them."""
    return any(host == d or host.endswith("." + d) for d in domains)


class Provider:
    """One analytics service. Each module of this package makes one (``PROVIDER``)."""

    name: str  # its value of analytics.provider
    title: str  # how the kit's messages name it
    about: str  # what the configuration reference says of it
    options: dict  # the analytics keys it takes: key -> option (options.py), validated when chosen
    required: tuple[str, ...]  # of those, the ones it needs (an !ENV value may leave one unset)
    help: dict[str, str]  # key -> what it is for, as the reference says it
    script: str  # the theme's script that loads it, after consent
    texts: tuple[str, ...] = ()  # the declaration's texts its row uses (recipient())
    well_known: tuple[str, ...] = ()  # host names counted as this service on any site (the audit)
    inline: re.Pattern | None = None  # its standard tracking code, written inline (the guard)
    cookie_provider: str = ""  # init: who sets its cookies, as the declaration names it ({name}: the site)
    questions: tuple[Question, ...] = ()  # what init asks for it

    def analytics(self, options) -> Analytics | None:
        """The service as the pages load it (None: an identifier is unset, an empty !ENV)."""
        if any(options[key] is None for key in self.required):
            return None
        return Analytics(
            self.name, self.script, self.attributes(options), self.sources(options), self.hosts(options)
        )

    def attributes(self, options) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    def sources(self, options) -> tuple[tuple[str, tuple[str, ...]], ...]:
        raise NotImplementedError

    def hosts(self, options) -> tuple[str, ...]:
        """The host names whose requests are the service (its identifiers need not be set: the
        audit of a deployed site reads a local mkdocs.yml)."""
        raise NotImplementedError

    def recognises(self, host: str, path: str, attributes: dict[str, str]) -> bool:
        """Whether a URL (its host and path, lower case) on an element with ``attributes`` is
        the service's standard tracking code."""
        return False

    def recipient(self, analytics: Analytics, texts: dict) -> tuple[str, str, str, str] | None:
        """For a service that sets no cookie: the row of the declaration (host, who receives,
        purpose, duration) for the configured service, from the ``declaration`` texts; None for
        one whose cookies the site lists."""
        return None

    def loader(self, options) -> str:
        """What a page requests when the service loads (its script's address)."""
        raise NotImplementedError

    def stand_ins(self, options) -> tuple[StandIn, ...]:
        """What the service would answer, for tests and the offline audit (each stand-in counts
        its runs in ``window.__<name>StandIn``)."""
        return ()

    def local_attributes(self, options, here: str) -> tuple[tuple[str, str], ...]:
        """Its settings under ``privacy-kit serve``'s local preview, where its stand-ins answer
        from ``here`` (the absolute address of the preview's own folder)."""
        raise NotImplementedError

    def local_files(self) -> dict[str, str]:
        """The local preview's stand-ins, as files of that folder (path -> text)."""
        return {}

    def unfilled(self, options) -> list[str]:
        """The options that still hold init's placeholder."""
        found = []
        for question in self.questions:
            value = options[question.key]
            if question.hint and value is not None and question.default in str(value):
                found.append(f"mkdocs.yml: analytics.{question.key} is {value} ({question.hint})")
        return found

    def init_lines(self, values: dict[str, str]) -> list[str]:
        """The lines of mkdocs.yml's ``analytics:`` that init writes, with the answers."""
        lines = ["      analytics:", f"        provider: {self.name}"]
        return lines + [f"        {key}: {value}" for key, value in values.items()]


def with_url(attributes: tuple[tuple[str, str], ...], url: str) -> tuple[tuple[str, str], ...]:
    """The settings with ``data-url`` (where the service is loaded from) replaced by ``url``."""
    return tuple((name, url if name == "data-url" else value) for name, value in attributes)


def own_service_sources(url: str, *directives: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What the policy allows a service that runs at ``url`` (its script and what it sends)."""
    return tuple((directive, (origin_of(url),)) for directive in directives)
