"""Three languages in one build: switcher, hreflang and canonical, no Dutch under en/de, notices,
localised dates, 404s, per-language search, and the completeness and staleness checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.dates import format_date

from conftest import ROOT, build, copy_project, edit, policy_timeline, run_command, soup, text_of

LANGUAGES = {"nl": "", "en": "en/", "de": "de/"}
PAGES = ["", "cookies/"]  # page paths relative to a language's root


def page_file(site: Path, lang: str, page: str) -> Path:
    return site / LANGUAGES[lang] / page / "index.html"


def all_pages():
    return [(lang, page) for lang in LANGUAGES for page in PAGES]


def article_text(path: Path) -> str:
    article = soup(path).select_one("article")
    for element in article.select("a.headerlink, .policy-translation-notice"):
        element.decompose()
    return text_of(article)


@pytest.mark.parametrize(("lang", "page"), all_pages())
def test_every_page_exists_in_every_language_with_its_lang(site, lang, page):
    assert soup(page_file(site, lang, page)).html["lang"] == lang


@pytest.mark.parametrize(("lang", "page"), all_pages())
def test_language_switcher_links_to_the_same_page(site, site_url, lang, page):
    here = site_url + LANGUAGES[lang] + page
    links = {
        a["hreflang"]: urljoin(here, a["href"])
        for a in soup(page_file(site, lang, page)).select("a.md-select__link")
    }
    assert links == {other: site_url + LANGUAGES[other] + page for other in LANGUAGES}


@pytest.mark.parametrize(("lang", "page"), all_pages())
def test_hreflang_is_in_the_sitemap_absolute_and_reciprocal_with_canonical_heads(site, site_url, lang, page):
    """hreflang through sitemap alternates (a method Google documents), with x-default; page
    heads carry none, since Material fetches a sitemap beside each head alternate."""
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    expected = {other: site_url + LANGUAGES[other] + page for other in LANGUAGES}
    expected["x-default"] = site_url + page
    html = soup(page_file(site, lang, page))
    assert html.select_one('link[rel="canonical"]')["href"] == expected[lang]
    assert html.select('head link[rel="alternate"][hreflang]') == []
    urls = {u.find("s:loc", ns).text: u for u in ElementTree.parse(site / "sitemap.xml").getroot()}
    alternates = {a.get("hreflang"): a.get("href") for a in urls[expected[lang]].findall("x:link", ns)}
    assert alternates == expected
    for other in LANGUAGES:  # each alternate names this page back
        back = {a.get("hreflang"): a.get("href") for a in urls[expected[other]].findall("x:link", ns)}
        assert back[lang] == expected[lang]


def test_sitemap_lists_the_alternates(site, site_url):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in PAGES:
        for lang in LANGUAGES:
            assert f'hreflang="{lang}" href="{site_url}{LANGUAGES[lang]}{page}"' in sitemap


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("page", PAGES)
def test_no_dutch_text_under_en_or_de(site, lang, page):
    dutch = article_text(page_file(site, "nl", page))
    translated = article_text(page_file(site, lang, page))
    assert translated != dutch
    dutch_paragraphs = [text_of(p) for p in soup(page_file(site, "nl", page)).select("article p, article li")]
    shared = [p for p in dutch_paragraphs if len(p) > 40 and p in translated]
    assert shared == []
    for word in (" uw ", " wij ", " het ", " een ", " worden "):  # (Autoriteit Persoonsgegevens is a name)
        assert word not in f" {translated.lower()} ", word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_section_anchors_match_across_languages(site, lang):
    shown = policy_timeline().shown(lang)["version"]  # a lagging translation: an older version
    ids = [h["id"] for h in soup(page_file(site, lang, "")).select("article h2")]
    assert ids == [h["id"] for h in soup(site / "versies" / shown / "index.html").select("article h2")]
    assert "8-cookies-en-websitegebruik" in ids and len(ids) >= 11


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "This is a translation. Only the Dutch version is legally binding."),
        ("de", "Dies ist eine Übersetzung. Rechtlich verbindlich ist nur die niederländische Fassung."),
    ],
)
@pytest.mark.parametrize("page", PAGES)
def test_translation_notice_links_to_the_dutch_page(site, site_url, lang, text, page):
    notice = soup(page_file(site, lang, page)).select_one("article .policy-translation-notice")
    assert text_of(notice) == text
    link = notice.select_one("a")
    assert urljoin(site_url + LANGUAGES[lang] + page, link["href"]) == site_url + page
    assert link["hreflang"] == "nl"
    assert not link.has_attr("lang")  # the link text is in the page's language (WCAG 3.1.2)


@pytest.mark.parametrize("page", PAGES)
def test_no_translation_notice_on_dutch_pages(site, page):
    assert soup(page_file(site, "nl", page)).select_one(".policy-translation-notice") is None


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("nl", ("Versie", "Laatste update", "Versiegeschiedenis")),
        ("en", ("Version", "Last updated", "Version history")),
        ("de", ("Version", "Zuletzt aktualisiert", "Versionsverlauf")),
    ],
)
def test_version_line_is_localised(site, lang, labels):
    shown = policy_timeline().shown(lang)
    month = format_date(shown["date"], "LLLL yyyy", locale=lang)
    meta = soup(page_file(site, lang, "")).select_one(".policy-meta")
    version, updated, history = labels
    assert text_of(meta).startswith(f"{version}: {shown['version']} {updated}: {month} {history}")


@pytest.mark.parametrize(
    ("lang", "headings", "accept"),
    [
        ("en", ["Name", "Category", "Purpose", "Retention period", "Provider"], "Accept all"),
        ("de", ["Name", "Kategorie", "Zweck", "Speicherdauer", "Anbieter"], "Alle akzeptieren"),
    ],
)
def test_banner_footer_and_declaration_are_translated(site, lang, headings, accept):
    page = soup(page_file(site, lang, "cookies/"))
    assert [th.get_text() for th in page.select(".consent-declaration table thead th")] == headings
    assert page.select_one('[data-consent-action="accept-all"]').get_text() == accept
    assert (
        page.select_one('[data-consent-action="open"]').get_text()
        == {"en": "Cookie settings", "de": "Cookie-Einstellungen"}[lang]
    )
    ga = page.select_one('.consent-declaration tr[data-cookie="_ga"]')  # a duration written in words
    assert ga.select("td")[3].get_text() == {"en": "2 years", "de": "2 Jahre"}[lang]


NOT_FOUND = {
    "nl": ("Pagina niet gevonden", ["Privacybeleid", "Cookieverklaring", "Versiegeschiedenis"]),
    "en": ("Page not found", ["Privacy policy", "Cookie declaration", "Version history"]),
    "de": ("Seite nicht gefunden", ["Datenschutzerklärung", "Cookie-Erklärung", "Versionsverlauf"]),
}


@pytest.mark.parametrize(("lang", "path"), [("nl", "404.html"), ("en", "en/404.html"), ("de", "de/404.html")])
def test_404_page_in_each_language(site, site_url, lang, path):
    page = soup(site / path)
    assert page.html["lang"] == lang
    title, labels = NOT_FOUND[lang]
    article = page.select_one("article")
    assert text_of(article.select_one("h1")) == title
    root = urlsplit(site_url).path + LANGUAGES[lang]  # absolute: served at any missing address
    links = {text_of(a): a["href"] for a in article.select(".policy-not-found a")}
    assert links == dict(zip(labels, [root, root + "cookies/", root + "versies/"], strict=True))
    assert (
        page.select_one('[data-consent-action="reject-all"]').get_text()
        == {
            "nl": "Alles weigeren",
            "en": "Reject all",
            "de": "Alle ablehnen",
        }[lang]
    )


def test_search_index_per_language_holds_only_that_language(site):
    for lang, prefix in LANGUAGES.items():
        index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
        titles = {doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
        expected = {
            "nl": {"Privacybeleid", "Cookieverklaring", "Versiegeschiedenis"},
            "en": {"Privacy policy", "Cookie declaration", "Version history"},
            "de": {"Datenschutzerklärung", "Cookie-Erklärung", "Versionsverlauf"},
        }  # archived versions are left out of search: the current text is what people look for
        assert titles == expected[lang]
        assert all(not doc["location"].startswith(("en/", "de/")) for doc in index["docs"])


def check_translations(project: Path):
    return run_command("check-translations", project)


def test_check_translations_reports_this_projects_translations():
    result = check_translations(ROOT)
    latest = policy_timeline().latest["version"]
    if result.returncode == 0:
        assert f"All translations are present and render policy version {latest}." in result.stdout
    else:  # translations may lag behind a new version: listed, with the translator's worklist
        assert result.returncode == 1 and "stale: " in result.stdout, result.stdout


def test_changed_dutch_cookie_page_makes_only_its_translations_stale_and_they_say_so(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "docs" / "cookies.md", "# Cookieverklaring\n", "# Cookieverklaring\n\nEen nieuwe zin.\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output  # a lagging translation is published
    listed = check_translations(project)
    assert listed.returncode == 1
    stale = [line.split()[1] for line in listed.stdout.splitlines() if line.strip().startswith("stale:")]
    others = [name for name in stale if not name.startswith("index.")]  # the policy's may lag a version
    assert sorted(others) == ["cookies.de.md", "cookies.en.md"]
    assert "cookies.md changed since it was translated" in listed.stdout
    notice = soup(tmp_path / "site" / "en" / "cookies" / "index.html").select_one(
        "[data-translation-lagging]"
    )
    assert (
        text_of(notice)
        == "This translation has not yet been updated for the latest change to the Dutch page."
    )
    assert soup(tmp_path / "site" / "en" / "index.html").select_one("[data-translation-lagging]") is None


def test_translations_of_unchanged_pages_carry_no_lagging_notice(site):
    for lang in ("en", "de"):
        for page in ("cookies/", "versies/"):
            assert soup(site / lang / page / "index.html").select_one("[data-translation-lagging]") is None


def test_missing_translation_fails_the_build_naming_the_file(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "cookies.de.md").unlink()
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Translation missing: cookies.de.md (translation of cookies.md into 'de')" in result.output
    assert "missing: cookies.de.md" in check_translations(project).stdout


def test_translation_without_version_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "docs" / "cookies.en.md"
    path.write_text(
        re.sub(r"\nsource_sha256: [^\n]+", "", path.read_text(encoding="utf-8")), encoding="utf-8"
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Translation unversioned: cookies.en.md" in result.output


def test_texts_file_with_missing_key_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "texts" / "de.yml", "  reject_all: Alle ablehnen\n", "")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "texts/de.yml must have the same keys as nl.yml; missing: consent.reject_all" in result.output


@pytest.mark.parametrize("lang", ["en", "de"])
def test_each_language_has_its_own_sitemap_with_only_its_pages(site, site_url, lang):
    from xml.etree import ElementTree

    root = ElementTree.parse(site / lang / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert sorted(locs) == sorted(
        site_url + f"{lang}/" + p for p in ("", "cookies/", "versies/", "versies/1.0/")
    )


@pytest.mark.parametrize(
    ("lang", "title"),
    [("nl", "Link naar dit artikel"), ("en", "Link to this section"), ("de", "Link zu diesem Abschnitt")],
)
def test_section_permalinks_are_titled_in_the_pages_language(site, lang, title):
    for page in PAGES:
        titles = {a["title"] for a in soup(page_file(site, lang, page)).select("a.headerlink")}
        assert titles == {title}, page
