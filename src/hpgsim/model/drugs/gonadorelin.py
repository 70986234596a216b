"""Gonadorelin (synthetic GnRH): subcutaneous or intravenous boluses, or a continuous infusion.

SC boluses enter a depot (``F_gnrh_sc`` absorbed) absorbed at ``ka_gnrh``; IV boluses land in
plasma; an infusion sets a zero-order input rate (ug/day) that changes only at its start and
stop. Plasma gonadorelin (ug; pg/mL = ug x 1000 / V) is eliminated at ``ke_gnrh`` (half-life
minutes; see the parameter table) and occupies the pituitary GnRH receptor as an agonist.
Units: depot and plasma ug; rate ug/day; time days.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from hpgsim.model.drugs.records import (
    AxisContext,
    Concentrations,
    DrugFamily,
    DrugSpec,
    DrugWiring,
    Params,
)
from hpgsim.model.parameter_records import (
    MINUTE_DAYS,
    Derived,
    Literature,
    Parameter,
    rate_from_half_life,
)
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


CITATIONS: dict[str, str] = {
    "LHRH_IV_PK": "Pharmacokinetics of IV LH-RH in men, 26 men, 1-20 ug: t1/2 2.6 +/- 0.4 to "
    "5.2 +/- 1.0 min; LH AUC no higher above 2.5 ug (discovery.researcher.life)",
    "Hurley1987": "Hurley DM et al. JCEM 1987: SC GnRH 2.5-10 ug in 5 women with hypothalamic "
    "amenorrhoea: plasma peak 5-10 min, disappearance t1/2 24 (18-30) min; LH peak 20-30 min "
    "later, 13.2 +/- 2.2 IU/L after 10 ug SC",
    "GnRH_SCvsIV": "Pharmacokinetics of GnRH: SC vs IV, 14 hypogonadotropic patients, 3.17 ug/h "
    "for 6 h: plateau 67.5 (SC) vs 102.4 pg/mL (IV) (scilit a9762616545b19ecfe3a3823e7b0a428)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "ke_gnrh",
        rate_from_half_life(3.9 * MINUTE_DAYS),
        "1/day",
        "plasma gonadorelin elimination",
        Literature(("LHRH_IV_PK",), "LHRH_IV_PK (t1/2 2.6-5.2 min; midpoint 3.9 min)"),
        group="drug:gonadorelin",
    ),
    Parameter(
        "CL_gnrh",
        3.17e6 / 102.4 / 1000.0 * 24.0,
        "L/day",
        "gonadorelin clearance",
        Derived(
            "derived: IV infusion 3.17 ug/h gave a plateau of 102.4 pg/mL (GnRH_SCvsIV)",
            refs=("GnRH_SCvsIV",),
        ),
        group="drug:gonadorelin",
    ),
    Parameter(
        "ka_gnrh",
        rate_from_half_life(24.0 * MINUTE_DAYS),
        "1/day",
        "absorption of a subcutaneous gonadorelin dose",
        Literature(
            ("Hurley1987",), "Hurley1987 (SC disappearance t1/2 24 min, absorption-limited)"
        ),
        group="drug:gonadorelin",
    ),
    Parameter(
        "F_gnrh_sc",
        67.5 / 102.4,
        "1",
        "subcutaneous bioavailability of gonadorelin",
        Literature(("GnRH_SCvsIV",), "GnRH_SCvsIV (SC/IV infusion plateau 67.5/102.4 pg/mL)"),
        group="drug:gonadorelin",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_gnrh"] = p["CL_gnrh"] / p["ke_gnrh"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"gnrh": s["gnrh"] * 1000.0 / p["V_gnrh"]}  # ug / L -> pg/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """A GnRH-receptor agonist: gonadorelin itself is the reference (pg/mL)."""
    return {"gnrh_receptor_agonist_pg_ml": c["gnrh"]}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """SC depot, infusion rate (constant between events), plasma."""
    return {
        "gnrh_sc": -p["ka_gnrh"] * s["gnrh_sc"],
        "gnrh_rate": jnp.zeros(()),  # a zero-order input: constant between dose events
        "gnrh": p["ka_gnrh"] * s["gnrh_sc"] + s["gnrh_rate"] - p["ke_gnrh"] * s["gnrh"],
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"gonadorelin_pg_ml": c["gnrh"]}


FAMILY = DrugFamily(
    name="gonadorelin",
    order=50,
    specs=(
        DrugSpec(
            name="gonadorelin",
            display_name="Gonadorelin (GnRH)",
            aliases=("GnRH", "LHRH", "LH-RH", "Factrel", "Lutrepulse"),
            routes=("subcutaneous", "intravenous"),
            dose_unit="ug",
            max_dose=200.0,
            max_weekly_dose=5000.0,
            bound_source=(
                "Factrel label: 100 ug SC or IV diagnostic bolus (bound 2x); pulsatile pump "
                "therapy uses up to ~20 ug per pulse every 90-120 min (calibration-targets.md "
                "section 6), about 2240 ug/week (bound ~2x)"
            ),
            infusion=True,
        ),
    ),
    wiring=(
        DrugWiring(
            "gonadorelin",
            (("gnrh_sc", None),),
            ("gonadorelin_pg_ml",),
            "ug",
            route_bioavailability={"subcutaneous": "F_gnrh_sc"},
            route_doses_to={"intravenous": (("gnrh", None),)},
            infusion_state="gnrh_rate",
            fast=True,
            refine_hours=12.0,  # the LH and intratesticular T of a pulse settle over ~12 h
        ),
    ),
    states=(
        State("gnrh_sc", "ug", "gonadorelin in the subcutaneous depot", "gonadorelin", Kind.LINEAR),
        State(
            "gnrh_rate",
            "ug/day",
            "gonadorelin infusion rate into plasma",
            "gonadorelin",
            Kind.INPUT,
        ),
        State("gnrh", "ug", "gonadorelin in plasma", "gonadorelin", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
    parameters=PARAMETERS,
    citations=CITATIONS,
)
