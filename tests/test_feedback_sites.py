"""The two feedback sites (issue #19): a bounded androgen Emax on the hypothalamic drive, and
estradiol at the hypothalamus and the pituitary with a gain each; no androgen term at the
pituitary (Pitteloud 2008: in GnRH-deficient men on a pump, T added back with aromatization
blocked did not lower LH)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim.engine.precision import enable_x64
from hpgsim.model import axis
from hpgsim.model.conditions import Condition

enable_x64()


def test_androgen_feedback_is_a_bounded_emax() -> None:
    p = axis.population_parameters()
    x = jnp.asarray([0.0, 0.5, 1.0, 2.0, 5.0, 1e6])
    a = np.asarray(axis.androgen_feedback(x, p))
    assert a[2] == pytest.approx(1.0, rel=1e-12)  # 1 at the reference free T
    assert np.all(np.diff(a) < 0)  # more androgen, less drive
    h1 = float(axis.hill(1.0, p["fb_T_K"], p["fb_T_hill"]))
    a0 = 1.0 / (1.0 - p["fb_T_imax"] * h1)
    assert a[0] == pytest.approx(a0, rel=1e-12)  # androgen removed
    floor = (1.0 - p["fb_T_imax"]) * a0  # however high free T goes
    assert a[-1] > floor and a[-1] == pytest.approx(floor, rel=1e-6)


def test_the_former_disinhibition_is_the_case_imax_one() -> None:
    """(1 + g) / (1 + g x^n) is the bounded Emax with Imax = 1 and K = g^(-1/n)."""
    g, n = 7.3, 1.6
    p = {**axis.population_parameters(), "fb_T_imax": 1.0, "fb_T_K": g ** (-1.0 / n)}
    p["fb_T_hill"] = n
    x = jnp.linspace(0.0, 4.0, 9)
    np.testing.assert_allclose(
        np.asarray(axis.androgen_feedback(x, p)), (1 + g) / (1 + g * np.asarray(x) ** n), rtol=1e-12
    )


def _man_on_a_fixed_pump() -> tuple[jnp.ndarray, dict]:
    """A GnRH-deficient man (no endogenous drive) whose pituitary sees a fixed gonadorelin
    level: the state vector and parameters."""
    pop = axis.population_parameters()
    p, b = axis.patient_parameters(
        pop,
        baseline_t_ng_dl=jnp.asarray(150.0),
        condition_code=jnp.asarray(int(Condition.CONGENITAL_HYPOGONADOTROPIC_HYPOGONADISM)),
        bmi=jnp.asarray(25.0),
        age=jnp.asarray(30.0),
        testis_volume=jnp.asarray(20.0),
    )
    y = axis.steady_state(p, b)
    p = {**p, "drive0": jnp.asarray(0.0)}
    y = y.at[axis.IDX["gnrh"]].set(0.5)  # ug of plasma gonadorelin: the pump's level
    return y, p


def test_the_pituitary_has_an_estrogen_term_and_no_androgen_term() -> None:
    y, p = _man_on_a_fixed_pump()
    pool = axis.IDX["lh_pool"]

    def lh_synthesis(androgen: float, estrogen: float) -> float:
        """d(pool)/dt = synthesis - release; release does not depend on the feedback states
        when the drive is the pump's alone, so the derivative moves with synthesis only."""
        yy = y.at[axis.IDX["androgen_fb"]].set(androgen).at[axis.IDX["estrogen_fb"]].set(estrogen)
        return float(axis.rhs(yy, p)[pool])

    base = lh_synthesis(1.0, 1.0)
    # androgen at the pituitary: none (free T x4 or x0 changes nothing at a fixed GnRH level)
    assert lh_synthesis(4.0, 1.0) == pytest.approx(base, rel=1e-12)
    assert lh_synthesis(0.0, 1.0) == pytest.approx(base, rel=1e-12)
    # estradiol at the pituitary: more ER signal, less synthesis; none, more
    assert lh_synthesis(1.0, 3.0) < base
    assert lh_synthesis(1.0, 0.0) > base


def test_estradiol_acts_at_both_sites_with_its_own_gain() -> None:
    p = axis.population_parameters()
    occ = axis.er_occupancy(jnp.asarray(0.0), p)
    assert float(occ) == 0.0
    hyp = float(axis.estrogen_feedback(occ, p["fb_E_hyp_gain"]))
    pit = float(axis.estrogen_feedback(occ, p["fb_E_pit_gain"]))
    assert hyp == pytest.approx(1.0 + p["fb_E_hyp_gain"])
    assert pit == pytest.approx(1.0 + p["fb_E_pit_gain"])
    one = axis.er_occupancy(jnp.asarray(1.0), p)
    assert float(one) == pytest.approx(1.0)
    assert float(axis.estrogen_feedback(one, p["fb_E_hyp_gain"])) == pytest.approx(1.0)
