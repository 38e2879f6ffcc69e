"""The places a site's owner must still fill: ``privacy-kit init`` writes them as ``[FILL IN: …]``
in the site's texts and pages, and a placeholder of the right form (``G-FILLIN``,
``https://fill-in.invalid/``: the analytics service's entry names them) where mkdocs.yml needs an
identifier or the address of the analytics service. ``mkdocs serve`` and a check build show
them; a production build (``SITE_URL`` set) refuses the site, naming each place still to fill.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from . import providers, yaml_files

MARK = "FILL IN"  # in texts and pages: [FILL IN: what to write here]


def _leaves(tree, prefix: str = ""):
    """(dotted key, text) for every text in a nested mapping."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, f"{prefix}{key}.")
    elif isinstance(tree, str):
        yield prefix.rstrip("."), tree


def unfilled(texts_dir: Path, docs_dir: Path, analytics=None, shown_as: str = "texts") -> list[str]:
    """Every place still to fill: ``<texts>/<lang>.yml: key``, ``docs/<page>.md, line N`` and the
    analytics option that still has init's stand-in value."""
    found = []
    for path in sorted(texts_dir.glob("*.yml")) if texts_dir.is_dir() else ():
        data = yaml_files.load(path.read_text(encoding="utf-8")) or {}
        found += [f"{shown_as}/{path.name}: {key}" for key, text in _leaves(data) if MARK in text]
    for path in sorted(docs_dir.rglob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        where = f"{docs_dir.name}/{path.relative_to(docs_dir).as_posix()}"
        found += [f"{where}, line {n}" for n, line in enumerate(lines, 1) if MARK in line]
    if analytics is not None:
        found += providers.named(analytics.provider).unfilled(analytics)
    return found


def refuse_unfilled(config, options, serving: bool) -> None:
    """In a production build (``SITE_URL`` set, not ``mkdocs serve``): raise, naming every
    place still to fill. The plugin calls this once, before the site's URL is defaulted."""
    if serving or not config.site_url:
        return
    texts = Path(config.config_file_path).parent / options.texts_dir
    found = unfilled(texts, Path(config.docs_dir), options.analytics, options.texts_dir.rstrip("/"))
    if found:
        raise PluginError(
            f"A production build publishes no placeholder; still to fill ({MARK}):\n  "
            + "\n  ".join(found)
            + "\n(mkdocs serve shows the site with them.)"
        )
