"""The post-menopausal woman's model spec: her androgen, estrogen and progesterone balance, and
the drugs that act on it (testosterone products, aromatase inhibitors, oral progesterone).

Read this file like :mod:`hpgsim.model.axis`: every ``d/dt`` line in :func:`rhs` names the
mechanism it implements; the numbers come from the parameter table (the woman's rows in
:mod:`hpgsim.model.woman_parameters`, the laws she shares with the man in
:mod:`hpgsim.model.parameters`).

A post-menopausal woman does not cycle: her ovaries hold no follicles, her LH and FSH are high
and steady, and what her ovarian stroma and adrenals make of testosterone is taken as a
constant production rate (``W_T_production``, nmol/day). That exogenous testosterone leaves
this production as it is, is an assumption: the stroma's share of it (about 40 % after
menopause) depends on LH, which androgen could lower, and no study of her gonadotropins on
testosterone was found here (docs/women.md); her gonadotropins are not states. A pre- or
peri-menopausal woman cycles: the cycle model (GynCycle, Roblitz 2013) is not built yet, and
the scenario layer refuses her.

What she shares with the man, as one law in one place (:mod:`hpgsim.model.axis`):

- free testosterone by Vermeulen's mass action (SHBG and albumin binding);
- testosterone clearance that follows the non-SHBG-bound fraction (the man's law at her own,
  higher SHBG: her MCR is a prediction, checked against the published female MCR);
- aromatization of total testosterone to estradiol (the transfer constant fitted in men),
  scaled by adiposity as in men, blocked by aromatase inhibitors;
- SHBG production lowered by androgen (the man's law, read against a man's free T: see
  :func:`shbg_androgen_effect`), raised by drugs that are estrogen-receptor agonists at the
  liver.

Her own: SHBG at BMI 25 (moved by BMI along the man's slope), testosterone production, the
estradiol made from precursors other than testosterone (androstenedione -> estrone ->
estradiol, by far the larger share after menopause), her own progesterone.

Units: time in days; testosterone and SHBG nmol/L; estradiol pmol/L; progesterone ng/mL; the
drug states as in their families (:mod:`hpgsim.model.drugs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from hpgsim.model.axis import (
    NG_DL_PER_NMOL_L_T,
    PMOL_L_PER_PG_ML_E2,
    free_testosterone,
    increasing_root,
    population_parameters,
    shbg_androgen_law,
    t_clearance,
)
from hpgsim.model.drugs import AxisContext, concentrations_of, effects_of, families_for
from hpgsim.model.states import State, StateLayout, StateView

Array = jax.Array
Params = Mapping[str, Any]

__all__ = [
    "DRUGS",
    "FAMILIES",
    "HORMONE_COLUMNS",
    "LAYOUT",
    "OUTPUT_COLUMNS",
    "PARAMETER_GROUPS",
    "STATES",
    "WOMAN_STATES",
    "baseline_t",
    "patient_parameters",
    "readout_vector",
    "readouts",
    "rhs",
    "shbg_androgen_effect",
    "steady_state",
]

FAMILIES = families_for("female")
"""The drug families the woman's model carries."""

DRUGS: tuple[str, ...] = tuple(spec.name for f in FAMILIES for spec in f.specs)
"""The drugs a woman's scenario may give."""

PARAMETER_GROUPS: tuple[str, ...] = (
    "reference",
    "binding",
    "testosterone",
    "estradiol",
    "shbg",
    "woman",
)
"""The parameter-table groups her model reads besides her drugs': her own rows and the laws she
shares with the man (binding, clearance, aromatization, SHBG, and the reference man they are
read against)."""

WOMAN_STATES: tuple[State, ...] = (
    State(
        "t_endo",
        "nmol/L",
        "serum testosterone from her ovaries and adrenals (the products add their own pools)",
        "androgens",
    ),
    State("shbg", "nmol/L", "serum SHBG", "liver"),
    State("e2", "pmol/L", "serum estradiol", "estrogens"),
)
"""The woman's own states (the drug families add theirs after these)."""

LAYOUT = StateLayout((*WOMAN_STATES, *(s for f in FAMILIES for s in f.states)))
"""Every state of the woman's model, in the order of her state vector."""
STATES: tuple[str, ...] = LAYOUT.names

HORMONE_COLUMNS: tuple[str, ...] = (
    "total_testosterone_ng_dl",
    "free_testosterone_pg_ml",
    "estradiol_pg_ml",
    "shbg_nmol_l",
    "progesterone_ng_ml",
)
"""The hormone columns of a woman's table (``progesterone_ng_ml`` is serum progesterone: her own
plus any product's)."""

DRUG_COLUMNS: tuple[str, ...] = tuple(
    c for f in FAMILIES for c in f.output_columns() if c not in HORMONE_COLUMNS
)
OUTPUT_COLUMNS: tuple[str, ...] = HORMONE_COLUMNS + DRUG_COLUMNS
"""Every column the woman's model reports, in table order."""


def _drug_sites(s: StateView, p: Params) -> tuple[dict[str, Any], dict[str, Any]]:
    """Her drugs' plasma concentrations and their combined effects at each site."""
    c = concentrations_of(FAMILIES, s, p)
    return c, effects_of(FAMILIES, s, c, p)


def _e2_from_t(tt: Array, p: Params) -> Array:
    """Estradiol made by aromatizing total testosterone ``tt`` (nmol/L), pmol/day, before any
    aromatase inhibitor: the man's law (axis mechanism 5: transfer constant x MCR x T, scaled
    by adiposity) with a woman's transfer constant (``W_arom_rel`` of a man's, Longcope 1969)."""
    return p["W_arom_rel"] * p["rho_arom"] * p["arom_factor"] * p["CL_T_ref"] * tt


def shbg_androgen_effect(ft: Array, p: Params) -> Array:
    """Androgen's effect on her hepatic SHBG production at free T ``ft`` (nmol/L): the man's law
    (:func:`hpgsim.model.axis.shbg_androgen_law`) read against the reference man's free T
    (``FT_ref``), relative to its value at her own free T (1 untreated).

    The man's model reads free T relative to his own; read so in a woman, whose own free T is
    about a fiftieth of a man's, the law would take her SHBG to a tenth within a few weeks of
    low-dose testosterone. Women's data say otherwise: 5-10 mg/day of a testosterone cream,
    which doubled to tripled free T, left SHBG unchanged (Fooladi 2015), and a year of
    male-range testosterone lowered trans men's SHBG by 40 % (50 -> 30 nmol/L, ENIGI). Read
    against a man's free T, the law is flat across the female range (her free T sits on its
    castrate plateau) and falls towards a man's level only as her free T reaches his; both
    studies are held-out checks (hpgsim validate)."""
    own = shbg_androgen_law(p["FT_own"] / p["FT_ref"], p)
    return shbg_androgen_law(ft / p["FT_ref"], p) / own


# ------------------------------------------------------------------------------ right-hand side
def rhs(y: Array, p: Params) -> Array:
    """d/dt of every state of the woman's model (per day); ``p`` is :func:`patient_parameters`
    output."""
    s = StateView(y, LAYOUT)
    dxdt: dict[str, Any] = {}
    c, drugs = _drug_sites(s, p)
    tt = s["t_endo"] + drugs["serum_testosterone_nmol_l"]
    shbg = s["shbg"]
    ft = free_testosterone(tt, shbg, p)
    # Serum testosterone: her ovarian and adrenal production (constant after menopause, see
    # the module docstring), cleared in proportion to the non-SHBG-bound fraction (the man's
    # law, Vermeulen binding; MCR Saez 1972), so her higher SHBG clears it more slowly.
    serum_t_loss = t_clearance(tt, shbg, p) / p["V_T"]  # 1/day
    dxdt["t_endo"] = p["W_T_production"] / p["V_T"] - serum_t_loss * s["t_endo"]
    # Estradiol: from precursors other than testosterone (androstenedione -> estrone ->
    # estradiol in adipose tissue), and from aromatizing her testosterone; both are made by
    # aromatase, so an inhibitor lowers both.
    e2_production = drugs["aromatase_activity"] * (p["W_E2_other_production"] + _e2_from_t(tt, p))
    dxdt["e2"] = e2_production / p["V_E2"] - p["ke_E2"] * s["e2"]
    # SHBG: her hepatic production at her BMI, lowered by androgen (the man's law, Plymate
    # 1983) read against the reference man's free T, not her own (see shbg_androgen_effect),
    # raised by hepatic estrogen-receptor agonists.
    shbg_target = p["SHBG_base"] * shbg_androgen_effect(ft, p) * (1.0 + drugs["hepatic_er_agonist"])
    dxdt["shbg"] = p["ke_SHBG"] * (shbg_target - shbg)
    # Drug PK: each family's own equations; the products' serum pools clear as her own T.
    context = AxisContext(serum_t_loss_per_day=serum_t_loss)
    for family in FAMILIES:
        dxdt.update(family.derivatives(s, c, p, context))
    return LAYOUT.stack(dxdt)


# ------------------------------------------------------------------------------ steady state
def baseline_t(p: Params) -> Array:
    """Her untreated total testosterone (nmol/L): the root in T of clearance x T = production
    at her SHBG (clearance rises as T fills SHBG, so the gap rises with T; the man's root
    finder, :func:`hpgsim.model.axis.increasing_root`, so the root is differentiable)."""
    shbg = p["SHBG_base"]

    def gap(t: Array) -> Array:
        return t_clearance(t, shbg, p) * t - p["W_T_production"]

    return increasing_root(gap, 1e-4, 200.0)


def patient_parameters(pop: Mapping[str, Any] | None, *, age: float, bmi: float) -> dict[str, Any]:
    """The woman's parameters: the table (with ``pop`` overrides) and her derived constants.

    - SHBG: the reference woman's (``W_SHBG_ref``) moved by BMI with the man's slope
      (``shbg_bmi_slope``, Strain 1994: no female slope was found; SHBG falls with BMI in women
      too, r = -0.44);
    - testosterone production (nmol/day): what clears the reference woman's T (``W_T_ref``) at
      her SHBG, so the reference woman has ``W_T_ref``; a heavier woman's lower SHBG clears it
      faster and lowers her T;
    - aromatization: the man's transfer constant times ``W_arom_rel`` (Longcope 1969), scaled
      by BMI as in men (``arom_bmi_slope``); estradiol from other precursors (pmol/day) is what,
      with her testosterone's, gives the reference woman ``W_E2_ref`` at BMI 25, scaled by the
      same adiposity factor.

    ``age`` (years) is recorded; no age effect after menopause is modelled.
    """
    p = population_parameters(pop)
    p["age_years"] = age
    p["SHBG_base"] = p["W_SHBG_ref"] + p["shbg_bmi_slope"] * (bmi - p["BMI_ref"])
    p["arom_factor"] = 1.0 + p["arom_bmi_slope"] * (bmi - p["BMI_ref"])
    t_ref = p["W_T_ref"]
    p["W_T_production"] = t_clearance(t_ref, p["W_SHBG_ref"], p) * t_ref  # nmol/day
    t0 = baseline_t(p)
    p["T_own"] = t0
    p["FT_own"] = free_testosterone(t0, p["SHBG_base"], p)
    ref = {**p, "arom_factor": 1.0}
    p["W_E2_other_production"] = p["arom_factor"] * (
        p["W_E2_ref"] * p["CL_E2"] - _e2_from_t(t_ref, ref)
    )  # pmol/day
    return p


def steady_state(p: Params) -> Array:
    """Her untreated state vector (drug states zero)."""
    y = jnp.zeros(len(LAYOUT))
    e2 = (p["W_E2_other_production"] + _e2_from_t(p["T_own"], p)) / p["CL_E2"]
    y = y.at[LAYOUT.index["t_endo"]].set(p["T_own"])
    y = y.at[LAYOUT.index["shbg"]].set(p["SHBG_base"])
    return y.at[LAYOUT.index["e2"]].set(e2)


# ------------------------------------------------------------------------------ readouts
def readouts(y: Array, p: Params) -> dict[str, Array]:
    """Reported columns (:data:`OUTPUT_COLUMNS`) from one state vector, as a blood draw sees it:
    the products' columns are the testosterone (ng/mL) or drug each delivers;
    ``progesterone_ng_ml`` is her own progesterone plus the product's."""
    s = StateView(y, LAYOUT)
    c, drugs = _drug_sites(s, p)
    tt = s["t_endo"] + drugs["serum_testosterone_nmol_l"]
    ft = free_testosterone(tt, s["shbg"], p)
    out: dict[str, Array] = {}
    for family in FAMILIES:
        out.update(family.readouts(s, c, p))
    product_p4 = out.get("progesterone_ng_ml", 0.0)
    out.update(
        {
            "total_testosterone_ng_dl": tt * NG_DL_PER_NMOL_L_T,
            "free_testosterone_pg_ml": ft * p["mw_T"],  # nmol/L x g/mol = pg/mL
            "estradiol_pg_ml": s["e2"] / PMOL_L_PER_PG_ML_E2,
            "shbg_nmol_l": s["shbg"],
            "progesterone_ng_ml": p["W_P4_own"] + product_p4,
        }
    )
    return out


def readout_vector(y: Array, p: Params) -> Array:
    """:func:`readouts` stacked in :data:`OUTPUT_COLUMNS` order."""
    out = readouts(y, p)
    return jnp.stack([jnp.asarray(out[col], dtype=jnp.float64) for col in OUTPUT_COLUMNS])
