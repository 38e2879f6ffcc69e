/* The privacy kit's cookie consent. How it works: partials/consent.html of this theme; contract: README. */
(() => {
  "use strict";
  const d = document, $ = (s) => d.querySelector(s), cfgEl = $("#consent-config"), root = $("#consent");
  if (!cfgEl || !root) return;
  const cfg = JSON.parse(cfgEl.textContent), cats = cfg.categories, status = $("#consent-status");
  const text = $("[data-consent-scroll]"), prefs = $('[data-consent-view="preferences"]'), title = prefs.firstElementChild;
  const boxes = root.querySelectorAll("input[data-consent-category]");
  const gpc = navigator.globalPrivacyControl === true;
  const state = {};
  let memo = null, opener = null;

  const isMap = (o) => o?.constructor === Object; // a plain JSON object, not an array or null
  const all = (on) => Object.fromEntries(cats.map((k) => [k, on]));

  function parse(raw, now) {
    let r;
    if (typeof raw !== "string" || raw.length > 1000) return null;
    try { r = JSON.parse(raw); } catch (e) { return null; }
    if (!isMap(r) || r.schema !== cfg.schema || r.revision !== cfg.revision || !isMap(r.categories) ||
        typeof r.id !== "string" || !/^[0-9a-f]{32}$/.test(r.id) ||
        typeof r.timestamp !== "string" || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(r.timestamp)) return null;
    const t = Date.parse(r.timestamp), c = {};
    if (!(t <= now && now - t < cfg.expiresDays * 864e5)) return null;
    for (const k of cats) {
      if (!Object.hasOwn(r.categories, k) || typeof r.categories[k] !== "boolean") return null;
      c[k] = r.categories[k];
    }
    return { ...r, categories: c };
  }

  function read() {
    try { return memo || parse(localStorage.getItem(cfg.key), Date.now()); } catch (e) { return null; }
  }

  function write(categories) {
    const old = read(), id = crypto.getRandomValues(new Uint8Array(16));
    memo = {
      schema: cfg.schema, revision: cfg.revision, categories, timestamp: new Date().toISOString(),
      id: old ? old.id : Array.from(id, (b) => (b | 256).toString(16).slice(1)).join("")
    };
    try { localStorage.setItem(cfg.key, JSON.stringify(memo)); } catch (e) {}
    return memo;
  }

  function activate(k) {
    for (const old of d.querySelectorAll(`script[type="text/plain"][data-consent-category="${k}"]`)) {
      const s = d.createElement("script");
      for (const a of old.attributes) if (!/^(type|data-src)$/.test(a.name)) s.setAttribute(a.name, a.value);
      if (old.dataset.src) s.src = old.dataset.src; else s.text = old.text;
      old.replaceWith(s);
    }
  }

  function forget(k) {
    const hit = (n) => (cfg.cookies[k] || []).some((c) => (c.endsWith("*") ? n.startsWith(c.slice(0, -1)) : n === c));
    const host = location.hostname, labels = host.split("."), paths = ["/"], domains = [""];
    let p = "";
    for (const part of location.pathname.split("/").filter(Boolean)) { p += "/" + part; paths.push(p, p + "/"); }
    if (!/^[\d.]+$|:/.test(host)) for (let i = 0; i < labels.length - 1; i++) domains.push(";domain=." + labels.slice(i).join("."));
    for (const domain of domains) {
      const left = d.cookie.split(";").map((c) => c.split("=")[0].trim()).filter(hit);
      if (!left.length) break;
      for (const name of left) for (const path of paths) d.cookie = `${name}=;max-age=0;path=${path}${domain}`;
    }
  }

  function apply(c, quiet) {
    for (const k of cats) state[k] = c[k] === true;
    d.documentElement.setAttribute("data-consent", cats.filter((k) => state[k]).join(" "));
    for (const k of cats) state[k] ? activate(k) : forget(k);
    if (!quiet) d.dispatchEvent(new CustomEvent("consent:change", { detail: { categories: { ...state } } }));
  }

  function show(view) {
    root.hidden = !view;
    root.setAttribute("aria-labelledby", view === "preferences" ? title.id : "consent-title");
    for (const v of root.querySelectorAll("[data-consent-view]")) v.hidden = v.dataset.consentView !== view;
    fit();
  }

  function fit() { text.tabIndex = text.scrollHeight > text.clientHeight ? 0 : -1; }

  function openPreferences(from) {
    const rec = read(), c = rec ? rec.categories : all(false);
    opener = from;
    status.textContent = "";
    for (const b of boxes) b.checked = c[b.dataset.consentCategory] === true;
    if (rec) $("[data-consent-id]").textContent = rec.id;
    $("[data-consent-gpc]").hidden = !(gpc && !rec);
    show("preferences");
    title.focus();
  }

  function close(saved, at) {
    const to = at || opener || $("main h1");
    if (to && !opener && !at) to.tabIndex = -1;
    show((opener = null));
    if (to) to.focus({ preventScroll: true });
    if (saved) status.textContent = status.dataset.text;
  }

  function choose(c, at) {
    apply(write(c).categories);
    close(1, at);
  }

  d.addEventListener("click", (e) => {
    const el = e.target.closest?.("[data-consent-action]"), action = el?.dataset.consentAction;
    if (action === "accept-all") choose(all(true));
    else if (action === "reject-all") choose(all(false));
    else if (action === "preferences") openPreferences(null);
    else if (action === "open") { e.preventDefault(); openPreferences(el); }
    else if (action === "save") choose(Object.fromEntries(Array.from(boxes, (b) => [b.dataset.consentCategory, b.checked])));
    else if (action === "grant") { // a placeholder's button: consent to its category; focus goes to what it loaded
      const rec = read(), k = el.dataset.consentCategory;
      choose({ ...(rec ? rec.categories : all(false)), [k]: true }, el.closest("figure").querySelector("iframe"));
    }
  });

  for (const a of d.querySelectorAll('[data-consent-action="open"]')) a.setAttribute("role", "button");
  d.addEventListener("keydown", (e) => {
    if (e.key === " " && e.target.matches?.('a[data-consent-action="open"]')) { e.preventDefault(); e.target.click(); }
  });

  root.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || prefs.hidden) return;
    if (read() || gpc) return close();
    show("banner");
    $('[data-consent-action="preferences"]').focus();
  });
  addEventListener("resize", fit);

  const rec = read();
  if (rec) apply(rec.categories);
  else if (gpc) apply(all(false));
  else { apply(all(false), true); show("banner"); }
})();
