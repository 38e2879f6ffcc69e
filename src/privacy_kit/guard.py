"""The guard: before the visitor's choice, nothing in a page runs, reaches another origin,
navigates away, or records consent, unless the kit or the theme wrote it.

Markdown allows HTML, front matter ends up in the page, and files in ``docs/`` are published
as they are; some editors are careless and a few may be hostile. The build has every page's
final HTML (after every plugin and the theme), so it can check completely. The plugin reads each
page once (``reading.read_html``, as a browser reads it) and hands the reading here, with what
the kit and the theme are known to write into that page (``provenance``): trust comes from
provenance, never from where a thing stands in the page.

- **Scripts.** An inline script runs (and is hashed into the Content-Security-Policy) only when
  its text is one the kit or the theme writes for this page; a script file only when it is the
  theme's, the kit's or the site owner's (``extra_javascript``). Everything else is gated
  (``type="text/plain" data-consent-category=…``, run by consent.js after consent) or refused,
  and so are event-handler attributes, ``javascript:`` URLs, ``srcdoc``, ``<noscript>``,
  ``<template>`` (a declarative shadow root runs its scripts) and ``<base>``.
- **Styles.** A ``<style>`` element only when the theme writes it; a stylesheet only when it is
  the theme's, the kit's or the owner's (``extra_css``). A ``style`` attribute only with
  properties that cannot lift an element over the banner (``STYLE_PROPERTIES``); it is then
  hashed into the policy (``'unsafe-hashes'``), so Markdown's aligned tables keep working.
- **Other origins.** Every element that the browser loads or contacts by itself (``LOADS``,
  ``SENDS``, fetched ``<link>``, CSS ``url()``/``@import``/``image-set()`` in style attributes,
  elements and SVG presentation attributes, SMIL animation of an ``href``, a ``background``
  attribute, a ``<meta>`` refresh, Material's own loaders: the sitemap beside every
  ``<link rel="alternate">``) must point at the site itself, unless it is
  the kit's gated embed whose category declares that origin (``hosts``). A plain link
  (``<a href>``) sends nothing until it is clicked, and stays allowed.
- **Diagrams.** A mermaid diagram (``class="mermaid"``) is drawn by Material in the browser, with
  mermaid from unpkg.com or the site's own, whose styles the policy blocks: refused. Drawn when
  the site is built (mkdocs-mermaid-to-svg), it is an image of the site's own.
- **Consent controls.** The only ``data-consent-*`` controls are the kit's: the banner, the
  preferences, the "Cookie settings" control and the placeholders the kit made of gated embeds.

Each finding names the element, the origin, and the fix (the gated markup to write, the
``hosts:`` line to add, the plugin's ``analytics`` option for a vendor's tracking code). The
checks here are pure (a reading in, findings out); the messages are the kit's texts (``guard:``),
in the site's default language, made by ``message()``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import ada_url
import tinycss2

from . import providers
from .origins import origin_of
from .provenance import controls_of, gated, gating_form, runnable

# Which attributes of which elements the browser fetches by itself.
LOADS = {
    "iframe": ("src",),
    "frame": ("src",),
    "portal": ("src",),
    "script": ("src", "href", "xlink:href"),  # an SVG script loads from href
    "img": ("src", "srcset", "attributionsrc"),
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
}
# What a Markdown extension writes into every page it renders: one problem of mkdocs.yml.
OF_THE_CONFIGURATION = {"emoji"}
# The classes pymdownx.emoji gives the image of an emoji (its index's name): Twemoji, EmojiOne, Gemoji.
EMOJI_CLASSES = {"twemoji", "emojione", "gemoji"}
# Elements that hold a document of their own: a data: or blob: URL there is a page that runs.
FRAMES = {"iframe": "src", "frame": "src", "portal": "src", "object": "data", "embed": "src"}
# What sends to another origin without loading it (a form when submitted, a link's ping on a click).
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
    "tag",  # not "search": Chromium fetches the OpenSearch description of a site's home page
    "alternate",  # but Material fetches a sitemap beside it: see _link
}
HINTS = {"preconnect", "dns-prefetch", "prefetch", "preload", "modulepreload", "prerender"}
LOCAL_SCHEMES = {"data", "blob", "about", "mailto", "tel", "sms"}
JAVASCRIPT_URL = re.compile(r"^[\s\x00-\x1f]*j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.I)
DOCUMENT_URL = re.compile(r"^[\s\x00-\x1f]*(data|blob|filesystem)\s*:", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster")
# Elements whose name (or, for object and img, id) becomes a property of document ("named
# properties"): one named like a property of document's own hides it from every script
# (document.cookie, document.currentScript). The names are those of Document's interface and
# those it inherits (Node, EventTarget), as browsers have them; lower case (names are matched so).
CLOBBERING = {
    "embed": ("name",),
    "form": ("name",),
    "iframe": ("name",),
    "img": ("name", "id"),
    "object": ("name", "id"),
}
DOCUMENT_PROPERTIES = frozenset(
    """activeelement adoptednode adoptedstylesheets alinkcolor all anchors append applets baseuri
    bgcolor body captureevents caretpositionfrompoint caretrangefrompoint characterset charset
    childelementcount childnodes children clear close compatmode contains contenttype cookie
    createattribute createattributens createcdatasection createcomment createdocumentfragment
    createelement createelementns createevent createexpression createnodeiterator creatensresolver
    createprocessinginstruction createrange createtextnode createtreewalker currentscript defaultview
    designmode dir dispatchevent doctype documentelement documenturi domain elementfrompoint
    elementsfrompoint embeds evaluate execcommand exitfullscreen exitpictureinpicture exitpointerlock
    fgcolor firstchild firstelementchild fonts forms fragmentdirective fullscreen fullscreenelement
    fullscreenenabled getanimations getelementbyid getelementsbyclassname getelementsbyname
    getelementsbytagname getelementsbytagnamens getrootnode getselection haschildnodes hasfocus
    hasstorageaccess head hidden images implementation importnode inputencoding insertbefore
    isconnected isdefaultnamespace isequalnode issamenode lastchild lastelementchild lastmodified
    linkcolor links location lookupnamespaceuri lookupprefix moveBefore nextsibling nodename
    nodetype nodevalue normalize open ownerdocument parentelement parentnode pictureinpictureelement
    plugins pointerlockelement prepend queryselector queryselectorall querycommandenabled
    querycommandindeterm querycommandstate querycommandsupported querycommandvalue readystate
    referrer releaseevents removechild removeeventlistener addeventlistener replacechild replacechildren
    requeststorageaccess rootelement scripts scrollingelement startviewtransition stylesheets textcontent
    timeline title url visibilitystate vlinkcolor wasdiscarded write writeln xmlencoding
    xmlstandalone xmlversion""".lower().split()
)
# Elements whose check depends on the page they stand in (what it expects, where it is).
PAGE_BOUND = {"script", "style", "link"}
# SMIL elements, which can set any attribute of another element (an image's href, say) later.
ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
# <meta http-equiv> values that change nothing a browser loads or runs.
HARMLESS_HTTP_EQUIV = {"content-type", "default-style", "x-ua-compatible", "content-language"}
# What a style attribute may set: nothing that takes an element out of the page's flow or over
# another (position, z-index, inset, transform: an invisible layer over the banner's buttons).
STYLE_PROPERTIES = re.compile(
    r"^(?:--.+|text-(?:align|decoration(?:-[a-z]+)?|transform|indent|overflow|wrap)|vertical-align"
    r"|(?:min-|max-)?(?:width|height)|margin(?:-[a-z]+)?|padding(?:-[a-z]+)?|color|background(?:-[a-z]+)?"
    r"|font(?:-[a-z]+)?|line-height|letter-spacing|word-spacing|white-space|word-break|overflow-wrap"
    r"|hyphens|list-style(?:-[a-z]+)?|display|float|clear|border(?:-[a-z]+)*|outline(?:-[a-z]+)?"
    r"|box-sizing|overflow(?:-[xy])?|aspect-ratio|object-fit|object-position|fill(?:-[a-z]+)?"
    r"|stroke(?:-[a-z]+)?|visibility|flex(?:-[a-z]+)?|gap|row-gap|column-gap|order"
    r"|(?:justify|align|place)-(?:content|items|self)|grid-(?:template-columns|template-rows|column|row|area)"
    r"|columns?(?:-[a-z]+)?|tab-size|caption-side|empty-cells|table-layout|cursor|direction"
    r"|unicode-bidi|writing-mode|quotes|counter-(?:reset|increment))$"
)

# The standard code of the services whose vendors hand it out, by URL and by inline script: the
# analytics services' from their entries (providers/), the embeds' here.
ANALYTICS_VENDORS = {provider.name: provider.title for provider in providers.every()}
EMBED_VENDORS = {"youtube": "YouTube", "vimeo": "Vimeo", "google-maps": "Google Maps"}


@dataclass(frozen=True)
class Finding:
    """One thing in a page that would run, reach another origin, navigate away or record
    consent before a choice."""

    kind: str  # a key of the texts' guard group: load, hint, send, css, script, handler, …
    tag: str  # the element as written (its start tag, shortened)
    element: str  # the element's name (its line is found in the page's source: source_line)
    url: str = ""  # what it loads or sends to
    origin: str = ""  # that URL's origin
    vendor: str = ""  # a key of ANALYTICS_VENDORS or EMBED_VENDORS, when recognised
    attributes: tuple[tuple[str, str], ...] = ()
    body: str = ""  # an inline script's text, an attribute's name, a property


@dataclass(frozen=True)
class Site:
    """What the guard knows of the site as a whole."""

    origin: str  # SITE_URL's origin
    hosts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # category -> embeds' origins
    base_path: str = "/"  # SITE_URL's path
    scripts: frozenset[str] = frozenset()  # the script files pages may load (site-root-relative)
    services: frozenset[str] = frozenset()  # the analytics services' scripts: the kit's gated one only
    stylesheets: frozenset[str] = frozenset()  # the stylesheets pages may link (site-root-relative)
    # The elements (name, attributes) already checked on some page and found to hold nothing: the
    # navigation repeats on every page. Not for those whose check depends on the page (PAGE_BOUND).
    clean: set = field(default_factory=set, compare=False, hash=False)


@dataclass(frozen=True)
class Expected:
    """What the kit and the theme write into one page (provenance), and where the page is."""

    url: str = ""  # the page's site-root-relative URL ("" for the home page)
    scripts: frozenset[str] = frozenset()  # inline scripts' texts
    styles: frozenset[str] = frozenset()  # style elements' texts
    controls: Counter = field(default_factory=Counter)  # the kit's data-consent-* controls
    services: frozenset = frozenset()  # the kit's gated analytics script(s): sorted attributes


@dataclass
class Check:
    """What the guard found in a page, and what of it may run: the texts of the inline scripts,
    style elements and style attributes to hash into the Content-Security-Policy, and the
    categories that gated scripts and embeds wait for."""

    findings: list[Finding] = field(default_factory=list)
    markup: set[tuple] = field(default_factory=set)  # each distinct element: (name, attributes)
    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)


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


def site_path(url: str, site: Site, page_url: str) -> str:
    """The site-root-relative path a URL of the site's own names, from the page at ``page_url``,
    resolved as a browser resolves it (the WHATWG URL standard, by ada: Python's urljoin drops an
    empty segment, ``a//../x``, that a browser keeps). A URL a browser cannot resolve names none."""
    base = site.origin + site.base_path + page_url
    try:
        path = urlsplit(ada_url.join_url(base, url)).path
    except ValueError:
        return "\n"  # no file's path
    return path.removeprefix(site.base_path) if path.startswith(site.base_path) else path.lstrip("/")


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (each candidate is a URL and an optional descriptor)."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def css_urls(css: str, kind: str = "stylesheet") -> list[str]:
    """Every URL a piece of CSS may load: ``url()``, ``image-set()`` and ``src()`` strings,
    ``@import``, and a string in a custom property that a ``var()`` can put into one of those.
    ``kind``: ``stylesheet``, ``declarations`` (a style attribute) or ``value`` (one property's
    value, as an SVG presentation attribute holds it). Parsed with tinycss2."""
    if kind == "stylesheet":
        nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    elif kind == "declarations":
        nodes = tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True)
    else:
        nodes = tinycss2.parse_component_value_list(css, skip_comments=True)
    found: list[str] = []

    def walk(tokens, takes_strings=False):
        for token in tokens or ():
            kind = token.type
            if kind == "url":
                found.append(token.value)
            elif kind == "function":
                name = token.lower_name
                walk(token.arguments, name in ("url", "image-set", "-webkit-image-set", "src"))
            elif kind == "string" and takes_strings:
                found.append(token.value)
            elif kind == "declaration":
                custom = token.name.startswith("--")
                walk(token.value, custom)  # a custom property's string may become a url by var()
            elif kind in ("qualified-rule", "at-rule"):
                if kind == "at-rule" and token.lower_at_keyword == "import":
                    found.extend(t.value for t in token.prelude if t.type == "string")
                walk(token.prelude)
                if token.content:
                    walk(tinycss2.parse_blocks_contents(token.content))
            elif kind in ("() block", "[] block", "{} block"):
                walk(token.content, takes_strings)

    walk(nodes)
    return found


def style_declarations(css: str) -> list[str]:
    """The property names a style attribute sets (lower case), and ``"!"`` for what does not
    parse as a declaration."""
    names = []
    for node in tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True):
        names.append(node.lower_name if node.type == "declaration" else "!")
    return names


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
    return next((p.name for p in providers.every() if p.recognises(host, path, attributes)), "")


def presentation(key: str, value: str) -> bool:
    """Whether an attribute may be read as CSS with a URL in it (SVG's fill, filter, mask,
    clip-path, cursor, marker-*: ``url(…)``), not data or text that only mentions one. A
    backslash may spell the function's name in escapes (``u\\72l(``): read as CSS too."""
    lowered = value.lower()
    return (
        key not in ("style", "content", "title", "alt", "value", "placeholder", "label")
        and not key.startswith(("data-", "aria-"))
        and ("url(" in lowered or "image-set(" in lowered or "\\" in value)
    )


def animated(attrs: dict[str, str]) -> str:
    """The attribute a SMIL element animates (the HTML parser gives SVG's attributeName so;
    an SVG file, read as XML, gives it as written)."""
    return attrs.get("attributeName") or attrs.get("attributename") or ""


def animates_a_url(attrs: dict[str, str]) -> bool:
    """Whether a SMIL element animates an attribute that holds a URL: its name without the
    namespace prefix (a browser resolves ``x:href`` to XLink's href whatever the prefix)."""
    local = animated(attrs).strip().lower().rsplit(":", 1)[-1]
    return local in {name.rsplit(":", 1)[-1] for name in URL_ATTRIBUTES}


def start_tag(name: str, attrs: dict[str, str]) -> str:
    return f"<{name}" + "".join(f' {k}="{v}"' if v else f" {k}" for k, v in attrs.items()) + ">"


class _Scan:
    """One reading's check."""

    def __init__(self, site: Site, expected: Expected | None):
        self.site, self.expected = site, expected or Expected()
        self.check = Check()
        self.written: set[str] = set()  # the theme's inline scripts met so far: each is written once

    def add(self, kind, element, url="", origin="", body="", attrs=None):
        attrs = element.attrs if attrs is None else attrs
        vendor = vendor_of(url, attrs) if url else ""
        if kind == "script" and not vendor:
            vendor = next((p.name for p in providers.every() if p.inline and p.inline.search(body)), "")
        tag = shortened(start_tag(element.name, attrs))
        self.check.findings.append(
            Finding(kind, tag, element.name, url, origin, vendor, tuple(attrs.items()), body)
        )

    def foreign(self, url: str) -> str | None:
        return foreign(url, self.site.origin)

    def element(self, element) -> None:
        name, attrs = element.name, element.attrs
        if name in ("noscript", "template", "base"):
            self.add(name, element)
        for key, value in attrs.items():
            if key.startswith("on") and len(key) > 2:
                self.add("handler", element, body=key)
            elif key in URL_ATTRIBUTES and JAVASCRIPT_URL.match(value):
                self.add("javascript", element, url=value)
            elif key == "background" and (origin := self.foreign(value)):
                self.add("load", element, value, origin)
            elif presentation(key, value):  # an SVG presentation attribute (fill="url(…)")
                for url in css_urls(value, "value"):
                    if origin := self.foreign(url):
                        self.add("css", element, url, origin)
        if "<" in attrs.get("title", ""):  # Material's tooltips show a title as HTML
            self.add("title_markup", element, url=shortened(attrs["title"], 80))
        for key in CLOBBERING.get(name, ()):
            if attrs.get(key, "").strip().lower() in DOCUMENT_PROPERTIES:
                self.add("clobber", element, body=f'{key}="{attrs[key]}"')
        if "srcdoc" in attrs:  # a page of its own, in this page's origin and policy
            self.add("srcdoc", element)
        if "style" in attrs:
            self._style_attribute(element)
        if name == "style":
            self._style_element(element)
        elif name == "script":
            self._script(element)
        elif name == "meta":
            self._meta(element)
        elif name == "link":
            self._link(element)
        elif name in ANIMATIONS and animates_a_url(attrs):
            self.add("animation", element, body=animated(attrs))
        if name in FRAMES and DOCUMENT_URL.match(attrs.get(FRAMES[name], "")):
            self.add("data_document", element, url=shortened(attrs[FRAMES[name]], 60))
        if "mermaid" in attrs.get("class", "").split():  # Material draws it in the browser
            self.add("mermaid", element)
        self._loads(element)

    def _style_attribute(self, element):
        value = element.attrs["style"]
        found = False
        for url in css_urls(value, "declarations"):
            if origin := self.foreign(url):
                self.add("css", element, url, origin)
                found = True
        refused = [p for p in style_declarations(value) if p == "!" or not STYLE_PROPERTIES.match(p)]
        if refused:
            self.add("style_attribute", element, body=", ".join(dict.fromkeys(refused)))
        elif not found:
            self.check.style_attributes.add(value)

    def _style_element(self, element):
        found = False
        for url in css_urls(element.text):
            if origin := self.foreign(url):
                self.add("css", element, url, origin)
                found = True
        if element.text not in self.expected.styles:
            self.add("style", element, body=element.text)
        elif not found:
            self.check.styles.add(element.text)

    def _script(self, element):
        attrs = element.attrs
        if gated(attrs):
            self.check.categories.add(attrs["data-consent-category"])
            if "data-src" in attrs:
                if origin := self.foreign(attrs["data-src"]):
                    self.add("load", element, attrs["data-src"], origin)
                elif (
                    site_path(attrs["data-src"], self.site, self.expected.url) in self.site.services
                    and tuple(sorted(attrs.items())) not in self.expected.services
                ):  # an analytics service with settings of the editor's (another property)
                    self.add("service", element, url=attrs["data-src"])
            elif element.text.strip():
                self.check.scripts.add(element.text)  # consent.js runs it after consent
            return
        if not runnable(attrs):
            return  # data (application/json)
        source = next((attrs[k] for k in ("src", "href", "xlink:href") if k in attrs), None)
        if source is not None:
            if self.foreign(source):
                return  # another origin's is a load (_loads)
            path = site_path(source, self.site, self.expected.url)
            if path in self.site.services:
                self.add("service", element, url=source)
            elif path not in self.site.scripts:
                self.add("script", element, url=source)
            return
        if (
            element.text in self.expected.scripts
            and not element.in_template
            and element.text not in self.written
        ):
            self.written.add(element.text)  # a second copy is an editor's (Material's base.html
            self.check.scripts.add(element.text)  # script again would store the palette, unasked)
        elif element.text.strip() or element.in_template:
            self.add("script", element, body=element.text)

    def _meta(self, element):
        equiv = element.attrs.get("http-equiv", "").strip().lower()
        if not equiv or equiv in HARMLESS_HTTP_EQUIV:
            return
        if equiv == "refresh":
            url = refresh_url(element.attrs.get("content", ""))
            if url is not None and (origin := self.foreign(url)):
                self.add("load", element, url, origin)
        elif equiv != "content-security-policy" or not element.in_head:
            self.add("http_equiv", element, body=equiv)

    def _link(self, element):
        attrs = element.attrs
        rel = set(attrs.get("rel", "").lower().split())
        href = attrs.get("href", "")
        own = href and not self.foreign(href)
        if (
            "stylesheet" in rel
            and own
            and site_path(href, self.site, self.expected.url) not in self.site.stylesheets
        ):
            self.add("stylesheet", element, url=href)
        if "alternate" in rel and (origin := self.foreign(href)):
            self.add("alternate", element, href, origin)  # Material fetches the sitemap beside it

    def _loads(self, element):
        name, attrs = element.name, element.attrs
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
                if not rel or rel <= NOT_FETCHED:
                    continue
                kind = "hint" if rel & HINTS and "stylesheet" not in rel else "load"
            urls = srcset_urls(attrs[key]) if key.endswith("srcset") else [attrs[key]]
            for url in urls:
                if not (origin := self.foreign(url)):
                    continue
                if name == "img" and EMOJI_CLASSES & set(attrs.get("class", "").split()):
                    # pymdownx.emoji's image of an emoji: one problem of its option, on any page
                    self.add("emoji", element, url.rsplit("/", 1)[0] + "/", origin, attrs={})
                else:
                    self.add(kind, element, url, origin)
        for key in SENDS.get(name, ()):
            url = attrs.get(key, "")
            if url and not JAVASCRIPT_URL.match(url) and (origin := self.foreign(url)):
                self.add("send", element, url, origin)
        for url in attrs.get("ping", "").split() if name in ("a", "area") else ():
            if origin := self.foreign(url):
                self.add("ping", element, url, origin)
        if name in ("iframe", "frame") and "src" not in attrs and "data-src" in attrs:
            self._gated_frame(element)

    def _gated_frame(self, element):
        """The kit's gated form: an embed of a category that declares its origin."""
        attrs = element.attrs
        origin = self.foreign(attrs["data-src"])
        category = attrs.get("data-consent-category", "")
        if category:
            self.check.categories.add(category)
        if origin and origin not in self.site.hosts.get(category, ()):
            self.add("load", element, attrs["data-src"], origin)

    def controls(self, elements, extra: Counter) -> None:
        """Every data-consent-* control beyond the kit's own (and its placeholders': ``extra``)."""
        allowed = self.expected.controls + extra
        for element in elements:
            if gating_form(element):
                continue
            for key, value in element.attrs.items():
                if key.startswith("data-consent"):
                    if allowed[(element.name, key, value)] > 0:
                        allowed[(element.name, key, value)] -= 1
                    else:
                        self.add("control", element, body=f'{key}="{value}"' if value else key)


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


def check_page(
    reading, site: Site, expected: Expected | None = None, placeholders: Counter | None = None
) -> Check:
    """A page's check: what in its reading would run, reach another origin, navigate away or
    record consent before a choice, given what the kit and the theme write into it
    (``expected``) and the controls of the placeholders the kit made of its embeds."""
    scan = _Scan(site, expected)
    check, clean = scan.check, site.clean
    markup, with_controls = check.markup, []
    for element in reading.elements:
        attrs = element.attrs
        key = (element.name, tuple(attrs.items()))
        markup.add(key)
        if key in clean and not element.in_template:
            continue  # the same element, checked on another page (the navigation), held nothing
        controls = any(name.startswith("data-consent") for name in attrs)
        if controls:
            with_controls.append(element)
        before = (len(check.findings), len(check.scripts), len(check.styles), len(check.style_attributes))
        scan.element(element)
        after = (len(check.findings), len(check.scripts), len(check.styles), len(check.style_attributes))
        if before == after and not controls and element.name not in PAGE_BOUND and not element.in_template:
            clean.add(key)
    scan.controls(with_controls, placeholders or Counter())
    ids = Counter(e.attrs["id"] for e in reading.elements if e.attrs.get("id") and not e.in_template)
    ids.update(i for subtree in reading.pruned for i in subtree)
    for element in reading.elements:
        if not element.in_template and ids.get(element.attrs.get("id", ""), 0) > 1:
            ids[element.attrs["id"]] = 0  # each id once
            scan.add("duplicate_id", element, body=element.attrs["id"])
    if reading.cdata:
        check.findings.append(Finding("cdata", "<![CDATA[", "", body="<![CDATA["))
    for attrs, name in reading.in_select:
        check.findings.append(
            Finding(
                "select",
                shortened(start_tag("select", attrs)),
                "select",
                attributes=tuple(attrs.items()),
                body=name,
            )
        )
    return check


def content_findings(reading) -> list[Finding]:
    """What a page's content (the HTML its Markdown became, the editor's part) may not hold
    although the theme's own markup does: Material's component attributes (``data-md-*``), by
    which its script finds the parts it mounts (a repository's facts, the search, the header)."""
    found = []
    for element in reading.elements:
        for key in element.attrs:
            if key.startswith("data-md-"):
                found.append(
                    Finding(
                        "theme_attribute",
                        shortened(start_tag(element.name, element.attrs)),
                        element.name,
                        attributes=tuple(element.attrs.items()),
                        body=key,
                    )
                )
    return found


def check_document(reading, site: Site, url: str = "") -> Check:
    """A file of ``docs/`` that a browser opens as a document (HTML, SVG, XML), at ``url`` (its
    relative URLs resolve from there): all of it is an editor's, nothing in it may run, and it
    carries no consent controls."""
    check = check_page(reading, site, Expected(url=url))
    if reading.problem:
        check.findings.append(Finding("document", "", "", body=reading.problem))
    for instruction in reading.instructions:
        if instruction.lower().startswith("xml-stylesheet"):
            check.findings.append(
                Finding("instruction", f"<?{shortened(instruction, 80)}?>", "?xml-stylesheet")
            )
    return check


def scan(html_text: str, site: Site | str, hosts=None) -> list[Finding]:
    """What in ``html_text`` (an editor's, with nothing of the kit's or the theme's) would run,
    reach another origin, navigate away or record consent before a choice."""
    from .reading import read_html

    if isinstance(site, str):
        site = Site(origin_of(site) if "//" in site else site, dict(hosts or {}))
    return check_page(read_html(html_text), site).findings


def controls_in(html_text: str) -> Counter:
    """The consent controls in a piece of the kit's markup (a placeholder it made)."""
    from .reading import read_html

    return controls_of(read_html(html_text))


# --- Values the theme writes into a page as they are ------------------------------------------


def markup_in(value: str, attribute: bool = True) -> bool:
    """Whether a value that a template writes as it is would be markup: ``<`` starts a tag in
    text, ``"`` ends the attribute it stands in."""
    return "<" in value or (attribute and '"' in value)


# --- What to tell the site's owner -----------------------------------------------------------


def signature(finding: Finding) -> tuple:
    """What makes two findings the same problem (on two pages, or in a template and its pages)."""
    return (finding.kind, finding.tag, finding.url, finding.body)


def places(found: list[str], shown: int = 5) -> str:
    """Where one problem stands: its first places, and how many more."""
    more = len(found) - shown
    return ", ".join(found[:shown]) + (f" (+{more})" if more > 0 else "")


def source_line(source: str | None, finding: Finding) -> int | None:
    """The line of the page's Markdown (or HTML) source that holds the element, where it can be
    found there: by its whole start tag as usually written, its URL, its script, its start tag up
    to its first attribute, its distinctive values (letter case aside: a browser lowers SVG's
    attributeName, the source does not)."""
    if not source:
        return None
    attributes = dict(finding.attributes)
    needles = [start_tag(finding.element, attributes).removesuffix(">")] if attributes else []
    needles += [finding.url] if finding.url else []
    needles += [line.strip() for line in finding.body.splitlines() if line.strip()][:1]
    if finding.element and finding.attributes:
        key, value = finding.attributes[0]
        needles.append(f'<{finding.element} {key}="{value}"' if value else f"<{finding.element} {key}")
    if finding.kind == "handler":
        needles.append(finding.body + "=")
    needles += [value for _, value in finding.attributes if len(value) >= 8]  # distinctive values
    if finding.element:
        needles.append(f"<{finding.element}")
    lines = source.lower().splitlines()
    samples = code_sample_lines(lines)
    for needle in needles:
        needle = max(re.split(r"[\t\n\r]", needle), key=len).lower()  # what stays on one line of the source
        escaped = html.escape(needle, quote=True)
        for number, line in enumerate(lines, 1):
            if needle and number not in samples and (needle in line or escaped in line):
                return number
    return None


FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def code_sample_lines(lines: list[str]) -> set[int]:
    """The line numbers (from 1) of Markdown's fenced code blocks: a code sample is shown as
    text, so no element of the page comes from there (a sample of the same markup often stands
    before it)."""
    inside, fence, found = False, "", set()
    for number, line in enumerate(lines, 1):
        match = FENCE.match(line)
        if not inside and match:
            inside, fence = True, match[1]
            found.add(number)
        elif inside:
            found.add(number)
            if (
                match
                and match[1][0] == fence[0]
                and len(match[1]) >= len(fence)
                and not line.strip()[len(match[1]) :].strip()
            ):
                inside = False
    return found


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
        "property": finding.body,
        "control": finding.body,
        "name": finding.body,
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
