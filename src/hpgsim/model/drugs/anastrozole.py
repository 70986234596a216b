"""Anastrozole: oral aromatase inhibitor.

Oral doses enter the gut whole (mg; CL/F and V/F are apparent, so bioavailability is in them),
are absorbed at ``ka_ana`` into plasma (ng/mL) and eliminated at ``ke_ana`` (Mauras 2009: CL/F
1.54 L/h, t1/2 46.8 h). Plasma anastrozole blocks aromatase as an Emax model,
Imax x C / (IC50 + C) (Dukes 1996 IC50; Imax fitted to Geisler 2002 / Leder 2004, see the
parameter table). Units: gut mg; plasma ng/mL; time days.
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
    "LetrozoleLCMS": "T gel + letrozole in men: LC-MS E2 26.4 -> 1.6 pg/mL with T normal. "
    "PMC5792144, Table 1",
    "ArimidexLabel": "Arimidex (anastrozole) prescribing information as quoted by medlabglobal: "
    "Tmax within 2 h, steady state by day 7, 85% bioavailability",
    "Mauras2009": "Anastrozole pharmacokinetics in 42 pubertal boys, 1 mg/day for 14 d (CL/F "
    "1.54 L/h, t1/2 46.8 h). J Clin Endocrinol Metab 2009;94:2975. PMID 19470631",
    "Dukes1996": "Dukes M et al. Preclinical pharmacology of anastrozole. J Steroid Biochem "
    "Mol Biol 1996;58:439 (IC50 15 nM, human placental aromatase)",
    "Geisler2002": "Geisler J et al. Letrozole vs anastrozole: total-body aromatization and "
    "plasma estrogens in 12 postmenopausal women. PMID 11821457",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

_KE_ANA = rate_from_half_life(46.8 / 24.0)  # 1/day: t1/2 46.8 h (Mauras 2009)

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CL_ana",
        1.54 * 24.0,
        "L/day",
        "anastrozole apparent clearance CL/F",
        Literature(("Mauras2009",), "Mauras2009 (1.54 L/h, pubertal boys)"),
        group="drug:anastrozole",
    ),
    Parameter(
        "ke_ana",
        _KE_ANA,
        "1/day",
        "anastrozole elimination",
        Literature(("Mauras2009",), "Mauras2009 (t1/2 46.8 h); label ~50 h"),
        group="drug:anastrozole",
    ),
    Parameter(
        "ka_ana",
        two_step_rate_for_tmax(_KE_ANA, 2.0 * HOUR_DAYS),
        "1/day",
        "anastrozole oral absorption",
        Derived("derived: Tmax within 2 h (ArimidexLabel)", refs=("ArimidexLabel",)),
        group="drug:anastrozole",
    ),
    Parameter(
        "IC50_ana",
        15e-9 * 293.4 * 1e6,
        "ng/mL",
        "anastrozole concentration for half aromatase inhibition",
        Literature(("Dukes1996",), "Dukes1996 (15 nM x 293.4 g/mol)"),
        group="drug:anastrozole",
    ),
    Parameter(
        "e2_immunoassay_offset",
        calibrated_value("e2_immunoassay_offset"),
        "pg/mL",
        "non-specific signal of estradiol immunoassays at male levels (used only to compare "
        "with immunoassay studies; the model and its output are true, LC-MS-like E2)",
        Calibrated(
            target="Leder2004 E2 26 -> 17 pg/mL and the testolactone study's unchanged E2 "
            "(13.4 vs 13.5 pg/mL) under aromatase block; LC-MS E2 fell to 1.6 pg/mL on letrozole "
            "(PMC5792144)",
            start=8.0,
            lower=0.5,
            upper=20.0,
            stage="foundation",
            refs=("Leder2004", "Teslac", "LetrozoleLCMS"),
        ),
        group="drug:anastrozole",
    ),
    Parameter(
        "Imax_ana",
        calibrated_value("Imax_ana"),
        "1",
        "maximal fractional inhibition of aromatization in men as measured by E2 assays",
        Calibrated(
            target="Leder2004 E2 26 -> 17 pg/mL on 1 mg daily (target 7); Geisler2002 "
            "whole-body 97.3% in women is the upper bound",
            start=0.95,
            lower=0.5,
            upper=0.995,
            stage="foundation",
            refs=("Leder2004", "Geisler2002"),
            bounds_note="Geisler 2002: 97.3% whole-body inhibition at 1 mg/d",
        ),
        group="drug:anastrozole",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_ana"] = p["CL_ana"] / p["ke_ana"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"ana": s["ana"]}  # ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Aromatase activity left: 1 - Imax C / (IC50 + C) (:func:`activity_left`)."""
    return {"aromatase_activity": activity_left(c["ana"], p["Imax_ana"], p["IC50_ana"])}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """First-order oral absorption and elimination (Mauras 2009; ArimidexLabel Tmax)."""
    gut, plasma = oral_first_order(s["ana_gut"], s["ana"], p["ka_ana"], p["ke_ana"], p["V_ana"])
    return {"ana_gut": gut, "ana": plasma}


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"anastrozole_ng_ml": c["ana"]}


FAMILY = DrugFamily(
    name="anastrozole",
    order=20,
    specs=(
        DrugSpec(
            name="anastrozole",
            display_name="Anastrozole",
            aliases=("Arimidex",),
            routes=("oral",),
            dose_unit="mg",
            max_dose=10.0,
            max_weekly_dose=70.0,
            bound_source=(
                "Arimidex label: 1 mg daily; doses up to 10 mg/day were tolerated "
                "in clinical studies"
            ),
        ),
    ),
    # CL/F and V/F are apparent, so oral doses enter the gut whole (mg).
    wiring=(
        DrugWiring(
            "anastrozole",
            (("ana_gut", None),),
            ("anastrozole_ng_ml",),
            "mg",
            absorption_ladder=True,
        ),
    ),
    states=(
        State("ana_gut", "mg", "anastrozole in the gut", "anastrozole", Kind.LINEAR),
        State("ana", "ng/mL", "anastrozole in plasma", "anastrozole", Kind.LINEAR),
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
