"""Reference engine: SciPy solve_ivp (LSODA, rtol 1e-10) on the same right-hand side.

Used by the tests to measure the production engine's error. The right-hand side and its
Jacobian are the JAX functions of :mod:`hpgsim.model.axis`, compiled once with ``jax.jit``, so
the solve is not dominated by Python overhead. Doses are applied as exact state jumps at their
scenario times, with the integrator restarted after each dosing time. Samples are taken before
any dose given at the sample time, as in the production engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from scipy.integrate import solve_ivp

from hpgsim.engine.doses import exact_dose_events
from hpgsim.engine.inputs import (
    prepare,
    scenario_pop,
)  # the same initial state and parameters as the engine
from hpgsim.model import axis
from hpgsim.scenario import Scenario

METHOD = "LSODA"
RTOL = 1e-10
ATOL = 1e-12


def _compiled(p: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    """rhs, Jacobian and readouts compiled with this man's parameters baked in (fast calls)."""
    f = jax.jit(lambda y: axis.rhs(y, p))
    jac = jax.jit(jax.jacfwd(lambda y: axis.rhs(y, p)))
    read = jax.jit(lambda y: axis.readout_vector(y, p))
    return f, jac, read


def solve_reference(
    scenario: Scenario,
    *,
    pop: Mapping[str, Any] | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> np.ndarray:
    """Readouts [outputs, columns] of one scenario (columns as ``axis.OUTPUT_COLUMNS``).

    ``rtol`` and ``atol`` (per unit of each state's untreated value) default to the tight
    reference settings; the benchmark loosens them to time SciPy at matched accuracy."""
    prep = prepare([scenario], pop=pop)
    y = np.array(prep.y0[0], dtype=float)
    p = {k: jnp.asarray(v[0]) for k, v in prep.params.items()}
    f, jac, read = _compiled(p)

    def fun(_t: float, yy: np.ndarray) -> np.ndarray:
        return np.asarray(f(yy))

    def jacobian(_t: float, yy: np.ndarray) -> np.ndarray:
        return np.asarray(jac(yy))

    n_out = int(scenario.horizon_days / scenario.output_every_days + 1e-9) + 1
    t_out = np.arange(n_out) * scenario.output_every_days
    events = exact_dose_events(scenario, axis.population_parameters(scenario_pop(scenario, pop)))
    dose_times = sorted({t for t, _, _ in events})
    # Segment boundaries: every dose time; doses at t apply after sampling at t.
    bounds = sorted({0.0, *dose_times, float(t_out[-1])})
    scale = np.maximum(np.abs(y), 1e-6)
    out = np.full((n_out, len(axis.OUTPUT_COLUMNS)), np.nan)
    sampled = 0
    for i, t0 in enumerate(bounds):
        while sampled < n_out and abs(t_out[sampled] - t0) < 1e-12:
            out[sampled] = np.asarray(read(y))
            sampled += 1
        for t_d, state, amount in events:
            if abs(t_d - t0) < 1e-12:
                y[state] += amount
        if i + 1 == len(bounds):
            break
        t1 = bounds[i + 1]
        inside = t_out[(t_out > t0 + 1e-12) & (t_out < t1 - 1e-12)]
        sol = solve_ivp(
            fun,
            (t0, t1),
            y,
            method=METHOD,
            t_eval=np.concatenate([inside, [t1]]),
            jac=jacobian,
            rtol=rtol,
            atol=atol * scale,
        )
        if not sol.success:  # pragma: no cover - surfaced as an error, never silently
            raise RuntimeError(f"reference solve failed at t={t0} d: {sol.message}")
        for k in range(len(inside)):
            out[sampled] = np.asarray(read(sol.y[:, k]))
            sampled += 1
        y = sol.y[:, -1].copy()
    if sampled != n_out:  # pragma: no cover - a sample time fell between segments
        raise RuntimeError(f"reference solve sampled {sampled} of {n_out} output times")
    return out
