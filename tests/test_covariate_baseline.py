"""A healthy man whose scenario gives no baseline T: his untreated T, SHBG and E2 follow his
BMI and age through the model's mechanisms (issue #19, hpgsim.model.axis.covariate_baseline_t)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim import scenario_from_dict
from hpgsim.engine.inputs import Covariates, prepare, t_from_covariates
from hpgsim.model import axis
from hpgsim.model.axis import IDX, NG_DL_PER_NMOL_L_T


def _man(**patient: object) -> Any:
    return scenario_from_dict({"name": "m", "horizon": "30 d", "patient": patient})


def _untreated(**patient: object) -> dict[str, float]:
    """Untreated total T (ng/dL), SHBG (nmol/L), E2 (pmol/L) and LH (IU/L) of one man."""
    prep = prepare([_man(**patient)])
    y0 = np.asarray(prep.y0[0])
    p = {k: np.asarray(v[0]) for k, v in prep.params.items()}
    return {
        "T": float(y0[IDX["t_endo"]]) * NG_DL_PER_NMOL_L_T,
        "SHBG": float(y0[IDX["shbg"]]),
        "E2": float(y0[IDX["e2"]]),
        "LH": float(y0[IDX["lh"]]),
        "s_T": float(p["s_T"]),
        "drive0": float(p["drive0"]),
    }


def test_reference_man_is_unchanged() -> None:
    pop = axis.population_parameters()
    for age in (20.0, 30.0, 35.0):  # no Leydig attrition up to age_ref
        man = _untreated(age_years=age, bmi_kg_m2=25.0)
        assert man["T"] == pytest.approx(pop["T_ref"], rel=1e-9)
        assert man["LH"] == pytest.approx(pop["LH_ref"], rel=1e-9)
        assert man["SHBG"] == pytest.approx(pop["SHBG_ref"], rel=1e-12)


def test_higher_bmi_lowers_total_t_and_shbg_and_raises_e2_over_t() -> None:
    men = [_untreated(age_years=50.0, bmi_kg_m2=b) for b in (20.0, 25.0, 30.0, 35.0, 45.0)]
    t = [m["T"] for m in men]
    shbg = [m["SHBG"] for m in men]
    e2_over_t = [m["E2"] / m["T"] for m in men]
    assert np.all(np.diff(t) < 0)
    assert np.all(np.diff(shbg) < 0)
    assert np.all(np.diff(e2_over_t) > 0)
    # the man's testis and drive are the reference man's: only his covariates moved him
    assert np.ptp([m["drive0"] for m in men]) < 1e-12 * men[0]["drive0"]


def test_age_lowers_free_t_and_raises_lh_through_leydig_attrition() -> None:
    young, old = _untreated(age_years=40.0), _untreated(age_years=75.0)
    assert old["LH"] > young["LH"]  # testicular: LH rises as the Leydig cells are lost
    assert old["s_T"] < young["s_T"]
    assert old["SHBG"] > young["SHBG"]
    assert old["T"] < young["T"]


def test_own_baseline_t_is_unchanged() -> None:
    for patient in (
        {"baseline_total_testosterone_ng_dl": 400.0, "age_years": 60.0, "bmi_kg_m2": 35.0},
        {"condition": "primary_hypogonadism", "bmi_kg_m2": 35.0, "age_years": 60.0},
    ):
        assert not t_from_covariates(_man(**patient))
    man = _untreated(baseline_total_testosterone_ng_dl=400.0, age_years=60.0, bmi_kg_m2=35.0)
    assert man["T"] == pytest.approx(400.0, rel=1e-9)
    pop = axis.population_parameters()
    assert man["LH"] == pytest.approx(pop["LH_ref"], rel=1e-9)  # eugonadotropic, as before


def test_covariate_man_is_a_steady_state_and_differentiable() -> None:
    pop = axis.population_parameters()
    cov = Covariates.from_scenarios([_man(age_years=70.0, bmi_kg_m2=38.0)], pop)
    assert cov.t_from_covariates is not None and bool(cov.t_from_covariates[0])
    prep = prepare([_man(age_years=70.0, bmi_kg_m2=38.0)])
    p = {k: v[0] for k, v in prep.params.items()}
    dy = np.asarray(axis.rhs(prep.y0[0], p))
    scale = np.maximum(np.abs(np.asarray(prep.y0[0])), 1e-6)
    assert np.max(np.abs(dy) / scale) < 1e-9

    def tt(scale: Any) -> Any:
        own = axis.population_parameters({**pop, "arom_bmi_slope": pop["arom_bmi_slope"] * scale})
        t, _ = axis.covariate_baseline_t(
            {**own, "arom_factor": 1.0 + own["arom_bmi_slope"] * 13.0}, jnp.asarray(30.0), 70.0
        )
        return t

    g = float(jax.grad(tt)(1.0))
    h = 1e-5
    fd = (float(tt(1.0 + h)) - float(tt(1.0 - h))) / (2 * h)
    assert g < 0
    assert g == pytest.approx(fd, rel=1e-4)
