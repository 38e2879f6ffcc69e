"""Files of ``docs/`` that a browser opens as a document, and files that replace the theme's.

MkDocs publishes every file of ``docs/`` as it is. Opened directly, in a frame, or by a refresh,
some of them are documents of the site's own origin: what they hold runs with the site's
rights, and a host that sends no headers (GitHub Pages) gives them no Content-Security-Policy.
So each is read as the browser reads it (the type a host serves it as, from its extension) and
checked like a page whose every part is an editor's (``guard.check_document``):

- HTML (text/html: ``.html``, ``.htm``, ``.shtml``): read as HTML, in UTF-8 only (a file a browser
  would decode otherwise, UTF-16 or ISO-2022-JP, is refused); the build puts the site's policy
  first into its head.
- XML (SVG, and every XML type a host serves: a browser renders it, runs its scripts, and
  applies its ``<?xml-stylesheet?>``): read as XML; nothing in it may run or load from another
  origin, and it must be well-formed (a browser would show a parse error instead: what it
  shows is not what the kit read). Its styles (``<style>``, ``style`` attributes) are its own,
  as in an SVG that mermaid draws: no banner stands in it to be hidden, and a host's policy
  blocks them where the file is opened on its own; a ``url()`` of another origin in them is
  refused.
- Refused: documents the kit cannot read as the browser does (compressed SVG, web archives,
  XHTML, which would need its policy written as XML): publish them as ``.html`` or ``.svg``.

Files that tell a host what to do with the whole site (``_redirects``, ``_worker.js``,
``.htaccess``…) are refused too: nothing would check what they do.

A file of ``docs/`` with the same path as one of the theme's (Material's bundle, the kit's
``consent.js``, a stylesheet) would replace it on every page, since MkDocs lets ``docs/`` win:
it is refused. So are the files the build writes itself (``SITE_FILES``).

A stylesheet of the site's own (``extra_css``, and any ``.css`` of ``docs/``) is read like a
style element: a ``url()`` or ``@import`` of another origin is refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from .guard import Check, Finding, Site, check_document, css_urls, foreign
from .reading import read_html, read_xml

# What a browser shows as a page, and how the kit reads it: by the type a host serves the file
# as, from its extension (Python's table, which most hosts' agree with, and what nginx and
# mime-db, which Netlify and GitHub Pages use, add). An XML type (anything ending in "xml") is a
# document a browser renders, and may run scripts in.
HTML_TYPES = {"text/html"}
XML_TYPES = {"image/svg+xml", "text/xml", "application/xml", "text/xsl", "application/xslt+xml"}
REFUSED_TYPES = {"application/xhtml+xml", "multipart/related", "message/rfc822"}
HOSTS_ADD = {
    ".shtml": "text/html",
    ".rng": "application/xml",
    ".xsd": "application/xml",
    ".xpdl": "application/xml",
    ".svgz": "image/svg+xml",
    ".mht": "multipart/related",
    ".mhtml": "multipart/related",
    ".xht": "application/xhtml+xml",
    ".xhtm": "application/xhtml+xml",
    ".xhtml": "application/xhtml+xml",
}
# What an XML document may hold that a page may not: styles of its own (see above).
OWN_STYLES = {"style", "style_attribute"}
# Files that tell a host what to do with the whole site (Netlify, Cloudflare Pages, Apache, IIS).
HOST_FILES = ("_redirects", "_headers", "_worker.js", "_routes.json", "_nginx.conf")
HOST_FILE_NAMES = (".htaccess", "web.config")
# What the build itself writes into the site: a file of docs/ there would be overwritten, or win.
SITE_FILES = ("robots.txt", ".well-known/security.txt", "versions.json")


def type_of(path: str) -> str:
    """The type a host serves ``path`` as (compressed files: what they hold, as hosts send them
    with a Content-Encoding)."""
    suffix = PurePosixPath(path.lower()).suffix
    if suffix in HOSTS_ADD:
        return HOSTS_ADD[suffix]
    return mimetypes.guess_type(path, strict=False)[0] or ""


def kind_of(path: str, data: bytes | None = None) -> str | None:
    """ "html", "xml" or "refused" for a file a browser opens as a document; None otherwise. A
    file of a type the kit does not know (``data``: its content) is read as XML when it starts
    as markup does: hosts know more XML types than Python does (mime-db, which GitHub Pages uses,
    serves ``.mathml`` and ``.gpx`` as XML a browser renders, and runs, up to its first error)."""
    kind = type_of(path)
    if path.lower().endswith(".svgz") or kind in REFUSED_TYPES:
        return "refused"
    if kind in HTML_TYPES:
        return "html"
    if kind in XML_TYPES or kind.endswith(("+xml", "/xml")):
        return "xml"
    if not kind and data is not None and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "xml"
    return None


def host_file(path: str) -> bool:
    """Whether ``path`` (docs-relative) is a file a host reads as instructions for the whole site
    (Cloudflare Pages also runs a folder ``_worker.js`` at the root: its ``index.js``)."""
    name = PurePosixPath(path).name.lower()
    root = path.split("/", 1)[0]
    return root in HOST_FILES or path.startswith("_") and "/" not in path or name in HOST_FILE_NAMES


def check(path: str, data: bytes, site: Site) -> Check:
    """A document of ``docs/`` (its ``path`` and content), checked as the browser reads it."""
    kind = kind_of(path, data)
    if kind == "refused":
        suffix = PurePosixPath(path).suffix
        return Check(findings=[Finding("document", "", "", body=f"is a {suffix} document")])
    if kind == "html":
        problem = encoding_problem(data)
        if problem:
            return Check(findings=[Finding("document", "", "", body=problem)])
        return check_document(read_html(data.decode("utf-8")), site, path)
    check = check_document(read_xml(data), site, path)
    check.findings[:] = [f for f in check.findings if f.kind not in OWN_STYLES]
    return check


def encoding_problem(data: bytes) -> str:
    """Why a browser might read an HTML file otherwise than as UTF-8, the way the kit reads it: a
    byte order mark of UTF-16, bytes that are not UTF-8, a declared charset of another encoding,
    or an escape byte (ISO-2022-JP switches what quotes and brackets mean with it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "is UTF-16 (its byte order mark says so), not UTF-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"is not UTF-8 ({error.reason} at byte {error.start})"
    if "\x1b" in text:
        return "holds an escape character, which switches encodings such as ISO-2022-JP"
    for element in read_html(text).named("meta"):
        charset = element.attrs.get("charset", "")
        if not charset and element.attrs.get("http-equiv", "").strip().lower() == "content-type":
            charset = element.attrs.get("content", "").lower().partition("charset=")[2]
        if charset and charset.strip().strip("'\"").lower() not in ("utf-8", "utf8"):
            return f"declares the charset {charset.strip()!r}: only UTF-8 is read as the kit reads it"
    return ""


def stylesheet_findings(name: str, css: str, site: Site) -> list[Finding]:
    """What a stylesheet of the site's own loads from another origin."""
    return [
        Finding("css", name, "", url=url, origin=origin)
        for url in css_urls(css)
        if (origin := foreign(url, site.origin))
    ]
