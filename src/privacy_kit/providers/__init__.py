"""The analytics services the kit integrates, each loaded only after consent to ``analytics``:
one module of this package each (its entry, ``PROVIDER``: see service.py), found by name, so that
adding a service is adding its module, its script in the theme, and its texts.

The configuration, the declaration, the consent archive, the guard's messages, the stand-ins,
the local preview, the audit and ``privacy-kit init`` read the entries from here.
"""

from __future__ import annotations

import importlib
import pkgutil

from .service import Analytics, Provider, StandIn

__all__ = ["Analytics", "Provider", "StandIn", "every", "named", "analytics_of", "hosts_of"]


def _entries() -> dict[str, Provider]:
    found = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        entry = getattr(importlib.import_module(f"{__name__}.{module.name}"), "PROVIDER", None)
        if entry is not None:
            found[entry.name] = entry
    return found


PROVIDERS: dict[str, Provider] = _entries()


def every() -> tuple[Provider, ...]:
    """Every service, by name."""
    return tuple(PROVIDERS.values())


def named(name: str) -> Provider:
    return PROVIDERS[name]


def analytics_of(options) -> Analytics | None:
    """The service of the plugin's validated ``analytics`` options (None: not configured, or an
    identifier unset)."""
    return None if options is None else named(options.provider).analytics(options)


def hosts_of(options) -> tuple[str, ...]:
    """The host names whose requests are the configured analytics service (its identifiers
    need not be set: the audit of a deployed site reads a local mkdocs.yml)."""
    return () if options is None else named(options.provider).hosts(options)
