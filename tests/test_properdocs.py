"""The clinic site builds byte for byte the same on MkDocs and on ProperDocs (the continuation of
MkDocs 1.x), apart from the generator tag: a site owner can switch engines when MkDocs stops
working, and the plugin uses nothing ProperDocs lacks.

scripts/test creates the ProperDocs venv (.cache/properdocs): ProperDocs, the pinned theme and
plugins and this project, and no mkdocs, so the second build really is ProperDocs alone.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import ROOT
from privacy_kit.serving.building import TEST_PROPERTY, build

pytestmark = pytest.mark.slow  # a second engine in its own venv (scripts/test makes it)
PROPERDOCS_VENV = ROOT / ".cache" / "properdocs"
# What Material writes into every page: the one difference allowed between the two engines.
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')
SITE_URL = "https://privacy.example.org/"


def missing_properdocs(venv: Path) -> str | None:
    """Why the ProperDocs venv cannot be used (None if it can)."""
    if not (venv / "bin" / "properdocs").is_file() or not (venv / ".installed").is_file():
        return (
            f"the ProperDocs venv {venv.relative_to(ROOT)} is missing or incomplete: run scripts/test, which "
            "creates it from PyPI (properdocs and .venv's pinned theme and plugins, without mkdocs) and "
            "logs how in .cache/properdocs.log"
        )
    return None


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def without_generator(content: bytes) -> bytes:
    return GENERATOR.sub(b'<meta name="generator" content="">', content)


def first_difference(a: bytes, b: bytes) -> str:
    lines = difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(),
        b.decode("utf-8", "replace").splitlines(),
        "mkdocs",
        "properdocs",
        n=1,
        lineterm="",
    )
    return "\n".join(list(lines)[:12])


def differences(mkdocs_site: dict[str, bytes], properdocs_site: dict[str, bytes]) -> list[str]:
    """Every file that differs beyond the generator tag, with the start of its diff."""
    return [
        f"{name}:\n{first_difference(without_generator(mkdocs_site[name]), without_generator(content))}"
        for name, content in properdocs_site.items()
        if name in mkdocs_site and without_generator(mkdocs_site[name]) != without_generator(content)
    ]


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory):
    """The clinic site built by MkDocs (.venv) and by ProperDocs, at the same moment, address and
    GA4 property; returns the two builds."""
    venv = PROPERDOCS_VENV
    reason = missing_properdocs(venv)
    if reason:
        pytest.skip(reason)
    # One moment for both (the dates the site shows follow it); SOURCE_DATE_EPOCH when set.
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
    environment = {"SOURCE_DATE_EPOCH": epoch, "PYTHONPATH": ""}
    dest = tmp_path_factory.mktemp("engines")
    with ThreadPoolExecutor(2) as pool:
        mkdocs_build, properdocs_build = pool.map(
            lambda job: build(
                ROOT,
                dest / job[0],
                site_url=SITE_URL,
                ga_property=TEST_PROPERTY,
                engine=job[1],
                environment=environment,
            ),
            [("mkdocs", None), ("properdocs", [str(venv / "bin" / "properdocs")])],
        )
    for result in (mkdocs_build, properdocs_build):
        assert result.returncode == 0, result.output
    print(f"MkDocs {mkdocs_build.seconds:.1f} s, ProperDocs {properdocs_build.seconds:.1f} s")
    return mkdocs_build, properdocs_build


def test_the_properdocs_venv_has_no_mkdocs():
    venv = PROPERDOCS_VENV
    reason = missing_properdocs(venv)
    if reason:
        pytest.skip(reason)
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('mkdocs') is not None)"
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe], env={**os.environ, "PYTHONPATH": ""}, timeout=60
    )
    assert result.returncode == 0, f"{venv} can import mkdocs: its build would not be ProperDocs alone"


def test_mkdocs_and_properdocs_build_the_same_site_apart_from_the_generator_tag(both_builds):
    mkdocs_build, properdocs_build = both_builds
    mkdocs_site, properdocs_site = files_of(mkdocs_build.site), files_of(properdocs_build.site)
    # Each engine really built its site: the generator tags name it.
    mkdocs_tags = {tag for content in mkdocs_site.values() for tag in GENERATOR.findall(content)}
    properdocs_tags = {tag for content in properdocs_site.values() for tag in GENERATOR.findall(content)}
    assert mkdocs_tags == {
        f"mkdocs-{version('mkdocs')}, mkdocs-material-{version('mkdocs-material')}".encode()
    }
    assert len(properdocs_tags) == 1 and b"ProperDocs" in next(iter(properdocs_tags)), properdocs_tags

    assert sorted(mkdocs_site) == sorted(properdocs_site), (
        f"only MkDocs wrote {sorted(set(mkdocs_site) - set(properdocs_site))}, "
        f"only ProperDocs wrote {sorted(set(properdocs_site) - set(mkdocs_site))}"
    )
    assert any(name.endswith(".html") for name in mkdocs_site)
    for name, content in mkdocs_site.items():  # the tag is the only difference, and only in pages
        assert len(GENERATOR.findall(content)) == len(GENERATOR.findall(properdocs_site[name])), name
    found = differences(mkdocs_site, properdocs_site)
    assert not found, f"{len(found)} file(s) differ between the engines:\n\n" + "\n\n".join(found[:5])


def test_the_kits_commands_run_on_properdocs_alone():
    """privacy-kit check-translations (it loads the project through MkDocs' config) in the
    ProperDocs venv, where no mkdocs is installed: it answers as on MkDocs."""
    venv = PROPERDOCS_VENV
    reason = missing_properdocs(venv)
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "PYTHONPATH": ""}
    on_properdocs = subprocess.run(
        [str(venv / "bin" / "privacy-kit"), "check-translations"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    on_mkdocs = subprocess.run(
        [str(Path(sys.executable).with_name("privacy-kit")), "check-translations"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in on_properdocs.stderr, on_properdocs.stderr
    assert (on_properdocs.returncode, on_properdocs.stdout) == (on_mkdocs.returncode, on_mkdocs.stdout)
