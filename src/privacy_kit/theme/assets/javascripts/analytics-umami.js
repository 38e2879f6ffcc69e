/* Umami (a site's own instance, 2.18 or later). The page holds this file as a gated
   <script type="text/plain" data-consent-category="analytics" data-src=… data-website-id=…
   data-url=…>, so consent.js runs it only once the visitor has granted "analytics". Umami sets no
   cookie, and its tracker is told to keep no visitor ID in local storage either
   (data-identity-stitching): what consent covers is what it sends (the page's address and title,
   the referrer, the screen size and the browser's language, and with each request the visitor's
   IP address and user agent, from which Umami derives a visitor identifier). Umami asks the page
   before each event (data-before-send): while analytics is not granted (withdrawn in this page, in
   another tab of the site, or while this page was in the back/forward cache) the answer cancels
   it; granted again, it goes on. */
(() => {
  "use strict";
  // What an editor's element cannot stand in for (<img name="currentScript"> hides
  // document.currentScript, with a URL of its own): read from the prototype.
  const documentMember = (name) => Object.getOwnPropertyDescriptor(Document.prototype, name).get.call(document);
  const script = documentMember("currentScript"), head = documentMember("head");
  let granted = true; // this file runs only once analytics is granted
  document.addEventListener("consent:change", (event) => {
    granted = event.detail.categories.analytics === true;
  });
  // Umami calls the function of this name before it sends an event; a falsy answer cancels it.
  const beforeSend = "privacyKitUmamiBeforeSend";
  window[beforeSend] = (type, payload) => (granted ? payload : false);
  const loader = document.createElement("script");
  loader.defer = true;
  loader.setAttribute("data-website-id", script.getAttribute("data-website-id"));
  loader.setAttribute("data-before-send", beforeSend);
  loader.setAttribute("data-identity-stitching", "false");
  loader.src = `${script.getAttribute("data-url")}script.js`;
  head.append(loader);
})();
