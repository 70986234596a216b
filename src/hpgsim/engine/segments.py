"""Stiff solves between dose times: SciPy's LSODA restarted at every dose, doses applied as exact
state jumps, readouts sampled before any dose given at the sample time.

One loop for the solves that use it: the man's reference engine
(:mod:`hpgsim.engine.reference`) and the woman's engine (:mod:`hpgsim.engine.woman`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.integrate import solve_ivp

__all__ = ["METHOD", "solve_between_doses"]

METHOD = "LSODA"

Vector = Callable[[np.ndarray], np.ndarray]


def solve_between_doses(
    f: Vector,
    jac: Callable[[np.ndarray], np.ndarray],
    read: Vector,
    y0: np.ndarray,
    events: Sequence[tuple[float, int, float]],
    t_out: np.ndarray,
    *,
    rtol: float,
    atol: float,
    n_columns: int,
    who: str,
) -> np.ndarray:
    """Readouts [outputs, ``n_columns``] at ``t_out`` (days, from 0) of the system dy/dt = f(y)
    from ``y0``, with the (time in days, state index, amount) jumps of ``events``.

    ``atol`` is per unit of each state's scale, its untreated value (at least 1e-6). ``who``
    names the solve in a failure (RuntimeError, never a silent partial result).
    """
    y = np.array(y0, dtype=float)
    scale = np.maximum(np.abs(y), 1e-6)
    n_out = len(t_out)
    bounds = sorted({0.0, *(t for t, _, _ in events), float(t_out[-1])})
    out = np.full((n_out, n_columns), np.nan)
    sampled = 0
    for i, t0 in enumerate(bounds):
        while sampled < n_out and abs(t_out[sampled] - t0) < 1e-12:
            out[sampled] = read(y)
            sampled += 1
        for t_d, state, amount in events:
            if abs(t_d - t0) < 1e-12:
                y[state] += amount
        if i + 1 == len(bounds):
            break
        t1 = bounds[i + 1]
        inside = t_out[(t_out > t0 + 1e-12) & (t_out < t1 - 1e-12)]
        sol = solve_ivp(
            lambda _t, yy: f(yy),
            (t0, t1),
            y,
            method=METHOD,
            t_eval=np.concatenate([inside, [t1]]),
            jac=lambda _t, yy: jac(yy),
            rtol=rtol,
            atol=atol * scale,
        )
        if not sol.success:  # pragma: no cover - surfaced as an error, never silently
            raise RuntimeError(f"{who} failed at t={t0} d: {sol.message}")
        for k in range(len(inside)):
            out[sampled] = read(sol.y[:, k])
            sampled += 1
        y = sol.y[:, -1].copy()
    if sampled != n_out:  # pragma: no cover - a sample time fell between segments
        raise RuntimeError(f"{who} sampled {sampled} of {n_out} output times")
    return out
