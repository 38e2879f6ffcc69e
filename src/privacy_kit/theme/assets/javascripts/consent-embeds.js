/* The privacy kit's click-to-load embeds, on pages that have one (partials/consent.html). Each
   gated frame is loaded and shown while its category is granted, and is an empty frame behind its
   placeholder again once consent is withdrawn. consent.js tells every change with the event
   consent:change, also for a choice stored earlier, as it starts: so this script runs before it. */
document.addEventListener("consent:change", (e) => {
  for (const [k, on] of Object.entries(e.detail.categories)) {
    for (let f of document.querySelectorAll(`iframe[data-consent-category="${k}"][data-src]`)) {
      if (on && !f.src) f.src = f.dataset.src;
      if (!on && f.src) { const c = f.cloneNode(); c.removeAttribute("src"); f.replaceWith(c); f = c; }
      f.hidden = !on;
      f.nextElementSibling.hidden = on;
    }
  }
});
