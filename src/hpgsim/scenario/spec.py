"""The scenario file: patient, regimen lines and horizon, read into validated objects.

A scenario is a YAML (``.yaml``/``.yml``) or JSON (``.json``) mapping; see ``docs/design.md``,
section "Contracts", and ``examples/``. Quantities are strings with units, parsed by pint
("200 mg", "3.5 d", "90 min", "2 weeks", "500 IU"); they are stored as plain floats in
canonical units: times in days, doses in the drug's ``dose_unit`` (see
:mod:`hpgsim.model.drugs`).

Every problem found in a file is reported at once in a :class:`ScenarioError`, one line per
problem: ``<path>: got <value>; <what is allowed>``.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
import numpy as np
import numpy.typing as npt
import pint
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hpgsim.model.drugs import (
    CATALOG,
    PLANNED_DRUGS,
    ROUTES,
    DrugSpec,
    drug_names,
    resolve_drug,
    resolve_route,
    sexes_of,
)
from hpgsim.model.parameters import PARAMETERS, Calibrated, Parameter
from hpgsim.units import QuantityParseError, parse_quantity, ureg

HYPOGONADAL_T_MAX_NG_DL = 531.0
"""Upper bound of baseline total T for the hypogonadal conditions: the median of healthy men
19-39 y (Travison 2017, PMID 28324103)."""

SPERM_DETECTION_LIMIT_M_PER_ML = 0.1
"""The semen assay's detection limit, M/mL: azoospermia vs the lowest reported category 0.1-3
M/mL (WHO Task Force 1996, Fertil Steril 65:821, PMID 8654646)."""

SPERM_MAX_M_PER_ML = 500.0
"""Largest untreated sperm concentration a scenario accepts, M/mL; also the most any man may
reach under treatment (a baseline that implies more is refused when the solve is prepared:
hpgsim.engine.inputs)."""

TESTIS_VOLUME_MAX_ML = 50.0
"""Largest untreated testis volume a scenario accepts, mL; also the most any man's testis may
reach under treatment (as :data:`SPERM_MAX_M_PER_ML`)."""

CHH_SPERM_MAX_M_PER_ML = 15.0
"""Upper bound (exclusive) of an untreated man's sperm concentration with congenital
hypogonadotropic hypogonadism, M/mL: the WHO 2010 lower reference limit (5th centile of fertile
men, Cooper 2010, PMID 19934213). CHH is absent or arrested puberty with absent or impaired
spermatogenesis (Young 2019, Endocr Rev 40:669, doi 10.1210/er.2018-00116): a concentration in
the normal range contradicts it."""

CHH_SPERM_DEFAULT_M_PER_ML = SPERM_DETECTION_LIMIT_M_PER_ML
"""Untreated sperm concentration of a man with CHH when the scenario gives none, M/mL: untreated
men with CHH are azoospermic (Young 2019); the model needs a concentration above 0 (his readout
scales to it), so the semen assay's detection limit."""

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

MAX_HORIZON_DAYS = 100 * 365.25
"""Longest allowed horizon: 100 years, in days."""

TIME_RESOLUTION_DAYS = 2.5 / 1440.0
"""The finest time a scenario can name (2.5 min, in days): output intervals, dose times
(``start``, ``every``) and an infusion's ``stop`` are whole multiples of it (two of the
engine's ticks, :data:`hpgsim.engine.doses.TICK_DAYS`), checked when the file is loaded."""

MIN_INTERVAL_DAYS = TIME_RESOLUTION_DAYS
"""Shortest allowed dosing interval: the time resolution (2.5 min), in days."""

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

MAX_ADMINISTRATIONS = 1_000_000
"""Most administrations (doses of all lines together) a scenario may give before its horizon:
about 19 years of a gonadorelin pump pulsing every 90 min. The engine's own step limit
(:data:`hpgsim.engine.schedule.MAX_SOLVER_STEPS`) is checked when the solve is prepared."""

MAX_OUTPUT_ROWS = 1_000_000
"""Most output rows one scenario may ask for (horizon / output_every + 1): a year at 2.5 min is
210,385 rows; 100 years at 2.5 min (21 million rows) aborted inside XLA (issue #22)."""

MAX_DOCUMENT_CHARS = 1_000_000
"""Longest scenario document the loader reads (characters): a scenario is a few kB."""

MAX_NESTING = 32
"""Deepest nesting of mappings and lists in a scenario document (a scenario needs 4)."""

MAX_DOCUMENT_NODES = 100_000
"""Most values a YAML document may stand for once its aliases are expanded (bounds the
memory an alias bomb could take before any Python object is built)."""

Condition = Literal[
    "healthy",
    "primary_hypogonadism",
    "secondary_hypogonadism",
    "congenital_hypogonadotropic_hypogonadism",
]
"""The condition labels of :class:`hpgsim.model.conditions.Condition`, in its code order (a test
checks they agree)."""

# Key under which the scenario's `allow_supratherapeutic` flag is shared with the regimen-line
# validators through pydantic's validation context (so dose bounds are checked per line, with
# the line's own error path, in the same pass as every other check).
_FLAG_KEY = "hpgsim.scenario.allow_supratherapeutic"
_ERROR_TYPE = "hpgsim_scenario"
_MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _problem(message: str) -> PydanticCustomError:
    """A validation error whose message is the 'what is allowed' part of a problem line."""
    return PydanticCustomError(_ERROR_TYPE, message.replace("{", "(").replace("}", ")"))


def _dimension_name(quantity: pint.Quantity) -> str:
    names = {
        "[time]": "a time",
        "[mass]": "a mass",
        "[biological_activity]": "an activity in IU",
    }
    dim = str(quantity.dimensionality)
    return names.get(dim, f"a quantity of dimension {dim}")


def _parse_with_unit(value: Any, *, expected: str, examples: str) -> pint.Quantity:
    """Read ``value`` as a quantity that has a unit (a string, or a pint Quantity in code).

    ``expected`` says what is allowed ("a time"); ``examples`` lists valid inputs. Raises a
    pydantic custom error for a bare number, a non-string or an unreadable text.
    """
    if isinstance(value, pint.Quantity):
        quantity = value
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _problem(f"expected {expected} written as a string with a unit, e.g. {examples}")
    elif isinstance(value, int | float):
        raise _problem(f"a unit is required: write {expected} like {examples}")
    else:
        try:
            quantity = parse_quantity(value)
        except QuantityParseError as exc:
            raise _problem(f"{exc.reason}; expected {expected} such as {examples}") from None
    if quantity.dimensionless:
        raise _problem(f"a unit is required: write {expected} like {examples}")
    return quantity


def _quantity(value: Any, *, unit: str, expected: str, examples: str) -> float:
    """The magnitude of quantity ``value`` in ``unit``; errors as :func:`_parse_with_unit`, or
    for a wrong dimension. Rounded to 15 significant digits, so that unit-factor rounding noise
    does not show ("90 min" -> 0.0625 d, not 0.06249999999999999 d).
    """
    quantity = _parse_with_unit(value, expected=expected, examples=examples)
    try:
        magnitude = float(quantity.to(unit).magnitude)
    except pint.DimensionalityError:
        raise _problem(
            f"expected {expected} such as {examples}, not {_dimension_name(quantity)}"
        ) from None
    return float(f"{magnitude:.15g}")


def _time_days(value: Any) -> float:
    """A time quantity in days."""
    return _quantity(
        value, unit="day", expected="a time", examples="'7 d', '12 h', '90 min' or '2 weeks'"
    )


def _on_grid(days: float, what: str) -> float:
    """``days`` if it is a whole multiple of :data:`TIME_RESOLUTION_DAYS` (at least one, or
    zero for a start); else a problem naming the resolution."""
    steps = days / TIME_RESOLUTION_DAYS
    if abs(steps - round(steps)) > 1e-6 * max(1.0, steps) or (days > 0 and round(steps) < 1):
        minutes = TIME_RESOLUTION_DAYS * 1440
        raise _problem(
            f"{what} must be a whole multiple of {minutes:g} min (the time resolution of "
            f"scenario times, {_fmt(TIME_RESOLUTION_DAYS)} d), e.g. "
            f"{_fmt(max(1, round(steps)) * minutes)} min"
        )
    return days


def _fmt(x: float) -> str:
    """A number for messages: up to 6 significant digits, no trailing zeros."""
    return f"{x:.6g}"


def _close(name: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _drug_hint(written: str) -> str:
    """' (did you mean ...?)' for a drug name close to one a scenario may use (canonical names,
    brand names and other aliases, compared in lower case), naming the drug an alias means."""
    names = drug_names()
    by_lower = {name.lower(): name for name in [*names, *PLANNED_DRUGS]}
    matches = difflib.get_close_matches(written.lower(), list(by_lower), n=1)
    if not matches:
        return ""
    name = by_lower[matches[0]]
    meaning = names.get(name, name)
    return (
        f" (did you mean '{name}'?)" if meaning == name else f" (did you mean '{name}', {meaning}?)"
    )


SYRINGE_UNIT_ML = 0.01
"""One unit of a U-100 insulin syringe, mL (100 units per mL): ``dose: 15 units`` with
``concentration: 200 mg/mL`` is 0.15 mL, 30 mg."""

_SYRINGE_UNITS = re.compile(r"^\s*(?P<number>[0-9]*\.?[0-9]+)\s*(?:syringe\s+)?units?\s*$", re.I)


def _volume_ml(value: Any) -> float | None:
    """The volume, mL, that a dose written as a volume (``1 mL``) or in syringe units
    (``15 units``) stands for; None for any other dose."""
    if not isinstance(value, str):
        return None
    units = _SYRINGE_UNITS.match(value)
    if units is not None:
        return float(units["number"]) * SYRINGE_UNIT_ML
    try:
        quantity = parse_quantity(value)
    except QuantityParseError:
        return None
    if quantity.dimensionality != ureg.milliliter.dimensionality:
        return None
    return float(quantity.to("milliliter").magnitude)


def _bound_problem(spec: DrugSpec, dose: float, every_days: float | None) -> str | None:
    """Why ``dose`` (``spec.dose_unit``) every ``every_days`` (d) exceeds clinical use, if so."""
    unit = spec.dose_unit
    how = "to simulate it anyway, set `allow_supratherapeutic: true` at the top of the scenario"
    if dose > spec.max_dose:
        return (
            f"{_fmt(dose)} {unit} per dose is above {spec.name}'s bound of "
            f"{_fmt(spec.max_dose)} {unit} per dose ({spec.bound_source}); {how}"
        )
    if every_days is not None and spec.max_weekly_dose is not None:
        rate = dose * 7.0 / every_days
        if rate > spec.max_weekly_dose * (1.0 + 1e-9):
            return (
                f"{_fmt(dose)} {unit} every {_fmt(every_days)} d is a weekly-equivalent rate of "
                f"{_fmt(rate)} {unit}/week, above {spec.name}'s bound of "
                f"{_fmt(spec.max_weekly_dose)} {unit}/week ({spec.bound_source}); {how}"
            )
    return None


def _rate_bound_problem(spec: DrugSpec, rate_per_day: float) -> str | None:
    """Why an infusion of ``rate_per_day`` (``spec.dose_unit``/day) exceeds clinical use."""
    weekly = rate_per_day * 7.0
    if spec.max_weekly_dose is None or weekly <= spec.max_weekly_dose * (1.0 + 1e-9):
        return None
    unit = spec.dose_unit
    return (
        f"{_fmt(rate_per_day)} {unit}/day is {_fmt(weekly)} {unit}/week, above {spec.name}'s "
        f"bound of {_fmt(spec.max_weekly_dose)} {unit}/week ({spec.bound_source}); to simulate "
        "it anyway, set `allow_supratherapeutic: true` at the top of the scenario"
    )


def _administrations(line: RegimenLine, horizon: float) -> int:
    """How many doses ``line`` gives before ``horizon`` (0 for an infusion), without listing
    them."""
    end = line.end_days(horizon)
    if line.rate is not None or line.start_days >= end:
        return 0
    if line.every_days is None:
        return 1
    return math.ceil((end - line.start_days) / line.every_days - 1e-9)


def _weekly_rate(line: RegimenLine) -> float:
    """The weekly-equivalent amount (dose_unit/week) of a repeated line (its largest dose per
    interval) or an infusion (its rate) while it runs."""
    if line.rate is not None:
        return 7.0 * line.rate
    dose = max((line.dose or 0.0, *(line.taper or ())))
    return dose * 7.0 / (line.every_days or 7.0)


def _flag_from_context(info: ValidationInfo) -> bool | None:
    """The scenario's ``allow_supratherapeutic`` flag, or None when validated outside a scenario."""
    context = info.context
    if isinstance(context, dict) and _FLAG_KEY in context:
        return bool(context[_FLAG_KEY])
    return None


def _input_keys(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts in a scenario file (field aliases where set)."""
    return [field.alias or name for name, field in model.model_fields.items()]


MALE_ONLY_PATIENT_FIELDS: tuple[str, ...] = (
    "baseline_sperm_concentration_m_per_ml",
    "testicular_volume_ml",
    "baseline_total_testosterone_ng_dl",
    "fasting_insulin_uU_ml",
)
"""Patient fields of the man's model: a woman's scenario may not set them."""

WOMAN_DEFAULT_AGE_YEARS = 60.0
"""A woman's age when her scenario gives none, years: an assumption (a post-menopausal age; the
man's default of 35 would contradict her status). Her model reads no age; reports show it."""

SIMULATED_MENOPAUSAL_STATUSES: tuple[str, ...] = ("post",)
"""The menopausal statuses hpgsim simulates today. A pre- or peri-menopausal woman cycles, and
the cycle model (GynCycle, issue #20) is not built yet: such a scenario is refused."""


class Patient(BaseModel):
    """The simulated patient. Every field is optional; defaults describe a healthy man of 35.

    ``sex: female`` with ``menopausal_status: post`` is the post-menopausal woman of
    :mod:`hpgsim.model.woman` (age, default :data:`WOMAN_DEFAULT_AGE_YEARS`, and BMI apply;
    the man's fields may not be set).
    """

    model_config = _MODEL_CONFIG

    sex: Literal["male", "female"] = Field(
        default="male", description="The patient's sex: which model simulates him or her."
    )
    menopausal_status: Literal["pre", "peri", "post"] | None = Field(
        default=None,
        description="A woman's menopausal status (required with sex: female; a man has none).",
    )
    age_years: float = Field(default=35.0, ge=18, le=100, description="Age, years.")
    bmi_kg_m2: float = Field(default=25.0, ge=15, le=70, description="Body-mass index, kg/m^2.")
    baseline_sperm_concentration_m_per_ml: float = Field(
        default=60.0,
        gt=0,
        le=SPERM_MAX_M_PER_ML,
        description="Untreated sperm concentration, million/mL.",
    )
    testicular_volume_ml: float = Field(
        default=20.0,
        ge=1,
        le=TESTIS_VOLUME_MAX_ML,
        description="Untreated volume of one testis, mL.",
    )
    baseline_total_testosterone_ng_dl: float | None = Field(
        default=None,
        ge=50,
        le=1500,
        description="Untreated serum total testosterone, ng/dL; individualizes the steady state.",
    )
    condition: Condition = Field(
        default="healthy", description="Pre-existing condition of the axis."
    )
    fasting_insulin_uU_ml: float | None = Field(
        default=None,
        ge=2,
        le=100,
        description="Fasting serum insulin, uU/mL (= mIU/L); optional: insulin above what the "
        "man's BMI predicts lowers SHBG (Strain 1994; hpgsim.model.metabolic).",
    )

    @model_validator(mode="before")
    @classmethod
    def _woman_default_age(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("sex") == "female" and "age_years" not in data:
            return {**data, "age_years": WOMAN_DEFAULT_AGE_YEARS}
        return data

    @model_validator(mode="before")
    @classmethod
    def _condition_defaults(cls, data: Any) -> Any:
        # A man with CHH is azoospermic untreated: the healthy default of 60 M/mL would
        # contradict his condition (and, scaled by his deprived testis, run away on hCG).
        key = "baseline_sperm_concentration_m_per_ml"
        if (
            isinstance(data, dict)
            and data.get("condition") == "congenital_hypogonadotropic_hypogonadism"
            and data.get(key) is None
        ):
            return {**data, key: CHH_SPERM_DEFAULT_M_PER_ML}
        return data

    @model_validator(mode="after")
    def _sex_fields(self) -> Patient:
        if self.sex == "male":
            if self.menopausal_status is not None:
                raise _problem(
                    f"menopausal_status {self.menopausal_status!r} with sex 'male': a "
                    "menopausal status is a woman's; set `sex: female` or leave it out"
                )
            return self
        if self.menopausal_status is None:
            raise _problem(
                "sex 'female' needs `menopausal_status`: one of 'pre', 'peri', 'post' "
                f"(simulated today: {', '.join(SIMULATED_MENOPAUSAL_STATUSES)})"
            )
        if self.menopausal_status not in SIMULATED_MENOPAUSAL_STATUSES:
            raise _problem(
                f"menopausal_status {self.menopausal_status!r}: a pre- or peri-menopausal "
                "woman has a menstrual cycle, and hpgsim's cycle model (GynCycle, Roblitz "
                "2013, PMID 23206386; issue #20) is not built yet; allowed today: 'post'"
            )
        male = [f for f in MALE_ONLY_PATIENT_FIELDS if f in self.model_fields_set]
        if male:
            raise _problem(
                f"{', '.join(male)} with sex 'female': these are fields of the man's model; "
                "a woman's scenario gives age_years, bmi_kg_m2 and menopausal_status"
            )
        if self.condition != "healthy":
            raise _problem(
                f"condition {self.condition!r} with sex 'female': the conditions are the "
                "man's (hypogonadism, Klinefelter, ...); a woman is simulated as 'healthy'"
            )
        return self

    def as_input(self) -> dict[str, Any]:
        """This patient in scenario-file form (a woman's without the man's default fields;
        a man's without the woman's), read back to the same patient."""
        data = self.model_dump()
        if self.sex == "female":
            for name in (*MALE_ONLY_PATIENT_FIELDS, "condition"):
                data.pop(name, None)
        else:
            data.pop("menopausal_status", None)
        return data

    @model_validator(mode="after")
    def _chh_spermatogenesis(self) -> Patient:
        sperm = self.baseline_sperm_concentration_m_per_ml
        if (
            self.condition == "congenital_hypogonadotropic_hypogonadism"
            and sperm >= CHH_SPERM_MAX_M_PER_ML
        ):
            raise _problem(
                f"baseline_sperm_concentration_m_per_ml {sperm:g} M/mL with condition "
                "'congenital_hypogonadotropic_hypogonadism': untreated CHH has absent or "
                "impaired spermatogenesis (Young 2019, doi 10.1210/er.2018-00116), so the "
                f"concentration must be below {CHH_SPERM_MAX_M_PER_ML:g} M/mL (the WHO 2010 "
                "lower reference limit, Cooper 2010, PMID 19934213); leave it out for the "
                f"default of {CHH_SPERM_DEFAULT_M_PER_ML:g} M/mL (azoospermic)"
            )
        return self

    @model_validator(mode="after")
    def _hypogonadal_baseline(self) -> Patient:
        t = self.baseline_total_testosterone_ng_dl
        if self.condition != "healthy" and t is not None and t >= HYPOGONADAL_T_MAX_NG_DL:
            raise _problem(
                f"baseline_total_testosterone_ng_dl {t:g} ng/dL with condition "
                f"{self.condition!r}: a hypogonadal man's untreated T must be below "
                f"{HYPOGONADAL_T_MAX_NG_DL:g} ng/dL (the healthy median, Travison 2017, PMID "
                "28324103); use condition 'healthy' for a higher baseline"
            )
        return self

    @field_validator(
        "age_years",
        "bmi_kg_m2",
        "baseline_sperm_concentration_m_per_ml",
        "testicular_volume_ml",
        "baseline_total_testosterone_ng_dl",
        "fasting_insulin_uU_ml",
        mode="before",
    )
    @classmethod
    def _plain_number(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool | str):
            name = str(info.field_name)
            raise _problem(
                f"expected a plain number in {_PATIENT_UNITS[name]} (the unit is in the field "
                f"name): {_patient_range(name)}"
            )
        return value


_PATIENT_UNITS = {
    "age_years": "years",
    "bmi_kg_m2": "kg/m^2",
    "baseline_sperm_concentration_m_per_ml": "million/mL",
    "testicular_volume_ml": "mL",
    "baseline_total_testosterone_ng_dl": "ng/dL",
    "fasting_insulin_uU_ml": "uU/mL",
}


def patient_limits(name: str) -> tuple[float, float, bool]:
    """(lower, upper, lower is exclusive) of numeric patient field ``name``, read from its
    constraints: the covariate box the scenario file accepts."""
    lower, upper, exclusive = float("-inf"), float("inf"), False
    for constraint in Patient.model_fields[name].metadata:
        if isinstance(constraint, annotated_types.Ge):
            lower = float(constraint.ge)  # type: ignore[arg-type]
        elif isinstance(constraint, annotated_types.Gt):
            lower, exclusive = float(constraint.gt), True  # type: ignore[arg-type]
        elif isinstance(constraint, annotated_types.Le):
            upper = float(constraint.le)  # type: ignore[arg-type]
    return lower, upper, exclusive


def _patient_range(name: str) -> str:
    """What a numeric patient field allows, read from its constraints ("18 to 100 years")."""
    field = Patient.model_fields[name]
    lo, hi, exclusive = patient_limits(name)
    lower = f"above {lo:g}" if exclusive else f"from {lo:g}"
    default = "optional" if field.default is None else f"default {field.default:g}"
    return f"allowed {lower} up to {hi:g} {_PATIENT_UNITS[name]} ({default})"


class RegimenLine(BaseModel):
    """One line of a regimen: a drug given at a dose by a route, once or every interval.

    File keys: ``drug``, ``dose``, ``route``, ``every`` (optional), ``start`` (default ``0 d``),
    ``stop`` (optional), ``taper`` and ``taper_every`` (optional), ``rate`` (instead of ``dose``,
    for an infusion). Stored: ``dose`` and ``taper`` in the drug's ``dose_unit``; ``rate`` in
    ``dose_unit`` per day; ``every_days``, ``start_days``, ``stop_days`` and
    ``taper_every_days`` in days. The line doses at ``start``, ``start + every``, ... while the
    time is before ``stop``; without ``every`` it is a single dose at ``start``.

    Tapering: ``taper: [150 mg, 100 mg, 50 mg]`` with ``taper_every: 2 weeks`` gives ``dose``
    for the first 2 weeks, then each taper dose for 2 weeks in turn; the line ends after the
    last step (or at ``stop``, if earlier).

    Infusion: ``rate: 3 ug/h`` (no ``dose``, no ``every``) infuses from ``start`` until ``stop``
    (or the horizon), for drugs whose catalog entry allows it.

    Dose bounds (see :func:`hpgsim.model.drugs`) are checked when the line is validated as
    part of a :class:`Scenario`, which carries the ``allow_supratherapeutic`` flag.
    """

    model_config = _MODEL_CONFIG

    # Validation runs in this order, so later fields can be checked against earlier ones.
    drug: str = Field(description="Drug name, a key of hpgsim.model.drugs.CATALOG.")
    route: str = Field(description="Route of administration, one of the drug's routes.")
    every_days: float | None = Field(
        default=None, alias="every", validate_default=True, description="Dosing interval, days."
    )
    start_days: float = Field(default=0.0, alias="start", description="First dose time, days.")
    stop_days: float | None = Field(
        default=None, alias="stop", description="No dose at or after this time, days."
    )
    rate: float | None = Field(
        default=None, description="Infusion rate, in the drug's dose_unit per day."
    )
    concentration: float | None = Field(
        default=None,
        description="The product's strength, in the drug's dose_unit per mL ('200 mg/mL'), "
        "for a dose written as a volume ('1 mL') or in U-100 syringe units ('15 units').",
    )
    dose: float | None = Field(
        default=None,
        validate_default=True,
        description="Amount per administration, in the drug's dose_unit.",
    )
    taper: tuple[float, ...] | None = Field(
        default=None, description="Doses after `dose`, one per taper step, in dose_unit."
    )
    taper_every_days: float | None = Field(
        default=None, alias="taper_every", description="Length of each taper step, days."
    )

    _written: dict[str, Any] = PrivateAttr(default_factory=dict)
    """The drug, route and dose as the scenario wrote them (for :meth:`read_as`)."""

    @property
    def spec(self) -> DrugSpec:
        """The catalog entry of this line's drug."""
        return CATALOG[self.drug]

    @model_validator(mode="wrap")
    @classmethod
    def _remember_written(
        cls, data: Any, handler: ModelWrapValidatorHandler[RegimenLine]
    ) -> RegimenLine:
        line = handler(data)
        if isinstance(data, Mapping):
            line._written = {k: data[k] for k in ("drug", "route", "dose") if k in data}
        return line

    def __eq__(self, other: object) -> bool:
        """Lines are equal when their validated fields are: how they were written (brand name
        or catalog name, '1 mL' at 200 mg/mL or '200 mg') does not make them differ."""
        if not isinstance(other, RegimenLine):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        """Consistent with ``==``: the validated fields but the strength."""
        return hash(tuple(self._compared().items()))

    def _compared(self) -> dict[str, Any]:
        """The fields two equal lines share: all but the strength, which only says how a volume
        was read (the dose is stored in the drug's unit)."""
        return {k: v for k, v in self.__dict__.items() if k != "concentration"}

    def read_as(self) -> str | None:
        """How the line was read, where it was written otherwise than canonically: a brand
        name or alias (``Clomid`` -> ``clomiphene_citrate``), a route abbreviation (``PO`` ->
        ``oral``), a dose as a volume or in syringe units (``0.15 mL`` at 200 mg/mL ->
        ``30 mg``); None when it was written in canonical form."""
        w = self._written
        changes = []
        if isinstance(w.get("drug"), str) and w["drug"] != self.drug:
            changes.append(f"drug '{w['drug']}' as {self.drug}")
        if isinstance(w.get("route"), str) and w["route"] != self.route:
            changes.append(f"route '{w['route']}' as {self.route}")
        strength = self.concentration
        if self.dose is not None and strength is not None and _volume_ml(w.get("dose")):
            changes.append(
                f"dose '{w.get('dose')}' at {_fmt(strength)} "
                f"{self.spec.dose_unit}/mL as {_fmt(self.dose)} {self.spec.dose_unit}"
            )
        return "; ".join(changes) or None

    @field_validator("drug", mode="before")
    @classmethod
    def _known_drug(cls, value: Any) -> Any:
        known = ", ".join(CATALOG)
        if not isinstance(value, str):
            raise _problem(f"expected a drug name, one of: {known}")
        canonical = resolve_drug(value)  # the name itself, a brand name or another alias
        if canonical is not None:
            return canonical
        if value in PLANNED_DRUGS:
            raise _problem(
                f"'{value}' is planned but not implemented yet; implemented drugs: {known}"
            )
        hint = _drug_hint(value)
        raise _problem(
            f"unknown drug{hint}; implemented drugs: {known}; "
            f"planned, not implemented yet: {', '.join(PLANNED_DRUGS)}"
        )

    @field_validator("route", mode="before")
    @classmethod
    def _route_of_drug(cls, value: Any, info: ValidationInfo) -> Any:
        spec = CATALOG.get(info.data.get("drug", ""))
        allowed = spec.routes if spec is not None else ROUTES
        if isinstance(value, str):  # an abbreviation (IM, SC, PO) or the route itself
            value = resolve_route(value) or value
        if not isinstance(value, str) or value not in allowed:
            who = f"{spec.name} can be given by" if spec is not None else "routes are"
            hint = _close(value, allowed) if isinstance(value, str) else ""
            raise _problem(f"unsupported route{hint}; {who}: {', '.join(allowed)}")
        return value

    @field_validator("every_days", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> float | None:
        if value is None:
            return None
        days = _time_days(value)
        if days <= 0:
            raise _problem("the interval must be > 0 (e.g. '7 d'); omit `every` for a single dose")
        return _on_grid(days, "the interval")

    @field_validator("start_days", mode="before")
    @classmethod
    def _start(cls, value: Any) -> float:
        days = _time_days(value)
        if days < 0:
            raise _problem("start must be >= 0 d (time 0 is the start of the simulation)")
        return _on_grid(days, "start")

    @field_validator("stop_days", mode="before")
    @classmethod
    def _stop(cls, value: Any, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        days = _time_days(value)
        start = info.data.get("start_days")
        if start is not None and days <= start:
            raise _problem(f"stop must be after start ({_fmt(start)} d)")
        return days

    @field_validator("dose", mode="before")
    @classmethod
    def _dose(cls, value: Any, info: ValidationInfo) -> float | None:
        infusion = info.data.get("rate") is not None
        if value is None:
            if infusion or "rate" not in info.data:  # an infusion, or its rate was invalid
                return None
            raise _problem(
                "this key is required (or `rate` instead, for a continuous infusion, e.g. '3 ug/h')"
            )
        if infusion:
            raise _problem("give either `dose` or `rate` (an infusion), not both")
        spec = CATALOG.get(info.data.get("drug", ""))
        volume = _volume_ml(value)
        if volume is not None:  # '1 mL' or '15 units' of a product of known strength
            strength = info.data.get("concentration")
            if strength is None:
                unit = spec.dose_unit if spec is not None else "mg"
                raise _problem(
                    "a dose written as a volume ('1 mL') or in syringe units ('15 units', "
                    f"U-100: 0.01 mL each) needs the product's `concentration` (e.g. '200 "
                    f"{unit}/mL'); or write the dose itself (e.g. '200 {unit}')"
                )
            if spec is None:
                return 0.0
            value = ureg.Quantity(volume * strength, spec.dose_unit)
        if spec is None:
            # Unknown drug (reported on `drug`): still report an unreadable dose.
            _any_dose(value)
            return 0.0
        return _checked_dose(spec, value, info.data.get("every_days"), info)

    @field_validator("concentration", mode="before")
    @classmethod
    def _strength(cls, value: Any, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        spec = CATALOG.get(info.data.get("drug", ""))
        unit = spec.dose_unit if spec is not None else "mg"
        per_ml = _quantity(
            value,
            unit=f"{unit}/mL",
            expected=f"a strength in {unit} per mL",
            examples=f"'200 {unit}/mL'",
        )
        if per_ml <= 0:
            raise _problem(f"the concentration must be > 0 {unit}/mL")
        return per_ml

    @field_validator("rate", mode="before")
    @classmethod
    def _rate(cls, value: Any, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        spec = CATALOG.get(info.data.get("drug", ""))
        if spec is None:
            return 0.0
        if not spec.infusion:
            infusible = ", ".join(n for n, d in CATALOG.items() if d.infusion)
            raise _problem(
                f"{spec.name} cannot be given as a continuous infusion; drugs that can: {infusible}"
            )
        unit = f"{spec.dose_unit}/day"
        rate = _quantity(
            value, unit=unit, expected="an infusion rate", examples=f"'3 {spec.dose_unit}/h'"
        )
        if rate <= 0:
            raise _problem(f"the rate must be > 0 {unit}")
        if _flag_from_context(info) is False:
            problem = _rate_bound_problem(spec, rate)
            if problem is not None:
                raise _problem(problem)
        return rate

    @field_validator("taper", mode="before")
    @classmethod
    def _taper(cls, value: Any, info: ValidationInfo) -> tuple[float, ...] | None:
        if value is None:
            return None
        spec = CATALOG.get(info.data.get("drug", ""))
        if not isinstance(value, list | tuple) or not value:
            raise _problem("taper must be a list of doses, e.g. [150 mg, 100 mg, 50 mg]")
        if spec is None:
            return tuple(0.0 for _ in value)
        return tuple(_checked_dose(spec, v, info.data.get("every_days"), info) for v in value)

    @field_validator("taper_every_days", mode="before")
    @classmethod
    def _taper_every(cls, value: Any) -> float | None:
        if value is None:
            return None
        days = _time_days(value)
        if days <= 0:
            raise _problem("taper_every must be > 0 (e.g. '2 weeks')")
        return days

    @model_validator(mode="after")
    def _dose_or_rate(self) -> RegimenLine:
        if self.rate is not None and (self.every_days is not None or self.taper is not None):
            raise _problem("an infusion (`rate`) takes no `every` and no `taper`")
        if (self.taper is None) != (self.taper_every_days is None):
            raise _problem("`taper` and `taper_every` go together (e.g. taper_every: 2 weeks)")
        if self.taper is not None and self.every_days is None:
            raise _problem("a taper needs a repeating line: give `every`")
        if self.rate is not None and self.stop_days is not None:
            _on_grid(self.stop_days, "an infusion's stop")
        return self

    @property
    def is_infusion(self) -> bool:
        """Whether this line is a continuous infusion (``rate``) rather than doses."""
        return self.rate is not None

    def end_days(self, horizon_days: float) -> float:
        """Time after which the line gives nothing: ``stop``, the end of the taper, or the
        horizon, whichever comes first."""
        end = horizon_days if self.stop_days is None else min(self.stop_days, horizon_days)
        if self.taper is not None and self.taper_every_days is not None:
            end = min(end, self.start_days + self.taper_every_days * (len(self.taper) + 1))
        return end

    def dose_schedule(self, horizon_days: float) -> list[tuple[npt.NDArray[np.float64], float]]:
        """(dose times in days, amount per dose) for each dose level of this line, in order.

        One entry for a plain line, one per taper step for a tapered line, none for an
        infusion (see :meth:`infusion_window`).
        """
        if self.dose is None:
            return []
        times = self.dose_times(horizon_days)
        if self.taper is None or self.taper_every_days is None:
            return [(times, self.dose)]
        levels = (self.dose, *self.taper)
        step = np.floor((times - self.start_days) / self.taper_every_days + 1e-9).astype(int)
        return [(times[step == j], dose) for j, dose in enumerate(levels) if np.any(step == j)]

    def infusion_window(self, horizon_days: float) -> tuple[float, float] | None:
        """(start, end) in days of an infusion line, or None for a dosing line or an
        infusion that starts at or after the horizon."""
        if self.rate is None:
            return None
        end = self.end_days(horizon_days)
        return (self.start_days, end) if self.start_days < end else None

    def dose_times(self, horizon_days: float) -> npt.NDArray[np.float64]:
        """Dose times in days: ``start, start + every, ...`` while before ``stop`` and horizon.

        A line without ``every`` gives its single dose at ``start`` (if before the horizon).
        """
        end = self.end_days(horizon_days)
        if self.start_days >= end or self.rate is not None:
            return np.zeros(0, dtype=np.float64)
        if self.every_days is None:
            return np.array([self.start_days], dtype=np.float64)
        # Count from integers (no accumulated rounding); a dose that lands on `end` within
        # rounding error is excluded, as `end` itself is.
        n = int(np.ceil((end - self.start_days) / self.every_days - 1e-9))
        times = self.start_days + self.every_days * np.arange(max(n, 0), dtype=np.float64)
        return times[times < end - 1e-9 * max(1.0, abs(end))]

    def to_input_dict(self) -> dict[str, Any]:
        """This line in scenario-file form (quantity strings in canonical units)."""
        unit = self.spec.dose_unit
        out: dict[str, Any] = {"drug": self.drug}
        if self.dose is not None:
            out["dose"] = f"{self.dose!r} {unit}"
        if self.rate is not None:
            out["rate"] = f"{self.rate!r} {unit}/day"
        out["route"] = self.route
        if self.every_days is not None:
            out["every"] = f"{self.every_days!r} d"
        out["start"] = f"{self.start_days!r} d"
        if self.stop_days is not None:
            out["stop"] = f"{self.stop_days!r} d"
        if self.taper is not None:
            out["taper"] = [f"{d!r} {unit}" for d in self.taper]
            out["taper_every"] = f"{self.taper_every_days!r} d"
        return out


def _checked_dose(
    spec: DrugSpec, value: Any, every_days: float | None, info: ValidationInfo
) -> float:
    """One dose of ``spec`` in its dose unit, > 0 and (inside a scenario) within the bounds."""
    if spec.dose_unit == "IU":
        expected, examples = "an activity in IU", "'500 IU'"
    else:
        expected, examples = "a mass in g, mg, ug or µg", "'100 mg' or '250 ug'"
    dose = _quantity(value, unit=spec.dose_unit, expected=expected, examples=examples)
    if dose <= 0:
        raise _problem(f"the dose must be > 0 {spec.dose_unit}")
    if spec.formulation_max_dose is not None and dose > spec.formulation_max_dose * (1 + 1e-9):
        raise _problem(
            f"{_fmt(dose)} {spec.dose_unit} is above the {_fmt(spec.formulation_max_dose)} "
            f"{spec.dose_unit} of the {spec.name} formulation the model has "
            f"({spec.formulation_note}); allowed: up to {_fmt(spec.formulation_max_dose)} "
            f"{spec.dose_unit} per dose"
        )
    if _flag_from_context(info) is False:
        problem = _bound_problem(spec, dose, every_days)
        if problem is not None:
            raise _problem(problem)
    return dose


def _any_dose(value: Any) -> None:
    """Check a dose of an unknown drug: a mass or an activity in IU, with a unit."""
    expected, examples = "a mass or an activity in IU", "'200 mg' or '500 IU'"
    quantity = _parse_with_unit(value, expected=expected, examples=examples)
    if str(quantity.dimensionality) not in ("[mass]", "[biological_activity]"):
        raise _problem(f"expected {expected} such as {examples}, not {_dimension_name(quantity)}")


_PARAMETER_ROWS: dict[str, Parameter] = {p.name: p for p in PARAMETERS}

_RECIPROCAL = re.compile(r"(\s)1\s*/\s*([A-Za-z_][A-Za-z_0-9]*)")
"""A reciprocal unit as the parameter table writes it (``1/day``)."""


def parameter_override(name: str, value: Any) -> float:
    """``value`` for model parameter ``name`` in the table's unit: a number (in that unit) or a
    quantity string convertible to it (``0.02 1/day``), finite, within the fit's bounds for a
    calibrated parameter and of the table value's sign otherwise. Raises a problem naming the
    parameter and what is allowed."""
    row = _PARAMETER_ROWS.get(name)
    if row is None:
        hint = _close(name, _PARAMETER_ROWS)
        raise _problem(f"unknown parameter '{name}'{hint}; the names are in `hpgsim model show`")
    unit = "dimensionless" if row.unit == "1" else row.unit
    shown_unit = "" if row.unit == "1" else f" {row.unit}"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _problem(f"{name}: expected a number in {row.unit} or a quantity string")
    if isinstance(value, str):
        text = _RECIPROCAL.sub(r"\1\2**-1", value)  # '3 1/day' -> '3 day**-1'
        try:
            number = float(parse_quantity(text).to(unit).magnitude)
        except (QuantityParseError, pint.DimensionalityError):
            raise _problem(
                f"{name}: expected a value in {row.unit} (a number, or e.g. "
                f"'{row.value:.3g}{shown_unit}')"
            ) from None
    else:
        number = float(value)
    if not math.isfinite(number):
        raise _problem(f"{name}: expected a finite number")
    if isinstance(row.provenance, Calibrated):
        low, high = row.provenance.lower, row.provenance.upper
        if not low <= number <= high:
            raise _problem(
                f"{name}: {number:g}{shown_unit} is outside the fit's bounds "
                f"{low:g}-{high:g}{shown_unit} (table value {row.value:.4g})"
            )
    elif row.value > 0 and number <= 0:
        raise _problem(f"{name}: must be > 0{shown_unit} (table value {row.value:.4g})")
    elif row.value == 0 and number < 0:
        raise _problem(f"{name}: must be >= 0{shown_unit}")
    return number


class Scenario(BaseModel):
    """A validated scenario: patient, regimen and output grid, in canonical units.

    File keys: ``name``, ``horizon`` (required), ``output_every`` (default ``1 d``),
    ``allow_supratherapeutic`` (default false), ``patient``, ``regimen``. Stored times are in
    days (``horizon_days``, ``output_every_days``).
    """

    model_config = _MODEL_CONFIG

    # Validation runs in this order: horizon before output_every, the flag before regimen.
    name: str = Field(default="scenario", min_length=1, description="Label used in outputs.")
    horizon_days: float = Field(alias="horizon", description="Simulated time span, days.")
    output_every_days: float = Field(
        default="1 d",
        alias="output_every",
        validate_default=True,
        description="Output spacing, days.",
    )
    allow_supratherapeutic: bool = Field(
        default=False,
        validate_default=True,
        description="Accept doses above the catalog's clinical bounds.",
    )
    patient: Patient = Field(default_factory=Patient)
    regimen: list[RegimenLine] = Field(default_factory=list)
    parameters: tuple[tuple[str, float], ...] = Field(
        default=(),
        description="Model parameters replaced for this scenario, name -> value in the "
        "table's unit (hpgsim model show), sorted by name.",
    )

    def __init__(self, **data: Any) -> None:
        # Validate with a context so dose bounds are reported on each line (see _FLAG_KEY).
        # pydantic also routes model_validate() through a custom __init__, so this covers it.
        self.__pydantic_validator__.validate_python(data, self_instance=self, context={})

    @field_validator("horizon_days", mode="before")
    @classmethod
    def _horizon(cls, value: Any) -> float:
        days = _time_days(value)
        if not 0 < days <= MAX_HORIZON_DAYS:
            raise _problem(
                f"the horizon must be > 0 and at most 100 years ({_fmt(MAX_HORIZON_DAYS)} d)"
            )
        return days

    @field_validator("output_every_days", mode="before")
    @classmethod
    def _output_every(cls, value: Any, info: ValidationInfo) -> float:
        days = _time_days(value)
        horizon = info.data.get("horizon_days")
        if days <= 0 or (horizon is not None and days > horizon):
            limit = f"the horizon ({_fmt(horizon)} d)" if horizon is not None else "the horizon"
            raise _problem(f"output_every must be > 0 and at most {limit}")
        ticks = days / TIME_RESOLUTION_DAYS
        if round(ticks) < 1 or abs(ticks - round(ticks)) > 1e-6:
            raise _problem(
                f"output_every must be a whole multiple of {TIME_RESOLUTION_DAYS * 1440:g} min "
                "(the engine's time resolution), at least one"
            )
        if horizon is not None and horizon / days + 1 > MAX_OUTPUT_ROWS + 1e-6:
            raise _problem(
                f"at most {MAX_OUTPUT_ROWS:,} output rows: output_every must be at least "
                f"{_fmt(horizon / MAX_OUTPUT_ROWS)} d for a horizon of {_fmt(horizon)} d"
            )
        return days

    @field_validator("allow_supratherapeutic", mode="wrap")
    @classmethod
    def _share_flag(cls, value: Any, handler: Callable[[Any], bool], info: ValidationInfo) -> bool:
        context = info.context
        if isinstance(context, dict):
            context.pop(_FLAG_KEY, None)
        flag = handler(value)
        if isinstance(context, dict):
            context[_FLAG_KEY] = flag
        return flag

    @field_validator("patient", "regimen", mode="before")
    @classmethod
    def _null_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return {} if info.field_name == "patient" else []
        return value

    @model_validator(mode="after")
    def _bounds_without_context(self, info: ValidationInfo) -> Scenario:
        # Safety net: if the lines were validated without the flag in the context (so they
        # skipped the dose bounds), check the bounds here, in one error.
        if _flag_from_context(info) is not None or self.allow_supratherapeutic:
            return self
        problems = [
            f"regimen[{i}].{key}: {problem}"
            for i, line in enumerate(self.regimen)
            for key, problem in (
                ("dose", line.dose and _bound_problem(line.spec, line.dose, line.every_days)),
                ("rate", line.rate and _rate_bound_problem(line.spec, line.rate)),
                *(
                    ("taper", _bound_problem(line.spec, d, line.every_days))
                    for d in line.taper or ()
                ),
            )
            if problem
        ]
        if problems:
            raise _problem(" | ".join(problems))
        return self

    @model_validator(mode="after")
    def _drugs_of_the_patient(self) -> Scenario:
        sex = self.patient.sex
        problems = [
            f"regimen[{i}].drug: {line.drug!r} acts in hpgsim's model of the "
            f"{' and the '.join(sexes_of(line.drug))} patient only, not in a {sex} one; drugs "
            f"for a {sex} patient: {', '.join(d for d in CATALOG if sex in sexes_of(d))}"
            for i, line in enumerate(self.regimen)
            if sex not in sexes_of(line.drug)
        ]
        if problems:
            raise _problem(" | ".join(problems))
        return self

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameter_overrides(cls, value: Any) -> tuple[tuple[str, float], ...]:
        if value is None:
            return ()
        if isinstance(value, tuple):  # already validated (a copy of a scenario)
            value = dict(value)
        if not isinstance(value, Mapping):
            raise _problem(
                "expected a mapping of parameter names to values, e.g. {k_ssc_renew: 0.02} "
                "(names and units: hpgsim model show)"
            )
        return tuple(sorted((str(k), parameter_override(str(k), v)) for k, v in value.items()))

    @property
    def parameter_overrides(self) -> dict[str, float]:
        """The scenario's parameter overrides, name -> value in the table's unit."""
        return dict(self.parameters)

    @field_validator("regimen", mode="after")
    @classmethod
    def _summed_exposure(
        cls, regimen: list[RegimenLine], info: ValidationInfo
    ) -> list[RegimenLine]:
        # A drug's weekly bound holds for its summed exposure: lines of one drug that overlap
        # in time add up (six lines of 200 mg weekly are 1,200 mg/week, as one line would be).
        horizon = info.data.get("horizon_days")
        if horizon is None:
            return regimen
        given = sum(_administrations(line, horizon) for line in regimen)
        if given > MAX_ADMINISTRATIONS:
            raise _problem(
                f"{given:,} administrations before the horizon; at most "
                f"{MAX_ADMINISTRATIONS:,} in one scenario: shorten the horizon or the dosing"
            )
        if info.data.get("allow_supratherapeutic", True):
            return regimen
        for drug in dict.fromkeys(line.drug for line in regimen):
            spec = CATALOG[drug]
            unit, how = (
                spec.dose_unit,
                (
                    "the bound holds for a drug's summed exposure; to simulate it anyway, set "
                    "`allow_supratherapeutic: true` at the top of the scenario"
                ),
            )
            # Single doses given at the same time add up against the per-dose bound.
            singles: dict[float, list[int]] = {}
            for i, line in enumerate(regimen):
                if line.drug == drug and line.every_days is None and line.dose is not None:
                    singles.setdefault(line.start_days, []).append(i)
            for t, idx in singles.items():
                total = sum(regimen[i].dose or 0.0 for i in idx)
                if len(idx) > 1 and total > spec.max_dose * (1.0 + 1e-9):
                    which = ", ".join(f"regimen[{i}]" for i in idx)
                    raise _problem(
                        f"{drug}: {which} are given together on day {_fmt(t)}, {_fmt(total)} "
                        f"{unit} in all, above {drug}'s bound of {_fmt(spec.max_dose)} {unit} "
                        f"per dose ({spec.bound_source}); {how}"
                    )
            # Repeated lines and infusions that overlap in time add up against the weekly bound.
            if spec.max_weekly_dose is None:
                continue
            spans = [
                (i, line.start_days, line.end_days(horizon), _weekly_rate(line))
                for i, line in enumerate(regimen)
                if line.drug == drug and (line.every_days is not None or line.rate is not None)
            ]
            for _, t, _, _ in spans:
                active = [(i, w) for i, a, b, w in spans if a <= t < b]
                total = sum(w for _, w in active)
                if len(active) > 1 and total > spec.max_weekly_dose * (1.0 + 1e-9):
                    which = ", ".join(f"regimen[{i}]" for i, _ in active)
                    raise _problem(
                        f"{drug}: {which} overlap from day {_fmt(t)} and sum to a "
                        f"weekly-equivalent {_fmt(total)} {unit}/week, above {drug}'s bound of "
                        f"{_fmt(spec.max_weekly_dose)} {unit}/week ({spec.bound_source}); {how}"
                    )
        return regimen

    def drugs_present(self) -> list[str]:
        """Drug names in the regimen, in order of first appearance, each once."""
        return list(dict.fromkeys(line.drug for line in self.regimen))

    def to_input_dict(self) -> dict[str, Any]:
        """This scenario in scenario-file form; ``scenario_from_dict`` reads it back."""
        return {
            "name": self.name,
            "horizon": f"{self.horizon_days!r} d",
            "output_every": f"{self.output_every_days!r} d",
            "allow_supratherapeutic": self.allow_supratherapeutic,
            "patient": self.patient.as_input(),
            "regimen": [line.to_input_dict() for line in self.regimen],
            "parameters": self.parameter_overrides,
        }


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario: where, the value given, and what is allowed."""

    path: str
    value: str
    allowed: str

    def __str__(self) -> str:
        return f"{self.path}: got {self.value}; {self.allowed}"


class ScenarioError(ValueError):
    """A scenario could not be read; ``str()`` lists every problem found, one per line."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        where = f"scenario {source}" if source else "scenario"
        count = len(self.problems)
        header = f"Invalid {where}: {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))

    @classmethod
    def from_validation_error(
        cls, error: ValidationError, source: str | None = None
    ) -> ScenarioError:
        """Translate a pydantic error on :class:`Scenario` into one problem line per error."""
        return cls([_problem_from_error(e) for e in error.errors(include_url=False)], source)


def _render(value: Any) -> str:
    """A value given in a scenario, as shown in problem lines."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, Mapping | list):
        text = json.dumps(value, default=str)
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _format_path(loc: Sequence[int | str]) -> str:
    path = ""
    for item in loc:
        path += f"[{item}]" if isinstance(item, int) else (f".{item}" if path else str(item))
    return path or "(top level)"


def _model_at(loc: Sequence[int | str]) -> tuple[type[BaseModel], str]:
    """The model (and a word for it) whose keys are checked at location ``loc``."""
    if loc[:1] == ("patient",):
        return Patient, "patient field"
    if loc[:1] == ("regimen",):
        return RegimenLine, "regimen key"
    return Scenario, "top-level key"


def _problem_from_error(error: Mapping[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = _render(error.get("input"))
    if kind == _ERROR_TYPE:
        if error.get("input") is None and str(error["msg"]).startswith("this key is required"):
            value = "nothing"  # a key validated from its default: it was not given
        return Problem(_format_path(loc), value, str(error["msg"]))
    if kind == "extra_forbidden":
        model, word = _model_at(loc)
        keys = _input_keys(model)
        hint = _close(str(loc[-1]), keys)
        allowed = f"unknown {word} '{loc[-1]}'{hint}; allowed: {', '.join(keys)}"
        return Problem(_format_path(loc), value, allowed)
    if kind == "missing":
        return Problem(_format_path(loc), "nothing", "this key is required")
    if loc[:1] == ("patient",) and len(loc) == 2 and loc[1] in _PATIENT_UNITS:
        return Problem(_format_path(loc), value, _patient_range(str(loc[1])))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model, _ = _model_at(loc)
        allowed = f"expected a mapping with keys among: {', '.join(_input_keys(model))}"
        return Problem(_format_path(loc), value, allowed)
    return Problem(_format_path(loc), value, str(error["msg"]))


def scenario_from_dict(data: Any, *, source: str | None = None) -> Scenario:
    """Validate a scenario given as a mapping (already parsed from YAML or JSON).

    Raises:
        ScenarioError: listing every problem found; ``source`` names the file in the message.
    """
    try:
        return Scenario.model_validate(data, context={})
    except ValidationError as exc:
        raise ScenarioError.from_validation_error(exc, source) from None


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate keys instead of keeping the last one."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # unhashable key: the safe loader reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def _yaml_shape_problem(root: yaml.Node) -> str | None:
    """Why a composed YAML document is refused before any Python object is built (nesting
    deeper than :data:`MAX_NESTING`, an alias that contains itself, more than
    :data:`MAX_DOCUMENT_NODES` values once aliases are expanded), or None. Iterative: a deep
    document cannot exhaust the interpreter's stack here."""
    count = 0
    stack: list[tuple[yaml.Node, int, tuple[int, ...]]] = [(root, 1, ())]
    while stack:
        node, depth, path = stack.pop()
        count += 1
        if count > MAX_DOCUMENT_NODES:
            return (
                f"a document that expands to more than {MAX_DOCUMENT_NODES:,} values "
                "(aliases included)"
            )
        if depth > MAX_NESTING:
            return f"nesting deeper than {MAX_NESTING} levels"
        if isinstance(node, yaml.ScalarNode):
            continue
        if id(node) in path:
            return "an alias that contains itself"
        inner = (*path, id(node))
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        stack.extend((child, depth + 1, inner) for child in children)
    return None


def _data_problem(data: Any) -> tuple[str, str, str] | None:
    """(where, what was found, what is allowed) for the first mapping key that is not a string
    (YAML allows ``1: x``) or the first value nested deeper than :data:`MAX_NESTING`, or None.
    Iterative, for the same reason as :func:`_yaml_shape_problem`."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_NESTING:
            where = path or "the document"
            return where, "a deeply nested value", f"nesting of at most {MAX_NESTING} levels"
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    where = f"{path}.{key!r}" if path else repr(key)
                    return where, "a key that is not text", "keys are names"
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
    return None


def _reject_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _parse_text(text: str, suffix: str, source: str) -> Any:
    """Parse YAML or JSON text; syntax errors become a ScenarioError naming line and column."""
    lines = text.splitlines()

    def at(line: int, column: int, message: str) -> ScenarioError:
        snippet = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        where = f"{source}, line {line}, column {column}"
        shown = _render(snippet) if snippet else "the end of the file"
        return ScenarioError([Problem(where, shown, message)], source)

    def refused(shown: str, allowed: str) -> ScenarioError:
        return ScenarioError([Problem(source, shown, allowed)], source)

    if len(text) > MAX_DOCUMENT_CHARS:
        raise refused(
            f"a document of more than {MAX_DOCUMENT_CHARS:,} characters",
            f"a scenario document of at most {MAX_DOCUMENT_CHARS:,} characters",
        )
    deep = f"a scenario document nested at most {MAX_NESTING} levels deep"
    if suffix == ".json":
        try:
            data = json.loads(text, object_pairs_hook=_reject_duplicate_json_keys)
        except json.JSONDecodeError as exc:
            raise at(exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
        except RecursionError:
            raise refused("a deeply nested document", deep) from None
        except ValueError as exc:
            raise refused("invalid JSON", str(exc)) from None
        return _checked_keys(data, source)
    try:
        root = yaml.compose(text, Loader=_UniqueKeyLoader)  # nodes only: no alias expanded
        problem = _yaml_shape_problem(root) if root is not None else None
        if problem is not None:
            raise refused(
                problem,
                f"{deep}, without self-referencing aliases, expanding to "
                f"at most {MAX_DOCUMENT_NODES:,} values",
            )
        return _checked_keys(yaml.load(text, Loader=_UniqueKeyLoader), source)  # SafeLoader
    except RecursionError:
        raise refused("a deeply nested document", deep) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        message = f"invalid YAML: {exc.problem}"
        if mark is None:
            raise ScenarioError([Problem(source, "invalid YAML", message)], source) from None
        raise at(mark.line + 1, mark.column + 1, message) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(source, "invalid YAML", str(exc))], source) from None


def _checked_keys(data: Any, source: str) -> Any:
    """``data`` if every mapping key in it is a string and nothing is nested deeper than
    :data:`MAX_NESTING`, else a ScenarioError naming the place."""
    problem = _data_problem(data)
    if problem is not None:
        raise ScenarioError([Problem(*problem)], source)
    return data


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file (``.yaml``, ``.yml`` or ``.json``).

    Raises:
        ScenarioError: the file is missing or unreadable, has another extension, is not valid
            YAML/JSON, or describes an invalid scenario; the message lists every problem.
    """
    file = Path(path)
    source = str(file)
    suffix = file.suffix.lower()
    if suffix not in SCENARIO_SUFFIXES:
        allowed = "a scenario file must end in .yaml, .yml or .json"
        raise ScenarioError([Problem(source, repr(file.suffix or "no extension"), allowed)], source)
    try:
        with file.open(encoding="utf-8") as handle:  # one past the limit: enough to refuse
            text = handle.read(MAX_DOCUMENT_CHARS + 1)
    except FileNotFoundError:
        problem = Problem(source, "no such file", "expected an existing scenario file")
        raise ScenarioError([problem], source) from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = Problem(source, "an unreadable file", f"expected a readable UTF-8 file ({exc})")
        raise ScenarioError([problem], source) from None
    data = _parse_text(text, suffix, source)
    if data is None:
        problem = Problem(source, "an empty file", "expected a mapping with at least `horizon`")
        raise ScenarioError([problem], source)
    return scenario_from_dict(data, source=source)
