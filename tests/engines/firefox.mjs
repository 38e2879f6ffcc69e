// The consent cases of cases.json in Firefox (Debian's firefox-esr) over WebDriver BiDi, driven by
// puppeteer-core. Usage: node tests/engines/firefox.mjs BASE_URL   (the built site on http://127.0.0.1:PORT)
// Prints one JSON object: {engine, cases: {name: {ok, error?}}}, in the order of cases.json;
// tests/browser/test_engines.py runs it and reports each case. Every request off the site is
// answered locally (Google's gtag.js, by a stub) or aborted, so nothing leaves the machine.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import puppeteer from "puppeteer-core";

const { cases: CASES, "stand-ins": STAND_INS, "in-flight": IN_FLIGHT, "wait-seconds": WAIT_S } = JSON.parse(readFileSync(new URL("cases.json", import.meta.url), "utf8"));
const PROBES = readFileSync(new URL("probes.js", import.meta.url), "utf8");
const BASE = new URL(process.argv[2]);
const GTAG = "https://www.googletagmanager.com/gtag/js?id=";
const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
const PREFS = {
  "network.dns.localDomains": "www.maestro.test", // www.maestro.test -> this machine
  "network.proxy.type": 0,
  "app.update.enabled": false,
  "browser.safebrowsing.downloads.remote.enabled": false,
};
// What each "needs" of a case takes in Firefox: more preferences, so another browser.
const NEEDS = {
  gpc: {
    "privacy.globalprivacycontrol.enabled": true,
    "privacy.globalprivacycontrol.functionality.enabled": true,
  },
};

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const json = (value) => JSON.stringify(value);
const onSite = (url) => {
  const { hostname, port } = new URL(url);
  return port === BASE.port && (hostname === BASE.hostname || hostname === "www.maestro.test");
};

// One visitor: a fresh browser context (one profile) and its first tab, with every request off
// the site recorded; `standIn` answers gtag.js (cases.json, "stand-ins").
async function visitor(browser, standIn) {
  const context = await browser.createBrowserContext();
  const v = { context, tabs: [], offsite: [], errors: [], standIn };
  v.page = await newTab(v);
  return v;
}

// Another tab of the visitor: every request it sends off the site is recorded and answered.
async function newTab(v) {
  const page = await v.context.newPage();
  v.tabs.push(page);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    const local = url.startsWith("data:") || onSite(url);
    if (!local) v.offsite.push(url);
    const answered = local
      ? request.continue()
      : url.startsWith(GTAG)
        ? request.respond({ status: 200, contentType: "text/javascript", body: v.standIn })
        : request.abort();
    // A request the page has given up meanwhile (it went on to the next page) cannot be answered
    // any more; Firefox says "no such request". Not a failure, and no reason to stop the run.
    answered.catch(() => {});
  });
  page.on("console", (m) => {
    if (m.type() === "error") v.errors.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    const message = String(e.message || e);
    // Leaving a page aborts what Material's search worker is still loading (lunr's stemmers),
    // and Firefox reports that as an error of the page: not the banner's, and not a bug.
    if (message !== "NS_BINDING_ABORTED") v.errors.push(`page error: ${message}`);
  });
  return page;
}

// JavaScript of a step, run in the page after the helpers of probes.js: statements ("run"), or
// an expression whose value is returned.
const runInPage = (v, statements) => v.page.evaluate(`(() => {\n${PROBES}\n${statements}\n})()`);
const inPage = (v, expression) => runInPage(v, `return (${expression});`);

// Waits until `expression` is true in the page; `leaving`: the page may be going away meanwhile
// (its evaluation then fails, and is tried again).
async function waitFor(v, expression, leaving = false) {
  const value = () => inPage(v, expression).catch((error) => (leaving ? false : Promise.reject(error)));
  for (const end = Date.now() + WAIT_S * 1000; !(await value()); ) {
    check(Date.now() < end, `still not true after ${WAIT_S} s: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function perform(v, step) {
  if ("open" in step) {
    await v.page.goto(`http://${step.host || BASE.hostname}:${BASE.port}${step.open}`, { waitUntil: "load" });
  } else if ("click" in step) {
    await v.page.click(step.click);
  } else if ("press" in step) {
    if (step.on) await v.page.focus(step.on);
    await v.page.keyboard.press(step.press);
  } else if ("run" in step) {
    await runInPage(v, step.run);
  } else if ("wait" in step) {
    await waitFor(v, step.wait);
  } else if ("expect" in step) {
    const actual = await inPage(v, step.expect);
    check(isDeepStrictEqual(actual, step.is), `${step.expect}: expected ${json(step.is)}, got ${json(actual)}`);
  } else if ("tab" in step) {
    check(step.tab <= v.tabs.length + 1, `tab ${step.tab}: only ${v.tabs.length} open`);
    v.page = v.tabs[step.tab - 1] || (await newTab(v));
  } else if ("back" in step) {
    // history.back() from the page: a page restored from the back/forward cache fires no load
    // event, which puppeteer's goBack would wait for.
    await runInPage(v, "history.back()");
    await waitFor(v, `location.pathname === ${json(step.back)} && document.readyState === "complete"`, true);
  } else if ("quiet" in step) {
    const sent = v.offsite.length;
    await new Promise((resolve) => setTimeout(resolve, step.quiet));
    // A hit the living stand-in sent while its page still held analytics granted was sent before
    // the withdrawal, arriving late on a loaded machine: only what was sent after it counts.
    const late = v.offsite.slice(sent).filter((url) => !url.includes(IN_FLIGHT));
    check(late.length === 0, `requests off the site within ${step.quiet} ms: ${late.join(", ")}`);
  } else if ("offsite" in step) {
    const gtag = v.offsite.filter((url) => url.startsWith(GTAG)).length;
    const sent = { gtag, other: v.offsite.length - gtag };
    check(isDeepStrictEqual(sent, step.offsite), `requests off the site: expected ${json(step.offsite)}, got ${json(sent)}: ${v.offsite.join(", ")}`);
  } else {
    throw new Error(`unknown step ${json(step)}`);
  }
}

// Runs `cases` in one browser with `prefs`; returns {version, results: {name: {ok, error?}}}.
async function run(cases, prefs) {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: { ...PREFS, ...prefs },
  });
  const results = {};
  try {
    for (const { name, steps, "stand-in": standIn } of cases) {
      const start = Date.now();
      const v = await visitor(browser, STAND_INS[standIn || "once"]);
      let where = "after the last step";
      try {
        for (const [index, step] of steps.entries()) {
          where = `step ${index + 1} ${json(step)}`;
          await perform(v, step);
        }
        where = "after the last step";
        check(v.errors.length === 0, v.errors.join(" | "));
        results[name] = { ok: true };
      } catch (e) {
        results[name] = { ok: false, error: `${where}: ${e.message || e}` };
      } finally {
        await v.context.close();
        console.error(`${((Date.now() - start) / 1000).toFixed(1).padStart(5)} s  ${name}`);
      }
    }
    return { version: await browser.version(), results };
  } finally {
    await browser.close();
  }
}

const { version, results } = await run(CASES.filter((c) => !c.needs), {});
for (const need of new Set(CASES.filter((c) => c.needs).map((c) => c.needs))) {
  Object.assign(results, (await run(CASES.filter((c) => c.needs === need), NEEDS[need])).results);
}
console.log(json({ engine: version, cases: Object.fromEntries(CASES.map((c) => [c.name, results[c.name]])) }));
