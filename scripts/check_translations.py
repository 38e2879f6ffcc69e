"""List missing, stale, unversioned and orphaned translations (run via scripts/check-translations).

Exit status 0 when every page exists in every language and every translation renders the
current Dutch policy version; 1 otherwise, with one line per problem. For a stale translation of
the policy it prints the translator's worklist: the Dutch changes since the version it
translates, section by section, deleted words as [-…-] and inserted ones as {+…+}.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src" / "privacy_kit"))

import yaml  # noqa: E402
from policy import ARCHIVE_DIR, POLICY_PAGE, archived_name, current_policy, front_matter  # noqa: E402
from translations import check  # noqa: E402
from versions import TEXT_MARKS, section_changes  # noqa: E402


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, leaving out the values of its !ENV and other tags."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as data, without MkDocs (for scripts that only read a few settings)."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)


def other_languages(config_file: Path) -> list[str]:
    config = read_config(config_file)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            languages = plugin["i18n"]["languages"]
            return [
                lang["locale"] for lang in languages if not lang.get("default") and lang.get("build", True)
            ]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="project folder (default: this one)")
    args = parser.parse_args(argv)
    docs = args.project / "docs"
    problems = check(docs, other_languages(args.project / "mkdocs.yml"))
    version = current_policy(docs)["version"]
    if not problems:
        print(f"All translations are present and render Dutch policy version {version}.")
        return 0
    print(f"Dutch policy version {version}; {len(problems)} translation problem(s):")
    for problem in problems:
        print(f"  {problem}")
        if problem.kind == "stale" and problem.path.startswith(POLICY_PAGE.removesuffix(".md") + "."):
            translated = front_matter(docs / problem.path)["translation_of"]
            for line in worklist(docs, translated, version):
                print(f"      {line}")
    return 1


def worklist(docs: Path, old: str, new: str) -> list[str]:
    """The Dutch changes from version ``old`` to ``new``, section by section."""
    texts = [(docs / archived_name(v, "nl", "nl")).read_text(encoding="utf-8") for v in (old, new)]
    out = [
        f"Dutch changes from {old} to {new} (redline: /{ARCHIVE_DIR}/{new}/wijzigingen/ for the last step):"
    ]
    for heading, body in section_changes(*texts, "Inleiding", TEXT_MARKS):
        if body is not None:
            out.append(f"§ {heading.content}")
            out += [f"    {line}" for line in body if any(mark in line for mark in TEXT_MARKS)]
    return out


if __name__ == "__main__":
    sys.exit(main())
