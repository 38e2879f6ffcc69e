"""What a site declares: every cookie and storage key of its cookie declaration (the
privacy-kit plugin's ``consent`` in mkdocs.yml, read with the build's own validation), plus the
record that stores the choice, and its consent revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...project import Project, ProjectError
from . import AuditError


@dataclass(frozen=True)
class Declared:
    name: str  # a trailing * matches a prefix
    storage: str  # cookie, localStorage or sessionStorage
    category: str
    provider: str

    def matches(self, name: str, storage: str) -> bool:
        if storage != self.storage:
            return False
        if self.name.endswith("*"):
            return name.startswith(self.name[:-1])
        return name == self.name


def load_declaration(mkdocs_yml: Path) -> tuple[list[Declared], int | None]:
    """Every cookie and storage key a project declares plus the consent record itself; and the
    consent revision."""
    try:
        consent = Project(mkdocs_yml).options.consent
    except ProjectError as error:
        raise AuditError(f"--declaration {str(mkdocs_yml)!r}: {error}") from None
    if consent is None:
        return [], None
    declared = [
        Declared(c.name, c.storage, c.category, c.provider)
        for category in consent.categories.values()
        for c in category.cookies
    ]
    if len(consent.categories) > 1:  # something to choose, so a banner and a stored choice
        declared.insert(
            0, Declared(consent.storage_key, "localStorage", "necessary", "deze website (de toestemming)")
        )
    return declared, consent.revision


def declared_as(declaration: list[Declared], name: str, storage: str) -> Declared | None:
    return next((d for d in declaration if d.matches(name, storage)), None)
