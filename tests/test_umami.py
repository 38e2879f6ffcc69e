"""Umami, the fourth analytics service (providers/umami.py): configured by its website ID and the
address of the site's own Umami, refused with the value quoted, loaded only after consent, declared
truthfully as a recipient that sets no cookie, recognised by the guard in an editor's page, asked
for by init, and answered by stand-ins; a copy of the second site that uses it builds strictly."""

from __future__ import annotations

import shutil

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import EXAMPLE, edit, raise_revision, soup
from privacy_kit import guard, placeholders, providers
from privacy_kit.config import PrivacyKitConfig
from privacy_kit.consent.archive import snapshot
from privacy_kit.consent.declaration import declaration_html
from privacy_kit.consent.local import files as local_files
from privacy_kit.editing import YamlText
from privacy_kit.project import Project
from privacy_kit.serving.building import build
from privacy_kit.serving.standins import stand_ins
from privacy_kit.texts import DEFAULTS
from test_consent_config import NO_COOKIES, validate
from test_init import run_init

WEBSITE_ID = "94db1cb1-74f4-4a40-ad6c-962362670409"
UMAMI = {"provider": "umami", "website_id": WEBSITE_ID, "url": "https://stats.example.org/umami/"}


def umami_consent(analytics=None):
    return validate({"analytics": analytics or UMAMI, "consent": {"revision": 1, "categories": NO_COOKIES}})


def kit_texts(language: str) -> dict:
    return yaml.safe_load((DEFAULTS / f"{language}.yml").read_text(encoding="utf-8"))


def test_umami_is_configured_by_its_website_id_and_the_address_of_its_server():
    consent = umami_consent()
    assert consent.analytics.script == "assets/javascripts/analytics-umami.js"
    assert dict(consent.analytics.attributes) == {"data-website-id": WEBSITE_ID, "data-url": UMAMI["url"]}
    assert dict(consent.analytics.sources) == {  # its script, and what it sends to /api/send
        "script-src": ("https://stats.example.org",),
        "connect-src": ("https://stats.example.org",),
    }
    assert consent.analytics.hosts == ("stats.example.org",)
    assert "umami" in providers.PROVIDERS


@pytest.mark.parametrize(
    ("analytics", "message"),
    [
        ({**UMAMI, "website_id": "94db1cb1"}, r"website_id': expected the website's ID in Umami, like .*got '94db1cb1'"),
        ({**UMAMI, "url": "http://stats.example.org/"}, r"url': expected the https:// address of your own Umami, ending in /, got 'http://stats"),
        ({"provider": "umami", "website_id": WEBSITE_ID}, r"url': missing: provider umami needs website_id, url"),
        ({**UMAMI, "domain": "example.org"}, r"domain': expected no domain for provider umami \(it takes website_id, url\), got 'example.org'"),
    ],
)  # fmt: skip
def test_a_wrong_umami_option_is_refused_with_the_value_quoted(analytics, message):
    with pytest.raises(Exception, match=message):
        umami_consent(analytics)


def test_an_empty_website_id_counts_as_unset_and_the_site_is_built_without_analytics():
    consent = umami_consent({**UMAMI, "website_id": ""})
    assert consent.analytics is None and consent.categories == ()


@pytest.mark.parametrize("language", ["nl", "en", "de"])
def test_the_declaration_names_its_umami_server_as_what_consent_covers(language):
    texts = kit_texts(language)
    table = BeautifulSoup(declaration_html(umami_consent(), texts, language), "html.parser")
    row = table.select_one('tr[data-recipient="stats.example.org"]')
    assert row["data-consent-category"] == "analytics"
    cells = [cell.get_text() for cell in row.select("td")]
    d = texts["declaration"]
    assert cells[0] == d["request_name"].format(host="stats.example.org")
    assert cells[2:] == [
        d["umami_purpose"],
        d["umami_duration"],
        d["umami_provider"].format(host="stats.example.org"),
    ]
    assert "pseudon" in d["umami_purpose"].lower()  # personal data, described as such (not anonymous)
    assert not table.select("tr[data-cookie][data-consent-category=analytics]")  # it sets no cookie


def test_the_consent_archive_records_the_umami_texts_the_declaration_shows():
    options = Project(EXAMPLE / "mkdocs.yml").options
    texts = {"en": kit_texts("en")}
    shown = snapshot(options.consent.categories, texts, ["en"], provider="umami")["texts"]["en"][
        "declaration"
    ]
    assert {"umami_purpose", "umami_duration", "umami_provider", "request_name"} <= set(shown)
    assert not {key for key in shown if key.startswith("plausible")}


def test_the_guard_recognises_umamis_tracking_code_and_names_the_analytics_option():
    texts = kit_texts("en")
    for html in (
        f'<script defer src="https://stats.example.org/script.js" data-website-id="{WEBSITE_ID}"></script>',
        '<script>umami.track("signup")</script>',
    ):
        [finding] = guard.scan(html, "https://example.org/")
        assert finding.vendor == "umami"
        message = guard.message(finding, "docs/index.md:3", texts, {})
        assert "Umami" in message and "provider: umami" in message


def umami_options():
    """The plugin's validated analytics options for UMAMI (at the root of its server)."""
    config = PrivacyKitConfig()
    config.load_dict(
        {
            "analytics": {**UMAMI, "url": "https://stats.example.org/"},
            "consent": {"revision": 1, "categories": NO_COOKIES},
        }
    )
    assert config.validate()[0] == []
    return config.analytics


def test_its_stand_ins_answer_the_tracker_and_its_events_and_the_local_preview_has_them():
    answered = [s.url for s in stand_ins(umami_options())]
    assert answered == ["https://stats.example.org/script.js", "https://stats.example.org/api/send"]
    written = local_files(umami_options())
    assert {"_local-preview/script.js", "_local-preview/api/send"} <= set(written)
    assert "data-before-send" in written["_local-preview/script.js"]  # it asks the page, as Umami does


def test_init_asks_for_umami_and_a_production_build_refuses_its_placeholders(tmp_path):
    folder = tmp_path / "site"
    result = run_init(folder, "--name", "Corner Café", "--analytics", "umami", "--no-embeds")
    assert result.returncode == 0, result.stderr
    site = Project(folder / "mkdocs.yml")
    assert site.options.analytics.provider == "umami"
    assert site.options.consent.categories["analytics"].cookies == ()  # Umami sets none
    unfilled = placeholders.unfilled(folder / "texts", folder / "docs", site.options.analytics)
    assert any("analytics.website_id" in place for place in unfilled)
    assert any("analytics.url is https://fill-in.invalid/" in place for place in unfilled)


@pytest.fixture(scope="module")
def umami_site(tmp_path_factory):
    """The second site, counting visits with its own Umami instead of its Matomo: the analytics
    category lists no cookies, and a new revision asks everyone again."""
    project = tmp_path_factory.mktemp("umami") / "project"
    shutil.copytree(EXAMPLE, project)
    path = project / "mkdocs.yml"
    document = YamlText(path.read_text(encoding="utf-8"))
    options = next(
        i["privacy-kit"] for i in document.data["plugins"] if isinstance(i, dict) and "privacy-kit" in i
    )
    options["analytics"] = {
        "provider": "umami",
        "website_id": WEBSITE_ID,
        "url": "https://stats.harbour-yoga.example/",
    }
    options["consent"]["categories"]["analytics"] = {}  # Umami sets no cookie
    path.write_text(document.text(), encoding="utf-8")
    edit(project / "texts" / "en.yml", "(Matomo, on our own server)", "(Umami, on our own server)")
    raise_revision(project)
    return project


def test_a_site_with_umami_builds_strictly_loading_it_only_after_consent(umami_site, tmp_path):
    result = build(umami_site, tmp_path / "site", site_url="https://harbour-yoga.example/", ga_property=None)
    assert result.returncode == 0, result.output
    site = tmp_path / "site"
    page = soup(site / "index.html")
    gated = page.select_one('script[type="text/plain"][data-consent-category="analytics"]')
    assert gated["data-src"].endswith("assets/javascripts/analytics-umami.js")
    assert (
        gated["data-website-id"] == WEBSITE_ID and gated["data-url"] == "https://stats.harbour-yoga.example/"
    )
    published = {p.name for p in (site / "assets" / "javascripts").glob("analytics-*.js")}
    assert published == {"analytics-umami.js"}  # no other service's integration
    headers = (site / "_headers").read_text(encoding="utf-8")
    policy = next(line for line in headers.splitlines() if "Content-Security-Policy" in line)
    for directive in ("script-src", "connect-src"):
        allowed = policy.split(directive, 1)[1].split(";", 1)[0]
        assert "https://stats.harbour-yoga.example" in allowed
    row = soup(site / "cookies" / "index.html").select_one('tr[data-recipient="stats.harbour-yoga.example"]')
    assert row is not None and "(Umami, run by this website)" in row.get_text()
