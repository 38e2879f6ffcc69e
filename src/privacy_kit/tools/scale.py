"""Build time at scale (``privacy-kit bench --scale 1000,3000``): generated documentation sites of
the given sizes (tools/generated_site.py) built with stock Material and with the kit, the two
builds taking turns, each size ``--repeat`` times; the medians, their ratio and each build's peak
memory. A machine shared with others changes speed during a run: taking turns spreads that over
both, and the CPU time of each build process (its own, from wait4) is printed beside the wall
time because it depends least on what else the machine runs.

``--steps`` measures instead where the time goes: each size built once each way in this process,
the CPU time of every plugin event, of rendering the Markdown and of the templates, counted
without what they call of each other (the rest is MkDocs' own work: reading, writing, copying).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ..serving.building import TEST_PROPERTY, build
from .generated_site import STOCK_CONFIG, write_site

BUDGET = 1.3  # the kit's build time at most this many times stock Material's
SITE_URL = "http://127.0.0.1:8000/"
# The caller's shell must not decide what is measured: the kit's real build, today, no drafts.
CLEARED = dict.fromkeys(("PRIVACY_KIT_REDUCTIONS", "POLICY_DRAFT", "SOURCE_DATE_EPOCH"))
KINDS = {"stock": STOCK_CONFIG, "kit": "mkdocs.yml"}


def sizes(text: str) -> list[int]:
    try:
        found = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        found = []
    if not found or min(found) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected page counts like 1000,3000")
    return found


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="privacy-kit bench --scale",
        description="Build time of generated sites with stock Material and with the kit, interleaved.",
    )
    parser.add_argument("--scale", type=sizes, required=True, metavar="PAGES", help="e.g. 1000,3000")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind per size (default 3)")
    parser.add_argument(
        "--languages", default="en", help="the sites' languages, the default first (default en; e.g. en,nl)"
    )
    parser.add_argument("--versions", action="store_true", help="the policy published in versions")
    parser.add_argument("--steps", action="store_true", help="where the time goes, instead of timing")
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="build only N pages of each size, the nav still listing all (the others as links): "
        "pages as large as the size's, in a fraction of the time; the times are then of N pages",
    )
    parser.add_argument("--json", type=Path, help="where to write the results as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat}: expected a whole number of at least 1")
    if args.sample is not None and args.sample < 1:
        parser.error(f"--sample {args.sample}: expected a whole number of at least 1")
    args.languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    return args


def timed(project: Path, kind: str, dest: Path) -> dict:
    result = build(
        project,
        dest,
        site_url=SITE_URL,
        ga_property=TEST_PROPERTY,
        config_file=KINDS[kind],
        environment=CLEARED,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench --scale: the {kind} build of {project} failed:\n{result.output[-3000:]}")
    pages = sum(1 for _ in dest.rglob("*.html"))
    return {
        "seconds": result.seconds,
        "cpu": result.cpu_seconds,
        "peak_mb": result.peak_kb / 1024,
        "html": pages,
    }


def measure(project: Path, work: Path, repeat: int, say) -> dict:
    """Every build of both kinds, taking turns (the first of each round alternates)."""
    runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for round_ in range(repeat):
        order = list(KINDS) if round_ % 2 == 0 else list(reversed(KINDS))
        for kind in order:
            run = timed(project, kind, work / f"site-{kind}")
            runs[kind].append(run)
            say(f"  {kind}: {run['seconds']:.1f} s ({run['cpu']:.1f} s CPU), peak {run['peak_mb']:.0f} MB")
    return {kind: summary(found) for kind, found in runs.items()}


def summary(runs: list[dict]) -> dict:
    def of(key):
        values = [run[key] for run in runs]
        return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}

    return {"seconds": of("seconds"), "cpu": of("cpu"), "peak_mb": of("peak_mb"), "html": runs[0]["html"]}


def ratio(results: dict, key: str) -> float:
    return results["kit"][key]["median"] / results["stock"][key]["median"]


def table(rows: list[dict]) -> str:
    lines = [
        "| Pages | HTML files | Stock Material | With the kit | Ratio | CPU: stock | CPU: kit | CPU ratio "
        "| Peak memory: stock | kit |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        s, k = row["stock"], row["kit"]

        def spread(m):
            return f"{m['median']:.1f} s ({m['min']:.1f}–{m['max']:.1f})"

        lines.append(
            f"| {row['pages']} | {k['html']} | {spread(s['seconds'])} | {spread(k['seconds'])} "
            f"| {ratio(row, 'seconds'):.2f}× | {s['cpu']['median']:.1f} s | {k['cpu']['median']:.1f} s "
            f"| {ratio(row, 'cpu'):.2f}× | {s['peak_mb']['median']:.0f} MB | {k['peak_mb']['median']:.0f} MB |"
        )
    return "\n".join(lines)


# --- Where the time goes ---------------------------------------------------------------------


class Steps:
    """CPU time per step of builds run in this process, each step counted without the steps it
    calls (a plugin event that renders a template counts without the template)."""

    def __init__(self):
        self.spent: dict[str, float] = {}
        self.stack: list[list[float]] = []

    def timed(self, name: str, call, *args, **kwargs):
        self.stack.append([time.process_time(), 0.0])
        try:
            return call(*args, **kwargs)
        finally:
            start, inner = self.stack.pop()
            elapsed = time.process_time() - start
            self.spent[name] = self.spent.get(name, 0.0) + elapsed - inner
            if self.stack:
                self.stack[-1][1] += elapsed

    def wrap(self, owner, attribute: str, name):
        """Time ``owner.attribute`` (a function) under ``name`` (a string, or a function of the
        call's arguments that names it)."""
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            label = name(*args, **kwargs) if callable(name) else name
            return self.timed(label, original, *args, **kwargs)

        setattr(owner, attribute, wrapper)
        return original


def profile_build(project: Path, config_file: str, dest: Path) -> dict[str, float]:
    """One build in this process: CPU seconds per step, and "total"."""
    import os

    import jinja2
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.plugins import PluginCollection
    from mkdocs.structure.pages import Page

    steps = Steps()

    def run_event(collection, name, item=None, **kwargs):  # PluginCollection.run_event, timed
        passed = item is not None
        for method in collection.events[name]:
            plugin = collection._current_plugin = collection._event_origins.get(method, "?")
            label = f"{plugin}: {getattr(method, '__name__', name)}"
            result = steps.timed(label, method, *((item,) if passed else ()), **kwargs)
            item = item if result is None else result
        collection._current_plugin = None
        return item

    saved = os.environ.copy()
    for name in CLEARED:
        os.environ.pop(name, None)
    os.environ.update({"SITE_URL": SITE_URL, "GA_PROPERTY": TEST_PROPERTY, "NO_MKDOCS_2_WARNING": "1"})
    originals = [
        (PluginCollection, "run_event", PluginCollection.run_event),
        (Page, "render", steps.wrap(Page, "render", "Markdown to HTML (MkDocs, extensions)")),
        (jinja2.Template, "render", steps.wrap(jinja2.Template, "render", "templates (Jinja, Material)")),
    ]
    PluginCollection.run_event = run_event
    started = time.process_time()
    try:
        config = load_config(str(project / config_file), site_dir=str(dest), strict=True)
        mkdocs_build(config)
    finally:
        for owner, attribute, original in originals:
            setattr(owner, attribute, original)
        os.environ.clear()
        os.environ.update(saved)
    total = time.process_time() - started
    spent = dict(steps.spent)
    spent["MkDocs itself (reading, nav, writing, copying)"] = total - sum(spent.values())
    spent["total"] = total
    return spent


def steps_table(rows: list[dict], least: float = 0.01) -> str:
    """Each step that takes at least ``least`` of the kit's build at some size; the rest in one row."""
    shown = {
        name
        for row in rows
        for name, spent in row["kit"].items()
        if name != "total" and spent >= least * row["kit"]["total"]
    }
    names = sorted(shown, key=lambda n: -max(row["kit"].get(n, 0.0) for row in rows))
    head = " | ".join(f"{row['pages']} pages: with the kit (share) | stock" for row in rows)
    lines = [f"| Step (CPU seconds) | {head} |", "|---|" + "---|---|" * len(rows)]

    def cells(kit: float, stock: float | None, row: dict) -> str:
        return f"{kit:.1f} ({kit / row['kit']['total']:.0%}) | {'' if stock is None else f'{stock:.1f}'}"

    for name in names:
        lines.append(
            f"| {name} | "
            + " | ".join(cells(row["kit"].get(name, 0.0), row["stock"].get(name), row) for row in rows)
            + " |"
        )
    rest = []
    for row in rows:
        kit = sum(v for n, v in row["kit"].items() if n not in shown and n != "total")
        stock = sum(v for n, v in row["stock"].items() if n not in shown and n != "total")
        rest.append(cells(kit, stock, row))
    lines.append("| every other plugin event | " + " | ".join(rest) + " |")
    totals = " | ".join(f"{row['kit']['total']:.1f} | {row['stock']['total']:.1f}" for row in rows)
    lines.append(f"| **total** | {totals} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows = []
    about = (
        f"{datetime.date.today().isoformat()}, {platform.machine()} Linux, Python {platform.python_version()}, "
        f"languages {','.join(args.languages)}{', policy versions' if args.versions else ''}"
        + (f", {args.sample} pages built of each size (the nav lists all)" if args.sample else "")
        + ("; CPU seconds of one build each" if args.steps else f"; median of {args.repeat}, taking turns")
    )
    with tempfile.TemporaryDirectory(prefix="privacy-kit-scale-") as tmp:
        for pages in args.scale:
            project = Path(tmp) / f"site-{pages}"
            write_site(project, pages, args.languages, args.versions, args.sample)
            say(f"{pages} pages ({', '.join(args.languages)}{', policy versions' if args.versions else ''}):")
            if args.steps:
                row = {
                    kind: profile_build(project, config, Path(tmp) / f"out-{kind}")
                    for kind, config in KINDS.items()
                }
            else:
                row = measure(project, Path(tmp), args.repeat, say)
            rows.append({"pages": pages, "built": args.sample or pages, **row})
            say(steps_table(rows) if args.steps else table(rows))  # so far, should the run be stopped
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                args.json.write_text(
                    json.dumps({"about": about, "rows": rows}, indent=2) + "\n", encoding="utf-8"
                )
    print(steps_table(rows) if args.steps else table(rows))
    print(f"\n{about}")
    if args.steps:
        return 0
    over = [row for row in rows if ratio(row, "seconds") > BUDGET]
    for row in over:
        print(
            f"BUDGET BROKEN: {row['pages']} pages: the kit's build takes {ratio(row, 'seconds'):.2f}× stock's (at most {BUDGET}×)",
            file=sys.stderr,
        )
    return 1 if over else 0
