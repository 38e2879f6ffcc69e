"""The audit at any base path: a site whose address has a path (https://example.org/docs/) is
previewed at that path and audited green, with a clean log."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
