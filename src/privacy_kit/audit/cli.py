"""``privacy-kit audit [URL]``: the cookie audit as a command (scripts/audit here).

Without a URL it audits a preview of the current build: built into a temporary folder (with a
test measurement ID for Google Analytics), served on 127.0.0.1 with the generated headers, and
offline: the services the site declares are answered by stand-ins (serving/standins.py), every
other request to another origin is recorded and aborted. Against a URL nothing is routed: the
real network, the real services.
Exit code: 0 passed (warnings allowed), 1 failed, 2 the audit could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..consent import contract
from ..editing import write_atomic
from ..origins import origin_of
from ..serving.building import build
from ..serving.chromium import CHROMIUM_MISSING, find_chromium, playwrights_own
from ..serving.hosting import deployed_path, serve
from . import AuditError
from .browser import Options, run_to_end
from .declaration import load_declaration
from .discovery import discover
from .rules import judge_site
from .steps import audit, progress

TEST_PROPERTY = "G-TEST123456"  # the measurement ID of the preview the audit builds itself
OURS = {  # our public DOM contract (README, "Public contract of the banner")
    "accept": contract.ACCEPT,
    "reject": contract.REJECT,
    "preferences": contract.PREFERENCES,
    "withdraw": [contract.OPEN, f"{contract.CATEGORY_BOXES}:checked", contract.SAVE],
}


def commit_of(path: Path) -> str | None:
    """The git commit the declaration file was read at (with '+' if it has local changes)."""
    folder = path.resolve().parent
    git = ["git", "-C", str(folder)]
    head = subprocess.run([*git, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return None
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", str(path.resolve())], capture_output=True, text=True
    )
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="privacy-kit audit",
        description="Cookie audit of a deployed site against the declaration in mkdocs.yml.",
    )
    parser.add_argument("url", nargs="?", help="the deployed site (default: a preview of the current build)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("audit-report"),
        metavar="DIR",
        help="report folder (default: audit-report/)",
    )
    parser.add_argument(
        "--declaration",
        "-f",
        "--config-file",
        dest="declaration",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="mkdocs.yml with the cookie declaration; without a URL, the site previewed (default: mkdocs.yml)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--offline", dest="offline", action="store_true", default=None, help="stub Google, abort other hosts"
    )
    mode.add_argument(
        "--online", dest="offline", action="store_false", help="real network (the default for a URL)"
    )
    parser.add_argument(
        "--accept", default=OURS["accept"], metavar="SELECTOR", help="selector of the accept-all button"
    )
    parser.add_argument(
        "--reject", default=OURS["reject"], metavar="SELECTOR", help="selector of the reject-all button"
    )
    parser.add_argument(
        "--preferences",
        default=OURS["preferences"],
        metavar="SELECTOR",
        help="selector that opens the preferences",
    )
    parser.add_argument(
        "--withdraw",
        action="append",
        metavar="SELECTOR",
        help="clicked in order to withdraw consent (repeat the option; every visible match is clicked, "
        "a step with :checked may match nothing); default: our footer link, every checked category, save",
    )
    parser.add_argument(
        "--path", action="append", metavar="PATH", help="audit this path instead of the sitemap (repeatable)"
    )
    parser.add_argument(
        "--max-pages", type=int, metavar="N", help="audit only the first N pages of the sitemaps"
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin that counts as the site's own (e.g. your own CDN; repeatable)",
    )
    parser.add_argument(
        "--analytics-host",
        action="append",
        default=[],
        metavar="HOST",
        help="another host whose requests count as analytics (repeatable)",
    )
    parser.add_argument(
        "--settle",
        type=int,
        default=None,
        metavar="MS",
        help="quiet time without requests that ends a step (default 150 offline, 1500 online)",
    )
    parser.add_argument(
        "--jobs", type=int, default=3, metavar="N", help="pages audited at the same time (default 3)"
    )
    parser.add_argument("--no-screenshots", action="store_true", help="skip the screenshots")
    args = parser.parse_args(argv)
    if args.url is not None:
        parts = urlsplit(args.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            parser.error(f"URL {args.url!r}: expected an address like https://privacy.example.nl/")
    if args.max_pages is not None and args.max_pages < 1:
        parser.error(f"--max-pages {args.max_pages}: expected a whole number of at least 1")
    if not 1 <= args.jobs <= 16:
        parser.error(f"--jobs {args.jobs}: expected a whole number from 1 to 16")
    if args.settle is not None and not 0 <= args.settle <= 60000:
        parser.error(f"--settle {args.settle}: expected milliseconds from 0 to 60000")
    for value in args.allow_origin:
        if urlsplit(value).scheme not in ("http", "https"):
            parser.error(f"--allow-origin {value!r}: expected an origin like https://cdn.example.nl")
    return args


PLAYWRIGHT_MISSING = (
    "Playwright is not installed: the audit drives Chromium with it. Install the kit with its "
    'audit extra: pip install "mkdocs-privacy-kit[audit]"'
)


def browser_found() -> bool:
    """Debian's Chromium (or CHROMIUM), else the one ``playwright install chromium`` downloaded."""
    if find_chromium():
        return True
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        return playwrights_own(p) is not None


def run(args) -> int:
    from .report import render

    try:
        from playwright.async_api import Error as BrowserError
    except ModuleNotFoundError:
        raise AuditError(PLAYWRIGHT_MISSING) from None
    if not browser_found():  # said before anything is built or fetched
        raise AuditError(CHROMIUM_MISSING)
    started = datetime.datetime.now(datetime.UTC)
    declaration = load_declaration(args.declaration)
    revision, w = declaration.revision, declaration.words
    with contextlib.ExitStack() as stack:
        if args.url:
            base = args.url if args.url.endswith("/") else args.url + "/"
            offline = bool(args.offline)
            target = "url"
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="audit-")))
            path = deployed_path(args.declaration)  # https://example.org/docs/ is previewed at /docs/
            base = stack.enter_context(serve(folder / "site", base=path)) + path
            project = args.declaration.resolve().parent
            progress(f"Building a preview of {project} for {base} ...")
            built = build(
                project,
                folder / "site",
                site_url=base,
                ga_property=TEST_PROPERTY,
                config_file=args.declaration.name,
                progress=progress,
            )
            if built.returncode != 0:
                raise AuditError("the preview build failed:\n" + built.output[-3000:])
            offline = args.offline is not False
            target = "preview"
        options = Options(
            base=base,
            offline=offline,
            accept=args.accept,
            reject=args.reject,
            preferences=args.preferences,
            withdraw=args.withdraw or OURS["withdraw"],
            settle_ms=args.settle if args.settle is not None else (150 if offline else 1500),
            allowed=tuple(origin_of(o) for o in args.allow_origin),
            analytics_hosts=(*declaration.analytics_hosts, *args.analytics_host),
            stand_ins=declaration.stand_ins,
        )
        if args.path:
            pages, notes = (
                [urljoin(base, p.lstrip("/")) for p in args.path],
                [w["note"]["only_paths"]],
            )
        else:
            pages, notes = discover(base, w["note"])
        if args.max_pages and len(pages) > args.max_pages:
            notes.append(w["note"]["first_pages"].format(count=args.max_pages, total=len(pages)))
            pages = pages[: args.max_pages]
        progress(
            f"Auditing {len(pages)} page(s) of {base} ({'offline, the declared services answered by stand-ins' if offline else 'real network'})"
        )
        try:
            data = run_to_end(audit(options, pages, declaration, not args.no_screenshots, args.jobs))
        except BrowserError as error:  # e.g. a selector given that is not valid CSS
            raise AuditError(f"Chromium: {str(error).splitlines()[0]}") from None
    verdict = judge_site(data["pages"], declaration, data["facts"], revision, data["preferences"])
    report = {
        "tool": "privacy-kit audit",
        "date": started.isoformat(timespec="seconds"),
        "url": args.url or base,
        "target": target,
        "language": declaration.language,
        "offline": offline,
        "declaration": {
            "source": str(args.declaration.resolve()),
            "from_local_project": True,
            "commit": commit_of(args.declaration),
            "revision": revision,
        },
        "site": {
            "policy_version": data["facts"]["policy_version"],
            "consent_revision": (data["facts"]["consent_config"] or {}).get("revision"),
            "consent_config": data["facts"]["consent_config"],
        },
        "notes": notes,
        "chromium": data["chromium"],
        "jobs": args.jobs,
        "seconds": data["seconds"],
        "verdict": verdict,
        "preferences": data["preferences"],
        "pages": data["pages"],
    }
    html = render(
        report, data["screenshots"], w, declaration.language
    )  # both files are written only once both are ready
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / "report.json", (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode())
    write_atomic(args.out / "report.html", html.encode())
    failures, warnings = len(verdict["failures"]), len(verdict["warnings"])
    head = (w["passed"] if verdict["passed"] else w["failed"]).upper()
    print(
        w["summary"].format(
            verdict=head,
            pages=len(data["pages"]),
            failures=failures,
            warnings=warnings,
            seconds=data["seconds"],
        )
    )
    for label, found in ((w["failure"], verdict["failures"]), (w["warning"], verdict["warnings"])):
        for f in found:
            pages = f" [{w['on_pages'].format(count=len(f['pages']))}]" if f["pages"] else ""
            print(f"  {label}: {f['text']}{pages}")
    print(w["written"].format(html=args.out / "report.html", json=args.out / "report.json"))
    return 0 if verdict["passed"] else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except AuditError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
