"""How the kit reads YAML (its texts, a site's texts, versions.yml, the consent archive, the
defaults of a declaration and of a new site): safely, as plain values (no Python objects), with
libyaml where PyYAML's wheel has it. libyaml only scans and parses, in C; PyYAML's safe
constructor builds the values either way, so the result is the same, about ten times sooner (every
build reads the kit's texts in each of the site's languages)."""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str):
    """The value ``text`` holds, as yaml.safe_load gives it."""
    return yaml.load(text, Loader=SafeLoader)
