"""Derivatives of a man's initialization with respect to the whole parameter table.

The initialization is what the engine does for each man before a solve
(:func:`hpgsim.engine.inputs._init`): population parameters from the table, individualization,
the untreated steady state and the baseline scales. Its outputs, the steady-state vector and
every individual parameter, are differentiated by ``jax.jacfwd`` with respect to every input of
the table (:func:`hpgsim.model.parameters.typical_values`) and compared with central finite
differences. Two men: a healthy one and one with secondary hypogonadism, so that both roots
solved by bisection (the FSH/inhibin loop of the steady state and the central man's LH) are on
the path. Their derivatives come from the implicit function theorem; through the bisection
itself they were exactly zero.

The whole-table checks compile a 138-wide Jacobian and its reverse-mode twin (about 20-30 s on
two cores) and are marked slow; the focused checks of the two roots take one direction each
(``jax.jvp``) and stay in the quick tier.
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim.model import axis
from hpgsim.model.conditions import Condition
from hpgsim.model.parameters import typical_values

KEYS: tuple[str, ...] = tuple(typical_values())
X0 = np.array([typical_values()[k] for k in KEYS], dtype=np.float64)

# Covariates chosen away from the model's kinks: age above age_ref and ssc_age_onset (the
# max(age - ., 0) terms), baseline T well above the cap on the extragonadal share (binds below
# about 22 ng/dL), the central man's LH well below its clamp at 0.999 lh_capacity x LH_ref.
MEN: dict[str, dict[str, float]] = {
    "healthy": {"condition": Condition.HEALTHY, "t": 450.0, "bmi": 27.0, "age": 45.0},
    "secondary": {
        "condition": Condition.SECONDARY_HYPOGONADISM,
        "t": 250.0,
        "bmi": 29.0,
        "age": 52.0,
    },
}
TESTIS_VOLUME = 18.0
SPERM_CONC = 60.0

# Central differences with a step of 1e-4 of each parameter's value: truncation error about
# (1e-4)^2 relative, rounding error about eps / 1e-4 = 2.2e-12 of an output's value per unit of
# relative parameter change (at 1e-6 that rounding error, amplified through the FSH/inhibin
# loop, reached 2e-9 and swamped the small sensitivities of the germ-cell states).
REL_STEP = 1e-4
ABS_STEP = 1e-4  # the step for parameters whose value is zero (a_zuc)
RTOL = 1e-5
# |ad - fd| <= RTOL (|fd| + FLOOR |output| / |parameter|): below FLOOR x RTOL = 1e-11 of the
# output per unit of relative parameter change (5 times the rounding error of the differences)
# a derivative is indistinguishable from zero; it lets exactly-zero derivatives pass.
FLOOR = 1e-6

# No parameter is excluded: with both roots differentiated implicitly, every derivative matches.


def _covariates(man: str) -> dict[str, jax.Array]:
    m = MEN[man]
    return {
        "condition": jnp.asarray(int(m["condition"])),
        "t": jnp.asarray(m["t"]),
        "bmi": jnp.asarray(m["bmi"]),
        "age": jnp.asarray(m["age"]),
    }


def initialization(theta: dict[str, Any], c: dict[str, jax.Array]) -> tuple[jax.Array, dict]:
    """One man's (y0, individual parameters), as :func:`hpgsim.engine.inputs._init`."""
    pop = axis.population_parameters(theta)
    p, baseline = axis.patient_parameters(
        pop,
        baseline_t_ng_dl=c["t"],
        condition_code=c["condition"],
        bmi=c["bmi"],
        age=c["age"],
        testis_volume=jnp.asarray(TESTIS_VOLUME),
    )
    y0 = axis.steady_state(p, baseline)
    p = axis.attach_baseline_scales(
        p, y0, sperm_conc0=jnp.asarray(SPERM_CONC), testis_volume0=jnp.asarray(TESTIS_VOLUME)
    )
    return y0, p


@functools.cache
def _output_names() -> list[str]:
    _, p = jax.eval_shape(initialization, dict(zip(KEYS, X0, strict=True)), _covariates("healthy"))
    return [f"y0[{n}]" for n in axis.STATES] + [f"p[{k}]" for k in sorted(p)]


def flat(x: jax.Array, c: dict[str, jax.Array]) -> jax.Array:
    """The initialization as vector -> vector: y0, then every leaf of p in name order."""
    y0, p = initialization(dict(zip(KEYS, x, strict=True)), c)
    return jnp.concatenate([y0, jnp.stack([jnp.asarray(p[k], float) for k in sorted(p)])])


def _steps() -> np.ndarray:
    return np.where(X0 != 0.0, REL_STEP * np.abs(X0), ABS_STEP)


@jax.jit
def _value_and_jacobian(x: jax.Array, c: dict[str, jax.Array]) -> tuple[jax.Array, jax.Array]:
    return flat(x, c), jax.jacfwd(flat)(x, c)


@jax.jit
def _finite_differences(x: jax.Array, h: jax.Array, c: dict[str, jax.Array]) -> jax.Array:
    """Central differences, one column per parameter, evaluated as one batch."""
    e = jnp.diag(h)
    up = jax.vmap(flat, in_axes=(0, None))(x + e, c)
    down = jax.vmap(flat, in_axes=(0, None))(x - e, c)
    return (up - down).T / (2.0 * h)


_value = jax.jit(flat)


@jax.jit
def _directional(x: jax.Array, v: jax.Array, c: dict[str, jax.Array]) -> jax.Array:
    return jax.jvp(lambda x: flat(x, c), (x,), (v,))[1]


def _column_pair(man: str, par: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outputs, and their derivatives with respect to ``par`` by ``jax.jvp`` and by central
    differences."""
    j = _column(par)
    e = np.zeros(len(KEYS))
    e[j] = 1.0
    h = _steps()[j]
    c = _covariates(man)
    value = np.asarray(_value(jnp.asarray(X0), c))
    ad = np.asarray(_directional(jnp.asarray(X0), jnp.asarray(e), c))
    fd = (
        np.asarray(_value(jnp.asarray(X0 + h * e), c))
        - np.asarray(_value(jnp.asarray(X0 - h * e), c))
    ) / (2.0 * h)
    return value, ad, fd


@pytest.fixture(scope="module")
def derivatives() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each man: outputs, the forward-mode Jacobian and its finite-difference twin."""
    out = {}
    h = jnp.asarray(_steps())
    for man in MEN:
        c = _covariates(man)
        value, jac = _value_and_jacobian(jnp.asarray(X0), c)
        fd = _finite_differences(jnp.asarray(X0), h, c)
        out[man] = (np.asarray(value), np.asarray(jac), np.asarray(fd))
    return out


def _column(name: str) -> int:
    return KEYS.index(name)


def _row(name: str) -> int:
    return _output_names().index(name)


@pytest.mark.slow
@pytest.mark.parametrize("man", list(MEN))
def test_jacobian_matches_finite_differences_over_the_whole_table(
    derivatives: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], man: str
) -> None:
    """Every output (y0 and every leaf of p) against every input of the table."""
    value, jac, fd = derivatives[man]
    assert jac.shape == fd.shape == (value.size, len(KEYS))
    assert np.all(np.isfinite(jac)) and np.all(np.isfinite(fd))
    # |ad - fd| <= RTOL (|fd| + FLOOR |output| / |parameter|), multiplied through by |parameter|
    scale = np.where(X0 != 0.0, np.abs(X0), 1.0)
    err = np.abs(jac - fd) * scale
    allowed = RTOL * (np.abs(fd) * scale + FLOOR * np.abs(value)[:, None])
    bad = np.argwhere(err > allowed)
    names = _output_names()
    detail = [
        f"d {names[i]} / d {KEYS[j]}: jacfwd {jac[i, j]:.6g}, finite differences {fd[i, j]:.6g}"
        for i, j in bad[:20]
    ]
    assert bad.size == 0, f"{len(bad)} derivatives differ:\n" + "\n".join(detail)


@pytest.mark.parametrize("man", list(MEN))
def test_steady_state_fsh_follows_fsh_ref(man: str) -> None:
    """The FSH/inhibin loop's root: differentiating through the bisection gave exactly 0."""
    _, ad, fd = _column_pair(man, "FSH_ref")
    i = _row("y0[fsh]")
    assert abs(fd[i]) > 0.1
    assert ad[i] == pytest.approx(fd[i], rel=RTOL)


@pytest.mark.parametrize("par", ["L50", "kappa_L"])
def test_central_man_lh_follows_the_leydig_response(par: str) -> None:
    """The central man's LH is the root that makes a typical testis secrete his T: it moves with
    the Leydig LH response (L50, kappa_L) and his drive with it."""
    value, ad, fd = _column_pair("secondary", par)
    for out in ("y0[lh]", "p[drive0]"):
        i = _row(out)
        elasticity = fd[i] * X0[_column(par)] / value[i]
        assert abs(elasticity) > 0.1, out
        assert ad[i] == pytest.approx(fd[i], rel=RTOL), out


@pytest.mark.slow
def test_reverse_mode_equals_forward_mode(
    derivatives: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> None:
    """jax.grad of a weighted sum of the outputs (both men, vmapped) equals jacfwd's result."""
    theta = {k: jnp.asarray(v) for k, v in zip(KEYS, X0, strict=True)}
    cs = {k: jnp.stack([_covariates(m)[k] for m in MEN]) for k in _covariates("healthy")}
    values = np.stack([derivatives[m][0] for m in MEN])
    weights = jnp.asarray(1.0 / np.where(values != 0.0, np.abs(values), 1.0))

    def objective(th: dict[str, jax.Array]) -> jax.Array:
        def one(c: dict[str, jax.Array]) -> jax.Array:
            return flat(jnp.stack([th[k] for k in KEYS]), c)

        return jnp.sum(weights * jax.vmap(one)(cs))

    rev = jax.jit(jax.grad(objective))(theta)
    terms = np.stack(
        [np.asarray(weights[i])[:, None] * derivatives[m][1] for i, m in enumerate(MEN)]
    )
    fwd = terms.sum(axis=(0, 1))
    # relative to the sum of the terms' magnitudes: some gradients cancel to exactly zero
    # (k_itt through V_tes, for one)
    magnitude = np.abs(terms).sum(axis=(0, 1))
    for j, k in enumerate(KEYS):
        assert abs(float(rev[k]) - fwd[j]) <= 1e-10 * magnitude[j], k


@pytest.mark.slow
def test_solve_derivatives_match_central_differences() -> None:
    """Through the engine: the bench's 16 lab values of a man on testosterone enanthate then off
    (4 columns at 4 visits over 150 days) differentiated by six parameters of the pituitary,
    Leydig, feedback and spermatogenesis blocks (``jax.jacfwd`` through the initialization, its
    roots and the solve) agree with central differences of the same solve to 1e-5."""
    from hpgsim import scenario_from_dict
    from hpgsim.bench import GRADIENT_PARAMETERS, lab_function

    sc = scenario_from_dict(
        {
            "name": "te-then-off",
            "horizon": "150 d",
            "patient": {"age_years": 45, "bmi_kg_m2": 27},
            "regimen": [
                {
                    "drug": "testosterone_enanthate",
                    "dose": "200 mg",
                    "route": "intramuscular",
                    "every": "7 d",
                    "stop": "60 d",
                }
            ],
        }
    )
    labs = jax.jit(lab_function(sc)[0])  # the bench's 16 labs of one man, here over 150 days
    table = dict(typical_values())
    theta = jnp.asarray([float(table[k]) for k in GRADIENT_PARAMETERS])
    ad = np.asarray(jax.jit(jax.jacfwd(labs))(theta))
    value = np.asarray(labs(theta))

    def central(i: int, step: float) -> np.ndarray:
        up = np.asarray(labs(theta.at[i].add(step)))
        down = np.asarray(labs(theta.at[i].add(-step)))
        return (up - down) / (2 * step)

    for i, name in enumerate(GRADIENT_PARAMETERS):
        step = 1e-4 * float(theta[i])
        coarse, fine = central(i, step), central(i, step / 2)
        # Richardson's extrapolation of the two: truncation error O(step^4). What finite
        # differences cannot resolve is measured, not assumed: the two estimates' own spread
        # (rounding in the solve; it matters only for derivatives near zero, such as LH's
        # while testosterone suppresses it).
        fd = (4.0 * fine - coarse) / 3.0
        unresolved = np.abs(fine - coarse)
        scale = 1e-6 * np.abs(value) / abs(float(theta[i]))
        bad = np.abs(ad[:, i] - fd) > 1e-5 * (np.abs(fd) + scale) + unresolved
        assert not bad.any(), (
            f"{name}: AD {ad[bad, i]} vs FD {fd[bad]} (labs {np.flatnonzero(bad)})"
        )
