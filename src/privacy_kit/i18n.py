"""Translations: complete, current, and published properly per language (with mkdocs-static-i18n).

- Every page in the default language (archived versions aside: they keep what was frozen) has a
  counterpart ``<page>.<lang>.md`` in every other language, and every translation has its
  original; otherwise a warning names the missing file (a strict build fails), instead of
  static-i18n's silent fallback.
- A translation of the policy states in front matter the policy version it translates
  (``translation_of: "1.0"``); a translation of any other page the start of the sha256 of the
  page it translates (``source_sha256``), so that publishing a policy version does not make the
  cookie page or the history stale. A stale translation is published, with a notice in its own
  language; ``privacy-kit check-translations`` lists it (exit 1) with the translator's work.
- A translated page shows a notice that the original prevails, linking to it.
- The sitemaps list every language version of each page with absolute ``hreflang`` URLs plus
  ``x-default``; page heads carry none (Material would fetch a sitemap beside each).
- Each language has its own 404 page, without alternates; the root 404 stays in the default
  language.
- Each language has its own search index, and its pages search only that one.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from mkdocs.utils import get_relative_url

from .editing import write_atomic
from .policy.model import VERSION, front_matter, sha256_of, version_key

LANGUAGE_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.md$")
SOURCE_KEY = "source_sha256"  # in a translation of a page other than the policy


@dataclass(frozen=True)
class Problem:
    kind: str  # "missing", "orphan" or "unversioned" (the build fails), or "stale" (published, lagging)
    path: str  # the file that is missing, stale or orphaned, relative to docs/
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.path} ({self.detail})"


def source_hash(path: Path) -> str:
    """What a translation of a page other than the policy records of its source."""
    return sha256_of(path)[:12]


def stale_detail(
    docs: Path, translation: str, source: str, meta: dict, policy_page: str | None, policy_version: str
) -> Problem | None:
    """Why ``translation`` is not current (None when it is): the policy's translations follow the
    policy version; any other page follows the hash of its own source."""
    if source == policy_page:
        translated = meta.get("translation_of")
        if not isinstance(translated, str) or not VERSION.match(translated):
            return Problem(
                "unversioned",
                translation,
                f'expected front matter translation_of: "{policy_version}", got {translated!r}',
            )
        if version_key(translated) < version_key(policy_version):
            return Problem(
                "stale",
                translation,
                f"translates policy {translated}, the binding policy is {policy_version}",
            )
        return None
    recorded, expected = meta.get(SOURCE_KEY), source_hash(docs / source)
    if not isinstance(recorded, str) or not re.fullmatch(r"[0-9a-f]{12}", recorded):
        return Problem(
            "unversioned",
            translation,
            f'expected front matter {SOURCE_KEY}: "{expected}" (of {source}), got {recorded!r}',
        )
    if recorded != expected:
        return Problem(
            "stale",
            translation,
            f'{source} changed since it was translated: update the translation, then set {SOURCE_KEY}: "{expected}"',
        )
    return None


def check(docs: Path, others, policy=None) -> list[Problem]:
    """Missing, stale, unversioned and orphaned translations under ``docs``; ``policy`` (a
    model.Policy with versions, or None) decides how the policy page's translations are judged."""
    files = policy.files if policy else None
    archived = files.archived if files else None
    version = policy.current()["version"] if policy else ""
    problems = []
    sources, translations = set(), {}
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        match = LANGUAGE_SUFFIX.match(relative)
        if match and match["lang"] in others:
            translations[relative] = f"{match['stem']}.md"
        else:
            sources.add(relative)
    for source in sorted(sources):
        if archived and archived.match(source):
            continue  # the archive holds what was frozen at publication; the original is binding
        for lang in others:
            wanted = source.removesuffix(".md") + f".{lang}.md"
            if wanted not in translations:
                problems.append(Problem("missing", wanted, f"translation of {source} into {lang!r}"))
    for translation, source in translations.items():
        if source not in sources:
            problems.append(Problem("orphan", translation, f"no original page {source}"))
        elif not (
            archived and archived.match(translation)
        ):  # an archived translation renders its own version
            problem = stale_detail(
                docs, translation, source, front_matter(docs / translation), files and files.page, version
            )
            if problem:
                problems.append(problem)
    return problems


def translation_notice(page, language: str, default: str, texts, docs: Path, policy=None) -> dict | None:
    """The notice above a translated page, linking to its original; for a page other than the
    policy whose original changed since, it also says that the translation lags (the policy's
    own lagging notice comes with its version line)."""
    original = getattr(page.file, "alternates", {}).get(default)
    if language == default or original is None:
        return None
    files = policy.files if policy else None
    t = texts[language]["translation"]
    before, _, after = t["notice"].partition("{link}")
    source = LANGUAGE_SUFFIX.sub(r"\g<stem>.md", page.file.src_uri)
    lagging = None
    if source != (files and files.page) and not (files and files.archived.match(source)):
        problem = stale_detail(docs, page.file.src_uri, source, page.meta, files and files.page, "")
        lagging = t["lagging_page"] if problem and problem.kind == "stale" else None
    return {
        "before": before,
        "after": after,
        "link_text": t["link_text"],
        "href": get_relative_url(original.url or "./", page.url),
        "lang": default,
        "lagging": lagging,
    }


def page_output(output: str, page, page_url: str, language: str, languages) -> str:
    """Search scoped to the page's language: Material's configuration (its ``script#__config``
    JSON, found in the kit's reading of the page) gets the language's root as its base, so that
    search loads that language's index (split_search_index)."""
    if not languages.others or language == languages.default:
        return output
    node = page.tree.css_first("script#__config") if page.tree is not None else None
    text = node.text(deep=True, separator="") if node is not None else None
    if text is None or output.count(text) != 1:
        return output
    old = json.loads(text).get("base")
    root = get_relative_url(f"{language}/", page_url).rstrip("/") or "."
    return output.replace(
        text, text.replace(f'"base": {json.dumps(old)}', f'"base": {json.dumps(root)}', 1), 1
    )


def not_found_context(
    texts: dict, site_url: str | None, root: str, links: list[tuple[str, str]], languages
) -> dict:
    """What the 404 page says, in its language, with absolute-path links to the pages people
    look for (``links``: text key and site-root-relative URL), and a language switcher that leads
    to each language's home (a 404 has no alternates: static-i18n leaves the last page's)."""
    t = texts["not_found"]
    site = urlsplit(site_url or "/").path.rstrip("/") + "/"
    base = site + root
    unique = list({url: key for key, url in reversed(links)}.items())[::-1]  # one link per page, first name
    keys = {key for _, key in unique}
    return {
        "title": t["title"],
        # The version history is named only where the site has one (with policy.versions).
        "body": t["body"] + (" " + t["history_note"] if "history" in keys else ""),
        "links": [{"label": t[key], "url": base + url} for url, key in unique],
        "homes": {language: site + languages.root(language) for language in languages.all},
    }


def split_search_index(site: Path, languages) -> None:
    """static-i18n merges every language into one search index: each language gets its own."""
    index_path = site / "search" / "search_index.json"
    if not languages.others or not index_path.exists():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    prefixes = tuple(f"{lang}/" for lang in languages.others)
    for lang in languages.others:
        docs = [
            {**doc, "location": doc["location"].removeprefix(f"{lang}/")}
            for doc in index["docs"]
            if doc["location"].startswith(f"{lang}/")
        ]
        part = {**index, "config": {**index["config"], "lang": [lang]}, "docs": docs}
        write_atomic(site / lang / "search" / "search_index.json", json.dumps(part, ensure_ascii=False))
    own = [doc for doc in index["docs"] if not doc["location"].startswith(prefixes)]
    root = {**index, "config": {**index["config"], "lang": [languages.default]}, "docs": own}
    write_atomic(index_path, json.dumps(root, ensure_ascii=False))


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _sitemap_bytes(urls: list[ElementTree.Element]) -> bytes:
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    urlset.extend(urls)
    ElementTree.indent(urlset, space="    ")
    return ElementTree.tostring(urlset, encoding="UTF-8", xml_declaration=True) + b"\n"


def write_language_sitemaps(site: Path, site_url: str, languages) -> None:
    """hreflang lives here: every page's alternates plus x-default (the default language's page),
    in sitemap.xml (and its .gz) and in <lang>/sitemap.xml with that language's pages only."""
    sitemap = site / "sitemap.xml"
    if not sitemap.exists():
        return
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    urls = ElementTree.parse(sitemap).getroot().findall(f"{{{SITEMAP_NS}}}url")
    for url in urls:
        links = url.findall(f"{{{XHTML_NS}}}link[@rel='alternate']")
        hrefs = {link.get("hreflang"): link.get("href") for link in links}
        if languages.default in hrefs and "x-default" not in hrefs:
            ElementTree.SubElement(
                url,
                f"{{{XHTML_NS}}}link",
                {"rel": "alternate", "hreflang": "x-default", "href": hrefs[languages.default]},
            )
    data = _sitemap_bytes(urls)
    write_atomic(sitemap, data)
    write_atomic(site / "sitemap.xml.gz", gzip.compress(data, mtime=0))
    base = site_url.rstrip("/") + "/"
    for lang in languages.others:
        mine = [url for url in urls if url.findtext(f"{{{SITEMAP_NS}}}loc", "").startswith(f"{base}{lang}/")]
        write_atomic(site / lang / "sitemap.xml", _sitemap_bytes(mine))
