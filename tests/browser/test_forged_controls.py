"""The banner obeys only itself: consent is given only through the controls the kit rendered (the
banner, the preferences, the footer's "Cookie settings" link, an embed's placeholder for its own
frame). Elements an editor could write with the same attributes, ids and classes do nothing when
they are clicked, in Chromium, on both sites.

The build's guard refuses such markup, so it is put into a copy of each built site's home page
after the build (as under `mkdocs serve`, where a page is shown whatever the guard found): what is
tested here is consent.js alone, the line behind the guard."""

from __future__ import annotations

import shutil

import pytest

from conftest import ACCEPT, CLINIC, EXAMPLE_SITE
from privacy_kit.serving.hosting import serve

ARTICLE = '<article class="md-content__inner md-typeset">'

# What an editor could write: each forged control has an id ("forged-…") to click it by.
FORGED = """
<p id="forged-paragraph">A paragraph inside a wrapper that claims to accept everything.</p>
<p><a href="#forged" id="forged-link" data-consent-action="accept-all">Read on</a></p>
<p><input type="checkbox" data-consent-category="analytics" checked>
   <button type="button" id="forged-save" data-consent-action="save">Save</button></p>
<div class="md-copyright"><a href="#forged" id="forged-open" class="consent-open" data-consent-action="open">Cookie settings</a></div>
<section id="consent" class="forged-section">
  <button type="button" id="forged-section-accept" data-consent-action="accept-all">Accept</button>
  <output data-consent-id></output>
</section>
<p id="consent-status" data-text="forged"></p>
<script type="application/json" id="consent-config">{"key": "forged", "categories": ["analytics"]}</script>
<figure class="consent-embed" data-consent-embed="{category}"><iframe data-consent-category="{category}" data-src="/" title="x" hidden></iframe><div class="consent-placeholder" data-consent-placeholder><p><button type="button" id="forged-grant" data-consent-action="grant" data-consent-category="{category}">Close</button></p></div></figure>
"""


def forge(site, dest, category: str):
    """A copy of the built ``site`` whose home page holds FORGED, with the article wrapped in a
    <div data-consent-action="accept-all">, and any placeholder of the kit's inside a <label>."""
    shutil.copytree(site, dest)
    page = dest / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count(ARTICLE) == 1 and html.count("</article>") == 1
    html = html.replace(
        ARTICLE, ARTICLE + '<div data-consent-action="accept-all">' + FORGED.replace("{category}", category)
    )
    html = html.replace("</article>", "</div></article>")
    if html.count('<figure class="consent-embed"') == 2:  # the forged one first, then the kit's
        kit = html.rindex('<figure class="consent-embed"')
        end = html.index("</figure>", kit) + len("</figure>")
        label = '<label id="forged-label"><span id="forged-label-text">Continue</span>'
        html = html[:kit] + label + html[kit:end] + "</label>" + html[end:]
    page.write_text(html, encoding="utf-8")
    return dest


@pytest.fixture(params=["clinic", "example"])
def forged_site(request, tmp_path):
    """Each site's forged copy, served: (its facts, its base URL)."""
    facts = CLINIC if request.param == "clinic" else EXAMPLE_SITE
    served = request.getfixturevalue("served_site" if request.param == "clinic" else "served_example")
    category = facts.categories[-1]  # the example's embeds' category; the clinic's analytics
    with serve(forge(served[0].site, tmp_path / "site", category)) as url:
        yield facts, url


FORGED_CONTROLS = [
    "#forged-paragraph",
    "#forged-link",
    "#forged-save",
    "#forged-open",
    "#forged-section-accept",
    "#forged-grant",
]


def nothing_recorded(visitor) -> None:
    page = visitor.page
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("document.documentElement.dataset.consent") == ""
    assert page.locator(f"section.consent {ACCEPT}").is_visible()  # the kit's banner, still asking
    assert page.locator('[data-consent-view="preferences"]').first.is_hidden()
    assert visitor.context.cookies() == []
    assert visitor.external == []


def test_controls_an_editor_writes_do_nothing_and_the_kits_still_work(new_visitor, forged_site):
    facts, url = forged_site
    visitor = new_visitor(url=url, facts=facts)
    page = visitor.goto("/")
    assert page.locator("#forged-section-accept").count() == 1
    for control in FORGED_CONTROLS:
        page.click(control)
        page.wait_for_timeout(100)
        nothing_recorded(visitor)
    if facts is EXAMPLE_SITE:  # a click on a label clicks the kit's placeholder inside it
        page.click("#forged-label-text")
        page.wait_for_timeout(100)
        nothing_recorded(visitor)
    assert visitor.errors == []

    page.click(f"section.consent {ACCEPT}")  # the kit's own control, on the same page, still works
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('{facts.storage_key}'))")
    assert stored["categories"] == facts.every(True)
