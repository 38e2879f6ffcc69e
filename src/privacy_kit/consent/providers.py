"""The analytics services the kit integrates, each loaded only after consent to ``analytics``:
the script of the theme that consent.js runs (a gated ``<script type="text/plain">``) with its
settings as data attributes, what the Content-Security-Policy must allow, and the hosts the
audit counts as that service."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..config import PLAUSIBLE
from ..origins import origin_of


@dataclass(frozen=True)
class Analytics:
    provider: str
    script: str  # the theme asset consent.js runs after consent
    attributes: tuple[tuple[str, str], ...]  # its settings, as data-* attributes of the gated script
    sources: tuple[tuple[str, tuple[str, ...]], ...]  # Content-Security-Policy: directive, sources
    hosts: tuple[str, ...]  # host names whose requests are this service (a suffix match)


GOOGLE_SOURCES = (
    ("script-src", ("https://www.googletagmanager.com",)),
    ("img-src", ("https://*.google-analytics.com", "https://*.googletagmanager.com")),
    (
        "connect-src",
        (
            "https://*.google-analytics.com",
            "https://*.analytics.google.com",
            "https://*.googletagmanager.com",
        ),
    ),
)
GOOGLE_HOSTS = ("googletagmanager.com", "google-analytics.com", "analytics.google.com", "doubleclick.net")


def analytics_of(options) -> Analytics | None:
    """The service of the plugin's validated ``analytics`` options (None: not configured, or an
    identifier unset)."""
    if options is None:
        return None
    if options.provider == "google":
        if options.property is None:
            return None
        return Analytics(
            "google",
            "assets/javascripts/analytics-google.js",
            (("data-property", options.property),),
            GOOGLE_SOURCES,
            GOOGLE_HOSTS,
        )
    if options.provider == "plausible":
        if options.domain is None:
            return None
        url = plausible_url(options)
        origin = origin_of(url)
        return Analytics(
            "plausible",
            "assets/javascripts/analytics-plausible.js",
            (("data-domain", options.domain), ("data-url", url)),
            (("script-src", (origin,)), ("connect-src", (origin,))),
            (urlsplit(url).hostname,),
        )
    if options.url is None or options.site_id is None:
        return None
    origin = origin_of(options.url)
    return Analytics(
        "matomo",
        "assets/javascripts/analytics-matomo.js",
        (("data-url", options.url), ("data-site-id", str(options.site_id))),
        (("script-src", (origin,)), ("img-src", (origin,)), ("connect-src", (origin,))),
        (urlsplit(options.url).hostname,),
    )


SCRIPTS = (
    "assets/javascripts/analytics-google.js",
    "assets/javascripts/analytics-matomo.js",
    "assets/javascripts/analytics-plausible.js",
)


def plausible_url(options) -> str:
    """Where Plausible runs: the site's own Plausible (``url``), else plausible.io."""
    return options.url or PLAUSIBLE


def hosts_of(options) -> tuple[str, ...]:
    """The host names whose requests are the configured analytics service (its identifiers
    need not be set: the audit of a deployed site reads a local mkdocs.yml)."""
    if options is None:
        return ()
    if options.provider == "google":
        return GOOGLE_HOSTS
    if options.provider == "plausible":
        return (urlsplit(plausible_url(options)).hostname,)
    return (urlsplit(options.url).hostname,) if options.url else ()
