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
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


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
)
