"""``hpgsim validate``: the model against every published target in the evidence registry."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    Overwrite,
    check_output_folder,
    fail,
    fail_run,
    hpgsim_version,
    run_meta,
)

if TYPE_CHECKING:
    pass

__all__ = ["validate"]


def validate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("validation"),
    fast: Annotated[
        bool, typer.Option("--fast", help="Single-man targets only (no trials; what CI runs).")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Run only this target id (repeatable)."),
    ] = None,
    n: Annotated[
        int | None, typer.Option("--n", help="Men per population target (default: its own).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the population targets.")] = 2026,
    markdown: Annotated[
        Path | None,
        typer.Option(help="Also write the table as Markdown (docs/validation.md)."),
    ] = None,
    plots: Annotated[bool, typer.Option(help="Write an overlay plot per target.")] = True,
    overwrite: Overwrite = False,
) -> None:
    """Compare the model with every published target in the registry (hpgsim.evidence.validation).

    Prints published, simulated and accepted values per measure; writes OUT/validation.json
    and, per target, OUT/plots/ID.png (simulation overlaid on the published values; Kaplan-Meier
    bands for population targets, with a visual predictive check: OUT/vpc.csv, the published
    points against 5-95% of replicate trials of the study's size). Exits 1 if a measure
    expected to pass fails; known gaps are reported, with their reason, and do not fail the
    run. OUT also gets manifest.json; a folder
    that is not empty is replaced only with --overwrite.
    """
    check_output_folder(out, overwrite)
    if n is not None and n < 1:
        fail(f"--n: got {n}; allowed: a whole number of men >= 1.")

    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from hpgsim.evidence.registry import select
    from hpgsim.evidence.validation import run_validation, status_counts
    from hpgsim.output.files import atomic_output, output_folder
    from hpgsim.output.validation_plots import plot_target, vpc_rows

    try:
        targets = select(fast=fast, only=only or ())
    except ValueError as exc:
        fail(str(exc))
    if not targets:
        fail("--only with --fast: the named targets are all population targets; drop --fast.")
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    started = time.perf_counter()
    try:
        with console.status("validating...") as status:
            run = run_validation(
                targets, n=n, seed=seed, progress=lambda msg: status.update(f"validating: {msg}")
            )
    except (FloatingPointError, RuntimeError, ValueError, OSError) as exc:
        fail_run(exc)
    table = Table(title=f"hpgsim validate: {len(targets)} targets, {len(run.results)} measures")
    for col in ("target", "measure", "use", "published", "simulated", "accepted", "status"):
        table.add_column(col, overflow="fold")
    style = {"pass": "green", "FAIL": "bold red", "known gap": "yellow"}
    for r in run.results:
        table.add_row(
            r.target,
            r.measure,
            r.use,
            f"{r.published:.3g} {r.unit}".strip(),
            f"{r.simulated:.3g} {r.unit}".strip(),
            f"{r.low:.3g}-{r.high:.3g}",
            f"[{style.get(r.status, 'cyan')}]{r.status}[/]",
        )
    console.print(table)
    counts = status_counts(run)
    payload = {
        "hpgsim_version": hpgsim_version(),
        "date": time.strftime("%Y-%m-%d"),
        "fast": fast,
        "seed": seed,
        "counts": counts,
        "results": [r.as_dict() for r in run.results],
        "disclaimer": DISCLAIMER,
    }
    try:
        with output_folder(out, overwrite=overwrite, meta=run_meta(seed=seed)) as stage:
            if plots:
                (stage / "plots").mkdir()
                for t in targets:
                    plot_target(t, run, stage / "plots" / f"{t.id}.png")
            (stage / "validation.json").write_text(json.dumps(payload, indent=2) + "\n")
            checks = [
                row
                for t in targets
                if t.id in run.population
                for row in vpc_rows(t.id, run.population[t.id])
            ]
            if checks:
                pd.DataFrame(checks).to_csv(stage / "vpc.csv", index=False)
        if markdown is not None:
            with atomic_output(markdown) as tmp:
                tmp.write_text(_validation_markdown(run, targets, payload, fast, n))
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    elapsed = time.perf_counter() - started
    typer.echo(
        f"hpgsim: {', '.join(f'{v} {k}' for k, v in sorted(counts.items()))} "
        f"in {elapsed:.0f} s; wrote {out}/validation.json"
    )
    typer.echo(DISCLAIMER)
    if run.failed:
        raise typer.Exit(1)


def _validation_markdown(
    run: Any, targets: Sequence[Any], payload: Mapping[str, Any], fast: bool, n: int | None
) -> str:
    from hpgsim.evidence.validation import markdown_table

    counts = ", ".join(f"{v} {k}" for k, v in sorted(payload["counts"].items()))
    trials = ", ".join(f"{t.id} {n or t.default_n} men" for t in targets if t.kind == "population")
    pop = (
        "single-man targets only (--fast)"
        if fast or not trials
        else f"all targets; trials: {trials}, seed {payload['seed']}"
    )
    return (
        "# Validation: hpgsim against published data\n\n"
        f"Generated by `hpgsim validate --markdown docs/validation.md` on {payload['date']} "
        f"(hpgsim {payload['hpgsim_version']}): {pop}. {counts}.\n\n"
        "*Use*: `calibrated` targets are in the fit's cost (scripts/calibrate.py); `reported` "
        "ones come from the same sources or the design's target list and are never fitted; "
        "`held_out` ones come from publications the calibration never used. *Accepted* is the "
        "published range or the published value +/- the tolerance. A `known gap` is a miss the "
        "model's structure explains (docs/model.md); it is reported, not hidden.\n\n"
        "hpgsim is research and education software, not a medical device; nothing here is "
        "medical advice.\n\n" + markdown_table(run, targets) + _vpc_markdown(run, targets)
    )


def _vpc_markdown(run: Any, targets: Sequence[Any]) -> str:
    """The visual predictive checks of the population targets as a markdown table."""
    from hpgsim.output.validation_plots import vpc_rows

    rows = [
        row
        for t in targets
        if t.id in run.population
        for row in vpc_rows(t.id, run.population[t.id])
    ]
    if not rows:
        return ""
    lines = [
        "",
        "## Visual predictive checks",
        "",
        "Each published Kaplan-Meier point of a population target against the 5th, 50th and "
        "95th centiles of replicate trials of the study's size drawn from the simulated men "
        "(`hpgsim.population.trial.km_prediction_interval`, 500 replicates): a point outside "
        "is unlikely for a study of that size if the model were right.",
        "",
        "| target | >= M/mL | month | published | simulated 5% | 50% | 95% | study n | inside |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['target']} | {r['threshold_m_per_ml']:g} | {r['month']:g} | "
        f"{r['published']:.2f} | {r['simulated_p05']:.2f} | {r['simulated_p50']:.2f} | "
        f"{r['simulated_p95']:.2f} | {r['study_n']} | {'yes' if r['inside'] else 'no'} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"
