"""A privacy site for MkDocs and Material for MkDocs, as one plugin (``privacy-kit``).

It publishes a privacy policy faithfully (versions, redlines, feeds, translations that may lag)
and a first-party cookie banner that loads nothing optional before a real choice, with the
cookie declaration, the archive of what each consent was given on, and a strict
Content-Security-Policy generated from the same configuration. See the README's "Use it for
your own site".
"""

__version__ = "0.2.0"
