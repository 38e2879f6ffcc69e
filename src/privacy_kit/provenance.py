"""Provenance: what the kit and the theme write into a page, known from the site's configuration.

The guard lets a page run an inline script, or puts its hash into the Content-Security-Policy,
only when the kit or the theme wrote exactly that script; where a thing stands in the page proves
nothing (an editor's heading can end up in the ``<head>``, where the theme's scripts stand). So
the kit renders the theme's own script and style partials itself, for each page's context, from
the kit's and Material's templates only (never the site's ``custom_dir``), and a page's inline
scripts and style elements must be among what that rendering produced:

- every ``partials/javascripts/*.html`` of the kit and of Material but Material's consent (the
  kit refuses ``extra.consent``), each once in a page (Material's ``base.html`` writes
  ``extra.scope`` or the page's ``base_url`` into a script; ``content.html`` depends on
  ``theme.features``; the kit's own inline scripts live there too);
- ``partials/icons.html`` (Material's style element for configured admonition and tag icons);
- the kit's own markup with consent controls (``partials/consent.html``: the banner and the
  preferences; ``partials/consent-settings.html``: the "Cookie settings" control), whose
  ``data-consent-*`` attributes are the only ones a page may carry besides the gating forms.

The same goes for files: the scripts and stylesheets a page may load from the site itself are
the theme's own files, the kit's, and the site owner's ``extra_javascript`` and ``extra_css``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2

from .reading import read_html

SCRIPT_PARTIALS = "partials/javascripts/"
# Material's consent script: never written where the kit runs (site_config refuses extra.consent),
# so an editor's copy of it (which records a consent of its own) is not the theme's.
NEVER_WRITTEN = frozenset({"partials/javascripts/consent.html"})
STYLE_PARTIALS = ("partials/icons.html",)
CONTROL_PARTIALS = ("partials/consent.html", "partials/consent-settings.html")


def gated(attrs: dict[str, str]) -> bool:
    """The kit's gated script: it runs only after consent to its category (consent.js)."""
    return attrs.get("type", "").strip().lower() == "text/plain" and "data-consent-category" in attrs


INERT_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/plain"}


def runnable(attrs: dict[str, str]) -> bool:
    """Whether a script element runs: every type but the data blocks (a JavaScript MIME type of
    any spelling, module, importmap, speculationrules: all run)."""
    return attrs.get("type", "").strip().lower() not in INERT_SCRIPT_TYPES


def gating_form(element) -> bool:
    """An editor's way to make something wait for consent: a gated script, or an embed whose frame
    has ``data-src`` (no ``src``): what they mark with ``data-consent-*`` waits, it decides nothing."""
    if element.name == "script":
        return gated(element.attrs)
    return element.name in ("iframe", "frame") and "data-src" in element.attrs and "src" not in element.attrs


def controls_of(reading) -> Counter:
    """The consent controls a reading holds: each ``data-consent-*`` attribute with its element
    and value (the gating forms are not controls)."""
    found: Counter = Counter()
    for element in reading.elements:
        if gating_form(element):
            continue
        for key, value in element.attrs.items():
            if key.startswith("data-consent"):
                found[(element.name, key, value)] += 1
    return found


class Provenance:
    """What the kit and the theme write, rendered once per ``base_url`` (the only part of a
    page's context these partials read that changes from page to page)."""

    def __init__(self, env: jinja2.Environment, template_dirs: list[str]):
        self.env = env.overlay(loader=jinja2.FileSystemLoader(template_dirs))
        self.dirs = [Path(d) for d in template_dirs]
        self._scripts: dict[str, frozenset[str]] = {}
        self._styles: dict[str, frozenset[str]] = {}
        self._kit_markups: dict[tuple, tuple[Counter, frozenset[tuple]]] = {}
        self.script_partials = sorted(
            {
                path.relative_to(directory).as_posix()
                for directory in self.dirs
                for path in (directory / SCRIPT_PARTIALS).glob("*.html")
            }
            - NEVER_WRITTEN
        )

    def _render(self, name: str, context: dict) -> str:
        # Material's base.html sets ``features`` for its partials (content.html's tabs script
        # depends on content.tabs.link): the page's context does not hold it.
        config = context.get("config")
        features = (config.theme.get("features") if config is not None else None) or []
        try:
            return self.env.get_template(name).render({"features": features, **context})
        except jinja2.TemplateNotFound:
            return ""

    def scripts(self, context: dict) -> frozenset[str]:
        """The texts of the inline scripts the theme and the kit write into a page with this
        context."""
        key = context.get("base_url", "")
        if key not in self._scripts:
            found = set()
            for name in self.script_partials:
                reading = read_html(self._render(name, context))
                found |= {
                    e.text for e in reading.named("script") if runnable(e.attrs) and "src" not in e.attrs
                }
            self._scripts[key] = frozenset(found)
        return self._scripts[key]

    def styles(self, context: dict) -> frozenset[str]:
        """The texts of the style elements the theme writes (Material's icons)."""
        key = context.get("base_url", "")
        if key not in self._styles:
            found = set()
            for name in STYLE_PARTIALS:
                found |= {e.text for e in read_html(self._render(name, context)).named("style")}
            self._styles[key] = frozenset(found)
        return self._styles[key]

    def controls(self, context: dict) -> Counter:
        """The consent controls the kit renders into a page with this context: the banner, the
        preferences and the "Cookie settings" control."""
        return self._kit_markup(context)[0]

    def services(self, context: dict) -> frozenset[tuple]:
        """The gated scripts the kit writes into a page with this context (the analytics
        service's, with its settings), each as its sorted attributes."""
        return self._kit_markup(context)[1]

    def _kit_markup(self, context: dict) -> tuple[Counter, frozenset[tuple]]:
        consent = context.get("consent")
        key = (context.get("base_url", ""), tuple(consent["categories"]) if consent else None)
        if key not in self._kit_markups:
            found: Counter = Counter()
            services: set[tuple] = set()
            if consent:
                for name in CONTROL_PARTIALS:
                    reading = read_html(self._render(name, context))
                    found += controls_of(reading)
                    services |= {
                        tuple(sorted(e.attrs.items())) for e in reading.named("script") if gated(e.attrs)
                    }
            self._kit_markups[key] = (found, frozenset(services))
        return self._kit_markups[key]


def missing(reading, context: dict, redirect: bool = False) -> list[str]:
    """What the kit writes into every page that this page lacks (a site's own template that does
    not extend the kit's base.html, or drops a block): ``no_policy`` (its Content-Security-Policy),
    ``no_banner`` (the banner, its configuration and consent.js), ``no_settings`` (the "Cookie
    settings" control, without which a visitor cannot withdraw consent on that page). A redirect
    (the kit's redirect.html, which sends the visitor on at once) needs only the policy."""
    found = []
    placeholder = context.get("csp_placeholder")
    banner = context.get("consent") and not redirect
    # One pass of Lexbor's selectors: the kit's marks are in the document, never in a template.
    marks = reading.tree.css(
        'head > meta[http-equiv="Content-Security-Policy" i], #consent, #consent-config, '
        'script[src$="javascripts/consent.js"], [data-consent-action="open"]'
    )
    policy = any(m.tag == "meta" and m.attributes.get("content") == placeholder for m in marks)
    ids = {m.attributes.get("id") for m in marks}
    if placeholder and not policy:
        found.append("no_policy")
    if banner and not ({"consent", "consent-config"} <= ids and any(m.tag == "script" for m in marks)):
        found.append("no_banner")
    if banner and not any(m.attributes.get("data-consent-action") == "open" for m in marks):
        found.append("no_settings")
    return found
