"""The policy in a real Chromium: readable at the site root, nothing leaves the origin, prints cleanly."""

from __future__ import annotations

from babel.dates import format_date

from conftest import policy_timeline


def test_site_root_shows_the_dutch_policy_without_any_third_party_request(visitor):
    page = visitor.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("article h1").inner_text().startswith("Privacybeleid")
    text = page.locator("article").inner_text()
    assert "Maestro Laser Clinics verwerkt uw persoonsgegevens omdat dit noodzakelijk is" in text
    in_force = policy_timeline().in_force
    month = format_date(in_force["date"], "LLLL yyyy", locale="nl")
    assert f"Versie: {in_force['version']}" in text and f"Laatste update: {month}" in text
    page.wait_for_load_state("networkidle")
    assert visitor.external == []
    assert visitor.errors == []


def test_print_hides_navigation_and_banner_and_shows_contact_link_targets(visitor):
    page = visitor.goto("/")
    assert page.locator("#consent").is_visible()
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", "#consent"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h2").first.is_visible()
    after = page.evaluate(
        """() => [...document.querySelectorAll('address a')].map(
             a => getComputedStyle(a, '::after').content)"""
    )
    assert after == ['" (tel:+31615438506)"', '" (mailto:info@maestrolaserclinics.nl)"']
