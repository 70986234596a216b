"""The clinical layer (issue #7): protocol library, compare, monitoring plan, flags, metabolic
factors, and their commands. Each flag has a scenario that fires it and one that does not;
the assertions are about behaviour and the model's direction, not numbers copied from a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.clinical.compare import compare
from hpgsim.clinical.flags import ARTICLE, Flag, evaluate_flags
from hpgsim.clinical.plan import monitoring_plan
from hpgsim.clinical.protocols import (
    TrtHistory,
    load_protocol,
    protocol_names,
    protocol_scenario,
    with_bmi,
)
from hpgsim.clinical.thresholds import THRESHOLDS
from hpgsim.engine import simulation as api
from hpgsim.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed"
runner = CliRunner()

REQUIRED = {
    "stop_cold",
    "taper_then_stop",
    "clomiphene",
    "tamoxifen",
    "gonadorelin_twice_weekly",
    "clomiphene_plus_gonadorelin",
    "serm_plus_anastrozole",
    "hcg_recovery",
    "hcg_plus_clomiphene",
}
TC = {
    "drug": "testosterone_cypionate",
    "dose": "200 mg",
    "route": "intramuscular",
    "every": "7 d",
    "start": "0 d",
}


def _tc(stop: float) -> dict[str, Any]:
    return {**TC, "stop": f"{stop} d"}


def _daily(drug: str, dose: str, start: float, stop: float) -> dict[str, Any]:
    return {
        "drug": drug,
        "dose": dose,
        "route": "oral",
        "every": "1 d",
        "start": f"{start} d",
        "stop": f"{stop} d",
    }


# ------------------------------------------------------------------- scenarios (simulated once)
FLAG_CASES: dict[str, dict[str, Any]] = {
    # estradiol high relative to T on a SERM: a man with BMI 48 (aromatase doubled and more)
    "serm_fires": {
        "horizon": "120 d",
        "patient": {"bmi_kg_m2": 48},
        "regimen": [_daily("tamoxifen", "20 mg", 0, 120)],
    },
    "serm_quiet": {"horizon": "120 d", "regimen": [_daily("clomiphene_citrate", "25 mg", 0, 120)]},
    # anastrozole 1 mg daily in an older man vs 0.5 mg twice weekly on TRT
    "floor_fires": {
        "horizon": "42 d",
        "patient": {"age_years": 68, "bmi_kg_m2": 29, "baseline_total_testosterone_ng_dl": 343},
        "regimen": [_daily("anastrozole", "1 mg", 0, 42)],
    },
    "floor_quiet": {
        "horizon": "120 d",
        "regimen": [
            _tc(112),
            {
                "drug": "anastrozole",
                "dose": "0.5 mg",
                "route": "oral",
                "every": "3.5 d",
                "stop": "112 d",
            },
        ],
    },
    # continuous gonadorelin infusion vs a 90-min pump, hourly output
    "gnrh_fires": {
        "horizon": "3 d",
        "output_every": "1 h",
        "allow_supratherapeutic": True,
        "regimen": [
            {"drug": "gonadorelin", "rate": "60 ug/h", "route": "intravenous", "stop": "2 d"}
        ],
    },
    "gnrh_quiet": {
        "horizon": "3 d",
        "output_every": "1 h",
        "patient": {
            "condition": "congenital_hypogonadotropic_hypogonadism",
            "testicular_volume_ml": 4,
        },
        "regimen": [
            {"drug": "gonadorelin", "dose": "5 ug", "route": "subcutaneous", "every": "90 min"}
        ],
    },
    # testosterone still low 6 months after one year of TRT: a man with secondary
    # hypogonadism (baseline 250 ng/dL) vs a healthy man
    "persistent_fires": {
        "horizon": "600 d",
        "patient": {
            "condition": "secondary_hypogonadism",
            "baseline_total_testosterone_ng_dl": 250,
        },
        "regimen": [_tc(364)],
    },
    "persistent_quiet": {"horizon": "600 d", "regimen": [_tc(364)]},
    # azoospermia after 6 months of clomiphene: 10 years of TRT in a 60-year-old with primary
    # testicular dysfunction and small testes, vs a typical man after one year
    "azoo_fires": {
        "horizon": "3850 d",
        "patient": {
            "age_years": 60,
            "testicular_volume_ml": 8,
            "baseline_sperm_concentration_m_per_ml": 3,
            "condition": "primary_hypogonadism",
            "baseline_total_testosterone_ng_dl": 250,
        },
        "regimen": [_tc(3640), _daily("clomiphene_citrate", "25 mg", 3640, 3850)],
    },
    "azoo_quiet": {
        "horizon": "600 d",
        "regimen": [_tc(364), _daily("clomiphene_citrate", "25 mg", 364, 600)],
    },
    # supraphysiological: TC 200 mg weekly vs testosterone gel 50 mg daily
    "supra_fires": {"horizon": "60 d", "regimen": [_tc(60)]},
    "supra_quiet": {
        "horizon": "60 d",
        "regimen": [
            {"drug": "testosterone_gel", "dose": "50 mg", "route": "transdermal", "every": "1 d"}
        ],
    },
}


@pytest.fixture(scope="module")
def flag_results() -> dict[str, dict[str, Flag]]:
    scenarios = {k: scenario_from_dict({"name": k, **v}) for k, v in FLAG_CASES.items()}
    tables = dict(zip(scenarios, api.simulate_many(list(scenarios.values())), strict=True))
    return {k: {f.id: f for f in evaluate_flags(sc, tables[k])} for k, sc in scenarios.items()}


@pytest.mark.parametrize(
    ("flag_id", "case"),
    [
        ("estradiol_high_on_serm", "serm"),
        ("estradiol_below_floor_on_anastrozole", "floor"),
        ("continuous_gnrh_exposure", "gnrh"),
        ("persistent_hpg_suppression", "persistent"),
        ("azoospermia_after_stimulation", "azoo"),
        ("supraphysiological_on_therapy", "supra"),
    ],
)
@pytest.mark.slow
def test_each_flag_fires_on_one_scenario_and_not_on_another(
    flag_results: dict[str, dict[str, Flag]], flag_id: str, case: str
) -> None:
    fired = flag_results[f"{case}_fires"][flag_id]
    quiet = flag_results[f"{case}_quiet"][flag_id]
    assert fired.fired and fired.evaluable, fired.wording
    assert quiet.evaluable and not quiet.fired, quiet.wording
    for f in (fired, quiet):
        # each flag carries its trigger, its values, the article or publication, the wording
        assert f.trigger and f.values and f.wording
        assert f.article and f.publication
        assert "the simulation" in f.wording.lower() or "simulated" in f.wording.lower()
        json.dumps(f.to_dict())  # serializable for plan --out


@pytest.mark.slow
def test_flag_values_are_the_ones_that_met_the_trigger(
    flag_results: dict[str, dict[str, Flag]],
) -> None:
    th = {k: v.value for k, v in THRESHOLDS.items()}
    v = flag_results["serm_fires"]["estradiol_high_on_serm"].values
    assert v["t_to_e2_ratio"] < th["t_to_e2_ratio_min"]
    assert v["t_to_e2_ratio"] == pytest.approx(
        v["total_testosterone_ng_dl"] / v["estradiol_pg_ml"], rel=1e-2
    )
    v = flag_results["floor_fires"]["estradiol_below_floor_on_anastrozole"].values
    assert v["estradiol_pg_ml"] < th["estradiol_floor_pg_ml"]
    assert v["days_below_floor_on_anastrozole"] > 0
    v = flag_results["gnrh_fires"]["continuous_gnrh_exposure"].values
    assert v["infusion_hours"] >= th["gnrh_continuous_hours"]
    assert (
        flag_results["gnrh_quiet"]["continuous_gnrh_exposure"].values["bolus_trough_to_peak"]
        < (th["gnrh_trough_to_peak_min"])
    )
    v = flag_results["persistent_fires"]["persistent_hpg_suppression"].values
    assert v["total_testosterone_ng_dl"] < th["testosterone_low_ng_dl"]
    assert v["day"] == pytest.approx(364 + 6 * 365.25 / 12, abs=1.0)
    v = flag_results["azoo_fires"]["azoospermia_after_stimulation"].values
    assert v["sperm_concentration_m_per_ml"] < th["azoospermia_m_per_ml"]
    assert v["stimulation_start_day"] == pytest.approx(3640)
    v = flag_results["supra_fires"]["supraphysiological_on_therapy"].values
    assert v["testosterone_max_ng_dl"] > th["testosterone_high_ng_dl"]
    assert v["days_testosterone_above"] > 0
    # the persistent-suppression wording says the low value is partly his own baseline
    assert "pre-existing" in flag_results["persistent_fires"]["persistent_hpg_suppression"].wording


@pytest.mark.slow
def test_rules_that_do_not_apply_say_so(flag_results: dict[str, dict[str, Flag]]) -> None:
    gel = flag_results["supra_quiet"]
    for rid in (
        "estradiol_high_on_serm",
        "estradiol_below_floor_on_anastrozole",
        "continuous_gnrh_exposure",
        "azoospermia_after_stimulation",
    ):
        assert not gel[rid].fired and not gel[rid].evaluable


@pytest.mark.slow
def test_thresholds_move_the_rule_not_the_code(flag_results: dict[str, dict[str, Flag]]) -> None:
    sc = scenario_from_dict({"name": "q", **FLAG_CASES["serm_quiet"]})
    tab = api.simulate(sc)
    strict = dict(THRESHOLDS)
    strict["t_to_e2_ratio_min"] = THRESHOLDS["t_to_e2_ratio_min"].__class__(
        **{**vars(THRESHOLDS["t_to_e2_ratio_min"]), "value": 100.0}
    )
    fired = {f.id for f in evaluate_flags(sc, tab, thresholds=strict) if f.fired}
    assert "estradiol_high_on_serm" in fired


def test_thresholds_are_sourced_or_marked_as_assumptions() -> None:
    for t in THRESHOLDS.values():
        assert t.unit and t.meaning and len(t.source) > 20, t.name
        if not t.assumption:
            assert any(x in t.source for x in ("PMID", "doi", "article", "hpgsim", "WHO")), t.name
        else:
            assert "assumption" in t.source.lower(), t.name


@pytest.mark.skipif(not SEED.is_dir(), reason="the source article is not in this checkout")
def test_article_sentences_are_quoted_verbatim() -> None:
    article = " ".join(p.read_text(encoding="utf-8") for p in SEED.glob("*.txt"))
    for quote in ARTICLE.values():
        assert quote in article, quote
    for name in protocol_names():
        p = load_protocol(name)
        if p.article is not None:
            assert p.article in article, name
        else:
            assert p.article_note, name


# ------------------------------------------------------------------- protocol library
def test_library_holds_the_article_protocols() -> None:
    assert set(protocol_names()) >= REQUIRED
    for name in protocol_names():
        p = load_protocol(name)
        assert p.name == name and p.title and p.description and p.sources
        sc, day0 = protocol_scenario(p, follow_up_days=200)
        assert day0 == pytest.approx(728.0)  # 104 weekly doses, day 0 = the first missed dose
        assert sc.horizon_days == pytest.approx(928.0)
        for line in sc.regimen:
            if line.drug not in ("testosterone_cypionate",):
                assert line.start_days >= day0


def test_unknown_protocol_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"allowed: .*clomiphene"):
        load_protocol("clomid")


def test_protocol_scenario_builds_taper_history_and_patient() -> None:
    hist = TrtHistory(years=1.0, anastrozole_dose="0.5 mg")
    sc, day0 = protocol_scenario(
        "taper_then_stop", patient={"bmi_kg_m2": 30}, history=hist, follow_up_days=100
    )
    assert day0 == pytest.approx(52 * 7)
    taper = [line for line in sc.regimen if line.taper]
    assert len(taper) == 1 and taper[0].dose == pytest.approx(150.0)
    assert taper[0].taper == pytest.approx((100.0, 50.0))
    assert any(line.drug == "anastrozole" for line in sc.regimen)
    assert sc.patient.bmi_kg_m2 == 30
    with pytest.raises(ScenarioError):
        protocol_scenario("clomiphene", patient={"bmi_kg_m2": 5})
    with pytest.raises(ValueError, match="trt-drug"):
        TrtHistory(drug="clomiphene_citrate")


# ------------------------------------------------------------------- compare
@pytest.fixture(scope="module")
def typical() -> tuple[pd.DataFrame, list[pd.DataFrame], list[Scenario]]:
    built = [
        protocol_scenario(p, follow_up_days=365)
        for p in ("stop_cold", "clomiphene", "hcg_recovery")
    ]
    scenarios = [s for s, _ in built]
    table, tables = compare(scenarios, day0=[d for _, d in built])
    return table, tables, scenarios


def test_compare_clomiphene_restores_sooner_than_stop_cold(
    typical: tuple[pd.DataFrame, list[pd.DataFrame], list[Scenario]],
) -> None:
    table = typical[0].set_index("protocol")
    cold, clo = table.loc["stop_cold"], table.loc["clomiphene"]
    assert clo["testosterone_nadir_ng_dl"] > cold["testosterone_nadir_ng_dl"]
    assert clo["days_to_testosterone_300_ng_dl"] <= cold["days_to_testosterone_300_ng_dl"]
    for thr in (5, 15, 16, 20):
        assert clo[f"days_to_sperm_{thr}_m_per_ml"] < cold[f"days_to_sperm_{thr}_m_per_ml"]
        assert cold[f"days_to_sperm_{thr}_m_per_ml"] > 0
    # thresholds are reached in order
    for row in (cold, clo):
        days = [row[f"days_to_sperm_{t}_m_per_ml"] for t in (5, 15, 16, 20)]
        assert days == sorted(days)
    # the SERM raises estradiol on treatment
    assert clo["estradiol_peak_pg_ml"] > cold["estradiol_peak_pg_ml"]
    assert set(table["day0"]) == {728.0}


def test_compare_hcg_suppresses_lh_and_t_falls_when_it_stops(
    typical: tuple[pd.DataFrame, list[pd.DataFrame], list[Scenario]],
) -> None:
    """hCG 2000 IU three times weekly for 26 weeks: T on hCG keeps LH suppressed, and when hCG
    stops T falls until LH returns."""
    _, tables, scenarios = typical
    tab = tables[[s.name for s in scenarios].index("hcg_recovery")]
    t = tab["time_days"].to_numpy()

    def value(col: str, day: float) -> float:
        return float(np.interp(728.0 + day, t, tab[col].to_numpy()))

    untreated_lh = float(tab["lh_iu_l"].iloc[0])  # before the TRT history began
    assert value("lh_iu_l", 180) < 0.25 * untreated_lh
    assert value("total_testosterone_ng_dl", 190) < 0.6 * value("total_testosterone_ng_dl", 180)


def test_compare_metrics_match_the_trajectories(
    typical: tuple[pd.DataFrame, list[pd.DataFrame], list[Scenario]],
) -> None:
    table, tables, _ = typical
    for (_, row), tab in zip(table.iterrows(), tables, strict=True):
        after = tab[tab["time_days"] >= row["day0"]]
        assert row["estradiol_peak_pg_ml"] == pytest.approx(after["estradiol_pg_ml"].max(), 1e-3)
        assert row["estradiol_trough_pg_ml"] == pytest.approx(after["estradiol_pg_ml"].min(), 1e-3)
        below = (after["estradiol_pg_ml"] < THRESHOLDS["estradiol_floor_pg_ml"].value).sum()
        assert row["days_estradiol_below_17.8_pg_ml"] == pytest.approx(float(below))
        day = row["day0"] + row["days_to_sperm_20_m_per_ml"]
        sp = tab.set_index("time_days")["sperm_concentration_m_per_ml"]
        assert sp[np.floor(day - 0.06)] < 20.0 <= sp[np.ceil(day + 0.06)]  # rounded to 0.1 d


def test_compare_rejects_bad_arguments() -> None:
    sc, _ = protocol_scenario("stop_cold", follow_up_days=60)
    with pytest.raises(ValueError, match="n: got 0"):
        compare([sc], population="healthy_men_18_51", n=0)
    with pytest.raises(ValueError, match="give both"):
        compare([sc], population="healthy_men_18_51")
    with pytest.raises(ValueError, match="none"):
        compare([])


@pytest.fixture(scope="module")
def two_protocols_on_six_men() -> pd.DataFrame:
    hist = TrtHistory(years=0.5)
    built = [
        protocol_scenario(p, history=hist, follow_up_days=400) for p in ("stop_cold", "clomiphene")
    ]
    table, _ = compare(
        [s for s, _ in built],
        day0=[d for _, d in built],
        population="healthy_men_18_51",
        n=6,
        seed=3,
    )
    return table


@pytest.mark.slow
def test_compare_population_gives_the_same_men_each_protocol(
    two_protocols_on_six_men: pd.DataFrame,
) -> None:
    table = two_protocols_on_six_men
    assert list(table["n"]) == [6, 6]
    for thr in ("15", "20"):
        for m in ("3", "6", "12", "24"):
            for p in table[f"p_sperm_{thr}_by_{m}_months"]:
                assert p is None or 0.0 <= p <= 1.0
    # clomiphene never does worse than stopping cold for the same men
    p6 = table.set_index("protocol")["p_sperm_20_by_6_months"]
    assert (p6["clomiphene"] or 0.0) >= (p6["stop_cold"] or 0.0)
    # intervals around each probability, and the paired difference from the first protocol
    row = table.iloc[1]
    for m in ("6", "12"):
        p = row[f"p_sperm_20_by_{m}_months"]
        if p is not None:
            assert row[f"p_sperm_20_by_{m}_months_ci95_low"] <= p
            assert p <= row[f"p_sperm_20_by_{m}_months_ci95_high"]
        d = row[f"p_sperm_20_by_{m}_months_minus_first"]
        if d is not None:
            assert row[f"p_sperm_20_by_{m}_months_minus_first_ci95_low"] <= d
            assert d <= row[f"p_sperm_20_by_{m}_months_minus_first_ci95_high"]


@pytest.mark.slow
def test_compare_population_reaches_a_lower_concentration_at_least_as_often(
    two_protocols_on_six_men: pd.DataFrame,
) -> None:
    table = two_protocols_on_six_men
    for m in ("3", "6", "12"):
        for p15, p20 in zip(
            table[f"p_sperm_15_by_{m}_months"], table[f"p_sperm_20_by_{m}_months"], strict=True
        ):
            assert p15 is None or p20 is None or p15 >= p20


def test_paired_difference_of_identical_arms_is_zero_and_its_interval_grows_with_noise() -> None:
    from hpgsim.population.trial import paired_recovery_difference

    rng = np.random.default_rng(0)
    n = 200
    days = rng.uniform(30.0, 500.0, n)
    rows = pd.DataFrame(
        {
            "recovery_20_at_risk": np.ones(n, dtype=bool),
            "recovery_20_day": days,
            "recovery_20_event": days < 450.0,
        }
    )
    same = paired_recovery_difference(rows, rows, 20.0, 6.0, n_boot=300)
    assert same == {"difference": 0.0, "low": 0.0, "high": 0.0}
    # B: every man 30 days later; paired, the difference is certain to be negative
    later = rows.assign(recovery_20_day=days + 30.0)
    d = paired_recovery_difference(rows, later, 20.0, 6.0, n_boot=300)
    assert d["difference"] is not None and d["difference"] < 0.0
    assert d["high"] is not None and d["high"] < 0.0
    with pytest.raises(ValueError, match="same men"):
        paired_recovery_difference(rows, rows.iloc[:10], 20.0, 6.0)
    # the bootstrap's own Kaplan-Meier gives lifelines' estimates (kaplan_meier_recovery)
    from hpgsim.population.trial import kaplan_meier_recovery

    for month in (3, 6, 12):
        lifelines_diff = (
            kaplan_meier_recovery(later, 20.0, 730.0)["probability_by_month"][str(month)]
            - kaplan_meier_recovery(rows, 20.0, 730.0)["probability_by_month"][str(month)]
        )
        d = paired_recovery_difference(rows, later, 20.0, float(month), n_boot=10)
        assert d["difference"] == pytest.approx(lifelines_diff, abs=1e-12)


# ------------------------------------------------------------------- metabolic factors
def test_weight_loss_lowers_estradiol_and_raises_shbg() -> None:
    sc, day0 = protocol_scenario("clomiphene", patient={"bmi_kg_m2": 35}, follow_up_days=200)
    lighter = with_bmi(sc, 27)
    assert lighter.name.endswith("@ BMI 27") and lighter.patient.bmi_kg_m2 == 27
    table, tables = compare([with_bmi(sc, 35), lighter], day0=[day0, day0])
    heavy, light = table.iloc[0], table.iloc[1]
    assert light["estradiol_peak_pg_ml"] < heavy["estradiol_peak_pg_ml"]
    assert tables[1]["shbg_nmol_l"].iloc[0] > tables[0]["shbg_nmol_l"].iloc[0]


def test_insulin_field_default_leaves_results_unchanged_and_high_insulin_lowers_shbg() -> None:
    base = {"name": "m", "horizon": "30 d", "patient": {"bmi_kg_m2": 30}}
    plain = api.simulate(scenario_from_dict(base))
    same = api.simulate(
        scenario_from_dict({**base, "patient": {"bmi_kg_m2": 30, "fasting_insulin_uU_ml": None}})
    )
    pd.testing.assert_frame_equal(plain, same)
    # insulin at the level his BMI predicts (10 + 1 x 5): no SHBG change
    typical_ins = api.simulate(
        scenario_from_dict({**base, "patient": {"bmi_kg_m2": 30, "fasting_insulin_uU_ml": 15}})
    )
    assert typical_ins["shbg_nmol_l"].iloc[0] == pytest.approx(plain["shbg_nmol_l"].iloc[0])
    high = api.simulate(
        scenario_from_dict({**base, "patient": {"bmi_kg_m2": 30, "fasting_insulin_uU_ml": 40}})
    )
    assert high["shbg_nmol_l"].iloc[0] < plain["shbg_nmol_l"].iloc[0] - 1.0
    # Strain 1994: 30.1 x (1/40 - 1/15) nmol/L
    assert high["shbg_nmol_l"].iloc[0] - plain["shbg_nmol_l"].iloc[0] == pytest.approx(
        30.1 * (1 / 40 - 1 / 15), rel=0.05
    )
    with pytest.raises(ScenarioError, match="fasting_insulin_uU_ml"):
        scenario_from_dict({**base, "patient": {"fasting_insulin_uU_ml": 0.5}})


def test_weight_loss_keeps_insulin_excess() -> None:
    sc = scenario_from_dict(
        {"name": "m", "horizon": "30 d", "patient": {"bmi_kg_m2": 35, "fasting_insulin_uU_ml": 30}}
    )
    assert with_bmi(sc, 27).patient.fasting_insulin_uU_ml == pytest.approx(22.0)


# ------------------------------------------------------------------- monitoring plan
@pytest.fixture(scope="module")
def article_plan() -> dict[str, Any]:
    sc = load_scenario(ROOT / "examples" / "article_protocol.yaml")
    sc = sc.model_copy(update={"output_every_days": 1.0 / 24.0})
    return monitoring_plan(sc, api.simulate(sc))


def test_plan_on_the_article_scenario(article_plan: dict[str, Any]) -> None:
    visits = article_plan["visits"]
    days = [v["day"] for v in visits]
    assert days == sorted(days) and days[0] == 0.0
    assert article_plan["restoration_day0"] == pytest.approx(735.0)  # last TC dose 728 + 7
    # hormones 6 weeks after the restoration agents start (day 730)
    assert any(v["what"] == "labs" and v["day"] == pytest.approx(730 + 42) for v in visits)
    semen = [v for v in visits if "semen" in v["what"] and v["day"] > 735.0]
    gaps = np.diff([v["day"] for v in semen])
    assert np.allclose(gaps, THRESHOLDS["spermatogenic_cycle_days"].value)
    # the schedule ends after two results in a row at or above the target
    target = article_plan["target_m_per_ml"]
    assert article_plan["target_met_day"] == semen[-1]["day"]
    assert all(v["simulated"]["sperm_concentration_m_per_ml"] >= target for v in semen[-2:])
    assert all(v["simulated"]["sperm_concentration_m_per_ml"] < target for v in semen[:-2])
    ids = {f["id"] for f in article_plan["flags"]}
    assert len(ids) == 6
    fired = {f["id"] for f in article_plan["flags"] if f["fired"]}
    assert "supraphysiological_on_therapy" in fired  # TC 200 mg weekly peaks above 916 ng/dL
    assert "continuous_gnrh_exposure" not in fired  # twice-weekly boluses are pulses
    assert "not medical advice" in article_plan["disclaimer"]


def test_plan_rejects_a_bad_target() -> None:
    sc = scenario_from_dict({"horizon": "10 d"})
    with pytest.raises(ValueError, match="target"):
        monitoring_plan(sc, api.simulate(sc), target_m_per_ml=0.0)


# ------------------------------------------------------------------- commands
def test_cli_protocols_list_and_show() -> None:
    res = runner.invoke(app, ["protocols", "list"])
    assert res.exit_code == 0, res.output
    for name in REQUIRED:
        assert name in res.output
    assert "not medical advice" in res.output
    res = runner.invoke(app, ["protocols", "show", "hcg_plus_clomiphene"])
    assert res.exit_code == 0
    assert "drug: hcg" in res.output and "clomiphene_citrate" in res.output
    res = runner.invoke(app, ["protocols", "show", "clomid"])
    assert res.exit_code == 2
    assert "protocol: got 'clomid'" in res.output and "allowed:" in res.output


def test_cli_compare_writes_table_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    res = runner.invoke(
        app,
        [
            "compare",
            "stop_cold",
            "tamoxifen",
            "--follow-up",
            "8 months",
            "--trt-years",
            "1",
            "--weight-loss",
            "32:26",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["protocol"]) == [
        "stop_cold @ BMI 32",
        "stop_cold @ BMI 26",
        "tamoxifen @ BMI 32",
        "tamoxifen @ BMI 26",
    ]
    assert (out / "comparison.png").stat().st_size > 10_000
    assert "not medical advice" in res.output


def test_cli_compare_accepts_a_scenario_file(tmp_path: Path) -> None:
    sc = tmp_path / "short.yaml"
    sc.write_text(
        "name: short\nhorizon: 200 d\nregimen:\n  - {drug: testosterone_cypionate, "
        "dose: 200 mg, route: intramuscular, every: 7 d, stop: 84 d}\n"
    )
    res = runner.invoke(app, ["compare", str(sc), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    row = pd.read_csv(tmp_path / "o" / "comparison.csv").iloc[0]
    assert row["day0"] == pytest.approx(84.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nonesuch"], "neither a scenario file"),
        (["missing.yaml"], "no such file"),
        (["stop_cold", "--n", "0", "--population", "healthy_men_18_51"], "--n: got 0"),
        (["stop_cold", "--population", "healthy_men_18_51"], "give both"),
        (["stop_cold", "--population", "martians", "--n", "5"], "allowed: healthy_men_18_51"),
        (["stop_cold", "--weight-loss", "25:30"], "--weight-loss"),
        (["stop_cold", "--follow-up", "soon"], "--follow-up"),
        (["stop_cold", "--bmi", "5"], "bmi_kg_m2"),
        (["stop_cold", "--trt-drug", "hcg"], "--trt-drug: got 'hcg'"),
        (["stop_cold", "--trt-every", "200 mg"], "--trt-every: got '200 mg'"),
        (["stop_cold", "--trt-every", "0 d"], "--trt-every: got '0 d'"),
        (["taper_then_stop", "--trt-dose", "200 d"], "--trt-dose: got '200 d'"),
        ([], "no protocols"),
    ],
)
def test_cli_compare_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "never"
    res = runner.invoke(app, ["compare", *args, "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "hpgsim: error:" in res.output and message in res.output
    assert not out.exists()


def test_cli_plan_prints_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    res = runner.invoke(
        app,
        ["plan", "stop_cold", "--trt-years", "1", "--follow-up", "12 months", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["visits"][0]["what"] == "labs + semen analysis"
    assert {f["id"] for f in data["flags"]} >= {"persistent_hpg_suppression"}
    assert "FIRED" in res.output or "not fired" in res.output
    assert "not medical advice" in res.output
    bad = runner.invoke(app, ["plan", "stop_cold", "--out", str(tmp_path / "plan.txt")])
    assert bad.exit_code == 2 and "allowed: .json" in bad.output
    bad = runner.invoke(app, ["plan", "stop_cold", "--target", "-1"])
    assert bad.exit_code == 2 and "--target" in bad.output


def test_continuous_gnrh_is_read_from_the_regimen_not_the_sampled_trace() -> None:
    """Hourly IV boluses sampled hourly alias to a flat trace; plasma gonadorelin (t1/2 about
    4 min) falls to almost nothing between them, so they are pulses. SC boluses every 15 min
    (absorption t1/2 about 24 min) keep it within half of its peak: continuous in effect."""
    from hpgsim import simulate_many

    def gnrh(every: str, route: str) -> Any:
        return scenario_from_dict(
            {
                "name": f"gnrh-every-{every}",
                "horizon": "1 d",
                "output_every": "1 h",
                "allow_supratherapeutic": True,
                "regimen": [
                    {
                        "drug": "gonadorelin",
                        "dose": "5 ug",
                        "route": route,
                        "every": every,
                        "stop": "0.5 d",
                    }
                ],
            }
        )

    scs = [gnrh("60 min", "intravenous"), gnrh("15 min", "subcutaneous")]
    hourly, dense = (
        {f.id: f for f in evaluate_flags(sc, tab)}["continuous_gnrh_exposure"]
        for sc, tab in zip(scs, simulate_many(scs), strict=True)
    )
    assert not hourly.fired and hourly.values["bolus_trough_to_peak"] < 0.01
    assert dense.fired and dense.values["bolus_trough_to_peak"] >= 0.5


def test_recovery_follow_up_extends_a_short_horizon_to_24_months_after_the_stop() -> None:
    from hpgsim.clinical.course import with_recovery_follow_up
    from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window

    data = {
        "name": "short",
        "horizon": "360 d",
        "output_every": "7 d",
        "regimen": [
            {
                "drug": "testosterone_cypionate",
                "dose": "200 mg",
                "route": "IM",
                "every": "7 d",
                "stop": "100 d",
            }
        ],
    }
    sc = scenario_from_dict(data)
    longer, was = with_recovery_follow_up(sc)
    _, stop = androgen_window(sc)
    assert was == 360.0 and stop is not None
    assert longer.horizon_days >= stop + 24 * DAYS_PER_MONTH
    assert longer.horizon_days - 7.0 < stop + 24 * DAYS_PER_MONTH  # the next output time
    assert longer.regimen == sc.regimen
    again, none = with_recovery_follow_up(longer)
    assert none is None and again is longer
    _, none = with_recovery_follow_up(scenario_from_dict({"horizon": "30 d"}))
    assert none is None


def test_cli_plan_lists_the_known_gaps_of_its_drugs(tmp_path: Path) -> None:
    from hpgsim.evidence.registry import known_gaps_for

    out = tmp_path / "plan.json"
    res = runner.invoke(
        app,
        ["plan", "clomiphene", "--trt-years", "1", "--follow-up", "12 months", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    expected = known_gaps_for(["testosterone_cypionate", "clomiphene_citrate"])
    assert expected  # clomiphene's studies have known gaps
    data = json.loads(out.read_text())
    assert [(g["study"], g["measure"]) for g in data["known_gaps"]] == [
        (g.study, g.measure) for g in expected
    ]
    assert "Known gaps for the drugs given here" in res.output


def test_compare_reads_testosterone_on_the_protocols_own_window(
    typical: tuple[pd.DataFrame, list[pd.DataFrame], list[Scenario]],
) -> None:
    """Issue #21: hCG's 'days to T >= 300' is read while hCG is given, so the dip after the
    course ends is not reported as hCG taking that long; the dip has its own column."""
    from hpgsim.clinical.course import line_window

    table, tables, scenarios = typical
    rows = table.set_index("protocol")
    hcg = rows.loc["hcg_recovery"]
    sc = scenarios[[s.name for s in scenarios].index("hcg_recovery")]
    (hcg_line,) = [line for line in sc.regimen if line.drug == "hcg"]
    window = line_window(hcg_line, sc.horizon_days)
    assert window is not None
    assert hcg["protocol_end_day"] == pytest.approx(window[1] - hcg["day0"], abs=0.05)
    assert 0.0 <= hcg["days_to_testosterone_300_ng_dl"] <= hcg["protocol_end_day"]
    tab = tables[[s.name for s in scenarios].index("hcg_recovery")]
    t = tab["time_days"].to_numpy()
    after = tab.loc[t > window[1] + 1e-9, "total_testosterone_ng_dl"]
    assert hcg["testosterone_nadir_after_protocol_ng_dl"] == pytest.approx(after.min(), abs=0.05)
    assert hcg["testosterone_nadir_after_protocol_ng_dl"] < 300.0  # the dip after hCG stops
    # stopping cold: the whole follow-up is the protocol's window, nothing comes after it
    cold = rows.loc["stop_cold"]
    assert cold["protocol_end_day"] == pytest.approx(cold["follow_up_days"])
    assert np.isnan(cold["testosterone_nadir_after_protocol_ng_dl"])


def test_protocol_end_counts_lines_that_go_on_past_day_zero() -> None:
    from hpgsim.clinical.course import day_zero, protocol_end

    data = {
        "horizon": "400 d",
        "regimen": [
            _tc(100),
            _daily("clomiphene_citrate", "25 mg", 86, 250),  # begun two weeks before the stop
        ],
    }
    sc = scenario_from_dict(data)
    assert day_zero(sc) == 105.0  # the weekly doses end on day 98
    assert protocol_end(sc, day_zero(sc)) == pytest.approx(250.0)
    assert protocol_end(scenario_from_dict({**data, "regimen": [_tc(100)]}), 105.0) == 400.0


def test_plan_reads_flags_on_the_protocols_own_window() -> None:
    """Issue #21: the TRT history before a protocol (its supraphysiological peaks and its
    anastrozole) does not fire the protocol's flags; read on the whole course, it would."""
    hist = TrtHistory(years=0.5, anastrozole_dose="1 mg")
    sc, day0 = protocol_scenario("stop_cold", history=hist, follow_up_days=200)
    tab = api.simulate(sc)
    whole = {f.id: f for f in evaluate_flags(sc, tab)}
    assert whole["supraphysiological_on_therapy"].fired
    assert whole["estradiol_below_floor_on_anastrozole"].fired
    plan = monitoring_plan(sc, tab, day0=day0)
    assert plan["flags_read_from_day"] == day0 == plan["restoration_day0"]
    fired = {f["id"] for f in plan["flags"] if f["fired"]}
    assert not fired & {"supraphysiological_on_therapy", "estradiol_below_floor_on_anastrozole"}
    glance = plan["at_a_glance"]
    assert 0.0 < glance["days_to_sperm_15_m_per_ml"] <= glance["days_to_sperm_20_m_per_ml"]
    with pytest.raises(ValueError, match="since_day: got"):
        evaluate_flags(sc, tab, since_day=sc.horizon_days + 1.0)


def test_cli_follow_up_covers_24_months_for_every_arm() -> None:
    """Issue #21: trial, compare and plan simulate at least 24 months after the first missed
    androgen dose; a trial's arms keep one horizon."""
    from hpgsim.cli.common import with_follow_up
    from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window

    short = scenario_from_dict({"name": "a", "horizon": "300 d", "regimen": [_tc(100)]})
    later = scenario_from_dict({"name": "b", "horizon": "300 d", "regimen": [_tc(200)]})
    arms = with_follow_up([short, later])
    assert arms[0].horizon_days == arms[1].horizon_days
    for before, after in zip((short, later), arms, strict=True):
        _, stop = androgen_window(before)
        assert stop is not None
        assert after.horizon_days >= stop + 24 * DAYS_PER_MONTH
        assert after.regimen == before.regimen
    (same,) = with_follow_up([arms[0]])
    assert same is arms[0]


def test_cli_compare_and_plan_open_with_the_answer(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["compare", "stop_cold", "--trt-years", "0.5", "--out", str(tmp_path / "c")]
    )
    assert res.exit_code == 0, res.output
    assert res.output.index("At a glance") < res.output.index("Protocol comparison")
    assert "the simulated man reaches 15 M/mL at day" in res.output
    res = runner.invoke(app, ["plan", "stop_cold", "--trt-years", "0.5"])
    assert res.exit_code == 0, res.output
    assert res.output.index("At a glance") < res.output.index("when labs and semen")
    text = " ".join(res.output.replace("│", " ").split())  # the panel wraps its lines
    assert "Flags are read on the protocol's own window" in text


def test_plan_json_has_no_nan_when_the_man_is_not_back_by_the_horizon() -> None:
    sc, day0 = protocol_scenario("stop_cold", history=TrtHistory(years=0.5), follow_up_days=30)
    plan = monitoring_plan(sc, api.simulate(sc), day0=day0)
    assert plan["at_a_glance"]["days_to_sperm_20_m_per_ml"] is None  # 30 days is too short
    json.dumps(plan, allow_nan=False, default=str)
