/* Plausible Analytics (plausible.io, or a site's own). The page holds this file as a gated
   <script type="text/plain" data-consent-category="analytics" data-src=… data-domain=… data-url=…>,
   so consent.js runs it only once the visitor has granted "analytics". Plausible sets no cookie
   and stores nothing in the browser: what consent covers is what its script sends (the page's
   address, the referrer, the browser's user agent and screen width, and the visitor's IP address,
   from which Plausible derives a daily changing identifier): the page view and, when the page is
   left, how long and how far it was read. */
(() => {
  "use strict";
  // What an editor's element cannot stand in for (<img name="currentScript"> hides
  // document.currentScript, with a URL of its own): read from the prototype.
  const documentMember = (name) => Object.getOwnPropertyDescriptor(Document.prototype, name).get.call(document);
  const script = documentMember("currentScript"), head = documentMember("head");
  document.addEventListener("consent:change", (event) => {
    if (event.detail.categories.analytics === true) return;
    // Plausible cannot be told to stop, and it would still report the reading when the page is
    // left. So, once analytics is withdrawn (in this page, in another tab of the site, or while
    // this page was in the back/forward cache), the page forbids itself every further request to
    // another origin: a Content-Security-Policy of its own, which can only take away from the
    // site's. Until the next page, even if analytics is granted again.
    const policy = document.createElement("meta");
    policy.httpEquiv = "Content-Security-Policy";
    policy.content = "connect-src 'self'";
    head.append(policy); // only a policy in <head> counts
  });
  const loader = document.createElement("script");
  loader.defer = true;
  loader.setAttribute("data-domain", script.getAttribute("data-domain"));
  loader.src = `${script.getAttribute("data-url")}js/script.js`;
  head.append(loader);
})();
