"""Letrozole: oral aromatase inhibitor (used off-label in men).

Oral doses enter the gut whole (mg; absolute bioavailability 99.9 %, Sioufi 1997), are absorbed
at ``ka_let`` into plasma (ng/mL) and cleared at ``CL_let`` (2.21 L/h after an IV dose, Sioufi
1997) with the label's terminal half-life of about 2 days. Plasma letrozole blocks aromatase as
an Emax model, Imax x C / (IC50 + C): the IC50 is derived from whole-body aromatization, 98.4 %
inhibited at 0.5 mg daily (Dowsett 1995); Imax, the largest fraction of men's estradiol
production that a block removes as their assays see it, is fitted to T'Sjoen 2005 (E2 -46 % in
young men on 2.5 mg daily). Its effect multiplies with anastrozole's at the aromatase site.
Units: gut mg; plasma ng/mL; time days.

Not modelled: the label's over-proportional exposure above 2.5 mg daily (the dose bound stops
there) and the 1.5-2x accumulation over single-dose predictions at steady state.
"""

from __future__ import annotations

from typing import Any

import jax

from hpgsim.model.drugs.records import (
    AxisContext,
    Concentrations,
    DrugFamily,
    DrugSpec,
    DrugWiring,
    Params,
    activity_left,
    oral_first_order,
)
from hpgsim.model.parameter_records import (
    HOUR_DAYS,
    Assumption,
    Calibrated,
    Derived,
    Literature,
    Parameter,
    calibrated_value,
    rate_from_half_life,
    two_step_rate_for_tmax,
)
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


CITATIONS: dict[str, str] = {
    "Sioufi1997": "Sioufi A et al. Absolute bioavailability of letrozole in healthy "
    "postmenopausal women. Biopharm Drug Dispos 1997;18:779 (F 99.9 %, CL 2.21 L/h after "
    "2.5 mg IV, Vss 1.87 L/kg). PMID 9429742",
    "FemaraLabel": "Femara (letrozole) prescribing information: 2.5 mg once daily; rapidly and "
    "completely absorbed; terminal half-life about 2 days; steady state in 2-6 weeks; exposure "
    "over-proportional above 2.5 mg daily",
    "Dowsett1995": "Dowsett M et al. In vivo measurement of aromatase inhibition by letrozole "
    "(CGS 20267) in postmenopausal patients with breast cancer. Clin Cancer Res 1995;1:1511 "
    "(whole-body aromatization inhibited 98.4 % at 0.5 mg/day, > 98.9 % at 2.5 mg/day). "
    "PMID 9815951",
    "TSjoen2005": "T'Sjoen GG et al. Comparative assessment in young and elderly men of the "
    "gonadotropin response to aromatase inhibition. J Clin Endocrinol Metab 2005 (10 young and "
    "10 elderly men; letrozole 2.5 mg/day for 28 d: E2 -46 %, LH +339 %, T +146 % in the young, "
    "E2 -62 %, LH +323 %, T +99 % in the elderly)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

_CL_LET = 2.21 * 24.0  # L/day (Sioufi 1997)
_KE_LET = rate_from_half_life(2.0)  # 1/day: terminal half-life about 2 days (label)
_DOWSETT_DOSE_MG_PER_DAY = 0.5
_DOWSETT_INHIBITION = 0.984
_CSS_DOWSETT = _DOWSETT_DOSE_MG_PER_DAY * 1000.0 / _CL_LET  # ng/mL, average steady state

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CL_let",
        _CL_LET,
        "L/day",
        "letrozole clearance (oral bioavailability 99.9 %, so CL/F = CL)",
        Literature(("Sioufi1997",), "Sioufi1997 (2.21 L/h after 2.5 mg IV; F 99.9 %)"),
        group="drug:letrozole",
    ),
    Parameter(
        "ke_let",
        _KE_LET,
        "1/day",
        "letrozole elimination",
        Literature(
            ("FemaraLabel", "Sioufi1997"),
            "FemaraLabel (terminal t1/2 about 2 d); with CL_let, V = 153 L, 1.9 L/kg at 80 kg "
            "(Sioufi1997: Vss 1.87 L/kg)",
        ),
        group="drug:letrozole",
    ),
    Parameter(
        "ka_let",
        two_step_rate_for_tmax(_KE_LET, 1.0 * HOUR_DAYS),
        "1/day",
        "letrozole oral absorption",
        Assumption(
            "Tmax 1 h assumed: the label and Sioufi1997 say 'rapidly and completely absorbed' "
            "without a figure; with a 2-day half-life, Tmax between 0.5 and 2 h changes the "
            "steady-state inhibition by far less than 1 %",
            refs=("FemaraLabel", "Sioufi1997"),
        ),
        group="drug:letrozole",
    ),
    Parameter(
        "IC50_let",
        _CSS_DOWSETT * (1.0 - _DOWSETT_INHIBITION) / _DOWSETT_INHIBITION,
        "ng/mL",
        "letrozole concentration for half aromatase inhibition (whole body)",
        Derived(
            "derived: C/(IC50 + C) = 0.984 at the average steady state of 0.5 mg daily, "
            "C = 0.5 mg/day / CL_let = 9.4 ng/mL (Dowsett1995, Sioufi1997)",
            refs=("Dowsett1995", "Sioufi1997"),
        ),
        group="drug:letrozole",
    ),
    Parameter(
        "Imax_let",
        calibrated_value("Imax_let"),
        "1",
        "maximal fractional inhibition of men's estradiol production by letrozole as measured "
        "by E2 assays",
        Calibrated(
            target="TSjoen2005 E2 -46 % after 28 d of 2.5 mg daily in young men "
            "(target_tsjoen2005_letrozole); Dowsett1995's > 98.9 % whole-body inhibition in "
            "women is the upper bound",
            start=0.9,
            lower=0.5,
            upper=0.995,
            stage="restoration",
            refs=("TSjoen2005", "Dowsett1995"),
            bounds_note="Dowsett 1995: > 98.9 % whole-body inhibition at 2.5 mg/day",
        ),
        group="drug:letrozole",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_let"] = p["CL_let"] / p["ke_let"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"let": s["let"]}  # ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Aromatase activity left: 1 - Imax C / (IC50 + C) (:func:`activity_left`)."""
    return {"aromatase_activity": activity_left(c["let"], p["Imax_let"], p["IC50_let"])}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """First-order oral absorption and elimination (Sioufi 1997; label half-life)."""
    gut, plasma = oral_first_order(s["let_gut"], s["let"], p["ka_let"], p["ke_let"], p["V_let"])
    return {"let_gut": gut, "let": plasma}


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"letrozole_ng_ml": c["let"]}


FAMILY = DrugFamily(
    name="letrozole",
    order=21,
    specs=(
        DrugSpec(
            name="letrozole",
            display_name="Letrozole",
            aliases=("Femara",),
            routes=("oral",),
            dose_unit="mg",
            max_dose=2.5,
            max_weekly_dose=17.5,
            bound_source=(
                "Femara label: 2.5 mg once daily, exposure over-proportional above it; in men "
                "2.5 mg daily (T'Sjoen 2005) and 7.5-17.5 mg weekly (de Boer 2005)"
            ),
        ),
    ),
    wiring=(
        DrugWiring(
            "letrozole",
            (("let_gut", None),),
            ("letrozole_ng_ml",),
            "mg",
            sharp_onset=True,
        ),
    ),
    states=(
        State("let_gut", "mg", "letrozole in the gut", "letrozole", Kind.LINEAR),
        State("let", "ng/mL", "letrozole in plasma", "letrozole", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
    parameters=PARAMETERS,
    citations=CITATIONS,
    sexes=("male", "female"),
)
