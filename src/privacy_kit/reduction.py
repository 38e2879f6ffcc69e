"""What the kit leaves out of a site built with Material, so that a visitor downloads only what
the page uses: search that loads on first use (main.html) and Material's stylesheet reduced to the
rules the site's pages and scripts can use (reduce_stylesheets).

Every reduction is switched off by PRIVACY_KIT_REDUCTIONS=off (an empty value counts as unset):
tests/browser/test_pixels.py builds each site both ways and compares screenshots pixel by pixel.
"""

from __future__ import annotations

import os

SWITCH = "PRIVACY_KIT_REDUCTIONS"


def enabled() -> bool:
    """True unless PRIVACY_KIT_REDUCTIONS is "off" (or "0", "false", "no")."""
    value = (os.environ.get(SWITCH) or "").strip().lower()
    return value not in ("off", "0", "false", "no")
