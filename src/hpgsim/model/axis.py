"""The HPG-axis model spec: states, right-hand side, steady state and readouts.

Read this file like an mrgsolve model file. Every ``d/dt`` line in :func:`rhs` names the mechanism
it implements; the numbers come from :mod:`hpgsim.model.parameters` (value, unit, source).
Nothing here knows about files, scenarios or solvers: :mod:`hpgsim.engine.production` integrates
:func:`rhs`, :mod:`hpgsim.engine.doses` turns doses into jumps of the depot states.

Units: time in days; serum testosterone and SHBG in nmol/L; estradiol in pmol/L; LH and FSH in
IU/L; inhibin B in pg/mL; anastrozole and endoxifen in ng/mL; ester depots in nmol of
testosterone; the other drugs as amounts (mg, ug or IU, see :data:`STATES`), converted to
concentrations by :func:`drug_concentrations`; the GnRH signal, receptor sensitivity and
uncoupled fraction, Leydig capacity, Sertoli activity, germ cells and epididymal sperm are
dimensionless (1 = the reference man at steady state, except germ cells, whose scale is set by
the entry rate).

Mechanisms (design.md numbering):
1. hypothalamic GnRH drive, slowed by free testosterone (a bounded Emax: androgen alone removes
   at most ``fb_T_imax`` of it; through a lagging feedback signal, as in Tornøe 2007) and by
   the estrogen-receptor signal (algebraic: GnRH clears within minutes, far faster than
   anything it drives);
2. pituitary GnRH receptor: occupancy by exogenous agonists (gonadorelin, leuprolide), fast
   uncoupling that recovers between pulses and slow downregulation under sustained uncoupling;
   LH pool, synthesis and release; FSH secretion inhibited by inhibin B; estradiol feedback at
   the pituitary too, with its own gain (androgen none); SERMs compete with estradiol at the
   ER of both sites;
3. Leydig T secretion from LH-receptor occupancy by LH and hCG (Tornøe 2007 Emax model) with a
   capacity that follows occupancy slowly; hCG uncouples the receptors it occupies (hours),
   downregulates those it holds (days; spare receptors) and induces steroidogenesis above
   what the capacity is built for (days); intratesticular T exchanging with blood;
4. serum testosterone from the testis and from each product, cleared in proportion to its
   non-SHBG-bound fraction (Vermeulen free T);
5. aromatization of total T to estradiol, scaled by BMI, blocked by anastrozole; SHBG set by
   BMI and age, lowered by androgen above the man's own baseline, raised by drugs that are
   estrogen-receptor agonists at the liver (zuclomiphene);
6. Sertoli activity following FSH (endogenous and injected) above an FSH-independent share,
   inhibin B output feeding back on FSH;
7. spermatogenesis: a spermatogonial stem-cell reserve that self-renews towards the man's
   ceiling (testis volume, age, primary dysfunction) and is lost when germ-cell support (ITT
   and FSH) fails; entry into an N_GERM-stage transit chain (``sperm_duration``) gated by
   support and saturating in the reserve (Sertoli carrying capacity); stage loss when
   support fails; epididymal transit; ejaculate concentration scaled to the man's own baseline;
8. testicular volume: the germ-cell share of it follows germ-cell mass;
9. drug PK and effects: one module per drug family in :mod:`hpgsim.model.drugs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from hpgsim.model.conditions import Condition
from hpgsim.model.drugs import FAMILIES as ALL_FAMILIES
from hpgsim.model.drugs import (
    AxisContext,
    DrugFamily,
    concentrations_of,
    effects_of,
    families_for,
)
from hpgsim.model.parameters import typical_values
from hpgsim.model.states import Kind, State, StateLayout, StateView
from hpgsim.units import E2_PMOL_L_PER_PG_ML, T_NG_DL_PER_NMOL_L, T_NG_ML_PER_NMOL_L

Array = jax.Array
Num = jax.Array | float  # a scalar or array argument
Params = Mapping[str, Any]

N_GERM = 16  # germ-cell transit compartments (spermatogonia -> spermatids)

NG_DL_PER_NMOL_L_T = T_NG_DL_PER_NMOL_L  # testosterone: 1 nmol/L = 28.842 ng/dL
PMOL_L_PER_PG_ML_E2 = E2_PMOL_L_PER_PG_ML  # estradiol: 1 pg/mL = 3.671 pmol/L

_DIMLESS = "dimensionless"
AXIS_STATES: tuple[State, ...] = (
    # 1. hypothalamus
    State(
        "androgen_fb",
        _DIMLESS,
        "hypothalamic androgen feedback signal, lagging free T (1 = reference)",
        "hypothalamus",
    ),
    State(
        "estrogen_fb",
        _DIMLESS,
        "estrogen-receptor feedback signal, lagging the ER signal (1 = reference)",
        "hypothalamus",
    ),
    # 2. pituitary
    State(
        "gnrhr_sens",
        _DIMLESS,
        "pituitary GnRH-receptor sensitivity (1 = fully sensitive)",
        "pituitary",
    ),
    State(
        "gnrhr_uncoupled",
        _DIMLESS,
        "fraction of pituitary GnRH receptors uncoupled (fast desensitization)",
        "pituitary",
    ),
    State(
        "gonadotroph_cap",
        _DIMLESS,
        "gonadotroph synthesis capacity for LH and FSH (1 = the man's own untreated)",
        "pituitary",
    ),
    State("lh_pool", "IU", "pituitary LH reserve (the store synthesis fills)", "pituitary"),
    State("lh_rrp", "IU", "pituitary readily releasable LH", "pituitary"),
    State("lh", "IU/L", "serum LH (central compartment)", "pituitary"),
    State("lh_periph", "IU/L", "LH in the peripheral compartment", "pituitary", Kind.LINEAR),
    State("fsh", "IU/L", "serum FSH (endogenous)", "pituitary"),
    # 3. Leydig cells and the testis
    State("leydig_cap", _DIMLESS, "Leydig secretory capacity (1 = reference)", "leydig"),
    State(
        "leydig_sens",
        _DIMLESS,
        "Leydig LH-receptor signalling left by hCG desensitization (1 = none)",
        "leydig",
    ),
    State(
        "leydig_down",
        _DIMLESS,
        "Leydig LH receptors left by hCG-driven downregulation (1 = none)",
        "leydig",
    ),
    State(
        "leydig_ind",
        _DIMLESS,
        "Leydig steroidogenic induction by hCG above what capacity is built for (1 = none)",
        "leydig",
    ),
    State("itt", "nmol/L", "intratesticular testosterone", "leydig"),
    # 4-5. serum steroids and SHBG
    State(
        "t_endo",
        "nmol/L",
        "serum testosterone from the testis (and extragonadal)",
        "serum_steroids",
    ),
    State("e2", "pmol/L", "serum estradiol", "serum_steroids"),
    State("shbg", "nmol/L", "serum SHBG", "serum_steroids"),
    # 6. Sertoli cells
    State("sertoli", _DIMLESS, "Sertoli (inhibin-B secreting) activity (1 = reference)", "sertoli"),
    State("inhb", "pg/mL", "serum inhibin B", "sertoli", Kind.LINEAR),
    # 7. spermatogenesis
    State(
        "ssc",
        _DIMLESS,
        "spermatogonial stem-cell reserve (1 = a young man with reference testis volume)",
        "spermatogenesis",
    ),
    *(
        State(
            f"germ_{i}",
            _DIMLESS,
            f"germ cells at stage {i} of {N_GERM} (scale set by the entry rate)",
            "spermatogenesis",
            chain="germ",
        )
        for i in range(1, N_GERM + 1)
    ),
    State("epididymis", _DIMLESS, "sperm in epididymal transit", "spermatogenesis", Kind.LINEAR),
)
"""The axis's own states (the drug families add theirs after these)."""

FAMILIES: tuple[DrugFamily, ...] = families_for("male")
"""The drug families the man's model carries (the progesterone family is the woman's only)."""

LAYOUT = StateLayout((*AXIS_STATES, *(s for f in FAMILIES for s in f.states)))
"""Every state of the model, in the order of the state vector."""
STATES: tuple[str, ...] = LAYOUT.names
IDX: dict[str, int] = LAYOUT.index
N_STATES = len(LAYOUT)


# ------------------------------------------------------------------------------ building blocks
def free_testosterone(tt: Array, shbg: Array, p: Params) -> Array:
    """Free testosterone (nmol/L) by Vermeulen's mass-action equation.

    ``tt`` and ``shbg`` in nmol/L; constants K_shbg, K_alb (L/mol) and albumin (g/L, MW 69 kDa).
    """
    n = 1.0 + p["K_alb"] * p["albumin"] / p["mw_albumin"]
    ks = p["K_shbg"] * 1e-9  # per nmol/L
    a = n * ks
    b = n + ks * (shbg - tt)
    return (-b + jnp.sqrt(b * b + 4.0 * a * tt)) / (2.0 * a)


def non_shbg_fraction(tt: Array, shbg: Array, p: Params) -> Array:
    """Fraction of total testosterone not bound to SHBG (free + albumin-bound).

    At total T -> 0 this tends to N / (N + K_shbg * SHBG), its limit, rather than 0."""
    n = 1.0 + p["K_alb"] * p["albumin"] / p["mw_albumin"]
    limit = n / (n + p["K_shbg"] * 1e-9 * shbg)
    safe_tt = jnp.maximum(tt, 1e-9)
    return jnp.where(tt > 1e-9, n * free_testosterone(safe_tt, shbg, p) / safe_tt, limit)


def t_clearance(tt: Array, shbg: Array, p: Params) -> Array:
    """Metabolic clearance of total T (L/day): MCR at reference binding, scaled by the
    non-SHBG-bound fraction relative to reference to the power ``cl_binding_exp`` (1 = only
    non-SHBG-bound T is cleared; 0 = clearance independent of binding)."""
    rel = non_shbg_fraction(tt, shbg, p) / p["f_nonSHBG_ref"]
    return p["CL_T_ref"] * jnp.power(rel, p["cl_binding_exp"])


def hill(x: Num, k: Num, n: Num) -> Array:
    """Occupancy x^n / (k^n + x^n) for x >= 0, evaluated as r / (1 + r) with r = (x/k)^n (one
    power instead of two: the engine evaluates it twice per step for every man)."""
    r = jnp.power(jnp.maximum(x, 0.0) / k, n)
    return r / (1.0 + r)


def disinhibition(x: Num, gain: Num, n: Num) -> Array:
    """Feedback factor (1 + gain) / (1 + gain x^n): 1 at x = 1, 1 + gain at x = 0."""
    return (1.0 + gain) / (1.0 + gain * jnp.power(jnp.maximum(x, 0.0), n))


def lh_synthesis_response(x: Array, p: Params) -> Array:
    """Pituitary LH synthesis for stimulus ``x`` (GnRH signal x the pituitary's estrogen factor).

    Saturating: 1 at x = 1, at most ``lh_capacity`` (gonadotroph capacity, x reference).
    """
    k = p["lh_capacity"] - 1.0
    return x * (1.0 + k) / (x + k)


def soft_ceiling(r: Num, r_max: Num) -> Array:
    """``r`` with a soft ceiling at ``r_max``: r / (1 + (r / r_max)^4)^(1/4), within 0.1 % of r
    below a fifth of the ceiling, never above it (same unit as ``r``)."""
    return r / jnp.power(1.0 + jnp.power(r / r_max, 4.0), 0.25)


def lh_fractional_release(signal: Num, p: Params) -> Array:
    """Fractional mobilization of the pituitary LH reserve into the readily releasable pool
    (1/day) at GnRH ``signal``.

    Tornoe 2007's release law ``krel_LH x signal``, with a soft ceiling at ``lh_release_max``
    (r / (1 + (r / r_max)^4)^(1/4)): the reserve cannot be moved faster than that, however
    strong the signal. Calibrated: 1 ug/min IV gonadorelin for 3 h, 20 ug every 20 min and 60
    ug every 60 min all raised mean LH 3-4-fold (the release capacity, not the dose, sets
    it), while the 90-min pump's synthesis keeps its own stimulus. Steady states do not
    depend on it (synthesis = mobilization = release), only how fast the reserve empties
    under a strong signal (an agonist's flare, a castrate man's disinhibited drive) and how
    large it is there.
    """
    return soft_ceiling(p["krel_LH"] * jnp.maximum(signal, 0.0), p["lh_release_max"])


def gonadotroph_rebuilding(signal: Num, p: Params) -> Array:
    """Fractional rebuilding rate of the gonadotroph capacity (1/day) at GnRH receptor
    ``signal``: ``k_gcap_up x signal`` (self-priming in proportion to the drive), with a soft
    ceiling at ``gcap_rate_max`` (:func:`soft_ceiling`, as the LH mobilization's): a
    numerical guard, far above any rebuilding the data show (weeks), that keeps the state's
    rate finite where an individualized drive is thousands of times the reference's (BMI 70 on
    clomiphene)."""
    return soft_ceiling(p["k_gcap_up"] * jnp.maximum(signal, 0.0), p["gcap_rate_max"])


def fsh_synthesis_response(x: Array, p: Params) -> Array:
    """Pituitary FSH output for stimulus ``x`` (GnRH signal^gamma_FSH x the pituitary's estrogen
    factor x inhibin disinhibition): saturating like LH, 1 at x = 1, at most ``fsh_capacity``
    (the castrate level relative to the reference)."""
    k = p["fsh_capacity"] - 1.0
    return x * (1.0 + k) / (x + k)


def androgen_feedback(x: Num, p: Params) -> Array:
    """Hypothalamic androgen feedback factor on the GnRH drive at free T ``x`` (1 = reference).

    A bounded Emax (Pitteloud 2008: androgen slows GnRH pulse frequency and acts at the
    hypothalamus only): (1 - Imax h(x)) / (1 - Imax h(1)) with h(x) = x^n / (K^n + x^n).
    1 at x = 1; 1 / (1 - Imax h(1)) at x = 0 (androgen removed); never below
    (1 - Imax) / (1 - Imax h(1)), however high free T goes: androgen alone cannot suppress
    the drive by more than ``fb_T_imax``.
    """
    imax = p["fb_T_imax"]
    return (1.0 - imax * hill(x, p["fb_T_K"], p["fb_T_hill"])) / (
        1.0 - imax * hill(1.0, p["fb_T_K"], p["fb_T_hill"])
    )


def er_occupancy(x: Num, p: Params) -> Array:
    """Estrogen-receptor occupancy at ER signal ``x`` (1 = reference), relative to reference:
    occ(x) = x^n (1 + K^n) / (K^n + x^n), saturable, so raising E2 suppresses less than
    lowering it disinhibits. 1 at x = 1, 0 at x = 0."""
    k_n = jnp.power(p["fb_E_K"], p["fb_E_hill"])
    x_n = jnp.power(jnp.maximum(x, 0.0), p["fb_E_hill"])
    return x_n * (1.0 + k_n) / (k_n + x_n)


def estrogen_feedback(occ: Num, gain: Num) -> Array:
    """Estradiol feedback factor at one site for relative ER occupancy ``occ``
    (:func:`er_occupancy`): (1 + gain) / (1 + gain occ); 1 at the reference occupancy,
    1 + gain with the ER empty. The hypothalamus (``fb_E_hyp_gain``, on the GnRH drive) and
    the pituitary (``fb_E_pit_gain``, on gonadotropin synthesis per unit GnRH) have their own
    gains (Pitteloud 2008; Sheckter 1989)."""
    return jnp.asarray((1.0 + gain) / (1.0 + gain * occ))


def shbg_androgen_law(x: Num, p: Params) -> Array:
    """Androgen effect on SHBG production at free T ``x`` times the man's own.

    (2 / (1 + x^k))^e with e = log2(1 + shbg_castrate_rise) and k = shbg_androgen_exp / e:
    1 at x = 1, at most 1 + shbg_castrate_rise as x -> 0 (castration barely raises SHBG), and
    (1 + rise) x^-shbg_androgen_exp at high x (androgen excess lowers it).
    """
    e = jnp.log2(1.0 + p["shbg_castrate_rise"])
    xk = jnp.power(jnp.maximum(x, 1e-12), p["shbg_androgen_exp"] / e)
    return jnp.power(2.0 / (1.0 + xk), e)


def sertoli_drive(fsh: Array, p: Params) -> Array:
    """FSH stimulation of Sertoli cells relative to the reference FSH (Michaelis-Menten)."""
    k = p["K_FSH_sertoli"]
    return (fsh / (fsh + k)) / (p["FSH_ref"] / (p["FSH_ref"] + k))


def leydig_capacity_target(lh: Num, p: Params) -> Array:
    """Capacity that LH-receptor occupancy sustains (1 for the typical man at the reference LH).

    Capacity follows the man's own receptor occupancy read in units of the typical man's
    occupancy at the reference LH (``leydig_occ_typ``, 0.43), so that it grows at most
    0.2 + 0.8/0.43 = 2.0-fold in every man. Read relative to each man's own occupancy at the
    reference LH, a man whose L50 lies 3-5x above the typical (its between-subject spread)
    grew up to 29-fold under hCG (the covariate sweep of issue #22).
    """
    occ = hill(lh, p["L50"], p["kappa_L"]) / p["leydig_occ_typ"]
    return p["leydig_floor"] + (1.0 - p["leydig_floor"]) * occ


def germ_support(itt: Array, fsh: Array, p: Params) -> Array:
    """Germ-cell support from intratesticular T and FSH (1 at the reference man)."""
    x = itt / p["ITT_ref"]
    k = p["K_ITT_sperm"]
    u_itt = (x / (x + k)) * (1.0 + k)
    w = p["w_FSH_sperm"]
    return (1.0 - w) * u_itt + w * sertoli_drive(fsh, p)


def deprivation(support: Num, p: Params) -> Array:
    """How far germ-cell support has failed: 0 with full support, 1 with none (Hill in support)."""
    return 1.0 - hill(support, p["germ_death_K"], p["germ_death_hill"])


def germ_death(support: Num, p: Params) -> Array:
    """Loss rate (1/day) of differentiating germ cells as support fails."""
    return p["germ_death_max"] * deprivation(support, p)


def stem_cell_output(ssc: Num, p: Params) -> Array:
    """Germ-cell entry per unit support from a stem-cell reserve ``ssc`` (1 at ``ssc`` = 1).

    Saturating, S (1 + K) / (S + K): the Sertoli cells' capacity to carry germ cells caps the
    output, so a full reserve buffers partial loss and a small one does not.
    """
    k = p["ssc_K_sat"]
    s = jnp.maximum(ssc, 0.0)
    return s * (1.0 + k) / (s + k)


def stem_cell_ceiling(age: Num, testis_volume: Num, condition_code: Num, p: Params) -> Array:
    """The man's untreated stem-cell reserve: testis volume (germ-cell mass) x age x condition."""
    volume = testis_volume / p["testis_volume_ref"]
    aging = jnp.exp(-p["ssc_age_rate"] * jnp.maximum(age - p["ssc_age_onset"], 0.0))
    primary = jnp.where(
        condition_code == Condition.PRIMARY_HYPOGONADISM, p["ssc_primary_factor"], 1.0
    )
    return volume * aging * primary


def stem_cell_steady(support: Num, ceiling: Num, p: Params) -> Array:
    """Untreated reserve where renewal balances loss at ``support`` (never below 1 % of it)."""
    dep = deprivation(support, p)
    ratio = p["k_ssc_loss"] * dep / (p["k_ssc_renew"] * (1.0 - dep))
    return ceiling * jnp.maximum(1.0 - ratio, 0.01)


def germ_chain_steady(support: Num, ssc: Num, p: Params) -> Array:
    """Germ cells by stage (N_GERM) at constant ``support`` and reserve ``ssc``."""
    death = germ_death(support, p)
    k_tr = N_GERM / p["sperm_duration"]
    ratio = k_tr / (k_tr + death)
    germ1 = k_tr * support * stem_cell_output(ssc, p) / (k_tr + death)
    return germ1 * jnp.power(ratio, jnp.arange(N_GERM, dtype=jnp.float64))


def inhibin_drive(fsh: Array, p: Params) -> Array:
    """Inhibin-B output of the Sertoli cells relative to reference: an FSH-independent share
    plus the FSH-driven rest (1 at the reference FSH)."""
    b = p["inhb_fsh_independent"]
    k = p["K_FSH_inhb"]
    stimulated = (fsh / (fsh + k)) / (p["FSH_ref"] / (p["FSH_ref"] + k))
    return b + (1.0 - b) * stimulated


def _families(names: Sequence[str] | None) -> tuple[DrugFamily, ...]:
    """The drug families named (all of them for ``None``), in layout order."""
    return FAMILIES if names is None else tuple(f for f in FAMILIES if f.name in names)


def drug_concentrations(
    s: StateView, p: Params, families: Sequence[str] | None = None
) -> dict[str, Array]:
    """Named plasma concentrations of the drug families (all, or those named; units in each
    family's module)."""
    return concentrations_of(_families(families), s, p)


def drug_effects(
    s: StateView, c: Mapping[str, Array], p: Params, families: Sequence[str] | None = None
) -> dict[str, Any]:
    """What the drugs (all, or those of the families named) do at each site of the axis
    (:data:`hpgsim.model.drugs.SITES`): summed contributions, or the product of what each
    inhibitor leaves at a multiplicative site."""
    return effects_of(_families(families), s, c, p)


def gnrh_receptor_occupancy(agonist_pg_ml: Array, p: Params) -> Array:
    """Fraction of pituitary GnRH receptors occupied by exogenous agonists, from their
    gonadorelin-equivalent concentration (pg/mL; the agonists compete for one site)."""
    ratio = agonist_pg_ml / p["EC50_gnrh"]
    return ratio / (1.0 + ratio)


def er_signal(e2: Array, sites: Mapping[str, Any], p: Params) -> Array:
    """Hypothalamic-pituitary estrogen-receptor signal relative to the reference man.

    Estradiol relative to reference plus any partial agonist's signal, divided by 1 + the sum
    of C/K of the competitive ER ligands (Gaddum: each divides the agonist's potency by
    1 + C/K); the SERM modules give both terms.
    """
    agonist = e2 / p["E2_ref_pmol"] + sites["er_agonist"]
    return agonist / (1.0 + sites["er_competitor_ratio"])


def serum_t(s: StateView, sites: Mapping[str, Any]) -> Array:
    """Total serum testosterone (nmol/L): endogenous plus every product."""
    return s["t_endo"] + sites["serum_testosterone_nmol_l"]


# ------------------------------------------------------------------------------ right-hand side
def rhs(y: Array, p: Params, families: Sequence[str] | None = None) -> Array:
    """d/dt of every state (per day) for one man; ``p`` is :func:`patient_parameters` output.

    ``families`` names the drug families to evaluate (default: all). The states of the others
    get derivative 0: the engine leaves out families whose states are all zero and stay zero
    (no dose reaches them), for which that is exact.
    """
    s = StateView(y, LAYOUT)
    dxdt: dict[str, Any] = {}
    c = drug_concentrations(s, p, families)
    drugs = drug_effects(s, c, p, families)
    tt = serum_t(s, drugs)
    shbg = s["shbg"]
    ft = free_testosterone(tt, shbg, p)
    ke_t = t_clearance(tt, shbg, p) / p["V_T"]  # 1/day

    # Estrogen-receptor signal relative to the reference man; SERMs compete with estradiol.
    er = er_signal(s["e2"], drugs, p)
    fb_t = androgen_feedback(s["androgen_fb"], p)
    er_occ = er_occupancy(s["estrogen_fb"], p)
    fb_e_hyp = estrogen_feedback(er_occ, p["fb_E_hyp_gain"])
    fb_e_pit = estrogen_feedback(er_occ, p["fb_E_pit_gain"])

    # 1. Hypothalamus: the androgen and estrogen feedback signals follow free T and the ER
    #    signal with a lag (Tornoe 2007, PMID 17096678: feedback compartment,
    #    dF/dt = ke,F (T/T_base - F)).
    dxdt["androgen_fb"] = p["ke_F"] * (ft / p["FT_ref"] - s["androgen_fb"])
    dxdt["estrogen_fb"] = p["ke_F"] * (er - s["estrogen_fb"])
    #    The GnRH signal (mean pulsatile drive; GnRH itself clears within minutes, so it is
    #    algebraic here) is the drive left by androgen and estrogen feedback, both on pulse
    #    frequency (Pitteloud 2008: androgen acts at the hypothalamus only, as a bounded Emax;
    #    estradiol at both sites, each with its own gain).
    gnrh = p["drive0"] * fb_t * fb_e_hyp

    # 2. Pituitary GnRH receptor. Exogenous agonists (gonadorelin, leuprolide) occupy it;
    #    occupied receptors uncouple within hours and recouple when free (Li & Goldbeter 1989),
    #    so the uncoupled fraction stays low under pulses, which leave time to recover, and
    #    high under continuous exposure. Sustained uncoupling (above a threshold) downregulates
    #    the receptor's signalling over days (sensitivity, gnrhr_sens): a flare, then
    #    suppression. Losses act in series, receptor number and post-receptor signalling
    #    (LH-beta synthesis): in rats on a leuprolide depot GnRH-receptor mRNA fell only to
    #    36-50 % while the LH response fell far more (GnRHRmRNADepot), so the stimulus carries
    #    gnrhr_sens to the power gnrhr_loss_exponent (serial losses with the same kinetics, an
    #    assumption; the exponent is fitted). Endogenous pulsatile GnRH is the reference: it
    #    desensitizes nothing. The stimulus is endogenous drive plus E_gnrh per unit of
    #    exogenous occupancy.
    occ = gnrh_receptor_occupancy(drugs["gnrh_receptor_agonist_pg_ml"], p)
    uncoupled = s["gnrhr_uncoupled"]
    dxdt["gnrhr_uncoupled"] = (
        p["k_gnrhr_desens"] * occ * (1.0 - uncoupled)
        - p["k_gnrhr_recouple"] * (1.0 - occ) * uncoupled
    )
    down = hill(uncoupled, p["gnrhr_down_K"], p["gnrhr_down_hill"])
    dxdt["gnrhr_sens"] = (
        p["k_resens"] * (1.0 - s["gnrhr_sens"]) - p["k_desens"] * down * s["gnrhr_sens"]
    )
    signalling = jnp.power(s["gnrhr_sens"], p["gnrhr_loss_exponent"])
    signal = signalling * (gnrh + p["E_gnrh"] * occ)
    #    LH: synthesis into a reserve, moved by the GnRH signal into a small readily releasable
    #    pool (Tornoe 2007's pool law, krel_LH x signal), which empties by exocytosis: at a
    #    basal rate (the mean of the endogenous pulses), and within minutes while an exogenous
    #    agonist holds receptors that are still coupled (a bolus; a sustained agonist
    #    uncouples them within hours). Serum LH has two compartments (recombinant LH IV:
    #    le Cotonnec 1998) and native LH's clearance (Veldhuis 1986 MCR). Estradiol acts at
    #    the pituitary too (on a fixed GnRH pump, TE lowered LH: Sheckter 1989; E2 add-back
    #    lowered LH amplitude in GnRH-deficient men: Pitteloud 2008).
    #    Gonadotroph capacity: GnRH, through its receptor, is trophic to the gonadotrophs (it
    #    maintains and restores their LH-beta and FSH-beta synthesis: self-priming). A
    #    receptor signal held below the man's own untreated one (feedback under testosterone
    #    therapy; a desensitized receptor) lets the capacity waste; it is rebuilt at a rate
    #    proportional to the signal (1 = the reference man's), so a man whose T crashes when a
    #    short ester clears (drive far above his own) recovers fast, and one whose T stays
    #    near baseline on a slowly fading depot recovers slowly.
    cap = s["gonadotroph_cap"]
    shortfall = jnp.maximum(1.0 - signal / p["gnrh_own"], 0.0)
    dxdt["gonadotroph_cap"] = (
        gonadotroph_rebuilding(signal, p) * (1.0 - cap) - p["k_gcap_down"] * shortfall * cap
    )
    lh_synthesis = p["LH_syn"] * cap * lh_synthesis_response(signal * fb_e_pit, p)  # IU/day
    lh_mobilized = lh_fractional_release(signal, p) * s["lh_pool"]  # IU/day
    coupled = signalling * occ * (1.0 - uncoupled)
    lh_release = (p["k_lh_rrp"] + p["k_lh_acute"] * coupled) * s["lh_rrp"]  # IU/day
    dxdt["lh_pool"] = lh_synthesis - lh_mobilized
    dxdt["lh_rrp"] = lh_mobilized - lh_release
    lh_exchange = p["Q_LH"] * (s["lh"] - s["lh_periph"])  # IU/day
    dxdt["lh"] = (lh_release - lh_exchange) / p["V_LH"] - p["ke_LH"] * s["lh"]
    dxdt["lh_periph"] = lh_exchange / p["V_LH_periph"]
    #    FSH: secretion driven by the GnRH signal, disinhibited by estradiol and inhibin B,
    #    saturating at the castrate level (Cilia 2024); clearance Urban 1991.
    inh_fb = disinhibition(s["inhb"] / p["InhB_ref"], p["fb_inh_gain"], 1.0)
    fsh_stimulus = jnp.power(jnp.maximum(signal, 0.0), p["gamma_FSH"]) * fb_e_pit * inh_fb
    fsh_target = p["FSH_ref"] * cap * fsh_synthesis_response(fsh_stimulus, p)
    dxdt["fsh"] = p["ke_FSH"] * (fsh_target - s["fsh"])

    # 3. Leydig cells and the testis (Tornoe 2007 Emax model of LH-receptor occupancy): the LH
    #    receptor sees LH and exogenous agonists (hCG, LH-equivalent IU/L).
    hcg_lh = drugs["lh_receptor_agonist_iu_l"]
    lh_receptor = s["lh"] + hcg_lh
    #    hCG stays bound for days where LH pulses come and go, and the receptors it holds are
    #    lost over days (downregulation), returning over about a week once it clears; the
    #    endogenous pulsatile LH is the reference and downregulates nothing (as GnRH above).
    #    The Leydig cell holds spare receptors: T secretion saturates near L50, far below the
    #    ligand that holds half the receptors (K_lhr), and a loss of receptors shifts the
    #    response to higher ligand rather than capping it (the occupancy that drives the cell
    #    is that of the ligand times the receptors left). T is back to baseline 144 h after
    #    6000 IU while serum hCG is still about a twentieth of its peak (hCG6000).
    down = s["leydig_down"]
    lh_occ = hill(down * lh_receptor, p["L50"], p["kappa_L"])
    hcg_held = hcg_lh / (lh_receptor + p["K_lhr"])  # fraction of the receptors hCG holds
    dxdt["leydig_down"] = p["k_leydig_up"] * (1.0 - down) - p["k_leydig_down"] * hcg_held * down
    #    Within hours, the receptors that hCG occupies also uncouple from steroidogenesis
    #    (the refractoriness to a second dose 24 h after the first: hCG1500, hCG6000).
    hcg_share = hcg_lh / jnp.maximum(lh_receptor, 1e-12)  # hCG's share of the ligand
    hcg_occ = lh_occ * hcg_share
    sens = s["leydig_sens"]
    dxdt["leydig_sens"] = (
        p["k_leydig_resens"] * (1.0 - sens) - p["k_leydig_desens"] * hcg_occ * sens
    )
    #    Sustained occupancy by hCG above what the man's Leydig capacity is built for
    #    induces the steroidogenic machinery over days (the delayed T peak 72-96 h after one
    #    dose: hCG6000, hCG1500); as the slow capacity grows to the new occupancy the
    #    induced share fades, so chronic stimulation does not count the trophic effect twice.
    #    The excess is read as a fraction of the receptors his own LH leaves free (0 at
    #    baseline), times hCG's share of the ligand: pulsatile LH, even raised (clomiphene,
    #    anastrozole), is the reference and induces nothing (docs/model.md says what
    #    inducing with LH as well did to the leuprolide flare).
    occ_built = (s["leydig_cap"] - p["leydig_floor"]) / (1.0 - p["leydig_floor"])
    excess = (
        jnp.maximum(lh_occ - occ_built * p["leydig_occ_typ"], 0.0)
        / (1.0 - p["leydig_occ_own"])
        * hcg_share
    )
    dxdt["leydig_ind"] = p["k_leydig_ind"] * (1.0 + p["leydig_ind_max"] * excess - s["leydig_ind"])
    t_secretion = (
        p["s_T"] * s["leydig_cap"] * s["leydig_ind"] * (1.0 + p["Lmax"] * sens * lh_occ)
    )  # nmol/day
    #    Capacity follows occupancy slowly (atrophy under long LH deprivation, k_leydig).
    dxdt["leydig_cap"] = p["k_leydig"] * (
        leydig_capacity_target(down * lh_receptor, p) - s["leydig_cap"]
    )
    #    Intratesticular T: secretion into the testis volume, exchange with blood (Coviello
    #    2005: ITT about 100x serum, the exchange volume derived from it).
    exchange = p["k_itt"] * p["V_tes"]  # L/day between testis and blood
    dxdt["itt"] = t_secretion / p["V_tes"] + p["k_itt"] * (p["itt_partition"] * tt - s["itt"])

    # 4. Serum testosterone: uptake into the testis in proportion to each pool; what leaves
    #    the testis is counted as endogenous, as is the small LH-independent extragonadal T
    #    (adrenal precursors; what remains after orchiectomy, Warner 1983). Clearance follows
    #    the non-SHBG-bound fraction (Vermeulen 1999 binding; MCR Saez 1972). The products'
    #    pools are cleared the same way (their modules use the loss rate below).
    uptake = exchange * p["itt_partition"] / p["V_T"]  # 1/day
    serum_t_loss = ke_t + uptake  # 1/day
    dxdt["t_endo"] = (exchange * s["itt"] + p["T_extragonadal"]) / p["V_T"] - serum_t_loss * s[
        "t_endo"
    ]

    # 5. Aromatization: peripheral, in proportion to total T (the transfer-constant form
    #    rho x MCR x T; E2 rose 3-fold with total T, not 6-fold with non-SHBG T, in Nankin
    #    1987) and scaled by adiposity (Kley 1980, Schneider 1979); testicular, in proportion
    #    to T secretion (de Ronde 2011); blocked by aromatase inhibitors.
    e2_production = (
        drugs["aromatase_activity"]
        * p["rho_arom"]
        * (p["arom_factor"] * p["CL_T_ref"] * tt + p["rho_testis_E2"] * t_secretion)
    )  # pmol/day
    dxdt["e2"] = e2_production / p["V_E2"] - p["ke_E2"] * s["e2"]
    #    SHBG: androgen excess lowers hepatic SHBG production (Plymate 1983) as free T to the
    #    power -shbg_androgen_exp, but castration barely raises it (Smith 2007); free T is read
    #    relative to the man's own (docs/model.md: an absolute reading was tried). Drugs that
    #    are estrogen-receptor agonists at the liver raise it (zuclomiphene: SHBG x1.43 on
    #    clomiphene); the man's own estradiol does not move it in the model (an aromatase
    #    inhibitor's 40-50 % fall left SHBG unchanged: de Boer 2005, Martikainen 1985).
    shbg_target = (
        p["SHBG_base"]
        * shbg_androgen_law(ft / p["FT_own"], p)
        * (1.0 + drugs["hepatic_er_agonist"])
    )
    dxdt["shbg"] = p["ke_SHBG"] * (shbg_target - shbg)

    # 6. Sertoli cells and inhibin B (Grunewald 2013 reference); the FSH receptor sees
    #    endogenous and injected FSH.
    fsh_total = s["fsh"] + drugs["fsh_receptor_agonist_iu_l"]
    dxdt["sertoli"] = p["k_sertoli"] * (inhibin_drive(fsh_total, p) - s["sertoli"])
    dxdt["inhb"] = p["ke_InhB"] * (p["InhB_ref"] * s["sertoli"] - s["inhb"])

    # 7. Spermatogenesis. Support (ITT and FSH) gates entry from the stem-cell reserve and the
    #    survival of every stage; transit through N_GERM stages (sperm_duration, 64-74 d,
    #    Misell 2006 heavy-water labelling), then the epididymis.
    support = germ_support(s["itt"], fsh_total, p)
    dep = deprivation(support, p)
    #    The reserve self-renews towards the man's ceiling while supported and is lost when
    #    support fails.
    ssc = s["ssc"]
    dxdt["ssc"] = (
        p["k_ssc_renew"] * (1.0 - dep) * ssc * (1.0 - ssc / p["ssc_ceiling"])
        - p["k_ssc_loss"] * dep * ssc
    )
    death = germ_death(support, p)
    k_tr = N_GERM / p["sperm_duration"]
    germ = s.chain("germ")
    entry = k_tr * support * stem_cell_output(ssc, p)
    inflow = jnp.concatenate([jnp.atleast_1d(entry), k_tr * germ[:-1]])
    dxdt["germ"] = inflow - (k_tr + death) * germ
    dxdt["epididymis"] = k_tr * germ[-1] - s["epididymis"] / p["epididymal_transit"]

    # 9. Drug PK: each family's own equations (hpgsim.model.drugs).
    context = AxisContext(serum_t_loss_per_day=serum_t_loss)
    for family in FAMILIES:
        if families is None or family.name in families:
            dxdt.update(family.derivatives(s, c, p, context))
        else:
            dxdt.update({state.name: 0.0 for state in family.states})
    return LAYOUT.stack(dxdt)


# ------------------------------------------------------------------------------ parameters
class Baseline(NamedTuple):
    """The man's untreated steady state that individualization solves for: total T, SHBG and
    free T (nmol/L), estradiol (pmol/L) and the testis's T production (nmol/day)."""

    tt: Array
    shbg: Array
    ft: Array
    e2: Array
    production: Array


def population_parameters(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Typical parameters plus the derived constants of the reference man.

    ``overrides`` replaces table values (used by calibration, which passes traced values).
    Derived: apparent T volume, non-SHBG clearance, reference free T, testis exchange volume,
    aromatization ratio, LH synthesis, reference Leydig secretion, the typical man's LH-receptor
    occupancy at the reference LH; each drug family adds its
    own (volumes of distribution).
    """
    table = typical_values()
    p: dict[str, Any] = dict(table)
    if overrides:
        p.update(overrides)
    # The typical man's LH-receptor occupancy at the reference LH, from the table's values:
    # between-subject multipliers of L50 and kappa_L (passed as overrides) do not move it.
    p["leydig_occ_typ"] = hill(table["LH_ref"], table["L50"], table["kappa_L"])
    t_ref = p["T_ref"] / NG_DL_PER_NMOL_L_T
    p["T_ref_nmol"] = t_ref
    p["E2_ref_pmol"] = p["E2_ref"] * PMOL_L_PER_PG_ML_E2
    p["V_T"] = p["CL_T_ref"] / p["ke_T"]
    p["f_nonSHBG_ref"] = non_shbg_fraction(t_ref, p["SHBG_ref"], p)
    p["FT_ref"] = free_testosterone(t_ref, p["SHBG_ref"], p)
    p["ITT_ref"] = p["ITT_ratio"] * t_ref
    p["V_tes"] = p["CL_T_ref"] / (p["k_itt"] * (p["ITT_ratio"] - p["itt_partition"]))
    production_ref = p["CL_T_ref"] * t_ref  # nmol/day
    p["rho_arom"] = (
        p["E2_ref_pmol"] * p["CL_E2"] / ((1.0 + p["rho_testis_E2"]) * production_ref)
    )  # pmol E2 per nmol T
    p["V_E2"] = p["CL_E2"] / p["ke_E2"]
    p["LH_syn"] = p["LH_ref"] * p["ke_LH"] * p["V_LH"]
    p["s_T_ref"] = production_ref / (1.0 + p["Lmax"] * hill(p["LH_ref"], p["L50"], p["kappa_L"]))
    for family in ALL_FAMILIES:  # every drug's volumes and derived constants (the woman's too)
        family.derived(p)
    return p


def increasing_root(f: Any, lo: Num, hi: Num, iters: int = 100, log: bool = True) -> Array:
    """Root of the scalar function ``f``, increasing on [lo, hi], with a usable derivative.

    Value: ``iters`` steps of bisection on [lo, hi] (geometric if ``log``), which needs no
    starting guess and cannot diverge. Derivative: not through the bisection (whose output is
    piecewise constant in anything ``f`` closes over, so autodiff would give zero) but by the
    implicit function theorem at the root x(θ): f(x, θ) = 0, so df/dx dx + df/dθ dθ = 0 and
    dx = -(df/dx)^-1 df/dθ dθ, via :func:`jax.lax.custom_root`. ``f`` may close over traced
    parameters; forward (``jacfwd``) and reverse (``grad``) mode, ``jit`` and ``vmap`` all work.
    """

    def bisection(g: Any, _guess: Array) -> Array:
        def body(_: int, bounds: tuple[Array, Array]) -> tuple[Array, Array]:
            a, b = bounds
            m = jnp.sqrt(a * b) if log else 0.5 * (a + b)
            pos = g(m) > 0
            return jnp.where(pos, a, m), jnp.where(pos, m, b)

        a, b = jax.lax.fori_loop(0, iters, body, (jnp.asarray(lo, float), jnp.asarray(hi, float)))
        return jnp.sqrt(a * b) if log else 0.5 * (a + b)

    def scalar_solve(g: Any, y: Array) -> Array:  # g is x -> df/dx x at the root
        return y / g(1.0)

    return jax.lax.custom_root(f, jnp.asarray(lo, float), bisection, scalar_solve)


def _extragonadal(total_production: Array, p: Mapping[str, Any]) -> Array:
    """The extragonadal share of T production (nmol/day) at steady state. The cap at half is a
    numerical guard, not physiology: it binds only below about twice the castrate level (~22
    ng/dL), under the 50 ng/dL that scenarios and population files allow, and keeps the
    testis's share positive for any input."""
    return jnp.minimum(
        p["T_castrate_ng_dl"] / NG_DL_PER_NMOL_L_T * p["CL_T_ref"], 0.5 * total_production
    )


def _untreated_balance(
    t: Array, shbg: Array, p: Mapping[str, Any]
) -> tuple[Array, Array, Array, Array]:
    """At untreated total T ``t`` (nmol/L) and SHBG ``shbg``: free T, the testis's production
    (nmol/day), estradiol (pmol/L, with the man's ``arom_factor``), the steroid feedback on
    the GnRH drive x pituitary stimulus per unit drive0."""
    ft = free_testosterone(t, shbg, p)
    total_production = t_clearance(t, shbg, p) * t  # nmol/day
    production = total_production - _extragonadal(total_production, p)  # the testis's
    e2 = (
        p["rho_arom"]
        * (p["arom_factor"] * p["CL_T_ref"] * t + p["rho_testis_E2"] * production)
        / p["CL_E2"]
    )
    er_occ = er_occupancy(e2 / p["E2_ref_pmol"], p)
    fb_e_hyp = estrogen_feedback(er_occ, p["fb_E_hyp_gain"])
    fb_e_pit = estrogen_feedback(er_occ, p["fb_E_pit_gain"])
    steroid_fb = androgen_feedback(ft / p["FT_ref"], p) * fb_e_hyp * fb_e_pit
    return ft, production, e2, steroid_fb


def _secretion_per_scale(lh: Num, p: Mapping[str, Any]) -> Array:
    """Leydig T secretion (nmol/day) per unit secretory scale ``s_T`` at steady LH ``lh``."""
    cap = leydig_capacity_target(lh, p)
    return cap * (1.0 + p["Lmax"] * hill(lh, p["L50"], p["kappa_L"]))


def _reference_balance(p: Mapping[str, Any]) -> tuple[Array, Array]:
    """The reference man's (T_ref, SHBG_ref, BMI_ref, age_ref, healthy) testis production
    (nmol/day) and steroid feedback per unit drive0."""
    ref = {**p, "arom_factor": 1.0}
    _, production, _, steroid_fb = _untreated_balance(p["T_ref_nmol"], p["SHBG_ref"], ref)
    return production, steroid_fb


def _reference_drive(p: Mapping[str, Any]) -> Array:
    """The reference man's central drive ``drive0`` (his LH at ``LH_ref``)."""
    return 1.0 / _reference_balance(p)[1]


def leydig_age_fraction(age: Num, p: Mapping[str, Any]) -> Array:
    """Leydig cells left at ``age`` relative to the reference man (age ``age_ref``): linear
    attrition of ``leydig_loss_per_year`` of the count at 20 y (Kaler & Neaves 1978), counted
    from ``age_ref`` (1 at and below it; floored at 5 %, reached only beyond 100 y)."""
    lost = p["leydig_loss_per_year"]
    left_ref = 1.0 - lost * (p["age_ref"] - 20.0)
    left = 1.0 - lost * (jnp.maximum(age, p["age_ref"]) - 20.0)
    return jnp.maximum(left / left_ref, 0.05)


def covariate_baseline_t(p: Mapping[str, Any], shbg: Array, age: Num) -> tuple[Array, Array]:
    """Untreated total T (nmol/L) and LH (IU/L) of a healthy man known only by his covariates:
    the steady state of the reference man's central drive and Leydig secretory scale (times
    :func:`leydig_age_fraction`) under the man's own SHBG ``shbg`` and ``p["arom_factor"]``.
    His steroids set LH through the feedback laws, LH sets the testis's production, and
    production over clearance sets T: the root in T of production = secretion(LH(T)).
    At BMI_ref and ages up to age_ref it is the reference man (T_ref, LH_ref)."""
    production_ref, fb_ref = _reference_balance(p)
    s_t = production_ref / _secretion_per_scale(p["LH_ref"], p) * leydig_age_fraction(age, p)
    drive = 1.0 / fb_ref

    def lh_at(t: Array) -> Array:
        steroid_fb = _untreated_balance(t, shbg, p)[3]
        return p["LH_ref"] * lh_synthesis_response(drive * steroid_fb, p)

    def gap(t: Array) -> Array:  # production rises with T, secretion falls (LH falls)
        return _untreated_balance(t, shbg, p)[1] - s_t * _secretion_per_scale(lh_at(t), p)

    t = increasing_root(gap, 0.05, 500.0)
    return t, lh_at(t)


def patient_parameters(
    pop: Mapping[str, Any],
    *,
    baseline_t_ng_dl: Array,
    condition_code: Array,
    bmi: Array,
    age: Array,
    testis_volume: Array,
    shbg_offset: Num = 0.0,
    from_covariates: Array | bool = False,
) -> tuple[dict[str, Any], Baseline]:
    """Individualize: the untreated steady state of this man has total T = ``baseline_t_ng_dl``.

    ``from_covariates`` (a healthy man whose scenario gives no baseline T): ``baseline_t_ng_dl``
    is not used; his untreated T is the steady state of the reference man's testis (less the
    Leydig cells lost with age above ``age_ref``, :func:`leydig_age_fraction`) and central drive
    under his own SHBG, aromatization and their feedback (:func:`covariate_baseline_t`), so it
    falls with BMI and moves with age by the model's mechanisms; ``T_ref`` at ``BMI_ref`` and
    ages up to ``age_ref``.

    ``shbg_offset`` (nmol/L, default 0) is added to the man's SHBG: the insulin-resistance
    effect of :mod:`hpgsim.model.metabolic`.

    Healthy: both the Leydig secretory scale ``s_T`` and the hypothalamic drive ``drive0`` are
    set so that LH stays at the reference value (a eugonadotropic man). Primary hypogonadism:
    ``s_T`` absorbs the difference from the reference (LH rises when T is low), up to the
    typical testis's ``s_T_ref``; beyond it (a man whose own steroids would brake an intact
    drive below what his T needs) the drive absorbs the rest. Secondary and congenital
    hypogonadotropic hypogonadism: ``drive0`` does (LH low or normal with low T).

    Returns the individual parameters and the :class:`Baseline` that :func:`steady_state`
    reads.
    """
    p = dict(pop)
    p["ssc_ceiling"] = stem_cell_ceiling(age, testis_volume, condition_code, p)
    t_star = baseline_t_ng_dl / NG_DL_PER_NMOL_L_T
    p["SHBG_base"] = (
        p["SHBG_ref"]
        + p["shbg_bmi_slope"] * (bmi - p["BMI_ref"])
        + p["shbg_age_slope"] * jnp.maximum(age - p["age_ref"], 0.0)
        + shbg_offset
    )
    p["arom_factor"] = 1.0 + p["arom_bmi_slope"] * (bmi - p["BMI_ref"])  # > 0 for BMI >= 15

    # The man's own SHBG follows his covariates (BMI, age); androgen given on top changes it
    # through the androgen law of free T relative to his own.
    shbg = p["SHBG_base"]
    # A healthy man with no baseline T of his own: his T follows from his covariates.
    t_cov, lh_cov = covariate_baseline_t(p, shbg, age)
    t_star = jnp.where(from_covariates, t_cov, t_star)
    ft, production, e2, steroid_fb = _untreated_balance(t_star, shbg, p)
    p["FT_own"] = ft
    p["T_extragonadal"] = _extragonadal(t_clearance(t_star, shbg, p) * t_star, p)

    def secretion(lh: Num, s_t: Num) -> Array:
        return s_t * _secretion_per_scale(lh, p)

    # Healthy: the man's own T is set by both his central drive and his testes, with LH at the
    # reference value (eugonadotropic); T_ref reproduces the reference man exactly.
    s_t_healthy = production / secretion(p["LH_ref"], 1.0)
    drive_healthy = 1.0 / steroid_fb
    # Primary hypogonadism: intact drive, the testis absorbs the difference (LH rises).
    lh_gonad = p["LH_ref"] * lh_synthesis_response(steroid_fb, p)
    s_t_gonad = production / secretion(lh_gonad, 1.0)
    # Secondary and congenital hypogonadotropic: typical testis, the drive absorbs it (LH low).
    lh_centre = increasing_root(lambda lh: secretion(lh, p["s_T_ref"]) - production, 1e-9, 1e4)
    k = p["lh_capacity"] - 1.0
    m = jnp.minimum(lh_centre / p["LH_ref"], 0.999 * p["lh_capacity"])
    drive_centre = (m * k / (1.0 + k - m)) / steroid_fb
    healthy = condition_code == Condition.HEALTHY
    central = (condition_code == Condition.SECONDARY_HYPOGONADISM) | (
        condition_code == Condition.CONGENITAL_HYPOGONADOTROPIC_HYPOGONADISM
    )
    # Primary hypogonadism is a testis that makes less than a typical one: where his estradiol
    # and free T would brake an intact drive so hard that only a testis more productive than
    # the typical one could make his T (high BMI near the hypogonadal limit: LH near 0 and a
    # Leydig scale hundreds of times the reference, which hCG then drove to 500,000 ng/dL),
    # his testis is the typical one and the drive absorbs the rest, as in central
    # hypogonadism (continuous where the two meet: there lh_centre = lh_gonad).
    gonad = ~central & ~healthy & (s_t_gonad <= p["s_T_ref"])
    # Healthy from his covariates: the reference man's drive, his own (aged) testis, at the LH
    # his steroids leave (the root of covariate_baseline_t).
    own = healthy & jnp.asarray(from_covariates, bool)
    s_t_own = production / secretion(lh_cov, 1.0)
    drive_own = _reference_drive(p)
    p["s_T"] = jnp.where(
        own,
        s_t_own,
        jnp.where(healthy, s_t_healthy, jnp.where(gonad, s_t_gonad, p["s_T_ref"])),
    )
    p["drive0"] = jnp.where(
        own, drive_own, jnp.where(healthy, drive_healthy, jnp.where(gonad, 1.0, drive_centre))
    )
    # His own untreated LH-receptor occupancy: the receptors it leaves free scale the Leydig
    # induction's drive.
    lh_own = jnp.where(
        own,
        lh_cov,
        jnp.where(healthy, p["LH_ref"], jnp.where(gonad, lh_gonad, m * p["LH_ref"])),
    )
    p["leydig_occ_own"] = hill(lh_own, p["L50"], p["kappa_L"])
    # His own untreated GnRH drive: the gonadotroph capacity is his own (1) at it.
    er_own = er_occupancy(e2 / p["E2_ref_pmol"], p)
    p["gnrh_own"] = (
        p["drive0"]
        * androgen_feedback(ft / p["FT_ref"], p)
        * estrogen_feedback(er_own, p["fb_E_hyp_gain"])
    )
    return p, Baseline(tt=t_star, shbg=shbg, ft=ft, e2=e2, production=production)


def steady_state(p: Mapping[str, Any], b: Baseline) -> Array:
    """The untreated steady-state state vector of the man described by ``p`` and ``b``
    (:func:`patient_parameters` output)."""
    t_star = b.tt
    er_occ = er_occupancy(b.e2 / p["E2_ref_pmol"], p)
    fb_e_pit = estrogen_feedback(er_occ, p["fb_E_pit_gain"])
    gnrh = p["gnrh_own"]  # his untreated GnRH drive (patient_parameters)
    synthesis = p["LH_syn"] * lh_synthesis_response(gnrh * fb_e_pit, p)
    lh = synthesis / (p["V_LH"] * p["ke_LH"])
    pool = synthesis / lh_fractional_release(gnrh, p)  # synthesis = mobilization = release
    cap = leydig_capacity_target(lh, p)
    itt = b.production / (p["V_tes"] * p["k_itt"]) + p["itt_partition"] * t_star

    # FSH and inhibin B close a loop: FSH = f(inhibin(FSH)); solve in FSH.
    def fsh_gap(f: Array) -> Array:
        inh = p["InhB_ref"] * inhibin_drive(f, p)
        inh_fb = disinhibition(inh / p["InhB_ref"], p["fb_inh_gain"], 1.0)
        stimulus = jnp.power(gnrh, p["gamma_FSH"]) * fb_e_pit * inh_fb
        return f - p["FSH_ref"] * fsh_synthesis_response(stimulus, p)

    fsh = increasing_root(fsh_gap, 1e-9, 1e4)
    sertoli = inhibin_drive(fsh, p)
    inhb = p["InhB_ref"] * sertoli
    support = germ_support(itt, fsh, p)
    ssc = stem_cell_steady(support, p["ssc_ceiling"], p)
    germ = germ_chain_steady(support, ssc, p)
    epi = N_GERM / p["sperm_duration"] * germ[-1] * p["epididymal_transit"]

    y = jnp.zeros(N_STATES)
    values = {
        "androgen_fb": b.ft / p["FT_ref"],
        "estrogen_fb": b.e2 / p["E2_ref_pmol"],
        "gnrhr_sens": 1.0,
        "gonadotroph_cap": 1.0,
        "lh_pool": pool,
        "lh_rrp": synthesis / p["k_lh_rrp"],
        "lh": lh,
        "lh_periph": lh,
        "fsh": fsh,
        "leydig_cap": cap,
        "leydig_sens": 1.0,
        "leydig_down": 1.0,
        "leydig_ind": 1.0,
        "itt": itt,
        "t_endo": t_star,
        "e2": b.e2,
        "shbg": b.shbg,
        "sertoli": sertoli,
        "inhb": inhb,
        "ssc": ssc,
        "epididymis": epi,
    }
    for name, v in values.items():
        y = y.at[IDX[name]].set(v)
    for i in range(N_GERM):
        y = y.at[IDX[f"germ_{i + 1}"]].set(germ[i])
    return y


# ------------------------------------------------------------------------------ readouts
HORMONE_COLUMNS: tuple[str, ...] = (
    "total_testosterone_ng_dl",
    "free_testosterone_pg_ml",
    "estradiol_pg_ml",
    "lh_iu_l",
    "fsh_iu_l",
    "shbg_nmol_l",
    "inhibin_b_pg_ml",
    "intratesticular_testosterone_ng_ml",
    "sperm_concentration_m_per_ml",
    "testicular_volume_ml",
    "stem_cell_reserve_fraction",
    "germ_cells_fraction",
)
DRUG_COLUMNS: tuple[str, ...] = tuple(c for f in FAMILIES for c in f.output_columns())
OUTPUT_COLUMNS: tuple[str, ...] = HORMONE_COLUMNS + DRUG_COLUMNS


def readouts(y: Array, p: Params) -> dict[str, Array]:
    """Reported columns (:data:`OUTPUT_COLUMNS`) from one state vector, by column name, as a
    blood draw sees it.

    Product columns (``testosterone_cypionate_ng_ml`` ...) are the serum testosterone delivered
    by that product, in ng/mL; the other drug columns are plasma drug concentrations.
    ``fsh_iu_l`` is endogenous plus injected FSH, as an immunoassay measures it; ``lh_iu_l`` is
    LH alone (LH immunoassays do not read hCG). ``stem_cell_reserve_fraction`` (type A
    spermatogonia) and ``germ_cells_fraction`` (type B spermatogonia onwards) are relative to
    the man's own untreated testis, as a biopsy count would compare them.
    """
    s = StateView(y, LAYOUT)
    c = drug_concentrations(s, p)
    drugs = drug_effects(s, c, p)
    tt = serum_t(s, drugs)
    ft = free_testosterone(tt, s["shbg"], p)
    germ_mass = sum(s[f"germ_{i}"] for i in range(1, N_GERM + 1))
    vol = testis_volume(germ_mass, p)
    sperm = p["sperm_conc0"] * s["epididymis"] / p["epididymis0"]
    out: dict[str, Array] = {
        "total_testosterone_ng_dl": tt * NG_DL_PER_NMOL_L_T,
        "free_testosterone_pg_ml": ft * p["mw_T"],  # nmol/L x g/mol = ng/L = pg/mL
        "estradiol_pg_ml": s["e2"] / PMOL_L_PER_PG_ML_E2,
        "lh_iu_l": s["lh"],
        # immunoassays measure injected FSH too
        "fsh_iu_l": s["fsh"] + drugs["fsh_receptor_agonist_iu_l"],
        "shbg_nmol_l": s["shbg"],
        "inhibin_b_pg_ml": s["inhb"],
        "intratesticular_testosterone_ng_ml": s["itt"] * T_NG_ML_PER_NMOL_L,
        "sperm_concentration_m_per_ml": sperm,
        "testicular_volume_ml": vol,
        "stem_cell_reserve_fraction": s["ssc"] / p["ssc0"],
        "germ_cells_fraction": germ_mass / p["germ_mass0"],
    }
    for family in FAMILIES:
        out.update(family.readouts(s, c, p))
    return out


def readout_vector(y: Array, p: Params) -> Array:
    """:func:`readouts` stacked in :data:`OUTPUT_COLUMNS` order (for batched solvers)."""
    out = readouts(y, p)
    return jnp.stack([jnp.asarray(out[col], dtype=jnp.float64) for col in OUTPUT_COLUMNS])


def attach_baseline_scales(
    p: dict[str, Any], y0: Array, *, sperm_conc0: Array, testis_volume0: Array
) -> dict[str, Any]:
    """Store the man's own baseline sperm output and germ mass, so readouts scale to them, and
    the sperm concentration and testis volume his testis would have at a eugonadal man's germ-
    cell support (:func:`eugonadal_headroom`): what his baseline implies once treatment lifts a
    deprived testis."""
    p = dict(p)
    p["sperm_conc0"] = sperm_conc0
    p["testis_volume0"] = testis_volume0
    p["epididymis0"] = y0[IDX["epididymis"]]
    p["germ_mass0"] = sum(y0[IDX[f"germ_{i}"]] for i in range(1, N_GERM + 1))
    p["ssc0"] = y0[IDX["ssc"]]
    sperm_ratio, germ_ratio = eugonadal_headroom(p)
    p["sperm_conc_eugonadal"] = sperm_conc0 * sperm_ratio
    p["germ_mass_eugonadal"] = p["germ_mass0"] * germ_ratio
    p["testis_volume_eugonadal"] = testis_volume0 / _volume_factor(1.0 / germ_ratio, p)
    return p


def _volume_factor(germ_relative: Num, p: Params) -> Array:
    """Testis volume relative to a eugonadal testis at germ mass ``germ_relative`` x the
    eugonadal: the somatic share stays, the germ share follows the germ cells."""
    share = p["germ_volume_share"]
    return jnp.asarray(1.0 - share + share * germ_relative)


def testis_volume(germ_mass: Num, p: Params) -> Array:
    """Volume of one testis (mL) at ``germ_mass``: the man's own untreated volume, scaled by
    the germ share only (``germ_volume_share`` of a eugonadal testis is germ cells, the rest
    somatic). Referred to his eugonadal germ mass, not to his untreated one: a deprived
    testis has already lost germ cells, so restoring them grows it at most 1 / (1 - share)
    (1.62x), whatever his deprivation."""
    eu = p["germ_mass_eugonadal"]
    return jnp.asarray(p["testis_volume_eugonadal"] * _volume_factor(germ_mass / eu, p))


def eugonadal_headroom(p: Params) -> tuple[Array, Array]:
    """Epididymal sperm and germ-cell mass at the reference man's germ-cell support (1: his
    intratesticular T and FSH), relative to this man's untreated ones (``p`` with
    :func:`attach_baseline_scales`' scales). About 1 for a eugonadal man; large for a man
    whose untreated testis is deprived (low intratesticular T): how far restoring normal
    support raises his sperm concentration and germ mass above his baseline."""
    ssc = stem_cell_steady(1.0, p["ssc_ceiling"], p)
    germ = germ_chain_steady(1.0, ssc, p)
    epi = N_GERM / p["sperm_duration"] * germ[-1] * p["epididymal_transit"]
    return epi / p["epididymis0"], jnp.sum(germ) / p["germ_mass0"]
