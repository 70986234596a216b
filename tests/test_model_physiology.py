"""Physiology of the model spec: steady states, phenotypes, feedback directions, mass balance."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim import scenario_from_dict, simulate
from hpgsim.engine.inputs import prepare
from hpgsim.model import axis
from hpgsim.model.parameters import CALIBRATED, CITATIONS, PARAMETERS


def _man(**patient: object) -> object:
    return scenario_from_dict({"name": "m", "horizon": "30 d", "patient": patient})


@pytest.mark.parametrize(
    "patient",
    [
        {},
        {"baseline_total_testosterone_ng_dl": 300, "age_years": 60, "bmi_kg_m2": 32},
        {"condition": "primary_hypogonadism"},
        {"condition": "secondary_hypogonadism", "baseline_total_testosterone_ng_dl": 180},
        {"condition": "congenital_hypogonadotropic_hypogonadism"},
        {"bmi_kg_m2": 40, "age_years": 75},
    ],
)
def test_initial_state_is_a_steady_state(patient: dict[str, object]) -> None:
    prep = prepare([_man(**patient)])
    p = {k: v[0] for k, v in prep.params.items()}
    dy = np.asarray(axis.rhs(prep.y0[0], p))
    scale = np.maximum(np.abs(np.asarray(prep.y0[0])), 1e-6)
    assert np.max(np.abs(dy) / scale) < 1e-9


def test_individualized_baseline_testosterone_is_reproduced() -> None:
    for t in (250.0, 400.0, 800.0):
        df = simulate(_man(baseline_total_testosterone_ng_dl=t))
        assert df.total_testosterone_ng_dl.iloc[0] == pytest.approx(t, rel=1e-9)
        assert df.total_testosterone_ng_dl.iloc[-1] == pytest.approx(t, rel=1e-6)


def test_conditions_have_their_gonadotropin_phenotype() -> None:
    ref = simulate(_man()).iloc[0]
    primary = simulate(_man(condition="primary_hypogonadism")).iloc[0]
    secondary = simulate(_man(condition="secondary_hypogonadism")).iloc[0]
    chh = simulate(_man(condition="congenital_hypogonadotropic_hypogonadism")).iloc[0]
    assert primary.total_testosterone_ng_dl < 264 and primary.lh_iu_l > 2 * ref.lh_iu_l
    assert secondary.total_testosterone_ng_dl < 264 and secondary.lh_iu_l < ref.lh_iu_l
    assert chh.total_testosterone_ng_dl == pytest.approx(77, rel=1e-6)
    assert chh.lh_iu_l < secondary.lh_iu_l < ref.lh_iu_l
    assert chh.intratesticular_testosterone_ng_ml < 0.2 * ref.intratesticular_testosterone_ng_ml


def test_obesity_lowers_shbg_and_total_t_and_raises_estradiol() -> None:
    lean = simulate(_man(bmi_kg_m2=22)).iloc[0]
    obese = simulate(_man(bmi_kg_m2=40)).iloc[0]
    assert obese.shbg_nmol_l < lean.shbg_nmol_l
    # No baseline T given: his T follows from his BMI (issue #19), lower when obese, and
    # his estradiol is higher both in itself and per unit T
    assert obese.total_testosterone_ng_dl < 0.7 * lean.total_testosterone_ng_dl
    assert obese.estradiol_pg_ml > lean.estradiol_pg_ml
    ratio = obese.estradiol_pg_ml / obese.total_testosterone_ng_dl
    assert ratio > 1.5 * lean.estradiol_pg_ml / lean.total_testosterone_ng_dl
    # Same total T by construction (own baseline): the obese man's E2 is higher
    lean_t = simulate(_man(bmi_kg_m2=22, baseline_total_testosterone_ng_dl=531)).iloc[0]
    obese_t = simulate(_man(bmi_kg_m2=40, baseline_total_testosterone_ng_dl=531)).iloc[0]
    assert obese_t.estradiol_pg_ml > 1.5 * lean_t.estradiol_pg_ml


def test_vermeulen_worked_example() -> None:
    # Vermeulen 1999 worked example: TT 10 nmol/L, SHBG 40 nmol/L, albumin 43 g/L -> FT 1.74%
    p = axis.population_parameters()
    ft = float(axis.free_testosterone(jnp.asarray(10.0), jnp.asarray(40.0), p))
    assert ft / 10.0 == pytest.approx(0.0174, abs=0.0006)


def test_trt_suppresses_the_axis_and_stopping_releases_it() -> None:
    sc = scenario_from_dict(
        {
            "name": "te",
            "horizon": "400 d",
            "regimen": [
                {
                    "drug": "testosterone_enanthate",
                    "dose": "200 mg",
                    "route": "intramuscular",
                    "every": "7 d",
                    "stop": "140 d",
                }
            ],
        }
    )
    df = simulate(sc).set_index("time_days")
    base = df.iloc[0]
    on = df.loc[133]  # trough before the 20th injection
    assert on.lh_iu_l < 0.2 * base.lh_iu_l
    assert on.fsh_iu_l < 0.2 * base.fsh_iu_l
    assert on.intratesticular_testosterone_ng_ml < 0.2 * base.intratesticular_testosterone_ng_ml
    assert on.sperm_concentration_m_per_ml < 3
    assert on.testicular_volume_ml < base.testicular_volume_ml
    assert on.total_testosterone_ng_dl > base.total_testosterone_ng_dl
    end = df.iloc[-1]
    assert end.lh_iu_l == pytest.approx(base.lh_iu_l, rel=0.1)
    assert end.sperm_concentration_m_per_ml > 0.8 * base.sperm_concentration_m_per_ml


def test_anastrozole_lowers_estradiol_and_raises_lh_and_t() -> None:
    sc = scenario_from_dict(
        {
            "name": "ai",
            "horizon": "42 d",
            "regimen": [{"drug": "anastrozole", "dose": "1 mg", "route": "oral", "every": "1 d"}],
        }
    )
    df = simulate(sc)
    first, last = df.iloc[0], df.iloc[-1]
    assert last.estradiol_pg_ml < 0.8 * first.estradiol_pg_ml
    assert last.lh_iu_l > first.lh_iu_l
    assert last.total_testosterone_ng_dl > first.total_testosterone_ng_dl


def _pk_state(**amounts: float) -> tuple[jax.Array, dict[str, object]]:
    prep = prepare([_man()])
    p = {k: v[0] for k, v in prep.params.items()}
    y = jnp.zeros(axis.N_STATES)
    for name, v in amounts.items():
        y = y.at[axis.IDX[name]].set(v)
    return y, p


@pytest.mark.parametrize("ester", ["cypionate", "enanthate", "undecanoate"])
def test_mass_balance_of_ester_depots(ester: str) -> None:
    """What leaves the depots arrives in serum: d(depots)/dt = -(input to serum) x V_T."""
    y, p = _pk_state(**{f"dep_{ester}_1": 1000.0, f"dep_{ester}_2": 300.0})
    dy = np.asarray(axis.rhs(y, p))
    i = axis.IDX
    into_depots = dy[i[f"dep_{ester}_1"]] + dy[i[f"dep_{ester}_2"]]
    # serum pool is empty, so its derivative is pure input (nmol/L/day) -> amount x V_T
    into_serum = dy[i[f"t_{ester}"]] * float(p["V_T"])
    assert into_serum > 0
    assert into_depots + into_serum == pytest.approx(0.0, abs=1e-9 * into_serum)


def test_mass_balance_of_gel_and_anastrozole() -> None:
    y, p = _pk_state(dep_gel=500.0, ana_gut=1.0)
    dy = np.asarray(axis.rhs(y, p))
    i = axis.IDX
    assert dy[i["dep_gel"]] + dy[i["t_gel"]] * float(p["V_T"]) == pytest.approx(0, abs=1e-9)
    # mg leaving the gut arrive as ng/mL x V (L) / 1000
    arrived = dy[i["ana"]] * float(p["V_ana"]) / 1000.0
    assert dy[i["ana_gut"]] + arrived == pytest.approx(0, abs=1e-12)


def test_every_parameter_has_unit_and_source_or_calibration_target() -> None:
    for prm in PARAMETERS:
        assert prm.unit, prm.name
        assert prm.source, prm.name
        if prm.source == "calibrated":
            assert prm.calibrated_to, prm.name
            assert prm.name in CALIBRATED, f"{prm.name} missing from calibrated.json"
            assert prm.value == CALIBRATED[prm.name]
    assert set(CALIBRATED) == {p.name for p in PARAMETERS if p.calibrated_to}
    assert "Tornoe2007" in CITATIONS


@pytest.mark.parametrize(
    "patient",
    [
        {"age_years": 60, "bmi_kg_m2": 32, "baseline_total_testosterone_ng_dl": 380},
        {"age_years": 25, "bmi_kg_m2": 21, "baseline_total_testosterone_ng_dl": 650},
        {"age_years": 45, "bmi_kg_m2": 28, "baseline_total_testosterone_ng_dl": 500},
    ],
)
def test_untreated_men_away_from_the_reference_stay_in_reference_ranges(
    patient: dict[str, object],
) -> None:
    """Ranges: LH 1.6-10, FSH 1.9-16.3 IU/L, SHBG 11.5-66.3 nmol/L, free T 0.16-0.52 nmol/L
    (46-150 pg/mL) (doi 10.1515/cclm-2017-0749); E2 65.4-207.7 pmol/L (17.8-56.6 pg/mL,
    PMID 22582502)."""
    d = simulate(_man(**patient)).iloc[-1]
    assert 1.6 <= d.lh_iu_l <= 10.0
    assert 1.9 <= d.fsh_iu_l <= 16.3
    assert 11.5 <= d.shbg_nmol_l <= 66.3
    assert 46.0 <= d.free_testosterone_pg_ml <= 150.0
    assert 17.8 <= d.estradiol_pg_ml <= 56.6


@pytest.mark.parametrize("sex", ["male", "female"])
def test_every_catalog_drug_is_wired_into_the_model(sex: str) -> None:
    """Every drug of each patient's model (the man's axis, the woman's) is wired into that
    model's states and columns."""
    from hpgsim.model import woman
    from hpgsim.model.drugs import CATALOG, WIRING, sexes_of

    model = woman if sex == "female" else axis
    assert set(WIRING) == set(CATALOG)
    params = axis.population_parameters()
    for w in (w for w in WIRING.values() if sex in sexes_of(w.name)):
        for route in CATALOG[w.name].routes:
            for state, fraction in w.targets(route):
                assert state in model.LAYOUT.index
                assert fraction is None or fraction in params
        split = [params[f] for _, f in w.doses_to if f is not None]
        assert not split or abs(sum(split) - 1.0) < 1e-12  # a split dose is conserved
        assert set(w.output_columns) <= set(model.OUTPUT_COLUMNS)
        assert set(w.route_bioavailability) <= set(CATALOG[w.name].routes)
        assert set(w.route_doses_to) <= set(CATALOG[w.name].routes)
        assert w.depot_unit in ("nmol_testosterone", "mg", "ug", "IU")
        assert (w.infusion_state is not None) == CATALOG[w.name].infusion


def test_obese_man_on_clomiphene_after_trt_stays_finite_and_bounded() -> None:
    """Regression: with an estradiol-dominated feedback, a healthy BMI-46 man needed a drive
    364x the reference to stay eugonadotropic, and clomiphene after TRT blew the fixed-step
    solve up (found by the clinical layer). Every BMI the scenario allows must solve."""
    from hpgsim import simulate_many

    def man(bmi: float) -> Any:
        return scenario_from_dict(
            {
                "name": f"bmi-{bmi:g}",
                "horizon": "1000 d",
                "patient": {"bmi_kg_m2": bmi},
                "regimen": [
                    {
                        "drug": "testosterone_cypionate",
                        "dose": "200 mg",
                        "route": "intramuscular",
                        "every": "7 d",
                        "stop": "728 d",
                    },
                    {
                        "drug": "clomiphene_citrate",
                        "dose": "25 mg",
                        "route": "oral",
                        "every": "1 d",
                        "start": "728 d",
                        "stop": "910 d",
                    },
                ],
            }
        )

    for df in simulate_many([man(b) for b in (15, 46, 70)]):
        assert np.isfinite(df.to_numpy()).all()
        assert df.lh_iu_l.max() < 100.0 and df.fsh_iu_l.max() < 200.0
