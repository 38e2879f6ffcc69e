/* Maestro cookie consent: first-party, vanilla, no dependencies, no build step.
 * Reads its settings from <script type="application/json" id="consent-config">, keeps one
 * record in localStorage, activates <script type="text/plain" data-consent-category> blocks
 * once their category is granted (Google Analytics is one: see analytics-google.js), deletes
 * a refused category's cookies, lists the granted categories in <html data-consent> and emits
 * "consent:change" on document. Any unexpected stored value counts as "no choice". */
(function () {
  "use strict";
  var d = document, w = window;
  var cfgEl = d.getElementById("consent-config"), root = d.getElementById("consent");
  if (!cfgEl || !root) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var views = root.querySelectorAll("[data-consent-view]");
  var boxes = root.querySelectorAll("input[data-consent-category]");
  var gpc = navigator.globalPrivacyControl === true;
  var memo = null; // the choice of this page view, for when storage is blocked
  var state = {}; // what is switched on now, per category
  var opener = null;

  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isMap(o) { return o !== null && typeof o === "object" && !Array.isArray(o); }
  function choices(on) {
    var c = {};
    cfg.categories.forEach(function (k) { c[k] = on; });
    return c;
  }

  // A stored record, checked field by field; null means "no valid choice".
  function parse(raw, now) {
    var r, t, c = {};
    if (typeof raw !== "string" || raw.length > 1000) return null;
    try { r = JSON.parse(raw); } catch (e) { return null; }
    if (!isMap(r) || r.schema !== cfg.schema || r.revision !== cfg.revision ||
        !isMap(r.categories) || typeof r.id !== "string" || !/^[0-9a-f]{32}$/.test(r.id) ||
        typeof r.timestamp !== "string" || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(r.timestamp)) return null;
    t = Date.parse(r.timestamp);
    if (!(t <= now && now - t < cfg.expiresDays * 864e5)) return null;
    for (var i = 0; i < cfg.categories.length; i++) {
      var k = cfg.categories[i];
      if (!own(r.categories, k) || typeof r.categories[k] !== "boolean") return null;
      c[k] = r.categories[k];
    }
    return { schema: r.schema, revision: r.revision, categories: c, timestamp: r.timestamp, id: r.id };
  }

  function read() {
    if (memo) return memo;
    try { return parse(localStorage.getItem(cfg.key), Date.now()); } catch (e) { return null; }
  }

  function write(c) {
    var old = read(), a = new Uint8Array(16);
    crypto.getRandomValues(a);
    memo = {
      schema: cfg.schema, revision: cfg.revision, categories: c, timestamp: new Date().toISOString(),
      id: old ? old.id : Array.prototype.map.call(a, function (b) { return (b | 256).toString(16).slice(1); }).join("")
    };
    try { localStorage.setItem(cfg.key, JSON.stringify(memo)); } catch (e) { /* kept for this page view */ }
    return memo;
  }

  // Run the blocked <script type="text/plain" data-consent-category="k"> elements, once.
  function activate(k) {
    d.querySelectorAll('script[type="text/plain"][data-consent-category="' + k + '"]').forEach(function (old) {
      var s = d.createElement("script");
      Array.prototype.forEach.call(old.attributes, function (a) {
        if (a.name !== "type" && a.name !== "data-src") s.setAttribute(a.name, a.value);
      });
      if (old.dataset.src) s.src = old.dataset.src; else s.text = old.text;
      old.replaceWith(s);
    });
  }

  // Delete a category's cookies on this host and every parent domain, for every path prefix.
  function forget(k) {
    var names = (cfg.cookies[k] || []).map(function (n) {
      return new RegExp("^" + n.replace(/\./g, "\\.").replace("*", ".*") + "$");
    });
    var host = location.hostname.split("."), paths = ["/"], p = "";
    location.pathname.split("/").slice(1).forEach(function (part) { p += "/" + part; paths.push(p, p + "/"); });
    d.cookie.split(";").forEach(function (pair) {
      var name = pair.split("=")[0].trim();
      if (!names.some(function (r) { return r.test(name); })) return;
      for (var i = 0; i <= host.length; i++) {
        var domain = i < host.length ? "; domain=." + host.slice(i).join(".") : "";
        paths.forEach(function (path) {
          d.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=" + path + domain;
        });
      }
    });
  }

  // Switch categories on or off; tell other scripts unless nobody has chosen yet.
  function apply(c, quiet) {
    cfg.categories.forEach(function (k) { state[k] = c[k] === true; });
    d.documentElement.setAttribute("data-consent", cfg.categories.filter(function (k) { return state[k]; }).join(" "));
    cfg.categories.forEach(function (k) { if (state[k]) activate(k); else forget(k); });
    if (!quiet) d.dispatchEvent(new CustomEvent("consent:change", { detail: { categories: Object.assign({}, state) } }));
  }

  function show(view) {
    root.hidden = !view;
    views.forEach(function (v) { v.hidden = v.getAttribute("data-consent-view") !== view; });
  }

  function openPreferences(from) {
    var rec = read(), c = rec ? rec.categories : choices(false);
    opener = from;
    boxes.forEach(function (b) { b.checked = c[b.getAttribute("data-consent-category")] === true; });
    if (rec) root.querySelector("[data-consent-id]").textContent = rec.id;
    root.querySelector("[data-consent-gpc]").hidden = !(gpc && !rec);
    show("preferences");
    root.querySelector("#consent-preferences-title").focus();
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

  d.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-consent-action]");
    if (!el) return;
    var action = el.getAttribute("data-consent-action"), c = {};
    if (action === "accept-all") choose(choices(true));
    else if (action === "reject-all") choose(choices(false));
    else if (action === "preferences") openPreferences(null);
    else if (action === "open") { e.preventDefault(); openPreferences(el); }
    else if (action === "save") {
      boxes.forEach(function (b) { c[b.getAttribute("data-consent-category")] = b.checked; });
      choose(c);
    }
  });

  root.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || root.hidden) return;
    if (read() || gpc) close(); else { opener = null; show("banner"); }
  });

  var rec = read();
  if (rec) apply(rec.categories);
  else if (gpc) apply(choices(false));
  else { apply(choices(false), true); show("banner"); }
})();
