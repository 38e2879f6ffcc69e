/* Matomo (a site's own instance), loaded only with consent. The page holds this file as a gated
 * <script type="text/plain" data-consent-category="analytics" data-src=... data-url=...
 * data-site-id=...>, so consent.js runs it only once the visitor grants "analytics". Matomo is
 * told to require consent and is given it; it follows later choices through "consent:change":
 * on withdrawal it forgets the consent, stops tracking and deletes its own cookies (consent.js
 * deletes the declared ones too). */
(function () {
  "use strict";
  var w = window, d = document, s = d.currentScript;
  var url = s.getAttribute("data-url"), id = s.getAttribute("data-site-id"), started = false;
  var paq = (w._paq = w._paq || []);
  function granted() { return (" " + d.documentElement.getAttribute("data-consent") + " ").indexOf(" analytics ") >= 0; }
  function update(on) {
    if (started) return paq.push([on ? "setConsentGiven" : "forgetConsentGiven"]);
    if (!on) return;
    started = true;
    paq.push(["requireConsent"], ["setConsentGiven"], ["setTrackerUrl", url + "matomo.php"], ["setSiteId", id]);
    paq.push(["trackPageView"], ["enableLinkTracking"]);
    var g = d.createElement("script");
    g.async = true;
    g.src = url + "matomo.js";
    d.head.appendChild(g);
  }
  d.addEventListener("consent:change", function (e) { update(e.detail.categories.analytics === true); });
  update(granted());
})();
