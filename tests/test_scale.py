"""The scale bench (privacy-kit bench --scale): generated sites built with stock Material and with
the kit, taking turns, with CPU time and peak memory; --steps says where the time goes. Run here
at a tiny size: what it proves is that the bench works, not how fast anything is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from privacy_kit.serving import building
from privacy_kit.tools.generated_site import STOCK_CONFIG, write_site


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from privacy_kit.cli import main; sys.exit(main())",
            "bench",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_bench_scale_builds_both_ways_taking_turns_with_ratio_cpu_and_peak_memory(tmp_path):
    out = tmp_path / "scale.json"
    proc = bench("--scale", "3,5", "--repeat", "2", "--json", str(out))
    assert proc.returncode in (0, 1), proc.stderr  # 1: over the budget, which a tiny site may be
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [row["pages"] for row in rows] == [3, 5]
    for row in rows:
        for kind in ("stock", "kit"):
            assert len(row[kind]["seconds"]["runs"]) == 2
            assert row[kind]["cpu"]["median"] > 0
            assert row[kind]["peak_mb"]["median"] > 10  # a Python process with MkDocs loaded
        assert row["kit"]["html"] >= row["stock"]["html"] >= row["pages"]
        ratio = row["kit"]["seconds"]["median"] / row["stock"]["seconds"]["median"]
        assert f"| {row['pages']} | {row['kit']['html']} |" in proc.stdout
        assert f"| {ratio:.2f}× |" in proc.stdout
    # Taking turns: stock first in the first round, the kit first in the second.
    order = [line.split(":")[0].strip() for line in proc.stderr.splitlines() if line.startswith("  ")]
    assert order[:4] == ["stock", "kit", "kit", "stock"], proc.stderr
    if proc.returncode == 1:
        assert "BUDGET BROKEN" in proc.stderr


def test_bench_scale_steps_says_where_the_time_goes_with_languages_and_versions(tmp_path):
    proc = bench("--scale", "4", "--steps", "--languages", "en,nl", "--versions")
    assert proc.returncode == 0, proc.stderr
    assert "| Markdown to HTML (MkDocs, extensions) |" in proc.stdout
    assert "| templates (Jinja, Material) |" in proc.stdout
    assert "| **total** |" in proc.stdout
    assert "privacy-kit: " in proc.stdout  # the kit's own events, by name
    assert "policy versions" in proc.stdout


def test_generated_site_is_the_same_site_with_and_without_the_kit(tmp_path):
    write_site(tmp_path, 25, ["en", "nl"])
    docs = tmp_path / "docs"
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.glob("section-*/*.md"))
    assert len(pages) == 50  # every page in both languages, in sections of twenty
    assert pages[0] == "section-000/page-00.md" and pages[-1] == "section-001/page-04.nl.md"
    kit = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    stock = (tmp_path / STOCK_CONFIG).read_text(encoding="utf-8")
    assert "  - privacy-kit:" in kit and "  - privacy-kit" not in stock
    assert kit.split("plugins:")[0] == stock.split("plugins:")[0]  # the same nav and theme
    assert "FILL IN" not in "".join(p.read_text(encoding="utf-8") for p in docs.rglob("*.md"))


def test_a_sample_of_a_large_site_has_its_whole_nav_and_fewer_pages(tmp_path):
    write_site(tmp_path, 60, ["en"], built=10)
    assert len(list((tmp_path / "docs").glob("section-*/*.md"))) == 10
    kit = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "section-000/page-09.md" in kit and "https://example.org/section-002/page-19/" in kit


def test_a_build_reports_progress_cpu_time_and_peak_memory_and_has_no_fixed_timeout(tmp_path, monkeypatch):
    write_site(tmp_path / "site", 3, ["en"])
    heard: list[str] = []
    monkeypatch.setattr(building, "PROGRESS_EVERY", 0)
    result = building.build(
        tmp_path / "site", tmp_path / "out", config_file=STOCK_CONFIG, progress=heard.append
    )
    assert result.returncode == 0, result.output
    assert result.cpu_seconds > 0 and result.peak_kb > 10_000
    assert heard and all("still building:" in line and "pages written" in line for line in heard)
    with pytest.raises(subprocess.TimeoutExpired):
        building.build(tmp_path / "site", tmp_path / "out2", config_file=STOCK_CONFIG, timeout=0.01)


def test_a_build_can_unset_a_variable_of_the_callers_shell(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # MkDocs itself refuses this one
    write_site(tmp_path / "site", 1, ["en"])
    result = building.build(
        tmp_path / "site",
        Path(tmp_path / "out"),
        config_file=STOCK_CONFIG,
        environment={"SOURCE_DATE_EPOCH": None},
    )
    assert result.returncode == 0, result.output
