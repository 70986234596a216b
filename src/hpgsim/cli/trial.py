"""``hpgsim trial``: a virtual trial of one scenario on a population."""

from __future__ import annotations

import enum
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    History,
    Overwrite,
    ProtocolName,
    SetValues,
    TimeUnit,
    check_output_folder,
    check_output_path,
    days_option,
    echo_read_as,
    fail,
    fail_run,
    print_rows,
    require_man,
    run_meta,
    scenario_with_protocol,
    with_follow_up,
    with_parameter_sets,
)

if TYPE_CHECKING:
    import pandas as pd

    from hpgsim.population.trial import TrialDesign

__all__ = ["DEFAULT_NMTRAN_OUTPUTS", "Sampling", "trial", "write_trial_dataset"]

MAX_TRAJECTORY_MEN = 10_000
"""The most men whose trajectories ``--trajectories`` writes (one solve holds them all)."""

TRAJECTORY_EVERY_DAYS = 7.0
"""Output spacing of ``--trajectories``, days."""

DEFAULT_NMTRAN_OUTPUTS = "total_testosterone_ng_dl,lh_iu_l,fsh_iu_l,sperm_concentration_m_per_ml"
"""The outputs a trial's NM-TRAN dataset observes unless ``--nmtran-outputs`` says otherwise."""


class Sampling(enum.StrEnum):
    """Semen sampling schedule of a trial."""

    four_weekly = "4w"
    daily = "daily"


def trial(
    scenarios: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Scenario file(s): with several, each is an arm and man i gets arm i mod the "
            "number of arms (same horizon); the predictors then include the regimens'. "
            "Optional with --protocol.",
            show_default=False,
        ),
    ] = None,
    population: Annotated[
        str, typer.Option("--population", help="Population name (hpgsim.population.virtual_men).")
    ] = "healthy_men_18_51",
    n: Annotated[int, typer.Option("--n", help="Number of men.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same men.")] = 0,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("trial"),
    sampling: Annotated[
        Sampling, typer.Option(help="Semen analyses every 4 weeks (the pooled studies) or daily.")
    ] = Sampling.four_weekly,
    chunk_size: Annotated[int, typer.Option(help="Men per batched solve.")] = 2000,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler; chunks run on its workers."),
    ] = None,
    overwrite: Overwrite = False,
    set_values: SetValues = None,
    nmtran: Annotated[
        Path | None,
        typer.Option(
            "--nmtran",
            help="Also write the first --nmtran-men men as an NM-TRAN dataset (.csv: dose, "
            "observation and covariate records) with a JSON sidecar beside it naming its CMT "
            "and DVID codes and units.",
            show_default=False,
        ),
    ] = None,
    nmtran_men: Annotated[
        int, typer.Option("--nmtran-men", help="Men in the NM-TRAN dataset (the trial's first).")
    ] = 100,
    nmtran_every: Annotated[
        str | None,
        typer.Option(
            "--nmtran-every",
            help="Observation spacing of the NM-TRAN dataset ('7 d'); default: the semen "
            "sampling interval.",
        ),
    ] = None,
    nmtran_outputs: Annotated[
        str,
        typer.Option(
            "--nmtran-outputs",
            help="Observed outputs of the NM-TRAN dataset, comma-separated (DVID 1, 2, ... in "
            "this order).",
        ),
    ] = DEFAULT_NMTRAN_OUTPUTS,
    nmtran_time_unit: Annotated[
        TimeUnit, typer.Option("--nmtran-time-unit", help="Unit of its TIME and II.")
    ] = TimeUnit.hours,
    trajectories: Annotated[
        int,
        typer.Option(
            "--trajectories",
            help="Also write the first N men's weekly trajectories (every output column, "
            "noise-free) to OUT/trajectories.parquet, for visual predictive checks.",
        ),
    ] = 0,
    protocol: ProtocolName = None,
    history: History = None,
) -> None:
    """Run a virtual trial: the scenario's regimen (or several arms) for N men of a population.

    Writes OUT/summary.json (suppression fractions by week, Kaplan-Meier recovery by month),
    OUT/patients.parquet (one row per man), OUT/recovery_km.png and OUT/predictors.csv (Cox
    hazard ratios of the men's covariates for recovery to 20 M/mL) and OUT/manifest.json (every
    file's hash, the seed, the hpgsim version); with --trajectories N, OUT/trajectories.parquet
    (the first N men's weekly courses, every output column). Follow-up covers at least 24
    months after the first missed androgen dose; recovery months count from it. The files
    appear together or not at all; a folder that is not empty is replaced only with
    --overwrite.
    """
    check_output_folder(out, overwrite)
    if not 0 <= trajectories <= MAX_TRAJECTORY_MEN:
        fail(f"--trajectories: got {trajectories}; allowed: 0 (none) to {MAX_TRAJECTORY_MEN} men.")
    if chunk_size < 1:
        fail(f"--chunk-size: got {chunk_size}; allowed: a whole number >= 1.")
    outputs = [c.strip() for c in nmtran_outputs.split(",") if c.strip()]
    nmtran_every_days = days_option(nmtran_every, "--nmtran-every")
    if nmtran is not None:
        check_output_path(nmtran, (".csv",), "--nmtran")
        if nmtran_men < 1:
            fail(f"--nmtran-men: got {nmtran_men}; allowed: a whole number >= 1.")
        from hpgsim.model.axis import OUTPUT_COLUMNS
        from hpgsim.scenario import TIME_RESOLUTION_DAYS

        unknown = [c for c in outputs if c not in OUTPUT_COLUMNS]
        if unknown or not outputs:
            fail(
                f"--nmtran-outputs: got {nmtran_outputs!r}; allowed: a comma-separated list of "
                f"{', '.join(OUTPUT_COLUMNS)}."
            )
        if nmtran_every_days is not None:
            ticks = nmtran_every_days / TIME_RESOLUTION_DAYS
            if abs(ticks - round(ticks)) > 1e-6 * max(ticks, 1.0) or round(ticks) < 1:
                fail(
                    f"--nmtran-every: got {nmtran_every!r}; allowed: a whole multiple of "
                    f"{TIME_RESOLUTION_DAYS * 1440:g} min (the time resolution)."
                )

    from hpgsim.optional import require

    # Before the men are solved, not after: the summary needs lifelines, --scheduler distributed.
    require("lifelines", "survival", "a virtual trial (Kaplan-Meier recovery, Cox ratios)")
    if scheduler is not None:
        require("distributed", "scale", "a trial on a Dask cluster (--scheduler)")

    from hpgsim.population.trial import SAMPLING_EVERY_DAYS, TrialDesign

    paths: list[Path | None] = list(scenarios or []) or [None]
    arms = tuple(scenario_with_protocol(path, protocol, history) for path in paths)
    for arm in arms:
        require_man(arm, "trial")
    arms = tuple(with_follow_up([with_parameter_sets(arm, set_values) for arm in arms]))
    for arm in arms:
        echo_read_as(arm)
    names = [a.name for a in arms]
    if len(set(names)) < len(names):
        fail(f"scenario names must differ between arms; got {names}.")
    try:
        design = TrialDesign(
            arms,
            population,
            n=n,
            seed=seed,
            sampling_every_days=SAMPLING_EVERY_DAYS[sampling.value],
        )
    except ValueError as exc:
        fail(f"--{exc}")
    if (
        nmtran is not None
        and nmtran_every_days is not None
        and nmtran_every_days > design.horizon_days
    ):
        fail(
            f"--nmtran-every: got {nmtran_every!r}; allowed: at most the horizon "
            f"({design.horizon_days:g} d)."
        )

    from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

    from hpgsim.output.files import output_folder
    from hpgsim.output.trial_plots import plot_recovery
    from hpgsim.population.trial import predictors, run_trial, summarize, trajectory_table

    started = time.perf_counter()
    columns = (*Progress.get_default_columns(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(f"{', '.join(names)}: {n} men", total=n)
            rows = run_trial(
                design,
                chunk_size=chunk_size,
                scheduler=scheduler,
                progress=lambda k: bar.advance(task, k),
            )
    except (FloatingPointError, RuntimeError, ValueError, OSError) as exc:
        fail_run(exc)
    summary = summarize(rows, design)
    summary["disclaimer"] = DISCLAIMER
    meta = run_meta(
        seed=seed,
        n=n,
        population=population,
        scenarios=[str(p) for p in scenarios or []],
        protocol=protocol,
        history=history,
    )
    try:
        with output_folder(out, overwrite=overwrite, meta=meta) as stage:
            (stage / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
            rows.to_parquet(stage / "patients.parquet", index=False)
            plot_recovery(rows, design, stage / "recovery_km.png")
            if summary["recovery"] is not None:
                predictors(rows).to_csv(stage / "predictors.csv", index=False)
            if trajectories:
                trajectory_table(design, trajectories, every_days=TRAJECTORY_EVERY_DAYS).to_parquet(
                    stage / "trajectories.parquet", index=False
                )
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    if nmtran is not None:
        try:
            table, sidecar = write_trial_dataset(
                design,
                nmtran,
                men=nmtran_men,
                every_days=nmtran_every_days,
                outputs=outputs,
                time_unit=nmtran_time_unit.value,
            )
        except (FloatingPointError, RuntimeError, ValueError) as exc:
            fail_run(exc)
        except OSError as exc:
            fail(f"cannot write output: {exc}")
        typer.echo(
            f"hpgsim: wrote {nmtran} ({table['ID'].nunique()} men, {len(table)} records) and "
            f"{sidecar}"
        )
    elapsed = time.perf_counter() - started
    rows_out: list[tuple[str, object, str]] = []
    for thr in ("15", "20"):
        rec = (summary.get("recovery") or {}).get(thr) or {}
        by = rec.get("probability_by_month", {})
        band = rec.get("probability_ci95_by_month", {})
        rows_out.append((f"median months to >= {thr} M/mL", rec.get("median_months"), "mo"))
        rows_out += [
            (f"recovered to >= {thr} M/mL by month {m}", _with_band(by.get(m), band.get(m)), "")
            for m in by
        ]
    print_rows(
        f"{', '.join(names)}: {population}, n {n}, seed {seed} (months from the first missed "
        "androgen dose)",
        [*rows_out, ("wall time", elapsed, "s")],
    )
    typer.echo(f"hpgsim: wrote {out}/: {', '.join(sorted(p.name for p in out.iterdir()))}")
    typer.echo(DISCLAIMER)


def _with_band(p: float | None, band: list[float] | None) -> str | None:
    """'0.44 (95% CI 0.37-0.51)' for a Kaplan-Meier probability and its interval."""
    if p is None:
        return None
    if not band or band[0] is None:
        return f"{p:.2f}"
    return f"{p:.2f} (95% CI {band[0]:.2f}-{band[1]:.2f})"


def write_trial_dataset(
    design: TrialDesign,
    path: Path,
    *,
    men: int,
    every_days: float | None,
    outputs: Sequence[str],
    time_unit: str,
) -> tuple[pd.DataFrame, Path]:
    """Simulate the trial's first ``men`` men and write them as an NM-TRAN dataset at ``path``
    with its JSON sidecar beside it (same name, ``.json``), both or neither; (the table, the
    sidecar's path). Raises ValueError (bad outputs) and OSError (cannot write)."""
    import json

    from hpgsim.output.files import output_files
    from hpgsim.population.trial import simulated_men
    from hpgsim.scenario.nmtran import nmtran_table

    found = simulated_men(design, men, every_days=every_days, outputs=outputs)
    table, meta = nmtran_table(found, time_unit=time_unit)
    meta["trial"] = {
        "population": design.population,
        "seed": design.seed,
        "n": design.n,
        "men_written": len(found),
        "ID": "the trial's man index + 1 (patients.parquet's `man` + 1)",
        "arms": [a.name for a in design.arms],
        "parameters": {a.name: a.parameter_overrides for a in design.arms if a.parameters},
    }
    meta["disclaimer"] = DISCLAIMER
    sidecar = path.with_suffix(".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    with output_files({"data": path, "meta": sidecar}) as tmp:
        table.to_csv(tmp["data"], index=False)
        tmp["meta"].write_text(json.dumps(meta, indent=2) + "\n")
    return table, sidecar
