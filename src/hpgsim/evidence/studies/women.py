"""The post-menopausal woman's studies (issue #20): publications on testosterone, aromatase
inhibitors and oral progesterone in women. The woman's model is built from the sources of its
parameter rows (:mod:`hpgsim.model.woman_parameters`, :mod:`hpgsim.model.drugs.progesterone`);
nothing here was fitted. Levine & Watson 2000 set the progesterone rows, so it is ``reported``;
every other study is held out, and a miss is reported as it falls, with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax.numpy as jnp
import numpy as np
import pandas as pd

from hpgsim.evidence.records import (
    E2_COL,
    FT_COL,
    P4_COL,
    SHBG_COL,
    T_COL,
    Measure,
    Target,
    Use,
    ValidationTarget,
    validation_target,
    value_at,
    window,
    woman_scenario,
)
from hpgsim.model.axis import population_parameters, t_clearance
from hpgsim.model.drugs.progesterone import LEVINE_AUC_PER_MG
from hpgsim.model.parameters import MAN_BSA_M2
from hpgsim.units import T_NG_DL_PER_NMOL_L

__all__ = ["WOMAN_BSA_M2", "WOMEN_TARGETS"]

WOMAN_BSA_M2 = 1.73
"""Body-surface area of the typical woman (m^2; an assumption: 165 cm and 65 kg by Mosteller's
formula), to read the model's clearance (L/day) in Saez 1972's units (L/m^2/day)."""


_target = validation_target


def _last_week(df: pd.DataFrame, col: str, end: float) -> np.ndarray:
    """``col`` over the last dosing week before ``end`` (days), the week's end excluded."""
    return window(df, col, end - 7.0, end)[:-1]


# --- Huang 2014: weekly IM testosterone enanthate in women ----------------------------------
_HUANG_MG = (3.0, 6.25, 12.5, 25.0)
_HUANG_WEEKS = 24
_HUANG = [
    woman_scenario(
        f"huang2014-te-{mg:g}-mg-weekly",
        f"{_HUANG_WEEKS * 7} d",
        [
            {
                "drug": "testosterone_enanthate",
                "dose": f"{mg:g} mg",
                "route": "intramuscular",
                "every": "7 d",
            }
        ],
        output_every="1 h",
        age_years=53,
    )
    for mg in _HUANG_MG
]


def _m_huang(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    end = _HUANG_WEEKS * 7.0
    return {
        f"mean T, TE {mg:g} mg weekly": float(_last_week(d, T_COL, end).mean())
        for mg, d in zip(_HUANG_MG, dfs, strict=True)
    }


_HUANG_GAP = (
    "the model's dose-response is nearly linear (clearance of the non-SHBG-bound T at an "
    "unchanged SHBG: 52, 95, 175, 322 ng/dL; 6.25 mg passes), the women's strongly sublinear "
    "(8x the dose gave 3.2x the rise over placebo); a fall of SHBG with dose would bend it, "
    "but the man's law that does so contradicts Fooladi 2015's unchanged SHBG on low-dose T "
    "(see the woman's SHBG in docs/women.md); and the trial's placebo arm sat at 19 ng/dL "
    "against the model's post-menopausal 11"
)

HUANG = _target(
    Target(
        key="heldout_huang2014_te_women",
        title="Testosterone enanthate 3, 6.25, 12.5 or 25 mg IM weekly for 24 weeks in "
        "hysterectomized women (Huang 2014)",
        source="Huang G, Basaria S, Travison TG et al. Testosterone dose-response "
        "relationships in hysterectomized women with or without oophorectomy. Menopause "
        "2014;21:612-23, PMID 24281237, doi:10.1097/GME.0000000000000093",
        scenarios=_HUANG,
        measure=_m_huang,
        measures=[
            Measure(f"mean T, TE {mg:g} mg weekly", pub, tolerance=0.25, unit=" ng/dL")
            for mg, pub in zip(_HUANG_MG, (78.0, 102.0, 128.0, 210.0), strict=True)
        ],
        notes="Held out. 62 analysed women (hysterectomized, some oophorectomized) on a "
        "standardized transdermal estradiol, baseline total T < 31 ng/dL; total T by LC-MS/MS "
        "(placebo 19 ng/dL). Sampling relative to the injection is not in the abstract: the "
        "simulated value is the mean over week 24's dosing interval. Simulated: the post-"
        "menopausal woman at 53 y (the transdermal estradiol not given: it barely moves SHBG).",
        fit=False,
        stage="validation",
        known_gaps={
            "mean T, TE 3 mg weekly": _HUANG_GAP,
            "mean T, TE 12.5 mg weekly": _HUANG_GAP,
            "mean T, TE 25 mg weekly": _HUANG_GAP,
        },
    ),
    Use.HELD_OUT,
    "62 hysterectomized women (with or without oophorectomy), mean age about 53 y",
    "mean on-treatment total testosterone by weekly TE dose (LC-MS/MS)",
    "arm means; SDs not in the abstract",
    "+/-25%: the tolerance hpgsim gives PK group means without a published SD",
    (T_COL, FT_COL, SHBG_COL),
)

# --- Fooladi 2015: testosterone cream 5 mg/day in post-menopausal women ----------------------
_FOOLADI = [
    woman_scenario(
        "fooladi2015-cream-5-mg-daily",
        "21 d",
        [{"drug": "testosterone_gel", "dose": "5 mg", "route": "transdermal", "every": "1 d"}],
        output_every="1 h",
        age_years=59,
    )
]


def _m_fooladi(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    day = window(d, T_COL, 20.0, 21.0)[:-1]
    free = window(d, FT_COL, 20.0, 21.0)[:-1]
    return {
        "total T Cavg, day 21": float(day.mean()),
        "free T Cavg, day 21": float(free.mean()),
        "SHBG day 21 / baseline": value_at(d, SHBG_COL, 21.0) / value_at(d, SHBG_COL, 0.0),
    }


FOOLADI = _target(
    Target(
        key="heldout_fooladi2015_cream_women",
        title="Testosterone 1% cream 5 mg daily for 21 days in post-menopausal women "
        "(Fooladi 2015)",
        source="Fooladi E, Reuter SE, Bell RJ, Robinson PJ, Davis SR. Pharmacokinetics of a "
        "transdermal testosterone cream in healthy postmenopausal women. Menopause "
        "2015;22:44-49",
        scenarios=_FOOLADI,
        measure=_m_fooladi,
        measures=[
            Measure("total T Cavg, day 21", 54.0, low=43.0, high=131.0, unit=" ng/dL"),
            Measure("free T Cavg, day 21", 4.14, low=2.41, high=9.72, unit=" pg/mL"),
            Measure("SHBG day 21 / baseline", 1.0, low=0.9, high=1.1),
        ],
        notes="Held out. 7 women, mean age 59.3; medians with ranges (5 mg arm, uncorrected). "
        "The model's only transdermal product is a 1% testosterone gel absorbed as AndroGel "
        "is in men (10%); the cream on the arm stands in for it. SHBG: 'no meaningful "
        "change' is read as within 10%.",
        fit=False,
        stage="validation",
        known_gaps={
            "free T Cavg, day 21": "12.0 vs 4.1 pg/mL (accepted to 9.7): with total T inside the "
            "women's range (76 vs 54 ng/dL) and SHBG unchanged at 41.6 nmol/L, Vermeulen's law "
            "leaves 1.6 % of T free; the women's 4.1 of 54 is 0.8 %, as with an SHBG near 90 "
            "nmol/L or a free-T method that reads lower than the calculation",
        },
    ),
    Use.HELD_OUT,
    "7 healthy post-menopausal women, mean age 59",
    "total and free T averaged over a day at steady state; SHBG after 21 days",
    "medians with ranges",
    "the published range of the 7 women; SHBG within 10% of baseline",
    (T_COL, FT_COL, SHBG_COL),
)

# --- ENIGI: SHBG after a year of testosterone in trans men ------------------------------------
_ENIGI = [
    woman_scenario(
        "enigi-gel-50-mg-daily-12-months",
        "365 d",
        [{"drug": "testosterone_gel", "dose": "50 mg", "route": "transdermal", "every": "1 d"}],
        age_years=30,
    )
]


def _m_enigi(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {
        "SHBG at 12 months / baseline": value_at(d, SHBG_COL, 365.0) / value_at(d, SHBG_COL, 0.0)
    }


ENIGI = _target(
    Target(
        key="heldout_enigi_shbg_trans_men",
        title="SHBG after 12 months of testosterone in trans men (ENIGI)",
        source="Changes in sex hormone-binding globulin concentrations in transgender persons "
        "using gender-affirming hormone therapy (European Network for the Investigation of "
        "Gender Incongruence), abstract: trans men's SHBG 50 (SD 26) nmol/L at baseline, -20 "
        "(95% CI -25 to -16) nmol/L after 12 months of transdermal or IM testosterone",
        scenarios=_ENIGI,
        measure=_m_enigi,
        measures=[Measure("SHBG at 12 months / baseline", 0.60, low=0.50, high=0.68)],
        notes="Held out; not like-for-like: 88 trans men, premenopausal at baseline, on "
        "transdermal or IM testosterone at male doses; simulated: the post-menopausal woman on "
        "a 50 mg/day testosterone gel, which takes her T into the male range. The accepted "
        "range is the change's 95% CI over the baseline mean.",
        fit=False,
        stage="validation",
        known_gaps={
            "SHBG at 12 months / baseline": "0.91 vs 0.60: read against a man's free T (the "
            "choice that keeps SHBG unchanged at low dose, as Fooladi 2015 found), the man's "
            "law lowers SHBG only to a man's level, and at her T of about 450 ng/dL her free T "
            "is barely above his; read against her own free T it fell to 0.07. The liver's "
            "response to androgen in women is steeper than the man's law at male free T"
        },
    ),
    Use.HELD_OUT,
    "88 trans men (ENIGI cohort)",
    "SHBG after 12 months of testosterone relative to baseline",
    "mean change with 95% CI",
    "the 95% CI of the mean change over the baseline mean",
    (T_COL, SHBG_COL),
)

# --- Saez 1972: testosterone clearance in women and men ---------------------------------------
_SAEZ = [woman_scenario("saez1972-untreated-woman", "1 d", [], age_years=35)]


def _m_saez(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    """The woman's clearance (L/day): the man's binding law (:func:`t_clearance`) at her
    untreated total T and SHBG, per m^2, over the man's reference clearance per m^2."""
    d = dfs[0]
    p = population_parameters()
    t_nmol = value_at(d, T_COL, 0.0) / T_NG_DL_PER_NMOL_L
    woman = float(t_clearance(jnp.asarray(t_nmol), jnp.asarray(value_at(d, SHBG_COL, 0.0)), p))
    man = float(p["CL_T_ref"])
    return {"MCR women / men, per m2": (woman / WOMAN_BSA_M2) / (man / MAN_BSA_M2)}


SAEZ = _target(
    Target(
        key="heldout_saez1972_mcr_women",
        title="Metabolic clearance of testosterone in women and men (Saez 1972)",
        source="Saez JM et al. Metabolic clearance rate and blood production rate of "
        "testosterone and dihydrotestosterone in normal subjects. J Clin Invest "
        "1972;51:1226-34, PMID 5020435",
        scenarios=_SAEZ,
        measure=_m_saez,
        measures=[Measure("MCR women / men, per m2", 304.0 / 516.0, tolerance=0.25)],
        notes="Held out: the model's female clearance is the man's binding law (clearance "
        "follows the non-SHBG-bound fraction, calibrated in men) at the woman's SHBG; Saez's "
        "men's value is the table's CL_T_ref. Not like-for-like: Saez's 7 women were "
        "premenopausal (SHBG then higher than after menopause); the woman's body-surface area "
        "(1.73 m^2) is an assumption.",
        fit=False,
        stage="validation",
        known_gaps={
            "MCR women / men, per m2": "0.83 vs 0.59: at the post-menopausal SHBG (41.6 "
            "against the man's 35 nmol/L) and her low T, the man's binding law lowers "
            "clearance by only a quarter (741 L/day); Saez's premenopausal women, with SHBG "
            "about twice a man's, cleared 304 L/m2/day"
        },
    ),
    Use.HELD_OUT,
    "7 normal women and 8 normal men (constant infusion)",
    "metabolic clearance rate of testosterone, women over men, per m^2 of body surface",
    "MCR 304 +/- 53 (women) and 516 +/- 108 (men) L/m^2/day, mean +/- SD",
    "+/-25%: the two groups' SDs (17% and 21%) combined",
    (T_COL, SHBG_COL),
)

# --- Dixon 2008: plasma estradiol on anastrozole and letrozole after menopause ----------------
_DIXON = [
    woman_scenario(
        f"dixon2008-{drug}",
        "91 d",
        [{"drug": drug, "dose": dose, "route": "oral", "every": "1 d"}],
        age_years=63,
    )
    for drug, dose in (("anastrozole", "1 mg"), ("letrozole", "2.5 mg"))
]


def _m_dixon(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    return {
        f"E2 at 3 months / baseline, {drug}": value_at(d, E2_COL, 91.0) / value_at(d, E2_COL, 0.0)
        for drug, d in zip(("anastrozole", "letrozole"), dfs, strict=True)
    }


_DIXON_GAP = (
    "the aromatase inhibitors' Imax were fitted to men's estradiol falls as their assays "
    "read them (anastrozole 1 mg leaves men's true E2 at about a fifth); the same block "
    "leaves a post-menopausal woman, all of whose estradiol is aromatized, at 21 % of "
    "baseline on either drug, where these women kept 10 % (anastrozole) and 6 % (letrozole)"
)

DIXON = _target(
    Target(
        key="heldout_dixon2008_ai_women",
        title="Plasma estradiol after 3 months of anastrozole 1 mg or letrozole 2.5 mg daily "
        "in post-menopausal women (Dixon 2008)",
        source="Dixon JM, Renshaw L, Young O et al. (Edinburgh Breast Unit). Letrozole suppresses "
        "plasma estradiol and estrone sulphate more completely than anastrozole in "
        "postmenopausal women with breast cancer. J Clin Oncol 2008;26:1671-6, PMID 18375896",
        scenarios=_DIXON,
        measure=_m_dixon,
        measures=[
            Measure("E2 at 3 months / baseline, anastrozole", 0.101, low=0.093, high=0.120),
            Measure("E2 at 3 months / baseline, letrozole", 0.059, low=0.053, high=0.069),
        ],
        notes="Held out. 54 women, crossover, highly sensitive RIA; baseline E2 25.7 pmol/L. "
        "The residual fractions are the paper's extrapolated means (ranges 2.38-3.08 and "
        "1.37-1.78 pmol/L over the baseline mean).",
        fit=False,
        stage="validation",
        known_gaps={
            "E2 at 3 months / baseline, anastrozole": _DIXON_GAP,
            "E2 at 3 months / baseline, letrozole": _DIXON_GAP,
        },
    ),
    Use.HELD_OUT,
    "54 post-menopausal women with breast cancer, mean age 63",
    "plasma estradiol after 3 months relative to baseline",
    "extrapolated means with ranges",
    "the published ranges of the residual estradiol over the baseline mean",
    (E2_COL,),
)

# --- Oh 2017: estradiol by BMI after menopause ------------------------------------------------
_OH_BMI = (22.5, 33.0)  # the middles of the < 25 and >= 30 groups (assumption)
_OH = [woman_scenario(f"oh2017-bmi-{bmi:g}", "1 d", [], bmi_kg_m2=bmi) for bmi in _OH_BMI]


def _m_oh(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    lean, obese = (value_at(d, E2_COL, 0.0) for d in dfs)
    return {"E2, BMI >= 30 / BMI < 25": obese / lean}


OH = _target(
    Target(
        key="heldout_oh2017_e2_by_bmi_women",
        title="Estradiol by BMI in post-menopausal women not on hormone therapy (Oh 2017, WHI)",
        source="Oh H, Coburn SB, Matthews CE et al. Anthropometric measures and serum "
        "estrogen metabolism in postmenopausal women: the Women's Health Initiative "
        "Observational Study. Breast Cancer Res 2017;19:28, doi:10.1186/s13058-017-0810-0",
        scenarios=_OH,
        measure=_m_oh,
        measures=[Measure("E2, BMI >= 30 / BMI < 25", 74.0 / 46.0, tolerance=0.2)],
        notes="Held out. 1,835 women, LC-MS/MS, adjusted geometric means 46 and 74 pmol/L. "
        "Simulated at BMI 22.5 and 33 (assumed middles of the groups); the model's adiposity "
        "factor of aromatization comes from men (Kley 1980).",
        fit=False,
        stage="validation",
    ),
    Use.HELD_OUT,
    "1,835 post-menopausal women (WHI Observational Study)",
    "serum estradiol, obese over lean",
    "adjusted geometric means",
    "+/-20%: the group means' confidence intervals are not in the abstract",
    (E2_COL,),
)

# --- Levine & Watson 2000: oral progesterone by LC-MS -------------------------------------------
_LEVINE = [
    woman_scenario(
        "levine2000-progesterone-100-mg",
        "1 d",
        [{"drug": "progesterone", "dose": "100 mg", "route": "oral"}],
        output_every="2.5 min",
        age_years=55,
    )
]


def _m_levine(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    t = d["time_days"].to_numpy(dtype=float)
    own = float(d[P4_COL].iloc[0])
    y = d[P4_COL].to_numpy(dtype=float) - own  # the product's, above her own
    auc_h = float(np.trapezoid(y, t)) * 24.0
    return {"Cmax above baseline": float(y.max()), "AUC(0-24) per mg": auc_h / 100.0}


LEVINE = _target(
    Target(
        key="reported_levine2000_oral_progesterone",
        title="Serum progesterone by LC-MS after oral micronized progesterone 100 mg "
        "(Levine & Watson 2000)",
        source="Levine H, Watson N. Comparison of the pharmacokinetics of Crinone 8% "
        "administered vaginally versus Prometrium administered orally in postmenopausal "
        "women. Fertil Steril 2000;73:516-21",
        scenarios=_LEVINE,
        measure=_m_levine,
        measures=[
            Measure("Cmax above baseline", 2.20, low=0.95, high=3.45, unit=" ng/mL"),
            Measure(
                "AUC(0-24) per mg", LEVINE_AUC_PER_MG, tolerance=0.0052 / 0.035, unit=" ng*h/mL"
            ),
        ],
        notes="Reported: its Tmax and AUC set the progesterone rows (ka_p4 and V_p4; ke_p4 is "
        "an assumption), so the AUC checks the derivation and the engine, and Cmax the "
        "one-compartment shape. 6 women; Cmax 2.20 +/- 3.06 (SD) ng/mL.",
        fit=False,
        stage="validation",
    ),
    Use.REPORTED,
    "6 healthy post-menopausal women, a single 100 mg capsule",
    "serum progesterone above baseline by LC-MS: peak and 24-h AUC per mg",
    "mean +/- SD (Cmax 2.20 +/- 3.06 ng/mL; AUC/dose 0.035 +/- 0.0052)",
    "Cmax: +/- one standard error (SD / sqrt 6); AUC: +/- one SD",
    (P4_COL,),
)

# --- Prometrium label: dose proportionality and Tmax after five daily doses -------------------
_LABEL_MG = (100.0, 300.0)
_LABEL = [
    woman_scenario(
        f"prometrium-label-{mg:g}-mg-daily",
        "5 d",
        [{"drug": "progesterone", "dose": f"{mg:g} mg", "route": "oral", "every": "1 d"}],
        output_every="2.5 min",
        age_years=55,
    )
    for mg in _LABEL_MG
]


def _day5(d: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Hours after the fifth dose (day 4) and the product's progesterone over 0-10 h."""
    t = d["time_days"].to_numpy(dtype=float)
    keep = (t >= 4.0 - 1e-9) & (t <= 4.0 + 10.0 / 24.0 + 1e-9)
    y = d[P4_COL].to_numpy(dtype=float)[keep] - float(d[P4_COL].iloc[0])
    return (t[keep] - 4.0) * 24.0, y


def _m_label(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    (h100, y100), (h300, y300) = (_day5(d) for d in dfs)
    auc100, auc300 = float(np.trapezoid(y100, h100)), float(np.trapezoid(y300, h300))
    return {
        "AUC(0-10) day 5, 300 mg / 100 mg": auc300 / auc100,
        "Tmax day 5, 100 mg": float(h100[int(np.argmax(y100))]),
    }


LABEL = _target(
    Target(
        key="heldout_prometrium_label_pk",
        title="Oral micronized progesterone 100 and 300 mg daily for five days (Prometrium label)",
        source="Prometrium (progesterone, USP) capsules, US prescribing information, Clinical "
        "Pharmacology, Table 1",
        scenarios=_LABEL,
        measure=_m_label,
        measures=[
            Measure("AUC(0-10) day 5, 300 mg / 100 mg", 175.7 / 43.3, tolerance=0.35),
            Measure("Tmax day 5, 100 mg", 1.5, low=0.7, high=2.3, unit=" h"),
        ],
        notes="Held out. Post-menopausal women after five daily doses; the label's assay is not "
        "stated and its concentrations (Cmax 17.3 ng/mL at 100 mg) are about eight times the "
        "LC-MS values (Levine & Watson 2000), so only the ratio and the timing are compared. "
        "The label calls exposure dose-proportional; its AUC ratio is 4.06.",
        fit=False,
        stage="validation",
    ),
    Use.HELD_OUT,
    "post-menopausal women (label; n not stated)",
    "AUC(0-10) ratio between doses and time of the peak after the fifth dose",
    "means +/- SD (AUC 43.3 +/- 30.8 and 175.7 +/- 170.3 ng*h/mL; Tmax 1.5 +/- 0.8 h)",
    "the ratio +/-35% (the AUCs' CVs of 71% and 97% over an unstated n); Tmax +/- one SD",
    (P4_COL,),
)

WOMEN_TARGETS: tuple[ValidationTarget, ...] = (
    HUANG,
    FOOLADI,
    ENIGI,
    SAEZ,
    DIXON,
    OH,
    LEVINE,
    LABEL,
)
"""The post-menopausal woman's studies, in registry order."""
