/* The privacy kit's cookie consent. It shows the banner and the preferences that
   partials/consent.html renders, keeps the visitor's choice as one record in localStorage, lets
   the gated scripts of a granted category run, deletes the cookies of a category that is not
   granted, follows a choice made in another tab, and tells every change with the event
   consent:change (README, "Public contract of the banner"). This is the readable source: sites
   ship it with comments and white space removed (privacy_kit/assets.py). */
(() => {
  "use strict";

  // ---- What no element can stand in for -----------------------------------------------------
  // An element with a name stands in for the property of document of that name (the HTML
  // standard's named access: <img name="cookie"> hides document.cookie), and an editor can write
  // one. For most of what this script uses, that would only keep it from working (from finding
  // the page's gated scripts, say), and so let nothing run. The two it must never miss, reading
  // and deleting cookies and telling a withdrawal, are taken from the prototypes, where no element
  // can take their place.
  const cookieJar = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  const tell = EventTarget.prototype.dispatchEvent.bind(document);
  const html = document.documentElement;

  // ---- The kit's controls ------------------------------------------------------------------------
  // Consent is given or withdrawn only through the controls the kit rendered, each found here
  // once and given its own listener. An editor's element with data-consent-action (a link, a
  // <div> wrapped around the page, a navigation entry) is none of them, and does nothing.
  // - The banner and the preferences: partials/consent.html is the first thing in <body> (the
  //   header block), before anything a page's content can put there, so the first element with
  //   each of its ids is the kit's; an element further down with the same id changes nothing.
  const byId = (id) => document.getElementById(id);
  const root = byId("consent"); // rendered with its configuration and its status line
  if (!root) return;
  const config = JSON.parse(byId("consent-config").textContent), categories = config.categories;
  const status = byId("consent-status");
  const preferences = root.querySelector('[data-consent-view="preferences"]');
  const preferencesTitle = preferences.firstElementChild;
  const scrollingText = root.querySelector("[data-consent-scroll]");
  const boxes = root.querySelectorAll("input[data-consent-category]");
  // - The "Cookie settings" link of the footer (partials/copyright.html): the footer follows all
  //   of a page's content, so the kit's link is the last of its kind in the page.
  const footerLinks = html.querySelectorAll('.md-copyright>a[data-consent-action="open"]');
  const footerLink = footerLinks[footerLinks.length - 1];
  const gpc = navigator.globalPrivacyControl === true;

  // ---- The stored record ---------------------------------------------------------------------
  // One localStorage entry (config.key): {schema, revision, categories, timestamp, id}. Anything
  // else found there (another revision, expired, a future timestamp, wrong types, other formats)
  // counts as no choice. Where storage is blocked, a choice holds for this page view only.
  const isPlainObject = (value) => value?.constructor === Object; // parsed JSON: not an array, not null
  const everyCategory = (granted) => Object.fromEntries(categories.map((category) => [category, granted]));
  const choiceOf = (record) => (record ? record.categories : everyCategory(false)); // no record: nothing granted
  let unsaved = null; // the choice made here when storage refused to keep it

  function parseRecord(raw, now) {
    let record;
    if (typeof raw !== "string" || raw.length > 1000) return null;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      return null;
    }
    if (
      !isPlainObject(record) ||
      record.schema !== config.schema ||
      record.revision !== config.revision ||
      !isPlainObject(record.categories) ||
      typeof record.id !== "string" ||
      !/^[0-9a-f]{32}$/.test(record.id) ||
      typeof record.timestamp !== "string" ||
      !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(record.timestamp)
    )
      return null;
    const made = Date.parse(record.timestamp), choice = {};
    if (!(made <= now && now - made < config.expiresDays * 864e5)) return null;
    for (const category of categories) {
      // (an inherited property, as with "__proto__" or "constructor", is never a boolean)
      if (typeof record.categories[category] !== "boolean") return null;
      choice[category] = record.categories[category];
    }
    return { ...record, categories: choice };
  }

  function readRecord() {
    try {
      return unsaved || parseRecord(localStorage.getItem(config.key), Date.now());
    } catch (error) {
      return unsaved;
    }
  }

  function saveRecord(choice) {
    const previous = readRecord(), random = crypto.getRandomValues(new Uint8Array(16));
    const record = {
      schema: config.schema,
      revision: config.revision,
      categories: choice,
      timestamp: new Date().toISOString(),
      // The visitor's consent ID (shown in the preferences, so it can be quoted): random, and
      // kept from one choice to the next.
      id: previous ? previous.id : Array.from(random, (byte) => byte.toString(16).padStart(2, "0")).join(""),
    };
    try {
      localStorage.setItem(config.key, JSON.stringify(record));
      unsaved = null;
    } catch (error) {
      unsaved = record;
    }
    return record;
  }

  // ---- Cookies ---------------------------------------------------------------------------------
  // A cookie is deleted only by writing it again, expired, with the path and the domain it was
  // set with, and a page can read neither back (document.cookie gives names and values). So each
  // declared cookie present (config.cookies: names, or prefixes ending in "*") is deleted with
  // every path that reaches this page: "/" and each prefix of its path, with and without the
  // trailing slash (/en, /en/, /en/cookies, /en/cookies/). First without a domain (a host-only
  // cookie), then with domain= this host and each parent domain in turn (www.example.org, then
  // example.org), as long as any of them is left: so the registrable domain is the highest one
  // tried once deletion works. Never domain= a top-level domain ("org", where no cookie can be
  // set), nor on an IP address, which has no parent domains.
  function deleteCookies(category) {
    const patterns = config.cookies[category] || [];
    const declared = (name) =>
      patterns.some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
    const present = () =>
      cookieJar.get
        .call(document)
        .split(";")
        .map((cookie) => cookie.split("=")[0].trim())
        .filter(declared);
    const paths = ["/"];
    let path = "";
    for (const segment of location.pathname.split("/").filter(Boolean)) {
      path += "/" + segment;
      paths.push(path, path + "/");
    }
    const host = location.hostname, labels = host.split("."), domains = [""];
    // Not on an IP address (v4, or v6 with its colons); never the top-level domain alone.
    if (!/^[\d.]+$|:/.test(host)) for (let i = 0; i < labels.length - 1; i++) domains.push(";domain=." + labels.slice(i).join("."));
    for (const domain of domains) {
      const left = present();
      if (!left.length) break;
      for (const name of left) for (const path of paths) cookieJar.set.call(document, `${name}=;max-age=0;path=${path}${domain}`);
    }
  }

  // ---- Gated scripts -------------------------------------------------------------------------
  // <script type="text/plain" data-consent-category="…"> (inline, or empty with data-src) runs
  // once its category is granted: it is replaced by a real script with its other attributes.
  function runScripts(category) {
    for (const waiting of html.querySelectorAll(`script[type="text/plain"][data-consent-category="${category}"]`)) {
      const script = document.createElement("script");
      for (const { name, value } of waiting.attributes) if (name !== "type" && name !== "data-src") script.setAttribute(name, value);
      if (waiting.dataset.src) script.src = waiting.dataset.src;
      else script.text = waiting.text;
      waiting.replaceWith(script);
    }
  }

  // ---- Applying a choice -----------------------------------------------------------------------
  const granted = everyCategory(false); // what this page has applied

  function apply(choice, quiet) {
    for (const category of categories) granted[category] = choice[category] === true;
    html.setAttribute("data-consent", categories.filter((category) => granted[category]).join(" "));
    for (const category of categories) granted[category] ? runScripts(category) : deleteCookies(category);
    if (!quiet) tell(new CustomEvent("consent:change", { detail: { categories: { ...granted } } }));
  }

  // ---- The dialog ------------------------------------------------------------------------------
  // One section (#consent) with two views: the first layer ("banner") and the preferences.
  let opener = null; // the footer link that opened the preferences, if it did

  // Shows one view, or none (null). The section is named by the title of the view it shows.
  function show(view) {
    root.hidden = !view;
    root.setAttribute("aria-labelledby", view === "preferences" ? preferencesTitle.id : "consent-title");
    for (const part of root.querySelectorAll("[data-consent-view]")) part.hidden = part.dataset.consentView !== view;
    fitText();
  }

  // The first layer's text alone scrolls on a small screen (the buttons stay in view); while it
  // overflows it is a tab stop, so that Tab and the arrow keys reach it.
  function fitText() {
    scrollingText.tabIndex = scrollingText.scrollHeight > scrollingText.clientHeight ? 0 : -1;
  }

  function openPreferences(from) {
    const record = readRecord();
    opener = from;
    status.textContent = "";
    for (const box of boxes) box.checked = choiceOf(record)[box.dataset.consentCategory];
    if (record) root.querySelector("[data-consent-id]").textContent = record.id;
    root.querySelector("[data-consent-gpc]").hidden = !(gpc && !record);
    show("preferences");
    preferencesTitle.focus();
  }

  // Focus after a choice: to `focusTarget` (an embed's frame), else back to the footer link that
  // opened the preferences, else to the page's main heading (<main> h1, without scrolling), where
  // reading goes on. Then the status line (role=status, outside the section, which is hidden now)
  // says that the choice was saved.
  function close(saved, focusTarget) {
    const target = focusTarget || opener || html.querySelector("main h1");
    if (target && !opener && !focusTarget) target.tabIndex = -1;
    show((opener = null));
    if (target) target.focus({ preventScroll: true });
    if (saved) status.textContent = status.dataset.text;
  }

  function choose(choice, focusTarget) {
    apply(saveRecord(choice).categories);
    close(true, focusTarget);
  }

  // ---- Following a choice made elsewhere ---------------------------------------------------------
  // Every open page of the site follows the stored choice: a choice made in another tab arrives
  // as a storage event, and a page restored from the back/forward cache reads the record again
  // as it is shown (pageshow), before anything of it runs on. Either only reads: when nothing
  // changed for this page, nothing happens.
  function follow() {
    const record = readRecord(), choice = choiceOf(record);
    if (categories.some((category) => granted[category] !== choice[category])) apply(choice);
    if (record && preferences.hidden) show(null); // the banner, if it was shown, is answered
  }

  // ---- Wiring ---------------------------------------------------------------------------------
  // Each of the kit's controls gets its own listener; see "The kit's controls" above.
  const button = (action) => root.querySelector(`button[data-consent-action="${action}"]`);
  const onClick = (control, handler) => control.addEventListener("click", handler);
  onClick(button("accept-all"), () => choose(everyCategory(true)));
  onClick(button("reject-all"), () => choose(everyCategory(false)));
  onClick(button("preferences"), () => openPreferences(null));
  onClick(button("save"), () => choose(Object.fromEntries(Array.from(boxes, (box) => [box.dataset.consentCategory, box.checked]))));
  if (footerLink) {
    // A link to the cookie page without JavaScript; here a button that opens the preferences.
    footerLink.setAttribute("role", "button");
    onClick(footerLink, (event) => {
      event.preventDefault();
      openPreferences(footerLink);
    });
    footerLink.addEventListener("keydown", (event) => {
      if (event.key !== " ") return;
      event.preventDefault();
      footerLink.click();
    });
  }
  // The embeds' placeholders (consent/embeds.py): each button grants the category of the gated
  // frame in its own figure, and only that (the others stay as they were, or refused); focus
  // then goes to the frame. Left alone: a button whose frame would load from this site (an embed
  // is of another origin, one its category declares), and one inside a <label> (a click anywhere
  // on the label would click it).
  for (const grant of html.querySelectorAll('figure>.consent-placeholder button[data-consent-action="grant"]')) {
    const figure = grant.closest("figure"), frame = figure.firstElementChild, category = frame.dataset.consentCategory;
    const embedded = frame.matches("iframe[data-src]") && new URL(frame.dataset.src, location).origin !== location.origin;
    if (embedded && categories.includes(category) && !grant.closest("label"))
      onClick(grant, () => choose({ ...choiceOf(readRecord()), [category]: true }, figure.firstElementChild));
  }
  // Escape in the preferences: closes them once a choice exists (or Global Privacy Control made
  // one), else goes back to the first layer, with focus on its button that opened them.
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || preferences.hidden) return;
    if (readRecord() || gpc) return close();
    show("banner");
    button("preferences").focus();
  });
  addEventListener("resize", fitText);
  addEventListener("storage", follow); // another tab changed (or cleared) the storage
  addEventListener("pageshow", follow); // the page is shown: also when restored from the cache

  // ---- Start ---------------------------------------------------------------------------------
  // A stored choice applies (and is told); without one, Global Privacy Control counts as a refusal
  // without a banner (an explicit choice in the preferences still wins); else the banner asks.
  const record = readRecord();
  if (record) apply(record.categories);
  else if (gpc) apply(everyCategory(false));
  else {
    apply(everyCategory(false), true);
    show("banner");
  }
})();
