"""The first run shows the product: scripts/serve with no variables is a local preview in which
the banner, the preferences and analytics work, answered on this machine (nothing reaches
Google), and every page says that it is a local preview."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ACCEPT, banner_visible, wait_in_browser, wait_until_answering
from privacy_kit.consent import contract
from privacy_kit.serving.chromium import offline
from privacy_kit.texts import DEFAULTS
from test_deploy import free_port, start, stop


def test_serve_without_ga_property_shows_banner_and_analytics_against_a_local_stand_in(browser, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = start("serve", port, temp, ga_property=None)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/", process)
        context = browser.new_context()
        external = []
        offline(context, base, external.append)  # no stand-in: anything leaving is recorded and aborted
        page = context.new_page()
        page.goto(base + "/en/")
        notice = yaml.safe_load((DEFAULTS / "en.yml").read_text(encoding="utf-8"))["local_preview"]["notice"]
        assert page.locator(".md-banner[role=note]").inner_text().strip() == notice
        assert banner_visible(page)
        page.click(ACCEPT)
        page.wait_for_function("() => window.__googleStandIn === 1")

        def google_cookies() -> bool:  # set by the stand-in's collect request
            names = {c["name"] for c in context.cookies()}
            return "_ga" in names and any(n.startswith("_ga_") for n in names)

        wait_in_browser(page, google_cookies, "the cookies _ga and _ga_<id>")
        page.click(contract.OPEN)  # the preferences, from the footer: analytics is on
        box = page.locator(f'{contract.CATEGORY_BOXES}[data-consent-category="analytics"]')
        assert box.is_visible() and box.is_checked()
        context.close()
    finally:
        output = stop(process)
    assert external == [], external  # nothing reached Google (or anyone else)
    assert "Local preview" in output


def test_privacy_kit_serve_answers_matomo_and_embeds_of_a_new_site_locally(browser, tmp_path):
    """A site written by privacy-kit init, with its own Matomo and a video: under privacy-kit
    serve both work after accepting, and neither the Matomo nor the video's host is reached."""
    folder = tmp_path / "site"
    kit = str(Path(sys.executable).with_name("privacy-kit"))
    options = ["--name", "Corner Café", "--languages", "en", "--analytics", "matomo", "--embeds"]
    options += ["--matomo-url", "https://stats.corner.example/", "--matomo-site-id", "4"]
    assert subprocess.run([kit, "init", str(folder), *options], stdin=subprocess.DEVNULL).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GA_PROPERTY")}
    process = subprocess.Popen(
        [kit, "serve", "-f", str(folder / "mkdocs.yml"), "--port", str(port)],
        env={**env, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/video/", process)
        context = browser.new_context()
        external = []
        offline(context, base, external.append)
        page = context.new_page()
        page.goto(base + "/video/")
        assert banner_visible(page)
        page.click(ACCEPT)
        page.wait_for_function("() => window.__matomoStandIn === 1")
        frame = page.frame_locator("iframe[data-consent-category]")
        assert "answered on this machine" in frame.locator("body").inner_text()
        assert any(c["name"].startswith("_pk_id.") for c in context.cookies())
        context.close()
    finally:
        output = stop(process)
    assert external == [], external
    assert "Local preview" in output
