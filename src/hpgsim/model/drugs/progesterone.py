"""Oral micronized progesterone (Prometrium, Utrogestan): the woman's model only.

Oral doses enter the gut whole (mg; oral bioavailability is a few per cent, Simon 1993, so the
clearance and volume are apparent, CL/F and V/F), are absorbed at ``ka_p4`` into plasma (ng/mL)
and eliminated at ``ke_p4``. The numbers describe serum progesterone as LC-MS/MS measures it
(Levine & Watson 2000): after oral dosing, immunoassays read about eight times higher, because
the liver's first pass makes large amounts of 5-alpha and 5-beta reduced metabolites that they
cross-react with; the label's table (17.3 ng/mL peak after 100 mg) is such an immunoassay
reading, and the model is not fitted to it (docs/women.md says more).

The family has no effect on the sites the model's other mechanisms read: progesterone does not
change testosterone, SHBG or estradiol at these doses in the model. In the woman's table its
column ``progesterone_ng_ml`` is serum progesterone, her own plus the product's
(:mod:`hpgsim.model.woman`). Not modelled: the food effect (about x2 with a standard meal, Simon
1993; x7 in AUC with a high-fat meal, Qin 2022), the between-woman spread (Cmax CV about 100 %),
enterohepatic recycling. Units: gut mg; plasma ng/mL; time days.
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
    oral_first_order,
)
from hpgsim.model.parameter_records import (
    HOUR_DAYS,
    Assumption,
    Derived,
    Parameter,
    rate_from_half_life,
    two_step_rate_for_tmax,
)
from hpgsim.model.states import Kind, State, StateView

__all__ = ["FAMILY", "LEVINE_AUC_PER_MG"]


CITATIONS: dict[str, str] = {
    "LevineWatson2000": "Levine H, Watson N. Comparison of the pharmacokinetics of Crinone 8% "
    "administered vaginally versus Prometrium administered orally in postmenopausal women. "
    "Fertil Steril 2000;73(3):516-21 (6 women, 100 mg oral, LC-MS: Cmax 2.20 +/- 3.06 ng/mL, "
    "Tmax 1.00 +/- 0.41 h, AUC(0-24)/dose 0.035 +/- 0.0052 ng*h/mL per mg; direct RIA about "
    "8-fold higher)",
    "PrometriumLabel": "Prometrium (progesterone, USP) capsules, US prescribing information: "
    "Table 1, postmenopausal women after five daily doses: Cmax 17.3 +/- 21.9, 38.1 +/- 37.8, "
    "60.6 +/- 72.5 ng/mL; Tmax 1.5 +/- 0.8, 2.3 +/- 1.4, 1.7 +/- 0.6 h; AUC(0-10) 43.3 +/- "
    "30.8, 101.2 +/- 66.0, 175.7 +/- 170.3 ng*h/mL at 100, 200, 300 mg (assay not stated); "
    "dose-proportional; 96-99 % protein bound; doses 200 mg daily for 12 days per cycle "
    "(endometrial protection) and 400 mg daily for 10 days (secondary amenorrhea)",
    "Simon1993": "Simon JA et al. The absorption of oral micronized progesterone: the effect of "
    "food, dose proportionality, and comparison with intramuscular progesterone. Fertil Steril "
    "1993;60(1):26-33 (15 postmenopausal women: food about doubles absorption; oral 8.6 % of "
    "IM)",
}
"""The sources only this family's rows cite (keys of its rows' provenance)."""

LEVINE_AUC_PER_MG = 0.035
"""Serum progesterone AUC(0-24 h) per mg of oral dose, ng*h/mL per mg, by LC-MS (Levine &
Watson 2000): what the apparent volume is derived from, and what the validation checks."""

_KE_P4 = rate_from_half_life(1.0 * HOUR_DAYS)  # 1/day
_TMAX_LEVINE_DAYS = 1.0 * HOUR_DAYS

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "ke_p4",
        _KE_P4,
        "1/day",
        "decline of serum progesterone after an oral dose (apparent elimination)",
        Assumption(
            "assumption: half-life 1 h. By LC-MS, 100 mg peaks at 1.0 h and its 24-h AUC is "
            "1.6 h times the mean Cmax (LevineWatson2000), a faster fall than any one-"
            "compartment shape with that peak time allows (at least e x Tmax = 2.7 h); 1 h "
            "gives 2.9 h. Intrinsic progesterone clears within minutes; the 16.8-h half-life "
            "of the Utrogestan label is read by immunoassay, which sees metabolites",
            refs=("LevineWatson2000",),
        ),
        group="drug:progesterone",
    ),
    Parameter(
        "ka_p4",
        two_step_rate_for_tmax(_KE_P4, _TMAX_LEVINE_DAYS),
        "1/day",
        "oral absorption of micronized progesterone",
        Derived(
            "derived: the absorption rate that, with ke_p4, peaks at Tmax 1.0 h "
            "(LevineWatson2000, LC-MS; the label's 1.5 +/- 0.8 h after 100 mg daily, by its "
            "own assay, PrometriumLabel)",
            refs=("LevineWatson2000", "PrometriumLabel"),
        ),
        group="drug:progesterone",
    ),
    Parameter(
        "V_p4",
        1000.0 / (LEVINE_AUC_PER_MG * _KE_P4 / 24.0),
        "L",
        "apparent volume of serum progesterone per oral dose (V/F)",
        Derived(
            "derived: AUC(0-inf) = F dose / (V ke): V/F = 1 mg / (0.035 ng*h/mL x ke_p4), the "
            "24-h AUC per mg by LC-MS (LevineWatson2000) standing for the whole AUC (the "
            "dose is cleared within 24 h at ke_p4); oral bioavailability is a few per cent "
            "(Simon1993), hence the large apparent volume",
            refs=("LevineWatson2000", "Simon1993"),
        ),
        group="drug:progesterone",
    ),
)
"""This family's rows of the parameter table."""


def _derived(p: dict[str, Any]) -> None:
    """No derived constants: the rows are the apparent volume and the two rates."""


def _concentrations(s: StateView, p: Params) -> Concentrations:
    return {"p4": s["p4"]}  # ng/mL


def _effects(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """None: progesterone acts on no site of the model (see the module docstring)."""
    return {}


def _derivatives(
    s: StateView, c: Concentrations, p: Params, axis: AxisContext
) -> dict[str, jax.Array]:
    """First-order oral absorption and elimination (LevineWatson2000, LC-MS)."""
    gut, plasma = oral_first_order(s["p4_gut"], s["p4"], p["ka_p4"], p["ke_p4"], p["V_p4"])
    return {"p4_gut": gut, "p4": plasma}


def _readouts(s: StateView, c: Concentrations, p: Params) -> dict[str, jax.Array]:
    """The product's serum progesterone, ng/mL (the woman's table adds her own)."""
    return {"progesterone_ng_ml": c["p4"]}


FAMILY = DrugFamily(
    name="progesterone",
    order=90,
    specs=(
        DrugSpec(
            name="progesterone",
            display_name="Progesterone (oral micronized)",
            aliases=("Prometrium", "Utrogestan", "micronized progesterone", "OMP"),
            routes=("oral",),
            dose_unit="mg",
            max_dose=800.0,
            max_weekly_dose=5600.0,
            bound_source="2x the Prometrium label's highest dose (400 mg daily for 10 days)",
        ),
    ),
    wiring=(DrugWiring("progesterone", (("p4_gut", None),), ("progesterone_ng_ml",), "mg"),),
    states=(
        State("p4_gut", "mg", "oral progesterone in the gut", "progesterone", Kind.LINEAR),
        State("p4", "ng/mL", "serum progesterone from the product", "progesterone", Kind.LINEAR),
    ),
    derived=_derived,
    concentrations=_concentrations,
    effects=_effects,
    derivatives=_derivatives,
    readouts=_readouts,
    parameters=PARAMETERS,
    citations=CITATIONS,
    sexes=("female",),
)
