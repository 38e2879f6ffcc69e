"""Shared fixtures: build the site once per session (strict, into a temp dir), serve it on
127.0.0.1, and drive Debian's Chromium through Playwright with every non-local request routed."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import hermetic  # noqa: F401 (first: clears the operators' variables before anything reads them)
from privacy_kit import providers
from privacy_kit.consent import contract
from privacy_kit.consent.contract import ACCEPT, OPEN, PREFERENCES, REJECT, SAVE, category_box  # noqa: F401 (for the tests)
from privacy_kit.editing import YamlText
from privacy_kit.project import PLUGIN, Project
from privacy_kit.serving.building import TEST_PROPERTY, Build, build
from privacy_kit.serving.chromium import CHROMIUM_MISSING, find_chromium, launch, offline
from privacy_kit.serving.hosting import serve
from privacy_kit.serving.standins import stand_ins
from privacy_kit.tools import layout_shifts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harbour-yoga"  # the second site: one language, Matomo, an embed
# The third: a Material documentation site (its own templates, the blog, the minifier, math,
# diagrams, emoji), whose third-party files come from npm (its package.json: npm ci, npm run vendor).
DOCS = ROOT / "examples" / "tidewater-docs"

# The adopted text of version 1.0, as delivered (a copy of shared/seed, checked to be identical).
SEED = ROOT / "tests" / "fixtures" / "privacybeleid-1.0.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "privacybeleid-1.0.txt"


def soup(path: Path):
    """A built page, parsed."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(element) -> str:
    """An element's text with white space folded, as a reader sees it."""
    return normalise(element.get_text())


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def copy_project(dest: Path) -> Path:
    """A copy of everything a build of the site reads (the package is installed), for tests that
    change the project."""
    for name in ("docs", "texts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def plugin_options(document: YamlText):
    """The privacy-kit entry of a mkdocs.yml's plugins list, as written."""
    return next(
        item[PLUGIN] for item in document.data["plugins"] if isinstance(item, dict) and PLUGIN in item
    )


def consent_revision(project: Path = ROOT) -> int:
    """The plugin's consent.revision as mkdocs.yml says now (never a literal in a test)."""
    return Project(project / "mkdocs.yml").options.consent.revision


def set_revision(project: Path, value) -> None:
    path = project / "mkdocs.yml"
    document = YamlText(path.read_text(encoding="utf-8"))
    plugin_options(document)["consent"]["revision"] = value
    path.write_text(document.text(), encoding="utf-8")


def remove_analytics(project: Path, category: bool = True) -> None:
    """What a site's owner does to turn analytics off: remove the analytics block and (unless
    ``category`` is False) the analytics category of the cookie declaration."""
    path = project / "mkdocs.yml"
    document = YamlText(path.read_text(encoding="utf-8"))
    options = plugin_options(document)
    (document.data.get("extra") or {}).pop("analytics", None)
    options.pop("analytics", None)
    if category:
        del options["consent"]["categories"]["analytics"]
    path.write_text(document.text(), encoding="utf-8")


def run_command(command: str, project: Path, *args: str):
    """One of the kit's commands (``privacy-kit <command>``, which scripts/<command> runs here),
    on the project in the folder ``project``."""
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("privacy-kit")),
            command,
            "--config-file",
            str(project / "mkdocs.yml"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def raise_revision(project: Path) -> None:
    """What an editor does after changing the cookie list: raise the consent revision and record
    what the banner now shows (scripts/record-consent)."""
    set_revision(project, consent_revision(project) + 1)
    result = run_command("record-consent", project)
    assert result.returncode == 0, result.stderr


def build_day():
    """The day a build in this session is made for: SOURCE_DATE_EPOCH when set, else today (UTC)."""
    from privacy_kit.policy.model import build_date

    return build_date(os.environ.get("SOURCE_DATE_EPOCH"))


def policy_timeline(project: Path = ROOT):
    """The published versions of ``project`` and which is in force today (from the manifest)."""
    return Project(project / "mkdocs.yml").policy.timeline(build_day())


ADDED = "Deze zin is voor de test toegevoegd."
# The policy's cookie section: a change to it raises the consent revision (scripts/new-version).
SECTION_8 = Project(ROOT / "mkdocs.yml").options.policy.cookie_section
SECTION_9 = "9-uw-rechten"  # the rights of the data subject: a section outside the cookie section


def section_span(lines: list[str], anchor: str) -> range:
    start = next(i for i, line in enumerate(lines) if line.startswith("## ") and f"#{anchor} " in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return range(start + 1, end)


def is_paragraph(line: str) -> bool:
    return bool(line.strip()) and not re.match(r"\s*([-*#<{]|\d+[.)]\s)", line)


def change_paragraph(path: Path, anchor: str, change) -> tuple[str, str]:
    """Apply ``change`` to the first plain paragraph of a section; returns (old, new)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i in section_span(lines, anchor) if is_paragraph(lines[i]))
    old, lines[index] = lines[index], change(lines[index])
    path.write_text("\n".join(lines), encoding="utf-8")
    return old, lines[index]


def add_sentence(path: Path, anchor: str, sentence: str = ADDED) -> None:
    change_paragraph(path, anchor, lambda line: f"{line} {sentence}")


def next_version(project: Path) -> str:
    major, minor = policy_timeline(project).latest["version"].split(".")
    return f"{major}.{int(minor) + 1}"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def publish_next_version(project: Path) -> tuple[str, str]:
    """What an editor does to publish the next policy version today (scripts/new-version), with
    a change in article 9 (an insertion and, below, a deletion): afterwards every page type exists,
    a redline included. Returns (previous version, new version)."""
    previous, version = policy_timeline(project).latest["version"], next_version(project)
    policy = project / "docs" / "index.md"
    add_sentence(policy, SECTION_9)
    change_paragraph(policy, SECTION_9, lambda line: "Voortaan " + line.split(" ", 1)[1])
    result = run_command(
        "new-version",
        project,
        version,
        "--date",
        build_day().isoformat(),
        "--summary",
        "Artikel 9 aangevuld.",
    )
    assert result.returncode == 0, result.stderr
    return previous, version


# How long a test waits for an event of a process it started (a server answering, a file appearing):
# generous, because a loaded machine may be many times slower than a quiet one; the wait ends as
# soon as the event happens, so a quiet machine never waits long.
DEADLINE = 600.0
BROWSER_DEADLINE_MS = 120_000  # for each action in a browser (Playwright's default is 30 s)


def wait_for(condition, what: str, deadline: float = DEADLINE, page=None):
    """Poll ``condition()`` until it returns something true, and return that; fail after
    ``deadline`` seconds naming ``what`` was awaited. With ``page`` (a browser test) it pauses
    with the page's own timer, so that Playwright handles the page's events (its requests, the
    routes answering them) meanwhile."""
    started, pause = time.monotonic(), 0.05
    while not (result := condition()):
        if time.monotonic() - started > deadline:
            pytest.fail(f"waited {deadline:.0f} s for {what}")
        if page is not None:
            page.wait_for_timeout(50)
        else:
            time.sleep(pause)
            pause = min(pause * 1.5, 1.0)
    return result


def wait_in_browser(page, condition, what: str):
    """``wait_for`` in a browser: as long as a browser action may take."""
    return wait_for(condition, what, BROWSER_DEADLINE_MS / 1000, page)


def wait_until_answering(url: str, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Wait until ``url`` answers with 200 (a server a test started). Fails at once, with the
    process's output (its pipe, or the file ``log``), if ``process`` ends first."""
    import urllib.request

    def answers() -> bool:
        if process is not None and process.poll() is not None:
            output = process.communicate()[0] or (log.read_text(encoding="utf-8") if log else "")
            pytest.fail(f"{url}: the server ended with {process.returncode} before answering:\n{output}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=60) as response:
            return response.status == 200
        return False

    wait_for(answers, f"{url} to answer")


@contextlib.contextmanager
def built_and_served(project: Path, dest: Path, environment: dict | None = None):
    """Build ``project`` for the address it is then served at on 127.0.0.1, as if deployed there
    (canonical and hreflang URLs point at that origin). Yields (Build, base URL)."""
    with serve(dest) as url:
        result = build(project, dest, site_url=url + "/", environment=environment)
        assert result.returncode == 0, result.output
        yield result, url


# --- The sites built once per run, shared by every worker ------------------------------------------
# The one process of a run without workers, or the controller of pytest-xdist's workers, serves each
# shared site's folder on 127.0.0.1 from the start, on a port of its own, while the folder is still
# empty. The first worker that needs a site builds it there, for that address, under a lock; the
# others wait for the lock and read what it built. So each site is built once per run, not once per
# worker, and the modules that use it run in any worker.
SHARED_SITES = ("clinic", "example", "docs", "published")


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # a worker: the controller serves
        return
    stack = contextlib.ExitStack()
    root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="privacy-kit-sites-")))
    origins = {name: stack.enter_context(serve(root / name / "site")) for name in SHARED_SITES}
    config.shared_sites = {"root": str(root), "origins": origins}
    config.add_cleanup(stack.close)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: each worker is told where the shared sites are served."""
    node.workerinput["shared_sites"] = node.config.shared_sites


def built_once(request, name: str, make) -> dict:
    """The shared site ``name``: ``make(folder, url)`` builds it into ``folder``/site for the
    address ``url`` it is served at and returns what the fixture needs (as JSON), in the first
    worker that asks; the others get that."""
    config = request.config
    sites = config.workerinput["shared_sites"] if hasattr(config, "workerinput") else config.shared_sites
    folder, url = Path(sites["root"]) / name, sites["origins"][name]
    made = folder / "made.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not made.exists():
            made.write_text(json.dumps(make(folder, url)), encoding="utf-8")
        return json.loads(made.read_text(encoding="utf-8"))


def build_there(project: Path, folder: Path, url: str) -> dict:
    """A strict build of ``project`` into ``folder``/site for ``url``, as JSON."""
    result = build(project, folder / "site", site_url=url + "/")
    assert result.returncode == 0, result.output
    return {**dataclasses.asdict(result), "site": str(result.site)}


def served(record: dict) -> tuple[Build, str]:
    """(Build, base URL) of a shared site's record."""
    build_record = record["build"]
    return Build(**{**build_record, "site": Path(build_record["site"])}), build_record["site_url"].rstrip("/")


@pytest.fixture(scope="session")
def served_site(request):
    return served(
        built_once(request, "clinic", lambda folder, url: {"build": build_there(ROOT, folder, url)})
    )


@pytest.fixture(scope="session")
def published_site(request):
    """A copy of the project with its next policy version published today (as an editor does with
    scripts/new-version), built and served once for the modules that need every page type (the
    accessibility and pixel tests): a policy, translations, the cookie page, the history, an
    archived version, a redline, the 404 pages."""

    def make(folder: Path, url: str) -> dict:
        project = copy_project(folder / "project")
        previous, version = publish_next_version(project)
        return {
            "build": build_there(project, folder, url),
            "project": str(project),
            "previous": previous,
            "version": version,
        }

    record = built_once(request, "published", make)
    result, url = served(record)
    return Published(Path(record["project"]), result, url, record["previous"], record["version"])


@dataclass(frozen=True)
class Published:
    project: Path
    build: Build
    url: str
    previous: str  # the version the published one superseded
    version: str  # the version published today


@pytest.fixture(scope="session")
def site_build(served_site) -> Build:
    return served_site[0]


@pytest.fixture(scope="session")
def site(site_build) -> Path:
    return site_build.site


@pytest.fixture(scope="session")
def site_url(site_build) -> str:
    return site_build.site_url


@pytest.fixture(scope="session")
def base_url(served_site) -> str:
    return served_site[1]


@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    if not find_chromium():
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    with sync_playwright() as p:
        yield p


def patient(chromium):
    """``chromium`` whose contexts' waits (navigations, clicks, locators) allow a loaded machine."""
    new_context = chromium.new_context

    def patient_context(**options):
        context = new_context(**options)
        context.set_default_timeout(BROWSER_DEADLINE_MS)
        return context

    chromium.new_context = patient_context
    return chromium


def in_the_shell() -> dict:
    """The environment for a ``privacy-kit`` command (audit, bench) run in Chromium's headless
    shell: the same engine as the whole browser it runs by default, less than half the CPU a
    visitor. For the runs that test the command's rules, flows and output; one audit runs in the
    whole browser, as operators run it (tests/test_audit.py, stock Material's Google Fonts)."""
    return {**os.environ, "CHROMIUM": find_chromium(headless_shell=True) or ""}


@pytest.fixture(scope="session")
def whole_browser(playwright_session):
    """The whole Chromium, as visitors run it: for what the browser itself fetches (a PDF for its
    viewer) or keeps (its back/forward cache), which the headless shell does not."""
    chromium = patient(launch(playwright_session))
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def browser(playwright_session):
    """Chromium's headless shell where it is installed (the same engine, about 40% less CPU a
    page), else the whole browser: for the kit's own scripts and pages."""
    chromium = patient(launch(playwright_session, headless_shell=True))
    yield chromium
    chromium.close()


@dataclass(frozen=True)
class SiteFacts:
    """What the consent cases need to know of a site built with the kit, read from its mkdocs.yml
    (never typed into a test): its storage key, revision, categories, analytics service, pages."""

    name: str
    project: Path
    storage_key: str
    revision: int
    categories: tuple[str, ...]
    provider: str  # the analytics service: google, matomo or plausible
    analytics_url: str  # what the page requests when analytics loads (gtag.js, matomo.js, script.js)
    pages: tuple[str, ...]  # the home page and the cookie declaration
    stand_ins: tuple

    def every(self, granted: bool) -> dict:
        """The stored categories after accept-all (True) or reject-all (False)."""
        return {category: granted for category in self.categories}


def facts_of(name: str, project: Path) -> SiteFacts:
    site = Project(project / "mkdocs.yml")
    consent, analytics = site.options.consent, site.options.analytics
    url = providers.named(analytics.provider).loader(analytics)
    declaration = "/" + consent.declaration_page.removesuffix(".md") + "/"
    embeds = tuple((n, c.hosts) for n, c in consent.categories.items() if c.hosts)
    return SiteFacts(
        name,
        project,
        consent.storage_key,
        consent.revision,
        tuple(n for n in consent.categories if n != "necessary"),
        analytics.provider,
        url,
        ("/", declaration),
        stand_ins(analytics, embeds),
    )


CLINIC = facts_of("clinic", ROOT)
EXAMPLE_SITE = facts_of("example", EXAMPLE)
DOCS_SITE = facts_of("docs", DOCS)


def docs_project(dest: Path) -> Path:
    """A copy of the documentation example with its third-party files in docs/vendor/, copied
    from the pinned npm packages (``npm run vendor``, the step its package.json gives a person)."""
    modules = DOCS / "node_modules"
    if not modules.is_dir():
        pytest.fail(
            f"{modules} is missing: scripts/test installs the example's pinned npm packages "
            "(npm ci --prefix examples/tidewater-docs)",
            pytrace=False,
        )
    shutil.copytree(DOCS, dest, ignore=shutil.ignore_patterns("node_modules", "vendor"))
    (dest / "node_modules").symlink_to(modules)
    result = subprocess.run(["npm", "run", "vendor"], cwd=dest, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="session")
def served_docs(request):
    """The third site (the documentation example), built and served like the others."""
    return served(
        built_once(
            request,
            "docs",
            lambda folder, url: {"build": build_there(docs_project(folder / "project"), folder, url)},
        )
    )


@pytest.fixture(scope="session")
def served_example(request):
    """The second site (examples/), built and served like the clinic's."""
    return served(
        built_once(request, "example", lambda folder, url: {"build": build_there(EXAMPLE, folder, url)})
    )


SITES = {
    "clinic": (CLINIC, "served_site"),
    "example": (EXAMPLE_SITE, "served_example"),
    "docs": (DOCS_SITE, "served_docs"),
}


@pytest.fixture(scope="session", params=list(SITES))
def consent_site(request) -> tuple[SiteFacts, str]:
    """Each site built with the kit, served: (its facts, its base URL). The consent cases that
    take it run against all three, the same cases."""
    facts, served = SITES[request.param]
    return facts, request.getfixturevalue(served)[1]


@dataclass
class Visitor:
    """One browser context (one visitor) of one site, with what it sent off the site recorded."""

    context: object
    page: object
    base_url: str
    facts: SiteFacts = CLINIC
    external: list = field(default_factory=list)  # every request to another origin
    analytics_requests: list = field(default_factory=list)  # of the analytics service's script
    errors: list = field(default_factory=list)  # uncaught JavaScript errors

    def record(self, url: str) -> None:
        self.external.append(url)
        if url.startswith(self.facts.analytics_url):
            self.analytics_requests.append(url)

    def goto(self, path: str = "/"):
        self.page.goto(self.base_url + path)
        return self.page

    def storage(self) -> dict:
        return self.page.evaluate(
            "() => ({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})"
        )


@pytest.fixture
def new_visitor(browser, base_url):
    """Factory: new_visitor(url=None, facts=CLINIC, **context_options) -> Visitor; nothing leaves
    the machine (the site's declared services are answered by their stand-ins)."""
    contexts = []

    def make(url: str | None = None, facts: SiteFacts = CLINIC, **options) -> Visitor:
        context = browser.new_context(**options)
        contexts.append(context)
        visitor = Visitor(context, context.new_page(), url or base_url, facts)
        offline(context, visitor.base_url.rsplit(":", 1)[0], visitor.record, facts.stand_ins)
        visitor.page.on("pageerror", lambda error: visitor.errors.append(str(error)))
        return visitor

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def visitor(new_visitor) -> Visitor:
    return new_visitor()


@pytest.fixture
def site_visitor(new_visitor, consent_site) -> Visitor:
    """A new visitor of each site in turn (the consent cases both sites must pass)."""
    facts, url = consent_site
    return new_visitor(url=url, facts=facts)


# --- What the browser tests share (the banner's public DOM contract comes from the package) ------

PROPERTY = TEST_PROPERTY  # the measurement ID the session build carries


def banner_visible(page) -> bool:
    return page.locator(contract.BANNER).is_visible() and page.locator(ACCEPT).is_visible()


def wait_for_analytics(visitor):
    """Wait until this page view has run the analytics service's stand-in, exactly once."""
    visitor.page.wait_for_function(f"() => window.__{visitor.facts.provider}StandIn === 1")
    assert visitor.analytics_requests


# The analytics services as they behave once they run: unlike the kit's stand-ins, which send one
# request at load, these keep sending (and keep setting their cookies) every 100 ms, as the real
# ones do with each event, until they are told to stop in the one way each can be told: gtag.js by
# window["ga-disable-<id>"] (checked for each hit, as the real one does), Matomo by the command
# forgetConsentGiven. Plausible cannot be told: it sends until its requests are refused.
LIVING_ANALYTICS = {
    "google": """(function () {
  window.__googleStandIn = (window.__googleStandIn || 0) + 1;
  var id = new URL(document.currentScript.src).searchParams.get("id");
  setInterval(function () {
    if (window["ga-disable-" + id]) return;
    document.cookie = "_ga=GA1.1.1." + Date.now() + "; max-age=3600; path=/";
    navigator.sendBeacon("https://region1.google-analytics.com/g/collect?v=2&en=user_engagement&tid=" + id);
  }, 100);
})();""",
    "matomo": """(function () {
  window.__matomoStandIn = (window.__matomoStandIn || 0) + 1;
  var consent = false, tracker = "", id = "1";
  function run(c) {
    if (c[0] === "setTrackerUrl") tracker = c[1];
    if (c[0] === "setSiteId") id = c[1];
    if (c[0] === "setConsentGiven") consent = true;
    if (c[0] === "forgetConsentGiven") consent = false;
  }
  (window._paq || []).forEach(run);
  window._paq = { push: function () { for (var c of arguments) run(c); } };
  setInterval(function () {
    if (!consent) return;
    document.cookie = "_pk_ses." + id + ".0f1e=1; max-age=1800; path=/";
    navigator.sendBeacon(tracker + "?idsite=" + id + "&rec=1&ping=1");
  }, 100);
})();""",
    "plausible": """(function () {
  window.__plausibleStandIn = (window.__plausibleStandIn || 0) + 1;
  var endpoint = new URL("/api/event", document.currentScript.src).href;
  setInterval(function () {
    fetch(endpoint, { method: "POST", body: "{}", keepalive: true }).catch(function () {});
  }, 100);
})();""",
}


def keep_analytics_alive(visitor) -> None:
    """This visitor's analytics service, answered by its LIVING_ANALYTICS stand-in."""

    def answer(route):
        visitor.record(route.request.url)
        route.fulfill(
            status=200, content_type="text/javascript", body=LIVING_ANALYTICS[visitor.facts.provider]
        )

    visitor.context.route(visitor.facts.analytics_url + "*", answer)


def analytics_cookies(visitor) -> list[str]:
    """The names of this visitor's cookies that its site declares as analytics cookies."""
    declared = Project(visitor.facts.project / "mkdocs.yml").options.consent.categories["analytics"].cookies
    prefixes = [c.name.removesuffix("*") for c in declared]
    return [c["name"] for c in visitor.context.cookies() if any(c["name"].startswith(p) for p in prefixes)]


# A withdrawal in a visitor's tabs: the steps the tests of every service share.
ANALYTICS_BOX = category_box("analytics")
QUIET = 1000  # ms: ten hits of a living stand-in


def open_tab(visitor, path: str):
    """Another tab of the same visitor (one browser profile: one storage, one cookie jar)."""
    page = visitor.context.new_page()
    page.on("pageerror", lambda error: visitor.errors.append(str(error)))
    page.goto(visitor.base_url + path)
    return page


def runs_analytics(visitor, page) -> None:
    page.wait_for_function(
        f"() => window.__{visitor.facts.provider}StandIn === 1"
    )  # (30 s: a loaded machine)


def withdraw(page) -> None:
    page.click(OPEN)
    page.uncheck(ANALYTICS_BOX)
    page.click(SAVE)


def followed(page) -> None:
    """The page has applied the withdrawal: analytics is no longer granted there."""
    page.wait_for_function("() => !document.documentElement.dataset.consent.split(' ').includes('analytics')")


def sends_nothing_more(visitor, page) -> None:
    sent = len(visitor.external)
    page.wait_for_timeout(QUIET)
    assert visitor.external[sent:] == []


RECORD_LAYOUT_SHIFTS = layout_shifts.RECORD


def layout_shifts_below_the_header(page) -> list:
    """The layout shifts recorded on ``page`` (RECORD_LAYOUT_SHIFTS) that moved anything outside
    Material's header (privacy_kit.tools.layout_shifts: the rule the benchmark budgets by)."""
    return layout_shifts.below_the_header(page.evaluate(layout_shifts.RECORDED))


def settle(page):
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)


def axe_violations(page) -> list:
    """axe-core's WCAG 2.2 AA violations. Run in a context with bypass_csp=True: injecting axe is
    an inline script, which the site's CSP rightly forbids (the CSP has its own tests)."""
    from pathlib import Path

    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


# --- How the suite runs (scripts/test: a worker per core and one more; --fast: the fast subset) ----


def pytest_itemcollected(item):
    if "browser" in item.fixturenames or "visitor" in item.fixturenames:
        item.add_marker(pytest.mark.browser)


def module_fixtures(item) -> set[tuple[str, str]]:
    """The module fixtures ``item`` uses, each as (name, instance): the instance is told by the
    parameters of the module fixtures it uses (their strings: the same string is the same
    instance to pytest; else their indices)."""
    shared = {
        name
        for name, definitions in item._fixtureinfo.name2fixturedefs.items()
        if definitions[-1].scope in ("module", "class", "package")
    }
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec else {}
    instance = "".join(  # in (), not []: pytest-xdist takes a node ID ending in "]" for ungrouped
        f"({name}={params[name] if isinstance(params[name], str) else callspec.indices[name]})"
        for name in sorted(shared & set(params))
    )
    return {(name, instance) for name in shared}


def group_by_module_fixtures(items) -> None:
    """pytest-xdist's --dist loadgroup: the tests that share an instance of a module fixture (and
    so, through it, any other) run in one worker, so that it is made once; every other test goes
    to whichever worker is free (the session's sites are shared by all workers)."""
    parent: dict = {}

    def root(key):
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    uses = {}
    for item in items:
        keys = [(item.path, *key) for key in sorted(module_fixtures(item))]
        uses[item] = keys
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    for item, keys in uses.items():
        if keys:
            _, name, instance = root(keys[0])
            item.add_marker(pytest.mark.xdist_group(f"{item.path.name}:{name}{instance}"))


def grouped(item) -> bool:
    """Whether pytest-xdist's --dist loadgroup, by its own rule, runs ``item`` in its xdist_group:
    it reads the group from the node ID, and only where the ID does not end in "]"."""
    from xdist.scheduler import LoadGroupScheduling

    group = item.get_closest_marker("xdist_group").args[0]
    scheduler = LoadGroupScheduling.__new__(LoadGroupScheduling)  # _split_scope reads only the ID
    return scheduler._split_scope(item.nodeid) == group


def weight(item) -> int:
    """The order work is handed out in: the slow tests, then the groups of tests that run
    together in one worker, then the other browser tests, then the rest."""
    if item.get_closest_marker("slow"):
        return 0
    if item.get_closest_marker("xdist_group"):
        return 1
    return 2 if item.get_closest_marker("browser") else 3


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Before every other plugin (pytest-xdist reads the groups): the groups. After all (pytest
    reorders by fixtures): the longest work first and the short tests last, to fill the gaps
    (scripts/test passes --no-loadscope-reorder, so pytest-xdist hands out work in this order)."""
    group_by_module_fixtures(items)
    result = yield
    if getattr(config.option, "loadgroup", False) and hasattr(config, "workerinput"):  # set by pytest-xdist
        ungrouped = [
            item.nodeid for item in items if item.get_closest_marker("xdist_group") and not grouped(item)
        ]
        if ungrouped:  # pytest-xdist marks a group in the node ID; pytest 9.2 no longer reads what it sets
            raise pytest.UsageError(
                f"pytest-xdist's --dist loadgroup did not group {ungrouped[0]} (and {len(ungrouped) - 1} more): "
                "a pytest that pytest-xdist cannot rename node IDs in (pyproject.toml pins one that works), "
                "or a group name pytest-xdist does not read as one"
            )
    items.sort(key=weight)  # stable: the tests of each group keep their order
    return result


STARTED = time.monotonic()


def pytest_terminal_summary(terminalreporter, config):
    """The suite says how long it took: the wall time of the run and the modules that took longest
    (setup, call and teardown of their tests added up, in whichever worker ran them)."""
    if hasattr(config, "workerinput"):
        return
    per_module: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if hasattr(report, "duration") and hasattr(report, "nodeid") and report.nodeid:
                module = report.nodeid.split("::")[0]
                per_module[module] = per_module.get(module, 0.0) + report.duration
    workers = getattr(config.option, "numprocesses", None) or 1
    selection = config.option.markexpr or "every test"
    terminalreporter.write_sep("=", "time")
    terminalreporter.write_line(
        f"wall time {time.monotonic() - STARTED:.0f} s for {selection} in {workers} process(es)"
        f" on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    slowest = sorted(per_module.items(), key=lambda item: -item[1])[:8]
    terminalreporter.write_line(
        "slowest modules: "
        + ", ".join(f"{module.removeprefix('tests/')} {seconds:.0f} s" for module, seconds in slowest)
    )
