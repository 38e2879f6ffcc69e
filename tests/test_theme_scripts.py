"""The kit's JavaScript is in files that Node parses: the theme's scripts that pages load
(assets/javascripts/) and the ones the kit writes into pages inline (partials/javascripts/*.js,
inlined at build time by the Jinja global inlined_js, never published as files)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import soup
from privacy_kit import reduction

THEME = Path(reduction.__file__).parent / "theme"
SCRIPTS = sorted([*THEME.glob("assets/javascripts/*.js"), *THEME.glob("partials/javascripts/*.js")])
INLINE = sorted(THEME.glob("partials/javascripts/*.js"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_script_of_the_theme_parses(script):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (scripts/test installs it as root)")
    checked = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_inline_scripts_are_in_every_page_and_their_files_are_not_published(site_build):
    assert {path.name for path in INLINE} == {"interface.js", "palette-asked.js", "search-on-first-use.js"}
    assert not (site_build.site / "partials").exists()
    inline = [
        script.get_text() for script in soup(site_build.site / "index.html").select("script:not([src])")
    ]
    for path in INLINE:
        if path.name == "search-on-first-use.js" and not reduction.enabled():
            continue  # one of the reductions
        text = reduction.minified_js(path.read_text(encoding="utf-8"))
        assert any(text in script for script in inline), path.name
