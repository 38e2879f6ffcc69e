"""The kit's scripts and stylesheets as a site ships them: minified when the site is built, so
that their readable sources (with the notes that explain them) cost visitors nothing. rjsmin and
rcssmin only remove comments and white space; they rename and reorder nothing."""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin


def minified(path: Path) -> str:
    """The content of a .js or .css file, minified."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        return rjsmin.jsmin(text) + "\n"
    if path.suffix == ".css":
        return rcssmin.cssmin(text) + "\n"
    raise ValueError(f"{path.name}: expected a .js or .css file")
