"""One consent across languages, the banner in the page's language, and search per language."""

from __future__ import annotations

import pytest

from conftest import ACCEPT, REJECT, axe_violations, banner_visible, settle, wait_for_analytics


def test_accept_in_english_holds_in_dutch_and_german(visitor):
    page = visitor.goto("/en/")
    assert page.get_by_role("region", name="Cookies on this website").is_visible()
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    for path in ("/", "/de/cookies/"):
        visitor.goto(path)
        wait_for_analytics(visitor)
        assert not banner_visible(page), path
    assert len(visitor.analytics_requests) == 3


def test_german_visitor_gets_a_german_banner_and_the_choice_holds_after_switching_to_dutch(visitor):
    page = visitor.goto("/de/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Dies ist eine Übersetzung" in page.locator("article").inner_text()
    assert page.get_by_role("region", name="Cookies auf dieser Website").is_visible()
    assert page.locator(REJECT).inner_text() == "Alle ablehnen"
    page.click(REJECT)
    page.locator('a.md-select__link[hreflang="nl"]').dispatch_event("click")  # the language switcher
    page.wait_for_url(visitor.base_url + "/")
    settle(page)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert not banner_visible(page)
    assert visitor.analytics_requests == []


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [("/de/", "Rechte", "/de/"), ("/en/", "rights", "/en/"), ("/", "rechten", "/")],
)
def test_search_finds_only_pages_of_the_current_language(visitor, path, query, expected):
    page = visitor.goto(path)
    page.click(REJECT)
    page.click("input.md-search__input")
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert hrefs
    for href in hrefs:
        assert href.startswith(expected), href
        assert not (expected == "/" and href.startswith(("/en/", "/de/"))), href


@pytest.mark.parametrize("path", ["/en/", "/de/cookies/", "/de/404.html"])
def test_axe_finds_no_wcag_aa_violation_in_translations(new_visitor, path):
    page = new_visitor(bypass_csp=True).goto(path)
    assert banner_visible(page)
    assert axe_violations(page) == []
