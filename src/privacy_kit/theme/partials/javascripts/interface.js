/* Fixes of Material's own keyboard behaviour, on every page (inlined by
   partials/javascripts/interface.html, which the build hashes into the CSP):
   - WCAG 2.1.4: Material binds single-character keys (f, s and / open the search; n, p, . and ,
     turn the page) and offers no way to switch them off: they are stopped here, before Material's
     window listener sees them (typing in the search field is not affected).
   - WCAG 1.4.13: the language list opens on hover and on focus and covers the page: Escape closes
     it without moving the pointer (focus goes back to its button), until pointer and focus have
     left it (policy.css hides it meanwhile).
   - WCAG 2.1.1, 4.1.2: below 76.25em Material's menu button, and in the menu the button that opens
     the page's table of contents and the one that closes it again, are labels of hidden check boxes
     that the keyboard cannot reach (mkdocs-material issue 4101). They become buttons here (real
     buttons: a label may have no role): in the Tab order, named, with their state (aria-expanded).
     Escape, or focus moving on past it, closes the menu; policy.css keeps a closed menu out of the
     Tab order. Without JavaScript the labels stay, and work by mouse as before. */
(() => {
  "use strict";
  const d = document, drawer = d.getElementById("__drawer"), nav = d.querySelector(".md-nav--primary");
  const menu = d.querySelector('.md-header label[for="__drawer"]'), side = d.querySelector(".md-sidebar--primary");
  addEventListener("keydown", (e) => {
    if (/^[fsnp,./]$/.test(e.key) && !d.getElementById("__search")?.checked) e.stopPropagation();
  }, true);
  d.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    for (const s of d.querySelectorAll(".md-select:hover, .md-select:focus-within")) {
      s.classList.add("policy-select-closed");
      if (s.contains(d.activeElement)) s.querySelector("button").focus();
    }
    if (drawer?.checked && menuButton?.checkVisibility()) { drawer.click(); menuButton.focus(); }
  });
  for (const s of d.querySelectorAll(".md-select")) {
    const reset = () => s.matches(":hover, :focus-within") || s.classList.remove("policy-select-closed");
    s.addEventListener("mouseleave", reset);
    s.addEventListener("focusout", () => setTimeout(reset));
    s.addEventListener("focusin", (e) => e.target.matches("a") && s.classList.remove("policy-select-closed"));
  }
  // Material's toggles are labels of hidden inputs; with JavaScript each becomes a button (same
  // class and "for", so Material's styles still apply) that clicks its input.
  const asButton = (label, input) => {
    const button = d.createElement("button");
    button.type = "button";
    for (const a of label.attributes) button.setAttribute(a.name, a.value);
    button.append(...label.childNodes);
    button.addEventListener("click", () => input.click());
    label.replaceWith(button);
    return button;
  };
  let menuButton = null;
  const toggles = d.querySelectorAll('.md-header label[for="__drawer"], .md-nav--primary label.md-nav__link[for]:not([tabindex]), .md-nav--primary .md-nav--secondary > label.md-nav__title[for]');
  for (const label of toggles) {
    const box = d.getElementById(label.htmlFor);
    if (!box) continue;
    const button = asButton(label, box);
    if (!button.textContent.trim()) button.setAttribute("aria-label", nav?.getAttribute("aria-label") || "Menu");
    button.setAttribute("aria-expanded", box.checked);
    if (label === menu) menuButton = button;
    // What it opens; when it opens, focus goes to its first control; when it closes with focus
    // inside, back to the button that opened it.
    const panel = label === menu ? side : box.parentElement.querySelector(":scope > .md-nav");
    if (!panel || !button.matches('.md-header__button, .md-nav__link')) continue;
    box.addEventListener("change", () => {
      for (const b of d.querySelectorAll(`button[for="${box.id}"]`)) b.setAttribute("aria-expanded", box.checked);
      if (box.checked && d.activeElement === button) {
        [...panel.querySelectorAll("a[href], button, [tabindex='0']")].find((el) => el.checkVisibility())?.focus();
      } else if (!box.checked && panel.contains(d.activeElement)) button.focus();
    });
  }
  // Material's colour-scheme switch is a pair of radio buttons of no size, each followed by the
  // label showing the other scheme's icon: Tab lands on an invisible radio button named after
  // the scheme it is not. Each label becomes a button named by its title ("Schakel naar donkere
  // weergave"); the radio buttons leave the Tab order and the accessibility tree. Material still
  // shows the button after the checked one; focus stays on the switch.
  const palette = d.querySelector('[data-md-component="palette"]');
  for (const label of palette?.querySelectorAll("label[for]") ?? []) {
    const input = d.getElementById(label.htmlFor);
    if (!input) continue;
    const button = asButton(label, input);
    button.setAttribute("aria-label", label.title);
    button.addEventListener("keydown", (e) => e.key === "Enter" && e.stopPropagation()); // not Material's Enter too
    button.addEventListener("click", () => palette.querySelector("button:not([hidden])")?.focus()); // after the switch
  }
  for (const input of palette?.querySelectorAll("input") ?? []) { input.tabIndex = -1; input.setAttribute("aria-hidden", "true"); }
  side?.addEventListener("focusout", (e) => {
    if (drawer.checked && e.relatedTarget && !side.contains(e.relatedTarget) && e.relatedTarget !== menuButton) drawer.click();
  });
})();
