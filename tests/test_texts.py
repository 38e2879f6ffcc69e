"""The texts the kit shows: its own defaults (nl, en, de), with a site's own texts in their place,
checked so that a slip fails the build instead of showing another text."""

from __future__ import annotations

import pytest
import yaml
from mkdocs.exceptions import PluginError

from conftest import ROOT
from privacy_kit import yaml_files
from privacy_kit.texts import DEFAULTS, Texts


def write(folder, language: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{language}.yml").write_text(text, encoding="utf-8")


def test_a_site_without_texts_of_its_own_gets_the_kits(tmp_path):
    texts = Texts(tmp_path / "texts", ("en", "de"), "en")
    assert texts["en"]["consent"]["reject_all"] == "Reject all"
    assert texts["de"]["consent"]["reject_all"] == "Alle ablehnen"
    assert "Google" not in str(texts["en"]["consent"])  # the kit names no provider it cannot know


def test_what_a_site_writes_replaces_the_kits_text_and_the_rest_stays(tmp_path):
    folder = tmp_path / "texts"
    write(folder, "en", "consent:\n  body: We measure visits with Matomo, only with your consent.\n")
    texts = Texts(folder, ("en",), "en")
    assert texts["en"]["consent"]["body"] == "We measure visits with Matomo, only with your consent."
    assert texts["en"]["consent"]["accept_all"] == "Accept all"


def test_a_site_may_name_categories_of_its_own(tmp_path):
    folder = tmp_path / "texts"
    write(
        folder,
        "en",
        "consent:\n  categories:\n    maps:\n      label: Maps\n      description: Shows maps.\n",
    )
    assert Texts(folder, ("en",), "en")["en"]["consent"]["categories"]["maps"]["label"] == "Maps"


def test_a_misspelt_key_fails_naming_it(tmp_path):
    folder = tmp_path / "texts"
    write(folder, "en", "consent:\n  titel: Cookies\n")
    with pytest.raises(PluginError, match=r"texts/en\.yml: the kit has no text consent\.titel"):
        Texts(folder, ("en",), "en")["en"]


def test_once_a_site_writes_one_language_every_language_needs_its_file(tmp_path):
    folder = tmp_path / "texts"
    write(folder, "nl", "consent:\n  body: Wij gebruiken Matomo.\n")
    with pytest.raises(PluginError, match=r"No texts for language 'en': expected the file texts/en\.yml"):
        Texts(folder, ("nl", "en"), "nl")["nl"]


def test_a_language_the_kit_does_not_know_needs_every_text_from_the_site(tmp_path):
    with pytest.raises(
        PluginError, match=r"No texts for language 'fr'.*the kit has texts for nl, en and de only"
    ):
        Texts(tmp_path / "texts", ("en", "fr"), "en")["en"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("  more: [Mehr, dazu]\n", r"consent\.more: expected a text .*got a list \['Mehr', 'dazu'\]"),
        ("  more: 2026\n", r"consent\.more: expected a text .*got a number 2026"),
        ("  more: yes\n", r"consent\.more: expected a text .*got yes/no True"),
        ("  more:\n", r"consent\.more: expected a text .*got empty None"),
        (
            "  categories:\n    analytics:\n      label: [Analyse]\n",
            r"consent\.categories\.analytics\.label: .*got a list",
        ),
    ],
)
def test_every_text_is_a_string_else_the_build_names_the_file_and_key(tmp_path, written, shown):
    folder = tmp_path / "texts"
    write(folder, "de", "consent:\n" + written)
    with pytest.raises(PluginError, match=r"^texts/de\.yml: " + shown):
        Texts(folder, ("de",), "de")["de"]


def test_an_empty_text_is_a_text(tmp_path):
    folder = tmp_path / "texts"
    write(folder, "nl", 'versions:\n  summary_in_original: ""\n')  # Dutch is the original: nothing to add
    assert Texts(folder, ("nl",), "nl")["nl"]["versions"]["summary_in_original"] == ""


def test_a_text_fills_in_only_what_the_kit_gives_it(tmp_path):
    folder = tmp_path / "texts"
    write(folder, "en", "embed:\n  button: Load {provder}\n")
    with pytest.raises(
        PluginError, match=r"embed\.button: \{provder\} is not filled in here \(it may use: \{provider\}\)"
    ):
        Texts(folder, ("en",), "en")["en"]
    write(folder, "en", "embed:\n  button: Load the video ({provider})\n")
    assert Texts(folder, ("en",), "en")["en"]["embed"]["button"] == "Load the video ({provider})"


def test_yaml_is_read_with_libyaml_where_pyyaml_has_it_and_gives_the_same_values():
    """The kit's texts are read by every build in each language: with libyaml's parser (where
    PyYAML's wheel has it), the same values as PyYAML's own parser gives."""
    if yaml.__with_libyaml__:
        assert yaml_files.SafeLoader is yaml.CSafeLoader
    files = sorted(DEFAULTS.glob("*.yml")) + sorted((ROOT / "texts").glob("*.yml"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml_files.load(text) == yaml.safe_load(text), path
