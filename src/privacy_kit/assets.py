"""The kit's scripts and stylesheets as a site ships them: minified when the site is built, so
that their readable sources (the notes that explain them, names that say what things are) cost
visitors nothing. Scripts: tdewolff's minify (``minify-go``, the extra ``minify``) removes comments
and white space and shortens local names; where it is not installed (it has no build for every
platform), rjsmin, which only removes comments and white space. Stylesheets: rcssmin, which only
removes comments and white space. None of them reorders anything."""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

try:
    import minify as go_minify  # the extra "minify" (minify-go)
except (ImportError, OSError):  # not installed, or its library does not load on this platform
    go_minify = None


def minified_script(text: str) -> str:
    """A script of the kit, minified: local names shortened where minify-go is installed."""
    return go_minify.string("application/javascript", text) if go_minify else rjsmin.jsmin(text)


def minified(path: Path) -> str:
    """The content of a .js or .css file, minified."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        return minified_script(text) + "\n"
    if path.suffix == ".css":
        return rcssmin.cssmin(text) + "\n"
    raise ValueError(f"{path.name}: expected a .js or .css file")
