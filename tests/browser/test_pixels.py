"""Proof that the reductions change nothing visible (privacy_kit/reduction.py): each site is built
twice, as it ships and with PRIVACY_KIT_REDUCTIONS=off, and the same views of both are compared
pixel by pixel in Chromium. Any difference fails and names the site, page, device, scheme and state.

The clinic's build is a copy with its next policy version published, so that every page type
exists (policy, translation, cookie page, history, an archived version, a redline, 404); the
second site adds its home, privacy and cookie pages. Not every combination is taken, only enough
that every page type, every state (banner, preferences open, after a choice, search open with
results, phone drawer open), both devices and both schemes each occur, and every state on both
devices (the drawer exists on a phone only). Views after a choice are of the whole page.

Determinism: a fixed viewport at device scale 1, reduced motion, animations and transitions
finished and the caret hidden (Playwright's screenshot options), fonts and the network idle."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import pytest

from conftest import CLINIC, DOCS_SITE, EXAMPLE, EXAMPLE_SITE, docs_project
from privacy_kit.consent.contract import ACCEPT, PREFERENCES, REJECT
from privacy_kit.reduction import SWITCH
from privacy_kit.serving.building import build
from privacy_kit.serving.chromium import offline
from privacy_kit.serving.hosting import serve

DEVICES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SEARCH_FOR = {"clinic": "cookies", "example": "cookies", "docs": "tides"}
# The documentation site's formulas are drawn after the page loads (KaTeX), its diagrams are
# images (drawn at build time) that load with it.
RENDERED = """() => [...document.images].every((image) => image.complete)
  && [...document.querySelectorAll('.arithmatex')].every((e) => e.querySelector('.katex'))"""
NO_ANIMATION = "*, ::before, ::after { animation: none !important; }"
FACTS = {"clinic": CLINIC, "example": EXAMPLE_SITE, "docs": DOCS_SITE}


@dataclass(frozen=True)
class View:
    site: str  # clinic, example or docs
    page: str  # a page type, a key of the site's paths
    device: str
    scheme: str  # light or dark
    state: str  # banner, preferences, accepted, rejected, search, drawer

    def __str__(self) -> str:
        return f"{self.site} {self.page} {self.device} {self.scheme} {self.state}"


VIEWS = [
    View("clinic", "policy", "desktop", "light", "banner"),
    View("clinic", "policy", "phone", "dark", "banner"),
    View("clinic", "translation", "desktop", "dark", "preferences"),
    View("clinic", "cookies", "phone", "light", "preferences"),
    View("clinic", "history", "desktop", "light", "accepted"),
    View("clinic", "archive", "phone", "dark", "rejected"),
    View("clinic", "redline", "desktop", "dark", "rejected"),
    View("clinic", "redline", "phone", "light", "banner"),
    View("clinic", "404", "phone", "light", "banner"),
    View("clinic", "404", "desktop", "dark", "rejected"),
    View("clinic", "translation", "desktop", "light", "search"),
    View("clinic", "policy", "phone", "dark", "search"),
    View("clinic", "policy", "phone", "light", "drawer"),
    View("clinic", "history", "phone", "dark", "drawer"),
    View("example", "home", "desktop", "light", "banner"),
    View("example", "privacy", "phone", "light", "preferences"),
    View("example", "cookies", "desktop", "light", "accepted"),
    View("example", "home", "phone", "light", "search"),
    View("example", "privacy", "phone", "dark", "drawer"),
    View("example", "404", "desktop", "light", "rejected"),
    # The documentation site: its own home template, content tabs that overflow on a phone (the
    # arrows Material's script builds), math, diagrams, the blog.
    View("docs", "home", "desktop", "light", "banner"),
    View("docs", "tabs", "phone", "light", "rejected"),
    View("docs", "tabs", "desktop", "dark", "accepted"),
    View("docs", "math", "desktop", "light", "rejected"),
    View("docs", "diagrams", "phone", "dark", "rejected"),
    View("docs", "blog", "desktop", "light", "search"),
]


SESSION_BUILD = {"clinic": "published_site", "example": "served_example", "docs": "served_docs"}


def paths_of(name: str, published_site) -> dict[str, str]:
    """The paths of the page types of the site ``name``."""
    if name == "clinic":
        return {
            "policy": "/",
            "translation": "/en/",
            "cookies": CLINIC.pages[1],
            "history": "/versies/",
            "archive": f"/versies/{published_site.previous}/",
            "redline": f"/versies/{published_site.version}/wijzigingen/",
            "404": "/404.html",
        }
    if name == "example":
        return {"home": "/", "privacy": "/privacy/", "cookies": EXAMPLE_SITE.pages[1], "404": "/404.html"}
    return {
        "home": "/",
        "tabs": "/getting-started/installation/",
        "math": "/guide/harmonic-analysis/",
        "diagrams": "/guide/pipeline/",
        "blog": "/blog/",
    }


@contextlib.contextmanager
def both_ways(name: str, request, tmp_path_factory, published_site):
    """The site ``name``, built both ways and served: {"reduced"|"unreduced": url, "paths": the
    paths of its page types}. As shipped it is the session's build (conftest's
    ``published_site``, the clinic with its next version published, ``served_example`` or
    ``served_docs``: the suite builds with no PRIVACY_KIT_REDUCTIONS); here it is built once more
    with it off."""
    root = tmp_path_factory.mktemp(f"pixels-{name}")
    project = {"clinic": published_site.project, "example": EXAMPLE}.get(name) or docs_project(
        root / "project"
    )
    reduced = request.getfixturevalue(SESSION_BUILD[name])
    reduced_url = reduced.url if name == "clinic" else reduced[1]
    with serve(root / "site") as url:
        done = build(project, root / "site", site_url=url + "/", environment={SWITCH: "off"})
        assert done.returncode == 0, done.output
        yield {"reduced": reduced_url, "unreduced": url, "paths": paths_of(name, published_site)}


# One module fixture per site, so that each site's views run in one worker (its unreduced build
# made once) and the three sites in any workers.
@pytest.fixture(scope="module")
def clinic_both_ways(request, tmp_path_factory, published_site):
    with both_ways("clinic", request, tmp_path_factory, published_site) as site:
        yield site


@pytest.fixture(scope="module")
def example_both_ways(request, tmp_path_factory, published_site):
    with both_ways("example", request, tmp_path_factory, published_site) as site:
        yield site


@pytest.fixture(scope="module")
def docs_both_ways(request, tmp_path_factory, published_site):
    with both_ways("docs", request, tmp_path_factory, published_site) as site:
        yield site


def screenshot(browser, url: str, path: str, view: View, facts) -> bytes:
    return screenshots(browser, [url], path, view, facts)[0]


def screenshots(browser, urls: list[str], path: str, view: View, facts) -> list[bytes]:
    """``view`` of ``path`` at each of ``urls``, the pages taken step by step side by side, so
    that their waits for a quiet network and for Material's timers overlap."""
    contexts = [
        browser.new_context(
            viewport=DEVICES[view.device],
            device_scale_factor=1,
            color_scheme=view.scheme,
            reduced_motion="reduce",
        )
        for _ in urls
    ]
    try:
        pages = []
        for context, url in zip(contexts, urls, strict=True):
            offline(context, url.rsplit(":", 1)[0], None, facts.stand_ins)
            pages.append(context.new_page())
            pages[-1].goto(url + path)
        for page in pages:
            page.wait_for_load_state("networkidle")
        full_page = view.state in ("accepted", "rejected")
        for page in pages:
            act(page, view)
        for page in pages:
            page.wait_for_function(RENDERED)
            page.evaluate("document.fonts.ready")
            page.wait_for_load_state("networkidle")
        pages[0].wait_for_timeout(300)  # Material's own timers (the header's shadow, the search's scroll)
        if full_page:
            # The whole page in one viewport: Chromium's full-page capture rasterises the rows
            # beyond the viewport apart, and their seam differs from shot to shot by a few levels.
            for page in pages:
                height = page.evaluate("document.documentElement.scrollHeight")
                page.set_viewport_size({**DEVICES[view.device], "height": height})
            for page in pages:
                page.wait_for_function(RENDERED)
            pages[0].wait_for_timeout(300)
        # Material's annotation markers pulse for ever: Playwright cancels such an animation, at
        # whatever frame it had reached; none at all is the same frame on every shot.
        return [page.screenshot(animations="disabled", caret="hide", style=NO_ANIMATION) for page in pages]
    finally:
        for context in contexts:
            context.close()


def act(page, view: View) -> None:
    """What the visitor of ``view`` did on the page: opened the preferences, chose, searched."""
    if view.state == "preferences":
        page.click(PREFERENCES)
    elif view.state in ("accepted", "rejected", "search", "drawer"):
        page.click(ACCEPT if view.state == "accepted" else REJECT)
        page.wait_for_selector(REJECT, state="hidden")
    if view.state == "search":
        if view.device == "phone":
            page.click('.md-header label[for="__search"]')
        page.click(".md-search__input")
        page.keyboard.type(SEARCH_FOR[view.site])
        page.wait_for_selector(".md-search-result__item")
    elif view.state == "drawer":
        page.click('.md-header [for="__drawer"]')
        page.wait_for_function("document.getElementById('__drawer').checked")


def difference(a: bytes, b: bytes) -> str | None:
    """None when the two PNGs are the same pixels, else what differs."""
    from PIL import Image, ImageChops

    first, second = Image.open(io.BytesIO(a)).convert("RGB"), Image.open(io.BytesIO(b)).convert("RGB")
    if first.size != second.size:
        return f"sizes differ: {first.size} reduced, {second.size} unreduced"
    box = ImageChops.difference(first, second).getbbox()  # RGB: an RGBA bbox would see alpha only
    return None if box is None else f"pixels differ within {box} (left, top, right, bottom)"


def no_pixel_changed(browser, site: dict, view: View, tmp_path) -> None:
    """The reduced and the unreduced build of ``site`` show ``view`` with the same pixels."""
    facts = FACTS[view.site]
    path = site["paths"][view.page]
    builds = ("reduced", "unreduced")
    shots = dict(zip(builds, screenshots(browser, [site[b] for b in builds], path, view, facts), strict=True))
    found = difference(shots["reduced"], shots["unreduced"])
    if found:
        for name, png in shots.items():
            (tmp_path / f"{name}.png").write_bytes(png)
    assert found is None, f"{view} ({path}): {found}; screenshots in {tmp_path}"


def views_of(site: str) -> dict:
    views = [view for view in VIEWS if view.site == site]
    return {"argvalues": views, "ids": [str(v).replace(" ", "-") for v in views]}


@pytest.mark.parametrize("view", **views_of("clinic"))
def test_the_reductions_change_no_pixel_of_the_clinic(browser, clinic_both_ways, view, tmp_path):
    no_pixel_changed(browser, clinic_both_ways, view, tmp_path)


@pytest.mark.parametrize("view", **views_of("example"))
def test_the_reductions_change_no_pixel_of_the_example(browser, example_both_ways, view, tmp_path):
    no_pixel_changed(browser, example_both_ways, view, tmp_path)


@pytest.mark.parametrize("view", **views_of("docs"))
def test_the_reductions_change_no_pixel_of_the_docs(browser, docs_both_ways, view, tmp_path):
    no_pixel_changed(browser, docs_both_ways, view, tmp_path)


def test_the_comparison_sees_one_changed_css_rule(browser, clinic_both_ways):
    """The comparison is not blind: one CSS rule changed in one build (the header's colour) is found."""
    view = View("clinic", "policy", "desktop", "light", "banner")
    url = clinic_both_ways["unreduced"]
    plain = screenshot(browser, url, "/", view, CLINIC)
    context = browser.new_context(viewport=DEVICES["desktop"], device_scale_factor=1, reduced_motion="reduce")
    try:
        offline(context, url.rsplit(":", 1)[0], None, CLINIC.stand_ins)
        page = context.new_page()
        page.goto(url + "/", wait_until="networkidle")
        page.evaluate(
            """() => { const s = new CSSStyleSheet(); s.replaceSync('.md-header { background-color: #3f51b4 }');
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }"""
        )
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(300)
        changed = page.screenshot(animations="disabled", caret="hide")
    finally:
        context.close()
    assert difference(changed, plain)
