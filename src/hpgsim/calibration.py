"""Published calibration targets as data, and how to measure them on simulated trajectories.

Each :class:`Target` names its source, builds the scenarios that reproduce the study design, and
turns the simulated tables into :class:`Measure` values with the published value and the
tolerance. ``scripts/calibrate.py`` fits the calibrated parameters (those marked
``calibrated_to`` in :mod:`hpgsim.model.parameters`) to these measures by least squares; the
tests assert every measure is inside its tolerance.

Study-design assumptions (what the publications do not state) are written next to each target.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.scenario import Scenario, scenario_from_dict

__all__ = ["TARGETS", "Measure", "Target", "evaluate_targets"]


@dataclass(frozen=True)
class Measure:
    """One published number and its simulated counterpart.

    ``published`` with a relative ``tolerance`` (pass if |sim - pub| <= tol * pub), or a range
    ``low``..``high`` (pass if inside).
    """

    label: str
    published: float
    tolerance: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""

    def passes(self, simulated: float) -> bool:
        """Whether ``simulated`` is within the tolerance or range."""
        if self.low is not None and self.high is not None:
            return self.low <= simulated <= self.high
        assert self.tolerance is not None
        return abs(simulated - self.published) <= self.tolerance * abs(self.published)

    def residual(self, simulated: float) -> float:
        """Scaled residual for least squares: 1.0 at the edge of the tolerance."""
        if self.low is not None and self.high is not None:
            width = 0.5 * (self.high - self.low)
            centre = 0.5 * (self.high + self.low)
            d = abs(simulated - centre) / width  # 1.0 at the edge, like a tolerance
            return float(np.sign(simulated - centre) * (d if d <= 1.0 else 1.0 + 5.0 * (d - 1.0)))
        assert self.tolerance is not None
        s = max(simulated, 1e-12 * abs(self.published))
        return float(np.log(s / self.published) / np.log1p(self.tolerance))

    def describe(self, simulated: float) -> str:
        """'label: published X, simulated Y, tolerance Z' for messages and notes."""
        if self.low is not None and self.high is not None:
            tol = f"range {self.low:g}-{self.high:g}"
        else:
            tol = f"tolerance +/-{100 * (self.tolerance or 0):.0f}%"
        return (
            f"{self.label}: published {self.published:g}{self.unit}, "
            f"simulated {simulated:.4g}{self.unit}, {tol}"
        )


@dataclass(frozen=True)
class Target:
    """A calibration target: source, scenarios, and a function from tables to measure values."""

    key: str
    title: str
    source: str
    scenarios: Sequence[Scenario]
    measure: Callable[[Sequence[pd.DataFrame]], dict[str, float]]
    measures: Sequence[Measure]
    notes: str = ""
    fit: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)


def _sc(name: str, horizon: str, regimen: list[dict[str, str]], **patient: Any) -> Scenario:
    return scenario_from_dict(
        {
            "name": name,
            "horizon": horizon,
            "output_every": "1 d",
            "allow_supratherapeutic": True,
            "patient": patient,
            "regimen": regimen,
        }
    )


def peak_time(t: np.ndarray, y: np.ndarray) -> float:
    """Time of the maximum, refined by a parabola through the largest sample and its neighbours
    (so that it moves smoothly with the parameters)."""
    i = int(np.argmax(y))
    if i == 0 or i == len(y) - 1:
        return float(t[i])
    curv = y[i - 1] - 2 * y[i] + y[i + 1]
    shift = 0.5 * (y[i - 1] - y[i + 1]) / curv if curv < 0 else 0.0
    return float(t[i] + shift * (t[i + 1] - t[i]))


def _te_line(dose: str, every: str, stop: str) -> dict[str, str]:
    """A regimen line of testosterone enanthate IM."""
    return {
        "drug": "testosterone_enanthate",
        "dose": dose,
        "route": "intramuscular",
        "every": every,
        "stop": stop,
    }


def _at(df: pd.DataFrame, col: str, day: float) -> float:
    return float(df.loc[np.isclose(df.time_days, day), col].iloc[0])


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
    scenarios=[_sc("untreated", "60 d", [], age_years=30)],
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
        _sc(
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
        f"nadir T at {dose} mg/wk": _at(d, "total_testosterone_ng_dl", 140)
        for dose, d in zip(_BHASIN, dfs, strict=True)
    }


T3 = Target(
    key="target3_bhasin_te",
    title="Testosterone enanthate weekly for 20 weeks with the axis clamped (Bhasin 2001)",
    source="Bhasin 2001 Am J Physiol Endocrinol Metab 281:E1172",
    scenarios=[
        _sc(
            f"bhasin-te-{dose}",
            "141 d",
            [_te_line(f"{dose} mg", "7 d", "134 d")],
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
    notes="The study clamped endogenous T with a monthly GnRH agonist. Until leuprolide exists "
    "the clamp is the congenital_hypogonadotropic_hypogonadism condition (GnRH drive near zero, "
    "default baseline 77 ng/dL); exogenous T then suppresses what is left of LH, leaving basal "
    "Leydig secretion only. Nadir = trough 7 days after the 20th weekly injection (day 140).",
)


# --------------------------------------------------------------------- target 4: Coviello 2005
def _m_coviello(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {
        "LH / baseline": _at(d, "lh_iu_l", 21) / d.lh_iu_l.iloc[0],
        "FSH / baseline": _at(d, "fsh_iu_l", 21) / d.fsh_iu_l.iloc[0],
        "ITT / baseline": _at(d, "intratesticular_testosterone_ng_ml", 21)
        / d.intratesticular_testosterone_ng_ml.iloc[0],
    }


T4 = Target(
    key="target4_coviello_te",
    title="Testosterone enanthate 200 mg weekly for 3 weeks in normal men (Coviello 2005)",
    source="Coviello 2005 J Clin Endocrinol Metab 90:2595",
    scenarios=[
        _sc(
            "coviello-te-200",
            "21 d",
            [_te_line("200 mg", "7 d", "15 d")],
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
        "T week 12 / baseline": _at(d, "total_testosterone_ng_dl", 84)
        / d.total_testosterone_ng_dl.iloc[0],
        "E2 week 12 / baseline": _at(d, "estradiol_immunoassay_pg_ml", 84)
        / d.estradiol_immunoassay_pg_ml.iloc[0],
        "LH week 12 / baseline": _at(d, "lh_iu_l", 84) / d.lh_iu_l.iloc[0],
    }


T7 = Target(
    key="target7_leder_anastrozole",
    title="Anastrozole 1 mg daily for 12 weeks in older men with low T (Leder 2004)",
    source="Leder 2004, PMID 15001605",
    scenarios=[
        _sc(
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
        "T month 3 / baseline": _at(d, "total_testosterone_ng_dl", 91)
        / d.total_testosterone_ng_dl.iloc[0],
        "E2 month 3 / baseline": _at(d, "estradiol_immunoassay_pg_ml", 91)
        / d.estradiol_immunoassay_pg_ml.iloc[0],
    }


T_BURNETT_BOWIE = Target(
    key="check_burnett_bowie_anastrozole",
    title="Anastrozole 1 mg daily in 88 hypogonadal men >= 60 y, month 3 (not fitted)",
    source="Burnett-Bowie 2009, Clin Endocrinol 70:116, doi 10.1111/j.1365-2265.2008.03327.x",
    scenarios=[
        _sc(
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
    "secondary hypogonadism. T passes; E2 falls 37% in the model vs 24% here (Leder 2004, "
    "fitted, reported 35% for the same dose): the two trials' immunoassays disagree.",
    fit=False,
)


# --------------------------------------------------------------------- supporting targets
def _m_plymate(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    return {"SHBG month 3 / baseline": _at(d, "shbg_nmol_l", 84) / d.shbg_nmol_l.iloc[0]}


T_PLYMATE = Target(
    key="support_plymate_shbg",
    title="SHBG on testosterone enanthate 200 mg every 2 weeks for 3 months (Plymate 1983)",
    source="Plymate 1983, PMID 6683724",
    scenarios=[
        _sc(
            "plymate-te-200-q2w",
            "84 d",
            [_te_line("200 mg", "14 d", "71 d")],
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
    title="LH with T or E2 added back under blockade (Pitteloud 2008; reported, not fitted)",
    source="Pitteloud 2008, PMC2266963",
    scenarios=[],
    measure=_m_pitteloud,
    measures=[
        Measure("LH with T add-back, aromatization blocked", 17.4, tolerance=0.25, unit=" IU/L"),
        Measure("LH with E2 add-back", 19.0, tolerance=0.25, unit=" IU/L"),
    ],
    notes="Steady-state reading of 2-3-day add-backs whose achieved T and E2 levels are not "
    "known to equal the reference; reported, not fitted (see docs/model.md, 'Tensions').",
    fit=False,
)


def _m_teslac(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    ai = dfs[0]
    return {
        "LH, T infusion on aromatase block / block alone": _at(ai, "lh_iu_l", 18)
        / _at(ai, "lh_iu_l", 14),
        "FSH, T infusion on aromatase block / block alone": _at(ai, "fsh_iu_l", 18)
        / _at(ai, "fsh_iu_l", 14),
        "E2, T infusion on aromatase block / block alone": _at(
            ai, "estradiol_immunoassay_pg_ml", 18
        )
        / _at(ai, "estradiol_immunoassay_pg_ml", 14),
    }


# 15 mg/day of absorbed testosterone delivered as 150 mg/day of gel (F_gel = 10%).
_T_INFUSION = {"drug": "testosterone_gel", "dose": "150 mg", "route": "transdermal", "every": "1 d"}

T_TESLAC = Target(
    key="support_teslac_androgen_feedback",
    title="Testosterone infusion with and without aromatase blockade (testolactone study)",
    source="'Evidence that testosterone can suppress pituitary gonadotropin secretion "
    "independently of peripheral aromatization', JCEM (scilit f80ac77cb404564fc45dcca3b69f4116)",
    scenarios=[
        _sc(
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
    scenarios=[_sc("t-infusion-alone", "18 d", [{**_T_INFUSION, "stop": "4 d"}], age_years=30)],
    measure=lambda dfs: {
        "LH, T infusion alone / baseline": _at(dfs[0], "lh_iu_l", 4) / dfs[0].lh_iu_l.iloc[0],
        "T, T infusion alone / baseline": _at(dfs[0], "total_testosterone_ng_dl", 4)
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


_STOP = 365.0 + 7.0  # first missed dose after 53 weekly injections (days 0..364)


def crossing_time(t: np.ndarray, c: np.ndarray, threshold: float, *, falling: bool) -> float:
    """First time (days) the series crosses ``threshold``, interpolated in log concentration.

    ``falling``: first drop below; else first rise to or above. ``inf`` if it never does.
    """
    hit = (c < threshold) if falling else (c >= threshold)
    idx = np.nonzero(hit)[0]
    if len(idx) == 0:
        return float("inf")
    i = int(idx[0])
    if i == 0:
        return float(t[0])
    lc0, lc1, lth = np.log(max(c[i - 1], 1e-12)), np.log(max(c[i], 1e-12)), np.log(threshold)
    frac = (lth - lc0) / (lc1 - lc0) if lc1 != lc0 else 1.0
    return float(t[i - 1] + frac * (t[i] - t[i - 1]))


def _m_suppression(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    c = d.sperm_concentration_m_per_ml.to_numpy()
    t = d.time_days.to_numpy()
    return {
        f"weeks to < {thr} M/mL": crossing_time(t, c, thr, falling=True) / 7
        for thr in (10, 5, 3, 1)
    }


def _m_recovery(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    d = dfs[0]
    after = d[d.time_days >= _STOP]
    c = after.sperm_concentration_m_per_ml.to_numpy()
    t = after.time_days.to_numpy()
    return {
        f"weeks to recover {thr} M/mL": (crossing_time(t, c, thr, falling=False) - _STOP) / 7
        for thr in (3, 5, 10, 20)
    }


def _te_weekly(name: str, horizon: str, stop: str) -> Scenario:
    return _sc(name, horizon, [_te_line("200 mg", "7 d", stop)], age_years=30)


T5_SUPPRESSION = Target(
    key="target5_handelsman_suppression",
    title="Sperm suppression on TE 200 mg weekly (Handelsman 2005)",
    source="Handelsman 2005 Hum Reprod 20:1733, PMID 15860500",
    scenarios=[_te_weekly("handelsman-suppression", "140 d", "140 d")],
    measure=_m_suppression,
    measures=[
        Measure("weeks to < 10 M/mL", 6.8, tolerance=0.25, unit=" wk"),
        Measure("weeks to < 5 M/mL", 8.7, tolerance=0.25, unit=" wk"),
        Measure("weeks to < 3 M/mL", 10.0, tolerance=0.25, unit=" wk"),
        Measure("weeks to < 1 M/mL", 13.0, tolerance=0.25, unit=" wk"),
    ],
    notes="First-version spermatogenesis (issue #4 completes it): one man at the default "
    "baseline of 60 M/mL.",
)

T5_RECOVERY = Target(
    key="target5_handelsman_recovery",
    title="Sperm recovery after 1 year of TE 200 mg weekly (Handelsman 2005; not fitted)",
    source="Handelsman 2005 Hum Reprod 20:1733, PMID 15860500",
    scenarios=[_te_weekly("handelsman-recovery", "600 d", "365 d")],
    measure=_m_recovery,
    measures=[
        Measure("weeks to recover 3 M/mL", 9.0, tolerance=0.25, unit=" wk"),
        Measure("weeks to recover 5 M/mL", 9.9, tolerance=0.25, unit=" wk"),
        Measure("weeks to recover 10 M/mL", 11.5, tolerance=0.25, unit=" wk"),
        Measure("weeks to recover 20 M/mL", 13.6, tolerance=0.25, unit=" wk"),
    ],
    notes="Not fitted: an out-of-sample check of the first-version germ-cell chain, which "
    "recovers about 20% early (the spermatogenesis issue, #4, refines it). Clock from the "
    "first missed dose.",
    fit=False,
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
    T5_SUPPRESSION,
    T5_RECOVERY,
)


def evaluate_targets(
    targets: Sequence[Target] = TARGETS, *, pop: Mapping[str, Any] | None = None
) -> dict[str, dict[str, float]]:
    """Simulate every target's scenarios (one batched solve per horizon) and measure them."""
    from hpgsim.api import simulate_many
    from hpgsim.model.axis import population_parameters

    scenarios = [s for t in targets for s in t.scenarios]
    frames = simulate_many(scenarios, pop=pop) if scenarios else []
    offset = float(population_parameters(pop)["e2_immunoassay_offset"])
    for f in frames:
        # what the studies' E2 immunoassays read: the true (LC-MS) value plus their
        # non-specific signal at low concentrations
        f["estradiol_immunoassay_pg_ml"] = f.estradiol_pg_ml + offset
    results: dict[str, dict[str, float]] = {}
    i = 0
    for t in targets:
        n = len(t.scenarios)
        if t.key.startswith("support_pitteloud"):
            p = population_parameters(pop)
            from hpgsim.model.axis import lh_synthesis_response

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
