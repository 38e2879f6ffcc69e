"""Build the site as it is deployed and serve it as the hosts do (``privacy-kit preview``;
``scripts/preview`` in this project).

The production build goes into a temporary folder (never site/, so a preview cannot be uploaded
by mistake: its absolute URLs point to this preview's address), removed again when the preview
stops, with Ctrl-C or SIGTERM. It is served with the generated headers (Content-Security-Policy,
feed content type, ...), each language's 404 page, and a 404 for the deploy files whose names
start with ``_``. The port is taken before the build, but no request is answered until the build
is ready: a browser opened early waits for the real page.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from ..command_line import parser as command_parser
from .building import build
from .hosting import deployed_path, site_server


def stop(signum, frame):
    raise KeyboardInterrupt  # SIGTERM ends the preview like Ctrl-C: cleaned up in main's finally


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("preview", "Build the site as it is deployed and serve it as the hosts do.")
    parser.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default 8001)")
    args = parser.parse_args(argv)
    config = args.config_file.resolve()
    signal.signal(signal.SIGTERM, stop)
    folder = Path(tempfile.mkdtemp(prefix="privacy-kit-preview-"))
    server = None
    try:
        site = folder / "site"
        try:
            server = site_server(site, args.port)
        except OSError as error:
            print(f"error: cannot listen on 127.0.0.1:{args.port} ({error}); try --port N", file=sys.stderr)
            return 1
        path = server.base = deployed_path(config)  # https://example.org/docs/ is previewed at /docs/
        url = f"http://127.0.0.1:{server.server_address[1]}{path}"
        print(f"Building the production site for {url} ...", flush=True)
        # As an operator builds it, but for this address; GA_PROPERTY as set (empty: unset).
        result = build(
            config.parent,
            site,
            site_url=url,
            ga_property=os.environ.get("GA_PROPERTY") or None,
            config_file=config.name,
            progress=lambda line: print(line, flush=True),
        )
        if result.returncode != 0:
            print(result.output, file=sys.stderr)
            return 1
        print(f"Serving the production build as the hosts do on {url} (Ctrl-C stops)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.server_close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0
