"""Deploying as an operator: empty variables count as unset, a production build never ships a
placeholder, and a failed build never leaves a half-written output folder."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from conftest import DEADLINE, ROOT, build, soup, wait_for, wait_until_answering
from privacy_kit.project import Project
from privacy_kit.serving.hosting import free_port

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
    assert (
        "INFO    -  analytics.property is not set (an unset or empty !ENV variable, such as GA_PROPERTY here): building without analytics and without a cookie banner"
        in (no_analytics.output)
    )
    assert "WARNING" not in no_analytics.output


def test_without_ga_property_the_cookie_page_claims_no_analytics_and_no_control(no_analytics):
    """Its sentence about the choice is the kit's for a site that asks nothing (claims.py)."""
    for path in ("cookies/index.html", "en/cookies/index.html", "de/cookies/index.html"):
        prose = soup(no_analytics.site / path).select_one("article").get_text(" ")
        for claim in ("nalyti", "Cookie-instellingen", "Cookie settings", "Cookie-Einstellungen"):
            assert claim not in prose, (path, claim)


def test_without_ga_property_no_banner_no_google_and_no_analytics_cookies(no_analytics):
    site = no_analytics.site
    for asset in ("javascripts/analytics-google.js", "javascripts/consent.js", "stylesheets/consent.css"):
        assert not (site / "assets" / asset).exists(), asset  # nothing to ask: not published at all
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert 'id="consent-config"' not in html, path
        assert "consent.js" not in html and "consent.css" not in html, path
        assert "G-XXXXXXXXXX" not in html and "googletagmanager" not in html, path
    assert "google" not in (site / "_headers").read_text(encoding="utf-8")
    palette = Project(ROOT / "mkdocs.yml").palette_key  # stored only if the visitor uses the switch
    for lang in ("", "en/", "de/"):
        table = soup(site / lang / "cookies" / "index.html").select_one(".consent-declaration table")
        assert [tr["data-cookie"] for tr in table.select("tr[data-cookie]")] == [palette], lang


def test_a_malformed_ga_property_fails_naming_the_option_and_the_value(tmp_path):
    """GA_PROPERTY fills the plugin's analytics.property (mkdocs.yml: !ENV GA_PROPERTY)."""
    result = build(ROOT, tmp_path / "site", site_url=SITE_URL, ga_property="UA-1234-1")
    assert result.returncode != 0
    assert (
        "Plugin 'privacy-kit' option 'analytics': Sub-option 'property': expected a Google Analytics 4 "
        "measurement ID like G-ABC123XYZ (from an environment variable: !ENV NAME), got 'UA-1234-1'"
    ) in result.output
    assert "Traceback" not in result.output


def test_a_build_without_site_url_points_to_a_local_address_not_a_placeholder(tmp_path):
    result = build(ROOT, tmp_path / "site", site_url="")  # mkdocs build, as scripts/new-version runs it
    assert result.returncode == 0, result.output
    assert "SITE_URL is not set: absolute URLs point to http://127.0.0.1:8000/" in result.output
    robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    assert "example" not in robots


def test_a_failed_first_build_says_nothing_was_written(tmp_path):
    failed = run_build(tmp_path / "site", SITE_URL=SITE_URL, GA_PROPERTY="not-a-property")
    assert failed.returncode != 0
    assert "nothing was written (" in failed.stderr and "left as it was" not in failed.stderr
    assert list(tmp_path.iterdir()) == []


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
    assert "Expires: 2026-06-30T00:00:00Z" in security  # SOURCE_DATE_EPOCH 2026-01-01 + 180 days


# --- scripts/preview and scripts/serve -------------------------------------------------------


def fetch(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=DEADLINE) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def start(script: str, port: int, tmp: Path, ga_property: str | None = "G-ABC123XYZ") -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GA_PROPERTY")}
    if ga_property is not None:
        env["GA_PROPERTY"] = ga_property
    return subprocess.Popen(
        ["bash", str(ROOT / "scripts" / script), "--port", str(port)],
        env={**env, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=DEADLINE)
    return output


def test_preview_serves_what_the_hosts_would_and_leaves_nothing_behind(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    site_before = (ROOT / "site").exists() and (ROOT / "site").stat().st_mtime_ns
    port = free_port()
    process = start("preview", port, temp)
    try:
        base = f"http://127.0.0.1:{port}"

        def listening() -> bool:  # the port is taken at once; answers wait for the build
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
            return False

        wait_for(listening, f"scripts/preview to listen on port {port}")
        status, headers, body = fetch(base + "/")  # asked while the build may still run
        assert status == 200 and b'<html lang="nl"' in body  # the real page, never a listing
        assert f'<link rel="canonical" href="{base}/">'.encode() in body
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert headers["X-Frame-Options"] == "DENY"
        for name in ("_headers", "_nginx.conf"):
            assert fetch(f"{base}/{name}")[0] == 404
        status, _, body = fetch(base + "/en/bestaat-niet/")
        assert status == 404 and b'<html lang="en"' in body
        status, headers, _ = fetch(base + "/feed.xml")
        assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert [p.name for p in temp.iterdir()][0].startswith("privacy-kit-preview-")
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert list(temp.iterdir()) == []  # the temporary build is gone
    assert ((ROOT / "site").exists() and (ROOT / "site").stat().st_mtime_ns) == site_before


def test_serve_works_without_variables_and_sigterm_removes_its_temporary_folder(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = start("serve", port, temp)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/", process)
        assert fetch(f"http://127.0.0.1:{port}/en/")[0] == 200
        assert [p.name for p in temp.iterdir()][0].startswith("mkdocs_")
    finally:
        output = stop(process)
    assert "Shutting down" in output
    assert list(temp.iterdir()) == []
