"""Library protocols on a man's TRT history everywhere (issue #21): the history written as
text or a file, a protocol after a scenario file's own regimen, ``--protocol``/``--history``
on simulate, report and trial, and ``protocols show NAME --as-scenario``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.clinical.protocols import (
    TrtHistory,
    history_from_mapping,
    parse_history,
    protocol_after_scenario,
    protocol_scenario,
)
from hpgsim.measure.events import androgen_window
from hpgsim.scenario import load_scenario, scenario_from_dict

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "testosterone_cypionate 200 mg weekly for 3 years",
            TrtHistory(every="7.0 d", years=3.0),
        ),
        (
            "Depo-Testosterone 100 mg IM every 5 d for 18 months with anastrozole 0.5 mg "
            "twice weekly",
            TrtHistory(dose="100 mg", every="5 d", years=1.5, anastrozole_dose="0.5 mg"),
        ),
        (
            "Testosterone Enanthate 250 mg every 2 weeks for 52 weeks",
            TrtHistory(
                drug="testosterone_enanthate", dose="250 mg", every="2 weeks", years=364 / 365.25
            ),
        ),
        (
            "Androgel 50 mg daily for 1 year",
            TrtHistory(
                drug="testosterone_gel", dose="50 mg", route="transdermal", every="1.0 d", years=1
            ),
        ),
    ],
)
def test_history_text_reads_names_aliases_routes_and_times(text: str, expected: TrtHistory) -> None:
    got = parse_history(text)
    assert got.drug == expected.drug and got.route == expected.route
    assert got.dose == expected.dose and got.every == expected.every
    assert got.years == pytest.approx(expected.years, rel=1e-3)
    assert got.anastrozole_dose == expected.anastrozole_dose


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("testosterone_cypionate 200 mg weekly", "allowed: 'DRUG DOSE"),
        ("clomiphene 50 mg daily for 1 year", "drug 'clomiphene'"),
        ("testosterone_cypionate 200 mg XYZ weekly for 1 year", "route 'XYZ'"),
        ("testosterone_cypionate 200 mg weekly for 3 parsecs", "duration '3 parsecs'"),
        ("testosterone_cypionate 200 mg weekly for 40 years", "trt-years: got 40"),
    ],
)
def test_history_text_refusals_name_the_part(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"history|trt-years") as info:
        parse_history(text)
    assert message in str(info.value)


def test_history_file_fields() -> None:
    hist = history_from_mapping({"drug": "Delatestryl", "dose": "150 mg", "years": 2})
    assert hist.drug == "testosterone_enanthate" and hist.years == 2.0
    with pytest.raises(ValueError, match="unknown field 'dose_mg'; allowed: drug"):
        history_from_mapping({"dose_mg": 200})


def test_protocol_after_a_scenario_starts_at_its_first_missed_dose() -> None:
    base = scenario_from_dict(
        {
            "name": "my-trt",
            "horizon": "400 d",
            "patient": {"age_years": 41, "bmi_kg_m2": 31},
            "regimen": [
                {
                    "drug": "testosterone_cypionate",
                    "dose": "160 mg",
                    "route": "IM",
                    "every": "7 d",
                    "stop": "300 d",
                }
            ],
        }
    )
    sc, day0 = protocol_after_scenario("taper_then_stop", base)
    assert day0 == androgen_window(base)[1] == 301.0  # the doses end on day 294
    assert sc.patient == base.patient and sc.regimen[0] == base.regimen[0]
    taper = sc.regimen[1]
    assert taper.start_days == day0 and taper.dose == pytest.approx(0.75 * 160)
    assert sc.horizon_days == pytest.approx(day0 + 730.5)
    clo, _ = protocol_after_scenario("clomiphene", base)
    assert min(line.start_days for line in clo.regimen[1:]) == day0
    endless = scenario_from_dict({**base.to_input_dict(), "horizon": "200 d"})
    with pytest.raises(ValueError, match="does not stop before its horizon"):
        protocol_after_scenario("clomiphene", endless)


def test_cli_protocol_on_a_history(tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    res = runner.invoke(
        app,
        [
            "simulate",
            "--protocol",
            "stop_cold",
            "--history",
            "Depo-Testosterone 200 mg IM weekly for 8 weeks",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "read history" in res.stderr and "testosterone_cypionate" in res.stderr
    expected, _ = protocol_scenario(
        "stop_cold", history=TrtHistory(years=8 * 7 / 365.25), follow_up_days=730.5
    )
    table = pd.read_csv(out)
    assert table["time_days"].iloc[-1] == pytest.approx(
        expected.horizon_days // expected.output_every_days
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "-o", "x.csv"], "no scenario"),
        (["simulate", "--history", "x", "-o", "x.csv"], "give --protocol too"),
        (["simulate", "--protocol", "clomiphen", "-o", "x.csv"], "did you mean 'clomiphene'"),
        (
            [
                "simulate",
                str(EXAMPLES / "stop_cold.yaml"),
                "--protocol",
                "clomiphene",
                "--history",
                "testosterone_cypionate 200 mg weekly for 1 year",
                "-o",
                "x.csv",
            ],
            "already a history",
        ),
        (["trial", "--n", "2"], "no scenario"),
        (["report", "--protocol", "x"], "--protocol: got 'x'"),
        (["protocols", "show", "stop_cold", "--history", "x"], "give --as-scenario too"),
    ],
)
def test_cli_protocol_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert "Traceback" not in res.output


def test_protocols_show_as_scenario_writes_the_file_simulate_runs(tmp_path: Path) -> None:
    out = tmp_path / "combined.yaml"
    history = "testosterone_enanthate 250 mg every 2 weeks for 18 months"
    res = runner.invoke(
        app,
        [
            "protocols",
            "show",
            "hcg_recovery",
            "--as-scenario",
            "--history",
            history,
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    written = load_scenario(out)
    assert "not medical advice" in out.read_text()
    expected, _ = protocol_scenario(
        "hcg_recovery", history=parse_history(history), follow_up_days=730.5
    )
    assert written.regimen == expected.regimen and written.horizon_days == expected.horizon_days
    assert yaml.safe_load(out.read_text())["name"] == "hcg_recovery"
