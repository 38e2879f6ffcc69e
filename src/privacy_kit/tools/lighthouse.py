"""Lighthouse, mobile preset, on every page served by a real nginx with the generated snippet
(``privacy-kit lighthouse``; scripts/lighthouse here). Prints a table of the four category scores per page and exits 1
when a page scores below the targets: accessibility, best practices and SEO 100, performance 95.

The site is built for the address nginx serves it at (as if deployed there), with GA_PROPERTY
as set or else a test property, so the banner is on every page as visitors see it. Lighthouse
runs Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) with simulated mobile throttling.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..command_line import parser as command_parser
from ..serving.building import TEST_PROPERTY, build
from ..serving.chromium import find_chromium
from ..serving.hosting import free_port, nginx, site_pages

CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def lighthouse_binary(project: Path) -> Path:
    """Lighthouse as scripts/lighthouse installs it from npm (pinned), or LIGHTHOUSE."""
    return Path(
        os.environ.get("LIGHTHOUSE")
        or project / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
    )


def audit(url: str, chrome: str, out: Path, binary: Path) -> dict:
    """One Lighthouse run (mobile is its default form factor); the report's categories and failures."""
    for attempt in range(3):  # Lighthouse sometimes fails to record a trace (NO_NAVSTART): retry
        run = subprocess.run(
            [
                str(binary),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": chrome},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode == 0:
            break
        print(
            f"  Lighthouse failed on {url} (try {attempt + 1} of 3): {run.stderr.strip()[-300:]}",
            file=sys.stderr,
        )
    else:
        raise SystemExit(f"error: Lighthouse failed three times on {url}")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = sorted(
        audit_id
        for name in CATEGORIES
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] is not None
        and report["audits"][audit_id]["score"] < 1
        and name != "performance"
    )
    return {"scores": scores, "failing": failing}


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("lighthouse", "Lighthouse (mobile preset) on every page served by nginx.")
    parser.add_argument("paths", nargs="*", help="pages to audit, e.g. / /en/cookies/ (default: every page)")
    parser.add_argument(
        "--json", type=Path, help="where to write JSON (default: bench-results/lighthouse.json)"
    )
    args = parser.parse_args(argv)
    config = args.config_file.resolve()
    project = config.parent
    json_path = args.json or project / "bench-results" / "lighthouse.json"
    binary = lighthouse_binary(project)
    chrome = os.environ.get("CHROME_PATH") or find_chromium()
    if not binary.exists() or not chrome:
        print(
            "error: Lighthouse or Chromium missing: install Lighthouse 12 from npm (npm install lighthouse@12) "
            "and set LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse, and Chromium (apt-get install chromium) "
            "or set CHROME_PATH",
            file=sys.stderr,
        )
        return 1
    port = free_port()
    results = {}
    with tempfile.TemporaryDirectory(prefix="privacy-kit-lighthouse-") as tmp:
        base = f"http://127.0.0.1:{port}"
        built = build(
            project,
            Path(tmp) / "site",
            config_file=config.name,
            site_url=base + "/",
            ga_property=os.environ.get("GA_PROPERTY") or TEST_PROPERTY,
        )
        if built.returncode != 0:
            print(built.output, file=sys.stderr)
            return 1
        paths = args.paths or site_pages(built.site, base + "/")
        with nginx(built.site, port):
            print(
                "| Page | Performance | Accessibility | Best practices | SEO | Below 100 (not performance) |"
            )
            print("|---|---|---|---|---|---|")
            for path in paths:
                result = audit(base + path, chrome, Path(tmp) / "report.json", binary)
                results[path] = result
                s = result["scores"]
                print(
                    f"| `{path}` | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | "
                    f"{', '.join(result['failing']) or '–'} |",
                    flush=True,
                )
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    low = [
        f"{path}: {name} {score} < {CATEGORIES[name]}"
        for path, result in results.items()
        for name, score in result["scores"].items()
        if score < CATEGORIES[name]
    ]
    print(f"\nLighthouse 12.2.3, mobile preset, nginx with _nginx.conf; JSON: {json_path}")
    for line in low:
        print(f"BELOW TARGET: {line}", file=sys.stderr)
    return 1 if low else 0
