"""extra.cookie_consent and extra.analytics: validation with clear errors, the generated cookie
declaration, and a site without analytics that carries no analytics code at all."""

from __future__ import annotations

import json
import re

import pytest
from conftest import build, copy_project, edit, raise_revision, set_revision, soup
from cookie_consent import STORAGE_KEY, validate
from mkdocs.exceptions import PluginError

GOOD = {
    "analytics": {"provider": "google", "property": "G-ABC123XYZ"},
    "cookie_consent": {
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


def with_change(path: str, value) -> dict:
    """GOOD with the value at dotted ``path`` replaced (or removed when value is ...)."""
    extra = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    node = extra
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is ...:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return extra


def test_valid_configuration():
    consent = validate(GOOD)
    assert consent.revision == 3 and consent.expires_days == 180
    assert consent.categories == ("analytics",)
    assert consent.analytics_property == "G-ABC123XYZ"
    assert [c.name for c in consent.cookies] == ["_ga"]


def test_expires_days_defaults_to_365():
    assert validate(with_change("cookie_consent.expires_days", ...)).expires_days == 365


BAD = [
    ("cookie_consent.revision", "two", r"extra\.cookie_consent\.revision: expected a whole number .*got 'two'"),
    ("cookie_consent.revision", True, r"revision: expected a whole number .*got True"),
    ("cookie_consent.revision", 0, r"revision: expected a whole number from 1 .*got 0"),
    ("cookie_consent.revision", ..., r"revision is missing"),
    ("cookie_consent.expires_days", 9999, r"expires_days: expected a whole number from 1 to 395, got 9999"),
    ("cookie_consent.expires_days", "1 year", r"expires_days: .*got '1 year'"),
    ("cookie_consent.categories", ["analytics"], r"categories: expected a mapping .*'necessary'.*got \['analytics'\]"),
    ("cookie_consent.categories.necessary", ..., r"categories: expected a mapping of categories that includes 'necessary'"),
    ("cookie_consent.categories.analytics.cookies", "_ga", r"analytics\.cookies: expected a list of cookies, got '_ga'"),
    ("cookie_consent.categories.analytics.cookies.0.name", "_g a", r"cookies\[0\]\.name: expected a cookie name .*got '_g a'"),
    ("cookie_consent.categories.analytics.cookies.0.purpose", "", r"cookies\[0\]\.purpose: expected a text.*got ''"),
    ("cookie_consent.categories.analytics.cookies.0.provider", ..., r"cookies\[0\]: missing 'provider'"),
    ("cookie_consent.categories.analytics.cookies.0.storage", "indexedDB", r"storage: expected one of .*got 'indexedDB'"),
    ("cookie_consent.categories.analytics.cookies.0.colour", "blue", r"cookies\[0\]: expected only the keys .*got \['colour'\]"),
    ("cookie_consent.categories.Analytics Stuff", {}, r"expected a category name .*got 'Analytics Stuff'"),
    ("cookie_consent.surprise", 1, r"extra\.cookie_consent: expected only the keys .*got \['surprise'\]"),
    ("analytics.property", "UA-1234-1", r"extra\.analytics\.property: expected a Google Analytics 4 .*got 'UA-1234-1'"),
    ("analytics.provider", "matomo", r"extra\.analytics: expected \{provider: google.*'matomo'"),
    ("cookie_consent.categories.analytics", ..., r"extra\.analytics is set but .* no 'analytics' category"),
    ("cookie_consent", ..., r"extra\.analytics is set but extra\.cookie_consent is not"),
    ("consent", {"title": "Cookies"}, r"extra\.consent is set: that key makes Material render its own cookie banner"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "message"), BAD, ids=[f"{p}={v!r}" for p, v, _ in BAD])
def test_invalid_configuration_is_refused_with_the_value_quoted(path, value, message):
    with pytest.raises(PluginError, match=message):
        validate(with_change(path, value))


def test_duplicate_cookie_is_refused():
    extra = with_change(
        "cookie_consent.categories.necessary.cookies",
        GOOD["cookie_consent"]["categories"]["analytics"]["cookies"],
    )
    with pytest.raises(PluginError, match=r"expected each cookie listed once, got \['_ga'\]"):
        validate(extra)


def test_no_consent_and_no_analytics_is_a_site_without_banner():
    assert validate({}) is None


def test_build_fails_on_bad_configuration_naming_the_value(tmp_path):
    project = copy_project(tmp_path / "project")
    set_revision(project, "one")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "extra.cookie_consent.revision: expected a whole number from 1 to 1000000, got 'one'" in result.output
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
    assert list(rows) == [STORAGE_KEY, "_ga", "_ga_*"]
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
        "          - name: _ga\n",
        "          - name: _gid\n            provider: Google\n            duration: 1 dag\n"
        "            purpose: Onderscheidt bezoekers per dag.\n          - name: _ga\n",
    )
    raise_revision(project)  # a changed cookie list asks again
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = soup(tmp_path / "site" / "cookies" / "index.html")
    assert [tr["data-cookie"] for tr in page.select(".consent-declaration table tbody tr")] == [
        STORAGE_KEY,
        "_gid",
        "_ga",
        "_ga_*",
    ]
    assert json.loads(page.select_one("script#consent-config").get_text())["cookies"]["analytics"] == [
        "_gid",
        "_ga",
        "_ga_*",
    ]


ANALYTICS_BLOCK = r"\n  analytics:\n    provider: google\n    property: [^\n]+"
ANALYTICS_CATEGORY = r"\n      analytics:\n        cookies:\n(?:          [^\n]*\n?|            [^\n]*\n?)*"


def without(project, *patterns) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    for pattern in patterns:
        text, removed = re.subn(pattern, "\n", text)
        assert removed == 1, pattern
    path.write_text(text, encoding="utf-8")


def test_without_analytics_no_analytics_code_and_no_banner_are_published(tmp_path):
    project = copy_project(tmp_path / "project")
    without(project, ANALYTICS_BLOCK, ANALYTICS_CATEGORY)
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
    without(project, ANALYTICS_BLOCK)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "extra.cookie_consent.categories.analytics is offered in the banner, but nothing on the site waits for it"
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
