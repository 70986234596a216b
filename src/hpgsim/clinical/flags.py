"""The source article's decision points as transparent flags on one simulated course.

A flag states what the *simulation* shows, which rule it checked, the simulated values that met
it, and the sentence of the article or the publication the rule rests on, for a clinician to
read. Nothing here is advice to a patient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.clinical.course import grid_spacing, in_windows, treatment_windows, values_at
from hpgsim.clinical.thresholds import SERMS, STIMULANTS, THRESHOLDS, Threshold, threshold_value
from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window
from hpgsim.model.drugs import CATALOG
from hpgsim.model.parameters import typical_values
from hpgsim.scenario import Scenario

__all__ = ["ARTICLE", "Flag", "evaluate_flags", "flags"]

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
    "women_dose": (
        "Women undergoing testosterone optimization, often for symptoms like low libido or mood "
        "changes, receive much lower doses of Testosterone Cypionate, typically 10 ∞ 20 units "
        "(0.1 ∞ 0.2ml) weekly via subcutaneous injection."
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


def _lowest_while_given(
    sc: Scenario, tab: pd.DataFrame, drugs: tuple[str, ...], column: str, floor: float
) -> tuple[np.ndarray, np.ndarray, int, float] | None:
    """While any of ``drugs`` is given: (times, ``column``, the row of its lowest value, days
    below ``floor``); None when none of them is given."""
    t = tab["time_days"].to_numpy(dtype=float)
    on = in_windows(t, treatment_windows(sc, drugs))
    if not on.any():
        return None
    y = tab[column].to_numpy(dtype=float)
    idx = np.nonzero(on)[0]
    i = int(idx[np.argmin(y[idx])])
    return t, y, i, float(np.sum(y[idx] < floor)) * grid_spacing(t)


def _flag_serm_estradiol(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    ratio_min = threshold_value(th, "t_to_e2_ratio_min")
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
    on = in_windows(t, treatment_windows(sc, SERMS))
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
    at = values_at(tab, float(t[i]))
    values = {
        **at,
        "t_to_e2_ratio": round(float(ratio[i]), 2),
        "days_below_ratio_on_serm": round(
            float(np.sum(ratio[idx] < ratio_min)) * grid_spacing(t), 1
        ),
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
    floor = threshold_value(th, "estradiol_floor_pg_ml")
    common: dict[str, Any] = dict(
        id="estradiol_below_floor_on_anastrozole",
        title="Estradiol below the physiological floor on anastrozole",
        trigger=f"while anastrozole is given, estradiol below {floor:g} pg/mL",
        article=(ARTICLE["over_suppression"],),
        publication=_src(th, "estradiol_floor_pg_ml"),
    )
    lowest = _lowest_while_given(sc, tab, ("anastrozole",), "estradiol_pg_ml", floor)
    if lowest is None:
        return Flag(
            fired=False,
            values={"anastrozole_given": False},
            evaluable=False,
            wording="No anastrozole is given in this scenario; the rule does not apply.",
            **common,
        )
    t, e2, i, below = lowest
    values = {**values_at(tab, float(t[i])), "days_below_floor_on_anastrozole": round(below, 1)}
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
    hours = threshold_value(th, "gnrh_continuous_hours")
    ratio = threshold_value(th, "gnrh_trough_to_peak_min")
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
        "output_spacing_h": round(grid_spacing(t) * 24.0, 3),
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
    low = threshold_value(th, "testosterone_low_ng_dl")
    months = threshold_value(th, "persistent_suppression_months")
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
    at = values_at(tab, day)
    base = values_at(tab, 0.0)
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
    azoo = threshold_value(th, "azoospermia_m_per_ml")
    months = threshold_value(th, "azoospermia_stimulation_months")
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
    stim = treatment_windows(sc, STIMULANTS)
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
    at = values_at(tab, day)
    values: dict[str, Any] = {**at, "stimulation_start_day": start}
    day12 = start + 12 * DAYS_PER_MONTH
    if day12 <= sc.horizon_days:
        values["sperm_at_12_months_m_per_ml"] = values_at(tab, day12)[
            "sperm_concentration_m_per_ml"
        ]
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
    t_hi = threshold_value(th, "testosterone_high_ng_dl")
    e_hi = threshold_value(th, "estradiol_high_pg_ml")
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
    on = in_windows(t, treatment_windows(sc, tuple(CATALOG)))
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
    dt = grid_spacing(t)
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


TESTOSTERONE_PRODUCTS: tuple[str, ...] = tuple(
    name for name, spec in CATALOG.items() if spec.androgen
)
"""The androgen products: their dosing windows are a woman's 'on testosterone therapy'."""

AROMATASE_INHIBITORS: tuple[str, ...] = ("anastrozole", "letrozole")


def _flag_woman_testosterone(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    high = threshold_value(th, "female_testosterone_high_ng_dl")
    common: dict[str, Any] = dict(
        id="testosterone_above_female_range",
        title="A woman's testosterone above the premenopausal range on therapy",
        trigger=(
            "while a testosterone product is given, the mean or the peak of total "
            f"testosterone above {high:g} ng/dL"
        ),
        article=(ARTICLE["women_dose"],),
        publication=_src(th, "female_testosterone_high_ng_dl"),
    )
    t = tab["time_days"].to_numpy(dtype=float)
    on = in_windows(t, treatment_windows(sc, TESTOSTERONE_PRODUCTS))
    if not on.any():
        return Flag(
            fired=False,
            values={"testosterone_given": False},
            evaluable=False,
            wording="No testosterone product is given in this scenario; the rule does not apply.",
            **common,
        )
    tt = tab["total_testosterone_ng_dl"].to_numpy(dtype=float)
    ft = tab["free_testosterone_pg_ml"].to_numpy(dtype=float)
    idx = np.nonzero(on)[0]
    i = int(idx[np.argmax(tt[idx])])
    mean = float(tt[idx].mean())
    values = {
        "testosterone_mean_ng_dl": round(mean, 1),
        "testosterone_peak_ng_dl": round(float(tt[i]), 1),
        "testosterone_peak_day": round(float(t[i]), 3),
        "free_testosterone_mean_pg_ml": round(float(ft[idx].mean()), 2),
        "days_above": round(float(np.sum(tt[idx] > high)) * grid_spacing(t), 1),
        "untreated_testosterone_ng_dl": round(float(tt[0]), 1),
    }
    fired = bool(mean > high or tt[i] > high)
    wording = (
        f"On testosterone the simulation shows a mean total testosterone of {mean:.0f} ng/dL "
        f"and a peak of {tt[i]:.0f} ng/dL (day {t[i]:g}), {mean / high:.1f}x the upper limit "
        f"of the premenopausal range ({high:g} ng/dL) on average, above it for "
        f"{values['days_above']:g} days; free testosterone averages "
        f"{values['free_testosterone_mean_pg_ml']:g} pg/mL. Testosterone therapy for women aims "
        "at premenopausal concentrations (Global Consensus 2019)."
        if fired
        else f"On testosterone the simulated total testosterone averages {mean:.0f} ng/dL and "
        f"peaks at {tt[i]:.0f} ng/dL, within the premenopausal range (up to {high:g} ng/dL)."
    )
    return Flag(fired=fired, values=values, wording=wording, **common)


def _flag_woman_estradiol(
    sc: Scenario, tab: pd.DataFrame, th: Mapping[str, Threshold] | None
) -> Flag:
    floor = threshold_value(th, "female_estradiol_floor_pg_ml")
    common: dict[str, Any] = dict(
        id="estradiol_below_postmenopausal_range_on_aromatase_inhibitor",
        title="A woman's estradiol below the post-menopausal range on an aromatase inhibitor",
        trigger=(
            f"while an aromatase inhibitor ({', '.join(AROMATASE_INHIBITORS)}) is given, "
            f"estradiol below {floor:g} pg/mL"
        ),
        article=(),
        publication=_src(th, "female_estradiol_floor_pg_ml"),
    )
    lowest = _lowest_while_given(sc, tab, AROMATASE_INHIBITORS, "estradiol_pg_ml", floor)
    if lowest is None:
        return Flag(
            fired=False,
            values={"aromatase_inhibitor_given": False},
            evaluable=False,
            wording="No aromatase inhibitor is given in this scenario; the rule does not apply.",
            **common,
        )
    t, e2, i, below = lowest
    values = {
        "estradiol_min_pg_ml": round(float(e2[i]), 3),
        "estradiol_min_day": round(float(t[i]), 3),
        "untreated_estradiol_pg_ml": round(float(e2[0]), 3),
        "days_below_floor": round(below, 1),
    }
    fired = bool(e2[i] < floor)
    wording = (
        f"The simulation shows estradiol down to {e2[i]:.2f} pg/mL on day {t[i]:g} on the "
        f"aromatase inhibitor (untreated {e2[0]:.1f} pg/mL), below {floor:.2f} pg/mL, what "
        f"LC-MS/MS can detect, for {below:g} days."
        if fired
        else f"On the aromatase inhibitor the simulated estradiol stays at or above "
        f"{e2[i]:.2f} pg/mL (lowest on day {t[i]:g}; untreated {e2[0]:.1f} pg/mL), above "
        f"{floor:.2f} pg/mL."
    )
    return Flag(fired=fired, values=values, wording=wording, **common)


_WOMAN_RULES = (_flag_woman_testosterone, _flag_woman_estradiol)
"""The rules of a woman's course (the man's read sperm, LH and the male ranges)."""

_RULES = (
    _flag_serm_estradiol,
    _flag_estradiol_floor,
    _flag_continuous_gnrh,
    _flag_persistent,
    _flag_azoospermia,
    _flag_supraphysiological,
)


def evaluate_flags(
    scenario: Scenario,
    table: pd.DataFrame,
    *,
    thresholds: Mapping[str, Threshold] | None = None,
    since_day: float = 0.0,
) -> list[Flag]:
    """Every rule evaluated on one simulated course (fired or not, or not applicable; a woman's
    course gets the woman's rules), read
    from ``since_day`` (days, scenario time) on: a protocol's own window, so that the TRT
    history before a restoration protocol (its supraphysiological peaks, its anastrozole)
    does not fire the protocol's flags."""
    if not (math.isfinite(since_day) and since_day <= scenario.horizon_days):
        raise ValueError(
            f"since_day: got {since_day!r}; allowed: a day from 0 to the horizon "
            f"({scenario.horizon_days:g} d)"
        )
    window = table
    if since_day > 0.0:
        keep = table["time_days"].to_numpy(dtype=float) >= since_day - 1e-9
        window = table.loc[keep].reset_index(drop=True)
    rules = _WOMAN_RULES if scenario.patient.sex == "female" else _RULES
    return [rule(scenario, window, thresholds) for rule in rules]


def flags(
    scenario: Scenario,
    table: pd.DataFrame,
    *,
    thresholds: Mapping[str, Threshold] | None = None,
    since_day: float = 0.0,
) -> list[Flag]:
    """The rules that fired on one simulated course, read from ``since_day`` on."""
    evaluated = evaluate_flags(scenario, table, thresholds=thresholds, since_day=since_day)
    return [f for f in evaluated if f.fired]
