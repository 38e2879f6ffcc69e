"""Screenshots of the policy with the cookie banner and with the preferences open, on a desktop
and a phone, in Dutch and English (run via scripts/screenshots). Written to screenshots/,
which README.md shows."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sitelib import ROOT, build, launch, offline, serve  # noqa: E402

DEVICES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LANGUAGES = {"nl": "/", "en": "/en/"}


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "site") as url, sync_playwright() as p:
        result = build(ROOT, Path(tmp) / "site", site_url=url + "/")
        if result.returncode != 0:
            raise SystemExit(f"screenshots: the site did not build:\n{result.output[-3000:]}")
        browser = launch(p)
        for lang, path in LANGUAGES.items():
            for device, viewport in DEVICES.items():
                context = browser.new_context(viewport=viewport)
                offline(context, url.rsplit(":", 1)[0])
                page = context.new_page()
                page.goto(url + path, wait_until="networkidle")
                for view, action in (
                    ("banner", None),
                    ("preferences", '[data-consent-action="preferences"]'),
                ):
                    if action:
                        page.click(action)
                    target = out / f"{lang}-{device}-{view}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "screenshots", help="folder for the PNGs (default: screenshots/)"
    )
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
