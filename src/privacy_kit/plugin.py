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

import itertools
import logging
import os
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File

from . import claims, guard, i18n, placeholders, reduction, security, template_cache
from .assets import minified
from .config import PrivacyKitConfig
from .consent import archive as consent_archive
from .consent import banner, embeds, providers
from .consent.declaration import MARKER as DECLARATION_MARKER
from .consent.declaration import consent_from, declaration_html, palette_key
from .editing import write_atomic
from .languages import current_language, inner_build, site_languages
from .markup import without_comments
from .policy import history, notices, redline
from .policy.model import build_date
from .project import policy_for, texts_for

log = logging.getLogger("mkdocs.plugins.privacy_kit")

THEME = Path(__file__).parent / "theme"
BANNER_SCRIPT = "assets/javascripts/consent.js"
BANNER_STYLES = "assets/stylesheets/consent.css"
EMBED_STYLES = "assets/stylesheets/consent-embeds.css"
EMBED_SCRIPT = "assets/javascripts/consent-embeds.js"
# Repository hosts whose facts Material's header fetches from their API (its "source" component).
REPOSITORY_FACTS = {"github.com": "api.github.com", "gitlab.com": "gitlab.com/api"}


def page_url(path: str, use_directory_urls: bool) -> str:
    """The site-root-relative URL of the docs-relative page ``path`` ("" for the home page)."""
    url = File(path, "", "", use_directory_urls).url
    return "" if url == "./" else url


class PrivacyKitPlugin(BasePlugin[PrivacyKitConfig]):
    def __init__(self):
        self.serving = False
        self.show_drafts = False  # set by on_startup under serve, or by a command's check build

    def on_startup(self, *, command, dirty):
        """Under ``mkdocs serve`` a draft is shown (with a notice and a live redline), not
        refused, and the Content-Security-Policy stays out of the live-reloaded pages."""
        self.serving = command == "serve"
        # POLICY_DRAFT=show: a build that shows drafts as serve does (a pull request's check, a
        # Netlify deploy preview), with the production build's headers; never for production.
        shown = os.environ.get("POLICY_DRAFT", "").strip() == "show"
        self.show_drafts = self.show_drafts or self.serving or shown

    def on_serve(self, server, *, config, builder):
        """Live reload follows the site's texts too (and the kit's own templates and texts)."""
        texts = Path(config.config_file_path).parent / self.config.texts_dir
        for path in (texts, THEME, THEME.parent / "texts"):
            if path.is_dir():
                server.watch(str(path))
        return server

    def on_env(self, env, config, files):
        env.filters["minified_js"] = reduction.minified_js
        env.bytecode_cache = template_cache.SHARED  # compiled once, not once per language
        return env

    # --- Configuration --------------------------------------------------------------------

    @event_priority(100)  # first: the other plugins build absolute URLs from site_url
    def on_config(self, config):
        self.gated: set[str] = set()  # categories that something on this language's pages waits for
        if inner_build(config):
            return config  # the other languages' builds use what the default build set up
        self._add_theme(config)
        if "consent" in config.extra:
            raise PluginError(
                "extra.consent is set: that key makes Material render its own cookie banner. "
                "Configure consent under the privacy-kit plugin's consent option instead (see README)."
            )
        if "analytics" in config.extra:
            raise PluginError(
                f"extra.analytics is set ({config.extra['analytics']!r}): Material would load it without "
                "asking. Configure analytics under the privacy-kit plugin's analytics option instead, "
                "where it loads only after consent (see README)."
            )
        if config.theme.get("font") is not False:
            log.warning(
                "theme.font is %r: Material loads it from Google Fonts on every page, before any "
                "choice (a request to Google that the banner cannot stop). Set theme.font: false (the "
                "system fonts), or serve the fonts yourself through extra_css",
                config.theme.get("font"),
            )
        placeholders.refuse_unfilled(config, self.config, self.serving)
        if config.repo_url and urlsplit(config.repo_url).hostname in REPOSITORY_FACTS:
            log.warning(
                "repo_url is %r: Material's JavaScript fetches the repository's facts (stars, forks, "
                "version) from %s on every page, before any choice (the Content-Security-Policy blocks "
                "it, and the audit reports that). Remove repo_url, or link the repository from a page",
                config.repo_url,
                REPOSITORY_FACTS[urlsplit(config.repo_url).hostname],
            )
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
        self.texts = texts_for(self.config, Path(config.config_file_path), self.languages)
        self.policy = policy_for(self.config, Path(config.docs_dir), self.languages.default)
        self.palette_key = palette_key(config.theme, config.site_url)
        self.consent = consent_from(self.config)
        if self.consent is not None:
            self.consent = replace(self.consent, palette_key=self.palette_key)
        analytics = self.config.analytics
        if analytics is not None and self.consent is not None and self.consent.analytics is None:
            unset = [
                key
                for key in ("property", "url", "site_id")
                if key in analytics.written and analytics[key] is None
            ]
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
        self.root_404: str | None = None
        self.refused_count = 0  # what the guard found, on every language's pages
        self.refused_scripts: set[str] = set()  # inline scripts it refused: never hashed into the CSP
        self._guard_templates(config)
        return config

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
        """Report what the guard found (strict fails on each; the outer build then refuses)."""
        texts = self.texts[self.languages.default]
        for finding in findings:
            line = guard.source_line(source, finding)
            log.warning(
                guard.message(finding, f"{where}:{line}" if line else where, texts, self._embed_hosts())
            )
        self.refused_count += len(findings)
        self.refused_scripts |= guard.refused_scripts(findings)

    def _guard_templates(self, config) -> None:
        """A site's own templates (custom_dir), and its copyright line (which the theme writes as
        HTML), may not run script that no consent covers either."""
        if config.copyright:
            found = guard.scan(config.copyright, self._origin(), {}, authored=True)
            self._guard([f for f in found if f.kind in guard.AUTHORED_ONLY], "mkdocs.yml (copyright)")
        custom = config.theme.custom_dir
        for path in sorted(Path(custom).rglob("*.html")) if custom else ():
            text = path.read_text(encoding="utf-8")
            found = guard.scan(text, self._origin(), {}, authored=True)
            self._guard([f for f in found if f.kind in guard.AUTHORED_ONLY], str(path), text)

    def _origin(self) -> str:
        return guard.origin_of(self.site_url)

    def _guard_static_pages(self, files, config):
        """HTML (and SVG) files in docs/ are published as they are: all of their markup is an editor's."""
        if current_language(config) != self.languages.default:
            return files
        docs = Path(config.docs_dir).resolve()
        for file in files:
            if file.src_uri.lower().endswith(guard.PAGE_FILES) and not file.is_documentation_page():
                source = Path(file.abs_src_path).resolve()
                if source.is_relative_to(docs):  # not the theme's
                    text = source.read_text(encoding="utf-8", errors="replace")
                    found = guard.scan(text, self._origin(), self._embed_hosts(), authored=True)
                    self._guard(found, file.src_uri, text)
        return files

    # --- Checks before the build ----------------------------------------------------------

    def on_pre_build(self, config):
        """Once, in the default language's build: translations, the archive of versions and
        drafts, and the consent archive."""
        if current_language(config) != self.languages.default:
            return
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

    def _check_consent_archive(self, config) -> None:
        options = self.config.consent
        if options is None:
            return
        shown_as = f"docs/{options.archive}"
        entries = consent_archive.load(Path(config.docs_dir) / options.archive, shown_as)
        palette = self.consent is not None and self.consent.palette_key is not None
        provider = self.config.analytics.provider if self.config.analytics is not None else None
        current = consent_archive.snapshot(
            options.categories, self.texts, self.languages.all, palette, provider
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
        unused += [script for script in providers.SCRIPTS if script != used]
        for path in unused:
            file = files.get_file_from_path(path)
            if file is not None:
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
        if self.policy is None or current_language(config) != self.languages.default:
            return files
        policy, default = self.policy, self.languages.default
        docs = policy.files.docs
        for previous, version in itertools.pairwise(policy.versions()):
            old = (docs / policy.files.archived_name(previous["version"], default)).read_text(
                encoding="utf-8"
            )
            new = (docs / policy.files.archived_name(version["version"], default)).read_text(encoding="utf-8")
            content = redline.version_redline(old, new, version, previous, self.texts, default)
            path = policy.files.redline(version["version"]).rstrip("/") + ".md"
            files.append(File.generated(config, path, content=content))
        draft = next((d for d in self.drafts_shown if d.path == policy.files.page), None)
        if draft:
            t = self.texts[default]["versions"]
            old = (docs / policy.files.archived_name(draft.version, default)).read_text(encoding="utf-8")
            new = (docs / policy.files.page).read_text(encoding="utf-8")
            title = t["draft_redline_title"].format(previous=draft.version)
            intro = t["draft_redline_intro"].format(previous=draft.version)
            content = redline.redline_markdown(old, new, title, intro, t, default)
            files.append(
                File.generated(config, policy.files.draft_redline.rstrip("/") + ".md", content=content)
            )
        return files

    on_files = CombinedEvent(_drop_what_is_not_published, _guard_static_pages, _minify_assets, _add_redlines)

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
        language = current_language(config)
        html = claims.checked(html, page.file.src_uri, self.consent, self.texts[language], DECLARATION_MARKER)
        if self._is_declaration_page(page, config) and DECLARATION_MARKER not in html:
            log.warning(
                "%s is the cookie declaration page (consent.declaration_page) but has no %s: "
                "without it the page publishes no declaration; put the marker where the table goes",
                page.file.src_uri,
                DECLARATION_MARKER,
            )
        if DECLARATION_MARKER in html:
            if self.consent is None:
                log.warning(
                    "%s has a cookie declaration marker but consent is not configured", page.file.src_uri
                )
                html = html.replace(DECLARATION_MARKER, "")
            else:
                table = declaration_html(self.consent, self.texts[language], language)
                html = html.replace(DECLARATION_MARKER, table)
        if notices.MARKER in html and self.policy is not None:
            meta = notices.meta_html(
                self._policy_build(), page, language, self.texts, self.languages.root(language)
            )
            html = html.replace(notices.MARKER, meta, 1)
        elif "policy" in page.meta and self.policy is not None:
            log.warning(
                "%s has policy front matter but no %s marker for the version line",
                page.file.src_uri,
                notices.MARKER,
            )
        if history.MARKER in html and self.policy is not None:
            html = html.replace(
                history.MARKER,
                history.history_html(self.policy.timeline(self.today), self.texts, language, page.url),
            )
        if "<iframe" in html:
            problems: list[str] = []
            html = embeds.placeholders(html, self._embed_hosts(), self.texts[language], problems)
            for problem in problems:
                log.warning("%s: %s", page.file.src_uri, problem)
        return without_comments(html)

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
        context["embeds"] = embeds.has_embeds(page.content)
        context["translation_notice"] = i18n.translation_notice(
            page, language, self.languages.default, self.texts, Path(config.docs_dir), self.policy
        )
        return context

    def on_template_context(self, context, template_name, config):
        context = self._common_context(context, config)
        if template_name == "404.html":
            language = current_language(config)
            context["not_found"] = i18n.not_found_context(
                self.texts[language],
                config.site_url,
                self.languages.root(language),
                self._not_found_links(config),
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

    def on_post_page(self, output, page, config):
        self._guard(
            guard.page_findings(output, page.content, self._origin(), self._embed_hosts(), page.meta),
            page.file.src_uri,
            page.file.content_string if page.file.abs_src_path or page.file.generated_by else None,
        )
        self.gated |= banner.gated_categories(output)
        language = current_language(config)
        configured = (config.mdx_configs.get("toc") or {}).get("permalink_title")
        own = self.texts[language]["policy"]["permalink_title"] if configured else None
        output = i18n.page_output(output, page.url, language, self.languages, configured, own)
        if security.style_attribute(output):
            log.warning(
                "%s has an inline style attribute, which the Content-Security-Policy forbids: use a class",
                page.file.src_uri,
            )
        return output

    def on_post_template(self, output, template_name, config):
        """Each language's 404 goes to <lang>/404.html; the root one stays in the default language."""
        if template_name != "404.html":
            return output
        self._guard(guard.scan(output, self._origin(), self._embed_hosts(), authored=False), template_name)
        output = i18n.not_found_page(output, config.site_url, self.languages)
        if current_language(config) == self.languages.default:
            self.root_404 = output
            return output
        language = current_language(config)
        write_atomic(Path(config.site_dir) / language / "404.html", output)
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
        if inner_build(config):
            return
        site = Path(config.site_dir)
        if reduction.enabled():
            parts = reduction.stylesheet_parts(
                bool(config.theme.get("palette")), bool(self.consent and self.consent.categories)
            )
            reduction.stylesheet_bundle(site, parts)
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

    @event_priority(-250)  # after static-i18n built every language, before the security files
    def _refuse_what_slipped(self, config):
        """A build with anything the guard found is refused, strict or not (under mkdocs serve the
        warnings stand, so that an editor sees them while the preview goes on)."""
        if inner_build(config) or not self.refused_count or self.serving:
            return
        t = self.texts[self.languages.default]["guard"]
        raise PluginError(t["refused"].format(count=self.refused_count))

    @event_priority(
        -300
    )  # last: after static-i18n built every language and the other parts wrote their files
    def _write_security_files(self, config):
        if inner_build(config):
            return
        if self.serving:
            log.info(
                "Content-Security-Policy is not put into pages under live reload; privacy-kit preview serves the real build"
            )
        contact = self.config.security.contact
        security.write_files(
            Path(config.site_dir),
            sources=security.sources_of(self.consent),
            refused_scripts=self.refused_scripts,
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
        _check_categories_used, _write_language_files, _refuse_what_slipped, _write_security_files
    )
