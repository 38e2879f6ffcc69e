"""Google Analytics 4 (``provider: google``, ``property``: its measurement ID), with Google Consent
Mode v2: ``analytics-google.js`` loads gtag.js once the visitor has consented to analytics, and
stops it sending when consent is withdrawn. It sets cookies (``_ga``, ``_ga_<ID>``), which the site
lists in its declaration."""

from __future__ import annotations

import re

from ..options import Matching
from .service import Provider, Question, StandIn, on

GA4_PROPERTY = re.compile(r"^G-[A-Z0-9]{4,20}$")
PROPERTY = "G-FILLIN"  # init's placeholder: a measurement ID of the right form that no Google property has
HOSTS = ("googletagmanager.com", "google-analytics.com", "analytics.google.com", "doubleclick.net")
GTAG_JS = "https://www.googletagmanager.com/gtag/js"

# gtag.js: the cookies GA4 sets (unless window["ga-disable-<id>"] is set, as the real one
# honours), and one collect request (to COLLECT: an expression of the script's own address s).
GTAG = """(function () {
  window.__googleStandIn = (window.__googleStandIn || 0) + 1;
  var s = document.currentScript, id = (s && new URL(s.src).searchParams.get("id")) || "G-STUB";
  if (window["ga-disable-" + id]) return;
  var now = Math.floor(Date.now() / 1000), age = "; max-age=63072000; path=/; SameSite=Lax";
  document.cookie = "_ga=GA1.1." + Math.floor(Math.random() * 1e9) + "." + now + age;
  document.cookie = "_ga_" + id.replace(/^G-/, "") + "=GS2.1.s" + now + "$o1$g0$t" + now + age;
  navigator.sendBeacon(COLLECT + "?v=2&en=page_view&tid=" + encodeURIComponent(id));
})();"""
COLLECT = "https://region1.google-analytics.com/g/collect"


def gtag(collect: str) -> str:
    """The stand-in of gtag.js, sending to ``collect`` (a JavaScript expression)."""
    return GTAG.replace("COLLECT", collect, 1)


class Google(Provider):
    name = "google"
    title = "Google Analytics"
    about = "`google` (Google Analytics 4)"
    options = {
        "property": Matching(
            GA4_PROPERTY,
            "a Google Analytics 4 measurement ID like G-ABC123XYZ (from an environment variable: !ENV NAME)",
            empty_is_unset=True,
        )
    }
    required = ("property",)
    help = {"property": "the measurement ID; unset or empty, the site is built without analytics"}
    script = "assets/javascripts/analytics-google.js"
    well_known = HOSTS
    inline = re.compile(r"googletagmanager\.com|google-analytics\.com|\bgtag\s*\(|\bdataLayer\b")
    cookie_provider = "Google (Google Analytics 4)"
    questions = (Question("property", "", PROPERTY, "set GA_PROPERTY to your G-… ID"),)

    def attributes(self, options):
        return (("data-property", options["property"]),)

    def sources(self, options):
        return (
            ("script-src", ("https://www.googletagmanager.com",)),
            ("img-src", ("https://*.google-analytics.com", "https://*.googletagmanager.com")),
            (
                "connect-src",
                (
                    "https://*.google-analytics.com",
                    "https://*.analytics.google.com",
                    "https://*.googletagmanager.com",
                ),
            ),
        )

    def hosts(self, options):
        return HOSTS

    def recognises(self, host, path, attributes):
        return on(host, ("googletagmanager.com", "google-analytics.com", "analytics.google.com"))

    def loader(self, options):
        return GTAG_JS

    def stand_ins(self, options):
        return (
            StandIn(GTAG_JS, 200, "text/javascript", gtag(f'"{COLLECT}"')),
            StandIn(COLLECT, 204, "text/plain", ""),
        )

    def local_attributes(self, options, here):
        return (*self.attributes(options), ("data-url", here + "gtag.js"))

    def local_files(self):
        return {"gtag.js": gtag('new URL("collect", s.src).href'), "collect": ""}

    def init_lines(self, values):
        return [
            "      analytics:",
            "        provider: google",
            f"        # Your measurement ID from GA_PROPERTY; {PROPERTY} until then (a build",
            "        # for publication refuses it).",
            f"        property: !ENV [GA_PROPERTY, {values['property']}]",
        ]


PROVIDER = Google()
