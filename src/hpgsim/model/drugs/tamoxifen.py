"""Tamoxifen: a selective estrogen-receptor modulator with an active metabolite, endoxifen.

Oral tamoxifen is absorbed at ``ka_tam`` and eliminated first order (mg in the body; ng/mL =
mg x 1000 / V_tam); endoxifen follows plasma tamoxifen at ``endox_ratio`` with rate
``k_endox``. Both bind the estrogen receptor competitively (affinity ``K_tam``, fitted;
endoxifen ``endox_rel_affinity`` times more per ng, Maximov 2014). Units: mg; endoxifen
ng/mL; time days.
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
    p["ke_tam"] = p["CL_tam"] / p["V_tam"]  # 1/day


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"tam": s["tam"] * 1000.0 / p["V_tam"], "endox": s["endox"]}  # ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Competitive ER ligands: tamoxifen plus endoxifen at its relative affinity."""
    return {"er_competitor_ratio": (c["tam"] + p["endox_rel_affinity"] * c["endox"]) / p["K_tam"]}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """Oral absorption, first-order elimination; endoxifen follows plasma tamoxifen."""
    return {
        "tam_gut": -p["ka_tam"] * s["tam_gut"],
        "tam": p["ka_tam"] * s["tam_gut"] - p["ke_tam"] * s["tam"],
        "endox": p["k_endox"] * (p["endox_ratio"] * c["tam"] - s["endox"]),
    }


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    return {"tamoxifen_ng_ml": c["tam"], "endoxifen_ng_ml": c["endox"]}


FAMILY = DrugFamily(
    name="tamoxifen",
    order=40,
    specs=(
        DrugSpec(
            name="tamoxifen",
            display_name="Tamoxifen citrate",
            routes=("oral",),
            dose_unit="mg",
            max_dose=40.0,
            max_weekly_dose=560.0,
            bound_source="Nolvadex label: 20-40 mg daily; weekly bound = 2x 40 mg daily",
        ),
    ),
    wiring=(
        DrugWiring("tamoxifen", (("tam_gut", None),), ("tamoxifen_ng_ml", "endoxifen_ng_ml"), "mg"),
    ),
    states=(
        State("tam_gut", "mg", "tamoxifen in the gut", "tamoxifen", Kind.LINEAR),
        State("tam", "mg", "tamoxifen in the body", "tamoxifen", Kind.LINEAR),
        State("endox", "ng/mL", "endoxifen in plasma", "tamoxifen", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
)
