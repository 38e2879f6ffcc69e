/* The privacy kit's click-to-load embeds, on pages that have one (consent/embeds.py writes them).
   Each gated frame is loaded and shown while its category is granted, and is an empty frame
   behind its placeholder again once consent is withdrawn: here, in another tab, or while the page
   was in the back/forward cache (consent.js tells each of these with consent:change). consent.js
   also tells a choice stored earlier as it starts, so this script runs before it. */
(() => {
  "use strict";
  document.addEventListener("consent:change", (event) => {
    for (const [category, granted] of Object.entries(event.detail.categories)) {
      for (let frame of document.querySelectorAll(`iframe[data-consent-category="${category}"][data-src]`)) {
        if (granted && !frame.src) frame.src = frame.dataset.src;
        if (!granted && frame.src) {
          // A frame cannot be unloaded: it is replaced by an empty copy, which requests nothing.
          const empty = frame.cloneNode();
          empty.removeAttribute("src");
          frame.replaceWith(empty);
          frame = empty;
        }
        frame.hidden = !granted;
        frame.nextElementSibling.hidden = granted; // its placeholder
      }
    }
  });
})();
