"""Clomiphene citrate and enclomiphene: selective estrogen-receptor modulators.

Clomiphene citrate is a mixture of two isomers (``frac_enclomiphene``,
``frac_zuclomiphene``); enclomiphene is given alone too. Each isomer is absorbed from the gut at
``ka_serm`` and eliminated first order (mg in the body; ng/mL = mg x 1000 / V). Both bind the
hypothalamic-pituitary estrogen receptor competitively with affinity ``K_enc`` (Gaddum: each
divides estradiol's potency by 1 + C/K), lifting estradiol's negative feedback; zuclomiphene
also signals as a partial agonist with efficacy ``a_zuc``. Units: mg; time days.
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
    p["V_enc"] = p["CL_enc"] / p["ke_enc"]  # L
    p["V_zuc"] = p["CL_zuc"] / p["ke_zuc"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {
        "enc": s["enc"] * 1000.0 / p["V_enc"],  # mg / L -> ng/mL
        "zuc": s["zuc"] * 1000.0 / p["V_zuc"],
    }


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Competitive ER ligands (C/K each); zuclomiphene's partial agonism."""
    c_enc = c["enc"] / p["K_enc"]
    c_zuc = c["zuc"] / p["K_enc"]
    return {"er_competitor_ratio": c_enc + c_zuc, "er_agonist": p["a_zuc"] * c_zuc}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """Oral absorption and first-order elimination of each isomer."""
    return {
        "enc_gut": -p["ka_serm"] * s["enc_gut"],
        "enc": p["ka_serm"] * s["enc_gut"] - p["ke_enc"] * s["enc"],
        "zuc_gut": -p["ka_serm"] * s["zuc_gut"],
        "zuc": p["ka_serm"] * s["zuc_gut"] - p["ke_zuc"] * s["zuc"],
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"enclomiphene_ng_ml": c["enc"], "zuclomiphene_ng_ml": c["zuc"]}


FAMILY = DrugFamily(
    name="clomiphene",
    order=30,
    specs=(
        DrugSpec(
            name="clomiphene_citrate",
            display_name="Clomiphene citrate",
            routes=("oral",),
            dose_unit="mg",
            max_dose=150.0,
            max_weekly_dose=700.0,
            bound_source=(
                "Clomid label: 50-150 mg daily for 5 days per cycle; in men 12.5-50 mg daily "
                "off-label (Katz 2012, Shabsigh 2005); weekly bound = 2x 50 mg daily"
            ),
        ),
        DrugSpec(
            name="enclomiphene",
            display_name="Enclomiphene citrate",
            routes=("oral",),
            dose_unit="mg",
            max_dose=50.0,
            max_weekly_dose=350.0,
            bound_source=(
                "phase II/III trials 12.5-25 mg daily (Wiehle 2014, PMID 25044085); "
                "bound = 2x 25 mg daily"
            ),
        ),
    ),
    wiring=(
        DrugWiring(
            "clomiphene_citrate",
            (("enc_gut", "frac_enclomiphene"), ("zuc_gut", "frac_zuclomiphene")),
            ("enclomiphene_ng_ml", "zuclomiphene_ng_ml"),
            "mg",
            sharp_onset=True,
        ),
        DrugWiring(
            "enclomiphene", (("enc_gut", None),), ("enclomiphene_ng_ml",), "mg", sharp_onset=True
        ),
    ),
    states=(
        State("enc_gut", "mg", "enclomiphene in the gut", "clomiphene", Kind.LINEAR),
        State("enc", "mg", "enclomiphene in the body", "clomiphene", Kind.LINEAR),
        State("zuc_gut", "mg", "zuclomiphene in the gut", "clomiphene", Kind.LINEAR),
        State("zuc", "mg", "zuclomiphene in the body", "clomiphene", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
)
