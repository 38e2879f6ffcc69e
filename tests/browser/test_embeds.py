"""An embed behind consent (the example site's Vimeo video): nothing loads before a choice or
after a refusal; its placeholder names the provider and loads it with one click, which is a
choice for its category alone; withdrawing empties the frame again."""

from __future__ import annotations

import json

import pytest

from conftest import ACCEPT, EXAMPLE_SITE, OPEN, REJECT, SAVE, banner_visible, settle, wait_in_browser
from privacy_kit.consent.contract import category_box

GRANT = '[data-consent-action="grant"]'
CATEGORY = next(c for c in EXAMPLE_SITE.categories if c != "analytics")  # its embeds' category
FRAME = f'iframe[data-consent-category="{CATEGORY}"]'


@pytest.fixture
def example(new_visitor, served_example):
    return new_visitor(url=served_example[1], facts=EXAMPLE_SITE)


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{EXAMPLE_SITE.storage_key}')") or "null")


def embed_requests(visitor) -> list[str]:
    return [url for url in visitor.external if url.startswith("https://player.vimeo.com/")]


def test_before_a_choice_the_frame_is_empty_and_the_placeholder_names_the_provider(example):
    page = example.goto("/")
    settle(page)
    frame = page.locator(FRAME)
    assert frame.count() == 1 and frame.get_attribute("src") is None and frame.is_hidden()
    placeholder = page.locator("[data-consent-placeholder]")
    assert placeholder.is_visible()
    provider = frame.get_attribute("data-consent-provider")
    assert provider in placeholder.inner_text() and provider in page.locator(GRANT).inner_text()
    assert embed_requests(example) == [] and example.external == []


def test_the_placeholder_loads_the_video_with_one_click_and_that_is_a_choice_for_its_category(example):
    page = example.goto("/")
    page.click(GRANT)
    page.wait_for_function(f"() => document.querySelector('{FRAME}').src !== ''")
    frame = page.locator(FRAME)
    assert frame.is_visible() and frame.get_attribute("src") == frame.get_attribute("data-src")
    assert not page.locator("[data-consent-placeholder]").is_visible()
    wait_in_browser(page, lambda: embed_requests(example), "the frame's request")
    page.wait_for_timeout(200)  # and no second one
    assert embed_requests(example) == [frame.get_attribute("data-src")]
    choice = stored(page)["categories"]
    assert choice == {**EXAMPLE_SITE.every(False), CATEGORY: True}  # analytics stays refused
    assert example.analytics_requests == []
    assert not banner_visible(page)
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"  # on what it loaded
    assert page.locator("#consent-status").inner_text() != ""  # and said so
    example.goto("/")  # the choice holds: the video loads on the next page view too
    page.wait_for_function(f"() => document.querySelector('{FRAME}').src !== ''")
    assert not banner_visible(page)


def test_accept_all_loads_the_video_and_reject_all_keeps_it_out(new_visitor, served_example):
    accepting = new_visitor(url=served_example[1], facts=EXAMPLE_SITE)
    page = accepting.goto("/")
    page.click(ACCEPT)
    page.wait_for_function(f"() => document.querySelector('{FRAME}').src !== ''")
    rejecting = new_visitor(url=served_example[1], facts=EXAMPLE_SITE)
    page = rejecting.goto("/")
    page.click(REJECT)
    rejecting.goto("/")
    settle(page)
    assert page.locator(FRAME).get_attribute("src") is None
    assert page.locator("[data-consent-placeholder]").is_visible()
    assert embed_requests(rejecting) == []


def test_withdrawing_empties_the_frame_and_it_stays_empty(example):
    page = example.goto("/")
    page.click(GRANT)
    page.wait_for_function(f"() => document.querySelector('{FRAME}').src !== ''")
    page.click(OPEN)
    page.uncheck(category_box(CATEGORY))
    page.click(SAVE)
    assert page.locator(FRAME).get_attribute("src") is None and page.locator(FRAME).is_hidden()
    assert page.locator("[data-consent-placeholder]").is_visible()
    loaded = len(embed_requests(example))
    example.goto("/")
    settle(page)
    assert page.locator(FRAME).get_attribute("src") is None
    assert len(embed_requests(example)) == loaded
