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
from hpgsim.model.parameter_records import (
    Calibrated,
    Derived,
    Literature,
    Parameter,
    calibrated_value,
    rate_from_half_life,
    two_step_rate_for_tmax,
)
from hpgsim.model.states import Kind, State, StateView
from hpgsim.units import T_NG_ML_PER_NMOL_L

__all__ = ["ESTERS", "FAMILY", "PRODUCTS"]

ESTERS: tuple[str, ...] = ("cypionate", "enanthate", "undecanoate")
PRODUCTS: tuple[str, ...] = (*ESTERS, "gel")

_TESTOSTERONE_ESTER_RULE = "bound = 2x the label's highest average rate (400 mg/2 wk)"

_SPECS = (
    DrugSpec(
        name="testosterone_cypionate",
        display_name="Testosterone cypionate",
        aliases=("Depo-Testosterone", "testosterone cypionate", "test cyp", "TC"),
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
        aliases=("Xyosted", "Delatestryl", "testosterone enanthate", "test e", "TE"),
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
        aliases=("Aveed", "Nebido", "testosterone undecanoate", "TU"),
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
        aliases=("AndroGel", "Testim", "testosterone gel"),
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


CITATIONS: dict[str, str] = {
    "NebidoTU": "Testosterone undecanoate IM: terminal t1/2 33.9 d in castor oil "
    "(mdwiki.org/wiki/Testosterone_undecanoate); Tmax 7 d for Nebido 1000 mg (PMC10072151 "
    "table 3)",
    "Nankin1987": "Nankin HR. Hormone kinetics after intramuscular testosterone cypionate. "
    "Fertil Steril 1987;47(6):1004-9",
    "SCvsIM": "SC vs IM testosterone in transgender men, crossover pilot (14 men): "
    "dose-normalised AUC 1.7 (SC) vs 1.9 (IM) nmol*day/L/mg",
    "AndroGelLabel": "AndroGel 1% prescribing information (NDA 21-015): about 10% of the "
    "applied dose absorbed over 24 h",
    "Swerdloff2000": "Swerdloff RS et al. Long-term pharmacokinetics of transdermal testosterone "
    "gel in hypogonadal men (steady state 48-72 h; bioavailability 9-14%)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

_TU_SLOW = rate_from_half_life(33.9)  # 1/day: terminal t1/2 33.9 d (NebidoTU)

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "frac_T_cypionate",
        288.42 / 412.6,
        "1",
        "testosterone mass per mg of cypionate",
        Literature(("PubChem",), "PubChem"),
        group="drug:testosterone_cypionate",
    ),
    Parameter(
        "ka1_cypionate",
        calibrated_value("ka1_cypionate"),
        "1/day",
        "release from the IM oil depot (first step)",
        Calibrated(
            target="Nankin1987 TC 200 mg: T peak "
            "~3x on days 2-5, near baseline by day 13-14 (target 2)",
            start=0.5,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Nankin1987",),
        ),
        group="drug:testosterone_cypionate",
    ),
    Parameter(
        "ka2_cypionate",
        calibrated_value("ka2_cypionate"),
        "1/day",
        "ester hydrolysis / second absorption step",
        Calibrated(
            target="Nankin1987 (target 2)",
            start=0.12,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Nankin1987",),
        ),
        group="drug:testosterone_cypionate",
    ),
    Parameter(
        "frac_T_enanthate",
        288.42 / 400.6,
        "1",
        "testosterone mass per mg of enanthate",
        Literature(("PubChem",), "PubChem"),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "ka1_enanthate",
        calibrated_value("ka1_enanthate"),
        "1/day",
        "release from the IM oil depot (first step)",
        Calibrated(
            target="Bhasin2001 nadir T at 25-600 mg/wk (target 3)",
            start=0.25,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Bhasin2001",),
        ),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "ka2_enanthate",
        calibrated_value("ka2_enanthate"),
        "1/day",
        "second absorption step",
        Calibrated(
            target="Bhasin2001 (target 3)",
            start=0.25,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Bhasin2001",),
        ),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "F_sc_rel",
        1.7 / 1.9,
        "1",
        "SC bioavailability relative to IM for T esters",
        Literature(("SCvsIM",), "SCvsIM (AUC 1.7 vs 1.9 nmol*day/L/mg)"),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "frac_T_undecanoate",
        288.42 / 456.7,
        "1",
        "testosterone mass per mg of undecanoate",
        Literature(("PubChem",), "PubChem"),
        group="drug:testosterone_undecanoate",
    ),
    Parameter(
        "ka2_undecanoate",
        _TU_SLOW,
        "1/day",
        "slow (terminal) absorption of TU in castor oil",
        Literature(("NebidoTU",), "NebidoTU (terminal t1/2 33.9 d)"),
        group="drug:testosterone_undecanoate",
    ),
    Parameter(
        "ka1_undecanoate",
        two_step_rate_for_tmax(_TU_SLOW, 7.0),
        "1/day",
        "fast absorption step of TU",
        Derived("derived: Tmax 7 d with the terminal rate (NebidoTU)", refs=("NebidoTU",)),
        group="drug:testosterone_undecanoate",
    ),
    Parameter(
        "F_gel",
        0.10,
        "1",
        "fraction of applied gel testosterone absorbed",
        Literature(
            ("AndroGelLabel", "Swerdloff2000"), "AndroGelLabel (~10%); Swerdloff2000 (9-14%)"
        ),
        group="drug:testosterone_gel",
    ),
    Parameter(
        "ka_gel",
        1.2,
        "1/day",
        "absorption from the skin reservoir",
        Derived(
            "derived: steady state within 48-72 h of daily application (Swerdloff2000) -> 95% by "
            "2.5 d",
            refs=("Swerdloff2000",),
        ),
        group="drug:testosterone_gel",
    ),
)
"""This family's rows of the parameter table."""


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
    return {f"testosterone_{q}_ng_ml": c[q] * T_NG_ML_PER_NMOL_L for q in PRODUCTS}


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
    parameters=PARAMETERS,
    citations=CITATIONS,
    sexes=("male", "female"),
)
