"""What the kit leaves out of a site built with Material, so that a visitor downloads only what
the site uses:

- search on first use (theme/partials/javascripts/interface.html): Material's search worker and the search index load when the
  visitor first focuses or opens the search;
- the kit's inline scripts minified (inlined_js, a Jinja global, from their files);
- one stylesheet (stylesheet_bundle): Material's stylesheets and the kit's own, in the order the
  pages linked them, with Material's rules reduced to those whose selectors the site can produce.
  It is written after the build, when every page exists, as assets/stylesheets/privacy-kit.<hash
  of its content>.min.css (long-cached like Material's own fingerprinted files), and the pages
  link it instead of the separate files.

A rule is kept when every class, id, element and attribute its selector names (outside :not(),
:is() and the like, which are kept whatever they name) occurs as a word in the built site's
pages, scripts or search index: the words Material's JavaScript writes into class attributes are
in its bundle. This is PurgeCSS's rule (words, not a DOM), done on tinycss2's parse of the CSS.

Every reduction is switched off by PRIVACY_KIT_REDUCTIONS=off (an empty value counts as unset):
tests/browser/test_pixels.py builds each site both ways and compares screenshots pixel by pixel.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from pathlib import Path

import jinja2
import rcssmin
import rjsmin
import tinycss2
from markupsafe import Markup

from .editing import write_atomic
from .reading import read_html

SWITCH = "PRIVACY_KIT_REDUCTIONS"
STYLESHEETS = "assets/stylesheets/"
PLACEHOLDER = STYLESHEETS + "privacy-kit.css"  # what the pages link until the bundle is written
LUNR = "assets/javascripts/lunr"  # Material's stemmers and stop words for lunr
WORD = re.compile(r"[A-Za-z0-9_-]+")
# A class name a script builds from a template string (`tabbed-control--${e}`): its fixed start,
# kept as a word with TEMPLATE after it; a selector's name with that start may be built.
TEMPLATE = "${"
BUILT_NAME = re.compile(r"([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]*)*-)\$\{")
NESTING = {"media", "supports", "container", "layer", "document"}  # at-rules that hold rules


def enabled() -> bool:
    """True unless PRIVACY_KIT_REDUCTIONS is "off" (or "0", "false", "no")."""
    value = (os.environ.get(SWITCH) or "").strip().lower()
    return value not in ("off", "0", "false", "no")


def minified_js(text: str) -> str:
    """The kit's inline script as pages carry it (``inlined_js``), minified by
    rjsmin (comments and white space only, as assets.py does for the kit's files)."""
    return _minified_js(text) if enabled() else text


@functools.lru_cache(maxsize=16)
def _minified_js(text: str) -> str:  # the same few scripts on every page
    return rjsmin.jsmin(text)


@jinja2.pass_environment
def inlined_js(environment: jinja2.Environment, name: str) -> Markup:
    """The Jinja global ``inlined_js``: a script file of the theme (``partials/javascripts/*.js``,
    linted by the suite and never published) as a page carries it inline, minified as above. It
    is read through the environment that renders (the kit's provenance renders with the kit's
    and Material's templates only, so a site's own copy of the file is not taken for the kit's)."""
    source, _, _ = environment.loader.get_source(environment, name)
    return Markup(minified_js(source))


def stylesheet_parts(palette: bool, banner: bool) -> list[tuple[str, bool]]:
    """The stylesheets the bundle joins, in the pages' order, and whether each is reduced:
    Material's (found by glob: their names carry a hash of their content), main and its palette,
    then the kit's own (which styles what the kit renders, and is not reduced)."""
    material = [("main.*.min.css", True), *([("palette.*.min.css", True)] if palette else [])]
    return [*material, ("policy.css", False), *([("consent.css", False)] if banner else [])]


def words_of_markup(markup) -> set[str]:
    """The words of markup that a selector may name: its elements, attributes and attribute
    values, each value also as name=value (the text between the tags cannot match a selector).
    ``markup``: (name, attributes' items) of each distinct element (``guard.Check.markup``)."""
    words: set[str] = set()
    for element, attributes in markup:
        words.add(element)
        for name, value in attributes:
            words.add(name)
            for word in WORD.findall(value):
                words.update((word, f"{name}={word}"))
    return words


def words_of_reading(reading) -> set[str]:
    """The words of a reading's markup (words_of_markup)."""
    return words_of_markup((e.name, tuple(e.attrs.items())) for e in reading.elements)


def words_of(site: Path, pages: set[str]) -> set[str]:
    """What a selector may name and still match something on ``site``: the words of its pages'
    markup (``pages``: words_of_reading of each), of its search index's markup (Material shows the
    index's HTML as results), and every word of its scripts (Material's bundle holds the classes
    and attributes it adds, and the custom properties it sets), except lunr's language files:
    they run in the search worker, which has no document, and their stop-word lists are words of
    prose."""
    words: set[str] = set(pages)
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".js" and not path.is_relative_to(site / LUNR):
            script = path.read_text(encoding="utf-8", errors="replace")
            words.update(WORD.findall(script))
            words.update(prefix + TEMPLATE for prefix in BUILT_NAME.findall(script))
        elif path.name == "search_index.json":
            for doc in json.loads(path.read_text(encoding="utf-8")).get("docs", []):
                words |= words_of_reading(read_html(f"{doc.get('title', '')} {doc.get('text', '')}"))
    return words


def _named(selector: list) -> set[str]:
    """The classes, ids, elements and attributes a selector names, at its top level, and the
    exact values it asks of attributes: as name=value (a value the markup must have: dir=rtl is
    a word of Material's script, but no page has it), except for the attributes Material's
    script sets (data-md-*, role), where the value alone."""
    named: set[str] = set()
    previous = None
    for token in selector:
        if token.type == "ident" and previous not in (".", ":"):
            named.add(token.value.lower())  # an element (CSS names them case-insensitively)
        elif token.type == "ident" and previous == "." or token.type == "hash":
            named.add(token.value)
        elif token.type == "[] block":
            inside = [t for t in token.content if t.type not in ("whitespace", "comment")]
            if inside and inside[0].type == "ident":
                named.add(inside[0].value)
            if len(inside) == 3 and inside[1].type == "literal" and inside[1].value in ("=", "~=", "|="):
                name, value = inside[0].value, inside[2].value
                if isinstance(value, str) and WORD.fullmatch(value):
                    scripted = name.startswith("data-md-") or name == "role"
                    named.add(value if scripted else f"{name}={value}")
        previous = token.value if token.type == "literal" else token.type
    return named


def _selectors(prelude: list) -> list[list]:
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    return [*selectors, current]


def _matches(named: set[str], words: set[str], built: tuple[str, ...] = ()) -> bool:
    return all(name in words or name.lower() in words or name.startswith(built) for name in named)


def built_prefixes(words: set[str]) -> tuple[str, ...]:
    """The starts of the names scripts build from template strings (BUILT_NAME)."""
    return tuple(word.removesuffix(TEMPLATE) for word in words if word.endswith(TEMPLATE))


def reduced_rules(rules: list, words: set[str]) -> str:
    """The CSS of ``rules`` with every selector that names something absent from ``words``
    removed, and every rule or nesting at-rule left empty by that."""
    out, built = [], built_prefixes(words)
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s for s in _selectors(rule.prelude) if _matches(_named(s), words, built)]
            if kept:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in kept)
                out.append(prelude + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING and rule.content is not None:
            inner = reduced_rules(tinycss2.parse_rule_list(rule.content, True, True), words)
            if inner:
                out.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude) + "{" + inner + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue  # the bundle says it once
        elif rule.type != "error":
            out.append(rule.serialize())
    return "".join(out)


def _variables(tokens) -> set[str]:
    """The custom properties that ``tokens`` read through var()."""
    found: set[str] = set()
    for token in tokens:
        if token.type == "function":
            arguments = [t for t in token.arguments if t.type != "whitespace"]
            if token.lower_name == "var" and arguments and arguments[0].type == "ident":
                found.add(arguments[0].value)
            found |= _variables(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            found |= _variables(token.content)
    return found


def _declarations(rules, nested: dict):
    """(rule, its declarations) for every style rule of ``rules``, nested ones too (the rules
    inside each nesting at-rule go into ``nested``, by the at-rule's id)."""
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule, tinycss2.parse_declaration_list(rule.content, True, True)
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING and rule.content is not None:
            nested[id(rule)] = tinycss2.parse_rule_list(rule.content, True, True)
            yield from _declarations(nested[id(rule)], nested)


def without_unread_variables(css: str, words: set[str]) -> str:
    """``css`` without the custom properties that nothing reads: not a property, not another read
    custom property, not a script (which may read or set one by name; ``words``)."""
    rules = tinycss2.parse_stylesheet(css, True, True)
    nested: dict = {}
    parsed = list(_declarations(rules, nested))
    defined: dict[str, set[str]] = {}
    read = {word for word in words if word.startswith("--")}
    for _, declarations in parsed:
        for d in declarations:
            if d.type != "declaration":
                continue
            if d.name.startswith("--"):
                defined.setdefault(d.name, set()).update(_variables(d.value))
            else:
                read |= _variables(d.value)
    pending = list(read)
    while pending:
        for name in defined.get(pending.pop(), ()):
            if name not in read:
                read.add(name)
                pending.append(name)
    kept = {}
    for rule, declarations in parsed:
        shown = [
            d.serialize()
            for d in declarations
            if d.type == "declaration" and (not d.name.startswith("--") or d.name in read)
        ]
        kept[id(rule)] = ";".join(shown)
    return _serialized(rules, kept, nested)


def _serialized(rules, kept: dict, nested: dict) -> str:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if kept[id(rule)]:
                out.append(tinycss2.serialize(rule.prelude).strip() + "{" + kept[id(rule)] + "}")
        elif rule.type == "at-rule" and id(rule) in nested:
            inner = _serialized(nested[id(rule)], kept, nested)
            if inner:
                out.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude) + "{" + inner + "}")
        elif rule.type != "error":
            out.append(rule.serialize())
    return "".join(out)


def stylesheet_bundle(site: Path, parts: list[tuple[str, bool]], words: set[str], pages: list[Path]) -> str:
    """Join ``parts`` (stylesheet_parts) into one reduced, minified stylesheet in ``site``, link it
    from ``pages`` instead of PLACEHOLDER; returns its site-relative path. ``words``: words_of."""
    css = []
    for pattern, reduce in parts:
        found = sorted((site / STYLESHEETS).glob(pattern))
        if len(found) != 1:
            raise RuntimeError(f"expected one {STYLESHEETS}{pattern} in the built site, found {len(found)}")
        rules = tinycss2.parse_stylesheet(found[0].read_text(encoding="utf-8"), True, True)
        css.append(reduced_rules(rules, words) if reduce else "".join(r.serialize() for r in rules))
    text = '@charset "UTF-8";' + rcssmin.cssmin(without_unread_variables("\n".join(css), words)) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    path = f"{STYLESHEETS}privacy-kit.{digest}.min.css"
    write_atomic(site / path, text)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if PLACEHOLDER in html:
            write_atomic(page, html.replace(PLACEHOLDER, STYLESHEETS + Path(path).name))
    return path
