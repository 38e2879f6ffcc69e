// The consent cases in Firefox (Debian's firefox-esr) over WebDriver BiDi, driven by puppeteer-core.
// Usage: node tests/firefox/consent.mjs BASE_URL   (BASE_URL: the built site on http://127.0.0.1:PORT)
// Prints one JSON object: {firefox, cases: {name: {ok, error?}}}; tests/browser/test_firefox.py
// runs it and reports each case. Every non-local request is answered locally or aborted.
import puppeteer from "puppeteer-core";

const BASE = process.argv[2].replace(/\/$/, "");
const PORT = new URL(BASE).port;
const PARENT = `http://www.maestro.test:${PORT}`; // a real parent domain (maestro.test) for cookies
const GTAG = "https://www.googletagmanager.com/gtag/js";
const STUB = "window.__gtagStubLoaded = (window.__gtagStubLoaded || 0) + 1;";
const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
const PREFS = {
  "network.dns.localDomains": "www.maestro.test", // www.maestro.test -> this machine
  "network.proxy.type": 0,
  "app.update.enabled": false,
  "browser.safebrowsing.downloads.remote.enabled": false,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function check(condition, message) {
  if (!condition) throw new Error(message);
}

// One visitor: a fresh browser context and page, nothing leaving the machine.
async function visitor(browser) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const v = { context, page, external: [], gtag: [], errors: [] };
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith(BASE) || url.startsWith(PARENT) || url.startsWith("data:")) return request.continue();
    v.external.push(url);
    if (url.startsWith(GTAG)) {
      v.gtag.push(url);
      return request.respond({ status: 200, contentType: "text/javascript", body: STUB });
    }
    return request.abort();
  });
  page.on("console", (m) => {
    if (m.type() === "error") v.errors.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    const message = String(e.message || e);
    // Served at another origin than site_url, Material's sitemap fetch breaks the CSP (issue 12,
    // fixed outside the banner): not what these cases are about. Everything else counts.
    if (!(page.url().startsWith(PARENT) && /Content-Security-Policy.*sitemap\.xml/.test(message))) {
      v.errors.push(`page error: ${message}`);
    }
  });
  v.goto = async (path, origin = BASE) => {
    await page.goto(origin + path, { waitUntil: "load" });
    await sleep(150);
  };
  v.eval = (fn, ...args) => page.evaluate(fn, ...args);
  return v;
}

const bannerShown = (v) =>
  v.eval(() => {
    const root = document.getElementById("consent"), accept = document.querySelector('[data-consent-action="accept-all"]');
    return !!root && !root.hidden && accept.getBoundingClientRect().height > 0;
  });
const stored = (v) => v.eval(() => JSON.parse(localStorage.getItem("maestro-consent") || "null"));
const focused = (v) =>
  v.eval(() => {
    const el = document.activeElement;
    return el.dataset.consentAction || (el.matches("main h1") ? "main h1" : el.tagName.toLowerCase());
  });
const waitForGtag = (v) => v.page.waitForFunction(() => window.__gtagStubLoaded === 1, { timeout: 5000 });

const CASES = {
  async "fresh visit shows the banner and loads nothing"(v) {
    await v.goto("/");
    await sleep(300);
    check(await bannerShown(v), "banner not shown");
    check((await v.eval(() => document.cookie)) === "", "a cookie was set");
    check((await v.eval(() => localStorage.length + sessionStorage.length)) === 0, "storage was written");
    check((await v.eval(() => typeof window.dataLayer)) === "undefined", "dataLayer exists");
    check(v.external.length === 0, `requests to other origins: ${v.external}`);
  },

  async "reject stores the refusal, closes, loads nothing later"(v) {
    await v.goto("/");
    await v.page.click('[data-consent-action="reject-all"]');
    check(!(await bannerShown(v)), "banner still shown");
    check(JSON.stringify((await stored(v)).categories) === '{"analytics":false}', "refusal not stored");
    await v.goto("/cookies/");
    check(!(await bannerShown(v)), "banner shown again on the next page");
    check(v.external.length === 0, `requests to other origins: ${v.external}`);
  },

  async "accept loads analytics without reload"(v) {
    await v.goto("/");
    await v.eval(() => { window.__samePageView = true; });
    await v.page.click('[data-consent-action="accept-all"]');
    await waitForGtag(v);
    check((await v.eval(() => window.__samePageView)) === true, "the page reloaded");
    check(v.gtag.length === 1 && v.gtag[0].startsWith(`${GTAG}?id=`), `gtag requests: ${v.gtag}`);
    check(!(await bannerShown(v)), "banner still shown");
  },

  async "focus lands on the main heading after accept or reject, with a confirmation"(v) {
    for (const action of ["accept-all", "reject-all"]) {
      await v.goto("/");
      await v.eval(() => localStorage.clear());
      await v.goto("/");
      await v.page.focus(`[data-consent-action="${action}"]`);
      await v.page.keyboard.press("Enter");
      check((await focused(v)) === "main h1", `focus after ${action}: ${await focused(v)}`);
      const said = await v.eval(() => document.getElementById("consent-status").textContent);
      check(said.length > 10, `no confirmation after ${action}`);
    }
  },

  async "Escape from the preferences returns to the first layer's Settings button"(v) {
    await v.goto("/");
    await v.page.focus('[data-consent-action="preferences"]');
    await v.page.keyboard.press("Enter");
    check((await focused(v)) === "h2", "focus not on the preferences title");
    await v.page.keyboard.press("Escape");
    check(await bannerShown(v), "first layer not shown again");
    check((await focused(v)) === "preferences", `focus after Escape: ${await focused(v)}`);
  },

  async "save in the preferences returns focus to the footer control"(v) {
    await v.goto("/");
    await v.page.click('[data-consent-action="reject-all"]');
    await v.page.focus('[data-consent-action="open"]');
    await v.page.keyboard.press("Enter");
    await v.page.click('input[data-consent-category="analytics"]');
    await v.page.focus('[data-consent-action="save"]');
    await v.page.keyboard.press("Enter");
    await waitForGtag(v);
    check((await focused(v)) === "open", `focus after save: ${await focused(v)}`);
  },

  async "withdrawal deletes the analytics cookies on every domain and path without errors"(v) {
    await v.goto("/", PARENT);
    await v.page.click('[data-consent-action="accept-all"]');
    await waitForGtag(v);
    await v.eval(() => {
      document.cookie = "_ga=GA1.1.1; domain=.maestro.test; path=/";
      document.cookie = "_ga_ABC123=GS1.1; domain=.www.maestro.test; path=/";
      document.cookie = "_ga_XYZ9=GS1.2; path=/cookies/";
      document.cookie = "keep=1; domain=.maestro.test; path=/";
    });
    await v.goto("/cookies/", PARENT);
    await waitForGtag(v);
    const names = async () => (await v.eval(() => document.cookie)).split("; ").map((c) => c.split("=")[0]).sort();
    check(JSON.stringify(await names()) === '["_ga","_ga_ABC123","_ga_XYZ9","keep"]', `cookies: ${await names()}`);
    await v.page.click('[data-consent-action="open"]');
    await v.page.click('input[data-consent-category="analytics"]');
    await v.page.click('[data-consent-action="save"]');
    check(JSON.stringify(await names()) === '["keep"]', `cookies after withdrawal: ${await names()}`);
    check(JSON.stringify((await stored(v)).categories) === '{"analytics":false}', "withdrawal not stored");
  },

  async "withdrawal on an IP address deletes cookies without errors"(v) {
    await v.goto("/");
    await v.page.click('[data-consent-action="accept-all"]');
    await waitForGtag(v);
    await v.eval(() => { document.cookie = "_ga=GA1.1.1; path=/"; });
    await v.page.click('[data-consent-action="open"]');
    await v.page.click('input[data-consent-category="analytics"]');
    await v.page.click('[data-consent-action="save"]');
    check((await v.eval(() => document.cookie)) === "", "cookie left");
  },
};

// GPC needs its own browser: Firefox sends the signal by preference.
const GPC_CASE = {
  async "Global Privacy Control refuses without a banner and allows an explicit opt-in"(v) {
    await v.goto("/");
    check((await v.eval(() => navigator.globalPrivacyControl)) === true, "Firefox sends no GPC signal");
    check(!(await bannerShown(v)), "banner shown despite GPC");
    await v.page.click('[data-consent-action="open"]');
    check(await v.eval(() => !document.querySelector("[data-consent-gpc]").hidden), "no GPC note");
    check(v.gtag.length === 0, "analytics loaded");
    await v.page.click('input[data-consent-category="analytics"]');
    await v.page.click('[data-consent-action="save"]');
    await waitForGtag(v);
  },
};

async function run(cases, prefs) {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: { ...PREFS, ...prefs },
  });
  const results = {};
  try {
    for (const [name, fn] of Object.entries(cases)) {
      const v = await visitor(browser);
      try {
        await fn(v);
        check(v.errors.length === 0, `console: ${v.errors.join(" | ")}`);
        results[name] = { ok: true };
      } catch (e) {
        results[name] = { ok: false, error: String(e.message || e) };
      } finally {
        await v.context.close();
      }
    }
    return { version: await browser.version(), results };
  } finally {
    await browser.close();
  }
}

const main = await run(CASES, {});
const gpc = await run(GPC_CASE, {
  "privacy.globalprivacycontrol.enabled": true,
  "privacy.globalprivacycontrol.functionality.enabled": true,
});
console.log(JSON.stringify({ firefox: main.version, cases: { ...main.results, ...gpc.results } }));
