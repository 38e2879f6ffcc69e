"""The third site, a Material documentation site (examples/tidewater-docs/): it builds strictly with
the kit with its own main.html, home template and copyright partial, the blog and the minifier;
every page carries the banner, its configuration and the "Cookie settings" control; and a build
beside the common plugins, or with many problems at once, says everything in one run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import DOCS, docs_project, edit, soup
from privacy_kit.serving.building import build
from privacy_kit.site_config import KIT_PAGE

# The example draws its diagrams with mermaid-cli and vendors KaTeX from its npm packages.
pytestmark = pytest.mark.npm

# Material's documented set-up, and the owner's stylesheet (Material's extra_css) where its defaults
# fall short of WCAG AA contrast.
SNIPPETS = {"docs/javascripts/katex.js", "docs/javascripts/tablesort.js", "docs/stylesheets/extra.css"}


@pytest.fixture(scope="module")
def docs_site(served_docs) -> Path:
    result, _ = served_docs
    return result.site


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "vendor" not in p.parts)


def test_it_has_no_code_of_its_own_beyond_materials_documented_snippets():
    files = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.is_file()}
    files = {f for f in files if not f.startswith(("node_modules/", "docs/vendor/"))}
    code = {f for f in files if f.endswith((".py", ".js", ".mjs", ".css"))}
    assert code == SNIPPETS
    templates = {f for f in files if f.endswith(".html")}
    assert templates == {"overrides/main.html", "overrides/home.html", "overrides/partials/copyright.html"}
    assert len([f for f in files if f.endswith(".md")]) >= 40


def test_every_page_has_the_policy_banner_preferences_and_cookie_settings(docs_site):
    pages = pages_of(docs_site)
    assert len(pages) >= 40
    for path in pages:
        page = soup(path)
        assert page.select_one('head meta[http-equiv="Content-Security-Policy"]'), path
        assert page.select_one("#consent") and page.select_one("#consent-config"), path
        assert page.select_one('[data-consent-action="open"]'), path
    home = soup(docs_site / "index.html")
    assert home.select_one("#tx-hero-title")  # its own home template, with the control in its footer
    assert home.select_one("footer .md-copyright [data-consent-action=open]")


def test_the_minifier_before_the_kit_leaves_no_placeholder_and_its_own_features_stay(docs_site):
    text = (docs_site / "guide" / "pipeline" / "index.html").read_text(encoding="utf-8")
    assert "<meta charset=utf-8>" in text  # minified: quotes dropped
    assert "PRIVACY_KIT" not in text and "default-src 'self'" in text
    emoji = soup(docs_site / "guide" / "offline" / "index.html").select_one("img.twemoji")
    assert emoji["src"].startswith("../../vendor/twemoji/")
    header = soup(docs_site / "index.html").select_one("header .md-source")
    assert header["href"] == "https://github.com/tidewater-example/tidewater"


def test_its_diagrams_are_drawn_at_build_time_into_images_of_its_own(docs_site):
    """mkdocs-mermaid-to-svg: each ```mermaid block is an <img> of an SVG file of the site; no
    mermaid is left for Material to draw in the browser."""
    folder = docs_site / "guide" / "pipeline"
    page = soup(folder / "index.html")
    assert not page.select(".mermaid") and not page.select('script[src*="mermaid"]')
    images = page.select("article img")
    assert len(images) == 2
    for image in images:
        drawn = (folder / image["src"]).resolve()
        assert drawn.suffix == ".svg" and drawn.is_relative_to(docs_site.resolve())
        assert drawn.read_text(encoding="utf-8").startswith("<svg")


def test_a_diagram_that_would_load_from_elsewhere_is_refused_naming_its_image(tmp_path):
    """The SVG a diagram becomes is an editor's document: opened on its own, on a host that sends
    no headers, what its styles load would load. The kit reads it as the files of docs/."""
    project = docs_project(tmp_path / "project")
    edit(
        project / "docs" / "guide" / "pipeline.md",
        "``` mermaid\ngraph LR\n",
        '``` mermaid\n%%{init: {"themeCSS": ".node rect { fill: url(https://drawn.guard.test/a.png) }"}}%%\ngraph LR\n',
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert [
        line
        for line in result.output.splitlines()
        if "pipeline_mermaid_0_" in line and ".svg" in line and "https://drawn.guard.test" in line
    ], result.output[-3000:]


def move_minifier_after_the_kit(project: Path) -> None:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    block = "  - minify:\n      minify_html: true\n"
    text = text.replace(block, "").replace("\n\nextra_css:", "\n" + block + "\nextra_css:", 1)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")


def test_beside_the_common_plugins_in_the_other_order_it_builds_strictly(tmp_path):
    """The minifier after the kit; tags, mkdocs-redirects (a page of the site and one that leaves
    it), git-revision-date-localized, mkdocstrings on a small module, pymdownx.snippets, a hook."""
    project = docs_project(tmp_path / "project")
    move_minifier_after_the_kit(project)
    (project / "src").mkdir()
    (project / "src" / "tides.py").write_text(
        'def height(hour: float) -> float:\n    """The height at ``hour``."""\n    return 0.0\n'
    )
    (project / "hooks.py").write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown\n")
    (project / "docs" / "snippet.txt").write_text("A line from a snippet.\n")
    edit(
        project / "docs" / "reference" / "api.md",
        "# Python API\n",
        '# Python API\n\n::: tides\n\n--8<-- "snippet.txt"\n',
    )
    edit(project / "docs" / "guide" / "units.md", "# Units\n", "---\ntags: [units]\n---\n\n# Units\n")
    edit(
        project / "mkdocs.yml",
        "  - privacy-kit:\n",
        "  - tags\n  - git-revision-date-localized:\n      fallback_to_build_date: true\n"
        "  - mkdocstrings:\n      handlers:\n        python:\n          paths: [src]\n"
        "  - redirects:\n      redirect_maps:\n        old-units.md: guide/units.md\n"
        "  - privacy-kit:\n",
    )
    edit(
        project / "mkdocs.yml",
        "  - pymdownx.tilde\n",
        "  - pymdownx.tilde\n  - pymdownx.snippets:\n      base_path: [docs]\nhooks:\n  - hooks.py\n",
    )
    git = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "The docs"], cwd=project, check=True)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.output
    site = tmp_path / "site"
    assert soup(site / "guide" / "units" / "index.html").select_one(".git-revision-date-localized-plugin")
    redirect = (site / "old-units" / "index.html").read_text(encoding="utf-8")
    assert "../guide/units/" in redirect
    assert "A line from a snippet." in (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "<meta charset=utf-8>" in (site / "index.html").read_text(encoding="utf-8")
    # A redirect that leaves the site is refused, naming redirect_maps.
    edit(
        project / "mkdocs.yml",
        "        old-units.md: guide/units.md\n",
        "        old-units.md: https://elsewhere.example/units/\n",
    )
    result = build(project, tmp_path / "site2")
    assert result.returncode != 0
    assert "mkdocs.yml (redirect_maps: old-units/index.html)" in result.output


def test_a_build_with_many_problems_names_them_all_in_one_run(tmp_path):
    project = docs_project(tmp_path / "project")
    edit(
        project / "mkdocs.yml",
        "extra:\n  generator: false\n",
        "extra:\n  generator: false\n  consent:\n    title: Cookies\n  analytics:\n    provider: google\n    property: G-ABC123XYZ\n",
    )
    edit(project / "mkdocs.yml", "  font: false  #", "  #")
    edit(project / "overrides" / "home.html", '{% include "partials/consent-settings.html" %}', "")
    edit(
        project / "docs" / "guide" / "units.md",
        "# Units\n",
        "# Units\n\n<script>document.title = 'x'</script>\n",
    )
    edit(project / "mkdocs.yml", "        image_path: /vendor/twemoji/", "        title: short")
    edit(
        project / "docs" / "guide" / "index.md",
        '{ style="width: 60%" }',
        '{ style="position: fixed; top: 0" }',
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    output = result.output
    for expected in (
        "mkdocs.yml:",
        "extra.consent is set",
        "extra.analytics is set",
        "theme.font is",
        'overrides/home.html, this page\'s template, does not write the "Cookie settings" control',
        "partials/consent-settings.html",
        "guide/units.md:3: <script>",
        "extra_javascript",  # an inline script may be interface code: the owner's scripts
        "The emoji extension (mkdocs.yml: markdown_extensions, pymdownx.emoji)",
        "image_path",
        "guide/index.md:12: <img",  # attr_list's style: page, line and element
        "sets position, top",
    ):
        assert expected in output, (expected, output[-4000:])
    assert KIT_PAGE in output and "README" not in output
    assert output.count("The emoji extension") == 1  # once, at mkdocs.yml, for every page with emoji
