"""Single-man plots say what they show (issue #21): the population band of men with the same
covariates (``--band N``), the recovery-day marks and the linear recovery panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from hpgsim import simulate
from hpgsim.cli import app
from hpgsim.measure.events import sperm_events
from hpgsim.output.plots import figure_title, plot_trajectories, recovery_marks
from hpgsim.population.band import population_band
from hpgsim.scenario import scenario_from_dict
from scenario_data import te_weekly

runner = CliRunner()
# TE 200 mg weekly for 20 weeks, then 40 weeks of recovery, read every 7 days.
DOC = {**te_weekly("te-20-weeks", "420 d", "140 d"), "output_every": "7 d"}


@pytest.fixture(scope="module")
def course() -> tuple:
    sc = scenario_from_dict(DOC)
    return sc, simulate(sc), population_band(sc, "healthy_men_18_51", 12, seed=1)


def test_band_shares_the_mans_covariates_and_spreads_on_treatment(course: tuple) -> None:
    sc, df, band = course
    assert np.allclose(band.time_days, df["time_days"].to_numpy())
    tt = band.values["total_testosterone_ng_dl"]
    assert tt.shape == (3, len(df))
    assert np.all(tt[0] <= tt[1] + 1e-9) and np.all(tt[1] <= tt[2] + 1e-9)
    # every man is individualized to the same untreated T: no spread before the first dose
    typical = df["total_testosterone_ng_dl"].to_numpy()
    assert tt[0, 0] == pytest.approx(typical[0], rel=1e-6)
    assert tt[2, 0] == pytest.approx(typical[0], rel=1e-6)
    # on treatment the men differ (clearance, binding, feedback vary between them)
    on = (df["time_days"] > 30) & (df["time_days"] < 140)
    assert np.all(tt[2, on.to_numpy()] > 1.05 * tt[0, on.to_numpy()])
    # the same seed gives the same men
    again = population_band(sc, "healthy_men_18_51", 12, seed=1)
    assert np.array_equal(again.values["lh_iu_l"], band.values["lh_iu_l"])
    assert "12 men of healthy_men_18_51" in band.label


def test_band_rejects_bad_arguments(course: tuple) -> None:
    sc = course[0]
    with pytest.raises(ValueError, match="population: got 'nobody'"):
        population_band(sc, "nobody", 10)
    with pytest.raises(ValueError, match="n: got 1"):
        population_band(sc, "healthy_men_18_51", 1)


def test_recovery_marks_agree_with_the_events(course: tuple) -> None:
    sc, df, _ = course
    marks = recovery_marks(df, sc)
    events = sperm_events(df, sc)
    assert marks is not None and marks.stop_day == events["androgen_stop_day"]
    assert "first missed androgen dose" in events["clocks"]["recovery"]
    for thr in (15.0, 20.0):
        reach = events["recovery"]["reach_m_per_ml"][f"{thr:g}"]
        day = marks.reach_day[thr]
        if reach is None:
            assert day is None
        else:
            assert day is not None and day - marks.stop_day == pytest.approx(reach, abs=0.06)
    untreated = scenario_from_dict({"horizon": "30 d"})
    assert recovery_marks(simulate(untreated), untreated) is None


def test_plot_titles_say_what_they_show(course: tuple, tmp_path: Path) -> None:
    sc, df, band = course
    assert "one simulated man" in figure_title(sc, None)
    assert "shaded" not in figure_title(sc, None)
    assert band.label in figure_title(sc, band)
    plain, shaded = tmp_path / "plain.png", tmp_path / "band.png"
    plot_trajectories(df, sc, plain)
    plot_trajectories(df, sc, shaded, band=band)
    assert plain.stat().st_size > 20_000 and shaded.stat().st_size > plain.stat().st_size


def test_cli_band_needs_a_plot_and_a_sensible_n(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(DOC))
    csv = tmp_path / "s.csv"
    res = runner.invoke(app, ["simulate", str(path), "-o", str(csv), "--band", "5"])
    assert res.exit_code == 2 and "give --plot" in res.output and not csv.exists()
    res = runner.invoke(
        app,
        ["simulate", str(path), "-o", str(csv), "--plot", str(tmp_path / "p.png"), "--band", "1"],
    )
    assert res.exit_code == 2 and "--band: got 1" in res.output and not csv.exists()
    res = runner.invoke(
        app,
        [
            "simulate",
            str(path),
            "-o",
            str(csv),
            "--plot",
            str(tmp_path / "p.png"),
            "--band",
            "4",
            "--band-population",
            "nobody",
        ],
    )
    assert res.exit_code == 2 and "--band-population: got 'nobody'" in res.output
    res = runner.invoke(
        app,
        ["simulate", str(path), "-o", str(csv), "--plot", str(tmp_path / "p.png"), "--band", "4"],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.png").stat().st_size > 20_000 and csv.exists()


def test_report_has_the_linear_recovery_figure_only_when_an_androgen_stops(course: tuple) -> None:
    from hpgsim.output.html_report import render_report

    sc, df, band = course
    page = render_report(sc, df, events=sperm_events(df, sc), band=band)
    on = scenario_from_dict({**DOC, "horizon": "140 d"})  # TE until the horizon: no stop
    calm = simulate(on)
    plain = render_report(on, calm, events=sperm_events(calm, on))
    # the same figures, and the recovery phase only where an androgen stops
    assert page.count('<img alt="figure"') == plain.count('<img alt="figure"') + 1
