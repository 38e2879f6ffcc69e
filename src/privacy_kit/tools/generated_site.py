"""A generated Material documentation site of any size, for the scale benchmark (``privacy-kit
bench --scale``): the same pages built with stock Material and with the kit.

``write_site(folder, pages, languages, versions)`` writes into ``folder``:

- the kit's site as ``privacy-kit init`` writes it (a privacy policy, a cookie page, consent and
  Google Analytics), its places to fill filled and its consent recorded; with ``versions``, the
  policy published in two versions (1.0, then 1.1) as ``privacy-kit new-version`` publishes them;
- ``pages`` documentation pages in sections of twenty, in every language (the others as
  ``<page>.<lang>.md``, mkdocs-static-i18n's suffix structure, each recording its source's hash),
  listed in the nav: headings, prose with links, code blocks, tables, admonitions and lists;
- ``mkdocs.yml`` (the kit) and ``mkdocs-stock.yml``: the same site, the same pages and the same
  Markdown extensions, without the privacy-kit plugin.

The text is pseudo-random from a fixed seed: the same arguments write the same site.
"""

from __future__ import annotations

import datetime
import random
import re
from pathlib import Path

from ..cli.init import default_options
from ..cli.init import write_site as init_site
from ..cli.new_version import plan as version_plan
from ..consent.archive import planned_record
from ..editing import FrontMatter, YamlText, write_atomic
from ..i18n import SOURCE_KEY, source_hash
from ..policy import history, notices
from ..project import PLUGIN, Project

STOCK_CONFIG = "mkdocs-stock.yml"
SECTION_SIZE = 20  # pages per section of the nav
FILL_IN = re.compile(r"\[FILL IN: ([^\]]*)\]")
# init's policy links the cookie page relatively; its archived copy (versions/<v>/) cannot.
COOKIE_LINK = re.compile(r"\[([^\]]+)\]\(cookies\.md\)")
TITLE = re.compile(r"^# .*$", re.M)
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    {"pymdownx.highlight": {"anchor_linenums": True}},
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
    "pymdownx.tasklist",
]
PROSE = """
the configuration option builds a page with each value the plugin reads from its file and
renders into the template when a request arrives at the server so that every visitor sees what
the site owner wrote about the service data cache index search theme navigation section
language version release deploy command module function argument default error message warning
path folder asset script stylesheet header footer link table column row
"""
WORDS = PROSE.split()
CODE = {
    "python": "def {name}(config, *, strict=False):\n    value = config.get({key!r}, {number})\n"
    '    if strict and value is None:\n        raise ValueError(f"{key} is not set")\n    return value\n',
    "yaml": "plugins:\n  - search\n  - {name}:\n      {key}: {number}\n      enabled: true\n",
    "sh": "pip install {name}\nmkdocs build --strict --site-dir site/{key}\n",
}


class Prose:
    """Deterministic text: words, sentences and paragraphs from one seed."""

    def __init__(self, seed: str):
        self.random = random.Random(seed)

    def words(self, count: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(count))

    def sentence(self) -> str:
        text = self.words(self.random.randint(8, 18))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, link: str | None = None) -> str:
        sentences = [self.sentence() for _ in range(self.random.randint(3, 6))]
        if link:
            sentences.insert(1, f"See [{self.words(3)}]({link}) for more, and `{self.random.choice(WORDS)}`.")
        return " ".join(sentences)


def page_markdown(section: int, number: int, total: int, language: str) -> str:
    """One documentation page: a title, sections with prose, code, a table, an admonition, a list."""
    prose = Prose(f"{language}-{section}-{number}")
    other = (section * SECTION_SIZE + number + 7) % total
    link = f"../{page_path(other // SECTION_SIZE, other % SECTION_SIZE, 'md')}"
    title = f"{prose.words(3).title()} {section}.{number}"
    lines = [f"# {title}", "", prose.paragraph(), ""]
    for part in range(4):
        lines += [f"## {prose.words(2).title()} {part + 1}", "", prose.paragraph(link), ""]
        language_name = list(CODE)[(number + part) % len(CODE)]
        name, key = prose.random.choice(WORDS), prose.random.choice(WORDS)
        code = CODE[language_name].format(name=name, key=key, number=prose.random.randint(1, 999))
        lines += [f"``` {language_name}", code.rstrip("\n"), "```", ""]
        if part == 1:
            lines += [
                "| Option | Type | Default | Description |",
                "| --- | --- | --- | --- |",
                *(
                    f"| `{prose.random.choice(WORDS)}` | {prose.random.choice(('str', 'int', 'bool'))} "
                    f"| `{prose.random.randint(0, 99)}` | {prose.sentence()} |"
                    for _ in range(5)
                ),
                "",
            ]
        if part == 2:
            kind = prose.random.choice(("note", "tip", "warning"))
            lines += [f'!!! {kind} "{prose.words(2).title()}"', "", "    " + prose.paragraph(), ""]
            lines += [f"### {prose.words(2).title()}", ""]
            lines += [f"- {prose.sentence()}" for _ in range(4)] + [""]
        if part == 3:
            lines += ['??? info "More"', "", "    " + prose.paragraph(), ""]
    return "\n".join(lines)


def page_path(section: int, number: int, suffix: str = "md") -> str:
    return f"section-{section:03d}/page-{number:02d}.{suffix}"


def _translated(docs: Path, source: str, language: str, markdown: str) -> str:
    return f'---\n{SOURCE_KEY}: "{source_hash(docs / source)}"\n---\n\n{markdown}'


def write_pages(docs: Path, pages: int, languages: list[str], built: int | None = None) -> list:
    """``pages`` documentation pages in every language; the nav entries that list them. With
    ``built``, only the first ``built`` pages are written: the nav lists the others as links
    (https://example.org/…), so that each page written is as large as in a site of ``pages``."""
    built = pages if built is None else min(built, pages)
    nav = []
    for section in range((pages + SECTION_SIZE - 1) // SECTION_SIZE):
        entries = []
        for number in range(min(SECTION_SIZE, pages - section * SECTION_SIZE)):
            source = page_path(section, number)
            if section * SECTION_SIZE + number >= built:
                entries.append({f"Page {section}.{number}": f"https://example.org/{source[:-3]}/"})
                continue
            write_atomic(docs / source, page_markdown(section, number, built, languages[0]))
            for language in languages[1:]:
                text = _translated(docs, source, language, page_markdown(section, number, built, language))
                write_atomic(docs / page_path(section, number, f"{language}.md"), text)
            entries.append({f"Page {section}.{number}": source})
        nav.append({f"Section {section}": entries})
    return nav


def _fill_in(folder: Path, languages: list[str]) -> None:
    """What init leaves to fill, filled (with its own description), and the translations'
    source hashes written again for the filled sources."""
    for path in [*(folder / "texts").glob("*.yml"), *(folder / "docs").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        write_atomic(path, FILL_IN.sub(lambda m: m[1].replace("\n", " "), text))
    docs = folder / "docs"
    for language in languages[1:]:
        for path in docs.glob(f"*.{language}.md"):
            page = FrontMatter(path.read_text(encoding="utf-8"))
            source = path.name.removesuffix(f".{language}.md") + ".md"
            page.data[SOURCE_KEY] = source_hash(docs / source)
            write_atomic(path, page.text())


def _record_consent(folder: Path) -> None:
    site = Project(folder / "mkdocs.yml")
    (site.docs / site.options.consent.archive).unlink(missing_ok=True)
    path, text, _ = planned_record(site, datetime.date(2026, 1, 1))
    write_atomic(path, text)


def _publish_versions(folder: Path, languages: list[str]) -> None:
    """The policy published as 1.0 and then 1.1 (one sentence added), as new-version does."""
    config = YamlText((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p[PLUGIN] for p in config.data["plugins"] if isinstance(p, dict) and PLUGIN in p)
    options["policy"]["versions"] = {"folder": "versions"}
    write_atomic(folder / "mkdocs.yml", config.text())
    docs = folder / "docs"
    for path in docs.glob("index*.md"):
        text = COOKIE_LINK.sub(r"\1", path.read_text(encoding="utf-8"))
        page = FrontMatter(TITLE.sub(lambda m: f"{m[0]}\n\n{notices.MARKER}", text, count=1))
        if path.name == "index.md":
            page.data["policy"] = {"version": "0.1", "date": datetime.date(2026, 1, 1)}
        else:
            page.data.pop(SOURCE_KEY, None)
            page.data["translation_of"] = "1.0"
        write_atomic(path, page.text())
    for version, date, added in (("1.0", "2026-02-01", ""), ("1.1", "2026-03-01", " We keep logs 30 days.")):
        policy = docs / "index.md"
        write_atomic(policy, policy.read_text(encoding="utf-8").rstrip("\n") + added + "\n")
        summaries = {language: f"Version {version}." for language in languages}
        writes, _ = version_plan(
            Project(folder / "mkdocs.yml"),
            version,
            date,
            summaries,
            datetime.date(2026, 1, 1),
            backdate=True,
            built=True,
        )
        for path, text in writes.items():
            write_atomic(path, text)
    history_page = "---\ntitle: Versions\n---\n\n# Versions\n\n" + history.MARKER + "\n"
    write_atomic(docs / "versions" / "index.md", history_page)
    for language in languages[1:]:
        translated = f'---\n{SOURCE_KEY}: "{source_hash(docs / "versions" / "index.md")}"\n'
        write_atomic(
            docs / "versions" / f"index.{language}.md", translated + history_page.removeprefix("---\n")
        )
    config = YamlText((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    config.data["nav"].insert(2, {"Versions": "versions/index.md"})
    config.data["not_in_nav"] = "versions/*/\n"
    write_atomic(folder / "mkdocs.yml", config.text())


def write_site(
    folder: Path, pages: int, languages: list[str], versions: bool = False, built: int | None = None
) -> None:
    """The kit's site and the stock one, with ``pages`` documentation pages, into ``folder``
    (only ``built`` of them written, the rest linked from the nav: see write_pages)."""
    init_site(
        folder,
        {
            "name": "Generated Docs",
            "languages": languages,
            "analytics": "google",
            "embeds": False,
            "analytics_options": default_options("google"),
        },
    )
    _fill_in(folder, languages)
    nav = write_pages(folder / "docs", pages, languages, built)
    config = YamlText((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    config.data["nav"] += nav
    config.data["markdown_extensions"] = EXTENSIONS
    write_atomic(folder / "mkdocs.yml", config.text())
    _record_consent(folder)
    if versions:
        _publish_versions(folder, languages)
    config = YamlText((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    config.data["plugins"] = [p for p in config.data["plugins"] if not (isinstance(p, dict) and PLUGIN in p)]
    write_atomic(folder / STOCK_CONFIG, config.text())
