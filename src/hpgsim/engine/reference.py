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

from hpgsim.engine.doses import exact_dose_events
from hpgsim.engine.inputs import (
    prepare,
    scenario_pop,
)  # the same initial state and parameters as the engine
from hpgsim.engine.segments import METHOD, solve_between_doses
from hpgsim.model import axis
from hpgsim.scenario import Scenario

__all__ = ["ATOL", "METHOD", "RTOL", "solve_reference"]

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
    states: bool = False,
) -> np.ndarray:
    """Readouts [outputs, columns] of one scenario (columns as ``axis.OUTPUT_COLUMNS``), or with
    ``states`` the state vectors [outputs, ``axis.N_STATES``] (for tests of a mechanism's
    internal states).

    ``rtol`` and ``atol`` (per unit of each state's untreated value) default to the tight
    reference settings; the benchmark loosens them to time SciPy at matched accuracy."""
    prep = prepare([scenario], pop=pop)
    y = np.array(prep.y0[0], dtype=float)
    p = {k: jnp.asarray(v[0]) for k, v in prep.params.items()}
    f, jac, read = _compiled(p)

    n_out = int(scenario.horizon_days / scenario.output_every_days + 1e-9) + 1
    t_out = np.arange(n_out) * scenario.output_every_days
    events = exact_dose_events(scenario, axis.population_parameters(scenario_pop(scenario, pop)))
    return solve_between_doses(
        lambda yy: np.asarray(f(yy)),
        lambda yy: np.asarray(jac(yy)),
        (lambda yy: np.array(yy)) if states else (lambda yy: np.asarray(read(yy))),
        y,
        events,
        t_out,
        rtol=rtol,
        atol=atol,
        n_columns=axis.N_STATES if states else len(axis.OUTPUT_COLUMNS),
        who="reference solve",
    )
