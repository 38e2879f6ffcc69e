"""What ``partials/consent.html`` renders for one language: the banner texts, the links, and one
``<script type="application/json" id="consent-config">`` block that configures ``consent.js``.

(Which categories something on the built site waits for is the guard's to say, from its reading
of each page: guard.Check.categories.)
"""

from __future__ import annotations

import json

from mkdocs.exceptions import PluginError

from .declaration import SCHEMA, Consent


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
