"""The suite is hermetic: what an operator's shell exports (the README's "For operators") never
reaches a test. Imported first by conftest.py, before anything reads mkdocs.yml's ``!ENV`` values,
it removes those variables from this process, so every build and command the tests run (their
subprocesses inherit this environment) starts from none of them. A test that needs one sets it
itself: ``build(..., site_url=, ga_property=, environment=)`` or ``monkeypatch.setenv``. .ci/run
exports every one of them, so CI proves it."""

from __future__ import annotations

import os
import signal

OPERATOR_VARIABLES = (
    "GA_PROPERTY",
    "SITE_URL",
    "POLICY_DRAFT",
    "SOURCE_DATE_EPOCH",
    "PRIVACY_KIT_REDUCTIONS",
    "PRIVACY_KIT_LOCAL_PREVIEW",  # privacy-kit serve's, for the mkdocs serve it runs
)

INHERITED = {name: os.environ.pop(name) for name in OPERATOR_VARIABLES if name in os.environ}
os.environ["NO_MKDOCS_2_WARNING"] = "1"  # MkDocs' notice about its successor, in every build's log

# pytest-xdist's workers ignore SIGINT, and every process they start would inherit that: mkdocs serve,
# stopped with Ctrl-C (SIGINT) as a person and scripts/serve stop it, would never stop.
if os.environ.get("PYTEST_XDIST_WORKER"):
    signal.signal(signal.SIGINT, signal.default_int_handler)
