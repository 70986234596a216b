"""The typed result of a solve: times, outputs by column name, the doses given; its table is
what ``simulate`` returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hpgsim import Solution, scenario_from_dict, simulate, solve
from hpgsim.engine.inputs import Covariates, prepare
from hpgsim.model import axis

SCENARIO = {
    "name": "te-then-clomiphene",
    "horizon": "60 d",
    "output_every": "1 d",
    "patient": {"age_years": 40, "bmi_kg_m2": 28},
    "regimen": [
        {
            "drug": "testosterone_enanthate",
            "dose": "100 mg",
            "route": "intramuscular",
            "every": "7 d",
            "stop": "28 d",
        },
        {
            "drug": "clomiphene_citrate",
            "dose": "25 mg",
            "route": "oral",
            "every": "1 d",
            "start": "35 d",
            "stop": "45 d",
        },
    ],
}


@pytest.fixture(scope="module")
def solved() -> Solution:
    return solve(scenario_from_dict(SCENARIO))


def test_solution_names_its_columns_and_times(solved: Solution) -> None:
    assert solved.times[0] == 0.0 and solved.times[-1] == 60.0 and len(solved.times) == 61
    assert solved.columns[: len(axis.HORMONE_COLUMNS)] == axis.HORMONE_COLUMNS
    assert solved.columns[len(axis.HORMONE_COLUMNS) :] == (
        "testosterone_enanthate_ng_ml",
        "enclomiphene_ng_ml",
        "zuclomiphene_ng_ml",
    )
    assert solved["time_days"] is solved.times
    with pytest.raises(KeyError, match="'hcg_iu_l': not in this solution; allowed: time_days"):
        solved["hcg_iu_l"]


def test_solution_lists_the_doses_given(solved: Solution) -> None:
    te = [d for d in solved.doses if d.drug == "testosterone_enanthate"]
    cc = [d for d in solved.doses if d.drug == "clomiphene_citrate"]
    assert [d.time_days for d in te] == [0.0, 7.0, 14.0, 21.0]
    assert all(d.amount == 100.0 and d.unit == "mg" and d.route == "intramuscular" for d in te)
    assert [d.time_days for d in cc] == [float(t) for t in range(35, 45)]
    assert [d.time_days for d in solved.doses] == sorted(d.time_days for d in solved.doses)


def test_simulate_is_the_solution_as_a_table(solved: Solution) -> None:
    table = simulate(scenario_from_dict(SCENARIO))
    pd.testing.assert_frame_equal(table, solved.to_frame())
    assert list(table.columns) == ["time_days", *solved.columns]


def test_covariates_carry_the_scenario_field_names() -> None:
    sc = scenario_from_dict({**SCENARIO, "patient": {"fasting_insulin_uU_ml": 20}})
    cov = Covariates.from_scenarios([sc], {"T_ref": 531.0})
    assert cov.bmi_kg_m2.tolist() == [25.0]
    assert cov.baseline_total_testosterone_ng_dl.tolist() == [531.0]
    assert "shbg_offset" in cov.arrays() and np.isfinite(cov.arrays()["shbg_offset"]).all()
    inputs = prepare([sc])
    assert inputs.y0.shape == (1, axis.N_STATES)


def test_a_scenarios_parameters_act_as_the_callers_overrides_and_batches_group_by_them() -> None:
    """A scenario's own ``parameters`` give the same solve as passing them as overrides; a batch
    mixing scenarios with and without them solves each with its own (issue #21)."""
    from hpgsim import simulate_many

    base = {
        "name": "tc",
        "horizon": "28 d",
        "regimen": [
            {"drug": "testosterone_cypionate", "dose": "200 mg", "route": "IM", "every": "7 d"}
        ],
    }
    plain = scenario_from_dict(base)
    own = scenario_from_dict({**base, "name": "tc-fast", "parameters": {"ka1_cypionate": 2.0}})
    with_own = simulate(own)
    as_pop = simulate(plain, pop={"ka1_cypionate": 2.0})
    col = "total_testosterone_ng_dl"
    np.testing.assert_allclose(with_own[col], as_pop[col], rtol=1e-12)
    assert not np.allclose(with_own[col], simulate(plain)[col], rtol=1e-3)
    mixed = simulate_many([plain, own])
    np.testing.assert_allclose(mixed[0][col], simulate(plain)[col], rtol=1e-12)
    np.testing.assert_allclose(mixed[1][col], with_own[col], rtol=1e-12)
