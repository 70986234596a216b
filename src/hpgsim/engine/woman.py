"""The woman's engine: SciPy's LSODA on the JAX right-hand side of :mod:`hpgsim.model.woman`.

Her model is small (three states of her own plus the drug families', 20 in all) and has no
minute-scale drug, so one stiff solver with the right-hand side and its Jacobian compiled by
``jax.jit`` serves: a year of weekly testosterone cypionate with nightly progesterone (417
doses, each restarting the integrator) takes about 3 s on 2 vCPU. She is solved one at a time,
without the man's batching, and with no JAX gradient through the solve (docs/women.md). Doses
are exact state jumps at their scenario times, the integrator restarting after each, and
samples are taken before any dose given at the sample time
(:func:`hpgsim.engine.segments.solve_between_doses`, the man's reference engine's loop).
``engine="jax"`` solves at rtol 1e-8, ``engine="reference"`` at the reference tolerance
(rtol 1e-10); the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from hpgsim.engine.doses import exact_dose_events
from hpgsim.engine.precision import require_x64
from hpgsim.engine.segments import solve_between_doses
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
    n_out = int(scenario.horizon_days / scenario.output_every_days + 1e-9) + 1
    return solve_between_doses(
        lambda yy: np.asarray(f(yy)),
        lambda yy: np.asarray(jac(yy)),
        lambda yy: np.asarray(read(yy)),
        np.asarray(woman.steady_state(p_jax), dtype=float),
        exact_dose_events(scenario, p, index=woman.LAYOUT.index),
        np.arange(n_out) * scenario.output_every_days,
        rtol=rtol,
        atol=atol,
        n_columns=len(woman.OUTPUT_COLUMNS),
        who="the woman's solve",
    )
