"""The scenarios built from the protocol library (its files are read by
:mod:`hpgsim.clinical.library`, whose :func:`protocol_names`, :func:`load_protocol` and
:class:`Protocol` this module re-exports): :func:`protocol_scenario` builds "this man, after
this TRT history, then this protocol" (:class:`TrtHistory`, written as text with
:func:`parse_history` or as a file with :func:`history_from_mapping`);
:func:`protocol_after_scenario` appends a protocol to a scenario file's own regimen at its first
missed androgen dose; :func:`with_bmi` the same man at another BMI.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hpgsim.clinical.library import Protocol, load_protocol, protocol_names
from hpgsim.measure.events import androgen_window
from hpgsim.model.drugs import CATALOG, resolve_drug, resolve_route
from hpgsim.model.metabolic import metabolic_values
from hpgsim.scenario import Scenario, scenario_from_dict
from hpgsim.units import parse_quantity

__all__ = [
    "HISTORY_FORM",
    "Protocol",
    "TrtHistory",
    "history_from_mapping",
    "load_protocol",
    "parse_history",
    "protocol_after_scenario",
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
    regimen += _protocol_lines(proto, day0, hist.drug, hist.dose, hist.route, hist.every)
    data = {
        "name": proto.name,
        "horizon": f"{day0 + follow_up_days!r} d",
        "output_every": output_every,
        "patient": dict(patient or {}),
        "regimen": regimen,
    }
    return scenario_from_dict(data, source=f"protocol {proto.name}"), day0


def _protocol_lines(
    proto: Protocol, day0: float, drug: str, dose: str, route: str, every: str
) -> list[dict[str, Any]]:
    """The protocol's regimen lines in scenario time, from ``day0`` (days): its taper continues
    the TRT line (``drug`` at ``dose`` by ``route`` every ``every``) at its fractions."""
    lines: list[dict[str, Any]] = []
    if proto.taper:
        unit = CATALOG[drug].dose_unit
        amount = _amount(dose, unit)
        fractions = [float(f) for f in proto.taper["fractions"]]
        lines.append(
            {
                "drug": drug,
                "dose": f"{amount * fractions[0]!r} {unit}",
                "route": route,
                "every": every,
                "start": f"{day0!r} d",
                "taper": [f"{amount * f!r} {unit}" for f in fractions[1:]],
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
        lines.append(shifted)
    return lines


def protocol_after_scenario(
    protocol: Protocol | str, base: Scenario, *, follow_up_days: float = 730.5
) -> tuple[Scenario, float]:
    """``base`` (a scenario file: the man and his own TRT history) followed by ``protocol``
    from its first missed androgen dose (day 0), for ``follow_up_days`` from day 0; and day 0
    in scenario time. A taper continues the last androgen line stopped. Raises ValueError when
    the base scenario never stops an androgen before its horizon."""
    proto = load_protocol(protocol) if isinstance(protocol, str) else protocol
    _, day0 = androgen_window(base)
    if day0 is None:
        raise ValueError(
            f"scenario {base.name!r}: its androgen does not stop before its horizon "
            f"({base.horizon_days:g} d), so there is no first missed dose to start protocol "
            f"{proto.name!r} from; allowed: a scenario whose TRT line has a 'stop', or --history"
        )
    data = base.to_input_dict()
    androgens = [
        line
        for line in base.regimen
        if CATALOG[line.drug].androgen and len(line.dose_times(base.horizon_days))
    ]
    last = max(androgens, key=lambda line: float(line.dose_times(base.horizon_days)[-1]))
    unit = last.spec.dose_unit
    every = f"{last.every_days or CATALOG[last.drug].androgen_interval_days!r} d"
    data["regimen"] = [
        *data["regimen"],
        *_protocol_lines(proto, day0, last.drug, f"{last.dose!r} {unit}", last.route, every),
    ]
    data["name"] = f"{base.name} then {proto.name}"
    data["horizon"] = f"{day0 + follow_up_days!r} d"
    return scenario_from_dict(data, source=f"{base.name} + protocol {proto.name}"), day0


HISTORY_FORM = (
    "'DRUG DOSE [ROUTE] FREQUENCY for DURATION [with anastrozole DOSE [FREQUENCY]]', e.g. "
    "'testosterone_cypionate 200 mg weekly for 3 years' or 'Depo-Testosterone 100 mg IM "
    "every 5 d for 18 months with anastrozole 0.5 mg twice weekly'"
)
"""How a TRT history is written (:func:`parse_history`)."""

_FREQUENCY_DAYS = {
    "daily": 1.0,
    "twice weekly": 3.5,
    "weekly": 7.0,
    "every other week": 14.0,
    "fortnightly": 14.0,
}
_FREQUENCY = r"(?:daily|twice weekly|weekly|every other week|fortnightly|every\s+[\d.]+\s*[a-z]+)"
_HISTORY = re.compile(
    r"^\s*(?P<drug>.+?)\s+(?P<dose>[\d.]+\s*(?:mg|ug|mcg|µg|IU|g))\s+"
    r"(?:(?P<route>[a-z-]+)\s+)??"
    rf"(?P<every>{_FREQUENCY})\s+for\s+(?P<duration>[\d.]+\s*[a-z]+)"
    rf"(?:\s+(?:with|\+)\s+anastrozole\s+(?P<ai>[\d.]+\s*mg)(?:\s+(?P<ai_every>{_FREQUENCY}))?)?"
    r"\s*$",
    re.IGNORECASE,
)


def _frequency(text: str) -> str:
    """A frequency word ('weekly') or 'every N UNIT' as a time string in days."""
    key = " ".join(text.lower().split())
    if key in _FREQUENCY_DAYS:
        return f"{_FREQUENCY_DAYS[key]!r} d"
    return key.removeprefix("every").strip()


def parse_history(text: str) -> TrtHistory:
    """A TRT history written as text (:data:`HISTORY_FORM`): the drug by its name or an alias,
    the dose, optionally the route (IM, SC, ...; default: the drug's first route), how often,
    for how long, and optionally anastrozole. Raises ValueError naming the text and the form."""
    m = _HISTORY.match(text)
    if m is None:
        raise ValueError(f"history: got {text!r}; allowed: {HISTORY_FORM}")
    drug = resolve_drug(m["drug"])
    if drug is None or not CATALOG[drug].androgen:
        allowed = ", ".join(k for k, spec in CATALOG.items() if spec.androgen)
        raise ValueError(f"history: drug {m['drug']!r} in {text!r}; allowed: {allowed}")
    route = CATALOG[drug].routes[0]
    if m["route"] is not None:
        named = resolve_route(m["route"])
        if named is None:
            raise ValueError(
                f"history: route {m['route']!r} in {text!r}; allowed: "
                f"{', '.join(CATALOG[drug].routes)} (or IM, SC, PO, TD)"
            )
        route = named
    try:
        years = float(parse_quantity(m["duration"]).to("year").magnitude)
    except Exception as exc:  # pint's parse and dimensionality errors
        raise ValueError(
            f"history: duration {m['duration']!r} in {text!r}; allowed: a time such as "
            "'3 years', '18 months' or '40 weeks'"
        ) from exc
    dose = m["dose"].replace("mcg", "ug").replace("µg", "ug")
    return TrtHistory(
        drug=drug,
        dose=dose,
        route=route,
        every=_frequency(m["every"]),
        years=years,
        anastrozole_dose=m["ai"],
        anastrozole_every=_frequency(m["ai_every"]) if m["ai_every"] else "3.5 d",
    )


def history_from_mapping(data: Mapping[str, Any], *, source: str = "history") -> TrtHistory:
    """A TRT history from a file's mapping: :class:`TrtHistory`'s fields (``drug`` by name or
    alias, ``dose``, ``route``, ``every``, ``years``, ``anastrozole_dose``,
    ``anastrozole_every``). Raises ValueError naming an unknown field and the allowed ones."""
    allowed = tuple(TrtHistory.__dataclass_fields__)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValueError(f"{source}: unknown field {unknown[0]!r}; allowed: {', '.join(allowed)}")
    fields: dict[str, Any] = {
        k: (str(v) if k != "years" else v) for k, v in data.items() if v is not None
    }
    if "drug" in fields:
        fields["drug"] = resolve_drug(fields["drug"]) or fields["drug"]
    if "route" in fields:
        fields["route"] = resolve_route(fields["route"]) or fields["route"]
    try:
        years = float(fields.get("years", TrtHistory.years))
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{source}: years: got {fields['years']!r}; allowed: a number of years"
        ) from exc
    fields["years"] = years
    return TrtHistory(**fields)


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
