"""What the kit asks of a site's ``mkdocs.yml`` beyond its own options: no Material consent or
analytics of its own (the kit's banner and its ``analytics`` option take their place), no link to
Material's consent dialog, and no fonts from Google.

Every problem is found in one reading of the configuration and returned together, each naming
its line of ``mkdocs.yml`` and the kit's page; the plugin reports them at the end of the build,
with everything else the build found (one run shows every problem)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# The kit's own page, where a site owner reads how to set it up (never the repository's README).
KIT_PAGE = "privacy-kit's page (https://pypi.org/project/mkdocs-privacy-kit/, docs-kit/ in its repository)"
MIGRATION = f'"Moving from Material\'s consent" on {KIT_PAGE}'


@dataclass(frozen=True)
class Problem:
    message: str
    refused: bool  # True: the build is refused, strict or not; False: a warning (strict fails)


def line_of(config_file: str | None, *keys: str) -> str:
    """``mkdocs.yml:<line>`` of the nested key ``keys`` (a top-level key, then one below it), as
    the file writes it; the file's name alone where it cannot be found."""
    if not config_file or not Path(config_file).is_file():
        return "mkdocs.yml"
    name = Path(config_file).name
    lines = Path(config_file).read_text(encoding="utf-8").splitlines()
    top = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(keys[0])}\s*:", line)), None)
    if top is None:
        return name
    for number in range(top + 1, len(lines)):
        line = lines[number]
        if line and not line[0].isspace() and not line.startswith("#"):
            break  # the next top-level key
        if len(keys) > 1 and re.match(rf"\s+{re.escape(keys[1])}\s*:", line):
            return f"{name}:{number + 1}"
    return f"{name}:{top + 1}"


def problems(config) -> list[Problem]:
    """Every problem of the site's configuration the kit knows, in the order of mkdocs.yml."""
    found = []
    where = config.config_file_path
    if "consent" in config.extra:
        found.append(
            Problem(
                f"{line_of(where, 'extra', 'consent')}: extra.consent is set: that key makes Material "
                "render its own cookie banner beside the kit's. Remove it, and write its categories and "
                f"cookies under the privacy-kit plugin's consent option: see {MIGRATION}.",
                refused=True,
            )
        )
    if "analytics" in config.extra:
        found.append(
            Problem(
                f"{line_of(where, 'extra', 'analytics')}: extra.analytics is set "
                f"({config.extra['analytics']!r}): Material would load it without asking. Remove it, and "
                "configure the privacy-kit plugin's analytics option instead, where it loads only after "
                f"consent (provider and property carry over): see {MIGRATION}.",
                refused=True,
            )
        )
    if "#__consent" in (config.copyright or ""):
        found.append(
            Problem(
                f"{line_of(where, 'copyright')}: copyright links #__consent, Material's consent dialog, "
                'which the kit replaces: remove that link; the kit\'s "Cookie settings" control is on '
                f"every page (see {MIGRATION}).",
                refused=False,
            )
        )
    instant = [f for f in config.theme.get("features") or [] if str(f).startswith("navigation.instant")]
    if instant:
        found.append(
            Problem(
                f"{line_of(where, 'theme', 'features')}: theme.features has {', '.join(instant)}: Material's "
                "instant navigation runs the scripts of the next page's content itself, gated ones too, "
                "before any choice (and keeps the banner's state from one page to the next). Remove it: "
                "every page then loads as a page of its own.",
                refused=True,
            )
        )
    if config.theme.get("font") is not False:
        found.append(
            Problem(
                f"{line_of(where, 'theme', 'font')}: theme.font is {config.theme.get('font')!r}: Material "
                "loads it from Google Fonts on every page, before any choice (a request to Google that the "
                "banner cannot stop). Set theme.font: false (the system fonts), or serve the fonts "
                "yourself through extra_css",
                refused=False,
            )
        )
    return found
