"""The ``hpgsim`` command: simulate, model show/citations, demo, bench.

The CLI parses arguments, calls the library and writes files; it does no science. Output files
are written atomically (a temporary file beside the target, then ``os.replace``), so a failed
run never leaves a partial file in place of a complete one. Bad input exits with status 2 and a
one-paragraph message on stderr starting ``hpgsim: error:``.

Heavy modules (JAX, pandas, matplotlib) are imported inside the commands, so ``hpgsim --help``
stays fast.
"""

from __future__ import annotations

import enum
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["app", "main"]

DISCLAIMER = "This is a research/education simulation, not medical advice."
NOT_A_DEVICE = (
    "hpgsim is research and education software, not a medical device, and its output is not "
    "medical advice."
)

TABLE_SUFFIXES = (".csv", ".parquet")

app = typer.Typer(
    name="hpgsim",
    help=(
        "Simulate the male hypothalamic-pituitary-gonadal axis and the drugs that act on it. "
        + NOT_A_DEVICE
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
model_app = typer.Typer(
    help="Inspect the model: its parameter table and the literature it cites.",
    no_args_is_help=True,
)
app.add_typer(model_app, name="model")
export_app = typer.Typer(
    help="Export a scenario's model, man and regimen to standard formats.", no_args_is_help=True
)
app.add_typer(export_app, name="export")


class Engine(enum.StrEnum):
    """Which solver runs the scenario."""

    jax = "jax"
    reference = "reference"


class TableFormat(enum.StrEnum):
    """How ``model show`` prints the parameter table."""

    table = "table"
    csv = "csv"
    json = "json"


def _fail_run(exc: Exception) -> NoReturn:
    """A solve that failed on valid input: one paragraph on stderr, exit status 1."""
    typer.echo(f"hpgsim: error: the simulation failed: {exc}", err=True)
    raise typer.Exit(code=1)


def _fail(message: str) -> NoReturn:
    """Print a one-paragraph error to stderr and exit with status 2 (bad input).

    Line breaks inside the message (one line per problem in a scenario error) are kept; blank
    lines are dropped, so the message stays one paragraph.
    """
    paragraph = "\n".join(line.rstrip() for line in message.splitlines() if line.strip())
    typer.echo(f"hpgsim: error: {paragraph}", err=True)
    raise typer.Exit(code=2)


def _version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"hpgsim {version('hpgsim')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Options common to every command."""


def _write_table(df: pd.DataFrame, path: Path) -> None:
    """Write `df` as CSV or Parquet (by suffix), atomically."""
    from hpgsim.report import atomic_output

    with atomic_output(path) as tmp:
        if path.suffix.lower() == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)


def _check_output_path(path: Path, suffixes: Sequence[str], option: str) -> None:
    if path.suffix.lower() not in suffixes:
        allowed = " or ".join(suffixes)
        _fail(
            f"{option} {str(path)!r}: unsupported file extension {path.suffix or '(none)'!r}; "
            f"allowed: {allowed}."
        )
    if path.exists() and path.is_dir():
        _fail(f"{option} {str(path)!r} is a directory; give a file name.")


def _print_rows(title: str, rows: Sequence[tuple[str, Any, str]]) -> None:
    """Print `(label, value, unit)` rows as a rich table."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    for label, value, unit in rows:
        if value is None:
            shown = "not reached"
        elif isinstance(value, float):
            shown = f"{value:.4g}"
        else:
            shown = str(value)
        table.add_row(Text(str(label)), Text(shown), Text(str(unit)))
    Console().print(table)


@app.command()
def simulate(
    scenario: Annotated[
        Path, typer.Argument(help="Scenario file (YAML or JSON).", show_default=False)
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output table, .csv or .parquet: one row per output time."
        ),
    ],
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
            "(days from the first androgen dose and from the first missed androgen dose).",
        ),
    ] = None,
) -> None:
    """Simulate one scenario and write its trajectories (and optionally a plot and events)."""
    _check_output_path(out, TABLE_SUFFIXES, "--out")
    if plot is not None:
        _check_output_path(plot, (".png",), "--plot")
    if events is not None:
        _check_output_path(events, (".json",), "--events")

    from hpgsim.report import plot_trajectories
    from hpgsim.scenario import ScenarioError, load_scenario

    # ScenarioError names the file, the field, the value given and what is allowed.
    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        _fail(str(exc))

    from hpgsim import api  # imports JAX: only once the input is known to be good

    try:
        started = time.perf_counter()
        df = api.simulate(sc, engine=engine.value)
        elapsed = time.perf_counter() - started
    except ScenarioError as exc:
        _fail(str(exc))
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        _fail_run(exc)

    from hpgsim.readouts import sperm_events

    found = sperm_events(df, sc) if events is not None else None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_table(df, out)
        if plot is not None:
            plot.parent.mkdir(parents=True, exist_ok=True)
            plot_trajectories(df, sc, plot)
        if events is not None:
            from hpgsim.report import atomic_output

            events.parent.mkdir(parents=True, exist_ok=True)
            payload = {"scenario": sc.name, **(found or {}), "disclaimer": DISCLAIMER}
            with atomic_output(events) as tmp:
                tmp.write_text(json.dumps(payload, indent=2) + "\n")
    except OSError as exc:
        _fail(f"cannot write output: {exc}")

    written = ", ".join(str(x) for x in (out, plot, events) if x is not None)
    end_day = float(df["time_days"].iloc[-1]) if len(df) else 0.0
    typer.echo(
        f"hpgsim: {sc.name}: {end_day:g} d simulated with the {engine.value} engine in "
        f"{elapsed:.2f} s, {len(df)} rows written to {written}"
    )
    typer.echo(DISCLAIMER)


class Sampling(enum.StrEnum):
    """Semen sampling schedule of a trial."""

    four_weekly = "4w"
    daily = "daily"


@app.command()
def trial(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario file(s): with several, each is an arm and man i gets arm i mod the "
            "number of arms (same horizon); the predictors then include the regimens'.",
            show_default=False,
        ),
    ],
    population: Annotated[
        str, typer.Option("--population", help="Population name (hpgsim.populations).")
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
) -> None:
    """Run a virtual trial: the scenario's regimen (or several arms) for N men of a population.

    Writes OUT/summary.json (suppression fractions by week, Kaplan-Meier recovery by month),
    OUT/patients.parquet (one row per man), OUT/recovery_km.png and OUT/predictors.csv (Cox
    hazard ratios of the men's covariates for recovery to 20 M/mL).
    """
    if out.exists() and not out.is_dir():
        _fail(f"--out {str(out)!r} exists and is not a directory.")
    if chunk_size < 1:
        _fail(f"--chunk-size: got {chunk_size}; allowed: a whole number >= 1.")

    from hpgsim.scenario import ScenarioError, load_scenario
    from hpgsim.trial import SAMPLING_EVERY_DAYS, TrialDesign

    try:
        arms = tuple(load_scenario(path) for path in scenarios)
    except ScenarioError as exc:
        _fail(str(exc))
    names = [a.name for a in arms]
    if len(set(names)) < len(names):
        _fail(f"scenario names must differ between arms; got {names}.")
    try:
        design = TrialDesign(
            arms,
            population,
            n=n,
            seed=seed,
            sampling_every_days=SAMPLING_EVERY_DAYS[sampling.value],
        )
    except ValueError as exc:
        _fail(f"--{exc}")

    from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

    from hpgsim.report import atomic_output
    from hpgsim.trial import plot_recovery, predictors, run_trial, summarize

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
        _fail_run(exc)
    summary = summarize(rows, design)
    summary["disclaimer"] = DISCLAIMER
    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_output(out / "summary.json") as tmp:
            tmp.write_text(json.dumps(summary, indent=2) + "\n")
        with atomic_output(out / "patients.parquet") as tmp:
            rows.to_parquet(tmp, index=False)
        with atomic_output(out / "recovery_km.png") as tmp:
            plot_recovery(rows, design, tmp)
        if summary["recovery"] is not None:
            with atomic_output(out / "predictors.csv") as tmp:
                predictors(rows).to_csv(tmp, index=False)
    except OSError as exc:
        _fail(f"cannot write output: {exc}")
    elapsed = time.perf_counter() - started
    rec = (summary.get("recovery") or {}).get("20") or {}
    by = rec.get("probability_by_month", {})
    _print_rows(
        f"{', '.join(names)}: {population}, n {n}, seed {seed}",
        [
            ("median months to >= 20 M/mL", rec.get("median_months"), "mo"),
            *[(f"recovered to >= 20 M/mL by month {m}", by.get(m), "fraction") for m in by],
            ("wall time", elapsed, "s"),
        ],
    )
    typer.echo(f"hpgsim: wrote {out}/summary.json, patients.parquet, recovery_km.png")
    typer.echo(DISCLAIMER)


@app.command()
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
) -> None:
    """Compare the model with every published target in the registry (hpgsim.validation).

    Prints published, simulated and accepted values per measure; writes OUT/validation.json
    and, per target, OUT/plots/ID.png (simulation overlaid on the published values; Kaplan-Meier
    bands for population targets). Exits 1 if a measure expected to pass fails; known gaps are
    reported, with their reason, and do not fail the run.
    """
    if out.exists() and not out.is_dir():
        _fail(f"--out {str(out)!r} exists and is not a directory.")
    if n is not None and n < 1:
        _fail(f"--n: got {n}; allowed: a whole number of men >= 1.")

    from rich.console import Console
    from rich.table import Table

    from hpgsim.report import atomic_output
    from hpgsim.validation import plot_target, run_validation, select, status_counts

    try:
        targets = select(fast=fast, only=only or ())
    except ValueError as exc:
        _fail(str(exc))
    if not targets:
        _fail("--only with --fast: the named targets are all population targets; drop --fast.")
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
        _fail_run(exc)
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
        "hpgsim_version": _version(),
        "date": time.strftime("%Y-%m-%d"),
        "fast": fast,
        "seed": seed,
        "counts": counts,
        "results": [r.as_dict() for r in run.results],
        "disclaimer": DISCLAIMER,
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
        if plots:  # plots and the table first: validation.json is written last, whole
            (out / "plots").mkdir(exist_ok=True)
            for t in targets:
                with atomic_output(out / "plots" / f"{t.id}.png") as tmp:
                    plot_target(t, run, tmp)
        if markdown is not None:
            with atomic_output(markdown) as tmp:
                tmp.write_text(_validation_markdown(run, targets, payload, fast, n))
        with atomic_output(out / "validation.json") as tmp:
            tmp.write_text(json.dumps(payload, indent=2) + "\n")
    except OSError as exc:
        _fail(f"cannot write output: {exc}")
    elapsed = time.perf_counter() - started
    typer.echo(
        f"hpgsim: {', '.join(f'{v} {k}' for k, v in sorted(counts.items()))} "
        f"in {elapsed:.0f} s; wrote {out}/validation.json"
    )
    typer.echo(DISCLAIMER)
    if run.failed:
        raise typer.Exit(1)


def _version() -> str:
    from hpgsim import __version__

    return __version__


def _validation_markdown(
    run: Any, targets: Sequence[Any], payload: Mapping[str, Any], fast: bool, n: int | None
) -> str:
    from hpgsim.validation import markdown_table

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
        "medical advice.\n\n" + markdown_table(run, targets)
    )


@app.command()
def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("report"),
    population: Annotated[
        str | None,
        typer.Option("--population", help="Also run a virtual trial of this population."),
    ] = None,
    n: Annotated[int, typer.Option("--n", help="Men in the trial (with --population).")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Trial seed (with --population).")] = 0,
) -> None:
    """Write OUT/report.html: a self-contained page (works offline) with the regimen as a
    timeline, hormones against reference ranges, sperm concentration against the WHO limits,
    drug levels, recovery events, the parameters and citations used, and the disclaimer. With
    --population, the trial's recovery probabilities and Kaplan-Meier curves too."""
    if out.exists() and not out.is_dir():
        _fail(f"--out {str(out)!r} exists and is not a directory.")
    if population is not None and n < 1:
        _fail(f"--n: got {n}; allowed: a whole number of men >= 1.")

    from hpgsim.scenario import ScenarioError, load_scenario

    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        _fail(str(exc))
    design = None
    if population is not None:
        from hpgsim.trial import TrialDesign

        try:
            design = TrialDesign(sc, population, n=n, seed=seed)
        except ValueError as exc:
            _fail(f"--{exc}")

    from hpgsim.api import simulate
    from hpgsim.html_report import km_html, render_report
    from hpgsim.readouts import sperm_events
    from hpgsim.report import atomic_output

    try:
        df = simulate(sc)
        trial_info = None
        if design is not None:
            from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

            from hpgsim.trial import run_trial, summarize

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
            sc, df, events=sperm_events(df, sc), trial=trial_info, version=_version()
        )
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        _fail_run(exc)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_output(out / "report.html") as tmp:
            tmp.write_text(page, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write output: {exc}")
    typer.echo(f"hpgsim: wrote {out}/report.html ({len(page) / 1e6:.1f} MB, works offline)")
    typer.echo(DISCLAIMER)


@export_app.command("sbml")
def export_sbml_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="SBML file to write (.xml or .sbml).")],
) -> None:
    """Write the scenario as SBML L3V2: the model (rate and assignment rules traced from the
    JAX right-hand side), this man's parameters and steady state, the doses as events."""
    _check_output_path(out, (".xml", ".sbml"), "--out")
    from hpgsim.scenario import ScenarioError, load_scenario

    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        _fail(str(exc))
    from hpgsim.report import atomic_output
    from hpgsim.sbml import export_sbml

    try:
        xml = export_sbml(sc)
    except (RuntimeError, NotImplementedError, ValueError) as exc:
        _fail_run(exc)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(out) as tmp:
            tmp.write_text(xml)
    except OSError as exc:
        _fail(f"cannot write output: {exc}")
    typer.echo(f"hpgsim: wrote {out} ({len(xml) // 1000} kB, SBML L3V2)")
    typer.echo(DISCLAIMER)


@model_app.command("show")
def model_show(
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table (rich), csv or json.")
    ] = TableFormat.table,
) -> None:
    """Print the parameter table: value, unit, meaning, source, calibration target, variability."""
    import csv
    import dataclasses
    import sys

    from hpgsim.model.parameters import PARAMETERS

    records = [dataclasses.asdict(p) for p in PARAMETERS]
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
    console = Console()
    console.print(f"hpgsim model parameters: {len(records)} in {len(groups)} groups")
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
                "" if p.calibrated_to is None else str(p.calibrated_to),
                "" if p.bsv_cv is None else f"{p.bsv_cv:.2g}",
            )
            table.add_row(*(Text(cell) for cell in cells))
        console.print(table)
    console.print("Full references: hpgsim model citations. " + NOT_A_DEVICE)


@model_app.command("citations")
def model_citations() -> None:
    """Print every reference the model cites, sorted by key."""
    from hpgsim.model.parameters import CITATIONS

    for key in sorted(CITATIONS):
        typer.echo(f"{key}: {CITATIONS[key]}")


# Testosterone cypionate 200 mg IM weekly with anastrozole 0.5 mg twice weekly for two years,
# then both stopped; followed for a third year.
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


@model_app.command("doc")
def model_doc_cmd(
    path: Annotated[Path, typer.Argument(help="The model document.")] = Path("docs/model.md"),
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the file is not current; write nothing.")
    ] = False,
) -> None:
    """Regenerate the generated blocks of the model document (equations, parameters,
    variability, references, the article's claims) from the code."""
    from hpgsim.model_doc import update
    from hpgsim.report import atomic_output

    try:
        text = path.read_text()
    except OSError as exc:
        _fail(f"cannot read {str(path)!r}: {exc}")
    try:
        new = update(text)
    except ValueError as exc:
        _fail(str(exc))
    if check:
        if new != text:
            typer.echo(f"hpgsim: {path} is not current; run `hpgsim model doc {path}`", err=True)
            raise typer.Exit(1)
        typer.echo(f"hpgsim: {path} is current")
        return
    with atomic_output(path) as tmp:
        tmp.write_text(new)
    typer.echo(f"hpgsim: wrote {path}")


@app.command()
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
        _fail(f"--out-dir {str(out_dir)!r} exists and is not a directory.")

    from hpgsim import api
    from hpgsim.report import key_numbers, plot_trajectories
    from hpgsim.scenario import scenario_from_dict

    sc = scenario_from_dict(_DEMO_SCENARIO)
    try:
        df = api.simulate(sc, engine=engine.value)
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        _fail_run(exc)
    table_path, plot_path = out_dir / "demo.csv", out_dir / "demo.png"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_table(df, table_path)
        plot_trajectories(df, sc, plot_path)
    except OSError as exc:
        _fail(f"cannot write output: {exc}")

    _print_rows(sc.name, key_numbers(df, stop_day=_DEMO_STOP_DAY, threshold_m_per_ml=15.0))
    typer.echo(f"hpgsim: wrote {table_path} and {plot_path}")
    typer.echo(DISCLAIMER)


def _bench_rows(result: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    rows: list[tuple[str, Any, str]] = []
    for row in result.get("rows", []):
        if isinstance(row, Mapping):
            rows.append((str(row["label"]), row["value"], str(row.get("unit", ""))))
        else:
            label, value, unit = row
            rows.append((str(label), value, str(unit)))
    return rows


@app.command()
def bench(
    quick: Annotated[bool, typer.Option(help="A short run, for a smoke check.")] = False,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also save the full result as JSON here.")
    ] = None,
) -> None:
    """Measure simulation speed (see BENCHMARKS.md for recorded figures)."""
    if json_path is not None:
        _check_output_path(json_path, (".json",), "--json")

    from hpgsim.bench import run_benchmark

    result = run_benchmark(
        quick=quick, log=lambda msg: typer.echo(f"hpgsim bench: {msg}", err=True)
    )
    for key, value in result.items():
        if key != "rows" and isinstance(value, str | int | float | bool):
            typer.echo(f"{key}: {value}")
    _print_rows("hpgsim benchmark" + (" (quick)" if quick else ""), _bench_rows(result))

    if json_path is not None:
        from hpgsim.report import atomic_output

        try:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(json_path) as tmp:
                tmp.write_text(json.dumps(result, indent=2, default=str) + "\n")
        except OSError as exc:
            _fail(f"cannot write output: {exc}")
        typer.echo(f"hpgsim: wrote {json_path}")


def main() -> None:
    """Entry point of the ``hpgsim`` console script."""
    app(prog_name="hpgsim")


# The clinical layer's commands (compare, plan, protocols) register themselves on `app`.
from hpgsim import cli_clinical as _cli_clinical  # noqa: E402,F401

if __name__ == "__main__":
    main()
