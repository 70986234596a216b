"""The one entry point that joins a scenario (the "what") to an engine (the "how").

``simulate(scenario)`` returns the trajectories of one man as a tidy table; ``simulate_many``
solves many scenarios in one batched solve. Both use the production JAX engine unless
``engine="reference"`` asks for the SciPy reference solve (tests use it to check accuracy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from hpgsim import engine as jax_engine
from hpgsim.drugs.wiring import WIRING
from hpgsim.model import axis
from hpgsim.regimen import DoseLines, dose_lines, fine_factor, stack_dose_lines
from hpgsim.scenario import Scenario

__all__ = [
    "BASE_COLUMNS",
    "Prepared",
    "prepare",
    "prepare_population",
    "simulate",
    "simulate_many",
    "solve_prepared",
]

BASE_COLUMNS: tuple[str, ...] = axis.HORMONE_COLUMNS


def baseline_t_ng_dl(scenario: Scenario, pop: Mapping[str, Any]) -> float:
    """The man's untreated total T: his own value, or the default of his condition."""
    pt = scenario.patient
    if pt.baseline_total_testosterone_ng_dl is not None:
        return float(pt.baseline_total_testosterone_ng_dl)
    if pt.condition == "healthy":
        return float(pop["T_ref"])
    if pt.condition == "congenital_hypogonadotropic_hypogonadism":
        return float(pop["T_default_chh"])
    return float(pop["T_default_hypogonadal"])


@partial(jax.jit)
def _init(pop: dict[str, Any], cov: dict[str, jax.Array]) -> tuple[jax.Array, dict[str, Any]]:
    def one(c: dict[str, jax.Array]) -> tuple[jax.Array, dict[str, Any]]:
        # between-subject variability: covariates "bsv_NAME" multiply parameter NAME, and the
        # derived constants are recomputed from the man's own values
        mult = {k.removeprefix("bsv_"): v for k, v in c.items() if k.startswith("bsv_")}
        own = (
            axis.population_parameters({**pop, **{k: pop[k] * v for k, v in mult.items()}})
            if mult
            else pop
        )
        p = axis.patient_parameters(
            own,
            baseline_t_ng_dl=c["baseline_t"],
            condition_code=c["condition"],
            bmi=c["bmi"],
            age=c["age"],
            testis_volume=c["volume0"],
            shbg_offset=c.get("shbg_offset", 0.0),
        )
        y0 = axis.steady_state(p)
        p = axis.attach_baseline_scales(p, y0, sperm_conc0=c["sperm0"], testis_volume0=c["volume0"])
        return y0, p

    return jax.vmap(one)(cov)


@dataclass(frozen=True)
class Prepared:
    """Everything a solve needs for a batch of scenarios."""

    y0: jax.Array
    params: dict[str, Any]
    doses: Any
    a: jax.Array
    h: float
    m: int = 1


def _prepared(
    cov: Mapping[str, np.ndarray],
    doses: DoseLines,
    pop_p: Mapping[str, Any],
    h: float,
    m: int,
) -> Prepared:
    """Steady states and individual parameters from covariate arrays (see
    :func:`prepare_population`), with the dose lines and the shared linear part."""
    pop_j = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in pop_p.items()}
    y0, params = _init(pop_j, {k: jnp.asarray(v) for k, v in cov.items()})
    a = jax_engine.linear_part(pop_j)
    return Prepared(y0=y0, params=params, doses=doses, a=a, h=h, m=m)


def prepare(
    scenarios: Sequence[Scenario],
    *,
    pop: Mapping[str, Any] | None = None,
    h: float = jax_engine.DEFAULT_STEP_DAYS,
) -> Prepared:
    """Steady states, individual parameters, dose lines and the shared linear part."""
    pop_p = axis.population_parameters(pop)
    cov = {
        "baseline_t": np.array([baseline_t_ng_dl(s, pop_p) for s in scenarios]),
        "condition": np.array([axis.CONDITIONS.index(s.patient.condition) for s in scenarios]),
        "bmi": np.array([s.patient.bmi_kg_m2 for s in scenarios], float),
        "age": np.array([s.patient.age_years for s in scenarios], float),
        "sperm0": np.array(
            [s.patient.baseline_sperm_concentration_m_per_ml for s in scenarios], float
        ),
        "volume0": np.array([s.patient.testicular_volume_ml for s in scenarios], float),
    }
    insulin = [s.patient.fasting_insulin_uU_ml for s in scenarios]
    if any(x is not None for x in insulin):  # insulin resistance (hpgsim.model.metabolic)
        from hpgsim.model.metabolic import insulin_shbg_offset

        given = np.array([np.nan if x is None else x for x in insulin], float)
        cov["shbg_offset"] = insulin_shbg_offset(given, cov["bmi"])
    m = max(fine_factor(s, h) for s in scenarios)
    doses = stack_dose_lines([dose_lines(s, pop_p, h, m) for s in scenarios])
    return _prepared(cov, doses, pop_p, h, m)


def prepare_population(
    template: Scenario,
    covariates: Mapping[str, np.ndarray],
    *,
    pop: Mapping[str, Any] | None = None,
    h: float = jax_engine.DEFAULT_STEP_DAYS,
) -> Prepared:
    """Like :func:`prepare` for many men sharing ``template``'s regimen, without building one
    scenario per man: ``covariates`` holds arrays ``baseline_t``, ``condition`` (codes of
    :data:`hpgsim.model.axis.CONDITIONS`), ``bmi``, ``age``, ``sperm0`` and ``volume0``, and
    optionally ``bsv_NAME`` arrays that multiply parameter NAME man by man (between-subject
    variability; see :mod:`hpgsim.populations`)."""
    pop_p = axis.population_parameters(pop)
    n = len(covariates["bmi"])
    m = fine_factor(template, h)
    one = dose_lines(template, pop_p, h, m)
    doses = DoseLines(
        **{
            f.name: np.broadcast_to(getattr(one, f.name), (n, len(one.state)))
            for f in fields(DoseLines)
        }
    )
    return _prepared(covariates, doses, pop_p, h, m)


def solve_prepared(prep: Prepared, *, horizon_days: float, output_every_days: float) -> jax.Array:
    """Readouts [outputs, men, columns] of a prepared batch (:func:`hpgsim.engine.solve`)."""
    return jax_engine.solve(
        prep.y0,
        prep.params,
        prep.doses,
        prep.a,
        horizon_days=horizon_days,
        output_every_days=output_every_days,
        h=prep.h,
        m=prep.m,
    )


def _frame(scenario: Scenario, out: np.ndarray) -> pd.DataFrame:
    n = out.shape[0]
    data: dict[str, Any] = {"time_days": np.arange(n) * scenario.output_every_days}
    for j, col in enumerate(axis.OUTPUT_COLUMNS):
        if col in BASE_COLUMNS:
            data[col] = out[:, j]
    for drug in scenario.drugs_present():
        for col in WIRING[drug].output_columns:
            data[col] = out[:, axis.OUTPUT_COLUMNS.index(col)]
    frame = pd.DataFrame(data)
    if not np.all(np.isfinite(frame.to_numpy())):
        raise FloatingPointError(
            f"scenario {scenario.name!r}: the solve produced non-finite values"
        )
    return frame


def simulate_many(
    scenarios: Sequence[Scenario],
    *,
    engine: str = "jax",
    pop: Mapping[str, Any] | None = None,
    h: float = jax_engine.DEFAULT_STEP_DAYS,
) -> list[pd.DataFrame]:
    """Simulate several scenarios; with the JAX engine, in one batched solve.

    Scenarios in one call must share ``horizon`` and ``output_every`` for the batched solve;
    otherwise they are grouped by those two values.
    """
    if engine == "reference":
        from hpgsim.reference import solve_reference

        return [_frame(s, solve_reference(s, pop=pop)) for s in scenarios]
    if engine != "jax":
        raise ValueError(f"engine: got {engine!r}; allowed: 'jax', 'reference'")
    jax_engine.enable_compilation_cache()
    groups: dict[tuple[float, float], list[int]] = {}
    for i, s in enumerate(scenarios):
        groups.setdefault((s.horizon_days, s.output_every_days), []).append(i)
    frames: list[pd.DataFrame | None] = [None] * len(scenarios)
    for (horizon, every), idx in groups.items():
        members = [scenarios[i] for i in idx]
        _, _, h_used = jax_engine.grid(horizon, every, h)
        prep = prepare(members, pop=pop, h=h_used)
        out = np.asarray(solve_prepared(prep, horizon_days=horizon, output_every_days=every))
        for j, i in enumerate(idx):
            frames[i] = _frame(scenarios[i], out[:, j, :])
    return [f for f in frames if f is not None]


def simulate(scenario: Scenario, *, engine: str = "jax", **kw: Any) -> pd.DataFrame:
    """Trajectories of one man: one row per output time, columns as in design.md.

    ``engine``: ``"jax"`` (production, batched exponential integrator) or ``"reference"``
    (SciPy LSODA at rtol 1e-10). Hormone columns are serum concentrations at that instant,
    sampled before any dose given at that time.
    """
    return simulate_many([scenario], engine=engine, **kw)[0]
