"""Which pages to audit: every page the site's sitemaps name (and those named in robots.txt),
with every hreflang alternate, on the audited origin; and what the site says of itself."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..origins import origin_of
from . import AuditError

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


def fetch(url: str, timeout: float = 20) -> bytes | None:
    """The body at ``url``, or None for a 4xx/5xx answer."""
    request = urllib.request.Request(url, headers={"User-Agent": "privacy-kit-audit"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError:
        return None
    except (urllib.error.URLError, OSError) as error:
        raise AuditError(f"{url!r} is not reachable: {getattr(error, 'reason', error)}") from None


def parse_sitemap(data: bytes) -> tuple[list[str], list[str]]:
    """(page URLs incl. their hreflang alternates, child sitemaps) of a sitemap or sitemap index."""
    try:
        tree = ET.fromstring(data)
    except ET.ParseError as error:
        raise AuditError(f"a sitemap is not valid XML ({error})") from None
    pages, children = [], []
    if tree.tag == f"{SITEMAP_NS}sitemapindex":
        children = [e.text.strip() for e in tree.iter(f"{SITEMAP_NS}loc") if e.text]
    for url in tree.iter(f"{SITEMAP_NS}url"):
        loc = url.find(f"{SITEMAP_NS}loc")
        if loc is not None and loc.text:
            pages.append(loc.text.strip())
        pages += [link.get("href") for link in url.iter(f"{XHTML_NS}link") if link.get("href")]
    return pages, children


def discover(base: str, say: dict) -> tuple[list[str], list[str]]:
    """Every page the site's sitemaps name (every language), on the audited origin; and notes
    (in the words of ``say``, the kit's audit.note texts)."""
    notes, queue = [], [urljoin(base, "sitemap.xml")]
    robots = fetch(urljoin(base, "/robots.txt"))
    if robots:
        for line in robots.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("sitemap:"):
                queue.append(line.split(":", 1)[1].strip())
    seen, pages, listed = set(), [], set()
    while queue:
        sitemap = rebase(queue.pop(0), base)
        if sitemap in seen:
            continue
        seen.add(sitemap)
        data = fetch(sitemap)
        if data is None:
            continue
        found, children = parse_sitemap(data)
        queue += children
        for url in found:
            local = rebase(url, base)
            rebased = say["rebased"].format(named=origin_of(url), visited=origin_of(base))
            if local != url and rebased not in notes:
                notes.append(rebased)
            if local not in listed:  # a set: a sitemap of thousands of pages
                listed.add(local)
                pages.append(local)
    if not pages:
        notes.append(say["no_sitemap"])
        pages = [base]
    return pages, notes


def rebase(url: str, base: str) -> str:
    """``url`` on the audited origin (a deploy preview's sitemaps name the production address)."""
    parts, target = urlsplit(url), urlsplit(base)
    return urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, ""))


def policy_version(base: str) -> str | None:
    """The policy version the site declares in its versions.json (ours; None elsewhere)."""
    data = fetch(urljoin(base, "versions.json"))
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        return json.loads(data).get("current")
    return None


def guess_language(url: str, base: str) -> str:
    path = urlsplit(url).path[len(urlsplit(base).path) :]
    first = path.strip("/").split("/")[0]
    return first if len(first) == 2 else "?"
