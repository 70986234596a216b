"""The clinical layer: the source article's protocols side by side, a monitoring plan, and the
article's decision points as transparent flags.

hpgsim is research and education software, not a medical device. Nothing here is advice to a
patient: a flag states what the *simulation* shows, which rule it checked, the simulated values
that met it, and the sentence of the article or the publication the rule rests on, for a
clinician to read.

- :data:`THRESHOLDS`: every number a rule or a metric uses, with its unit and source (or marked
  as an assumption with its reasoning); none is a literal in the rules.
- The protocol library (``hpgsim/data/protocols/*.yaml``): :func:`protocol_names`,
  :func:`load_protocol`; :func:`protocol_scenario` builds "this man, after this TRT history,
  then this protocol" (:class:`TrtHistory`).
- :func:`compare`: the same man (and optionally the same virtual cohort) under each scenario:
  times to testosterone and sperm thresholds, estradiol peak, trough and time below a floor, and
  the cohort's probability of 20 M/mL by 6 and 12 months; :func:`plot_comparison` overlays them.
- :func:`evaluate_flags` / :func:`flags`: the article's decision points on one simulated course.
- :func:`monitoring_plan`: when labs and semen analyses would be informative, with the simulated
  values at each visit.

Times are days; testosterone ng/dL, estradiol pg/mL, sperm concentration M/mL.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from hpgsim.drugs.catalog import CATALOG
from hpgsim.readouts import DAYS_PER_MONTH, SEMEN_LIMITS, androgen_window
from hpgsim.report import REFERENCE_RANGES
from hpgsim.scenario import Scenario, scenario_from_dict

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = [
    "DISCLAIMER",
    "SERMS",
    "STIMULANTS",
    "THRESHOLDS",
    "Flag",
    "Protocol",
    "Threshold",
    "TrtHistory",
    "Visit",
    "compare",
    "evaluate_flags",
    "flags",
    "load_protocol",
    "monitoring_plan",
    "plot_comparison",
    "protocol_names",
    "protocol_scenario",
    "with_bmi",
]

DISCLAIMER = (
    "hpgsim is research and education software, not a medical device. These are model "
    "predictions for discussion between clinicians and researchers, not medical advice and not "
    "a recommendation for any person."
)

SERMS: tuple[str, ...] = ("clomiphene_citrate", "enclomiphene", "tamoxifen")
STIMULANTS: tuple[str, ...] = (*SERMS, "hcg", "fsh", "gonadorelin")
"""Restoration agents: their first dose starts the stimulation clock."""


# ----------------------------------------------------------------------------- thresholds
@dataclass(frozen=True)
class Threshold:
    """A number a rule or metric uses: value, unit, meaning and source. ``assumption`` marks a
    number no publication gives; its ``source`` then states the reasoning."""

    name: str
    value: float
    unit: str
    meaning: str
    source: str
    assumption: bool = False


_LCMS_E2 = (
    "Adult male LC-MS/MS reference interval 65.4-207.7 pmol/L (17.8-56.6 pg/mL at 3.671 "
    "pmol/L per pg/mL), PMID 22582502 (hpgsim.report.REFERENCE_RANGES)"
)

THRESHOLDS: dict[str, Threshold] = {
    t.name: t
    for t in (
        Threshold(
            "testosterone_low_ng_dl",
            300.0,
            "ng/dL",
            "total testosterone below which it is read as low (recovery target of compare; "
            "persistent-suppression rule)",
            "Mulhall JP et al. Evaluation and management of testosterone deficiency: AUA "
            "guideline. J Urol 2018;200:423, doi:10.1016/j.juro.2018.03.115 ('a total "
            "testosterone level below 300 ng/dL as a reasonable cut-off')",
        ),
        Threshold(
            "testosterone_high_ng_dl",
            round(
                REFERENCE_RANGES["total_testosterone_ng_dl"].high, 1
            ),  # as reported (report.REFERENCE_RANGES)
            "ng/dL",
            "upper limit of the harmonized adult male range: above it is supraphysiological",
            "Travison TG et al. J Clin Endocrinol Metab 2017;102:1161, PMID 28324103 (97.5th "
            "percentile, non-obese men 19-39 y; hpgsim.report.REFERENCE_RANGES)",
        ),
        Threshold(
            "estradiol_high_pg_ml",
            round(
                REFERENCE_RANGES["estradiol_pg_ml"].high, 1
            ),  # as reported (report.REFERENCE_RANGES)
            "pg/mL",
            "upper limit of the adult male estradiol interval: above it is supraphysiological",
            _LCMS_E2,
        ),
        Threshold(
            "estradiol_floor_pg_ml",
            round(
                REFERENCE_RANGES["estradiol_pg_ml"].low, 1
            ),  # as reported (report.REFERENCE_RANGES)
            "pg/mL",
            "physiological floor of estradiol: the lower limit of the adult male interval "
            "(a reference limit, not a proven harm threshold)",
            _LCMS_E2,
        ),
        Threshold(
            "t_to_e2_ratio_min",
            10.0,
            "(ng/dL)/(pg/mL)",
            "testosterone-to-estradiol ratio below which estradiol is read as high relative to "
            "testosterone",
            "Gregoriou O et al. Fertil Steril 2012;98:48-51 (infertile men with T/E2 < 10 "
            "treated with anastrozole or letrozole); Yang Y et al. Transl Androl Urol 2022, "
            "doi:10.21037/tau-22-95 ('abnormal testosterone to estradiol (T/E2) ratio (T/E2 "
            "<10)'); fertile men about 14.5 in these units (Pavlovich 2001, as summarised at "
            "medicalalgorithms.com: 145 with both in ng/L)",
        ),
        Threshold(
            "gnrh_continuous_hours",
            6.0,
            "h",
            "uninterrupted gonadorelin exposure read as continuous",
            "The LHRH-desensitized rat pituitary (hpgsim citation RatPituitaryDesens, PMID "
            "7007026): under continuous LHRH the LH response returned to baseline over 6 h; "
            "Belchetz 1978 (PMID 100883): continuous infusion fails where pulses work. "
            "Carrying the rat in-vitro time course over to men is an assumption",
            assumption=True,
        ),
        Threshold(
            "gnrh_trough_to_peak_min",
            0.5,
            "1",
            "within the exposure window, a trough above this fraction of the peak means no "
            "pulse signal (continuous exposure)",
            "assumption: pulsatile GnRH needs the concentration to fall well between pulses. "
            "Read from the regimen and the plasma kinetics (trough/peak = exp(-k x interval), "
            "k = ke_gnrh IV or the slower of ka_gnrh and ke_gnrh SC): a 90-min SC pump (Hoffman "
            "1982 design) gives 0.07, an infusion 1.0; half the peak separates them",
            assumption=True,
        ),
        Threshold(
            "persistent_suppression_months",
            6.0,
            "months",
            "time after the first missed androgen dose at which testosterone still below the "
            "low cut-off is read as persistent HPG suppression",
            "Endocrine Connections 2023, EC-23-0358 (hpgsim citation Kanayama_recovery): "
            "gonadotropin recovery expected over 3-6 months after androgen withdrawal; the "
            "rule reads the end of that window",
        ),
        Threshold(
            "azoospermia_m_per_ml",
            SEMEN_LIMITS["azoospermia"].below_m_per_ml,
            "M/mL",
            "sperm concentration read as azoospermia (assay detection limit)",
            SEMEN_LIMITS["azoospermia"].source,
        ),
        Threshold(
            "azoospermia_stimulation_months",
            6.0,
            "months",
            "months of stimulation after which persisting azoospermia fires the TESE/ICSI "
            "flag (it is re-read at 12 months when the horizon allows)",
            "assumption: the lower end of the 6-12 months named in the clinical-layer issue; "
            "two spermatogenic cycles (2 x 74 d, the article's 'approximately 72-74 days') "
            "plus a month of epididymal transit and ejaculation, about 6 months",
            assumption=True,
        ),
        Threshold(
            "spermatogenic_cycle_days",
            74.0,
            "d",
            "interval between semen analyses in the monitoring plan (each analysis then sees "
            "a new cohort of sperm)",
            "the article: 'the complete cycle of sperm production takes approximately 72-74 days'",
        ),
        Threshold(
            "hormone_recheck_days",
            42.0,
            "d",
            "hormones re-measured this long after each regimen change (6-8 weeks)",
            "assumption: about six half-lives of the slowest hormone-level process the model "
            "carries after a change (SHBG t1/2 ~7 d, tamoxifen t1/2 5-7 d: hpgsim parameters "
            "ke_SHBG, CL_tam), so the new level has settled; the plan prints the simulated "
            "values so the choice can be checked",
            assumption=True,
        ),
        Threshold(
            "semen_target_m_per_ml",
            20.0,
            "M/mL",
            "sperm concentration target of the monitoring plan (default; --target changes it)",
            "the recovery threshold of the WHO 1990 and Liu 2006 contraception studies "
            "(hpgsim citations WHO1990, Handelsman2005); the WHO 2010 lower reference limit "
            "is 15 M/mL (PMID 19934213)",
        ),
        Threshold(
            "semen_target_consecutive",
            2.0,
            "analyses",
            "consecutive analyses at or above the target that end the semen schedule",
            "assumption: the clinical-layer issue ('until two results above target'); one "
            "analysis has a within-man CV of 0.39 (hpgsim.readouts.SemenAssay)",
            assumption=True,
        ),
    )
}
"""Every threshold of the clinical layer, by name."""


def _th(thresholds: Mapping[str, Threshold] | None, name: str) -> float:
    return float((thresholds or THRESHOLDS)[name].value)


# ----------------------------------------------------------------------------- protocols
_PROTOCOLS = resources.files("hpgsim").joinpath("data/protocols")


def protocol_names() -> tuple[str, ...]:
    """Names of the shipped protocols, sorted."""
    return tuple(
        sorted(
            p.name.removesuffix(".yaml") for p in _PROTOCOLS.iterdir() if p.name.endswith(".yaml")
        )
    )


@dataclass(frozen=True)
class Protocol:
    """A library protocol: the restoration phase after a TRT history. ``regimen`` lines are in
    scenario-file form with times from day 0, the end of full-dose TRT (its first missed dose);
    ``taper`` (``fractions`` of the TRT dose and ``every``) continues the TRT line at lower
    doses from day 0."""

    name: str
    title: str
    description: str
    article: str | None
    article_note: str | None
    sources: tuple[str, ...]
    regimen: tuple[dict[str, Any], ...]
    taper: dict[str, Any] | None
    text: str


def load_protocol(name: str) -> Protocol:
    """The library protocol ``name``. Raises ValueError naming the allowed names."""
    names = protocol_names()
    if name not in names:
        import difflib

        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"protocol: got {name!r}{hint}; allowed: {', '.join(names)}")
    text = _PROTOCOLS.joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Protocol(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        article=data.get("article"),
        article_note=data.get("article_note"),
        sources=tuple(data.get("sources") or ()),
        regimen=tuple(data.get("regimen") or ()),
        taper=data.get("taper"),
        text=text,
    )


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
    from hpgsim.units import parse_quantity

    try:
        value = float(parse_quantity(text).to(unit).magnitude)
    except Exception as exc:  # pint's parse and dimensionality errors, and ours
        raise ValueError(f"{option}: got {text!r}; allowed: {allowed}") from exc
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"{option}: got {text!r}; allowed: {allowed}")
    return value


def _days(text: str) -> float:
    from hpgsim.units import parse_quantity

    return float(parse_quantity(text).to("day").magnitude)


def _amount(text: str, unit: str) -> float:
    from hpgsim.units import parse_quantity

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
        from hpgsim.model.metabolic import metabolic_values

        slope = metabolic_values()["insulin_bmi_slope"]
        pt["fasting_insulin_uU_ml"] = max(2.0, float(insulin) + slope * (bmi - pt["bmi_kg_m2"]))
    pt["bmi_kg_m2"] = bmi
    data["patient"] = pt
    if suffix:
        data["name"] = f"{scenario.name} @ BMI {bmi:g}"
    return scenario_from_dict(data)


# ----------------------------------------------------------------------------- windows
def _windows(scenario: Scenario, drugs: Sequence[str]) -> list[tuple[float, float]]:
    """Merged exposure windows [first dose, last dose + interval) of the lines of ``drugs``
    (infusions: [start, end)), clipped to the horizon."""
    horizon = scenario.horizon_days
    spans: list[tuple[float, float]] = []
    for line in scenario.regimen:
        if line.drug not in drugs:
            continue
        window = line.infusion_window(horizon)
        if window is not None:
            spans.append(window)
            continue
        times = line.dose_times(horizon)
        if len(times):
            step = line.every_days or 1.0
            spans.append((float(times[0]), min(float(times[-1]) + step, horizon)))
    spans.sort()
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 1e-9:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _mask(t: np.ndarray, spans: Sequence[tuple[float, float]]) -> np.ndarray:
    m = np.zeros(len(t), dtype=bool)
    for a, b in spans:
        m |= (t >= a - 1e-9) & (t < b - 1e-9)
    return m


def _at(table: pd.DataFrame, day: float) -> dict[str, float]:
    """Simulated T, E2, LH, FSH and sperm at the output time nearest ``day``."""
    t = table["time_days"].to_numpy(dtype=float)
    row = table.iloc[int(np.argmin(np.abs(t - day)))]
    return {
        "day": round(float(row["time_days"]), 3),
        "total_testosterone_ng_dl": round(float(row["total_testosterone_ng_dl"]), 1),
        "estradiol_pg_ml": round(float(row["estradiol_pg_ml"]), 2),
        "lh_iu_l": round(float(row["lh_iu_l"]), 3),
        "fsh_iu_l": round(float(row["fsh_iu_l"]), 3),
        "sperm_concentration_m_per_ml": round(float(row["sperm_concentration_m_per_ml"]), 4),
    }


def _spacing(t: np.ndarray) -> float:
    return float(np.median(np.diff(t))) if len(t) > 1 else 1.0


# ----------------------------------------------------------------------------- compare
def _recovery_days(t: np.ndarray, x: np.ndarray, t0: float, threshold: float) -> float:
    """Days from ``t0`` until ``x`` is back at or above ``threshold``: 0 if it never fell
    below it after ``t0``; NaN if it had not recovered by the horizon (censored)."""
    from hpgsim.readouts import crossing_time

    after = t >= t0 - 1e-9
    below = np.nonzero(after & (x < threshold))[0]
    if len(below) == 0:
        return 0.0
    sel = np.arange(len(t)) >= below[0]
    hit = crossing_time(t[sel], x[sel], threshold, falling=False)
    return round(hit - t0, 1) if math.isfinite(hit) else float("nan")


def _clock(scenario: Scenario) -> float:
    """Day 0 of a scenario's restoration: the first missed androgen dose, else the first dose
    of a stimulant, else day 0."""
    _, stop = androgen_window(scenario)
    if stop is not None:
        return stop
    stim = _windows(scenario, STIMULANTS)
    return stim[0][0] if stim else 0.0


def _round_sig(x: float, digits: int = 4) -> float:
    """``x`` to ``digits`` significant figures (an absolute rounding would erase low values)."""
    if x == 0.0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _course_metrics(
    scenario: Scenario,
    table: pd.DataFrame,
    clock: float,
    thresholds: Mapping[str, Threshold] | None,
) -> dict[str, Any]:
    t = table["time_days"].to_numpy(dtype=float)
    tt = table["total_testosterone_ng_dl"].to_numpy(dtype=float)
    e2 = table["estradiol_pg_ml"].to_numpy(dtype=float)
    sp = table["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
    after = t >= clock - 1e-9
    floor = _th(thresholds, "estradiol_floor_pg_ml")
    low_t = _th(thresholds, "testosterone_low_ng_dl")
    row: dict[str, Any] = {
        "protocol": scenario.name,
        "bmi_kg_m2": scenario.patient.bmi_kg_m2,
        "day0": clock,
        "follow_up_days": round(scenario.horizon_days - clock, 1),
        "testosterone_nadir_ng_dl": round(float(tt[after].min()), 1),
        f"days_to_testosterone_{low_t:g}_ng_dl": _recovery_days(t, tt, clock, low_t),
    }
    for thr in (5.0, 15.0, 16.0, 20.0):
        row[f"days_to_sperm_{thr:g}_m_per_ml"] = _recovery_days(t, sp, clock, thr)
    row["estradiol_peak_pg_ml"] = _round_sig(float(e2[after].max()))
    row["estradiol_trough_pg_ml"] = _round_sig(float(e2[after].min()))
    row[f"days_estradiol_below_{floor:g}_pg_ml"] = round(
        float(np.sum(e2[after] < floor)) * _spacing(t), 1
    )
    return row


def compare(
    scenarios: Sequence[Scenario],
    *,
    day0: Sequence[float | None] | None = None,
    population: str | None = None,
    n: int | None = None,
    seed: int = 0,
    thresholds: Mapping[str, Threshold] | None = None,
    progress: Any = None,
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The same man (and, with ``population`` and ``n``, the same virtual men) under each
    scenario. Returns (one row of metrics per scenario, each scenario's trajectories).

    Times are days from each scenario's day 0 (``day0``; default: the first missed androgen
    dose, else the first stimulant dose): testosterone back at or above the low cut-off
    (0 = it never fell below it), sperm back to 5, 15, 16 and 20 M/mL (NaN = not by the
    horizon); estradiol peak, trough and days below the floor from day 0 on. With a
    population, every scenario is given to the same ``n`` men (same ``seed``, one trial per
    scenario) and the rows gain the Kaplan-Meier probability of 20 M/mL by 6 and 12 months
    and the median months (:mod:`hpgsim.trial`; clock: the first missed androgen dose).
    """
    import pandas as pd

    from hpgsim import api

    if not scenarios:
        raise ValueError("scenarios: got none; allowed: one or more")
    if (population is None) != (n is None):
        raise ValueError("population and n: give both (a cohort) or neither (one man)")
    if n is not None and n < 1:
        raise ValueError(f"n: got {n}; allowed: a whole number of men >= 1")
    tables = api.simulate_many(list(scenarios))
    clocks = [
        (d if d is not None else _clock(s))
        for s, d in zip(scenarios, day0 or [None] * len(scenarios), strict=True)
    ]
    rows = [
        _course_metrics(s, tab, c, thresholds)
        for s, tab, c in zip(scenarios, tables, clocks, strict=True)
    ]
    if population is not None and n is not None:
        from hpgsim.trial import TrialDesign, run_trial, summarize

        for s, row in zip(scenarios, rows, strict=True):
            design = TrialDesign(s, population, n=n, seed=seed)
            men = run_trial(design, progress=progress)
            rec = ((summarize(men, design).get("recovery") or {}).get("20")) or {}
            by = rec.get("probability_by_month") or {}
            row["population"] = population
            row["n"] = n
            row["p_sperm_20_by_6_months"] = by.get("6")
            row["p_sperm_20_by_12_months"] = by.get("12")
            row["median_months_to_sperm_20"] = rec.get("median_months")
    return pd.DataFrame(rows), tables


def plot_comparison(
    scenarios: Sequence[Scenario],
    tables: Sequence[pd.DataFrame],
    day0: Sequence[float],
    path: str | os.PathLike[str],
    *,
    thresholds: Mapping[str, Threshold] | None = None,
) -> None:
    """Overlay total testosterone, estradiol and sperm concentration of each scenario against
    months from its day 0, with the thresholds drawn; PNG written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hpgsim.report import FOOTER, atomic_output

    fig, axes = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    panels = (
        ("total_testosterone_ng_dl", "Total testosterone (ng/dL)", False),
        ("estradiol_pg_ml", "Estradiol (pg/mL)", False),
        ("sperm_concentration_m_per_ml", "Sperm concentration (M/mL)", True),
    )
    for s, tab, d0 in zip(scenarios, tables, day0, strict=True):
        months = (tab["time_days"].to_numpy(dtype=float) - d0) / DAYS_PER_MONTH
        keep = months >= -3.0
        for ax, (col, _, log) in zip(axes, panels, strict=True):
            y = tab[col].to_numpy(dtype=float)[keep]
            ax.plot(months[keep], np.maximum(y, 0.01) if log else y, lw=1.2, label=s.name)
    lines = {
        0: [(_th(thresholds, "testosterone_low_ng_dl"), "low cut-off")],
        1: [(_th(thresholds, "estradiol_floor_pg_ml"), "floor")],
        2: [(5.0, "5"), (15.0, "WHO 2010"), (20.0, "20 M/mL")],
    }
    for i, (ax, (_, label, log)) in enumerate(zip(axes, panels, strict=True)):
        for value, name in lines[i]:
            ax.axhline(value, color="0.5", ls="--", lw=0.8)
            ax.annotate(
                name,
                (0.995, value),
                xycoords=("axes fraction", "data"),
                ha="right",
                va="bottom",
                fontsize=7,
                color="0.35",
            )
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        if log:
            ax.set_yscale("log")
    axes[0].legend(fontsize=7, ncol=2, loc="upper right")
    axes[-1].set_xlabel("months from day 0 (end of full-dose TRT / first missed androgen dose)")
    fig.suptitle("Protocol comparison (one simulated man)", fontsize=11)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.text(0.5, 0.004, FOOTER, ha="center", va="bottom", fontsize=8, color="0.35")
    with atomic_output(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    plt.close(fig)


# ----------------------------------------------------------------------------- flags
ARTICLE: dict[str, str] = {
    "anastrozole_option": (
        "The optional inclusion of Anastrozole in a post-TRT fertility-stimulating protocol, "
        "while seemingly counterintuitive given its role in TRT, might be considered in specific "
        "cases where estrogen levels remain disproportionately high despite SERM use, "
        "potentially hindering HPG axis recovery."
    ),
    "over_suppression": (
        "However, its use in this context requires careful clinical judgment to avoid "
        "over-suppression of estrogen, which is also detrimental to fertility."
    ),
    "continuous_gnrh": (
        "Continuous administration would desensitize the pituitary receptors, leading to "
        "further suppression."
    ),
    "persistent_suppression": (
        "Some men may experience persistent HPG axis suppression, requiring prolonged or "
        "intensified treatment."
    ),
    "tese": (
        "In such cases, advanced reproductive technologies, such as testicular sperm extraction "
        "(TESE) combined with intracytoplasmic sperm injection (ICSI), may be considered."
    ),
    "azoospermia": (
        "Idiopathic non-obstructive azoospermia, where no sperm are found in the ejaculate "
        "despite hormonal stimulation, can occur in a subset of individuals."
    ),
    "physiological": (
        "This protocol aims to maintain stable physiological testosterone levels, alleviating "
        "symptoms associated with hypogonadism."
    ),
    "excess_estrogen": (
        "However, excessive estrogen levels in men can lead to undesirable effects such as "
        "gynecomastia or water retention."
    ),
}
"""Sentences of the source article (``../shared/seed/``) the flags rest on, quoted exactly."""


@dataclass(frozen=True)
class Flag:
    """One of the article's decision points, evaluated on a simulated course.

    ``fired``: whether the simulated values met the trigger; ``trigger``: the rule with its
    thresholds; ``values``: the simulated values read (those that fired it, or the closest
    approach); ``article``: the article's sentence(s) the point comes from; ``publication``:
    the sources of the thresholds; ``wording``: what the simulation shows, for a clinician.
    """

    id: str
    title: str
    fired: bool
    trigger: str
    values: dict[str, Any]
    article: tuple[str, ...]
    publication: tuple[str, ...]
    wording: str
    evaluable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "fired": self.fired,
            "evaluable": self.evaluable,
            "trigger": self.trigger,
            "values": self.values,
            "article": list(self.article),
            "publication": list(self.publication),
            "wording": self.wording,
        }


def _src(thresholds: Mapping[str, Threshold] | None, *names: str) -> tuple[str, ...]:
    th = thresholds or THRESHOLDS
    return tuple(
        f"{th[n].name} = {th[n].value:g} {th[n].unit}: "
        + ("ASSUMPTION - " if th[n].assumption else "")
        + th[n].source
        for n in names
    )


def _flag_serm_estradiol(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    ratio_min = _th(th, "t_to_e2_ratio_min")
    trigger = (
        f"while a SERM ({', '.join(SERMS)}) is given, total testosterone / estradiol "
        f"(ng/dL per pg/mL) below {ratio_min:g}"
    )
    common: dict[str, Any] = dict(
        id="estradiol_high_on_serm",
        title="Estradiol high relative to testosterone on a SERM",
        trigger=trigger,
        article=(ARTICLE["anastrozole_option"],),
        publication=_src(th, "t_to_e2_ratio_min"),
    )
    t = tab["time_days"].to_numpy(dtype=float)
    on = _mask(t, _windows(sc, SERMS))
    if not on.any():
        return Flag(
            fired=False,
            values={"serm_given": False},
            evaluable=False,
            wording="No SERM is given in this scenario; the rule does not apply.",
            **common,
        )
    ratio = tab["total_testosterone_ng_dl"].to_numpy(dtype=float) / np.maximum(
        tab["estradiol_pg_ml"].to_numpy(dtype=float), 1e-9
    )
    idx = np.nonzero(on)[0]
    i = int(idx[np.argmin(ratio[idx])])
    at = _at(tab, float(t[i]))
    values = {
        **at,
        "t_to_e2_ratio": round(float(ratio[i]), 2),
        "days_below_ratio_on_serm": round(float(np.sum(ratio[idx] < ratio_min)) * _spacing(t), 1),
        "baseline_t_to_e2_ratio": round(float(ratio[0]), 2),
    }
    fired = bool(ratio[i] < ratio_min)
    if fired:
        wording = (
            f"The simulation shows a testosterone/estradiol ratio of {ratio[i]:.1f} on day "
            f"{t[i]:g} on the SERM (T {at['total_testosterone_ng_dl']:g} ng/dL, E2 "
            f"{at['estradiol_pg_ml']:g} pg/mL), below {ratio_min:g}; the man's untreated ratio in "
            f"the model is {ratio[0]:.1f}. This is the situation in which the article says "
            "anastrozole might be considered; the simulation does not say whether it should be."
        )
    else:
        wording = (
            f"The simulated testosterone/estradiol ratio on the SERM stays at or above "
            f"{ratio[i]:.1f} (lowest on day {t[i]:g}), not below {ratio_min:g}."
        )
    return Flag(fired=fired, values=values, wording=wording, **common)


def _flag_estradiol_floor(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    floor = _th(th, "estradiol_floor_pg_ml")
    common: dict[str, Any] = dict(
        id="estradiol_below_floor_on_anastrozole",
        title="Estradiol below the physiological floor on anastrozole",
        trigger=f"while anastrozole is given, estradiol below {floor:g} pg/mL",
        article=(ARTICLE["over_suppression"],),
        publication=_src(th, "estradiol_floor_pg_ml"),
    )
    t = tab["time_days"].to_numpy(dtype=float)
    on = _mask(t, _windows(sc, ("anastrozole",)))
    if not on.any():
        return Flag(
            fired=False,
            values={"anastrozole_given": False},
            evaluable=False,
            wording="No anastrozole is given in this scenario; the rule does not apply.",
            **common,
        )
    e2 = tab["estradiol_pg_ml"].to_numpy(dtype=float)
    idx = np.nonzero(on)[0]
    i = int(idx[np.argmin(e2[idx])])
    below = float(np.sum(e2[idx] < floor)) * _spacing(t)
    values = {**_at(tab, float(t[i])), "days_below_floor_on_anastrozole": round(below, 1)}
    fired = bool(e2[i] < floor)
    wording = (
        f"The simulation shows estradiol down to {e2[i]:.1f} pg/mL on day {t[i]:g} on "
        f"anastrozole, below the {floor:g} pg/mL floor for {below:g} days: the over-suppression "
        "the article calls detrimental to fertility."
        if fired
        else f"On anastrozole the simulated estradiol stays at or above {e2[i]:.1f} pg/mL "
        f"(lowest on day {t[i]:g}), above the {floor:g} pg/mL floor."
    )
    return Flag(fired=fired, values=values, wording=wording, **common)


def _flag_continuous_gnrh(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    hours = _th(th, "gnrh_continuous_hours")
    ratio = _th(th, "gnrh_trough_to_peak_min")
    common: dict[str, Any] = dict(
        id="continuous_gnrh_exposure",
        title="Continuous GnRH exposure: receptor desensitization",
        trigger=(
            f"gonadorelin present for at least {hours:g} h without falling below "
            f"{ratio:g} x its peak in that window (no pulse signal)"
        ),
        article=(ARTICLE["continuous_gnrh"],),
        publication=_src(th, "gnrh_continuous_hours", "gnrh_trough_to_peak_min"),
    )
    if "gonadorelin" not in sc.drugs_present():
        return Flag(
            fired=False,
            values={"gonadorelin_given": False},
            evaluable=False,
            wording="No gonadorelin is given in this scenario; the rule does not apply.",
            **common,
        )
    # Decided from the regimen and the drug's plasma kinetics, not from the sampled trace
    # (hourly samples of hourly boluses alias to a flat line): an infusion is continuous for
    # its duration; between boluses plasma gonadorelin decays at ke_gnrh (IV) or at the slower
    # of absorption and elimination (SC), so trough/peak = exp(-k x interval).
    from hpgsim.model.parameters import typical_values

    pk = typical_values()
    t = tab["time_days"].to_numpy(dtype=float)
    infusion_h, bolus_ratio, bolus_h, bolus_every_min = 0.0, 0.0, 0.0, None
    for line in sc.regimen:
        if line.drug != "gonadorelin":
            continue
        window = line.infusion_window(sc.horizon_days)
        if window is not None:
            infusion_h = max(infusion_h, (window[1] - window[0]) * 24.0)
            continue
        if line.every_days is None:
            continue
        k = pk["ke_gnrh"] if line.route == "intravenous" else min(pk["ka_gnrh"], pk["ke_gnrh"])
        r = math.exp(-k * line.every_days)
        span_h = (line.end_days(sc.horizon_days) - line.start_days) * 24.0
        if r > bolus_ratio:
            bolus_ratio, bolus_h, bolus_every_min = r, span_h, line.every_days * 1440.0
    fired_infusion = infusion_h >= hours
    fired_bolus = bolus_ratio >= ratio and bolus_h >= hours
    fired = fired_infusion or fired_bolus
    lh = tab["lh_iu_l"].to_numpy(dtype=float)
    exposed = tab["gonadorelin_pg_ml"].to_numpy(dtype=float) > 0.0
    values: dict[str, Any] = {
        "infusion_hours": round(infusion_h, 2),
        "bolus_interval_min": None if bolus_every_min is None else round(bolus_every_min, 1),
        "bolus_trough_to_peak": round(bolus_ratio, 3),
        "lh_iu_l_min_while_exposed": round(float(lh[exposed].min()), 3) if exposed.any() else None,
        "lh_iu_l_at_end": round(float(lh[-1]), 3),
        "output_spacing_h": round(_spacing(t) * 24.0, 3),
    }
    if fired_infusion:
        wording = (
            f"The simulation infuses gonadorelin for {infusion_h:g} h without interruption "
            "(continuous exposure); the model's GnRH receptors desensitize under it and LH falls "
            f"to {values['lh_iu_l_min_while_exposed']} IU/L while exposed."
        )
    elif fired_bolus:
        wording = (
            f"In the simulation, boluses every {bolus_every_min:g} min leave plasma gonadorelin at "
            f"{bolus_ratio:.0%} of its peak before the next dose (no pulse signal) for "
            f"{bolus_h:g} h: continuous exposure in effect."
        )
    else:
        wording = (
            "Simulated gonadorelin falls between doses "
            f"(trough/peak {bolus_ratio:.2f} at the shortest interval; no infusion of "
            f"{hours:g} h or more): a pulsatile pattern."
        )
    return Flag(fired=fired, values=values, wording=wording, **common)


def _flag_persistent(sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None) -> Flag:
    low = _th(th, "testosterone_low_ng_dl")
    months = _th(th, "persistent_suppression_months")
    common: dict[str, Any] = dict(
        id="persistent_hpg_suppression",
        title="Testosterone still suppressed months after stopping",
        trigger=(
            f"total testosterone below {low:g} ng/dL {months:g} months after the first missed "
            "androgen dose"
        ),
        article=(ARTICLE["persistent_suppression"],),
        publication=_src(th, "testosterone_low_ng_dl", "persistent_suppression_months"),
    )
    _, stop = androgen_window(sc)
    day = None if stop is None else stop + months * DAYS_PER_MONTH
    if day is None or day > sc.horizon_days:
        return Flag(
            fired=False,
            values={"androgen_stop_day": stop},
            evaluable=False,
            wording="No androgen stop with enough follow-up in this scenario; the rule "
            "does not apply.",
            **common,
        )
    at = _at(tab, day)
    base = _at(tab, 0.0)
    fired = bool(at["total_testosterone_ng_dl"] < low)
    values = {
        **at,
        "androgen_stop_day": stop,
        "baseline_total_testosterone_ng_dl": base["total_testosterone_ng_dl"],
    }
    if fired:
        pre = (
            f" His simulated untreated testosterone was {base['total_testosterone_ng_dl']:g} "
            "ng/dL, so in the model part or all of this is the pre-existing level."
            if base["total_testosterone_ng_dl"] < low
            else ""
        )
        wording = (
            f"The simulation shows total testosterone {at['total_testosterone_ng_dl']:g} ng/dL "
            f"(LH {at['lh_iu_l']:g} IU/L) on day {at['day']:g}, {months:g} months after the "
            f"first missed androgen dose, below {low:g} ng/dL: persistent HPG suppression in the "
            f"article's sense.{pre}"
        )
    else:
        wording = (
            f"{months:g} months after the first missed androgen dose the simulated total "
            f"testosterone is {at['total_testosterone_ng_dl']:g} ng/dL, at or above {low:g}."
        )
    return Flag(fired=fired, values=values, wording=wording, **common)


def _flag_azoospermia(sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None) -> Flag:
    azoo = _th(th, "azoospermia_m_per_ml")
    months = _th(th, "azoospermia_stimulation_months")
    common: dict[str, Any] = dict(
        id="azoospermia_after_stimulation",
        title="Azoospermia persisting after months of stimulation",
        trigger=(
            f"sperm concentration below {azoo:g} M/mL {months:g} months after the first dose "
            f"of a stimulating agent ({', '.join(STIMULANTS)}); re-read at 12 months"
        ),
        article=(ARTICLE["azoospermia"], ARTICLE["tese"]),
        publication=_src(th, "azoospermia_m_per_ml", "azoospermia_stimulation_months"),
    )
    stim = _windows(sc, STIMULANTS)
    if not stim:
        return Flag(
            fired=False,
            values={"stimulation_given": False},
            evaluable=False,
            wording="No stimulating agent is given in this scenario; the rule does not apply.",
            **common,
        )
    start = stim[0][0]
    day = start + months * DAYS_PER_MONTH
    if day > sc.horizon_days:
        return Flag(
            fired=False,
            values={"stimulation_start_day": start},
            evaluable=False,
            wording=f"The horizon ends before {months:g} months of stimulation.",
            **common,
        )
    at = _at(tab, day)
    values: dict[str, Any] = {**at, "stimulation_start_day": start}
    day12 = start + 12 * DAYS_PER_MONTH
    if day12 <= sc.horizon_days:
        values["sperm_at_12_months_m_per_ml"] = _at(tab, day12)["sperm_concentration_m_per_ml"]
    fired = bool(at["sperm_concentration_m_per_ml"] < azoo)
    wording = (
        f"The simulation shows a sperm concentration of {at['sperm_concentration_m_per_ml']:g} "
        f"M/mL (below the {azoo:g} M/mL detection limit: azoospermia) {months:g} months after "
        f"stimulation began on day {start:g}"
        + (
            f", and {values['sperm_at_12_months_m_per_ml']:g} M/mL at 12 months"
            if "sperm_at_12_months_m_per_ml" in values
            else ""
        )
        + ". This is the point at which the article names TESE with ICSI as a consideration."
        if fired
        else f"{months:g} months after stimulation began the simulated sperm concentration is "
        f"{at['sperm_concentration_m_per_ml']:g} M/mL, above the azoospermia limit."
    )
    return Flag(fired=fired, values=values, wording=wording, **common)


def _flag_supraphysiological(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    t_hi = _th(th, "testosterone_high_ng_dl")
    e_hi = _th(th, "estradiol_high_pg_ml")
    common: dict[str, Any] = dict(
        id="supraphysiological_on_therapy",
        title="Supraphysiological testosterone or estradiol on therapy",
        trigger=(
            f"while any drug is given, total testosterone above {t_hi:g} ng/dL or estradiol "
            f"above {e_hi:g} pg/mL"
        ),
        article=(ARTICLE["physiological"], ARTICLE["excess_estrogen"]),
        publication=_src(th, "testosterone_high_ng_dl", "estradiol_high_pg_ml"),
    )
    t = tab["time_days"].to_numpy(dtype=float)
    on = _mask(t, _windows(sc, tuple(CATALOG)))
    if not on.any():
        return Flag(
            fired=False,
            values={"therapy_given": False},
            evaluable=False,
            wording="No drug is given in this scenario; the rule does not apply.",
            **common,
        )
    tt = tab["total_testosterone_ng_dl"].to_numpy(dtype=float)
    e2 = tab["estradiol_pg_ml"].to_numpy(dtype=float)
    idx = np.nonzero(on)[0]
    it, ie = int(idx[np.argmax(tt[idx])]), int(idx[np.argmax(e2[idx])])
    dt = _spacing(t)
    values = {
        "testosterone_max_ng_dl": round(float(tt[it]), 1),
        "testosterone_max_day": round(float(t[it]), 3),
        "days_testosterone_above": round(float(np.sum(tt[idx] > t_hi)) * dt, 1),
        "estradiol_max_pg_ml": round(float(e2[ie]), 2),
        "estradiol_max_day": round(float(t[ie]), 3),
        "days_estradiol_above": round(float(np.sum(e2[idx] > e_hi)) * dt, 1),
    }
    fired = bool(tt[it] > t_hi or e2[ie] > e_hi)
    wording = (
        f"On therapy the simulation shows total testosterone up to {tt[it]:.0f} ng/dL (day "
        f"{t[it]:g}; {values['days_testosterone_above']:g} days above {t_hi:g}) and estradiol "
        f"up to {e2[ie]:.1f} pg/mL (day {t[ie]:g}; {values['days_estradiol_above']:g} days above "
        f"{e_hi:g}): above the adult male reference range."
        if fired
        else f"On therapy the simulated testosterone peaks at {tt[it]:.0f} ng/dL and estradiol at "
        f"{e2[ie]:.1f} pg/mL, within the adult male reference range."
    )
    return Flag(fired=fired, values=values, wording=wording, **common)


_RULES = (
    _flag_serm_estradiol,
    _flag_estradiol_floor,
    _flag_continuous_gnrh,
    _flag_persistent,
    _flag_azoospermia,
    _flag_supraphysiological,
)


def evaluate_flags(
    scenario: Scenario, table: pd.DataFrame, *, thresholds: Mapping[str, Threshold] | None = None
) -> list[Flag]:
    """Every rule evaluated on one simulated course (fired or not, or not applicable)."""
    return [rule(scenario, table, thresholds) for rule in _RULES]


def flags(
    scenario: Scenario, table: pd.DataFrame, *, thresholds: Mapping[str, Threshold] | None = None
) -> list[Flag]:
    """The rules that fired on one simulated course."""
    return [f for f in evaluate_flags(scenario, table, thresholds=thresholds) if f.fired]


# ----------------------------------------------------------------------------- plan
@dataclass(frozen=True)
class Visit:
    """A time at which labs and/or a semen analysis would be informative, why, and the
    simulated values then."""

    day: float
    what: str
    why: str
    values: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "month": round(self.day / DAYS_PER_MONTH, 2),
            "what": self.what,
            "why": self.why,
            "simulated": self.values,
        }


def _changes(scenario: Scenario) -> list[tuple[float, str]]:
    """(day, description) of each regimen change: a line's first dose and its end."""
    horizon = scenario.horizon_days
    out: list[tuple[float, str]] = []
    for line in scenario.regimen:
        window = line.infusion_window(horizon)
        times = line.dose_times(horizon)
        if window is None and len(times) == 0:
            continue
        a = window[0] if window else float(times[0])
        b = window[1] if window else min(float(times[-1]) + (line.every_days or 1.0), horizon)
        out.append((a, f"{line.drug} starts"))
        if b < horizon - 1e-9:
            out.append((b, f"{line.drug} ends"))
    merged: dict[float, list[str]] = {}
    for day, what in sorted(out):
        merged.setdefault(round(day, 3), []).append(what)
    return [(d, ", ".join(w)) for d, w in sorted(merged.items())]


def monitoring_plan(
    scenario: Scenario,
    table: pd.DataFrame,
    *,
    target_m_per_ml: float | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
) -> dict[str, Any]:
    """When labs (T, E2, LH, FSH) and semen analyses would be informative for this scenario,
    with the simulated values at each visit, and every flag evaluated on the course.

    Visits: baseline (day 0); hormones ``hormone_recheck_days`` after each regimen change; from
    the restoration clock (first missed androgen dose, else first stimulant dose) a semen
    analysis with labs every ``spermatogenic_cycle_days`` until ``semen_target_consecutive``
    analyses in a row are at or above the target (read on the noise-free modelled
    concentration) or the horizon ends.
    """
    th = thresholds or THRESHOLDS
    target = target_m_per_ml if target_m_per_ml is not None else _th(th, "semen_target_m_per_ml")
    if not (math.isfinite(target) and target > 0):
        raise ValueError(f"target: got {target!r}; allowed: a concentration above 0 M/mL")
    recheck = _th(th, "hormone_recheck_days")
    cycle = _th(th, "spermatogenic_cycle_days")
    need = int(_th(th, "semen_target_consecutive"))
    horizon = scenario.horizon_days
    visits = [Visit(0.0, "labs + semen analysis", "baseline before the regimen", _at(table, 0.0))]
    changes = _changes(scenario)
    for day, what in changes:
        if day <= 0.0:
            continue
        d = day + recheck
        if d <= horizon:
            visits.append(
                Visit(
                    d,
                    "labs",
                    f"{recheck:g} d after a change ({what}, day {day:g}): "
                    "hormones at their new level",
                    _at(table, d),
                )
            )
    clock = _clock(scenario)
    _, stop = androgen_window(scenario)
    met_day = None
    if stop is not None or _windows(scenario, STIMULANTS):
        if clock > 0.0:
            why = "start of restoration (first missed androgen dose or first stimulant dose)"
            visits.append(Visit(clock, "labs + semen analysis", why, _at(table, clock)))
        reached = 0
        d = clock + cycle
        while d <= horizon + 1e-9:
            at = _at(table, d)
            reached = reached + 1 if at["sperm_concentration_m_per_ml"] >= target else 0
            why = (
                f"every {cycle:g} d (one spermatogenic cycle) until {need} in a row >= "
                f"{target:g} M/mL ({reached} so far)"
            )
            visits.append(Visit(d, "labs + semen analysis", why, at))
            if reached >= need:
                met_day = d
                break
            d += cycle
    visits.sort(key=lambda v: v.day)
    evaluated = evaluate_flags(scenario, table, thresholds=th)
    return {
        "scenario": scenario.name,
        "horizon_days": horizon,
        "restoration_day0": clock,
        "target_m_per_ml": target,
        "target_met_day": met_day,
        "regimen_changes": [{"day": d, "change": w} for d, w in changes],
        "visits": [v.to_dict() for v in visits],
        "flags": [f.to_dict() for f in evaluated],
        "thresholds": {k: vars(v) for k, v in th.items()},
        "note": (
            "Visits are read on the noise-free simulated course; a real semen analysis varies "
            "(within-man CV 0.39), which is why the schedule asks for consecutive results."
        ),
        "disclaimer": DISCLAIMER,
    }
