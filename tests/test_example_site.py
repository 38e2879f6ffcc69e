"""The second site (examples/harbour-yoga), built by the same package and templates with no code
of its own: one language, no policy versions, its own Matomo, a Vimeo video behind consent."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLE, EXAMPLE_SITE, soup
from privacy_kit.project import Project
from privacy_kit.security import HEADERS
from privacy_kit.serving.hosting import header_rules

SITE = Project(EXAMPLE / "mkdocs.yml")


@pytest.fixture(scope="module")
def built(served_example):
    return served_example[0].site


def test_the_example_has_no_code_of_its_own():
    files = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*") if p.is_file())
    assert "mkdocs.yml" in files and any(f.startswith("texts/") for f in files)
    for name in files:
        assert name == "mkdocs.yml" or name.endswith((".md", ".yml")), name  # no .py, .html, .js, .css


def test_one_language_and_no_policy_versions(built):
    assert SITE.languages.all == ("en",) and SITE.policy is None
    assert not (built / "versions.json").exists() and not list(built.rglob("feed.xml"))
    page = soup(built / "privacy" / "index.html")
    assert page.select_one("html")["lang"] == "en"
    assert (
        page.select_one(".policy-meta") is None
        and page.select_one('link[type="application/atom+xml"]') is None
    )


def test_analytics_is_its_own_matomo_and_nothing_of_google(built):
    assert (built / "assets" / "javascripts" / "analytics-matomo.js").is_file()
    assert not (built / "assets" / "javascripts" / "analytics-google.js").exists()
    gated = soup(built / "index.html").select_one(
        'script[type="text/plain"][data-consent-category="analytics"]'
    )
    assert gated["data-url"] == SITE.options.analytics.url
    assert gated["data-site-id"] == str(SITE.options.analytics.site_id)
    for path in built.rglob("*.html"):
        assert "google" not in path.read_text(encoding="utf-8").lower(), path


def test_the_policy_allows_exactly_the_declared_services(built):
    csp = dict(header_rules(built / "_headers")[0][1])["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    stats = SITE.options.analytics.url.rstrip("/")
    for name in ("script-src", "connect-src", "img-src"):
        assert stats in directives[name].split(), name
    assert directives["frame-src"].split() == [
        "'self'",
        *SITE.options.consent.categories["external-media"].hosts,
    ]
    others = {word for value in directives.values() for word in value.split() if word.startswith("https://")}
    assert others == {stats, "https://player.vimeo.com"}
    assert set(HEADERS) <= {name for name, _ in header_rules(built / "_headers")[0][1]}


def test_the_declaration_and_the_banner_come_from_its_configuration(built):
    page = soup(built / "cookies" / "index.html")
    rows = [
        tr.get("data-cookie") or tr["data-recipient"] for tr in page.select(".consent-declaration tbody tr")
    ]
    assert rows == [EXAMPLE_SITE.storage_key, "_pk_id.*", "_pk_ses.*", "player.vimeo.com"]
    # The origin of its embeds receives data when a visitor loads one: a row of its own, from hosts.
    vimeo = page.select_one('tr[data-recipient="player.vimeo.com"]')
    assert vimeo["data-consent-category"] == "external-media" and "IP address" in vimeo.get_text()
    config = json.loads(page.select_one("script#consent-config").get_text())
    assert config["categories"] == list(EXAMPLE_SITE.categories) == ["analytics", "external-media"]
    assert config["cookies"] == {"analytics": ["_pk_id.*", "_pk_ses.*"], "external-media": []}
    more = soup(built / "index.html").select_one("[data-consent-scroll] a")["href"]
    assert more == "privacy/#" + SITE.options.policy.cookie_section
    text = soup(built / "index.html").select_one("#consent").get_text(" ")
    assert "Matomo" in text and "Vimeo" in text  # its own words: who receives data


def test_an_embed_from_an_origin_its_category_does_not_declare_fails_the_build(tmp_path):
    import shutil

    from conftest import build, edit

    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    edit(
        project / "docs" / "index.md",
        "https://player.vimeo.com/video/",
        "https://www.youtube-nocookie.com/embed/",
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "an embed of 'external-media' loads from https://www.youtube-nocookie.com, which "
        "consent.categories.external-media.hosts does not declare (declared: https://player.vimeo.com)"
    ) in result.output


def test_only_pages_with_an_embed_load_the_embeds_script_and_styles(built, site):
    """The embeds' code is no part of every page's banner: consent-embeds.js (before consent.js,
    which tells it the stored choice) and its styles come only with a page that has an embed, and
    a site without embeds does not publish them."""
    from privacy_kit.plugin import BANNER_SCRIPT, EMBED_SCRIPT, EMBED_STYLES

    seen = set()
    for path in built.rglob("*.html"):
        page = soup(path)
        scripts = [s["src"].rsplit("/", 2)[-1] for s in page.select("script[src]")]
        styles = [s["href"].rsplit("/", 1)[-1] for s in page.select('link[rel="stylesheet"]')]
        has_embed = page.select_one("figure.consent-embed") is not None
        seen.add(has_embed)
        assert ("consent-embeds.js" in scripts) == has_embed == ("consent-embeds.css" in styles), path
        if has_embed:
            assert scripts.index("consent-embeds.js") < scripts.index("consent.js"), path
    assert seen == {True, False}
    assert (built / EMBED_SCRIPT).is_file() and (site / BANNER_SCRIPT).is_file()
    assert not (site / EMBED_SCRIPT).exists() and not (site / EMBED_STYLES).exists()
