"""The README's publishing steps, end to end, in a temporary copy of the whole project: an editor
changes section 8 of docs/index.md and runs scripts/new-version, nothing else. Then the
production build and the fast test suite, run inside that copy, must both be green: the site and
its tests survive day two."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, SECTION_8, add_sentence, build_day, next_version

INNER = "MAESTRO_EDITOR_WORKFLOW_INNER"
# How long a step may take: the inner run takes about two minutes on a quiet 2-core machine; a
# loaded one (another suite beside it) took more than ten. Only a hung step should ever reach this.
LONGEST = 3600  # set inside the copy, so the copy does not recurse
# Modules whose tests cannot notice day two, left out of the inner run: they make sites of their own
# (a new site, the kit's page, the second and third sites, generated or recorded sites) or build the
# package, or judge pasted and synthetic pages (the guard and its attacks, the audit's rules), or read
# nothing a new policy version changes (the consent's configuration, revisions and archive, the
# headers, the hosts' files, the validators, the texts, the page layout, the theme's scripts); the
# outer run has run them on this project already. The slow ones (a second engine's venv) likewise.
INDEPENDENT = (
    "test_consent_config.py",
    "test_consent_archive.py",
    "test_security.py",
    "test_deploy.py",
    "test_validators.py",
    "test_hosting.py",
    "test_texts.py",
    "test_layout.py",
    "test_theme_scripts.py",
    "test_init.py",
    "test_package.py",
    "test_kit_docs.py",
    "test_serve.py",
    "test_guard.py",
    "test_trust.py",
    "test_audit.py",
    "test_example_site.py",
    "test_umami.py",
    "test_docs_site.py",
    "test_scale.py",
    "test_upgrade.py",
)


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get(INNER)), reason="already running inside the editor-workflow copy")
def test_publishing_a_version_as_the_readme_says_keeps_build_and_tests_green(tmp_path):
    project = tmp_path / "project"
    for name in tracked_files():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes((ROOT / name).read_bytes())
        (project / name).chmod((ROOT / name).stat().st_mode)
    # The same pinned dependencies and tools, not installed again (what scripts/test installs).
    for installed in (
        ".venv",
        ".cache",
        "tests/engines/node_modules",
        "examples/tidewater-docs/node_modules",
    ):
        if (ROOT / installed).exists():
            (project / installed).symlink_to(ROOT / installed)
    env = {**os.environ, INNER: "1", "SITE_URL": "https://privacy.example.nl/"}
    env.pop("SOURCE_DATE_EPOCH", None)

    def step(*command: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command, cwd=project, env=env, capture_output=True, text=True, timeout=LONGEST
        )
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    add_sentence(project / "docs" / "index.md", SECTION_8, "Wij bewaren uw cookiekeuze hoogstens een jaar.")
    version = next_version(project)
    step(
        "scripts/new-version",
        version,
        "--date",
        build_day().isoformat(),
        "--summary",
        "Bewaartermijn cookiekeuze.",
    )
    step("scripts/build", str(tmp_path / "site"))
    assert (tmp_path / "site" / "versies" / version / "wijzigingen" / "index.html").is_file()
    # The fast suite, but for the modules that cannot notice day two (INDEPENDENT): about half of it.
    independent = [f"--ignore=tests/{name}" for name in INDEPENDENT]
    step(
        sys.executable,
        "-m",
        "pytest",
        "-m",
        "not browser and not slow",
        "-q",
        "-x",
        "-p",
        "no:cacheprovider",
        *independent,
        "tests",
    )
