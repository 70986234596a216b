"""The foundation's studies: the untreated man, testosterone esters (Nankin 1987, Bhasin 2001),
the hCG-free ITT clamp (Coviello 2005), anastrozole (Leder 2004, Burnett-Bowie), SHBG (Plymate
1983), the feedback sites (Pitteloud 2008, the testolactone study), and the Leydig cell's answer
to hCG (Coviello 2005's hCG arms, single doses, serum hCG on the label). Each target is one record:
citation, scenarios, measure function, published measures with tolerances, the study's
population, observable, spread, the tolerance's reason and the known gaps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hpgsim.evidence.records import (
    E2_COL,
    FSH_COL,
    ITT_COL,
    LH_COL,
    SHBG_COL,
    T_COL,
    Measure,
    Target,
    man_scenario,
    peak_time,
    te_line,
    tu_course,
    value_at,
    window,
)
from hpgsim.measure.events import crossing_time
from hpgsim.scenario import Scenario

__all__ = ["BHASIN_NADIR_NG_DL", "FOUNDATION_TARGETS", "measure_bhasin", "ratio_to_start"]


def ratio_to_start(d: pd.DataFrame, col: str, day: float) -> float:
    """``col`` at ``day`` relative to its value at the first output time."""
    return value_at(d, col, day) / float(d[col].iloc[0])


# --------------------------------------------------------------------- target 1: untreated man
def _m_baseline(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0].iloc[-1]
    return {
        "total T": d.total_testosterone_ng_dl,
        "LH": d.lh_iu_l,
        "FSH": d.fsh_iu_l,
        "E2": d.estradiol_pg_ml,
        "SHBG": d.shbg_nmol_l,
        "free T %": 100 * d.free_testosterone_pg_ml / (10 * d.total_testosterone_ng_dl),
        "ITT/serum": (d.intratesticular_testosterone_ng_ml * 100) / d.total_testosterone_ng_dl,
        "inhibin B": d.inhibin_b_pg_ml,
    }


T1 = Target(
    key="target1_untreated",
    title="Untreated healthy man 19-39 y: steady state inside reference values",
    source="Travison 2017 PMID 28324103; calibration-targets.md target 1; Coviello 2005; "
    "Grunewald 2013",
    scenarios=[man_scenario("untreated", "60 d", [], age_years=30)],
    measure=_m_baseline,
    measures=[
        Measure("total T", 531, low=264, high=916, unit=" ng/dL"),
        Measure("LH", 4.5, low=4.0, high=5.0, unit=" IU/L"),
        Measure("FSH", 4.5, low=4.0, high=5.0, unit=" IU/L"),
        Measure("E2", 25, low=20, high=30, unit=" pg/mL"),
        Measure("SHBG", 35, low=30, high=40, unit=" nmol/L"),
        Measure("free T %", 2.0, low=1.5, high=2.5, unit="%"),
        Measure("ITT/serum", 90, low=80, high=100),
        Measure("inhibin B", 130, tolerance=0.15, unit=" pg/mL"),
    ],
    fit=False,
    population="healthy men 19-39 y (Travison 2017 harmonized cohorts; n 9054)",
    observable="steady-state hormones of the untreated man",
    spread="reference intervals (2.5th-97.5th percentiles) and cohort means",
    tolerance_reason="the published reference interval or mean +/- the spread between cohorts",
    columns=(T_COL, LH_COL, FSH_COL, E2_COL, SHBG_COL),
)


# --------------------------------------------------------------------- target 2: Nankin 1987
_NANKIN_LAST = 7 * 14.0  # the eighth biweekly injection; the interval measured is day 98-112


def _m_nankin(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    w = d[(d.time_days >= _NANKIN_LAST) & (d.time_days <= _NANKIN_LAST + 14)]
    t0, e0, f0 = (
        w.total_testosterone_ng_dl.iloc[0],
        w.estradiol_immunoassay_pg_ml.iloc[0],
        w.free_testosterone_pg_ml.iloc[0],
    )
    return {
        "T peak / pre-injection": w.total_testosterone_ng_dl.max() / t0,
        "day of T peak": peak_time(w.time_days.to_numpy(), w.total_testosterone_ng_dl.to_numpy())
        - _NANKIN_LAST,
        "free T peak / pre-injection": w.free_testosterone_pg_ml.max() / f0,
        "E2 peak / pre-injection": w.estradiol_immunoassay_pg_ml.max() / e0,
        "T day 14 / pre-injection": w.total_testosterone_ng_dl.iloc[-1] / t0,
    }


T2 = Target(
    key="target2_nankin_tc",
    title="Testosterone cypionate 200 mg IM every 2 weeks in hypogonadal men (Nankin 1987)",
    source="Nankin 1987 Fertil Steril 47:1004 (abstract copy, forums.steroid.com 49416)",
    scenarios=[
        man_scenario(
            "nankin-tc-200-q2w",
            "112 d",
            [
                {
                    "drug": "testosterone_cypionate",
                    "dose": "200 mg",
                    "route": "intramuscular",
                    "every": "14 d",
                }
            ],
            condition="secondary_hypogonadism",
            baseline_total_testosterone_ng_dl=250,
        )
    ],
    measure=_m_nankin,
    measures=[
        Measure("T peak / pre-injection", 3.0, tolerance=0.25),
        Measure("day of T peak", 3.5, low=2, high=5, unit=" d"),
        Measure("free T peak / pre-injection", 4.5, tolerance=0.30),
        Measure("E2 peak / pre-injection", 3.0, tolerance=0.30),
        Measure("T day 14 / pre-injection", 1.0, tolerance=0.30),
    ],
    notes="Nankin's men included men on chronic biweekly TC, whose 'basal' T is the trough of "
    "the previous injection; the abstract's 'declined to basal levels by days 13 to 14' is read "
    "as the biweekly cycle at steady state. Simulated: eight injections every 14 days in a man "
    "with secondary hypogonadism (baseline 250 ng/dL, assumed: the abstract gives none); the "
    "measured interval is the eighth.",
    population="hypogonadal men on biweekly testosterone cypionate (Nankin 1987)",
    observable="T, free T and E2 peak and day-14 ratios within an injection interval",
    spread="abstract gives means only",
    tolerance_reason=(
        "+/-25-30%: group means of a small study, ratios read from the abstract's text"
    ),
    columns=(T_COL, "free_testosterone_pg_ml", E2_COL),
)


# --------------------------------------------------------------------- target 3: Bhasin 2001
BHASIN_NADIR_NG_DL = {25: 253.0, 50: 306.0, 125: 542.0, 300: 1345.0, 600: 2370.0}


def measure_bhasin(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    """Nadir total T (ng/dL, day 140) of each weekly TE dose arm (:data:`BHASIN_NADIR_NG_DL`)."""
    return {
        f"nadir T at {dose} mg/wk": value_at(d, "total_testosterone_ng_dl", 140)
        for dose, d in zip(BHASIN_NADIR_NG_DL, dfs, strict=True)
    }


T3 = Target(
    key="target3_bhasin_te",
    title="Testosterone enanthate weekly for 20 weeks with the axis clamped (Bhasin 2001)",
    source="Bhasin 2001 Am J Physiol Endocrinol Metab 281:E1172",
    scenarios=[
        man_scenario(
            f"bhasin-te-{dose}",
            "141 d",
            [te_line(f"{dose} mg", "7 d", "134 d")],
            condition="congenital_hypogonadotropic_hypogonadism",
            age_years=27,
        )
        for dose in BHASIN_NADIR_NG_DL
    ],
    measure=measure_bhasin,
    measures=[
        Measure(f"nadir T at {dose} mg/wk", v, tolerance=0.25, unit=" ng/dL")
        for dose, v in BHASIN_NADIR_NG_DL.items()
    ],
    notes="The study clamped endogenous T with a monthly GnRH agonist. For the fit the clamp is "
    "the congenital_hypogonadotropic_hypogonadism condition (GnRH drive near zero, default "
    "baseline 77 ng/dL): the leuprolide parameters are fitted in the second stage, after the "
    "ester parameters this target sets, so the fit cannot run the agonist itself. The study's "
    "own design (healthy men, leuprolide 7.5 mg every 4 weeks) runs as "
    "check_bhasin_with_leuprolide. Nadir = trough 7 days after the 20th weekly injection.",
    population="healthy young men 18-35 y, GnRH-agonist clamp (61 men, 5 dose arms)",
    observable="nadir total T in week 16-20 by weekly TE dose",
    spread="SD about 25-40% of the mean per arm",
    tolerance_reason="+/-25%: the calibration-targets.md tolerance, about one between-man SD",
    columns=(T_COL,),
)


# --------------------------------------------------------------------- target 4: Coviello 2005
def _m_coviello(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {
        "LH / baseline": value_at(d, "lh_iu_l", 21) / d.lh_iu_l.iloc[0],
        "FSH / baseline": value_at(d, "fsh_iu_l", 21) / d.fsh_iu_l.iloc[0],
        "ITT / baseline": value_at(d, "intratesticular_testosterone_ng_ml", 21)
        / d.intratesticular_testosterone_ng_ml.iloc[0],
    }


T4 = Target(
    key="target4_coviello_te",
    title="Testosterone enanthate 200 mg weekly for 3 weeks in normal men (Coviello 2005)",
    source="Coviello 2005 J Clin Endocrinol Metab 90:2595",
    scenarios=[
        man_scenario(
            "coviello-te-200",
            "21 d",
            [te_line("200 mg", "7 d", "15 d")],
            age_years=30,
        )
    ],
    measure=_m_coviello,
    measures=[
        Measure("LH / baseline", 0.05, tolerance=0.5),
        Measure("FSH / baseline", 0.03, tolerance=0.5),
        Measure("ITT / baseline", 0.06, tolerance=0.5),
    ],
    notes="Values at day 21, one week after the third injection (end of the 3-week arm). "
    "Ratios near zero: tolerance +/-50% of the published fraction (LH 2.5-7.5%, ITT -91 to -97%).",
    population="healthy men 19-49 y, TE 200 mg weekly for 3 weeks (Coviello 2005)",
    observable="LH, FSH and intratesticular T at day 21 relative to baseline",
    spread="near-zero fractions; SEM a few points",
    tolerance_reason="+/-50% of a near-zero fraction (LH 2.5-7.5% of baseline)",
    columns=(LH_COL, FSH_COL, ITT_COL),
)


# --------------------------------------------------------------------- target 7: Leder 2004
def _m_leder(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {
        "T week 12 / baseline": value_at(d, "total_testosterone_ng_dl", 84)
        / d.total_testosterone_ng_dl.iloc[0],
        "E2 week 12 / baseline": value_at(d, "estradiol_immunoassay_pg_ml", 84)
        / d.estradiol_immunoassay_pg_ml.iloc[0],
        "LH week 12 / baseline": value_at(d, "lh_iu_l", 84) / d.lh_iu_l.iloc[0],
    }


T7 = Target(
    key="target7_leder_anastrozole",
    title="Anastrozole 1 mg daily for 12 weeks in older men with low T (Leder 2004)",
    source="Leder 2004, PMID 15001605",
    scenarios=[
        man_scenario(
            "leder-ana-1mg",
            "84 d",
            [{"drug": "anastrozole", "dose": "1 mg", "route": "oral", "every": "1 d"}],
            age_years=68,
            bmi_kg_m2=27,
            condition="secondary_hypogonadism",
            baseline_total_testosterone_ng_dl=343,
        )
    ],
    measure=_m_leder,
    measures=[
        Measure("T week 12 / baseline", 572 / 343, tolerance=0.15),
        Measure("E2 week 12 / baseline", 17 / 26, tolerance=0.15),
        Measure("LH week 12 / baseline", 7.9 / 5.1, tolerance=0.15),
    ],
    notes="Ratios of week-12 to baseline means (T 343 -> 572 ng/dL, E2 26 -> 17 pg/mL, LH 5.1 -> "
    "7.9 IU/L). Low T with normal LH (inappropriately normal gonadotropins) is modelled as "
    "secondary hypogonadism: a typical testis with a reduced hypothalamic drive. Mean BMI of "
    "the cohort is not in the abstract: 27 kg/m2 assumed.",
    population="older men with low T, 62-74 y (Leder 2004; n 37)",
    observable="T, E2 and LH at week 12 relative to baseline",
    spread="group means; SD about 25% of the mean",
    tolerance_reason="+/-15%: tight enough to pin the estradiol feedback the fit uses",
    columns=(T_COL, E2_COL, LH_COL),
)


def _m_burnett_bowie(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {
        "T month 3 / baseline": value_at(d, "total_testosterone_ng_dl", 91)
        / d.total_testosterone_ng_dl.iloc[0],
        "E2 month 3 / baseline": value_at(d, "estradiol_immunoassay_pg_ml", 91)
        / d.estradiol_immunoassay_pg_ml.iloc[0],
    }


T_BURNETT_BOWIE = Target(
    key="check_burnett_bowie_anastrozole",
    title="Anastrozole 1 mg daily in 88 hypogonadal men >= 60 y, month 3 (not fitted)",
    source="Burnett-Bowie 2009, Clin Endocrinol 70:116, doi 10.1111/j.1365-2265.2008.03327.x",
    scenarios=[
        man_scenario(
            "burnett-bowie-ana-1mg",
            "91 d",
            [{"drug": "anastrozole", "dose": "1 mg", "route": "oral", "every": "1 d"}],
            age_years=67,
            bmi_kg_m2=29,
            condition="secondary_hypogonadism",
            baseline_total_testosterone_ng_dl=11.2 * 28.842,
        )
    ],
    measure=_m_burnett_bowie,
    measures=[
        Measure("T month 3 / baseline", 18.2 / 11.2, tolerance=0.15),
        Measure("E2 month 3 / baseline", 42.2 / 55.8, tolerance=0.15),
    ],
    notes="Out-of-sample check, not fitted: T 11.2 -> 18.2 nmol/L, E2 55.8 -> 42.2 pmol/L at "
    "3 months. Age 67 and BMI 29 assumed (not in the abstract); modelled like Leder 2004 as "
    "secondary hypogonadism. T passes; E2 falls 36% in the model vs 24% here, at the edge of "
    "the tolerance (Leder 2004, fitted, reported 35% for the same dose): the two trials' "
    "immunoassays disagree.",
    fit=False,
    population="hypogonadal men >= 60 y (Burnett-Bowie 2009; n 88)",
    observable="T and E2 at month 3 relative to baseline",
    spread="group means",
    tolerance_reason="+/-15%, the same as the fitted Leder 2004 target",
    columns=(T_COL, E2_COL),
    known_gaps={
        "E2 month 3 / baseline": "E2 falls 40% vs 24% (Leder 2004, fitted, falls 35%)",
    },
)


# --------------------------------------------------------------------- supporting targets
def _m_plymate(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {"SHBG month 3 / baseline": value_at(d, "shbg_nmol_l", 84) / d.shbg_nmol_l.iloc[0]}


T_PLYMATE = Target(
    key="support_plymate_shbg",
    title="SHBG on testosterone enanthate 200 mg every 2 weeks for 3 months (Plymate 1983)",
    source="Plymate 1983, PMID 6683724",
    scenarios=[
        man_scenario(
            "plymate-te-200-q2w",
            "84 d",
            [te_line("200 mg", "14 d", "71 d")],
            age_years=30,
        )
    ],
    measure=_m_plymate,
    measures=[Measure("SHBG month 3 / baseline", 4.3 / 6.5, tolerance=0.10)],
    notes="Sampled at day 84, two weeks after the sixth injection (trough).",
    population="healthy men on TE 200 mg every 2 weeks (Plymate 1983)",
    observable="SHBG at month 3 relative to baseline",
    spread="group mean",
    tolerance_reason="+/-10%: a single ratio that sets the SHBG-androgen slope",
    columns=(SHBG_COL,),
)


def _m_pitteloud(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    return {}  # evaluated from parameters in evaluate_targets (no scenario needed)


T_PITTELOUD = Target(
    key="support_pitteloud_blockade",
    title="LH with sex-steroid feedback removed and added back (Pitteloud 2008)",
    source="Pitteloud 2008, PMC2266963 (22 normal men, ketoconazole blockade)",
    scenarios=[],
    measure=_m_pitteloud,
    measures=[Measure("LH without sex-steroid feedback / baseline", 3.0, tolerance=0.25)],
    notes="In normal men ketoconazole raised mean LH 3-fold on days 3-4, stable on days 6-7 "
    "(34.6 +/- 3.9 IU/L in the T arm; the study's assay, so read as a ratio: the reference "
    "man's 4.5 IU/L is another assay's). "
    "Steady-state LH of the reference man, LH_ref x M(x), with M the saturating "
    "pituitary response and x the pituitary stimulus: the hypothalamic androgen factor A "
    "(bounded Emax) times the hypothalamic and pituitary estrogen factors. Both steroids "
    "removed: x = A(0)(1 + fb_E_hyp_gain)(1 + fb_E_pit_gain); T at reference with the ER "
    "empty: x = (1 + fb_E_hyp_gain)(1 + fb_E_pit_gain); E2 at reference with T absent: x = "
    "A(0). Add-back assumed to restore reference levels. Keeps an aromatization-independent "
    "androgen feedback.",
    population="22 normal men under ketoconazole blockade (Pitteloud 2008)",
    observable="steady-state LH without sex-steroid feedback",
    spread="mean +/- SEM",
    tolerance_reason="+/-25%: a 2-3 day protocol read as a steady state",
    columns=(),
)


T_PITTELOUD_ADDBACK = Target(
    key="support_pitteloud_addback",
    title="LH with T or E2 added back under blockade (Pitteloud 2008)",
    source="Pitteloud 2008, PMC2266963",
    scenarios=[],
    measure=_m_pitteloud,
    measures=[
        Measure(
            "LH with T add-back, aromatization blocked / blockade", 17.4 / 34.6, tolerance=0.25
        ),
        Measure("LH with E2 add-back / blockade", 19.0 / 36.4, tolerance=0.25),
        Measure(
            "LH amplitude with E2 add-back / blockade, GnRH-deficient men on a pump",
            12.0 / 14.7,
            tolerance=0.10,
        ),
    ],
    notes="Steady-state reading of 2-3-day add-backs whose achieved T and E2 levels are not "
    "known to equal the reference, as ratios to the blockade of the same arm (T: 34.6 -> 17.4 "
    "IU/L; E2: 36.4 -> 19.0 IU/L). The GnRH-deficient men (n = 11) were on a fixed GnRH pump, "
    "so only the pituitary acts: E2 add-back lowered LH pulse amplitude 14.7 -> 12.0 IU/L "
    "(read as the pituitary estrogen factor; T add-back on aromatase block changed nothing, "
    "so the pituitary has no androgen term). Fitted: the only human data that separate the "
    "androgen and estrogen arms of the feedback (without them the fit drives the androgen "
    "gain to its lower bound and the estrogen arm carries all feedback; docs/model.md, 'What "
    "the fit found').",
    population="22 normal and 11 GnRH-deficient men under ketoconazole blockade (Pitteloud 2008)",
    observable="steady-state LH with T or E2 added back; LH amplitude on a fixed GnRH pump",
    spread="mean +/- SEM",
    tolerance_reason="+/-25%, as for the blockade; +/-10% for the amplitude ratio (SEMs "
    "1.7 and 1.5 IU/L on 14.7 and 12.0)",
    columns=(),
    known_gaps={
        "LH with T add-back, aromatization blocked / blockade": (
            "ER removal disinhibits both sites (trade-off with Leder 2004)"
        ),
    },
)


T_CILIA_CASTRATE = Target(
    key="support_cilia2024_castrate_lh",
    title="LH after bilateral orchiectomy, before any testosterone (Cilia 2024)",
    source="Cilia K. Endocrine Abstracts 2024;100:WE2.1, doi:10.1530/endoabs.100.WE2.1",
    scenarios=[],
    measure=_m_pitteloud,
    measures=[Measure("LH after orchiectomy / reference", 42.7 / 4.5, tolerance=0.25)],
    notes="LH 42.7 U/L in a 33-year-old man after bilateral orchidectomy, before TRT (the "
    "source of fsh_capacity), against the reference man's 4.5 IU/L. Steady-state LH of the "
    "reference man with T at its extragonadal level (T_castrate_ng_dl) and estradiol and free "
    "T in proportion, from the feedback laws (as for Pitteloud 2008). It pins the pituitary's "
    "ceiling (lh_capacity) that Pitteloud's 3-fold rise within a week of blockade does not "
    "reach. Reported, not fitted: the model has no slow growth of gonadotroph capacity "
    "above the man's own between the two (issue #19's capacity is rebuilt up to his own, never "
    "past it), so both read as the same steady state; fitting both (tried for issue "
    "#19) put each about 1.8-fold off (x5.4) and, with the other stages held, passed no "
    "target that fails without it.",
    fit=False,
    population="one man after bilateral orchiectomy (case report); elderly men after "
    "orchidectomy reached 46.6 IU/L at 16 weeks in another study",
    observable="steady-state LH without testes relative to the reference man",
    spread="single case",
    tolerance_reason="+/-25%: one man, and a second study's 46.6 IU/L at 16 weeks (x8.2 of "
    "young controls' 5.7) inside it",
    columns=(),
    known_gaps={
        "LH after orchiectomy / reference": (
            "castrate LH equals the 1-week blockade's (x3.3): no slow growth of gonadotroph "
            "capacity above the man's own (issue #19's gonadotroph capacity wastes below it "
            "and is rebuilt up to it, never past; the two-pool release does not move a steady "
            "state)"
        ),
    },
)


def _m_teslac(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    ai = dfs[0]
    return {
        "LH, T infusion on aromatase block / block alone": value_at(ai, "lh_iu_l", 18)
        / value_at(ai, "lh_iu_l", 14),
        "FSH, T infusion on aromatase block / block alone": value_at(ai, "fsh_iu_l", 18)
        / value_at(ai, "fsh_iu_l", 14),
        "E2, T infusion on aromatase block / block alone": value_at(
            ai, "estradiol_immunoassay_pg_ml", 18
        )
        / value_at(ai, "estradiol_immunoassay_pg_ml", 14),
    }


# 15 mg/day of absorbed testosterone delivered as 150 mg/day of gel (F_gel = 10%).
_T_INFUSION = {"drug": "testosterone_gel", "dose": "150 mg", "route": "transdermal", "every": "1 d"}

T_TESLAC = Target(
    key="support_teslac_androgen_feedback",
    title="Testosterone infusion with and without aromatase blockade (testolactone study)",
    source="'Evidence that testosterone can suppress pituitary gonadotropin secretion "
    "independently of peripheral aromatization', JCEM (scilit f80ac77cb404564fc45dcca3b69f4116)",
    scenarios=[
        man_scenario(
            "teslac-block-then-t",
            "18 d",
            [
                {"drug": "anastrozole", "dose": "10 mg", "route": "oral", "every": "1 d"},
                {**_T_INFUSION, "start": "14 d"},
            ],
            age_years=30,
        ),
    ],
    measure=_m_teslac,
    measures=[
        Measure("LH, T infusion on aromatase block / block alone", 8.0 / 14.5, tolerance=0.25),
        Measure("FSH, T infusion on aromatase block / block alone", 5.8 / 9.9, tolerance=0.25),
        Measure("E2, T infusion on aromatase block / block alone", 13.5 / 13.4, tolerance=0.15),
    ],
    notes="The same study's serum T rise (3-fold on 15 mg/day) is reported by "
    "support_teslac_t_level, not fitted. Normal men; IV testosterone 15 mg/day for 4 days, "
    "alone or on testolactone 2000 "
    "mg/day (E2 unchanged at 13.4 pg/mL). Stand-ins until IV testosterone and testolactone exist:"
    " 150 mg/day of gel (10% absorbed = 15 mg/day) and anastrozole 10 mg/day (near-maximal "
    "aromatase block) for 14 days before. This pins the aromatization-independent androgen "
    "feedback at supraphysiological T.",
    population="normal men, IV T 15 mg/day for 4 days with and without testolactone",
    observable="LH, FSH and E2 ratios, infusion on aromatase block vs block alone",
    spread="group means",
    tolerance_reason="+/-25% (E2 +/-15%): a 4-day study read at day 4",
    columns=(LH_COL, FSH_COL, E2_COL),
)


T_TESLAC_T = Target(
    key="support_teslac_t_level",
    title="T infusion alone: serum T and LH (testolactone study; reported, not fitted)",
    source=T_TESLAC.source,
    scenarios=[
        man_scenario("t-infusion-alone", "18 d", [{**_T_INFUSION, "stop": "4 d"}], age_years=30)
    ],
    measure=lambda dfs: {
        "LH, T infusion alone / baseline": value_at(dfs[0], "lh_iu_l", 4) / dfs[0].lh_iu_l.iloc[0],
        "T, T infusion alone / baseline": value_at(dfs[0], "total_testosterone_ng_dl", 4)
        / dfs[0].total_testosterone_ng_dl.iloc[0],
    },
    measures=[
        Measure("LH, T infusion alone / baseline", 0.5, tolerance=0.25),
        Measure("T, T infusion alone / baseline", 3.0, tolerance=0.25),
    ],
    notes="Not fitted. LH: the infusion also raised E2 by 50%, and with the feedback that "
    "Leder 2004 requires (a 35% E2 fall lifting LH 55% despite doubled bioavailable T), a "
    "50% E2 rise "
    "suppresses more than the 4-day study saw. T: 15 mg/day giving 3-fold T (about 1600 ng/dL if "
    "the baseline was normal) is more T per mg than Bhasin 2001's dose-nadir curve implies (125 "
    "mg TE/week, 12.9 mg T/day, nadir 542 ng/dL); the two studies' baselines and assays differ, "
    "and the dose-response target (Bhasin) sets the clearance.",
    fit=False,
    population="normal men, IV T 15 mg/day for 4 days",
    observable="LH and T relative to baseline",
    spread="group means",
    tolerance_reason="+/-25%",
    columns=(LH_COL, T_COL),
    known_gaps={
        "LH, T infusion alone / baseline": "see notes",
        "T, T infusion alone / baseline": "see notes",
    },
)


# --------------------------------------------------------------------- target 4: hCG arms
_COVIELLO_HCG = {125: 0.75, 250: 0.93, 500: 1.26}


def _hcg_line(dose: str, route: str = "subcutaneous", **kw: str) -> dict[str, str]:
    return {"drug": "hcg", "dose": dose, "route": route, **kw}


T4_HCG = Target(
    key="target4_coviello_hcg",
    title="hCG 125/250/500 IU SC every other day with TE 200 mg weekly, 3 weeks (Coviello 2005)",
    source="Coviello 2005 J Clin Endocrinol Metab 90:2595",
    scenarios=[
        man_scenario(
            f"coviello-te-hcg-{dose}",
            "21 d",
            [te_line("200 mg", "7 d", "15 d"), _hcg_line(f"{dose} IU", every="2 d")],
            age_years=30,
        )
        for dose in _COVIELLO_HCG
    ],
    measure=lambda dfs: {
        f"ITT / baseline, hCG {dose} IU": ratio_to_start(d, ITT_COL, 21)
        for dose, d in zip(_COVIELLO_HCG, dfs, strict=True)
    },
    measures=[
        Measure(f"ITT / baseline, hCG {dose} IU", ratio, tolerance=0.25)
        for dose, ratio in _COVIELLO_HCG.items()
    ],
    notes="ITT -25%/-7%/+26% vs baseline at the end of 3 weeks; same design as target 4 with "
    "hCG from day 0 every other day. Tolerance +/-25% of the ratio (the arms had 7-8 men). "
    "Fitted with hcg_potency and the Leydig response to hCG (uncoupling, downregulation, "
    "induction), jointly with the single doses (target_hcg_single_dose): without "
    "desensitization the ITT rose faster than linearly with the dose (0.52/1.18/1.99: Leydig "
    "stimulation is a Hill function of occupancy with exponent 1.9, and capacity follows "
    "occupancy).",
    stage="foundation",
    population="healthy men on TE 200 mg weekly with hCG every other day (7-8 men per arm)",
    observable="intratesticular T at day 21 relative to baseline by hCG dose",
    spread="group means; SEM about 20%",
    tolerance_reason="+/-25% of the ratio: arms of 7-8 men",
    columns=(ITT_COL, T_COL),
)


def _hcg_im_once(dose: int, every: str | None = None) -> Scenario:
    """One IM dose (or, with ``every``, daily doses for three days), read hourly for 7 days."""
    repeat = {"every": every, "stop": "2.5 d"} if every is not None else {}
    line = _hcg_line(f"{dose} IU", "intramuscular", **repeat)
    name = f"hcg-{dose}-iu-im-{'daily-x3' if every else 'once'}"
    return man_scenario(name, "7 d", [line], output_every="1 h", age_years=30)


T4_HCG_SINGLE = Target(
    key="target_hcg_single_dose",
    title="Serum T after one IM hCG dose in normal men (6000 IU; 1500 IU)",
    source="hCG6000 (scilit d6480223: x1.6 within 4 h, a plateau for at least 24 h, a delayed "
    "peak x2.4 at 72-96 h, initial levels at 144 h); hCG1500 (scilit f88e906d: T max 1315 "
    "+/- 309 ng/dL at 72 h)",
    scenarios=[_hcg_im_once(6000), _hcg_im_once(1500)],
    measure=lambda dfs: {
        "T at 4 h after 6000 IU / baseline": ratio_to_start(dfs[0], T_COL, 4 / 24),
        "T peak at 72-96 h after 6000 IU / baseline": float(window(dfs[0], T_COL, 3.0, 4.0).max())
        / float(dfs[0][T_COL].iloc[0]),
        "T at 144 h after 6000 IU / baseline": ratio_to_start(dfs[0], T_COL, 6.0),
        "T at 72 h after 1500 IU": value_at(dfs[1], T_COL, 3.0),
    },
    measures=[
        Measure("T at 4 h after 6000 IU / baseline", 1.6, tolerance=0.25),
        Measure("T peak at 72-96 h after 6000 IU / baseline", 2.4, tolerance=0.25),
        Measure("T at 144 h after 6000 IU / baseline", 1.0, tolerance=0.25),
        Measure("T at 72 h after 1500 IU", 1315.0, tolerance=0.25, unit=" ng/dL"),
    ],
    notes="Fitted with the Leydig cell's response to hCG: hcg_potency, the uncoupling of "
    "hCG-occupied receptors (k_leydig_desens), their downregulation (k_leydig_down) and the "
    "steroidogenic induction (k_leydig_ind, leydig_ind_max), jointly with Coviello's "
    "every-other-day arms (target 4). Before issue #19's Leydig induction the model had no "
    "delayed peak (x1.06 at 72-96 h after 6000 IU; 568 ng/dL at 72 h after 1500 IU). The "
    "plateau at 24 h has no number in the abstract and is not a measure.",
    stage="foundation",
    population="7 normal men (6000 IU); 7 normal men (1500 IU)",
    observable="serum T after one IM dose: at 4 h, its 72-96 h peak and at 144 h (6000 IU); "
    "at 72 h (1500 IU)",
    spread="x1.6 +/- 0.1 and x2.4 +/- 0.3 (mean +/- SE); 1315 +/- 309 ng/dL (mean +/- SD)",
    tolerance_reason="+/-25%: about one SD of the 1500 IU group",
    columns=(T_COL, "hcg_iu_l"),
)


T4_HCG_REPEATED = Target(
    key="check_hcg_repeated_daily",
    title="Serum T 72 h after 1500 IU hCG IM daily for 3 days vs one dose, in normal men",
    source="hCG1500 (scilit f88e906d: 1342 +/- 412 ng/dL after three daily doses vs "
    "1315 +/- 309 ng/dL after one, at 72 h: no additional stimulation by doses within 48 h)",
    scenarios=[_hcg_im_once(1500, every="1 d"), _hcg_im_once(1500)],
    measure=lambda dfs: {
        "T at 72 h, three daily doses / one dose": value_at(dfs[0], T_COL, 3.0)
        / value_at(dfs[1], T_COL, 3.0),
    },
    measures=[Measure("T at 72 h, three daily doses / one dose", 1342.0 / 1315.0, 0.25)],
    notes="Reported, not fitted: the receptors' uncoupling and loss, fitted to single doses, "
    "decide how little the second and third doses add.",
    known_gaps={
        "T at 72 h, three daily doses / one dose": "x1.40 vs x1.02: 72 h after one 1500 IU "
        "dose the model's Leydig cell is no longer saturated (1,037 vs 1,315 ng/dL, fitted, "
        "within its band): receptor loss has already shifted its response, so the extra hCG "
        "of the second and third doses still adds T; in the men, one dose had already given "
        "the most the cell makes for days",
    },
    fit=False,
    stage="foundation",
    population="7 normal men, both protocols",
    observable="serum T at 72 h after the first dose, three daily doses relative to one",
    spread="SD 412 and 309 ng/dL",
    tolerance_reason="+/-25% of the ratio: the SDs are about 25-30% of the means",
    columns=(T_COL, "hcg_iu_l"),
)


HCG_PK_LABEL = Target(
    key="check_hcg_serum_label",
    title="Serum hCG after 250 ug (about 6,500 IU) choriogonadotropin alfa SC (Ovidrel label)",
    source="OvidrelLabel: Cmax 121 +/- 44 IU/L, AUC 7701 +/- 2101 h IU/L (healthy women)",
    scenarios=[
        man_scenario(
            "hcg-6500-iu-sc-once",
            "14 d",
            [{"drug": "hcg", "dose": "6500 IU", "route": "subcutaneous"}],
            output_every="1 h",
            age_years=30,
        )
    ],
    measure=lambda dfs: {
        "serum hCG peak": float(dfs[0].hcg_iu_l.max()),
        "serum hCG AUC": float(np.trapezoid(dfs[0].hcg_iu_l, dfs[0].time_days * 24.0)),
    },
    measures=[
        Measure("serum hCG peak", 121.0, tolerance=0.36, unit=" IU/L"),
        Measure("serum hCG AUC", 7701.0, tolerance=0.27, unit=" h IU/L"),
    ],
    notes="Reported: the clearance is derived from this AUC and the label's bioavailability, "
    "so the AUC checks the arithmetic and the peak checks the absorption rate (set from IM "
    "Tmax 9-12 h; the label's SC tmax is 12-24 h).",
    fit=False,
    stage="foundation",
    population="healthy women (label study); read in a typical man",
    observable="serum hCG peak and AUC after one SC dose",
    spread="mean +/- SD",
    tolerance_reason="one SD of each",
    columns=("hcg_iu_l",),
)


# ---------------------------------------- T4DM runoff: LH and FSH after 2 years of TU injections
_T4DM_LAST = 90 * 7.0  # TU 1000 mg at weeks 0 and 6, then every 12 weeks: the last at week 90
_T4DM = man_scenario(
    "t4dm-tu-1000mg-q12w-2-years",
    f"{_T4DM_LAST + 60 * 7:g} d",
    tu_course("1000 mg", "1000 mg", 84.0, 42.0, _T4DM_LAST),
    output_every="7 d",
    age_years=60,
    bmi_kg_m2=30,
    baseline_total_testosterone_ng_dl=400,
)
_T4DM_SOURCE = (
    "Handelsman DJ et al. Eur J Endocrinol 2022;186:307, doi:10.1530/EJE-21-0608, PMID "
    "35000898 (T4DM runoff study); ESA 2020 abstract: 'mean serum LH and FSH recovered "
    "gradually to reach mean baseline levels at 36 weeks after last injection'"
)
_T4DM_T = "T 24-52 weeks after the last injection / untreated"
_T4DM_T_WEEKS = (24, 30, 36, 52)  # the runoff study's samples from its 12-week visit on
_T4DM_POPULATION = "303 men 50-74 y, glucose intolerance, waist >= 95 cm, T <= 14 nmol/L"
_T4DM_SPREAD = "cohort means; samples 12, 18, 24, 30, 36, 52 and 64 weeks after the last injection"
_T4DM_TOLERANCE = (
    "+/-25% for the weeks: the study sampled at 6-16-week intervals (24, 30, 36, 52 weeks); "
    "+/-5% for T, which was 11% below the placebo men's at every visit from 24 weeks on "
    "(no spread in the abstract)"
)
_T4DM_FSH_GAP = (
    "15.8 vs 36 weeks: the gonadotroph capacity holds FSH down as it holds LH (LH passes, "
    "27.8 weeks), but the Sertoli cells, idle for two years, make little inhibin B, so the "
    "disinhibited FSH overshoots its baseline from about 16 weeks (x1.32 at 24 weeks) while "
    "LH approaches its own from below; the men's mean FSH rose to its baseline without "
    "overshooting"
)


def weeks_to_baseline(df: pd.DataFrame, col: str, after_day: float) -> float:
    """Weeks after ``after_day`` until ``col`` first rises back to its untreated (day 0) value
    (:func:`~hpgsim.measure.events.crossing_time`, interpolated between outputs); inf if it
    never does within the table."""
    after = df[df.time_days > after_day]
    y0 = float(df[col].iloc[0])
    day = crossing_time(after.time_days.to_numpy(), after[col].to_numpy(), y0, falling=False)
    return (day - after_day) / 7.0


T_T4DM = Target(
    key="target_t4dm_gonadotropin_recovery",
    title="LH and FSH after 2 years of TU 1000 mg every 12 weeks (T4DM runoff)",
    source=_T4DM_SOURCE,
    scenarios=[_T4DM],
    measure=lambda dfs: {
        **{
            f"weeks from the last injection to baseline {name}": weeks_to_baseline(
                dfs[0], col, _T4DM_LAST
            )
            for name, col in (("LH", LH_COL), ("FSH", FSH_COL))
        },
        _T4DM_T: float(
            np.mean([value_at(dfs[0], T_COL, _T4DM_LAST + 7.0 * w) for w in _T4DM_T_WEEKS])
        )
        / float(dfs[0][T_COL].iloc[0]),
    },
    measures=[
        *(
            Measure(
                f"weeks from the last injection to baseline {name}",
                36.0,
                tolerance=0.25,
                unit=" wk",
            )
            for name in ("LH", "FSH")
        ),
        Measure(_T4DM_T, 0.89, tolerance=0.05),
    ],
    notes="Calibrated (issue #19: the runoff is the target of the gonadotroph capacity's two "
    "rates; Gu 2009 is held out as its test). 303 men 50-74 y with glucose intolerance and T "
    "<= 14 nmol/L (no pathological hypogonadism), TU 1000 mg at weeks 0 and 6 and then every "
    "12 weeks for 2 years; LH and FSH 'initially fully suppressed' at entry, 12 weeks after "
    "the last injection, back at the mean baseline at 36 weeks (each man's own baseline: "
    "median 51-53 weeks); T 11% below the placebo men's at every visit from 24 weeks on, "
    "read against the untreated baseline. Simulated: a man of 60 y, BMI 30, T 400 ng/dL; "
    "the mean course read as one man's. Not measures, and not met: at entry the model's LH "
    "is 0.34 of baseline (partly, not fully, suppressed) and its T 0.90 of baseline where "
    "the men's was still above placebo.",
    population=_T4DM_POPULATION,
    observable="weeks from the last injection until mean LH and FSH are back at the mean "
    "baseline; mean T 24-52 weeks after it relative to the untreated T",
    spread=_T4DM_SPREAD,
    tolerance_reason=_T4DM_TOLERANCE,
    columns=(LH_COL, FSH_COL, T_COL),
    known_gaps={
        "weeks from the last injection to baseline FSH": _T4DM_FSH_GAP,
    },
)


FOUNDATION_TARGETS: tuple[Target, ...] = (
    T1,
    T2,
    T3,
    T4,
    T7,
    T_BURNETT_BOWIE,
    T_PLYMATE,
    T_PITTELOUD,
    T_PITTELOUD_ADDBACK,
    T_CILIA_CASTRATE,
    T_T4DM,
    T_TESLAC,
    T_TESLAC_T,
    T4_HCG,
    T4_HCG_SINGLE,
    T4_HCG_REPEATED,
    HCG_PK_LABEL,
)
