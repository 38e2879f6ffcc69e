"""Policy versions and their life cycle, each in a temporary copy of the project: a version
published for today or announced for later, drafts, lagging translations, corrected and
late-finished translations, the archive, history, redline, feeds and versions.json. Every refusal
leaves the tree byte-identical. Versions, dates and the revision are read from the manifest and
mkdocs.yml, never written into a test, so the suite stays green after an editor publishes."""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import (
    ADDED,
    DEADLINE,
    ROOT,
    SECTION_8,
    SECTION_9,
    add_sentence,
    build,
    build_day,
    change_paragraph,
    consent_revision,
    copy_project,
    edit,
    next_version,
    policy_timeline,
    run_command,
    soup,
    wait_until_answering,
)
from conftest import text_of as text
from privacy_kit.policy.model import body_of, frozen_copy, sha256_of, today
from privacy_kit.project import Project

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITE_URL = "https://privacy.example.nl/"


# --- Editing the working text as an editor does ---------------------------------------------


def delete_first_list_item(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("- "))
    item = lines.pop(index)
    path.write_text("\n".join(lines), encoding="utf-8")
    return item[2:]


def new_version(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run_command("new-version", project, *args)


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()
    }


def manifest_entry(project: Path, version: str) -> dict:
    return policy_timeline(project).entry(version)


# --- A version published for today, with only the Dutch text edited ---------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    project = copy_project(root / "project")
    previous = policy_timeline(project).latest["version"]
    version = next_version(project)
    archived_before = (project / "docs" / "versies" / previous / "index.md").read_bytes()
    policy = project / "docs" / "index.md"
    add_sentence(policy, SECTION_8)
    old, new = change_paragraph(policy, SECTION_9, lambda line: "Voortaan " + line.split(" ", 1)[1])
    deleted = delete_first_list_item(policy)
    today = build_day().isoformat()
    result = new_version(project, version, "--date", today, "--summary", "Wij vertellen meer over cookies.")
    assert result.returncode == 0, result.stderr
    site = build(project, root / "site", site_url=SITE_URL)
    assert site.returncode == 0, site.output
    return {
        "project": project,
        "site": root / "site",
        "build": site,
        "output": result.stdout,
        "archived": archived_before,
        "previous": previous,
        "version": version,
        "replaced": old.split(" ", 1)[0],
        "deleted": deleted,
    }


def test_an_archived_copy_is_titled_from_its_page_else_from_the_sites_name_of_the_policy(tmp_path):
    site = Project(copy_project(tmp_path) / "mkdocs.yml")
    for language in site.languages.all:
        texts = site.texts[language]
        label = texts["versions"]["title_suffix"].format(version="9.1")
        untitled = frozen_copy("Body.\n", "9.1", texts)
        assert f'title: "{texts["not_found"]["policy"]} – {label}"' in untitled
        assert untitled.endswith("---\n\nBody.\n")
        titled = frozen_copy('---\ntitle: "Our promise"\n---\nBody.\n', "9.1", texts)
        assert f'title: "Our promise – {label}"' in titled


def test_previous_archive_is_unchanged_reachable_and_says_it_is_superseded(published):
    previous, version = published["previous"], published["version"]
    path = published["project"] / "docs" / "versies" / previous / "index.md"
    assert path.read_bytes() == published["archived"]
    page = soup(published["site"] / "versies" / previous / "index.html")
    body = text(page.select_one("article"))
    assert ADDED not in body
    assert f"Dit is de gearchiveerde tekst van versie {previous}. De geldende versie is {version}:" in body
    assert page.select_one("[data-policy-version]").get_text() == previous


def test_live_policy_shows_the_new_version_with_links_to_history_and_previous(published):
    page = soup(published["site"] / "index.html")
    meta = page.select_one(".policy-meta")
    assert meta.select_one("[data-policy-version]").get_text() == published["version"]
    assert meta.select_one("time")["datetime"] == build_day().isoformat()
    links = {a.get_text(): a["href"] for a in meta.select("a")}
    assert links == {
        "Versiegeschiedenis": "versies/",
        f"Vorige versie ({published['previous']})": f"versies/{published['previous']}/",
    }
    assert ADDED in text(page.select_one("article"))
    assert page.select(".policy-notice") == []  # in force, not a draft, nothing announced


def test_history_lists_every_version_newest_first_with_status_and_summaries(published):
    versions = [v["version"] for v in policy_timeline(published["project"]).versions]
    for prefix in ("", "en/", "de/"):
        rows = soup(published["site"] / prefix / "versies" / "index.html").select(".policy-history tbody tr")
        assert [row["data-version"] for row in rows] == versions[::-1]
        assert [row["data-status"] for row in rows][:2] == ["in_force", "superseded"]
    rows = soup(published["site"] / "versies" / "index.html").select(".policy-history tbody tr")
    assert "Wij vertellen meer over cookies." in text(rows[0]) and "(geldend)" in text(rows[0])
    assert rows[0].select("a")[-1]["href"] == f"{published['version']}/wijzigingen/"
    english = soup(published["site"] / "en" / "versies" / "index.html").select(".policy-history tbody tr")[0]
    summary = english.select("td")[2]
    assert summary.select_one('[lang="nl"]').get_text() == "Wij vertellen meer over cookies."
    assert text(summary).endswith("(in Dutch)")


def test_history_table_is_styled_like_materials_tables(published):
    table = soup(published["site"] / "versies" / "index.html").select_one(".policy-history table")
    assert not table.has_attr("class")  # Material styles `.md-typeset table:not([class])`


def test_redline_marks_the_changed_words_and_keeps_headings_and_lists(published):
    page = soup(published["site"] / "versies" / published["version"] / "wijzigingen" / "index.html")
    redline = page.select_one(".policy-redline")
    assert ADDED in [text(i) for i in redline.select("ins")]
    assert "Voortaan" in [text(i) for i in redline.select("ins")]
    assert published["replaced"] in [text(d) for d in redline.select("del")]
    deleted_item = next(d for d in redline.select("del") if text(d) == published["deleted"])
    assert deleted_item.parent.name == "li" and deleted_item.parent.parent.name == "ul"
    assert len(deleted_item.parent.parent.select("li")) > 1  # its neighbours are still in the list
    changed = [s.select_one("h2").get("id") for s in redline.select('[data-redline="changed"]')]
    assert SECTION_8 in changed and SECTION_9 in changed and len(changed) == 3
    assert all(s.select_one("p") for s in redline.select('[data-redline="changed"]'))
    unchanged = redline.select('[data-redline="unchanged"]')
    assert (
        len(unchanged) + len(changed) == len(soup(published["site"] / "index.html").select("article h2")) + 1
    )


def test_redline_is_one_dutch_page_without_hreflang_alternates(published):
    page = soup(published["site"] / "versies" / published["version"] / "wijzigingen" / "index.html")
    assert page.select('head link[rel="alternate"][hreflang]') == []
    assert page.select_one(".policy-redline")["lang"] == "nl"


def test_feeds_per_language_and_versions_json_list_every_version(published):
    versions = [v["version"] for v in policy_timeline(published["project"]).versions]
    for prefix, language in (("", "nl"), ("en/", "en"), ("de/", "de")):
        feed = ElementTree.parse(published["site"] / prefix / "feed.xml").getroot()
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        ids = [e.find("a:id", ATOM).text for e in feed.findall("a:entry", ATOM)]
        assert ids == [f"{SITE_URL}{prefix}versies/{v}/" for v in versions[::-1]]
    english = ElementTree.parse(published["site"] / "en" / "feed.xml").getroot().find("a:entry", ATOM)
    summary = english.find("a:summary", ATOM)
    assert summary.text == "Wij vertellen meer over cookies."
    assert summary.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    data = json.loads((published["site"] / "versions.json").read_text(encoding="utf-8"))
    assert data["current"] == published["version"] and data["announced"] == []
    assert [v["version"] for v in data["versions"]] == versions
    assert data["versions"][-1]["changes_url"] == f"{SITE_URL}versies/{published['version']}/wijzigingen/"
    head = soup(published["site"] / "en" / "cookies" / "index.html").select_one(
        'link[type="application/atom+xml"]'
    )
    assert head["href"] == "../feed.xml"  # en/feed.xml


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "This translation describes version {previous} of the privacy policy. The Dutch version {version} has applied since {date}."),
        ("de", "Diese Übersetzung gibt Version {previous} der Datenschutzerklärung wieder. Seit dem {date} gilt die niederländische Version {version}."),
    ],
)  # fmt: skip
def test_lagging_translation_is_published_with_a_notice_in_its_own_language(published, lang, expected):
    when = Project(ROOT / "mkdocs.yml").texts.when

    page = soup(published["site"] / lang / "index.html")
    notice = page.select_one('[data-policy-notice="lagging"]')
    date = when(build_day(), lang)
    translated = policy_timeline().shown(lang)["version"]  # what it showed before publishing
    wanted = expected.format(previous=translated, version=published["version"], date=date)
    assert text(notice).startswith(wanted)
    links = [a["href"] for a in notice.select("a")]
    assert links == ["..", f"../versies/{published['version']}/wijzigingen/"]
    assert all(a["hreflang"] == "nl" and not a.has_attr("lang") for a in notice.select("a"))
    assert page.select_one("[data-policy-version]").get_text() == translated


def test_lagging_translations_do_not_fail_the_build_and_are_logged(published):
    output = published["build"].output
    assert "Translation stale: index.en.md" in output and "published with a notice" in output
    assert not re.search(r"^(WARNING|ERROR)", output, re.M)


def test_check_translations_prints_the_translators_worklist(published):
    result = run_command("check-translations", published["project"])
    assert result.returncode == 1
    assert "stale: index.en.md" in result.stdout and "stale: index.de.md" in result.stdout
    assert re.search(r"\{\+[^+]*" + re.escape(ADDED) + r"\+\}", result.stdout)  # maybe with earlier changes
    assert f"[-{published['deleted']}-]" in result.stdout
    assert "§ 8. Cookies" in result.stdout  # section by section
    for page in ("cookies", "versies/index"):  # publishing a policy version leaves other pages current
        assert f"{page}.en.md" not in result.stdout
    for page in ("cookies", "versies"):
        assert (
            soup(published["site"] / "en" / page / "index.html").select_one("[data-translation-lagging]")
            is None
        )


def test_changed_cookie_section_raises_the_consent_revision(published):
    assert consent_revision(published["project"]) == consent_revision(ROOT) + 1
    assert f"raised consent.revision to {consent_revision(ROOT) + 1}" in published["output"]


# --- A version announced for later ------------------------------------------------------------


@pytest.fixture(scope="module")
def announced(tmp_path_factory):
    root = tmp_path_factory.mktemp("announced")
    project = copy_project(root / "project")
    in_force = policy_timeline(project).in_force["version"]
    version = next_version(project)
    add_sentence(project / "docs" / "index.md", SECTION_9)
    date = build_day() + datetime.timedelta(days=60)
    result = new_version(project, version, "--date", date.isoformat(), "--summary", "Aangekondigd.")
    assert result.returncode == 0, result.stderr
    assert "is announced" in result.stdout
    site = build(project, root / "site", site_url=SITE_URL)
    assert site.returncode == 0, site.output
    return {"project": project, "site": root / "site", "in_force": in_force, "version": version, "date": date}


def test_announced_version_leaves_the_version_in_force_on_the_live_page(announced):
    page = soup(announced["site"] / "index.html")
    assert page.select_one("[data-policy-version]").get_text() == announced["in_force"]
    assert ADDED not in text(page.select_one("article"))
    archived = soup(announced["site"] / "versies" / announced["in_force"] / "index.html")
    strip = "a.headerlink, .policy-meta, .policy-notice, .policy-archive-notice"
    for element in page.select(strip) + archived.select(strip):
        element.decompose()
    assert text(page.select_one("article")) == text(archived.select_one("article"))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Versie {version} van dit privacybeleid geldt vanaf {date}."),
        ("en", "Version {version} of this privacy policy applies from {date}."),
        ("de", "Version {version} dieser Datenschutzerklärung gilt ab dem {date}."),
    ],
)
def test_announced_version_is_announced_in_every_language(announced, lang, expected):
    when = Project(ROOT / "mkdocs.yml").texts.when

    prefix = "" if lang == "nl" else f"{lang}/"
    notice = soup(announced["site"] / prefix / "index.html").select_one('[data-policy-notice="announced"]')
    assert text(notice).startswith(
        expected.format(version=announced["version"], date=when(announced["date"], lang))
    )
    up = "" if lang == "nl" else "../"
    links = [a["href"] for a in notice.select("a")]
    assert links == [
        f"{up}versies/{announced['version']}/",
        f"{up}versies/{announced['version']}/wijzigingen/",
    ]


def test_announced_version_in_history_feed_json_and_its_archive(announced):
    rows = soup(announced["site"] / "versies" / "index.html").select(".policy-history tbody tr")
    assert (rows[0]["data-version"], rows[0]["data-status"]) == (announced["version"], "announced")
    assert rows[1]["data-status"] == "in_force"
    feed = ElementTree.parse(announced["site"] / "feed.xml").getroot()
    assert feed.find("a:entry/a:id", ATOM).text == f"{SITE_URL}versies/{announced['version']}/"
    data = json.loads((announced["site"] / "versions.json").read_text(encoding="utf-8"))
    assert data["current"] == announced["in_force"] and data["announced"] == [announced["version"]]
    archive = soup(announced["site"] / "versies" / announced["version"] / "index.html")
    assert "die geldt vanaf" in text(archive.select_one(".policy-archive-notice"))


def test_announced_version_without_cookie_changes_keeps_the_revision(announced):
    assert consent_revision(announced["project"]) == consent_revision(ROOT)


# --- Drafts -----------------------------------------------------------------------------------


def test_a_draft_fails_the_production_build_naming_the_publish_command(tmp_path):
    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "index.md", SECTION_9)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    latest = policy_timeline(project).latest["version"]
    assert f"index.md: differs from the published text of version {latest}: it is a draft" in result.output
    assert "privacy-kit new-version" in result.output


def test_serve_shows_the_draft_with_a_notice_and_its_live_redline(tmp_path):
    import urllib.request

    from privacy_kit.serving.hosting import free_port

    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "index.md", SECTION_9)
    temp = tmp_path / "tmp"  # mkdocs serve builds into a folder here, and must remove it
    temp.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"  # a file, not a pipe nobody reads while it serves
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--strict",
                "--no-livereload",
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            env={**os.environ, "TMPDIR": str(temp)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:

        def fetch(path: str) -> str:
            url = f"http://127.0.0.1:{port}{path}"
            wait_until_answering(url, server, log)
            with urllib.request.urlopen(url, timeout=DEADLINE) as response:
                return response.read().decode("utf-8")

        from bs4 import BeautifulSoup

        page = BeautifulSoup(fetch("/"), "html.parser")
        notice = page.select_one('[data-policy-notice="draft"]')
        assert text(notice).startswith("Concept, niet gepubliceerd")
        assert ADDED in text(page.select_one("article"))
        assert notice.select_one("a")["href"] == "versies/concept/wijzigingen/"
        redline = BeautifulSoup(fetch("/versies/concept/wijzigingen/"), "html.parser")
        assert [text(i) for i in redline.select(".policy-redline ins")] == [ADDED]
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C (scripts/serve maps SIGTERM to it): serve cleans up
        server.wait(timeout=DEADLINE)
    assert list(temp.iterdir()) == []


def test_an_edited_editors_comment_is_no_draft(tmp_path):
    """Comments are notes for editors, never published: rewording one is no change of the text."""
    project = copy_project(tmp_path / "project")
    for name in ("index.md", "index.en.md"):
        edit(project / "docs" / name, "<!--\n", "<!--\n  A note for the next editor.\n")
    result = build(project, tmp_path / "site", site_url=SITE_URL)
    assert result.returncode == 0, result.output
    assert "draft" not in result.output.lower()


def test_an_edited_translation_fails_the_build_naming_the_correction_command(tmp_path):
    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "index.en.md", SECTION_9, "A new English sentence.")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "index.en.md: differs from the recorded translation of version" in result.output
    assert "privacy-kit correct-translation en" in result.output


# --- Translations corrected or finished after publication -----------------------------------


def translation_current(project: Path, lang: str) -> str:
    """Make the translation translate the version in force (recording it, as a translator would
    after a new version), so a correction applies; returns that version."""
    line = policy_timeline(project)
    version = line.in_force["version"]
    if line.shown(lang)["version"] != version:
        path = project / "docs" / f"index.{lang}.md"
        text = re.sub(
            r'translation_of: "[^"]+"', f'translation_of: "{version}"', path.read_text(encoding="utf-8")
        )
        path.write_text(text, encoding="utf-8")
        assert run_command("correct-translation", project, lang, "--note", "Updated.").returncode == 0
    return version


def test_correcting_a_translation_updates_its_archive_and_keeps_every_hash(tmp_path):
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    version = translation_current(project, "en")
    name = f"versies/{version}/index.en.md"
    dutch = {p: p.read_bytes() for p in (docs / "versies").glob("*/index.md")}
    old_hash = sha256_of(docs / name)
    add_sentence(docs / "index.en.md", SECTION_9, "A corrected English sentence.")
    result = run_command("correct-translation", project, "en", "--note", "Reviewed.")
    assert result.returncode == 0, result.stderr
    assert f"recorded the corrected en translation of version {version}" in result.stdout
    entry = manifest_entry(project, version)
    assert entry["files"][name] == sha256_of(docs / name) != old_hash
    assert (
        entry["corrections"][-1]["replaces"] == old_hash and entry["corrections"][-1]["note"] == "Reviewed."
    )
    assert body_of((docs / name).read_text(encoding="utf-8")) == body_of(
        (docs / "index.en.md").read_text(encoding="utf-8")
    )
    assert {p: p.read_bytes() for p in (docs / "versies").glob("*/index.md")} == dutch  # Dutch never changes
    site = build(project, tmp_path / "site", site_url=SITE_URL)
    assert site.returncode == 0, site.output
    for page in ("en/index.html", f"en/versies/{version}/index.html"):
        assert "A corrected English sentence." in text(soup(tmp_path / "site" / page).select_one("article"))


CORRECTION_REFUSALS = {
    "unknown language": (["fr", "--note", "x"], "language 'fr': expected one of the translated languages"),
    "empty note": (["en", "--note", " "], "--note is empty"),
    "nothing changed": (["en", "--note", "x"], "is identical to the recorded translation"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "message"), CORRECTION_REFUSALS.values(), ids=CORRECTION_REFUSALS.keys())
def test_correction_refusals_change_no_file(tmp_path, args, message):
    project = copy_project(tmp_path / "project")
    translation_current(project, "en")
    before = snapshot(project)
    result = run_command("correct-translation", project, *args)
    assert result.returncode == 2
    assert "correct-translation: refused, nothing changed" in result.stderr and message in result.stderr
    assert snapshot(project) == before


def test_a_translation_finished_after_publication_is_recorded_and_no_longer_lags(tmp_path):
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    version = next_version(project)
    add_sentence(docs / "index.md", SECTION_9)
    assert new_version(project, version, "--date", build_day().isoformat(), "--summary", "x").returncode == 0
    translation = docs / "index.en.md"
    previous = re.search(r'translation_of: "([^"]+)"', translation.read_text(encoding="utf-8"))[1]
    before = snapshot(project)
    stale = run_command("correct-translation", project, "en", "--note", "x")
    assert stale.returncode == 2 and f"translates version {previous}, which no longer applies" in stale.stderr
    assert snapshot(project) == before
    edit(translation, f'translation_of: "{previous}"', f'translation_of: "{version}"')
    add_sentence(translation, SECTION_9, "An English sentence for the new version.")
    refused = build(project, tmp_path / "refused")
    assert (
        refused.returncode != 0
        and f"translates version {version} but was not recorded with it" in refused.output
    )
    result = run_command("correct-translation", project, "en", "--note", "Translated.")
    assert result.returncode == 0, result.stderr
    assert "recorded the late-finished en translation" in result.stdout
    assert manifest_entry(project, version)["corrections"][-1]["replaces"] is None
    site = build(project, tmp_path / "site", site_url=SITE_URL)
    assert site.returncode == 0, site.output
    page = soup(tmp_path / "site" / "en" / "index.html")
    assert page.select_one('[data-policy-notice="lagging"]') is None
    assert page.select_one("[data-policy-version]").get_text() == version
    row = soup(tmp_path / "site" / "en" / "versies" / "index.html").select_one(".policy-history tbody tr")
    assert row.select_one("a")["href"] == f"{version}/" and not row.select_one("a").has_attr("hreflang")


# --- The archive and the publish command --------------------------------------------------------


def test_editing_the_archived_text_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "versies" / "1.0" / "index.md", SECTION_9)
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


def refusals() -> dict[str, tuple[list[str], str]]:
    latest = policy_timeline().latest
    version, date = latest["version"], latest["date"]
    later = (max(date, today()) + datetime.timedelta(days=1)).isoformat()  # never a past date
    before = (date - datetime.timedelta(days=1)).isoformat()
    past = max(date, today() - datetime.timedelta(days=1)).isoformat()  # not before the current's
    new = next_version(ROOT)
    return {
        "existing version": ([version, "--date", later, "--summary", "x"], f"version {version} was already published"),
        "not greater": (["0.9", "--date", later, "--summary", "x"], f"version 0.9 is not greater than the current version {version}"),
        "malformed version": ([new + ".1", "--date", later, "--summary", "x"], f"version '{new}.1': expected two numbers like 1.1"),
        "date before current": ([new, "--date", before, "--summary", "x"], f"--date {before} is before the current version's date {date.isoformat()}"),
        "malformed date": ([new, "--date", "1 december", "--summary", "x"], "--date '1 december': expected a date like 2026-12-01"),
        "empty summary": ([new, "--date", later, "--summary", " "], "--summary is empty"),
    } | ({  # none when the current version takes effect today or later
        "backdated": ([new, "--date", past, "--summary", "x"], f"--date {past} is before today ({today().isoformat()}, UTC)"),
    } if date < today() else {})  # fmt: skip


@pytest.mark.parametrize(("args", "message"), refusals().values(), ids=refusals().keys())
def test_refusals_change_no_file(tmp_path, args, message):
    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "index.md", SECTION_9)
    before = snapshot(project)
    result = new_version(project, *args)
    assert result.returncode == 2
    assert "new-version: refused, nothing changed" in result.stderr and message in result.stderr
    assert snapshot(project) == before


def test_a_backdated_version_is_published_only_with_backdate(tmp_path):
    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "index.md", SECTION_9)
    latest = policy_timeline(project).latest["date"]
    if latest >= today():
        pytest.skip("the last version is dated today or later: no past date is left to backdate to")
    day = max(latest, today() - datetime.timedelta(days=3)).isoformat()
    version = next_version(project)
    result = new_version(project, version, "--date", day, "--summary", "x", "--backdate")
    assert result.returncode == 0, result.stderr
    assert manifest_entry(project, version)["date"].isoformat() == day


def test_refuses_a_draft_identical_to_the_current_version(tmp_path):
    project = copy_project(tmp_path / "project")
    before = snapshot(project)
    result = new_version(project, next_version(project), "--date", build_day().isoformat(), "--summary", "x")
    assert result.returncode == 2
    latest = policy_timeline(project).latest["version"]
    assert f"docs/index.md has the same text as version {latest}" in result.stderr
    assert snapshot(project) == before


def test_refuses_a_draft_that_does_not_build(tmp_path):
    project = copy_project(tmp_path / "project")
    add_sentence(project / "docs" / "index.md", SECTION_9, "Zie [ons formulier](formulier.md).")
    before = snapshot(project)
    result = new_version(project, next_version(project), "--date", build_day().isoformat(), "--summary", "x")
    assert result.returncode == 2
    assert "the draft does not pass a strict build" in result.stderr
    assert "formulier.md" in result.stderr
    assert snapshot(project) == before


def test_a_translation_prepared_for_the_new_version_is_frozen_with_it(tmp_path):
    project = copy_project(tmp_path / "project")
    version = next_version(project)
    add_sentence(project / "docs" / "index.md", SECTION_9)
    translation = project / "docs" / "index.en.md"
    add_sentence(translation, SECTION_9, "A sentence prepared in English.")
    translation.write_text(
        re.sub(
            r'translation_of: "[^"]+"',
            f'translation_of: "{version}"',
            translation.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    result = new_version(
        project,
        version,
        "--date",
        build_day().isoformat(),
        "--summary",
        "Sneller.",
        "--summary-en",
        "Faster.",
    )
    assert result.returncode == 0, result.stderr
    assert f"froze the en translation, already updated for {version}" in result.stdout
    frozen = (project / "docs" / "versies" / version / "index.en.md").read_text(encoding="utf-8")
    assert "A sentence prepared in English." in frozen and f'archived_version: "{version}"' in frozen
    assert f'"Privacy policy – version {version}"' in frozen
    assert not (project / "docs" / "versies" / version / "index.de.md").exists()
    entry = manifest_entry(project, version)
    assert f"versies/{version}/index.en.md" in entry["files"] and entry["summary"]["en"] == "Faster."
    assert "stale: index.de.md" in result.stdout and "stale: index.en.md" not in result.stdout
