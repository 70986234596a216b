"""Sensitivity analysis (issue #21): elasticities through the engine against central finite
differences of the same solve, zeros where a parameter cannot act, signs physiology dictates,
a tiny Sobol run, and the ``hpgsim sensitivity`` command's files and error exits."""

from __future__ import annotations

import functools
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.clinical import sensitivity as sens
from hpgsim.clinical.course import day_zero, recovery_days, with_recovery_follow_up
from hpgsim.engine.simulation import simulate
from hpgsim.measure.events import DAYS_PER_MONTH
from hpgsim.scenario import Scenario, scenario_from_dict

# Twelve weeks of testosterone enanthate, then off: sperm falls below 20 M/mL on treatment and
# recovers within the 24-month follow-up. Age 45: away from the kinks at age_ref and
# ssc_age_onset (35 y), where a derivative has no single value.
TE_STOP: dict = {
    "name": "te-12-weeks-then-stop",
    "horizon": "91 d",
    "output_every": "1 d",
    "patient": {"age_years": 45, "bmi_kg_m2": 27, "baseline_sperm_concentration_m_per_ml": 60},
    "regimen": [
        {
            "drug": "testosterone_enanthate",
            "dose": "200 mg",
            "route": "intramuscular",
            "every": "7 d",
            "stop": "84 d",
        }
    ],
}
SHORT_TE: dict = {**TE_STOP, "name": "te-4-weeks", "horizon": "28 d"}

# Parameters of the germ-cell chain, the feedback, the pituitary and the product: all on the
# path. (ke_LH was the pituitary's until issue #19's two-compartment LH: with LH synthesis set
# by the MCR, its elasticity on months_to_20 fell below this test's 1e-3 floor; the
# gonadotroph capacity's is 3e-3.)
FD_PARAMETERS = ("sperm_duration", "k_ssc_renew", "fb_T_imax", "frac_T_enanthate", "lh_capacity")


@functools.cache
def _scenario(name: str) -> Scenario:
    return scenario_from_dict({"TE_STOP": TE_STOP, "SHORT_TE": SHORT_TE}[name])


@functools.cache
def _local_recovery() -> sens.LocalSensitivity:
    names = (*FD_PARAMETERS, "ka_hcg", "IC50_let")
    return sens.local_sensitivities(_scenario("TE_STOP"), "months_to_20", parameters=names)


def test_recovery_output_is_the_clinical_layers() -> None:
    """months_to_20 equals clinical.course.recovery_days (which rounds to 0.1 day)."""
    sc, _ = with_recovery_follow_up(_scenario("TE_STOP"))
    table = simulate(sc)
    days = recovery_days(
        table["time_days"].to_numpy(),
        table["sperm_concentration_m_per_ml"].to_numpy(),
        day_zero(sc),
        20.0,
    )
    assert _local_recovery().value == pytest.approx(days / DAYS_PER_MONTH, abs=0.06 / 30)


def test_elasticities_match_central_finite_differences() -> None:
    """jax.jacfwd through the initialization and the solve against central differences of the
    same output (each parameter p0 exp(+-h), h = 1e-4, all in one batched solve)."""
    local = _local_recovery().table.set_index("parameter")
    spec = sens.parse_output("months_to_20", _scenario("TE_STOP"))
    of = sens.output_function(_scenario("TE_STOP"), spec, FD_PARAMETERS)
    h = 1e-4
    k = len(FD_PARAMETERS)
    u = np.concatenate([np.zeros((1, k)), h * np.eye(k), -h * np.eye(k)])
    y, status = of.fn(jnp.asarray(u))
    y = np.asarray(y)
    assert np.all(np.asarray(status) == 0)
    fd = (y[1 : k + 1] - y[k + 1 :]) / (2 * h) / y[0]
    for j, name in enumerate(FD_PARAMETERS):
        ad = float(local.loc[name, "elasticity"])
        assert abs(ad) > 1e-3, name
        assert ad == pytest.approx(fd[j], rel=1e-5), name  # measured: 1e-8


def test_a_parameter_of_an_absent_drug_has_zero_elasticity() -> None:
    local = _local_recovery().table.set_index("parameter")
    assert local.loc["ka_hcg", "elasticity"] == 0.0
    assert local.loc["IC50_let", "elasticity"] == 0.0


@pytest.mark.slow
def test_signs_follow_physiology() -> None:
    """Longer spermatogenesis, slower recovery; faster stem-cell renewal, faster recovery; on
    testosterone, more clearance lowers total T and stronger androgen feedback lowers LH."""
    rec = _local_recovery().table.set_index("parameter")["elasticity"]
    assert rec["sperm_duration"] > 0.0
    assert rec["k_ssc_renew"] < 0.0
    sc = _scenario("SHORT_TE")
    t = sens.local_sensitivities(
        sc, "mean:total_testosterone_ng_dl", parameters=["CL_T_ref", "frac_T_enanthate"]
    ).table.set_index("parameter")["elasticity"]
    assert t["CL_T_ref"] < 0.0 < t["frac_T_enanthate"]
    lh = sens.local_sensitivities(sc, "lh_iu_l@21", parameters=["fb_T_imax"]).table
    assert float(lh["elasticity"].iloc[0]) < 0.0


def test_output_and_parameter_errors_name_the_value_and_what_is_allowed() -> None:
    sc = _scenario("SHORT_TE")
    with pytest.raises(sens.SensitivityError, match=r"'months_to_99'.*allowed: months_to_20"):
        sens.parse_output("months_to_99", sc)
    with pytest.raises(sens.SensitivityError, match=r"no column 'hcg_iu_l'.*lh_iu_l"):
        sens.parse_output("mean:hcg_iu_l", sc)  # hCG is not in this regimen
    with pytest.raises(sens.SensitivityError, match=r"outside the horizon"):
        sens.parse_output("lh_iu_l@400", sc)
    with pytest.raises(sens.SensitivityError, match=r"'ke_lhh'.*allowed: .*ke_LH"):
        sens.check_parameters(["ke_lhh"])


def test_an_undefined_recovery_is_an_error_not_nan() -> None:
    untreated = scenario_from_dict({**SHORT_TE, "name": "untreated", "regimen": []})
    with pytest.raises(sens.UndefinedOutputError, match="never fell below"):
        sens.local_sensitivities(untreated, "months_to_20", parameters=["ke_LH"])


def test_sobol_on_a_tiny_problem() -> None:
    pytest.importorskip("SALib")
    res = sens.sobol_indices(
        _scenario("SHORT_TE"),
        "mean:total_testosterone_ng_dl",
        ["CL_T_ref", "frac_T_enanthate"],
        n=16,
        seed=1,
    )
    assert res.solves == 16 * (2 * 2 + 2)
    assert list(res.table["parameter"]) == ["CL_T_ref", "frac_T_enanthate"] or list(
        res.table["parameter"]
    ) == ["frac_T_enanthate", "CL_T_ref"]
    assert res.table.shape == (2, 10)
    for col in ("S1", "S1_conf", "ST", "ST_conf"):
        assert np.all(np.isfinite(res.table[col]))
    assert np.all((res.table["S1"] >= -0.2) & (res.table["S1"] <= 1.2))
    # not calibrated: +-20 % of the value
    row = res.table.set_index("parameter").loc["CL_T_ref"]
    assert row["low"] == pytest.approx(0.8 * row["value"])
    assert row["high"] == pytest.approx(1.2 * row["value"])


# ------------------------------------------------------------------ the command


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_cli_writes_the_table_and_the_tornado(tmp_path: Path) -> None:
    path = _write(tmp_path, SHORT_TE)
    out, plot = tmp_path / "t.csv", tmp_path / "t.png"
    result = CliRunner().invoke(
        app,
        [
            "sensitivity",
            str(path),
            "--output",
            "mean:total_testosterone_ng_dl",
            "--parameters",
            "CL_T_ref,frac_T_enanthate,ka_hcg",
            "--top",
            "2",
            "--out",
            str(out),
            "--plot",
            str(plot),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "elasticity" in result.output and "CL_T_ref" in result.output
    table = pd.read_csv(out)
    assert list(table["parameter"]) == ["CL_T_ref", "frac_T_enanthate"] or list(
        table["parameter"]
    ) == ["frac_T_enanthate", "CL_T_ref"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--output", "months_to_99"], "'months_to_99'"),
        (["--output", "mean:lh_iu_l", "--parameters", "nope"], "'nope'"),
        (["--output", "months_to_20"], "undefined"),
    ],
)
def test_cli_errors_exit_2_and_write_nothing(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    data = {**SHORT_TE, "regimen": []} if expected == "undefined" else SHORT_TE
    path = _write(tmp_path, data)
    out, plot = tmp_path / "t.csv", tmp_path / "t.png"
    result = CliRunner().invoke(
        app,
        ["sensitivity", str(path), *args, "--parameters", "ke_LH", "--out", str(out)]
        if "--parameters" not in args
        else ["sensitivity", str(path), *args, "--out", str(out), "--plot", str(plot)],
    )
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "allowed" in result.output or expected == "undefined"
    assert not out.exists() and not plot.exists()
