"""Human chorionic gonadotropin (hCG): IM or SC injections acting on the LH receptor.

A dose enters the injection site (``F_hcg_sc`` absorbed when SC), is absorbed first order into
serum (IU; IU/L = IU / V) and eliminated at ``ke_hcg``. On the Leydig cell's LH receptor one
IU/L of hCG counts as ``hcg_potency`` IU/L of LH (fitted to Coviello 2005's hCG arms; see the
parameter table); LH immunoassays do not read it. Units: IU; time days.
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
    "hCG_MCR": "Metabolism of HCG in man: MCR 3.38 L/day in men, ~1/10 of LH; IV t1/2 5.1 h and "
    "23.6 h (paperexplained.cn abstract)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CL_hcg",
        3.38,
        "L/day",
        "hCG metabolic clearance in men",
        Literature(("hCG_MCR",), "hCG_MCR"),
        group="drug:hcg",
    ),
    Parameter(
        "ke_hcg",
        rate_from_half_life(23.6 * HOUR_DAYS),
        "1/day",
        "hCG elimination (slow phase, which carries most of the exposure)",
        Literature(
            ("hCG_MCR",),
            "hCG_MCR (IV t1/2 5.1 h and 23.6 h in men; one compartment with the slow phase; "
            "V = CL/ke = 4.8 L, near the 5.2-6 L Vss of r-hCG labels)",
        ),
        group="drug:hcg",
    ),
    Parameter(
        "ka_hcg",
        two_step_rate_for_tmax(rate_from_half_life(23.6 * HOUR_DAYS), 10.5 * HOUR_DAYS),
        "1/day",
        "absorption of an IM or SC hCG dose",
        Derived(
            "derived: Tmax 10.5 h, midpoint of 9-12 h IM (hCG_SwissLabel); SC assumed the same",
            refs=("hCG_SwissLabel",),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "F_hcg_sc",
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
        "uncoupling of hCG-occupied Leydig LH receptors from steroidogenesis (per unit of "
        "receptor occupancy by hCG)",
        Calibrated(
            target="Coviello2005 ITT -25/-7/+26% with hCG 125/250/500 IU SC every other "
            "day on TE 200 mg weekly (target 4), jointly with hcg_potency; the mechanism from the "
            "single-dose studies (hCG6000, hCG1500; reported, not fitted: check_hcg_single_dose)",
            start=1.0,
            lower=0.01,
            upper=20.0,
            stage="restoration",
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
        "hcg_potency",
        calibrated_value("hcg_potency"),
        "IU/IU",
        "LH-receptor stimulation by 1 IU/L of serum hCG, in IU/L of LH",
        Calibrated(
            target="Coviello2005 ITT -25/-7/+26% with hCG 125/250/500 IU SC every other "
            "day on TE 200 mg weekly (target 4)",
            start=0.4,
            lower=0.01,
            upper=100.0,
            stage="restoration",
            refs=("Coviello2005",),
        ),
        group="drug:hcg",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_hcg"] = p["CL_hcg"] / p["ke_hcg"]  # L


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
            route_bioavailability={"subcutaneous": "F_hcg_sc"},
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
