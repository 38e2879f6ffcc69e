"""Side-by-side benchmark (``privacy-kit bench``; scripts/bench here): this site against stock
Material for MkDocs 9.8.2 with its built-in cookie consent and Google Analytics, measured in one
run on one machine.

Both sites are built from the same pages in the default language (the baseline in a temporary folder; nothing of
it is kept), served on 127.0.0.1 and visited in Chromium with Google stubbed by routing (no
request leaves the machine). Prints a table, writes JSON, and exits 1 if a budget of ours is
broken: banner JS+CSS <= 3 KB gzip, 0 third-party requests before a choice, no reload on
accept, no layout shift below Material's header (CLS 0 there).

Then every page of our site (each URL of its sitemap, and the 404 pages) is checked by the
audit's request check (audit/before_choice.py), once at SITE_URL and once at another origin (a
deploy preview, www against apex): a per-page table of requests before any choice, requests
answered with an error or failed, requests to another origin, and CSP violations. Any failed,
other-origin or CSP count is a broken budget too.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ..audit.before_choice import pages_broken, requests_before_choice
from ..command_line import parser as command_parser
from ..command_line import project as load_project
from ..reading import read_html
from ..serving.building import TEST_PROPERTY as PROPERTY
from ..serving.building import build
from ..serving.chromium import launch, not_local
from ..serving.hosting import serve, site_pages
from . import layout_shifts

BUDGET_GZIP = 3 * 1024
OURS_BANNER = ["assets/javascripts/consent.js", "assets/stylesheets/consent.css"]
OURS_ANALYTICS = "assets/javascripts/analytics-google.js"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
OBSERVE = (
    layout_shifts.RECORD
    + """
document.addEventListener('click', () => sessionStorage.setItem('bench-click', performance.timeOrigin + performance.now()), true);
window.__lcp = null;
new PerformanceObserver(l => l.getEntries().forEach(e => { window.__lcp = e.startTime; }))
  .observe({type: 'largest-contentful-paint', buffered: true});
"""
)
SEARCH_QUERY = "cookies"  # a word of the cookie declaration, in every language's pages
BASELINE_CONFIG = """site_name: {site_name}
site_url: !ENV [SITE_URL, "http://127.0.0.1/"]
theme:
  name: material
  language: {language}
markdown_extensions:
  - attr_list
  - md_in_html
  - toc:
      permalink: true
extra:
  analytics:
    provider: google
    property: {property}
  consent:
    title: {title}
    description: {description}
"""


def make_baseline(site, folder: Path) -> Path:
    """Stock Material: the same pages (the home page and the cookie declaration, in the default
    language), built-in consent saying what the site's own banner says, analytics, default
    (Google) fonts."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    pages = ["index.md"]
    if site.options.consent:
        pages.append(site.options.consent.declaration_page)
    for page in pages:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(site.docs / page, docs / page)
    banner = site.texts[site.languages.default]["consent"]
    config = BASELINE_CONFIG.format(
        site_name=site.config.site_name,
        language=site.languages.default,
        property=PROPERTY,
        title=json.dumps(banner["title"], ensure_ascii=False),  # JSON is YAML: quoted as YAML reads it
        description=json.dumps(banner["body"], ensure_ascii=False),
    )
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def banner_bytes(kind: str, site: Path) -> dict:
    if kind == "ours":
        data = b"".join((site / f).read_bytes() for f in OURS_BANNER)
        extra = (site / OURS_ANALYTICS).read_bytes()
        return {
            "raw": len(data),
            "gzip": gz(data),
            "analytics_integration_gzip": gz(extra),
            "scope": "consent.js + consent.css",
        }
    tree = read_html((site / "index.html").read_text(encoding="utf-8")).tree
    consent = tree.css_first("div.md-consent")  # Material's consent markup, and its script after it
    script = consent.next if consent is not None else None
    while script is not None and script.tag == "-text":
        script = script.next
    data = (
        (consent.html + (script.html if script is not None and script.tag == "script" else "")).encode()
        if consent
        else b""
    )
    return {
        "raw": len(data),
        "gzip": gz(data),
        "scope": "inline consent markup + script only (its logic and CSS sit in Material's shared bundle)",
    }


def own_bytes(responses, local: str) -> tuple[int, int]:
    """The bodies of the responses from the site itself: bytes raw and gzip (each file
    compressed at level 9, as a server that compresses sends it)."""
    raw = zipped = 0
    for response in responses:
        if response.url.startswith(local):
            with contextlib.suppress(Exception):  # redirects and the like have no body
                body = response.body()
                raw, zipped = raw + len(body), zipped + gz(body)
    return raw, zipped


def search_first_use(browser, base_url: str) -> dict:
    """A new visitor's first search on the home page: what it fetches from focusing the search
    field until the first results show (stock Material fetched it all as the page loaded)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    local = base_url.rsplit(":", 1)[0]
    context.route(not_local(local), lambda route: route.abort())
    page = context.new_page()
    page.goto(base_url + "/", wait_until="networkidle")
    responses = []
    page.on("response", lambda r: responses.append(r))
    started = time.perf_counter()
    page.focus("input.md-search__input")  # not a click: stock Material's consent overlay covers the page
    page.keyboard.type(SEARCH_QUERY)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    results_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    raw, zipped = own_bytes(responses, local)
    context.close()
    return {"requests": len(responses), "bytes": raw, "gzip": zipped, "results_ms": results_ms}


def visit(browser, base_url: str, kind: str, path: str = "/") -> dict:
    """One fresh visitor of ``path``: load, measure, accept, measure."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(OBSERVE)
    local = base_url.rsplit(":", 1)[0]
    log = {"requests": [], "third_party": [], "gtag": None, "navigations": 0}

    def handle(route):
        url = route.request.url
        log["third_party"].append(url)
        if url.startswith("https://www.googletagmanager.com/gtag/js"):
            if log["gtag"] is None:
                log["gtag"] = time.perf_counter()
            return route.fulfill(status=200, content_type="text/javascript", body="window.__gtag=1;")
        if "fonts.googleapis.com" in url:
            return route.fulfill(status=200, content_type="text/css", body="/* stub */")
        return route.abort()

    context.route(not_local(local), handle)
    page = context.new_page()
    responses = []
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("response", lambda r: responses.append(r))
    page.goto(base_url + path, wait_until="networkidle")
    page.wait_for_timeout(400)  # Material shows its banner after 250 ms
    before_requests = len(log["requests"])
    before_third = len(log["third_party"])
    before_bytes, before_gzip = own_bytes(responses, local)
    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
    lcp = page.evaluate("window.__lcp")
    shifts = page.evaluate(layout_shifts.RECORDED)
    cls = layout_shifts.total(shifts)
    cls_below_header = layout_shifts.total(layout_shifts.below_the_header(shifts))
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and log.__setitem__("navigations", log["navigations"] + 1),
    )
    accept = (
        '[data-consent-action="accept-all"]'
        if kind == "ours"
        else "form[name=consent] button.md-button--primary"
    )
    page.locator(accept).wait_for(state="visible")
    page.click(accept)
    deadline = time.perf_counter() + 10
    while log["gtag"] is None and time.perf_counter() < deadline:
        page.wait_for_timeout(1)
    page.wait_for_load_state("networkidle")
    # In-page clocks: the click (kept across Material's reload) to the start of the gtag.js request.
    if log["gtag"] is not None:  # its timing entry is added when the response has finished
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some(r => r.name.includes('googletagmanager'))"
        )
    latency = page.evaluate(
        """() => { const e = performance.getEntriesByType('resource').find(r => r.name.includes('googletagmanager'));
                 return e ? performance.timeOrigin + e.startTime - Number(sessionStorage.getItem('bench-click')) : null; }"""
    )
    context.close()
    return {
        "requests": before_requests,
        "bytes": before_bytes,
        "gzip": before_gzip,
        "third_party": before_third,
        "fcp_ms": fcp,
        "lcp_ms": lcp,
        "cls": cls,
        "cls_below_header": cls_below_header,
        "accept_to_analytics_ms": latency,
        "reloaded": log["navigations"] > 0,
    }


QUICK_PAGES = 5
OTHER_HOST = "preview.localhost"  # Chromium's own name for this machine: another origin, same server


def spread(paths: list[str], count: int) -> list[str]:
    """``count`` of ``paths``, evenly spread from the first to the last: a sample of the site's
    languages and kinds of page (the sitemap lists them in turn, site_pages the 404 pages last)."""
    if len(paths) <= count:
        return paths
    return list(dict.fromkeys(paths[round(i * (len(paths) - 1) / (count - 1))] for i in range(count)))


def measure_pages(site, workdir: Path, quick: bool, other_host: str) -> dict:
    """Our site built for SITE_URL = its address on 127.0.0.1, then every page checked by the
    audit there and at another origin (same server, other host name)."""
    with serve(workdir / "pages-site") as url:
        result = build(
            site.root, workdir / "pages-site", site_url=url + "/", config_file=site.config_file.name
        )
        if result.returncode != 0:
            raise SystemExit(f"bench: the site did not build:\n{result.output[-3000:]}")
        every = site_pages(result.site, url + "/")
        paths = spread(every, QUICK_PAGES) if quick else every
        return requests_before_choice(url, url.replace("127.0.0.1", other_host), paths)


def pages_table(pages: dict, stock_requests: float | None) -> str:
    lines = [
        "| Page | Requests | Failed | Other origin | CSP violations | At another origin: requests | failed | other origin | CSP |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for path, runs in pages["pages"].items():
        cells = [
            str(v)
            for run in (runs["site_url"], runs["other"])
            for v in (run["requests"], len(run["failed"]), len(run["other_origin"]), len(run["csp"]))
        ]
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"{len(pages['pages'])} pages, each by a new visitor who makes no choice, at SITE_URL "
        f"({pages['site_url']}) and at another origin ({pages['other_origin']}) of the same build. "
        + (f"Stock Material makes {stock_requests:.0f} requests on its home page; " if stock_requests else "")
        + "the table above says how ours differ."
    )
    return "\n".join(lines)


def summary(values: list) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None}
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(config_files: dict[str, Path], workdir: Path, browser, repeat: int, cookie_page: str) -> dict:
    """Each site (kind -> its mkdocs.yml) built ``repeat`` times and visited ``repeat`` times, the
    sites taking turns at every step, so that a machine that slows down or speeds up during the
    run weighs on both alike: {kind: metrics}."""
    runs = {kind: {"builds": [], "visits": [], "cookies": [], "searches": []} for kind in config_files}
    with contextlib.ExitStack() as stack:
        urls = {kind: stack.enter_context(serve(workdir / f"{kind}-site")) for kind in config_files}
        sites = {}
        for _ in range(repeat):
            for kind, config_file in config_files.items():
                result = build(
                    config_file.parent,
                    workdir / f"{kind}-site",
                    site_url=urls[kind] + "/",
                    config_file=config_file.name,
                )
                if result.returncode != 0:
                    raise SystemExit(f"bench: the {kind} site did not build:\n{result.output[-3000:]}")
                runs[kind]["builds"].append(result.seconds)
                sites[kind] = result.site
        for _ in range(repeat):
            for kind, url in urls.items():
                runs[kind]["visits"].append(visit(browser, url, kind))
                runs[kind]["cookies"].append(visit(browser, url, kind, cookie_page))
                runs[kind]["searches"].append(search_first_use(browser, url))
    return {kind: metrics_of(kind, run, sites[kind]) for kind, run in runs.items()}


def metrics_of(kind: str, run: dict, site: Path) -> dict:
    visits, builds = run["visits"], run["builds"]
    keys = ("requests", "bytes", "gzip", "third_party", "fcp_ms", "lcp_ms", "cls", "cls_below_header")
    keys += ("accept_to_analytics_ms",)
    metrics = {key: summary([v[key] for v in visits]) for key in keys}
    metrics["cookie_page"] = {
        key: summary([v[key] for v in run["cookies"]]) for key in ("requests", "bytes", "gzip")
    }
    metrics["search"] = {
        key: summary([v[key] for v in run["searches"]]) for key in ("requests", "bytes", "gzip", "results_ms")
    }
    metrics["build_s"] = summary(builds)
    pages = len(list(site.rglob("*.html")))  # every page written, the 404 pages included
    metrics["pages_built"] = pages
    metrics["build_s_per_page"] = summary([b / pages for b in builds])
    metrics["reloaded"] = any(v["reloaded"] for v in visits)
    metrics["banner"] = banner_bytes(kind, site)
    return metrics


def fmt(s: dict, digits: int = 0, unit: str = "") -> str:
    if s["median"] is None:
        return "–"
    f = f"{{:.{digits}f}}"
    text = f.format(s["median"]) + unit
    if s["max"] != s["min"]:
        text += f" ({f.format(s['min'])}–{f.format(s['max'])})"
    return text


def ratio(ours: dict, base: dict, digits: int = 2) -> str:
    """Ours ÷ stock, of the medians of the same run."""
    if ours["median"] is None or not base["median"]:
        return "–"
    return f"{ours['median'] / base['median']:.{digits}f}×"


def table(results: dict) -> str:
    ours, base = results["ours"], results["material"]
    oc, bc = ours["cookie_page"], base["cookie_page"]
    os_, bs = ours["search"], base["search"]
    rows = [
        ("Requests before any choice", fmt(ours["requests"]), fmt(base["requests"]), ratio(ours["requests"], base["requests"])),
        ("Bytes before any choice (own origin), raw", fmt(ours["bytes"]), fmt(base["bytes"]), ratio(ours["bytes"], base["bytes"])),
        ("Bytes before any choice (own origin), gzip", fmt(ours["gzip"]), fmt(base["gzip"]), ratio(ours["gzip"], base["gzip"])),
        ("Cookie page: requests before any choice", fmt(oc["requests"]), fmt(bc["requests"]), ratio(oc["requests"], bc["requests"])),
        ("Cookie page: bytes before any choice, raw", fmt(oc["bytes"]), fmt(bc["bytes"]), ratio(oc["bytes"], bc["bytes"])),
        ("Cookie page: bytes before any choice, gzip", fmt(oc["gzip"]), fmt(bc["gzip"]), ratio(oc["gzip"], bc["gzip"])),
        ("Bytes fetched on first use of search, raw ²", fmt(os_["bytes"]), fmt(bs["bytes"]), ""),
        ("Bytes fetched on first use of search, gzip ²", fmt(os_["gzip"]), fmt(bs["gzip"]), ""),
        ("First search: focus → first results", fmt(os_["results_ms"], 0, " ms"), fmt(bs["results_ms"], 0, " ms"), ratio(os_["results_ms"], bs["results_ms"])),
        ("Third-party requests before any choice", fmt(ours["third_party"]), fmt(base["third_party"]), ""),
        ("Banner JS+CSS, raw bytes", str(ours["banner"]["raw"]), f"{base['banner']['raw']} ¹", ""),
        ("Banner JS+CSS, gzip bytes", str(ours["banner"]["gzip"]), f"{base['banner']['gzip']} ¹", ""),
        (
            "Accept click → analytics request",
            fmt(ours["accept_to_analytics_ms"], 1, " ms"),
            fmt(base["accept_to_analytics_ms"], 1, " ms"),
            ratio(ours["accept_to_analytics_ms"], base["accept_to_analytics_ms"]),
        ),
        (
            "Page reloaded on accept",
            "no" if not ours["reloaded"] else "yes",
            "yes" if base["reloaded"] else "no",
            "",
        ),
        ("Layout shift on load (CLS)", fmt(ours["cls"], 4), fmt(base["cls"], 4), ""),
        ("First contentful paint", fmt(ours["fcp_ms"], 0, " ms"), fmt(base["fcp_ms"], 0, " ms"), ratio(ours["fcp_ms"], base["fcp_ms"])),
        ("Largest contentful paint", fmt(ours["lcp_ms"], 0, " ms"), fmt(base["lcp_ms"], 0, " ms"), ratio(ours["lcp_ms"], base["lcp_ms"])),
        ("Build time of the whole site", fmt(ours["build_s"], 2, " s"), fmt(base["build_s"], 2, " s"), ""),
        (
            f"Build time per page ({ours['pages_built']} and {base['pages_built']} pages)",
            fmt(ours["build_s_per_page"], 3, " s"),
            fmt(base["build_s_per_page"], 3, " s"),
            ratio(ours["build_s_per_page"], base["build_s_per_page"]),
        ),
    ]  # fmt: skip
    lines = ["| Measure | This site | Stock Material 9.8.2 | Ratio (ours ÷ stock) |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    meta = results["meta"]
    lines.append("")
    lines.append(
        f"Median of {meta['repeat']} run(s), range in brackets; measured {meta['date']} on {meta['machine']} "
        f"with `scripts/bench`, the two sites taking turns at every build and visit; ratios are of the medians. Our build covers three languages and the archive; the "
        f"baseline only the Dutch pages (hence the build time per page, every HTML file written counted). "
        f"Bytes are the bodies the page fetched from its own origin; gzip is each compressed at level 9. "
        f"Our pages fetch no Google Fonts, one stylesheet (Material's, reduced to what the site uses, and ours), "
        f"Material's script and the consent script; none leaves the site, and Material fetches no sitemap "
        f"(hreflang lives in the sitemaps). "
        f"¹ Material's consent logic and CSS are part of its shared bundle, so only its inline part is counted. "
        f"² Ours loads the search (worker, lunr, stemmers, index) when the search field is first used; stock "
        f"Material fetched it with the page (in its bytes above), so its first use fetches nothing more. "
        f"Our Google Analytics integration (loaded only after consent) is another {ours['banner']['analytics_integration_gzip']} B gzip."
    )
    return "\n".join(lines)


def budgets(ours: dict) -> list[str]:
    broken = []
    if ours["banner"]["gzip"] > BUDGET_GZIP:
        broken.append(f"banner JS+CSS is {ours['banner']['gzip']} B gzip, the budget is {BUDGET_GZIP} B")
    if ours["third_party"]["max"]:
        broken.append(f"{ours['third_party']['max']} third-party request(s) before a choice, the budget is 0")
    if ours["reloaded"]:
        broken.append("the page reloaded on accept")
    # Material's header alone sometimes shifts on a busy machine (Chromium paints it half parsed
    # and its search then moves the language switch); whatever the banner moves is below it.
    if ours["cls_below_header"]["max"]:
        broken.append(
            f"layout shift on load below the header is {ours['cls_below_header']['max']}, the budget is 0"
        )
    return broken


def update_readme(readme: Path, text: str) -> None:
    content = readme.read_text(encoding="utf-8")
    start, end = content.index(README_START) + len(README_START), content.index(README_END)
    readme.write_text(content[:start] + "\n" + text + "\n" + content[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(arg == "--scale" or arg.startswith("--scale=") for arg in argv):
        from . import scale  # build time of generated sites of any size: a bench of its own

        return scale.main(argv)
    parser = command_parser("bench", "This site against stock Material's cookie consent, in one run.")
    parser.add_argument(
        "--scale",
        metavar="PAGES",
        help="instead: the build time of generated sites of PAGES pages (e.g. 1000,3000) with stock "
        "Material and with the kit, taking turns (privacy-kit bench --scale 100 --help)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument("--quick", action="store_true", help="one run per measure, for tests")
    parser.add_argument("--json", type=Path, help="where to write JSON (default: bench-results/bench.json)")
    parser.add_argument("--readme", action="store_true", help="replace the table in README.md")
    parser.add_argument(
        "--other-host",
        default=OTHER_HOST,
        metavar="NAME",
        help=f"the host name of the other origin every page is visited at (default {OTHER_HOST}; "
        "a name Chromium resolves to this machine, as *.localhost and, here, *.test)",
    )
    args = parser.parse_args(argv)
    site = load_project(args, "bench")
    json_path = args.json or site.root / "bench-results" / "bench.json"
    repeat = 1 if args.quick else args.repeat
    if repeat < 1:
        parser.error(f"--repeat {repeat}: expected a whole number of at least 1")
    from playwright.sync_api import sync_playwright

    # The cookie declaration (both sites have it: the baseline is built from the same pages).
    declaration = site.options.consent.declaration_page if site.options.consent else "index.md"
    cookie_page = "/" if declaration == "index.md" else "/" + declaration.removesuffix(".md") + "/"

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with sync_playwright() as p:
            browser = launch(p)
            baseline = make_baseline(site, workdir / "baseline") / "mkdocs.yml"
            both = measure(
                {"ours": site.config_file, "material": baseline}, workdir, browser, repeat, cookie_page
            )
            browser.close()
        results = {
            **both,
            "pages": measure_pages(site, workdir, args.quick, args.other_host),
        }  # the audit's own browser
    results["meta"] = {
        "repeat": repeat,
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()} Linux, Python {platform.python_version()}, Chromium via Playwright",
    }
    text = table(results)
    print(text)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nJSON: {json_path}")
    if args.readme:
        update_readme(
            site.root / "README.md",
            text + "\n\n" + pages_table(results["pages"], results["material"]["requests"]["median"]),
        )
        print("README.md table updated")
    print()
    print(pages_table(results["pages"], results["material"]["requests"]["median"]))
    broken = budgets(results["ours"]) + pages_broken(results["pages"])
    for line in broken:
        print(f"BUDGET BROKEN: {line}", file=sys.stderr)
    return 1 if broken else 0
