"""Shipping safely, on the built files: the CSP in meta and headers agree and allow Google only
with analytics, inline styles are refused, every internal link and anchor resolves, rebuilds
are byte-identical, robots.txt and security.txt exist."""

from __future__ import annotations

import datetime
import filecmp
import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import ROOT, build, build_day, copy_project, edit, raise_revision, remove_analytics, soup
from privacy_kit.project import Project
from privacy_kit.security import HEADERS, sha256_source
from privacy_kit.serving.hosting import header_rules

GOOGLE_HOSTS = ("googletagmanager.com", "google-analytics.com", "analytics.google.com")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def meta_csp(path: Path) -> str:
    return soup(path).select_one('meta[http-equiv="Content-Security-Policy"]')["content"]


def header_csp(site: Path) -> str:
    rules = dict(header_rules(site / "_headers"))
    return dict(rules["/*"])["Content-Security-Policy"]


def directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split("; ")}


def test_every_page_has_the_same_meta_csp_as_the_headers_file(site):
    header = directives(header_csp(site))
    assert header.pop("frame-ancestors") == ["'none'"]  # headers only: <meta> cannot carry it
    for path in pages(site):
        assert directives(meta_csp(path)) == header, path


def test_csp_is_strict(site):
    csp = directives(header_csp(site))
    assert csp["default-src"] == ["'self'"]
    assert (
        csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    )
    for name, values in csp.items():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values and "*" not in values, name
    assert csp["style-src"] == ["'self'"]  # no inline styles at all
    hashes = [v for v in csp["script-src"] if v.startswith("'sha256-")]
    assert 1 <= len(hashes) <= 12


def test_csp_allows_exactly_googles_hosts_with_analytics(site):
    csp = directives(header_csp(site))
    assert [v for v in csp["script-src"] if "google" in v] == ["https://www.googletagmanager.com"]
    assert csp["connect-src"] == [
        "'self'",
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    ]
    assert csp["img-src"] == [
        "'self'",
        "data:",
        "https://*.google-analytics.com",
        "https://*.googletagmanager.com",
    ]


def test_csp_allows_no_google_host_without_analytics(tmp_path):
    project = copy_project(tmp_path / "project")
    remove_analytics(project)
    raise_revision(project)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    for csp in (header_csp(tmp_path / "site"), meta_csp(tmp_path / "site" / "index.html")):
        assert not any(host in csp for host in GOOGLE_HOSTS), csp


def test_security_headers_and_long_cache_for_fingerprinted_assets(site):
    rules = dict(header_rules(site / "_headers"))
    everywhere = dict(rules["/*"])
    for name, value in HEADERS.items():
        assert everywhere[name] == value
    assert everywhere["X-Content-Type-Options"] == "nosniff"
    assert everywhere["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "max-age=" in everywhere["Strict-Transport-Security"]
    assert (
        "camera=()" in everywhere["Permissions-Policy"]
        and "geolocation=()" in everywhere["Permissions-Policy"]
    )
    cached = [
        path
        for path, headers in rules.items()
        if ("Cache-Control", "public, max-age=31536000, immutable") in headers
    ]
    assert "/assets/javascripts/bundle.a5f9d56c.min.js" in cached
    assert all(re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", path) for path in cached)
    assert all((site / path.lstrip("/")).is_file() for path in cached)


def test_nginx_snippet_sets_the_same_policy(site):
    nginx = (site / "_nginx.conf").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{header_csp(site)}" always;' in nginx
    assert 'add_header X-Content-Type-Options "nosniff" always;' in nginx
    assert "error_page 404 /404.html;" in nginx and "error_page 404 /en/404.html;" in nginx


def test_a_style_attribute_that_could_cover_the_banner_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "project")
    layer = '<p style="position: fixed; inset: 0; z-index: 9">Let op</p>'
    edit(project / "docs" / "cookies.md", "# Cookieverklaring\n", f"# Cookieverklaring\n\n{layer}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    texts = Project(project / "mkdocs.yml").texts["nl"]["guard"]
    tag = '<p style="position: fixed; inset: 0; z-index: 9">'
    problem = texts["style_attribute"].format(tag=tag, property="position, inset, z-index")
    assert f"cookies.md:{line_of(project / 'docs' / 'cookies.md', layer)}: {problem}" in result.output


def test_markdown_s_own_style_attributes_build_and_are_hashed_one_by_one(tmp_path):
    """Python-Markdown's aligned tables write style="text-align: …"; the policy allows exactly
    those values ('unsafe-hashes' with their hashes), never 'unsafe-inline'."""
    project = copy_project(tmp_path / "project")
    table = "| Naam | Bedrag |\n|:-----|-------:|\n| a | 1 |\n"
    edit(project / "docs" / "cookies.md", "# Cookieverklaring\n", f"# Cookieverklaring\n\n{table}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    policy = header_csp(tmp_path / "site")
    style_src = next(d for d in policy.split("; ") if d.startswith("style-src "))
    assert "'unsafe-inline'" not in policy and "'unsafe-hashes'" in style_src
    for value in ("text-align: left;", "text-align: right;"):
        assert sha256_source(value) in style_src


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_robots_and_security_txt(site, site_url):
    assert (site / "robots.txt").read_text(
        encoding="utf-8"
    ) == f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n"
    fields = dict(
        line.split(": ", 1)
        for line in (site / ".well-known" / "security.txt").read_text(encoding="utf-8").splitlines()
    )
    assert fields["Contact"] == "mailto:info@maestrolaserclinics.nl"  # as in section 11 of the policy
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", fields["Expires"])
    assert fields["Canonical"] == f"{site_url}.well-known/security.txt"
    assert "Policy" not in fields  # RFC 9116: a vulnerability-disclosure policy, which there is none of


def test_security_txt_expires_half_a_year_after_the_build_date(site):

    fields = dict(
        line.split(": ", 1) for line in (site / ".well-known" / "security.txt").read_text().splitlines()
    )
    expires = datetime.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00")).date()
    assert expires == build_day() + datetime.timedelta(days=180)  # the session build: today
    assert expires - datetime.date.today() < datetime.timedelta(days=365)  # RFC 9116: less than a year


def test_the_atom_feed_is_served_as_atom_by_every_host_recipe(site):
    assert ("Content-Type", "application/atom+xml; charset=utf-8") in dict(header_rules(site / "_headers"))[
        "/feed.xml"
    ]
    nginx = (site / "_nginx.conf").read_text(encoding="utf-8")
    assert (
        "location = /feed.xml {\n    types { }\n    default_type application/atom+xml;\n    charset utf-8;"
        in nginx
    )
    assert re.search(
        r"gzip_types [^;]*text/css[^;]*application/javascript[^;]*application/json[^;]*application/xml", nginx
    )


# --- Links -----------------------------------------------------------------------------------


def check_links(site: Path, site_url: str) -> tuple[list[str], list[str], int]:
    """(broken internal links, external links, links checked) over every built page."""
    ids = {}
    for path in pages(site):
        ids[path] = {e["id"] for e in soup(path).select("[id]")}
    broken, external, checked = [], set(), 0
    for path in pages(site):
        url = site_url + path.relative_to(site).as_posix()
        html = soup(path)
        for element in html.select("a[href], link[href]"):
            target = urljoin(url, element["href"])
            if not target.startswith(site_url):
                external.add(target)
                continue
            checked += 1
            parts = urlsplit(target)
            file = site / unquote(parts.path[len(urlsplit(site_url).path) :])
            if not parts.path.endswith((".html", ".xml", ".json", ".txt", ".png", ".css", ".js")):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{path.relative_to(site)}: {element['href']} (no {file.relative_to(site)})")
            elif parts.fragment and file.suffix == ".html" and unquote(parts.fragment) not in ids[file]:
                broken.append(f"{path.relative_to(site)}: {element['href']} (no #{parts.fragment})")
    return broken, sorted(external), checked


def test_every_internal_link_and_anchor_resolves(site, site_url, tmp_path):
    broken, external, checked = check_links(site, site_url)
    report = tmp_path / "external-links.txt"
    report.write_text("\n".join(external) + "\n", encoding="utf-8")
    print(
        f"\n{checked} internal links checked on {len(pages(site))} pages; {len(external)} external links (not fetched):"
    )
    print("\n".join(f"  {link}" for link in external))
    assert broken == []
    assert checked > 300
    assert "mailto:info@maestrolaserclinics.nl" in external and "tel:+31615438506" in external


def test_link_check_catches_a_broken_anchor(site, site_url, tmp_path):
    copy = tmp_path / "site"
    import shutil

    shutil.copytree(site, copy)
    page = copy / "cookies" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("#8-cookies-en-websitegebruik", "#8-cookies", 1),
        encoding="utf-8",
    )
    broken, _, _ = check_links(copy, site_url)
    assert broken == ["cookies/index.html: ../#8-cookies (no #8-cookies)"]


# --- Reproducible builds ---------------------------------------------------------------------


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # as scripts/build sets it from the commit
    first = build(ROOT, tmp_path / "one")
    second = build(ROOT, tmp_path / "two")
    assert first.returncode == 0 and second.returncode == 0
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file()
    )
    _, mismatch, errors = filecmp.cmpfiles(
        tmp_path / "one", tmp_path / "two", [str(f) for f in files], shallow=False
    )
    assert mismatch == [] and errors == []
    assert "2026-01-01" in (tmp_path / "one" / "sitemap.xml").read_text(encoding="utf-8")
    assert "Expires: 2026-06-30" in (tmp_path / "one" / ".well-known" / "security.txt").read_text(
        encoding="utf-8"
    )
    assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"


@pytest.mark.parametrize("name", ["_headers", "_nginx.conf"])
def test_deploy_config_files_are_not_served_by_nginx_recipe(site, name):
    assert (site / name).is_file()
    assert "location ~ ^/_ {\n    return 404;\n}" in (site / "_nginx.conf").read_text(encoding="utf-8")


def test_hashes_cover_inline_scripts_that_can_run_and_only_those():
    from privacy_kit import guard
    from privacy_kit.reading import read_html

    html = (
        "<script>a()</script>"
        '<script src="x.js"></script>'
        '<script type="application/json">{"data": 1}</script>'
        '<script type="text/plain" data-consent-category="analytics">b()</script>'
        '<script type="text/plain" data-consent-category="analytics" data-src="y.js"></script>'
        '<script type="text/plain">not an embed</script>'
    )
    site = guard.Site("https://site.example", scripts=frozenset({"x.js"}))
    check = guard.check_page(read_html(html), site, guard.Expected(scripts=frozenset({"a()"})))
    assert check.findings == [] and check.scripts == {"a()", "b()"}


def test_missing_pages_get_the_404_of_their_language_with_status_404(base_url):
    import urllib.error
    import urllib.request

    for prefix, lang in (("", "nl"), ("en/", "en"), ("de/", "de")):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{base_url}/{prefix}bestaat-niet/")
        assert error.value.code == 404
        body = error.value.read().decode("utf-8")
        assert f'<html lang="{lang}"' in body
        assert error.value.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_github_repo_url_keeps_its_link_and_asks_github_for_nothing(tmp_path):
    """Material's header fetches a GitHub repository's facts from api.github.com on every page,
    from the element marked data-md-component="source": the kit's link is not marked."""
    project = copy_project(tmp_path / "project")
    edit(project / "mkdocs.yml", "theme:\n", "repo_url: https://github.com/example/privacy\ntheme:\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    header = soup(tmp_path / "site" / "index.html").select_one("header .md-source")
    assert header is not None and header["href"] == "https://github.com/example/privacy"
    assert 'data-md-component="source"' not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_google_fonts_fail_the_strict_build(tmp_path):
    """Material's default theme.font is fetched from Google on every page before any choice."""
    project = copy_project(tmp_path / "project")
    edit(project / "mkdocs.yml", "  font: false\n", "")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "theme.font is {'text': 'Roboto', 'code': 'Roboto Mono'}: Material loads it from Google Fonts"
        in result.output
    )
