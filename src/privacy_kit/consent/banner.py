"""What ``partials/consent.html`` renders for one language: the banner texts, the links, and one
``<script type="application/json" id="consent-config">`` block that configures ``consent.js``.

Also: which categories something on the built site waits for (a gated
``<script type="text/plain" data-consent-category="…">`` or embed), because asking consent for a
category that nothing uses is consent theatre.
"""

from __future__ import annotations

import json
import re

from mkdocs.exceptions import PluginError

from .declaration import SCHEMA, Consent

GATED = re.compile(r"<(?:script|iframe)\b[^>]*>")
GATED_CATEGORY = re.compile(r'\bdata-consent-category="([^"]+)"')


def config_json(consent: Consent) -> str:
    """consent.js's configuration; "</" is escaped so the JSON can never close its <script>."""
    config = {
        "key": consent.storage_key,
        "schema": SCHEMA,
        "revision": consent.revision,
        "expiresDays": consent.expires_days,
        "categories": list(consent.categories),
        "cookies": {
            cat: [c.name for c in consent.cookies if c.category == cat and c.storage == "cookie"]
            for cat in consent.categories
        },
    }
    return json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def template_data(
    consent: Consent, texts: dict, language: str, policy_url: str, declaration_url: str
) -> dict:
    """What partials/consent.html renders for one language; the URLs are site-root-relative,
    for the ``url`` filter, in the page's language."""
    t = texts["consent"]
    for category in consent.categories:
        if category not in t["categories"]:
            raise PluginError(
                f"consent.categories.{category}: no label in the texts of {language!r} "
                f"(expected consent.categories.{category}.label and .description)"
            )
    return {
        "texts": t,
        "categories": consent.categories,
        "analytics": consent.analytics,
        "policy_url": policy_url,
        "declaration_url": declaration_url,
        "json": config_json(consent),
    }


def gated_categories(output: str) -> set[str]:
    """The categories that gated scripts and embeds in a rendered page wait for."""
    found = set()
    for tag in GATED.findall(output):
        waits = 'type="text/plain"' in tag if tag.startswith("<script") else "data-src=" in tag
        if waits and (match := GATED_CATEGORY.search(tag)):
            found.add(match.group(1))
    return found
