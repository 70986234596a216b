"""``hpgsim export``: a scenario's model, man and regimen in standard formats (SBML)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    check_output_path,
    echo_read_as,
    fail,
    fail_run,
    require_man,
    write_text_file,
)

if TYPE_CHECKING:
    pass

__all__ = ["export_sbml_cmd"]


def export_sbml_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="SBML file to write (.xml or .sbml).")],
) -> None:
    """Write the scenario as SBML Level 3 Version 2.

    The file has the model (rate and assignment rules traced from the
    JAX right-hand side), this man's parameters and steady state, the doses as events."""
    check_output_path(out, (".xml", ".sbml"), "--out")
    from hpgsim.optional import require

    require("libsbml", "sbml", "SBML export")  # before the man is prepared
    from hpgsim.scenario import ScenarioError, load_scenario

    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        fail(str(exc))
    require_man(sc, "export sbml")
    from hpgsim.output.sbml import export_sbml

    echo_read_as(sc)

    try:
        xml = export_sbml(sc)
    except (RuntimeError, ValueError) as exc:  # SbmlExportError is a ValueError
        fail_run(exc)
    write_text_file(out, xml)
    typer.echo(f"hpgsim: wrote {out} ({len(xml) // 1000} kB, SBML L3V2)")
    typer.echo(DISCLAIMER)
