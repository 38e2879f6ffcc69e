"""What the services a site declares would answer, for tests and the offline audit, so that
nothing leaves the machine: Google's gtag.js and a Matomo's matomo.js set the cookies the real
ones set and send one request each, as the real ones do, Plausible's script.js sets nothing and
sends its one event; an embed's host answers with a small
page. Each stand-in counts its runs (``window.__<provider>StandIn``) for the tests to wait on.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from ..config import PLAUSIBLE as PLAUSIBLE_URL

# gtag.js: the cookies GA4 sets (unless window["ga-disable-<id>"] is set, as the real one
# honours), and one collect request.
GTAG = """(function () {
  window.__googleStandIn = (window.__googleStandIn || 0) + 1;
  var s = document.currentScript, id = (s && new URL(s.src).searchParams.get("id")) || "G-STUB";
  if (window["ga-disable-" + id]) return;
  var now = Math.floor(Date.now() / 1000), age = "; max-age=63072000; path=/; SameSite=Lax";
  document.cookie = "_ga=GA1.1." + Math.floor(Math.random() * 1e9) + "." + now + age;
  document.cookie = "_ga_" + id.replace(/^G-/, "") + "=GS2.1.s" + now + "$o1$g0$t" + now + age;
  navigator.sendBeacon("https://region1.google-analytics.com/g/collect?v=2&en=page_view&tid=" + encodeURIComponent(id));
})();"""

# matomo.js: reads the _paq commands the integration pushed, sets Matomo's two cookies once
# consent is given and sends one tracking request; forgetConsentGiven deletes them again.
MATOMO = """(function () {
  window.__matomoStandIn = (window.__matomoStandIn || 0) + 1;
  var q = window._paq || [], id = "1", tracker = "", consent = false;
  function run(c) {
    if (c[0] === "setSiteId") id = c[1];
    if (c[0] === "setTrackerUrl") tracker = c[1];
    if (c[0] === "setConsentGiven") consent = true;
    if (c[0] === "forgetConsentGiven") {
      consent = false;
      for (var n of ["_pk_id", "_pk_ses"]) document.cookie = n + "." + id + ".0f1e=; max-age=0; path=/";
    }
  }
  q.forEach(run);
  window._paq = { push: function () { for (var c of arguments) run(c); } };
  if (!consent) return;
  var now = Math.floor(Date.now() / 1000);
  document.cookie = "_pk_id." + id + ".0f1e=" + Math.floor(Math.random() * 1e16).toString(16) + "." + now + "; max-age=33696000; path=/; SameSite=Lax";
  document.cookie = "_pk_ses." + id + ".0f1e=1; max-age=1800; path=/; SameSite=Lax";
  navigator.sendBeacon(tracker + "?idsite=" + id + "&rec=1&action_name=" + encodeURIComponent(document.title));
})();"""

# Plausible's script.js: sets nothing in the browser and sends one page-view event to its server.
PLAUSIBLE = """(function () {
  window.__plausibleStandIn = (window.__plausibleStandIn || 0) + 1;
  var s = document.currentScript;
  navigator.sendBeacon(new URL("/api/event", s.src).href, JSON.stringify({n: "pageview", d: s.getAttribute("data-domain"), u: location.href}));
})();"""

EMBED = "<!doctype html><title>Embedded content</title><p>An embed, answered on this machine.</p>"
FONTS = "/* Google Fonts, answered on this machine */"


@dataclass(frozen=True)
class StandIn:
    url: str  # a prefix of the URLs it answers
    status: int
    content_type: str
    body: str


def stand_ins(analytics, hosts=(), fonts: bool = False) -> tuple[StandIn, ...]:
    """What the declared services would answer: the analytics service (the plugin's validated
    ``analytics`` options; its identifiers need not be set), the origins of the embeds of each
    category (``hosts``: category, origins), Google Fonts."""
    found = []
    if analytics is not None and analytics.provider == "google":
        found += [
            StandIn("https://www.googletagmanager.com/gtag/js", 200, "text/javascript", GTAG),
            StandIn("https://region1.google-analytics.com/g/collect", 204, "text/plain", ""),
        ]
    if analytics is not None and analytics.provider == "matomo" and analytics.url:
        url = analytics.url
        found += [
            StandIn(url + "matomo.js", 200, "text/javascript", MATOMO),
            StandIn(url + "matomo.php", 204, "text/plain", ""),
        ]
    if analytics is not None and analytics.provider == "plausible":
        url = analytics.url or PLAUSIBLE_URL
        found += [
            StandIn(url + "js/script.js", 200, "text/javascript", PLAUSIBLE),
            StandIn(urljoin(url, "/api/event"), 202, "text/plain", "ok"),  # at its origin, as the real one
        ]
    for _, origins in hosts:
        found += [StandIn(origin + "/", 200, "text/html", EMBED) for origin in origins]
    if fonts:
        found.append(StandIn("https://fonts.googleapis.com/", 200, "text/css", FONTS))
    return tuple(found)


def answer(url: str, known: tuple[StandIn, ...]) -> StandIn | None:
    """The stand-in that answers ``url`` (None: nobody; the request is aborted)."""
    return next((s for s in known if url.startswith(s.url)), None)
