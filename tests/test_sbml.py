"""SBML export (issues #5 and #21): the exported document is valid SBML (no errors, units
declared where the model knows them, no Boolean stored in a parameter) and both libRoadRunner
and COPASI reproduce hpgsim's trajectories within 1 % (the metric of
tests/test_engine_vs_reference.py, sampled just before each output time so that a dose at that
time is not yet given, as in hpgsim). COPASI (python-copasi via basico) is a test dependency
only: the package never imports it."""

from __future__ import annotations

import locale
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from hpgsim import load_scenario, simulate
from hpgsim.bench import column_errors
from hpgsim.cli import app
from hpgsim.model import axis
from hpgsim.output.sbml import MIN_RUN, export_sbml, load_roadrunner, state_id, unit_sid
from hpgsim.scenario import Scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PATHS = sorted(EXAMPLES.glob("*.yaml"))


def _roadrunner_errors(path: Path) -> dict[str, float]:
    pytest.importorskip("roadrunner")
    sc = load_scenario(path)
    rr = load_roadrunner(sc)
    df = simulate(sc)
    cols = list(df.columns[1:])
    rr.timeCourseSelections = ["time", *cols]
    times = df.time_days.to_numpy()
    res = rr.simulate(times=np.concatenate([[0.0], times[1:] - 1e-6]))
    rr_table = pd.DataFrame(np.asarray(res)[:, 1:], columns=cols)
    return column_errors(
        rr_table.iloc[1:].reset_index(drop=True), df.iloc[1:].reset_index(drop=True)
    )


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in PATHS])
@pytest.mark.slow
def test_roadrunner_matches_hpgsim_within_one_percent(path: Path) -> None:
    errors = _roadrunner_errors(path)
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] < 0.01, f"{path.name}: {worst} {errors[worst]:.3%}"


def test_export_is_valid_sbml_with_doses_as_events(tmp_path: Path) -> None:
    libsbml = pytest.importorskip("libsbml")
    out = tmp_path / "stop_cold.xml"
    result = CliRunner().invoke(
        app, ["export", "sbml", str(EXAMPLES / "stop_cold.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = libsbml.readSBMLFromFile(str(out))
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    assert doc.checkConsistency() == 0 or doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    model = doc.getModel()
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    # 104 weekly cypionate doses and 209 anastrozole doses (twice weekly), some on one day
    assert model.getNumEvents() >= 104
    assert model.getParameter("total_testosterone_ng_dl") is not None
    assert "not medical advice" in model.getName()
    bad = CliRunner().invoke(
        app, ["export", "sbml", str(EXAMPLES / "stop_cold.yaml"), "-o", "x.txt"]
    )
    assert bad.exit_code == 2 and ".xml" in bad.stderr


def test_select_n_of_several_cases_becomes_one_piecewise() -> None:
    """A three-way jax.lax.select_n is translated (it was an export error) into one SBML
    piecewise that picks case k where the index equals k and case 0 otherwise, and libSBML
    parses it as a piecewise."""
    libsbml = pytest.importorskip("libsbml")
    import jax

    from hpgsim.output.sbml import _Tracer

    closed = jax.make_jaxpr(lambda i, a, b, c: jax.lax.select_n(i, a, b, c))(
        np.int32(0), 1.0, 2.0, 3.0
    )
    tracer = _Tracer()
    args = [np.asarray(name, dtype=object) for name in ("i", "a", "b", "c")]
    (out,) = tracer.run(closed.jaxpr, list(closed.consts), args)
    formula = dict(tracer.rules)[str(out)]
    assert formula == "piecewise(b, eq(i, 1), c, eq(i, 2), a)"
    math = libsbml.parseL3Formula(formula)
    assert math is not None and math.getType() == libsbml.AST_FUNCTION_PIECEWISE


# COPASI's LSODA: relative tolerance as libRoadRunner's. COPASI takes one absolute tolerance
# and scales it per state by min(1, |initial value|), unscaled where a state starts at 0 (its
# CMathContainer::initializeAtolVector): 1e-12 left the gonadorelin depot, which starts empty,
# 8 % off in article_protocol (its daily samples fall 12 to 24 h after a dose, 30 absorption
# half-lives on); 1e-16 is libRoadRunner's tolerance for such a state (1e-10 x 1e-6).
COPASI_RTOL = 1e-8
COPASI_ATOL = 1e-16


def _copasi_table(xml: str, times: np.ndarray, columns: list[str]) -> tuple[pd.DataFrame, str]:
    """COPASI's values of ``columns`` at ``times`` (days) for the SBML ``xml``, and the messages
    COPASI logged while importing it."""
    # COPASI sets the process's LC_CTYPE to "C" (ASCII): every later open() without an
    # encoding in this pytest process would then fail on UTF-8 text; give it back after use
    ctype = locale.setlocale(locale.LC_CTYPE)
    try:
        return _copasi_run(xml, times, columns)
    finally:
        locale.setlocale(locale.LC_CTYPE, ctype)


def _copasi_run(xml: str, times: np.ndarray, columns: list[str]) -> tuple[pd.DataFrame, str]:
    basico = pytest.importorskip("basico")
    copasi = pytest.importorskip("COPASI")
    copasi.CCopasiMessage.getAllMessageText()  # empty the message stack
    dm = basico.load_model_from_string(xml)
    try:
        messages = copasi.CCopasiMessage.getAllMessageText()
        res = basico.run_time_course(
            duration=float(times[-1]),
            values=[float(t) for t in times],
            method="deterministic",
            r_tol=COPASI_RTOL,
            a_tol=COPASI_ATOL,
            max_steps=10**7,
            model=dm,
        )
    finally:
        basico.remove_datamodel(dm)
    # COPASI may report a requested time twice (once at a rounding-error neighbour): take the
    # last row at each requested time
    at = np.asarray(res.index, dtype=float)
    rows = [int(np.nonzero(np.abs(at - t) <= 1e-9 * max(1.0, t))[0][-1]) for t in times]
    table = pd.DataFrame({c: res[f"Values[{c}]"].to_numpy()[rows] for c in columns})
    return table, messages


def _copasi_errors(path: Path) -> dict[str, float]:
    sc = load_scenario(path)
    df = simulate(sc)
    cols = list(df.columns[1:])
    times = df.time_days.to_numpy()
    table, _ = _copasi_table(export_sbml(sc), np.concatenate([[0.0], times[1:] - 1e-6]), cols)
    return column_errors(table.iloc[1:].reset_index(drop=True), df.iloc[1:].reset_index(drop=True))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in PATHS])
@pytest.mark.slow
def test_copasi_matches_hpgsim_within_one_percent(path: Path) -> None:
    errors = _copasi_errors(path)
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] < 0.01, f"{path.name}: {worst} {errors[worst]:.3%}"


@pytest.fixture(scope="module")
def untreated() -> tuple[Scenario, str]:
    """The untreated man (examples/untreated_healthy.yaml) and his SBML export."""
    pytest.importorskip("libsbml")
    sc = load_scenario(EXAMPLES / "untreated_healthy.yaml")
    return sc, export_sbml(sc)


def test_no_parameter_holds_a_boolean(untreated: tuple[Scenario, str]) -> None:
    """Comparisons are written inline in the piecewise conditions that use them: no assignment
    rule computes a Boolean (COPASI refused such a rule and left its parameter at 1), and the
    conditions are there."""
    libsbml = pytest.importorskip("libsbml")
    doc = libsbml.readSBMLFromString(untreated[1])
    model = doc.getModel()
    boolean = [
        model.getRule(i).getVariable()
        for i in range(model.getNumRules())
        if model.getRule(i).getMath().returnsBoolean(model)
    ]
    assert boolean == []
    assert "<piecewise>" in untreated[1] and "<gt/>" in untreated[1]


def test_units_names_and_notes_and_a_clean_consistency_check(
    untreated: tuple[Scenario, str],
) -> None:
    """Time in days; states and table parameters carry their units, a name and notes; the
    libSBML consistency check (units included) finds no error and no unit mismatch (only
    "units not declared" warnings for the trace's intermediates and derived constants)."""
    libsbml = pytest.importorskip("libsbml")
    doc = libsbml.readSBMLFromString(untreated[1])
    model = doc.getModel()
    day = model.getUnitDefinition(model.getTimeUnits())
    assert day is not None and day.getNumUnits() == 1
    assert (day.getUnit(0).getKind(), day.getUnit(0).getMultiplier()) == (
        libsbml.UNIT_KIND_SECOND,
        86400.0,
    )
    lh = model.getParameter(state_id("lh"))
    assert lh.getUnits() == unit_sid("IU/L") and lh.getName().startswith("lh: serum LH")
    assert "IU/L" in lh.getNotesString()
    t_ref = model.getParameter("p_T_ref")
    assert t_ref.getUnits() == "u_ng_per_dL" and "Travison2017" in t_ref.getNotesString()
    ng_dl = model.getUnitDefinition("u_ng_per_dL")
    assert libsbml.UnitDefinition.printUnits(ng_dl) == (
        "gram (exponent = 1, multiplier = 1, scale = -9), "
        "litre (exponent = -1, multiplier = 1, scale = -1)"
    )
    assert all(model.getParameter(state_id(s)).isSetUnits() for s in axis.STATES)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
    doc.checkConsistency()
    found = {doc.getError(i).getErrorId() for i in range(doc.getNumErrors())}
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    undeclared = {99505, 99508, 20702, 80701}  # units not declared: not checkable, not wrong
    assert found <= undeclared, [
        doc.getError(i).getMessage()
        for i in range(doc.getNumErrors())
        if doc.getError(i).getErrorId() not in undeclared
    ]


def test_copasi_imports_cleanly_and_keeps_the_steady_state(
    untreated: tuple[Scenario, str],
) -> None:
    """COPASI imports the export without an error or a warning (it said "No initial value set
    for global parameter" where a Boolean was stored in one, and the untreated man's T then
    drifted from 531 to 434 ng/dL) and holds the steady state: T at day 60 within 1 % of
    day 0."""
    table, messages = _copasi_table(
        untreated[1], np.array([0.0, 30.0, 60.0]), ["total_testosterone_ng_dl"]
    )
    assert "ERROR" not in messages and "WARNING" not in messages, messages
    t = table.total_testosterone_ng_dl.to_numpy()
    assert abs(t[0] - 531.0) < 0.5
    assert abs(t[2] / t[0] - 1.0) < 0.01


def test_repeated_equal_doses_become_one_counting_event_and_interleaved_ones_stay() -> None:
    """Evenly spaced equal dose events with nothing between them are one run (a counting SBML
    event); a pattern that alternates (two drugs, every other time both) and short runs stay one
    event per time, so no two SBML events ever share a time."""
    from hpgsim.output.sbml import _dose_runs

    pump = {k * 0.0625: {3: 5.0} for k in range(1440)}
    (run,) = _dose_runs(pump)
    assert (run.start, run.every, run.doses, run.jumps) == (0.0, 0.0625, 1440, ((3, 5.0),))
    both = {7.0 * k: {1: 200.0, 2: 0.5} for k in range(4)}
    alternating = {**{7.0 * k + 3.5: {2: 0.5} for k in range(4)}, **both}
    runs = _dose_runs(alternating)
    assert [r.doses for r in runs] == [1] * 8
    short = {1.0: {0: 1.0}, 2.0: {0: 1.0}, 10.0: {0: 2.0}}
    assert MIN_RUN == 3 and [r.doses for r in _dose_runs(short)] == [1, 1, 1]
    mixed = {**{float(k): {0: 1.0} for k in range(5)}, 5.5: {0: 9.0}}
    assert [(r.start, r.doses) for r in _dose_runs(mixed)] == [(0.0, 5), (5.5, 1)]
