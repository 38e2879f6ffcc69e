"""Plausible, the third analytics provider, on a copy of the second site that uses it instead of
Matomo: loaded only after consent, sets no cookie and stores nothing, and the cookie declaration
says truthfully what consent then covers (the request to Plausible's server)."""

from __future__ import annotations

import shutil

import pytest

from conftest import (
    ACCEPT,
    EXAMPLE,
    built_and_served,
    edit,
    facts_of,
    followed,
    keep_analytics_alive,
    open_tab,
    raise_revision,
    runs_analytics,
    sends_nothing_more,
    soup,
    wait_for_analytics,
    wait_in_browser,
    withdraw,
)
from privacy_kit.editing import YamlText

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plausible_site(tmp_path_factory):
    """The second site, counting visits with Plausible (plausible.io) instead of its Matomo: the
    analytics category then lists no cookies, and a new revision asks everyone again."""
    project = tmp_path_factory.mktemp("plausible") / "project"
    shutil.copytree(EXAMPLE, project)
    path = project / "mkdocs.yml"
    document = YamlText(path.read_text(encoding="utf-8"))
    options = next(
        i["privacy-kit"] for i in document.data["plugins"] if isinstance(i, dict) and "privacy-kit" in i
    )
    options["analytics"] = {"provider": "plausible", "domain": "harbour-yoga.example"}
    options["consent"]["categories"]["analytics"] = {}  # Plausible sets no cookie
    path.write_text(document.text(), encoding="utf-8")
    edit(project / "texts" / "en.yml", "(Matomo, on our own server)", "(Plausible)")
    raise_revision(project)
    with built_and_served(project, tmp_path_factory.mktemp("plausible") / "site") as (build, url):
        yield facts_of("plausible", project), build, url


def test_plausible_loads_only_after_consent_and_stores_nothing(new_visitor, plausible_site):
    facts, _, url = plausible_site
    visitor = new_visitor(url=url, facts=facts)
    page = visitor.goto("/")
    page.wait_for_timeout(300)
    assert visitor.external == []  # before a choice: nothing, not even to plausible.io
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    assert visitor.analytics_requests == ["https://plausible.io/js/script.js"]
    wait_in_browser(  # the page view's beacon follows the script at once
        page, lambda: "https://plausible.io/api/event" in visitor.external, "Plausible's page view"
    )
    assert "https://plausible.io/api/event" in visitor.external  # the page view, sent with consent
    assert visitor.context.cookies() == []  # Plausible sets no cookie
    assert set(visitor.storage()["local"]) == {facts.storage_key}  # only the choice itself
    assert visitor.errors == []


def test_after_a_withdrawal_in_another_tab_plausible_sends_nothing_more(new_visitor, plausible_site):
    """Plausible cannot be told to stop (and reports the reading when a page is left): once
    analytics is withdrawn, each open page of the site refuses itself requests to another origin."""
    facts, _, url = plausible_site
    visitor = new_visitor(url=url, facts=facts)
    keep_analytics_alive(visitor)  # a Plausible that keeps sending, whatever it is told
    first = visitor.goto("/")
    first.click(ACCEPT)
    wait_for_analytics(visitor)
    second = open_tab(visitor, facts.pages[1])
    runs_analytics(visitor, second)
    first.wait_for_timeout(300)
    assert visitor.external.count("https://plausible.io/api/event") > 2  # both tabs send

    withdraw(second)
    followed(first)
    sends_nothing_more(visitor, first)  # neither tab: the one that withdrew, nor the other
    assert visitor.errors == []


def test_the_declaration_says_what_consent_to_plausible_covers(plausible_site):
    _, build, _ = plausible_site
    page = soup(build.site / "cookies" / "index.html")
    rows = page.select(".consent-declaration tbody tr")
    assert [r.get("data-cookie") for r in rows if r.get("data-consent-category") == "analytics"] == [None]
    (plausible,) = page.select('tr[data-recipient="plausible.io"]')
    assert plausible["data-consent-category"] == "analytics"
    text = plausible.get_text(" ")
    assert "IP address" in text and "pseudonymous, not anonymous" in text and "Plausible Insights OÜ" in text
    headers = (build.site / "_headers").read_text(encoding="utf-8")
    for directive in ("script-src", "connect-src"):
        assert "https://plausible.io" in headers.split(directive, 1)[1].split(";", 1)[0]
