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
)
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


def _derived(p: dict[str, Any]) -> None:
    p["V_ana"] = p["CL_ana"] / p["ke_ana"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"ana": s["ana"]}  # ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Aromatase activity left: 1 - Imax C / (IC50 + C)."""
    inhibition = p["Imax_ana"] * c["ana"] / (p["IC50_ana"] + c["ana"])
    return {"aromatase_activity": 1.0 - inhibition}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """First-order oral absorption and elimination (Mauras 2009; ArimidexLabel Tmax)."""
    return {
        "ana_gut": -p["ka_ana"] * s["ana_gut"],
        "ana": p["ka_ana"] * s["ana_gut"] * 1000.0 / p["V_ana"] - p["ke_ana"] * s["ana"],
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"anastrozole_ng_ml": c["ana"]}


FAMILY = DrugFamily(
    name="anastrozole",
    order=20,
    specs=(
        DrugSpec(
            name="anastrozole",
            display_name="Anastrozole",
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
        DrugWiring("anastrozole", (("ana_gut", None),), ("anastrozole_ng_ml",), "mg", fast=True),
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
)
