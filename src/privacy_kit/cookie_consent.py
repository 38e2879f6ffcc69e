"""Cookie consent: validate ``extra.cookie_consent`` once, then hand templates what they render.

Data flows one way: mkdocs.yml (``extra.cookie_consent`` and ``extra.analytics``) is checked
here, with an error that quotes the bad value and says what is expected; the templates then
render the banner texts, one ``<script type="application/json" id="consent-config">`` block for
``consent.js``, and the cookie declaration table, all from the same validated data, so the
banner and the declaration can never disagree.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass, replace

from markup import table
from mkdocs.exceptions import PluginError
from texts import inner_language_build, language_root, texts

log = logging.getLogger("mkdocs.hooks.cookie_consent")

STORAGE_KEY = "maestro-consent"  # the one first-party record that stores the choice
SCHEMA = 1  # version of that record's format; bump when its shape changes
MAX_EXPIRES_DAYS = 395  # 13 months, the longest period regulators accept for a consent choice
POLICY_COOKIE_SECTION = "#8-cookies-en-websitegebruik"  # the same anchor in every language
DECLARATION_PAGE = "cookies/"
ANALYTICS_SCRIPT = "assets/javascripts/analytics-google.js"
DECLARATION_MARKER = "<!-- cookie-declaration -->"
CATEGORY_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
COOKIE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}\*?$")
GA4_PROPERTY = re.compile(r"^G-[A-Z0-9]{4,20}$")
COOKIE_FIELDS = ("name", "provider", "duration", "purpose")


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    provider: str
    duration: str | dict
    purpose: str | dict
    storage: str = "cookie"


@dataclass(frozen=True)
class Consent:
    revision: int
    expires_days: int
    categories: tuple[str, ...]  # optional categories, in config order (necessary is implied)
    cookies: tuple[Cookie, ...]
    analytics_property: str | None


def _fail(path: str, expected: str, value) -> PluginError:
    return PluginError(f"{path}: expected {expected}, got {value!r}")


def _whole_number(path: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(path, f"a whole number from {low} to {high}", value)
    return value


def _text(path: str, value) -> str | dict:
    """A text is a non-empty string, or a mapping of language code to non-empty string."""
    if isinstance(value, str) and value.strip():
        return value
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items())
    ):
        return value
    raise _fail(path, "a text, or a mapping of language code to text (e.g. {nl: ..., en: ...})", value)


def _cookie(path: str, category: str, value) -> Cookie:
    if not isinstance(value, dict):
        raise _fail(path, "a mapping with " + ", ".join(COOKIE_FIELDS), value)
    unknown = set(value) - {*COOKIE_FIELDS, "storage"}
    if unknown:
        raise _fail(path, "only the keys " + ", ".join((*COOKIE_FIELDS, "storage")), sorted(unknown))
    for field in COOKIE_FIELDS:
        if field not in value:
            raise PluginError(f"{path}: missing {field!r} (every cookie needs {', '.join(COOKIE_FIELDS)})")
    name = value["name"]
    if not isinstance(name, str) or not COOKIE_NAME.match(name):
        raise _fail(
            f"{path}.name",
            "a cookie name of letters, digits, '_', '.', '-' (a trailing * matches a prefix)",
            name,
        )
    storage = value.get("storage", "cookie")
    if storage not in ("cookie", "localStorage", "sessionStorage"):
        raise _fail(f"{path}.storage", "one of cookie, localStorage, sessionStorage", storage)
    provider = value["provider"]
    if not isinstance(provider, str) or not provider.strip():
        raise _fail(f"{path}.provider", "the name of who sets the cookie", provider)
    return Cookie(
        name=name,
        category=category,
        provider=provider,
        duration=_text(f"{path}.duration", value["duration"]),
        purpose=_text(f"{path}.purpose", value["purpose"]),
        storage=storage,
    )


def validate(extra: dict) -> Consent | None:
    """Check ``extra.cookie_consent`` and ``extra.analytics``; None when consent is not configured."""
    if "consent" in extra:
        raise PluginError(
            "extra.consent is set: that key makes Material render its own cookie banner. "
            "Configure consent under extra.cookie_consent instead (see README)."
        )
    raw = extra.get("cookie_consent")
    analytics = extra.get("analytics")
    if raw is None:
        if analytics:
            raise PluginError(
                "extra.analytics is set but extra.cookie_consent is not: analytics may only load "
                "after consent, so configure extra.cookie_consent with an 'analytics' category."
            )
        return None
    if not isinstance(raw, dict):
        raise _fail("extra.cookie_consent", "a mapping with revision, expires_days and categories", raw)
    unknown = set(raw) - {"revision", "expires_days", "categories"}
    if unknown:
        raise _fail(
            "extra.cookie_consent", "only the keys revision, expires_days, categories", sorted(unknown)
        )
    if "revision" not in raw:
        raise PluginError("extra.cookie_consent.revision is missing: expected a whole number (start at 1)")
    revision = _whole_number("extra.cookie_consent.revision", raw["revision"], 1, 10**6)
    expires = _whole_number(
        "extra.cookie_consent.expires_days", raw.get("expires_days", 365), 1, MAX_EXPIRES_DAYS
    )
    categories = raw.get("categories")
    if not isinstance(categories, dict) or "necessary" not in categories:
        raise _fail(
            "extra.cookie_consent.categories",
            "a mapping of categories that includes 'necessary' (e.g. necessary, analytics)",
            categories,
        )
    cookies, optional = [], []
    for name, body in categories.items():
        path = f"extra.cookie_consent.categories.{name}"
        if not isinstance(name, str) or not CATEGORY_NAME.match(name):
            raise _fail(path, "a category name of lowercase letters, digits, '-' or '_'", name)
        body = {} if body is None else body
        if not isinstance(body, dict) or set(body) - {"cookies"}:
            raise _fail(path, "a mapping with a 'cookies' list", body)
        items = body.get("cookies") or []
        if not isinstance(items, list):
            raise _fail(f"{path}.cookies", "a list of cookies", items)
        cookies += [_cookie(f"{path}.cookies[{i}]", name, item) for i, item in enumerate(items)]
        if name != "necessary":
            optional.append(name)
    names = [c.name for c in cookies]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise _fail("extra.cookie_consent.categories", "each cookie listed once", duplicates)

    prop = None
    if analytics:
        if not isinstance(analytics, dict) or analytics.get("provider") != "google":
            raise _fail("extra.analytics", "{provider: google, property: G-XXXXXXXXXX}", analytics)
        prop = analytics.get("property")
        if not isinstance(prop, str) or not GA4_PROPERTY.match(prop):
            raise _fail(
                "extra.analytics.property",
                "a Google Analytics 4 measurement ID like G-ABC123XYZ (set it with the GA_PROPERTY "
                "environment variable)",
                prop,
            )
        if "analytics" not in optional:
            raise PluginError(
                "extra.analytics is set but extra.cookie_consent.categories has no 'analytics' "
                "category: add it, with the cookies Google Analytics sets (_ga, _ga_*)."
            )
    return Consent(revision, expires, tuple(optional), tuple(cookies), prop)


def _localise(value: str | dict, language: str, what: str) -> str:
    if isinstance(value, str):
        return value
    if language not in value:
        raise PluginError(f"{what}: no text for language {language!r} in {value!r}")
    return value[language]


def declaration_html(consent: Consent, language: str) -> str:
    """The cookie declaration table: the consent record itself, then every configured cookie."""
    t = texts(language)
    d, labels = t["declaration"], t["consent"]["categories"]
    record = Cookie(
        name=STORAGE_KEY,
        category="necessary",
        provider=d["storage_record_provider"],
        duration=d["storage_record_duration"].format(days=consent.expires_days),
        purpose=d["storage_record_purpose"],
        storage="localStorage",
    )
    rows = []
    # The record exists only where there is something to choose (and so a banner).
    for c in ((record,) if consent.categories else ()) + consent.cookies:
        cells = (
            f"<code>{html.escape(c.name)}</code>",
            html.escape(labels[c.category]["label"]),
            html.escape(_localise(c.purpose, language, f"cookie {c.name!r} purpose")),
            html.escape(_localise(c.duration, language, f"cookie {c.name!r} duration")),
            html.escape(c.provider),
        )
        rows.append(
            f'<tr data-cookie="{html.escape(c.name)}" data-consent-category="{c.category}">'
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    headings = [d[k] for k in ("name", "category", "purpose", "duration", "provider")]
    if not rows:  # a site without analytics: say so rather than show an empty table
        rows.append(f'<tr><td colspan="{len(headings)}">{html.escape(d["none"])}</td></tr>')
    return table("consent-declaration", d["caption"], headings, rows)


def template_data(consent: Consent, language: str, root: str = "") -> dict:
    """What partials/consent.html renders for one language."""
    t = texts(language)["consent"]
    for category in consent.categories:
        if category not in t["categories"]:
            raise PluginError(
                f"extra.cookie_consent.categories.{category}: no label in texts/{language}.yml "
                f"(expected consent.categories.{category}.label and .description)"
            )
    config = {
        "key": STORAGE_KEY,
        "schema": SCHEMA,
        "revision": consent.revision,
        "expiresDays": consent.expires_days,
        "categories": list(consent.categories),
        "cookies": {
            cat: [c.name for c in consent.cookies if c.category == cat and c.storage == "cookie"]
            for cat in consent.categories
        },
    }
    return {
        "texts": t,
        "categories": consent.categories,
        "analytics_property": consent.analytics_property,
        # Site-root-relative, for the `url` filter; in the page's language.
        "policy_url": (root or "./") + POLICY_COOKIE_SECTION,
        "declaration_url": root + DECLARATION_PAGE,
        # "</" is escaped so the JSON can never close its <script> element.
        "json": json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"),
    }


_consent: Consent | None = None
_analytics_unset = False  # GA_PROPERTY unset or empty in this build
_gated: set[str] = set()  # categories that something on the built site waits for
GATED_SCRIPT = re.compile(r"<script\b[^>]*>")
GATED_CATEGORY = re.compile(r'\bdata-consent-category="([^"]+)"')


def without_analytics(consent: Consent) -> Consent:
    """The same consent without the ``analytics`` category and its cookies: nothing to ask for,
    nothing to declare, when the site is built without Google Analytics."""
    return replace(
        consent,
        categories=tuple(c for c in consent.categories if c != "analytics"),
        cookies=tuple(c for c in consent.cookies if c.category != "analytics"),
    )


def on_config(config):
    """GA_PROPERTY unset or empty (``extra.analytics.property`` is null): the site is built
    without ``extra.analytics`` and without the ``analytics`` category, so without a banner
    unless another category needs one; said in the log (not a warning: a valid choice)."""
    global _consent, _analytics_unset
    analytics = config.extra.get("analytics")
    if not inner_language_build(config):  # the other languages' builds follow the default's
        _analytics_unset = isinstance(analytics, dict) and analytics.get("property") in (None, "")
        if _analytics_unset:
            log.info(
                "GA_PROPERTY is not set: building without analytics and without a cookie banner "
                "(there is nothing to ask consent for). Set GA_PROPERTY=G-... to include Google Analytics."
            )
    if _analytics_unset:
        config.extra.pop("analytics", None)
    _consent = validate(config.extra)
    if _analytics_unset and _consent is not None:
        _consent = without_analytics(_consent)
    _gated.clear()
    if _consent is None:
        log.info("extra.cookie_consent is not set: no banner and no analytics are rendered")
    return config


def _language(config) -> str:
    return config.theme["language"]


def on_page_content(html_text, page, config, files):
    if DECLARATION_MARKER not in html_text:
        return html_text
    if _consent is None:
        log.warning(
            "%s has a cookie declaration marker but extra.cookie_consent is not set", page.file.src_uri
        )
        return html_text.replace(DECLARATION_MARKER, "")
    return html_text.replace(DECLARATION_MARKER, declaration_html(_consent, _language(config)))


def on_files(files, config):
    """Without extra.analytics the Google integration is not published at all."""
    if _consent is None or _consent.analytics_property is None:
        file = files.get_file_from_path(ANALYTICS_SCRIPT)
        if file is not None:
            files.remove(file)
    return files


def _context(context, config):
    """The banner is rendered only where there is something to choose."""
    offered = _consent is not None and _consent.categories
    context["consent"] = (
        template_data(_consent, _language(config), language_root(config)) if offered else None
    )
    return context


def on_page_context(context, page, config, nav):
    return _context(context, config)


def on_template_context(context, template_name, config):
    return _context(context, config)


def on_post_page(output, page, config):
    for tag in GATED_SCRIPT.findall(output):
        if 'type="text/plain"' in tag and (match := GATED_CATEGORY.search(tag)):
            _gated.add(match.group(1))
    return output


def on_post_build(config):
    """Asking consent for a category that nothing uses is consent theatre: warn (strict fails)."""
    for category in _consent.categories if _consent else ():
        if category not in _gated:
            log.warning(
                "extra.cookie_consent.categories.%s is offered in the banner, but nothing on the site "
                'waits for it (no extra.analytics and no <script type="text/plain" '
                'data-consent-category="%s">): remove the category or add what needs it',
                category,
                category,
            )
