"""``privacy-kit serve``: ``mkdocs serve`` as a local preview of the product (``scripts/serve``
here). A MkDocs hook (this module, added to what serve loads) keeps the banner, the preferences
and analytics working as published, but answers the declared services with the stand-ins of
standins.py from the site itself, so nothing reaches Google (or a Matomo, or an embed's host),
and every page says at its top that it is a local preview. Without GA_PROPERTY it sets a test
measurement ID, so that a Google Analytics site shows its banner.

    privacy-kit serve [-f mkdocs.yml] [--port N] [--real-services]

``--real-services`` is plain ``mkdocs serve``: the real services load after consent. The
published site is never built with the hook: a build names no hook of the kit's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

from privacy_kit.serving.standins import EMBED, GTAG, MATOMO, PLAUSIBLE
from privacy_kit.texts import DEFAULTS  # absolute: MkDocs loads a hook as a module of its own

FOLDER = "_local-preview"
THEME_SCRIPT = Path(__file__).resolve().parent.parent / "theme" / "assets" / "javascripts"
GATED = re.compile(
    r'(<script type="text/plain" data-consent-category="analytics" data-src=")([^"]*?)assets/javascripts/'
)
SERVICE_URL = re.compile(r'(data-url=")https://[^"]+(")')  # a Matomo's or a Plausible's address
EMBED_SOURCE = re.compile(r'(<iframe\b[^>]*?data-src=")https://[^"]+(")')
BODY = re.compile(r"<body\b[^>]*>")
LANGUAGE = re.compile(r'<html lang="([a-z]{2})')
HERE = 'window.__localPreview = new URL(".", document.currentScript.src).href;\n'


def notice(language: str) -> str:
    path = DEFAULTS / f"{language}.yml"
    texts = yaml.safe_load((path if path.is_file() else DEFAULTS / "en.yml").read_text(encoding="utf-8"))
    return texts["local_preview"]["notice"]


def local(output: str) -> str:
    """A page with its services answered from the site's own ``_local-preview/`` folder."""
    match = GATED.search(output)
    if match:
        root = match[2]  # the page's way to the site's root, as the kit wrote it
        output = GATED.sub(rf"\g<1>{root}{FOLDER}/", output)
        output = SERVICE_URL.sub(rf"\g<1>{root}{FOLDER}/service/\g<2>", output)
        output = EMBED_SOURCE.sub(rf"\g<1>{root}{FOLDER}/embed.html\g<2>", output)
    language = LANGUAGE.search(output)
    text = notice(language[1] if language else "en")
    banner = f'<div class="md-banner" role="note"><div class="md-banner__inner md-grid md-typeset">{text}</div></div>'
    return BODY.sub(lambda m: m[0] + banner, output, count=1)


@event_priority(-100)  # after the kit has written the page
def on_post_page(output, page, config):
    return local(output)


def stand_in_files() -> dict[str, str]:
    """The files of ``_local-preview/``: the kit's analytics integrations loading the stand-ins
    from beside them, the stand-ins sending to beside them, an embed's page."""
    google = (THEME_SCRIPT / "analytics-google.js").read_text(encoding="utf-8")
    google = google.replace(
        '"https://www.googletagmanager.com/gtag/js?id="', 'window.__localPreview + "gtag.js?id="'
    )
    gtag = GTAG.replace('"https://region1.google-analytics.com/g/collect?', 'new URL("collect", s.src) + "?')
    return {
        "analytics-google.js": HERE + google,
        "gtag.js": gtag,
        "collect": "",
        "analytics-matomo.js": (THEME_SCRIPT / "analytics-matomo.js").read_text(encoding="utf-8"),
        "analytics-plausible.js": (THEME_SCRIPT / "analytics-plausible.js").read_text(encoding="utf-8"),
        "service/matomo.js": MATOMO,
        "service/matomo.php": "",
        "service/js/script.js": PLAUSIBLE,  # Plausible's; its event goes to /api/event of the origin
        "embed.html": EMBED,
    }


def on_post_build(config):
    folder = Path(config.site_dir) / FOLDER
    for name, text in stand_in_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder.parent / "api").mkdir(exist_ok=True)
    (folder.parent / "api" / "event").write_text("", encoding="utf-8")  # Plausible's stand-in sends here


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="privacy-kit serve", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml")
    parser.add_argument("--port", type=int, default=8000, help="on 127.0.0.1 (default 8000)")
    parser.add_argument("--real-services", action="store_true", help="no stand-ins: plain mkdocs serve")
    args = parser.parse_args(argv)
    import mkdocs.commands.serve
    from mkdocs.__main__ import cli

    from privacy_kit.serving.building import TEST_PROPERTY

    if not args.real_services:
        if not os.environ.get("GA_PROPERTY"):
            os.environ["GA_PROPERTY"] = TEST_PROPERTY
        load = mkdocs.commands.serve.load_config
        mkdocs.commands.serve.load_config = lambda *a, **k: load(*a, hooks=[__file__], **k)
        print("Local preview: the services the site declares are answered on this machine.", file=sys.stderr)

    def stop(signum, frame):  # mkdocs serve removes its temporary folder on Ctrl-C: SIGTERM the same
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve = ["serve", "--strict", "-f", args.config_file, "--dev-addr", f"127.0.0.1:{args.port}"]
    with contextlib.suppress(KeyboardInterrupt):
        cli.main(serve, prog_name="mkdocs", standalone_mode=False)
    return 0
