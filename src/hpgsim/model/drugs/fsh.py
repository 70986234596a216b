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
from hpgsim.model.parameter_records import HOUR_DAYS, Literature, Parameter, rate_from_half_life
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


CITATIONS: dict[str, str] = {
    "leCotonnec1993": "le Cotonnec JY et al. Hum Reprod 1993;8:1604, PMID 8300814: urinary FSH "
    "150 IU IM/SC in 12 men, absorption t1/2 ~3 h",
    "GonalF": "Gonal-f (follitropin alfa) SmPC: CL 0.6 L/h, Vss 10 L, SC bioavailability ~70% "
    "(rxreasoner); SC t1/2 32-41 h in healthy men (Lexicomp via medicine.com)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "CL_fsh",
        0.6 * 24.0,
        "L/day",
        "FSH clearance",
        Literature(("GonalF",), "GonalF (0.6 L/h)"),
        group="drug:fsh",
    ),
    Parameter(
        "ke_fsh",
        rate_from_half_life(36.0 * HOUR_DAYS),
        "1/day",
        "apparent elimination of injected FSH",
        Literature(("GonalF",), "GonalF (SC t1/2 32-41 h in healthy men; midpoint)"),
        group="drug:fsh",
    ),
    Parameter(
        "ka_fsh",
        rate_from_half_life(3.0 * HOUR_DAYS),
        "1/day",
        "absorption of an SC or IM FSH dose",
        Literature(("leCotonnec1993",), "leCotonnec1993 (absorption t1/2 ~3 h)"),
        group="drug:fsh",
    ),
    Parameter(
        "F_fsh_sc",
        0.70,
        "1",
        "bioavailability of SC (or IM) FSH",
        Literature(
            ("GonalF", "leCotonnec1993"),
            "GonalF (~70%); leCotonnec1993 found ~100% for urinary FSH",
        ),
        group="drug:fsh",
    ),
)
"""This family's rows of the parameter table."""


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
            aliases=(
                "follitropin",
                "follitropin alfa",
                "follitropin beta",
                "urofollitropin",
                "Gonal-f",
                "Follistim",
            ),
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
    parameters=PARAMETERS,
    citations=CITATIONS,
)
