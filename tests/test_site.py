"""The built site: strict build, the policy word for word, structure, metadata, no third parties."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup

from conftest import ROOT, SEED, SHARED_SEED, normalise, policy_timeline, soup
from privacy_kit.project import Project

# The adopted text of version 1.0 stays at its permanent address whatever version is in force;
# the checks of the text as adopted read it there. The live page is checked against the archive.
ADOPTED = Path("versies") / "1.0" / "index.html"


def seed_lines() -> tuple[list[str], list[str]]:
    """The seed as (cover lines, body lines); list markers "- " are markdown, not text."""
    lines = [normalise(line.removeprefix("- ")) for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = lines.index("PRIVACYBELEID")
    return lines[:start], lines[start:]


def policy_text(site: Path, page: Path = ADOPTED, meta: bool = True) -> str:
    """The policy's words on a page, without permalinks and status notices (and without the
    version line unless ``meta``)."""
    article = soup(site / page).select_one("article")
    drop = "a.headerlink, .policy-notice, .policy-archive-notice" + ("" if meta else ", .policy-meta")
    for element in article.select(drop):
        element.decompose()
    return normalise(article.get_text())


def test_strict_build_has_no_warnings(site_build):
    assert site_build.returncode == 0
    warnings = [line for line in site_build.output.splitlines() if re.match(r"(WARNING|ERROR)\b", line)]
    assert warnings == []
    assert "Documentation built" in site_build.output  # not quiet: warnings would have shown


def test_adopted_version_1_0_is_archived_word_for_word_in_order(site):
    text = policy_text(site)
    cover, body = seed_lines()
    # The cover ("privacybeleid / Februari 2026") is the document's running header: title and date.
    for line in cover:
        assert line.casefold() in text.casefold(), line
    position = 0
    for line in body:
        haystack, needle = (text.casefold(), line.casefold()) if line.isupper() else (text, line)
        found = haystack.find(needle, position)
        assert found >= 0, f"not found in order after position {position}: {line!r}"
        position = found + len(needle)


@pytest.mark.skipif(
    not SHARED_SEED.exists(),
    reason=f"the policy text as the clinic delivered it ({SHARED_SEED}) is not on this machine: it sits "
    "beside the project folder only where the project was handed over; tests/fixtures/ holds its copy",
)
def test_reference_copy_equals_the_delivered_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_live_policy_is_exactly_the_archived_text_of_the_version_in_force(site):
    in_force = policy_timeline().in_force["version"]
    live = policy_text(site, Path("index.html"), meta=False)
    archived = policy_text(site, Path("versies") / in_force / "index.html", meta=False)
    assert live == archived
    assert len(live) > 5000


def test_adopted_policy_keeps_its_typos(site):
    text = policy_text(site)
    for typo in (
        "Tot worden de contact- en websitegegevens",
        "via onze online boekingsysteem (Salonized)",
        "Wie is verantwoordelijk voor jouw gegevens?",
        "via onze e-mailadres",
    ):
        assert typo in text


def test_structure_one_h1_eleven_numbered_sections_with_stable_anchors(site):
    page = soup(site / ADOPTED)
    article = page.select_one("article")
    assert [h.get_text(strip=True).rstrip("¶") for h in article.select("h1")] == ["Privacybeleid"]
    h2 = article.select("h2")
    assert len(h2) == 11
    for number, heading in enumerate(h2, start=1):
        assert heading.get_text().startswith(f"{number}. ")
        assert re.fullmatch(rf"{number}-[a-z0-9-]+", heading["id"]), heading["id"]
    assert article.select_one('h2[id="8-cookies-en-websitegebruik"]').get_text().startswith("8. Cookies")
    assert article.select_one('h2[id="11-contact"]')


def test_lists_are_real_lists(site):
    article = soup(site / ADOPTED).select_one("article")
    personal = article.select_one("h3#persoonsgegevens").find_next_sibling("ul")
    assert len(personal.select("li")) == 10
    marked = article.select("ol.policy-list")
    assert [len(ol.select("li")) for ol in marked] == [5, 4, 3, 7]
    assert marked[0].select("li")[0].get_text() == "a) Gezondheid;"
    purposes = article.select_one('h2[id="3-waarom-verwerken-wij-uw-persoonsgegevens"]').find_next_sibling(
        "ul"
    )
    assert len(purposes.select("li")) == 9


def test_contact_details_are_links(site):
    article = soup(site / ADOPTED).select_one("article")
    address = article.select_one("address")
    assert address.select_one('a[href="tel:+31615438506"]').get_text() == "0615438506"
    assert address.select_one('a[href="mailto:info@maestrolaserclinics.nl"]')
    assert "Markt 9" in address.get_text() and "6605 AM Wijchen" in address.get_text()
    rights = article.select_one('h2[id="9-uw-rechten"]').find_next_sibling("ol").find_next_sibling("p")
    assert rights.select_one('a[href="mailto:info@maestrolaserclinics.nl"]')


def test_version_and_date_of_the_version_in_force_come_from_the_manifest(site):
    line = policy_timeline()
    in_force = line.in_force
    meta = soup(site / "index.html").select_one("article .policy-meta")
    assert meta.select_one("[data-policy-version]").get_text() == in_force["version"]
    assert meta.select_one("time")["datetime"] == in_force["date"].isoformat()
    month = format_date(in_force["date"], "LLLL yyyy", locale="nl")
    expected = f"Versie: {in_force['version']} Laatste update: {month} Versiegeschiedenis"
    older = line.versions[: line.versions.index(in_force)]  # by version: two may share a date
    if older:
        expected += f" Vorige versie ({older[-1]['version']})"
    assert normalise(meta.get_text()) == expected
    source = (Path(__file__).parent.parent / "docs" / "index.md").read_text(encoding="utf-8")
    assert f"Versie: {in_force['version']}" not in source  # metadata, not body text


def test_head_language_title_description_canonical(site, site_url):
    page = soup(site / "index.html")
    assert page.html["lang"] == "nl"
    assert page.title.get_text() == "Privacybeleid - Maestro Laser Clinics"
    assert "persoonsgegevens" in page.select_one('meta[name="description"]')["content"]
    assert page.select_one('link[rel="canonical"]')["href"] == site_url
    cookies = soup(site / "cookies" / "index.html")
    assert cookies.select_one('link[rel="canonical"]')["href"] == site_url + "cookies/"


FETCHED = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "audio": ["src"],
    "video": ["src", "poster"],
    "embed": ["src"],
    "object": ["data"],
}
NOT_FETCHED_LINKS = {"canonical", "alternate", "author", "license", "prev", "next", "help", "me"}


def external_references(page: BeautifulSoup) -> list[str]:
    """Every URL in the page that a browser would fetch from another origin on its own."""
    found = []
    for tag, attributes in FETCHED.items():
        for element in page.find_all(tag):
            found += [element[a] for a in attributes if element.get(a)]
    for link in page.find_all("link"):
        if not set(link.get("rel", [])) <= NOT_FETCHED_LINKS:
            found.append(link.get("href", ""))
    for style in page.find_all("style"):
        found += re.findall(r"url\(([^)]+)\)|@import\s+['\"]([^'\"]+)", style.get_text())
    found += [
        url for element in page.select("[style]") for url in re.findall(r"url\(([^)]+)\)", element["style"])
    ]
    return [u for u in map(str, found) if urlsplit(u.strip("'\" ")).netloc or u.strip().startswith("//")]


def test_no_third_party_references_on_any_page(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 3
    for path in pages:
        assert external_references(soup(path)) == [], path
    for css in site.rglob("*.css"):
        assert re.findall(r"url\(\s*['\"]?(?:https?:)?//", css.read_text(encoding="utf-8")) == [], css


def test_third_party_check_catches_google_fonts():
    page = BeautifulSoup(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">', "html.parser"
    )
    assert external_references(page) == ["https://fonts.googleapis.com/css?family=Roboto"]


def test_no_page_carries_the_editors_comments(site):
    """Comments in the markdown are notes for editors (one names a version, others a file): the
    built pages carry none of them, nor any other comment."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 15
    for path in pages:
        assert "<!--" not in path.read_text(encoding="utf-8"), path


def test_the_kits_data_files_are_read_by_the_build_not_published(site):
    """The manifest of versions and the consent archive stay in docs/; the site has neither."""
    options = Project(ROOT / "mkdocs.yml").options
    data = [f"{options.policy.versions.folder}/versions.yml", options.consent.archive]
    assert all((ROOT / "docs" / name).is_file() for name in data)
    assert not any((site / name).exists() for name in data)
    assert not list(site.rglob("*.yml"))


def test_the_banner_ships_minified_and_within_its_budget(site):
    """The readable sources keep their notes; visitors get them minified, 3 KB gzip at most."""
    import gzip

    from privacy_kit.plugin import BANNER_SCRIPT, BANNER_STYLES, THEME
    from privacy_kit.tools.bench import BUDGET_GZIP

    shipped = b"".join((site / path).read_bytes() for path in (BANNER_SCRIPT, BANNER_STYLES))
    source = b"".join((THEME / path).read_bytes() for path in (BANNER_SCRIPT, BANNER_STYLES))
    assert b"/*" not in shipped and b"/*" in source
    assert len(shipped) < 0.9 * len(source)
    assert len(gzip.compress(shipped, 9, mtime=0)) <= BUDGET_GZIP


def test_the_readme_configuration_reference_is_the_plugins_own():
    """The README's table is generated from the Config classes (privacy-kit reference --readme)."""
    from privacy_kit.cli.reference import END, START
    from privacy_kit.config import PrivacyKitConfig, reference

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index(START) + len(START) : readme.index(END)].strip()
    assert shown == reference()
    documented = {line.split("`")[1] for line in shown.splitlines()[2:]}
    assert {key for key, _ in PrivacyKitConfig._schema} <= documented
