"""The guard's premise, in a real browser: what the build refuses does make a request to another
origin before any choice, and what it lets through does not. Each case of tests/guard_cases.py
(the same HTML the guard's tests paste into pages) is served on 127.0.0.1 in a page without a
Content-Security-Policy, as an editor's paste would run wherever the policy does not stop it
(a host without headers, a site built without the kit), and Chromium opens it with every
non-local request recorded and aborted."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from guard_cases import ALLOWED, CDATA_PRELOAD, REFUSED, VENDORS
from privacy_kit.serving.chromium import offline
from privacy_kit.serving.hosting import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(whole_browser):
    """What Chromium requests by itself: the whole browser, as visitors run it (the headless shell
    has no PDF viewer, so it fetches no <object> or <embed> of a PDF)."""
    return whole_browser


GATED_EMBED = (
    '<iframe data-consent-category="external-media" data-consent-provider="Vimeo" '
    'data-src="https://player.vimeo.com/video/76979871" title="A video" hidden></iframe>'
)


def requests_of(browser, folder, html: str) -> list[str]:
    """The requests to other origins a new visitor's Chromium makes on a page holding ``html``,
    before doing anything."""
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Pasted</title><body>{html}</body></html>',
        encoding="utf-8",
    )
    (folder / "pixel.png").write_bytes(b"")
    with serve(folder) as url:
        context = browser.new_context()
        seen: list[str] = []
        offline(context, url, seen.append)
        page = context.new_page()
        page.goto(url + "/", wait_until="load")
        page.wait_for_load_state("networkidle")  # late fetches (media, prefetches) get their turn
        context.close()
    return seen


@pytest.fixture(scope="module")
def refused_requests(browser, tmp_path_factory):
    return requests_of(
        browser,
        tmp_path_factory.mktemp("refused"),
        "\n".join(c.html for c in [*REFUSED, *VENDORS, CDATA_PRELOAD]),
    )


@pytest.mark.parametrize(
    "case", [c for c in [*REFUSED, *VENDORS, CDATA_PRELOAD] if c.requests], ids=lambda c: c.name
)
def test_what_the_guard_refuses_is_requested_before_any_choice(refused_requests, case):
    host = urlsplit(case.reaches or case.origin).hostname  # a path like //host takes the page's scheme
    assert host in {urlsplit(url).hostname for url in refused_requests}, refused_requests


def test_an_inline_script_an_editor_pastes_runs_before_any_choice(browser, tmp_path):
    """The scripts the guard refuses need no request to do harm: they run at once."""
    (case,) = [c for c in REFUSED if c.name == "script-inline"]
    (tmp_path / "index.html").write_text(f"<!doctype html><title>Pasted</title>{case.html}", encoding="utf-8")
    with serve(tmp_path) as url:
        context = browser.new_context()
        offline(context, url)
        page = context.new_page()
        page.goto(url + "/")
        assert page.evaluate("window.pasted") == 1
        context.close()


def test_what_the_guard_lets_through_requests_nothing_before_a_choice(browser, tmp_path):
    assert requests_of(browser, tmp_path, "\n".join([*ALLOWED, GATED_EMBED])) == []
