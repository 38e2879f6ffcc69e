"""The consent cases of cases.json in WebKitGTK: Debian's MiniBrowser through WebKitWebDriver under
Xvfb, driven by selenium. Usage: python tests/engines/webkit.py BASE_URL (the built site on
http://127.0.0.1:PORT). Prints one JSON object, as firefox.mjs does: {engine, cases: {name: {ok,
error?} or {skipped}}}, in the order of cases.json; tests/browser/test_engines.py runs it.

WebDriver cannot intercept requests, so MiniBrowser sends every request (--proxy) to a forward
proxy started here, which records each one that is not for the site, forwards the site's (at
127.0.0.1 and at www.maestro.test, a name with a parent domain for the cookie cases) to the site's
server, answers Google's gtag.js with the stub the other engines use (over TLS with a throw-away
certificate: acceptInsecureCerts) and refuses everything else, so nothing leaves the machine.
WebDriver's proxy capability is no use with WebKitGTK 2.50: it turns sslProxy into an https://
proxy, which must present a certificate the system trusts, and socksProxy changes nothing. Paths: WEBKIT_DRIVER (WebKitWebDriver) and
WEBKIT_BROWSER (MiniBrowser); unset or empty, Debian's."""

from __future__ import annotations

import contextlib
import faulthandler
import glob
import http.client
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.client_config import ClientConfig

HERE = Path(__file__).resolve().parent
ENGINE_CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
CASES, STAND_INS = ENGINE_CASES["cases"], ENGINE_CASES["stand-ins"]
# A hit the living stand-in sent while its page still held analytics granted: sent before the
# withdrawal, arriving late on a loaded machine (quiet counts only what was sent after it).
IN_FLIGHT = ENGINE_CASES["in-flight"]
# How long a wait step may take: a condition that holds ends it at once, so only a failing case waits it out.
WAIT_S = ENGINE_CASES["wait-seconds"]
# How long the whole run may take: each case its case-seconds (a failed wait included).
RUN_S = len(CASES) * ENGINE_CASES["case-seconds"]
PROBES = (HERE / "probes.js").read_text(encoding="utf-8")
GTAG_HOST = "www.googletagmanager.com"
GTAG = f"https://{GTAG_HOST}/gtag/js?id="
KEYS = {"Enter": Keys.ENTER, "Escape": Keys.ESCAPE}
# What WebKitGTK cannot do of what a case needs, and why.
CANNOT = {"gpc": "WebKitGTK sends no Global Privacy Control: navigator.globalPrivacyControl is undefined"}
# Classic WebDriver sees no console: the page itself records what the cases must not cause.
RECORD_ERRORS = """
window.__caseErrors = [];
addEventListener("error", (e) => __caseErrors.push(`page error: ${e.message}`));
addEventListener("unhandledrejection", (e) => __caseErrors.push(`unhandled rejection: ${e.reason}`));
document.addEventListener("securitypolicyviolation",
  (e) => __caseErrors.push(`CSP blocked ${e.blockedURI} (${e.violatedDirective})`));
"""


def webkit_driver() -> str | None:
    return shutil.which(os.environ.get("WEBKIT_DRIVER") or "WebKitWebDriver")


def minibrowser() -> str | None:
    debian = glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
    return shutil.which(os.environ.get("WEBKIT_BROWSER") or (debian[0] if debian else "MiniBrowser"))


class Proxy(http.server.ThreadingHTTPServer):
    """The forward proxy every request of MiniBrowser goes through; ``offsite`` lists the URLs
    of the requests not for the site, ``forwarded`` counts those for it."""

    daemon_threads = True

    def __init__(self, site: str, tls: ssl.SSLContext):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.site_port = urlsplit(site).port
        self.site_hosts = {urlsplit(site).hostname, "www.maestro.test"}
        self.tls = tls
        self.offsite: list[str] = []
        self.forwarded = 0
        self.stand_in = STAND_INS["once"].encode()  # what answers gtag.js: the case's (cases.json)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that quit mid-request
            super().handle_error(request, client_address)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Proxy

    def do_CONNECT(self):
        if self.path != f"{GTAG_HOST}:443":
            self.server.offsite.append(f"https://{self.path}/")
            return self.send_error(403, "refused: not for the site")
        self.send_response(200)
        self.end_headers()
        self.close_connection = True
        try:
            tunnel = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.server.offsite.append(f"https://{self.path}/ (TLS failed: {error})")
            return
        # Answer as Google would, inside the tunnel (the inner handler records the request).
        ProxyHandler(tunnel, self.client_address, self.server)

    def do_GET(self):
        url = urlsplit(
            self.path if self.path.startswith("http") else f"https://{self.headers['Host']}{self.path}"
        )
        if url.hostname in self.server.site_hosts and url.port == self.server.site_port:
            return self.forward(url)
        self.server.offsite.append(url.geturl())
        if not url.geturl().startswith(GTAG):
            return self.send_error(403, "refused: not for the site")
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript")
        self.send_header("Content-Length", str(len(self.server.stand_in)))
        self.end_headers()
        self.wfile.write(self.server.stand_in)

    do_HEAD = do_POST = do_GET

    def forward(self, url):
        self.server.forwarded += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("connection", "proxy-connection")
        }
        site = http.client.HTTPConnection("127.0.0.1", self.server.site_port, timeout=30)
        try:
            site.request(self.command, url.path + (f"?{url.query}" if url.query else ""), body, headers)
            response = site.getresponse()
            content = response.read()
        finally:
            site.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def proxy(site: str):
    """The proxy on a free port of 127.0.0.1, with a throw-away certificate for Google's host."""
    with tempfile.TemporaryDirectory() as tmp:
        key, cert = f"{tmp}/key.pem", f"{tmp}/cert.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", cert, "-days", "1", "-subj", f"/CN={GTAG_HOST}",
             "-addext", f"subjectAltName=DNS:{GTAG_HOST}"],
            check=True, capture_output=True,
        )  # fmt: skip
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
    server = Proxy(site, tls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def xvfb():
    """A virtual X display of its own for MiniBrowser; yields its name (":N")."""
    read, write = os.pipe()
    server = subprocess.Popen(
        # -noreset: by default the server resets when its last client leaves, and a MiniBrowser
        # that starts meanwhile "cannot open display" (and WebKitWebDriver waits for it for ever).
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=[write],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as display:
            yield ":" + display.readline().strip()
    finally:
        server.terminate()
        server.wait()


class Visitor:
    """One WebDriver session: a new MiniBrowser with nothing stored, as a new visitor."""

    def __init__(self, driver_url: str, proxy: Proxy, base: str, stand_in: str = "once"):
        options = webdriver.WebKitGTKOptions()
        options.binary_location = minibrowser()
        options.add_argument("--automation")
        options.add_argument(f"--proxy=http://127.0.0.1:{proxy.server_address[1]}")
        options.accept_insecure_certs = True  # the throw-away certificate of the gtag.js stub
        # Every command gives up after 60 s (selenium's client waits for ever by default), so a
        # MiniBrowser that did not start fails its case instead of hanging the run.
        client = ClientConfig(driver_url, timeout=60)
        self.driver = webdriver.Remote(command_executor=driver_url, options=options, client_config=client)
        self.driver.set_page_load_timeout(30)
        self.proxy, self.base, self.errors = proxy, urlsplit(base), []
        self.tabs = [self.driver.current_window_handle]  # one browser profile: one storage, one cookie jar
        proxy.offsite.clear()
        proxy.stand_in = STAND_INS[stand_in].encode()

    def run(self, statements: str):
        return self.driver.execute_script(f"{PROBES}\n{statements}")

    def value(self, expression: str):
        return self.run(f"return ({expression});")

    def collect_errors(self):
        self.errors += self.run("return window.__caseErrors || [];")

    def perform(self, step: dict):
        if "open" in step:
            self.collect_errors()
            forwarded = self.proxy.forwarded
            self.driver.get(f"http://{step.get('host', self.base.hostname)}:{self.base.port}{step['open']}")
            check(self.proxy.forwarded > forwarded, "the page did not come through the proxy")
            self.run(RECORD_ERRORS)
        elif "click" in step:
            self.driver.find_element(By.CSS_SELECTOR, step["click"]).click()
        elif "press" in step:
            if "on" in step:
                self.driver.execute_script(
                    "arguments[0].focus()", self.driver.find_element(By.CSS_SELECTOR, step["on"])
                )
            ActionChains(self.driver).send_keys(KEYS[step["press"]]).perform()
        elif "run" in step:
            self.run(step["run"])
        elif "wait" in step:
            wait_until(lambda: self.value(step["wait"]), step["wait"])
        elif "expect" in step:
            actual = self.value(step["expect"])
            check(
                actual == step["is"],
                f"{step['expect']}: expected {as_json(step['is'])}, got {as_json(actual)}",
            )
        elif "tab" in step:
            check(step["tab"] <= len(self.tabs) + 1, f"tab {step['tab']}: only {len(self.tabs)} open")
            self.collect_errors()
            if step["tab"] > len(self.tabs):
                self.driver.switch_to.new_window("tab")
                self.tabs.append(self.driver.current_window_handle)
            self.driver.switch_to.window(self.tabs[step["tab"] - 1])
        elif "back" in step:
            self.collect_errors()
            self.driver.back()
            wait_until(
                lambda: self.value(f"location.pathname === {as_json(step['back'])}"),
                f"back at {step['back']}",
            )
        elif "quiet" in step:
            sent = len(self.proxy.offsite)
            time.sleep(step["quiet"] / 1000)
            late = [url for url in self.proxy.offsite[sent:] if IN_FLIGHT not in url]
            check(not late, f"requests off the site within {step['quiet']} ms: {', '.join(late)}")
        elif "offsite" in step:
            gtag = sum(url.startswith(GTAG) for url in self.proxy.offsite)
            sent = {"gtag": gtag, "other": len(self.proxy.offsite) - gtag}
            check(
                sent == step["offsite"],
                f"requests off the site: expected {as_json(step['offsite'])}, got {as_json(sent)}: {', '.join(self.proxy.offsite)}",
            )
        else:
            raise ValueError(f"unknown step {as_json(step)}")


def wait_until(condition, what: str) -> None:
    """Waits until ``condition()`` is true: WAIT_S at most."""
    end = time.monotonic() + WAIT_S
    while not condition():
        check(time.monotonic() < end, f"still not true after {WAIT_S} s: {what}")
        time.sleep(0.025)


def as_json(value) -> str:
    """As firefox.mjs writes it (JSON.stringify), so both engines word a failure alike."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def check(condition, message: str):
    if not condition:
        raise AssertionError(message)


def run_case(case: dict, driver_url: str, proxy: Proxy, base: str) -> dict:
    """Runs the steps of ``case`` as a new visitor."""
    where, visitor = "starting MiniBrowser", None
    try:
        visitor = Visitor(driver_url, proxy, base, case.get("stand-in", "once"))
        for number, step in enumerate(case["steps"], 1):
            where = f"step {number} {as_json(step)}"
            visitor.perform(step)
        where = "after the last step"
        visitor.collect_errors()
        check(not visitor.errors, " | ".join(visitor.errors))
        return {"ok": True}
    except Exception as error:  # every failure is the case's result
        kind = "" if isinstance(error, AssertionError) else f"{type(error).__name__}: "
        message = str(getattr(error, "msg", None) or error).split("; For documentation on this error")[0]
        return {"ok": False, "error": f"{where}: {kind}{message.strip()}"}
    finally:
        if visitor:
            visitor.driver.quit()


def main(base: str):
    if not (webkit_driver() and minibrowser()):  # and never let selenium go and download a driver
        sys.exit(
            "WebKitWebDriver or MiniBrowser missing: apt-get install webkit2gtk-driver (or set WEBKIT_*)"
        )
    faulthandler.dump_traceback_later(RUN_S, exit=True)  # a hang ends with where it hung, not silence
    results = {}
    with xvfb() as display, proxy(base) as server:
        os.environ["DISPLAY"] = display
        service = webdriver.WebKitGTKService(executable_path=webkit_driver())
        service.start()
        try:
            for case in CASES:
                if case.get("needs") in CANNOT:
                    results[case["name"]] = {"skipped": CANNOT[case["needs"]]}
                    continue
                start = time.monotonic()
                results[case["name"]] = run_case(case, service.service_url, server, base)
                print(f"{time.monotonic() - start:5.1f} s  {case['name']}", file=sys.stderr, flush=True)
        finally:
            service.stop()
        version = subprocess.run([minibrowser(), "--version"], capture_output=True, text=True).stdout.split()
    print(json.dumps({"engine": f"webkitgtk/{version[-1] if version else '?'}", "cases": results}))


if __name__ == "__main__":
    main(sys.argv[1])
