"""Matomo, a site's own instance (``provider: matomo``, ``url``: the address of its folder,
``site_id``): ``analytics-matomo.js`` tells it to require consent and gives it at once, after
consent to analytics; withdrawn, Matomo forgets it (stops tracking, deletes its cookies). It sets
cookies (``_pk_id.*``, ``_pk_ses.*``), which the site lists in its declaration."""

from __future__ import annotations

import re

from ..options import HTTPS_FOLDER, Matching, WholeNumber
from .service import Provider, Question, StandIn, host_of, own_service_sources, with_url

PLACEHOLDER = "https://fill-in.invalid/"  # init's: an address that cannot exist (RFC 6761)

# matomo.js: reads the _paq commands the integration pushed, sets Matomo's two cookies once
# consent is given and sends one tracking request; forgetConsentGiven deletes them again.
MATOMO_JS = """(function () {
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


class Matomo(Provider):
    name = "matomo"
    title = "Matomo"
    about = "`matomo` (a Matomo of your own)"
    options = {
        "url": Matching(
            HTTPS_FOLDER,
            "the https:// address of your Matomo's folder, ending in /",
            empty_is_unset=True,
        ),
        "site_id": WholeNumber(1, 10**9),
    }
    required = ("url", "site_id")
    help = {"url": "the address of its folder (matomo.js, matomo.php)", "site_id": "the site's ID in it"}
    script = "assets/javascripts/analytics-matomo.js"
    well_known = ("matomo.cloud",)
    inline = re.compile(r"_paq\b|matomo\.(?:js|php)|piwik\.(?:js|php)")
    cookie_provider = "{name} (our own Matomo)"
    questions = (
        Question("url", "The address of your Matomo", PLACEHOLDER, "the address of your Matomo"),
        Question("site_id", "The site's ID in your Matomo", "1"),
    )

    def attributes(self, options):
        return (("data-url", options["url"]), ("data-site-id", str(options["site_id"])))

    def sources(self, options):
        return own_service_sources(options["url"], "script-src", "img-src", "connect-src")

    def hosts(self, options):
        return (host_of(options["url"]),) if options["url"] else ()

    def recognises(self, host, path, attributes):
        return re.search(r"/(matomo|piwik)\.(js|php)$", path) is not None

    def loader(self, options):
        return options["url"] + "matomo.js"

    def stand_ins(self, options):
        if not options["url"]:
            return ()
        return (
            StandIn(self.loader(options), 200, "text/javascript", MATOMO_JS),
            StandIn(options["url"] + "matomo.php", 204, "text/plain", ""),
        )

    def local_attributes(self, options, here):
        return with_url(self.attributes(options), here)

    def local_files(self):
        return {"matomo.js": MATOMO_JS, "matomo.php": ""}


PROVIDER = Matomo()
