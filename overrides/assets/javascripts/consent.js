/* Maestro cookie consent: vanilla, no dependencies, no build step. Contract: README,
 * "Public contract of the banner". Any unexpected stored value counts as "no choice". */
(() => {
  "use strict";
  const d = document, cfgEl = d.getElementById("consent-config"), root = d.getElementById("consent");
  if (!cfgEl || !root) return;
  const cfg = JSON.parse(cfgEl.textContent);
  const boxes = root.querySelectorAll("input[data-consent-category]");
  const gpc = navigator.globalPrivacyControl === true;
  const state = {}; // what is switched on now, per category
  let memo = null; // this page view's choice, for when storage is blocked
  let opener = null;

  const isMap = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
  const all = (on) => Object.fromEntries(cfg.categories.map((k) => [k, on]));

  // A stored record, checked field by field; null means "no valid choice".
  function parse(raw, now) {
    let r;
    if (typeof raw !== "string" || raw.length > 1000) return null;
    try { r = JSON.parse(raw); } catch (e) { return null; }
    if (!isMap(r) || r.schema !== cfg.schema || r.revision !== cfg.revision || !isMap(r.categories) ||
        typeof r.id !== "string" || !/^[0-9a-f]{32}$/.test(r.id) ||
        typeof r.timestamp !== "string" || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(r.timestamp)) return null;
    const t = Date.parse(r.timestamp);
    if (!(t <= now && now - t < cfg.expiresDays * 864e5)) return null;
    const c = {};
    for (const k of cfg.categories) {
      if (!Object.hasOwn(r.categories, k) || typeof r.categories[k] !== "boolean") return null;
      c[k] = r.categories[k];
    }
    return { schema: r.schema, revision: r.revision, categories: c, timestamp: r.timestamp, id: r.id };
  }

  function read() {
    if (memo) return memo;
    try { return parse(localStorage.getItem(cfg.key), Date.now()); } catch (e) { return null; }
  }

  function write(categories) {
    const old = read(), id = crypto.getRandomValues(new Uint8Array(16));
    memo = {
      schema: cfg.schema, revision: cfg.revision, categories, timestamp: new Date().toISOString(),
      id: old ? old.id : Array.from(id, (b) => (b | 256).toString(16).slice(1)).join("")
    };
    try { localStorage.setItem(cfg.key, JSON.stringify(memo)); } catch (e) { /* kept for this page view */ }
    return memo;
  }

  // Run the blocked <script type="text/plain" data-consent-category="k"> elements, once.
  function activate(k) {
    for (const old of d.querySelectorAll(`script[type="text/plain"][data-consent-category="${k}"]`)) {
      const s = d.createElement("script");
      for (const a of old.attributes) if (a.name !== "type" && a.name !== "data-src") s.setAttribute(a.name, a.value);
      if (old.dataset.src) s.src = old.dataset.src; else s.text = old.text;
      old.replaceWith(s);
    }
  }

  // Delete a category's cookies on this host and every parent domain, for every path prefix.
  function forget(k) {
    const names = (cfg.cookies[k] || []).map((n) => new RegExp("^" + n.replace(/\./g, "\\.").replace("*", ".*") + "$"));
    const host = location.hostname.split("."), paths = ["/"];
    let p = "";
    for (const part of location.pathname.split("/").slice(1)) { p += "/" + part; paths.push(p, p + "/"); }
    for (const pair of d.cookie.split(";")) {
      const name = pair.split("=")[0].trim();
      if (!names.some((r) => r.test(name))) continue;
      for (let i = 0; i <= host.length; i++) {
        const domain = i < host.length ? "; domain=." + host.slice(i).join(".") : "";
        for (const path of paths) d.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=${path}${domain}`;
      }
    }
  }

  // Switch categories on or off; tell other scripts unless nobody has chosen yet.
  function apply(c, quiet) {
    for (const k of cfg.categories) state[k] = c[k] === true;
    d.documentElement.setAttribute("data-consent", cfg.categories.filter((k) => state[k]).join(" "));
    for (const k of cfg.categories) state[k] ? activate(k) : forget(k);
    if (!quiet) d.dispatchEvent(new CustomEvent("consent:change", { detail: { categories: { ...state } } }));
  }

  function show(view) {
    root.hidden = !view;
    for (const v of root.querySelectorAll("[data-consent-view]")) v.hidden = v.dataset.consentView !== view;
  }

  function openPreferences(from) {
    const rec = read(), c = rec ? rec.categories : all(false);
    opener = from;
    for (const b of boxes) b.checked = c[b.dataset.consentCategory] === true;
    if (rec) root.querySelector("[data-consent-id]").textContent = rec.id;
    root.querySelector("[data-consent-gpc]").hidden = !(gpc && !rec);
    show("preferences");
    d.getElementById("consent-preferences-title").focus();
  }

  function close() {
    show(null);
    if (opener) opener.focus();
    opener = null;
  }

  function choose(c) {
    apply(write(c).categories);
    close();
  }

  d.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-consent-action]");
    const action = el && el.dataset.consentAction;
    if (action === "accept-all") choose(all(true));
    else if (action === "reject-all") choose(all(false));
    else if (action === "preferences") openPreferences(null);
    else if (action === "open") { e.preventDefault(); openPreferences(el); }
    else if (action === "save") choose(Object.fromEntries(Array.from(boxes, (b) => [b.dataset.consentCategory, b.checked])));
  });

  root.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || root.hidden) return;
    if (read() || gpc) close(); else { opener = null; show("banner"); }
  });

  const rec = read();
  if (rec) apply(rec.categories);
  else if (gpc) apply(all(false));
  else { apply(all(false), true); show("banner"); }
})();
