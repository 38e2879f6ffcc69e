"""Search on first use (privacy_kit/reduction.py, theme/partials/javascripts/interface.html): Material's search worker, lunr and
its stemmers and the search index load only when the visitor first focuses or opens the search,
and the first results then appear for what was typed, with no second action: in every language,
with the keyboard, and on a phone."""

from __future__ import annotations

import pytest

from conftest import REJECT, settle

SEARCH_FILES = ("/search/search_index.json", "/workers/search.", "/lunr/")


def search_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if any(part in url for part in SEARCH_FILES)]


def recorded(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [("/", "rechten", "/"), ("/en/cookies/", "rights", "/en/"), ("/de/", "Rechte", "/de/")],
)
def test_nothing_of_search_loads_before_use_then_typing_finds_results(visitor, path, query, expected):
    page = visitor.page
    requests = recorded(page)
    visitor.goto(path)
    page.click(REJECT)
    settle(page)
    page.mouse.wheel(0, 400)  # reading and scrolling is no use of the search
    settle(page)
    assert search_requests(requests) == []
    page.click("input.md-search__input")
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    assert search_requests(requests), "the index and the worker load on first use"
    hrefs = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert hrefs and all(href.startswith(expected) for href in hrefs), hrefs
    assert visitor.errors == []


def test_the_keyboard_alone_opens_search_and_finds_results(visitor):
    """Tab to the search field (the first use is its focus), type: results, no further key."""
    page = visitor.page
    requests = recorded(page)
    visitor.goto("/")
    page.click(REJECT)
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.md-search__input')"):
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type("cookies")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert search_requests(requests)
    status = page.locator(".md-search-result__meta").inner_text().strip()
    assert status.endswith("overeenkomende documenten") or status == "1 overeenkomend document", status


def test_on_a_phone_the_search_button_opens_search_and_typing_finds_results(new_visitor):
    visitor = new_visitor(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = visitor.page
    requests = recorded(page)
    visitor.goto("/en/")
    page.click(REJECT)
    settle(page)
    assert search_requests(requests) == []
    page.tap('.md-header label[for="__search"]')
    page.keyboard.type("cookies")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert search_requests(requests)
    assert visitor.errors == []
