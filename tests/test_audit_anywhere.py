"""The audit at any base path: a site whose address has a path (https://example.org/docs/) is
previewed at that path and audited green, with a clean log."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import in_the_shell
from privacy_kit.audit.browser import run_to_end
from privacy_kit.editing import YamlText
from privacy_kit.tools.generated_site import write_site


@pytest.mark.browser
def test_a_site_at_a_path_is_previewed_there_and_audited_green_with_a_clean_log(tmp_path, monkeypatch):
    project = tmp_path / "project"
    write_site(project, 3, ["en"])
    config = YamlText((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config.data["site_url"] = "https://example.org/docs/"  # as written, not from SITE_URL
    (project / "mkdocs.yml").write_text(config.text(), encoding="utf-8")
    monkeypatch.delenv("SITE_URL", raising=False)
    out = tmp_path / "report"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("privacy-kit")), "audit", "--no-screenshots", "--out", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        env=in_the_shell(),
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Traceback" not in log and "Error" not in log
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    paths = {page["path"] for page in report["pages"]}
    assert "/docs/" in paths and "/docs/section-000/page-02/" in paths and "/docs/cookies/" in paths
    assert all(path.startswith("/docs/") for path in paths)
    assert all(
        page["phases"]["before"]["status"] == 200 for page in report["pages"] if "404" not in page["path"]
    )
    assert report["url"].endswith("/docs/")


def in_audit_chromium(site: Path, scenario) -> None:
    """Serve ``site`` and run ``await scenario(browser, base_url)`` in the audit's own Chromium
    (its async API, as ``privacy-kit audit`` starts it), closed after."""
    from playwright.async_api import async_playwright

    from privacy_kit.audit.browser import start_chromium
    from privacy_kit.serving.hosting import serve

    async def run(base):
        async with async_playwright() as p:
            browser = await start_chromium(p)
            try:
                await scenario(browser, base)
            finally:
                await browser.close()

    with serve(site) as origin:
        run_to_end(run(origin + "/"))


@pytest.mark.browser
def test_a_visitor_taken_again_is_a_new_visitor(tmp_path):
    """The audit reuses its browser contexts: one taken again has no cookie, storage or cache left."""

    from privacy_kit.audit.browser import Options, Visitors

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>t</title><p>page</p>", encoding="utf-8")
    stored = (
        "document.cookie = 'c=1; max-age=999'; localStorage.setItem('l', 1); sessionStorage.setItem('s', 1);"
    )
    read = "[document.cookie, localStorage.length, sessionStorage.length]"

    async def scenario(browser, base):
        options = Options(base, True, "a", "r", "p", [], 50, (), ())
        visitors = Visitors(browser, options)
        async with visitors.visitor() as first:
            await first.page.goto(base)
            await first.page.evaluate(stored)
            assert await first.page.evaluate(read) == ["c=1", 1, 1]
            first.phase = "accept"
        async with visitors.visitor() as again:
            assert again is first  # the same context, made new
            assert again.phase == "before" and again.requests == [] and not again.open
            await again.page.goto(base)
            assert await again.page.evaluate(read) == ["", 0, 0]
            assert [r["type"] for r in again.requests] == ["document"]  # fetched again, not cached
        await visitors.close()

    in_audit_chromium(site, scenario)


def page_promising_a_banner(tmp_path: Path, body: str) -> Path:
    """A site of one page that carries a consent config (its choice stored under "choice"), and
    ``body``: the page promises a banner."""
    site = tmp_path / "site"
    site.mkdir()
    config = '<script type="application/json" id="consent-config">{"key": "choice"}</script>'
    (site / "index.html").write_text(f"<!doctype html><title>t</title>{config}{body}", encoding="utf-8")
    return site


def flow_options(base: str, promised_ms: int):
    """The audit's options for a flow on that page: #accept and #reject, a 100-ms usual wait."""
    from privacy_kit.audit.browser import Options

    return Options(
        base, True, "#accept", "#reject", "p", [], 50, (), (), control_timeout_ms=100, promised_ms=promised_ms
    )


@pytest.mark.browser
def test_a_new_visitor_whose_page_remembers_a_choice_is_tried_again_not_judged(tmp_path):
    """A page without its banner for a new visitor is the site's failure, unless the page remembers
    a choice that visitor never made (a renderer's stale storage on a busy machine): then the
    audit raises NotFresh, and the page's flows are tried once more (audited)."""
    from privacy_kit.audit import steps
    from privacy_kit.audit.browser import NotFresh, Visitors

    site = page_promising_a_banner(tmp_path, "<p>no banner</p>")

    async def scenario(browser, base):
        options = flow_options(base, promised_ms=200)
        for flow, step in ((steps.accept_flow, "accept"), (steps.reject_flow, "reject")):
            visitors = Visitors(browser, options)
            missing = await flow(visitors, options, base)  # nothing stored: the site's fault
            assert missing[step] == {"tested": False, "control": f"#{step}"}
            for visitor in visitors.made:  # as if its renderer still held an earlier choice
                await visitor.context.add_init_script("localStorage.setItem('choice', '{}')")
            with pytest.raises(NotFresh):
                await flow(visitors, options, base)
            await visitors.close()

    in_audit_chromium(site, scenario)


@pytest.mark.browser
def test_a_banner_its_page_promises_may_show_late_on_a_busy_machine(tmp_path):
    """A page that carries a consent config promises a banner: where it shows after the usual
    wait (the page's script ran late), the audit waits for it and tests every step, instead of
    reporting "no control found" (as it did at a load of 20)."""
    from privacy_kit.audit import steps
    from privacy_kit.audit.browser import Visitors

    late = (  # the banner, 1.5 s after load: beyond the usual wait, within the promised one
        "<script>setTimeout(() => document.body.insertAdjacentHTML('beforeend',"
        " '<button id=accept>Accept</button><button id=reject>Reject</button>'), 1500)</script>"
    )
    site = page_promising_a_banner(tmp_path, f"<p>text</p>{late}")

    async def scenario(browser, base):
        options = flow_options(base, promised_ms=10000)
        visitors = Visitors(browser, options)
        rejected = await steps.reject_flow(visitors, options, base)
        assert rejected["before"]["banner"] is True and rejected["reject"]["tested"] is True
        accepted = await steps.accept_flow(visitors, options, base)
        assert accepted["accept"]["tested"] is True
        await visitors.close()

    in_audit_chromium(site, scenario)


@pytest.mark.browser
def test_settling_waits_for_the_work_the_page_has_queued(tmp_path):
    """A page busy after its load (on a loaded machine: a script that arrived late) sends its
    request after any fixed quiet time: the audit's settling waits until the page is idle, so the
    request counts in the phase that caused it (it was counted in the next: "analytics after the
    withdrawal", no cookies after accept)."""
    from privacy_kit.audit.browser import Visitors, goto

    busy = (  # 800 ms of work queued at load, then a request
        "<script>addEventListener('load', () => setTimeout(() => { const end = performance.now() + 800;"
        " while (performance.now() < end); fetch('late.txt'); }, 0))</script>"
    )
    site = page_promising_a_banner(tmp_path, busy)
    (site / "late.txt").write_text("late", encoding="utf-8")

    async def scenario(browser, base):
        options = flow_options(base, promised_ms=200)
        visitors = Visitors(browser, options)
        async with visitors.visitor() as v:
            await goto(v, base, 150)
            assert [r["phase"] for r in v.requests if r["url"].endswith("/late.txt")] == ["before"]
        await visitors.close()

    in_audit_chromium(site, scenario)


def test_a_page_that_did_not_load_in_time_is_tried_once_more(monkeypatch):

    from privacy_kit.audit import steps
    from privacy_kit.audit.browser import NotLoaded

    calls = []

    async def slow_then_fine(visitors, options, url, declaration):
        calls.append(url)
        if len(calls) == 1:
            raise NotLoaded(f"{url!r} did not load: Timeout 60000ms exceeded.")
        return {"url": url}

    monkeypatch.setattr(steps, "audit_page", slow_then_fine)
    assert run_to_end(steps.audited(None, None, "http://x/a/", None)) == {"url": "http://x/a/"}
    assert calls == ["http://x/a/", "http://x/a/"]
    calls.clear()

    async def never(visitors, options, url, declaration):
        calls.append(url)
        raise NotLoaded("did not load")

    monkeypatch.setattr(steps, "audit_page", never)
    with pytest.raises(NotLoaded):
        run_to_end(steps.audited(None, None, "http://x/b/", None))
    assert len(calls) == 2  # once more, not forever


def test_the_audit_runs_where_an_event_loop_already_runs():
    """A notebook, or Playwright's sync API earlier in the same process (the suite's browser
    tests): asyncio.run alone would refuse with "cannot be called from a running event loop"."""
    import asyncio

    async def inner():
        await asyncio.sleep(0)
        return "done"

    async def outer():
        return run_to_end(inner())

    assert run_to_end(inner()) == "done"
    assert run_to_end(outer()) == "done"  # outer runs in a loop; inner is given a thread
