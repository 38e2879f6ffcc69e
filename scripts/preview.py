"""Build the site as it is deployed and serve it with its generated security headers (run via
scripts/preview): what you see here is what the tests check and what operators upload."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sitelib import ROOT, build, serve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default 8001)")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="build folder (default: site/)")
    args = parser.parse_args(argv)
    with serve(args.out, port=args.port) as url:
        result = build(ROOT, args.out, site_url=url + "/")
        print(result.output.strip().splitlines()[-1] if result.output.strip() else "")
        if result.returncode != 0:
            print(result.output, file=sys.stderr)
            return 1
        print(f"Serving the production build with its headers on {url}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
