"""``hpgsim sensitivity``: which parameters a scenario's outcome is sensitive to (local
elasticities through the engine, or global Sobol indices with SALib)."""

from __future__ import annotations

import enum
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    SetValues,
    check_output_path,
    echo_read_as,
    fail,
    fail_run,
    require_man,
    with_parameter_sets,
)

if TYPE_CHECKING:
    import pandas as pd

    from hpgsim.clinical.sensitivity import SobolResult
    from hpgsim.scenario import Scenario

__all__ = ["Method", "sensitivity"]


class Method(enum.StrEnum):
    """Local elasticities (derivatives at the table values) or global Sobol indices."""

    local = "local"
    sobol = "sobol"


def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            help="What to analyse: months_to_20, months_to_15, COLUMN@DAY (e.g. "
            "lh_iu_l@365), mean:COLUMN, min:COLUMN, max:COLUMN.",
        ),
    ],
    top: Annotated[
        int,
        typer.Option(
            "--top",
            help="Parameters shown (and, for sobol, sampled when --parameters is not given).",
        ),
    ] = 10,
    method: Annotated[Method, typer.Option("--method", help="local or sobol.")] = Method.local,
    parameters: Annotated[
        str | None,
        typer.Option(
            "--parameters",
            help="Comma-separated parameter names (hpgsim model show); default: every "
            "parameter (local), the --top largest local elasticities (sobol).",
            show_default=False,
        ),
    ] = None,
    n: Annotated[
        int, typer.Option("--n", help="Sobol base samples N (a power of 2); N (2K + 2) solves.")
    ] = 256,
    rel_range: Annotated[
        float,
        typer.Option(
            "--range",
            help="Sobol range of a parameter that is not calibrated: +- this fraction of its "
            "value (calibrated ones: their fit bounds).",
        ),
    ] = 0.2,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Sobol sampling.")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the table (CSV).", show_default=False)
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a tornado plot (PNG).", show_default=False),
    ] = None,
    set_values: SetValues = None,
) -> None:
    """Sensitivity of one output of a scenario to the model's parameters.

    local: elasticities d ln(output) / d ln(parameter) (the % change of the output per 1 %
    change of the parameter) at the table values, by forward-mode derivatives through one
    solve. sobol: Sobol indices S1 and ST (SALib) over N (2K + 2) virtual men whose K
    parameters are drawn within their fit bounds (calibrated) or +- --range of their value.
    """
    if top < 1:
        fail(f"--top: got {top}; allowed: a whole number >= 1.")
    if out is not None:
        check_output_path(out, (".csv",), "--out")
    if plot is not None:
        check_output_path(plot, (".png",), "--plot")
    if method is Method.sobol:
        if n < 2:
            fail(f"--n: got {n}; allowed: a whole number >= 2 (a power of 2).")
        if not 0.0 < rel_range < 1.0:
            fail(f"--range: got {rel_range:g}; allowed: 0 < range < 1.")
        from hpgsim.optional import require

        require("SALib", "sensitivity", "global Sobol indices")

    from hpgsim.clinical import sensitivity as sens
    from hpgsim.scenario import ScenarioError, load_scenario

    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        fail(str(exc))
    require_man(sc, "sensitivity")
    sc = with_parameter_sets(sc, set_values)
    echo_read_as(sc)
    chosen = None
    if parameters is not None:
        chosen = [p.strip() for p in parameters.split(",") if p.strip()]
    started = time.perf_counter()
    try:
        sens.parse_output(output, sc)
        if chosen is not None:
            sens.check_parameters(chosen)
        if method is Method.local:
            local = sens.local_sensitivities(sc, output, parameters=chosen)
            table = local.table.head(top)
            title = (
                f"{sc.name}: {local.output} = {local.value:.4g} {local.unit}; elasticities "
                f"(top {len(table)} of {len(local.table)})"
            )
            unit = local.unit
        else:
            if chosen is None:
                typer.echo(
                    f"hpgsim: ranking every parameter by local elasticity to pick the top {top}",
                    err=True,
                )
                chosen = list(sens.local_sensitivities(sc, output).table["parameter"][:top])
            result = _sobol(sc, output, chosen, n, rel_range, seed)
            table = result.table
            unit = result.unit
            title = (
                f"{sc.name}: {result.output} (cohort mean {result.output_mean:.4g} +- "
                f"{result.output_std:.3g} {result.unit}); Sobol indices, N {n}, "
                f"{result.solves} solves, seed {seed}"
            )
    except sens.SensitivityError as exc:
        fail(str(exc))
    except (FloatingPointError, RuntimeError) as exc:
        fail_run(exc)
    elapsed = time.perf_counter() - started
    _print_table(title, table, method)
    from hpgsim.output.files import output_files
    from hpgsim.output.sensitivity_plot import plot_tornado

    paths = {k: v for k, v in (("table", out), ("plot", plot)) if v is not None}
    try:
        with output_files(paths) as tmp:
            if "table" in tmp:
                table.to_csv(tmp["table"], index=False)
            if "plot" in tmp:
                plot_tornado(
                    table,
                    tmp["plot"],
                    scenario=sc.name,
                    output=output,
                    unit=unit,
                    method=method.value,
                )
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    for p in paths.values():
        typer.echo(f"hpgsim: wrote {p}")
    typer.echo(f"hpgsim: {method.value} sensitivity took {elapsed:.1f} s")
    typer.echo(DISCLAIMER)


def _sobol(
    sc: Scenario, output: str, chosen: list[str], n: int, rel_range: float, seed: int
) -> SobolResult:
    from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

    from hpgsim.clinical.sensitivity import sobol_indices

    columns = (*Progress.get_default_columns(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(f"Sobol: {n} x (2 x {len(chosen)} + 2) men", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return sobol_indices(
            sc,
            output,
            chosen,
            n=n,
            rel_range=rel_range,
            seed=seed,
            progress=advance,
        )


def _print_table(title: str, table: pd.DataFrame, method: Method) -> None:
    from rich.console import Console
    from rich.table import Table

    shown = Table(title=title, title_justify="left")
    cols = (
        ["parameter", "unit", "value", "elasticity"]
        if method is Method.local
        else ["parameter", "unit", "value", "low", "high", "S1", "S1_conf", "ST", "ST_conf"]
    )
    for c in cols:
        left = c in ("parameter", "unit")
        shown.add_column(c, justify="left" if left else "right", no_wrap=left)
    for _, row in table.iterrows():
        shown.add_row(
            *[f"{row[c]:.4g}" if isinstance(row[c], float) else str(row[c]) for c in cols]
        )
    Console().print(shown)
