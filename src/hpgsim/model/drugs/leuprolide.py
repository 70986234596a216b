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
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


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
            routes=("intramuscular", "subcutaneous"),
            dose_unit="mg",
            max_dose=45.0,
            max_weekly_dose=3.75,
            bound_source=(
                "Lupron Depot labels: 7.5 mg every month up to 45 mg every 6 months; "
                "weekly bound = 2x 7.5 mg per 4 weeks"
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
)
