// Page-side helpers for the checks in cases.json. Every runner puts this text in front of each
// expression it evaluates in the page ("run", "wait" and "expect" steps), so a case can say
// `bannerShown()` in any engine. Plain functions, no state: the page is what is checked.

function consentConfig() {
  return JSON.parse(document.getElementById("consent-config").textContent);
}

// The first layer is on screen, with its buttons laid out.
function bannerShown() {
  const root = document.getElementById("consent");
  const accept = document.querySelector('[data-consent-action="accept-all"]');
  return !!root && !root.hidden && accept.getBoundingClientRect().height > 0;
}

function storedChoice() {
  return JSON.parse(localStorage.getItem(consentConfig().key) || "null");
}

// Stores a well-formed choice granting everything, made now, at the site's consent revision plus
// `revisionOffset` (0: the current revision; -1: the one before).
function storeChoice(revisionOffset) {
  const config = consentConfig();
  localStorage.setItem(config.key, JSON.stringify({
    schema: config.schema,
    revision: config.revision + revisionOffset,
    categories: Object.fromEntries(config.categories.map((category) => [category, true])),
    timestamp: new Date().toISOString(),
    id: "0123456789abcdef0123456789abcdef",
  }));
}

// What has focus: a consent control by its action, the main heading, or else the tag name.
function focused() {
  const element = document.activeElement;
  if (element.dataset.consentAction) return element.dataset.consentAction;
  return element.matches("main h1") ? "main h1" : element.tagName.toLowerCase();
}

// The status region says that the choice was saved.
function confirmationShown() {
  const status = document.getElementById("consent-status");
  return status.textContent !== "" && status.textContent === status.dataset.text;
}

function cookieNames() {
  return document.cookie ? document.cookie.split("; ").map((cookie) => cookie.split("=")[0]).sort() : [];
}

// Anything of analytics began on this page: its gated script was let run (consent.js does that
// at once when analytics is granted), or that script has since made a dataLayer or inserted
// Google's tag.
function analyticsStarted() {
  return (
    !!document.querySelector('script[data-consent-category="analytics"]:not([type="text/plain"])') ||
    !!document.querySelector('script[src^="https://www.googletagmanager.com/"]') ||
    typeof window.dataLayer !== "undefined"
  );
}

// Whether this page has applied a choice that grants analytics (consent.js lists the granted
// categories on <html data-consent>).
function analyticsGranted() {
  return document.documentElement.dataset.consent.split(" ").includes("analytics");
}

// How often this page view ran the gtag.js stub that the runners answer Google's URL with.
function gtagRuns() {
  return window.__gtagStubLoaded || 0;
}
