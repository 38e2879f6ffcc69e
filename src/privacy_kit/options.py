"""The kinds of option the plugin's configuration is made of (config.py and each analytics
service's entry, providers/): each refuses a bad value with a message that says what is expected
and quotes the value."""

from __future__ import annotations

import re

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

HTTPS_FOLDER = re.compile(r"^https://[^\s/?#]+(/[^\s?#]*)?/$")  # the address of a folder, as a service's


def expected(what: str, value) -> ValidationError:
    return ValidationError(f"expected {what}, got {value!r}")


class Section(base.Config):
    """A part of the configuration that refuses keys it does not know (MkDocs only warns, and
    a misspelt key would silently take its default), and remembers which keys the site wrote."""

    written: frozenset = frozenset()

    def load_dict(self, patch) -> None:
        self.written = frozenset(patch) if isinstance(patch, dict) else frozenset()
        super().load_dict(patch)

    def validate(self):
        failed, warnings = super().validate()
        unknown = [key for key, message in warnings if message == f"Unrecognised configuration name: {key}"]
        if unknown:
            known = ", ".join(key for key, _ in self._schema if key != "enabled")
            warnings = [(key, message) for key, message in warnings if key not in unknown]
            failed.append((unknown[0], expected(f"only the keys {known}", sorted(unknown))))
        return failed, warnings


class Optional(c.SubConfig):
    """A section that may be left out: then it is None and what it configures is off."""

    def __init__(self, config_class):
        super().__init__(config_class)
        self.config_class = config_class  # SubConfig sets it only on itself, not on a subclass
        self.default = None

    def run_validation(self, value):
        return None if value is None else super().run_validation(value)


class WholeNumber(c.BaseConfigOption[int]):
    """A whole number from ``low`` to ``high`` (not a bool, not a string of digits)."""

    def __init__(self, low: int, high: int, default: int | None = None):
        super().__init__()
        self.low, self.high, self.default = low, high, default

    def run_validation(self, value) -> int:
        if value is None and self.default is None:
            raise ValidationError(f"missing: expected a whole number from {self.low} to {self.high}")
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise expected(f"a whole number from {self.low} to {self.high}", value)
        return value


class Matching(c.BaseConfigOption[str]):
    """A string matching ``pattern``, described to the site's owner as ``what``. With
    ``empty_is_unset`` an empty string counts as not set (an empty ``!ENV`` variable: GitHub
    Actions passes an unset variable as an empty string)."""

    def __init__(self, pattern: re.Pattern, what: str, default: str | None = None, empty_is_unset=False):
        super().__init__()
        self.pattern, self.what, self.default, self.empty_is_unset = pattern, what, default, empty_is_unset

    def run_validation(self, value) -> str | None:
        if self.empty_is_unset and value == "":
            return None
        if not isinstance(value, str) or not self.pattern.match(value):
            raise expected(self.what, value)
        return value


class OneOf(c.BaseConfigOption[str]):
    def __init__(self, choices: tuple[str, ...], default: str | None = None):
        super().__init__()
        self.choices, self.default = choices, default

    def run_validation(self, value) -> str:
        if value not in self.choices:
            raise expected(f"one of {', '.join(self.choices)}", value)
        return value


class Text(c.BaseConfigOption[str]):
    """A non-empty line of text."""

    def __init__(self, what: str = "a text", default: str | None = None):
        super().__init__()
        self.what, self.default = what, default

    def run_validation(self, value) -> str:
        if not isinstance(value, str) or not value.strip():
            raise expected(self.what, value)
        return value
