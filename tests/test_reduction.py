"""The reductions of privacy_kit/reduction.py, as the built site has them: one fingerprinted
stylesheet per page, smaller than what it replaces, and the rules it keeps and drops. (That
nothing visible changed is tests/browser/test_pixels.py's.)"""

from __future__ import annotations

import re

import tinycss2

from privacy_kit import reduction

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def test_every_page_links_one_fingerprinted_stylesheet_that_exists(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    linked = set()
    for page in pages:
        hrefs = STYLESHEET.findall(page.read_text(encoding="utf-8"))
        assert len(hrefs) == 1, (page, hrefs)  # no page of the clinic has an embed
        assert re.search(r"/privacy-kit\.[0-9a-f]{8}\.min\.css$", hrefs[0]), hrefs[0]
        linked.add(hrefs[0].rsplit("/", 1)[1])
    (name,) = linked
    bundle = (site / reduction.STYLESHEETS / name).read_bytes()
    replaced = sum(
        len(next((site / reduction.STYLESHEETS).glob(pattern)).read_bytes())
        for pattern, _ in reduction.stylesheet_parts(palette=True, banner=True)
    )
    assert len(bundle) < 0.6 * replaced


def reduce(css: str, words: set[str]) -> str:
    return reduction.reduced_rules(tinycss2.parse_stylesheet(css, True, True), words)


def test_a_selector_naming_what_no_page_or_script_has_is_dropped():
    words = {"md-typeset", "p", "a", "md-search-result__item"}
    css = ".md-typeset p{color:red}.md-tooltip2__inner{color:blue}@media print{.md-tooltip{x:y}}a:not(.gone){z:1}"
    assert reduce(css, words) == ".md-typeset p{color:red}a:not(.gone){z:1}"
    assert reduce(".md-tooltip,.md-search-result__item{c:d}", words) == ".md-search-result__item{c:d}"


def test_a_class_a_script_builds_from_a_template_string_is_kept(tmp_path):
    """Material's content tabs build `tabbed-control--${e}` (next, prev): those rules stay (on a
    phone the arrows would otherwise stand on the left, over the first label)."""
    (tmp_path / "bundle.js").write_text(
        "function no(e){let t=`tabbed-control tabbed-control--${e}`;return t}"
    )
    words = reduction.words_of(tmp_path, {"div", "tabbed-set"})
    css = ".tabbed-set .tabbed-control--next{right:0}.tabbed-control--prev{left:0}.md-gone--x{a:b}"
    assert reduce(css, words) == ".tabbed-set .tabbed-control--next{right:0}.tabbed-control--prev{left:0}"
    (tmp_path / "bundle.js").write_text('function no(e){let t="tabbed-control tabbed-control--"+e;return t}')
    assert reduce(css, reduction.words_of(tmp_path, {"div", "tabbed-set"})) == ""


def test_an_attribute_value_must_be_in_the_markup_unless_materials_script_sets_it():
    words = {"dir", "ltr", "dir=ltr", "rtl", "data-md-color-scheme", "slate", "md-nav"}
    css = "[dir=ltr] .md-nav{a:b}[dir=rtl] .md-nav{c:d}[data-md-color-scheme=slate]{e:f}"
    assert reduce(css, words) == "[dir=ltr] .md-nav{a:b}[data-md-color-scheme=slate]{e:f}"


def test_custom_properties_nothing_reads_are_dropped():
    css = ":root{--used:1px;--unread:2px;--chained:var(--deeper);--deeper:3px}a{margin:var(--used) var(--chained)}"
    kept = reduction.without_unread_variables(css, {"a"})
    assert "--unread" not in kept and all(f"--{n}:" in kept for n in ("used", "chained", "deeper"))
    assert "--unread" in reduction.without_unread_variables(css, {"a", "--unread"})  # a script sets it


def test_the_switch_turns_every_reduction_off(monkeypatch):
    for value in ("", None):
        monkeypatch.delenv(reduction.SWITCH, raising=False)
        if value is not None:
            monkeypatch.setenv(reduction.SWITCH, value)  # empty counts as unset
        assert reduction.enabled()
    monkeypatch.setenv(reduction.SWITCH, "off")
    assert not reduction.enabled()
    assert reduction.minified_js("a = 1;  // note\n") == "a = 1;  // note\n"
