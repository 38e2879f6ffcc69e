"""The cookie audit of a deployed site (``privacy-kit audit``; scripts/audit here): visit every
page of its sitemaps in Chromium as fresh visitors, record what is requested and stored before a
choice, after reject, after accept, after withdrawing and with Global Privacy Control, compare
every cookie and storage key with the declaration in mkdocs.yml, and write an HTML report and
JSON in the site's default language (the kit's texts, ``audit:``; English where the kit has none).

By job: ``declaration`` (what the site declares), ``discovery`` (which pages, from the
sitemaps), ``browser`` (one visitor in Chromium), ``steps`` (what each visitor does),
``rules`` (the pure judgement of what was seen), ``report`` (the HTML), ``cli`` (the command).
"""


class AuditError(Exception):
    """The audit could not run (bad input, unreachable site, failed build): exit code 2."""
