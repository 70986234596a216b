"""Clomiphene citrate and enclomiphene: selective estrogen-receptor modulators.

Clomiphene citrate is a mixture of two isomers (``frac_enclomiphene``,
``frac_zuclomiphene``); enclomiphene is given alone too. Each isomer is absorbed from the gut at
``ka_serm`` and eliminated first order (mg in the body; ng/mL = mg x 1000 / V). Both bind the
hypothalamic-pituitary estrogen receptor competitively with affinity ``K_enc`` (Gaddum: each
divides estradiol's potency by 1 + C/K), lifting estradiol's negative feedback; zuclomiphene
also signals as a partial agonist with efficacy ``a_zuc``. Units: mg; time days.
"""

from __future__ import annotations

import math
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
    "Ghobadi": "Ghobadi C et al. PAGE abstract 1420: clomiphene is 62% En- and 38% Zu-isomer",
    "Young1991": "Young RL et al. Int J Fertil 1991;36:291, PMID 1683658: zuclomiphene is "
    "estrogenic (LH suppression Zu >> CC >> estradiol in castrate rats)",
    "Miller2019": "Miller GD et al. JCEM 2019, PMID 30295816: 12 healthy men 25-38 y, "
    "clomiphene 50 mg daily for 30 days: T +146%, LH +177%, FSH +170%",
    "Kaminetsky2013": "enclomiphene 12.5-50 mg daily for 14 d in men with low T: rapidly "
    "absorbed, elimination t1/2 about 10 h (J Sex Med 2013 abstract)",
    "Helo2017": "Helo S et al. BJU Int 2017, PMID 27511863: 15 hypogonadal men on clomiphene 25 "
    "mg daily (median 25.9 mo): ENC 2.2, ZUC 44.0 ng/mL (medians); T 205 -> 488 ng/dL, E2 17 "
    "-> 34 pg/mL, LH 4.0 -> 6.1 IU/L",
    "ClomidLabel": "clomiphene SmPC (rxreasoner): 14C excretion 0.73%/day of the dose at days "
    "31-35 and 0.45%/day at days 42-45",
    "ClomipheneSHBG1981": "Effect of clomiphene citrate on SHBG in 10 oligozoospermic men with "
    "varicocele (abstract, discovery.researcher.life): SHBG 38.1 +/- 18.3 -> 54.3 +/- 16.0 "
    "nmol/L, T 31.2 -> 52.0 nmol/L, E2 24.6 -> 43.3 pg/mL; 'CC causes an increase of SHBG'",
    "ClomipheneSHBG_JEndocrinol": "clomiphene 3 mg/kg/day for 10 days in 9 normal men "
    "(J Endocrinol 53(2)): SHBG binding rose, an 'oestrogen-like effect in stimulating "
    "production of steroid-binding globulins'",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "frac_enclomiphene",
        0.62,
        "1",
        "enclomiphene (trans) fraction of clomiphene citrate",
        Literature(("Ghobadi",), "Ghobadi"),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "frac_zuclomiphene",
        0.38,
        "1",
        "zuclomiphene (cis) fraction of clomiphene citrate",
        Literature(("Ghobadi",), "Ghobadi"),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "ke_enc",
        rate_from_half_life(10.0 * HOUR_DAYS),
        "1/day",
        "enclomiphene elimination",
        Literature(("Kaminetsky2013",), "Kaminetsky2013 (t1/2 about 10 h)"),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "CL_enc",
        0.62 * 25.0 / 2.2e-3,
        "L/day",
        "enclomiphene apparent clearance CL/F",
        Derived(
            "derived: 15.5 mg/day of enclomiphene (25 mg clomiphene) at a steady state of 2.2 "
            "ng/mL (Helo2017)",
            refs=("Helo2017",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "ke_zuc",
        math.log(0.73 / 0.45) / 10.5,
        "1/day",
        "zuclomiphene elimination (t1/2 ~15 d)",
        Derived(
            "derived: 14C excretion fell from 0.73 to 0.45 %/day between days 33 and 43.5 "
            "(ClomidLabel); the slow tail is zuclomiphene's",
            refs=("ClomidLabel",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "CL_zuc",
        0.38 * 25.0 / 44.0e-3,
        "L/day",
        "zuclomiphene apparent clearance CL/F",
        Derived(
            "derived: 9.5 mg/day of zuclomiphene at a steady state of 44 ng/mL (Helo2017)",
            refs=("Helo2017",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "ka_serm",
        two_step_rate_for_tmax(rate_from_half_life(10.0 * HOUR_DAYS), 3.0 * HOUR_DAYS),
        "1/day",
        "oral absorption of clomiphene isomers and enclomiphene",
        Assumption(
            "assumption: Tmax 3 h ('rapidly absorbed', Kaminetsky2013)", refs=("Kaminetsky2013",)
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "K_enc",
        calibrated_value("K_enc"),
        "ng/mL",
        "plasma enclomiphene that doubles the estradiol needed for the same hypothalamic-"
        "pituitary ER signal (competitive antagonism, Gaddum/Schild)",
        Calibrated(
            target="Miller2019: clomiphene 50 mg daily for 30 days in healthy men, T +146%, "
            "LH +177%, FSH +170% (target 8)",
            start=0.0101,
            lower=0.01,
            upper=100.0,
            stage="restoration",
            refs=("Miller2019",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "a_zuc",
        0.0,
        "1",
        "intrinsic ER agonism of zuclomiphene, in units of the reference man's estradiol signal "
        "per unit of occupancy ratio (0 = pure antagonist); its affinity is taken equal to "
        "enclomiphene's (K_enc): no affinity of either isomer was found, both bind ER (Young1991)",
        Assumption(
            "assumption: 0. Zuclomiphene is estrogenic in castrate rats (Young1991), but men on "
            "clomiphene at steady state (ZUC 20x ENC) still double T (Helo2017), which any agonism "
            "comparable to their own low estradiol would reverse; no human value was found",
            refs=("Young1991", "Helo2017"),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "shbg_zuc_emax",
        calibrated_value("shbg_zuc_emax"),
        "1",
        "largest fractional rise of hepatic SHBG production by zuclomiphene's estrogen-"
        "receptor agonism at the liver (Emax; occupancy with enclomiphene's affinity K_enc); "
        "enclomiphene is taken as a pure antagonist there as at the hypothalamus",
        Calibrated(
            target="target8_clomiphene_shbg: SHBG 38.1 -> 54.3 nmol/L on clomiphene "
            "(ClomipheneSHBG1981); the liver's answer is agonism though the hypothalamic-"
            "pituitary one is not (a_zuc = 0; tissue selectivity): SHBG rises on clomiphene "
            "(ClomipheneSHBG_JEndocrinol), while lowering men's own estradiol by 40-50 % with "
            "an aromatase inhibitor left SHBG unchanged (de Boer 2005, Diabetes Obes Metab "
            "7:211; Martikainen 1985, Fertil Steril 43:793): the model's SHBG answers the "
            "drug's hepatic agonism, not estradiol",
            start=0.5,
            lower=0.01,
            upper=3.0,
            stage="restoration",
            refs=("ClomipheneSHBG1981", "ClomipheneSHBG_JEndocrinol"),
        ),
        group="drug:clomiphene_citrate",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    p["V_enc"] = p["CL_enc"] / p["ke_enc"]  # L
    p["V_zuc"] = p["CL_zuc"] / p["ke_zuc"]  # L


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {
        "enc": s["enc"] * 1000.0 / p["V_enc"],  # mg / L -> ng/mL
        "zuc": s["zuc"] * 1000.0 / p["V_zuc"],
    }


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """Competitive ER ligands (C/K each); zuclomiphene's partial agonism at the hypothalamus
    and pituitary (``a_zuc``) and at the liver (SHBG production, an Emax in the share of hepatic
    ER it holds against enclomiphene)."""
    c_enc = c["enc"] / p["K_enc"]
    c_zuc = c["zuc"] / p["K_enc"]
    return {
        "er_competitor_ratio": c_enc + c_zuc,
        "er_agonist": p["a_zuc"] * c_zuc,
        "hepatic_er_agonist": p["shbg_zuc_emax"] * c_zuc / (1.0 + c_enc + c_zuc),
    }


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
            aliases=("clomiphene", "clomifene", "Clomid", "Serophene"),
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
            aliases=("enclomiphene citrate", "enclomifene", "Androxal"),
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
    parameters=PARAMETERS,
    citations=CITATIONS,
)
