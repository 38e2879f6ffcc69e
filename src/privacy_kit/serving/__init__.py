"""The runtime that builds and serves a site: the strict build (building), serving a build as
hosts do (hosting, preview), ``mkdocs serve`` as a local preview (local_preview), the stand-ins
of declared services (standins) and the Chromium they are visited in (chromium)."""
