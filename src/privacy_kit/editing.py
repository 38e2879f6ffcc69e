"""Changing the files editors and commands share, and writing them safely.

- ``YamlText``: a YAML file (mkdocs.yml, the manifest of versions, the consent archive) or a
  page's front matter, loaded with ruamel.yaml's round-trip mode and written back with its
  comments, key order, quoting and indentation as they were; only what a command changes
  changes.
- ``write_atomic``: a temporary file beside the target, then a rename, so that no half-written
  file is ever left behind.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)
KEY_INDENT = re.compile(r"^( +)[^\s#-][^:\n]*:", re.M)
SEQUENCE_DASH = re.compile(r"^( *)- ", re.M)


def _layout(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the text writes them, for ruamel."""
    keys = [len(m[1]) for m in KEY_INDENT.finditer(text)]
    mapping = min(keys) if keys else 2
    offset, sequence = 0, mapping
    for match in SEQUENCE_DASH.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        previous = text.rfind("\n", 0, line_start - 1) + 1
        parent = text[previous:line_start]
        if parent.rstrip().endswith(":"):  # the first item under a key: how far the dash is indented
            parent_indent = len(parent) - len(parent.lstrip(" "))
            offset = len(match[1]) - parent_indent
            sequence = offset + 2
            break
    return mapping, max(sequence, offset + 2), offset


def _null(representer, _):
    """None as ``null``, as PyYAML writes it (ruamel writes nothing)."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


class YamlText:
    """A YAML document to change and write back as it was written (comments included)."""

    def __init__(self, text: str):
        self.yaml = YAML()  # round-trip
        self.yaml.preserve_quotes = True
        self.yaml.width = 4096  # never fold a long line that was one line
        self.yaml.representer.add_representer(type(None), _null)
        mapping, sequence, offset = _layout(text)
        self.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        self.data = self.yaml.load(text) if text.strip() else None

    def text(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()


def appended(text: str | None, items: list, header: str = "") -> str:
    """The YAML list ``text`` (a new one, opened by ``header``, when None or empty) with
    ``items`` appended; everything already there is written back as it was."""
    if not text or not text.strip():
        document = YamlText(header)
        document.data = list(items)
        return header + document.text()
    document = YamlText(text)
    document.data.extend(items)
    return document.text()


def same_style(old, new):
    """``new`` quoted as ``old`` was ("1.0" stays double-quoted when it becomes "1.1")."""
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    return new


def set_value(mapping, key: str, value) -> None:
    """``mapping[key] = value``, keeping the quoting of the value it replaces."""
    mapping[key] = same_style(mapping.get(key), value) if key in mapping else value


class FrontMatter:
    """A markdown page whose front matter is changed and written back as it was written."""

    def __init__(self, text: str):
        match = FRONT_MATTER.match(text)
        if match is None:
            raise ValueError("expected the page to start with front matter between --- lines")
        self.document = YamlText(match[1])
        self.body = text[match.end() :]

    @property
    def data(self):
        return self.document.data

    def text(self) -> str:
        return "---\n" + self.document.text() + "---\n" + self.body


def write_atomic(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
