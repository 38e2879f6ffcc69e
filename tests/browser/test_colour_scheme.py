"""The visitor's colour scheme: light or dark as the system prefers (Material's automatic
palette), banner and preferences included, with Material's switch; the scheme is stored only once
the visitor uses the switch, and the cookie declaration lists it. No request more than in light."""

from __future__ import annotations

import pytest

from conftest import CLINIC, PREFERENCES, SAVE, axe_violations, banner_visible, settle
from privacy_kit.project import Project

PALETTE_KEY = Project(CLINIC.project / "mkdocs.yml").palette_key
SWITCH = "form[data-md-component=palette] button:not([hidden])"


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def luminance(page, selector: str) -> float:
    """The relative luminance of an element's background (0 black … 1 white)."""
    return page.locator(selector).evaluate(
        """(el) => { const [r, g, b] = getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).map(Number)
             .slice(0, 3).map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
           return 0.2126 * r + 0.7152 * g + 0.0722 * b; }"""
    )


@pytest.mark.parametrize(("preference", "expected"), [("light", "default"), ("dark", "slate")])
def test_the_scheme_follows_the_visitors_preference_banner_included(new_visitor, preference, expected):
    visitor = new_visitor(color_scheme=preference)
    page = visitor.goto("/")
    settle(page)
    assert scheme(page) == expected
    assert banner_visible(page)
    banner, body = luminance(page, "#consent"), luminance(page, "body")
    assert (banner < 0.05 and body < 0.05) if preference == "dark" else (banner > 0.9 and body > 0.9)


@pytest.mark.parametrize("path", CLINIC.pages)
def test_axe_finds_nothing_in_the_dark_scheme_with_banner_or_preferences(new_visitor, path):
    page = new_visitor(color_scheme="dark", bypass_csp=True).goto(path)
    assert scheme(page) == "slate" and banner_visible(page)
    assert axe_violations(page) == []
    page.click(PREFERENCES)
    assert page.locator(SAVE).is_visible()
    assert axe_violations(page) == []


def test_the_scheme_is_stored_only_when_the_visitor_uses_the_switch_and_is_declared(new_visitor):
    visitor = new_visitor(color_scheme="dark")
    page = visitor.goto("/")
    settle(page)
    assert visitor.storage()["local"] == {}  # Material would store the scheme on every page view
    page.click(SWITCH)
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert list(visitor.storage()["local"]) == [PALETTE_KEY]
    visitor.goto("/cookies/")  # the choice holds, and the declaration lists it as necessary
    settle(page)
    assert scheme(page) == "default"
    row = page.locator(f'.consent-declaration tr[data-cookie="{PALETTE_KEY}"]')
    assert row.get_attribute("data-consent-category") == "necessary"
    assert visitor.external == []


def test_the_dark_scheme_costs_no_request(new_visitor):
    seen = {}
    for preference in ("light", "dark"):
        visitor = new_visitor(color_scheme=preference)
        urls = []
        visitor.page.on("request", lambda request, urls=urls: urls.append(request.url))
        settle(visitor.goto("/"))
        seen[preference] = sorted(urls)
    assert seen["dark"] == seen["light"] and len(seen["light"]) > 0


@pytest.mark.parametrize("key", ["Enter", " "])
def test_the_switch_is_a_named_button_the_keyboard_reaches_and_keeps_focus(new_visitor, key):
    """Material's switch is an invisible radio button for the keyboard; ours is a button named by
    its title, reached by Tab, used by Enter or Space, and focus stays on it (WCAG 2.1.1, 4.1.2)."""
    page = new_visitor(color_scheme="light").goto("/")
    settle(page)
    assert page.locator("form[data-md-component=palette] input").evaluate_all(
        "(inputs) => inputs.every((i) => i.tabIndex === -1)"
    )
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('[data-md-component=palette]') !== null"):
            break
    focused = page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.getAttribute('aria-label')]"
    )
    assert focused == ["BUTTON", page.locator(SWITCH).get_attribute("title")]
    for expected in ("slate", "default"):
        page.keyboard.press(key)
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') === '{expected}'")
        assert page.evaluate(
            "document.activeElement.matches('form[data-md-component=palette] button:not([hidden])')"
        )
