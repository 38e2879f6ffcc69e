"""What consent is asked for, and the cookie declaration that lists it.

The validated configuration (config.py) becomes one ``Consent``: the revision, how long a
choice holds, the optional categories the banner offers and every cookie or storage item the
site uses. The banner (banner.py), the declaration table here and the consent archive all read
this one object, so they can never disagree.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from ..config import NECESSARY, Cookie
from ..markup import table
from ..providers import Analytics, analytics_of, named

SCHEMA = 1  # version of the stored record's format; bump when its shape changes
MARKER = "<!-- cookie-declaration -->"  # where a page shows the declaration table


@dataclass(frozen=True)
class Consent:
    revision: int
    expires_days: int
    storage_key: str  # the one first-party record that stores the choice
    categories: tuple[str, ...]  # optional categories, in config order (necessary is implied)
    cookies: tuple[Cookie, ...]
    analytics: Analytics | None  # the analytics service, loaded after consent to "analytics"
    hosts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # category, the origins its embeds load from
    palette_key: str | None = None  # where Material's colour-scheme switch keeps the visitor's scheme
    # What else Material keeps in the visitor's browser for a feature the theme turns on: (key, name
    # of its texts), see theme_storage().
    theme_storage: tuple[tuple[str, str], ...] = ()


def consent_from(
    options, palette: str | None = None, declared: bool = False, theme_storage: tuple = ()
) -> Consent | None:
    """The ``Consent`` of the plugin's validated ``consent`` and ``analytics`` options (None
    when consent is not configured), with the key of Material's colour-scheme switch
    (``palette_key()``: None, no switch). Analytics whose identifier is unset is left out, as the
    build leaves it out; ``declared`` keeps its category and cookies all the same, as mkdocs.yml
    declares them (the audit of a deployed site, built where the identifier was set)."""
    if options.consent is None:
        return None
    categories = options.consent.categories
    consent = Consent(
        revision=options.consent.revision,
        expires_days=options.consent.expires_days,
        storage_key=options.consent.storage_key,
        categories=tuple(name for name in categories if name != NECESSARY),
        cookies=tuple(c for category in categories.values() for c in category.cookies),
        analytics=analytics_of(options.analytics),
        hosts=tuple((name, category.hosts) for name, category in categories.items() if category.hosts),
        palette_key=palette,
        theme_storage=tuple(theme_storage),
    )
    if options.analytics is not None and consent.analytics is None and not declared:
        return without_analytics(consent)
    return consent


def without_analytics(consent: Consent) -> Consent:
    """The same consent without the ``analytics`` category and its cookies: nothing to ask for,
    nothing to declare, when the site is built without its analytics service."""
    return replace(
        consent,
        categories=tuple(c for c in consent.categories if c != "analytics"),
        cookies=tuple(c for c in consent.cookies if c.category != "analytics"),
    )


def localise(value: str | dict, language: str, what: str) -> str:
    if isinstance(value, str):
        return value
    if language not in value:
        raise PluginError(f"{what}: no text for language {language!r} in {value!r}")
    return value[language]


def material_key(site_url: str | None, name: str) -> str:
    """The localStorage key under which Material's bundle (``__md_set``) keeps ``name``: scoped to
    the site's path (``/docs/.__palette`` for https://example.org/docs/)."""
    return urlsplit(site_url or "/").path.rstrip("/") + "/." + name


def palette_key(theme, site_url: str | None) -> str | None:
    """The localStorage key under which Material's colour-scheme switch keeps the scheme a
    visitor chose (``<site path>.__palette``), when the theme has such a switch."""
    palette = theme.get("palette")
    if not isinstance(palette, list) or not any(isinstance(p, dict) and p.get("toggle") for p in palette):
        return None
    return material_key(site_url, "__palette")


# Material's features that keep something in the visitor's local storage (its bundle's
# __md_set), each with the name of its texts in the declaration: linked content tabs remember the
# tab chosen, a dismissed announcement stays dismissed.
THEME_STORAGE = {"content.tabs.link": "__tabs", "announce.dismiss": "__announce"}


def theme_storage(theme, site_url: str | None) -> tuple[tuple[str, str], ...]:
    """The localStorage keys (``<site path>/.__tabs``) Material uses for the features the theme
    turns on, each with the name of its texts (``tabs``, ``announce``)."""
    features = theme.get("features") or []
    return tuple(
        (material_key(site_url, key), key.strip("_"))
        for feature, key in THEME_STORAGE.items()
        if feature in features
    )


def kit_storage(consent: Consent, texts: dict) -> tuple[Cookie, ...]:
    """What the site itself stores, declared as strictly necessary: the record of the choice
    (where there is something to choose, and so a banner) and, with Material's switch, the colour
    scheme the visitor chose with it."""
    d = texts["declaration"]

    def stored_by_the_site(name: str, duration: str, purpose: str) -> Cookie:
        return Cookie(
            name=name,
            category=NECESSARY,
            provider=d["storage_record_provider"],
            duration=duration,
            purpose=purpose,
            storage="localStorage",
        )

    found = []
    if consent.categories:
        duration = d["storage_record_duration"].format(days=consent.expires_days)
        found.append(stored_by_the_site(consent.storage_key, duration, d["storage_record_purpose"]))
    if consent.palette_key:
        found.append(stored_by_the_site(consent.palette_key, d["palette_duration"], d["palette_purpose"]))
    for key, name in consent.theme_storage:
        found.append(stored_by_the_site(key, d["palette_duration"], d[f"{name}_purpose"]))
    return tuple(found)


@dataclass(frozen=True)
class Recipient:
    """A service that receives data from the visitor's browser with consent, though it stores
    nothing the declaration lists as a cookie: an analytics service that sets none (its entry
    says, providers/), and the origins of a category's embeds."""

    host: str
    category: str
    provider: str
    purpose: str
    duration: str


def recipients(consent: Consent, texts: dict) -> tuple[Recipient, ...]:
    """Who receives what, from the configuration: the server of an analytics service that sets
    no cookie (the request is what the visitor consents to) and each declared origin of an embed
    category."""
    d = texts["declaration"]
    found = []
    analytics = consent.analytics
    row = named(analytics.provider).recipient(analytics, d) if analytics is not None else None
    if row is not None and "analytics" in consent.categories:
        host, provider, purpose, duration = row
        found.append(Recipient(host, "analytics", provider, purpose, duration))
    for category, origins in consent.hosts:
        for origin in origins if category in consent.categories else ():
            host = urlsplit(origin).hostname
            found.append(
                Recipient(host, category, host, d["embed_request_purpose"], d["embed_request_duration"])
            )
    return tuple(found)


def declaration_html(consent: Consent, texts: dict, language: str) -> str:
    """The cookie declaration table: what the site itself stores, every configured cookie, then
    the services that receive data without a cookie (analytics that sets none, the embeds' origins)."""
    d, labels = texts["declaration"], texts["consent"]["categories"]
    rows = []
    for c in kit_storage(consent, texts) + consent.cookies:
        cells = (
            f"<code>{html.escape(c.name)}</code>",
            html.escape(labels[c.category]["label"]),
            html.escape(localise(c.purpose, language, f"cookie {c.name!r} purpose")),
            html.escape(localise(c.duration, language, f"cookie {c.name!r} duration")),
            html.escape(c.provider),
        )
        rows.append(
            f'<tr data-cookie="{html.escape(c.name)}" data-consent-category="{c.category}">'
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    for r in recipients(consent, texts):
        cells = (
            html.escape(d["request_name"].format(host=r.host)),
            html.escape(labels[r.category]["label"]),
            html.escape(r.purpose),
            html.escape(r.duration),
            html.escape(r.provider),
        )
        rows.append(
            f'<tr data-recipient="{html.escape(r.host)}" data-consent-category="{r.category}">'
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    headings = [d[k] for k in ("name", "category", "purpose", "duration", "provider")]
    if not rows:  # a site without analytics: say so rather than show an empty table
        rows.append(f'<tr><td colspan="{len(headings)}">{html.escape(d["none"])}</td></tr>')
    return table("consent-declaration", d["caption"], headings, rows)
