"""The fitter's spread stage: between-man CVs fitted to TE-only cohorts.

Some between-man CVs of the model have no published value (the parameter rows with a
``bsv_fit`` record: the germ-cell support threshold ``K_ITT_sperm`` and the stem-cell reserve's
loss and renewal rates). Issue #19's decision 1 fits them to cohorts on testosterone enanthate
alone (:data:`SPREAD_TARGETS`: WHO 1990 / WHO 1995 and the Thai WHO centre), not to Liu 2006,
whose pooled studies mixed regimens (Liu stays a reported mixture check).

Each evaluation runs the targets' virtual trials with the trial CVs replaced
(:attr:`hpgsim.population.trial.TrialDesign.variability_cv`) on the same men (a man's
standard-normal draws do not depend on the CVs: common random numbers), and scores every
measure with :meth:`~hpgsim.evidence.records.Measure.residual` (1.0 = the edge of its
tolerance), as the single-man stages do. The trials read their semen every 2 or 4 weeks, so the
cost is a step function of the CVs: the search is a coordinate search over multiplicative steps
on each CV within its bounds (shrinking the step to its square root when no move helps), not a
gradient method.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hpgsim.evidence.fit import FAILED_RESIDUAL
from hpgsim.evidence.records import Spread, ValidationTarget
from hpgsim.evidence.studies.population import THAI1996_POPULATION, WHO1990_POPULATION
from hpgsim.model.parameter_records import Calibrated
from hpgsim.model.parameters import PARAMETERS

__all__ = [
    "SPREAD_N",
    "SPREAD_SEED",
    "SPREAD_TARGETS",
    "SpreadFit",
    "fit_spread",
    "spread_cost",
    "spread_rows",
]

SPREAD_TARGETS: tuple[ValidationTarget, ...] = (WHO1990_POPULATION, THAI1996_POPULATION)
"""The TE-only cohorts the CVs are fitted to."""

SPREAD_N = 400
"""Men per trial in the fit (the validation's default for these targets)."""

SPREAD_SEED = 1
"""The fit's seed: other men than the validation's (seed 2026), so the validation does not read
the very draws the CVs were tuned on."""


@dataclass(frozen=True)
class SpreadFit:
    """The spread stage's result: fitted CVs by parameter, the cost, and the evaluations."""

    cv: dict[str, float]
    cost: float
    evaluations: int
    seconds: float


def spread_rows() -> dict[str, Calibrated]:
    """The parameters whose between-man CV the spread stage fits: name -> its fit record."""
    return {p.name: p.bsv_fit for p in PARAMETERS if p.bsv_fit is not None}


def spread_cost(
    cv: Mapping[str, float],
    targets: Sequence[ValidationTarget] = SPREAD_TARGETS,
    *,
    n: int = SPREAD_N,
    seed: int = SPREAD_SEED,
) -> tuple[float, dict[str, float]]:
    """Sum of squared residuals of every measure of ``targets`` with the CVs ``cv``, and the
    simulated values (keyed ``target: measure``)."""
    spread: Spread = tuple(sorted((k, float(v)) for k, v in cv.items()))
    cost = 0.0
    simulated: dict[str, float] = {}
    for t in targets:
        assert t.population_run is not None, t.id
        values = t.population_run(n, seed, variability_cv=spread).values
        for m in t.measures:
            x = values[m.label]
            simulated[f"{t.id}: {m.label}"] = x
            r = FAILED_RESIDUAL if not math.isfinite(x) else m.residual(x)
            cost += r * r
    return cost, simulated


def fit_spread(
    *,
    n: int = SPREAD_N,
    seed: int = SPREAD_SEED,
    start: Mapping[str, float] | None = None,
    step: float = 2.0,
    min_step: float = 1.2,
    progress: Callable[[str], None] | None = None,
    cost: Callable[[Mapping[str, float]], float] | None = None,
) -> SpreadFit:
    """Coordinate search for the CVs of :func:`spread_rows` on :data:`SPREAD_TARGETS`.

    From ``start`` (default: each row's fit start), try each CV times and divided by ``step``
    (kept within its bounds) and keep any move that lowers the cost; when a full pass moves
    nothing, shrink the step to its square root, until it is below ``min_step``. ``cost``
    replaces :func:`spread_cost` (CVs -> cost; for tests)."""
    rows = spread_rows()
    cv = {k: float((start or {}).get(k, r.start)) for k, r in rows.items()}
    t0 = time.perf_counter()

    def evaluate(trial: Mapping[str, float]) -> float:
        return cost(trial) if cost is not None else spread_cost(trial, n=n, seed=seed)[0]

    best = evaluate(cv)
    evaluations = 1
    say = progress or (lambda _msg: None)
    say(f"start {cv} cost {best:.3f}")
    while step >= min_step:
        moved = False
        for name, r in rows.items():
            for factor in (step, 1.0 / step):
                trial = dict(cv)
                trial[name] = min(max(cv[name] * factor, r.lower), r.upper)
                if trial[name] == cv[name]:
                    continue
                value = evaluate(trial)
                evaluations += 1
                if value < best - 1e-9:
                    best, cv, moved = value, trial, True
                    say(f"{name} -> {trial[name]:.3g}: cost {value:.3f}")
                    break
        if not moved:
            step = math.sqrt(step)
            say(f"step -> {step:.3g}")
    return SpreadFit(cv=cv, cost=best, evaluations=evaluations, seconds=time.perf_counter() - t0)
