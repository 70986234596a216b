"""Leuprolide acetate depot: a long-acting GnRH-receptor agonist.

A depot dose splits into a burst fraction (``frac_leu_burst``, released within days) and a
sustained-release fraction, each absorbed first-order into plasma (ug; ng/mL = ug / V), where
leuprolide is eliminated at ``ke_leu``. It occupies the pituitary GnRH receptor with
``leu_potency`` times gonadorelin's effect per ng (fitted; see the parameter table).
Units: depots and plasma ug; time days.
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
    Calibrated,
    Literature,
    Parameter,
    calibrated_value,
    rate_from_half_life,
)
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


CITATIONS: dict[str, str] = {
    "Happ1978": "Happ J et al. Fertil Steril 1978;30:666: 100 ug SC GnRH matched 25 ug IV; LH "
    "raised 7-9 h; 5 ug IV leuprolide-structure analog matched 25 ug IV GnRH",
    "LeuprolideRat": "Prolonged release of LH and FSH after [D-Leu6, desGly-NH2 10]-LH-RH "
    "ethylamide in immature male rats: potency 20-60x LH-RH for LH (scilit 95bdaab7)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CL_leu",
        7.6 * 24.0,
        "L/day",
        "leuprolide clearance",
        Literature(("LupronLabel",), "LupronLabel (IV 1 mg in men: 7.6 L/h)"),
        group="drug:leuprolide",
    ),
    Parameter(
        "ke_leu",
        rate_from_half_life(3.0 * HOUR_DAYS),
        "1/day",
        "leuprolide elimination",
        Literature(("LupronLabel",), "LupronLabel (terminal t1/2 ~3 h)"),
        group="drug:leuprolide",
    ),
    Parameter(
        "frac_leu_burst",
        calibrated_value("frac_leu_burst"),
        "1",
        "fraction of a depot dose released in the initial burst",
        Calibrated(
            target="LupronLabel plasma leuprolide ~20 ng/mL at 4 h after 7.5 mg",
            start=0.179,
            lower=0.001,
            upper=0.5,
            stage="restoration",
            refs=("LupronLabel",),
        ),
        group="drug:leuprolide",
    ),
    Parameter(
        "ka_leu_burst",
        rate_from_half_life(1.77 * HOUR_DAYS),
        "1/day",
        "release rate of the burst fraction",
        Literature(
            ("Tornoe2007",),
            "Tornoe2007 (triptorelin depot burst over 1.77 h; assumed for leuprolide)",
        ),
        group="drug:leuprolide",
    ),
    Parameter(
        "ka_leu_depot",
        calibrated_value("ka_leu_depot"),
        "1/day",
        "sustained release rate of the microsphere depot",
        Calibrated(
            target="LupronLabel plasma leuprolide 0.36 ng/mL at 4 weeks after 7.5 mg",
            start=0.0652,
            lower=0.005,
            upper=1.0,
            stage="restoration",
            refs=("LupronLabel",),
        ),
        group="drug:leuprolide",
    ),
    Parameter(
        "leu_potency",
        calibrated_value("leu_potency"),
        "1",
        "leuprolide occupancy of the GnRH receptor relative to gonadorelin, per ng",
        Calibrated(
            target="leuprolide 7.5 mg: castrate T by day 21 (LeuprolideCastration; target "
            "10); bounded below by 5.1 (Happ1978: 5 ug IV analog matched 25 ug IV GnRH, a "
            "saturated acute response) and above by 200 (rats: 20-60x GnRH for LH release, "
            "LeuprolideRat)",
            start=22.3,
            lower=5.1,
            upper=200.0,
            stage="restoration",
            refs=("LeuprolideCastration", "Happ1978", "LeuprolideRat"),
        ),
        group="drug:leuprolide",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_leu"] = p["CL_leu"] / p["ke_leu"]  # L
    p["frac_leu_sustained"] = 1.0 - p["frac_leu_burst"]


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"leu": s["leu"] / p["V_leu"]}  # ug / L = ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """GnRH-receptor agonist, gonadorelin-equivalent pg/mL (1000 pg per ng x potency)."""
    return {"gnrh_receptor_agonist_pg_ml": 1000.0 * p["leu_potency"] * c["leu"]}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """Burst and sustained-release fractions, both first order; plasma elimination."""
    return {
        "leu_burst": -p["ka_leu_burst"] * s["leu_burst"],
        "leu_depot": -p["ka_leu_depot"] * s["leu_depot"],
        "leu": p["ka_leu_burst"] * s["leu_burst"]
        + p["ka_leu_depot"] * s["leu_depot"]
        - p["ke_leu"] * s["leu"],
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"leuprolide_ng_ml": c["leu"]}


FAMILY = DrugFamily(
    name="leuprolide",
    order=60,
    specs=(
        DrugSpec(
            name="leuprolide",
            display_name="Leuprolide acetate depot",
            aliases=("leuprorelin", "leuprolide acetate", "Lupron", "Lupron Depot", "Eligard"),
            routes=("intramuscular", "subcutaneous"),
            dose_unit="mg",
            max_dose=45.0,
            max_weekly_dose=3.75,
            bound_source=(
                "Lupron Depot labels: 7.5 mg every month up to 45 mg every 6 months; "
                "weekly bound = 2x 7.5 mg per 4 weeks"
            ),
            formulation_max_dose=7.5,
            formulation_note=(
                "the 1-month depot, its release fitted to the Lupron Depot 7.5 mg label; the "
                "3-, 4- and 6-month depots (22.5, 30, 45 mg) release more slowly and are not "
                "modelled: given as one larger dose of this depot they would release within "
                "weeks"
            ),
        ),
    ),
    wiring=(
        DrugWiring(
            "leuprolide",
            (("leu_burst", "frac_leu_burst"), ("leu_depot", "frac_leu_sustained")),
            ("leuprolide_ng_ml",),
            "ug",
            fast=True,
            refine_hours=48.0,
        ),
    ),
    states=(
        State("leu_burst", "ug", "leuprolide depot, burst fraction", "leuprolide", Kind.LINEAR),
        State(
            "leu_depot",
            "ug",
            "leuprolide depot, sustained-release fraction",
            "leuprolide",
            Kind.LINEAR,
        ),
        State("leu", "ug", "leuprolide in plasma", "leuprolide", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
    parameters=PARAMETERS,
    citations=CITATIONS,
)
