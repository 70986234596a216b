"""Tests of the scenario file layer: units, drug catalog, validation and error messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hpgsim.model.drugs import CATALOG, PLANNED_DRUGS
from hpgsim.scenario import (
    MAX_OUTPUT_ROWS,
    RegimenLine,
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_dict,
)
from hpgsim.units import (
    QuantityParseError,
    ng_dl_to_nmol_l,
    nmol_l_to_ng_dl,
    parse_quantity,
    pg_ml_to_pmol_l_e2,
    pmol_l_to_pg_ml_e2,
    ureg,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def line(**overrides: Any) -> dict[str, Any]:
    """A valid regimen line (TC 200 mg IM weekly), with fields replaced by ``overrides``."""
    base: dict[str, Any] = {
        "drug": "testosterone_cypionate",
        "dose": "200 mg",
        "route": "intramuscular",
        "every": "7 d",
    }
    base.update(overrides)
    return base


def scenario(**overrides: Any) -> dict[str, Any]:
    """A valid scenario dict with top-level keys replaced by ``overrides``."""
    base: dict[str, Any] = {"horizon": "90 d", "regimen": [line()]}
    base.update(overrides)
    return base


def problem_text(data: Any) -> str:
    """The ScenarioError message that ``data`` produces (fails if it is accepted)."""
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return str(info.value)


def assert_problem(message: str, path: str, value: str, *allowed: str) -> None:
    """Some line of ``message`` names ``path`` and the bad ``value`` and every ``allowed`` text."""
    lines = [ln.strip() for ln in message.splitlines() if ln.strip().startswith(f"{path}: got ")]
    assert lines, f"no problem line for {path!r} in:\n{message}"
    hit = [ln for ln in lines if value in ln and all(a in ln for a in allowed)]
    assert hit, f"{path!r} line lacks {value!r} or {allowed!r}:\n{message}"


# --- units -------------------------------------------------------------------------------


def test_parse_quantity_units() -> None:
    assert parse_quantity("500 IU").to("IU").magnitude == 500.0
    assert str(parse_quantity("500 IU").dimensionality) == "[biological_activity]"
    assert parse_quantity("2 weeks").to("day").magnitude == pytest.approx(14.0)
    assert parse_quantity("90 min").to("day").magnitude == pytest.approx(0.0625)
    assert parse_quantity("250 µg").to("mg").magnitude == pytest.approx(0.25)
    assert parse_quantity("250 ug").to("mg").magnitude == pytest.approx(0.25)
    assert parse_quantity("200").dimensionless


@pytest.mark.parametrize("text", ["two hundred mg", "200 mgg", "1e999 mg", "10**10**10 mg", ""])
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(QuantityParseError):
        parse_quantity(text)


def test_parse_quantity_unit_expressions() -> None:
    assert parse_quantity("1 ng/dL").to("ng/mL").magnitude == pytest.approx(0.01)
    assert parse_quantity("10 mg / kg / day").to("mg/kg/week").magnitude == pytest.approx(70.0)
    assert parse_quantity("5 mg*h/L").to("mg*min/L").magnitude == pytest.approx(300.0)
    assert parse_quantity("2 m ** 2").to("cm**2").magnitude == pytest.approx(2e4)


@pytest.mark.parametrize("repeats", [14, 20, 39])
def test_parse_quantity_refuses_a_pathological_unit_without_backtracking(repeats: int) -> None:
    """Issue #22 defect 2: ``'1 ' + 'a    ' * n + '!'`` made the unit pattern backtrack
    exponentially (14 repeats: 48 s). The separator now matches a run of blanks one way only,
    so this is refused at once (the suite would hang here if it came back)."""
    with pytest.raises(QuantityParseError):
        parse_quantity("1 " + "a    " * repeats + "!")


def test_hormone_conversions() -> None:
    assert ng_dl_to_nmol_l(288.42) == pytest.approx(10.0)
    assert nmol_l_to_ng_dl(10.0) == pytest.approx(288.42)
    assert pg_ml_to_pmol_l_e2(10.0) == pytest.approx(36.71)
    assert pmol_l_to_pg_ml_e2(36.71) == pytest.approx(10.0)
    values = np.array([300.0, 600.0])
    np.testing.assert_allclose(nmol_l_to_ng_dl(ng_dl_to_nmol_l(values)), values)


def test_catalog_has_exactly_the_implemented_drugs() -> None:
    assert set(CATALOG) == {
        "testosterone_cypionate",
        "testosterone_enanthate",
        "testosterone_undecanoate",
        "testosterone_gel",
        "anastrozole",
        "clomiphene_citrate",
        "enclomiphene",
        "tamoxifen",
        "gonadorelin",
        "leuprolide",
        "hcg",
        "fsh",
        "letrozole",  # added by issue #19
        "progesterone",  # added by issue #20 (the woman's model only)
    }  # the design's drug names (design.md, scenario file)
    assert not set(CATALOG) & set(PLANNED_DRUGS)
    assert CATALOG["testosterone_undecanoate"].max_weekly_dose == 200.0


# --- valid scenarios ---------------------------------------------------------------------


def test_valid_scenario_canonical_numbers() -> None:
    s = scenario_from_dict(
        {
            "name": "canonical",
            "horizon": "2 weeks",
            "output_every": "12 h",
            "patient": {"age_years": 50, "baseline_total_testosterone_ng_dl": 400},
            "regimen": [
                line(every="90 min", dose="0.1 g", stop="1 d", drug="testosterone_enanthate"),
                {"drug": "anastrozole", "dose": "0.5 mg", "route": "oral", "every": "3.5 d"},
                {"drug": "anastrozole", "dose": "500 ug", "route": "oral", "start": "1 d"},
            ],
            "allow_supratherapeutic": True,  # 100 mg every 90 min is far above the bound
        }
    )
    assert s.horizon_days == 14.0
    assert s.output_every_days == 0.5
    assert s.patient.age_years == 50.0
    assert s.patient.bmi_kg_m2 == 25.0
    assert s.patient.condition == "healthy"
    first, ana, single = s.regimen
    assert first.every_days == 0.0625
    assert first.dose == pytest.approx(100.0)
    assert first.stop_days == 1.0
    assert ana.dose == 0.5 and ana.every_days == 3.5 and ana.start_days == 0.0
    assert single.dose == pytest.approx(0.5) and single.every_days is None
    assert s.drugs_present() == ["testosterone_enanthate", "anastrozole"]


def test_defaults() -> None:
    s = scenario_from_dict({"horizon": "30 d"})
    assert s.name == "scenario"
    assert s.output_every_days == 1.0
    assert s.allow_supratherapeutic is False
    assert s.regimen == []
    assert s.drugs_present() == []
    p = s.patient
    assert (p.age_years, p.bmi_kg_m2, p.testicular_volume_ml) == (35.0, 25.0, 20.0)
    assert p.baseline_sperm_concentration_m_per_ml == 60.0
    assert p.baseline_total_testosterone_ng_dl is None


def test_round_trip_through_input_dict() -> None:
    s = load_scenario(EXAMPLES / "trt_with_anastrozole.yaml")
    assert scenario_from_dict(s.to_input_dict()) == s


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_load(path: Path) -> None:
    assert load_scenario(path).horizon_days > 0


def test_trt_example_numbers() -> None:
    s = load_scenario(EXAMPLES / "trt_with_anastrozole.yaml")
    assert s.name == "trt-with-anastrozole"
    assert s.horizon_days == 1095.0
    tc, ana = s.regimen
    assert (tc.drug, tc.dose, tc.every_days, tc.stop_days) == (
        "testosterone_cypionate",
        200,
        7,
        730,
    )
    assert (ana.drug, ana.dose, ana.every_days, ana.stop_days) == ("anastrozole", 0.5, 3.5, 730)
    assert len(tc.dose_times(s.horizon_days)) == 105  # 0, 7, ..., 728
    assert len(ana.dose_times(s.horizon_days)) == 209  # 0, 3.5, ..., 728


def test_tu_example_dose_times() -> None:
    s = load_scenario(EXAMPLES / "tu_injections.yaml")
    times = np.concatenate([ln.dose_times(s.horizon_days) for ln in s.regimen])
    np.testing.assert_array_equal(times, [0.0, 42.0, 126.0, 210.0, 294.0])


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario()))
    assert load_scenario(path).regimen[0].dose == 200.0


def _laughs(levels: int) -> str:
    """A billion-laughs YAML document: each level aliases the previous one nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        # issue #22 defect 3: each ended in a traceback (or exhausted memory) before
        ("key.yaml", "1: x\nname: a\n", "a key that is not text"),
        ("deep.yaml", "name: a\nx: " + "[" * 600 + "]" * 600 + "\n", "deeply nested"),
        ("deep.json", '{"name": "a", "x": ' + "[" * 1000 + "]" * 1000 + "}", "deeply nested"),
        ("nest.json", '{"name": "a", "x": ' + "[" * 40 + "]" * 40 + "}", "deeply nested"),
        ("self.yaml", "name: &a [*a]\n", "an alias that contains itself"),
        ("laughs.yaml", _laughs(9), "expands to more than"),
        ("power.yaml", "name: a\nhorizon: '1 d**99'\nregimen: []\n", "not a number"),
        ("big.yaml", "name: a\n" + "# padding\n" * 200_000, "characters"),
    ],
)
def test_hostile_documents_are_scenario_errors(
    tmp_path: Path, name: str, text: str, found: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert found in str(err.value)


@pytest.mark.parametrize("every", ["1e-9 d", "1e-300 d", "1e-320 d", "0.5 min"])
def test_output_every_below_the_resolution_is_refused_at_load(every: str) -> None:
    """Issue #22 defect 4: these raised MemoryError, OverflowError or ZeroDivisionError inside
    the engine; a spacing that rounds to zero steps of 2.5 min is now refused at load time."""
    assert "at least one" in problem_text(scenario(output_every=every))


def test_output_rows_are_capped_at_load() -> None:
    """100 years at 2.5 min (21 million rows) aborted inside XLA."""
    text = problem_text(scenario(horizon="100 years", output_every="2.5 min"))
    assert f"at most {MAX_OUTPUT_ROWS:,} output rows" in text
    assert scenario_from_dict(scenario(horizon="1 year", output_every="2.5 min"))


# --- dose_times --------------------------------------------------------------------------


def rline(**overrides: Any) -> RegimenLine:
    return RegimenLine.model_validate(line(**overrides))


def test_dose_times_repeat_stop_is_exclusive() -> None:
    np.testing.assert_array_equal(rline(stop="28 d").dose_times(100.0), [0.0, 7.0, 14.0, 21.0])
    np.testing.assert_array_equal(rline(start="3 d", stop="17 d").dose_times(100), [3, 10])


def test_dose_times_horizon_is_exclusive() -> None:
    np.testing.assert_array_equal(rline().dose_times(21.0), [0.0, 7.0, 14.0])
    assert rline(start="30 d").dose_times(21.0).size == 0


def test_dose_times_single_dose() -> None:
    np.testing.assert_array_equal(rline(every=None, start="5 d").dose_times(10.0), [5.0])
    assert rline(every=None, start="5 d").dose_times(5.0).size == 0


def test_dose_times_fractional_interval_has_no_drift() -> None:
    times = rline(every="8 h", stop="30 d").dose_times(365.0)
    assert times.size == 90
    np.testing.assert_allclose(times, np.arange(90) / 3.0, rtol=0, atol=1e-9)


# --- errors: each names the path, the value given and what is allowed ---------------------


def test_unknown_drug_lists_known() -> None:
    msg = problem_text(scenario(regimen=[line(), line(drug="testosterone_cypionat")]))
    assert_problem(msg, "regimen[1].drug", "'testosterone_cypionat'", "testosterone_cypionate")
    assert_problem(msg, "regimen[1].drug", "'testosterone_cypionat'", "anastrozole", "gonadorelin")


def test_planned_drug_says_not_implemented() -> None:
    msg = problem_text(scenario(regimen=[line(drug="degarelix", route="subcutaneous")]))
    assert_problem(msg, "regimen[0].drug", "'degarelix'", "not implemented yet", "anastrozole")


def test_route_not_available() -> None:
    msg = problem_text(scenario(regimen=[line(route="oral")]))
    assert_problem(msg, "regimen[0].route", "'oral'", "intramuscular, subcutaneous")


@pytest.mark.parametrize("dose", ["0 mg", "-5 mg"])
def test_nonpositive_dose(dose: str) -> None:
    msg = problem_text(scenario(regimen=[line(dose=dose)]))
    assert_problem(msg, "regimen[0].dose", repr(dose), "> 0")


@pytest.mark.parametrize("every", ["0 d", "-7 d"])
def test_nonpositive_interval(every: str) -> None:
    msg = problem_text(scenario(regimen=[line(every=every)]))
    assert_problem(msg, "regimen[0].every", repr(every), "> 0")


@pytest.mark.parametrize("stop", ["10 d", "5 d"])
def test_stop_not_after_start(stop: str) -> None:
    msg = problem_text(scenario(regimen=[line(start="10 d", stop=stop)]))
    assert_problem(msg, "regimen[0].stop", repr(stop), "after start (10 d)")


@pytest.mark.parametrize("horizon", ["0 d", "-1 d", "101 years"])
def test_horizon_out_of_range(horizon: str) -> None:
    msg = problem_text(scenario(horizon=horizon))
    assert_problem(msg, "horizon", repr(horizon), "> 0", "100 years")


def test_horizon_of_100_years_is_allowed() -> None:
    assert scenario_from_dict(scenario(horizon="100 years")).horizon_days == 36525.0


def test_dimension_mismatch() -> None:
    msg = problem_text(scenario(horizon="200 mg", regimen=[line(dose="200 d")]))
    assert_problem(msg, "horizon", "'200 mg'", "a time", "not a mass")
    assert_problem(msg, "regimen[0].dose", "'200 d'", "a mass", "not a time")


def test_iu_is_not_a_mass() -> None:
    msg = problem_text(scenario(regimen=[line(dose="500 IU")]))
    assert_problem(msg, "regimen[0].dose", "'500 IU'", "a mass", "not an activity in IU")


def test_unparseable_quantity() -> None:
    msg = problem_text(scenario(regimen=[line(dose="two hundred mg")]))
    assert_problem(msg, "regimen[0].dose", "'two hundred mg'", "number followed by a unit")


@pytest.mark.parametrize(("key", "value"), [("dose", 200), ("every", 7), ("dose", "200")])
def test_bare_number_needs_unit(key: str, value: Any) -> None:
    msg = problem_text(scenario(regimen=[line(**{key: value})]))
    assert_problem(msg, f"regimen[0].{key}", repr(value), "a unit is required")


def test_bare_number_horizon_needs_unit() -> None:
    assert_problem(problem_text(scenario(horizon=90)), "horizon", "90", "a unit is required")


def test_output_every_out_of_range() -> None:
    msg = problem_text(scenario(output_every="0 d"))
    assert_problem(msg, "output_every", "'0 d'", "> 0")
    msg = problem_text(scenario(output_every="91 d"))
    assert_problem(msg, "output_every", "'91 d'", "at most the horizon (90 d)")


def test_unknown_patient_field() -> None:
    msg = problem_text(scenario(patient={"weight_kg": 80}))
    assert_problem(
        msg, "patient.weight_kg", "80", "unknown patient field", "bmi_kg_m2", "age_years"
    )


def test_unknown_top_level_key() -> None:
    msg = problem_text(scenario(horizont="90 d"))
    assert_problem(msg, "horizont", "'90 d'", "unknown top-level key", "horizon", "regimen")


def test_unknown_regimen_key() -> None:
    msg = problem_text(scenario(regimen=[line(interval="7 d")]))
    assert_problem(
        msg,
        "regimen[0].interval",
        "'7 d'",
        "drug, route, every, start, stop, rate, concentration, dose",
    )


def test_patient_values_out_of_range() -> None:
    msg = problem_text(
        scenario(patient={"age_years": 12, "condition": "sick", "testicular_volume_ml": "20 mL"})
    )
    assert_problem(msg, "patient.age_years", "12", "from 18", "up to 100 years")
    assert_problem(msg, "patient.condition", "'sick'", "'healthy'", "'primary_hypogonadism'")
    assert_problem(msg, "patient.testicular_volume_ml", "'20 mL'", "plain number in mL")


def test_missing_horizon_and_required_line_keys() -> None:
    msg = problem_text({"regimen": [{"drug": "anastrozole", "route": "oral"}]})
    assert_problem(msg, "horizon", "nothing", "required")
    assert_problem(msg, "regimen[0].dose", "nothing", "required")


def test_every_problem_is_listed_at_once() -> None:
    msg = problem_text(
        {
            "horizon": "0 d",
            "colour": "red",
            "patient": {"age_years": 150},
            "regimen": [line(drug="degarelix"), line(route="oral", every="-1 d")],
        }
    )
    for path in ("horizon", "colour", "patient.age_years", "regimen[0].drug"):
        assert f"\n  {path}: got " in msg
    assert "regimen[1].route: got " in msg and "regimen[1].every: got " in msg
    assert "\n\n" not in msg  # one paragraph


# --- dose bounds and allow_supratherapeutic ----------------------------------------------


def te_800_mg_per_week(**top: Any) -> dict[str, Any]:
    te = line(drug="testosterone_enanthate", dose="400 mg", every="3.5 d")
    return scenario(regimen=[te], **top)


def test_weekly_rate_above_bound_is_rejected() -> None:
    msg = problem_text(te_800_mg_per_week())
    assert_problem(
        msg,
        "regimen[0].dose",
        "'400 mg'",
        "800 mg/week",
        "400 mg/week",
        "Delatestryl",
        "allow_supratherapeutic: true",
    )


def test_weekly_rate_accepted_with_flag() -> None:
    s = scenario_from_dict(te_800_mg_per_week(allow_supratherapeutic=True))
    assert s.allow_supratherapeutic is True
    assert s.regimen[0].dose == 400.0 and s.regimen[0].every_days == 3.5


def test_per_dose_above_bound() -> None:
    msg = problem_text(
        scenario(regimen=[{"drug": "anastrozole", "dose": "20 mg", "route": "oral"}])
    )
    assert_problem(msg, "regimen[0].dose", "'20 mg'", "10 mg per dose", "Arimidex", "allow_")


def test_bound_is_inclusive() -> None:
    s = scenario_from_dict(scenario(regimen=[line(dose="400 mg", every="7 d")]))
    assert s.regimen[0].dose == 400.0


@pytest.mark.parametrize("flag", [False, True])
def test_a_depot_the_model_does_not_have_is_refused_even_with_the_flag(flag: bool) -> None:
    """A 6-month leuprolide depot (45 mg) is another product, not a larger dose of the
    1-month depot the model has: refused, naming the field, the value and what is allowed,
    whether or not clinical bounds are lifted."""
    leu = {"drug": "Lupron Depot", "dose": "45 mg", "route": "IM", "every": "24 weeks"}
    msg = problem_text(scenario(regimen=[leu], allow_supratherapeutic=flag))
    assert_problem(msg, "regimen[0].dose", "'45 mg'", "1-month depot", "up to 7.5 mg per dose")
    one_month = {**leu, "dose": "7.5 mg", "every": "4 weeks"}
    assert scenario_from_dict(scenario(regimen=[one_month])).regimen[0].dose == 7.5


def test_bounds_also_apply_without_scenario_from_dict() -> None:
    with pytest.raises(ValueError, match="allow_supratherapeutic"):
        Scenario.model_validate(te_800_mg_per_week())
    assert Scenario.model_validate(te_800_mg_per_week(allow_supratherapeutic=True)).regimen


# --- files -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "absent.yaml")


def test_wrong_extension(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("horizon: 1 d\n")
    with pytest.raises(ScenarioError, match=r"\.yaml, \.yml or \.json"):
        load_scenario(path)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("horizon: 90 d\nregimen: [ {drug: anastrozole\n")
    with pytest.raises(ScenarioError, match=r"line \d+, column \d+: got .*invalid YAML"):
        load_scenario(path)


def test_json_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"horizon": "90 d",\n "regimen": [}\n')
    with pytest.raises(ScenarioError, match=r"line 2, column \d+: got .*invalid JSON"):
        load_scenario(path)


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s.yml"
    path.write_text("horizon: 90 d\nhorizon: 30 d\n")
    with pytest.raises(ScenarioError, match="duplicate key 'horizon'"):
        load_scenario(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("# nothing\n")
    with pytest.raises(ScenarioError, match="empty"):
        load_scenario(path)


def test_yaml_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("horizon: 90 d\nregimen:\n  - {drug: anastrozole, dose: 0.5, route: oral}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(path) in str(info.value)
    assert_problem(str(info.value), "regimen[0].dose", "0.5", "a unit is required")
    assert info.value.problems[0].path == "regimen[0].dose"


def test_registry_is_shared() -> None:
    # Quantities from different registries cannot be combined; these can.
    assert (parse_quantity("1 mg") + ureg.Quantity(1.0, "g")).to("mg").magnitude == 1001.0


# --- taper and infusion lines ---------------------------------------------------------------
GNRH_INFUSION = {"drug": "gonadorelin", "route": "intravenous", "rate": "3 ug/h"}


def test_infusion_rate_is_stored_per_day_and_round_trips() -> None:
    s = scenario_from_dict(scenario(regimen=[{**GNRH_INFUSION, "stop": "10 d"}]))
    ln = s.regimen[0]
    assert ln.rate == pytest.approx(72.0) and ln.dose is None and ln.is_infusion
    assert ln.infusion_window(s.horizon_days) == (0.0, 10.0)
    assert len(ln.dose_times(s.horizon_days)) == 0
    assert scenario_from_dict(s.to_input_dict()) == s


def test_taper_round_trips() -> None:
    s = scenario_from_dict(
        scenario(regimen=[line(taper=["150 mg", "100 mg"], taper_every="2 weeks")])
    )
    assert s.regimen[0].taper == (150.0, 100.0) and s.regimen[0].taper_every_days == 14.0
    assert s.regimen[0].end_days(s.horizon_days) == 42.0
    assert scenario_from_dict(s.to_input_dict()) == s


def test_rate_for_a_drug_that_cannot_be_infused() -> None:
    msg = problem_text(
        scenario(regimen=[{"drug": "hcg", "route": "subcutaneous", "rate": "1 IU/h"}])
    )
    assert_problem(
        msg,
        "regimen[0].rate",
        "'1 IU/h'",
        "cannot be given as a continuous infusion",
        "gonadorelin",
    )


def test_rate_needs_a_rate_unit() -> None:
    msg = problem_text(scenario(regimen=[{**GNRH_INFUSION, "rate": "3 ug"}]))
    assert_problem(msg, "regimen[0].rate", "'3 ug'", "an infusion rate")


def test_rate_above_the_weekly_bound() -> None:
    msg = problem_text(scenario(regimen=[{**GNRH_INFUSION, "rate": "60 ug/h"}]))
    assert_problem(msg, "regimen[0].rate", "'60 ug/h'", "ug/week", "allow_supratherapeutic")


def test_dose_and_rate_together_or_neither() -> None:
    both = problem_text(scenario(regimen=[{**GNRH_INFUSION, "dose": "5 ug"}]))
    assert_problem(both, "regimen[0].dose", "'5 ug'", "either `dose` or `rate`")
    neither = problem_text(scenario(regimen=[{"drug": "gonadorelin", "route": "intravenous"}]))
    assert_problem(neither, "regimen[0].dose", "nothing", "required", "`rate` instead")


def test_infusion_takes_no_every() -> None:
    msg = problem_text(scenario(regimen=[{**GNRH_INFUSION, "every": "1 d"}]))
    assert_problem(msg, "regimen[0]", "gonadorelin", "no `every`")


def test_taper_needs_taper_every_and_every() -> None:
    msg = problem_text(scenario(regimen=[line(taper=["100 mg"])]))
    assert_problem(msg, "regimen[0]", "taper", "`taper_every` go together")
    msg = problem_text(
        scenario(regimen=[line(every=None, taper=["100 mg"], taper_every="2 weeks")])
    )
    assert_problem(msg, "regimen[0]", "taper", "needs a repeating line")


def test_taper_doses_are_checked_like_doses() -> None:
    msg = problem_text(scenario(regimen=[line(taper=["2000 mg"], taper_every="2 weeks")]))
    assert_problem(msg, "regimen[0].taper", "2000 mg", "allow_supratherapeutic")
    msg = problem_text(scenario(regimen=[line(taper="100 mg", taper_every="2 weeks")]))
    assert_problem(msg, "regimen[0].taper", "'100 mg'", "a list of doses")


# --- words clinicians write (issue #21) --------------------------------------------------


@pytest.mark.parametrize(
    ("written", "drug"),
    [
        ("Depo-Testosterone", "testosterone_cypionate"),
        ("testosterone cypionate", "testosterone_cypionate"),
        ("Clomid", "clomiphene_citrate"),
        ("clomiphene", "clomiphene_citrate"),
        ("Arimidex", "anastrozole"),
        ("hCG", "hcg"),
        ("Pregnyl", "hcg"),
        ("Lupron Depot", "leuprolide"),
        ("Gonal-f", "fsh"),
        ("Nolvadex", "tamoxifen"),
    ],
)
def test_brand_names_and_aliases_read_as_the_catalog_drug(written: str, drug: str) -> None:
    route = CATALOG[drug].routes[0]
    dose = "150 IU" if CATALOG[drug].dose_unit == "IU" else "1 mg"
    every = "28 d" if drug == "leuprolide" else "7 d"
    if drug == "leuprolide":
        dose = "7.5 mg"
    regimen = [line(drug=written, route=route, dose=dose, every=every)]
    sc = scenario_from_dict(scenario(regimen=regimen))
    assert sc.regimen[0].drug == drug
    assert sc.regimen[0].read_as() == f"drug '{written}' as {drug}"


def test_every_alias_names_one_drug_and_no_other_drugs_name() -> None:
    from hpgsim.model.drugs import drug_names, name_key, resolve_drug

    for written, drug in drug_names().items():
        assert resolve_drug(written) == drug
        assert resolve_drug(written.upper()) == drug
    canonical = {name_key(name) for name in CATALOG}
    for spec in CATALOG.values():
        assert not {name_key(a) for a in spec.aliases} & (canonical - {name_key(spec.name)})


@pytest.mark.parametrize(
    ("written", "route"),
    [
        ("IM", "intramuscular"),
        ("im", "intramuscular"),
        ("SC", "subcutaneous"),
        ("SubQ", "subcutaneous"),
        ("IV", "intravenous"),
    ],
)
def test_route_abbreviations(written: str, route: str) -> None:
    drug = "gonadorelin" if route == "intravenous" else "testosterone_cypionate"
    dose = "10 ug" if drug == "gonadorelin" else "200 mg"
    sc = scenario_from_dict(scenario(regimen=[line(drug=drug, route=written, dose=dose)]))
    assert sc.regimen[0].route == route
    assert sc.regimen[0].read_as() == f"route '{written}' as {route}"


def test_po_is_oral_and_a_wrong_abbreviation_names_the_drugs_routes() -> None:
    sc = scenario_from_dict(
        scenario(regimen=[line(drug="Clomid", route="PO", dose="25 mg", every="1 d")])
    )
    assert (sc.regimen[0].drug, sc.regimen[0].route) == ("clomiphene_citrate", "oral")
    msg = problem_text(scenario(regimen=[line(drug="Clomid", route="IM", dose="25 mg")]))
    assert_problem(msg, "regimen[0].route", "'IM'", "clomiphene_citrate can be given by: oral")


@pytest.mark.parametrize(
    ("dose", "concentration", "mg"),
    [
        ("1 mL", "200 mg/mL", 200.0),
        ("0.5 ml", "200 mg/mL", 100.0),
        ("15 units", "200 mg/mL", 30.0),
        ("20 units", "250 mg/mL", 50.0),
    ],
)
def test_volumes_and_syringe_units_at_a_concentration(
    dose: str, concentration: str, mg: float
) -> None:
    sc = scenario_from_dict(scenario(regimen=[line(dose=dose, concentration=concentration)]))
    assert sc.regimen[0].dose == pytest.approx(mg)
    assert f"dose '{dose}' at" in (sc.regimen[0].read_as() or "")
    assert f"as {mg:g} mg" in (sc.regimen[0].read_as() or "")


def test_a_volume_without_concentration_or_with_a_wrong_one_is_refused() -> None:
    msg = problem_text(scenario(regimen=[line(dose="1 mL")]))
    assert_problem(msg, "regimen[0].dose", "'1 mL'", "needs the product's `concentration`")
    msg = problem_text(scenario(regimen=[line(drug="hcg", dose="500 units")]))
    assert_problem(msg, "regimen[0].dose", "'500 units'", "'200 IU/mL'", "'200 IU'")
    msg = problem_text(scenario(regimen=[line(dose="1 mL", concentration="200 mg")]))
    assert_problem(msg, "regimen[0].concentration", "'200 mg'", "a strength in mg per mL")
    msg = problem_text(scenario(regimen=[line(dose="1 mL", concentration="0 mg/mL")]))
    assert_problem(msg, "regimen[0].concentration", "'0 mg/mL'", "> 0 mg/mL")


def test_a_volume_above_the_bound_is_refused_in_mg() -> None:
    msg = problem_text(scenario(regimen=[line(dose="10 mL", concentration="200 mg/mL")]))
    assert "2000 mg per dose is above testosterone_cypionate's bound" in msg


def test_a_misspelt_brand_name_gets_a_suggestion_naming_the_drug() -> None:
    msg = problem_text(scenario(regimen=[line(drug="Arimidx", dose="1 mg", route="oral")]))
    assert_problem(msg, "regimen[0].drug", "'Arimidx'", "did you mean 'Arimidex', anastrozole?")


def test_canonical_lines_are_not_echoed() -> None:
    sc = scenario_from_dict(scenario())
    assert sc.regimen[0].read_as() is None


# --- parameter overrides (issue #21) -----------------------------------------------------


def test_parameters_are_checked_against_the_table() -> None:
    sc = scenario_from_dict(scenario(parameters={"k_ssc_renew": 0.02, "V_LH": "3000 mL"}))
    assert sc.parameter_overrides == {"V_LH": 3.0, "k_ssc_renew": 0.02}
    assert scenario_from_dict(sc.to_input_dict()) == sc
    msg = problem_text(scenario(parameters={"k_ssc_rnew": 0.02}))
    assert_problem(msg, "parameters", "k_ssc_rnew", "did you mean 'k_ssc_renew'?", "model show")
    msg = problem_text(scenario(parameters={"fb_T_imax": 5}))
    assert_problem(msg, "parameters", "fb_T_imax", "outside the fit's bounds 0.05-0.95")
    msg = problem_text(scenario(parameters={"V_LH": "3 mg"}))
    assert_problem(msg, "parameters", "V_LH", "expected a value in L")
    msg = problem_text(scenario(parameters={"ke_FSH": -1}))
    assert_problem(msg, "parameters", "ke_FSH", "must be > 0 1/day")
    msg = problem_text(scenario(parameters=[1, 2]))
    assert_problem(msg, "parameters", "[1, 2]", "expected a mapping of parameter names")
