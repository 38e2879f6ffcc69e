"""List missing, stale, unversioned and orphaned translations (``privacy-kit check-translations``;
``scripts/check-translations`` in this project).

Exit status 0 when every page exists in every language and every translation renders the
current policy version; 1 otherwise, with one line per problem. For a stale translation of the
policy it prints the translator's worklist: the changes of the binding text since the version
it translates, section by section, deleted words as [-…-] and inserted ones as {+…+}.
"""

from __future__ import annotations

from ..command_line import parser, project
from ..i18n import check
from ..policy.model import front_matter
from ..policy.redline import TEXT_MARKS, section_changes


def worklist(site, old: str, new: str) -> list[str]:
    """The changes of the binding text from version ``old`` to ``new``, section by section."""
    files, default = site.policy.files, site.languages.default
    texts = [(site.docs / files.archived_name(v, default)).read_text(encoding="utf-8") for v in (old, new)]
    intro = site.texts[default]["versions"]["intro"]
    out = [f"Changes from {old} to {new} (redline: /{files.redline(new)} for the last step):"]
    for heading, body in section_changes(*texts, intro, TEXT_MARKS):
        if body is not None:
            out.append(f"§ {heading.content}")
            out += [f"    {line}" for line in body if any(mark in line for mark in TEXT_MARKS)]
    return out


def main(argv: list[str] | None = None) -> int:
    args = parser("check-translations", __doc__.splitlines()[0].rstrip("(")).parse_args(argv)
    site = project(args, "check-translations")
    problems = check(site.docs, site.languages.others, site.policy)
    version = site.policy.current()["version"] if site.policy else None
    current = f"policy version {version}" if version else "the current pages"
    if not problems:
        print(f"All translations are present and render {current}.")
        return 0
    print(f"{current[0].upper()}{current[1:]}; {len(problems)} translation problem(s):")
    for problem in problems:
        print(f"  {problem}")
        stem = site.policy.files.page.removesuffix(".md") + "." if site.policy else None
        if problem.kind == "stale" and stem and problem.path.startswith(stem):
            translated = front_matter(site.docs / problem.path)["translation_of"]
            for line in worklist(site, translated, version):
                print(f"      {line}")
    return 1
