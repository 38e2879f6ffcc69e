"""Plausible Analytics, at plausible.io or a site's own (``provider: plausible``, ``domain``: the
site's domain as registered there, ``url`` for a self-hosted one): ``analytics-plausible.js``
loads its script after consent to analytics. Plausible sets no cookie and stores nothing in the
browser: what consent covers is what its script sends, so the declaration lists it as a
recipient (its texts: ``plausible_*``)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ..options import HTTPS_FOLDER, Matching
from .service import Provider, StandIn, host_of, on, own_service_sources, with_url

PLAUSIBLE = "https://plausible.io/"  # Plausible's own service (else a site's self-hosted one)
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

# Plausible's script.js: sets nothing in the browser and sends one page-view event to its server
# (at /api/event of its origin, as the real one; under the local preview beside the stand-in).
SCRIPT_JS = """(function () {
  window.__plausibleStandIn = (window.__plausibleStandIn || 0) + 1;
  var s = document.currentScript;
  navigator.sendBeacon(new URL("EVENT", s.src).href, JSON.stringify({n: "pageview", d: s.getAttribute("data-domain"), u: location.href}));
})();"""


def script_js(event: str) -> str:
    """The stand-in of Plausible's script.js, sending to ``event`` (relative to its own address)."""
    return SCRIPT_JS.replace("EVENT", event, 1)


class Plausible(Provider):
    name = "plausible"
    title = "Plausible"
    about = "`plausible` (Plausible Analytics, at plausible.io or self-hosted)"
    options = {
        "domain": Matching(
            DOMAIN, "a domain name like example.org (without https:// or a path)", empty_is_unset=True
        ),
        "url": Matching(
            HTTPS_FOLDER,
            "the https:// address of your own Plausible, ending in /",
            empty_is_unset=True,
        ),
    }
    required = ("domain",)
    help = {
        "domain": "the site's domain as it is registered in Plausible",
        "url": f"the address of a self-hosted Plausible (left out: {PLAUSIBLE})",
    }
    script = "assets/javascripts/analytics-plausible.js"
    texts = (
        "request_name",
        "plausible_purpose",
        "plausible_duration",
        "plausible_provider",
        "plausible_provider_own",
    )
    well_known = ("plausible.io",)
    inline = re.compile(r"plausible")

    def url(self, options) -> str:
        """Where Plausible runs: the site's own Plausible (``url``), else plausible.io."""
        return options["url"] or PLAUSIBLE

    def attributes(self, options):
        return (("data-domain", options["domain"]), ("data-url", self.url(options)))

    def sources(self, options):
        return own_service_sources(self.url(options), "script-src", "connect-src")

    def hosts(self, options):
        return (host_of(self.url(options)),)

    def recognises(self, host, path, attributes):
        return on(host, ("plausible.io",)) or (
            "data-domain" in attributes and re.search(r"/js/(script|plausible)", path) is not None
        )

    def recipient(self, analytics, texts):
        host = analytics.hosts[0]
        if host == host_of(PLAUSIBLE):
            provider = texts["plausible_provider"]
        else:
            provider = texts["plausible_provider_own"].format(host=host)
        return host, provider, texts["plausible_purpose"], texts["plausible_duration"]

    def loader(self, options):
        return self.url(options) + "js/script.js"

    def stand_ins(self, options):
        return (
            StandIn(self.loader(options), 200, "text/javascript", script_js("/api/event")),
            # its events go to /api/event at its origin, as the real one's
            StandIn(urljoin(self.url(options), "/api/event"), 202, "text/plain", "ok"),
        )

    def local_attributes(self, options, here):
        return with_url(self.attributes(options), here)

    def local_files(self):
        return {"js/script.js": script_js("../api/event"), "api/event": ""}


PROVIDER = Plausible()
