"""The banner's first layer in Chromium: what it says in each language, and that it fits every
screen: every button fully visible without scrolling, accept and reject alike, the banner at most
half the viewport on small screens and a third from 390x700 CSS px up, the text scrolling inside."""

from __future__ import annotations

import pytest

FIRST_LAYER = '[data-consent-view="banner"]'
ACTIONS = ["accept-all", "reject-all", "preferences"]
HOMES = {"nl": "/", "en": "/en/", "de": "/de/"}

# What each language's first layer must say: the tool, its purpose, that Google receives data
# about the visit, that refusing is as easy, how to withdraw, and where to read more.
MUST_SAY = {
    "nl": [
        "Google Analytics", "om te meten hoe onze website wordt gebruikt", "verbeteren",
        "Google ontvangt daarbij gegevens over uw bezoek", "Weigeren is net zo makkelijk",
        "toestemming altijd intrekken of uw keuze wijzigen", "Meer informatie in artikel 8",
    ],
    "en": [
        "Google Analytics", "to measure how our website is used", "improve",
        "Google receives data about your visit", "Rejecting is just as easy",
        "withdraw your consent or change your choice", "More information in section 8",
    ],
    "de": [
        "Google Analytics", "um zu messen, wie unsere Website genutzt wird", "verbessern",
        "Google erhält dabei Daten über Ihren Besuch", "Das Ablehnen ist genauso einfach",
        "Einwilligung jederzeit", "widerrufen oder Ihre Auswahl ändern", "Weitere Informationen in Abschnitt 8",
    ],
}  # fmt: skip

# Phones portrait and landscape, 200 % zoom of 1280x800 (640x400) and of 1280x720, tablets, desktops.
VIEWPORTS = [
    (320, 568), (568, 320), (360, 640), (640, 360), (390, 844), (844, 390), (640, 400),
    (412, 915), (768, 1024), (1024, 768), (1280, 800), (1920, 1080),
]  # fmt: skip


def third_at_most(width: int, height: int) -> bool:
    """Where the banner may cover only a third: from 390x700 CSS px up (so 390x844 and 1280x800)."""
    return width >= 390 and height >= 700


@pytest.mark.parametrize("lang", HOMES)
def test_first_layer_names_purpose_google_and_withdrawal(visitor, lang):
    page = visitor.goto(HOMES[lang])
    text = " ".join(page.locator(FIRST_LAYER).inner_text().split())
    for phrase in MUST_SAY[lang]:
        assert phrase in text, (lang, phrase)


MEASURE = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));  // after resize
  const rect = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const view = document.querySelector('[data-consent-view="banner"]'), text = document.querySelector('[data-consent-scroll]');
  const buttons = [...view.querySelectorAll('button')].map((b) => {
    const r = b.getBoundingClientRect(), hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return {action: b.dataset.consentAction, ...rect(b), onTop: hit === b || b.contains(hit)};
  });
  return {banner: rect(document.getElementById('consent')), view: rect(view), viewScroll: view.scrollTop,
          viewOverflow: view.scrollHeight - view.clientHeight, buttons,
          text: {scrollHeight: text.scrollHeight, clientHeight: text.clientHeight, tabIndex: text.tabIndex,
                 line: parseFloat(getComputedStyle(text).lineHeight), shadow: getComputedStyle(text).boxShadow}};
}"""


def inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + slack
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + slack
    )


@pytest.mark.parametrize("lang", HOMES)
def test_first_layer_fits_every_viewport_with_all_buttons_visible(new_visitor, lang):
    page = new_visitor(viewport={"width": 320, "height": 568}).goto(HOMES[lang])
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        m = page.evaluate(MEASURE)
        where = f"{lang} {width}x{height}: {m}"
        screen = {"x": 0, "y": 0, "w": width, "h": height}
        banner = m["banner"]
        assert banner["y"] + banner["h"] == pytest.approx(height, abs=1), where
        assert banner["h"] <= height / (3 if third_at_most(width, height) else 2) + 0.5, where
        # Every button fully visible without scrolling: on screen, inside the banner and inside the
        # first layer's visible part (which does not scroll at all), and not covered by anything.
        assert m["viewScroll"] == 0 and m["viewOverflow"] <= 1, where
        assert [b["action"] for b in m["buttons"]] == ACTIONS, where
        for button in m["buttons"]:
            assert inside(button, screen) and inside(button, banner) and inside(button, m["view"]), where
            assert button["onTop"], where
        accept, reject = m["buttons"][0], m["buttons"][1]
        assert (accept["w"], accept["h"], accept["y"]) == pytest.approx(
            (reject["w"], reject["h"], reject["y"]), abs=0.5
        )
        # The text gets at least two lines; when it does not fit, it scrolls, shows a shadow at its
        # bottom edge, and Tab reaches it.
        text = m["text"]
        assert text["clientHeight"] >= 2 * text["line"] - 1, where
        overflows = text["scrollHeight"] > text["clientHeight"]
        assert text["tabIndex"] == (0 if overflows else -1), where
        assert (text["shadow"] != "none") == overflows, where


def test_text_that_does_not_fit_is_a_named_scroll_region_reached_by_tab(new_visitor):
    page = new_visitor(viewport={"width": 320, "height": 568}).goto("/")
    region = page.locator("[data-consent-scroll]")
    assert region.evaluate("el => el.scrollHeight > el.clientHeight")  # the Dutch text overflows here
    named = page.get_by_role("group", name="Cookies op deze website")
    assert named.evaluate("el => el.hasAttribute('data-consent-scroll')")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-consent-scroll')"):
            break
    assert page.evaluate("document.activeElement.hasAttribute('data-consent-scroll')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") not in ("none", "")
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('[data-consent-scroll]').scrollTop > 0")
    # On a desktop the same text fits: no extra tab stop there.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert region.evaluate("el => el.scrollHeight <= el.clientHeight && el.tabIndex === -1")
