"""The fitter: the calibrated parameters fitted to their published targets by least squares.

What is fitted, from where and within what bounds is the parameter table's (each calibrated
row's :class:`~hpgsim.model.parameters.Calibrated` provenance: target, start, lower and upper
bound, stage); the targets and their measures are the evidence registry's
(:data:`hpgsim.evidence.calibration.TARGETS`). Each residual is a target measure scaled so that
1.0 is the edge of its tolerance (:meth:`~hpgsim.evidence.records.Measure.residual`); the fit is
SciPy's trust-region reflective least squares on the log-parameters, with finite-difference
Jacobians.

Stages run in order (:data:`STAGES`): the foundation's parameters on its targets, then the
restoration drugs' (SERMs, hCG, gonadorelin, leuprolide) with the first stage's values held,
then spermatogenesis. A later stage's parameters act only when its drugs are given or only on
germ cells, which feed back on no hormone, so they cannot move an earlier stage's targets:
fitting in blocks is exact, and cheaper. A mechanism that breaks this (one that acts on the
foundation's targets and a later stage's at once, such as a pituitary capacity) needs the
stages fitted together: ``fit(stages, joint=True)`` (``scripts/calibrate.py --joint``).

Why finite differences and not gradients through the engine: the engine is differentiable, and
a forward-mode Jacobian pays (measured on this 2-core machine, shared: on the 84-day Leder +
Plymate batch one forward solve took 0.58 s and ``jax.jacfwd`` over the foundation's 16
parameters 1.49 s, against 9.8 s for the 17 solves a finite-difference Jacobian needs, about
0.15 of the cost, after a one-time 17 s compile). But the measures are not traceable as written:
they read pandas tables, fit curves with SciPy, and take argmax peaks and threshold crossings
off the sampled course, and the steady state is prepared outside the traced solve. Gradients
pay once the measures are ported to ``jax.numpy``; until then a stage costs about 2 s per
evaluation (foundation) and the fit runs in minutes.

``scripts/calibrate.py`` (``make calibrate``) runs :func:`fit` and writes
``hpgsim/data/calibrated.json`` and docs/calibration-results.md; the table reads the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from hpgsim.evidence.calibration import TARGETS, evaluate_targets
from hpgsim.evidence.records import Target
from hpgsim.model.parameters import ON_BOUND_LOG_TOLERANCE, Calibrated, calibrated_rows

__all__ = [
    "FAILED_RESIDUAL",
    "STAGES",
    "FitResult",
    "StageFit",
    "fit",
    "fit_stage",
    "measure_report",
    "values_on_bound",
]

STAGES: tuple[str, ...] = ("foundation", "restoration", "spermatogenesis")
"""The fitter's stages, in the order they run."""

FAILED_RESIDUAL = 50.0
"""Residual of a measure the trial point could not produce (a solve that failed, a NaN)."""

Evaluate = Callable[..., dict[str, dict[str, float]]]


@dataclass(frozen=True)
class StageFit:
    """One stage's result: fitted values (parameter units) and the least-squares cost."""

    values: dict[str, float]
    cost: float


@dataclass(frozen=True)
class FitResult:
    """A calibration run: every fitted value, the cost of each stage, the wall time (s), and
    the values that ended on a bound (name -> ``lower``/``upper``)."""

    values: dict[str, float]
    stage_costs: dict[str, float]
    seconds: float
    on_bound: dict[str, str]


def values_on_bound(
    values: Mapping[str, float],
    free: Mapping[str, Calibrated] | None = None,
    tol: float = ON_BOUND_LOG_TOLERANCE,
) -> dict[str, str]:
    """Which of ``values`` sit on their bound (:meth:`Calibrated.bound_hit`)."""
    rows = dict(free) if free is not None else calibrated_rows()
    hits = {name: rows[name].bound_hit(value, tol) for name, value in values.items()}
    return {name: side for name, side in hits.items() if side is not None}


def _residuals(targets: Sequence[Target], results: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Each measure's residual (1.0 at the edge of its tolerance); a measure the point could not
    produce (NaN, infinite) gets :data:`FAILED_RESIDUAL`."""
    r = np.asarray(
        [m.residual(results[t.key][m.label]) for t in targets for m in t.measures], dtype=float
    )
    return np.where(np.isfinite(r), r, FAILED_RESIDUAL)


def fit_stage(
    free: Mapping[str, Calibrated],
    targets: Sequence[Target],
    fixed: Mapping[str, float],
    *,
    evaluate: Evaluate = evaluate_targets,
    max_nfev: int = 400,
    verbose: int = 1,
    starts: Mapping[str, float] | None = None,
) -> StageFit:
    """Least-squares fit of the parameters ``free`` (start and bounds from their provenance)
    on the measures of ``targets``, with ``fixed`` values held. ``evaluate(targets, pop=...)``
    returns target key -> measure label -> simulated value. ``starts`` replaces the
    provenance's start of the parameters it names (a warm start from stored values, moved
    inside the bounds where one sits on them); the bounds and the cost do not change."""
    names = list(free)
    lo = np.log([free[n].lower for n in names])
    hi = np.log([free[n].upper for n in names])
    given = starts or {}
    x0 = np.log([given.get(n, free[n].start) for n in names])
    inside = 1e-6 * (hi - lo)
    x0 = np.clip(x0, lo + inside, hi - inside)
    n_measures = sum(len(t.measures) for t in targets)

    def residuals(x: np.ndarray) -> np.ndarray:
        pop = {**fixed, **dict(zip(names, np.exp(x).tolist(), strict=True))}
        try:
            res = evaluate(targets, pop=pop)
        except FloatingPointError:  # a trial point the fixed-step engine cannot integrate
            return np.full(n_measures, FAILED_RESIDUAL)
        return _residuals(targets, res)

    sol = least_squares(
        residuals,
        x0,
        bounds=(lo, hi),
        x_scale="jac",
        diff_step=1e-2,
        xtol=1e-10,
        ftol=1e-10,
        gtol=1e-10,
        max_nfev=max_nfev,
        verbose=verbose,
    )
    return StageFit(dict(zip(names, np.exp(sol.x).tolist(), strict=True)), float(sol.cost))


def fit(
    stages: Sequence[str] = STAGES,
    *,
    held: Mapping[str, float] | None = None,
    progress: Callable[[str, StageFit], None] | None = None,
    starts: Mapping[str, float] | None = None,
    only: Sequence[str] | None = None,
    joint: bool = False,
    evaluate: Evaluate = evaluate_targets,
    max_nfev: int = 400,
    verbose: int = 1,
) -> FitResult:
    """Fit ``stages`` in order; parameters of the other stages are held at ``held`` (for
    example the stored values when one stage is refitted) or at the table's values.
    ``starts`` warm-starts the fitted parameters it names (:func:`fit_stage`). ``only`` fits
    just the calibrated parameters it names (each of a stage being fitted), the stage's other
    parameters held like the other stages': a block of the stage on all of the stage's
    targets, for a new drug family's parameters, which act only when that drug is given.

    ``joint`` fits the parameters of all ``stages`` together, in one least-squares problem on
    all their targets, for a mechanism that acts on an earlier stage's targets and a later
    one's at once (where fitting in blocks is not exact); each stage's cost is then evaluated
    at the joint values. Each iteration solves every target once per free parameter.
    ``max_nfev`` bounds each block's residual evaluations (SciPy's trf does not count the
    Jacobian's, so an iteration costs one more evaluation per free parameter); ``verbose``
    is SciPy's (2: a line per iteration)."""
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise ValueError(f"stages: got {sorted(unknown)}; allowed: {', '.join(STAGES)}")
    if only is not None:
        fitted_here = {n for stage in stages for n in calibrated_rows(stage)}
        stray = sorted(set(only) - fitted_here)
        if stray or not only:
            raise ValueError(
                f"only: got {stray or list(only)}; allowed: calibrated parameters of the stages "
                f"fitted ({', '.join(stages)}): {', '.join(sorted(fitted_here))}"
            )
    t0 = time.perf_counter()
    values: dict[str, float] = dict(held or {})
    costs: dict[str, float] = {}
    ordered = [stage for stage in STAGES if stage in stages]
    blocks = [ordered] if joint else [[stage] for stage in ordered]
    for block in blocks:
        free = {
            name: row
            for stage in block
            for name, row in calibrated_rows(stage).items()
            if only is None or name in only
        }
        if not free:  # ``only`` names none of this stage's parameters: nothing to fit here
            continue
        targets = [t for t in TARGETS if t.fit and t.stage in block]
        result = fit_stage(
            free,
            targets,
            {k: v for k, v in values.items() if k not in free},
            starts=starts,
            evaluate=evaluate,
            max_nfev=max_nfev,
            verbose=verbose,
        )
        values.update(result.values)
        if len(block) == 1:
            costs[block[0]] = result.cost
            if progress is not None:
                progress(block[0], result)
            continue
        everything = evaluate(targets, pop=dict(values))  # each stage's share of a joint fit
        for stage in block:
            share = [t for t in targets if t.stage == stage]
            costs[stage] = 0.5 * float(np.sum(_residuals(share, everything) ** 2))
            if progress is not None:
                progress(stage, StageFit(result.values, costs[stage]))
    fitted = {k: v for k, v in values.items() if k in calibrated_rows()}
    return FitResult(
        values=fitted,
        stage_costs=costs,
        seconds=time.perf_counter() - t0,
        on_bound=values_on_bound(fitted),
    )


def measure_report(values: Mapping[str, float]) -> list[dict[str, Any]]:
    """Every target measure at ``values``: published, simulated, in tolerance, fitted or not."""
    everything = evaluate_targets(TARGETS, pop=dict(values))
    return [
        {
            "target": t.key,
            "measure": m.label,
            "published": m.published,
            "simulated": everything[t.key][m.label],
            "passes": bool(m.passes(everything[t.key][m.label])),
            "fitted": t.fit,
            "source": t.source,
            "describe": m.describe(everything[t.key][m.label]),
        }
        for t in TARGETS
        for m in t.measures
    ]
