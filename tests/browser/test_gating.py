"""Gated embeds: <script type="text/plain" data-consent-category> runs only once its category is
granted, inline or with data-src, exactly once. Built from a copy of the project with a test page."""

from __future__ import annotations

import pytest

from conftest import built_and_served, copy_project
from privacy_kit.i18n import source_hash

EMBED_PAGE = """# Embed

<div id="embed-target">placeholder</div>
<script type="text/plain" data-consent-category="analytics" id="inline-embed">
window.__inlineRuns = (window.__inlineRuns || 0) + 1;
document.getElementById("embed-target").textContent = "loaded";
</script>
<script type="text/plain" data-consent-category="analytics" data-src="../embed.js" data-extra="kept"></script>
"""


@pytest.fixture(scope="module")
def embed_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("gating")
    project = copy_project(root / "project")
    (project / "docs" / "embed.md").write_text(EMBED_PAGE, encoding="utf-8")
    source = source_hash(project / "docs" / "embed.md")  # what a translation records of its source
    for lang in ("en", "de"):  # every page exists in every language, or the build fails
        (project / "docs" / f"embed.{lang}.md").write_text(
            f'---\nsource_sha256: "{source}"\n---\n\n# Embed {lang}\n', encoding="utf-8"
        )
    (project / "docs" / "embed.js").write_text(
        "window.__srcRuns = (window.__srcRuns || 0) + 1;"
        "window.__srcAttr = document.currentScript.getAttribute('data-extra');",
        encoding="utf-8",
    )
    with built_and_served(project, root / "site") as (_, url):
        yield url


def runs(page):
    return page.evaluate("[window.__inlineRuns || 0, window.__srcRuns || 0, window.__srcAttr || null]")


def test_gated_scripts_stay_inert_until_consent_then_run_once(new_visitor, embed_url):
    visitor = new_visitor(url=embed_url)
    page = visitor.goto("/embed/")
    page.wait_for_load_state("networkidle")
    assert runs(page) == [0, 0, None]
    assert page.locator("#embed-target").inner_text() == "placeholder"
    page.click('[data-consent-action="accept-all"]')
    page.wait_for_function("() => window.__srcRuns === 1")
    assert runs(page) == [1, 1, "kept"]
    assert page.locator("#embed-target").inner_text() == "loaded"
    assert page.locator('script[type="text/plain"]').count() == 0
    # Saving the same choice again does not run them a second time.
    page.click('[data-consent-action="open"]')
    page.click('[data-consent-action="save"]')
    page.wait_for_timeout(200)
    assert runs(page) == [1, 1, "kept"]
    assert visitor.errors == []


def test_gated_scripts_never_run_after_reject(new_visitor, embed_url):
    visitor = new_visitor(url=embed_url)
    page = visitor.goto("/embed/")
    page.click('[data-consent-action="reject-all"]')
    visitor.goto("/embed/")
    page.wait_for_load_state("networkidle")
    assert runs(page) == [0, 0, None]
    assert page.locator('script[type="text/plain"][data-consent-category="analytics"]').count() == 3
