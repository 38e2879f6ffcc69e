"""``privacy-kit init``: a new site in a temporary folder, in one language and in three, builds
strictly and shows its banner at once; a production build refuses it while any [FILL IN: …] is
left, naming each, and builds it once they are filled."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import banner_visible, in_the_shell, soup
from privacy_kit import placeholders
from privacy_kit.cli import init
from privacy_kit.project import Project
from privacy_kit.serving.building import build
from privacy_kit.serving.chromium import offline
from privacy_kit.serving.hosting import serve
from privacy_kit.serving.standins import stand_ins

KIT = str(Path(sys.executable).with_name("privacy-kit"))
ONE = ["--name", "Harbour Bakery", "--languages", "en", "--analytics", "google", "--embeds"]
THREE = ["--name", "Bakkerij Jansen", "--languages", "nl,en,de", "--analytics", "matomo"]
THREE += ["--matomo-url", "https://stats.jansen.example/", "--matomo-site-id", "3", "--no-embeds"]
PRODUCTION = "https://privacy.example.org/"


def run_init(folder: Path, *options: str):
    return subprocess.run(
        [KIT, "init", str(folder), *options], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def fill_in(folder: Path) -> None:
    """What the owner does: write every [FILL IN: …] in their own words."""
    for path in [*folder.glob("texts/*.yml"), *folder.glob("docs/*.md")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\[FILL IN: [^\]]*\]", "Our own words.", text), encoding="utf-8")


@pytest.fixture(scope="module", params=["one language", "three languages"])
def new_site(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("init") / "site"
    result = run_init(folder, *(ONE if request.param == "one language" else THREE))
    assert result.returncode == 0, result.stderr
    return folder


def test_it_builds_strictly_with_its_banner_in_every_language(new_site, tmp_path):
    site = Project(new_site / "mkdocs.yml")
    result = build(new_site, tmp_path / "out", ga_property=None)
    assert result.returncode == 0, result.output
    for language in site.languages.all:
        root = tmp_path / "out" if language == site.languages.default else tmp_path / "out" / language
        page = soup(root / "cookies" / "index.html")
        assert page.select_one("html")["lang"] == language
        assert page.select_one("#consent") is not None  # the banner
        assert page.select(".consent-declaration tbody tr")  # the declaration, from the marker
        assert "[FILL IN:" in soup(root / "index.html").get_text()  # shown, so they are seen
    # Its 404 names nothing the site lacks (no version history) and lists each page once.
    missing = soup(tmp_path / "out" / "404.html").select_one("article")
    links = [a["href"] for a in missing.select(".policy-not-found a")]
    assert len(links) == len(set(links)) == 2
    assert not [word for word in ("version", "versie", "Version") if word in missing.get_text()]
    analytics = site.options.analytics
    assert (
        analytics.property == init.default_options("google")["property"]
        if analytics.provider == "google"
        else analytics.url
    )


def test_a_production_build_refuses_each_placeholder_and_takes_the_filled_site(new_site, tmp_path):
    refused = build(new_site, tmp_path / "out", site_url=PRODUCTION, ga_property=None)
    assert refused.returncode != 0
    named = refused.output.split("still to fill", 1)[1]
    to_fill = placeholders.unfilled(
        new_site / "texts", new_site / "docs", Project(new_site / "mkdocs.yml").options.analytics
    )
    assert len(to_fill) >= 4
    for place in to_fill:
        assert place in named
    assert "texts/" in named and "docs/index.md, line" in named
    assert not (tmp_path / "out").exists()

    filled = tmp_path / "filled"
    subprocess.run(["cp", "-r", str(new_site), str(filled)], check=True)
    fill_in(filled)
    recorded = subprocess.run(
        [KIT, "record-consent", "-f", str(filled / "mkdocs.yml")], capture_output=True, text=True
    )
    assert recorded.returncode == 0, recorded.stderr
    published = build(filled, tmp_path / "published", site_url=PRODUCTION, ga_property="G-ABC123XYZ")
    assert published.returncode == 0, published.output
    assert "FILL IN" not in (tmp_path / "published" / "index.html").read_text(encoding="utf-8")


def test_it_refuses_a_folder_that_has_a_site_and_writes_nothing(new_site):
    before = {p: p.read_bytes() for p in new_site.rglob("*") if p.is_file()}
    result = run_init(new_site, *ONE)
    assert (
        result.returncode == 2
        and "refused, nothing written" in result.stderr
        and "mkdocs.yml" in result.stderr
    )
    assert {p: p.read_bytes() for p in new_site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "options, quoted",
    [
        (["--languages", "nl,fr"], "'nl,fr'"),
        (["--languages", "en,en"], "'en,en'"),
        (["--name", " "], "--name"),
        (["--analytics", "matomo", "--matomo-site-id", "seven"], "--matomo-site-id: expected a whole number"),
    ],
)
def test_bad_choices_are_refused_quoting_the_value(tmp_path, options, quoted):
    result = run_init(tmp_path / "site", *options)
    assert result.returncode == 2 and quoted in result.stderr
    assert not (tmp_path / "site").exists()


def test_in_a_terminal_it_asks_for_what_no_option_gives(tmp_path, monkeypatch):
    replies = iter(["Corner Café", "de,en", "matomo", "y", "https://stats.cafe.example/", "7"])
    monkeypatch.setattr("builtins.input", lambda question: next(replies))
    choices = init.answers(init.parse_args([str(tmp_path)]), interactive=True)
    assert choices == {
        "name": "Corner Café",
        "languages": ["de", "en"],
        "analytics": "matomo",
        "embeds": True,
        "analytics_options": {"url": "https://stats.cafe.example/", "site_id": "7"},
    }


def test_the_banner_shows_at_once_and_nothing_leaves_the_machine(browser, tmp_path):
    """Served as written (no GA_PROPERTY), a visitor sees the banner on the first page; every
    request to another origin is recorded (and answered by a stand-in): there is none."""
    folder = tmp_path / "site"
    assert run_init(folder, *ONE).returncode == 0
    site = Project(folder / "mkdocs.yml")
    embeds = tuple((n, c.hosts) for n, c in site.options.consent.categories.items() if c.hosts)
    with serve(tmp_path / "out") as url:
        assert build(folder, tmp_path / "out", site_url=url + "/", ga_property=None).returncode != 0
        assert build(folder, tmp_path / "out", ga_property=None).returncode == 0
        context = browser.new_context()
        external = []
        offline(context, url.rsplit(":", 1)[0], external.append, stand_ins(site.options.analytics, embeds))
        page = context.new_page()
        page.goto(url + "/")
        assert banner_visible(page)
        context.close()
    assert external == []


@pytest.mark.browser  # the audit drives Chromium
def test_the_audit_of_its_preview_passes_in_the_sites_language(tmp_path):
    """The owner's last step: the filled site's preview audited, console and report in German."""
    folder = tmp_path / "site"
    options = ["--name", "Bäckerei Huber", "--languages", "de,en", "--analytics", "google", "--embeds"]
    assert run_init(folder, *options).returncode == 0
    fill_in(folder)
    assert subprocess.run([KIT, "record-consent", "-f", str(folder / "mkdocs.yml")]).returncode == 0
    out = tmp_path / "report"
    result = subprocess.run(
        [KIT, "audit", "-f", str(folder / "mkdocs.yml"), "--out", str(out), "--no-screenshots"],
        capture_output=True,
        text=True,
        timeout=600,
        env=in_the_shell(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("BESTANDEN: ") and "Bericht: " in result.stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (
        '<html lang="de">' in html and "Ergebnis: Bestanden" in html and "So lesen Sie diesen Bericht" in html
    )
    for dutch in ("Geslaagd", "pagina", "Oordeel", "verklaring"):
        assert dutch not in html, dutch


def test_the_sentence_about_the_choice_is_true_of_the_site_as_built(tmp_path):
    """Without analytics or embeds nothing is asked: the cookie page says so (the kit's sentence
    in place of <!-- cookie-choice -->), and prose naming analytics fails the strict build."""
    folder = tmp_path / "site"
    assert (
        run_init(
            folder, "--name", "Quiet Site", "--languages", "en", "--analytics", "none", "--no-embeds"
        ).returncode
        == 0
    )
    texts = yaml.safe_load(
        (Path(placeholders.__file__).parent / "texts" / "en.yml").read_text(encoding="utf-8")
    )
    result = build(folder, tmp_path / "out", ga_property=None)
    assert result.returncode == 0, result.output
    prose = soup(tmp_path / "out" / "cookies" / "index.html").select_one("article").get_text(" ")
    assert texts["declaration"]["no_choice"] in prose and "Cookie settings" not in prose
    with open(folder / "docs" / "cookies.md", "a", encoding="utf-8") as page:
        page.write("\nAnalytical cookies are placed only after you consent.\n")
    result = build(folder, tmp_path / "out", ga_property=None)
    assert result.returncode != 0
    assert (
        "cookies.md names 'Analytical' (the category 'analytics', which the banner does not offer)"
        in result.output
    )
