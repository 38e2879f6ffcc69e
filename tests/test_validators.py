"""Independent validators on the built site, none of them written here: the Nu Html Checker
(vnu.jar, from npm), Google's CSP Evaluator (npm), feedparser for the Atom feed, sectxt for
security.txt, zizmor for the Pages workflow, and a real nginx serving the site with the
generated snippet. Plus Google's hreflang rules for the sitemaps (absolute, reciprocal,
x-default), checked with ElementTree."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import ROOT, build
from privacy_kit.serving.hosting import nginx

VNU_JAR = ROOT / ".cache" / "vnu-jar" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"

# The Nu checker's only errors come from Material's own markup, on every page: the drawer and
# search toggles are checkboxes with autocomplete="off", and on pages without a table of contents
# the navigation keeps a label for the absent "__toc" toggle. Nothing else is accepted.
MATERIAL_MARKUP = (
    ('class="md-toggle"', "Attribute “autocomplete” is only allowed when the input type is"),
    ('<label class="md-nav__title" for="__toc">', "The value of the “for” attribute of the “label” element"),
)


PRODUCTION_URL = "https://privacy.maestrolaserclinics.nl/"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Path:
    """The site as an operator builds it for its https address (the session's build is for 127.0.0.1)."""
    result = build(ROOT, tmp_path_factory.mktemp("deployed") / "site", site_url=PRODUCTION_URL)
    assert result.returncode == 0, result.output
    return result.site


@pytest.mark.npm
def test_nu_html_checker_finds_only_materials_known_errors(deployed):
    site = deployed
    java = shutil.which("java")
    assert java and VNU_JAR.is_file(), "run scripts/test: it installs Java (as root) and vnu-jar from npm"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    ours = [
        f"{m['url'].removeprefix(site.as_uri())}: {m['message']} {m.get('extract', '')!r}"
        for m in messages
        if not any(
            markup in m.get("extract", "") and m["message"].startswith(text)
            for markup, text in MATERIAL_MARKUP
        )
    ]
    checked = len(list(site.rglob("*.html")))
    print(f"\nNu Html Checker: {checked} pages, {len(messages)} errors, all from Material's markup")
    assert ours == []
    assert checked >= 15


CSP_EVALUATOR = ROOT / ".cache" / "csp_evaluator" / "node_modules" / "csp_evaluator"
EVALUATE = """
const {CspEvaluator} = require(process.argv[1] + "/dist/evaluator.js");
const {CspParser} = require(process.argv[1] + "/dist/parser.js");
const csp = require("fs").readFileSync(0, "utf8");
console.log(JSON.stringify(new CspEvaluator(new CspParser(csp).csp).evaluate()));
"""
MEDIUM_MAYBE = (
    50  # csp_evaluator's severities: 10 high, 20 syntax, 30 medium, 40 high?, 45 strict CSP, 50 medium?
)


@pytest.mark.npm
def test_csp_evaluator_finds_nothing_worse_than_a_possible_medium(deployed):
    node = shutil.which("node")
    assert node and CSP_EVALUATOR.is_dir(), "run scripts/test: it installs csp_evaluator from npm"
    from privacy_kit.serving.hosting import header_rules

    csp = dict(dict(header_rules(deployed / "_headers"))["/*"])["Content-Security-Policy"]
    result = subprocess.run(
        [node, "-e", EVALUATE, str(CSP_EVALUATOR)], input=csp, capture_output=True, text=True, timeout=60
    )
    findings = json.loads(result.stdout)
    print(f"\ncsp_evaluator: {[(f['directive'], f['value'], f['severity']) for f in findings]}")
    assert [f for f in findings if f["severity"] < MEDIUM_MAYBE] == []
    # What remains is its generic caution about 'self' and allowed hosts serving JSONP.
    assert {f["directive"] for f in findings} <= {"script-src"}


def test_the_feed_is_valid_atom_for_feedparser(deployed):
    site, site_url = deployed, PRODUCTION_URL
    import feedparser

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.entries and all(entry.link.startswith(site_url) for entry in feed.entries)


def test_security_txt_is_valid_for_sectxt(deployed):
    site, site_url = deployed, PRODUCTION_URL
    from sectxt import Parser

    url = f"{site_url}.well-known/security.txt"
    parsed = Parser((site / ".well-known" / "security.txt").read_bytes(), urls=url)
    assert parsed.is_valid(), parsed.errors
    assert parsed.errors == []
    # What remains are recommendations for an OpenPGP key and a signature, which we do not have.
    assert {r["code"] for r in parsed.recommendations} <= {"no_encryption", "not_signed"}


def test_the_pages_workflow_passes_zizmor():
    zizmor = Path(shutil.which("zizmor", path=str(ROOT / ".venv" / "bin")) or "zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(ROOT / ".github" / "workflows" / "pages.yml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def sitemap_urls(path: Path) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of a sitemap."""
    root = ElementTree.parse(path).getroot()
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link[@rel='alternate']")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_hreflang_is_absolute_reciprocal_with_x_default(deployed):
    site, site_url = deployed, PRODUCTION_URL
    urls = sitemap_urls(site / "sitemap.xml")
    translated = {loc: alts for loc, alts in urls.items() if alts}
    # every page that exists in three languages (a new version's archive may exist in Dutch only)
    assert len([loc for loc, alts in translated.items() if len(alts) == 4]) >= 9
    for loc, alternates in translated.items():
        assert loc.startswith(site_url), loc
        languages = set(alternates) - {"x-default"}
        assert "x-default" in alternates and "nl" in languages and languages <= {"nl", "en", "de"}, loc
        assert alternates["x-default"] == alternates["nl"], loc
        assert loc in alternates.values(), loc  # names itself
        for lang, href in alternates.items():
            assert urls[href] == alternates, f"{loc}: {lang} alternate {href} does not name the same set"
    for lang in ("en", "de"):
        mine = sitemap_urls(site / lang / "sitemap.xml")
        assert mine and all(loc.startswith(f"{site_url}{lang}/") for loc in mine)
        assert all(mine[loc] == urls[loc] for loc in mine)
    assert ElementTree.parse(site / "sitemap.xml").getroot().tag == f"{SITEMAP}urlset"


def test_no_page_has_hreflang_links_that_material_would_fetch_a_sitemap_beside(site):
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "hreflang" not in html.split("</head>")[0], path


# --- nginx -----------------------------------------------------------------------------------


def get(url: str, **headers: str):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture(scope="module")
def nginx_url(site):
    with nginx(site) as url:
        yield url


def test_nginx_with_the_snippet_serves_every_header_and_each_languages_404(nginx_url, site):
    home = get(nginx_url + "/")
    assert home.status == 200
    assert home.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    for prefix, lang in (("", "nl"), ("en/", "en"), ("de/", "de")):
        missing = get(f"{nginx_url}/{prefix}bestaat-niet/")
        assert missing.status == 404
        assert f'<html lang="{lang}"'.encode() in missing.read()
        assert missing.headers["Content-Security-Policy"].startswith("default-src 'self'")
    for name in ("_headers", "_nginx.conf"):
        assert get(f"{nginx_url}/{name}").status == 404


def test_nginx_serves_the_feed_as_atom_and_compresses_text(nginx_url, site):
    feed = get(nginx_url + "/feed.xml", **{"Accept-Encoding": "gzip"})
    assert feed.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.headers["X-Frame-Options"] == "DENY"  # the location repeats the headers
    bundle = next(site.glob("assets/javascripts/bundle.*.min.js")).relative_to(site).as_posix()
    for path in (
        f"/{bundle}",
        "/assets/stylesheets/policy.css",
        "/search/search_index.json",
        "/sitemap.xml",
        "/feed.xml",
    ):
        response = get(nginx_url + path, **{"Accept-Encoding": "gzip"})
        assert response.status == 200 and response.headers["Content-Encoding"] == "gzip", path
    cached = get(f"{nginx_url}/{bundle}")
    assert cached.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert cached.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_materials_search_dialog_is_named_in_the_pages_language(site):
    """Lighthouse and axe's aria-dialog-name: the dialog takes its search field's label."""
    from conftest import soup

    names = {}
    for path in sorted(site.rglob("*.html")):
        html = soup(path)
        dialog = html.select_one('div.md-search[role="dialog"]')
        assert dialog is not None and dialog.get("aria-label"), path
        assert dialog["aria-label"] == html.select_one("input.md-search__input")["aria-label"], path
        names[html.html["lang"]] = dialog["aria-label"]
    assert len(set(names.values())) == 3, names  # nl, en and de each in their own words


def test_404_pages_offer_each_languages_home_not_the_last_page_built(site, site_url):
    from urllib.parse import urljoin

    from conftest import soup

    homes = {"nl": site_url, "en": f"{site_url}en/", "de": f"{site_url}de/"}
    for page in ("404.html", "en/404.html", "de/404.html"):
        links = {
            a["hreflang"]: urljoin(site_url + page, a["href"])
            for a in soup(site / page).select("a.md-select__link")
        }
        assert links == homes, page
