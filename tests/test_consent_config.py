"""The privacy-kit plugin's consent and analytics options: validation with clear errors, the generated cookie
declaration, and a site without analytics that carries no analytics code at all."""

from __future__ import annotations

import json

import pytest
from mkdocs.config.base import ValidationError

from conftest import ROOT, build, copy_project, edit, raise_revision, remove_analytics, set_revision, soup
from privacy_kit.config import PrivacyKitConfig
from privacy_kit.consent.declaration import consent_from
from privacy_kit.editing import YamlText
from privacy_kit.project import Project

STORAGE_KEY = Project(ROOT / "mkdocs.yml").options.consent.storage_key
PALETTE_KEY = Project(ROOT / "mkdocs.yml").palette_key  # Material's colour-scheme switch

GOOD = {
    "analytics": {"provider": "google", "property": "G-ABC123XYZ"},
    "consent": {
        "revision": 3,
        "expires_days": 180,
        "categories": {
            "necessary": {"cookies": []},
            "analytics": {
                "cookies": [
                    {"name": "_ga", "provider": "Google", "duration": "2 jaar", "purpose": {"nl": "Tellen"}}
                ]
            },
        },
    },
}


def validate(options: dict):
    """The plugin's options as MkDocs validates them: the Consent, or ValidationError with the
    message MkDocs would show after "Plugin 'privacy-kit' option ..." (the option path first)."""
    config = PrivacyKitConfig()
    config.load_dict(options)
    failed, _ = config.validate()
    if failed:
        key, error = failed[0]
        raise ValidationError(f"{key}: {error}")
    return consent_from(config)


def with_change(path: str, value) -> dict:
    """GOOD with the value at dotted ``path`` replaced (or removed when value is ...)."""
    options = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    node = options
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is ...:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return options


def test_valid_configuration():
    consent = validate(GOOD)
    assert consent.revision == 3 and consent.expires_days == 180
    assert consent.categories == ("analytics",)
    assert dict(consent.analytics.attributes) == {"data-property": "G-ABC123XYZ"}
    assert [c.name for c in consent.cookies] == ["_ga"]


def test_expires_days_defaults_to_365_and_the_storage_key_to_consent():
    consent = validate(with_change("consent.expires_days", ...))
    assert consent.expires_days == 365 and consent.storage_key == "consent"


def test_an_empty_measurement_id_counts_as_unset():
    """GitHub Actions passes an unset variable (GA_PROPERTY) as an empty string."""
    consent = validate(with_change("analytics.property", ""))
    assert consent.analytics is None and consent.categories == ()  # built without analytics


BAD = [
    ("consent.revision", "two", r"^consent: Sub-option 'revision': expected a whole number .*got 'two'"),
    ("consent.revision", True, r"revision': expected a whole number .*got True"),
    ("consent.revision", 0, r"revision': expected a whole number from 1 .*got 0"),
    ("consent.revision", ..., r"revision': missing: expected a whole number"),
    ("consent.expires_days", 9999, r"expires_days': expected a whole number from 1 to 395, got 9999"),
    ("consent.expires_days", "1 year", r"expires_days': .*got '1 year'"),
    ("consent.storage_key", "my key", r"storage_key': expected a storage key .*got 'my key'"),
    ("consent.categories", ["analytics"], r"categories': expected a mapping .*'necessary'.*got \['analytics'\]"),
    ("consent.categories.necessary", ..., r"categories': expected a mapping of categories that includes 'necessary'"),
    ("consent.categories.analytics.cookies", "_ga", r"analytics\.cookies: expected a list of cookies, got '_ga'"),
    ("consent.categories.analytics.cookies.0.name", "_g a", r"cookies\[0\]\.name: expected a cookie name .*got '_g a'"),
    ("consent.categories.analytics.cookies.0.purpose", "", r"cookies\[0\]\.purpose: expected a text.*got ''"),
    ("consent.categories.analytics.cookies.0.provider", ..., r"cookies\[0\]: missing 'provider'"),
    ("consent.categories.analytics.cookies.0.storage", "indexedDB", r"storage: expected one of .*got 'indexedDB'"),
    ("consent.categories.analytics.cookies.0.colour", "blue", r"cookies\[0\]: expected only the keys .*got \['colour'\]"),
    ("consent.categories.Analytics Stuff", {}, r"expected a category name .*got 'Analytics Stuff'"),
    ("consent.surprise", 1, r"^consent: Sub-option 'surprise': expected only the keys revision, .*got \['surprise'\]"),
    ("surprise", 1, r"^surprise: expected only the keys texts_dir, consent, analytics, policy, security, got \['surprise'\]"),
    ("analytics.property", "UA-1234-1", r"^analytics: Sub-option 'property': expected a Google Analytics 4 .*got 'UA-1234-1'"),
    ("analytics.provider", "fathom", r"^analytics: Sub-option 'provider': expected one of google, matomo, plausible, umami, got 'fathom'"),
    ("analytics.url", "https://stats.example.org/", r"^analytics: Sub-option 'url': expected no url for provider google \(it takes property\), got 'https://stats"),
    ("analytics.property", ..., r"^analytics: Sub-option 'property': missing: provider google needs property"),
    ("consent.categories.analytics.hosts", ["player.vimeo.com"], r"analytics\.hosts: expected a list of origins .*got \['player\.vimeo\.com'\]"),
    ("consent.categories.necessary.hosts", ["https://cdn.example.org"], r"necessary\.hosts: expected none"),
    ("consent.categories.analytics", ..., r"^analytics: analytics is set but consent\.categories has no 'analytics' category"),
    ("consent", ..., r"^analytics: analytics is set but consent is not"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "message"), BAD, ids=[f"{p}={v!r}" for p, v, _ in BAD])
def test_invalid_configuration_is_refused_with_the_value_quoted(path, value, message):
    with pytest.raises(ValidationError, match=message):
        validate(with_change(path, value))


MATOMO = {"provider": "matomo", "url": "https://stats.example.org/", "site_id": 3}


def test_matomo_is_configured_by_its_address_and_site_id():
    consent = validate({**GOOD, "analytics": MATOMO})
    assert consent.analytics.script == "assets/javascripts/analytics-matomo.js"
    assert dict(consent.analytics.attributes) == {
        "data-url": "https://stats.example.org/",
        "data-site-id": "3",
    }
    assert dict(consent.analytics.sources)["script-src"] == ("https://stats.example.org",)
    with pytest.raises(
        ValidationError,
        match=r"url': expected the https:// address of your Matomo's folder, ending in /, got 'http://stats",
    ):
        validate({**GOOD, "analytics": {**MATOMO, "url": "http://stats.example.org"}})
    with pytest.raises(ValidationError, match=r"site_id': missing: provider matomo needs url, site_id"):
        validate({**GOOD, "analytics": {"provider": "matomo", "url": "https://stats.example.org/"}})


PLAUSIBLE = {"provider": "plausible", "domain": "example.org"}
NO_COOKIES = {"necessary": {}, "analytics": {}}  # Plausible sets none


def test_plausible_is_configured_by_its_domain_at_plausible_io_or_a_site_s_own_address():
    consent = validate({"analytics": PLAUSIBLE, "consent": {"revision": 1, "categories": NO_COOKIES}})
    assert consent.analytics.script == "assets/javascripts/analytics-plausible.js"
    assert dict(consent.analytics.attributes) == {
        "data-domain": "example.org",
        "data-url": "https://plausible.io/",
    }
    assert dict(consent.analytics.sources) == {
        "script-src": ("https://plausible.io",),
        "connect-src": ("https://plausible.io",),  # its events go to /api/event
    }
    own = validate(
        {
            "analytics": {**PLAUSIBLE, "url": "https://stats.example.org/"},
            "consent": {"revision": 1, "categories": NO_COOKIES},
        }
    )
    assert dict(own.analytics.attributes)["data-url"] == "https://stats.example.org/"
    assert own.analytics.hosts == ("stats.example.org",)


@pytest.mark.parametrize(
    ("analytics", "message"),
    [
        ({**PLAUSIBLE, "domain": "https://example.org/"}, r"domain': expected a domain name like example.org .*got 'https://example.org/'"),
        ({"provider": "plausible"}, r"domain': missing: provider plausible needs domain"),
        ({**PLAUSIBLE, "site_id": 3}, r"site_id': expected no site_id for provider plausible \(it takes domain\), got 3"),
        ({**PLAUSIBLE, "url": "http://stats.example.org/"}, r"url': expected the https:// address of your own Plausible, ending in /, got 'http://stats"),
    ],
)  # fmt: skip
def test_a_wrong_plausible_option_is_refused_with_the_value_quoted(analytics, message):
    with pytest.raises(ValidationError, match=message):
        validate({"analytics": analytics, "consent": {"revision": 1, "categories": NO_COOKIES}})


def test_an_empty_plausible_domain_counts_as_unset():
    consent = validate(
        {"analytics": {**PLAUSIBLE, "domain": ""}, "consent": {"revision": 1, "categories": NO_COOKIES}}
    )
    assert consent.analytics is None and consent.categories == ()


def test_duplicate_cookie_is_refused():
    options = with_change(
        "consent.categories.necessary.cookies",
        GOOD["consent"]["categories"]["analytics"]["cookies"],
    )
    with pytest.raises(ValidationError, match=r"expected each cookie listed once, got \['_ga'\]"):
        validate(options)


def test_no_consent_and_no_analytics_is_a_site_without_banner():
    assert validate({}) is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("consent", {"title": "Cookies"}, "extra.consent is set: that key makes Material render its own cookie banner"),
        ("analytics", {"provider": "google", "property": "G-ABC123XYZ"}, "extra.analytics is set ({'provider': 'google', 'property': 'G-ABC123XYZ'}): Material would load it without asking"),
    ],
)  # fmt: skip
def test_materials_own_consent_and_analytics_keys_are_refused(tmp_path, key, value, message):
    project = copy_project(tmp_path / "project")
    document = YamlText((project / "mkdocs.yml").read_text(encoding="utf-8"))
    document.data["extra"][key] = value
    (project / "mkdocs.yml").write_text(document.text(), encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and message in result.output


def test_build_fails_on_bad_configuration_naming_the_value(tmp_path):
    project = copy_project(tmp_path / "project")
    set_revision(project, "one")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "Plugin 'privacy-kit' option 'consent': Sub-option 'revision': expected a whole number from 1 to "
        "1000000, got 'one'" in result.output
    )
    assert not (tmp_path / "site" / "index.html").exists()


def test_cookie_declaration_lists_every_configured_cookie(site):
    page = soup(site / "cookies" / "index.html")
    table = page.select_one(".consent-declaration table")
    assert [th.get_text() for th in table.select("thead th")] == [
        "Naam",
        "Categorie",
        "Doel",
        "Bewaartermijn",
        "Aanbieder",
    ]
    rows = {tr["data-cookie"]: [td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")}
    assert list(rows) == [STORAGE_KEY, PALETTE_KEY, "_ga", "_ga_*"]  # what the site stores itself first
    assert rows[PALETTE_KEY][1] == "Noodzakelijk"
    assert rows["_ga"][1] == "Analyse (Google Analytics)"
    assert rows["_ga"][3] == "2 jaar" and rows["_ga"][4] == "Google (Google Analytics 4)"
    assert rows[STORAGE_KEY][1] == "Noodzakelijk" and rows[STORAGE_KEY][3] == "365 dagen"


def test_banner_and_declaration_come_from_the_same_configuration(site):
    page = soup(site / "cookies" / "index.html")
    config = json.loads(page.select_one("script#consent-config").get_text())
    declared = {
        tr["data-cookie"]: tr["data-consent-category"]
        for tr in page.select(".consent-declaration table tbody tr")
    }
    toggles = [box["data-consent-category"] for box in page.select("#consent input[data-consent-category]")]
    assert toggles == config["categories"] == sorted({c for c in declared.values() if c != "necessary"})
    for category, names in config["cookies"].items():
        assert names == [name for name, c in declared.items() if c == category]
    assert config["key"] == STORAGE_KEY and STORAGE_KEY in declared


def test_declaration_follows_a_changed_configuration(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(
        project / "mkdocs.yml",
        "              - name: _ga\n",
        "              - name: _gid\n                provider: Google\n                duration: 1 dag\n"
        "                purpose: Onderscheidt bezoekers per dag.\n              - name: _ga\n",
    )
    raise_revision(project)  # a changed cookie list asks again
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = soup(tmp_path / "site" / "cookies" / "index.html")
    assert [tr["data-cookie"] for tr in page.select(".consent-declaration table tbody tr")] == [
        STORAGE_KEY,
        PALETTE_KEY,
        "_gid",
        "_ga",
        "_ga_*",
    ]
    assert json.loads(page.select_one("script#consent-config").get_text())["cookies"]["analytics"] == [
        "_gid",
        "_ga",
        "_ga_*",
    ]


def test_without_analytics_no_analytics_code_and_no_banner_are_published(tmp_path):
    project = copy_project(tmp_path / "project")
    remove_analytics(project)
    raise_revision(project)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    site = tmp_path / "site"
    assert not (site / "assets" / "javascripts" / "analytics-google.js").exists()
    pages = list(site.rglob("*.html"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for marker in (
            "googletagmanager",
            "analytics-google",
            "gtag",
            'id="consent"',
            "consent.js",
            "data-consent-action",
        ):
            assert marker not in text, (path, marker)
    assert len(pages) >= 3


def test_a_category_nothing_waits_for_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "project")
    remove_analytics(project, category=False)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "consent.categories.analytics is offered in the banner, but nothing on the site waits for it"
        in result.output
    )


@pytest.mark.parametrize(
    ("prefix", "pseudonymous"),
    [("", "gepseudonimiseerd"), ("en/", "pseudonymised"), ("de/", "pseudonymisiert")],
)
def test_no_declaration_text_calls_an_identifier_anonymous(site, prefix, pseudonymous):
    page = soup(site / prefix / "cookies" / "index.html")
    declared = page.select_one(".consent-declaration").get_text(" ").lower()
    shown = declared + " " + page.select_one("#consent").get_text(" ").lower()
    assert "anonym" not in shown and "anoniem" not in shown  # a client ID is pseudonymous personal data
    ga = page.select_one('.consent-declaration tr[data-cookie="_ga"]').get_text(" ")
    assert pseudonymous in ga and "ID" in ga


def test_a_site_that_stores_nothing_says_so_instead_of_showing_an_empty_table():
    from privacy_kit.consent.declaration import declaration_html

    site = Project(ROOT / "mkdocs.yml")
    consent = validate({"consent": {"revision": 1, "categories": {"necessary": {}}}})
    for language, says in (
        ("nl", "Deze website gebruikt geen cookies"),
        ("en", "This website uses no cookies"),
    ):
        table = declaration_html(consent, site.texts[language], language)
        assert says in table and "data-cookie" not in table


def test_a_page_the_plugin_names_that_does_not_exist_fails_the_build(tmp_path):
    """A typo in consent.declaration_page or policy.page: the banner's and the footer's links
    would lead nowhere, and no declaration would be published."""
    project = copy_project(tmp_path / "project")
    page = Project(project / "mkdocs.yml").options.consent.declaration_page
    edit(project / "mkdocs.yml", f"declaration_page: {page}", "declaration_page: cookie.md")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "consent.declaration_page is 'cookie.md', which is no file of docs/" in result.output, (
        result.output
    )


def test_a_declaration_page_without_its_marker_fails_the_build(tmp_path):
    """Without <!-- cookie-declaration --> the cookie page would publish no declaration at all."""
    project = copy_project(tmp_path / "project")
    page = Project(project / "mkdocs.yml").options.consent.declaration_page
    translated = page.removesuffix(".md") + ".en.md"  # in any language
    edit(project / "docs" / translated, "<!-- cookie-declaration -->", "")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        f"{translated} is the cookie declaration page (consent.declaration_page) but has no <!-- cookie-declaration -->"
        in result.output
    )


def test_what_material_keeps_for_a_feature_the_theme_turns_on_is_declared():
    """Linked content tabs (Material's __tabs) and a dismissible announcement (__announce) keep
    something in the visitor's browser: the declaration lists them, as what the site stores."""
    from dataclasses import replace

    from privacy_kit.audit.declaration import kit_texts
    from privacy_kit.consent.declaration import kit_storage, theme_storage

    theme = {"features": ["navigation.tabs", "content.tabs.link", "announce.dismiss"]}
    stored = theme_storage(theme, "https://example.org/docs/")
    assert stored == (("/docs/.__tabs", "tabs"), ("/docs/.__announce", "announce"))
    assert theme_storage({"features": ["navigation.tabs"]}, None) == ()
    consent = validate(GOOD)
    rows = kit_storage(replace(consent, theme_storage=stored), kit_texts("en"))
    by_name = {row.name: row for row in rows}
    assert by_name["/docs/.__tabs"].category == "necessary" and "tab" in by_name["/docs/.__tabs"].purpose
    assert by_name["/docs/.__announce"].storage == "localStorage"
