"""The one entry point that joins a scenario (the "what") to an engine (the "how").

``simulate(scenario)`` returns the trajectories of one man as a tidy table; ``simulate_many``
solves many scenarios in one batched solve. Both use the production JAX engine unless
``engine="reference"`` asks for the SciPy reference solve (tests use it to check accuracy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
import numpy as np
import pandas as pd

from hpgsim.engine import production
from hpgsim.engine.inputs import Prepared, prepare
from hpgsim.engine.reference import solve_reference
from hpgsim.model import axis
from hpgsim.model.drugs.wiring import WIRING
from hpgsim.scenario import Scenario

__all__ = ["BASE_COLUMNS", "scenario_frame", "simulate", "simulate_many", "solve_prepared"]

BASE_COLUMNS: tuple[str, ...] = axis.HORMONE_COLUMNS


def solve_prepared(prep: Prepared, *, horizon_days: float, output_every_days: float) -> jax.Array:
    """Readouts [outputs, men, columns] of a prepared batch
    (:func:`hpgsim.engine.production.solve`)."""
    return production.solve(
        prep.y0,
        prep.params,
        prep.doses,
        prep.a,
        horizon_days=horizon_days,
        output_every_days=output_every_days,
        h=prep.h,
        m=prep.m,
    )


def scenario_frame(scenario: Scenario, out: np.ndarray) -> pd.DataFrame:
    """The table of one man: ``time_days``, the hormone columns and the columns of the drugs
    his regimen gives, from readouts [outputs, columns]; non-finite values are an error."""
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
    h: float = production.DEFAULT_STEP_DAYS,
) -> list[pd.DataFrame]:
    """Simulate several scenarios; with the JAX engine, in one batched solve.

    Scenarios in one call must share ``horizon`` and ``output_every`` for the batched solve;
    otherwise they are grouped by those two values.
    """
    if engine == "reference":
        return [scenario_frame(s, solve_reference(s, pop=pop)) for s in scenarios]
    if engine != "jax":
        raise ValueError(f"engine: got {engine!r}; allowed: 'jax', 'reference'")
    production.enable_compilation_cache()
    groups: dict[tuple[float, float], list[int]] = {}
    for i, s in enumerate(scenarios):
        groups.setdefault((s.horizon_days, s.output_every_days), []).append(i)
    frames: list[pd.DataFrame | None] = [None] * len(scenarios)
    for (horizon, every), idx in groups.items():
        members = [scenarios[i] for i in idx]
        _, _, h_used = production.grid(horizon, every, h)
        prep = prepare(members, pop=pop, h=h_used)
        out = np.asarray(solve_prepared(prep, horizon_days=horizon, output_every_days=every))
        for j, i in enumerate(idx):
            frames[i] = scenario_frame(scenarios[i], out[:, j, :])
    return [f for f in frames if f is not None]


def simulate(scenario: Scenario, *, engine: str = "jax", **kw: Any) -> pd.DataFrame:
    """Trajectories of one man: one row per output time, columns as in design.md.

    ``engine``: ``"jax"`` (production, batched exponential integrator) or ``"reference"``
    (SciPy LSODA at rtol 1e-10). Hormone columns are serum concentrations at that instant,
    sampled before any dose given at that time.
    """
    return simulate_many([scenario], engine=engine, **kw)[0]
