"""``hpgsim model show`` and ``hpgsim model citations``: the parameter table and the literature."""

from __future__ import annotations

import enum
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hpgsim.cli.common import (
    NOT_A_DEVICE,
)

if TYPE_CHECKING:
    pass

__all__ = ["TableFormat", "model_citations", "model_show"]


class TableFormat(enum.StrEnum):
    """How ``model show`` prints the parameter table."""

    table = "table"
    csv = "csv"
    json = "json"


def model_show(
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table (rich), csv or json.")
    ] = TableFormat.table,
) -> None:
    """Print the parameter table: value, unit, meaning, source, calibration target, variability."""
    import csv
    import sys

    from hpgsim.model.parameters import PARAMETERS, on_bound, parameter_table

    records = parameter_table()
    if fmt is TableFormat.json:
        typer.echo(json.dumps(records, indent=2, default=str))
        return
    if fmt is TableFormat.csv:
        fieldnames = list(records[0]) if records else []
        writer = csv.DictWriter(sys.stdout, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return

    from rich.console import Console, JustifyMethod
    from rich.table import Table
    from rich.text import Text

    groups: dict[str, list[Any]] = {}
    for p in PARAMETERS:
        groups.setdefault(str(p.group), []).append(p)
    bound = on_bound()
    console = Console()
    console.print(f"hpgsim model parameters: {len(records)} in {len(groups)} groups")
    if console.width < WIDE_TABLE_COLUMNS:  # a 7-column table would wrap word by word
        _print_cards(groups, bound, console.width)
        console.print("Full references: hpgsim model citations. " + NOT_A_DEVICE)
        return
    for group, params in groups.items():
        table = Table(title=group, title_justify="left", title_style="bold", show_lines=True)
        for header in ("name", "value", "unit", "meaning", "source", "calibrated to", "BSV CV"):
            short = header in ("name", "value", "unit", "BSV CV")  # never wrapped
            justify: JustifyMethod = "right" if header in ("value", "BSV CV") else "left"
            table.add_column(header, justify=justify, no_wrap=short, overflow="fold")
        for p in params:
            cells = (
                str(p.name),
                f"{p.value:.4g}",
                str(p.unit),
                str(p.meaning),
                str(p.source),
                ""
                if p.calibrated_to is None
                else str(p.calibrated_to)
                + (f" [ON ITS {bound[p.name].upper()} BOUND]" if p.name in bound else ""),
                "" if p.bsv_cv is None else f"{p.bsv_cv:.2g}",
            )
            table.add_row(*(Text(cell) for cell in cells))
        console.print(table)
    console.print("Full references: hpgsim model citations. " + NOT_A_DEVICE)


WIDE_TABLE_COLUMNS = 120
"""Terminals narrower than this get one block per parameter instead of the 7-column table."""


def _print_cards(groups: dict[str, list[Any]], bound: dict[str, str], width: int) -> None:
    """The parameter table as one wrapped block per parameter (80-column terminals)."""
    import textwrap

    def wrapped(label: str, text: str) -> str:
        return textwrap.fill(
            text,
            width=width,
            initial_indent=f"    {label}",
            subsequent_indent="      ",
            break_on_hyphens=False,
        )

    for group, params in groups.items():
        typer.echo(f"\n== {group} ==")
        for p in params:
            extra = "" if p.bsv_cv is None else f"  (between-man CV {p.bsv_cv:.2g})"
            typer.echo(textwrap.fill(f"{p.name} = {p.value:.4g} {p.unit}{extra}", width=width))
            typer.echo(wrapped("", str(p.meaning)))
            typer.echo(wrapped("source: ", str(p.source)))
            if p.calibrated_to is not None:
                on = f" [ON ITS {bound[p.name].upper()} BOUND]" if p.name in bound else ""
                typer.echo(wrapped("calibrated to: ", str(p.calibrated_to) + on))


def model_citations() -> None:
    """Print every reference the model cites, sorted by key."""
    from hpgsim.model.parameters import CITATIONS

    for key in sorted(CITATIONS):
        typer.echo(f"{key}: {CITATIONS[key]}")
