"""The editors' report (privacy-kit report) cannot be forged: whatever a pull request writes (a
draft's words, file names, the site's texts, what the kit's messages quote of them) keeps to the
place the report gives it, as GitHub renders the job summary (cmark-gfm, through cmarkgfm, its
tree read as a browser reads it: Lexbor through selectolax). The workflow itself, with the files
a pull request changes, is tested in tests/test_workflows.py."""

from __future__ import annotations

import os

import cmarkgfm
import pytest
import yaml
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, SECTION_8, add_sentence, copy_project, normalise

# Hypothesis keeps what it learns beside the other tools' caches, not in the project's top folder.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(ROOT / ".cache" / "hypothesis"))
from privacy_kit.cli import report
from privacy_kit.gfm import code, fenced, fill, link, text, visible
from privacy_kit.project import Project


def render(markdown: str) -> LexborHTMLParser:
    """The Markdown as GitHub shows a job summary: cmark-gfm with raw HTML passed on (GitHub then
    removes what its sanitiser does not allow; <details>, <del> and <ins> stay)."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return LexborHTMLParser(html)


def top_level(tree: LexborHTMLParser) -> list[str]:
    return [node.tag for node in tree.body.iter()]


# Pieces that mean something to cmark-gfm or to a browser, for the generated texts.
PIECES = [
    *"`~<>/!-#*_[]()\\&;:|=+.\"' \n\r\t\x00\u202e\u2028",
    "```",
    "~~~",
    "`" * 12,
    "<details>",
    "</details>",
    "<summary>",
    "<!--",
    "-->",
    "<script>",
    "## ",
    "- ",
    "1. ",
    "&amp;",
    "&#10;",
    "www.example.com",
    "https://example.com/",
    "Niets: dit concept kan worden gepubliceerd.",
]
QUOTED = st.one_of(st.text(), st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3))).map("".join))
GENERATED = settings(
    max_examples=300, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@GENERATED
@given(QUOTED)
def test_text_is_words_in_one_paragraph(value):
    tree = render(f"Before {text(value)} after")
    assert top_level(tree) == ["p"]
    assert not [node.tag for node in tree.css("p *") if node.tag != "a"]  # an address may be a link
    assert tree.css_first("p").text() == f"Before {visible(value)} after"


@GENERATED
@given(QUOTED)
def test_a_code_span_holds_the_whole_value_and_nothing_else(value):
    tree = render(f"Before {code(value)} after")
    assert top_level(tree) == ["p"]
    assert tree.css_first("p").text() == f"Before {visible(value)} after"
    if value.strip():
        assert [node.text() for node in tree.css("p *")] == [visible(value)]


@GENERATED
@given(QUOTED)
def test_a_fenced_block_holds_every_line_and_ends_where_the_report_ends_it(value):
    tree = render(f"Before\n\n{fenced(value)}\n\n## After")
    assert top_level(tree) == ["p", "pre", "h2"]
    shown = [visible(line) for line in value.splitlines()] or [""]
    assert tree.css_first("pre").text() == "\n".join(shown) + "\n"
    assert tree.css_first("h2").text() == "After"


@GENERATED
@given(QUOTED, QUOTED)
def test_a_link_is_one_link_with_its_words(label, url):
    tree = render(f"Before {link(label, 'https://example.com/run?' + url)} after")
    assert top_level(tree) == ["p"] and len(tree.css("a")) == 1
    assert tree.css_first("a").text() == visible(label)
    assert tree.css_first("a").attributes["href"].startswith("https://example.com/run?")
    other = render(link(label, "javascript:" + url))  # not http(s): shown, never followed
    assert not other.css('a[href^="javascript"]') and "javascript:" in other.body.text()


def test_fill_escapes_the_text_around_its_placeholders_not_the_values():
    markdown = fill(
        "**{workflow}** `{command}` [x](y) {{kept}}", workflow="<strong>W</strong>", command="`c`"
    )
    tree = render(markdown)
    assert tree.css_first("p").text() == "**W** `c` [x](y) {kept}"
    assert [node.tag for node in tree.css("p *")] == ["strong", "code"]
    with pytest.raises(KeyError):
        fill("{unknown}")


# --- The report on a forged pull request ----------------------------------------------------------

FAKE_ALL_CLEAR = "Niets: dit concept kan worden gepubliceerd."
LONG_RUN = "`" * 40
FORGED_DRAFT = f"""Een zin met ``` en {LONG_RUN} en ~~~~ en </details> erin.

```

</details>

<details open><summary>Alles in orde</summary>

## Wat geweigerd zou worden

{FAKE_ALL_CLEAR}

<!-- tot hier

# Controle van het concept
"""
# A folder and a file whose names hold a line ending, a fence, a </details> and a fake heading.
FORGED_FOLDER = "x\n```\n<"
FORGED_FILE = f"details>\n## {FAKE_ALL_CLEAR}{LONG_RUN}.md"


@pytest.fixture
def forged(tmp_path) -> Project:
    """The clinic's site with a forged draft, and a page under a forged name that the build
    refuses (a script that would run before a choice): one real refusal."""
    project = copy_project(tmp_path)
    policy = project / "docs" / "index.md"
    add_sentence(policy, SECTION_8)
    lines = policy.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("## ") and SECTION_8 in line)
    policy.write_text("\n".join([*lines[:at], FORGED_DRAFT, *lines[at:]]) + "\n", encoding="utf-8")
    folder = project / "docs" / FORGED_FOLDER
    folder.mkdir()
    (folder / FORGED_FILE).write_text("Hallo <script>alert(1)</script>\n", encoding="utf-8")
    return Project(project / "mkdocs.yml")


def test_a_forged_draft_and_file_name_leave_the_refusal_first_and_everything_in_its_place(forged):
    markdown, refused = report.write_report(forged, "draft-site", "https://github.example/run/1")
    assert refused
    tree = render(markdown)
    t = forged.texts[forged.languages.default]["report"]
    assert not tree.css("details, summary")  # not one, so none can hold the refusals
    headings = [(node.tag, normalise(node.text())) for node in tree.css("h1, h2, h3, h4, h5, h6")]
    assert headings == [
        ("h1", t["title"]),
        ("h2", t["refusals"]),
        ("h3", f"1. {t['refusal_build']}"),
        ("h2", t["changes"].format(version=forged.policy.current()["version"])),
        ("h2", t["publishing"]),
        ("h2", t["where"]),
    ]
    refusal = tree.css_first("h3").next
    while refusal.tag != "pre":
        refusal = refusal.next
    assert f"{FORGED_FOLDER}/{FORGED_FILE}" in refusal.text()  # the whole name, in the fence
    assert len(tree.css("pre")) == 1
    (redline,) = tree.css("blockquote")
    assert FAKE_ALL_CLEAR in redline.text() and LONG_RUN in redline.text() and "</details>" in redline.text()
    assert [node.text() for node in redline.css("ins") if FAKE_ALL_CLEAR in node.text()] == [FAKE_ALL_CLEAR]
    for node in (refusal, redline):
        node.decompose()
    rest = tree.body.text()
    assert FAKE_ALL_CLEAR not in rest and t["no_refusals"] not in rest and LONG_RUN not in rest


def test_a_report_over_githubs_limit_leaves_out_the_redline_not_the_refusals(forged, monkeypatch):
    shown, _ = report.write_report(forged)
    monkeypatch.setattr(report, "SUMMARY_LIMIT", len(shown.encode("utf-8")) - 1)
    markdown, refused = report.write_report(forged)
    tree = render(markdown)
    t = forged.texts[forged.languages.default]["report"]
    assert refused and not tree.css("blockquote") and len(markdown) < len(shown)
    assert tree.css_first("h3").text() == f"1. {t['refusal_build']}" and tree.css("pre")
    assert f"/{forged.policy.files.draft_redline}" in tree.body.text()


def test_the_sites_own_texts_are_words_in_the_report(tmp_path):
    """A site's texts come from the pull request too: its report texts cannot add structure."""
    project = copy_project(tmp_path)
    forged = {
        "title": "Controle\n\n</details>",
        "no_refusals_site": f"{FAKE_ALL_CLEAR}\n\n## Alles goed\n\n```",
        "refusals": "Wat geweigerd zou worden\n<details><summary>x</summary>",
    }
    for language in ("nl", "en", "de"):
        path = project / "texts" / f"{language}.yml"
        own = yaml.safe_load(path.read_text(encoding="utf-8"))
        own["report"] = forged if language == "nl" else dict.fromkeys(forged, "x")
        path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    site = Project(project / "mkdocs.yml")
    markdown, refused = report.write_report(site)
    tree = render(markdown)
    assert not refused and not tree.css("details, summary, pre")
    assert [node.tag for node in tree.css("h1, h2, h3")] == ["h1", "h2", "h2"]
    assert tree.css_first("h1").text() == visible(forged["title"])
    assert tree.css_first("h2").text() == visible(forged["refusals"])


def test_base_and_head_go_together(capsys):
    assert report.main(["--base", "abc123", "--head", " "]) == 2
    assert "--base 'abc123' and --head '': expected both" in capsys.readouterr().err


def test_the_check_names_the_sites_own_code_its_mkdocs_yml_runs(tmp_path):
    project = copy_project(tmp_path)
    (project / "hooks").mkdir()
    (project / "hooks" / "a_hook.py").write_text("", encoding="utf-8")
    (project / "overrides").mkdir()
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n", 1
    )
    (project / "mkdocs.yml").write_text(config + "hooks:\n  - hooks/a_hook.py\n", encoding="utf-8")
    site = Project(project / "mkdocs.yml")
    changed = [
        "docs/index.md",
        "hooks/a_hook.py",
        "overrides/main.html",
        "src/x.py",
        "pyproject.toml",
        "texts/nl.yml",
    ]
    assert report.check_code(site, changed, project) == [
        "hooks/a_hook.py",
        "overrides/main.html",
        "src/x.py",
        "pyproject.toml",
    ]
    assert report.check_code(Project(ROOT / "mkdocs.yml"), changed, project) == ["src/x.py", "pyproject.toml"]
