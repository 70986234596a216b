"""The ``hpgsim`` command: exit codes, error messages, output files and their contents."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.measure.events import key_numbers
from hpgsim.model.parameters import CITATIONS, PARAMETERS
from hpgsim.output.files import atomic_output
from hpgsim.output.plots import plot_trajectories
from hpgsim.scenario import scenario_from_dict

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

CONTRACT_COLUMNS = [
    "time_days",
    "total_testosterone_ng_dl",
    "free_testosterone_pg_ml",
    "estradiol_pg_ml",
    "lh_iu_l",
    "fsh_iu_l",
    "shbg_nmol_l",
    "inhibin_b_pg_ml",
    "intratesticular_testosterone_ng_ml",
    "sperm_concentration_m_per_ml",
    "testicular_volume_ml",
]

BAD_DRUG_SCENARIO = """\
name: misspelt-drug
horizon: 90 d
regimen:
  - {drug: testosterone_cypionat, dose: 200 mg, route: intramuscular, every: 7 d}
"""


@pytest.fixture
def runner() -> CliRunner:
    # Wide, so rich tables neither wrap nor truncate the cells the tests look for.
    return CliRunner(env={"COLUMNS": "400", "NO_COLOR": "1"})


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_help_says_not_medical_advice(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "not medical advice" in " ".join(result.output.split())


def test_bad_scenario_exits_2_names_field_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(BAD_DRUG_SCENARIO)
    out = tmp_path / "result" / "out.csv"
    plot = tmp_path / "result" / "out.png"

    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(out), "--plot", str(plot)])

    assert result.exit_code == 2
    assert result.stderr.startswith("hpgsim: error:")
    assert "regimen[0].drug" in result.stderr
    assert "testosterone_cypionat" in result.stderr
    assert "\n\n" not in result.stderr.strip()  # one paragraph
    assert not out.exists()
    assert not plot.exists()
    assert _files(tmp_path) == ["bad.yaml"]  # no temporary files or folders left behind


def test_bad_scenario_keeps_an_existing_output_file(runner: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(BAD_DRUG_SCENARIO)
    out = tmp_path / "out.csv"
    out.write_text("previous,complete\n1,2\n")

    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(out)])

    assert result.exit_code == 2
    assert out.read_text() == "previous,complete\n1,2\n"
    assert _files(tmp_path) == ["bad.yaml", "out.csv"]


def test_missing_scenario_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["simulate", str(tmp_path / "nope.yaml"), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("hpgsim: error:")
    assert "nope.yaml" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ["out.xlsx", "out.txt", "out"])
def test_unsupported_out_extension_exits_2(runner: CliRunner, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    scenario = EXAMPLES / "untreated_healthy.yaml"

    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(out)])

    assert result.exit_code == 2
    assert result.stderr.startswith("hpgsim: error:")
    assert "--out" in result.stderr
    assert ".csv or .parquet" in result.stderr
    assert _files(tmp_path) == []


def test_unsupported_plot_extension_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    scenario = EXAMPLES / "untreated_healthy.yaml"
    args = ["simulate", str(scenario), "--out", str(tmp_path / "o.csv")]
    result = runner.invoke(app, [*args, "--plot", str(tmp_path / "o.jpg")])
    assert result.exit_code == 2
    assert "--plot" in result.stderr
    assert _files(tmp_path) == []


def test_bench_json_needs_json_extension(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench", "--quick", "--json", str(tmp_path / "bench.txt")])
    assert result.exit_code == 2
    assert result.stderr.startswith("hpgsim: error:")
    assert _files(tmp_path) == []


def test_model_show_table_lists_parameter_names_and_units(runner: CliRunner) -> None:
    result = runner.invoke(app, ["model", "show"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for p in PARAMETERS[:5]:
        # the name and its unit on the same row
        assert any(p.name in line and p.unit in line for line in lines), p.name


def test_model_show_csv_has_every_parameter_with_its_unit(runner: CliRunner) -> None:
    result = runner.invoke(app, ["model", "show", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["name"]: r["unit"] for r in rows} == {p.name: p.unit for p in PARAMETERS}
    assert {"value", "source", "group"} <= set(rows[0])


def test_model_show_json_round_trips_values(runner: CliRunner) -> None:
    result = runner.invoke(app, ["model", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["name"] for r in records] == [p.name for p in PARAMETERS]
    assert [r["value"] for r in records] == pytest.approx([p.value for p in PARAMETERS])


def test_model_citations_sorted_by_key(runner: CliRunner) -> None:
    result = runner.invoke(app, ["model", "citations"])
    assert result.exit_code == 0, result.output
    keys = [line.split(":", 1)[0] for line in result.stdout.splitlines() if line]
    assert keys == sorted(CITATIONS)


def test_simulate_untreated_writes_contract_csv_and_png(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "untreated.csv"
    plot = tmp_path / "sub" / "untreated.png"
    scenario = EXAMPLES / "untreated_healthy.yaml"

    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(out), "--plot", str(plot)])

    assert result.exit_code == 0, result.output
    assert "not medical advice" in result.stdout
    df = pd.read_csv(out)
    assert set(CONTRACT_COLUMNS) <= set(df.columns)
    assert df["time_days"].iloc[0] == 0.0
    assert df["time_days"].iloc[-1] == pytest.approx(90.0)
    assert df[CONTRACT_COLUMNS].notna().all().all()
    assert plot.read_bytes()[:8] == PNG_MAGIC
    assert _files(out.parent) == ["untreated.csv", "untreated.png"]


def test_simulate_parquet_matches_csv_columns(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "untreated.parquet"
    scenario = EXAMPLES / "untreated_healthy.yaml"

    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(out)])

    assert result.exit_code == 0, result.output
    df = pd.read_parquet(out)
    assert set(CONTRACT_COLUMNS) <= set(df.columns)
    assert len(df) == 91


def test_demo_writes_files_and_prints_recovery_time(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out-dir", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == ["demo.csv", "demo.png"]
    assert (tmp_path / "demo.png").read_bytes()[:8] == PNG_MAGIC
    df = pd.read_csv(tmp_path / "demo.csv")
    assert set(CONTRACT_COLUMNS) <= set(df.columns)
    assert df["time_days"].iloc[-1] == pytest.approx(1095.0)
    assert "nadir sperm concentration" in result.stdout
    assert "to >= 15 M/mL" in result.stdout
    assert "not medical advice" in result.stdout


def test_key_numbers_nadir_and_recovery_time() -> None:
    days = [float(d) for d in range(0, 101)]
    sperm = [60.0 if d < 20 else 0.0 if d < 50 else 10.0 if d < 70 else 30.0 for d in days]
    df = pd.DataFrame(
        {"time_days": days, "sperm_concentration_m_per_ml": sperm, "lh_iu_l": [1.0] * 101}
    )
    rows = {label: value for label, value, _unit in key_numbers(df, stop_day=40.0)}
    assert rows["nadir sperm concentration"] == 0.0
    assert rows["day of the nadir"] == 20.0
    # 10 M/mL on day 69, 30 on day 70: back at 15 between them, interpolated on the log scale
    # as every output reads a recovery day (measure.events.rise_after)
    expected = 29.0 + math.log(15.0 / 10.0) / math.log(30.0 / 10.0)
    assert rows["days from the first missed dose (day 40) to >= 15 M/mL"] == pytest.approx(expected)
    assert rows["LH, mean over the last 28 d on treatment"] == 1.0
    never = {label: value for label, value, _ in key_numbers(df, 40.0, threshold_m_per_ml=99.0)}
    assert never["days from the first missed dose (day 40) to >= 99 M/mL"] is None


def test_plot_draws_only_present_columns_with_dose_rug(tmp_path: Path) -> None:
    scenario = scenario_from_dict(
        {
            "name": "plot-check",
            "horizon": "28 d",
            "regimen": [
                {
                    "drug": "testosterone_cypionate",
                    "dose": "100 mg",
                    "route": "intramuscular",
                    "every": "7 d",
                },
                {"drug": "anastrozole", "dose": "0.5 mg", "route": "oral", "every": "3.5 d"},
            ],
        }
    )
    days = [float(d) for d in range(29)]
    df = pd.DataFrame(
        {
            "time_days": days,
            "total_testosterone_ng_dl": [600.0] * 29,
            "lh_iu_l": [4.0] * 29,
            "sperm_concentration_m_per_ml": [0.0] + [50.0] * 28,  # zero on a log axis
        }
    )
    path = tmp_path / "plot.png"
    plot_trajectories(df, scenario, path)
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert _files(tmp_path) == ["plot.png"]


def test_atomic_output_leaves_target_untouched_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("complete\n")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("parti")
        raise RuntimeError("writer crashed")
    assert target.read_text() == "complete\n"
    assert _files(tmp_path) == ["table.csv"]


def test_simulate_writes_sperm_events(runner: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "trt.yaml"
    scenario.write_text(
        "name: te-26-weeks\nhorizon: 400 d\n"
        "regimen:\n"
        "  - {drug: testosterone_enanthate, dose: 200 mg, route: intramuscular, every: 7 d, "
        "stop: 182 d}\n"
    )
    out, events = tmp_path / "out.csv", tmp_path / "ev" / "events.json"
    result = runner.invoke(
        app, ["simulate", str(scenario), "--out", str(out), "--events", str(events)]
    )
    assert result.exit_code == 0, result.output
    ev = json.loads(events.read_text())
    assert ev["scenario"] == "te-26-weeks"
    assert ev["androgen_start_day"] == 0.0
    assert ev["androgen_stop_day"] == 182.0  # 26 weekly doses, first missed at day 182
    below = ev["suppression"]["below_m_per_ml"]
    assert set(below) == {"1", "3", "5", "10", "15", "16", "20"}
    assert 0 < below["20"] < below["10"] < below["1"] < 182
    assert ev["recovery"]["reach_m_per_ml"]["20"] > 0
    assert "not medical advice" in ev["disclaimer"]


def test_simulate_events_bad_suffix_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out, events = tmp_path / "out.csv", tmp_path / "events.txt"
    result = runner.invoke(
        app,
        ["simulate", str(EXAMPLES / "stop_cold.yaml"), "--out", str(out), "--events", str(events)],
    )
    assert result.exit_code == 2
    assert "--events" in result.stderr and ".json" in result.stderr
    assert _files(tmp_path) == []


def test_simulate_says_how_it_read_a_clinicians_line(runner: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "words.yaml"
    scenario.write_text(
        "name: words\nhorizon: 14 d\nregimen:\n"
        "  - {drug: Depo-Testosterone, dose: 15 units, concentration: 200 mg/mL, route: SC,"
        " every: 7 d}\n"
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["simulate", str(scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "regimen[0]: read drug 'Depo-Testosterone' as testosterone_cypionate; route 'SC' as "
        "subcutaneous; dose '15 units' at 200 mg/mL as 30 mg"
    ) in result.stderr
    assert out.exists()


def test_set_replaces_a_parameter_and_is_recorded(runner: CliRunner, tmp_path: Path) -> None:
    scenario = tmp_path / "tc.yaml"
    scenario.write_text(
        "name: tc\nhorizon: 28 d\nregimen:\n"
        "  - {drug: testosterone_cypionate, dose: 200 mg, route: IM, every: 7 d}\n"
    )
    events = tmp_path / "events.json"
    out = tmp_path / "out.csv"
    args = ["simulate", str(scenario), "--out", str(out), "--events", str(events)]
    result = runner.invoke(app, [*args, "--set", "ka1_cypionate=2"])
    assert result.exit_code == 0, result.output
    assert "parameters set for this run: ka1_cypionate = 2" in result.stderr
    assert json.loads(events.read_text())["parameters"] == {"ka1_cypionate": 2.0}
    bad = runner.invoke(app, [*args, "--set", "ka1_cypionate=99"])
    assert bad.exit_code == 2
    assert "ka1_cypionate: 99 1/day is outside the fit's bounds 0.01-20 1/day" in bad.stderr
    malformed = runner.invoke(app, [*args, "--set", "ka1_cypionate"])
    assert malformed.exit_code == 2
    assert "expected NAME=VALUE" in malformed.stderr


def test_model_show_fits_80_columns() -> None:
    result = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"}).invoke(app, ["model", "show"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(x) for x in lines) <= 80
    assert any(x.startswith("ka1_cypionate = ") for x in lines)
    assert any("calibrated to: " in x for x in lines)
