"""The woman's engine: SciPy's LSODA on the JAX right-hand side of :mod:`hpgsim.model.woman`.

Her model is small (three states of her own plus the drug families', about twenty) and has
no minute-scale drug, so one stiff solver with the right-hand side and its Jacobian compiled by
``jax.jit`` solves a year in well under a second; the man's batched exponential integrator is
not needed. Doses are exact state jumps at their scenario times (the integrator restarts after
each); samples are taken before any dose given at the sample time, as in the man's engines.
``engine="jax"`` solves at rtol 1e-8, ``engine="reference"`` at the reference tolerance
(rtol 1e-10); the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from scipy.integrate import solve_ivp

from hpgsim.engine.doses import exact_dose_events
from hpgsim.engine.precision import require_x64
from hpgsim.model import woman
from hpgsim.scenario import Scenario

__all__ = ["TOLERANCES", "solve_woman", "woman_parameters"]

TOLERANCES: dict[str, tuple[float, float]] = {"jax": (1e-8, 1e-10), "reference": (1e-10, 1e-12)}
"""(rtol, atol per unit of each state's scale) by engine name."""


def woman_parameters(scenario: Scenario, pop: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The woman's parameters for ``scenario`` (table, ``pop`` then the scenario's own
    ``parameters`` as overrides)."""
    overrides = {**(pop or {}), **scenario.parameter_overrides}
    return woman.patient_parameters(
        overrides, age=scenario.patient.age_years, bmi=scenario.patient.bmi_kg_m2
    )


def solve_woman(
    scenario: Scenario, *, engine: str = "jax", pop: Mapping[str, Any] | None = None
) -> np.ndarray:
    """Readouts [outputs, columns] of one woman (columns as :data:`woman.OUTPUT_COLUMNS`)."""
    if engine not in TOLERANCES:
        raise ValueError(f"engine: got {engine!r}; allowed: {', '.join(TOLERANCES)}")
    if scenario.patient.sex != "female":
        raise ValueError(f"scenario {scenario.name!r}: solve_woman needs patient.sex 'female'")
    require_x64()
    rtol, atol = TOLERANCES[engine]
    p = woman_parameters(scenario, pop)
    p_jax = {k: jnp.asarray(v) for k, v in p.items()}
    f = jax.jit(lambda yy: woman.rhs(yy, p_jax))
    jac = jax.jit(jax.jacfwd(lambda yy: woman.rhs(yy, p_jax)))
    read = jax.jit(lambda yy: woman.readout_vector(yy, p_jax))
    y = np.array(woman.steady_state(p_jax), dtype=float)
    scale = np.maximum(np.abs(y), 1e-6)
    n_out = int(scenario.horizon_days / scenario.output_every_days + 1e-9) + 1
    t_out = np.arange(n_out) * scenario.output_every_days
    events = exact_dose_events(scenario, p, index=woman.LAYOUT.index)
    bounds = sorted({0.0, *(t for t, _, _ in events), float(t_out[-1])})
    out = np.full((n_out, len(woman.OUTPUT_COLUMNS)), np.nan)
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
            lambda _t, yy: np.asarray(f(yy)),
            (t0, t1),
            y,
            method="LSODA",
            t_eval=np.concatenate([inside, [t1]]),
            jac=lambda _t, yy: np.asarray(jac(yy)),
            rtol=rtol,
            atol=atol * scale,
        )
        if not sol.success:  # pragma: no cover - surfaced as an error, never silently
            raise RuntimeError(f"the woman's solve failed at t={t0} d: {sol.message}")
        for k in range(len(inside)):
            out[sampled] = np.asarray(read(sol.y[:, k]))
            sampled += 1
        y = sol.y[:, -1].copy()
    if sampled != n_out:  # pragma: no cover - a sample time fell between segments
        raise RuntimeError(f"the woman's solve sampled {sampled} of {n_out} output times")
    return out
