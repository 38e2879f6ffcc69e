/* Google Analytics 4 with Google Consent Mode v2. The page holds this file as a gated
   <script type="text/plain" data-consent-category="analytics" data-src=… data-property=…>, so
   consent.js runs it only once the visitor has granted "analytics". It starts at once, stops
   sending as soon as analytics is withdrawn (consent:change: in this page, in another tab of the
   site, or while this page was in the back/forward cache), and goes on if it is granted again. */
(() => {
  "use strict";
  // What an editor's element cannot stand in for (<img name="currentScript"> hides
  // document.currentScript, with a property of its own): read from the prototype.
  const documentMember = (name) => Object.getOwnPropertyDescriptor(Document.prototype, name).get.call(document);
  const script = documentMember("currentScript");
  const property = script.getAttribute("data-property");
  window.dataLayer = window.dataLayer || [];
  function gtag() {
    window.dataLayer.push(arguments); // gtag.js reads each entry as an arguments object
  }
  document.addEventListener("consent:change", (event) => {
    const granted = event.detail.categories.analytics === true;
    window[`ga-disable-${property}`] = !granted; // while set, gtag.js sends nothing for this property
    gtag("consent", "update", { analytics_storage: granted ? "granted" : "denied" });
  });
  gtag("consent", "default", {
    analytics_storage: "granted",
    ad_storage: "denied",
    ad_user_data: "denied",
    ad_personalization: "denied",
  });
  gtag("js", new Date());
  gtag("config", property);
  const loader = document.createElement("script");
  loader.async = true;
  // Google's gtag.js, unless the page names another (privacy-kit serve's local preview: its stand-in).
  const gtagJs = script.getAttribute("data-url") || "https://www.googletagmanager.com/gtag/js";
  loader.src = `${gtagJs}?id=${encodeURIComponent(property)}`;
  document.head.append(loader);
})();
