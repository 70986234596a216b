"""Testosterone products: intramuscular and subcutaneous esters (cypionate, enanthate,
undecanoate) and the transdermal gel.

Each ester dose enters an oil depot in nmol of testosterone (ester mass x testosterone mass
fraction / molar mass) and is absorbed in two first-order steps (``ka1``, ``ka2``; fitted to
the ester's published time courses, see the parameter table) into its own serum pool. Gel
doses enter a skin reservoir (``F_gel`` absorbed, AndroGel label) absorbed at ``ka_gel``. Each
product's serum pool is cleared like endogenous testosterone (the axis's clearance at the
current binding plus uptake into the testis), so total serum T is endogenous plus the pools.
Units: depots nmol; serum pools nmol/L; time days.
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
from hpgsim.units import T_NG_DL_PER_NMOL_L

__all__ = ["ESTERS", "FAMILY", "PRODUCTS"]

ESTERS: tuple[str, ...] = ("cypionate", "enanthate", "undecanoate")
PRODUCTS: tuple[str, ...] = (*ESTERS, "gel")
_NG_ML_PER_NMOL_L = T_NG_DL_PER_NMOL_L / 100.0

_TESTOSTERONE_ESTER_RULE = "bound = 2x the label's highest average rate (400 mg/2 wk)"

_SPECS = (
    DrugSpec(
        name="testosterone_cypionate",
        display_name="Testosterone cypionate",
        routes=("intramuscular", "subcutaneous"),
        dose_unit="mg",
        max_dose=400.0,
        max_weekly_dose=400.0,
        bound_source=(
            "Depo-Testosterone label: 50-400 mg every 2-4 weeks; " + _TESTOSTERONE_ESTER_RULE
        ),
        androgen_interval_days=14.0,  # label: every 2-4 weeks (the shortest)
    ),
    DrugSpec(
        name="testosterone_enanthate",
        display_name="Testosterone enanthate",
        routes=("intramuscular", "subcutaneous"),
        dose_unit="mg",
        max_dose=400.0,
        max_weekly_dose=400.0,
        bound_source=(
            "Delatestryl/Xyosted labels: 50-400 mg every 2-4 weeks IM "
            "(Xyosted 50-100 mg SC weekly); " + _TESTOSTERONE_ESTER_RULE
        ),
        androgen_interval_days=14.0,  # label: every 2-4 weeks IM (the shortest)
    ),
    DrugSpec(
        name="testosterone_undecanoate",
        display_name="Testosterone undecanoate",
        routes=("intramuscular",),
        dose_unit="mg",
        max_dose=1000.0,
        max_weekly_dose=200.0,
        bound_source=(
            "Nebido SmPC 1000 mg every 10-14 weeks (6-week loading interval); "
            "Aveed label 750 mg at 0, 4 wk then every 10 wk; the weekly bound "
            "(200 mg/wk) admits the labels' loading intervals (Aveed 750 mg/4 wk = "
            "188 mg/wk)"
        ),
        androgen_interval_days=70.0,  # Aveed: every 10 weeks after loading
    ),
    DrugSpec(
        name="testosterone_gel",
        display_name="Testosterone gel (1%)",
        routes=("transdermal",),
        dose_unit="mg",
        max_dose=100.0,
        max_weekly_dose=700.0,
        bound_source="AndroGel 1% label: 50-100 mg testosterone applied daily",
        androgen_interval_days=1.0,  # daily
    ),
)

_WIRING = (
    DrugWiring(
        "testosterone_cypionate",
        (("dep_cypionate_1", None),),
        ("testosterone_cypionate_ng_ml",),
        "nmol_testosterone",
        "frac_T_cypionate",
        {"subcutaneous": "F_sc_rel"},
    ),
    DrugWiring(
        "testosterone_enanthate",
        (("dep_enanthate_1", None),),
        ("testosterone_enanthate_ng_ml",),
        "nmol_testosterone",
        "frac_T_enanthate",
        {"subcutaneous": "F_sc_rel"},
    ),
    DrugWiring(
        "testosterone_undecanoate",
        (("dep_undecanoate_1", None),),
        ("testosterone_undecanoate_ng_ml",),
        "nmol_testosterone",
        "frac_T_undecanoate",
    ),
    DrugWiring(
        "testosterone_gel",
        (("dep_gel", None),),
        ("testosterone_gel_ng_ml",),
        "nmol_testosterone",
        None,
        {"transdermal": "F_gel"},
    ),
)

_STATES = (
    *(
        State(
            f"t_{q}", "nmol/L", f"serum testosterone delivered by the {q} product", "testosterone"
        )
        for q in PRODUCTS
    ),
    *(
        State(
            f"dep_{e}_{step}",
            "nmol",
            f"{e} IM oil depot, absorption step {step} (nmol of testosterone)",
            "testosterone",
            Kind.LINEAR,
        )
        for e in ESTERS
        for step in (1, 2)
    ),
    State(
        "dep_gel", "nmol", "gel skin reservoir (nmol of testosterone)", "testosterone", Kind.LINEAR
    ),
)


def _derived(p: dict[str, Any]) -> None:
    """No derived constants: the pools use the axis's testosterone volume ``V_T``."""


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {q: s[f"t_{q}"] for q in PRODUCTS}  # nmol/L


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Serum testosterone from the products (nmol/L), added to the endogenous pool."""
    return {"serum_testosterone_nmol_l": sum((c[q] for q in PRODUCTS), start=0.0)}  # type: ignore[dict-item]


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """Ester depots: two first-order steps (Nankin 1987 and WHO TE time courses, ka fitted);
    gel: skin reservoir absorbed at ka_gel (AndroGel label); each serum pool is cleared as
    endogenous T (the axis's loss rate)."""
    dxdt: dict[str, jax.Array] = {}
    loss = axis.serum_t_loss_per_day
    for e in ESTERS:
        dep1, dep2 = s[f"dep_{e}_1"], s[f"dep_{e}_2"]
        dxdt[f"dep_{e}_1"] = -p[f"ka1_{e}"] * dep1
        dxdt[f"dep_{e}_2"] = p[f"ka1_{e}"] * dep1 - p[f"ka2_{e}"] * dep2
        dxdt[f"t_{e}"] = p[f"ka2_{e}"] * dep2 / p["V_T"] - loss * s[f"t_{e}"]
    dxdt["dep_gel"] = -p["ka_gel"] * s["dep_gel"]
    dxdt["t_gel"] = p["ka_gel"] * s["dep_gel"] / p["V_T"] - loss * s["t_gel"]
    return dxdt


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Serum testosterone delivered by each product, ng/mL."""
    return {f"testosterone_{q}_ng_ml": c[q] * _NG_ML_PER_NMOL_L for q in PRODUCTS}


FAMILY = DrugFamily(
    name="testosterone",
    order=10,
    specs=_SPECS,
    wiring=_WIRING,
    states=_STATES,
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
)
