"""The optional extras: a missing one gives a clear message (library) and a one-paragraph
``hpgsim: error:`` exit 2 (CLI), and every place that uses one goes through hpgsim.optional."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.optional import EXTRAS, MissingExtraError, available, require

SRC = Path(__file__).resolve().parents[1] / "src" / "hpgsim"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OPTIONAL_MODULES = {"lifelines", "dask", "distributed", "libsbml", "roadrunner"}


def _hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``import module`` fail as if the package were not installed."""
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


def test_require_names_the_package_the_purpose_and_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _hide(monkeypatch, "lifelines")
    with pytest.raises(MissingExtraError) as info:
        require("lifelines", "survival", "Kaplan-Meier recovery of a trial")
    assert str(info.value) == (
        "hpgsim: Kaplan-Meier recovery of a trial needs the optional package 'lifelines'; "
        "install it with: pip install 'hpgsim[survival]' (make venv installs every extra)"
    )
    assert isinstance(info.value, ImportError)
    assert not available("lifelines")


def test_require_names_the_distribution_not_the_import_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _hide(monkeypatch, "roadrunner")
    with pytest.raises(MissingExtraError, match=r"'libroadrunner'.*hpgsim\[sbml\]"):
        require("roadrunner", "sbml", "the peer benchmark")


def test_require_returns_the_module_and_rejects_an_unknown_extra() -> None:
    assert require("json", "survival", "a test") is sys.modules["json"]
    with pytest.raises(ValueError, match="unknown extra"):
        require("json", "nonexistent", "a test")


def test_extras_match_pyproject() -> None:
    import tomllib

    pyproject = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    optional = pyproject["project"]["optional-dependencies"]
    base = " ".join(pyproject["project"]["dependencies"])
    assert optional["all"] == [f"hpgsim[{','.join(EXTRAS)}]"]
    for extra, packages in EXTRAS.items():
        listed = " ".join(optional[extra])
        for package in packages:
            assert package in listed, (extra, package)
            assert package not in base, package


def test_optional_packages_are_imported_only_through_require() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            if roots & OPTIONAL_MODULES:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == []


def test_cli_missing_extra_exits_2_with_one_paragraph(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _hide(monkeypatch, "libsbml")
    out = tmp_path / "model.xml"
    result = CliRunner().invoke(
        app, ["export", "sbml", str(EXAMPLES / "article_protocol.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "hpgsim: error: SBML export needs the optional package 'python-libsbml'; install it "
        "with: pip install 'hpgsim[sbml]' (make venv installs every extra)"
    ]
    assert not out.exists()


def test_cli_trial_checks_its_extra_before_solving(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _hide(monkeypatch, "lifelines")
    out = tmp_path / "trial"
    args = ["trial", str(EXAMPLES / "article_protocol.yaml"), "--n", "2", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("hpgsim: error: a virtual trial")
    assert "pip install 'hpgsim[survival]'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
