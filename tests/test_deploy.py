"""Deploying as an operator: empty variables count as unset, a production build never ships a
placeholder, and a failed build never leaves a half-written output folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, build, soup

SITE_URL = "https://privacy.example.nl/"


def run_build(out: Path, **env: str) -> subprocess.CompletedProcess:
    """scripts/build as an operator runs it, with exactly the given variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GA_PROPERTY", "SOURCE_DATE_EPOCH")}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "build"), str(out)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("value", [None, ""])
def test_build_without_site_url_refuses_naming_it_and_writes_nothing(tmp_path, value):
    env = {} if value is None else {"SITE_URL": value}
    result = run_build(tmp_path / "site", **env)
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def no_analytics(tmp_path_factory):
    """GA_PROPERTY set but empty, as GitHub Actions passes an unset repository variable."""
    result = build(ROOT, tmp_path_factory.mktemp("no-ga") / "site", site_url=SITE_URL, ga_property="")
    assert result.returncode == 0, result.output
    return result


def test_empty_ga_property_builds_without_analytics_and_says_so(no_analytics):
    assert "INFO    -  GA_PROPERTY is not set: building without analytics and without a cookie banner" in (
        no_analytics.output
    )
    assert "WARNING" not in no_analytics.output


def test_without_ga_property_no_banner_no_google_and_no_analytics_cookies(no_analytics):
    site = no_analytics.site
    assert not (site / "assets" / "javascripts" / "analytics-google.js").exists()
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert 'id="consent-config"' not in html, path
        assert "consent.js" not in html, path
        assert "G-XXXXXXXXXX" not in html and "googletagmanager" not in html, path
    assert "google" not in (site / "_headers").read_text(encoding="utf-8")
    for lang in ("", "en/", "de/"):
        table = soup(site / lang / "cookies" / "index.html").select_one("table.consent-declaration")
        assert table is not None and table.select("tr[data-cookie]") == [], lang


def test_a_malformed_ga_property_fails_naming_the_variable_and_the_value(tmp_path):
    result = build(ROOT, tmp_path / "site", site_url=SITE_URL, ga_property="UA-1234-1")
    assert result.returncode != 0
    assert "GA_PROPERTY" in result.output and "'UA-1234-1'" in result.output
    assert "Traceback" not in result.output


def test_a_build_without_site_url_points_to_a_local_address_not_a_placeholder(tmp_path):
    result = build(ROOT, tmp_path / "site", site_url="")  # mkdocs build, as scripts/new-version runs it
    assert result.returncode == 0, result.output
    assert "SITE_URL is not set: absolute URLs point to http://127.0.0.1:8000/" in result.output
    robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    assert "example" not in robots


def test_scripts_build_replaces_the_output_only_when_the_build_succeeds(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "previous.html").write_text("the deployed site", encoding="utf-8")

    failed = run_build(out, SITE_URL=SITE_URL, GA_PROPERTY="not-a-property")
    assert failed.returncode != 0
    assert "site was left as it was" in failed.stderr
    assert [p.name for p in out.iterdir()] == ["previous.html"]
    assert leftovers(tmp_path) == []

    done = run_build(out, SITE_URL=SITE_URL, SOURCE_DATE_EPOCH="1767225600")
    assert done.returncode == 0, done.stderr
    assert not (out / "previous.html").exists()
    assert (out / "index.html").is_file() and (out / "en" / "404.html").is_file()
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert leftovers(tmp_path) == []
    security = (out / ".well-known" / "security.txt").read_text(encoding="utf-8")
    assert "Expires: 2027-01-01T00:00:00Z" in security  # SOURCE_DATE_EPOCH 2026-01-01 + 1 year
