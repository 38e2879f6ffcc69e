"""How the kit reads a document: once, as a browser reads it.

Every part of the kit that needs to know what a page holds (the guard, the Content-Security-Policy's
hashes, the gated categories, the embeds, the style attributes, the words the stylesheet reduction
keeps, the places the output is changed) reads the same ``Reading`` of it. There is no regular
expression over HTML anywhere in the package: a regular expression cannot tell a tag from text
that looks like one, and every difference between how the kit reads a page and how a browser
reads it is a way past the guard.

- **HTML** is parsed by Lexbor (through selectolax), an implementation of the HTML standard's
  tree builder, **with scripting on**, as a visitor's browser parses it: the content of a
  ``<noscript>`` is text, not elements (what a parser with scripting off would take for an
  attribute can be a live element to the browser). A repeated attribute keeps its first value;
  ``<image>`` is an ``img``; SVG's ``<style>`` and CDATA end where a browser ends them.
- **Template contents** (``<template>``, and a declarative shadow root's
  ``<template shadowrootmode>``, which a browser attaches and runs) are read too: each of their
  elements is marked ``in_template``.
- **XML documents** (SVG and the other XML types a host serves as documents) are parsed as a
  browser parses them, as XML (a browser does not read an SVG file as HTML): every element, with
  namespaced attributes named as HTML names them (``xlink:href``), and every processing
  instruction (an ``<?xml-stylesheet?>`` can apply XSLT, which writes a page of its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple
from xml.parsers import expat

from selectolax.lexbor import LexborHTMLParser

# The elements whose text is raw (not markup) to a browser, and whose text the kit reads.
RAW_TEXT = frozenset({"script", "style"})
XML_NAMESPACES = {
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://www.w3.org/2000/xmlns/": "xmlns",
}


class Element(NamedTuple):
    """One element as the browser has it."""

    name: str  # lower case (SVG's foreignObject is "foreignobject")
    attrs: dict[str, str]  # names as the parser gives them; a repeated attribute keeps its first value
    text: str = ""  # a script's or style's text, exactly as it stands in the document
    in_template: bool = False  # inside a <template>'s content (a shadow root's, say)
    in_head: bool = False
    index: int = 0  # its place in document order (template contents after the document)


@dataclass
class Reading:
    """A document as a browser reads it: its elements in document order, its comments, and (for
    an XML document) its processing instructions."""

    elements: list[Element]
    comments: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)  # XML: "xml-stylesheet href=…"
    problem: str = ""  # XML that a browser would not render (not well-formed), or a DTD
    tree: object = None  # Lexbor's tree, for the text
    pruned: list = field(default_factory=list)  # the ids of subtrees left out (read_html's known)
    fresh: list = field(default_factory=list)  # the subtrees that may be left out next time
    cdata: bool = False  # the text holds "<![CDATA[": Chromium's preload scanner reads markup in it
    in_select: list = field(default_factory=list)  # (a <select>'s attributes, another element in it)

    def prose(self) -> str:
        """The text a reader reads (elements' text, space-separated)."""
        body = self.tree.body if self.tree is not None else None
        return body.text(deep=True, separator=" ") if body is not None else ""

    def named(self, *names: str) -> list[Element]:
        return [e for e in self.elements if e.name in names]

    def with_attribute(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs]


def _lexbor_elements(root, in_template: bool, head: int, into: list[Element], comments: list[str]) -> list:
    """The elements under ``root`` (a document or a template's content), in document order; the
    template elements met on the way are returned (their content is read after). ``head``: how
    many elements the document's head holds (they follow it in document order)."""
    templates = []
    append, new, element = into.append, tuple.__new__, Element  # the walk is the kit's hot path
    in_head = -1  # elements of the head still to come (-1: the head not met yet)
    for node in root.traverse(include_text=False):
        tag = node.tag
        if tag is None:  # a bogus comment ("<?php …>": Lexbor gives it no name): its text
            comments.append((node.html or "<>")[1:-1])
            continue
        if tag[0] == "-":  # the document, a doctype, a comment
            if tag == "-comment":  # its text exactly (comment_content strips white space)
                comments.append((node.html or "<!---->")[4:-3])
            continue
        name = tag.lower()
        attrs = node.attributes  # names as the HTML parser gives them: lower case, but SVG's
        if None in attrs.values():  # adjusted ones (attributeName, viewBox); a bare attribute is ""
            attrs = {key: value or "" for key, value in attrs.items()}
        text = node.text(deep=True, separator="") if name in RAW_TEXT else ""
        append(new(element, (name, attrs, text, in_template, in_head > 0, len(into))))
        if in_head > 0:
            in_head -= 1
        elif name == "head" and in_head < 0 and not in_template:
            in_head = head
        if name == "template":
            templates.append(node)
    return templates


# The subtrees a reading may leave out when they were read before, exactly as they stand: the
# items of a navigation, which every page of a documentation site repeats (each page's reading
# would otherwise grow with the number of pages).
REPEATED = "nav > ul > li"
# What a subtree may not hold to be left out: what the guard checks against the page it stands in.
PAGE_BOUND = ("data-consent", "<script", "<style", "<link", "<template", "<noscript", "<base", "<![CDATA[")


def _leave_out(tree, known: dict) -> tuple[list, list]:
    """Take out of ``tree`` every REPEATED subtree whose markup is in ``known`` (its markup: the
    ids it holds), outermost first; returns the ids of those left out, and the (markup, node) of
    the others, which may be known next time (remember)."""
    pruned, fresh = [], []
    body = tree.body.mem_id if tree.body is not None else None
    for node in tree.css(REPEATED):
        parent = node.parent
        while parent is not None and parent.mem_id != body:
            parent = parent.parent
        if parent is None:
            continue  # inside a subtree already left out
        markup = node.html or ""
        if markup in known:
            pruned.append(known[markup])
            node.remove()
        else:
            fresh.append((markup, node))
    return pruned, fresh


def remember(reading: Reading, known: dict) -> None:
    """After a reading whose page held nothing: its REPEATED subtrees that hold nothing bound to
    the page become known (with their ids, for the check of duplicate ids)."""
    for markup, node in reading.fresh:
        if not any(mark in markup for mark in PAGE_BOUND):
            ids = [n.attributes.get("id") for n in node.css("[id]")]
            known[markup] = tuple(i for i in [node.attributes.get("id"), *ids] if i)


def read_html(text: str, known: dict | None = None) -> Reading:
    """An HTML document (or fragment: a page's content) as a browser with scripting on reads it.
    With ``known`` (remember's), the repeated subtrees read before on another page, exactly as
    they stand there, are left out: what they hold has been checked, and words taken."""
    tree = LexborHTMLParser(text, scripting=True)
    pruned, fresh = _leave_out(tree, known) if known is not None else ([], [])
    head = 0
    if tree.head is not None:
        head = (
            sum(1 for node in tree.head.traverse(include_text=False) if node.tag and node.tag[0] != "-") - 1
        )
    document = tree.root.parent if tree.root is not None and tree.root.parent is not None else tree.root
    elements: list[Element] = []
    comments: list[str] = []
    pending = _lexbor_elements(document, False, head, elements, comments)
    roots = [document]
    while pending:  # template contents, and the templates inside them
        fragments = [fragment for node in pending for fragment in node.template_fragments()]
        roots += fragments
        pending = []
        for fragment in fragments:
            pending += _lexbor_elements(fragment, True, 0, elements, comments)
    reading = Reading(elements, comments, tree=tree, pruned=pruned, fresh=fresh, cdata="<![CDATA[" in text)
    if any(e.name == "select" for e in elements):
        reading.in_select = _in_select(roots)
    return reading


# What a <select> held before 2025's parser (Chromium 135, Firefox 153): a browser of before then
# drops any other start tag in a <select>, and reads what follows it as markup where the kit (and
# today's browsers) read the text of an <xmp>, say.
SELECT_CONTENT = frozenset({"option", "optgroup", "hr"})


def _in_select(roots) -> list[tuple[dict, str]]:
    """Each <select> (its attributes) that holds an element of another name, and that name."""
    found = []
    for root in roots:
        for select in root.css("select"):
            names = (n.tag for n in select.traverse(include_text=False) if n.mem_id != select.mem_id)
            other = next(
                (name for name in names if name and name[0] != "-" and name not in SELECT_CONTENT), None
            )
            if other:
                found.append(({k: v or "" for k, v in select.attributes.items()}, other))
    return found


def read_xml(data: bytes) -> Reading:
    """An XML document (SVG, XML) as a browser reads it, with expat. One that is not well-formed
    is not rendered by a browser (it shows a parse error instead): its ``problem`` says so, and so
    does one whose document type has an internal subset (it may declare entities, which the kit
    does not expand: what a browser shows would not be what the kit read)."""
    elements: list[Element] = []
    comments: list[str] = []
    instructions: list[str] = []
    problems: list[str] = []
    open_raw: list[list[str]] = []  # the text of the script or style elements being read

    def start(name, attributes):
        local = name.rsplit(" ", 1)[-1].lower()
        attrs: dict[str, str] = {}
        for key, value in attributes.items():
            html_name = _xml_attribute(key)
            if html_name in attrs:  # XML's names are case-sensitive: to a browser, two attributes
                problems.append(f"spells the attribute {html_name!r} twice, in different case (<{local}>)")
            attrs.setdefault(html_name, value)
        elements.append(Element(local, attrs, "", False, False, len(elements)))
        open_raw.append([] if local in RAW_TEXT else None)

    def end(name):
        text = open_raw.pop()
        if text is not None:
            last = next(e for e in reversed(elements) if e.name == name.rsplit(" ", 1)[-1].lower())
            elements[last.index] = Element(last.name, last.attrs, "".join(text), False, False, last.index)

    def characters(text):
        for raw in open_raw:
            if raw is not None:
                raw.append(text)

    def doctype(name, system_id, public_id, has_internal_subset):
        if has_internal_subset:
            problems.append("has a document type with declarations of its own (entities)")
        elif system_id or public_id:
            doctypes.append(parser.CurrentByteIndex)  # expat is at its closing ">"

    doctypes: list[int] = []  # where a document type naming an outside definition ends
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.CommentHandler = comments.append
    parser.ProcessingInstructionHandler = lambda target, rest: instructions.append(f"{target} {rest}")
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return Reading(
            [], problem=f"is not well-formed XML ({expat.ErrorString(error.code)}, line {error.lineno})"
        )
    if doctypes and (entity := undefined_entity(data, doctypes[0])):
        problems.append(entity)
    return Reading(elements, comments, instructions, "; ".join(problems))


def undefined_entity(data: bytes, end: int) -> str:
    """Where a document type names an outside definition (``<!DOCTYPE svg PUBLIC …>``), expat
    leaves an entity it does not know out, silently; a browser expands HTML's named entities
    (``&colon;``) for XHTML's and MathML's document types. So the document is read again without
    its document type (from the first ``<!DOCTYPE`` to the ``>`` expat ended it at, blanked byte
    for byte): there, such an entity is an error, and so is any other (that reading must hold)."""
    start = data.find(b"<!DOCTYPE")
    without = data[:start] + b" " * (end + 1 - start) + data[end + 1 :]
    try:
        expat.ParserCreate(namespace_separator=" ").Parse(without, True)
    except expat.ExpatError as error:
        if error.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
            return f"refers to an entity it does not define (line {error.lineno}), which a browser may expand"
        return (
            f"cannot be read without its document type ({expat.ErrorString(error.code)}, line {error.lineno})"
        )
    return ""


def _xml_attribute(key: str) -> str:
    """An attribute's name as HTML names it: ``xlink:href`` for XLink's href."""
    if " " in key:
        namespace, name = key.rsplit(" ", 1)
        prefix = XML_NAMESPACES.get(namespace)
        return f"{prefix}:{name}".lower() if prefix else name.lower()
    return key.lower()
