"""The ``privacy-kit`` MkDocs plugin: every MkDocs event of the kit, with all build state here.

The parts each do one job and know nothing of MkDocs' events: the policy's versions, redlines,
history and notices (policy/), translations (i18n.py), the banner, declaration and consent
archive (consent/), the security headers (security.py) and the texts (texts.py). This class
reads the validated configuration once per build, hands each part what it needs, and keeps
what a later event needs on ``self``.

mkdocs-static-i18n builds the other languages from inside the default language's
``on_post_build`` (each such build runs every event again): work for the whole site happens
once, in the default language's build, and what must wait for every language happens at the
end of the outer build.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File

from . import (
    content,
    documents,
    guard,
    i18n,
    placeholders,
    providers,
    reduction,
    security,
    site_config,
    template_cache,
    values,
)
from .assets import minified
from .config import ConsentConfig, PolicyConfig, PrivacyKitConfig
from .consent import archive as consent_archive
from .consent import banner, local
from .consent.declaration import Consent, consent_from, palette_key, theme_storage
from .editing import write_atomic
from .languages import Languages, current_language, default_build, site_languages
from .origins import origin_of
from .policy import history, notices, redline
from .policy.model import SHOW_DRAFTS, Policy, build_date
from .project import policy_for, texts_for
from .provenance import Provenance, missing
from .reading import read_html, remember
from .texts import Texts

log = logging.getLogger("mkdocs.plugins.privacy_kit")

THEME = Path(__file__).parent / "theme"
BANNER_SCRIPT = "assets/javascripts/consent.js"
BANNER_STYLES = "assets/stylesheets/consent.css"
EMBED_STYLES = "assets/stylesheets/consent-embeds.css"
EMBED_SCRIPT = "assets/javascripts/consent-embeds.js"
INLINE_SCRIPTS = "partials/javascripts/"  # the kit's inline scripts' files (reduction.inlined_js)


# The page data mkdocs-git-revision-date-localized-plugin writes (its markup, over any front
# matter of the same name) for Material's source-file partial: the plugin's, not an editor's.
PLUGIN_META = (
    "git_revision_date_localized",
    "git_site_revision_date_localized",
    "git_creation_date_localized",
)
# The script mkdocs-redirects writes into each redirect page (its HTML_TEMPLATE), for the target {url}.
REDIRECT_SCRIPT = 'var anchor=window.location.hash.substr(1);location.href="{url}"+(anchor?"#"+anchor:"")'


def redirect_pages(config) -> dict[str, str]:
    """The pages mkdocs-redirects writes, from the owner's redirect_maps: {page: its target}, the
    target as that plugin writes it (a page of docs/ relative to the redirect, else as written)."""
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return {}
    from mkdocs_redirects.plugin import get_html_path, get_relative_html_path

    found = {}
    docs = Path(config.docs_dir)
    for old, new in (plugin.config.get("redirect_maps") or {}).items():
        page, mark, fragment = str(new).partition("#")
        if (docs / page).is_file():  # a page of the site: its URL, relative to the redirect
            url = File(page, "", "", config.use_directory_urls).url + mark + fragment
            target = get_relative_html_path(old, url, config.use_directory_urls)
        else:
            target = str(new)
        found[get_html_path(old, config.use_directory_urls)] = target
    return found


def page_url(path: str, use_directory_urls: bool) -> str:
    """The site-root-relative URL of the docs-relative page ``path`` ("" for the home page)."""
    url = File(path, "", "", use_directory_urls).url
    return "" if url == "./" else url


def _roots(config) -> tuple[Path, list[Path]]:
    """docs/ and the theme's own folders (custom_dir is the site's), resolved once a build: a site
    with thousands of files (emoji images) resolved them again for each."""
    theirs = [Path(d).resolve() for d in config.theme.dirs if d != config.theme.custom_dir]
    return Path(config.docs_dir).resolve(), theirs


class PrivacyKitPlugin(BasePlugin[PrivacyKitConfig]):
    def __init__(self):
        # How MkDocs runs (on_startup).
        self.serving = False
        self.local_preview = False  # privacy-kit serve: the services answered by stand-ins (consent/local.py)
        self.show_drafts = False  # under serve, or POLICY_DRAFT=show (a command's check build sets it)
        # The site, read once per build from the validated configuration (on_config).
        self.config_file: str | None = None
        self.docs_dir = "docs"  # the site's docs_dir
        self.site_url = security.LOCAL_SITE_URL
        self.languages = Languages("en")
        self.today: datetime.date | None = None  # the build's date (SOURCE_DATE_EPOCH)
        self.plugin_meta: tuple[str, ...] = ()  # front matter another plugin writes (not an editor)
        self.texts: Texts | None = None
        self.policy: Policy | None = None  # its published versions (None: not versioned)
        self.palette_key: str | None = None  # where Material's colour-scheme switch keeps the choice
        self.consent: Consent | None = None  # what the banner asks and the declaration lists
        self.drafts_shown: tuple = ()  # drafts a serve or check build shows (on_pre_build)
        self.env = None  # the theme's Jinja environment (on_env)
        self.provenance: Provenance | None = None  # what the kit and the theme write (on_env)
        self.site = guard.Site(origin_of(self.site_url))  # what the guard knows of the whole site
        self._new_build()

    def _new_build(self) -> None:
        """What a build collects, empty again for each (mkdocs serve rebuilds)."""
        self.refusals: list[str] = []  # what the configuration holds that the build refuses (at its end)
        self.found: dict[tuple, tuple[guard.Finding, list[str]]] = {}  # what the guard found, and where
        self.in_templates: dict[tuple, str] = {}  # what the site's own templates hold, by template and line
        self.hashes = security.Hashes()  # what the policy allows to run or style, from every page
        self.pages: list[Path] = []  # the kit's pages, with the policy's placeholder
        self.documents: list[Path] = []  # other HTML documents of the site (docs/, other plugins)
        self.files_read: set[str] = set()  # the files of docs/ as the build found them (on_files)
        self.markup: set[tuple] = set()  # every distinct element of the pages (the stylesheet's reduction)
        self.root_404: str | None = None  # the default language's 404, also the root one
        self.gated: set[str] = set()  # categories that something on this language's pages waits for
        self.context: dict = {}  # the template context of the page being rendered
        self.made: dict[str, list[str]] = {}  # what the kit wrote into each page's content
        self.known: dict[str, tuple] = {}  # repeated markup already read and found to hold nothing
        self.with_embeds: dict[str, bool] = {}  # whether it made placeholders of embeds there

    def on_startup(self, *, command, dirty):
        """Under ``mkdocs serve`` a draft is shown (with a notice and a live redline), not
        refused, and the Content-Security-Policy stays out of the live-reloaded pages."""
        self.serving = command == "serve"
        # POLICY_DRAFT=show: a build that shows drafts as serve does (a pull request's check, a
        # Netlify deploy preview), with the production build's headers; never for production.
        shown = os.environ.get(SHOW_DRAFTS, "").strip() == "show"
        self.show_drafts = self.serving or shown
        self.local_preview = self.serving and os.environ.get(local.SWITCH, "").strip() == "1"

    def on_serve(self, server, *, config, builder):
        """Live reload follows the site's texts too (and the kit's own templates and texts)."""
        texts = Path(config.config_file_path).parent / self.config.texts_dir
        for path in (texts, THEME, THEME.parent / "texts"):
            if path.is_dir():
                server.watch(str(path))
        return server

    def on_env(self, env, config, files):
        env.globals["inlined_js"] = reduction.inlined_js  # the kit's inline scripts, from their files
        env.bytecode_cache = template_cache.SHARED  # compiled once, not once per language
        # The kit's base.html extends Material's as "material/base.html" (its own is "base.html").
        material = [d for d in config.theme.dirs if Path(d, "base.html").is_file() and Path(d) != THEME]
        env.loader = jinja2.ChoiceLoader(
            [env.loader, jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material[-1:])})]
        )
        # What the kit and the theme write: their templates only, never the site's custom_dir.
        theirs = [d for d in config.theme.dirs if d != config.theme.custom_dir]
        self.provenance = Provenance(env, theirs)
        self.env = env
        self._guard_files_written_since(files, config)
        return env

    def _template_file(self, name: str) -> str:
        """Where the template ``name`` comes from, as the site's owner finds it."""
        try:
            filename = self.env.get_template(name).filename or name
        except jinja2.TemplateNotFound:
            return name
        project = Path(self.config_file).parent if self.config_file else Path.cwd()
        path = Path(filename)
        return str(path.relative_to(project)) if path.is_relative_to(project) else f"{name} ({path})"

    # --- Configuration --------------------------------------------------------------------

    @event_priority(100)  # first: the other plugins build absolute URLs from site_url
    def _configure(self, config):
        self.gated = set()  # each language's pages are checked for what waits for consent
        if not default_build(config):
            return config  # the other languages' builds use what the default build set up
        self._new_build()
        self._add_theme(config)
        for problem in site_config.problems(config):
            if problem.refused:
                self.refusals.append(problem.message)
            else:
                log.warning(problem.message)
        placeholders.refuse_unfilled(config, self.config, self.serving)
        if not config.site_url:
            log.info(
                "SITE_URL is not set: absolute URLs point to %s, fine for checks but not for "
                "deployment (set SITE_URL to the public address when you build the site for publication)",
                security.LOCAL_SITE_URL,
            )
            config.site_url = security.LOCAL_SITE_URL
        self.site_url = config.site_url
        self.languages = site_languages(config)
        self.today = build_date(os.environ.get("SOURCE_DATE_EPOCH"))
        self.config_file = config.config_file_path
        self.docs_dir = config.docs_dir
        # Only where that plugin runs does it write those values (an editor's front matter else).
        self.plugin_meta = PLUGIN_META if "git-revision-date-localized" in config.plugins else ()
        self.texts = texts_for(self.config, Path(config.config_file_path), self.languages)
        self.policy = policy_for(self.config, Path(config.docs_dir), self.languages.default)
        self.palette_key = palette_key(config.theme, config.site_url)
        self.consent = consent_from(
            self.config, self.palette_key, theme_storage=theme_storage(config.theme, config.site_url)
        )
        if self.local_preview and self.consent is not None and self.consent.analytics is not None:
            service = local.analytics(self.consent.analytics, self.config.analytics, self.site_url)
            self.consent = replace(self.consent, analytics=service)
        analytics = self.config.analytics
        if analytics is not None and self.consent is not None and self.consent.analytics is None:
            required = providers.named(analytics.provider).required
            unset = [key for key in required if key in analytics.written and analytics[key] is None]
            banner = (
                ""
                if self.consent.categories
                else " and without a cookie banner (there is nothing to ask consent for)"
            )
            log.info(
                "analytics.%s is not set (an unset or empty !ENV variable, such as GA_PROPERTY here): "
                "building without analytics%s",
                " and ".join(unset),
                banner,
            )
        if self.consent is None:
            log.info("consent is not configured: no banner and no analytics are rendered")
        self.drafts_shown = ()
        self.site = guard.Site(
            origin_of(self.site_url), self._embed_hosts(), urlsplit(self.site_url).path or "/"
        )
        self._guard(values.config_findings(config), "mkdocs.yml")
        self._guard_templates(config)
        return config

    @event_priority(-100)  # after static-i18n has set up the language being built
    def _permalink_title(self, config):
        """The toc extension writes one title on every heading's permalink, for every language:
        where the site sets one, each language's build writes the kit's in that language."""
        toc = config.mdx_configs.get("toc")
        if toc and toc.get("permalink_title"):
            toc["permalink_title"] = self.texts[current_language(config)]["policy"]["permalink_title"]
        return config

    on_config = CombinedEvent(_configure, _permalink_title)

    @staticmethod
    def _add_theme(config) -> None:
        """The kit's templates and assets, between the site's own overrides and Material."""
        dirs = config.theme.dirs
        if str(THEME) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))

    def _url(self, config, path: str) -> str:
        return page_url(path, config.use_directory_urls)

    # --- The guard: nothing reaches another origin, or runs, before a choice -----------------

    def _embed_hosts(self) -> dict[str, tuple[str, ...]]:
        """The origins each consent category declares for its embeds."""
        return dict(self.consent.hosts) if self.consent else {}

    def _guard(self, findings, where: str, source: str | None = None) -> None:
        """Note what the guard found, and where: its source line where the source holds it, else
        the site's own template that writes it (read in on_config). The same finding on many
        pages is one problem, reported once with its places (_report_what_slipped)."""
        for finding in findings:
            key = guard.signature(finding)
            line = None if key in self.in_templates else guard.source_line(source, finding)
            place = f"{where}:{line}" if line else self.in_templates.get(key, where)
            if finding.kind in guard.OF_THE_CONFIGURATION:  # an extension's doing, on every page it writes
                place = Path(self.config_file or "mkdocs.yml").name
            elif not line and finding.url and (data := self._data_source(finding.url)):
                place = data
            places = self.found.setdefault(key, (finding, []))[1]
            if place not in places:
                places.append(place)

    def _data_source(self, url: str) -> str | None:
        """The data file of docs/ that writes ``url`` into pages, where the page's own source
        does not hold it (the blog's authors, whose avatars stand on every post and listing)."""
        docs = Path(self.docs_dir)
        for path in sorted(docs.rglob(".authors.yml")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if url in line:
                    return f"{path.relative_to(docs).as_posix()}:{number}"
        return None

    def _guard_templates(self, config) -> None:
        """A site's own templates (custom_dir) are read as they are written, so that what they
        put into every page is reported once, at its template and line."""
        custom = config.theme.custom_dir
        for path in sorted(Path(custom).rglob("*.html")) if custom else ():
            text = path.read_text(encoding="utf-8")
            for finding in guard.check_page(read_html(text), self.site).findings:
                line = guard.source_line(text, finding)
                self.in_templates.setdefault(
                    guard.signature(finding), f"{path}:{line}" if line else str(path)
                )

    def _site(self) -> guard.Site:
        """What the guard knows of the whole site (built once the files are known)."""
        return self.site

    def _guard_docs(self, files, config):
        """Files of docs/ are published as they are: a document a browser opens is checked as
        the browser reads it, a stylesheet for what it loads, and none may replace the theme's."""
        if not default_build(config):
            return files
        self.files_read = {file.src_uri for file in files}
        roots = _roots(config)
        for file in files:
            self._guard_file(file, config, roots)
        return files

    def _guard_files_written_since(self, files, config) -> None:
        """Files another plugin wrote into docs/ while the pages were read (mkdocs-mermaid-to-svg's
        diagrams, drawn from an editor's text): checked as the files of docs/ were."""
        if not default_build(config):
            return
        roots = _roots(config)
        for file in files:
            if file.src_uri not in self.files_read:
                self._guard_file(file, config, roots)

    def _guard_file(self, file, config, roots: tuple[Path, list[Path]]) -> None:
        """``roots``: docs/ and the theme's folders (not custom_dir), resolved (``_roots``)."""
        if file.is_documentation_page() or not file.abs_src_path:
            return
        docs, theirs = roots
        source = Path(file.abs_src_path).resolve()
        if not source.is_relative_to(docs):
            return  # the theme's own, or generated
        if (
            any((theme / file.src_uri).is_file() for theme in theirs)
            or file.dest_uri in documents.SITE_FILES
            or file.dest_uri == reduction.PLACEHOLDER  # the kit's stylesheet, until it is written
        ):
            self._guard([guard.Finding("shadow", "", "", url=file.dest_uri)], file.src_uri)
        if documents.host_file(file.src_uri):
            self._guard([guard.Finding("host_file", "", "", url=file.src_uri)], file.src_uri)
        unknown = source.read_bytes() if not documents.type_of(file.src_uri) else None
        if kind := documents.kind_of(file.src_uri, unknown):
            if kind == "html":
                self.documents.append(Path(file.abs_dest_path))
            data = unknown if unknown is not None else source.read_bytes()
            self._guard(
                documents.check(file.src_uri, data, self.site).findings,
                file.src_uri,
                data.decode("utf-8", errors="replace"),
            )
        elif file.src_uri.lower().endswith(".css"):
            css = source.read_text(encoding="utf-8", errors="replace")
            self._guard(documents.stylesheet_findings(file.src_uri, css, self.site), file.src_uri, css)

    def _know_the_site(self, files, config):
        """The scripts and stylesheets pages may load: the theme's, the kit's, and the owner's
        extra_javascript and extra_css (files of docs/ that are neither stay unloadable). Not the
        analytics services' scripts: consent.js runs them, after consent, from the kit's gated
        script (a page that loads one itself would run it before any choice)."""
        docs = Path(config.docs_dir).resolve()
        ours = {
            file.url
            for file in files
            if file.abs_src_path and not Path(file.abs_src_path).resolve().is_relative_to(docs)
        }
        after_consent = frozenset(provider.script for provider in providers.every())
        scripts = {file for file in ours if file.endswith((".js", ".mjs"))} - after_consent
        owners = [
            str(getattr(script, "path", script)) for script in config.extra_javascript
        ]  # str or dict form
        scripts |= {script.lstrip("/") for script in owners}
        scripts |= {str(script).lstrip("/") for script in config.extra.get("polyfills") or []}
        stylesheets = {file for file in ours if file.endswith(".css")} | {reduction.PLACEHOLDER}
        stylesheets |= {str(path).lstrip("/") for path in config.extra_css}
        self.site = replace(
            self.site,
            services=after_consent,
            scripts=frozenset(scripts),
            stylesheets=frozenset(stylesheets),
        )
        return files

    # --- Checks before the build ----------------------------------------------------------

    def on_pre_build(self, config):
        """Once, in the default language's build: translations, the archive of versions and
        drafts, and the consent archive."""
        if not default_build(config):
            return
        self._check_named_pages(config)
        for problem in i18n.check(Path(config.docs_dir), self.languages.others, self.policy):
            if problem.kind == "stale":
                log.info("Translation %s; published with a notice that it lags", problem)
            else:
                log.warning("Translation %s", problem)
        if self.policy is not None:
            problems = self.policy.verify_archive()
            if problems:
                raise PluginError("Policy archive check failed:\n  " + "\n  ".join(problems))
            found = self.policy.drafts(self.languages.others)
            if found and not self.show_drafts:
                raise PluginError(
                    "A production build publishes only published texts; found drafts:\n  "
                    + "\n  ".join(map(str, found))
                    + "\n(mkdocs serve shows drafts with a notice and their changes.)"
                )
            for draft in found:
                log.info("Draft shown (not published): %s", draft)
            self.drafts_shown = tuple(found)
        self._check_consent_archive(config)

    def _check_named_pages(self, config) -> None:
        """The pages the plugin's options name (the banner and the footer link to them) exist."""
        named = []  # (option, its value, its default)
        if self.config.consent is not None:
            named.append(
                (
                    "consent.declaration_page",
                    self.config.consent.declaration_page,
                    ConsentConfig.declaration_page,
                )
            )
        if self.config.policy is not None:
            named.append(("policy.page", self.config.policy.page, PolicyConfig.page))
        for option, page, default in named:
            if not (Path(config.docs_dir) / page).is_file():
                log.warning(
                    "mkdocs.yml: the privacy-kit plugin's %s is %r, which is no file of docs/: the "
                    "banner's and the footer's links would lead nowhere; expected the docs-relative "
                    "path of a page, such as %r",
                    option,
                    page,
                    default.default,
                )

    def _check_consent_archive(self, config) -> None:
        options = self.config.consent
        if options is None:
            return
        shown_as = f"docs/{options.archive}"
        entries = consent_archive.load(Path(config.docs_dir) / options.archive, shown_as)
        current = consent_archive.current(
            self.config, self.texts, self.languages.all, self.palette_key, self.consent.theme_storage
        )
        for problem in consent_archive.problems(entries, options.revision, current, shown_as, self.texts):
            log.warning("Consent archive: %s", problem)

    # --- Files --------------------------------------------------------------------------------

    def _drop_what_is_not_published(self, files, config):
        """The kit's data files (the manifest of versions, the consent archive) are read by the
        build, not published; without a banner its script and styles are not published, and
        without analytics its integration is not, and without embeds their script and styles are not."""
        unused = []
        if self.policy is not None:
            unused.append(self.policy.files.manifest)
        if self.config.consent is not None:
            unused.append(self.config.consent.archive)
        if self.consent is None or not self.consent.categories:
            unused += [BANNER_SCRIPT, BANNER_STYLES]
        if self.consent is None or not self.consent.hosts:
            unused += [EMBED_STYLES, EMBED_SCRIPT]
        used = self.consent.analytics.script if self.consent and self.consent.analytics else None
        unused += [p.script for p in providers.every() if p.script != used]
        for path in unused:
            file = files.get_file_from_path(path)
            if file is not None:
                files.remove(file)
        for file in list(files):  # the kit's inline scripts as files: written into pages, not published
            if file.src_uri.startswith(INLINE_SCRIPTS) and Path(file.abs_src_path or "").is_relative_to(
                THEME
            ):
                files.remove(file)
        return files

    @event_priority(-150)  # after static-i18n sorted the files: it needs every file to have a source path
    def _minify_assets(self, files, config):
        """The kit's own scripts and stylesheets are shipped minified (a site's own override of
        one, from its custom_dir, is shipped as the site wrote it)."""
        for file in list(files):
            source = Path(file.abs_src_path) if file.abs_src_path else None
            if source and source.suffix in (".js", ".css") and source.is_relative_to(THEME):
                file.content_string = minified(source)
        return files

    @event_priority(-150)  # after static-i18n sorted the files per language: it cannot take generated ones
    def _add_redlines(self, files, config):
        """One generated redline page per version after the first (in the binding language),
        and under mkdocs serve one for the draft."""
        if self.policy is None or not default_build(config):
            return files
        for path, markdown in redline.redline_pages(
            self.policy, self.drafts_shown, self.texts, self.languages.default
        ):
            files.append(File.generated(config, path, content=markdown))
        return files

    @event_priority(-150)  # after static-i18n sorted the files per language: it cannot take generated ones
    def _add_local_preview(self, files, config):
        """Under privacy-kit serve's local preview, the stand-ins of the declared services."""
        if self.local_preview and default_build(config):
            for path, text in local.files(self.config.analytics).items():
                files.append(File.generated(config, path, content=text))
        return files

    on_files = CombinedEvent(
        _drop_what_is_not_published,
        _know_the_site,
        _guard_docs,
        _minify_assets,
        _add_redlines,
        _add_local_preview,
    )

    # --- Pages --------------------------------------------------------------------------------

    def _policy_build(self) -> notices.PolicyBuild:
        return notices.PolicyBuild(self.policy, self.policy.timeline(self.today), self.drafts_shown)

    def on_page_markdown(self, markdown, page, config, files):
        """Replace a working text that is not the one to show by the archived text that is."""
        if self.policy is None:
            return markdown
        shown = notices.markdown_to_show(self._policy_build(), page, current_language(config))
        return markdown if shown is None else shown

    def on_page_content(self, html, page, config, files):
        """The page's content, read once: the kit's markers become what they stand for, the
        editors' comments are left out, gated embeds become placeholders; and the values the
        theme writes into the page as they are (its title, its front matter) are checked."""
        language = current_language(config)
        meta = {key: value for key, value in page.meta.items() if not key.startswith(self.plugin_meta)}
        self._guard(values.page_findings(page.title, meta, self.site.origin), page.file.src_uri)
        policy = self._policy_build() if self.policy is not None else None
        frames = local.embed(self.site_url) if self.local_preview else None  # what the embeds load
        site = content.Site(self.consent, self.texts, policy, self._embed_hosts(), frames)
        root = self.languages.root(language)
        reading = read_html(html)
        self._guard(guard.content_findings(reading), page.file.src_uri, page.file.content_string)
        declaration_page = self._is_declaration_page(page, config)
        written = content.written(html, reading, page, language, root, site, declaration_page)
        self.made[page.file.src_uri] = written.made
        self.with_embeds[page.file.src_uri] = written.embeds
        return written.html

    def _is_declaration_page(self, page, config) -> bool:
        """Whether ``page`` is the cookie declaration page, in any language."""
        if self.consent is None:
            return False
        root = self.languages.root(current_language(config))
        return page.url == root + self._url(config, self.config.consent.declaration_page)

    def _common_context(self, context, config):
        """What every template renders: the banner (only where there is something to choose)
        and the feed of policy versions of the page's language."""
        language = current_language(config)
        root = self.languages.root(language)
        offered = self.consent is not None and self.consent.categories
        context["consent"] = self._banner(config, language, root) if offered else None
        context["palette_only_when_asked"] = self.palette_key is not None
        context["embeds"] = False
        context["reduced"] = reduction.enabled()
        context["csp_placeholder"] = None if self.serving else security.PLACEHOLDER
        context["local_preview"] = (
            self.texts[language]["local_preview"]["notice"] if self.local_preview else None
        )
        if self.policy is not None:
            context["feed_url"] = root + "feed.xml"  # each language has its own feed
            context["feed_title"] = self.texts[language]["versions"]["feed_title"]
        return context

    def _banner(self, config, language: str, root: str) -> dict:
        options = self.config.policy
        declaration_url = root + self._url(config, self.config.consent.declaration_page)
        if options is not None and options.cookie_section:
            policy_url = (root + self._url(config, options.page) or "./") + "#" + options.cookie_section
        else:
            policy_url = declaration_url
        return banner.template_data(self.consent, self.texts[language], language, policy_url, declaration_url)

    def on_page_context(self, context, page, config, nav):
        language = current_language(config)
        context = self._common_context(context, config)
        context["embeds"] = self.with_embeds.get(page.file.src_uri, False)
        context["translation_notice"] = i18n.translation_notice(
            page, language, self.languages.default, self.texts, Path(config.docs_dir), self.policy
        )
        self.context = context
        return context

    def on_template_context(self, context, template_name, config):
        context = self._common_context(context, config)
        self.context = context
        if template_name == "404.html":
            language = current_language(config)
            context["not_found"] = i18n.not_found_context(
                self.texts[language],
                config.site_url,
                self.languages.root(language),
                self._not_found_links(config),
                self.languages,
            )
        return context

    def _not_found_links(self, config) -> list[tuple[str, str]]:
        """The pages a 404 links to: the policy, the cookie declaration, the version history."""
        links = [("policy", self._url(config, self.config.policy.page))] if self.config.policy else []
        if self.config.consent is not None:
            links.append(("cookies", self._url(config, self.config.consent.declaration_page)))
        if self.policy is not None:
            links.append(("history", self.policy.files.folder + "/"))
        return links

    def _check_page(
        self, output: str, url: str, where: str, source: str | None, made=(), template="main.html"
    ):
        """The final page, read once (after every plugin and the theme): what the guard finds,
        what the policy may hash, what the stylesheet's reduction keeps, the categories used, and
        whether it holds what the kit writes into every page (its template names what is missing)."""
        page = read_html(output, self.known)
        context = self.context
        for kind in missing(page, context, redirect=template == values.REDIRECT_TEMPLATE):
            self._guard([guard.Finding(kind, self._template_file(template), "")], where)
        expected = guard.Expected(
            url=url,
            scripts=self.provenance.scripts(context),
            styles=self.provenance.styles(context),
            controls=self.provenance.controls(context),
            services=self.provenance.services(context),
        )
        placeholders = sum((guard.controls_in(placeholder) for placeholder in made), Counter())
        check = guard.check_page(page, self.site, expected, placeholders)
        self._guard(check.findings, where, source)
        self.hashes.add(check)
        self.gated |= check.categories
        self.markup |= check.markup
        if not check.findings:
            remember(page, self.known)
        return page

    @event_priority(-100)  # last: the page as every other plugin (a minifier, say) left it
    def on_post_page(self, output, page, config):
        source = page.file.content_string if page.file.abs_src_path or page.file.generated_by else None
        made = self.made.get(page.file.src_uri, ())
        template = page.meta.get("template") or "main.html"
        reading = self._check_page(output, page.url, page.file.src_uri, source, made, template)
        language = current_language(config)
        output = i18n.page_output(output, reading, page.url, language, self.languages)
        self.pages.append(Path(page.file.abs_dest_path))
        return output

    @event_priority(-100)  # last: the page as every other plugin left it
    def on_post_template(self, output, template_name, config):
        """Each language's 404 goes to <lang>/404.html; the root one stays in the default language."""
        if template_name != "404.html":
            return output
        self._check_page(output, "404.html", template_name, None, template=template_name)
        site = Path(config.site_dir)
        if default_build(config):
            self.root_404 = output
            self.pages.append(site / "404.html")
            return output
        language = current_language(config)
        write_atomic(site / language / "404.html", output)
        self.pages.append(site / language / "404.html")
        return self.root_404 if self.root_404 is not None else output

    # --- After the build ----------------------------------------------------------------------

    def _check_categories_used(self, config):
        """Asking consent for a category that nothing uses is consent theatre: warn (strict fails)."""
        for category in self.consent.categories if self.consent else ():
            if category not in self.gated:
                log.warning(
                    "consent.categories.%s is offered in the banner, but nothing on the site waits for it "
                    '(no analytics and no <script type="text/plain" data-consent-category="%s">): remove '
                    "the category or add what needs it",
                    category,
                    category,
                )

    @event_priority(-200)  # after static-i18n has built every language and merged the search index
    def _write_language_files(self, config):
        if not default_build(config):
            return
        site = Path(config.site_dir)
        if reduction.enabled():
            parts = reduction.stylesheet_parts(
                bool(config.theme.get("palette")), bool(self.consent and self.consent.categories)
            )
            words = reduction.words_of(site, reduction.words_of_markup(self.markup))
            reduction.stylesheet_bundle(site, parts, words, self.pages)
        if self.languages.others and (site / "search" / "search_index.json").exists():
            i18n.split_search_index(site, self.languages)
            i18n.write_language_sitemaps(site, self.site_url, self.languages)
        if self.policy is not None:
            line = self.policy.timeline(self.today)
            base = self.site_url.rstrip("/") + "/"
            author = config.site_author or config.site_name
            for language in self.languages.all:
                feed = history.feed_xml(
                    line, self.texts, language, base, self.languages.root(language), author
                )
                write_atomic(site / self.languages.root(language) / "feed.xml", feed)
            write_atomic(site / "versions.json", history.versions_json(line, self.languages.all, base))

    @event_priority(-240)  # after static-i18n built every language, and every other plugin
    def _check_other_documents(self, config):
        """HTML documents that no page event showed the kit (another plugin's pages, written after
        the build; files of docs/ were read as the build found them): read and checked now."""
        if not default_build(config):
            return
        site = Path(config.site_dir)
        known = set(self.pages) | set(self.documents)
        redirects = redirect_pages(config)
        for path in sorted(site.rglob("*")):
            if documents.kind_of(path.name) == "html" and path.is_file() and path not in known:
                where = path.relative_to(site).as_posix()
                if where in redirects:  # mkdocs-redirects' page, from the owner's redirect_maps
                    self._check_redirect(path, where, redirects[where])
                else:
                    self._guard(documents.check(where, path.read_bytes(), self.site).findings, where)
                self.documents.append(path)

    def _check_redirect(self, path: Path, where: str, target: str) -> None:
        """A page of mkdocs-redirects: its script is the plugin's, for a target the owner wrote
        in redirect_maps; it runs (hashed into the policy) only when that target is on the site."""
        script = REDIRECT_SCRIPT.format(url=target)
        on_site = not guard.foreign(target, self.site.origin) and not guard.JAVASCRIPT_URL.match(target)
        expected = guard.Expected(url=where, scripts=frozenset({script} if on_site else ()))
        check = guard.check_page(read_html(path.read_text(encoding="utf-8")), self.site, expected)
        self._guard(check.findings, f"{Path(self.config_file or 'mkdocs.yml').name} (redirect_maps: {where})")
        self.hashes.add(check)

    @event_priority(-250)  # after static-i18n built every language, before the security files
    def _refuse_what_slipped(self, config):
        """Everything the guard found, once each with its places, in the site's default language;
        a build with any of it is refused, strict or not (under mkdocs serve the warnings stand,
        so that an editor sees them while the preview goes on)."""
        if not default_build(config) or not (self.found or self.refusals):
            return
        texts = self.texts[self.languages.default]
        for message in self.refusals:
            log.warning(message)
        for finding, places in self.found.values():
            log.warning(guard.message(finding, guard.places(places), texts, self._embed_hosts()))
        if not self.serving or self.refusals:
            count = len(self.found) + len(self.refusals)
            raise PluginError(texts["guard"]["refused"].format(count=count))

    @event_priority(
        -300
    )  # last: after static-i18n built every language and the other parts wrote their files
    def _write_security_files(self, config):
        if not default_build(config):
            return
        if self.serving:
            log.info(
                "Content-Security-Policy is not put into pages under live reload; privacy-kit preview serves the real build"
            )
        contact = self.config.security.contact
        security.write_files(
            Path(config.site_dir),
            hashes=self.hashes,
            pages=self.pages,
            documents=self.documents,
            sources=security.sources_of(self.consent),
            meta=not self.serving,
            others=self.languages.others,
            site_url=self.site_url,
            security_txt_text=(
                security.security_txt(self.site_url, contact, self.languages.all, self.today)
                if contact
                else None
            ),
            warn=log.warning,
        )

    on_post_build = CombinedEvent(
        _check_categories_used,
        _write_language_files,
        _check_other_documents,
        _refuse_what_slipped,
        _write_security_files,
    )
