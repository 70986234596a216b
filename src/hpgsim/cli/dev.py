"""Developer commands: ``hpgsim bench`` (speed, against peers) and ``hpgsim model doc``
(regenerate the generated blocks of docs/model.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hpgsim.cli.common import (
    check_output_path,
    fail,
    print_rows,
    write_text_file,
)

if TYPE_CHECKING:
    pass

__all__ = ["bench", "model_doc_cmd"]


def model_doc_cmd(
    path: Annotated[Path, typer.Argument(help="The model document.")] = Path("docs/model.md"),
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the file is not current; write nothing.")
    ] = False,
) -> None:
    """Regenerate the generated blocks of the model document from the code.

    The blocks are the equations, parameters, variability, references and the article's
    claims."""
    from hpgsim.output.files import atomic_output
    from hpgsim.output.model_doc import update

    try:
        text = path.read_text()
    except OSError as exc:
        fail(f"cannot read {str(path)!r}: {exc}")
    try:
        new = update(text)
    except ValueError as exc:
        fail(str(exc))
    if check:
        if new != text:
            typer.echo(f"hpgsim: {path} is not current; run `hpgsim model doc {path}`", err=True)
            raise typer.Exit(1)
        typer.echo(f"hpgsim: {path} is current")
        return
    with atomic_output(path) as tmp:
        tmp.write_text(new)
    typer.echo(f"hpgsim: wrote {path}")


def _bench_rows(result: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    rows: list[tuple[str, Any, str]] = []
    for row in result.get("rows", []):
        if isinstance(row, Mapping):
            rows.append((str(row["label"]), row["value"], str(row.get("unit", ""))))
        else:
            label, value, unit = row
            rows.append((str(label), value, str(unit)))
    return rows


def bench(
    quick: Annotated[bool, typer.Option(help="A short run, for a smoke check.")] = False,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also save the full result as JSON here.")
    ] = None,
) -> None:
    """Measure simulation speed (see BENCHMARKS.md for recorded figures)."""
    if json_path is not None:
        check_output_path(json_path, (".json",), "--json")

    from hpgsim.bench import run_benchmark

    result = run_benchmark(
        quick=quick, log=lambda msg: typer.echo(f"hpgsim bench: {msg}", err=True)
    )
    for key, value in result.items():
        if key != "rows" and isinstance(value, str | int | float | bool):
            typer.echo(f"{key}: {value}")
    print_rows("hpgsim benchmark" + (" (quick)" if quick else ""), _bench_rows(result))

    if json_path is not None:
        write_text_file(json_path, json.dumps(result, indent=2, default=str) + "\n")
        typer.echo(f"hpgsim: wrote {json_path}")
