"""NM-TRAN / mrgsolve event data (issue #21): the reader (ADDL/II, aliases, hours, covariates,
observations, every refusal naming line, field and value), the writer's records, the round
trip through a trial's men, and the ``hpgsim import nmtran`` / ``hpgsim trial --nmtran``
commands."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.engine.inputs import Covariates, prepare_population
from hpgsim.engine.simulation import solve_prepared
from hpgsim.model import axis
from hpgsim.scenario import load_scenario, scenario_from_dict
from hpgsim.scenario.nmtran import (
    NMTranError,
    SimulatedMan,
    mappings_from_meta,
    nmtran_table,
    read_nmtran,
)

DATASET = """\
ID,TIME,AMT,CMT,EVID,II,ADDL,RATE,DV,DVID,DRUG,ROUTE,AGE,WT,HT,BLTT,SITE
1,0,.,.,0,.,.,.,550,1,.,.,40,80,180,600,3
1,0,200,1,1,168,3,0,.,.,Depo-Testosterone,IM,40,80,180,600,3
1,12,.,.,2,.,.,.,.,.,.,.,40,80,180,600,3
1,672,.,.,0,.,.,.,800,1,.,.,40,80,180,600,3
1,672,.,.,0,.,.,.,2.5,2,.,.,40,80,180,600,3
2,0,50,2,1,24,6,0,.,.,.,.,30,.,.,.,4
2,36,.,.,0,.,.,.,.,1,.,.,30,.,.,.,4
2,168,.,.,0,.,.,.,400,1,.,.,30,.,.,.,4
"""


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def schedule(line: object, horizon: float) -> list[tuple[list[float], float]]:
    return [(list(t), d) for t, d in line.dose_schedule(horizon)]  # type: ignore[attr-defined]


def test_reader_expands_addl_resolves_aliases_and_keeps_covariates_and_observations(
    tmp_path: Path,
) -> None:
    data = read_nmtran(
        write(tmp_path, DATASET),
        drug_by_cmt={2: ("Clomid", None)},
        output_by_dvid={1: "total_testosterone_ng_dl", 2: "lh_iu_l"},
    )
    one, two = data.subjects
    assert [s.name for s in data.scenarios] == ["data_ID1", "data_ID2"]
    # ID 1: Depo-Testosterone IM, 200 mg + 3 more every 168 h -> days 0, 7, 14, 21
    (line,) = one.scenario.regimen
    assert (line.drug, line.route, line.dose) == ("testosterone_cypionate", "intramuscular", 200)
    assert line.every_days == 7.0
    assert schedule(line, one.scenario.horizon_days) == [([0.0, 7.0, 14.0, 21.0], 200.0)]
    assert one.scenario.horizon_days == 28.0  # the last observation, 672 h
    assert one.scenario.output_every_days == 1.0  # daily: through every observation
    patient = one.scenario.patient
    assert patient.age_years == 40.0
    assert patient.bmi_kg_m2 == pytest.approx(80 / 1.8**2)  # WT kg / (HT m)^2
    assert patient.baseline_total_testosterone_ng_dl == 600.0
    assert one.covariates == {"AGE": 40.0, "WT": 80.0, "HT": 180.0, "BLTT": 600.0, "SITE": 3.0}
    obs = one.observations
    assert obs["time_days"].tolist() == [0.0, 28.0, 28.0]
    assert obs["DV"].tolist() == [550.0, 800.0, 2.5]
    assert obs["output"].tolist() == [
        "total_testosterone_ng_dl",
        "total_testosterone_ng_dl",
        "lh_iu_l",
    ]
    assert obs["line"].tolist() == [2, 5, 6]
    # ID 2: CMT 2 -> clomiphene citrate, its only route; 50 mg daily for 7 days
    (line,) = two.scenario.regimen
    assert (line.drug, line.route) == ("clomiphene_citrate", "oral")
    assert schedule(line, two.scenario.horizon_days) == [([float(d) for d in range(7)], 50.0)]
    assert two.scenario.output_every_days == 0.5  # gcd of 36 h and 168 h: 12 h
    missing = two.observations.iloc[0]
    assert np.isnan(missing["DV"]) and missing["MDV"] == 1
    assert two.scenario.patient.bmi_kg_m2 == 25.0  # no BMI, WT or HT: the default
    assert any("EVID 2" in n for n in data.notes)
    assert any("SITE" in n for n in data.notes)
    assert len(data.observations) == 5


def test_reader_days_amount_unit_and_an_infusion(tmp_path: Path) -> None:
    text = (
        "ID,TIME,AMT,CMT,EVID,RATE,II,ADDL,DV\n"
        "1,0,0.1,1,1,0,7,1,.\n"  # 0.1 mg = 100 ug of gonadorelin, SC, repeated once at day 7
        "1,14,0.024,2,1,0.012,0,0,.\n"  # 24 ug at 12 ug/d: a 2-day infusion from day 14
        "1,20,.,.,0,.,.,.,5\n"
    )
    data = read_nmtran(
        write(tmp_path, text),
        time_unit="d",
        amt_unit="mg",
        drug_by_cmt={1: ("GnRH", "SC"), 2: ("gonadorelin", "intravenous")},
    )
    (sc,) = data.scenarios
    bolus, infusion = sc.regimen
    assert (bolus.drug, bolus.route, bolus.dose) == ("gonadorelin", "subcutaneous", 100.0)
    assert schedule(bolus, sc.horizon_days) == [([0.0, 7.0], 100.0)]
    assert infusion.rate == pytest.approx(12.0)  # ug/day
    assert infusion.infusion_window(sc.horizon_days) == (14.0, 16.0)
    assert sc.horizon_days == 20.0


REFUSED = [
    pytest.param("ID,TIME,AMT,CMT\n1,0,100,7\n", "line 2 (ID 1), CMT: got '7'", id="unknown-cmt"),
    pytest.param("ID,TIME,AMT,CMT,EVID\n1,0,0,1,3\n", "EVID: got 3; EVID 3 (reset)", id="evid-3"),
    pytest.param(
        "ID,TIME,AMT,CMT,EVID\n1,0,100,1,4\n", "EVID 4 (reset and dose) is not", id="evid-4"
    ),
    pytest.param(
        "ID,TIME,AMT,CMT,AGE\n1,0,100,1,40\n1,24,0,0,41\n",
        "line 3 (ID 1), AGE: got '41'; one value per ID",
        id="varying-covariate",
    ),
    pytest.param(
        "ID,TIME,AMT,CMT,EVID\n1,0,-100,1,1\n", "line 2 (ID 1), AMT: got '-100'", id="negative-amt"
    ),
    pytest.param("ID,AMT,CMT\n1,100,1\n", "header, TIME: got no such column", id="no-time"),
    pytest.param(
        "ID,TIME,AMT,CMT,RATE\n1,0,100,1,-2\n", "RATE: got -2; a modelled rate", id="rate-minus-2"
    ),
    pytest.param(
        "ID,TIME,AMT,CMT,RATE\n1,0,100,1,10\n",
        "testosterone_cypionate cannot be infused",
        id="infusion-of-a-depot",
    ),
    pytest.param("ID,TIME,AMT,CMT,SS\n1,0,100,1,1\n", "SS: got 1; 0 or '.'", id="steady-state"),
    pytest.param("ID,TIME,AMT,CMT\n1,0,abc,1\n", "line 2, AMT: got 'abc'", id="not-a-number"),
    pytest.param(
        "ID,TIME,AMT,CMT\n1,48,0,0\n1,24,0,0\n", "line 3 (ID 1), TIME: got 24", id="time-back"
    ),
    pytest.param(
        "ID,TIME,AMT,DRUG\n1,0,100,Testosteron Cyp\n",
        "DRUG: got 'Testosteron Cyp'; a drug name or alias",
        id="unknown-drug",
    ),
    pytest.param(
        "ID,TIME,AMT,DRUG\n1,0,100,testosterone_enanthate\n",
        "ROUTE: got nothing; testosterone_enanthate can be given by intramuscular, subcutaneous",
        id="route-needed",
    ),
    pytest.param(
        "ID,TIME,AMT,CMT,ADDL,II\n1,0,2000,1,3,168\n",
        "line 2 (ID 1), regimen[0].dose: got '2000.0 mg'",
        id="dose-above-bound",
    ),
    pytest.param(
        "ID,TIME,AMT,CMT,AGE\n1,0,100,1,12\n",
        "ID 1, AGE (patient.age_years): got 12",
        id="age-out-of-range",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_reader_refuses_naming_line_field_and_value(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(NMTranError) as err:
        read_nmtran(
            write(tmp_path, text), drug_by_cmt={1: ("testosterone_cypionate", "intramuscular")}
        )
    assert expected in str(err.value)
    assert str(err.value).startswith("Invalid NM-TRAN dataset")


def _man(sc_doc: dict[str, object], man_id: int) -> SimulatedMan:
    sc = scenario_from_dict(sc_doc)
    times = np.arange(0.0, sc.horizon_days + 1e-9, 7.0)
    return SimulatedMan(
        id=man_id,
        scenario=sc,
        covariates={"AGE": 30.0 + man_id, "COND": 0.0},
        times_days=times,
        outputs={"total_testosterone_ng_dl": 500.0 + times, "lh_iu_l": 5.0 + 0 * times},
    )


WRITTEN = {
    "name": "mixed",
    "horizon": "56 d",
    "output_every": "7 d",
    "regimen": [
        {
            "drug": "clomiphene",
            "dose": "50 mg",
            "route": "oral",
            "every": "1 d",
            "taper": ["25 mg"],
            "taper_every": "14 d",
        },
        {"drug": "hcg", "dose": "2000 IU", "route": "SC", "start": "3 d"},
        {"drug": "gonadorelin", "rate": "250 ug/d", "route": "SC", "start": "30 d", "stop": "37 d"},
    ],
}


def test_writer_records_compact_repeats_and_read_back_to_the_same_doses(tmp_path: Path) -> None:
    men = [_man(WRITTEN, 1), _man(WRITTEN, 2)]
    table, meta = nmtran_table(men)
    head = ["ID", "TIME", "AMT", "CMT", "EVID", "MDV", "II", "ADDL", "RATE", "DV", "DVID"]
    assert list(table.columns) == [*head, "AGE", "COND"]
    doses = table[(table.ID == 1) & (table.EVID == 1)]
    # clomiphene: 50 mg daily for 14 d then 25 mg daily for 14 d: two records; hCG once;
    # gonadorelin: one infusion record, 250 ug/d = 10.4167 ug/h for 7 d = 1750 ug
    assert doses[["TIME", "AMT", "CMT", "II", "ADDL", "RATE"]].values.tolist() == [
        [0.0, 50.0, 1, 24.0, 13, 0.0],
        [72.0, 2000.0, 2, 0.0, 0, 0.0],
        [336.0, 25.0, 1, 24.0, 13, 0.0],
        [720.0, pytest.approx(1750.0), 3, 0.0, 0, pytest.approx(250.0 / 24)],
    ]
    at_zero = table[(table.ID == 1) & (table.TIME == 0.0)]
    assert at_zero.EVID.tolist() == [0, 0, 1]  # sampled before the dose at the same time
    assert meta["cmt"]["2"] == {
        "drug": "hcg",
        "route": "subcutaneous",
        "amt_unit": "IU",
        "rate_unit": "IU/h",
    }
    assert meta["dvid"] == {
        "1": {"output": "total_testosterone_ng_dl", "unit": "ng/dL"},
        "2": {"output": "lh_iu_l", "unit": "IU/L"},
    }
    path = tmp_path / "w.csv"
    table.to_csv(path, index=False)
    cmt, dvid = mappings_from_meta(json.loads(json.dumps(meta)))
    data = read_nmtran(path, drug_by_cmt=cmt, output_by_dvid=dvid)
    original = men[0].scenario
    for subject in data.subjects:
        sc = subject.scenario
        assert sc.horizon_days == original.horizon_days
        assert sc.output_every_days == 1.0
        got = sorted(
            (line.drug, float(t), d)
            for line in sc.regimen
            for times, d in line.dose_schedule(sc.horizon_days)
            for t in times
        )
        want = sorted(
            (line.drug, float(t), d)
            for line in original.regimen
            for times, d in line.dose_schedule(original.horizon_days)
            for t in times
        )
        assert [(g[0], g[2]) for g in got] == [(w[0], w[2]) for w in want]
        np.testing.assert_allclose([g[1] for g in got], [w[1] for w in want], atol=1e-9)
        infusions = [line.infusion_window(sc.horizon_days) for line in sc.regimen if line.rate]
        assert infusions == [(30.0, 37.0)]
        obs = subject.observations
        assert set(obs.output) == {"total_testosterone_ng_dl", "lh_iu_l"}
    assert data.subjects[1].covariates == {"AGE": 32.0, "COND": 0.0}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.mark.slow
def test_trial_dataset_round_trip_reproduces_the_men(runner: CliRunner, tmp_path: Path) -> None:
    """A trial's men written as a dataset and read back: same regimen, same covariates and
    parameter multipliers, so the same simulated values (DV) within 1e-6."""
    scenario = tmp_path / "te.yaml"
    scenario.write_text(
        "name: te\nhorizon: 56 d\nregimen:\n"
        "  - {drug: Xyosted, dose: 100 mg, route: SC, every: 7 d, stop: 28 d}\n"
    )
    data = tmp_path / "ds" / "men.csv"
    result = runner.invoke(
        app,
        [
            "trial",
            str(scenario),
            "--n",
            "4",
            "--seed",
            "7",
            "--out",
            str(tmp_path / "trial"),
            "--nmtran",
            str(data),
            "--nmtran-men",
            "3",
            "--nmtran-every",
            "7 d",
        ],
    )
    assert result.exit_code == 0, result.output
    meta = json.loads(data.with_suffix(".json").read_text())
    assert meta["trial"]["men_written"] == 3
    cmt, dvid = mappings_from_meta(meta)
    assert cmt == {1: ("testosterone_enanthate", "subcutaneous")}
    read = read_nmtran(data, drug_by_cmt=cmt, output_by_dvid=dvid)
    assert [s.id for s in read.subjects] == ["1", "2", "3"]
    rows = pd.read_parquet(tmp_path / "trial" / "patients.parquet")
    arm = load_scenario(scenario)
    pop = axis.population_parameters()
    for subject in read.subjects:
        sc = subject.scenario
        assert sc.regimen == arm.regimen  # the dose records rebuild the regimen itself
        man = rows.iloc[int(subject.id) - 1]
        assert sc.patient.age_years == man["age_years"]
        assert sc.patient.testicular_volume_ml == man["testicular_volume_ml"]
        assert subject.multipliers["CL_T_ref"] == man["bsv_CL_T_ref"]
        cov = Covariates.from_scenarios([sc], pop)
        cov = replace(
            cov, parameter_multipliers={k: np.array([v]) for k, v in subject.multipliers.items()}
        )
        out = np.asarray(
            solve_prepared(
                prepare_population(sc, cov),
                horizon_days=sc.horizon_days,
                output_every_days=sc.output_every_days,
            )
        )[:, 0, :]
        obs = subject.observations
        assert set(obs.output) == {v["output"] for v in meta["dvid"].values()}
        for name, group in obs.groupby("output"):
            row = np.round(group["time_days"].to_numpy() / sc.output_every_days).astype(int)
            simulated = out[row, axis.OUTPUT_COLUMNS.index(str(name))]
            np.testing.assert_allclose(group["DV"].to_numpy(), simulated, rtol=1e-6)


def test_cli_import_writes_scenarios_and_refuses_bad_data(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = write(tmp_path, DATASET)
    out = tmp_path / "scenarios"
    ok = runner.invoke(
        app,
        [
            "import",
            "nmtran",
            str(data),
            "--out-dir",
            str(out),
            "--cmt",
            "2=clomiphene",
            "--dvid",
            "1=total_testosterone_ng_dl",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert sorted(p.name for p in out.iterdir()) == [
        "data_ID1.yaml",
        "data_ID2.yaml",
        "manifest.json",
        "observations.csv",
        "subjects.csv",
    ]
    sc = load_scenario(out / "data_ID2.yaml")
    assert sc.regimen[0].drug == "clomiphene_citrate" and sc.regimen[0].every_days == 1.0
    subjects = pd.read_csv(out / "subjects.csv")
    assert subjects["scenario"].tolist() == ["data_ID1.yaml", "data_ID2.yaml"]
    assert "SITE" in ok.output  # the unknown covariate is reported

    bad = write(tmp_path, "ID,TIME,AMT,CMT,EVID\n1,0,100,1,3\n", "bad.csv")
    refused = runner.invoke(app, ["import", "nmtran", str(bad), "--out-dir", str(tmp_path / "x")])
    assert refused.exit_code == 2
    assert "line 2 (ID 1), EVID: got 3" in refused.output
    assert "Traceback" not in refused.output
    assert not (tmp_path / "x").exists()  # no partial output

    unmapped = runner.invoke(app, ["import", "nmtran", str(data), "--out-dir", str(tmp_path / "y")])
    assert unmapped.exit_code == 2 and "line 7 (ID 2), CMT: got '2'" in unmapped.output
    assert not (tmp_path / "y").exists()

    option = runner.invoke(
        app, ["import", "nmtran", str(data), "--out-dir", str(tmp_path / "z"), "--cmt", "x=y"]
    )
    assert option.exit_code == 2 and "--cmt: got 'x=y'" in option.output


def test_cli_trial_nmtran_option_checked_before_the_solve(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = tmp_path / "te.yaml"
    scenario.write_text("name: te\nhorizon: 56 d\n")
    base = ["trial", str(scenario), "--n", "2", "--out", str(tmp_path / "t")]
    wrong = runner.invoke(app, [*base, "--nmtran", str(tmp_path / "d.parquet")])
    assert wrong.exit_code == 2 and "unsupported file extension" in wrong.output
    outputs = runner.invoke(
        app, [*base, "--nmtran", str(tmp_path / "d.csv"), "--nmtran-outputs", "testosterone"]
    )
    assert outputs.exit_code == 2 and "--nmtran-outputs: got 'testosterone'" in outputs.output
    every = runner.invoke(
        app, [*base, "--nmtran", str(tmp_path / "d.csv"), "--nmtran-every", "1 min"]
    )
    assert every.exit_code == 2 and "--nmtran-every: got '1 min'" in every.output
    assert not (tmp_path / "t").exists() and not (tmp_path / "d.csv").exists()
