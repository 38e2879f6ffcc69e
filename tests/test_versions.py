"""Policy versions, in a temporary copy of the project: publish 1.1 with one changed sentence, the
archive, history, redline, feed and versions.json; every refusal leaves the tree byte-identical;
an edited archive fails the build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT, build, copy_project, edit, soup
from conftest import text_of as text

OLD = "Wij reageren uiterlijk binnen één maand op uw verzoek."
NEW = "Wij reageren uiterlijk binnen twee weken op uw verzoek."
TRANSLATIONS = [
    "index.en.md",
    "index.de.md",
    "cookies.en.md",
    "cookies.de.md",
    "versies/index.en.md",
    "versies/index.de.md",
]


def new_version(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "new_version.py"), *args, "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()
    }


def translate_to(project: Path, version: str) -> None:
    """What translators do after a new version: update the text and raise translation_of."""
    for name in TRANSLATIONS:
        edit(project / "docs" / name, 'translation_of: "1.0"', f'translation_of: "{version}"')


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    project = copy_project(root / "project")
    archived_before = (project / "docs" / "versies" / "1.0" / "index.md").read_bytes()
    edit(project / "docs" / "index.md", OLD, NEW)
    result = new_version(
        project, "1.1", "--date", "2026-12-01", "--summary", "Wij reageren sneller op verzoeken."
    )
    assert result.returncode == 0, result.stderr
    stale_build = build(project, root / "stale-site")
    translate_to(project, "1.1")
    site = build(project, root / "site", site_url="https://privacy.example.nl/")
    assert site.returncode == 0, site.output
    return {
        "project": project,
        "site": root / "site",
        "output": result.stdout,
        "stale": stale_build,
        "archived": archived_before,
    }


def test_archive_1_0_is_unchanged_and_reachable(published):
    assert (published["project"] / "docs" / "versies" / "1.0" / "index.md").read_bytes() == published[
        "archived"
    ]
    page = soup(published["site"] / "versies" / "1.0" / "index.html")
    body = text(page.select_one("article"))
    assert OLD in body and NEW not in body
    assert "Dit is de gearchiveerde tekst van versie 1.0. De actuele versie is 1.1:" in body
    assert page.select_one("[data-policy-version]").get_text() == "1.0"


def test_current_policy_shows_1_1_with_links_to_history_and_previous(published):
    page = soup(published["site"] / "index.html")
    meta = page.select_one(".policy-meta")
    assert meta.select_one("[data-policy-version]").get_text() == "1.1"
    assert meta.select_one("time")["datetime"] == "2026-12-01"
    links = {a.get_text(): a["href"] for a in meta.select("a")}
    assert links == {"Versiegeschiedenis": "versies/", "Vorige versie (1.0)": "versies/1.0/"}
    assert NEW in text(page.select_one("article"))
    assert (published["project"] / "docs" / "versies" / "1.1" / "index.md").is_file()


def test_history_lists_both_versions_newest_first(published):
    for prefix in ("", "en/", "de/"):
        rows = soup(published["site"] / prefix / "versies" / "index.html").select(
            "table.policy-history tbody tr"
        )
        assert [row["data-version"] for row in rows] == ["1.1", "1.0"]
    rows = soup(published["site"] / "versies" / "index.html").select("table.policy-history tbody tr")
    assert "Wij reageren sneller op verzoeken." in text(rows[0])
    assert rows[0].select("a")[-1]["href"] == "1.1/wijzigingen/"


def test_redline_shows_exactly_the_changed_sentence(published):
    page = soup(published["site"] / "versies" / "1.1" / "wijzigingen" / "index.html")
    redline = page.select_one(".policy-redline")
    assert [text(d) for d in redline.select("del")] == ["één maand"]
    assert [text(i) for i in redline.select("ins")] == ["twee weken"]
    changed = [s.select_one("h2").get("id") for s in redline.select('[data-redline="changed"]')]
    assert changed == ["9-uw-rechten"]
    assert len(redline.select('[data-redline="unchanged"]')) == 11  # the introduction and ten sections
    paragraph = redline.select_one("del").parent
    assert (
        "Om misbruik te voorkomen kunnen wij u vragen om u te identificeren. Wij reageren uiterlijk binnen één maand twee weken op uw verzoek. Daarnaast"
        in text(paragraph)
    )


def test_redline_is_one_dutch_page_without_hreflang_alternates(published):
    page = soup(published["site"] / "versies" / "1.1" / "wijzigingen" / "index.html")
    assert page.select('head link[rel="alternate"][hreflang]') == []
    assert page.select_one(".policy-redline")["lang"] == "nl"


def test_feed_and_versions_json_list_both_versions(published):
    feed = ElementTree.parse(published["site"] / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.find("a:id", ns).text for e in feed.findall("a:entry", ns)]
    assert ids == ["https://privacy.example.nl/versies/1.1/", "https://privacy.example.nl/versies/1.0/"]
    data = json.loads((published["site"] / "versions.json").read_text(encoding="utf-8"))
    assert data["current"] == "1.1"
    assert [v["version"] for v in data["versions"]] == ["1.0", "1.1"]
    assert data["versions"][1]["changes_url"] == "https://privacy.example.nl/versies/1.1/wijzigingen/"
    head = soup(published["site"] / "cookies" / "index.html").select_one('link[type="application/atom+xml"]')
    assert head["href"] == "../feed.xml"


def test_translations_are_flagged_stale_after_publishing(published):
    assert published["stale"].returncode != 0
    assert (
        "Translation stale: index.en.md (translates policy 1.0, the Dutch policy is 1.1)"
        in published["stale"].output
    )
    assert "stale: index.de.md" in published["output"]


def test_unchanged_cookie_section_keeps_the_consent_revision(published):
    assert "    revision: 1\n" in (published["project"] / "mkdocs.yml").read_text(encoding="utf-8")


def test_changed_cookie_section_raises_the_consent_revision(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(
        project / "docs" / "index.md",
        "U kunt cookies altijd verwijderen",
        "U kunt cookies op elk moment verwijderen",
    )
    result = new_version(project, "1.1", "--date", "2026-12-01", "--summary", "Cookietekst aangepast.")
    assert result.returncode == 0, result.stderr
    assert "raised extra.cookie_consent.revision to 2" in result.stdout
    assert "    revision: 2\n" in (project / "mkdocs.yml").read_text(encoding="utf-8")


def test_changed_cookie_list_without_new_revision_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(
        project / "mkdocs.yml",
        "          - name: _ga_*\n",
        "          - name: _gid\n            provider: Google\n            duration: 1 dag\n            purpose: Telt.\n          - name: _ga_*\n",
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "The cookie list in extra.cookie_consent changed since policy version 1.0" in result.output


def test_editing_the_archived_text_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "docs" / "versies" / "1.0" / "index.md", "één maand", "twee weken")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "archived text versies/1.0/index.md of version 1.0 was edited after publication" in result.output


def test_an_unrecorded_file_in_the_archive_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "versies" / "0.9").mkdir()
    (project / "docs" / "versies" / "0.9" / "index.md").write_text("# Oud\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "versies/0.9/index.md is in the archive but not in versies/versions.yml" in result.output


REFUSALS = {
    "existing version": (["1.0", "--date", "2026-12-01", "--summary", "x"], "version 1.0 was already published"),
    "not greater": (["0.9", "--date", "2026-12-01", "--summary", "x"], "version 0.9 is not greater than the current version 1.0"),
    "malformed version": (["1.1.1", "--date", "2026-12-01", "--summary", "x"], "version '1.1.1': expected two numbers like 1.1"),
    "date before current": (["1.1", "--date", "2026-01-31", "--summary", "x"], "--date 2026-01-31 is before the current version's date 2026-02-01"),
    "malformed date": (["1.1", "--date", "1 december", "--summary", "x"], "--date '1 december': expected a date like 2026-12-01"),
    "empty summary": (["1.1", "--date", "2026-12-01", "--summary", " "], "--summary is empty"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_refusals_change_no_file(tmp_path, args, message):
    project = copy_project(tmp_path / "project")
    edit(project / "docs" / "index.md", OLD, NEW)
    before = snapshot(project)
    result = new_version(project, *args)
    assert result.returncode == 2
    assert "new-version: refused, nothing changed" in result.stderr and message in result.stderr
    assert snapshot(project) == before


def test_refuses_a_draft_identical_to_the_current_version(tmp_path):
    project = copy_project(tmp_path / "project")
    before = snapshot(project)
    result = new_version(project, "1.1", "--date", "2026-12-01", "--summary", "x")
    assert result.returncode == 2
    assert "docs/index.md has the same text as version 1.0" in result.stderr
    assert snapshot(project) == before


def test_refuses_a_draft_that_does_not_build(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "docs" / "index.md", OLD, NEW + " Zie [ons formulier](formulier.md).")
    before = snapshot(project)
    result = new_version(project, "1.1", "--date", "2026-12-01", "--summary", "x")
    assert result.returncode == 2
    assert "the draft does not pass a strict build" in result.stderr
    assert "formulier.md" in result.stderr
    assert snapshot(project) == before


def test_a_translation_prepared_for_the_new_version_is_frozen_with_it(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "docs" / "index.md", OLD, NEW)
    edit(project / "docs" / "index.en.md", "within one month at the latest", "within two weeks at the latest")
    edit(project / "docs" / "index.en.md", 'translation_of: "1.0"', 'translation_of: "1.1"')
    result = new_version(
        project, "1.1", "--date", "2026-12-01", "--summary", "Sneller.", "--summary-en", "Faster."
    )
    assert result.returncode == 0, result.stderr
    assert "froze the en translation, already updated for 1.1" in result.stdout
    frozen = (project / "docs" / "versies" / "1.1" / "index.en.md").read_text(encoding="utf-8")
    assert "within two weeks at the latest" in frozen and 'archived_version: "1.1"' in frozen
    assert not (project / "docs" / "versies" / "1.1" / "index.de.md").exists()
    manifest = (project / "docs" / "versies" / "versions.yml").read_text(encoding="utf-8")
    assert "versies/1.1/index.en.md:" in manifest and "en: Faster." in manifest
    assert "stale: index.de.md" in result.stdout and "stale: index.en.md" not in result.stdout
