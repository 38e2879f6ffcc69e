"""screenshots/job-summary.png: the job summary of "Check the draft" on a real draft, as GitHub
shows it. The workflow's own run: steps run in a clone of the site (the runner of
tests/test_workflows.py), on a draft that adds a sentence to the cookie section and drops a
list item; the summary is rendered with cmarkgfm (GitHub's cmark-gfm) in a page styled like
GitHub's, and Debian's Chromium takes the picture. Usage: .venv/bin/python screenshots/job-summary.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import SECTION_8, add_sentence, edit  # noqa: E402
from privacy_kit.serving.chromium import launch  # noqa: E402
from test_workflows import CLINIC_FILES, ROOT, Repository  # noqa: E402

PAGE = """<!doctype html><html lang="nl"><meta charset="utf-8"><title>Job summary</title>
<style>
body {{ margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }}
.box {{ max-width: 880px; margin: 24px auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }}
.head {{ padding: 12px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; }}
.head span {{ color: #59636e; font-weight: 400; }}
.markdown-body {{ padding: 16px 32px 24px; }}
h1, h2 {{ border-bottom: 1px solid #d1d9e0b3; padding-bottom: .3em; }}
h1 {{ font-size: 2em; margin: .2em 0 .6em; }} h2 {{ font-size: 1.5em; margin: 1.4em 0 .8em; }}
h3 {{ font-size: 1.25em; }} h4 {{ font-size: 1em; }}
code {{ background: #818b981f; padding: .2em .4em; border-radius: 6px; font-size: 85%; }}
pre {{ background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }}
pre code {{ background: none; padding: 0; font-size: 100%; }}
blockquote {{ margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }}
a {{ color: #0969da; }}
</style>
<div class="box"><div class="head">report summary <span>· Check the draft</span></div>
<div class="markdown-body">{body}</div></div></html>"""


def main() -> None:
    import cmarkgfm
    from cmarkgfm.cmark import Options
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        repo = Repository(Path(tmp), ROOT, CLINIC_FILES)
        policy = repo.path / "docs" / "index.md"
        add_sentence(policy, SECTION_8, "Wij bewaren uw cookiekeuze hoogstens een jaar.")
        edit(policy, "- Geslacht;\n", "")
        repo.propose("Concept: bewaartermijn cookiekeuze")
        run = repo.run("check-draft.yml")
        html = cmarkgfm.github_flavored_markdown_to_html(run.summary, options=Options.CMARK_OPT_UNSAFE)
        page = Path(tmp) / "summary.html"
        page.write_text(PAGE.format(body=html), encoding="utf-8")
        with sync_playwright() as p:
            browser = launch(p)
            tab = browser.new_page(viewport={"width": 960, "height": 900})
            tab.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
            )
            tab.goto(page.as_uri())
            tab.screenshot(path=str(HERE / "job-summary.png"), full_page=True)
            browser.close()
    print(f"wrote {HERE / 'job-summary.png'}")


if __name__ == "__main__":
    main()
