"""Build both sites into one folder, reproducibly, so that ``diff -r`` of two such folders says
whether a change altered any output (a developer's check for pure moves; not in the wheel).

    python tests/support/same_output.py OUT          # builds into OUT/ (replaced)
    diff -r BEFORE AFTER                             # no output: byte-identical

Every build is strict (no -q: quiet hides strict warnings), with the same SOURCE_DATE_EPOCH and
SITE_URL, PRIVACY_KIT_REDUCTIONS and POLICY_DRAFT cleared, and GA_PROPERTY set or cleared per build
as listed in BUILDS: the caller's environment never decides what is built. It imports nothing of
the package, so it runs the same before and after the package's modules move.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1796083200"  # 2026-12-01 00:00 UTC: any fixed moment will do, as long as both runs share it
SITE_URL = "https://privacy.example.test/"
TEST_PROPERTY = "G-XXXXXXXXXX"

# name: (project folder, GA_PROPERTY or None for unset)
BUILDS = {
    "clinic": (ROOT, TEST_PROPERTY),
    "clinic-no-analytics": (ROOT, None),
    "harbour-yoga": (ROOT / "examples" / "harbour-yoga", None),
}
CLEARED = ("SITE_URL", "GA_PROPERTY", "SOURCE_DATE_EPOCH", "POLICY_DRAFT", "PRIVACY_KIT_REDUCTIONS")


def build(project: Path, dest: Path, ga_property: str | None, epoch: str) -> None:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=epoch, SITE_URL=SITE_URL)
    if ga_property is not None:
        env["GA_PROPERTY"] = ga_property
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(dest)]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the build of {project} failed:\n{done.stdout}{done.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to build into (replaced)")
    parser.add_argument("--epoch", default=EPOCH, help=f"SOURCE_DATE_EPOCH (default {EPOCH})")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, (project, ga_property) in BUILDS.items():
        build(project, out / name, ga_property, args.epoch)
    print(f"built {', '.join(BUILDS)} into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
