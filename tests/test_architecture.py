"""The package's shape: layers (import-linter, `make lint`), no import cycles between modules,
no private name imported across modules, and imports at module top outside the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "hpgsim"
OPTIONAL_EXTRAS = {"lifelines", "distributed", "dask", "libsbml", "roadrunner", "SALib"}
"""Heavy dependencies a plain ``simulate`` does not need: imported where they are used."""


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        out.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return out


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("hpgsim", cache_dir=None)


def test_no_module_is_in_an_import_cycle(graph: grimp.ImportGraph) -> None:
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if module == imported or imported.startswith(module + "."):
                continue  # a package importing its own submodule is not a cycle
            if module.startswith(imported + "."):
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append(" -> ".join((module, *back)))
    assert cycles == []


def test_no_private_name_is_imported_across_modules() -> None:
    offenders = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hpgsim"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        offenders.append(f"{name}: from {node.module} import {alias.name}")
    assert offenders == []


def test_imports_sit_at_module_top_outside_the_cli() -> None:
    """Function-local imports are kept only in the CLI (so ``hpgsim --help`` stays fast) and for
    the optional heavy extras."""
    offenders = []
    for name, tree in _modules():
        if name.startswith("hpgsim.cli"):
            continue
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import):
                    roots = {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom):
                    roots = {(node.module or "").split(".")[0]}
                else:
                    continue
                if not roots <= OPTIONAL_EXTRAS:
                    offenders.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == []


def test_the_cli_module_lists_every_command_without_side_effect_imports() -> None:
    """``python -m hpgsim.cli --help`` shows every command (they are registered in one place)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "hpgsim.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": "", "PYTHONPATH": str(SRC.parent)},
    ).stdout
    for command in ("simulate", "report", "trial", "validate", "compare", "plan", "protocols"):
        assert f" {command} " in out, command
