"""Print the plugin's configuration reference (``privacy-kit reference``), generated from its
Config classes; with ``--readme FILE``, write it into FILE between ``<!-- config:start -->`` and
``<!-- config:end -->`` (the README's table, which a test keeps equal to the classes)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import reference
from ..editing import write_atomic

START, END = "<!-- config:start -->", "<!-- config:end -->"


def in_readme(text: str, table: str) -> str:
    start, end = text.index(START) + len(START), text.index(END)
    return text[:start] + "\n" + table + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="privacy-kit reference", description="The plugin's configuration reference."
    )
    parser.add_argument("--readme", type=Path, help="write it into this file, between the config markers")
    args = parser.parse_args(argv)
    table = reference()
    if args.readme is None:
        print(table)
        return 0
    write_atomic(args.readme, in_readme(args.readme.read_text(encoding="utf-8"), table))
    print(f"  wrote the configuration reference into {args.readme}")
    return 0
