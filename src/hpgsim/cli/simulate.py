"""``hpgsim simulate`` and ``hpgsim demo``: one man's trajectories as a table and a figure."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    TABLE_SUFFIXES,
    Band,
    BandPopulation,
    Engine,
    History,
    ProtocolName,
    SetValues,
    band_for,
    check_band,
    check_output_path,
    echo_read_as,
    fail,
    fail_run,
    print_rows,
    scenario_with_protocol,
    with_parameter_sets,
    write_frame,
)

if TYPE_CHECKING:
    pass

__all__ = ["demo", "simulate"]


def simulate(
    scenario: Annotated[
        Path | None,
        typer.Argument(
            help="Scenario file (YAML or JSON); optional with --protocol.", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output table, .csv or .parquet: one row per output time (required).",
            show_default=False,
        ),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also draw the trajectories to this .png file.")
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(help="jax: the fast production engine; reference: the SciPy check solve."),
    ] = Engine.jax,
    events: Annotated[
        Path | None,
        typer.Option(
            "--events",
            help="Also write the sperm suppression and recovery events to this .json file "
            "(days from the first androgen dose and from the first missed androgen dose); "
            "for a woman (patient.sex: female), her flags.",
        ),
    ] = None,
    set_values: SetValues = None,
    band: Band = None,
    band_population: BandPopulation = "healthy_men_18_51",
    protocol: ProtocolName = None,
    history: History = None,
) -> None:
    """Simulate one scenario and write its trajectories (and optionally a plot and events).

    The plot shows one simulated man (the typical man with the scenario's covariates); with
    --band N it also shades where N men with the same covariates fall (5-95%). When an
    androgen is stopped, the sperm panel marks the first missed dose and the days back at 15
    and 20 M/mL, and a last panel shows the recovery on a linear scale.
    """
    if out is None:
        fail("--out: missing; allowed: a table file, .csv or .parquet.")
    check_output_path(out, TABLE_SUFFIXES, "--out")
    if plot is not None:
        check_output_path(plot, (".png",), "--plot")
    if band is not None and plot is None:
        fail(f"--band {band}: the band is drawn in the plot; give --plot FILE.png too.")
    check_band(band, band_population)
    if events is not None:
        check_output_path(events, (".json",), "--events")

    from hpgsim.output.plots import plot_trajectories
    from hpgsim.scenario import ScenarioError

    # ScenarioError names the file, the field, the value given and what is allowed.
    sc = scenario_with_protocol(scenario, protocol, history)
    sc = with_parameter_sets(sc, set_values)
    echo_read_as(sc)

    female = sc.patient.sex == "female"
    if female and band is not None:
        fail(
            f"--band {band}: the band draws men from a population file; scenario {sc.name!r} "
            "is a woman's (patient.sex: female), for whom hpgsim has no population yet."
        )

    # Imports JAX: only once the input is known to be good.
    from hpgsim.engine import simulation as api

    try:
        started = time.perf_counter()
        df = api.simulate(sc, engine=engine.value)
        elapsed = time.perf_counter() - started
    except ScenarioError as exc:
        fail(str(exc))
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        fail_run(exc)

    from hpgsim.measure.events import sperm_events
    from hpgsim.output.files import output_files

    shaded = band_for(sc, band, band_population) if plot is not None else None
    found: dict[str, Any] | None = None
    if events is not None:
        found = woman_events(df, sc) if female else sperm_events(df, sc)
    targets = {"out": out, "plot": plot, "events": events}
    paths = {key: path for key, path in targets.items() if path is not None}
    try:  # the table, plot and events appear together or not at all
        for path in paths.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        with output_files(paths) as tmp:
            write_frame(df, tmp["out"], out.suffix)
            if "plot" in tmp:
                plot_trajectories(df, sc, tmp["plot"], band=shaded)
            if "events" in tmp:
                payload = {
                    "scenario": sc.name,
                    **({"parameters": sc.parameter_overrides} if sc.parameters else {}),
                    **(found or {}),
                    "disclaimer": DISCLAIMER,
                }
                tmp["events"].write_text(json.dumps(payload, indent=2) + "\n")
    except OSError as exc:
        fail(f"cannot write output: {exc}")

    if female:
        echo_woman_flags(df, sc)
    written = ", ".join(str(x) for x in (out, plot, events) if x is not None)
    end_day = float(df["time_days"].iloc[-1]) if len(df) else 0.0
    typer.echo(
        f"hpgsim: {sc.name}: {end_day:g} d simulated with the {engine.value} engine in "
        f"{elapsed:.2f} s, {len(df)} rows written to {written}"
    )
    typer.echo(DISCLAIMER)


def woman_events(df: Any, sc: Any) -> dict[str, Any]:
    """What ``--events`` writes for a woman: her flags (fired or not), as dictionaries."""
    from hpgsim.clinical.flags import evaluate_flags

    return {"flags": [f.to_dict() for f in evaluate_flags(sc, df)]}


def echo_woman_flags(df: Any, sc: Any) -> None:
    """Print a woman's fired flags to stderr, one paragraph each."""
    from hpgsim.clinical.flags import flags

    for f in flags(sc, df):
        typer.echo(f"hpgsim: flag {f.id}: {f.wording}", err=True)


_DEMO_STOP_DAY = 730.0

_DEMO_SCENARIO: dict[str, Any] = {
    "name": "demo-trt-anastrozole-then-stop",
    "horizon": "1095 d",
    "output_every": "1 d",
    "regimen": [
        {
            "drug": "testosterone_cypionate",
            "dose": "200 mg",
            "route": "intramuscular",
            "every": "7 d",
            "start": "0 d",
            "stop": f"{_DEMO_STOP_DAY:g} d",
        },
        {
            "drug": "anastrozole",
            "dose": "0.5 mg",
            "route": "oral",
            "every": "3.5 d",
            "start": "0 d",
            "stop": f"{_DEMO_STOP_DAY:g} d",
        },
    ],
}


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Folder for demo.csv and demo.png.")
    ] = Path("out"),
    engine: Annotated[Engine, typer.Option(help="jax or reference.")] = Engine.jax,
) -> None:
    """Two years of testosterone cypionate 200 mg/week + anastrozole 0.5 mg twice weekly, then stop.

    Writes OUT_DIR/demo.csv and OUT_DIR/demo.png and prints headline numbers: hormones on
    treatment, the sperm-concentration nadir and the time to recover to 15 M/mL after stopping.
    """
    if out_dir.exists() and not out_dir.is_dir():
        fail(f"--out-dir {str(out_dir)!r} exists and is not a directory.")

    from hpgsim.engine import simulation as api
    from hpgsim.measure.events import androgen_window, key_numbers
    from hpgsim.output.plots import plot_trajectories
    from hpgsim.scenario import scenario_from_dict

    sc = scenario_from_dict(_DEMO_SCENARIO)
    try:
        df = api.simulate(sc, engine=engine.value)
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        fail_run(exc)
    from hpgsim.output.files import output_files

    table_path, plot_path = out_dir / "demo.csv", out_dir / "demo.png"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with output_files({"table": table_path, "plot": plot_path}) as tmp:
            write_frame(df, tmp["table"], ".csv")
            plot_trajectories(df, sc, tmp["plot"])
    except OSError as exc:
        fail(f"cannot write output: {exc}")

    _, stop = androgen_window(sc)  # the first missed dose: the clock every output uses
    assert stop is not None  # the demo stops its androgen before its horizon
    print_rows(sc.name, key_numbers(df, stop_day=stop, threshold_m_per_ml=15.0))
    typer.echo(f"hpgsim: wrote {table_path} and {plot_path}")
    typer.echo(DISCLAIMER)
