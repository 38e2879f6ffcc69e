"""The consent cases of tests/engines/cases.json in the engines besides Chromium, against the same
built site on 127.0.0.1: Debian's firefox-esr over WebDriver BiDi with puppeteer-core
(tests/engines/firefox.mjs), and WebKitGTK's MiniBrowser through WebKitWebDriver under Xvfb with
selenium (tests/engines/webkit.py). One list of cases, run by both; nothing leaves the machine.
Skipped, saying what is missing and how to get it, where an engine cannot be run (scripts/test
installs everything as root)."""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent.parent / "engines"  # tests/engines
ENGINE_CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
CASES = ENGINE_CASES["cases"]
# How long a runner may take: each case its case-seconds (a failed wait included), and a minute to
# start and stop its browser (webkit.py's own deadline, the cases' alone, comes first: it says
# where it hung).
RUNNER_S = len(CASES) * ENGINE_CASES["case-seconds"] + 60
# Each engine: its name, what its runner reports it as, and what it has no way to do (the
# cases that need that are reported skipped there).
ENGINES = {
    "firefox": {"name": "Firefox", "reports": "firefox/", "cannot": set()},
    "webkit": {"name": "WebKit", "reports": "webkitgtk/", "cannot": {"gpc"}},
}


def firefox() -> str | None:
    return shutil.which(os.environ.get("FIREFOX") or "firefox-esr")


def webkit_driver() -> str | None:
    return shutil.which(os.environ.get("WEBKIT_DRIVER") or "WebKitWebDriver")


def minibrowser() -> str | None:
    debian = glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
    return shutil.which(os.environ.get("WEBKIT_BROWSER") or (debian[0] if debian else "MiniBrowser"))


def missing(engine: str) -> list[str]:
    """What running ``engine`` needs that is not here, each with how to get it."""
    if engine == "firefox":
        needs = {
            "firefox-esr (apt-get install firefox-esr, or set FIREFOX=/path/to/firefox)": firefox(),
            "node (apt-get install nodejs npm)": shutil.which("node"),
            "puppeteer-core (npm ci --prefix tests/engines)": (
                HERE / "node_modules" / "puppeteer-core"
            ).is_dir(),
        }
    else:
        needs = {
            "WebKitWebDriver (apt-get install webkit2gtk-driver, or set WEBKIT_DRIVER=/path)": webkit_driver(),
            "MiniBrowser (apt-get install webkit2gtk-driver, or set WEBKIT_BROWSER=/path)": minibrowser(),
            "Xvfb (apt-get install xvfb)": shutil.which("Xvfb"),
            "openssl (apt-get install openssl)": shutil.which("openssl"),
            "selenium (the [test] extra of pyproject.toml, in .venv)": importlib.util.find_spec("selenium"),
        }
    return [need for need, found in needs.items() if not found]


def run(engine: str, base_url: str) -> dict:
    """Runs every case in ``engine``; returns {engine: name/version, cases: {name: result}}, or
    {failed: why} (a runner that failed is not run again for each case)."""
    if engine == "firefox":
        command, env = ["node", str(HERE / "firefox.mjs"), base_url], {"FIREFOX": firefox()}
    else:
        command = [sys.executable, str(HERE / "webkit.py"), base_url]
        env = {"WEBKIT_DRIVER": webkit_driver(), "WEBKIT_BROWSER": minibrowser()}
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=RUNNER_S, env={**os.environ, **env}
        )
    except subprocess.TimeoutExpired as error:
        done = (error.stderr or b"").decode(errors="replace")  # bytes, even with text=True
        return {"failed": f"{engine} runner still running after {RUNNER_S} s; it had done:\n{done}"}
    if proc.returncode != 0:
        return {"failed": f"{engine} runner failed: {proc.stdout[-2000:]}{proc.stderr[-3000:]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", params=list(ENGINES))
def engine(request) -> str:
    """Each engine in turn (its cases run once, in one worker; the two engines in any two)."""
    return request.param


@pytest.fixture(scope="module")
def results(engine, base_url) -> dict:
    """What ``engine`` reported, run once; skips where it cannot run, fails where its runner failed
    (each case of that engine then says so; the runner is not run again for each case)."""
    lacking = missing(engine)
    if lacking:
        pytest.skip(
            f"{ENGINES[engine]['name']} consent cases skipped; missing: {'; '.join(lacking)}."
            " scripts/test installs them as root."
        )
    reported = run(engine, base_url)
    if "failed" in reported:
        pytest.fail(reported["failed"], pytrace=False)
    return reported


def test_engine_ran_exactly_these_cases(results, engine):
    assert results["engine"].startswith(ENGINES[engine]["reports"])
    assert list(results["cases"]) == [case["name"] for case in CASES]
    skipped = [name for name, result in results["cases"].items() if "skipped" in result]
    assert skipped == [case["name"] for case in CASES if case.get("needs") in ENGINES[engine]["cannot"]]


@pytest.mark.parametrize("case", [case["name"] for case in CASES])
def test_consent_case(results, engine, case):
    result = results["cases"][case]
    if "skipped" in result:
        pytest.skip(f"{engine}: {result['skipped']}")
    assert result["ok"], result.get("error")
