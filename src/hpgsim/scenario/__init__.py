"""The scenario file: YAML or JSON -> validated, immutable objects (pydantic).

:mod:`~hpgsim.scenario.spec` holds the schema (patient, regimen lines, scenario), the checks
that name the field, the value and what is allowed, and the loader; this package exports its
public names.
"""

from hpgsim.scenario.spec import (
    CHH_SPERM_DEFAULT_M_PER_ML,
    CHH_SPERM_MAX_M_PER_ML,
    HYPOGONADAL_T_MAX_NG_DL,
    MAX_ADMINISTRATIONS,
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_NODES,
    MAX_HORIZON_DAYS,
    MAX_NESTING,
    MAX_OUTPUT_ROWS,
    MIN_INTERVAL_DAYS,
    SPERM_DETECTION_LIMIT_M_PER_ML,
    SPERM_MAX_M_PER_ML,
    TESTIS_VOLUME_MAX_ML,
    TIME_RESOLUTION_DAYS,
    Condition,
    Patient,
    Problem,
    RegimenLine,
    Scenario,
    ScenarioError,
    load_scenario,
    patient_limits,
    scenario_from_dict,
)

__all__ = [
    "CHH_SPERM_DEFAULT_M_PER_ML",
    "CHH_SPERM_MAX_M_PER_ML",
    "HYPOGONADAL_T_MAX_NG_DL",
    "MAX_ADMINISTRATIONS",
    "MAX_DOCUMENT_CHARS",
    "MAX_DOCUMENT_NODES",
    "MAX_HORIZON_DAYS",
    "MAX_NESTING",
    "MAX_OUTPUT_ROWS",
    "MIN_INTERVAL_DAYS",
    "SPERM_DETECTION_LIMIT_M_PER_ML",
    "SPERM_MAX_M_PER_ML",
    "TESTIS_VOLUME_MAX_ML",
    "TIME_RESOLUTION_DAYS",
    "Condition",
    "Patient",
    "Problem",
    "RegimenLine",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "patient_limits",
    "scenario_from_dict",
]
