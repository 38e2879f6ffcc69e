"""Security: a strict Content-Security-Policy, security headers, robots.txt and security.txt.

At the end of the build every inline script the site contains (Material's, whose text varies
with page depth, and gated inline embeds that consent.js may run) is hashed into one policy
without 'unsafe-inline'. That policy is delivered twice and identically: as a
``<meta http-equiv="Content-Security-Policy">`` in every page (hosts without header control)
and in ``_headers`` (Netlify, Cloudflare Pages) and ``_nginx.conf`` (nginx), which also set
frame-ancestors, HSTS, nosniff, Referrer-Policy, Permissions-Policy and long caching for
fingerprinted assets, the Atom feed's content type, and (nginx) gzip for CSS, JavaScript, JSON
and XML. Other hosts are allowed only where consent covers them (analytics, embeds). An inline
``style`` attribute would need 'unsafe-inline', so the build warns about it. Without SITE_URL
(unset or empty) absolute URLs point to a local address, said in the log (a production build
needs SITE_URL).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import re
from pathlib import Path
from xml.etree import ElementTree

from .editing import write_atomic
from .guard import SCRIPT_SOURCES, elements, gated, runnable

STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle=")
META_CHARSET = '<meta charset="utf-8">'
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


def inline_hashes(html: str, refused: frozenset[str] | set[str] = frozenset()) -> tuple[set[str], set[str]]:
    """Hash sources for the inline scripts that can run (including gated inline embeds) and
    styles, read as a browser parses the page (the guard's parser); never for a script the guard
    refused (``refused``: their texts)."""
    scripts, styles = set(), set()
    for name, attrs, node in elements(html):
        if name == "style":
            styles.add(sha256_source(node.text(deep=True, separator="")))
        if name != "script" or any(k in attrs for k in (*SCRIPT_SOURCES, "data-src")):
            continue  # not a script, or one from a file (a gated one's data-src too)
        body = node.text(deep=True, separator="")
        if (runnable(attrs) or gated(attrs)) and body.strip() and body not in refused:
            scripts.add(sha256_source(body))
    return scripts, styles


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


def policy(scripts: set[str], styles: set[str], sources: dict[str, list[str]], header: bool) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *sorted(scripts), *sources.get("script-src", [])],
        "style-src": ["'self'", *sorted(styles)],
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


def style_attribute(output: str) -> bool:
    """An inline style attribute, which the Content-Security-Policy forbids."""
    return STYLE_ATTRIBUTE.search(output) is not None


def add_meta_policy(site: Path, pages: list[Path], csp: str, warn) -> None:
    """The policy as a <meta> tag in every page (hosts without header control)."""
    tag = f'{META_CHARSET}\n    <meta http-equiv="Content-Security-Policy" content="{csp}">'
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if META_CHARSET not in html:
            warn(
                "%s has no %s to put the Content-Security-Policy after", path.relative_to(site), META_CHARSET
            )
            continue
        write_atomic(path, html.replace(META_CHARSET, tag, 1))


def write_files(
    site: Path,
    *,
    sources: dict[str, list[str]],
    meta: bool,
    others,
    site_url: str,
    security_txt_text,
    warn,
    refused_scripts: set[str] = frozenset(),
) -> None:
    """At the end of the build: hash every inline script of the built pages into one policy, put
    it into the pages (unless ``meta`` is off: live reload) and into _headers and _nginx.conf, and
    write robots.txt and (with a contact) .well-known/security.txt."""
    pages = sorted(site.rglob("*.html"))
    scripts, styles = set(), set()
    for path in pages:
        found = inline_hashes(path.read_text(encoding="utf-8"), refused_scripts)
        scripts |= found[0]
        styles |= found[1]
    if meta:
        add_meta_policy(site, pages, policy(scripts, styles, sources, header=False), warn)
    header_csp = policy(scripts, styles, sources, header=True)
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
