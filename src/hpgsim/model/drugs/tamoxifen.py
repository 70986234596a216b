"""Tamoxifen: a selective estrogen-receptor modulator with an active metabolite, endoxifen.

Oral tamoxifen is absorbed at ``ka_tam`` and eliminated first order (mg in the body; ng/mL =
mg x 1000 / V_tam); endoxifen follows plasma tamoxifen at ``endox_ratio`` with rate
``k_endox``. Both bind the estrogen receptor competitively (affinity ``K_tam``, fitted;
endoxifen ``endox_rel_affinity`` times more per ng, Maximov 2014). Units: mg; endoxifen
ng/mL; time days.

At the liver tamoxifen is an estrogen agonist (it lowers IGF-I and raises SHBG in men:
BirznieceSERMMen): SHBG production rises by up to ``shbg_tam_emax`` in the share of hepatic
estrogen receptors that tamoxifen and endoxifen hold (their hypothalamic affinity is assumed
at the liver too).
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
    Assumption,
    Calibrated,
    Derived,
    Literature,
    Parameter,
    calibrated_value,
    rate_from_half_life,
    two_step_rate_for_tmax,
)
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY"]


CITATIONS: dict[str, str] = {
    "TamoxifenLabel": "tamoxifen label: 20 mg daily Css 122 ng/mL tamoxifen, 353 ng/mL "
    "N-desmethyl; t1/2 5-7 d and ~14 d; Tmax ~5 h (drugcentral); V/F ~1620 L (Swiss label)",
    "TamoxifenOligo": "Hormonal effects of tamoxifen in oligospermic men (Clin Endocrinol; "
    "scilit 7d97428c): 10 mg daily, 9 men: LH 1.7 -> 4.1 IU/L, androgens 25 -> 38 nmol/L, E2 "
    "185 -> 631 pmol/L",
    "Maximov2014": "ER relative binding affinity (E2 = 100): tamoxifen 2.8, endoxifen 181 "
    "(Maximov et al. 2014, PMID 25258390, as quoted by Wikipedia)",
    "Stearns2003": "Stearns V et al. JNCI 2003, PMID 14652237: endoxifen 12.4 ng/mL on "
    "tamoxifen (women)",
    "BirznieceSERMMen": "Birzniece et al.: Neuroendocrine regulation of growth "
    "hormone and androgen axes by selective estrogen receptor modulators in healthy men "
    "(Garvan Institute publication 10658): 10 healthy men, 2-wk sequential tamoxifen 10 and "
    "20 mg/d: SHBG +20 +/- 7 % at 20 mg/d, T +40 %, LH +70 %; IGF-I -25 % (hepatic agonism)",
    "TamoxifenProstate1982": "Rapid endocrine effects of tamoxifen and testolactone in "
    "prostatic carcinoma patients, Prostate 1982;3:589, PMID 7155991: tamoxifen 20 mg/day "
    "for 6 days induced SHBG production",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "V_tam",
        1620.0,
        "L",
        "tamoxifen apparent volume V/F",
        Literature(("TamoxifenLabel",), "TamoxifenLabel (Swiss label, terminal V2/F ~1620 L)"),
        group="drug:tamoxifen",
    ),
    Parameter(
        "CL_tam",
        20.0 / 122e-3,
        "L/day",
        "tamoxifen apparent clearance CL/F (t1/2 = 6.9 d with V/F, label 5-7 d)",
        Derived(
            "derived: 20 mg/day at a steady state of 122 ng/mL (TamoxifenLabel)",
            refs=("TamoxifenLabel",),
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "ka_tam",
        two_step_rate_for_tmax(20.0 / 122e-3 / 1620.0, 5.0 * HOUR_DAYS),
        "1/day",
        "tamoxifen oral absorption",
        Derived("derived: Tmax ~5 h (TamoxifenLabel)", refs=("TamoxifenLabel",)),
        group="drug:tamoxifen",
    ),
    Parameter(
        "endox_ratio",
        12.4 / 122.0,
        "1",
        "steady-state endoxifen / tamoxifen concentration ratio",
        Literature(
            ("Stearns2003", "TamoxifenLabel"),
            "Stearns2003 (12.4 ng/mL) / TamoxifenLabel (122 ng/mL)",
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "k_endox",
        rate_from_half_life(14.0),
        "1/day",
        "rate at which endoxifen follows tamoxifen (formation via N-desmethyltamoxifen)",
        Assumption(
            "assumption: the N-desmethyltamoxifen half-life (~14 d, TamoxifenLabel) limits it",
            refs=("TamoxifenLabel",),
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "K_tam",
        calibrated_value("K_tam"),
        "ng/mL",
        "plasma tamoxifen that doubles the estradiol needed for the same ER signal",
        Calibrated(
            target="TamoxifenOligo: 10 mg daily, LH 1.7 -> 4.1 IU/L and androgens 25 -> 38 nmol/L",
            start=307.0,
            lower=1.0,
            upper=1e5,
            stage="restoration",
            refs=("TamoxifenOligo",),
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "endox_rel_affinity",
        181.0 / 2.8 * 371.5 / 373.5,
        "1",
        "endoxifen ER affinity relative to tamoxifen, per ng",
        Derived("Maximov2014 (RBA 181 vs 2.8) x molar mass ratio", refs=("Maximov2014",)),
        group="drug:tamoxifen",
    ),
    Parameter(
        "shbg_tam_emax",
        calibrated_value("shbg_tam_emax"),
        "1",
        "largest fractional rise of hepatic SHBG production by tamoxifen's (and endoxifen's) "
        "estrogen-receptor agonism at the liver (Emax in the share of hepatic ER they hold, "
        "with their hypothalamic affinity K_tam)",
        Calibrated(
            target="target_birzniece_tamoxifen: SHBG +20 +/- 7 % on tamoxifen 20 mg/d in "
            "healthy men (BirznieceSERMMen); tamoxifen 20 mg/day induced SHBG within 6 days in "
            "men with prostate cancer (TamoxifenProstate1982)",
            start=0.5,
            lower=0.01,
            upper=3.0,
            stage="restoration",
            refs=("BirznieceSERMMen", "TamoxifenProstate1982"),
        ),
        group="drug:tamoxifen",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["ke_tam"] = p["CL_tam"] / p["V_tam"]  # 1/day


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"tam": s["tam"] * 1000.0 / p["V_tam"], "endox": s["endox"]}  # ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Competitive ER ligands: tamoxifen plus endoxifen at its relative affinity; at the liver
    an agonist, raising SHBG production in the share of ER the two hold."""
    ratio = (c["tam"] + p["endox_rel_affinity"] * c["endox"]) / p["K_tam"]
    return {
        "er_competitor_ratio": ratio,
        "hepatic_er_agonist": p["shbg_tam_emax"] * ratio / (1.0 + ratio),
    }


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
            aliases=("tamoxifen citrate", "Nolvadex", "Soltamox"),
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
    parameters=PARAMETERS,
    citations=CITATIONS,
)
