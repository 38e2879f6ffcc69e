"""Every built page (all languages, the archive, the history, 404s) in Chromium against the
server that applies the generated headers: zero CSP violations before consent and after
accept-all with analytics, on each site built with the kit (the clinic's, the example and the
documentation site, its KaTeX, tablesort and diagrams too), and zero axe-core WCAG 2.2 AA
violations with the banner and with the preferences open."""

from __future__ import annotations

import pytest

from conftest import ACCEPT, PREFERENCES, SAVE, SITES, axe_violations, banner_visible, wait_for_analytics

LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));"""


def pages_of(site) -> list[str]:
    found = [
        "/" + p.relative_to(site).as_posix().removesuffix("index.html") for p in sorted(site.rglob("*.html"))
    ]
    assert found
    return found


@pytest.fixture(scope="module")
def paths(site):
    found = pages_of(site)
    assert len(found) >= 15
    return found


@pytest.fixture(scope="module", params=list(SITES))
def every_site(request):
    """Each site built with the kit, served: (its facts, its base URL, the paths of its pages)."""
    facts, served = SITES[request.param]
    built, url = request.getfixturevalue(served)
    return facts, url, pages_of(built.site)


def record_failures(visitor) -> list[str]:
    """Requests of ``visitor`` (any of its tabs) answered with an error status, or that failed
    (aborted, blocked)."""
    failed = []
    visitor.context.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    visitor.context.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    return failed


TABS = 4  # pages loading at once in one visitor's browser context: their loads and waits overlap


def each_page_settled(visitor, paths, base_url=None, loaded=None):
    """(path, page, response) for each of ``paths``, loaded TABS at a time in TABS tabs of
    ``visitor`` (one visitor: the same storage and choice), each yielded once it has loaded,
    ``loaded(page)`` has returned and its network has been idle for 500 ms (Playwright's
    networkidle: late fetches had their turn). Every path is a new document (a navigation): a
    page keeps nothing of the one before it but what the site stored in the visitor's browser
    (the tab's sessionStorage too, as for a visitor who goes from page to page); the tabs are
    opened once, as a new tab costs Chromium a renderer of its own."""
    base_url = base_url or visitor.base_url
    tabs = [visitor.context.new_page() for _ in range(TABS)]
    for start in range(0, len(paths), TABS):
        batch = list(zip(paths[start : start + TABS], tabs, strict=False))
        # Each navigation started (committed) before any is waited for: the TABS pages load together.
        responses = [tab.goto(base_url + path, wait_until="commit") for path, tab in batch]
        for (path, page), response in zip(batch, responses, strict=True):
            page.wait_for_load_state("load")
            if loaded:
                loaded(page)
            page.wait_for_load_state("networkidle")
            yield path, page, response
    for tab in tabs:
        tab.close()


def test_no_csp_violation_and_no_failed_request_on_any_page_before_consent(new_visitor, every_site):
    facts, url, paths = every_site
    visitor = new_visitor(url=url, facts=facts)
    visitor.context.add_init_script(LISTEN)
    failed = record_failures(visitor)
    for path, page, response in each_page_settled(visitor, paths):
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert page.evaluate("window.__violations") == [], path
        assert banner_visible(page), path
    assert visitor.external == []
    assert failed == []
    print(f"\n{len(paths)} pages checked for CSP violations and failed requests")


def test_served_at_another_origin_no_page_requests_site_url_fails_or_fetches_a_sitemap(
    new_visitor, base_url, paths
):
    """A deploy preview, or www against the apex: the same build at an origin other than
    SITE_URL still makes no request to another origin, none that fails, and no CSP violation
    (Material's sitemap fetches beside head hreflang links used to go to SITE_URL).
    Before a choice no page fetches a sitemap at all: Material fetches one beside every
    `link[rel=alternate]`; our pages have none it would match (hreflang lives in the sitemaps,
    the feed link's rel is written so that the exact-value selector misses it), while feed
    readers still find the feed by its rel token."""
    other = base_url.replace("127.0.0.1", "preview.maestro.test")  # same server, another origin
    visitor = new_visitor(url=other)
    visitor.context.add_init_script(LISTEN)
    failed = record_failures(visitor)
    fetched = []
    visitor.context.on("request", lambda r: "sitemap" in r.url and fetched.append(r.url))
    for path, page, _ in each_page_settled(visitor, paths, other):
        assert page.evaluate("window.__violations") == [], path
        assert banner_visible(page), path
        feeds = page.eval_on_selector_all(
            'link[rel~="alternate"][type="application/atom+xml"]', "links => links.map(l => l.href)"
        )
        assert len(feeds) == 1 and feeds[0].endswith("feed.xml"), path
    assert visitor.external == []
    assert failed == []
    assert fetched == []


def test_no_csp_violation_on_any_page_after_accept_all(new_visitor, every_site):
    facts, url, paths = every_site
    visitor = new_visitor(url=url, facts=facts)
    visitor.context.add_init_script(LISTEN)
    visitor.goto("/").click(ACCEPT)
    wait_for_analytics(visitor)
    ran_analytics = f"() => window.__{facts.provider}StandIn === 1"
    for path, page, _ in each_page_settled(
        visitor, paths, loaded=lambda p: p.wait_for_function(ran_analytics)
    ):
        assert page.evaluate("window.__violations") == [], path
    assert len(visitor.analytics_requests) == len(paths) + 1


def test_the_csp_blocks_an_injected_inline_script(new_visitor):
    visitor = new_visitor()
    visitor.context.add_init_script(LISTEN)
    page = visitor.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.head.append(s); }"
    )
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src-elem inline")


def test_axe_finds_no_wcag_aa_violation_on_any_page(new_visitor, paths):
    visitor = new_visitor(bypass_csp=True)
    for path in paths:
        page = visitor.goto(path)
        assert axe_violations(page) == [], f"{path} with the banner"
        page.click(PREFERENCES)
        assert page.locator(SAVE).is_visible()
        assert axe_violations(page) == [], f"{path} with the preferences"


def test_no_page_scrolls_sideways_on_a_phone(new_visitor, paths):
    visitor = new_visitor(viewport={"width": 390, "height": 844})
    for path in paths:
        page = visitor.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    # Wide tables scroll inside a labelled region that the keyboard can reach.
    region = visitor.goto("/cookies/").get_by_role(
        "region", name="Alle cookies en opslag die deze website gebruikt"
    )
    assert region.get_attribute("tabindex") == "0"
