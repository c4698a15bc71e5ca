"""The package's layers, read from its imports: each module imports only from its own layer or
the layers below, and packages form no cycle (docs/architecture.md draws them)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "feedgen_pipeline"

# lowest first; a module not listed is an error, so a new one must be placed
LAYERS: list[set[str]] = [
    {"errors", "model", "records", "naming", "digests", "memo", "files", "sqlite", "collector"},
    {"config"},
    {"sources", "extract", "enrich", "write", "state", "remote"},
    {"plan", "layout", "delta", "parse", "outcome", "quick", "articles", "api"},
    {"render"},
    {"publish", "report", "announce"},
    {"pipeline", "reading", "extraction", "cluster"},
    {"cli", "__main__", "__init__"},
]
# the stages of the middle layer may use each other only so
STAGE_IMPORTS = {
    ("extract", "sources"),  # decoding the bytes of an input
    ("enrich", "extract"),  # text helpers (extract.common)
    ("remote", "sources"),  # Found, what a scan or a fetch found
}
# the plan is pure: it decides from plain records, so it imports nothing of the stages (only
# the other pure modules of its layer)
PURE = {"plan", "layout", "delta"}
# the modules of the bottom layer that read or write files: none of the pure ones
DISK = {"files", "sqlite"}


def _unit(module: str) -> str:
    """The first part of a dotted name below the package: a module or a sub-package."""
    return module.split(".", 1)[0]


def _imports() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        here = parts[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = parts[: len(parts) - node.level]  # the package the dots lead to
                if node.module:
                    targets = [".".join([*base, node.module])]
                else:
                    targets = [".".join([*base, alias.name]) for alias in node.names]
                for target in targets:
                    # the package's version is a constant of its root, which stands above all
                    if target and target != "__version__" and _unit(target) != here:
                        found.add((here, _unit(target)))
            elif isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                for name in names:
                    if name.startswith("feedgen_pipeline."):
                        target = _unit(name.split(".", 1)[1])
                        if target != here:
                            found.add((here, target))
    return found


def _layer(unit: str) -> int:
    for level, units in enumerate(LAYERS):
        if unit in units:
            return level
    raise AssertionError(f"{unit} is in no layer: place it in tests/test_layers.py")


def _wrong(imports: set[tuple[str, str]]) -> list[str]:
    """The imports among ``imports`` that break the layering, each said."""
    wrong = []
    for here, target in sorted(imports):
        lh, lt = _layer(here), _layer(target)
        if lt > lh or (lt == lh and lh == 2 and (here, target) not in STAGE_IMPORTS):
            wrong.append(f"{here} imports {target}")
        if here in PURE and (lt > 1 or target in DISK) and target not in PURE:
            wrong.append(f"{here}, which is pure, imports {target}")
        if lt == lh and lh != 2 and (target, here) in imports:
            wrong.append(f"{here} and {target} import each other")
    return wrong


def test_every_import_goes_down() -> None:
    wrong = _wrong(_imports())
    assert not wrong, wrong


def test_a_stage_that_imports_another_sideways_is_caught() -> None:
    """The HTTP cache and the state share atomic writes and the SQLite opener from the bottom
    layer, not through each other."""
    assert _wrong({("remote", "state")}) == ["remote imports state"]
    assert _wrong({("state", "remote")}) == ["state imports remote"]
    assert not _wrong({("remote", "files"), ("state", "files"), ("remote", "sqlite")})


def test_a_pure_module_that_touches_the_disk_is_caught() -> None:
    assert _wrong({("plan", "sqlite")}) == ["plan, which is pure, imports sqlite"]
    assert _wrong({("delta", "files")}) == ["delta, which is pure, imports files"]
    assert not _wrong({("plan", "naming"), ("delta", "memo")})


def test_the_check_sees_an_upward_import() -> None:
    assert ("cli", "pipeline") in _imports()
    assert _layer("cli") > _layer("pipeline") > _layer("plan") > _layer("model")
