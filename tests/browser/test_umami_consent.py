"""Umami on a copy of the second site (tests/test_umami.py's): loaded only after consent, it sets
no cookie and stores nothing, and once analytics is withdrawn in another tab every further event
of this one is cancelled by the page (Umami's data-before-send), answered here by its stand-in."""

from __future__ import annotations

import pytest

from conftest import ACCEPT, built_and_served, facts_of, followed, open_tab, wait_for_analytics, withdraw
from test_umami import umami_site  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served_umami(umami_site, tmp_path_factory):  # noqa: F811
    with built_and_served(umami_site, tmp_path_factory.mktemp("umami") / "site") as (_, url):
        yield facts_of("umami", umami_site), url


def test_umami_loads_only_after_consent_stores_nothing_and_stops_on_a_withdrawal(new_visitor, served_umami):
    facts, url = served_umami
    events = facts.analytics_url.removesuffix("script.js") + "api/send"
    visitor = new_visitor(url=url, facts=facts)
    first = visitor.goto("/")
    first.wait_for_timeout(300)
    assert visitor.external == []  # before a choice: nothing, not even to its own Umami
    first.click(ACCEPT)
    wait_for_analytics(visitor)
    for _ in range(100):  # the page view's event follows the tracker at once
        if events in visitor.external:
            break
        first.wait_for_timeout(50)
    assert events in visitor.external  # the page view, sent with consent
    assert visitor.context.cookies() == []  # Umami sets no cookie
    assert set(visitor.storage()["local"]) == {facts.storage_key}  # no visitor ID: only the choice

    withdraw(open_tab(visitor, facts.pages[1]))  # another tab withdraws
    followed(first)
    sent = len(visitor.external)
    first.evaluate("() => window.umami.track()")  # an event after the withdrawal
    first.wait_for_timeout(500)
    assert visitor.external[sent:] == []  # cancelled before it was sent
    assert visitor.errors == []
