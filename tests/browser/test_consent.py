"""The cookie banner in Chromium against the built sites: the twelve behaviours of the consent
issue. The cases that take ``site_visitor`` run against both sites built with the kit (the clinic's,
with Google Analytics in three languages, and the example's, with Matomo and an embed); their
facts come from each site's mkdocs.yml. The declared services are answered by stand-ins
(conftest); nothing leaves the machine."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from conftest import (
    ACCEPT,
    CLINIC,
    EXAMPLE_SITE,
    OPEN,
    PREFERENCES,
    PROPERTY,
    RECORD_LAYOUT_SHIFTS,
    REJECT,
    SAVE,
    axe_violations,
    banner_visible,
    consent_revision,
    layout_shifts_below_the_header,
    settle,
    wait_for_analytics,
)
from privacy_kit.consent import contract
from privacy_kit.consent.contract import category_box
from privacy_kit.project import Project

ANALYTICS_BOX = category_box("analytics")
KEY = CLINIC.storage_key


def stored(page, facts=CLINIC):
    return json.loads(page.evaluate(f"localStorage.getItem('{facts.storage_key}')") or "null")


def data_layer(page) -> list:
    return page.evaluate("() => (window.dataLayer || []).map(entry => Array.from(entry))")


def record(facts=CLINIC, **changes) -> dict:
    """A well-formed stored choice (every category granted), with fields changed as given."""
    base = {
        "schema": 1,
        "revision": facts.revision,
        "categories": facts.every(True),
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "id": "0123456789abcdef0123456789abcdef",
    }
    return {**base, **changes}


def visit_with_stored(visitor, value: str, path: str = "/"):
    """Put ``value`` in the consent record's storage, then load ``path`` afresh."""
    page = visitor.goto(path)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [visitor.facts.storage_key, value])
    page.reload()
    return page


# 1. Fresh visit --------------------------------------------------------------------------------


@pytest.mark.parametrize("page_index", [0, 1], ids=["home", "declaration"])
def test_fresh_visit_sets_nothing_loads_nothing_and_shows_the_banner(site_visitor, page_index):
    visitor = site_visitor
    page = visitor.goto(visitor.facts.pages[page_index])
    settle(page)
    assert visitor.context.cookies() == []
    assert visitor.storage() == {"local": {}, "session": {}}
    assert visitor.external == []
    assert page.evaluate("typeof window.dataLayer === 'undefined' && typeof window._paq === 'undefined'")
    assert page.locator('script[type="text/plain"][data-consent-category="analytics"]').count() == 1
    assert page.locator("iframe[src]").count() == 0  # an embed waits, empty, behind its placeholder
    assert banner_visible(page) and page.locator(REJECT).is_visible()
    assert visitor.errors == []


STYLE_PROPERTIES = [
    "font-size", "font-weight", "font-family", "padding-top", "padding-left", "border-top-width",
    "border-top-style", "border-radius", "background-color", "color", "text-decoration-line",
]  # fmt: skip


def test_accept_and_reject_are_equally_prominent(site_visitor):
    page = site_visitor.goto("/")
    styles = [
        page.locator(selector).evaluate(
            "(el, props) => props.map(p => getComputedStyle(el).getPropertyValue(p))", STYLE_PROPERTIES
        )
        for selector in (ACCEPT, REJECT)
    ]
    assert styles[0] == styles[1]
    boxes = [page.locator(selector).bounding_box() for selector in (ACCEPT, REJECT)]
    assert boxes[0]["width"] == pytest.approx(boxes[1]["width"], abs=0.5)
    assert boxes[0]["height"] == pytest.approx(boxes[1]["height"], abs=0.5)
    assert boxes[0]["y"] == pytest.approx(boxes[1]["y"], abs=0.5)  # side by side: same row


def test_no_optional_category_is_pre_ticked(site_visitor):
    page = site_visitor.goto("/")
    page.click(PREFERENCES)
    boxes = page.locator(contract.CATEGORY_BOXES)
    assert boxes.count() == len(site_visitor.facts.categories)
    for i in range(boxes.count()):
        assert boxes.nth(i).is_visible() and not boxes.nth(i).is_checked()
    necessary = page.locator(".consent-categories input").first
    assert necessary.is_checked() and necessary.is_disabled()


# 2. Reject ---------------------------------------------------------------------------------------


def test_reject_closes_the_banner_and_nothing_loads_on_later_pages(site_visitor):
    visitor = site_visitor
    page = visitor.goto("/")
    page.click(REJECT)
    assert not page.locator("#consent").is_visible()
    assert stored(page, visitor.facts)["categories"] == visitor.facts.every(False)
    for path in [visitor.facts.pages[1], "/", "/404.html"]:
        visitor.goto(path)
        settle(page)
        assert not banner_visible(page), path
    assert visitor.external == []
    assert visitor.context.cookies() == []


# 3. Accept ---------------------------------------------------------------------------------------


def test_accept_loads_analytics_at_once_without_reload(site_visitor):
    visitor = site_visitor
    page = visitor.goto("/")
    navigations = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and navigations.append(frame.url))
    page.evaluate("window.__samePageView = true")
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    assert page.evaluate("window.__samePageView") is True
    assert navigations == []
    assert len(visitor.analytics_requests) == 1
    assert stored(page, visitor.facts)["categories"] == visitor.facts.every(True)
    assert not banner_visible(page)
    visitor.goto(visitor.facts.pages[1])
    wait_for_analytics(visitor)  # a new page view loads it again, without asking
    assert len(visitor.analytics_requests) == 2
    assert not banner_visible(page)


def test_accept_starts_google_analytics_with_consent_mode(visitor):
    page = visitor.goto("/")
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    assert visitor.analytics_requests == [f"https://www.googletagmanager.com/gtag/js?id={PROPERTY}"]
    consent = [entry for entry in data_layer(page) if entry[0] == "consent"]
    assert consent[0] == [
        "consent",
        "default",
        {
            "analytics_storage": "granted",
            "ad_storage": "denied",
            "ad_user_data": "denied",
            "ad_personalization": "denied",
        },
    ]
    assert ["config", PROPERTY] in data_layer(page)


def test_matomo_is_told_to_require_consent_and_is_given_it(new_visitor, served_example):
    visitor = new_visitor(url=served_example[1], facts=EXAMPLE_SITE)
    page = visitor.goto("/")
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    assert visitor.analytics_requests == [EXAMPLE_SITE.analytics_url]
    names = {c["name"].split(".")[0] for c in visitor.context.cookies()}
    assert names == {"_pk_id", "_pk_ses"}  # set by the stand-in, as Matomo sets them after consent


def test_consent_change_event_reports_the_categories(site_visitor):
    visitor = site_visitor
    visitor.context.add_init_script(
        "document.addEventListener('consent:change', e => (window.__events = window.__events || []).push(e.detail))"
    )
    page = visitor.goto("/")
    page.click(ACCEPT)
    page.click(OPEN)
    page.uncheck(ANALYTICS_BOX)
    page.click(SAVE)
    assert page.evaluate("window.__events") == [
        {"categories": visitor.facts.every(True)},
        {"categories": {**visitor.facts.every(True), "analytics": False}},
    ]


# 4. Withdraw -------------------------------------------------------------------------------------


def analytics_cookie_names(facts) -> list[str]:
    """Cookies as the declared analytics cookies are named (a trailing * is any suffix)."""
    declared = Project(facts.project / "mkdocs.yml").options.consent.categories["analytics"].cookies
    return [c.name[:-1] + "TEST" if c.name.endswith("*") else c.name for c in declared]


def test_withdraw_stops_analytics_deletes_its_cookies_everywhere_without_reload(new_visitor, consent_site):
    facts, base_url = consent_site
    port = base_url.rsplit(":", 1)[1]
    origin = f"http://www.maestro.test:{port}"  # a real parent domain (maestro.test) to delete from
    visitor = new_visitor(url=origin, facts=facts)
    page = visitor.goto("/")
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    first, second = analytics_cookie_names(facts)
    visitor.context.add_cookies(
        [
            {"name": first, "value": "1", "domain": ".maestro.test", "path": "/"},
            {"name": second, "value": "2", "domain": ".www.maestro.test", "path": "/"},
            {"name": second, "value": "3", "url": origin + facts.pages[1]},
            {"name": first, "value": "4", "domain": ".maestro.test", "path": facts.pages[1].rstrip("/")},
            {"name": "keep", "value": "1", "domain": ".maestro.test", "path": "/"},
        ]
    )
    visitor.goto(facts.pages[1])  # accepted: the cookies stay
    wait_for_analytics(visitor)
    assert {first, second, "keep"} <= {c["name"] for c in visitor.context.cookies()}

    page.evaluate("window.__samePageView = true")
    page.click(OPEN)
    assert page.locator(ANALYTICS_BOX).is_checked()
    page.uncheck(ANALYTICS_BOX)
    page.click(SAVE)
    assert page.evaluate("window.__samePageView") is True
    assert [c["name"] for c in visitor.context.cookies()] == ["keep"]
    assert stored(page, facts)["categories"] == {**facts.every(True), "analytics": False}

    requests = len(visitor.analytics_requests)
    visitor.goto("/")
    settle(page)
    assert len(visitor.analytics_requests) == requests
    assert not banner_visible(page)


def test_withdraw_tells_google_analytics_to_stop(visitor):
    page = visitor.goto("/")
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    page.click(OPEN)
    page.uncheck(ANALYTICS_BOX)
    page.click(SAVE)
    assert data_layer(page)[-1] == ["consent", "update", {"analytics_storage": "denied"}]
    assert page.evaluate(f"window['ga-disable-{PROPERTY}']") is True


# 5. The stored record ----------------------------------------------------------------------------


def test_choice_is_one_record_with_schema_revision_categories_timestamp_and_id(site_visitor):
    visitor, facts = site_visitor, site_visitor.facts
    page = visitor.goto("/")
    before = datetime.now(UTC) - timedelta(seconds=1)
    page.click(REJECT)
    value = stored(page, facts)
    assert set(value) == {"schema", "revision", "categories", "timestamp", "id"}
    assert value["schema"] == 1 and value["revision"] == facts.revision
    assert value["categories"] == facts.every(False)
    assert before <= datetime.fromisoformat(value["timestamp"].replace("Z", "+00:00")) <= datetime.now(UTC)
    assert len(value["id"]) == 32 and int(value["id"], 16) >= 0
    assert list(visitor.storage()["local"]) == [facts.storage_key]
    assert visitor.context.cookies() == []  # the choice itself is no cookie
    page.click(OPEN)
    assert page.locator("[data-consent-id]").inner_text() == value["id"]
    page.check(ANALYTICS_BOX)
    page.click(SAVE)
    assert stored(page, facts)["id"] == value["id"]  # the same visitor keeps the id to quote


def test_consent_ids_are_random(new_visitor, consent_site):
    facts, url = consent_site
    ids = set()
    for _ in range(2):
        visitor = new_visitor(url=url, facts=facts)
        visitor.goto("/").click(REJECT)
        ids.add(stored(visitor.page, facts)["id"])
    assert len(ids) == 2


def days_ago(days: float) -> str:
    return (
        (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def test_choice_holds_until_expiry(site_visitor):
    facts = site_visitor.facts
    page = visit_with_stored(site_visitor, json.dumps(record(facts, timestamp=days_ago(364))))
    wait_for_analytics(site_visitor)
    assert not banner_visible(page)


def test_expired_choice_asks_again_and_loads_nothing(site_visitor):
    facts = site_visitor.facts
    page = visit_with_stored(site_visitor, json.dumps(record(facts, timestamp=days_ago(366))))
    settle(page)
    assert banner_visible(page)
    assert site_visitor.analytics_requests == []


def test_a_stored_choice_of_another_revision_asks_again_and_is_ignored(site_visitor):
    facts = site_visitor.facts
    config = json.loads(site_visitor.goto("/").locator("#consent-config").inner_text())
    assert config["revision"] == facts.revision
    for other in (facts.revision - 1, facts.revision + 1):
        page = visit_with_stored(site_visitor, json.dumps(record(facts, revision=other)))
        settle(page)
        assert banner_visible(page), other
        assert site_visitor.analytics_requests == []


# 6. Bad stored state ----------------------------------------------------------------------------

VALID = record()
BAD_STATES = {
    "unparseable": "{not json",
    "empty": "",
    "null": "null",
    "number": "42",
    "array": "[]",
    "string": '"accept"',
    "missing categories": json.dumps({k: v for k, v in VALID.items() if k != "categories"}),
    "missing id": json.dumps({k: v for k, v in VALID.items() if k != "id"}),
    "category as string": json.dumps(record(categories={"analytics": "true"})),
    "category as number": json.dumps(record(categories={"analytics": 1})),
    "revision as string": json.dumps(record(revision=str(consent_revision()))),
    "schema unknown": json.dumps(record(schema=2)),
    "timestamp not ISO": json.dumps(record(timestamp="yesterday")),
    "timestamp as number": json.dumps(record(timestamp=1767225600000)),
    "future timestamp": json.dumps(record(timestamp=days_ago(-1))),
    "bad id": json.dumps(record(id="<img src=x onerror=alert(1)>")),
    "material's format": json.dumps({"analytics": True, "necessary": True}),
    "cookieconsent's format": json.dumps(
        {
            "categories": ["necessary", "analytics"],
            "revision": 0,
            "data": None,
            "consentId": "x",
            "consentTimestamp": VALID["timestamp"],
            "lastConsentTimestamp": VALID["timestamp"],
        }
    ),  # fmt: skip
    "huge": json.dumps(record(padding="x" * 200_000)),
    "proto in categories": json.dumps(record()).replace(
        '"categories": {"analytics": true}', '"categories": {"__proto__": {"analytics": true}}'
    ),
    "proto at top": '{"__proto__": ' + json.dumps(VALID) + "}",
    "constructor prototype": json.dumps(
        record(categories={"constructor": {"prototype": {"analytics": True}}})
    ),
}


@pytest.mark.parametrize("value", BAD_STATES.values(), ids=BAD_STATES.keys())
def test_bad_stored_state_counts_as_no_choice(visitor, value):
    """(The clinic's site: the states are written for its one optional category.)"""
    page = visit_with_stored(visitor, value)
    settle(page)
    assert banner_visible(page)
    assert visitor.analytics_requests == []
    assert visitor.errors == []
    assert page.evaluate("({}).analytics === undefined && Object.prototype.analytics === undefined")


def test_bad_state_table_has_a_valid_control(visitor):
    """The same code path with a well-formed record does load: the bad cases fail for their fault."""
    visit_with_stored(visitor, json.dumps(VALID))
    wait_for_analytics(visitor)


# 7. Global Privacy Control ------------------------------------------------------------------------

GPC = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"


def test_gpc_refuses_analytics_without_a_banner_and_still_allows_explicit_opt_in(site_visitor):
    visitor, facts = site_visitor, site_visitor.facts
    visitor.context.add_init_script(GPC)
    page = visitor.goto("/")
    settle(page)
    assert not page.locator("#consent").is_visible()
    assert visitor.analytics_requests == [] and visitor.storage()["local"] == {}
    page.click(OPEN)
    assert page.locator("[data-consent-gpc]").is_visible()
    assert "Global Privacy Control" in page.locator("[data-consent-gpc]").inner_text()
    assert not page.locator(ANALYTICS_BOX).is_checked()
    page.check(ANALYTICS_BOX)
    page.click(SAVE)
    wait_for_analytics(visitor)
    assert stored(page, facts)["categories"] == {**facts.every(False), "analytics": True}
    visitor.goto(facts.pages[1])
    wait_for_analytics(visitor)  # the explicit opt-in holds on later pages
    assert len(visitor.analytics_requests) == 2


def test_without_gpc_there_is_no_gpc_note(visitor):
    page = visitor.goto("/")
    page.click(PREFERENCES)
    assert not page.locator("[data-consent-gpc]").is_visible()


# 8. Storage blocked ------------------------------------------------------------------------------

BLOCK_STORAGE = """
Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('blocked', 'SecurityError'); }});
Object.defineProperty(Document.prototype, 'cookie', {get() { return ''; }, set() {}});
"""


def test_blocked_storage_causes_no_error_and_the_choice_holds_for_the_page_view(site_visitor):
    visitor = site_visitor
    visitor.context.add_init_script(BLOCK_STORAGE)
    page = visitor.goto("/")
    assert banner_visible(page)
    page.click(ACCEPT)
    wait_for_analytics(visitor)
    assert not banner_visible(page)
    page.click(OPEN)
    assert page.locator(ANALYTICS_BOX).is_checked()  # held for this page view
    page.keyboard.press("Escape")
    assert visitor.errors == []
    page.reload()
    settle(page)
    assert banner_visible(page)  # nothing could be stored, so the next page asks again


# 9. Without JavaScript ---------------------------------------------------------------------------


def test_without_javascript_the_policy_reads_fully_and_no_dead_buttons_show(new_visitor):
    visitor = new_visitor(java_script_enabled=False)
    page = visitor.goto("/")
    assert "Recht op gegevensoverdraagbaarheid" in page.locator("article").inner_text()
    for selector in (ACCEPT, REJECT, PREFERENCES, SAVE, ANALYTICS_BOX):
        assert not page.locator(selector).is_visible(), selector
    link = page.locator(OPEN)
    assert link.is_visible()
    link.click()  # the footer control is a working link to the cookie declaration
    page.wait_for_url("**/cookies/")
    assert page.locator(".consent-declaration table").is_visible()
    assert visitor.external == []


# 10. Not a cookie wall -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_banner_is_no_wall_and_covers_at_most_a_third_without_layout_shift(new_visitor, viewport):
    visitor = new_visitor(viewport=viewport)
    visitor.context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = visitor.goto("/")
    settle(page)
    box = page.locator("#consent").bounding_box()
    assert box["height"] <= viewport["height"] / 3
    assert box["y"] + box["height"] == pytest.approx(viewport["height"], abs=1)
    # What is under the top two thirds is the page, not an overlay.
    for y in (0.1, 0.35, 0.6):
        hit = page.evaluate(
            "([x, y]) => { const el = document.elementFromPoint(x, y); return !!el.closest('#consent'); }",
            [viewport["width"] / 2, viewport["height"] * y],
        )
        assert hit is False
    filters = page.evaluate(
        "() => [document.body, document.querySelector('.md-container')].map(el => { const s = getComputedStyle(el);"
        " return [s.filter, s.backdropFilter, s.overflow, s.pointerEvents]; })"
    )
    assert all(f[0] == "none" and f[1] == "none" and f[2] != "hidden" and f[3] != "none" for f in filters)
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => window.scrollY > 0")
    page.locator("h2#\\31 1-contact").scroll_into_view_if_needed()  # readable down to the last section
    assert layout_shifts_below_the_header(page) == []


# 11. Accessible ----------------------------------------------------------------------------------


def test_banner_is_a_labelled_region_reached_in_the_first_tab_presses(visitor):
    page = visitor.goto("/")
    region = page.get_by_role("region", name="Cookies op deze website")
    assert region.is_visible()
    reached = None
    for press in range(1, 5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.consentAction") == "accept-all":
            reached = press
            break
    assert reached is not None and reached <= 3
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.consentAction") == "reject-all"
    page.keyboard.press("Enter")
    assert not banner_visible(page)
    assert stored(page)["categories"] == {"analytics": False}


def test_space_accepts(site_visitor):
    page = site_visitor.goto("/")
    page.focus(ACCEPT)
    page.keyboard.press(" ")
    wait_for_analytics(site_visitor)


def test_focus_moves_into_preferences_and_returns_to_the_open_control(visitor):
    page = visitor.goto("/")
    page.click(REJECT)
    page.focus(OPEN)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "consent-preferences-title"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the policy link to the first toggle that can change
    assert page.evaluate("document.activeElement.dataset.consentCategory") == "analytics"
    page.keyboard.press(" ")
    assert page.locator(ANALYTICS_BOX).is_checked()
    page.focus(SAVE)
    page.keyboard.press("Enter")
    assert not page.locator("#consent").is_visible()
    assert page.evaluate("document.activeElement.dataset.consentAction") == "open"
    wait_for_analytics(visitor)
    # Escape closes the preferences too, with focus back where it was.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert not page.locator("#consent").is_visible()
    assert page.evaluate("document.activeElement.dataset.consentAction") == "open"


@pytest.mark.parametrize("page_index", [0, 1], ids=["home", "declaration"])
def test_axe_finds_no_wcag_aa_violation_with_banner_or_preferences_open(
    new_visitor, consent_site, page_index
):
    facts, url = consent_site
    page = new_visitor(url=url, facts=facts, bypass_csp=True).goto(facts.pages[page_index])
    assert banner_visible(page)
    assert axe_violations(page) == []
    page.click(PREFERENCES)
    assert page.locator(SAVE).is_visible()
    assert axe_violations(page) == []


# 12. Not hidden from bots --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36",
    ],
)
def test_banner_shows_to_headless_browsers_and_crawlers(new_visitor, agent):
    visitor = new_visitor(user_agent=agent)
    page = visitor.goto("/")
    assert page.evaluate("navigator.webdriver") is True
    assert banner_visible(page)
