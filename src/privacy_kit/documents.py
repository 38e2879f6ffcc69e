"""Files of ``docs/`` that a browser opens as a document, and files that replace the theme's.

MkDocs publishes every file of ``docs/`` as it is. Opened directly, in a frame, or by a refresh,
some of them are documents of the site's own origin: what they hold runs with the site's
rights, and a host that sends no headers (GitHub Pages) gives them no Content-Security-Policy.
So each is read as the browser reads it (the type a host serves it as, from its extension) and
checked like a page whose every part is an editor's (``guard.check_document``):

- ``HTML`` (text/html): read as HTML; the build puts the site's policy first into its head.
- ``XML`` (SVG, and every XML type a host serves: a browser renders it, runs its scripts, and
  applies its ``<?xml-stylesheet?>``): read as XML; nothing in it may run or load from another
  origin, and it must be well-formed (a browser would show a parse error instead: what it
  shows is not what the kit read).
- ``REFUSED``: documents the kit cannot read as the browser does (compressed SVG, web archives,
  XHTML, which would need its policy written as XML): publish them as ``.html`` or ``.svg``.

A file of ``docs/`` with the same path as one of the theme's (Material's bundle, the kit's
``consent.js``, a stylesheet) would replace it on every page, since MkDocs lets ``docs/`` win:
it is refused. So are the files the build writes itself (``SITE_FILES``).

A stylesheet of the site's own (``extra_css``, and any ``.css`` of ``docs/``) is read like a
style element: a ``url()`` or ``@import`` of another origin is refused.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .guard import Check, Finding, Site, check_document, css_urls, foreign
from .reading import read_html, read_xml

HTML = (".html", ".htm", ".shtml")
XML = (
    ".svg",
    ".xml",
    ".xsl",
    ".xslt",
    ".rss",
    ".atom",
    ".rdf",
    ".mml",
    ".mathml",
    ".kml",
    ".gpx",
    ".xsd",
    ".opf",
    ".xlf",
    ".xliff",
    ".wsdl",
)
REFUSED = (".xhtml", ".xht", ".svgz", ".mht", ".mhtml", ".shtm")
# What the build itself writes into the site: a file of docs/ there would be overwritten, or win.
SITE_FILES = ("_headers", "_nginx.conf", "robots.txt", ".well-known/security.txt", "versions.json")


def kind_of(path: str) -> str | None:
    """ "html", "xml" or "refused" for a file a browser opens as a document; None otherwise."""
    name = path.lower()
    for kind, suffixes in (("html", HTML), ("xml", XML), ("refused", REFUSED)):
        if name.endswith(suffixes):
            return kind
    return None


def check(path: str, data: bytes, site: Site) -> Check:
    """A document of ``docs/`` (its ``path`` and content), checked as the browser reads it."""
    kind = kind_of(path)
    if kind == "refused":
        suffix = PurePosixPath(path).suffix
        return Check(findings=[Finding("document", "", "", body=f"is a {suffix} document")])
    if kind == "html":
        return check_document(read_html(data.decode("utf-8", errors="replace")), site)
    return check_document(read_xml(data), site)


def stylesheet_findings(name: str, css: str, site: Site) -> list[Finding]:
    """What a stylesheet of the site's own loads from another origin."""
    return [
        Finding("css", name, "", url=url, origin=origin)
        for url in css_urls(css)
        if (origin := foreign(url, site.origin))
    ]
