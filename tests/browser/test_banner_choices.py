"""After every choice, focus lands deliberately and a live region confirms it; Escape from the
preferences returns to the first layer's "Instellingen"; the banner region is named after the view
it shows; withdrawing never writes a cookie with domain= on an IP address or a top-level domain."""

from __future__ import annotations

import pytest

from privacy_kit.consent.contract import ACCEPT, OPEN, PREFERENCES, REJECT, SAVE, category_box

ANALYTICS_BOX = category_box("analytics")
SAVED = "Uw keuze is opgeslagen."

FOCUSED = """() => { const el = document.activeElement;
  return el.dataset.consentAction || (el.matches('main h1') ? 'main h1' : el.id || el.tagName); }"""


def status(page) -> str:
    return page.locator("#consent-status[role=status]").inner_text()


@pytest.mark.parametrize("choice", [ACCEPT, REJECT])
def test_a_first_layer_choice_moves_focus_to_the_main_heading_and_is_announced(visitor, choice):
    page = visitor.goto("/")
    page.mouse.wheel(0, 900)
    page.wait_for_function("() => window.scrollY > 0")
    scrolled = page.evaluate("window.scrollY")
    assert status(page) == ""
    page.focus(choice)
    page.keyboard.press("Enter")
    assert not page.locator("#consent").is_visible()
    assert page.evaluate(FOCUSED) == "main h1"
    assert page.evaluate("window.scrollY") == scrolled  # the reader keeps their place on the page
    assert status(page).startswith(SAVED) and "Cookie-instellingen" in status(page)
    page.keyboard.press("Tab")  # reading goes on in the content, not at the top of the document
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_the_confirmation_is_the_only_live_region_that_speaks(visitor):
    """Opening the preferences fills in the consent ID: that <output> must not be read out too."""
    page = visitor.goto("/")
    speaking = page.evaluate(
        """() => [...document.querySelectorAll('output, [role=status], [role=alert], [aria-live]')]
             .filter((el) => el.closest('#consent, #consent-status'))
             .filter((el) => (el.getAttribute('aria-live') || 'polite') !== 'off')
             .map((el) => el.id || el.tagName)"""
    )
    assert speaking == ["consent-status"]


def test_save_after_instellingen_moves_focus_to_the_main_heading(visitor):
    page = visitor.goto("/")
    page.focus(PREFERENCES)
    page.keyboard.press("Enter")
    page.check(ANALYTICS_BOX)
    page.focus(SAVE)
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "main h1"
    assert status(page).startswith(SAVED)


def test_save_from_the_footer_returns_focus_there_and_is_announced_each_time(visitor):
    page = visitor.goto("/")
    page.click(REJECT)
    for _ in range(2):
        page.focus(OPEN)
        page.keyboard.press("Enter")
        assert status(page) == ""  # cleared, so the next confirmation is announced again
        page.focus(SAVE)
        page.keyboard.press("Enter")
        assert page.evaluate(FOCUSED) == "open"
        assert status(page).startswith(SAVED)


def test_escape_from_preferences_returns_to_the_first_layer_on_instellingen(visitor):
    page = visitor.goto("/")
    page.focus(PREFERENCES)
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "consent-preferences-title"
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert page.locator(ACCEPT).is_visible() and not page.locator(SAVE).is_visible()
    assert page.evaluate(FOCUSED) == "preferences"
    assert status(page) == ""  # nothing was chosen
    page.keyboard.press("Escape")  # Escape on the first layer itself changes nothing
    assert page.locator(ACCEPT).is_visible() and page.evaluate(FOCUSED) == "preferences"


def test_region_is_named_after_the_view_it_shows(visitor):
    page = visitor.goto("/")
    assert page.get_by_role("region", name="Cookies op deze website").is_visible()
    page.click(PREFERENCES)
    assert page.get_by_role("region", name="Cookie-instellingen").is_visible()
    assert page.get_by_role("region", name="Cookies op deze website").count() == 0
    assert 'region "Cookie-instellingen"' in page.locator("body").aria_snapshot()
    page.keyboard.press("Escape")
    assert page.get_by_role("region", name="Cookies op deze website").is_visible()
    page.click(REJECT)
    page.click(OPEN)
    assert page.get_by_role("region", name="Cookie-instellingen").is_visible()


# Every cookie the page writes, recorded before the site's scripts run.
SPY_ON_COOKIE_WRITES = """
const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
window.__cookieWrites = [];
Object.defineProperty(Document.prototype, 'cookie', {
  get() { return cookie.get.call(this); },
  set(value) { window.__cookieWrites.push(value); cookie.set.call(this, value); },
});
"""


def withdraw(visitor) -> list[str]:
    """Accept, let a _ga cookie exist, withdraw in the preferences; the cookie writes of that."""
    page = visitor.goto("/")
    page.click(ACCEPT)
    page.evaluate("document.cookie = '_ga=GA1.1.1; path=/'; window.__cookieWrites = []")
    page.click(OPEN)
    page.uncheck(ANALYTICS_BOX)
    page.click(SAVE)
    assert "_ga=" not in page.evaluate("document.cookie")
    return page.evaluate("window.__cookieWrites")


def test_withdrawal_on_an_ip_address_never_writes_domain(visitor):
    visitor.context.add_init_script(SPY_ON_COOKIE_WRITES)
    writes = withdraw(visitor)
    assert writes and all("domain=" not in w.lower() for w in writes), writes


def test_withdrawal_on_a_parent_domain_stops_below_the_top_level_domain(new_visitor, base_url):
    port = base_url.rsplit(":", 1)[1]
    visitor = new_visitor(url=f"http://www.maestro.test:{port}")
    visitor.context.add_init_script(SPY_ON_COOKIE_WRITES)
    writes = withdraw(visitor)
    assert writes
    assert not [w for w in writes if w.lower().rstrip(";").endswith("domain=.test")], writes
