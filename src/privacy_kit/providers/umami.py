"""Umami, on a server of the site's own (``provider: umami``, ``website_id``: the website's ID in
it, ``url``: its address): ``analytics-umami.js`` loads its tracker (``script.js``) after consent to
analytics, and cancels every event while analytics is not granted (Umami's ``data-before-send``,
from Umami 2.18). Umami sets no cookie, and the kit turns off the visitor ID its newer trackers
keep in local storage (``data-identity-stitching="false"``): what consent covers is what the
tracker sends, so the declaration lists Umami's server as a recipient (its texts: ``umami_*``)."""

from __future__ import annotations

import re

from ..options import HTTPS_FOLDER, Matching
from .service import Provider, Question, StandIn, host_of, on, own_service_sources, with_url

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"  # init's: the nil UUID, which no website has
PLACEHOLDER_URL = "https://fill-in.invalid/"  # init's: an address that cannot exist (RFC 6761)

# Umami's script.js: sets nothing in the browser and sends one page view to its server's
# /api/send, beside the script; like the real one it asks data-before-send first (a falsy answer
# cancels) and offers umami.track() for more events.
SCRIPT_JS = """(function () {
  window.__umamiStandIn = (window.__umamiStandIn || 0) + 1;
  var s = document.currentScript, endpoint = new URL("api/send", s.src).href;
  function track() {
    var payload = {website: s.getAttribute("data-website-id"), url: location.href, screen: screen.width + "x" + screen.height};
    var before = window[s.getAttribute("data-before-send")];
    if (typeof before === "function") payload = before("event", payload);
    if (payload) navigator.sendBeacon(endpoint, JSON.stringify({type: "event", payload: payload}));
  }
  window.umami = {track: track};
  track();
})();"""


class Umami(Provider):
    name = "umami"
    title = "Umami"
    about = "`umami` (Umami, on a server of your own)"
    options = {
        "website_id": Matching(
            UUID, "the website's ID in Umami, like 94db1cb1-74f4-4a40-ad6c-962362670409", empty_is_unset=True
        ),
        "url": Matching(
            HTTPS_FOLDER, "the https:// address of your own Umami, ending in /", empty_is_unset=True
        ),
    }
    required = ("website_id", "url")
    help = {
        "website_id": "the website's ID in it",
        "url": "the address of your Umami (its script.js; Umami 2.18 or later)",
    }
    script = "assets/javascripts/analytics-umami.js"
    texts = ("request_name", "umami_purpose", "umami_duration", "umami_provider")
    well_known = ("cloud.umami.is", "api-gateway.umami.dev")
    inline = re.compile(r"umami|data-website-id")
    questions = (
        Question(
            "website_id", "The website's ID in your Umami", PLACEHOLDER_ID, "the website's ID in your Umami"
        ),
        Question("url", "The address of your Umami", PLACEHOLDER_URL, "the address of your Umami"),
    )

    def attributes(self, options):
        return (("data-website-id", options["website_id"]), ("data-url", options["url"]))

    def sources(self, options):
        return own_service_sources(options["url"], "script-src", "connect-src")

    def hosts(self, options):
        return (host_of(options["url"]),) if options["url"] else ()

    def recognises(self, host, path, attributes):
        return on(host, ("umami.is",)) or ("data-website-id" in attributes and path.endswith(".js"))

    def recipient(self, analytics, texts):
        host = analytics.hosts[0]
        return (
            host,
            texts["umami_provider"].format(host=host),
            texts["umami_purpose"],
            texts["umami_duration"],
        )

    def loader(self, options):
        return options["url"] + "script.js"

    def stand_ins(self, options):
        if not options["url"]:
            return ()
        return (
            StandIn(self.loader(options), 200, "text/javascript", SCRIPT_JS),
            StandIn(options["url"] + "api/send", 200, "application/json", "{}"),
        )

    def local_attributes(self, options, here):
        return with_url(self.attributes(options), here)

    def local_files(self):
        return {"script.js": SCRIPT_JS, "api/send": "{}"}


PROVIDER = Umami()
