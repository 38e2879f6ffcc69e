"""The consent cases in a second engine: Debian's firefox-esr over WebDriver BiDi, driven by
puppeteer-core (tests/firefox/consent.mjs) against the same built site on 127.0.0.1. Every
non-local request is answered locally (gtag.js stub) or aborted. Skipped, saying why, where
Firefox, Node or the npm dependencies are missing (scripts/test installs them as root)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

HERE = ROOT / "tests" / "firefox"
CASES = [
    "fresh visit shows the banner and loads nothing",
    "reject stores the refusal, closes, loads nothing later",
    "accept loads analytics without reload",
    "focus lands on the main heading after accept or reject, with a confirmation",
    "Escape from the preferences returns to the first layer's Settings button",
    "save in the preferences returns focus to the footer control",
    "withdrawal deletes the analytics cookies on every domain and path without errors",
    "withdrawal on an IP address deletes cookies without errors",
    "Global Privacy Control refuses without a banner and allows an explicit opt-in",
]


def firefox() -> str | None:
    return os.environ.get("FIREFOX") or shutil.which("firefox-esr")


@pytest.fixture(scope="module")
def firefox_results(base_url) -> dict:
    missing = []
    if not firefox():
        missing.append("firefox-esr (apt-get install firefox-esr, or set FIREFOX=/path/to/firefox)")
    if not shutil.which("node"):
        missing.append("node (apt-get install nodejs npm)")
    if not (HERE / "node_modules" / "puppeteer-core").is_dir():
        missing.append("puppeteer-core (npm ci --prefix tests/firefox)")
    if missing:
        pytest.skip(
            "Firefox consent cases skipped; missing: "
            + "; ".join(missing)
            + ". scripts/test installs them as root."
        )
    proc = subprocess.run(
        ["node", str(HERE / "consent.mjs"), base_url],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "FIREFOX": firefox()},
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_firefox_ran_exactly_these_cases(firefox_results):
    assert firefox_results["firefox"].startswith("firefox/")
    assert list(firefox_results["cases"]) == CASES


@pytest.mark.parametrize("case", CASES)
def test_consent_in_firefox(firefox_results, case):
    result = firefox_results["cases"][case]
    assert result["ok"], result.get("error")
