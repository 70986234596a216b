"""The one entry point that joins a scenario (the "what") to an engine (the "how").

``solve(scenario)`` returns one man's :class:`Solution` (output times, named columns, the doses
given); ``simulate(scenario)`` the same as a tidy table; ``solve_many`` / ``simulate_many`` solve
many scenarios in one batched solve. Both use the production JAX engine unless
``engine="reference"`` asks for the SciPy reference solve (tests use it to check accuracy).
A woman (``patient.sex: female``) is solved by her own engine (:mod:`hpgsim.engine.woman`) and
her table has the woman's columns (:data:`hpgsim.model.woman.HORMONE_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np
import pandas as pd

from hpgsim.engine import production
from hpgsim.engine.inputs import Inputs, prepare, scenario_pop
from hpgsim.engine.reference import solve_reference
from hpgsim.engine.woman import solve_woman
from hpgsim.model import axis, woman
from hpgsim.model.drugs import WIRING
from hpgsim.scenario import Scenario

__all__ = [
    "BASE_COLUMNS",
    "NEGATIVE_ROUNDOFF",
    "BatchSolveError",
    "DoseEvent",
    "Solution",
    "dose_events",
    "simulate",
    "simulate_many",
    "solution",
    "solve",
    "solve_many",
    "solve_prepared",
]

BASE_COLUMNS: tuple[str, ...] = axis.HORMONE_COLUMNS


def solve_prepared(prep: Inputs, *, horizon_days: float, output_every_days: float) -> jax.Array:
    """Readouts [outputs, men, columns] of a prepared batch
    (:func:`hpgsim.engine.production.solve`)."""
    return production.solve(
        prep.y0,
        prep.params,
        prep.doses,
        prep.a,
        prep.live,
        horizon_days=horizon_days,
        output_every_days=output_every_days,
        max_step_days=prep.max_step_days,
    )


@dataclass(frozen=True)
class DoseEvent:
    """One administration (or the start of an infusion) of the scenario's regimen.

    Attributes:
        time_days: when, days from the scenario's day 0.
        drug: the drug's name.
        route: the route.
        amount: the dose in ``unit`` (for an infusion, its rate per day).
        unit: the drug's dose unit (``mg``, ``ug``, ``IU``; ``<unit>/day`` for an infusion).
    """

    time_days: float
    drug: str
    route: str
    amount: float
    unit: str


@dataclass(frozen=True)
class Solution:
    """One man's solved course: output times, every reported column by name, the doses given.

    Attributes:
        scenario: the scenario solved.
        engine: ``"jax"`` (production) or ``"reference"`` (SciPy).
        times: output times, days [outputs].
        outputs: column name -> values [outputs]: the hormone columns, then the columns of the
            drugs the regimen gives (units in the column names; design.md).
        doses: every administration, in time order.
    """

    scenario: Scenario
    engine: str
    times: np.ndarray
    outputs: Mapping[str, np.ndarray]
    doses: tuple[DoseEvent, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The reported columns, in table order (after ``time_days``)."""
        return tuple(self.outputs)

    def __getitem__(self, column: str) -> np.ndarray:
        if column == "time_days":
            return self.times
        try:
            return self.outputs[column]
        except KeyError:
            allowed = ", ".join(("time_days", *self.outputs))
            raise KeyError(f"column {column!r}: not in this solution; allowed: {allowed}") from None

    def to_frame(self) -> pd.DataFrame:
        """The table of design.md: ``time_days`` then every column, one row per output time."""
        return pd.DataFrame({"time_days": self.times, **self.outputs})


def dose_events(scenario: Scenario) -> tuple[DoseEvent, ...]:
    """Every administration of ``scenario``'s regimen before its horizon, in time order (an
    infusion appears once, at its start, with its rate)."""
    events: list[DoseEvent] = []
    for line in scenario.regimen:
        unit = line.spec.dose_unit
        window = line.infusion_window(scenario.horizon_days)
        if line.rate is not None:
            if window is not None:
                events.append(DoseEvent(window[0], line.drug, line.route, line.rate, f"{unit}/day"))
            continue
        for times, dose in line.dose_schedule(scenario.horizon_days):
            events += [DoseEvent(float(t), line.drug, line.route, float(dose), unit) for t in times]
    return tuple(sorted(events, key=lambda e: (e.time_days, e.drug)))


def solution(scenario: Scenario, out: np.ndarray, engine: str) -> Solution:
    """The :class:`Solution` of one patient from readouts [outputs, columns] (columns as
    :data:`hpgsim.model.axis.OUTPUT_COLUMNS` for a man, :data:`hpgsim.model.woman.OUTPUT_COLUMNS`
    for a woman): the hormone columns and those of the drugs the regimen gives. Non-finite
    values are an error (FloatingPointError naming the scenario)."""
    n = out.shape[0]
    female = scenario.patient.sex == "female"
    columns = woman.OUTPUT_COLUMNS if female else axis.OUTPUT_COLUMNS
    base = woman.HORMONE_COLUMNS if female else BASE_COLUMNS
    outputs: dict[str, np.ndarray] = {}
    for j, col in enumerate(columns):
        if col in base:
            outputs[col] = out[:, j]
    for drug in scenario.drugs_present():
        for col in WIRING[drug].output_columns:
            outputs.setdefault(col, out[:, columns.index(col)])
    bad = [col for col, v in outputs.items() if not np.all(np.isfinite(v))]
    if bad:
        raise FloatingPointError(
            f"scenario {scenario.name!r}: the solve produced non-finite values "
            f"(in {', '.join(bad)})"
        )
    for col, v in outputs.items():
        outputs[col] = _non_negative(v, col, scenario.name)
    times = np.arange(n) * scenario.output_every_days
    return Solution(scenario, engine, times, outputs, dose_events(scenario))


class BatchSolveError(FloatingPointError):
    """Some men of a batch failed to solve (non-finite values); the others were solved.

    Attributes:
        solutions: one entry per scenario, in the order given: its :class:`Solution`, or
            None for a man that failed.
        failed: the index of each failed scenario and why.
    """

    def __init__(self, solutions: list[Solution | None], failed: Mapping[int, str]) -> None:
        self.solutions = solutions
        self.failed = dict(failed)
        lines = "; ".join(f"#{i}: {why}" for i, why in sorted(self.failed.items()))
        kept = len(solutions) - len(self.failed)
        super().__init__(
            f"{len(self.failed)} of {len(solutions)} scenarios failed to solve ({lines}); "
            f"the other {kept} were solved (BatchSolveError.solutions)"
        )


NEGATIVE_ROUNDOFF = 1e-6
"""Every output column is a concentration, count or volume, >= 0 in the exact solution. The
exponential integrator can undershoot zero by rounding where a drug has all but cleared (about
-5e-9 pg/mL of gonadorelin between pulses, against peaks of thousands): values down to this
fraction of the column's largest magnitude are such rounding and are reported as 0; anything
further below zero is a solver defect and an error."""


def _non_negative(values: np.ndarray, column: str, name: str) -> np.ndarray:
    """``values`` with rounding-level undershoot below zero set to 0 (see
    :data:`NEGATIVE_ROUNDOFF`); FloatingPointError if a value is further below zero."""
    low = float(values.min(initial=0.0))
    if low >= 0.0:
        return values
    scale = float(np.abs(values).max())
    if low < -NEGATIVE_ROUNDOFF * scale - 1e-300:
        raise FloatingPointError(
            f"scenario {name!r}: the solve produced a negative {column} ({low:.3g}, "
            f"against a largest magnitude of {scale:.3g})"
        )
    return np.maximum(values, 0.0)


def solve_many(
    scenarios: Sequence[Scenario],
    *,
    engine: str = "jax",
    pop: Mapping[str, Any] | None = None,
    max_step_days: float = production.DEFAULT_STEP_DAYS,
) -> list[Solution]:
    """Solve several scenarios; with the JAX engine, in one batched solve.

    Scenarios in one call must share ``horizon``, ``output_every`` and their parameter
    overrides (``parameters``) for the batched solve; otherwise they are grouped by those
    values. Each scenario's own ``parameters`` take precedence over ``pop``.
    ``max_step_days`` is the engine's longest step (1 h by default). A man whose solve is not
    finite does not sink the batch: the others are solved, and :class:`BatchSolveError` names
    each failed man by his index and carries every solution.
    """
    if engine not in ("jax", "reference"):
        raise ValueError(f"engine: got {engine!r}; allowed: 'jax', 'reference'")
    solved: list[Solution | None] = [None] * len(scenarios)
    failed: dict[int, str] = {}
    men = [i for i, s in enumerate(scenarios) if s.patient.sex == "male"]
    for i, s in enumerate(scenarios):
        if s.patient.sex == "female":  # her own engine (hpgsim.engine.woman), one at a time
            try:
                solved[i] = solution(s, solve_woman(s, engine=engine, pop=pop), engine)
            except FloatingPointError as exc:
                failed[i] = str(exc)
        elif engine == "reference":
            solved[i] = solution(s, solve_reference(s, pop=scenario_pop(s, pop)), engine)
    if engine == "reference":
        men = []
    else:
        production.enable_compilation_cache()
    groups: dict[tuple[float, float, tuple[tuple[str, float], ...]], list[int]] = {}
    for i in men:
        s = scenarios[i]
        groups.setdefault((s.horizon_days, s.output_every_days, s.parameters), []).append(i)
    for (horizon, every, _), idx in groups.items():
        members = [scenarios[i] for i in idx]
        prep = prepare(members, pop=pop, max_step_days=max_step_days)
        out = np.asarray(solve_prepared(prep, horizon_days=horizon, output_every_days=every))
        for j, i in enumerate(idx):
            try:
                solved[i] = solution(scenarios[i], out[:, j, :], engine)
            except FloatingPointError as exc:  # this man only: the batch keeps the rest
                failed[i] = str(exc)
    if failed:
        raise BatchSolveError(solved, failed)
    return [x for x in solved if x is not None]


def solve(scenario: Scenario, *, engine: str = "jax", **kw: Any) -> Solution:
    """One man's :class:`Solution` (``engine`` and keywords as :func:`solve_many`); a solve
    that is not finite raises FloatingPointError naming the scenario and the columns."""
    try:
        return solve_many([scenario], engine=engine, **kw)[0]
    except BatchSolveError as exc:
        raise FloatingPointError(exc.failed[0]) from None


def simulate_many(
    scenarios: Sequence[Scenario],
    *,
    engine: str = "jax",
    pop: Mapping[str, Any] | None = None,
    max_step_days: float = production.DEFAULT_STEP_DAYS,
) -> list[pd.DataFrame]:
    """:func:`solve_many` as tables (:meth:`Solution.to_frame`), one per scenario (a failed
    man: :class:`BatchSolveError`, whose ``solutions`` hold the others)."""
    return [
        x.to_frame()
        for x in solve_many(scenarios, engine=engine, pop=pop, max_step_days=max_step_days)
    ]


def simulate(scenario: Scenario, *, engine: str = "jax", **kw: Any) -> pd.DataFrame:
    """Trajectories of one man: one row per output time, columns as in design.md.

    ``engine``: ``"jax"`` (production, batched exponential integrator) or ``"reference"``
    (SciPy LSODA at rtol 1e-10). Hormone columns are serum concentrations at that instant,
    sampled before any dose given at that time.
    """
    return simulate_many([scenario], engine=engine, **kw)[0]
