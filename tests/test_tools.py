"""The commands people run for figures and pictures: the benchmark (quick mode) and screenshots."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, in_the_shell
from privacy_kit.tools import layout_shifts


def run(command: str, *args: str, **options) -> subprocess.CompletedProcess:
    """``privacy-kit <command>`` (scripts/<command> here) on this project."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("privacy-kit")), command, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        **options,
    )


def test_a_layout_shift_counts_unless_all_it_moved_is_in_materials_header():
    """One rule for the benchmark's budget and the browser tests: a shift only of Material's
    header is Material's; one that also moved anything else, or names nothing, counts."""
    header = {"value": 0.0008, "moved": [{"name": "md-header__inner", "header": True}]}
    banner = {
        "value": 0.02,
        "moved": [{"name": "md-header", "header": True}, {"name": "consent", "header": False}],
    }
    unnamed = {"value": 0.01, "moved": []}
    assert layout_shifts.below_the_header([header, banner, unnamed]) == [banner, unnamed]
    assert layout_shifts.total([header, banner]) == pytest.approx(0.0208)


@pytest.mark.browser
def test_benchmark_quick_mode_prints_the_table_and_the_budgets_hold(tmp_path):
    result = run("bench", "--quick", "--json", str(tmp_path / "bench.json"), env=in_the_shell())
    assert result.returncode == 0, result.stdout + result.stderr  # non-zero when a budget is broken
    assert "| Measure | This site | Stock Material 9.8.2 |" in result.stdout
    for row in ("Third-party requests before any choice", "Banner JS+CSS, gzip bytes", "Accept click → analytics request",
                "Page reloaded on accept", "Layout shift on load (CLS)", "First contentful paint", "Build time of the whole site"):  # fmt: skip
        assert f"| {row} |" in result.stdout
    data = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    ours, material = data["ours"], data["material"]
    assert ours["banner"]["gzip"] <= 3072
    assert ours["third_party"]["max"] == 0 and material["third_party"]["max"] >= 1  # Google Fonts
    assert ours["reloaded"] is False and material["reloaded"] is True
    assert ours["cls_below_header"]["max"] == 0  # the page's own CLS counts Material's header too
    assert ours["cls_below_header"]["max"] <= ours["cls"]["max"]
    assert ours["accept_to_analytics_ms"]["median"] is not None
    # Per page, at SITE_URL and at another origin: nothing failed, left the origin or broke the CSP.
    assert "| Page | Requests | Failed | Other origin | CSP violations |" in result.stdout
    pages = data["pages"]["pages"]
    assert len(pages) >= 4 and any("404" in path for path in pages)
    for path, runs in pages.items():
        for visit in runs.values():
            assert visit["requests"] > 0 and visit["failed"] == visit["other_origin"] == visit["csp"] == [], (
                path
            )
        assert f"| `{path}` | {runs['site_url']['requests']} | 0 | 0 | 0 |" in result.stdout


def test_benchmark_lists_every_page_of_the_sitemap_and_flags_each_failure(site, site_url):
    from privacy_kit.audit.before_choice import pages_broken
    from privacy_kit.serving.hosting import site_pages

    paths = site_pages(site, site_url)
    assert paths[0] == "/" and "/en/cookies/" in paths and "/de/versies/" in paths
    assert {"/404.html", "/en/404.html", "/de/404.html"} <= set(paths)
    assert len(paths) == len(set(paths)) >= 15
    clean = {"requests": 9, "failed": [], "other_origin": [], "csp": []}
    bad = {"requests": 9, "failed": ["404 x"], "other_origin": ["https://a/"], "csp": ["https://a/"]}
    assert pages_broken({"pages": {"/": {"site_url": clean, "other": clean}}}) == []
    assert pages_broken({"pages": {"/": {"site_url": clean, "other": bad}}}) == [
        "/ at another origin: failed 404 x",
        "/ at another origin: other-origin https://a/",
        "/ at another origin: csp https://a/",
    ]


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.browser
def test_screenshots_are_non_empty_pngs_of_the_right_sizes(tmp_path):
    result = run("screenshots", "--out", str(tmp_path), env=in_the_shell())
    assert result.returncode == 0, result.stderr
    sizes = {"desktop": (1280, 800), "phone": (390, 844)}
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == sorted(
        [
            *(
                f"{lang}-{device}-{view}.png"
                for lang in ("nl", "en")
                for device in sizes
                for view in ("banner", "preferences")
            ),
            "nl-phone-banner-dark.png",
        ]
    )
    for path in tmp_path.glob("*.png"):
        assert path.stat().st_size > 10_000, path
        assert png_size(path) == sizes[path.name.split("-")[1]], path
    dark = (tmp_path / "nl-phone-banner-dark.png").read_bytes()
    assert dark != (tmp_path / "nl-phone-banner.png").read_bytes()


@pytest.mark.browser
def test_lighthouse_on_the_home_page_served_by_nginx(tmp_path):
    """A representative page in the suite; scripts/lighthouse audits every page. Performance is
    judged as Lighthouse's guidance on variability says: one run, and where that scores low (a
    busy machine: Lighthouse's simulated throttling scales the CPU time it observes), the median
    of three."""
    import os
    import statistics

    performance = []
    for _run in range(3):
        result = run(
            "lighthouse",
            "/",
            "--json",
            str(tmp_path / "lh.json"),
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )
        assert "| `/` |" in result.stdout, result.stdout + result.stderr
        scores = json.loads((tmp_path / "lh.json").read_text(encoding="utf-8"))["/"]["scores"]
        assert scores["accessibility"] == scores["best-practices"] == scores["seo"] == 100, scores
        performance.append(scores["performance"])
        if performance[0] >= 90:
            break
    # The script's target is 95; a shared CI machine is noisy.
    assert statistics.median(performance) >= 90, performance
