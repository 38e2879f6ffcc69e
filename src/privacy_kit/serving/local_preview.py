"""``privacy-kit serve``: ``mkdocs serve`` as a local preview of the product (``scripts/serve``
here). The kit keeps the banner, the preferences and analytics working as published, but writes
the addresses of the declared services' stand-ins into the pages and the stand-ins into the site
(consent/local.py), so nothing reaches the analytics service or an embed's host, and every page
says at its top that it is a local preview. Without GA_PROPERTY it sets a test measurement ID, so
that a Google Analytics site shows its banner.

    privacy-kit serve [-f mkdocs.yml] [--port N] [--real-services]

``--real-services`` is plain ``mkdocs serve``: the real services load after consent. A build is
never a local preview: only ``mkdocs serve`` with ``PRIVACY_KIT_LOCAL_PREVIEW=1``, which this
command sets for the server it runs, is.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys

from ..consent.local import SWITCH
from .building import TEST_PROPERTY


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="privacy-kit serve", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml")
    parser.add_argument("--port", type=int, default=8000, help="on 127.0.0.1 (default 8000)")
    parser.add_argument("--real-services", action="store_true", help="no stand-ins: plain mkdocs serve")
    args = parser.parse_args(argv)
    from mkdocs.__main__ import cli

    os.environ.pop(SWITCH, None)
    if not args.real_services:
        if not os.environ.get("GA_PROPERTY"):
            os.environ["GA_PROPERTY"] = TEST_PROPERTY
        os.environ[SWITCH] = "1"
        print("Local preview: the services the site declares are answered on this machine.", file=sys.stderr)

    def stop(signum, frame):  # mkdocs serve removes its temporary folder on Ctrl-C: SIGTERM the same
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve = ["serve", "--strict", "-f", args.config_file, "--dev-addr", f"127.0.0.1:{args.port}"]
    with contextlib.suppress(KeyboardInterrupt):
        cli.main(serve, prog_name="mkdocs", standalone_mode=False)
    return 0
