"""``hpgsim report``: one scenario's HTML report (optionally with a virtual trial)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    Band,
    BandPopulation,
    History,
    Overwrite,
    ProtocolName,
    SetValues,
    band_for,
    check_band,
    check_output_folder,
    echo_read_as,
    fail,
    fail_run,
    hpgsim_version,
    run_meta,
    scenario_with_protocol,
    with_follow_up,
    with_parameter_sets,
)

if TYPE_CHECKING:
    from hpgsim.scenario import Scenario

__all__ = ["report"]


def report(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (YAML); optional with --protocol.", show_default=False),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("report"),
    population: Annotated[
        str | None,
        typer.Option("--population", help="Also run a virtual trial of this population."),
    ] = None,
    n: Annotated[int, typer.Option("--n", help="Men in the trial (with --population).")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Trial seed (with --population).")] = 0,
    overwrite: Overwrite = False,
    set_values: SetValues = None,
    band: Band = None,
    band_population: BandPopulation = "healthy_men_18_51",
    protocol: ProtocolName = None,
    history: History = None,
) -> None:
    """Write OUT/report.html, one scenario's self-contained report page (works offline).

    The page has the regimen as a
    timeline, hormones against reference ranges, sperm concentration against the WHO limits,
    drug levels, recovery events, the parameters and citations used, and the disclaimer. With
    --population, the trial's recovery probabilities and Kaplan-Meier curves too. The
    simulation runs to at least 24 months after the first missed androgen dose (the horizon is
    extended where it is shorter, and the report says so). Figures show one simulated man, the
    typical man with the scenario's covariates; --band N shades where N men with the same
    covariates fall (5-95%). The sperm figures mark the days back at 15 and 20 M/mL and show
    the recovery phase on a linear scale. OUT also gets
    manifest.json; a folder that is not empty is replaced only with --overwrite."""
    check_output_folder(out, overwrite)
    check_band(band, band_population)
    if population is not None and n < 1:
        fail(f"--n: got {n}; allowed: a whole number of men >= 1.")

    sc = scenario_with_protocol(scenario, protocol, history)
    sc = with_parameter_sets(sc, set_values)
    echo_read_as(sc)
    if sc.patient.sex == "female":
        if population is not None or band is not None:
            fail(
                f"{'--population' if population is not None else '--band'}: scenario "
                f"{sc.name!r} is a woman's (patient.sex: female), for whom hpgsim has no "
                "population yet; her report shows one simulated woman."
            )
        _woman_report(sc, scenario, out, overwrite)
        return
    (sc,) = with_follow_up([sc])
    design = None
    if population is not None:
        from hpgsim.optional import require
        from hpgsim.population.trial import TrialDesign

        require("lifelines", "survival", "a report's virtual trial (--population)")
        try:
            design = TrialDesign(sc, population, n=n, seed=seed)
        except ValueError as exc:
            fail(f"--{exc}")

    from hpgsim.engine.simulation import simulate
    from hpgsim.measure.events import sperm_events
    from hpgsim.output.html_report import km_html, render_report

    try:
        df = simulate(sc)
        trial_info = None
        if design is not None:
            from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

            from hpgsim.population.trial import run_trial, summarize

            columns = (*Progress.get_default_columns(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, transient=True) as bar:
                task = bar.add_task(f"{sc.name}: {n} men", total=n)
                rows = run_trial(design, progress=lambda k: bar.advance(task, k))
            trial_info = {
                "summary": summarize(rows, design),
                "sampling_every_days": design.sampling_every_days,
                "km_html": km_html(rows, design),
            }
        page = render_report(
            sc,
            df,
            events=sperm_events(df, sc),
            trial=trial_info,
            version=hpgsim_version(),
            band=band_for(sc, band, band_population),
        )
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        fail_run(exc)
    meta = run_meta(
        scenario=str(scenario) if scenario is not None else sc.name,
        protocol=protocol,
        history=history,
        seed=seed if design is not None else None,
    )
    _write_page(page, out, overwrite=overwrite, meta=meta)


def _woman_report(sc: Scenario, scenario: Path | None, out: Path, overwrite: bool) -> None:
    """A post-menopausal woman's report (docs/women.md): her flags, her hormones against
    female reference ranges, her drugs, the known gaps of the women's studies."""
    from hpgsim.clinical.flags import evaluate_flags
    from hpgsim.engine.simulation import simulate
    from hpgsim.output.html_report import render_woman_report

    try:
        df = simulate(sc)
        page = render_woman_report(sc, df, flags=evaluate_flags(sc, df), version=hpgsim_version())
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        fail_run(exc)
    meta = run_meta(scenario=str(scenario) if scenario is not None else sc.name)
    _write_page(page, out, overwrite=overwrite, meta=meta)


def _write_page(page: str, out: Path, *, overwrite: bool, meta: dict[str, Any]) -> None:
    """Write ``out/report.html`` as one staged folder (with its run metadata) and say so; an
    unwritable folder is a clear error, not a traceback."""
    from hpgsim.output.files import output_folder

    try:
        with output_folder(out, overwrite=overwrite, meta=meta) as stage:
            (stage / "report.html").write_text(page, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    typer.echo(f"hpgsim: wrote {out}/report.html ({len(page) / 1e6:.1f} MB, works offline)")
    typer.echo(DISCLAIMER)
