"""Values that the theme writes into a page as they are.

Material's templates write many values without escaping them: a page's ``description`` and
``author`` into ``<meta content="…">``, its ``status`` into a class attribute, the title into
``<title>`` through ``striptags`` (which turns ``&lt;script&gt;`` back into ``<script>``), the
site's name into an ``aria-label``, nav entries and blog authors into text. A ``<`` there starts
an element and a ``"`` ends the attribute it stands in: markup where the template means text,
and the theme's position, in the ``<head>`` say, where the theme's scripts stand. So every such
value, from a page (its title, its front matter) or from ``mkdocs.yml`` (``site_name``, the nav,
``extra``, the palette's names), is refused when it holds either, with where it came from.

A page whose front matter chooses Material's ``redirect.html`` (``template:``) sends the
visitor to its ``location`` at once: the kit's own ``redirect.html`` writes it safely, and a
location on another origin (or a ``javascript:`` one) is refused, since it would take the
visitor away before any choice.
"""

from __future__ import annotations

from markupsafe import Markup

from .guard import JAVASCRIPT_URL, Finding, foreign, shortened

REDIRECT_TEMPLATE = "redirect.html"


def markup_in(value: str) -> bool:
    """Whether a value that a template writes as it is would be markup: ``<`` starts an element
    in text, ``"`` ends the attribute it stands in."""
    return "<" in value or '"' in value


def _strings(value, path: str):
    """Every string in a YAML value, with its path (``extra.social.0.link``); mapping keys too.
    Any other value as a template writes it (``str()``: YAML's ``!!binary`` is written ``b'…'``,
    its markup with it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key} (key)", str(key)
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")
    elif value is not None:
        yield path, str(value)


def _finding(source: str, value: str) -> Finding:
    return Finding("value", "", "", url=shortened(value, 80), body=source)


def config_findings(config) -> list[Finding]:
    """The values of ``mkdocs.yml`` that the theme writes as they are and that hold markup."""
    found = []
    for key in ("site_name", "site_description", "site_author", "repo_name", "repo_url", "edit_uri"):
        value = config.get(key)
        if isinstance(value, str) and markup_in(value):
            found.append(_finding(key, value))
    for path, value in _strings(config.get("nav") or [], "nav"):
        if markup_in(value):
            found.append(_finding(path, value))
    for path, value in _strings(dict(config.extra or {}), "extra"):
        if markup_in(value):
            found.append(_finding(path, value))
    for path, value in _strings(config.theme.get("palette") or [], "theme.palette"):
        if markup_in(value):
            found.append(_finding(path, value))
    return found


def page_findings(title, meta: dict, site_origin: str) -> list[Finding]:
    """A page's values that the theme writes as they are and that hold markup: its title (also as
    ``striptags`` makes it, entities decoded) and every string of its front matter; and a
    redirect that leaves the site."""
    found = []
    title = "" if title is None else str(title)  # as a template writes it (bytes: "b'…'")
    if "<" in title or "<" in Markup(title).striptags():
        found.append(_finding("title", Markup(title).striptags()))
    for path, value in _strings(meta or {}, "front matter"):
        if markup_in(value):
            found.append(_finding(path.removeprefix("front matter."), value))
    if (meta or {}).get("template") == REDIRECT_TEMPLATE:
        location = str((meta or {}).get("location", ""))
        if (
            JAVASCRIPT_URL.match(location)
            or foreign(location, site_origin)
            or location.strip().lower().startswith("data:")
        ):
            found.append(Finding("redirect", "", "", url=shortened(location, 80), body="location"))
    return found
