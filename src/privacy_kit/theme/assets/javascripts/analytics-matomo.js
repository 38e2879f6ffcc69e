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
  const queue = (window._paq = window._paq || []); // Matomo's command queue
  document.addEventListener("consent:change", (event) => {
    queue.push([event.detail.categories.analytics === true ? "setConsentGiven" : "forgetConsentGiven"]);
  });
  queue.push(["requireConsent"], ["setConsentGiven"], ["setTrackerUrl", `${url}matomo.php`]);
  queue.push(["setSiteId", script.getAttribute("data-site-id")], ["trackPageView"], ["enableLinkTracking"]);
  const loader = document.createElement("script");
  loader.async = true;
  loader.src = `${url}matomo.js`;
  document.head.append(loader);
})();
