"""The guard: the strict build refuses whatever in a page would reach another origin, or run,
before the visitor's choice (privacy_kit/guard.py), with a message that names the page and line,
the origin and what to write instead; the kit's gated forms build. Both sites, each in a
temporary copy. The browser proves the premise (tests/browser/test_guard_premise.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, build, copy_project, edit, run_command
from guard_cases import ALLOWED, CDATA_PRELOAD, REFUSED, VENDOR_OF, VENDORS
from privacy_kit import documents, guard, values
from privacy_kit.project import Project
from privacy_kit.provenance import Provenance
from privacy_kit.reading import read_html
from privacy_kit.security import sha256_source

SITE = "https://site.example"
VIMEO = "https://player.vimeo.com"
GATED_VIMEO = (
    '<iframe data-consent-category="external-media" data-consent-provider="Vimeo" '
    f'data-src="{VIMEO}/video/1" title="A video"></iframe>'
)


@pytest.mark.parametrize("case", [*REFUSED, *VENDORS, CDATA_PRELOAD], ids=lambda c: c.name)
def test_what_reaches_another_origin_or_runs_is_found(case):
    found = guard.scan(case.html, SITE, {})
    assert {f.kind for f in found} == {case.kind, *case.also}, found
    assert {f.origin for f in found if f.kind == case.kind} == {case.origin}, found


@pytest.mark.parametrize("case", VENDORS, ids=lambda c: c.name)
def test_a_vendor_s_standard_code_is_recognised(case):
    (finding,) = guard.scan(case.html, SITE, {})
    assert finding.vendor == VENDOR_OF[case.name]


@pytest.mark.parametrize("html", ALLOWED + [GATED_VIMEO], ids=range(len(ALLOWED) + 1))
def test_links_the_site_s_own_files_and_the_gated_forms_pass(html):
    assert guard.scan(html, SITE, {"external-media": (VIMEO,)}) == []


def test_a_gated_embed_from_an_origin_its_category_does_not_declare_is_found():
    (finding,) = guard.scan(GATED_VIMEO, SITE, {"external-media": ("https://www.youtube.com",)})
    assert (finding.kind, finding.origin) == ("load", VIMEO)


THEME = "var theme = 1;"  # a script the theme writes into the page (provenance)
PAGE = f"<html><head><script>{THEME}</script></head><body><p>text</p><script>window.pasted = 1;</script></body></html>"


def check(html: str, scripts=(THEME,), **expected):
    return guard.check_page(
        read_html(html), guard.Site(SITE), guard.Expected(scripts=frozenset(scripts), **expected)
    )


def test_only_the_scripts_the_kit_and_the_theme_write_run_wherever_they_stand():
    assert [(f.kind, f.body) for f in check(PAGE).findings] == [("script", "window.pasted = 1;")]
    # Where a script stands proves nothing: the theme's text in the body runs, an editor's in the head does not.
    moved = (
        f"<html><head><script>window.pasted = 1;</script></head><body><script>{THEME}</script></body></html>"
    )
    assert [(f.kind, f.body) for f in check(moved).findings] == [("script", "window.pasted = 1;")]
    assert [f.body for f in check(PAGE, scripts=()).findings] == [THEME, "window.pasted = 1;"]


def test_the_theme_s_script_runs_once_a_second_copy_is_an_editor_s():
    """Material's base.html script again, after the kit's palette wrapper, would store the palette
    on every page view: the theme writes each of its scripts once."""
    twice = PAGE.replace("</body>", f"<script>{THEME}</script></body>")
    assert [(f.kind, f.body) for f in check(twice).findings] == [
        ("script", "window.pasted = 1;"),
        ("script", THEME),
    ]


def test_material_s_consent_script_is_never_the_theme_s_where_the_kit_runs():
    """The kit refuses extra.consent, so Material never writes its consent script: an editor's
    copy (which records a consent of its own on a click) is not trusted."""
    import jinja2
    import material

    templates = str(Path(material.__file__).parent / "templates")
    provenance = Provenance(jinja2.Environment(), [templates])
    assert "partials/javascripts/base.html" in provenance.script_partials
    assert "partials/javascripts/consent.html" not in provenance.script_partials


def test_a_script_file_is_the_theme_s_only_where_a_browser_resolves_it_to_the_theme_s():
    """Resolved as a browser resolves it (Python's urljoin drops the empty segment of a//..)."""
    site = guard.Site(SITE, scripts=frozenset({"assets/javascripts/consent.js"}))

    def findings(src, url="x/"):
        page = read_html(f'<p>x</p><script src="{src}"></script>')
        return [f.kind for f in guard.check_page(page, site, guard.Expected(url=url)).findings]

    assert findings("../assets/javascripts/consent.js") == []
    assert findings("../a//../assets/javascripts/consent.js") == ["script"]  # /a/assets/…: the editor's


def test_a_file_of_docs_resolves_its_links_from_where_it_stands():
    site = guard.Site(SITE, scripts=frozenset({"assets/javascripts/consent.js"}))
    html = b'<!doctype html><title>x</title><script src="assets/javascripts/consent.js"></script>'
    assert documents.check("page.html", html, site).findings == []
    (finding,) = documents.check("help/page.html", html, site).findings  # help/assets/…: the editor's
    assert finding.kind == "script"


def test_only_what_may_run_is_hashed_into_the_policy():
    gated = '<script type="text/plain" data-consent-category="analytics">window.later = 1;</script>'
    result = check(PAGE.replace("</body>", gated + "</body>"))
    assert result.scripts == {THEME, "window.later = 1;"}  # never the refused one


def test_the_theme_s_style_elements_and_allowed_style_attributes_are_hashed():
    html = '<style>:root{--icon:1}</style><style>#consent{display:none}</style><table><tr><td style="text-align: right">1</td></tr></table>'
    result = check(html, styles=frozenset({":root{--icon:1}"}))
    assert [(f.kind, f.body) for f in result.findings] == [("style", "#consent{display:none}")]
    assert result.styles == {":root{--icon:1}"} and result.style_attributes == {"text-align: right"}


def test_the_kit_s_own_controls_pass_and_a_second_accept_all_is_refused():
    from collections import Counter

    control = ("button", "data-consent-action", "accept-all")
    html = '<button data-consent-action="accept-all">Accept</button>'
    assert check(html, controls=Counter({control: 1})).findings == []
    found = check(
        html + '<a data-consent-action="accept-all">Read on</a>', controls=Counter({control: 1})
    ).findings
    assert [(f.kind, f.element) for f in found] == [("control", "a")]


# --- The strict build of each site, with everything pasted into one page ---------------------

SITES = {"clinic": (ROOT, "cookies.md"), "example": (EXAMPLE, "index.md")}
STATIC_PAGE = "pasted.html"  # an HTML file in docs/, published as it is
STATIC = '<!doctype html><title>Pasted</title><script>window.staticPasted = 1;</script>\n<img src="https://static.guard.test/a.png" alt="">'
SVG_FILE = "pasted.svg"  # an SVG file in docs/: a page of its own when opened or framed
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>window.svgPasted = 1;</script>\n<image href="https://svgfile.guard.test/a.png"/></svg>'


def copy_of(name: str, dest):
    source, _ = SITES[name]
    if source == ROOT:
        return copy_project(dest)
    shutil.copytree(source, dest)
    return dest


def paste(project, page: str, cases) -> str:
    """Append every case to ``page``, each after a blank line; returns the page's text."""
    path = project / "docs" / page
    text = path.read_text(encoding="utf-8") + "".join(f"\n\n{case.html}\n" for case in cases)
    path.write_text(text, encoding="utf-8")
    return text


@pytest.fixture(scope="module", params=list(SITES))
def pasted(request, tmp_path_factory):
    """A copy of the site with every refused element and vendor snippet in one page, an HTML
    file in docs/ and a template of its own with an inline script, built."""
    name = request.param
    project = copy_of(name, tmp_path_factory.mktemp(name) / "project")
    page = SITES[name][1]
    before = (project / "docs" / page).read_text(encoding="utf-8").count("\n")
    text = paste(project, page, REFUSED + VENDORS)
    (project / "docs" / STATIC_PAGE).write_text(STATIC, encoding="utf-8")
    (project / "docs" / SVG_FILE).write_text(SVG, encoding="utf-8")
    with_template(project)
    site = Project(project / "mkdocs.yml")
    result = build(project, tmp_path_factory.mktemp(name) / "site")
    texts = site.texts[site.languages.default]["guard"]
    return name, result, page, text, texts, site, before


def with_template(project) -> None:
    """A template of the site's own (its custom_dir) that runs an inline script."""
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "partials" / "comments.html").write_text(
        "{# Material's comments partial, below every page #}\n<div>\n<script>window.templatePasted = 1;</script>\n</div>\n",
        encoding="utf-8",
    )
    edit(project / "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")


def line_of(text: str, needle: str, after: int) -> int:
    """The line of ``text`` after line ``after`` (what was pasted) that holds ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if n > after and needle in line)


def message_for(pasted, case) -> str:
    _, result, page, text, _, _, before = pasted
    where = f"{page}:{line_of(text, case.locator or case.origin, before)}: "
    found = [line for line in result.output.splitlines() if where in line and case.origin in line]
    assert found, f"no message for {case.name} at {where!r} in:\n{result.output}"
    return found[0]


def test_a_page_with_what_would_slip_through_fails_the_strict_build(pasted):
    _, result, _, _, texts, _, _ = pasted
    assert result.returncode != 0
    also = sum(
        len(case.also) for case in REFUSED + VENDORS
    )  # what else a case holds (its style element, say)
    count = (
        len(REFUSED) + len(VENDORS) + also + 2 + 2 + 1
    )  # the HTML and SVG files' two each, the template's one
    refused = texts["refused"].format(count=count)
    assert refused in result.output, result.output
    assert not (result.site / "_headers").exists()  # refused before the security files are written


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_the_message_names_the_page_line_origin_and_the_fix(pasted, case):
    line = message_for(pasted, case)
    texts = pasted[4]
    if case.origin:
        assert case.origin in line
    if case.kind == "load" and case.html.startswith("<iframe"):
        assert f'data-src="{case.origin}/embed"' in line and f"hosts: [{case.origin}]" in line
    else:
        url = re.search(r'(?:href|action)="([^"]+)"', case.html)
        fix = texts[f"fix_{case.kind}"].format(origin=case.origin, url=url[1] if url else "")
        assert fix in line


@pytest.mark.parametrize("case", VENDORS, ids=lambda c: c.name)
def test_a_vendor_s_code_is_named_and_pointed_to_the_kit_s_way(pasted, case):
    line = message_for(pasted, case)
    texts, site = pasted[4], pasted[5]
    vendor = VENDOR_OF[case.name]
    if vendor in guard.ANALYTICS_VENDORS:
        assert texts["fix_analytics"].format(vendor=guard.ANALYTICS_VENDORS[vendor], provider=vendor) in line
        return
    assert texts["vendor_embed"].format(vendor=guard.EMBED_VENDORS[vendor]) in line
    src = re.search(r'src="([^"]+)"', case.html)[1]
    assert f'data-src="{src}"' in line and 'data-consent-category="' in line
    declared = {o for c in site.options.consent.categories.values() for o in c.hosts}
    assert (f"hosts: [{case.origin}]" in line) == (case.origin not in declared)  # the line to add, if any


def test_an_html_or_svg_file_in_docs_is_checked_as_an_editor_s(pasted):
    output = pasted[1].output
    assert f"{STATIC_PAGE}:1: " in output and "https://static.guard.test" in output
    assert any(STATIC_PAGE in line and "<script>" in line for line in output.splitlines())
    assert f"{SVG_FILE}:2: " in output and "https://svgfile.guard.test" in output
    assert any(f"{SVG_FILE}:1: <script>" in line for line in output.splitlines())


def test_html_in_front_matter_that_the_theme_writes_as_it_is_is_refused(tmp_path):
    """Material writes a page's description into <meta content="…"> unescaped: a tag in it
    would run in every visitor's browser."""
    project = copy_of("example", tmp_path / "project")
    value = '"><script>window.described = 1</script><meta name="x" content="'
    edit(project / "docs" / "index.md", "description: ", f"description: '{value}'\nsummary: ")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    texts = Project(project / "mkdocs.yml").texts["en"]["guard"]
    assert texts["value"].format(key="description", value=guard.shortened(value, 80)) in result.output
    assert values.page_findings(
        None, {"description": 'The "Cookie settings" link'}, SITE
    )  # ends the attribute
    assert values.page_findings("Cookies & privacy", {"description": "Cookies > 1"}, SITE) == []


def test_a_site_s_own_template_may_not_run_an_inline_script(pasted):
    assert any(
        "overrides/partials/comments.html:3: <script>" in line for line in pasted[1].output.splitlines()
    )


# --- The gated forms build --------------------------------------------------------------------


GATED_SCRIPT = '<script type="text/plain" data-consent-category="analytics">window.afterConsent = 1;</script>'


@pytest.mark.parametrize("name", list(SITES))
def test_the_gated_equivalents_build_and_only_a_gated_script_is_hashed(name, tmp_path):
    project = copy_of(name, tmp_path / "project")
    page = SITES[name][1]
    if name == "example":  # the YouTube video, gated, and its origin declared
        gated = VENDORS[0].html.replace(
            ' src="', ' data-consent-category="external-media" data-consent-provider="YouTube" data-src="'
        )
        edit(
            project / "mkdocs.yml",
            "hosts: [https://player.vimeo.com]",
            "hosts: [https://player.vimeo.com, https://www.youtube-nocookie.com]",
        )
        recorded = run_command("record-consent", project)  # the cookie list names a new origin
        assert recorded.returncode == 0, recorded.stderr
    else:
        gated = ""
    paste(project, page, [type("Case", (), {"html": html})() for html in (GATED_SCRIPT, gated, *ALLOWED)])
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    headers = (tmp_path / "site" / "_headers").read_text(encoding="utf-8")
    assert sha256_source("window.afterConsent = 1;") in headers
    if name == "example":
        assert "https://www.youtube-nocookie.com" in headers  # frame-src: it loads after consent


def test_a_navigation_read_before_is_left_out_and_anything_new_in_it_is_still_found():
    """Every page of a documentation site repeats its navigation: an item read before on a page
    that held nothing is left out of the next page's reading, exactly as it stood; an item that
    differs in anything is read, and an id in a left-out item still counts for duplicates."""
    from privacy_kit.reading import remember

    item = '<li class="md-nav__item"><a href="../a/" id="nav-a">A</a></li>'
    page = "<html><body><nav><ul>{items}</ul></nav><article>{content}</article></body></html>"
    site, known = guard.Site(SITE), {}
    first = read_html(page.format(items=item * 1, content="<p>x</p>"), known)
    assert not guard.check_page(first, site).findings
    remember(first, known)
    again = read_html(page.format(items=item, content="<p>y</p>"), known)
    assert "nav-a" not in {e.attrs.get("id") for e in again.elements}  # left out
    changed = item.replace("A</a>", 'A<img src="https://nav.guard.test/a.png" alt=""></a>')
    found = guard.check_page(read_html(page.format(items=changed, content=""), known), site).findings
    assert [(f.kind, f.origin) for f in found] == [("load", "https://nav.guard.test")]
    twice = read_html(page.format(items=item, content='<p id="nav-a">z</p>'), known)
    assert [(f.kind, f.body) for f in guard.check_page(twice, site).findings] == [("duplicate_id", "nav-a")]
