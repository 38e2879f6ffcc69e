"""The kit's page for outside site owners (docs-kit/), built by the kit itself and checked like
the other sites: a strict build, the full configuration reference generated from the Config
classes (every accepted value of every option), commands that exist, and the README's first
screen pointing to it."""

from __future__ import annotations

import re
import shlex

from conftest import ROOT, soup
from privacy_kit.cli import COMMANDS
from privacy_kit.cli import init as init_command
from privacy_kit.cli.reference import END, START
from privacy_kit.config import STORAGES, reference
from privacy_kit.providers import PROVIDERS
from privacy_kit.serving.building import build

KIT_DOCS = ROOT / "docs-kit"


def test_the_kits_page_builds_strictly_with_the_kit(tmp_path):
    result = build(KIT_DOCS, tmp_path / "site", ga_property=None)
    assert result.returncode == 0, result.output
    page = soup(tmp_path / "site" / "index.html")
    headings = [h.get_text(" ", strip=True).rstrip("¶ ") for h in page.select("article h2")]
    for needed in (
        "Install",
        "Start a site",
        "The lines of mkdocs.yml it needs",
        "Embeds",
        "Texts",
        "The audit",
        "Engines",
    ):
        assert needed in headings, (needed, headings)
    assert (tmp_path / "site" / "reference" / "index.html").is_file()
    assert (tmp_path / "site" / "_headers").is_file()  # the kit's Content-Security-Policy too


def test_its_reference_is_the_plugins_own_with_every_accepted_value():
    text = (KIT_DOCS / "docs" / "reference.md").read_text(encoding="utf-8")
    shown = text[text.index(START) + len(START) : text.index(END)].strip()
    assert shown == reference()
    rows = {line.split("`")[1]: line for line in shown.splitlines()[2:]}
    storage = rows["consent.categories.<name>.cookies[].storage"]
    assert all(value in storage for value in STORAGES)
    assert all(value in rows["analytics.provider"] for value in PROVIDERS)


def test_the_commands_it_names_exist():
    text = (KIT_DOCS / "docs" / "index.md").read_text(encoding="utf-8")
    named = set(re.findall(r"privacy-kit ([a-z][a-z-]+)", text)) - {"init"}  # 'privacy-kit init' below
    assert named <= set(COMMANDS), named - set(COMMANDS)
    block = re.search(r"privacy-kit init (.*?)\n(?:cd|```)", text.replace("\\\n", " "), re.S)
    init_command.parse_args(shlex.split(block[1]))  # exits on an option the command does not take


def test_the_readmes_first_screen_says_what_the_repository_holds_and_links_the_kits_page():
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "docs-kit/" in first_screen and "examples/harbour-yoga/" in first_screen
