"""Security: a strict Content-Security-Policy, security headers, robots.txt and security.txt.

Every inline script, style element and style attribute that the guard let through (the kit's
and the theme's, whose texts vary with page depth, gated inline scripts that consent.js may run
after consent, and the style attributes of Markdown's aligned tables) is hashed into one policy
without 'unsafe-inline' (style attributes through 'unsafe-hashes', only with exactly these
values). The hashes come from the guard's check of each page (``guard.Check``): the pages are
not read again here. That policy is delivered twice and identically: as a
``<meta http-equiv="Content-Security-Policy">`` in every page (hosts without header control:
the kit's templates write it with ``PLACEHOLDER`` as its content, which the build fills in at
the end; an HTML file of ``docs/`` gets it after its doctype) and in ``_headers`` (Netlify,
Cloudflare Pages) and ``_nginx.conf`` (nginx), which also set frame-ancestors, HSTS, nosniff,
Referrer-Policy, Permissions-Policy and long caching for fingerprinted assets, the Atom feed's
content type, and (nginx) gzip for CSS, JavaScript, JSON and XML. Other hosts are allowed only
where consent covers them (analytics, embeds). Without SITE_URL (unset or empty) absolute URLs
point to a local address, said in the log (a production build needs SITE_URL).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .editing import write_atomic
from .reading import read_html

# What the kit's templates write as the content of the page's policy until the build knows it.
PLACEHOLDER = "privacy-kit:content-security-policy"
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
        "geolocation=(), gyroscope=(), interest-cohort=(), magnetometer=(), microphone=(), "
        "midi=(), payment=(), publickey-credentials-get=(), usb=(), xr-spatial-tracking=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
LONG_CACHE = "public, max-age=31536000, immutable"
SECURITY_TXT_DAYS = 180  # how long security.txt stays valid after a build
ATOM = "application/atom+xml; charset=utf-8"
ATOM_ROOT = "{http://www.w3.org/2005/Atom}feed"
GZIP_TYPES = (
    "text/css",
    "application/javascript",
    "text/javascript",
    "application/json",
    "application/xml",
    "text/xml",
    "application/atom+xml",
    "image/svg+xml",
    "text/plain",
)
# Where a build without SITE_URL points its absolute URLs: a local address, never deployed
# (scripts/build refuses to build without SITE_URL; mkdocs serve replaces it with its own).
LOCAL_SITE_URL = "http://127.0.0.1:8000/"


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@dataclass
class Hashes:
    """The texts the policy allows to run or style, from every page's check."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)

    def add(self, check) -> None:
        self.scripts |= check.scripts
        self.styles |= check.styles
        self.style_attributes |= check.style_attributes


def sources_of(consent) -> dict[str, list[str]]:
    """What the policy allows beyond the site itself, and only what the site's consent covers:
    the analytics service's hosts, and the origins that embeds of a category load from."""
    sources: dict[str, list[str]] = {}
    if consent is not None and consent.analytics is not None:
        for directive, allowed in consent.analytics.sources:
            sources.setdefault(directive, []).extend(allowed)
    for _, hosts in consent.hosts if consent is not None else ():
        sources.setdefault("frame-src", []).extend(h for h in hosts if h not in sources.get("frame-src", []))
    return sources


def policy(hashes: Hashes, sources: dict[str, list[str]], header: bool) -> str:
    scripts = {sha256_source(text) for text in hashes.scripts}
    styles = {sha256_source(text) for text in hashes.styles}
    attributes = {sha256_source(text) for text in hashes.style_attributes} - styles
    unsafe_hashes = ["'unsafe-hashes'", *sorted(attributes)] if attributes else []
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *sorted(scripts), *sources.get("script-src", [])],
        "style-src": ["'self'", *unsafe_hashes, *sorted(styles)],
        "img-src": ["'self'", "data:", *sources.get("img-src", [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *sources.get("connect-src", [])],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    if "frame-src" in sources:  # embeds, loaded only after consent to their category
        directives["frame-src"] = ["'self'", *sources["frame-src"]]
    if header:  # not allowed in <meta>
        directives["frame-ancestors"] = ["'none'"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def headers_file(csp: str, fingerprinted: list[str], feeds: list[str] = ()) -> str:
    lines = ["# Generated by the build (the privacy-kit plugin) for Netlify and Cloudflare Pages.", "/*"]
    lines += [f"  {name}: {value}" for name, value in {"Content-Security-Policy": csp, **HEADERS}.items()]
    for path in fingerprinted:
        lines += [f"/{path}", f"  Cache-Control: {LONG_CACHE}"]
    for path in feeds:
        lines += [f"/{path}", f"  Content-Type: {ATOM}"]
    lines += ["/_headers", "  X-Robots-Tag: noindex", ""]
    return "\n".join(lines)


def nginx_file(csp: str, languages: list[str], feeds: list[str] = ()) -> str:
    headers = {"Content-Security-Policy": csp, **HEADERS}
    adds = "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())
    indented = "".join("    " + line + "\n" for line in adds.splitlines())
    lang_404 = "".join(
        f"location /{lang}/ {{\n    error_page 404 /{lang}/404.html;\n{indented}}}\n" for lang in languages
    )
    feed_types = "".join(
        f"location = /{path} {{\n    types {{ }}\n    default_type application/atom+xml;\n"
        f"    charset utf-8;\n    charset_types application/atom+xml;\n{indented}}}\n"
        for path in feeds
    )
    return (
        "# Generated by the build (the privacy-kit plugin). Include it inside your server { } block.\n"
        "# add_header in a location replaces the inherited ones, so each location repeats them.\n"
        + adds
        + "# Compress what Debian's default (HTML only) leaves out; other hosts compress by themselves.\n"
        + f"gzip on;\ngzip_types {' '.join(GZIP_TYPES)};\n"
        + "error_page 404 /404.html;\n"
        + lang_404
        + feed_types
        + f'location ~ "\\.[0-9a-f]{{8}}\\.min\\.(js|css)$" {{\n    add_header Cache-Control "{LONG_CACHE}" always;\n{indented}}}\n'
        + "location ~ ^/_ {\n    return 404;\n}\n"
    )


def atom_feeds(site: Path) -> list[str]:
    """The Atom feeds of the built site (hosts serve .xml as text/xml or application/xml)."""
    feeds = []
    for path in sorted(site.rglob("*.xml")):
        with contextlib.suppress(ElementTree.ParseError):
            if next(ElementTree.iterparse(path, events=("start",)))[1].tag == ATOM_ROOT:
                feeds.append(path.relative_to(site).as_posix())
    return feeds


def security_txt(site_url: str, contact: str, languages, today: datetime.date) -> str:
    """RFC 9116. Expires follows the build date (rebuild the site regularly), under a year ahead
    as the RFC recommends. No Policy field: there is no vulnerability-disclosure policy (the
    privacy policy is not one)."""
    site = site_url.rstrip("/") + "/"
    expires = today + datetime.timedelta(days=SECURITY_TXT_DAYS)
    return (
        f"Contact: {contact}\n"
        f"Expires: {expires.isoformat()}T00:00:00Z\n"
        f"Preferred-Languages: {', '.join(languages)}\n"
        f"Canonical: {site}.well-known/security.txt\n"
    )


def with_policy(html_text: str, csp: str) -> str | None:
    """A page of the kit's templates with its policy in place of ``PLACEHOLDER`` (quoted where a
    minifier left the attribute unquoted); None where the page does not hold it exactly once."""
    if html_text.count(PLACEHOLDER) != 1:
        return None
    at = html_text.index(PLACEHOLDER)
    quoted = html_text[at - 1] in "\"'"
    return html_text.replace(PLACEHOLDER, csp if quoted else f'"{csp}"', 1)


def with_meta_policy(html_text: str, csp: str) -> str | None:
    """An HTML document that is not the kit's (a file of ``docs/``, another plugin's page) with
    the policy as the first element of its head: right after its doctype, so that it applies to
    everything the document holds; None where a browser would not read it so."""
    start = len(html_text) - len(html_text.lstrip("\ufeff \t\r\n"))
    if html_text[start : start + 9].lower() == "<!doctype":
        start = html_text.index(">", start) + 1
    tag = f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
    result = html_text[:start] + tag + html_text[start:]
    head = [e for e in read_html(result).elements if e.in_head]
    first = head[0] if head else None
    if first is None or first.name != "meta" or first.attrs.get("content") != csp:
        return None
    return result


def write_files(
    site: Path,
    *,
    hashes: Hashes,
    pages: list[Path],
    documents: list[Path],
    sources: dict[str, list[str]],
    meta: bool,
    others,
    site_url: str,
    security_txt_text,
    warn,
) -> None:
    """At the end of the build: one policy from every page's hashes, into the pages (``pages``:
    the kit's, with the placeholder; ``documents``: other HTML documents, unless ``meta`` is off:
    live reload) and into _headers and _nginx.conf; robots.txt and (with a contact)
    .well-known/security.txt."""
    csp = policy(hashes, sources, header=False)
    for path in pages if meta else ():
        written = with_policy(path.read_text(encoding="utf-8"), csp)
        if written is None:
            warn("%s does not hold the kit's Content-Security-Policy once", path.relative_to(site))
        else:
            write_atomic(path, written)
    for path in documents if meta else ():
        written = with_meta_policy(path.read_text(encoding="utf-8"), csp)
        if written is None:
            warn(
                "%s: the kit cannot put its Content-Security-Policy first into its head",
                path.relative_to(site),
            )
        else:
            write_atomic(path, written)
    header_csp = policy(hashes, sources, header=True)
    fingerprinted = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if FINGERPRINTED.search(p.name)
    )
    feeds = atom_feeds(site)
    write_atomic(site / "_headers", headers_file(header_csp, fingerprinted, feeds))
    write_atomic(site / "_nginx.conf", nginx_file(header_csp, others, feeds))
    write_atomic(
        site / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"
    )
    if security_txt_text is not None:
        write_atomic(site / ".well-known" / "security.txt", security_txt_text)
