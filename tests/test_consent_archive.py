"""What each consent was given on: docs/versies/consent.yml records, per consent revision, what
the banner and preferences said and the cookie list, with the date from which each applied. An
unrecorded change fails the build; a wording change is recorded without asking everyone again; a
new cookie needs a new revision. Tested in temporary copies of the project."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from conftest import EXAMPLE, ROOT, build, consent_revision, copy_project, edit, raise_revision, run_command
from privacy_kit import __version__
from privacy_kit.consent.archive import entry, problems, snapshot_for, snapshot_of
from privacy_kit.consent.archive import load as load_archive
from privacy_kit.project import Project

BANNER_TITLE = "  title: Cookies op deze website\n"


def record(project: Path, *args: str):
    return run_command("record-consent", project, *args)


def load(docs: Path) -> list[dict]:
    """The consent archive of the project whose docs/ folder is ``docs``."""
    site = Project(docs.parent / "mkdocs.yml")
    return load_archive(site.docs / site.options.consent.archive, "the consent archive")


def test_the_archive_records_exactly_what_the_banner_shows_now():
    site = Project(ROOT / "mkdocs.yml")
    consent = site.options.consent
    entries = load(ROOT / "docs")
    assert problems(entries, consent.revision, snapshot_of(site), "the consent archive") == []
    assert entries[-1]["revision"] == consent_revision()
    assert sorted(entries[-1]["texts"]) == ["de", "en", "nl"]
    assert [e["revision"] for e in entries] == sorted(e["revision"] for e in entries)


def test_an_unrecorded_banner_text_fails_the_build_naming_the_command(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "texts" / "nl.yml", BANNER_TITLE, "  title: Cookies op onze website\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        f"differ from what docs/versies/consent.yml recorded for revision {consent_revision()}"
        in result.output
    )
    assert "privacy-kit record-consent" in result.output


def test_a_recorded_wording_change_keeps_the_revision_and_builds(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "texts" / "nl.yml", BANNER_TITLE, "  title: Cookies op onze website\n")
    result = record(project)
    assert result.returncode == 0, result.stderr
    assert "same revision: visitors are not asked again" in result.stdout
    assert consent_revision(project) == consent_revision()
    entries = load(project / "docs")
    assert len(entries) == len(load(ROOT / "docs")) + 1
    assert entries[-1]["texts"]["nl"]["consent"]["title"] == "Cookies op onze website"
    assert entries[-2]["texts"]["nl"]["consent"]["title"] == "Cookies op deze website"  # kept
    assert build(project, tmp_path / "site").returncode == 0


def test_a_new_cookie_under_the_old_revision_is_refused_and_changes_nothing(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(
        project / "mkdocs.yml",
        "              - name: _ga_*\n",
        "              - name: _gid\n                provider: Google\n                duration: 1 dag\n                purpose: Telt.\n              - name: _ga_*\n",
    )
    built = build(project, tmp_path / "site")
    assert built.returncode != 0 and "privacy-kit record-consent" in built.output
    before = (project / "docs" / "versies" / "consent.yml").read_bytes()
    result = record(project)
    assert result.returncode == 2
    revision = consent_revision()
    assert f"raise consent.revision to {revision + 1}" in result.stderr
    assert (project / "docs" / "versies" / "consent.yml").read_bytes() == before
    raise_revision(project)  # the documented way: a new revision, recorded
    assert build(project, tmp_path / "site2").returncode == 0


def test_editing_a_recorded_snapshot_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "docs" / "versies" / "consent.yml"
    edit(path, "accept_all: Alles accepteren", "accept_all: Akkoord")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "was edited after it was recorded" in result.output


def test_a_stored_consent_record_points_to_exactly_what_that_visitor_saw():
    entries = load(ROOT / "docs")
    for e in entries:
        moment = datetime.datetime.combine(e["from"], datetime.time(12), datetime.UTC)
        record_ = {"revision": e["revision"], "timestamp": moment.isoformat().replace("+00:00", "Z")}
        found = snapshot_for(entries, record_["revision"], record_["timestamp"])
        later = [x for x in entries if x["revision"] == e["revision"] and x["from"] == e["from"]]
        assert found is later[-1]
    assert snapshot_for(entries, max(e["revision"] for e in entries) + 1, "2030-01-01T00:00:00Z") is None
    first = entries[0]
    before = datetime.datetime.combine(
        first["from"] - datetime.timedelta(days=1), datetime.time(), datetime.UTC
    )
    assert snapshot_for(entries, first["revision"], before.isoformat().replace("+00:00", "Z")) is None
    assert yaml.safe_load((ROOT / "docs" / "versies" / "consent.yml").read_text(encoding="utf-8"))


def test_record_consent_refuses_a_text_the_build_would_refuse(tmp_path):
    """A banner text written as a YAML list would be published as Python prints it, and archived
    as what visitors saw: the build refuses it, and so does record-consent, changing nothing."""
    project = copy_project(tmp_path)
    archive = project / "docs" / Project(project / "mkdocs.yml").options.consent.archive
    before = archive.read_text(encoding="utf-8")
    edit(project / "texts" / "de.yml", "  more: ", "  more: [Mehr, dazu]\n  # was: ")
    result = record(project)
    assert result.returncode == 2
    assert "refused, nothing changed: the build would refuse it: texts/de.yml: consent.more:" in result.stderr
    assert archive.read_text(encoding="utf-8") == before
    built = build(project, tmp_path / "site")
    assert built.returncode != 0 and "texts/de.yml: consent.more: expected a text" in built.output


def test_an_unrecorded_change_is_named_with_whose_it_is(tmp_path):
    """The site's own edits (a text its texts file writes, a cookie of its mkdocs.yml) are named
    as such: the file, the key or the cookie, and the category."""
    project = copy_project(tmp_path / "project")
    edit(project / "texts" / "nl.yml", BANNER_TITLE, "  title: Cookies op onze website\n")
    edit(
        project / "mkdocs.yml",
        "              - name: _ga_*\n",
        "              - name: _gid\n                provider: Google\n                duration: 1 dag\n                purpose: Telt.\n              - name: _ga_*\n",
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "  - texts/nl.yml consent.title changed (the site's own edit)" in result.output
    assert "  - mkdocs.yml: new cookie '_gid' (category analytics) (the site's own edit)" in result.output
    assert "This is the site's own edit: record them with privacy-kit record-consent" in result.output


def test_a_row_the_kit_adds_is_named_as_the_kits_with_the_version_recorded():
    """What a new version of the kit shows that the snapshot lacks (here the declaration's row for
    each embed host, as a kit before those rows recorded it) is named as the kit's, with the
    version that recorded the snapshot."""
    site = Project(EXAMPLE / "mkdocs.yml")
    current = snapshot_of(site)
    hosts = {c: v["hosts"] for c, v in current["cookies"].items() if v.get("hosts")}
    assert hosts  # the second site embeds a video
    older = copy.deepcopy(current)
    for texts in older["texts"].values():
        for key in ("request_name", "embed_request_purpose", "embed_request_duration"):
            del texts["declaration"][key]
    entries = [{**entry(1, datetime.date(2026, 12, 4), older), "kit": "0.1.0"}]
    (problem,) = problems(entries, 1, current, "docs/consent.yml", site.texts)
    for category, origins in hosts.items():
        for origin in origins:
            host = urlsplit(origin).hostname
            assert (
                f"  - declaration: new row 'Request to {host}' (category {category}) (new in this version of the kit)"
                in problem
            )
    assert "texts/" not in problem and "the kit's text" not in problem  # the row's texts are the row
    assert (
        f"comes from the kit (privacy-kit {__version__}; the snapshot was recorded with privacy-kit 0.1.0)"
        in problem
    )
    assert problem.endswith(
        "record them with privacy-kit record-consent (a wording change keeps the revision; a new cookie needs a new one)"
    )


def test_a_text_of_the_kit_that_changed_is_named_as_the_kits():
    site = Project(EXAMPLE / "mkdocs.yml")
    current = snapshot_of(site)
    older = copy.deepcopy(current)
    older["texts"]["en"]["consent"]["reject_all"] = "No thanks"
    (problem,) = problems(
        [entry(1, datetime.date(2026, 12, 4), older)], 1, current, "docs/consent.yml", site.texts
    )
    assert "consent.reject_all" not in site.texts.own_keys("en")  # the kit's text: the site writes no other
    assert "  - the kit's text consent.reject_all (en) changed (new in this version of the kit)\n" in problem
    assert "an earlier version (see CHANGELOG.md)" not in problem  # entry() records the kit's version
