"""The scenarios built from the protocol library (its files are read by
:mod:`hpgsim.clinical.library`, whose :func:`protocol_names`, :func:`load_protocol` and
:class:`Protocol` this module re-exports): :func:`protocol_scenario` builds "this man, after
this TRT history, then this protocol" (:class:`TrtHistory`); :func:`with_bmi` the same man at
another BMI.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hpgsim.clinical.library import Protocol, load_protocol, protocol_names
from hpgsim.model.drugs import CATALOG
from hpgsim.model.metabolic import metabolic_values
from hpgsim.scenario import Scenario, scenario_from_dict
from hpgsim.units import parse_quantity

__all__ = [
    "Protocol",
    "TrtHistory",
    "load_protocol",
    "protocol_names",
    "protocol_scenario",
    "with_bmi",
]


@dataclass(frozen=True)
class TrtHistory:
    """The TRT a man had before the protocol: a testosterone product at ``dose`` every
    ``every`` for ``years`` (whole intervals), optionally with anastrozole."""

    drug: str = "testosterone_cypionate"
    dose: str = "200 mg"
    route: str = "intramuscular"
    every: str = "7 d"
    years: float = 2.0
    anastrozole_dose: str | None = None
    anastrozole_every: str = "3.5 d"

    def __post_init__(self) -> None:
        spec = CATALOG.get(self.drug)
        if spec is None or not spec.androgen:
            allowed = ", ".join(k for k, s in CATALOG.items() if s.androgen)
            raise ValueError(f"trt-drug: got {self.drug!r}; allowed: {allowed}")
        if self.route not in spec.routes:
            raise ValueError(
                f"trt-route: got {self.route!r} for {self.drug}; allowed: {', '.join(spec.routes)}"
            )
        if not (math.isfinite(self.years) and 0.0 < self.years <= 30.0):
            raise ValueError(f"trt-years: got {self.years!r}; allowed: above 0 and at most 30")
        _checked(self.every, "day", "trt-every", "a time above 0, e.g. '7 d'")
        _checked(self.dose, spec.dose_unit, "trt-dose", f"an amount in {spec.dose_unit}")
        if self.anastrozole_dose is not None:
            _checked(self.anastrozole_dose, "mg", "trt-anastrozole", "an amount in mg")
            _checked(self.anastrozole_every, "day", "trt-anastrozole-every", "a time above 0")


def _checked(text: str, unit: str, option: str, allowed: str) -> float:
    """``text`` as a positive magnitude in ``unit``, or ValueError naming ``option``."""
    try:
        value = float(parse_quantity(text).to(unit).magnitude)
    except Exception as exc:  # pint's parse and dimensionality errors, and ours
        raise ValueError(f"{option}: got {text!r}; allowed: {allowed}") from exc
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"{option}: got {text!r}; allowed: {allowed}")
    return value


def _days(text: str) -> float:
    return float(parse_quantity(text).to("day").magnitude)


def _amount(text: str, unit: str) -> float:
    return float(parse_quantity(text).to(unit).magnitude)


def protocol_scenario(
    protocol: Protocol | str,
    *,
    patient: Mapping[str, Any] | None = None,
    history: TrtHistory | None = None,
    follow_up_days: float = 730.0,
    output_every: str = "1 d",
) -> tuple[Scenario, float]:
    """The scenario "this man, after ``history``, then ``protocol``", followed for
    ``follow_up_days`` from day 0 (the end of full-dose TRT), and day 0 in scenario time.

    Raises ScenarioError (invalid patient fields or doses) or ValueError (unknown protocol).
    """
    proto = load_protocol(protocol) if isinstance(protocol, str) else protocol
    hist = history or TrtHistory()
    every = _days(hist.every)
    n = max(1, round(hist.years * 365.25 / every))
    day0 = n * every
    regimen: list[dict[str, Any]] = [
        {
            "drug": hist.drug,
            "dose": hist.dose,
            "route": hist.route,
            "every": hist.every,
            "start": "0 d",
            "stop": f"{day0!r} d",
        }
    ]
    if hist.anastrozole_dose is not None:
        regimen.append(
            {
                "drug": "anastrozole",
                "dose": hist.anastrozole_dose,
                "route": "oral",
                "every": hist.anastrozole_every,
                "start": "0 d",
                "stop": f"{day0!r} d",
            }
        )
    if proto.taper:
        unit = CATALOG[hist.drug].dose_unit
        dose = _amount(hist.dose, unit)
        fractions = [float(f) for f in proto.taper["fractions"]]
        regimen.append(
            {
                "drug": hist.drug,
                "dose": f"{dose * fractions[0]!r} {unit}",
                "route": hist.route,
                "every": hist.every,
                "start": f"{day0!r} d",
                "taper": [f"{dose * f!r} {unit}" for f in fractions[1:]],
                "taper_every": proto.taper["every"],
            }
        )
    for line in proto.regimen:
        shifted = dict(line)
        for key in ("start", "stop"):
            if key in shifted:
                shifted[key] = f"{day0 + _days(str(shifted[key]))!r} d"
        if "start" not in shifted:
            shifted["start"] = f"{day0!r} d"
        regimen.append(shifted)
    data = {
        "name": proto.name,
        "horizon": f"{day0 + follow_up_days!r} d",
        "output_every": output_every,
        "patient": dict(patient or {}),
        "regimen": regimen,
    }
    return scenario_from_dict(data, source=f"protocol {proto.name}"), day0


def with_bmi(scenario: Scenario, bmi: float, *, suffix: bool = True) -> Scenario:
    """``scenario`` for the same man at another BMI (a weight-loss variant). A fasting insulin,
    if given, moves with BMI along the weight-stable slope (1 uU/mL per kg/m2, Strain 1994), so
    his insulin above what his BMI predicts stays the same."""
    data = scenario.to_input_dict()
    pt = dict(data["patient"])
    insulin = pt.get("fasting_insulin_uU_ml")
    if insulin is not None:
        slope = metabolic_values()["insulin_bmi_slope"]
        pt["fasting_insulin_uU_ml"] = max(2.0, float(insulin) + slope * (bmi - pt["bmi_kg_m2"]))
    pt["bmi_kg_m2"] = bmi
    data["patient"] = pt
    if suffix:
        data["name"] = f"{scenario.name} @ BMI {bmi:g}"
    return scenario_from_dict(data)
