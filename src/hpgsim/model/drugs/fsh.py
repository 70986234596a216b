"""Injected follicle-stimulating hormone (recombinant or urinary FSH).

A dose enters the injection site (``F_fsh_sc`` absorbed), is absorbed first order into serum
(IU; IU/L = IU / V) and eliminated at ``ke_fsh``. It acts on the Sertoli cell's FSH receptor
as endogenous FSH does, and FSH immunoassays read it too. Units: IU; time days.
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
    p["V_fsh"] = p["CL_fsh"] / p["ke_fsh"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"fsh_drug": s["fsh_drug"] / p["V_fsh"]}  # IU/L


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """FSH-receptor agonist (and what an FSH immunoassay reads besides endogenous FSH)."""
    return {"fsh_receptor_agonist_iu_l": c["fsh_drug"]}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """First-order absorption from the injection site; first-order elimination."""
    return {
        "fsh_depot": -p["ka_fsh"] * s["fsh_depot"],
        "fsh_drug": p["ka_fsh"] * s["fsh_depot"] - p["ke_fsh"] * s["fsh_drug"],
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"fsh_drug_iu_l": c["fsh_drug"]}


FAMILY = DrugFamily(
    name="fsh",
    order=80,
    specs=(
        DrugSpec(
            name="fsh",
            display_name="Follicle-stimulating hormone (recombinant or urinary)",
            routes=("subcutaneous", "intramuscular"),
            dose_unit="IU",
            max_dose=450.0,
            max_weekly_dose=1800.0,
            bound_source=(
                "Gonal-f label (men): 150-300 IU two to three times weekly; bound = 2x "
                "300 IU three times weekly"
            ),
        ),
    ),
    wiring=(
        DrugWiring(
            "fsh",
            (("fsh_depot", None),),
            ("fsh_drug_iu_l",),
            "IU",
            route_bioavailability={"subcutaneous": "F_fsh_sc", "intramuscular": "F_fsh_sc"},
        ),
    ),
    states=(
        State("fsh_depot", "IU", "injected FSH at the injection site", "fsh", Kind.LINEAR),
        State("fsh_drug", "IU", "injected FSH in serum", "fsh", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
)
