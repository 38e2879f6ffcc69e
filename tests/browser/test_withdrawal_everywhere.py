"""A withdrawal holds on every open page of the site, in Chromium, on both sites: a page open in
another tab follows the stored choice (the storage event), and a page restored from the
back/forward cache reads it again before it sends anything more. The analytics services are
answered by stand-ins that keep sending and setting their cookies until they are told to stop
(conftest.LIVING_ANALYTICS), so silence afterwards is the kit's doing. The same cases run in
Firefox and WebKit (tests/engines/cases.json)."""

from __future__ import annotations

import pytest

from conftest import (
    ACCEPT,
    Visitor,
    analytics_cookies,
    followed,
    keep_analytics_alive,
    open_tab,
    runs_analytics,
    sends_nothing_more,
    wait_for_analytics,
    withdraw,
)
from privacy_kit.serving.chromium import CHROMIUM_ARGS, find_chromium, offline

pytestmark = pytest.mark.browser


def test_a_withdrawal_in_another_tab_stops_analytics_here_and_the_cookies_stay_deleted(
    new_visitor, consent_site
):
    facts, url = consent_site
    visitor = new_visitor(url=url, facts=facts)
    keep_analytics_alive(visitor)
    first = visitor.goto("/")
    first.click(ACCEPT)
    wait_for_analytics(visitor)
    second = open_tab(visitor, facts.pages[1])
    runs_analytics(visitor, second)
    first.wait_for_timeout(300)
    assert len(visitor.external) > 4 and analytics_cookies(visitor)  # both tabs send, and set cookies

    first.evaluate("window.__samePageView = true")
    withdraw(second)
    followed(first)
    sends_nothing_more(visitor, first)
    assert analytics_cookies(visitor) == []
    assert first.evaluate("window.__samePageView") is True  # it stopped where it was
    assert visitor.errors == []


def test_a_tab_open_before_the_choice_follows_it_both_ways(new_visitor, consent_site):
    facts, url = consent_site
    visitor = new_visitor(url=url, facts=facts)
    keep_analytics_alive(visitor)
    first = visitor.goto("/")  # the banner asks here
    second = open_tab(visitor, facts.pages[1])
    second.click(ACCEPT)
    runs_analytics(visitor, first)  # the accept reached the first tab: analytics runs there too
    assert first.locator("#consent").is_hidden()  # and its banner, answered, is gone

    withdraw(first)
    followed(second)
    sends_nothing_more(visitor, second)
    assert analytics_cookies(visitor) == []
    assert visitor.errors == []


@pytest.fixture(scope="module")
def cache_keeping_browser(browser):
    """Chromium with its back/forward cache, which Playwright turns off by default."""
    chromium = browser.browser_type.launch(
        executable_path=find_chromium(),
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield chromium
    chromium.close()


def test_a_page_restored_from_the_back_forward_cache_sends_nothing_after_a_withdrawal(
    cache_keeping_browser, consent_site
):
    facts, url = consent_site
    context = cache_keeping_browser.new_context()
    try:
        visitor = Visitor(context, context.new_page(), url, facts)
        offline(context, url.rsplit(":", 1)[0], visitor.record, facts.stand_ins)
        keep_analytics_alive(visitor)
        context.add_init_script("addEventListener('pageshow', (e) => { window.__restored = e.persisted; });")
        page = visitor.goto("/")
        page.on("pageerror", lambda error: visitor.errors.append(str(error)))
        page.click(ACCEPT)
        wait_for_analytics(visitor)
        visitor.goto(facts.pages[1])
        runs_analytics(visitor, page)
        withdraw(page)

        page.go_back(wait_until="commit")  # back to the first page, as it was: analytics running
        page.wait_for_function("() => window.__restored === true", timeout=5000)
        followed(page)
        sends_nothing_more(visitor, page)
        assert analytics_cookies(visitor) == []
        assert visitor.errors == []
    finally:
        context.close()
