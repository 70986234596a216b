"""Published calibration targets as data, and how to measure them on simulated trajectories.

Each :class:`Target` names its source, builds the scenarios that reproduce the study design, and
turns the simulated tables into :class:`Measure` values with the published value and the
tolerance. ``scripts/calibrate.py`` fits the calibrated parameters (those marked
``calibrated_to`` in :mod:`hpgsim.model.parameters`) to these measures by least squares; the
tests assert every measure is inside its tolerance.

Study-design assumptions (what the publications do not state) are written next to each target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import curve_fit

from hpgsim.engine.simulation import simulate_many
from hpgsim.evidence.records import Measure, Target, man_scenario, te_line, value_at
from hpgsim.measure.events import DAYS_PER_MONTH, DEFAULT_ASSAY, crossing_time
from hpgsim.model.axis import lh_synthesis_response, population_parameters
from hpgsim.scenario import Scenario

__all__ = ["TARGETS", "Measure", "Target", "evaluate_targets"]


def peak_time(t: np.ndarray, y: np.ndarray) -> float:
    """Time of the maximum, refined by a parabola through the largest sample and its neighbours
    (so that it moves smoothly with the parameters)."""
    i = int(np.argmax(y))
    if i == 0 or i == len(y) - 1:
        return float(t[i])
    curv = y[i - 1] - 2 * y[i] + y[i + 1]
    shift = 0.5 * (y[i - 1] - y[i + 1]) / curv if curv < 0 else 0.0
    return float(t[i] + shift * (t[i + 1] - t[i]))


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
)


# --------------------------------------------------------------------- target 3: Bhasin 2001
_BHASIN = {25: 253.0, 50: 306.0, 125: 542.0, 300: 1345.0, 600: 2370.0}


def _m_bhasin(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    return {
        f"nadir T at {dose} mg/wk": value_at(d, "total_testosterone_ng_dl", 140)
        for dose, d in zip(_BHASIN, dfs, strict=True)
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
        for dose in _BHASIN
    ],
    measure=_m_bhasin,
    measures=[
        Measure(f"nadir T at {dose} mg/wk", v, tolerance=0.25, unit=" ng/dL")
        for dose, v in _BHASIN.items()
    ],
    notes="The study clamped endogenous T with a monthly GnRH agonist. For the fit the clamp is "
    "the congenital_hypogonadotropic_hypogonadism condition (GnRH drive near zero, default "
    "baseline 77 ng/dL): the leuprolide parameters are fitted in the second stage, after the "
    "ester parameters this target sets, so the fit cannot run the agonist itself. The study's "
    "own design (healthy men, leuprolide 7.5 mg every 4 weeks) runs as "
    "check_bhasin_with_leuprolide. Nadir = trough 7 days after the 20th weekly injection.",
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
)


def _m_pitteloud(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    return {}  # evaluated from parameters in evaluate_targets (no scenario needed)


T_PITTELOUD = Target(
    key="support_pitteloud_blockade",
    title="LH with sex-steroid feedback removed and added back (Pitteloud 2008)",
    source="Pitteloud 2008, PMC2266963 (22 normal men, ketoconazole blockade)",
    scenarios=[],
    measure=_m_pitteloud,
    measures=[Measure("LH without sex-steroid feedback", 34.6, tolerance=0.25, unit=" IU/L")],
    notes="Steady-state LH of the reference man, LH_ref x M(x), with M the saturating "
    "pituitary response and x the product of the feedback disinhibitions: both removed x = "
    "(1 + fb_T_gain)(1 + fb_E_gain)^2; T at reference with the ER signal at zero x = "
    "(1 + fb_E_gain)^2; E2 at reference with T absent x = 1 + fb_T_gain. Add-back assumed to "
    "restore reference levels. Keeps an aromatization-independent androgen feedback.",
)


T_PITTELOUD_ADDBACK = Target(
    key="support_pitteloud_addback",
    title="LH with T or E2 added back under blockade (Pitteloud 2008)",
    source="Pitteloud 2008, PMC2266963",
    scenarios=[],
    measure=_m_pitteloud,
    measures=[
        Measure("LH with T add-back, aromatization blocked", 17.4, tolerance=0.25, unit=" IU/L"),
        Measure("LH with E2 add-back", 19.0, tolerance=0.25, unit=" IU/L"),
    ],
    notes="Steady-state reading of 2-3-day add-backs whose achieved T and E2 levels are not "
    "known to equal the reference. Fitted: the only human data that separate the androgen "
    "and estrogen arms of the feedback (without them the fit drives the androgen gain to its "
    "lower bound and the estrogen arm carries all feedback; docs/model.md, 'What the fit "
    "found').",
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
)


# ============================================================ spermatogenesis (#4)
_YEAR_STOP = "365 d"  # weekly injections on days 0..364 (53 doses)
_STOP = 364.0 + 7.0  # the first missed dose (readouts.androgen_window; a test checks it)
_PLATEAU_WEEKS = 52.0  # where the recovery plateau is read (after the first missed dose)


# Handelsman 2005 fitted its suppression and recovery curves to cube-root-transformed sperm
# concentrations ("to achieve near-gaussian distribution while also preserving appropriate
# handling of zeros"; methods, Hum Reprod 20:1733). Its effective half-time and time to half
# the plateau are parameters of those fits, so they are measured here the same way. Its
# published threshold times follow from them only on that scale: ln of the cube roots of
# 10, 5, 3 and 1 M/mL at 6.8, 8.7, 10.0 and 13.0 weeks falls at 0.12-0.13 per week
# (half-time 5.3-5.7 weeks), while ln C falls three times faster.
HANDELSMAN_SUPPRESSION_WEEKS = 26.0  # the WHO studies' 6-month suppression phase
HANDELSMAN_RECOVERY_WEEKS = 52.0  # recovery follow-up fitted (after the first missed dose)


def _cube_root_weeks(
    t: np.ndarray, c: np.ndarray, window_weeks: float
) -> tuple[np.ndarray, np.ndarray]:
    """(weeks, cube root of ``c``) for days ``t`` in 0..window: Handelsman's fitting scale."""
    keep = (t >= 0.0) & (t <= 7.0 * window_weeks)
    return t[keep] / 7.0, np.cbrt(np.maximum(c[keep], 0.0))


def cube_root_halftime_weeks(
    t: np.ndarray, c: np.ndarray, window_weeks: float = HANDELSMAN_SUPPRESSION_WEEKS
) -> float:
    """Half-time (weeks) of a two-parameter exponential a exp(-k t) fitted by least squares
    to the cube root of the concentration ``c`` (M/mL) over days ``t`` in 0..window."""

    tw, y = _cube_root_weeks(t, c, window_weeks)
    (_a, k), _ = curve_fit(
        lambda x, a, k: a * np.exp(-k * x), tw, y, p0=(max(y[0], 1e-3), 0.1), maxfev=20000
    )
    return float(np.log(2.0) / k) if k > 0 else float("inf")


def cube_root_half_plateau_weeks(
    t: np.ndarray, c: np.ndarray, window_weeks: float = HANDELSMAN_RECOVERY_WEEKS
) -> float:
    """Time (weeks) at which a three-parameter sigmoid P / (1 + exp(-(t - t50) / s)), fitted
    by least squares to the cube root of ``c`` (M/mL) over days ``t`` in 0..window after the
    first missed dose, reaches half its plateau P: t50."""

    tw, y = _cube_root_weeks(t, c, window_weeks)
    p0 = (float(y.max()), float(tw[np.argmax(y >= 0.5 * y.max())]), 2.0)
    (_p, t50, _s), _ = curve_fit(
        lambda x, p, t50, s: p / (1.0 + np.exp(-(x - t50) / s)), tw, y, p0=p0, maxfev=20000
    )
    return float(t50)


def _m_suppression(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    c = d.sperm_concentration_m_per_ml.to_numpy()
    t = d.time_days.to_numpy()
    out = {
        f"weeks to < {thr} M/mL": crossing_time(t, c, thr, falling=True) / 7
        for thr in (10, 5, 3, 1)
    }
    out["suppression half-time"] = cube_root_halftime_weeks(t, c)
    azoospermia = DEFAULT_ASSAY.detection_limit_m_per_ml  # the 0.1 M/mL of the label below
    out["days to azoospermia (< 0.1 M/mL)"] = crossing_time(t, c, azoospermia, falling=True)
    return out


def _m_recovery(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    after = d[d.time_days >= _STOP]
    c = after.sperm_concentration_m_per_ml.to_numpy()
    t = after.time_days.to_numpy() - _STOP
    c0 = float(d.sperm_concentration_m_per_ml.iloc[0])
    plateau = float(np.interp(_PLATEAU_WEEKS * 7.0, t, c)) / c0
    out = {
        f"weeks to recover {thr} M/mL": crossing_time(t, c, thr, falling=False) / 7
        for thr in (3, 5, 10, 20)
    }
    out["plateau (fraction of own baseline)"] = plateau
    out["weeks to half the plateau"] = cube_root_half_plateau_weeks(t, c)
    for thr in (3, 10, 20):
        out[f"months to {thr} M/mL"] = crossing_time(t, c, thr, falling=False) / DAYS_PER_MONTH
    out["months to own baseline"] = crossing_time(t, c, c0, falling=False) / DAYS_PER_MONTH
    return out


def _te_weekly(name: str, horizon: str, stop: str) -> Scenario:
    return man_scenario(name, horizon, [te_line("200 mg", "7 d", stop)], age_years=35)


_TE_SUPPRESSION = _te_weekly("handelsman-suppression", "200 d", "200 d")
_TE_YEAR = _te_weekly("te-1-year-then-stop", f"{_STOP + 7 * _PLATEAU_WEEKS + 14:g} d", _YEAR_STOP)

T5_SUPPRESSION = Target(
    key="target5_handelsman_suppression",
    title="Sperm suppression on TE 200 mg weekly (Handelsman 2005)",
    source="Handelsman 2005 Hum Reprod 20:1733, PMID 15860500",
    scenarios=[_TE_SUPPRESSION],
    measure=_m_suppression,
    measures=[
        Measure("weeks to < 10 M/mL", 6.8, tolerance=0.25, unit=" wk"),
        Measure("weeks to < 5 M/mL", 8.7, tolerance=0.25, unit=" wk"),
        Measure("weeks to < 3 M/mL", 10.0, tolerance=0.25, unit=" wk"),
        Measure("weeks to < 1 M/mL", 13.0, tolerance=0.25, unit=" wk"),
    ],
    notes="A typical man (35 y, baseline 60 M/mL, testis 20 mL); the pooled medians of "
    "~14,000 samples are compared with one man's course, so the tolerance is wide (25%).",
    stage="spermatogenesis",
)

T5_SUPPRESSION_HALFTIME = Target(
    key="check_handelsman_suppression_halftime",
    title="Effective suppression half-time on TE 200 mg weekly (Handelsman 2005; not fitted)",
    source="Handelsman 2005 Hum Reprod 20:1733, PMID 15860500",
    scenarios=[_TE_SUPPRESSION],
    measure=_m_suppression,
    measures=[Measure("suppression half-time", 5.5, tolerance=0.25, unit=" wk")],
    notes="Handelsman fitted a two-parameter exponential a exp(-kt) to cube-root-transformed "
    "concentrations (methods: 'cube-root transformed to achieve near-gaussian distribution'), "
    "and 5.5 weeks is its half-time; the same fit is made here over the 26-week suppression "
    "phase (5.8-6.0 weeks for windows of 16-28 weeks). The paper's threshold times follow "
    "from it only on that scale (the cube roots of 10/5/3/1 M/mL at 6.8/8.7/10.0/13.0 weeks "
    "fall at 0.12-0.13 per week). Until 2026-11-28 this was read as the half-time of ln C "
    "(2.4 weeks, a known gap). Reported, not fitted.",
    fit=False,
    stage="spermatogenesis",
)


def _m_biopsy(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0].iloc[-1]
    return {
        "type A spermatogonia (fraction of untreated)": float(d.stem_cell_reserve_fraction),
        "type B spermatogonia onwards (fraction of untreated)": float(d.germ_cells_fraction),
    }


T_ZHENGWEI = Target(
    key="target_zhengwei1998_biopsy",
    title="Germ cells after 19-24 weeks of TE 200 mg weekly (Zhengwei 1998, stereology)",
    source="Zhengwei Y, Wreford NG, Royce P, de Kretser DM, McLachlan RI. J Clin Endocrinol "
    "Metab 1998;83:1284",
    scenarios=[_te_weekly("zhengwei-biopsy", "150 d", "150 d")],
    measure=_m_biopsy,
    measures=[
        Measure("type A spermatogonia (fraction of untreated)", 1.0, low=0.8, high=1.2),
        Measure("type B spermatogonia onwards (fraction of untreated)", 0.14, low=0.05, high=0.25),
    ],
    notes="5 men on TE vs 5 controls: type A spermatogonia per 100 Sertoli cells unchanged, "
    "type B fell to 10% and later germ cells to 11-18% of control; the main lesion is the "
    "A -> B step. 'Unchanged' with 5 men is read as within 20%; the model's differentiating "
    "germ mass (type B onwards) is compared with the 10-18% range, widened for n = 5.",
    stage="spermatogenesis",
)

T5_RECOVERY = Target(
    key="target5_handelsman_recovery",
    title="Sperm recovery after 1 year of TE 200 mg weekly (Handelsman 2005)",
    source="Handelsman 2005 Hum Reprod 20:1733, PMID 15860500",
    scenarios=[_TE_YEAR],
    measure=_m_recovery,
    measures=[
        Measure("weeks to recover 3 M/mL", 9.0, tolerance=0.25, unit=" wk"),
        Measure("weeks to recover 5 M/mL", 9.9, tolerance=0.25, unit=" wk"),
        Measure("weeks to recover 10 M/mL", 11.5, tolerance=0.25, unit=" wk"),
        Measure("weeks to recover 20 M/mL", 13.6, tolerance=0.25, unit=" wk"),
        Measure("plateau (fraction of own baseline)", 0.85, low=0.75, high=0.95),
    ],
    notes="Clock from the first missed dose (1 week after the last of 53 weekly injections). "
    "The plateau of Handelsman's 3-parameter sigmoid is read here as the concentration 52 "
    "weeks after the first missed dose relative to the man's own baseline (an assumption: "
    "the studies followed recovery for about a year).",
    stage="spermatogenesis",
)

T5_HALF_PLATEAU = Target(
    key="check_handelsman_half_plateau",
    title="Time to half the recovery plateau (Handelsman 2005; not fitted)",
    source="Handelsman 2005 Hum Reprod 20:1733, PMID 15860500",
    scenarios=[_TE_YEAR],
    measure=_m_recovery,
    measures=[Measure("weeks to half the plateau", 10.5, tolerance=0.25, unit=" wk")],
    notes="Handelsman's three-parameter sigmoid P / (1 + exp(-(t - t50)/s)) was fitted to "
    "cube-root-transformed concentrations, so half its plateau is an eighth of the plateau "
    "concentration (about 7 M/mL), reached between the 5 and 10 M/mL times as published; "
    "the same sigmoid is fitted here to the man's first 52 weeks after the first missed dose "
    "(t50 10.6 weeks for windows of 26-52 weeks). Until 2026-11-28 this was read as half the "
    "plateau on the linear scale (14.4 weeks, a known gap). Reported, not fitted.",
    fit=False,
    stage="spermatogenesis",
)

T6_LIU = Target(
    key="target6_liu_recovery_typical_man",
    title="Median recovery times after 1 year of TE 200 mg weekly (Liu 2006), typical man",
    source="Liu PY et al. Lancet 2006;367:1412, PMID 16650651",
    scenarios=[_TE_YEAR],
    measure=_m_recovery,
    measures=[
        Measure("months to 3 M/mL", 2.5, tolerance=0.2, unit=" mo"),
        Measure("months to 10 M/mL", 3.0, tolerance=0.2, unit=" mo"),
        Measure("months to 20 M/mL", 3.4, tolerance=0.2, unit=" mo"),
    ],
    notes="Liu's medians over 1549 men (16-78 weeks of androgen, months from the first missed "
    "dose) compared with one typical man after a year; the probabilities by 6/12/16/24 months "
    "are population results (the trials issue).",
    stage="spermatogenesis",
)

T_WHO1990 = Target(
    key="target_who1990_te_contraception",
    title="TE 200 mg weekly contraception trial (WHO 1990), typical man",
    source="WHO Task Force, Lancet 1990;336:955, doi:10.1016/0140-6736(90)92416-F",
    scenarios=[_TE_SUPPRESSION, _TE_YEAR],
    measure=lambda dfs: {**_m_suppression(dfs[:1]), **_m_recovery(dfs[1:])},
    measures=[
        Measure("days to azoospermia (< 0.1 M/mL)", 120.0, low=80.0, high=160.0, unit=" d"),
        Measure("months to 20 M/mL", 3.7, tolerance=0.2, unit=" mo"),
    ],
    notes="271 men; 65% became azoospermic (three consecutive samples), in 120 +/- 40 d, so "
    "the median man does: azoospermia read as below the 0.1 M/mL detection limit "
    "(readouts.SEMEN_LIMITS). Median recovery to 20 M/mL 3.7 months.",
    stage="spermatogenesis",
)

T_WHO1990_BASELINE = Target(
    key="check_who1990_recovery_to_baseline",
    title="Recovery to own baseline after TE 200 mg weekly (WHO 1990; not fitted)",
    source="WHO Task Force, Lancet 1990;336:955, doi:10.1016/0140-6736(90)92416-F",
    scenarios=[_TE_YEAR],
    measure=_m_recovery,
    measures=[Measure("months to own baseline", 6.7, tolerance=0.3, unit=" mo")],
    notes="Median 6.7 months (6.2-8.7) to the man's own baseline; Handelsman 2005's pooled "
    "sigmoid plateaus at 85% of baseline instead (target 5). Reported, not fitted.",
    fit=False,
    stage="spermatogenesis",
)


def _m_hsieh(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    c = d.sperm_concentration_m_per_ml.to_numpy()
    return {"sperm concentration at 6.2 months / baseline": float(c[-1] / c[0])}


T_HSIEH = Target(
    key="target_hsieh2013_trt_hcg",
    title="TRT with hCG 500 IU every other day preserves semen (Hsieh 2013)",
    source="Hsieh TC et al. J Urol 2013, doi:10.1016/j.juro.2012.09.043",
    scenarios=[
        man_scenario(
            "hsieh-trt-hcg",
            "189 d",
            [
                {
                    "drug": "testosterone_cypionate",
                    "dose": "200 mg",
                    "route": "intramuscular",
                    "every": "7 d",
                },
                {"drug": "hcg", "dose": "500 IU", "route": "intramuscular", "every": "2 d"},
            ],
            age_years=36,
            condition="secondary_hypogonadism",
            baseline_total_testosterone_ng_dl=207,
            baseline_sperm_concentration_m_per_ml=35.2,
        )
    ],
    measure=_m_hsieh,
    measures=[
        Measure("sperm concentration at 6.2 months / baseline", 1.0, low=0.7, high=1.3),
    ],
    notes="26 hypogonadal men (mean 35.9 y, T 207 -> 1056 ng/dL, baseline 35.2 M/mL): no "
    "change in semen parameters over a mean 6.2 months. Assumed: TC 200 mg IM weekly (the "
    "abstract gives the T level, not the product) and hCG IM. 'Unchanged' read as within 30% "
    "(between-ejaculate CV about 0.4, 26 men).",
    stage="spermatogenesis",
)

SPERMATOGENESIS_TARGETS = (
    T5_SUPPRESSION,
    T5_SUPPRESSION_HALFTIME,
    T_ZHENGWEI,
    T5_RECOVERY,
    T5_HALF_PLATEAU,
    T6_LIU,
    T_WHO1990,
    T_WHO1990_BASELINE,
    T_HSIEH,
)

# ============================================================ restoration pharmacology (#3)
# --------------------------------------------------------------------- target 4: hCG arms
_COVIELLO_HCG = {125: 0.75, 250: 0.93, 500: 1.26}


def _hcg_line(dose: str, every: str, **kw: str) -> dict[str, str]:
    return {"drug": "hcg", "dose": dose, "route": "subcutaneous", "every": every, **kw}


T4_HCG = Target(
    key="target4_coviello_hcg",
    title="hCG 125/250/500 IU SC every other day with TE 200 mg weekly, 3 weeks (Coviello 2005)",
    source="Coviello 2005 J Clin Endocrinol Metab 90:2595",
    scenarios=[
        man_scenario(
            f"coviello-te-hcg-{dose}",
            "21 d",
            [te_line("200 mg", "7 d", "15 d"), _hcg_line(f"{dose} IU", "2 d")],
            age_years=30,
        )
        for dose in _COVIELLO_HCG
    ],
    measure=lambda dfs: {
        f"ITT / baseline, hCG {dose} IU": value_at(d, "intratesticular_testosterone_ng_ml", 21)
        / d.intratesticular_testosterone_ng_ml.iloc[0]
        for dose, d in zip(_COVIELLO_HCG, dfs, strict=True)
    },
    measures=[
        Measure(f"ITT / baseline, hCG {dose} IU", ratio, tolerance=0.25)
        for dose, ratio in _COVIELLO_HCG.items()
    ],
    notes="ITT -25%/-7%/+26% vs baseline at the end of 3 weeks; same design as target 4 with "
    "hCG from day 0 every other day. Tolerance +/-25% of the ratio (the arms had 7-8 men). "
    "Fitted with hcg_potency and k_leydig_desens: without desensitization the ITT rose "
    "faster than linearly with the dose (0.52/1.18/1.99: Leydig stimulation is a Hill "
    "function of occupancy with exponent 1.9, and capacity follows occupancy).",
    stage="restoration",
)


T4_HCG_SINGLE = Target(
    key="check_hcg_single_dose",
    title="Serum T after one IM hCG dose in normal men (1500 IU; 6000 IU)",
    source="hCG1500 (scilit f88e906d: T max 1315 +/- 309 ng/dL at 72 h); hCG6000 (scilit "
    "d6480223: x1.6 within 4 h, delayed peak x2.4 at 72-96 h)",
    scenarios=[
        man_scenario(
            f"hcg-{dose}-iu-im-once",
            "6 d",
            [{"drug": "hcg", "dose": f"{dose} IU", "route": "intramuscular"}],
            output_every="1 h",
            age_years=30,
        )
        for dose in (1500, 6000)
    ],
    measure=lambda dfs: {
        "T at 72 h after 1500 IU": value_at(dfs[0], "total_testosterone_ng_dl", 3.0),
        "T at 4 h after 6000 IU / baseline": _ratio(dfs[1], "total_testosterone_ng_dl", 4 / 24),
        "T peak at 72-96 h after 6000 IU / baseline": float(
            dfs[1][
                (dfs[1].time_days >= 3.0) & (dfs[1].time_days <= 4.0)
            ].total_testosterone_ng_dl.max()
            / dfs[1].total_testosterone_ng_dl.iloc[0]
        ),
    },
    measures=[
        Measure("T at 72 h after 1500 IU", 1315.0, tolerance=0.25, unit=" ng/dL"),
        Measure("T at 4 h after 6000 IU / baseline", 1.6, tolerance=0.25),
        Measure("T peak at 72-96 h after 6000 IU / baseline", 2.4, tolerance=0.25),
    ],
    notes="Reported, not fitted. The 4-h rise passes (x1.23, at the edge); known gaps at "
    "72-96 h: receptor desensitization (k_leydig_desens, fitted "
    "to Coviello's every-other-day arms) takes T back towards baseline by 72 h, where the men's "
    "T peaked: the delayed peak follows a steroidogenic lesion that resolves while hCG is "
    "still high, which the model does not have. Without desensitization the model gave x1.69 "
    "(1500 IU) and x1.9 (6000 IU) at 72 h, also short of the published x2.4-2.5.",
    fit=False,
    stage="restoration",
)


# --------------------------------------------------------------------- target 8: clomiphene
def _cc_line(dose: str = "25 mg") -> dict[str, str]:
    return {"drug": "clomiphene_citrate", "dose": dose, "route": "oral", "every": "1 d"}


def _ratio(d: pd.DataFrame, col: str, day: float) -> float:
    return value_at(d, col, day) / float(d[col].iloc[0])


T8_SHABSIGH = Target(
    key="target8_shabsigh_clomiphene",
    title="Clomiphene citrate 25 mg daily for 4-6 weeks in hypogonadal men (Shabsigh 2005)",
    source="Shabsigh 2005 (review text, larrylipshultz.com lil1/4); calibration-targets.md 8",
    scenarios=[
        man_scenario(
            "shabsigh-cc-25",
            "35 d",
            [_cc_line()],
            condition="secondary_hypogonadism",
            baseline_total_testosterone_ng_dl=247.6,
            age_years=39,
        )
    ],
    measure=lambda dfs: {"T at 5 weeks": value_at(dfs[0], "total_testosterone_ng_dl", 35)},
    measures=[Measure("T at 5 weeks", 610.0, tolerance=0.25, unit=" ng/dL")],
    notes="Not fitted (see target8_miller_clomiphene). Measured at 5 weeks, the middle of 4-6. "
    "Men with low T and unremarkable gonadotropins: secondary hypogonadism in the model. Known "
    "gap: the foundation's estradiol feedback is steep (Hill ~4.4, fitted to Leder 2004 and "
    "Pitteloud 2008), so a man with low T and low E2 has almost no estrogenic tone left for a "
    "SERM to block. A joint refit of the feedback with these targets pushed four feedback "
    "parameters to their bounds (estradiol gain 20, androgen gain 100) and then defeated "
    "leuprolide's castration; the feedback's structure at low E2 needs rework.",
    fit=False,
    stage="restoration",
)

T8_HELO = Target(
    key="target8_helo_clomiphene",
    title="Clomiphene citrate 25 mg daily at steady state in hypogonadal men (Helo 2017)",
    source="Helo 2017 BJU Int, PMID 27511863",
    scenarios=[
        man_scenario(
            "helo-cc-25",
            "180 d",
            [_cc_line()],
            condition="secondary_hypogonadism",
            baseline_total_testosterone_ng_dl=205.0,
        )
    ],
    measure=lambda dfs: {
        "T / baseline": _ratio(dfs[0], "total_testosterone_ng_dl", 180),
        "LH / baseline": _ratio(dfs[0], "lh_iu_l", 180),
        "E2 / baseline": _ratio(dfs[0], "estradiol_immunoassay_pg_ml", 180),
    },
    measures=[
        Measure("T / baseline", 488.0 / 205.0, tolerance=0.25),
        Measure("LH / baseline", 6.1 / 4.0, tolerance=0.25),
        Measure("E2 / baseline", 34.0 / 17.0, tolerance=0.30),
    ],
    notes="Not fitted; the same gap as Shabsigh 2005. Medians of 15 men after a median of "
    "25.9 months; simulated at 6 months, when "
    "zuclomiphene (t1/2 ~15 d) is at steady state. Its PK is derived from the same study's "
    "ENC 2.2 and ZUC 44 ng/mL, so those are not a target here; the zuclomiphene/enclomiphene "
    "ratio is checked by a test.",
    fit=False,
    stage="restoration",
)


T8_MILLER = Target(
    key="target8_miller_clomiphene",
    title="Clomiphene citrate 50 mg daily for 30 days in healthy men (Miller 2019)",
    source="Miller GD et al. J Clin Endocrinol Metab 2019, PMID 30295816",
    scenarios=[man_scenario("miller-cc-50", "30 d", [_cc_line("50 mg")], age_years=31)],
    measure=lambda dfs: {
        "T / baseline": _ratio(dfs[0], "total_testosterone_ng_dl", 30),
        "LH / baseline": _ratio(dfs[0], "lh_iu_l", 30),
        "FSH / baseline": _ratio(dfs[0], "fsh_iu_l", 30),
    },
    measures=[
        Measure("T / baseline", 2.46, tolerance=0.25),
        Measure("LH / baseline", 2.77, tolerance=0.25),
        Measure("FSH / baseline", 2.70, tolerance=0.25),
    ],
    notes="12 healthy men 25-38 y; mean increases of 146%, 177% and 170% during treatment, "
    "read at day 30. The hypogonadal-men targets (Shabsigh 2005, Helo 2017) are reported, not "
    "fitted. Known gap: K_enc goes to its lower bound (a full ER block) and still LH and FSH "
    "overshoot (x3.6, x4.2) while T lags (x1.7): the steep estradiol feedback gives a large "
    "gonadotropin response to a full block, and T follows LH through a Leydig capacity that "
    "adapts over months.",
    stage="restoration",
)


# --------------------------------------------------------------------- tamoxifen
T_TAMOXIFEN = Target(
    key="support_tamoxifen_oligospermic",
    title="Tamoxifen 10 mg daily for 6 months in oligospermic men",
    source="Hormonal effects of tamoxifen in oligospermic men (Clin Endocrinol; scilit 7d97428c)",
    scenarios=[
        man_scenario(
            "tamoxifen-10",
            "120 d",
            [{"drug": "tamoxifen", "dose": "10 mg", "route": "oral", "every": "1 d"}],
            baseline_total_testosterone_ng_dl=25.0 * 28.842,
            age_years=35,
        )
    ],
    measure=lambda dfs: {
        "LH / baseline": _ratio(dfs[0], "lh_iu_l", 120),
        "T / baseline": _ratio(dfs[0], "total_testosterone_ng_dl", 120),
    },
    measures=[
        Measure("LH / baseline", 4.1 / 1.7, tolerance=0.30),
        Measure("T / baseline", 38.0 / 25.0, tolerance=0.20),
    ],
    notes="9 men; LH peaked at 6 months, androgens at 4 months; both read at 4 months "
    "(tamoxifen and endoxifen are at steady state by then). Baseline androgens 25 nmol/L.",
    stage="restoration",
)

T_TAMOXIFEN_E2 = Target(
    key="check_tamoxifen_e2",
    title="Tamoxifen 10 mg daily: estradiol (not fitted)",
    source="Hormonal effects of tamoxifen in oligospermic men (Clin Endocrinol; scilit 7d97428c)",
    scenarios=T_TAMOXIFEN.scenarios,
    measure=lambda dfs: {"E2 / baseline": _ratio(dfs[0], "estradiol_immunoassay_pg_ml", 120)},
    measures=[Measure("E2 / baseline", 631.0 / 185.0, tolerance=0.30)],
    notes="Not fitted. E2 rose 3.4-fold, more than the 1.5-fold T rise can explain by "
    "aromatization alone; tamoxifen's own effects on E2 (SHBG, metabolism) are not modelled.",
    fit=False,
    stage="restoration",
)


# --------------------------------------------------------------------- target 9: GnRH
def _gnrh_line(dose: str, every: str | None = None, **kw: str) -> dict[str, str]:
    line = {"drug": "gonadorelin", "dose": dose, "route": "subcutaneous", **kw}
    if every is not None:
        line["every"] = every
    return line


def _m_hurley(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    t = d.time_days.to_numpy() * 1440.0
    return {
        "LH peak after 10 ug SC": float(d.lh_iu_l.max()),
        "minutes to gonadorelin peak": peak_time(t, d.gonadorelin_pg_ml.to_numpy()),
        "minutes to LH peak": peak_time(t, d.lh_iu_l.to_numpy()),
    }


T9_HURLEY = Target(
    key="target9_hurley_gnrh_sc",
    title="Gonadorelin 10 ug SC bolus in GnRH-deficient patients (Hurley 1987)",
    source="Hurley 1987 JCEM (research.monash.edu); calibration-targets.md 9",
    scenarios=[
        man_scenario(
            "hurley-gnrh-10ug",
            "6 h",
            [_gnrh_line("10 ug")],
            output_every="5 min",
            condition="congenital_hypogonadotropic_hypogonadism",
        )
    ],
    measure=_m_hurley,
    measures=[
        Measure("LH peak after 10 ug SC", 13.2, tolerance=0.30, unit=" IU/L"),
        Measure("minutes to gonadorelin peak", 7.5, low=5, high=15, unit=" min"),
    ],
    notes="Not fitted. Hurley's 5 patients were women with hypothalamic amenorrhoea; simulated "
    "in a man with congenital hypogonadotropic hypogonadism. With one LH pool and one LH "
    "half-life (136 min), the pump's mean LH (target 9, Hoffman & Crowley) and the 3-h "
    "continuous infusion bound the response per unit of GnRH, and a single 10 ug bolus then "
    "peaks lower than in these women (whose pituitaries were primed by their own residual "
    "GnRH). The plasma peak time (5-10 min) is PK only.",
    fit=False,
    stage="restoration",
)

T9_HURLEY_TIME = Target(
    key="check_hurley_lh_peak_time",
    title="Gonadorelin 10 ug SC: time of the LH peak (not fitted)",
    source="Hurley 1987 JCEM (research.monash.edu)",
    scenarios=T9_HURLEY.scenarios,
    measure=_m_hurley,
    measures=[Measure("minutes to LH peak", 35.0, low=20, high=45, unit=" min")],
    notes="Not fitted: LH peaks 20-30 min after the plasma GnRH peak. The model's LH has one "
    "elimination half-life (136 min) and no fast distribution phase, so LH keeps rising for as "
    "long as release exceeds that slow clearance.",
    fit=False,
    stage="restoration",
)

T9_PUMP = Target(
    key="target9_pulsatile_gnrh_pump",
    title="Pulsatile SC gonadorelin 5 ug every 90 min in GnRH-deficient men",
    source="Hoffman & Crowley 1982 NEJM 307:1237; JCEM 1982;55:723 (dose)",
    scenarios=[
        man_scenario(
            "gnrh-pump-5ug-90min",
            "28 d",
            [_gnrh_line("5 ug", "90 min")],
            condition="congenital_hypogonadotropic_hypogonadism",
        )
    ],
    measure=lambda dfs: {
        "T after 1 month": value_at(dfs[0], "total_testosterone_ng_dl", 28),
        "LH after 1 week": value_at(dfs[0], "lh_iu_l", 7),
    },
    measures=[
        Measure("T after 1 month", 520.0, tolerance=0.35, unit=" ng/dL"),
        Measure("LH after 1 week", 5.0, low=2.0, high=9.0, unit=" IU/L"),
    ],
    notes="T 77 +/- 13 -> 520 +/- 182 ng/dL after one month (6 men); gonadotropins normal "
    "within a week. Hoffman & Crowley's dose per pulse is not in the abstract; the regimen is "
    "the 5 ug every 90 min that normalized T in the JCEM 1982 case. Known gap (marginal): LH "
    "after 1 week sits just above 9 IU/L, traded against the 3-h continuous infusion's LH "
    "rise, just below 3-fold; both set E_gnrh and EC50_gnrh.",
    stage="restoration",
)


# --------------------------------------------------------------------- target 10: leuprolide


def _m_leuprolide(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    t = d.time_days.to_numpy()
    tt = d.total_testosterone_ng_dl.to_numpy()
    return {
        "leuprolide at 4 h": value_at(d, "leuprolide_ng_ml", 4.0 / 24.0),
        "leuprolide at 4 weeks": value_at(d, "leuprolide_ng_ml", 28.0),
        "T peak in week 1 / baseline": float(tt[t <= 7.0].max() / tt[0]),
        "day of the T peak": peak_time(t, tt),
        "T at day 21": value_at(d, "total_testosterone_ng_dl", 21.0),
        "days to castrate T (< 50 ng/dL)": crossing_time(t, tt, 50.0, falling=True),
    }


T10_LEUPROLIDE = Target(
    key="target10_leuprolide_depot",
    title="Leuprolide depot 7.5 mg IM: PK, testosterone flare and castration",
    source="Lupron Depot 7.5 mg label (rxlist); median time to castration 21 d (scilit "
    "5769a6ef); calibration-targets.md 10",
    scenarios=[
        man_scenario(
            "leuprolide-7.5mg",
            "35 d",
            [{"drug": "leuprolide", "dose": "7.5 mg", "route": "intramuscular"}],
            output_every="1 h",
            age_years=65,
            baseline_total_testosterone_ng_dl=372.0,
        )
    ],
    measure=_m_leuprolide,
    measures=[
        Measure("leuprolide at 4 h", 20.0, tolerance=0.25, unit=" ng/mL"),
        Measure("leuprolide at 4 weeks", 0.36, tolerance=0.25, unit=" ng/mL"),
        Measure("T peak in week 1 / baseline", 1.5, low=1.1, high=2.5),
        Measure("T at day 21", 50.0, tolerance=0.5, unit=" ng/dL"),
        Measure("days to castrate T (< 50 ng/dL)", 21.0, low=14.0, high=28.0, unit=" d"),
        Measure("day of the T peak", 3.5, low=2.0, high=6.0, unit=" d"),
    ],
    notes="Men with prostate cancer (baseline T 372 ng/dL, age 65 assumed). The label: T above "
    "baseline in week 1, castrate in 2-4 weeks; median 21 days in 56 men, read as the typical "
    "man crossing 50 ng/dL at day 21. The flare range 1.1-2.5x is the label's 'above "
    "baseline' with the size seen for agonists in men, not a published mean; the peak day "
    "range 2-6 d: T peaked on days 3-4 on a daily agonist in normal men (JCEM 1984;58:1084) "
    "and rose on days 2-6 on buserelin (Huhtaniemi 1985, JCEM 61:698). The crossing day and "
    "the peak day were reported, not fitted, until 2026-11-28 (they missed at 2.6 and 0.7 d "
    "while receptor downregulation was a single fast loss).",
    stage="restoration",
)


_SMITH_DAYS = 336.0  # week 48, 28 days after the 12th monthly injection (a trough)
_SMITH = man_scenario(
    "leuprolide-48-weeks",
    f"{_SMITH_DAYS:g} d",
    [{"drug": "leuprolide", "dose": "7.5 mg", "route": "intramuscular", "every": "28 d"}],
    output_every="7 d",
    age_years=70,
    baseline_total_testosterone_ng_dl=372.0,
)


def _m_smith(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    frac = d.free_testosterone_pg_ml / d.total_testosterone_ng_dl
    return {
        "total T at week 48": float(d.total_testosterone_ng_dl.iloc[-1]),
        "free-T fraction at week 48 / baseline": float(frac.iloc[-1] / frac.iloc[0]),
    }


_SMITH_SOURCE = (
    "Smith MR et al. Clin Cancer Res 2007;13:241 (aacrjournals.org clincancerres/13/1/241)"
)

T10_SMITH = Target(
    key="target10_smith2007_castration_maintained",
    title="Leuprolide for 48 weeks in men with prostate cancer: T stays castrate (Smith 2007)",
    source=_SMITH_SOURCE,
    scenarios=[_SMITH],
    measure=_m_smith,
    measures=[Measure("total T at week 48", 13.0, tolerance=0.5, unit=" ng/dL")],
    notes="49 men, total T 372 +/- 18 -> 13 +/- 1 ng/dL at week 48 (mean +/- SE; SD about 7). "
    "The 3-month depot is stood in by 7.5 mg every 4 weeks; age 70 assumed. The depth of the "
    "agonist's clamp: without it the fit met castration at day 21 with a clamp that leaked "
    "to LH ~2 IU/L and T ~73 ng/dL by week 48. +/-50% at a castrate level near assay limits.",
    stage="restoration",
)

T10_SMITH_FREE_FRACTION = Target(
    key="check_smith2007_free_fraction",
    title="Leuprolide for 48 weeks: free-T fraction barely moves, so SHBG does not rise "
    "(Smith 2007)",
    source=_SMITH_SOURCE,
    scenarios=[_SMITH],
    measure=_m_smith,
    measures=[
        Measure(
            "free-T fraction at week 48 / baseline",
            (0.21 / 13.0) / (6.75 / 372.0),
            tolerance=0.15,
        )
    ],
    notes="Free T 6.75 +/- 0.33 -> 0.21 +/- 0.02 ng/dL with total T 372 -> 13 ng/dL: the free "
    "fraction goes from 1.81 to 1.62 %, which the model's binding gives at unchanged SHBG. "
    "shbg_castrate_rise (0.1) was derived from this by hand, so it is a check, not held "
    "out; +/-15% (the ratio's SE is about 13%).",
    fit=False,
    stage="restoration",
)


def _m_continuous_3h(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    window = d[(d.time_days > 0) & (d.time_days <= 3.0 / 24.0)]
    return {"mean LH over 3 h / baseline": float(window.lh_iu_l.mean() / d.lh_iu_l.iloc[0])}


T9_CONTINUOUS_3H = Target(
    key="support_gnrh_continuous_3h",
    title="Gonadorelin 1 ug/min IV for 3 h in normal men",
    source="Testicular steroid response to continuous and pulsatile IV LH-RH in normal men "
    "(scilit 349ec73d)",
    scenarios=[
        man_scenario(
            "gnrh-continuous-3h",
            "6 h",
            [
                {
                    "drug": "gonadorelin",
                    "rate": "60 ug/h",
                    "route": "intravenous",
                    "stop": "3 h",
                }
            ],
            output_every="5 min",
            age_years=30,
        )
    ],
    measure=_m_continuous_3h,
    measures=[Measure("mean LH over 3 h / baseline", 3.5, low=3.0, high=4.0)],
    notes="18 men; continuous 1 ug/min, 20 ug every 20 min or 60 ug every 60 min all raised "
    "mean LH 3-4-fold over 3 h. Fitted together with the pump (target 9), which it trades "
    "against.",
    stage="restoration",
)

T3_LEUPROLIDE = Target(
    key="check_bhasin_with_leuprolide",
    title="Bhasin 2001 as designed: leuprolide 7.5 mg every 4 weeks with weekly TE (not fitted)",
    source="Bhasin 2001 Am J Physiol Endocrinol Metab 281:E1172",
    scenarios=[
        man_scenario(
            f"bhasin-leuprolide-te-{dose}",
            "141 d",
            [
                te_line(f"{dose} mg", "7 d", "134 d"),
                {
                    "drug": "leuprolide",
                    "dose": "7.5 mg",
                    "route": "intramuscular",
                    "every": "28 d",
                    "stop": "134 d",
                },
            ],
            age_years=27,
        )
        for dose in _BHASIN
    ],
    measure=_m_bhasin,
    measures=[
        Measure(f"nadir T at {dose} mg/wk", v, tolerance=0.25, unit=" ng/dL")
        for dose, v in _BHASIN.items()
    ],
    notes="Not fitted: healthy young men, leuprolide depot from day 0, TE weekly; the fitted "
    "target 3 uses the congenital-hypogonadotropic stand-in for the clamp (see its notes). "
    "Agreement here shows the stand-in and the agonist clamp give the same nadirs.",
    fit=False,
    stage="restoration",
)

RESTORATION_TARGETS: tuple[Target, ...] = (
    T4_HCG,
    T4_HCG_SINGLE,
    T8_MILLER,
    T8_SHABSIGH,
    T8_HELO,
    T_TAMOXIFEN,
    T_TAMOXIFEN_E2,
    T9_HURLEY,
    T9_HURLEY_TIME,
    T9_PUMP,
    T9_CONTINUOUS_3H,
    T10_LEUPROLIDE,
    T10_SMITH,
    T10_SMITH_FREE_FRACTION,
    T3_LEUPROLIDE,
)


TARGETS: tuple[Target, ...] = (
    T1,
    T2,
    T3,
    T4,
    T7,
    T_BURNETT_BOWIE,
    T_PLYMATE,
    T_PITTELOUD,
    T_PITTELOUD_ADDBACK,
    T_TESLAC,
    T_TESLAC_T,
    *RESTORATION_TARGETS,
    *SPERMATOGENESIS_TARGETS,
)


def evaluate_targets(
    targets: Sequence[Target] = TARGETS,
    *,
    pop: Mapping[str, Any] | None = None,
    frames_out: dict[str, list[pd.DataFrame]] | None = None,
) -> dict[str, dict[str, float]]:
    """Simulate every target's scenarios (one batched solve per horizon) and measure them.
    ``frames_out``, if given, receives each target's simulated tables by target key."""

    # targets that read the same simulation (a fitted target and its reported check) share
    # the scenario objects; each is simulated once
    unique = list({id(s): s for t in targets for s in t.scenarios}.values())
    solved = dict(zip(map(id, unique), simulate_many(unique, pop=pop), strict=True))
    frames = [solved[id(s)] for t in targets for s in t.scenarios]
    offset = float(population_parameters(pop)["e2_immunoassay_offset"])
    for f in solved.values():
        # what the studies' E2 immunoassays read: the true (LC-MS) value plus their
        # non-specific signal at low concentrations
        f["estradiol_immunoassay_pg_ml"] = f.estradiol_pg_ml + offset
    results: dict[str, dict[str, float]] = {}
    i = 0
    for t in targets:
        n = len(t.scenarios)
        if frames_out is not None:
            frames_out[t.key] = frames[i : i + n]
        if t.key.startswith("support_pitteloud"):
            p = population_parameters(pop)

            gt, ge = 1 + p["fb_T_gain"], (1 + p["fb_E_gain"]) ** 2
            lh = {x: float(p["LH_ref"] * lh_synthesis_response(x, p)) for x in (gt * ge, ge, gt)}
            results[t.key] = {
                "LH without sex-steroid feedback": lh[gt * ge],
                "LH with T add-back, aromatization blocked": lh[ge],
                "LH with E2 add-back": lh[gt],
            }
        else:
            results[t.key] = {k: float(v) for k, v in t.measure(frames[i : i + n]).items()}
        i += n
    return results
