"""The ``hpgsim`` command: every command group registered on one typer app, in one place.

The CLI parses arguments, calls the library and writes files; it does no science. One file per
command group (:mod:`~hpgsim.cli.simulate`, :mod:`~hpgsim.cli.report`, :mod:`~hpgsim.cli.trial`,
:mod:`~hpgsim.cli.validate`, :mod:`~hpgsim.cli.clinical`, :mod:`~hpgsim.cli.model`,
:mod:`~hpgsim.cli.export`), with the developer commands (bench, model doc) apart in
:mod:`~hpgsim.cli.dev`. Output files are written atomically, so a failed run never leaves a partial
file in place of a complete one. Bad input exits with status 2 and a one-paragraph message on
stderr starting ``hpgsim: error:``.

Heavy modules (JAX, pandas, matplotlib) are imported inside the command bodies, so ``hpgsim
--help`` stays fast: the only function-local imports of the package are in this layer.
"""

from __future__ import annotations

from typing import Annotated

import typer

from hpgsim.cli import (
    clinical,
    dev,
    export,
    model,
    nmtran,
    report,
    sensitivity,
    simulate,
    trial,
    validate,
)
from hpgsim.cli.common import NOT_A_DEVICE, HpgsimGroup, version_callback
from hpgsim.engine.precision import enable_x64

__all__ = ["app", "main"]

enable_x64()  # the command is the application: it turns on the float64 the engine requires

app = typer.Typer(
    name="hpgsim",
    help=(
        "Simulate the male hypothalamic-pituitary-gonadal axis and the drugs that act on it. "
        + NOT_A_DEVICE
    ),
    cls=HpgsimGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # a docstring's paragraphs reflow: no line breaks mid-phrase
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Options common to every command."""


# User commands.
app.command("simulate")(simulate.simulate)
app.command("report")(report.report)
app.command("trial")(trial.trial)
app.command("validate")(validate.validate)
app.command("compare")(clinical.compare)
app.command("plan")(clinical.plan)
app.command("demo")(simulate.demo)
app.command("sensitivity")(sensitivity.sensitivity)

protocols_app = typer.Typer(
    rich_markup_mode="markdown",
    help="The protocol library: the source article's restoration protocols after TRT.\n\n"
    + NOT_A_DEVICE,
    no_args_is_help=True,
)
protocols_app.command("list")(clinical.protocols_list)
protocols_app.command("show")(clinical.protocols_show)
app.add_typer(protocols_app, name="protocols")

model_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Inspect the model: its parameter table and the literature it cites.",
    no_args_is_help=True,
)
model_app.command("show")(model.model_show)
model_app.command("citations")(model.model_citations)
app.add_typer(model_app, name="model")

export_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Export a scenario's model, man and regimen to standard formats.",
    no_args_is_help=True,
)
export_app.command("sbml")(export.export_sbml_cmd)
app.add_typer(export_app, name="export")

import_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Import data from other tools' formats into scenario files.",
    no_args_is_help=True,
)
import_app.command("nmtran")(nmtran.import_nmtran_cmd)
app.add_typer(import_app, name="import")

# Developer commands.
model_app.command("doc")(dev.model_doc_cmd)
app.command("bench")(dev.bench)


def main() -> None:
    """Entry point of the ``hpgsim`` console script."""
    app()
