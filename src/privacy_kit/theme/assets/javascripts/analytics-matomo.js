/* Matomo (a site's own instance). The page holds this file as a gated
   <script type="text/plain" data-consent-category="analytics" data-src=… data-url=…
   data-site-id=…>, so consent.js runs it only once the visitor has granted "analytics". Matomo is
   told to require consent and is given it at once. When analytics is withdrawn (consent:change:
   in this page, in another tab of the site, or while this page was in the back/forward cache) it
   forgets the consent: it stops tracking and deletes its own cookies (consent.js deletes the
   declared ones too); granted again, it goes on. */
(() => {
  "use strict";
  // What an editor's element cannot stand in for (<img name="currentScript"> hides
  // document.currentScript, with a URL of its own): read from the prototype.
  const documentMember = (name) => Object.getOwnPropertyDescriptor(Document.prototype, name).get.call(document);
  const script = documentMember("currentScript");
  const url = script.getAttribute("data-url");
  // Matomo's commands: an array until matomo.js has loaded, which then replaces it with an object
  // of its own that runs each command pushed: so it is looked up anew for each.
  const tell = (...commands) => (window._paq = window._paq || []).push(...commands);
  document.addEventListener("consent:change", (event) => {
    tell([event.detail.categories.analytics === true ? "setConsentGiven" : "forgetConsentGiven"]);
  });
  tell(["requireConsent"], ["setConsentGiven"], ["setTrackerUrl", `${url}matomo.php`]);
  tell(["setSiteId", script.getAttribute("data-site-id")], ["trackPageView"], ["enableLinkTracking"]);
  const loader = document.createElement("script");
  loader.async = true;
  loader.src = `${url}matomo.js`;
  document.head.append(loader);
})();
