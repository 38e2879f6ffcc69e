"""The services the consent covers, answered on this machine under ``privacy-kit serve``'s local
preview (serving/local_preview.py): the kit writes the addresses of their stand-ins into the pages
itself (the analytics service's settings from its entry, each embed's frame), and the stand-ins
as files of the site's own ``_local-preview/`` folder. Nothing reaches the analytics service or an
embed's host; banner, preferences and analytics work as published."""

from __future__ import annotations

from dataclasses import replace

from ..providers import Analytics, named

FOLDER = "_local-preview/"  # in the site, beside its pages
SWITCH = "PRIVACY_KIT_LOCAL_PREVIEW"  # set by privacy-kit serve for the mkdocs serve it runs
EMBED = "<!doctype html><title>Embedded content</title><p>An embed, answered on this machine.</p>"
EMBED_PAGE = "embed.html"


def here(site_url: str) -> str:
    """The absolute address of the folder (mkdocs serve sets site_url to where it serves)."""
    return site_url.rstrip("/") + "/" + FOLDER


def analytics(service: Analytics, options, site_url: str) -> Analytics:
    """The configured service, loaded from its stand-ins in the folder."""
    return replace(service, attributes=named(options.provider).local_attributes(options, here(site_url)))


def embed(site_url: str) -> str:
    """What every embed's frame loads: a page of the folder."""
    return here(site_url) + EMBED_PAGE


def files(options) -> dict[str, str]:
    """The folder's files (path in the site -> text): the analytics service's stand-ins (of the
    plugin's validated ``analytics`` options, None: none) and an embed's page."""
    found = named(options.provider).local_files() if options is not None else {}
    return {FOLDER + path: text for path, text in {**found, EMBED_PAGE: EMBED}.items()}
