"""The production engine: a batched, structure-exploiting exponential integrator in JAX.

The model's stiffness is almost all linear (first-order elimination, absorption depots, transit
chains, fast turnover of LH, estradiol, inhibin B and intratesticular T). Write the right-hand
side as ``f(y) = A y + N(y)``, with ``A`` the linear part of the model (its constant Jacobian
entries plus the diagonal at the reference man's steady state; shared by every patient, see
:func:`linear_part`) and ``N(y) = f(y) - A y`` the remainder, which is smooth and non-stiff.
One step of the second-order exponential Runge-Kutta scheme ETD2RK (Cox & Matthews 2002) on a
fixed grid ``h`` is then

    a       = e^{hA} y + h phi1(hA) N(y)
    y_next  = a + h phi2(hA) (N(a) - N(y))

which propagates the linear part exactly (mass-conserving: what leaves a depot arrives in plasma)
and needs no Newton iteration, no LU and no per-patient branching. ``e^{hA}``, ``h phi1`` and
``h phi2`` are computed once per solve from one matrix exponential of an augmented matrix, and
every step is three dense (n x n) @ (n x patients) products plus two vectorized evaluations of
the right-hand side: the same code on CPU and GPU.

Doses are state jumps applied at the start of their grid step; an infusion is a jump of a
rate state, a zero-order input that the linear part carries exactly. Coarse steps (about an
hour) that hold fast events (gonadorelin pulses, the leuprolide burst, the hours after an
anastrozole dose, the onset of clomiphene or enclomiphene, doses between coarse grid points)
are taken as ``m`` fine steps (2.5 min) with their own propagators, chosen per step by
``lax.cond`` on a mask shared by the batch; a scenario without such events compiles no fine
branch. Outputs are read out (the
reported columns only) every ``steps_per_output`` steps inside the solve, so memory grows with
patients x outputs x columns, not with steps or states. A sample at a dose time is taken before
that dose (a trough draw).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from hpgsim.engine.doses import DoseLines, refine_mask
from hpgsim.model import axis

DEFAULT_STEP_DAYS = 1.0 / 24.0  # one hour


def enable_compilation_cache(path: str | os.PathLike[str] | None = None) -> None:
    """Cache compiled solves on disk so a second CLI run skips XLA compilation."""
    try:
        default = Path.home() / ".cache" / "hpgsim" / "jax"
    except RuntimeError:  # no home directory: keep compiling in memory only
        default = None
    env = os.environ.get("HPGSIM_JAX_CACHE")
    chosen = path or env or default
    if chosen is None:
        return
    folder = Path(chosen)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


def propagators(a: jax.Array, h: float) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(e^{hA}, h phi1(hA), h phi2(hA)) from one exponential of a 3n x 3n block matrix."""
    n = a.shape[0]
    eye = jnp.eye(n)
    zero = jnp.zeros((n, n))
    big = jnp.block([[h * a, eye, zero], [zero, zero, eye], [zero, zero, zero]])
    ex = jsl.expm(big)
    return ex[:n, :n], h * ex[:n, n : 2 * n], h * ex[:n, 2 * n :]


@jax.jit
def linear_part(pop: Mapping[str, Any]) -> jax.Array:
    """The linear part A of the model, shared by every patient.

    A keeps (i) every Jacobian entry that is constant, i.e. the truly linear transfers
    (absorption depots, the germ-cell chain, epididymal transit, testis-blood exchange,
    first-order turnover), and (ii) the diagonal at the reference man's steady state
    (healthy, T_ref, BMI 25, age 35), which carries the fast decay rates. Nonlinear couplings
    (feedback) stay in N(y), where they are smooth and non-stiff on the step. Constancy is
    detected by comparing the Jacobian at the reference state with the Jacobian at a
    perturbed state.
    """
    p_ref, baseline = axis.patient_parameters(
        pop,
        baseline_t_ng_dl=jnp.asarray(pop["T_ref"]),
        condition_code=jnp.asarray(0),
        bmi=jnp.asarray(pop["BMI_ref"]),
        age=jnp.asarray(pop["age_ref"]),
        testis_volume=jnp.asarray(pop["testis_volume_ref"]),
    )
    y_ref = axis.steady_state(p_ref, baseline)
    p_ref = axis.attach_baseline_scales(
        p_ref, y_ref, sperm_conc0=jnp.asarray(1.0), testis_volume0=jnp.asarray(1.0)
    )
    jac = jax.jacfwd(axis.rhs)
    j_ref = jac(y_ref, p_ref)
    factors = 0.6 + 0.8 * jnp.abs(jnp.sin(jnp.arange(1, axis.N_STATES + 1) * 1.7))
    y_other = y_ref * factors + 1.0  # every state moved, drugs present
    j_other = jac(y_other, p_ref)
    constant = jnp.abs(j_ref - j_other) <= 1e-9 * (1.0 + jnp.abs(j_ref))
    diagonal = jnp.eye(axis.N_STATES, dtype=bool)
    return jnp.where(constant | diagonal, j_ref, 0.0)


def _doses_at(step: jax.Array, d: Mapping[str, jax.Array], n_states: int) -> jax.Array:
    """Jump vector [patients, states] of the doses falling on grid ``step``."""
    k = step - d["start"]
    active = (k >= 0) & (k % d["every"] == 0) & (k // d["every"] < d["count"])
    amount = jnp.where(active, d["amount"], 0.0)
    onehot = jax.nn.one_hot(d["state"], n_states, dtype=amount.dtype)  # [B, L, n]
    return jnp.einsum("bl,bln->bn", amount, onehot)


@partial(jax.jit, static_argnames=("n_outputs", "steps_per_output", "h", "m"))
def _solve(
    y0: jax.Array,
    params: dict[str, jax.Array],
    doses: dict[str, jax.Array],
    a: jax.Array,
    refine: jax.Array,
    *,
    n_outputs: int,
    steps_per_output: int,
    h: float,
    m: int,
) -> jax.Array:
    f = jax.vmap(axis.rhs)
    read = jax.vmap(axis.readout_vector)
    n_states = y0.shape[1]

    def nonlinear(y: jax.Array) -> jax.Array:
        return f(y, params) - y @ a.T

    def etd2rk(y: jax.Array, props: tuple[jax.Array, jax.Array, jax.Array]) -> jax.Array:
        e_h, p1, p2 = props
        n0 = nonlinear(y)
        a_stage = y @ e_h.T + n0 @ p1.T
        return a_stage + (nonlinear(a_stage) - n0) @ p2.T

    coarse_props = propagators(a, h)
    if m == 1:

        def step(k: jax.Array, y: jax.Array) -> jax.Array:
            return etd2rk(y + _doses_at(k, doses, n_states), coarse_props)

    else:
        fine_props = propagators(a, h / m)

        def coarse(k: jax.Array, y: jax.Array) -> jax.Array:
            return etd2rk(y + _doses_at(k * m, doses, n_states), coarse_props)

        def fine(k: jax.Array, y: jax.Array) -> jax.Array:
            def sub(j: jax.Array, yy: jax.Array) -> jax.Array:
                return etd2rk(yy + _doses_at(k * m + j, doses, n_states), fine_props)

            return jax.lax.fori_loop(0, m, sub, y)

        def step(k: jax.Array, y: jax.Array) -> jax.Array:
            return jax.lax.cond(refine[k], fine, coarse, k, y)

    def interval(carry: tuple[jax.Array, jax.Array], _: None) -> tuple[Any, jax.Array]:
        y, k0 = carry
        out = read(y, params)
        y = jax.lax.fori_loop(0, steps_per_output, lambda i, yy: step(k0 + i, yy), y)
        return (y, k0 + steps_per_output), out

    (y_end, _), outs = jax.lax.scan(
        interval, (y0, jnp.asarray(0, jnp.int64)), None, length=n_outputs - 1
    )
    return jnp.concatenate([outs, read(y_end, params)[None]], axis=0)


def grid(
    horizon_days: float, output_every_days: float, max_step_days: float
) -> tuple[int, int, float]:
    """(number of outputs, steps per output, step) with the step dividing the output interval."""
    steps_per_output = max(1, math.ceil(output_every_days / max_step_days - 1e-9))
    h = output_every_days / steps_per_output
    n_outputs = int(horizon_days / output_every_days + 1e-9) + 1
    return n_outputs, steps_per_output, h


def solve(
    y0: jax.Array,
    params: Mapping[str, Any],
    doses: DoseLines,
    a: jax.Array,
    *,
    horizon_days: float,
    output_every_days: float,
    h: float,
    m: int = 1,
) -> jax.Array:
    """Integrate a batch of patients; returns readouts [outputs, patients, columns].

    ``y0`` is [patients, states]; every leaf of ``params`` is [patients]; ``doses`` holds
    [patients, lines] arrays on the fine grid of step ``h / m`` days; ``h`` must divide
    ``output_every_days``. Coarse steps that hold minute-scale events (see
    :func:`hpgsim.engine.doses.refine_mask`) are taken as ``m`` fine steps; with ``m == 1`` the
    solve has no refinement branch at all.
    """
    n_outputs, steps_per_output, h_used = grid(horizon_days, output_every_days, h)
    if abs(h_used - h) > 1e-9 * h:
        raise ValueError(f"step {h} d does not divide output interval {output_every_days} d")
    d = {
        "state": jnp.asarray(doses.state),
        "amount": jnp.asarray(doses.amount),
        "start": jnp.asarray(doses.start),
        "every": jnp.asarray(doses.every),
        "count": jnp.asarray(doses.count),
    }
    n_coarse = (n_outputs - 1) * steps_per_output
    refine = jnp.asarray(refine_mask(doses, m, max(n_coarse, 1)))
    p = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in params.items()}
    return _solve(
        jnp.asarray(y0),
        p,
        d,
        a,
        refine,
        n_outputs=n_outputs,
        steps_per_output=steps_per_output,
        h=h,
        m=m,
    )
