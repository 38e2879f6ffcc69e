"""privacy-kit audit (scripts/audit): the cookie scan and compliance report. The rules are tested on recorded data;
the audit itself runs in Chromium (as a subprocess, the way operators run it) against a preview
of this site, a stock Material site, and builds with deliberate faults, with Google stubbed."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE, ROOT, copy_project, edit, in_the_shell
from privacy_kit.audit import AuditError, discovery, rules
from privacy_kit.audit import cli as audit_cli
from privacy_kit.audit import declaration as audit_declaration
from privacy_kit.origins import origin_of
from privacy_kit.project import Project
from privacy_kit.serving.building import build
from privacy_kit.serving.hosting import serve
from privacy_kit.tools.bench import make_baseline

TEST_PROPERTY = audit_cli.TEST_PROPERTY

MATERIAL = [  # stock Material's consent banner: accept and "manage" (it has no reject by default)
    "--accept",
    "form[name=consent] button.md-button--primary",
    "--preferences",
    "form[name=consent] label[for=__settings]",
]


def run_audit(*args: str, whole_browser: bool = False) -> subprocess.CompletedProcess:
    """``privacy-kit audit`` as operators run it: in the whole Chromium with ``whole_browser``,
    else in its headless shell (the same engine: for the audit's rules and flows)."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("privacy-kit")), "audit", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=None if whole_browser else in_the_shell(),
    )


def report_of(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def failures(report: dict) -> dict[str, set[str]]:
    """code -> subjects of every failure."""
    found: dict[str, set[str]] = {}
    for f in report["verdict"]["failures"]:
        found.setdefault(f["code"], set()).add(f["subject"])
    return found


CLINIC = Project(ROOT / "mkdocs.yml")


# --- the rules, on recorded data ----------------------------------------------------------------


def test_the_declaration_is_read_from_mkdocs_yml_with_the_consent_record():
    declaration = audit_declaration.load_declaration(ROOT / "mkdocs.yml")
    consent = CLINIC.options.consent
    listed = [c.name for category in consent.categories.values() for c in category.cookies]
    assert [d.name for d in declaration.cookies if d.storage == "cookie"] == listed
    assert declaration.revision == consent.revision
    record = [d for d in declaration.cookies if d.storage == "localStorage"]
    assert {(d.name, d.category, d.on_request) for d in record} == {
        (CLINIC.palette_key, "necessary", True),  # only once the visitor uses the switch
        (consent.storage_key, "necessary", False),
    }


def test_the_declaration_does_not_depend_on_the_measurement_id(monkeypatch):
    monkeypatch.setenv("GA_PROPERTY", "")  # as GitHub Actions passes an unset variable
    declaration = audit_declaration.load_declaration(ROOT / "mkdocs.yml")
    assert declaration.cookies and declaration.covers("https://www.googletagmanager.com/gtag/js?id=G-X")


def test_a_trailing_star_is_a_prefix_and_the_kind_of_storage_counts():
    ga = audit_declaration.Declared("_ga_*", "cookie", "analytics", "Google")
    assert ga.matches("_ga_TEST123456", "cookie")
    assert not ga.matches("_ga", "cookie") and not ga.matches("_gax", "cookie")
    assert not ga.matches("_ga_X", "localStorage")
    exact = audit_declaration.Declared("_ga", "cookie", "analytics", "Google")
    assert exact.matches("_ga", "cookie") and not exact.matches("_ga2", "cookie")


def test_a_bad_declaration_is_refused_quoting_the_file(tmp_path):
    bad = tmp_path / "mkdocs.yml"
    bad.write_text(
        "site_name: x\nplugins:\n  - privacy-kit:\n      consent:\n        revision: one\n"
        "        categories: {necessary: {}}\n",
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    with pytest.raises(AuditError, match=r"mkdocs\.yml.*revision.*'one'"):
        audit_declaration.load_declaration(bad)


def test_sitemaps_give_every_page_and_language_on_the_audited_origin():
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://prod.example/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert discovery.parse_sitemap(index) == ([], ["https://prod.example/sitemap-1.xml"])
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:xhtml="http://www.w3.org/1999/xhtml"><url><loc>https://prod.example/</loc>
      <xhtml:link rel="alternate" hreflang="en" href="https://prod.example/en/"/></url></urlset>"""
    pages, _ = discovery.parse_sitemap(urlset)
    assert pages == ["https://prod.example/", "https://prod.example/en/"]
    # A deploy preview's sitemaps name the production address: the preview is what is audited.
    assert (
        discovery.rebase("https://prod.example/en/", "https://preview.example/")
        == "https://preview.example/en/"
    )
    with pytest.raises(AuditError, match="not valid XML"):
        discovery.parse_sitemap(b"<html>")


def test_another_origin_is_third_party_unless_allowed_and_analytics_hosts_are_known():
    site = "https://privacy.example.nl"
    assert not rules.is_third_party("https://privacy.example.nl/cookies/", site)
    assert rules.is_third_party("https://example.nl/", site)  # same site, other origin
    assert rules.is_third_party("http://privacy.example.nl/", site)
    allowed = (origin_of("https://cdn.example.nl/"),)
    assert not rules.is_third_party("https://cdn.example.nl/a.js", site, allowed)
    assert rules.is_third_party("https://cdn.example.nl.evil.test/a.js", site, allowed)
    assert rules.is_analytics("https://region1.google-analytics.com/g/collect")
    assert not rules.is_analytics("https://notgoogle-analytics.com/")
    assert rules.is_analytics("https://stats.example.org/x", ("stats.example.org",))


def recorded(**phases) -> dict:
    empty = {"cookies": [], "localStorage": [], "sessionStorage": [], "third_party": [], "analytics": []}
    base = {p: {**empty, "tested": True} for p in rules.PHASES}
    for name, data in phases.items():
        base[name] = {**base[name], **data}
    return {"path": "/", "phases": base}


def cookie(name: str) -> dict:
    return {"name": name, "domain": "127.0.0.1", "path": "/", "expires": None, "third_party": False}


def codes(page: dict, project: Path = ROOT) -> set[tuple[str, str]]:
    declaration = audit_declaration.load_declaration(project / "mkdocs.yml")
    return {
        (f["code"], f["subject"]) for f in rules.judge_page(page, declaration, True) if f["level"] == "fail"
    }


def test_judging_a_clean_page_finds_nothing():
    page = recorded(
        reject={"localStorage": ["maestro-consent"]},
        accept={"cookies": [cookie("_ga"), cookie("_ga_ABC")], "localStorage": ["maestro-consent"],
                "analytics": ["https://www.googletagmanager.com/gtag/js?id=G-ABC"]},
    )  # fmt: skip
    assert codes(page) == set()


def test_judging_names_each_broken_promise():
    page = recorded(
        before={"third_party": ["https://fonts.googleapis.com/css?family=Roboto"], "cookies": [cookie("_ga")]},
        reject={"analytics": ["https://www.googletagmanager.com/gtag/js?id=G-ABC"],
                "third_party": ["https://www.googletagmanager.com/gtag/js?id=G-ABC"]},
        accept={"cookies": [cookie("undeclared_x")], "sessionStorage": ["tracker"]},
        withdraw={"cookies": [cookie("_ga_ABC")], "csp": [{"blocked": "https://cdn.example-host.test/b.js", "directive": "script-src-elem"}]},
        gpc={"analytics": ["https://region1.google-analytics.com/g/collect"]},
    )  # fmt: skip
    assert codes(page) >= {
        ("third-party-before", "fonts.googleapis.com"),
        ("stored-before", "_ga"),
        ("third-party-reject", "www.googletagmanager.com"),
        ("undeclared", "undeclared_x"),
        ("undeclared", "tracker"),
        ("remains-after-withdraw", "_ga_ABC"),
        ("csp-violation", "cdn.example-host.test"),
        ("analytics-gpc", "region1.google-analytics.com"),
    }


def test_requests_after_accept_are_judged_by_the_declared_services_and_none_may_follow_withdrawal():
    """The example site declares its Matomo and the origin of its videos; nothing else."""
    page = recorded(
        accept={"third_party": ["https://stats.harbour-yoga.example/matomo.js", "https://player.vimeo.com/video/1",
                                "https://cdn.tracker.test/t.js"],
                "analytics": ["https://stats.harbour-yoga.example/matomo.js"]},
        withdraw={"third_party": ["https://player.vimeo.com/video/1"]},
    )  # fmt: skip
    assert codes(page, EXAMPLE) == {
        ("undeclared-host", "cdn.tracker.test"),
        ("third-party-withdraw", "player.vimeo.com"),
    }
    declaration = audit_declaration.load_declaration(EXAMPLE / "mkdocs.yml")
    assert declaration.analytics_hosts == ("stats.harbour-yoga.example",)
    assert not declaration.covers("https://player.vimeo.com.evil.test/")


def test_a_missing_control_fails_where_a_banner_is_promised_or_only_accepting_is_offered():
    def levels(phases, promised):
        return {(f["code"], f["level"]) for f in rules.missing_controls(phases, promised)}

    none = {"reject": {"tested": False, "control": "R"}, "accept": {"tested": False, "control": "A"}}
    assert levels(none, promised=False) == {("no-reject-control", "warn"), ("no-accept-control", "warn")}
    assert levels(none, promised=True) == {("no-reject-control", "fail"), ("no-accept-control", "fail")}
    accept_only = {"reject": {"tested": False, "control": "R"}, "accept": {"tested": True},
                   "withdraw": {"tested": False, "control": "W", "steps": []}}  # fmt: skip
    assert levels(accept_only, promised=False) == {
        ("no-reject-control", "fail"),
        ("no-withdraw-control", "fail"),
    }


def test_a_page_that_answers_with_an_error_is_a_warning():
    declaration = audit_declaration.load_declaration(ROOT / "mkdocs.yml")
    page = recorded(
        before={"status": 404}, accept={"analytics": ["https://www.googletagmanager.com/gtag/js"]}
    )
    found = rules.judge_page(page, declaration, True)
    assert [(f["level"], f["code"]) for f in found] == [("warn", "page-status")]


def test_bad_arguments_are_refused_quoting_the_value():
    for args, quoted in (
        (["ftp://example.nl/"], "'ftp://example.nl/'"),
        (["--max-pages", "0"], "--max-pages 0"),
    ):
        result = run_audit(*args)
        assert result.returncode == 2 and quoted in result.stderr and "expected" in result.stderr


def test_an_unreachable_site_is_an_error_not_a_verdict(tmp_path):
    result = run_audit("http://127.0.0.1:9/", "--out", str(tmp_path))
    assert (
        result.returncode == 2
        and "'http://127.0.0.1:9/" in result.stderr
        and "not reachable" in result.stderr
    )
    assert not (tmp_path / "report.json").exists()


# --- the audit in Chromium ----------------------------------------------------------------------


@pytest.mark.browser
def test_this_site_passes_on_every_page_and_language_with_a_report_to_file(tmp_path, site):
    out = tmp_path / "report"
    result = run_audit("--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    report = report_of(out)
    assert report["verdict"]["passed"] and report["verdict"]["failures"] == []

    # Every page of the sitemap, in every language (the session build has the same pages).
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(site / "sitemap.xml")
    expected = {re.sub(r"^https?://[^/]+", "", loc.text) for loc in tree.iterfind(".//s:loc", ns)}
    assert {p["path"] for p in report["pages"]} == expected
    languages = set(CLINIC.languages.all)
    assert {p["lang"] for p in report["pages"]} == languages
    assert re.search(rf"\[{len(expected)}/{len(expected)}\] ", result.stderr)  # progress on stderr

    for page in report["pages"]:
        phases = page["phases"]
        assert phases["before"]["status"] == 200 and phases["before"]["banner"], page["path"]
        assert phases["before"]["third_party"] == []
        assert phases["before"]["cookies"] == [] and phases["before"]["localStorage"] == []
        assert phases["reject"]["tested"] and phases["reject"]["analytics"] == []
        assert phases["reject"]["localStorage"] == [CLINIC.options.consent.storage_key]
        assert phases["reject"]["cookies"] == []
        accept = phases["accept"]
        assert {c["name"] for c in accept["cookies"]} == {"_ga", f"_ga_{TEST_PROPERTY[2:]}"}
        assert accept["analytics"] and accept["analytics_ms"] is not None
        assert phases["withdraw"]["tested"] and phases["withdraw"]["cookies"] == []
        assert phases["withdraw"]["analytics"] == []
        assert phases["gpc"]["analytics"] == [] and not phases["gpc"]["banner"]
    assert all(row["seen"] or row["on_request"] for row in report["verdict"]["declaration"])
    assert report["verdict"]["warnings"] == []  # the colour scheme is stored only on request
    assert all(check["tested"] and check["preticked"] == [] for check in report["preferences"].values())

    # What the site declares, read from the sources of truth, not typed here.
    versions = yaml.safe_load((ROOT / "docs" / "versies" / "versions.yml").read_text(encoding="utf-8"))
    assert report["site"]["policy_version"] == versions[-1]["version"]
    assert report["site"]["consent_revision"] == CLINIC.options.consent.revision
    if (ROOT / ".git").exists():  # the commit the declaration was read at, for the file
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
        )
        assert report["declaration"]["commit"].rstrip("+") == head.stdout.strip()

    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Oordeel: Geslaagd" in html
    assert html.index("Oordeel: Geslaagd") < html.index("Per taal en per pagina")  # verdict on top
    assert len(re.findall(r"src='data:image/jpeg;base64,", html)) == 4 * len(
        languages
    )  # banner+prefs, 2 devices
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # self-contained


@pytest.mark.browser
def test_the_second_site_passes_with_matomo_and_its_video_host_judged_by_its_declaration(tmp_path):
    """privacy-kit audit of the example site's preview: its own Matomo and Vimeo are answered by
    stand-ins; the requests to them after accept are declared, none before a choice or after
    a refusal or withdrawal, and Matomo's cookies are what the declaration lists."""
    out = tmp_path / "report"
    result = run_audit("--declaration", str(EXAMPLE / "mkdocs.yml"), "--out", str(out), "--no-screenshots")
    assert result.returncode == 0, result.stdout + result.stderr
    report = report_of(out)
    assert result.stdout.startswith("PASSED: ") and report["language"] == "en"  # the site's language
    assert '<html lang="en">' in (out / "report.html").read_text(encoding="utf-8")
    assert report["verdict"]["passed"] and report["verdict"]["failures"] == []
    declaration = audit_declaration.load_declaration(EXAMPLE / "mkdocs.yml")
    seen_hosts = set()
    for page in report["pages"]:
        phases = page["phases"]
        for phase in ("before", "reject", "withdraw", "gpc"):
            assert phases[phase]["third_party"] == [], (page["path"], phase)
        accept = phases["accept"]
        assert accept["analytics"] and all(declaration.covers(url) for url in accept["third_party"])
        assert {c["name"].split(".")[0] for c in accept["cookies"]} == {"_pk_id", "_pk_ses"}
        assert phases["withdraw"]["cookies"] == []
        seen_hosts |= set(accept["hosts"])
    assert seen_hosts == {"stats.harbour-yoga.example", "player.vimeo.com"}  # the video, on its page
    assert all(row["seen"] for row in report["verdict"]["declaration"])


@pytest.mark.browser
def test_stock_material_fails_for_google_fonts_before_any_choice(tmp_path):
    project = make_baseline(CLINIC, tmp_path / "baseline")
    with serve(tmp_path / "site") as url:
        built = build(project, tmp_path / "site", site_url=url + "/", ga_property=TEST_PROPERTY)
        assert built.returncode == 0, built.output
        out = tmp_path / "report"
        result = run_audit(  # in the whole browser, as operators run it (the default)
            url + "/",
            "--offline",
            "--out",
            str(out),
            "--max-pages",
            "1",
            "--no-screenshots",
            *MATERIAL,
            whole_browser=True,
        )
    assert result.returncode == 1, result.stdout + result.stderr
    found = failures(report_of(out))
    assert "fonts.googleapis.com" in found["third-party-before"]
    assert "Verzoek naar fonts.googleapis.com vóór een keuze" in result.stdout
    assert "Google Analytics" in found["preticked"]  # its analytics box is ticked in advance
    assert "no-reject-control" in found  # and it has no reject button on the first layer
    html = (out / "report.html").read_text(encoding="utf-8")
    box = html[html.index('id="verdict"') : html.index("</section>")]
    assert "Oordeel: Niet geslaagd" in box and "Verzoek naar fonts.googleapis.com vóór een keuze" in box


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """make(name, change, after): build a copy of the project with ``change(project)`` applied and
    ``after(site)`` run on the output, serve it; returns its URL."""
    with contextlib.ExitStack() as stack:

        def make(name, change=None, after=None):
            root = tmp_path_factory.mktemp(name)
            project = copy_project(root / "project")
            if change:
                change(project)
            url = stack.enter_context(serve(root / "site"))
            built = build(project, root / "site", site_url=url + "/", ga_property=TEST_PROPERTY)
            assert built.returncode == 0, built.output
            if after:
                after(root / "site")
            return url

        yield make


@pytest.mark.browser
def test_an_undeclared_cookie_set_after_consent_fails_the_audit(faulty, tmp_path):
    def gated_cookie(project):
        edit(
            project / "docs" / "cookies.md",
            "<!-- cookie-declaration -->",
            "<!-- cookie-declaration -->\n\n"
            '<script type="text/plain" data-consent-category="analytics">'
            'document.cookie = "undeclared_x=1; path=/; max-age=3600";</script>',
        )

    url = faulty("undeclared", change=gated_cookie)
    result = run_audit(
        url + "/", "--offline", "--out", str(tmp_path), "--path", "/cookies/", "--no-screenshots"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    found = failures(report_of(tmp_path))
    assert found.get("undeclared") == {"undeclared_x"}
    assert found.get("remains-after-withdraw") == {"undeclared_x"}  # _ga and _ga_* were deleted
    assert "„undeclared_x”" in result.stdout and "niet in de verklaring" in result.stdout
    assert "third-party-before" not in found  # a gated cookie: nothing before the choice


@pytest.mark.browser
def test_a_script_injected_by_the_host_into_every_page_fails_the_audit(faulty, tmp_path):
    beacon = '<script src="https://cdn.example-host.test/beacon.js"></script>'

    def inject(site):
        for page in site.rglob("*.html"):
            edit(page, "</body>", beacon + "</body>")

    url = faulty("injected", after=inject)
    result = run_audit(url + "/", "--offline", "--out", str(tmp_path), "--max-pages", "2", "--no-screenshots")
    assert result.returncode == 1, result.stdout + result.stderr
    report = report_of(tmp_path)
    named = {f["code"]: f for f in report["verdict"]["failures"] if f["subject"] == "cdn.example-host.test"}
    # The site's CSP stops it, so it is never sent: a violation of the page's own policy, on every page.
    assert set(named) == {"csp-violation"} and len(named["csp-violation"]["pages"]) == 2
    assert "CSP-schending vóór een keuze: https://cdn.example-host.test/beacon.js" in result.stdout


@pytest.mark.browser
def test_the_request_check_names_each_failed_other_origin_and_csp_request_of_each_page(tmp_path):
    from privacy_kit.audit.before_choice import pages_broken, requests_before_choice

    site = tmp_path / "site"
    with serve(site) as url:
        (site / "logo.png").write_bytes(b"\x89PNG")
        # An address written out for SITE_URL: its own origin there, another at a deploy preview.
        (site / "index.html").write_text(f'<!doctype html><title>x</title><img src="{url}/logo.png">')
        (site / "broken").mkdir()
        (site / "broken" / "index.html").write_text(
            '<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src \'none\'">'
            '<title>x</title><img src="/missing.png"><img src="https://tracker.example/p.gif"><script>1</script>'
        )
        other = url.replace("127.0.0.1", "preview.localhost")  # Chromium's own name for this machine
        found = requests_before_choice(url, other, ["/", "/broken/"])
    home, broken = found["pages"]["/"], found["pages"]["/broken/"]
    assert home["site_url"] == {"requests": 2, "failed": [], "other_origin": [], "csp": []}
    assert home["other"]["other_origin"] == [f"{url}/logo.png"]
    for run, origin in ((broken["site_url"], url), (broken["other"], other)):
        assert run["requests"] == 3
        assert sorted(entry.split()[0] for entry in run["failed"]) == ["404", "net::ERR_FAILED"]
        assert {entry.split()[1] for entry in run["failed"]} == {
            f"{origin}/missing.png",
            "https://tracker.example/p.gif",
        }
        assert run["other_origin"] == ["https://tracker.example/p.gif"]
        assert run["csp"] == ["inline"]
    lines = pages_broken(found)  # the clean page at SITE_URL adds none; at the preview its logo is aborted
    assert not [line for line in lines if line.startswith("/ at SITE_URL")]
    assert len(lines) == 2 + 2 * (2 + 1 + 1)


def test_without_playwright_the_audit_says_how_to_install_it():
    """The kit installed without its [audit] extra: the audit names the install command."""
    code = (
        "import sys; sys.modules['playwright'] = None; sys.modules['playwright.async_api'] = None\n"
        "from privacy_kit.cli import main; sys.exit(main(['audit', '--out', sys.argv[1]]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "/nonexistent/report"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2, result.stderr
    assert 'pip install "mkdocs-privacy-kit[audit]"' in result.stderr and "Traceback" not in result.stderr


def test_without_a_browser_the_audit_says_how_to_install_one(tmp_path):
    """No Chromium on PATH (and none of Playwright's own): the audit says so, with the commands."""
    env = {k: v for k, v in os.environ.items() if k != "CHROMIUM"}
    env["PATH"] = str(Path(sys.executable).parent)  # the venv's commands only: no chromium
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "no-browsers")
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("privacy-kit")),
            "audit",
            "http://127.0.0.1:9/",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Chromium not found" in result.stderr and "apt-get install chromium" in result.stderr
    assert "playwright install chromium" in result.stderr and "Traceback" not in result.stderr
