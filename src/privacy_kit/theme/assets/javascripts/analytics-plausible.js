/* Plausible Analytics (plausible.io, or a site's own), loaded only with consent. The page holds
 * this file as a gated <script type="text/plain" data-consent-category="analytics" data-src=...
 * data-domain=... data-url=...>, so consent.js runs it only once the visitor grants "analytics".
 * Plausible sets no cookie and stores nothing in the browser: what consent covers is the request
 * its script sends for each page view (the page's address, the referrer, the browser's user
 * agent and screen width, and the visitor's IP address, from which Plausible derives a daily
 * changing identifier). After a withdrawal no later page loads it; on the page where consent is
 * withdrawn it sends nothing more, since it counts only the page view at load. */
(function () {
  "use strict";
  var d = document, s = d.currentScript;
  var g = d.createElement("script");
  g.defer = true;
  g.setAttribute("data-domain", s.getAttribute("data-domain"));
  g.src = s.getAttribute("data-url") + "js/script.js";
  d.head.appendChild(g);
})();
