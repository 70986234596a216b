"""Virtual populations and trials (issue #5): seeded sampling, chunk- and worker-independent
results, the summary.json contract, and the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.output.files import verify_manifest
from hpgsim.population.trial import (
    RECOVERY_MONTHS,
    SUPPRESSION_WEEKS,
    TrialDesign,
    run_trial,
    summarize,
)
from hpgsim.population.virtual_men import (
    BLOCK,
    POPULATIONS,
    load_population,
    sample,
    with_variability,
)
from hpgsim.scenario import scenario_from_dict
from scenario_data import te_weekly

SCENARIO = te_weekly("te-20-weeks", "420 d", "140 d")
runner = CliRunner()


@pytest.fixture(scope="module")
def design() -> TrialDesign:
    return TrialDesign(scenario_from_dict(SCENARIO), "healthy_men_18_51", n=12, seed=5)


@pytest.fixture(scope="module")
def rows(design: TrialDesign) -> pd.DataFrame:
    return run_trial(design, chunk_size=12)


def test_shipped_populations_load_and_cite_every_number() -> None:
    assert {"healthy_men_18_51", "men_on_trt"} <= set(POPULATIONS)
    for name in POPULATIONS:
        pop = load_population(name)
        assert all(spec.get("source") for spec in pop.covariates.values())
        assert all(spec.get("source") for spec in pop.variability.values())


def test_sampling_depends_only_on_seed_and_index() -> None:
    pop = load_population("healthy_men_18_51")
    whole = sample(pop, 11, 0, 2 * BLOCK + 10, n_noise=3)
    part = sample(pop, 11, BLOCK - 7, BLOCK + 20, n_noise=3)
    for key, values in part.items():
        np.testing.assert_array_equal(values, whole[key][BLOCK - 7 : BLOCK + 20])
    other = sample(pop, 12, 0, 50)
    assert not np.array_equal(other["age_years"], whole["age_years"][:50])


def test_a_replaced_spread_rescales_the_same_mens_draws() -> None:
    """variability_cv (the spread fit's handle): each man keeps his standard-normal draw, so
    ln(multiplier) scales by omega_new / omega_old; covariates and other CVs are untouched."""
    pop = load_population("healthy_men_18_51")
    old_cv = pop.variability["k_ssc_loss"]["cv"]
    base = sample(pop, 3, 0, 200)
    wide = sample(with_variability(pop, {"k_ssc_loss": 1.5}), 3, 0, 200)
    ratio = math.sqrt(math.log1p(1.5**2)) / math.sqrt(math.log1p(old_cv**2))
    np.testing.assert_allclose(
        np.log(wide["bsv_k_ssc_loss"]), ratio * np.log(base["bsv_k_ssc_loss"]), rtol=1e-12
    )
    for key in ("age_years", "bsv_k_ssc_renew", "bsv_L50"):
        np.testing.assert_array_equal(wide[key], base[key])
    with pytest.raises(ValueError, match="variability: L50x not varied in population"):
        with_variability(pop, {"L50x": 0.3})
    with pytest.raises(ValueError, match=r"variability: k_ssc_loss cv 0\.0; allowed: above 0"):
        with_variability(pop, {"k_ssc_loss": 0.0})
    sc = scenario_from_dict(SCENARIO)
    with pytest.raises(ValueError, match="variability: krel_LHx not varied"):
        TrialDesign(sc, "healthy_men_18_51", n=5, seed=1, variability_cv=(("krel_LHx", 0.2),))


def test_sampled_covariates_respect_their_distributions() -> None:
    pop = load_population("healthy_men_18_51")
    men = sample(pop, 3, 0, 20_000)
    assert men["age_years"].min() >= 18 and men["age_years"].max() <= 51
    sperm = men["baseline_sperm_concentration_m_per_ml"]
    assert sperm.min() >= 20 and sperm.max() <= 300
    t = men["baseline_total_testosterone_ng_dl"]
    assert np.median(t) == pytest.approx(531, rel=0.03)  # Travison 2017 median
    # log-normal variability: median man = typical value, log-SD = sqrt(ln(1 + cv^2))
    cv = pop.variability["krel_LH"]["cv"]
    eta = np.log(men["bsv_krel_LH"])
    assert np.median(eta) == pytest.approx(0.0, abs=0.03)
    assert eta.std() == pytest.approx(math.sqrt(math.log1p(cv**2)), rel=0.03)
    trt = sample(load_population("men_on_trt"), 3, 0, 5000)
    share_primary = np.mean(trt["condition"] == 1)
    assert share_primary == pytest.approx(0.2, abs=0.03)


@pytest.mark.slow
def test_results_do_not_depend_on_chunking(design: TrialDesign, rows: pd.DataFrame) -> None:
    again = run_trial(design, chunk_size=5)
    pd.testing.assert_frame_equal(rows, again)
    assert len(rows) == 12 and list(rows["man"]) == list(range(12))


def test_men_differ_and_are_suppressed(rows: pd.DataFrame) -> None:
    assert rows["bsv_krel_LH"].std() > 0
    # TE 200 mg weekly for 20 weeks suppresses most men deeply; a few respond poorly
    # (WHO 1995: 95.6% of non-Asian men below 3 M/mL by 6 months)
    nadir = rows["nadir_sperm_m_per_ml"]
    assert nadir.median() < 1.0
    assert (nadir < 3.0).mean() >= 0.75
    assert rows["nadir_sperm_m_per_ml"].std() > 0


def test_summary_keys_and_monotone_fractions(design: TrialDesign, rows: pd.DataFrame) -> None:
    s = summarize(rows, design)
    for key in (
        "n",
        "seed",
        "population",
        "androgen_start_day",
        "androgen_stop_day",
        "azoospermia_below_m_per_ml",
        "suppression",
        "recovery",
    ):
        assert key in s
    assert s["androgen_start_day"] == 0.0 and s["androgen_stop_day"] == 140.0
    by_week = s["suppression"]["fraction_below_by_week"]
    assert set(by_week) == {"1", "3", "5", "10", "20"}
    for thr, fractions in by_week.items():
        assert set(fractions) == {str(w) for w in SUPPRESSION_WEEKS}
        values = [v for v in fractions.values() if v is not None]
        assert values == sorted(values), thr
        assert fractions["52"] is not None  # 52 weeks fit in the 420-day horizon
    assert set(s["recovery"]) == {"3", "10", "15", "20"}
    for thr, rec in s["recovery"].items():
        probs = rec["probability_by_month"]
        assert set(probs) == {str(m) for m in RECOVERY_MONTHS}
        assert probs["24"] is None  # beyond the 280 days of follow-up
        values = [v for v in probs.values() if v is not None]
        assert values == sorted(values) and all(0 <= v <= 1 for v in values), thr
    own = s["recovery_to_own_baseline"]
    assert own["n_at_risk"] == int(rows["recovery_baseline_at_risk"].sum()) > 0
    assert set(own["probability_by_month"]) == {str(m) for m in RECOVERY_MONTHS}
    json.dumps(s)  # plain JSON


def test_recovery_events_read_each_mans_own_baseline() -> None:
    """Samples every 28 days, stop at day 56: man 0 (baseline 40) first reads >= 40 at day
    140; man 1 (baseline 100) reaches 20 M/mL but never his baseline (censored at the end);
    man 2 was not azoospermic at the stop and never fell below 3 M/mL after it: in the same
    risk set, back at 3 M/mL on day 0."""
    from hpgsim.population.trial import _events

    days = np.arange(0.0, 197.0, 28.0)  # 0 .. 196
    measured = np.array(
        [
            [40.0, 0.0, 0.0, 5.0, 25.0, 45.0, 30.0, 50.0],
            [100.0, 0.0, 0.0, 0.0, 10.0, 30.0, 60.0, 80.0],
            [60.0, 20.0, 4.0, 10.0, 30.0, 60.0, 70.0, 65.0],
        ]
    )
    ev = _events(days, measured, 0.0, 56.0, np.array([40.0, 100.0, 60.0]))
    assert list(ev["azoospermic_at_stop"]) == [True, True, False]
    assert list(ev["recovery_baseline_at_risk"]) == [True, True, True]
    assert list(ev["recovery_baseline_event"]) == [True, False, True]
    np.testing.assert_allclose(ev["recovery_baseline_day"], [140.0 - 56.0, 196.0 - 56.0, 84.0])
    np.testing.assert_allclose(ev["recovery_20_day"], [112.0 - 56.0, 140.0 - 56.0, 56.0])
    assert list(ev["recovery_3_at_risk"]) == [True, True, True]
    np.testing.assert_allclose(ev["recovery_3_day"], [84.0 - 56.0, 112.0 - 56.0, 0.0])
    np.testing.assert_allclose(ev["reappearance_day"], [84.0 - 56.0, 112.0 - 56.0, np.nan])


def test_recovery_has_one_risk_set_and_counts_the_rise_after_the_fall() -> None:
    """Samples every 28 days, stop at day 28. Man 0 is at 17 M/mL at the stop and keeps
    falling (spermatogenesis lags): back at 15 only after his fall, 56 days after the stop.
    Man 1 reads 22 once (assay noise) before falling below 15: back at 20 28 days after the
    stop, so back at 15 by then too. Man 2 is at 25 at the stop but falls to 5 after it: at
    risk. Man 3 never falls below 20: not at risk for any threshold. Man 4 stays azoospermic:
    censored at the last sample. Every threshold has the same men at risk, and a lower one is
    never reached later."""
    from hpgsim.population.trial import RECOVERY_THRESHOLDS, _events

    days = np.arange(0.0, 141.0, 28.0)  # 0 .. 140
    measured = np.array(
        [
            [50.0, 17.0, 10.0, 16.0, 25.0, 30.0],
            [50.0, 17.0, 22.0, 10.0, 16.0, 30.0],
            [50.0, 25.0, 5.0, 12.0, 18.0, 40.0],
            [50.0, 25.0, 30.0, 40.0, 45.0, 50.0],
            [50.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ]
    )
    ev = _events(days, measured, 0.0, 28.0, np.full(5, 50.0))
    for key in (*(f"{t:g}" for t in RECOVERY_THRESHOLDS), "baseline"):
        assert list(ev[f"recovery_{key}_at_risk"]) == [True, True, True, False, True], key
    np.testing.assert_allclose(ev["recovery_20_day"], [84.0, 28.0, 112.0, np.nan, 112.0])
    np.testing.assert_allclose(ev["recovery_15_day"], [56.0, 28.0, 84.0, np.nan, 112.0])
    np.testing.assert_allclose(ev["recovery_10_day"], [0.0, 0.0, 56.0, np.nan, 112.0])
    np.testing.assert_allclose(ev["recovery_3_day"], [0.0, 0.0, 0.0, np.nan, 112.0])
    assert list(ev["recovery_15_event"]) == [True, True, True, False, False]
    assert list(ev["recovery_baseline_event"]) == [False, False, False, False, False]


@pytest.mark.slow
def test_dask_cluster_gives_identical_results(design: TrialDesign, rows: pd.DataFrame) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        on_cluster = run_trial(design, chunk_size=6, scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(rows, on_cluster)


def test_trial_design_rejects_bad_input() -> None:
    sc = scenario_from_dict(SCENARIO)
    with pytest.raises(ValueError, match="population: got 'nobody'; allowed: healthy_men_18_51"):
        TrialDesign(sc, "nobody", n=5, seed=1)
    with pytest.raises(ValueError, match="n: got 0"):
        TrialDesign(sc, "healthy_men_18_51", n=0, seed=1)
    with pytest.raises(ValueError, match="seed: got -1"):
        TrialDesign(sc, "healthy_men_18_51", n=5, seed=-1)


def test_cli_trial_writes_outputs_and_rejects_bad_input(tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    scenario = tmp_path / "te.json"
    scenario.write_text(json.dumps(SCENARIO))
    bad = runner.invoke(
        app, ["trial", str(scenario), "--population", "nobody", "--out", str(tmp_path / "x")]
    )
    assert bad.exit_code == 2
    assert "--population" in bad.stderr and "healthy_men_18_51" in bad.stderr
    assert not (tmp_path / "x").exists()
    out = tmp_path / "trial"
    ok = runner.invoke(app, ["trial", str(scenario), "--n", "6", "--seed", "2", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json",
        "patients.parquet",
        "predictors.csv",
        "recovery_km.png",
        "summary.json",
    ]
    assert verify_manifest(out) == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 2 and manifest["hpgsim_version"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == 6 and summary["seed"] == 2
    assert "not medical advice" in summary["disclaimer"]
    assert len(pd.read_parquet(out / "patients.parquet")) == 6


def test_arms_are_balanced_and_carry_their_regimen(design: TrialDesign) -> None:
    short = scenario_from_dict(SCENARIO)
    longer = scenario_from_dict(
        {
            **SCENARIO,
            "name": "te-30-weeks-100mg",
            "regimen": [{**SCENARIO["regimen"][0], "dose": "100 mg", "stop": "210 d"}],
        }
    )
    two = TrialDesign((short, longer), "healthy_men_18_51", n=8, seed=5)
    rows = run_trial(two, chunk_size=3)
    assert list(rows["arm"]) == [0, 1] * 4  # man i gets arm i mod 2, whatever the chunking
    assert set(rows.loc[rows.arm == 1, "androgen_weeks"]) == {30.0}
    assert set(rows.loc[rows.arm == 1, "androgen_mg_per_week"]) == {100.0}
    # the same men as the one-arm trial: the arm does not change who is drawn
    one_arm = run_trial(design, chunk_size=12).iloc[:8]
    np.testing.assert_array_equal(rows["age_years"], one_arm["age_years"])
    s = summarize(rows, two)
    assert set(s["arms"]) == {"te-20-weeks", "te-30-weeks-100mg"}
    assert s["arms"]["te-30-weeks-100mg"]["androgen_stop_day"] == 210.0
    assert s["androgen_stop_day"] is None  # the arms' clocks differ
    with pytest.raises(ValueError, match="horizons differ"):
        TrialDesign(
            (short, scenario_from_dict({**SCENARIO, "name": "x", "horizon": "300 d"})),
            "healthy_men_18_51",
            n=4,
            seed=1,
        )


def test_recovery_probabilities_carry_greenwood_intervals() -> None:
    """Without censoring before a month, Kaplan-Meier is the recovered fraction and its 95 %
    interval is about +/- 1.96 binomial standard errors (issue #21: 0.44 vs 0.40 at n = 200
    must show as noise)."""
    from hpgsim.population.trial import kaplan_meier_recovery

    n = 200
    days = np.r_[np.linspace(20.0, 300.0, 88), np.full(n - 88, 700.0)]  # 88 back by day 300
    rows = pd.DataFrame(
        {
            "recovery_20_at_risk": np.ones(n, dtype=bool),
            "recovery_20_day": days,
            "recovery_20_event": np.r_[np.ones(88, dtype=bool), np.zeros(n - 88, dtype=bool)],
        }
    )
    out = kaplan_meier_recovery(rows, 20.0, 720.0)
    p = out["probability_by_month"]["12"]
    low, high = out["probability_ci95_by_month"]["12"]
    assert p == pytest.approx(0.44)
    se = (0.44 * 0.56 / n) ** 0.5
    assert low < 0.40 < p < high  # 0.40 is inside the interval of 0.44 at n = 200
    assert high - low == pytest.approx(2 * 1.96 * se, rel=0.1)
    assert out["probability_ci95_by_month"]["24"] is None  # beyond the 720-day follow-up


def test_km_prediction_interval_is_the_spread_of_trials_of_the_study_size() -> None:
    """The visual predictive check (issue #21): replicate trials of the published study's size
    drawn from the simulated men. Everyone back by month 3 gives 1 at month 6 and 0 at month 1
    in every replicate; half the men back gives an interval around 0.5 that narrows as the
    study grows."""
    from hpgsim.measure.events import DAYS_PER_MONTH
    from hpgsim.population.trial import km_prediction_interval

    n = 400
    all_back = pd.DataFrame(
        {
            "recovery_20_at_risk": np.ones(n, bool),
            "recovery_20_day": np.full(n, 3.0 * DAYS_PER_MONTH),
            "recovery_20_event": np.ones(n, bool),
        }
    )
    pi = km_prediction_interval(all_back, 20.0, [1.0, 6.0], 30)
    assert pi[1.0] == (0.0, 0.0, 0.0) and pi[6.0] == (1.0, 1.0, 1.0)
    half = all_back.assign(recovery_20_event=np.arange(n) % 2 == 0)
    small = km_prediction_interval(half, 20.0, [6.0], 17)[6.0]
    large = km_prediction_interval(half, 20.0, [6.0], 1549)[6.0]
    assert small[0] < 0.5 < small[2] and large[0] < 0.5 < large[2]
    assert large[2] - large[0] < 0.5 * (small[2] - small[0])
    with pytest.raises(ValueError, match="n_study 0"):
        km_prediction_interval(half, 20.0, [6.0], 0)


def test_trial_trajectories_are_the_trials_own_men(tmp_path: Path) -> None:
    """--trajectories N writes the first N men's courses: the same men as patients.parquet
    (their untreated LH is the row's baseline LH)."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(te_weekly("te-8-weeks", "120 d", "56 d")))
    out = tmp_path / "trial"
    res = runner.invoke(
        app,
        [
            "trial",
            str(scenario),
            "--n",
            "5",
            "--seed",
            "4",
            "--trajectories",
            "3",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    courses = pd.read_parquet(out / "trajectories.parquet")
    men = pd.read_parquet(out / "patients.parquet").set_index("man")
    assert sorted(courses["man"].unique()) == [0, 1, 2]
    first = courses[courses["time_days"] == 0.0].set_index("man")
    for man in (0, 1, 2):
        assert first.loc[man, "lh_iu_l"] == pytest.approx(
            men.loc[man, "baseline_lh_iu_l"], rel=1e-6
        )
    assert np.diff(courses[courses["man"] == 0]["time_days"].to_numpy())[0] == 7.0
    bad = runner.invoke(
        app, ["trial", str(scenario), "--trajectories", "-1", "--out", str(tmp_path / "x")]
    )
    assert bad.exit_code == 2 and "--trajectories: got -1" in bad.output
