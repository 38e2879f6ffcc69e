"""Serving a built site as static hosts do: at the path of its address (``https://example.org/docs/``
is served at ``/docs/``), with the headers of its ``_headers`` file, each language's 404 page, a 404
for the deploy files whose names start with ``_``; and a real nginx with the build's
``_nginx.conf``, as the README tells operators. A visitor that closes its connection early (a
browser that moves on) is no error."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree


def site_pages(site: Path, site_url: str) -> list[str]:
    """Every page of a built site: the URLs of its sitemap, then each language's 404 page."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    paths = ["/" + loc.removeprefix(site_url) for loc in locs]
    return paths + ["/" + p.relative_to(site).as_posix() for p in sorted(site.rglob("404.html"))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def header_rules(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of a Netlify/Cloudflare ``_headers`` file: (path pattern, [(name, value)])."""
    rules = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                rules.append((line.strip(), []))
            elif rules and ":" in line:
                name, value = line.strip().split(":", 1)
                rules[-1][1].append((name.strip(), value.strip()))
    return rules


@functools.cache
def _cached_rules(path: Path, stamp: tuple[int, int]) -> list[tuple[str, list[tuple[str, str]]]]:
    return header_rules(path)


def base_path(site_url: str | None) -> str:
    """The path a site is served at: that of its address, ending in "/" ("/" for none)."""
    return urlsplit(site_url or "/").path.rstrip("/") + "/"


def deployed_path(config_file: Path) -> str:
    """The path the site of ``config_file`` is deployed at: that of its ``site_url`` (as the build
    reads it, SITE_URL included where the file takes it from there), "/" when it has none."""
    from mkdocs.config import load_config

    return base_path(load_config(str(config_file)).site_url)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as a static host does: at ``base`` (the path of the site's address;
    anything outside it is not found), with the headers of its ``_headers`` file (a Content-Type
    there replaces the guessed one), the 404 page of the request's language, and a 404 for the
    deploy files whose names start with ``_`` (hosts hide them)."""

    @property
    def base(self) -> str:
        return self.server.base

    def log_message(self, *args):
        pass

    def _site_path(self) -> str | None:
        """The request's path inside the site ("/" is its home), None when outside it."""
        path = urlsplit(self.path).path
        if path + "/" == self.base:
            return "/"
        return "/" + path.removeprefix(self.base) if path.startswith(self.base) else None

    def _rules(self) -> list[tuple[str, str]]:
        path = self._site_path() or ""
        headers = Path(self.directory) / "_headers"
        stamp = (headers.stat().st_mtime_ns, headers.stat().st_size) if headers.is_file() else (0, 0)
        return [
            (name, value)
            for pattern, found in _cached_rules(headers, stamp)
            if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1]))
            for name, value in found
        ]

    def translate_path(self, path):
        inside = self._site_path()
        return super().translate_path(inside if inside is not None else "/_outside")

    def guess_type(self, path):
        types = [value for name, value in self._rules() if name.lower() == "content-type"]
        return types[-1] if types else super().guess_type(path)

    def send_head(self):
        inside = self._site_path()
        if inside is None or inside.startswith("/_"):
            self.send_error(404)
            return None
        return super().send_head()

    def end_headers(self):
        for name, value in self._rules():
            if name.lower() != "content-type":
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        parts = (self._site_path() or "/").strip("/").split("/")
        pages = [Path(self.directory) / parts[0] / "404.html", Path(self.directory) / "404.html"]
        page = next((p for p in pages if code == 404 and p.is_file()), None)
        if page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    """A threading HTTP server of a site at the path ``base``, for which a client that closes its
    connection before the answer is complete (a browser that navigates on, a context closed) is
    not an error to print."""

    daemon_threads = True
    base = "/"

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipe, ConnectionReset, ...
            return
        super().handle_error(request, client_address)


def site_server(directory: Path, port: int = 0, base: str = "/") -> Server:
    """A server of ``directory`` at the path ``base`` on 127.0.0.1 (a free port unless given)."""
    server = Server(("127.0.0.1", port), functools.partial(SiteHandler, directory=str(directory)))
    server.base = base
    return server


@contextlib.contextmanager
def serve(directory: Path, port: int = 0, base: str = "/"):
    """Serve ``directory`` (it may still be empty) on 127.0.0.1 (a free port unless given) at the
    path ``base`` as a static host would; yields the origin (``http://127.0.0.1:<port>``)."""
    directory.mkdir(parents=True, exist_ok=True)
    server = site_server(directory, port, base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


NGINX_CONF = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{user}
events {{ worker_connections 64; }}
http {{
  include {mime_types};
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {site};
    include {site}/_nginx.conf;
  }}
}}
"""


def find_nginx() -> str | None:
    return (
        os.environ.get("NGINX")
        or shutil.which("nginx")
        or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)
    )


@contextlib.contextmanager
def nginx(site: Path, port: int = 0):
    """Serve a built ``site`` with a real nginx and the build's ``_nginx.conf`` included in its
    server block, as the README tells operators; yields the base URL."""
    binary = find_nginx()
    if binary is None:
        raise RuntimeError(
            "nginx not found: install it (Debian, Ubuntu: apt-get install nginx), or set NGINX=/path/to/nginx"
        )
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="privacy-kit-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                tmp=tmp,
                port=port,
                site=site.resolve(),
                mime_types="/etc/nginx/mime.types",
                user="user root;" if os.geteuid() == 0 else "",  # workers must read a private temp folder
            ),
            encoding="utf-8",
        )
        process = subprocess.Popen(
            [binary, "-p", tmp, "-c", str(conf), "-e", f"{tmp}/error.log"], stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"nginx did not start: {process.stderr.read() if process.stderr else ''}"
                    )
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)
