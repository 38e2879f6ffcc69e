"""The kit as released: ``python -m build`` makes an sdist and a wheel that hold the package
(theme, texts, the scaffold of ``privacy-kit init``) and nothing of the clinic's site, ``twine
check`` passes, building writes nothing into the clone, and the wheel installed into a new venv
outside the clone builds both sites strictly and writes a new site with ``privacy-kit init``."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile

import pytest

from conftest import EXAMPLE, ROOT, copy_project
from privacy_kit import __version__
from privacy_kit.serving.building import build

# What a release builds from is a git clone (its files and what git ignores): not a copy of one,
# such as the one tests/test_editor_workflow.py runs the fast suite in.
pytestmark = pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git clone of the project")
PYTHON = sys.executable
KIT_FILES = ("privacy_kit/texts/nl.yml", "privacy_kit/texts/en.yml", "privacy_kit/texts/de.yml")
CLINIC = "Maestro Laser Clinics"  # the clinic's name, in every page of its site and none of the kit


def git_status() -> set[str]:
    """What git sees in the clone, ignored files included (folders collapsed), less the caches
    that running Python and pytest write themselves."""
    status = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--ignored"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line for line in status.splitlines() if "__pycache__" not in line and ".pytest_cache" not in line}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel, built from the clone as a release does (each from the tree)."""
    before = git_status()
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [PYTHON, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    after = git_status()
    return out, before, after


def test_building_writes_nothing_into_the_clone(dist):
    _, before, after = dist
    assert after == before
    assert not (ROOT / "build").exists() and not list((ROOT / "src").glob("*.egg-info"))


def test_the_wheel_holds_the_package_and_nothing_of_the_clinic(dist):
    out, _, _ = dist
    (wheel,) = out.glob("*.whl")
    assert wheel.name == f"mkdocs_privacy_kit-{__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert all(n.startswith(("privacy_kit/", f"mkdocs_privacy_kit-{__version__}.dist-info/")) for n in names)
    for name in (*KIT_FILES, "privacy_kit/theme/base.html", "privacy_kit/scaffold/en.yml"):
        assert name in names, name
    assert any(n.startswith("privacy_kit/theme/assets/") for n in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    with zipfile.ZipFile(wheel) as archive:
        assert not [n for n in names if CLINIC in archive.read(n).decode("utf-8", "replace")]
        entry_points = archive.read(f"mkdocs_privacy_kit-{__version__}.dist-info/entry_points.txt").decode()
    assert "privacy-kit = privacy_kit.plugin:PrivacyKitPlugin" in entry_points
    assert "privacy-kit = privacy_kit.cli:main" in entry_points


def test_the_wheel_and_the_sdist_carry_the_mit_licence(dist):
    """The kit is MIT-licensed: the licence's text in both, and its SPDX expression in the metadata."""
    out, _, _ = dist
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    (wheel,) = out.glob("*.whl")
    info = f"mkdocs_privacy_kit-{__version__}.dist-info/"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(info + "licenses/LICENSE").decode("utf-8") == licence
        metadata = archive.read(info + "METADATA").decode("utf-8")
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
    (sdist,) = out.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"mkdocs_privacy_kit-{__version__}/LICENSE")
        assert member.read().decode("utf-8") == licence


def test_the_sdist_holds_the_package_its_description_and_changelog(dist):
    out, _, _ = dist
    (sdist,) = out.glob("*.tar.gz")
    top = f"mkdocs_privacy_kit-{__version__}/"
    with tarfile.open(sdist) as archive:
        names = [n.removeprefix(top) for n in archive.getnames()]
    assert {"pyproject.toml", "PKG-INFO", "CHANGELOG.md", "docs-kit/docs/index.md"} <= set(names)
    assert {f"src/{n}" for n in KIT_FILES} <= set(names)
    others = [n for n in names if not n.startswith("src/privacy_kit/")]
    # hatchling adds .gitignore (what it excluded by)
    assert sorted(others) == [
        ".gitignore",
        "CHANGELOG.md",
        "LICENSE",
        "PKG-INFO",
        "docs-kit/docs/index.md",
        "pyproject.toml",
    ]


def test_twine_check_passes(dist):
    out, _, _ = dist
    result = subprocess.run(
        [PYTHON, "-m", "twine", "check", "--strict", *map(str, sorted(out.iterdir()))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_changelog_has_the_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}] - " in text and "## [Unreleased]" in text


@pytest.mark.slow
def test_the_wheel_in_a_new_venv_builds_both_sites_and_a_new_one(dist, tmp_path):
    """Outside the clone: a venv with only the wheel and its dependencies (from the package
    index; pip's cache makes a second run fast) builds the clinic's site, the example and a site
    that privacy-kit init wrote, each strictly. The suite's own pip installs into it (--python):
    the venv holds no pip of its own, and nothing is compiled ahead (Python does so on import)."""
    out, _, _ = dist
    (wheel,) = out.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir)
    python = env_dir / "bin" / "python"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile"]
        + ["--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    where = subprocess.run(
        [str(python), "-c", "import privacy_kit; print(privacy_kit.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
    ).stdout
    assert str(env_dir) in where and str(ROOT) not in where  # the wheel's package, not the clone's
    version = subprocess.run(
        [str(env_dir / "bin" / "privacy-kit"), "--version"], capture_output=True, text=True, env=environment
    )
    assert version.stdout.strip() == f"privacy-kit {__version__}"

    clinic = copy_project(tmp_path / "clinic")
    example = tmp_path / "example"
    subprocess.run(["cp", "-r", str(EXAMPLE), str(example)], check=True)
    init = subprocess.run(
        [str(env_dir / "bin" / "privacy-kit"), "init", "new-site", "--name", "Test Bakery"]
        + ["--languages", "de,en", "--analytics", "matomo", "--matomo-url", "https://stats.example.org/"]
        + ["--matomo-site-id", "1", "--embeds"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        stdin=subprocess.DEVNULL,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    engine = [str(python), "-m", "mkdocs"]
    for project in (clinic, example, tmp_path / "new-site"):
        result = build(project, tmp_path / f"{project.name}-site", engine=engine, environment=environment)
        assert result.returncode == 0, f"{project.name}:\n{result.output}"
        assert (tmp_path / f"{project.name}-site" / "index.html").is_file()
