"""Trust by construction (issue 28): what an editor writes (markdown, front matter, files in docs/)
and what a site owner's options hold cannot make a page run script, reach another origin, navigate
away or record consent before a choice. The strict build of each site, in a temporary copy with
every route of one class at once, refuses each with a message that names the value or the file
and where it came from. What the browser does with the routes the guard reads in a page is
proven by tests/browser/test_guard_premise.py (the cases of guard_cases.py, which
tests/test_guard.py pastes into both sites)."""

from __future__ import annotations

import base64
import re
import shutil

import pytest

from conftest import EXAMPLE, ROOT, build, copy_project, edit
from guard_cases import CDATA_PRELOAD
from privacy_kit import documents, guard
from privacy_kit.project import Project

SITES = {"clinic": ROOT, "example": EXAMPLE}

# Class 1: the theme's own templates write page data as they are.
TITLE_PAGE = "entity-title.md"
TITLE = "&lt;/title&gt;&lt;script&gt;window.titled = 1&lt;/script&gt;"  # striptags decodes it in <title>
STATUS = 'new" onmouseover="window.statused = 1'  # Material writes status into a class attribute
AWAY = "https://away.guard.test/"
REDIRECT_AWAY = "away.md"
REDIRECT_SCRIPT = "run.md"
JAVASCRIPT = "javascript:window.redirected = 1"
SITE_NAME = 'A "quoted" name'  # Material writes site_name into aria-label as it is

# Class 3: documents nobody read.
DOCUMENTS = {
    "feed.xml": (
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n'
        '<rss><channel><title>x</title>\n<script xmlns="http://www.w3.org/1999/xhtml">window.xml = 1;</script>'
        "</channel></rss>\n"
    ),
    "page.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body><script>window.xhtml = 1;</script></body></html>\n',
    "page.shtml": "<!doctype html><title>x</title>\n<script>window.shtml = 1;</script>\n",
    "broken.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>window.broken = 1;</p></svg>\n',
    "styles/site.css": "@import url(https://import.guard.test/more.css);\nbody { color: red }\n",
    # A file of docs/ with the path of one of the kit's: it would replace it on every page.
    "assets/javascripts/consent.js": "document.documentElement.dataset.consent = 'analytics';\n",
    # Found by the second review: types hosts serve as XHTML or XML, encodings a browser reads
    # otherwise than the kit, and the hosts' own instructions for the whole site.
    "evil/a.xhtm": '<html xmlns="http://www.w3.org/1999/xhtml"><body><script>window.xhtm = 1;</script></body></html>\n',
    "evil/a.xpdl": '<Package xmlns:h="http://www.w3.org/1999/xhtml">\n<h:script>window.xpdl = 1;</h:script></Package>\n',
    "_redirects": "/* https://redirect.guard.test/:splat 302!\n",
    "_worker.js": "export default { fetch: () => Response.redirect('https://worker.guard.test/') }\n",
    # Found by the third review: an SVG that spells an attribute twice (XML's names are
    # case-sensitive: the browser reads the second), HTML's entities that an XHTML document type
    # makes a browser expand, an XML type Python does not know (mime-db's .gpx), and a file in
    # the place of the kit's stylesheet before it is written.
    "evil/case.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        '<script xlink:HREF="assets/javascripts/consent.js" xlink:href="evil/case.js"/></svg>\n'
    ),
    "evil/entity.svg": (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg">\n<image href="https&colon;//entity.guard.test/a.png"/></svg>\n'
    ),
    "evil/track.gpx": '<gpx xmlns:h="http://www.w3.org/1999/xhtml">\n<h:script>window.gpx = 1;</h:script></gpx>\n',
    # A browser renders (and runs) XML up to its first error.
    "evil/route.gpx": '<gpx xmlns:h="http://www.w3.org/1999/xhtml"><h:script>window.gpx = 2;</h:script></gpx>\n<junk/>\n',
    "assets/stylesheets/privacy-kit.css": "#consent [data-consent-action] { display: none }\n",
}
# The analytics services' scripts, loaded by a page itself: they would run before any choice
# (consent.js runs the configured one, after consent, from the kit's gated script).
PROVIDER_SCRIPTS = [
    f'<script src="/assets/javascripts/analytics-{name}.js" data-property="G-EVIL1234"></script>'
    for name in ("google", "matomo")
] + [  # and gated, with settings of the editor's: after consent, to a recipient not declared
    '<script type="text/plain" data-consent-category="analytics" '
    f'data-src="/assets/javascripts/analytics-{name}.js" data-property="G-EVIL1234"></script>'
    for name in ("plausible", "umami")
]
BINARY_PAGE = "binary.md"  # front matter that is not text: the theme writes it as b'…'
# An SVG with styles of its own (as mermaid draws one): no banner stands in it, so they build.
OWN_STYLES_SVG = (
    "drawn/own.svg",
    '<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: #ececff }</style>\n'
    '<rect width="9" height="9" style="position: absolute; z-index: 9; fill: red"/></svg>\n',
)
ENCODED = {  # bytes: written as they are
    "evil/cdata.html": f"<!doctype html><title>x</title>\n{CDATA_PRELOAD.html}\n".encode(),
    "evil/jp.html": b'<!doctype html><meta charset="iso-2022-jp"><title>x</title>\n<p a="x" \x1b(Ib="\x1b(B><script src=/evil/nav.js></script>">\n',
    "evil/utf16.html": "\ufeff<!doctype html><title>x</title><p>x</p>\n".encode("utf-16"),
}
# An editor's Material configuration before the theme's (Material reads the first #__config),
# and Material's component attribute on an editor's link (its script would fetch a forge's API).
FAKE_CONFIG = '<script type="application/json" id="__config">{"base": "/evil/", "features": []}</script>'
COMPONENT = '<a data-md-component="source" href="https://gitlab.guard.test/a/b">r</a>'


def copy_of(name: str, dest):
    if SITES[name] == ROOT:
        return copy_project(dest)
    shutil.copytree(SITES[name], dest)
    return dest


def first_page(project) -> str:
    return "cookies.md" if (project / "docs" / "cookies.md").exists() else "index.md"


@pytest.fixture(scope="module", params=list(SITES))
def built(request, tmp_path_factory):
    """A copy of a site with every route of classes 1 and 3 in it, built strictly."""
    name = request.param
    project = copy_of(name, tmp_path_factory.mktemp(name) / "project")
    docs = project / "docs"
    (docs / TITLE_PAGE).write_text(f"# {TITLE}\n\nText.\n", encoding="utf-8")
    page = docs / first_page(project)
    edit(page, "---\n", f"---\nstatus: '{STATUS}'\n")
    (docs / REDIRECT_AWAY).write_text(
        f"---\ntemplate: redirect.html\nlocation: {AWAY}\n---\n", encoding="utf-8"
    )
    (docs / REDIRECT_SCRIPT).write_text(
        f"---\ntemplate: redirect.html\nlocation: '{JAVASCRIPT}'\n---\n", encoding="utf-8"
    )
    mkdocs_yml = project / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    site_name = next(line for line in text.splitlines() if line.startswith("site_name:"))
    edit(mkdocs_yml, site_name + "\n", f"site_name: '{SITE_NAME}'\n")
    for path, content in DOCUMENTS.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(content, encoding="utf-8")
    for path, content in ENCODED.items():
        (docs / path).write_bytes(content)
    (docs / OWN_STYLES_SVG[0]).parent.mkdir(parents=True)
    (docs / OWN_STYLES_SVG[0]).write_text(OWN_STYLES_SVG[1], encoding="utf-8")
    scripts = "\n\n".join(PROVIDER_SCRIPTS)
    (docs / TITLE_PAGE).write_text(
        f"# {TITLE}\n\nText.\n\n{FAKE_CONFIG}\n\n{COMPONENT}\n\n{scripts}\n\n<?php echo 1; ?>\n",
        encoding="utf-8",
    )
    markup = base64.b64encode(b"<b>bold</b>").decode()
    (docs / BINARY_PAGE).write_text(f"---\ntitle: !!binary {markup}\n---\n\nText.\n", encoding="utf-8")
    site = Project(mkdocs_yml)
    result = build(project, tmp_path_factory.mktemp(name) / "site")
    return result, site.texts[site.languages.default]["guard"], page.name


def lines_with(output: str, *parts: str) -> list[str]:
    return [line for line in output.splitlines() if all(part in line for part in parts)]


def test_the_strict_build_refuses_every_route(built):
    result, _, _ = built
    assert result.returncode != 0
    assert "Traceback" not in result.output  # a PHP tag is a comment to a browser, and to the kit
    assert not (result.site / "_headers").exists()  # refused before the security files are written


def test_a_title_that_striptags_turns_into_markup_is_refused_naming_the_page(built):
    result, texts, _ = built
    value = guard.shortened("</title><script>window.titled = 1</script>", 80)
    assert lines_with(result.output, f"{TITLE_PAGE}: " + texts["value"].format(key="title", value=value))


def test_front_matter_that_the_theme_writes_into_an_attribute_is_refused(built):
    result, texts, page = built
    assert lines_with(result.output, page, texts["value"].format(key="status", value=STATUS))


def test_a_site_name_with_a_double_quote_is_refused_naming_mkdocs_yml(built):
    result, texts, _ = built
    assert lines_with(result.output, "mkdocs.yml: " + texts["value"].format(key="site_name", value=SITE_NAME))


@pytest.mark.parametrize(("page", "location"), [(REDIRECT_AWAY, AWAY), (REDIRECT_SCRIPT, JAVASCRIPT)])
def test_a_redirect_that_leaves_the_site_or_runs_script_is_refused(built, page, location):
    result, texts, _ = built
    assert lines_with(result.output, f"{page}: " + texts["redirect"].format(value=location))


def test_material_s_redirect_template_is_the_kit_s_safe_one(tmp_path):
    """A redirect within the site builds, with no script: Material's writes location into one."""
    project = copy_of("example", tmp_path / "project")
    (project / "docs" / "old.md").write_text(
        "---\ntemplate: redirect.html\nlocation: ../\n---\n", encoding="utf-8"
    )
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = (tmp_path / "site" / "old" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page and 'http-equiv="refresh" content="0;url=../"' in page
    assert 'http-equiv="Content-Security-Policy" content="default-src' in page


def test_an_editor_s_material_configuration_and_component_attributes_are_refused(built):
    result, texts, _ = built
    assert lines_with(result.output, TITLE_PAGE, texts["duplicate_id"].split("{")[0], "__config")
    assert lines_with(result.output, TITLE_PAGE, "data-md-component", texts["fix_theme_attribute"].format())


@pytest.mark.parametrize(
    ("path", "kind", "needle"),
    [
        ("feed.xml", "instruction", "xml-stylesheet"),
        ("feed.xml", "script", "<script>"),
        ("page.xhtml", "document", ".xhtml"),
        ("page.shtml", "script", "<script>"),
        ("broken.svg", "document", "not well-formed"),
        ("styles/site.css", "css", "https://import.guard.test"),
        ("assets/javascripts/consent.js", "shadow", "assets/javascripts/consent.js"),
        ("evil/a.xhtm", "document", ".xhtm"),
        ("evil/a.xpdl", "script", "<script>"),
        ("evil/jp.html", "document", "escape character"),
        ("evil/utf16.html", "document", "UTF-16"),
        ("evil/cdata.html", "cdata", "<![CDATA["),
        ("_redirects", "host_file", "_redirects"),
        ("_worker.js", "host_file", "_worker.js"),
        ("evil/case.svg", "document", "in different case"),
        ("evil/entity.svg", "document", "does not define"),
        ("evil/track.gpx", "script", "<script>"),
        ("evil/route.gpx", "document", "not well-formed"),
        ("assets/stylesheets/privacy-kit.css", "shadow", "assets/stylesheets/privacy-kit.css"),
    ],
)
def test_every_document_and_stylesheet_of_docs_is_read_as_a_browser_reads_it(built, path, kind, needle):
    result, texts, _ = built
    assert lines_with(result.output, f"{path}", needle, texts[f"fix_{kind}"].format()), result.output


def test_a_page_that_loads_an_analytics_service_s_script_itself_is_refused(built):
    result, texts, _ = built
    for script in PROVIDER_SCRIPTS:
        name = re.search(r"analytics-\w+\.js", script)[0]
        assert lines_with(result.output, TITLE_PAGE, name, texts["fix_service"].format()), result.output


def test_front_matter_that_is_not_text_is_read_as_the_theme_writes_it(built):
    result, texts, _ = built
    assert lines_with(result.output, BINARY_PAGE, "<b>bold</b>", texts["fix_value"].format()), result.output


def test_an_svg_s_own_styles_are_its_own(built):
    result, _, _ = built
    assert not lines_with(result.output, OWN_STYLES_SVG[0])


def test_material_s_instant_navigation_is_refused(tmp_path):
    """Instant navigation runs the next page's content scripts itself, gated ones too."""
    project = copy_of("example", tmp_path / "project")
    edit(project / "mkdocs.yml", "  name: material\n", "  name: material\n  features: [navigation.instant]\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and "navigation.instant" in result.output, result.output


def test_the_kit_s_texts_are_markdown_without_raw_html():
    """A site's texts are an editor's: HTML in a text the kit renders as markdown is shown as
    written, so no text adds a consent control (the kit's own markup is trusted)."""
    from privacy_kit.claims import inline

    text = 'See **below** <button data-consent-action="grant" data-consent-category="x">Go</button>'
    assert (
        inline(text)
        == 'See <strong>below</strong> &lt;button data-consent-action="grant" data-consent-category="x"&gt;Go&lt;/button&gt;'
    )


def test_a_host_s_worker_folder_is_a_host_file_too():
    """Cloudflare Pages runs a folder _worker.js at the root (its index.js) as the site's worker."""
    assert documents.host_file("_worker.js") and documents.host_file("_worker.js/index.js")
    assert not documents.host_file("guide/_worker.js/index.js")
