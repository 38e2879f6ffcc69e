"""Templates compiled once per process, not once per language: mkdocs-static-i18n builds each
other language with a new Jinja environment, which compiles Material's templates again (about a
third of a build's time, by cProfile). Jinja's bytecode cache keys a template by its name and
file and checks its source, so a changed template (mkdocs serve) is compiled again."""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


SHARED = MemoryBytecodeCache()
