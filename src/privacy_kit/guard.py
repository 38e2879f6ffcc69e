"""The guard: nothing in a page reaches another origin, or runs, before the visitor's choice.

Markdown allows HTML, so an editor can paste a vendor's embed or tracking code into any page.
A static site can check that completely, because the build has every page's final HTML. The
plugin hands each page here once, after every plugin and the theme have written it:

- **Other origins.** Every element that the browser loads or contacts on its own (``iframe``,
  ``script src``, ``img``/``srcset``, ``link`` that is fetched, ``video``/``audio``/``source``/
  ``track``, ``object``/``embed``, SVG ``image``/``use``, ``form action``, a ``background``,
  CSS ``url()`` and ``@import`` in a ``style`` attribute or element, a ``<base>``, a ``<meta>``
  refresh, and the hints ``preconnect``/``dns-prefetch``/``prefetch``/``preload``) must point at
  the site itself, unless it is the kit's gated form: an iframe with ``data-src`` and
  ``data-consent-category`` whose category declares that origin (``hosts``). A plain link
  (``<a href>``) sends nothing until it is clicked, and stays allowed.
- **Scripts.** What an editor wrote (the page's content, or an HTML file copied as it is) may
  hold no script that runs before a choice: an inline or ``src`` script is gated
  (``type="text/plain" data-consent-category=…``) or refused, and so are event-handler
  attributes (``onclick=``) and ``javascript:`` URLs. A site's own templates (``custom_dir``)
  are checked the same way. Only the theme's scripts and gated ones are hashed into the
  Content-Security-Policy (``refused_scripts``).

Each finding names the element, the origin, and the fix: the gated markup to write and the
``hosts:`` line to add; the standard code of Matomo, Plausible and Google Analytics is pointed
to the plugin's ``analytics`` option, that of YouTube, Vimeo and Google Maps to a gated embed.
The scanning here is pure (HTML in, findings out); the messages are the kit's texts
(``guard:``), in the site's default language, made by ``message()``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import tinycss2
from selectolax.lexbor import LexborHTMLParser

# Which attributes of which elements the browser fetches by itself.
LOADS = {
    "iframe": ("src",),
    "frame": ("src",),
    "script": ("src", "href", "xlink:href"),  # an SVG script loads from href
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "link": ("href", "imagesrcset"),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
    "th": ("background",),
    "base": ("href",),
}
SENDS = {"form": ("action",), "button": ("formaction",), "input": ("formaction",)}
# <link rel> values that make the browser fetch nothing (the rest are fetched, or hinted).
NOT_FETCHED = {
    "canonical",
    "next",
    "prev",
    "author",
    "license",
    "help",
    "bookmark",
    "me",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
    "tag",
    "search",
}
HINTS = {"preconnect", "dns-prefetch", "prefetch", "preload", "modulepreload", "prerender"}
INERT = {"application/json", "application/ld+json", "text/plain"}  # script types that never run
SCRIPT_SOURCES = ("src", "href", "xlink:href")
LOCAL_SCHEMES = {"data", "blob", "about", "mailto", "tel", "sms"}
JAVASCRIPT_URL = re.compile(r"^[\s\x00-\x1f]*j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster")

# The standard code of the services whose vendors hand it out, by URL and by inline script.
ANALYTICS_VENDORS = {"matomo": "Matomo", "plausible": "Plausible", "google": "Google Analytics"}
EMBED_VENDORS = {"youtube": "YouTube", "vimeo": "Vimeo", "google-maps": "Google Maps"}
INLINE_VENDORS = (
    ("matomo", re.compile(r"_paq\b|matomo\.(?:js|php)|piwik\.(?:js|php)")),
    ("google", re.compile(r"googletagmanager\.com|google-analytics\.com|\bgtag\s*\(|\bdataLayer\b")),
    ("plausible", re.compile(r"plausible")),
)


@dataclass(frozen=True)
class Finding:
    """One thing in a page that would reach another origin, or run, before a choice."""

    kind: str  # load, hint, send, css, script, handler, javascript
    tag: str  # the element as written (its start tag, shortened)
    element: str  # the element's name (its line is found in the page's source: source_line)
    url: str = ""  # what it loads or sends to
    origin: str = ""  # that URL's origin
    vendor: str = ""  # a key of ANALYTICS_VENDORS or EMBED_VENDORS, when recognised
    attributes: tuple[tuple[str, str], ...] = ()
    body: str = ""  # an inline script's text


def origin_of(url: str) -> str:
    """The origin of an absolute (or scheme-relative, taken as https) URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else f"https://{parts.netloc}"


def foreign(url: str, site_origin: str) -> str | None:
    """The origin of ``url`` when it is another than the site's (None: the site's own, relative,
    or a scheme that fetches nothing from a server such as data:)."""
    url = browser_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES or (not scheme and not url.startswith("//")):
        return None
    if not parts.netloc:
        return None if not scheme else f"{scheme}:"
    origin = origin_of(url).lower()
    return None if origin == site_origin.lower().rstrip("/") else origin


def browser_url(url: str) -> str:
    """``url`` as a browser reads it before it resolves it: tabs and newlines anywhere removed,
    leading and trailing spaces and controls stripped, a backslash is a slash, and a path that
    starts with two or more slashes (or backslashes) names a host."""
    url = re.sub(r"[\t\n\r]", "", url)
    url = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", url).replace("\\", "/")
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:)?/{2,}", url)
    if match:
        url = (match[1] or "") + "//" + url[match.end() :]
    return url


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (each candidate is a URL and an optional descriptor)."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def css_urls(css: str, declarations: bool) -> list[str]:
    """Every URL a piece of CSS loads: ``url()``, ``image-set()`` strings and ``@import``; parsed
    with tinycss2 (``declarations``: the content of a style attribute)."""
    nodes = (
        tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True)
        if declarations
        else tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    )
    found: list[str] = []

    def walk(tokens, in_image_set=False):
        for token in tokens or ():
            kind = token.type
            if kind == "url":
                found.append(token.value)
            elif kind == "function":
                name = token.lower_name
                if name == "url":
                    found.extend(t.value for t in token.arguments if t.type == "string")
                walk(token.arguments, name in ("image-set", "-webkit-image-set"))
            elif kind == "string" and in_image_set:
                found.append(token.value)
            elif kind in ("declaration",):
                walk(token.value)
            elif kind in ("qualified-rule", "at-rule"):
                if kind == "at-rule" and token.lower_at_keyword == "import":
                    found.extend(t.value for t in token.prelude if t.type == "string")
                walk(token.prelude)
                walk(tinycss2.parse_blocks_contents(token.content) if token.content else ())
            elif kind in ("() block", "[] block", "{} block"):
                walk(token.content)

    walk(nodes)
    return found


def vendor_of(url: str, attributes: dict[str, str]) -> str:
    parts = urlsplit(url if "//" in url else "//" + url)
    host, path = (parts.hostname or "").lower(), parts.path.lower()

    def on(*domains):
        return any(host == d or host.endswith("." + d) for d in domains)

    if on("youtube.com", "youtube-nocookie.com", "youtu.be"):
        return "youtube"
    if on("vimeo.com"):
        return "vimeo"
    if (on("google.com") or host.startswith("google.") or host.startswith("maps.google.")) and (
        path.startswith("/maps") or host.startswith("maps.")
    ):
        return "google-maps"
    if on("maps.googleapis.com"):
        return "google-maps"
    if on("googletagmanager.com", "google-analytics.com", "analytics.google.com"):
        return "google"
    if on("plausible.io") or ("data-domain" in attributes and re.search(r"/js/(script|plausible)", path)):
        return "plausible"
    if re.search(r"/(matomo|piwik)\.(js|php)$", path):
        return "matomo"
    return ""


def elements(html_text: str):
    """Every element of ``html_text`` as a browser parses it (the HTML standard's parser, Lexbor,
    through selectolax: a repeated attribute keeps its first value, ``<image>`` is an ``img``,
    SVG's ``<style>`` and CDATA end where a browser ends them): (name, attributes, node)."""
    for node in LexborHTMLParser(html_text).root.traverse(include_text=False):
        if not node.tag.startswith("-"):  # comments, doctype
            yield node.tag.lower(), {k.lower(): v or "" for k, v in node.attributes.items()}, node


def runnable(attrs: dict[str, str]) -> bool:
    """Whether a script element runs: every type but the data blocks the kit knows (a JavaScript
    MIME type of any spelling, module, importmap, speculationrules: all run)."""
    return attrs.get("type", "").strip().lower() not in INERT


def gated(attrs: dict[str, str]) -> bool:
    """The kit's gated script: it runs only after consent to its category (consent.js)."""
    return attrs.get("type", "").strip().lower() == "text/plain" and "data-consent-category" in attrs


def start_tag(name: str, attrs: dict[str, str]) -> str:
    return f"<{name}" + "".join(f' {k}="{v}"' if v else f" {k}" for k, v in attrs.items()) + ">"


class _Scan:
    def __init__(self, site_origin: str, hosts: dict[str, tuple[str, ...]], authored: bool):
        self.site_origin, self.hosts, self.authored = site_origin, hosts, authored
        self.found: list[Finding] = []

    def _add(self, kind, name, attrs, url="", origin="", body=""):
        vendor = vendor_of(url, attrs) if url else ""
        if kind == "script" and not vendor:
            vendor = next((key for key, pattern in INLINE_VENDORS if pattern.search(body)), "")
        tag = shortened(start_tag(name, attrs))
        self.found.append(Finding(kind, tag, name, url, origin, vendor, tuple(attrs.items()), body))

    def element(self, name: str, attrs: dict[str, str], node) -> None:
        if self.authored:
            for key, value in attrs.items():
                if key.startswith("on") and len(key) > 2:
                    self._add("handler", name, attrs, body=key)
                elif key in URL_ATTRIBUTES and JAVASCRIPT_URL.match(value):
                    self._add("javascript", name, attrs, url=value)
        if "style" in attrs:
            for url in css_urls(attrs["style"], declarations=True):
                if origin := foreign(url, self.site_origin):
                    self._add("css", name, attrs, url, origin)
        if "srcdoc" in attrs:  # a page of its own, in this page's origin and policy
            self._add("srcdoc", name, attrs)
        if name == "style":
            for url in css_urls(node.text(deep=True, separator=""), declarations=False):
                if origin := foreign(url, self.site_origin):
                    self._add("css", name, attrs, url, origin)
        if name == "script":
            self._script(attrs, node)
        if name == "meta" and attrs.get("http-equiv", "").strip().lower() == "refresh":
            url = refresh_url(attrs.get("content", ""))
            if url is not None and (origin := foreign(url, self.site_origin)):
                self._add("load", name, attrs, url, origin)
        self._loads(name, attrs)

    def _loads(self, name, attrs):
        for key in LOADS.get(name, ()):
            if (
                key not in attrs
                or JAVASCRIPT_URL.match(attrs[key])
                or (name == "script" and not runnable(attrs))
            ):
                continue
            if name == "input" and attrs.get("type", "").strip().lower() != "image":
                continue
            kind = "load"
            if name == "link":
                rel = set(attrs.get("rel", "").lower().split())
                if not rel or rel <= NOT_FETCHED or (rel == {"alternate"} and "hreflang" not in attrs):
                    continue  # not fetched (an alternate with hreflang is: Material reads its sitemap)
                kind = "hint" if rel & HINTS and "stylesheet" not in rel else "load"
            urls = srcset_urls(attrs[key]) if key.endswith("srcset") else [attrs[key]]
            for url in urls:
                if origin := foreign(url, self.site_origin):
                    self._add(kind, name, attrs, url, origin)
        for key in SENDS.get(name, ()):
            url = attrs.get(key, "")
            if url and not JAVASCRIPT_URL.match(url) and (origin := foreign(url, self.site_origin)):
                self._add("send", name, attrs, url, origin)
        if name in ("iframe", "frame") and "src" not in attrs and "data-src" in attrs:
            self._gated_frame(name, attrs)

    def _gated_frame(self, name, attrs):
        """The kit's gated form: an embed of a category that declares its origin."""
        origin = foreign(attrs["data-src"], self.site_origin)
        category = attrs.get("data-consent-category", "")
        if origin and origin not in self.hosts.get(category, ()):
            self._add("load", name, attrs, attrs["data-src"], origin)

    def _script(self, attrs, node):
        if gated(attrs) and "data-src" in attrs and (origin := foreign(attrs["data-src"], self.site_origin)):
            self._add("load", "script", attrs, attrs["data-src"], origin)
        if not runnable(attrs) or not self.authored:
            return  # data (application/json), or gated: it does not run before a choice
        source = next((attrs[k] for k in SCRIPT_SOURCES if k in attrs), None)
        if source is not None:
            if not foreign(source, self.site_origin):  # another origin's is a load (above)
                self._add("script", "script", attrs, url=source)
            return
        body = node.text(deep=True, separator="")
        if body.strip():
            self._add("script", "script", attrs, body=body)


def refresh_url(content: str) -> str | None:
    """The URL a ``<meta http-equiv=refresh>`` goes to, read as the HTML standard reads it
    ("5", "0;url=…", "0, …", "0; URL='…'"); None when it only reloads."""
    rest = re.sub(r"^\s*[\d.]*\s*[;,]?\s*", "", content, count=1)
    rest = re.sub(r"^url\s*=\s*", "", rest, count=1, flags=re.I)
    if rest[:1] in ("'", '"'):
        rest = rest[1:].split(rest[0], 1)[0]
    return rest.strip() or None


def shortened(tag: str, limit: int = 160) -> str:
    tag = re.sub(r"\s+", " ", tag)
    return tag if len(tag) <= limit else tag[: limit - 1] + "…"


def scan(
    html_text: str, site_origin: str, hosts: dict[str, tuple[str, ...]], authored: bool
) -> list[Finding]:
    """What in ``html_text`` would reach another origin than ``site_origin`` before a choice
    and, where an editor wrote it (``authored``), what would run; ``hosts``: the origins each
    consent category declares for its embeds."""
    scanner = _Scan(site_origin, hosts, authored)
    for name, attrs, node in elements(html_text):
        scanner.element(name, attrs, node)
    return scanner.found


def page_findings(output: str, content: str | None, site_origin: str, hosts, meta=None) -> list[Finding]:
    """A page's findings: other origins anywhere in its final HTML, scripts where an editor
    wrote them (its content; the theme's own scripts are the kit's and Material's), and HTML in
    its front matter (``meta``)."""
    found = scan(output, site_origin, hosts, authored=False)
    found += front_matter_findings(meta)
    if content:
        found += [f for f in scan(content, site_origin, hosts, authored=True) if f.kind in AUTHORED_ONLY]
    return found


AUTHORED_ONLY = ("script", "handler", "javascript")
# Files in docs/ that are published as they are and that a browser runs as a page.
PAGE_FILES = (".html", ".htm", ".xhtml", ".xht", ".svg", ".svgz")


def front_matter_findings(meta: dict, prefix: str = "") -> list[Finding]:
    """Front matter values that hold HTML: the theme writes some of them into the page as they
    are (Material's ``<meta name="description" content="…">``), where a tag would run or load
    and a double quote would end the attribute."""
    found = []
    for key, value in (meta or {}).items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            found += front_matter_findings(value, f"{path}.")
        elif isinstance(value, str) and (
            re.search(r"<[A-Za-z!/?]", value) or (path == "description" and '"' in value)
        ):
            found.append(Finding("front_matter", "", "", url=shortened(value, 80), body=path))
    return found


def refused_scripts(findings: list[Finding]) -> set[str]:
    """The texts of the inline scripts refused: never hashed into the Content-Security-Policy."""
    return {f.body for f in findings if f.kind == "script" and f.body}


# --- What to tell the site's owner -----------------------------------------------------------


def source_line(source: str | None, finding: Finding) -> int | None:
    """The line of the page's Markdown (or HTML) source that holds the element, where it can be
    found there."""
    if not source:
        return None
    needles = [finding.url] if finding.url else []
    needles += [line.strip() for line in finding.body.splitlines() if line.strip()][:1]
    if finding.kind == "handler":
        needles.append(finding.body + "=")
    needles += [value for _, value in finding.attributes if len(value) >= 8]  # distinctive values
    needles.append(f"<{finding.element}")
    for needle in needles:
        needle = max(re.split(r"[\t\n\r]", needle), key=len)  # what stays on one line of the source
        for number, line in enumerate(source.splitlines(), 1):
            if needle and (needle in line or html.escape(needle, quote=True) in line):
                return number
    return None


def embed_category(finding: Finding, hosts: dict[str, tuple[str, ...]]) -> str:
    """The category an embed from the finding's origin belongs to: the one that declares its
    origin, else the one that has embeds, else a new one named for what it is."""
    declared = [name for name, origins in hosts.items() if finding.origin in origins]
    return (declared or list(hosts) or ["external-media"])[0]


def gated_embed(finding: Finding, category: str, provider: str) -> str:
    attrs = dict(finding.attributes)
    title = attrs.get("title") or "…"
    kept = "".join(
        f' {key}="{html.escape(value)}"'
        for key, value in finding.attributes
        if key in ("allow", "allowfullscreen", "referrerpolicy", "width", "height")
    )
    return (
        f'<iframe data-consent-category="{category}" data-consent-provider="{html.escape(provider)}" '
        f'data-src="{html.escape(finding.url)}" title="{html.escape(title)}"{kept}></iframe>'
    )


def visible(text: str) -> str:
    """``text`` with its control characters written out (a newline in a URL as \\n), so that a
    message stays on one line and shows what is there."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m[0])[1:-1], text)


def message(finding: Finding, where: str, texts: dict, hosts: dict[str, tuple[str, ...]]) -> str:
    """What the site's owner reads: where, what reaches which origin (or runs), and what to
    write instead, in the texts of the site's default language."""
    t = texts["guard"]
    values = {
        "tag": finding.tag,
        "origin": finding.origin,
        "url": visible(finding.url),
        "attribute": finding.body,
        "key": finding.body,
        "value": visible(finding.url),
    }
    problem = t[finding.kind].format(**values)
    vendor = finding.vendor
    if vendor in ANALYTICS_VENDORS:
        fix = t["fix_analytics"].format(vendor=ANALYTICS_VENDORS[vendor], provider=vendor)
    elif finding.element in ("iframe", "frame") and finding.kind == "load" or vendor in EMBED_VENDORS:
        category = embed_category(finding, hosts)
        provider = EMBED_VENDORS.get(vendor) or urlsplit(finding.url).hostname or finding.origin
        markup = gated_embed(finding, category, provider)
        if finding.origin in hosts.get(category, ()):
            fix = t["fix_embed"].format(markup=markup)
        else:
            fix = t["fix_embed_hosts"].format(markup=markup, category=category, origin=finding.origin)
        if vendor in EMBED_VENDORS:
            fix = t["vendor_embed"].format(vendor=EMBED_VENDORS[vendor]) + " " + fix
    else:
        fix = t[f"fix_{finding.kind}"].format(**values)
    return f"{where}: {problem} {fix}"
