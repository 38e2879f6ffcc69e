/* Google Analytics 4 with Google Consent Mode v2. The page holds this file as a gated
 * <script type="text/plain" data-consent-category="analytics" data-src=...>, so consent.js
 * runs it only once the visitor grants "analytics"; it follows later choices through the
 * "consent:change" event and stops sending when analytics is withdrawn. */
(function () {
  "use strict";
  var w = window, d = document, id = d.currentScript.getAttribute("data-property"), started = false;
  function gtag() { w.dataLayer.push(arguments); }
  function granted() { return (" " + d.documentElement.getAttribute("data-consent") + " ").indexOf(" analytics ") >= 0; }
  function update(on) {
    w["ga-disable-" + id] = !on;
    if (started) return gtag("consent", "update", { analytics_storage: on ? "granted" : "denied" });
    if (!on) return;
    started = true;
    w.dataLayer = w.dataLayer || [];
    gtag("consent", "default", {
      analytics_storage: "granted", ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied"
    });
    gtag("js", new Date());
    gtag("config", id);
    var s = d.createElement("script");
    s.async = true;
    s.src = "https://www.googletagmanager.com/gtag/js?id=" + encodeURIComponent(id);
    d.head.appendChild(s);
  }
  d.addEventListener("consent:change", function (e) { update(e.detail.categories.analytics === true); });
  update(granted());
})();
