"""The plugin's configuration: typed, validated once when mkdocs.yml is loaded.

    plugins:
      - privacy-kit:
          texts_dir: texts
          consent: {revision: 1, categories: {necessary: {}, analytics: {cookies: [...]}}}
          analytics: {provider: google, property: !ENV GA_PROPERTY}
          policy: {page: index.md, cookie_section: cookies, versions: {folder: versions}}
          security: {contact: mailto:security@example.org}

Every option refuses a bad value with a message that says what is expected and quotes the value;
MkDocs puts the option's path in front ("Plugin 'privacy-kit' option 'consent': Sub-option
'revision': expected a whole number from 1 to 1000000, got 'two'"). The README's configuration
reference is generated from the classes here (``reference()``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from . import providers
from .options import Matching, OneOf, Optional, Section, Text, WholeNumber, expected

MAX_EXPIRES_DAYS = 395  # 13 months, the longest period regulators accept for a consent choice
CATEGORY_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
COOKIE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}\*?$")
STORAGE_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
ORIGIN = re.compile(r"^https://[a-z0-9.-]+(:\d+)?$")
FOLDER_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ANCHOR = re.compile(r"^[\w-]+$")
COOKIE_FIELDS = ("name", "provider", "duration", "purpose")
STORAGES = ("cookie", "localStorage", "sessionStorage")
NECESSARY = "necessary"


# --- Cookie consent ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cookie:
    """One cookie or storage item of the declaration."""

    name: str  # a trailing * matches a prefix (e.g. _ga_*)
    category: str
    provider: str
    duration: str | dict  # a text, or a mapping of language to text
    purpose: str | dict
    storage: str = "cookie"


@dataclass(frozen=True)
class Category:
    name: str
    cookies: tuple[Cookie, ...]
    hosts: tuple[str, ...] = ()  # the origins its embeds load from (https://player.vimeo.com)


def localised_text(path: str, value) -> str | dict:
    """A text is a non-empty string, or a mapping of language code to non-empty string."""
    if isinstance(value, str) and value.strip():
        return value
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items())
    ):
        return value
    raise ValidationError(
        f"{path}: expected a text, or a mapping of language code to text (e.g. {{nl: ..., en: ...}}), got {value!r}"
    )


def cookie(path: str, category: str, value) -> Cookie:
    if not isinstance(value, dict):
        raise ValidationError(f"{path}: expected a mapping with {', '.join(COOKIE_FIELDS)}, got {value!r}")
    unknown = set(value) - {*COOKIE_FIELDS, "storage"}
    if unknown:
        raise ValidationError(
            f"{path}: expected only the keys {', '.join((*COOKIE_FIELDS, 'storage'))}, got {sorted(unknown)!r}"
        )
    for field in COOKIE_FIELDS:
        if field not in value:
            raise ValidationError(
                f"{path}: missing {field!r} (every cookie needs {', '.join(COOKIE_FIELDS)})"
            )
    name = value["name"]
    if not isinstance(name, str) or not COOKIE_NAME.match(name):
        raise ValidationError(
            f"{path}.name: expected a cookie name of letters, digits, '_', '.', '-' (a trailing * matches "
            f"a prefix), got {name!r}"
        )
    storage = value.get("storage", "cookie")
    if storage not in STORAGES:
        raise ValidationError(f"{path}.storage: expected one of {', '.join(STORAGES)}, got {storage!r}")
    provider = value["provider"]
    if not isinstance(provider, str) or not provider.strip():
        raise ValidationError(f"{path}.provider: expected the name of who sets the cookie, got {provider!r}")
    return Cookie(
        name=name,
        category=category,
        provider=provider,
        duration=localised_text(f"{path}.duration", value["duration"]),
        purpose=localised_text(f"{path}.purpose", value["purpose"]),
        storage=storage,
    )


class Categories(c.BaseConfigOption[dict]):
    """``{necessary: {cookies: [...]}, analytics: {cookies: [...]}, ...}``: the categories the
    banner offers (``necessary`` is always on) and the cookies each one covers."""

    def run_validation(self, value) -> dict[str, Category]:
        if not isinstance(value, dict) or NECESSARY not in value:
            raise expected(
                f"a mapping of categories that includes '{NECESSARY}' (e.g. necessary, analytics)", value
            )
        categories = {}
        for name, body in value.items():
            if not isinstance(name, str) or not CATEGORY_NAME.match(name):
                raise expected("a category name of lowercase letters, digits, '-' or '_'", name)
            body = {} if body is None else body
            if not isinstance(body, dict) or set(body) - {"cookies", "hosts"}:
                raise ValidationError(
                    f"{name}: expected a mapping with a 'cookies' list (and 'hosts'), got {body!r}"
                )
            items = body.get("cookies") or []
            if not isinstance(items, list):
                raise ValidationError(f"{name}.cookies: expected a list of cookies, got {items!r}")
            cookies = tuple(cookie(f"{name}.cookies[{i}]", name, item) for i, item in enumerate(items))
            hosts = body.get("hosts") or []
            if name == NECESSARY and hosts:
                raise ValidationError(
                    f"{name}.hosts: expected none (what needs no consent loads from the site itself), got {hosts!r}"
                )
            if not isinstance(hosts, list) or not all(isinstance(h, str) and ORIGIN.match(h) for h in hosts):
                raise ValidationError(
                    f"{name}.hosts: expected a list of origins its embeds load from, like https://player.vimeo.com, got {hosts!r}"
                )
            categories[name] = Category(name, cookies, tuple(hosts))
        names = [c.name for category in categories.values() for c in category.cookies]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise expected("each cookie listed once", duplicates)
        return categories


class ConsentConfig(Section):
    """What the banner asks and the declaration lists."""

    HELP = {
        "revision": "raise it by one to ask every visitor again; then record what the banner shows",
        "expires_days": "after this many days a stored choice is asked again (at most 395, 13 months)",
        "storage_key": "the name of the one localStorage record that keeps the visitor's choice",
        "categories": "necessary (always on) and the optional categories the banner offers, each with its "
        "cookies (name, provider, duration, purpose, storage) and, for embeds, hosts",
        "declaration_page": "the page whose `<!-- cookie-declaration -->` becomes the table; the footer link goes there",
        "archive": "what the banner showed per consent revision, written by `privacy-kit record-consent`",
    }

    revision = WholeNumber(1, 10**6)
    expires_days = WholeNumber(1, MAX_EXPIRES_DAYS, default=365)
    storage_key = Matching(
        STORAGE_KEY, "a storage key of letters, digits, '_', '.', ':' or '-'", default="consent"
    )
    categories = Categories()
    declaration_page = Text("the docs-relative path of the cookie declaration page", default="cookies.md")
    archive = Text("the docs-relative path of the consent archive", default="consent.yml")


# --- Analytics --------------------------------------------------------------------------------


class ForProvider(c.BaseConfigOption):
    """A key of one or more analytics services: the chosen service's entry checks its value
    (``AnalyticsConfig.validate``); every other service refuses it."""

    def __init__(self, key: str):
        super().__init__()
        self.key, self.default = key, None

    def run_validation(self, value):
        return value

    def of(self) -> tuple:
        """The services that take this key, each with its option."""
        return tuple((p, p.options[self.key]) for p in providers.every() if self.key in p.options)


class _Analytics(Section):
    """The analytics service that loads only after consent to the ``analytics`` category: one of
    the services of providers/ (``provider``) with the options its entry takes. Its identifiers
    may come from environment variables (``!ENV``): unset or empty, the site is built without
    analytics (see the plugin)."""

    def validate(self):
        failed, warnings = super().validate()
        if failed:
            return failed, warnings
        service = providers.named(self.provider)
        wanted = ", ".join(service.required)
        for key, _ in self._schema[1:]:
            if key in service.options:
                try:
                    self[key] = c.Optional(service.options[key]).validate(self[key])
                except ValidationError as error:
                    failed.append((key, error))
            elif self[key] is not None:
                failed.append(
                    (key, expected(f"no {key} for provider {service.name} (it takes {wanted})", self[key]))
                )
        for key in service.required:  # written, though an !ENV value may be unset
            if key not in self.written:
                failed.append((key, ValidationError(f"missing: provider {service.name} needs {wanted}")))
        return failed, warnings


def _analytics_config() -> type:
    """The ``analytics`` section: ``provider`` and every key of every service, in their order."""
    keys = dict.fromkeys(key for service in providers.every() for key in service.options)
    schema = {
        "provider": OneOf(tuple(p.name for p in providers.every())),
        **{k: ForProvider(k) for k in keys},
    }
    about = [p.about for p in providers.every()]
    help = {"provider": ", ".join(about[:-1]) + " or " + about[-1]}
    for key in keys:
        help[key] = "; ".join(f"{p.name}: {p.help[key]}" for p, _ in schema[key].of())
    return type("AnalyticsConfig", (_Analytics,), {"__doc__": _Analytics.__doc__, "HELP": help, **schema})


AnalyticsConfig = _analytics_config()


# --- The policy and its versions --------------------------------------------------------------


class VersionsConfig(Section):
    """Where the published versions live (docs-relative) and what their pages are called."""

    HELP = {
        "folder": "the archive of published versions (`docs/<folder>/<version>/`) and the history page",
        "changes": "the name of each version's redline page (`<folder>/<version>/<changes>/`)",
        "draft": "where `mkdocs serve` shows the draft's live redline (`<folder>/<draft>/<changes>/`)",
    }

    folder = Matching(
        FOLDER_NAME, "a folder name of lowercase letters, digits, '-' or '_'", default="versions"
    )
    changes = Matching(
        FOLDER_NAME, "a folder name of lowercase letters, digits, '-' or '_'", default="changes"
    )
    draft = Matching(FOLDER_NAME, "a folder name of lowercase letters, digits, '-' or '_'", default="draft")


class PolicyConfig(Section):
    """The privacy policy page, its cookie section and (optionally) its published versions."""

    HELP = {
        "page": "the privacy policy in the default language (the editors' working copy when versioned)",
        "cookie_section": "the anchor of its section on cookies: the banner links there, and new-version "
        "raises the consent revision when it changes",
        "versions": "publish the policy in frozen versions with history, redlines and feeds (left out: none)",
    }

    page = Text("the docs-relative path of the policy page", default="index.md")
    cookie_section = c.Optional(Matching(ANCHOR, "the anchor of the policy's cookie section (without #)"))
    versions = Optional(VersionsConfig)


# --- Security ---------------------------------------------------------------------------------


class SecurityConfig(Section):
    """security.txt (RFC 9116): written only when there is a contact."""

    HELP = {"contact": "security.txt's Contact; without it no security.txt is written"}

    contact = c.Optional(
        Matching(re.compile(r"^(mailto:|https://|tel:)\S+$"), "a mailto:, https:// or tel: URI")
    )


class PrivacyKitConfig(Section):
    """The privacy-kit plugin's options."""

    HELP = {
        "texts_dir": "the site's own texts, `<language>.yml`, in place of the kit's (beside mkdocs.yml)",
        "consent": "the banner, the cookie declaration and the consent archive (left out: no banner)",
        "analytics": "the analytics service, loaded only after consent to the analytics category",
        "policy": "the privacy policy page and its versions",
        "security": "security.txt",
    }
    texts_dir = Text("a folder beside mkdocs.yml", default="texts")
    consent = Optional(ConsentConfig)
    analytics = Optional(AnalyticsConfig)
    policy = Optional(PolicyConfig)
    security = c.SubConfig(SecurityConfig)

    def validate(self):
        failed, warnings = super().validate()
        if failed or self.analytics is None:
            return failed, warnings
        if self.consent is None:
            failed.append(
                (
                    "analytics",
                    ValidationError(
                        "analytics is set but consent is not: analytics may only load after consent, so "
                        "configure consent with an 'analytics' category"
                    ),
                )
            )
        elif "analytics" not in self.consent.categories:
            failed.append(
                (
                    "analytics",
                    ValidationError(
                        "analytics is set but consent.categories has no 'analytics' category: add it, with "
                        "the cookies the analytics service sets"
                    ),
                )
            )
        return failed, warnings


# --- The reference in the README -------------------------------------------------------------


def _takes(option) -> tuple[str, str]:
    """What an option takes, and its default, as the reference says them."""
    if isinstance(option, c.Optional):
        what, _ = _takes(option.option)
        return what, "unset"
    if isinstance(option, ForProvider):  # each service's own, when they differ
        takes = {p.name: _takes(o)[0] for p, o in option.of()}
        if len(set(takes.values())) == 1:
            return next(iter(takes.values())), "unset"
        return "; ".join(f"{name}: {what}" for name, what in takes.items()), "unset"
    if isinstance(option, Optional):
        return "a section", "left out"
    if isinstance(option, c.SubConfig):
        return "a section", "`{}`"
    what = {
        WholeNumber: lambda o: f"a whole number from {o.low} to {o.high}",
        Matching: lambda o: o.what,
        Text: lambda o: o.what,
        OneOf: lambda o: " or ".join(o.choices),
        Categories: lambda o: "a mapping of categories (necessary required)",
    }[type(option)](option)
    default = "required" if option.default is None else f"`{option.default}`"
    return what, default


def _category_rows(prefix: str) -> list[str]:
    """What one category holds, as Categories and cookie() above accept it."""
    cookie_name = "a cookie name of letters, digits, '_', '.' or '-' (a trailing * matches a prefix)"
    text = "a text, or one per language (`{nl: …, en: …}`)"
    rows = [
        (
            "<name>",
            "a category name of lowercase letters, digits, '-' or '_'",
            f"{NECESSARY} required",
            f"`{NECESSARY}` (always on), `analytics` (needed by the analytics option), or any of your own "
            "such as `external-media`: one box in the preferences",
        ),
        ("<name>.cookies", "a list of cookies", "`[]`", "every cookie and storage item of the category"),
        ("<name>.cookies[].name", cookie_name, "required", "its name as the browser stores it"),
        ("<name>.cookies[].provider", "a text", "required", "who sets it and receives what it holds"),
        ("<name>.cookies[].duration", text, "required", "how long it is kept"),
        ("<name>.cookies[].purpose", text, "required", "what it is for"),
        (
            "<name>.cookies[].storage",
            " or ".join(STORAGES),
            "`cookie`",
            "where the browser keeps it (a cookie, or a key of local or session storage)",
        ),
        (
            "<name>.hosts",
            f"a list of origins like https://player.vimeo.com (none for {NECESSARY})",
            "`[]`",
            "the origins the category's embeds load from (the Content-Security-Policy allows them)",
        ),
    ]
    return [f"| `{prefix}{key}` | {what} | {default} | {does} |" for key, what, default, does in rows]


def reference(config_class=None, prefix: str = "") -> str:
    """The configuration reference, from the classes above: every option, what it takes, its
    default and what it does (the README shows this table; a test keeps the two equal)."""
    config_class = config_class or PrivacyKitConfig
    rows = [] if prefix else ["| option | takes | default | what it does |", "|---|---|---|---|"]
    for key, option in config_class._schema:
        what, default = _takes(option)
        rows.append(f"| `{prefix}{key}` | {what} | {default} | {config_class.HELP[key]} |")
        if isinstance(option, Categories):
            rows += _category_rows(f"{prefix}{key}.")
        if isinstance(option, c.SubConfig):
            rows.append(reference(option.config_class, f"{prefix}{key}."))
    return "\n".join(rows)
