"""Upgrading: a site recorded and built with the kit's previous release builds with this one by
following the changelog's steps, strictly.

``tests/fixtures/site-0.1.0/`` was written by the kit of release 0.1.0 (commit bf53b22) and left as
that kit wrote it: ``privacy-kit init site-0.1.0 --name "Corner Bakery" --languages en,nl
--analytics matomo --matomo-url https://stats.corner.example/ --matomo-site-id 3 --embeds`` (which
records the consent archive, as ``privacy-kit record-consent`` does), in a git worktree of that
commit."""

from __future__ import annotations

import re
import shutil

import yaml

from conftest import ROOT, build, run_command
from privacy_kit import __version__

FIXTURE = ROOT / "tests" / "fixtures" / "site-0.1.0"
CHANGELOG = ROOT / "CHANGELOG.md"


def upgrade_steps() -> tuple[str, list[str]]:
    """The changelog's "Upgrading from 0.1.0" section of this version, and the commands it says to run."""
    text = CHANGELOG.read_text(encoding="utf-8")
    version = text[text.index(f"## [{__version__}]") :]
    version = version[: version.index("\n## [", 1)]
    section = version[version.index("### Upgrading from 0.1.0") :]
    section = section[: section.index("\n### ", 1)]
    return section, re.findall(r"\brun\s+`(privacy-kit [a-z-]+)`", section)


def test_the_fixture_was_recorded_by_the_previous_release():
    archive = yaml.safe_load((FIXTURE / "docs" / "consent.yml").read_text(encoding="utf-8"))
    assert archive and all("kit" not in snapshot for snapshot in archive)  # 0.1.0 recorded no version


def test_a_site_of_the_previous_release_builds_strictly_after_the_changelogs_steps(tmp_path):
    section, commands = upgrade_steps()
    assert commands == ["privacy-kit record-consent"], section
    site = shutil.copytree(FIXTURE, tmp_path / "site")
    first = build(site, tmp_path / "first")
    if first.returncode != 0:
        # The owner changed nothing: what stops the build must be the kit's, and say so.
        assert "Consent archive:" in first.output, first.output
        assert "(the site's own edit)" not in first.output, first.output
        assert "comes from the kit" in first.output and "privacy-kit record-consent" in first.output
        for command in commands:
            result = run_command(command.removeprefix("privacy-kit "), site)
            assert result.returncode == 0, result.stdout + result.stderr
    built = build(site, tmp_path / "built")
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output
    assert (tmp_path / "built" / "video" / "index.html").is_file()
