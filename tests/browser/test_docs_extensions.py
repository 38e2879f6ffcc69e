"""Material's documented extensions, the way that works with the kit, in the documentation
example (examples/tidewater-docs/), in Chromium under the site's Content-Security-Policy: KaTeX's
formulas, sortable tables and Twemoji from the site itself with no violation and no request
elsewhere, and mermaid's diagrams as images drawn at build time (mkdocs-mermaid-to-svg)."""

from __future__ import annotations

import io

import pytest

from conftest import DOCS_SITE, REJECT

LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"""


@pytest.fixture
def docs_visitor(new_visitor, served_docs):
    visitor = new_visitor(url=served_docs[1], facts=DOCS_SITE)
    visitor.context.add_init_script(LISTEN)
    return visitor


@pytest.mark.parametrize(
    "path", ["/guide/harmonic-analysis/", "/reference/constituents/", "/guide/offline/", "/reference/cli/"]
)
def test_math_tables_and_emoji_work_with_no_violation_and_nothing_from_elsewhere(docs_visitor, path):
    page = docs_visitor.goto(path)
    page.wait_for_load_state("networkidle")
    formulas = page.locator(".arithmatex")
    if formulas.count():
        page.wait_for_function(
            "[...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))"
        )
        assert page.locator(".arithmatex .katex-html").count() == formulas.count()
    for emoji in page.locator("img.twemoji").all():
        assert emoji.evaluate("e => e.complete && e.naturalWidth > 0"), emoji.get_attribute("src")
    assert page.evaluate("window.__violations") == []
    assert docs_visitor.external == [] and docs_visitor.errors == []


def test_a_table_sorts_by_a_click_on_its_header(docs_visitor):
    page = docs_visitor.goto("/reference/cli/")
    page.click(REJECT)
    table = page.locator("article table").first
    first = lambda: table.locator("tbody tr td").first.inner_text()  # noqa: E731
    assert first() == "predict"
    table.locator("th").first.click()
    page.wait_for_function("document.querySelector('article table th').getAttribute('aria-sort')")
    assert first() == "analyse"


def test_diagrams_are_images_drawn_with_their_styles_and_no_violation(docs_visitor):
    """Drawn at build time (mkdocs-mermaid-to-svg): each diagram is an image of the site's own,
    with mermaid's colours (its boxes are not black), and nothing of it meets the policy."""
    from PIL import Image

    page = docs_visitor.goto("/guide/pipeline/")
    page.click(REJECT)
    page.wait_for_load_state("networkidle")
    images = page.locator("article img")
    assert images.count() == 2
    for image in images.all():
        assert image.evaluate("e => e.complete && e.naturalWidth > 0"), image.get_attribute("src")
        shot = Image.open(io.BytesIO(image.screenshot())).convert("RGB")
        pixels = list(shot.get_flattened_data())  # (getdata is deprecated in Pillow 13)
        black = sum(1 for r, g, b in pixels if r + g + b < 60)
        assert black / len(pixels) < 0.02, f"{black} of {len(pixels)} pixels black"
        assert len(set(pixels)) > 8  # drawn, not blank
    assert page.evaluate("window.__violations") == []
    assert docs_visitor.external == [] and docs_visitor.errors == []
