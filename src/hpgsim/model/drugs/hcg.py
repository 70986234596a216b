"""Human chorionic gonadotropin (hCG): IM or SC injections acting on the LH receptor.

A dose enters the injection site (the fraction ``F_hcg_sc`` of it when SC, ``F_hcg_im`` when
IM), is absorbed first order into serum (IU; IU/L = IU / V) and eliminated at ``ke_hcg``; the
clearance and bioavailability are the Ovidrel label's, so that serum hCG reads as measured.
On the Leydig cell's LH receptor one IU/L of hCG counts as ``hcg_potency`` IU/L of LH, and
the receptors it holds uncouple and are lost (the axis's Leydig block; fitted to Coviello
2005's hCG arms and the single-dose time courses; see the parameter table); LH immunoassays
do not read it. Units: IU; time days.
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
    "hCG6000": "Single 6000 IU hCG IM in 7 normal men: T x1.6 within 4 h, delayed peak x2.4 at "
    "72-96 h, baseline by 144 h (scilit d6480223af46105f03a8ced3924bc7c5)",
    "hCG_SwissLabel": "Pregnyl-type Swiss label (ch.oddb.org 33001): Tmax 9-12 h IM; SC "
    "bioavailability about 35% lower",
    "hCG1500": "Leydig cell responsiveness to single hCG 1500 IU IM: T max 1315 +/- 309 ng/dL "
    "at 72 h in 7 normal men (scilit f88e906d)",
    "OvidrelLabel": "Ovidrel (choriogonadotropin alfa) US label: 250 ug SC in healthy women, "
    "Cmax 121 +/- 44 IU/L, tmax 24 (12-24) h, AUC 7701 +/- 2101 h IU/L, t1/2 29 +/- 6 h, "
    "F 0.4 +/- 0.1; 250 ug is about 6,500 IU (Ovitrelle SmPC)",
    "hCG_MCR": "Metabolism of HCG in man: MCR 3.38 L/day in men, ~1/10 of LH; IV t1/2 5.1 h and "
    "23.6 h (paperexplained.cn abstract)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

OVIDREL_DOSE_IU = 6500.0
"""IU in one 250-ug dose of choriogonadotropin alfa (Ovitrelle SmPC: about 6,500 IU)."""
OVIDREL_AUC_H_IU_L = 7701.0
"""Serum hCG AUC after that dose SC (Ovidrel label, mean of healthy women), h x IU/L."""
OVIDREL_F_SC = 0.4
"""Absolute bioavailability of an SC dose (Ovidrel label: 0.4 +/- 0.1)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CL_hcg",
        OVIDREL_F_SC * OVIDREL_DOSE_IU / OVIDREL_AUC_H_IU_L * 24.0,
        "L/day",
        "hCG clearance",
        Derived(
            "derived: F x dose / AUC after 250 ug (6,500 IU) SC, 0.4 x 6500 / 7701 h IU/L "
            "(OvidrelLabel). The older MCR in men, 3.38 L/day (hCG_MCR), with no bioavailability "
            "loss put the label's 250 ug SC at a 647 IU/L peak against the label's 121; the "
            "label's IV clearance, 0.2 L/h, is 1.7x below its own SC F x dose / AUC, and the SC "
            "profile is what a man's blood test reads",
            refs=("OvidrelLabel", "hCG_MCR"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "ke_hcg",
        rate_from_half_life(29.0 * HOUR_DAYS),
        "1/day",
        "hCG elimination (terminal phase after an SC dose)",
        Literature(
            ("OvidrelLabel",),
            "OvidrelLabel (t1/2 29 +/- 6 h after 250 ug SC; one compartment, V = CL/ke = 14 L)",
        ),
        group="drug:hcg",
    ),
    Parameter(
        "ka_hcg",
        two_step_rate_for_tmax(rate_from_half_life(29.0 * HOUR_DAYS), 10.5 * HOUR_DAYS),
        "1/day",
        "absorption of an IM or SC hCG dose",
        Derived(
            "derived: Tmax 10.5 h, midpoint of 9-12 h IM (hCG_SwissLabel); SC assumed the same "
            "(its Tmax is 12-24 h: OvidrelLabel)",
            refs=("hCG_SwissLabel", "OvidrelLabel"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "F_hcg_sc",
        OVIDREL_F_SC,
        "1",
        "absolute bioavailability of an SC hCG dose",
        Literature(("OvidrelLabel",), "OvidrelLabel (0.4 +/- 0.1)"),
        group="drug:hcg",
    ),
    Parameter(
        "F_hcg_sc_relative",
        0.65,
        "1",
        "SC bioavailability of hCG relative to IM",
        Literature(("hCG_SwissLabel",), "hCG_SwissLabel (about 35% lower)"),
        group="drug:hcg",
    ),
    Parameter(
        "k_leydig_desens",
        calibrated_value("k_leydig_desens"),
        "1/day",
        "uncoupling, within hours, of hCG-occupied Leydig LH receptors from steroidogenesis "
        "(per unit of hCG's share of the occupancy that drives T secretion)",
        Calibrated(
            target="Coviello2005 ITT -25/-7/+26% with hCG 125/250/500 IU SC every other "
            "day on TE 200 mg weekly (target 4) and the T time course after 6000 IU IM "
            "(hCG6000: target_hcg_single_dose), jointly with hcg_potency and the Leydig "
            "induction; three daily doses are reported, not fitted (check_hcg_repeated_daily)",
            start=0.35,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Coviello2005", "hCG6000", "hCG1500"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "k_leydig_resens",
        1.0 / 1.5,
        "1/day",
        "recoupling of Leydig LH receptors once hCG clears",
        Assumption(
            "assumption: time constant 1.5 days, between a second dose at 24-48 h adding no T "
            "(hCG1500; hCG6000 protocol 2) and full responses to doses 5 days apart (hCG6000 "
            "protocol 3)",
            refs=("hCG1500", "hCG6000"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "k_leydig_down",
        calibrated_value("k_leydig_down"),
        "1/day",
        "loss of Leydig LH receptors held by hCG (downregulation; per unit of the fraction "
        "of receptors hCG holds)",
        Calibrated(
            target="hCG6000: T back to baseline at 144 h after 6000 IU IM while serum hCG is "
            "still about 5 % of its peak (target_hcg_single_dose), jointly with the "
            "uncoupling, the induction and hcg_potency",
            start=1.5,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("hCG6000",),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "K_lhr",
        calibrated_value("K_lhr"),
        "IU/L",
        "LH-equivalent concentration at which hCG holds half the Leydig LH receptors (T "
        "secretion saturates near L50, far below it: spare receptors)",
        Calibrated(
            target="hCG6000 and hCG1500: T back to baseline 144 h after 6000 IU but still "
            "raised at 72 h after 1500 IU (target_hcg_single_dose), jointly with k_leydig_down",
            start=55.0,
            lower=5.0,
            upper=5000.0,
            stage="foundation",
            refs=("hCG6000", "hCG1500"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "k_leydig_up",
        1.0 / 7.0,
        "1/day",
        "return of downregulated Leydig LH receptors once hCG clears",
        Assumption(
            "assumption: time constant 7 days, receptor replacement over about a week; the "
            "single-dose studies end at 144 h and do not identify it",
            refs=("hCG6000",),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "hcg_potency",
        calibrated_value("hcg_potency"),
        "IU/IU",
        "LH-receptor stimulation by 1 IU/L of serum hCG, in IU/L of LH",
        Calibrated(
            target="Coviello2005 ITT -25/-7/+26% with hCG 125/250/500 IU SC every other "
            "day on TE 200 mg weekly (target 4) and the T time course after 6000 IU IM "
            "(target_hcg_single_dose)",
            start=2.0,
            lower=0.01,
            upper=100.0,
            stage="foundation",
            refs=("Coviello2005",),
        ),
        group="drug:hcg",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_hcg"] = p["CL_hcg"] / p["ke_hcg"]  # L
    p["F_hcg_im"] = p["F_hcg_sc"] / p["F_hcg_sc_relative"]  # absolute, IM


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"hcg": s["hcg"] / p["V_hcg"]}  # IU/L


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """LH-receptor agonist, LH-equivalent IU/L."""
    return {"lh_receptor_agonist_iu_l": p["hcg_potency"] * c["hcg"]}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """First-order absorption from the injection site; first-order elimination."""
    return {
        "hcg_depot": -p["ka_hcg"] * s["hcg_depot"],
        "hcg": p["ka_hcg"] * s["hcg_depot"] - p["ke_hcg"] * s["hcg"],
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"hcg_iu_l": c["hcg"]}


FAMILY = DrugFamily(
    name="hcg",
    order=70,
    specs=(
        DrugSpec(
            name="hcg",
            display_name="Human chorionic gonadotropin",
            aliases=(
                "human chorionic gonadotropin",
                "chorionic gonadotropin",
                "Pregnyl",
                "Novarel",
                "Ovidrel",
            ),
            routes=("intramuscular", "subcutaneous"),
            dose_unit="IU",
            max_dose=10000.0,
            max_weekly_dose=24000.0,
            bound_source=(
                "Pregnyl/Novarel labels: up to 10,000 IU single dose; hypogonadotropic "
                "hypogonadism in males up to 4000 IU three times weekly (bound 2x)"
            ),
        ),
    ),
    wiring=(
        DrugWiring(
            "hcg",
            (("hcg_depot", None),),
            ("hcg_iu_l",),
            "IU",
            route_bioavailability={"subcutaneous": "F_hcg_sc", "intramuscular": "F_hcg_im"},
        ),
    ),
    states=(
        State("hcg_depot", "IU", "hCG at the IM/SC injection site", "hcg", Kind.LINEAR),
        State("hcg", "IU", "hCG in serum", "hcg", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
    parameters=PARAMETERS,
    citations=CITATIONS,
)
