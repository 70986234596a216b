"""`hpgsim bench`: engine speed on the main job, for BENCHMARKS.md (never a timed test).

Rows: one man x 3 years through the JAX engine, cold (imports + compile + run in a new process
with an empty compilation cache), first call in this process (disk cache as it is) and warm;
1,000 and 10,000 men x 3 years (weekly output), seconds and patient-years per second; the
same single man through the SciPy reference solve, and the ratio; the man's 16 lab values with
and without their Jacobian by six parameters (forward mode), the gradient's cost.
The regimen is the main job's: testosterone cypionate 200 mg IM weekly with anastrozole 0.5 mg
twice weekly for 2 years, then 1 year off. Virtual men differ in age, BMI, baseline T and sperm
concentration (seeded), so every lane carries its own parameters.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from hpgsim.engine import production
from hpgsim.engine.inputs import Covariates, initialize, prepare, prepare_population
from hpgsim.engine.reference import solve_reference
from hpgsim.engine.simulation import simulate, solution, solve_prepared
from hpgsim.model import axis
from hpgsim.model.parameters import typical_values
from hpgsim.optional import available
from hpgsim.output import sbml
from hpgsim.scenario import Scenario, scenario_from_dict

__all__ = ["run_benchmark"]

_REGIMEN = [
    {
        "drug": "testosterone_cypionate",
        "dose": "200 mg",
        "route": "intramuscular",
        "every": "7 d",
        "stop": "730 d",
    },
    {"drug": "anastrozole", "dose": "0.5 mg", "route": "oral", "every": "3.5 d", "stop": "730 d"},
]


def bench_scenario(seed: int, horizon: str, every: str) -> Scenario:
    """One virtual man on the main job's regimen, drawn like :func:`bench_covariates`."""
    c = bench_covariates(1, seed)
    patient = {
        "age_years": float(c.age_years[0]),
        "bmi_kg_m2": float(c.bmi_kg_m2[0]),
        "baseline_total_testosterone_ng_dl": float(c.baseline_total_testosterone_ng_dl[0]),
        "baseline_sperm_concentration_m_per_ml": float(c.baseline_sperm_concentration_m_per_ml[0]),
        "testicular_volume_ml": float(c.testicular_volume_ml[0]),
    }
    return scenario_from_dict(
        {
            "name": f"man-{seed}",
            "horizon": horizon,
            "output_every": every,
            "patient": patient,
            "regimen": _REGIMEN,
        }
    )


_COLD_SCRIPT = """
import json, sys, time
t0 = time.perf_counter()
from hpgsim import enable_x64, scenario_from_dict, simulate
enable_x64()
simulate(scenario_from_dict(json.loads(sys.argv[1])))
print(time.perf_counter() - t0)
"""


def _cold_seconds(scenario: Scenario) -> float:
    """Wall time of import + compile + solve in a new process with an empty compilation cache."""

    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, HPGSIM_JAX_CACHE=cache)
        done = subprocess.run(
            [sys.executable, "-c", _COLD_SCRIPT, json.dumps(scenario.to_input_dict())],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return float(done.stdout.strip().splitlines()[-1])


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def bench_covariates(n: int, seed: int) -> Covariates:
    """``n`` healthy men with uniform T, BMI, age and testis volume and log-normal sperm."""
    rng = np.random.default_rng(seed)
    baseline_t = rng.uniform(300, 800, n)
    condition = np.zeros(n, dtype=np.int64)
    bmi = rng.uniform(20, 35, n)
    age = rng.uniform(20, 60, n)
    sperm0 = rng.lognormal(np.log(60), 0.5, n)
    volume0 = rng.uniform(12, 30, n)
    return Covariates(
        age_years=age,
        bmi_kg_m2=bmi,
        baseline_sperm_concentration_m_per_ml=sperm0,
        testicular_volume_ml=volume0,
        baseline_total_testosterone_ng_dl=baseline_t,
        condition=condition,
    )


def column_errors(a: Any, b: Any) -> dict[str, float]:
    """Per column of table ``b`` (after ``time_days``): max |a - b| / (|b| + 1e-3 max|b|), the
    relative error with a floor at one thousandth of the column's own scale, so columns that
    approach zero (LH on TRT, sperm during suppression) are judged against their scale. The
    accuracy metric of the engine and SBML tests and of the bench."""
    errors = {}
    for col in b.columns[1:]:
        x, r = np.asarray(a[col], dtype=float), b[col].to_numpy(dtype=float)
        scale = float(np.abs(r).max())
        errors[col] = (
            float(np.max(np.abs(x - r) / (np.abs(r) + 1e-3 * scale)))
            if scale > 0
            else float(np.abs(x).max())
        )
    return errors


# Tolerance ladder for the per-man peers, tightest first: each peer is timed at the loosest
# rung whose max relative error against the tight reference stays within MATCHED_ERROR, the
# accuracy the comparison is made at (the engine's own error is reported beside it).
PEER_TOLERANCES: tuple[float, ...] = (1e-8, 1e-6, 1e-4, 1e-3)
MATCHED_ERROR = 0.01


def _matched(
    solve: Callable[[float], pd.DataFrame | None], ref_table: pd.DataFrame
) -> tuple[float, float, pd.DataFrame] | None:
    """(tolerance, error, table) of the loosest rung of :data:`PEER_TOLERANCES` that solves
    within :data:`MATCHED_ERROR` of ``ref_table``; None if no rung does."""
    best = None
    for tol in PEER_TOLERANCES:
        table = solve(tol)
        if table is None:
            continue
        err = max(column_errors(table, ref_table).values())
        if err <= MATCHED_ERROR:
            best = (tol, err, table)
    return best


def _roadrunner_table(scenario: Scenario, tol: float) -> pd.DataFrame | None:
    """libRoadRunner's output columns at the engine's output times (None if CVODE fails)."""

    rr = sbml.load_roadrunner(scenario, rtol=tol, atol_scale=tol)
    cols = list(axis.OUTPUT_COLUMNS)
    rr.timeCourseSelections = ["time", *cols]
    n_out = int(scenario.horizon_days / scenario.output_every_days) + 1
    times = np.arange(n_out) * scenario.output_every_days
    try:  # sampled just before each output time: a dose at that time is not yet given
        res = rr.simulate(times=np.concatenate([[0.0], times[1:] - 1e-6]))
    except RuntimeError:
        return None
    table = pd.DataFrame(np.asarray(res)[:, 1:], columns=cols)
    table.insert(0, "time_days", times)
    return table


def _roadrunner_seconds(scenario: Scenario, tol: float, repeats: int) -> float:
    """Median seconds of one libRoadRunner solve of the exported SBML at tolerance ``tol``
    (model loaded once; a population would set each man's parameters and reset, which is what
    is timed)."""

    rr = sbml.load_roadrunner(scenario, rtol=tol, atol_scale=tol)
    n_out = int(scenario.horizon_days / scenario.output_every_days) + 1
    times = []
    for _ in range(repeats):
        rr.resetAll()
        t0 = time.perf_counter()
        rr.simulate(0.0, scenario.horizon_days, n_out)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _scipy_table(scenario: Scenario, tol: float) -> pd.DataFrame:

    return solution(scenario, solve_reference(scenario, rtol=tol, atol=tol), "reference").to_frame()


def solve_batch(template: Scenario, cov: Covariates, fetch: bool) -> float:
    """Seconds for prepare + solve of one batch; ``fetch`` copies every output to the host,
    otherwise only a per-column mean of the last sample (device compute only)."""

    t0 = time.perf_counter()
    prep = prepare_population(template, cov)
    out = solve_prepared(
        prep, horizon_days=template.horizon_days, output_every_days=template.output_every_days
    )
    if fetch:
        np.asarray(out)
    else:
        np.asarray(out[-1].mean(axis=0))
    jax.block_until_ready(out)
    return time.perf_counter() - t0


GRADIENT_PARAMETERS: tuple[str, ...] = (
    "FSH_ref",
    "kappa_L",
    "L50",
    "sperm_duration",
    "fb_T_imax",
    "ke_LH",
)
"""Six population parameters the gradient row differentiates by (pituitary, Leydig, feedback and
spermatogenesis: the FSH/inhibin root, the LH loop and the germ chain are all on the path)."""

GRADIENT_COLUMNS: tuple[str, ...] = (
    "total_testosterone_ng_dl",
    "lh_iu_l",
    "fsh_iu_l",
    "sperm_concentration_m_per_ml",
)
GRADIENT_VISITS: tuple[float, ...] = (1 / 12, 1 / 3, 2 / 3, 1.0)
"""Sixteen lab values of one man: four columns at four visits (fractions of the horizon; days
90, 365, 730 and 1095 of the 3-year main job): what a per-man fit would match."""


def lab_function(
    scenario: Scenario, reverse_mode: bool = False
) -> tuple[Callable[[jax.Array], jax.Array], jax.Array]:
    """(labs, theta0): ``labs(theta)`` is the man's :data:`GRADIENT_COLUMNS` at
    :data:`GRADIENT_VISITS` after initializing and solving him with
    :data:`GRADIENT_PARAMETERS` set to ``theta``; differentiable through the
    steady state, its roots and the solve (forward mode; reverse mode too with
    ``reverse_mode``)."""
    base = axis.population_parameters()
    prep = prepare([scenario])
    cov = Covariates.from_scenarios([scenario], base)
    theta0 = jnp.asarray([float(base[k]) for k in GRADIENT_PARAMETERS])
    n_intervals = round(scenario.horizon_days / scenario.output_every_days)
    visits = [round(f * n_intervals) for f in GRADIENT_VISITS]
    cols = [axis.OUTPUT_COLUMNS.index(c) for c in GRADIENT_COLUMNS for _ in visits]
    rows = [v for _ in GRADIENT_COLUMNS for v in visits]
    table = dict(typical_values())

    def labs(theta: jax.Array) -> jax.Array:
        pop = axis.population_parameters(
            {**table, **dict(zip(GRADIENT_PARAMETERS, theta, strict=True))}
        )
        y0, params = initialize(pop, cov)
        out = production.solve(
            y0,
            params,
            prep.doses,
            prep.a,
            prep.live,
            horizon_days=scenario.horizon_days,
            output_every_days=scenario.output_every_days,
            reverse_mode=reverse_mode,
        )
        return out[jnp.asarray(rows), 0, jnp.asarray(cols)]

    return labs, theta0


def gradient_seconds(scenario: Scenario) -> dict[str, float]:
    """Warm seconds of the man's 16 labs (value), of the labs with their Jacobian by the six
    :data:`GRADIENT_PARAMETERS` (forward mode, ``jax.jacfwd``) and of the gradient of a scalar
    of them (reverse mode, ``jax.grad``, checkpointed), each compiled first (median of 3); and
    the reverse pass's temporary memory as XLA plans it, bytes."""
    labs, theta0 = lab_function(scenario)
    labs_rev, _ = lab_function(scenario, reverse_mode=True)
    value = jax.jit(labs)
    both = jax.jit(lambda th: (labs(th), jax.jacfwd(labs)(th)))
    backward = jax.jit(jax.grad(lambda th: jnp.sum(jnp.log(labs_rev(th)))))

    def warm(fn: Callable[[jax.Array], Any]) -> float:
        jax.block_until_ready(fn(theta0))
        runs = [_timed(lambda: jax.block_until_ready(fn(theta0)))[0] for _ in range(3)]
        return float(np.median(runs))

    t_value, t_both, t_back = warm(value), warm(both), warm(backward)
    memory = backward.lower(theta0).compile().memory_analysis()
    temp = float(memory.temp_size_in_bytes) if memory is not None else float("nan")
    return {
        "value_s": t_value,
        "value_and_gradient_s": t_both,
        "ratio": t_both / t_value,
        "reverse_gradient_s": t_back,
        "reverse_temp_bytes": temp,
    }


def run_benchmark(
    quick: bool = False,
    sizes: tuple[int, ...] = (1_000, 10_000),
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the benchmark; returns {"rows": [{label, value, unit}], "machine": ..., ...}.

    Each batch size is solved once to compile, then timed warm: the median of two solves below
    10,000 men, one solve from 10,000 up (about 10 minutes each on a 2-vCPU machine). ``log``
    receives a line as each stage starts (the CLI prints them as progress).
    """

    say = log or (lambda _msg: None)

    years = 1.0 if quick else 3.0
    horizon = f"{int(365 * years)} d"
    sizes = (100,) if quick else sizes
    rows: list[dict[str, Any]] = []

    one = bench_scenario(0, horizon, "1 d")
    say(f"1 man x {years:g} y: cold start in a new process")
    rows.append(
        {
            "label": f"1 man x {years:g} y, cold: new process, empty compilation cache",
            "value": _cold_seconds(one),
            "unit": "s",
        }
    )
    cold, _ = _timed(lambda: simulate(one))
    warm_runs = [_timed(lambda: simulate(one))[0] for _ in range(3)]
    warm = float(np.median(warm_runs))
    rows.append(
        {
            "label": f"1 man x {years:g} y, JAX engine, first call in this process",
            "value": cold,
            "unit": "s",
        }
    )
    rows.append(
        {
            "label": f"1 man x {years:g} y, JAX engine, warm (median of 3)",
            "value": warm,
            "unit": "s",
        }
    )
    template = bench_scenario(1, horizon, "7 d")
    batch_seconds: dict[int, float] = {}
    for n in sizes:
        cov = bench_covariates(n, 1)
        fetch = n <= 10_000
        say(f"{n:,} men x {years:g} y: first call (compile + solve)")
        first = solve_batch(template, cov, fetch)
        n_warm = 2 if n < 10_000 else 1
        say(f"{n:,} men x {years:g} y: {n_warm} warm solve(s)")
        runs = [solve_batch(template, cov, fetch) for _ in range(n_warm)]
        t = float(np.median(runs))
        batch_seconds[n] = t
        what = "weekly output to host" if fetch else "device only"
        rows.append(
            {"label": f"{n:,} men x {years:g} y, first call (compile)", "value": first, "unit": "s"}
        )
        rows.append({"label": f"{n:,} men x {years:g} y, warm ({what})", "value": t, "unit": "s"})
        rows.append(
            {
                "label": f"{n:,} men x {years:g} y, throughput",
                "value": n * years / t,
                "unit": "patient-years/s",
            }
        )
    say(f"1 man x {years:g} y: SciPy reference and libRoadRunner")
    ref, ref_table = _timed(lambda: simulate(one, engine="reference"))
    rows.append(
        {
            "label": f"1 man x {years:g} y, SciPy reference (LSODA, rtol 1e-10), the accuracy "
            "yardstick",
            "value": ref,
            "unit": "s",
        }
    )
    error = max(column_errors(simulate(one), ref_table).values())
    rows.append(
        {
            "label": "max relative error of the JAX engine vs the reference (1 man, every column)",
            "value": error,
            "unit": "",
        }
    )
    say(f"1 man x {years:g} y: 16 labs and their gradient by 6 parameters (forward mode)")
    grad = gradient_seconds(one)
    rows.append(
        {
            "label": f"1 man x {years:g} y, 16 lab values, warm (median of 3)",
            "value": grad["value_s"],
            "unit": "s",
        }
    )
    rows.append(
        {
            "label": f"1 man x {years:g} y, 16 lab values and their Jacobian by 6 parameters "
            "(jax.jacfwd), warm (median of 3)",
            "value": grad["value_and_gradient_s"],
            "unit": "s",
        }
    )
    rows.append(
        {
            "label": f"1 man x {years:g} y, gradient of a scalar of the 16 labs (jax.grad, "
            "checkpointed), warm (median of 3)",
            "value": grad["reverse_gradient_s"],
            "unit": "s",
        }
    )
    rows.append(
        {
            "label": "  reverse pass's temporary memory (XLA's plan)",
            "value": grad["reverse_temp_bytes"] / 1e6,
            "unit": "MB",
        }
    )
    largest = max(sizes)
    extra: dict[str, Any] = {
        "max_relative_error": error,
        "matched_error": MATCHED_ERROR,
        "gradient_over_value": grad["ratio"],
        "reverse_gradient_seconds": grad["reverse_gradient_s"],
        "reverse_temp_megabytes": grad["reverse_temp_bytes"] / 1e6,
    }
    repeats = 3 if quick else 10
    peers: list[tuple[str, str, Callable[[float], pd.DataFrame | None], Any]] = [
        (
            "scipy",
            "SciPy LSODA (compiled JAX right-hand side and Jacobian)",
            lambda tol: _scipy_table(one, tol),
            lambda tol: float(
                np.median([_timed(lambda: _scipy_table(one, tol))[0] for _ in range(repeats)])
            ),
        )
    ]
    if available("roadrunner") and available("libsbml"):  # the sbml extra: optional peer
        peers.insert(
            0,
            (
                "libroadrunner",
                "libRoadRunner on the exported SBML (CVODE, per-state atol)",
                lambda tol: _roadrunner_table(one, tol),
                lambda tol: _roadrunner_seconds(one, tol, repeats),
            ),
        )
    for key, what, solve, seconds in peers:
        say(f"1 man x {years:g} y: {what}, tolerance ladder")
        found = _matched(solve, ref_table)
        if found is None:  # pragma: no cover - every rung failed or missed 1 %
            rows.append({"label": f"{what}: no tolerance within 1 %", "value": None, "unit": ""})
            continue
        tol, err, _table = found
        t_peer = seconds(tol)
        extra[f"{key}_tolerance"] = tol
        extra[f"{key}_max_relative_error"] = err
        extra[f"{key}_seconds_per_man"] = t_peer
        extra[f"ratio_vs_{key}"] = t_peer * largest / batch_seconds[largest]
        rows.append(
            {
                "label": f"1 man x {years:g} y, {what}, rtol {tol:g} (loosest within "
                f"{MATCHED_ERROR:.0%}: error {err:.2%}), per man, warm",
                "value": t_peer,
                "unit": "s",
            }
        )
        rows.append(
            {
                "label": f"{what.split(' (')[0].split(' on ')[0]} man by man / JAX batch, "
                f"{largest:,} men",
                "value": extra[f"ratio_vs_{key}"],
                "unit": "x",
            }
        )
    return {
        **extra,
        "rows": rows,
        "machine": f"{platform.node()} {platform.machine()} {platform.processor() or ''}".strip(),
        "cpus": os.cpu_count(),
        "jax": jax.__version__,
        "device": str(jax.devices()[0]),
        "step": f"{production.DEFAULT_SCHEME.upper()} on the event schedule: "
        f"{production.DEFAULT_STEP_DAYS * 24:g} h at most, absorption ladders, 1.25-min windows",
        "amici": "not run: AMICI is not installed (not in the lock)",
    }
