"""The package's import graph, read from its source (ast): every import runs down the layers below,
none back up, none sideways between two parts of one layer, and no module imports itself round
a cycle. Lazy imports inside functions count: they run all the same.

The dispatcher of ``privacy-kit <command>`` (``cli/__init__.py``) names each command's module as
a string and imports only the one asked for; it is the entry point, above every layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "privacy_kit"

# Top to bottom. A part (a subpackage or a top-level module of privacy_kit) imports only parts of
# lower layers; two parts of one layer do not import each other.
LAYERS = [
    ["tools"],  # developer tools: bench, Lighthouse, screenshots
    ["audit"],  # the site owner's audit in a browser
    ["cli", "serving", "plugin"],  # the editors' commands; the runtime that builds and serves; MkDocs' plugin
    ["command_line"],  # what every command shares: --config-file and its project
    ["content"],  # what the kit writes into a page's content (the plugin's on_page_content)
    ["project", "i18n", "security", "reduction", "claims", "placeholders", "template_cache"],
    ["consent", "policy", "values", "documents", "site_config"],
    ["config", "guard", "editing", "markup", "gfm", "assets", "languages", "texts"],
    ["providers", "provenance"],  # the analytics services, one entry each; what the kit and the theme write
    # the one reading of a page; a URL's origin; option kinds; how YAML files are read
    ["reading", "origins", "options", "yaml_files", "__init__"],
]
LAYER_OF = {part: number for number, parts in enumerate(LAYERS) for part in parts}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str:
    """The part a module belongs to: its subpackage or top-level module (``__init__``: the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """The package's modules that ``module`` imports, with the line of each import."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # ``from package import module`` imports that module; ``from module import name``, the module
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            ]
        else:
            continue
        found += [(target, node.lineno) for target in targets if target.split(".")[0] == "privacy_kit"]
    return found


def graph() -> dict[str, list[tuple[str, int]]]:
    known = modules()
    return {module: imports(module, path, known) for module, path in known.items()}


def wrong_arrows(edges: dict[str, list[tuple[str, int]]]) -> list[str]:
    wrong = []
    for module, targets in edges.items():
        for target, line in targets:
            source_part, target_part = part_of(module), part_of(target)
            if source_part == target_part or not {source_part, target_part} <= LAYER_OF.keys():
                continue  # one part; or a part without a layer, which the test of LAYERS names
            if LAYER_OF[target_part] < LAYER_OF[source_part]:
                wrong.append(
                    f"{module} (line {line}) imports {target}: upward, from {source_part} up to {target_part}"
                )
            elif LAYER_OF[target_part] == LAYER_OF[source_part]:
                wrong.append(
                    f"{module} (line {line}) imports {target}: sideways, {source_part} and {target_part} are one layer"
                )
    return wrong


def cycles(edges: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (each reported once, from where the walk met it)."""
    found, state, stack = [], {}, []

    def walk(module):
        state[module] = "open"
        stack.append(module)
        for target in dict.fromkeys(target for target, _ in edges.get(module, [])):
            if state.get(target) == "open":
                found.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                walk(target)
        stack.pop()
        state[module] = "done"

    for module in edges:
        if module not in state:
            walk(module)
    return found


def test_every_part_of_the_package_has_a_layer():
    unplaced = sorted({part_of(module) for module in modules()} - set(LAYER_OF))
    assert not unplaced, f"give these parts of privacy_kit a layer in LAYERS: {unplaced}"


def test_no_import_runs_up_or_sideways():
    wrong = wrong_arrows(graph())
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_module_imports_itself_round_a_cycle():
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_reader_sees_relative_absolute_and_lazy_imports(tmp_path):
    # The graph this test judges has the arrows the package is known to have, however written.
    edges = {module: {target for target, _ in targets} for module, targets in graph().items()}
    assert "privacy_kit.consent.declaration" in edges["privacy_kit.consent.archive"]  # lazy, relative
    absolute = tmp_path / "absolute.py"  # the package has none left; a module may
    absolute.write_text("import os\nfrom privacy_kit.texts import DEFAULTS\n", encoding="utf-8")
    assert imports("privacy_kit.serving.absolute", absolute, modules()) == [("privacy_kit.texts", 2)]
    assert "privacy_kit.audit" in edges["privacy_kit.audit.browser"]  # from . import name
    assert "privacy_kit.consent.archive" in edges["privacy_kit.plugin"]  # from package import module


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"privacy_kit.serving.x": [("privacy_kit.cli.common", 3)]}, "sideways"),
        ({"privacy_kit.consent.x": [("privacy_kit.audit.rules", 3)]}, "upward"),
        ({"privacy_kit.audit.x": [("privacy_kit.serving.building", 3)]}, None),
    ],
)
def test_the_layers_judge_an_arrow(edges, expected):
    wrong = wrong_arrows(edges)
    assert (expected in wrong[0]) if expected else not wrong


def test_a_cycle_is_found():
    edges = {"a": [("b", 1)], "b": [("c", 1)], "c": [("a", 1)], "d": [("a", 1)]}
    assert cycles(edges) == [["a", "b", "c", "a"]]


# The clinic whose site this repository also builds: its names, nowhere in the package; its
# Dutch words, only in the kit's own Dutch texts (texts/nl.yml, scaffold/nl.yml), where they are
# the language's words for any site.
CLINIC_NAMES = ("maestro", "wijchen")
CLINIC_WORDS = ("versies", "privacybeleid")
KITS_OWN_TEXTS = ("texts", "scaffold")


def test_nothing_in_the_package_names_the_clinic():
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        where = path.relative_to(PACKAGE)
        words = CLINIC_NAMES if where.parts[0] in KITS_OWN_TEXTS else CLINIC_NAMES + CLINIC_WORDS
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found += [
                f"{where}:{number}: {word!r} in {line.strip()!r}" for word in words if word in line.lower()
            ]
    assert not found, "the package names the clinic:\n" + "\n".join(found)
