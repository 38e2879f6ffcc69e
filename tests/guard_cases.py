"""What an editor or a site's owner may paste into a page, shared by the guard's tests
(tests/test_guard.py: the strict build refuses each, or lets it through) and the browser test of
its premise (tests/browser/test_guard_premise.py: what is refused does make a request before a
choice in Chromium, what is let through does not). Each refused element loads from a host of
its own, so that the browser's requests tell which element made them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    html: str
    kind: str  # the guard's finding: load, hint, send, css, script, handler, javascript
    origin: str = ""  # the other origin it reaches ("" for a script of the site's own)
    # Whether Chromium requests it by itself before a choice, observably (a hint opens only a
    # connection, a form sends only when submitted, a script that runs needs no request).
    requests: bool = True
    locator: str = ""  # text on the line the build's message names (default: the origin)
    reaches: str = ""  # the origin Chromium requests, when not the element's own (a script's)
    also: tuple[str, ...] = ()  # what else the guard finds in it (an editor's style element, say)


def _h(name: str) -> str:
    return f"https://{name}.guard.test"


REFUSED = [
    Case("iframe", f'<iframe src="{_h("iframe")}/embed" title="Frame"></iframe>', "load", _h("iframe")),
    Case("script-src", f'<script src="{_h("script")}/tracker.js"></script>', "load", _h("script")),
    Case("img", f'<img src="{_h("img")}/pixel.png" alt="">', "load", _h("img")),
    Case("img-srcset", f'<img srcset="{_h("srcset")}/big.png 1x" alt="">', "load", _h("srcset")),
    Case(
        "picture-source",
        f'<picture><source srcset="{_h("source")}/a.webp" type="image/webp"><img src="pixel.png" alt=""></picture>',
        "load",
        _h("source"),
    ),
    Case("video", f'<video src="{_h("video")}/clip.mp4" preload="auto"></video>', "load", _h("video")),
    Case("video-poster", f'<video poster="{_h("poster")}/still.png"></video>', "load", _h("poster")),
    Case("audio", f'<audio src="{_h("audio")}/sound.mp3" preload="auto"></audio>', "load", _h("audio")),
    Case(
        "video-source",
        f'<video preload="auto"><source src="{_h("videosource")}/clip.mp4" type="video/mp4"></video>',
        "load",
        _h("videosource"),
    ),
    Case("object", f'<object data="{_h("object")}/doc.pdf" type="application/pdf"></object>', "load", _h("object")),
    Case("embed", f'<embed src="{_h("embed")}/doc.pdf" type="application/pdf">', "load", _h("embed")),
    Case("link-stylesheet", f'<link rel="stylesheet" href="{_h("stylesheet")}/style.css">', "load", _h("stylesheet")),
    Case("link-preload", f'<link rel="preload" href="{_h("preload")}/font.woff2" as="font" crossorigin>', "hint", _h("preload")),
    Case("link-preconnect", f'<link rel="preconnect" href="{_h("preconnect")}">', "hint", _h("preconnect"), False),
    Case("link-dns-prefetch", f'<link rel="dns-prefetch" href="{_h("dnsprefetch")}">', "hint", _h("dnsprefetch"), False),
    Case("link-prefetch", f'<link rel="prefetch" href="{_h("prefetch")}/next.html">', "hint", _h("prefetch"), False),
    Case("style-attribute", f"<div style=\"background-image: url('{_h('styleattr')}/bg.png')\">x</div>", "css", _h("styleattr")),
    Case("style-element", f"<style>.guard {{ background: url({_h('styleel')}/bg.png) }}</style><p class=\"guard\">x</p>", "css", _h("styleel"), also=("style",)),
    Case("style-import", f'<style>@import "{_h("import")}/more.css";</style>', "css", _h("import"), also=("style",)),
    Case(
        "svg-image",
        f'<svg width="10" height="10"><image href="{_h("svgimage")}/a.png" width="10" height="10"/></svg>',
        "load",
        _h("svgimage"),
    ),
    Case("form", f'<form action="{_h("form")}/subscribe"><input name="email"></form>', "send", _h("form"), False),
    Case("script-inline", "<script>window.pasted = 1;</script>", "script", requests=False, locator="window.pasted"),
    Case("script-local", '<script src="js/pasted.js"></script>', "script", requests=False, locator="js/pasted.js"),
    Case("onclick", '<a href="#top" onclick="window.pasted = 2">top</a>', "handler", requests=False, locator="onclick"),
    Case("javascript-url", '<a href="javascript:void(window.pasted = 3)">run</a>', "javascript", requests=False, locator="javascript:"),
    # Read as a browser reads them (found by a review that tried to get past the guard):
    Case("repeated-type", '<script type="text/javascript" type="text/plain" data-consent-category="analytics">window.repeatedType = 1;</script>', "script", requests=False, locator="window.repeatedType", also=("control",)),
    Case("repeated-src", f'<iframe src="{_h("repeated")}/embed" src="/" title="Frame"></iframe>', "load", _h("repeated")),
    Case("javascript-type", "<script type='text/jscript'>window.jscript = 1;</script>", "script", requests=False, locator="window.jscript"),
    Case("javascript-type-unquoted", "<script type=text/x-javascript>window.xjs = 1;</script>", "script", requests=False, locator="window.xjs"),
    Case("speculation-rules", f"""<script type="speculationrules">{{"prefetch": [{{"source": "list", "urls": ["{_h('speculation')}/next"]}}]}}</script>""", "script", requests=False, locator="speculation.guard.test"),
    Case("svg-script-href", '<svg width="1" height="1"><script href="js/svg-pasted.js"></script></svg>', "script", requests=False, locator="js/svg-pasted.js"),
    Case("srcdoc", '<iframe srcdoc="&lt;p&gt;a page of its own&lt;/p&gt;" title="Frame"></iframe>', "srcdoc", requests=False, locator="srcdoc="),
    Case("svg-style-breakout", "<svg><style><p><script>window.breakout = 1;</script></style></svg>", "script", requests=False, locator="window.breakout", also=("style",)),
    Case("cdata", "<![CDATA[ x > <script>window.cdata = 1;</script> ]]>", "script", requests=False, locator="window.cdata", also=("cdata",)),
    Case("refresh", f'<meta http-equiv="refresh" content="3600; {_h("refresh")}/away">', "load", _h("refresh"), False),
    Case("refresh-comma", f'<meta http-equiv="refresh" content="3600,url={_h("refreshcomma")}/away">', "load", _h("refreshcomma"), False),
    Case("backslash-url", '<img src="/\\backslash.guard.test/a.png" alt="">', "load", _h("backslash"), locator="backslash.guard.test"),
    Case("three-slashes", '<img src="///slashes.guard.test/a.png" alt="">', "load", _h("slashes"), locator="slashes.guard.test"),
    Case("newline-in-url", '<img src="/&#10;/newline.guard.test/a.png" alt="">', "load", _h("newline"), locator="newline.guard.test"),
    Case("image-tag", f'<image src="{_h("imagetag")}/a.png">', "load", _h("imagetag")),
    Case("repeated-img-src", f'<img src="{_h("repeatedimg")}/a.png" src="pixel.png" alt="">', "load", _h("repeatedimg")),
    # Issue 28, class 2: read as a browser with scripting on reads it, template contents too.
    Case("noscript-attribute", f'<noscript><p title="</noscript><img src={_h("noscript")}/a.png>"></noscript>', "load", _h("noscript"), locator="noscript.guard.test", also=("noscript",)),
    Case("shadow-root", f'<div><template shadowrootmode="open"><img src="{_h("shadow")}/a.png" alt=""><script>window.shadow = 1;</script></template></div>', "load", _h("shadow"), also=("template", "script")),
    # Class 4: consent controls only the kit renders.
    Case("borrowed-accept", '<a href="#top" data-consent-action="accept-all">Continue reading</a>', "control", requests=False, locator='data-consent-action="accept-all"'),
    Case("borrowed-wrapper", '<div data-consent-action="accept-all"><p>The whole page</p></div>', "control", requests=False, locator="<div data-consent-action"),
    # Class 5: an editor's CSS (it could hide the banner, or lay an invisible layer over it).
    Case("style-hides-banner", "<style>#consent { display: none }</style>", "style", requests=False, locator="#consent"),
    Case("style-attribute-layer", '<div style="position: fixed; inset: 0; z-index: 9; opacity: 0">x</div>', "style_attribute", requests=False, locator="position: fixed"),
    # Class 6: loaders that only the Content-Security-Policy would stop.
    Case("svg-filter", f'<svg width="10" height="10"><rect width="10" height="10" filter="url({_h("svgfilter")}/f.svg#f)"/></svg>', "css", _h("svgfilter"), False),  # Chromium ignores an external filter; Firefox fetches it
    Case("svg-mask", f'<svg width="10" height="10"><rect width="10" height="10" mask="url({_h("svgmask")}/m.svg#m)"/></svg>', "css", _h("svgmask")),
    Case("svg-fill", f'<svg width="10" height="10"><rect width="10" height="10" fill="url({_h("svgfill")}/p.svg#p)"/></svg>', "css", _h("svgfill")),
    Case("svg-clip-path", f'<svg width="10" height="10"><rect width="10" height="10" clip-path="url({_h("svgclip")}/c.svg#c)"/></svg>', "css", _h("svgclip")),
    Case("svg-cursor", f'<svg width="10" height="10"><rect width="10" height="10" cursor="url({_h("svgcursor")}/c.png), auto"/></svg>', "css", _h("svgcursor"), False),
    Case("smil-set-href", f'<svg width="10" height="10"><image width="10" height="10"><set attributeName="href" to="{_h("smil")}/a.png"/></image></svg>', "animation", requests=False, locator='attributeName="href"'),
    Case("table-part-background", f'<table><tr background="{_h("trbackground")}/bg.png"><td>x</td></tr></table>', "load", _h("trbackground"), False),
    Case("data-iframe", '<iframe src="data:text/html,&lt;script&gt;window.top.dataframe = 1&lt;/script&gt;" title="Frame"></iframe>', "data_document", requests=False, locator="data:text/html"),
    Case("image-set-custom-property", f"""<div style="--picture: '{_h("imageset")}/a.png'; background-image: image-set(var(--picture) 1x)">x</div>""", "css", _h("imageset")),
    Case("mermaid-cdn", '<pre class="mermaid"><code>graph LR; A --> B</code></pre>', "mermaid", requests=False, locator='class="mermaid"'),
    Case("alternate-elsewhere", f'<link rel="alternate" href="{_h("alternate")}/">', "alternate", _h("alternate"), False),
    Case("base", '<base href="/elsewhere/">', "base", requests=False, locator="<base"),
    # Found by the second review (an editor's tooltip, a second id, Chromium's preload scanner, a layer).
    Case("title-markup", """<span title="<iframe srcdoc='<script src=/evil.js></script>'></iframe>">Opening hours</span>""", "title_markup", requests=False, locator="Opening hours"),
    Case("duplicate-id", '<p id="twice">a</p>\n<p id="twice">b</p>', "duplicate_id", requests=False, locator='id="twice"'),
    Case("style-attribute-invisible", '<div style="opacity: 0; font-size: 9em">x</div>', "style_attribute", requests=False, locator="opacity: 0"),
    Case("clobber-cookie", '<img name="cookie" src="pixel.png" alt="">', "clobber", requests=False, locator='name="cookie"'),
    Case("clobber-current-script", '<form name="currentScript"></form>', "clobber", requests=False, locator='name="currentScript"'),
    Case("ping", f'<a href="#top" ping="{_h("ping")}/track">top</a>', "ping", _h("ping"), False),
    # Found by the third review (a hostile editor): an escaped url(), an OpenSearch description
    # (Chromium fetches it on a site's home page), and a <select> that older browsers read otherwise.
    Case("svg-mask-escaped", f'<svg width="10" height="10"><rect width="10" height="10" mask="u\\72l({_h("svgescaped")}/m.svg#m)"/></svg>', "css", _h("svgescaped")),
    Case("link-search", f'<link rel="search" type="application/opensearchdescription+xml" href="{_h("opensearch")}/osd.xml" title="Search">', "load", _h("opensearch"), False),
    Case("smil-set-prefixed-href", f'<svg xmlns:x="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10"><set attributeName="x:href" to="{_h("smilprefix")}/a.png"/></image></svg>', "animation", requests=False, locator='attributeName="x:href"'),
    Case("select-xmp", f'<select><xmp></select><img src="{_h("selectxmp")}/a.png" alt=""></xmp></select>', "select", requests=False, locator="<select><xmp>"),
]  # fmt: skip

# CDATA inside <math>: text to the page, but Chromium's preload scanner fetches what looks like
# markup in it. Not pasted into a page's Markdown (Python-Markdown cannot hold it: the rest of the
# page is lost, and the build refuses the page for that); an HTML file of docs/ can.
CDATA_PRELOAD = Case(
    "cdata-preload",
    f'<math><![CDATA[</math><img src="{_h("cdata")}/a.png">]]></math>',
    "cdata",
    reaches=_h("cdata"),
    locator="<![CDATA[",
)

# Vendors' own code, as they hand it out: the build names the vendor and the kit's way.
VENDORS = [
    Case(
        "youtube",
        '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE" '
        'title="YouTube video player" frameborder="0" allow="encrypted-media; picture-in-picture" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
        "load",
        "https://www.youtube-nocookie.com",
    ),
    Case(
        "youtube-plain",
        '<iframe src="https://www.youtube.com/embed/M7lc1UVf-VE" title="YouTube video player"></iframe>',
        "load",
        "https://www.youtube.com",
    ),
    Case(
        "vimeo",
        '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e" width="640" height="360" '
        'frameborder="0" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>',
        "load",
        "https://player.vimeo.com",
    ),
    Case(
        "google-maps",
        '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2466" width="600" height="450" '
        'style="border:0;" allowfullscreen="" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>',
        "load",
        "https://www.google.com",
    ),
    Case(
        "matomo",
        """<!-- Matomo -->
<script>
  var _paq = window._paq = window._paq || [];
  _paq.push(['trackPageView']);
  _paq.push(['enableLinkTracking']);
  (function() {
    var u="https://stats.example.org/";
    _paq.push(['setTrackerUrl', u+'matomo.php']);
    _paq.push(['setSiteId', '1']);
    var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
    g.async=true; g.src=u+'matomo.js'; s.parentNode.insertBefore(g,s);
  })();
</script>
<!-- End Matomo Code -->""",
        "script",
        locator="var _paq",
        reaches="https://stats.example.org",
    ),
    Case(
        "plausible",
        '<script defer data-domain="example.org" src="https://plausible.io/js/script.js"></script>',
        "load",
        "https://plausible.io",
    ),
    Case(
        "google-analytics",
        """<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ"></script>""",
        "load",
        "https://www.googletagmanager.com",
    ),
    Case(
        "google-analytics-inline",
        """<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-ABC123XYZ');
</script>""",
        "script",
        requests=False,  # it only queues commands for gtag.js, which the tag above loads
        locator="window.dataLayer",
    ),
]
VENDOR_OF = {
    "youtube": "youtube",
    "youtube-plain": "youtube",
    "vimeo": "vimeo",
    "google-maps": "google-maps",
    "matomo": "matomo",
    "plausible": "plausible",
    "google-analytics": "google",
    "google-analytics-inline": "google",
}

# What a page may hold: plain links, the site's own files, and the kit's gated forms.
ALLOWED = [
    '<a href="https://www.example.org/">a plain link</a>',
    '<a href="mailto:info@example.org">mail</a> <a href="tel:+31000000000">call</a>',
    '<img src="pixel.png" alt=""> <img src="/pixel.png" alt=""> <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">',
    '<link rel="canonical" href="https://www.example.org/elsewhere/">',
    '<script type="application/json" id="pasted-data">{"a": 1}</script>',
    '<script type="text/plain" data-consent-category="analytics">window.afterConsent = 1;</script>',
    '<script type="text/plain" data-consent-category="analytics" data-src="js/after-consent.js"></script>',
    '<div class="guard" data-note="url(https://x.guard.test/not-css.png)">text that mentions url(https://x.guard.test/a.png)</div>',
]
