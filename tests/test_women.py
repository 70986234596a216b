"""The post-menopausal woman (issue #20, step 1): her scenario fields, her model's steady state
and mass balance, her engine against the reference tolerance, her flags, her command line."""

from __future__ import annotations

import json
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.clinical.flags import evaluate_flags
from hpgsim.engine.simulation import simulate, solve
from hpgsim.engine.woman import woman_parameters
from hpgsim.measure.reference_ranges import (
    FEMALE_REFERENCE_RANGES,
    LCMS_E2_DETECTION_LIMIT_PG_ML,
    reference_ranges,
)
from hpgsim.model import woman
from hpgsim.model.axis import free_testosterone, t_clearance
from hpgsim.model.drugs import CATALOG, families_for, sexes_of
from hpgsim.scenario import ScenarioError, scenario_from_dict
from hpgsim.units import T_NG_DL_PER_NMOL_L, T_NG_ML_PER_NMOL_L

WOMEN = Path(__file__).resolve().parents[1] / "examples" / "women"
runner = CliRunner()


def _woman(regimen: list[dict[str, str]], horizon: str = "28 d", every: str = "1 h", **pt):
    return scenario_from_dict(
        {
            "name": "w",
            "horizon": horizon,
            "output_every": every,
            "allow_supratherapeutic": True,
            "patient": {"sex": "female", "menopausal_status": "post", **pt},
            "regimen": regimen,
        }
    )


# --- scenario ---------------------------------------------------------------------------------


def test_a_woman_needs_a_menopausal_status_and_a_man_has_none() -> None:
    with pytest.raises(ScenarioError, match="needs `menopausal_status`"):
        scenario_from_dict({"horizon": "1 d", "patient": {"sex": "female"}})
    with pytest.raises(ScenarioError, match="menopausal status is a woman's"):
        scenario_from_dict({"horizon": "1 d", "patient": {"menopausal_status": "post"}})
    with pytest.raises(ScenarioError, match="sex"):
        scenario_from_dict({"horizon": "1 d", "patient": {"sex": "other"}})


@pytest.mark.parametrize("status", ["pre", "peri"])
def test_a_cycling_woman_is_refused_naming_the_missing_cycle_model(status: str) -> None:
    with pytest.raises(ScenarioError, match="GynCycle") as caught:
        scenario_from_dict(
            {"horizon": "1 d", "patient": {"sex": "female", "menopausal_status": status}}
        )
    assert "allowed today: 'post'" in str(caught.value)


@pytest.mark.parametrize(
    "field,value",
    [
        ("baseline_sperm_concentration_m_per_ml", 50),
        ("testicular_volume_ml", 20),
        ("baseline_total_testosterone_ng_dl", 300),
        ("fasting_insulin_uU_ml", 10),
        ("condition", "primary_hypogonadism"),
    ],
)
def test_the_mans_fields_are_refused_for_a_woman(field: str, value: object) -> None:
    with pytest.raises(ScenarioError, match=field):
        scenario_from_dict(
            {
                "horizon": "1 d",
                "patient": {"sex": "female", "menopausal_status": "post", field: value},
            }
        )


def test_each_patient_gets_only_the_drugs_of_its_model() -> None:
    assert sexes_of("progesterone") == ("female",)
    assert "female" in sexes_of("testosterone_cypionate")
    assert "female" not in sexes_of("clomiphene_citrate")
    line = {"drug": "Prometrium", "dose": "100 mg", "route": "oral", "every": "1 d"}
    with pytest.raises(ScenarioError, match=r"progesterone.*female patient only"):
        scenario_from_dict({"horizon": "7 d", "regimen": [line]})
    clomid = {"drug": "clomiphene_citrate", "dose": "25 mg", "route": "oral", "every": "1 d"}
    with pytest.raises(ScenarioError, match="not in a female one"):
        _woman([clomid])
    for drug in woman.DRUGS:  # every drug of her model is accepted for her
        assert "female" in sexes_of(drug)
    assert set(woman.DRUGS) == {s.name for f in families_for("female") for s in f.specs}


def test_a_womans_scenario_reads_back_the_same_and_units_are_echoed_in_mg() -> None:
    sc = _woman(
        [
            {
                "drug": "testosterone_cypionate",
                "dose": "15 units",
                "concentration": "200 mg/mL",
                "route": "SC",
                "every": "7 d",
            }
        ]
    )
    assert sc.regimen[0].dose == pytest.approx(30.0)  # 0.15 mL of 200 mg/mL
    assert "30 mg" in (sc.regimen[0].read_as() or "")
    data = sc.to_input_dict()
    assert "testicular_volume_ml" not in data["patient"]
    assert sc.patient.age_years == 60.0  # a woman's default age, not the man's 35
    back = scenario_from_dict(data)
    assert back == sc
    assert hash(back.regimen[0]) == hash(sc.regimen[0])  # equal lines hash alike


# --- model ------------------------------------------------------------------------------------


def test_the_untreated_woman_is_at_steady_state_at_her_reference_values() -> None:
    p = woman.patient_parameters(None, age=60.0, bmi=25.0)
    y0 = woman.steady_state(p)
    np.testing.assert_allclose(np.asarray(woman.rhs(y0, p)), 0.0, atol=1e-9)
    out = woman.readouts(y0, p)
    assert float(out["total_testosterone_ng_dl"]) == pytest.approx(
        p["W_T_ref"] * T_NG_DL_PER_NMOL_L, rel=1e-9
    )
    assert float(out["shbg_nmol_l"]) == pytest.approx(p["W_SHBG_ref"])
    assert float(out["estradiol_pg_ml"]) == pytest.approx(5.0, rel=1e-9)
    assert float(out["progesterone_ng_ml"]) == pytest.approx(p["W_P4_own"])
    # free T by the man's Vermeulen law at her T and SHBG: about 1.7 pg/mL, within the
    # premenopausal range's lower half (1.2-6.4 pg/mL)
    ft = float(out["free_testosterone_pg_ml"])
    assert ft == pytest.approx(float(free_testosterone(p["W_T_ref"], 41.6, p)) * p["mw_T"])
    assert 1.2 <= ft <= 6.4


def test_adiposity_lowers_her_shbg_and_testosterone_and_raises_her_estradiol() -> None:
    lean, obese = (
        woman.readouts(woman.steady_state(p), p)
        for p in (woman.patient_parameters(None, age=60.0, bmi=b) for b in (21.0, 35.0))
    )
    assert float(obese["shbg_nmol_l"]) < float(lean["shbg_nmol_l"])
    assert float(obese["total_testosterone_ng_dl"]) < float(lean["total_testosterone_ng_dl"])
    assert float(obese["estradiol_pg_ml"]) > float(lean["estradiol_pg_ml"])


def test_her_shbg_law_is_flat_across_the_female_range_and_falls_towards_a_mans() -> None:
    p = woman.patient_parameters(None, age=60.0, bmi=25.0)
    own = woman.shbg_androgen_effect(p["FT_own"], p)
    assert float(own) == pytest.approx(1.0)
    assert float(woman.shbg_androgen_effect(3.0 * p["FT_own"], p)) > 0.99
    at_man = float(woman.shbg_androgen_effect(p["FT_ref"], p))
    above_man = float(woman.shbg_androgen_effect(3.0 * p["FT_ref"], p))
    assert above_man < at_man < 1.0


def test_injected_testosterone_is_all_cleared_once_its_depot_is_empty() -> None:
    """Mass balance: what the enanthate depot delivers (F x dose, nmol) leaves as the clearance
    of the product's serum pool, integrated over time at the woman's binding."""
    mg = 25.0
    sc = _woman(
        [{"drug": "testosterone_enanthate", "dose": f"{mg:g} mg", "route": "intramuscular"}],
        horizon="150 d",
        every="1 h",
    )
    d = simulate(sc)
    p = woman_parameters(sc)
    tt = d.total_testosterone_ng_dl.to_numpy() / T_NG_DL_PER_NMOL_L
    product = d.testosterone_enanthate_ng_ml.to_numpy() / T_NG_ML_PER_NMOL_L
    cl = np.asarray(t_clearance(jnp.asarray(tt), jnp.asarray(d.shbg_nmol_l.to_numpy()), p))
    cleared = float(np.trapezoid(cl * product, d.time_days.to_numpy()))
    given = mg * p["frac_T_enanthate"] * 1e6 / p["mw_T"]
    assert cleared == pytest.approx(given, rel=2e-3)


def test_oral_progesterone_auc_is_dose_over_apparent_clearance() -> None:
    sc = _woman([{"drug": "progesterone", "dose": "200 mg", "route": "oral"}], "2 d", "2.5 min")
    d = simulate(sc)
    p = woman_parameters(sc)
    above = d.progesterone_ng_ml.to_numpy() - p["W_P4_own"]
    auc = float(np.trapezoid(above, d.time_days.to_numpy()))  # ng*day/mL
    assert auc == pytest.approx(200.0 * 1000.0 / (p["V_p4"] * p["ke_p4"]), rel=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(WOMEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_her_engine_agrees_with_the_reference_tolerance(path: Path) -> None:
    from hpgsim import load_scenario
    from hpgsim.bench import column_errors

    sc = load_scenario(path)
    a, b = simulate(sc), simulate(sc, engine="reference")
    assert list(a.columns) == list(b.columns)
    errors = column_errors(a, b)
    assert max(errors.values()) < 1e-4, errors


def test_her_table_has_her_columns_and_only_her_drugs() -> None:
    sol = solve(_woman([{"drug": "anastrozole", "dose": "1 mg", "route": "oral", "every": "1 d"}]))
    assert sol.columns == (*woman.HORMONE_COLUMNS, "anastrozole_ng_ml")
    assert np.all(np.isfinite(sol.to_frame().to_numpy()))


# --- flags, ranges, plots, command line -------------------------------------------------------


def test_the_seed_protocol_fires_the_female_range_flag_with_its_numbers() -> None:
    from hpgsim import load_scenario

    sc = load_scenario(WOMEN / "tc_sc_15_units_weekly_with_progesterone.yaml")
    table = simulate(sc)
    flag = {f.id: f for f in evaluate_flags(sc, table)}["testosterone_above_female_range"]
    high = FEMALE_REFERENCE_RANGES["total_testosterone_ng_dl"].high
    mean = flag.values["testosterone_mean_ng_dl"]
    assert flag.fired == (mean > high or flag.values["testosterone_peak_ng_dl"] > high)
    assert flag.fired and mean > 3 * high  # 30 mg weekly is several times the female range
    assert flag.article and "10 ∞ 20 units" in flag.article[0]


def test_the_aromatase_inhibitor_flag_reads_her_estradiol_against_the_lcms_floor() -> None:
    sc = _woman(
        [{"drug": "letrozole", "dose": "2.5 mg", "route": "oral", "every": "1 d"}], "42 d", "1 d"
    )
    table = simulate(sc)
    flag = {f.id: f for f in evaluate_flags(sc, table)}[
        "estradiol_below_postmenopausal_range_on_aromatase_inhibitor"
    ]
    assert flag.evaluable
    floor = LCMS_E2_DETECTION_LIMIT_PG_ML
    assert flag.fired == (float(table.estradiol_pg_ml.iloc[1:].min()) < floor)
    untreated = evaluate_flags(_woman([]), simulate(_woman([])))
    assert not any(f.evaluable for f in untreated)


def test_female_ranges_name_their_population_and_source() -> None:
    assert reference_ranges("female") is FEMALE_REFERENCE_RANGES
    for col, r in FEMALE_REFERENCE_RANGES.items():
        assert col in woman.HORMONE_COLUMNS
        assert r.low < r.high and r.source and "women" in r.population


def test_simulate_writes_her_table_plot_and_flags(tmp_path: Path) -> None:
    out, fig, events = tmp_path / "w.csv", tmp_path / "w.png", tmp_path / "w.json"
    path = WOMEN / "tc_sc_15_units_weekly_with_progesterone.yaml"
    args = ["simulate", str(path), "--out", str(out), "--plot", str(fig), "--events", str(events)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "flag testosterone_above_female_range" in res.output
    assert fig.stat().st_size > 10_000
    ids = [f["id"] for f in json.loads(events.read_text())["flags"]]
    assert "testosterone_above_female_range" in ids


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{path}", "--out", "{tmp}/r", "--band", "10"],
        ["trial", "{path}", "--n", "2", "--out", "{tmp}/t"],
        ["simulate", "{path}", "--out", "{tmp}/s.csv", "--plot", "{tmp}/s.png", "--band", "10"],
        ["simulate", "{path}", "--out", "{tmp}/s.csv", "--protocol", "stop_cold"],
        ["plan", "{path}"],
        ["compare", "{path}", "{man}", "--out", "{tmp}/c"],
        ["compare", "{path}", "--library", "--out", "{tmp}/c"],
    ],
    ids=["report", "trial", "band", "protocol", "plan", "compare-with-a-man", "compare-library"],
)
def test_the_mans_commands_refuse_a_woman_with_a_clear_error(args: list[str], tmp_path: Path):
    path = WOMEN / "untreated_postmenopausal.yaml"
    man = WOMEN.parent / "untreated_healthy.yaml"
    res = runner.invoke(app, [a.format(path=path, tmp=tmp_path, man=man) for a in args])
    assert res.exit_code == 2, res.output
    assert ("woman's" in res.output or "women's" in res.output) and "Traceback" not in res.output
    assert not any(tmp_path.iterdir())  # no partial output


def test_every_catalog_drug_has_a_model() -> None:
    assert all(sexes_of(d) for d in CATALOG)


def test_her_report_shows_her_flags_ranges_and_only_the_womens_gaps(tmp_path: Path) -> None:
    path = WOMEN / "testosterone_cream_5mg_daily.yaml"
    res = runner.invoke(app, ["report", str(path), "--out", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "One simulated post-menopausal woman" in page
    assert "testosterone_above_female_range" in page and "premenopausal women" in page
    assert "not a medical device" in page and "sperm" not in page.lower()
    assert "heldout_fooladi2015_cream_women" in page  # a women's study of her drug, a gap
    assert "heldout_finkelstein2013_gel_on_agonist" not in page  # a man's gel study
    assert "W_T_ref" in page and "k_ssc_renew" not in page  # her parameters, not the man's


def test_a_mans_report_lists_only_the_mens_known_gaps() -> None:
    from hpgsim.evidence.registry import known_gaps_for

    men = {n.study for n in known_gaps_for(["testosterone_enanthate"])}
    women = {n.study for n in known_gaps_for(["testosterone_enanthate"], "female")}
    assert "heldout_huang2014_te_women" in women and "heldout_huang2014_te_women" not in men
    assert men and not men & women


def test_compare_sets_her_regimens_side_by_side_against_the_female_range(tmp_path: Path) -> None:
    paths = [
        WOMEN / "tc_sc_15_units_weekly_with_progesterone.yaml",
        WOMEN / "testosterone_cream_5mg_daily.yaml",
        WOMEN / "untreated_postmenopausal.yaml",
    ]
    res = runner.invoke(app, ["compare", *map(str, paths), "--out", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    import pandas as pd

    table = pd.read_csv(tmp_path / "c" / "comparison.csv").set_index("protocol")
    high = FEMALE_REFERENCE_RANGES["total_testosterone_ng_dl"].high
    ratio = table[f"testosterone_mean_over_{high:g}_ng_dl"]
    np.testing.assert_allclose(ratio, table["testosterone_mean_ng_dl"] / high, rtol=1e-3)
    seed, cream, none = table.index
    assert ratio[seed] > ratio[cream] > 1.0 > ratio[none]
    assert "testosterone_above_female_range" in str(table.loc[seed, "flags_fired"])
    assert (tmp_path / "c" / "comparison.png").stat().st_size > 10_000


def test_her_untreated_testosterone_is_differentiable_through_its_root() -> None:
    """The reference woman's T is W_T_ref by construction, so d(T)/d(W_T_ref) is 1, and at a
    higher BMI it is positive and finite: the root carries its implicit-function gradient."""
    import jax

    def t_own(w_t_ref: jax.Array, bmi: float) -> jax.Array:
        return woman.patient_parameters({"W_T_ref": w_t_ref}, age=60.0, bmi=bmi)["T_own"]

    assert float(jax.grad(t_own)(jnp.asarray(0.38), 25.0)) == pytest.approx(1.0, rel=1e-6)
    g = float(jax.grad(t_own)(jnp.asarray(0.38), 35.0))
    assert 0.0 < g < 2.0
