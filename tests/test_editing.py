"""Editors' files survive every command. new-version, correct-translation and record-consent
change mkdocs.yml, the manifest of versions, the consent archive and the policy's front matter
with a round-trip YAML library (privacy_kit.editing): every comment, full-line or end-of-line,
every key in its order and the quoting of every scalar stay as the editor wrote them, and only
the values a command is documented to change change.

The checks read the files with PyYAML's scanner and composer, not with ruamel.yaml (which
writes them): a comment is what the scanner skips between tokens, so a ``#`` inside a string is
not one. Each command runs in a temporary copy of the project, as an editor runs it."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from conftest import (
    ROOT,
    SECTION_8,
    add_sentence,
    build_day,
    consent_revision,
    copy_project,
    next_version,
    policy_timeline,
    run_command,
)
from privacy_kit.editing import FrontMatter, YamlText
from privacy_kit.policy.model import sha256_of
from privacy_kit.project import PLUGIN, Project

PAGE = re.compile(r"\A---\n(.*?\n)---\n", re.S)  # a page's front matter (as MkDocs reads it)


# --- A YAML text as PyYAML sees it ------------------------------------------------------------


class Comment(NamedTuple):
    kind: str  # "full-line" or "end-of-line"
    column: int
    text: str
    key: str | None  # the key of the line it ends (end-of-line) or of the next line (full-line)


class Node(NamedTuple):
    key_style: str | None  # how the node's key is quoted (None: plain, or no key)
    kind: str  # scalar, mapping or sequence
    tag: str  # an explicit tag (!ENV) or the one PyYAML resolves (str, int, timestamp, ...)
    value: str | None  # a scalar's value as written (None for a mapping or sequence)
    style: str | bool | None  # a scalar's quoting (None, "'", '"', "|", ">"); flow style otherwise


LINE_KEY = re.compile(r"\s*(?:-\s+)?([^\s#:][^#:]*?):(?:\s|$)")


def line_key(line: str) -> str:
    match = LINE_KEY.match(line)
    return match[1] if match else line.strip()


def comments(text: str) -> list[Comment]:
    """Every comment of ``text``: what PyYAML's scanner skips between the tokens it yields."""
    gaps, position = [], 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        start, end = token.start_mark.index, token.end_mark.index
        if start > position:
            gaps.append((position, start))
        position = max(position, end)
    gaps.append((position, len(text)))
    lines = text.split("\n")
    found = []
    for start, end in gaps:
        for match in re.finditer(r"#[^\n]*", text[start:end]):
            index = start + match.start()
            row = text.count("\n", 0, index)
            column = index - (text.rfind("\n", 0, index) + 1)
            if lines[row][:column].strip():
                found.append(Comment("end-of-line", column, match[0], line_key(lines[row][:column])))
            else:
                following = next(
                    (line for line in lines[row + 1 :] if line.strip() and not line.lstrip().startswith("#")),
                    None,
                )
                found.append(Comment("full-line", column, match[0], following and line_key(following)))
    return found


def nodes(text: str) -> tuple[dict[tuple, Node], dict[tuple, range]]:
    """Every node of ``text`` in document order, by path (keys and list indexes), and the lines
    each is written on (from its key's line)."""
    found, lines = {}, {}

    def walk(node, path, key=None):
        first = (key or node).start_mark.line
        last = node.end_mark.line if node.end_mark.column else node.end_mark.line - 1
        lines[path] = range(first, max(first, last) + 1)
        key_style = key.style if key is not None else None
        if isinstance(node, yaml.ScalarNode):
            found[path] = Node(key_style, "scalar", node.tag, node.value, node.style)
        elif isinstance(node, yaml.MappingNode):
            found[path] = Node(key_style, "mapping", node.tag, None, node.flow_style)
            for k, v in node.value:
                walk(v, (*path, k.value), k)
        else:
            found[path] = Node(key_style, "sequence", node.tag, None, node.flow_style)
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return found, lines


def items(tree: dict[tuple, Node], sequence: tuple) -> int:
    return sum(
        1 for p in tree if len(p) == len(sequence) + 1 and p[:-1] == sequence and isinstance(p[-1], int)
    )


def assert_kept(before: str, after: str, where: str, changed=None, appended=None) -> dict[tuple, Node]:
    """``after`` is ``before`` with only the documented edits: the scalars at the paths of
    ``changed`` have the values given (quoted as before), and the lists at the paths of
    ``appended`` have that many items more, at their end. Every comment (where and how it is
    written), every key in its order, every other value with its quoting and tag, and every
    other line byte for byte are kept. Returns the nodes of ``after``."""
    changed, appended = changed or {}, appended or {}
    old, old_lines = nodes(before)
    new, new_lines = nodes(after)
    assert comments(after) == comments(before), f"{where}: the comments changed"
    assert [p for p in new if p in old] == list(old), f"{where}: the keys are in another order"
    for path, node in old.items():
        assert path in new, f"{where}: {path} was removed"
        expected = node._replace(value=changed[path]) if path in changed else node
        assert new[path] == expected, f"{where}: {path} was {node}, is {new[path]}"
    for sequence, count in appended.items():
        assert items(new, sequence) == items(old, sequence) + count, (
            f"{where}: {sequence} has not {count} more"
        )
    added = [
        path
        for path in new
        if path not in old
        and path not in changed
        and not any(
            path[: len(s)] == s and isinstance(path[len(s)], int) and path[len(s)] >= items(old, s)
            for s in appended
            if len(path) > len(s)
        )
    ]
    assert not added, f"{where}: added where no command adds: {added}"
    # Every line that holds nothing the command changed or added is kept, byte for byte.
    may_go = {line for path in changed if path in old for line in old_lines[path]}
    may_come = {line for path in new if path not in old or path in changed for line in new_lines[path]}
    a, b = before.split("\n"), after.split("\n")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            assert set(range(i1, i2)) <= may_go, f"{where}: lost or rewrote {a[i1:i2]}"
        if tag in ("replace", "insert"):
            assert set(range(j1, j2)) <= may_come, f"{where}: wrote {b[j1:j2]}"
    return new


def split_page(text: str) -> tuple[str, str]:
    """(front matter, body) of a page."""
    match = PAGE.match(text)
    assert match, "expected front matter between --- lines"
    return match[1], text[match.end() :]


def tree(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()
    }


def plugin_path(text: str) -> tuple:
    """The path of the privacy-kit plugin's options in mkdocs.yml's plugins list."""
    found, _ = nodes(text)
    return next(p for p in found if len(p) == 3 and p[0] == "plugins" and p[2] == PLUGIN)


class Run(NamedTuple):
    site: Project
    before: dict[str, bytes]
    after: dict[str, bytes]

    def text(self, name: str, when: str = "after") -> str:
        return getattr(self, when)[name].decode("utf-8")

    def changed(self) -> set[str]:
        return {n for n in self.after if self.before.get(n) != self.after[n]} | (
            self.before.keys() - self.after.keys()
        )


def run(project: Path, command: str, *args: str) -> Run:
    """``privacy-kit <command>`` in ``project`` as an editor runs it; the files before and after."""
    before = tree(project)
    result = run_command(command, project, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return Run(Project(project / "mkdocs.yml"), before, tree(project))


def paths(site: Project) -> dict[str, str]:
    """Project-relative paths of the files the commands edit, as the project configures them."""
    docs = site.docs.relative_to(site.root).as_posix()
    files = site.policy.files
    return {
        "config": site.config_file.name,
        "manifest": f"{docs}/{files.manifest}",
        "archive": f"{docs}/{site.options.consent.archive}",
        "page": f"{docs}/{files.page}",
        "docs": docs,
    }


# --- The checks check -------------------------------------------------------------------------


def test_a_hash_in_a_string_is_no_comment_and_every_comment_is_found():
    text = 'a: "x # y"  # one\n# two\nb: c#d\nc: >-\n  e # f\nd: [1, 2]  # three\n'
    assert [(c.kind, c.text, c.key) for c in comments(text)] == [
        ("end-of-line", "# one", "a"),
        ("full-line", "# two", "b"),
        ("end-of-line", "# three", "d"),
    ]


def test_the_checks_see_a_lost_comment_a_new_order_a_new_quoting_and_a_changed_value():
    before = "# head\na: '1.0'  # tail\nb: x\nc: y\n"
    assert_kept(before, before, "same")
    assert_kept(before, before.replace("1.0", "1.1"), "changed", changed={("a",): "1.1"})
    for after, message in (
        (before.replace("# head\n", ""), "the comments changed"),  # a full-line comment lost
        (before.replace("  # tail", ""), "the comments changed"),  # an end-of-line comment lost
        (before.replace("  # tail", "     # tail"), "the comments changed"),  # a comment moved
        (before.replace("b: x\nc: y\n", "c: y\nb: x\n"), "another order"),
        (before.replace("'1.0'", '"1.0"'), r"\('a',\) was"),  # other quotes
        (before.replace("b: x", "b: z"), r"\('b',\) was"),  # a value no command changes
        (before + "d: z\n", "added where no command adds"),
        (before.replace("b: x", "b:   x"), "lost or rewrote"),  # a line rewritten, same value
    ):
        with pytest.raises(AssertionError, match=message):
            assert_kept(before, after, "broken")


# --- No change: a round trip writes each file back as it is -------------------------------------


def edited_files() -> list[str]:
    """mkdocs.yml, the manifest, the consent archive, and every page with front matter (the
    policy and its translations among them), as they are in the repository."""
    site = Project(ROOT / "mkdocs.yml")
    names = paths(site)
    pages = sorted(
        p.relative_to(ROOT).as_posix() for p in site.docs.rglob("*.md") if PAGE.match(p.read_text("utf-8"))
    )
    required = [
        names["page"],
        *(f"{names['docs']}/{site.policy.files.translation_path(lang)}" for lang in site.languages.others),
    ]
    assert set(required) <= set(pages)
    return [names["config"], names["manifest"], names["archive"], *pages]


@pytest.mark.parametrize("name", edited_files())
def test_a_round_trip_without_a_change_writes_the_file_back_byte_for_byte(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    if name.endswith(".md"):
        assert FrontMatter(text).text() == text
        text = split_page(text)[0]
    assert YamlText(text).text() == text


# --- Each command, as an editor runs it -----------------------------------------------------------


def test_new_version_changes_only_the_version_the_date_and_the_revision_and_appends_the_records(tmp_path):
    project = copy_project(tmp_path / "project")
    revision, version, date = consent_revision(project), next_version(project), build_day().isoformat()
    add_sentence(project / "docs" / Project(project / "mkdocs.yml").policy.files.page, SECTION_8)
    done = run(project, "new-version", version, "--date", date, "--summary", "Meer over cookies.")
    names = paths(done.site)
    archived = f"{names['docs']}/{done.site.policy.files.archived_name(version, done.site.languages.default)}"
    assert done.changed() == {names["config"], names["manifest"], names["archive"], names["page"], archived}
    assert archived not in done.before  # the frozen text is a new file

    config = names["config"]
    revision_path = (*plugin_path(done.text(config, "before")), "consent", "revision")
    assert_kept(
        done.text(config, "before"), done.text(config), config, changed={revision_path: str(revision + 1)}
    )

    page = names["page"]
    (front, body), (new_front, new_body) = split_page(done.text(page, "before")), split_page(done.text(page))
    assert new_body == body
    assert_kept(front, new_front, f"{page} (front matter)", changed={("policy", "version"): version, ("policy", "date"): date})  # fmt: skip

    manifest = names["manifest"]
    new = assert_kept(done.text(manifest, "before"), done.text(manifest), manifest, appended={(): 1})
    last = items(new, ()) - 1
    assert new[(last, "version")].value == version and new[(last, "consent", "revision")].value == str(
        revision + 1
    )

    archive = names["archive"]
    new = assert_kept(done.text(archive, "before"), done.text(archive), archive, appended={(): 1})
    last = items(new, ()) - 1
    assert (
        new[(last, "revision")].value == str(revision + 1)
        and new[(last, "from")].value == build_day().isoformat()
    )


def test_correct_translation_changes_only_the_files_hash_and_appends_a_correction(tmp_path):
    project = copy_project(tmp_path / "project")
    site = Project(project / "mkdocs.yml")
    language = site.languages.others[0]
    version = policy_timeline(project).in_force["version"]
    translation = site.docs / site.policy.files.translation_path(language)
    text = translation.read_text(encoding="utf-8")
    # A translation lagging behind a new version first says which version it now translates.
    text = re.sub(r'(?m)^translation_of: "[^"]*"$', f'translation_of: "{version}"', text, count=1)
    translation.write_text(text, encoding="utf-8")
    add_sentence(translation, SECTION_8, "A corrected sentence of the translation.")
    done = run(project, "correct-translation", language, "--note", "Reviewed by a legal translator.")
    names = paths(done.site)
    name = done.site.policy.files.archived_name(version, language)
    archived = f"{names['docs']}/{name}"
    assert done.changed() == {names["manifest"], archived}

    manifest = names["manifest"]
    old, _ = nodes(done.text(manifest, "before"))
    index = next(p[0] for p, node in old.items() if p[1:] == ("version",) and node.value == version)
    changed = {(index, "files", name): sha256_of(project / archived)}
    if (index, "corrections") not in old:  # the version's first correction adds the list
        changed[(index, "corrections")] = None
    new = assert_kept(
        done.text(manifest, "before"),
        done.text(manifest),
        manifest,
        changed=changed,
        appended={(index, "corrections"): 1},
    )
    last = items(new, (index, "corrections")) - 1
    replaced = old[(index, "files", name)].value if (index, "files", name) in old else "null"
    assert new[(index, "corrections", last, "file")].value == name
    assert new[(index, "corrections", last, "replaces")].value == replaced

    # The archived translation: a new body under the front matter it had (if it was recorded).
    if archived in done.before:
        (front, body), (new_front, new_body) = (
            split_page(done.text(archived, w)) for w in ("before", "after")
        )
        assert new_body != body
        assert_kept(front, new_front, f"{archived} (front matter)")
    assert "A corrected sentence of the translation." in split_page(done.text(archived))[1]


def test_record_consent_only_appends_a_snapshot_under_the_same_revision(tmp_path):
    project = copy_project(tmp_path / "project")
    site = Project(project / "mkdocs.yml")
    texts = project / "texts" / f"{site.languages.default}.yml"
    text = texts.read_text(encoding="utf-8")
    changed = re.sub(r"(?m)^(  more: .+)$", r"\1 (bijgewerkt)", text, count=1)
    assert changed != text
    texts.write_text(changed, encoding="utf-8")  # a wording change of the banner
    done = run(project, "record-consent")
    names = paths(done.site)
    assert done.changed() == {names["archive"]}
    archive = names["archive"]
    new = assert_kept(done.text(archive, "before"), done.text(archive), archive, appended={(): 1})
    last = items(new, ()) - 1
    assert new[(last, "revision")].value == str(consent_revision(project)) == str(consent_revision())
    assert new[(last, "texts", site.languages.default, "consent", "more")].value.endswith(" (bijgewerkt)")
