"""Screenshots of the policy with the cookie banner and with the preferences open, on a desktop
and a phone, in the default language and the first other one, and (with Material's colour-scheme
switch) once in the dark scheme (``privacy-kit screenshots``;
scripts/screenshots here). Written to screenshots/, which README.md shows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..command_line import parser as command_parser
from ..command_line import project as load_project
from ..serving.building import build
from ..serving.chromium import launch, offline
from ..serving.hosting import serve

DEVICES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def take(site, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "site") as url, sync_playwright() as p:
        result = build(site.root, Path(tmp) / "site", site_url=url + "/", config_file=site.config_file.name)
        if result.returncode != 0:
            raise SystemExit(f"screenshots: the site did not build:\n{result.output[-3000:]}")
        browser = launch(p)
        languages = site.languages.all[:2]
        for lang, path in ((lang, "/" + site.languages.root(lang)) for lang in languages):
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
        if site.palette_key:  # the dark scheme once: a phone, in the default language, banner open
            context = browser.new_context(viewport=DEVICES["phone"], color_scheme="dark")
            offline(context, url.rsplit(":", 1)[0])
            page = context.new_page()
            page.goto(url + "/", wait_until="networkidle")
            target = out / f"{site.languages.default}-phone-banner-dark.png"
            page.screenshot(path=str(target))
            written.append(target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "screenshots", "Screenshots of the banner and the preferences, desktop and phone."
    )
    parser.add_argument(
        "--out", type=Path, help="folder for the PNGs (default: screenshots/ beside mkdocs.yml)"
    )
    args = parser.parse_args(argv)
    site = load_project(args, "screenshots")
    for path in take(site, args.out or site.root / "screenshots"):
        print(path)
    return 0
