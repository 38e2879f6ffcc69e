"""What the services a site declares would answer, for tests and the offline audit, so that
nothing leaves the machine: its analytics service's stand-ins (its entry's, providers/: each sets
the cookies the real one sets and sends one request, as the real one does), an embed's host
answers with a small page, Google Fonts with an empty stylesheet. Each analytics stand-in counts
its runs (``window.__<provider>StandIn``) for the tests to wait on.
"""

from __future__ import annotations

from ..consent.local import EMBED
from ..providers import StandIn, named

FONTS = "/* Google Fonts, answered on this machine */"


def stand_ins(analytics, hosts=(), fonts: bool = False) -> tuple[StandIn, ...]:
    """What the declared services would answer: the analytics service (the plugin's validated
    ``analytics`` options; its identifiers need not be set), the origins of the embeds of each
    category (``hosts``: category, origins), Google Fonts."""
    found = list(named(analytics.provider).stand_ins(analytics)) if analytics is not None else []
    for _, origins in hosts:
        found += [StandIn(origin + "/", 200, "text/html", EMBED) for origin in origins]
    if fonts:
        found.append(StandIn("https://fonts.googleapis.com/", 200, "text/css", FONTS))
    return tuple(found)


def answer(url: str, known: tuple[StandIn, ...]) -> StandIn | None:
    """The stand-in that answers ``url`` (None: nobody; the request is aborted)."""
    return next((s for s in known if url.startswith(s.url)), None)
