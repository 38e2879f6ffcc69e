"""The origin of a URL (scheme, host and port), in one place: the guard judges what a page reaches
by it, the embeds and the providers declare theirs with it, and the audit judges requests by it."""

from __future__ import annotations

from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """The origin of an absolute URL (a scheme-relative one, ``//host/…``, taken as https)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else f"https://{parts.netloc}"
