"""Restoration pharmacology studies: clomiphene and enclomiphene (Miller 2019, Shabsigh 2005,
Helo 2017, SHBG on clomiphene), tamoxifen, gonadorelin (Hurley, the pump, continuous GnRH),
leuprolide (label, Smith 2007, Bhasin with leuprolide). hCG is with the Leydig cell in
:mod:`hpgsim.evidence.studies.foundation`. One record per study, as there."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hpgsim.evidence.records import (
    E2_COL,
    FSH_COL,
    LH_COL,
    SHBG_COL,
    T_COL,
    Measure,
    Target,
    man_scenario,
    peak_time,
    te_line,
    value_at,
)
from hpgsim.evidence.studies.foundation import BHASIN_NADIR_NG_DL, measure_bhasin, ratio_to_start
from hpgsim.measure.events import crossing_time
from hpgsim.scenario import Scenario

__all__ = ["RESTORATION_TARGETS"]


# ============================================================ restoration pharmacology (#3)
# --------------------------------------------------------------------- target 8: clomiphene
def _cc_line(dose: str = "25 mg") -> dict[str, str]:
    return {"drug": "clomiphene_citrate", "dose": dose, "route": "oral", "every": "1 d"}


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
    population="hypogonadal men, T 247 ng/dL (Shabsigh 2005)",
    observable="total T at 5 weeks",
    spread="mean",
    tolerance_reason="+/-25%",
    columns=(T_COL, LH_COL),
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
        "T / baseline": ratio_to_start(dfs[0], "total_testosterone_ng_dl", 180),
        "LH / baseline": ratio_to_start(dfs[0], "lh_iu_l", 180),
        "E2 / baseline": ratio_to_start(dfs[0], "estradiol_immunoassay_pg_ml", 180),
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
    population="15 hypogonadal men on long-term clomiphene (Helo 2017)",
    observable="T, LH and E2 relative to baseline at steady state",
    spread="medians",
    tolerance_reason="+/-25% (E2 +/-30%): medians of 15 men",
    columns=(T_COL, LH_COL, E2_COL),
    known_gaps={
        "E2 / baseline": "x1.37 vs x2.0: no estrogenic tone at low E2 (T x1.94 passes since "
        "zuclomiphene raises SHBG at the liver, issue #19)",
    },
)


T8_MILLER = Target(
    key="target8_miller_clomiphene",
    title="Clomiphene citrate 50 mg daily for 30 days in healthy men (Miller 2019)",
    source="Miller GD et al. J Clin Endocrinol Metab 2019, PMID 30295816",
    scenarios=[man_scenario("miller-cc-50", "30 d", [_cc_line("50 mg")], age_years=31)],
    measure=lambda dfs: {
        "T / baseline": ratio_to_start(dfs[0], "total_testosterone_ng_dl", 30),
        "LH / baseline": ratio_to_start(dfs[0], "lh_iu_l", 30),
        "FSH / baseline": ratio_to_start(dfs[0], "fsh_iu_l", 30),
    },
    measures=[
        Measure("T / baseline", 2.46, tolerance=0.25),
        Measure("LH / baseline", 2.77, tolerance=0.25),
        Measure("FSH / baseline", 2.70, tolerance=0.25),
    ],
    notes="12 healthy men 25-38 y; mean increases of 146%, 177% and 170% during treatment, "
    "read at day 30. The hypogonadal-men targets (Shabsigh 2005, Helo 2017) are reported, not "
    "fitted. Known gaps: T lags (x1.5): T follows LH through a Leydig capacity that adapts "
    "over months. Before issue #19's refit K_enc sat on its lower bound (a full ER block) and "
    "LH and FSH overshot (x3.6, x4.2); since it (Pitteloud read as a 3-fold rise, a lower "
    "pituitary ceiling) K_enc is 3.9 and LH undershoots (x2.0).",
    stage="restoration",
    population="12 healthy men 25-38 y (Miller 2019)",
    observable="T, LH and FSH at day 30 relative to baseline",
    spread="mean percent increases",
    tolerance_reason="+/-25%: a 12-man study",
    columns=(T_COL, LH_COL, FSH_COL),
    known_gaps={
        "LH / baseline": (
            "x2.0 vs 2.77 since issue #19 read Pitteloud 2008's blockade as the 3-fold rise it "
            "was (not 34.6 IU/L against the reference 4.5): the pituitary ceiling fell to 3.9x "
            "and compresses every large LH rise"
        ),
    },
)


T8_CC_SHBG = Target(
    key="target8_clomiphene_shbg",
    title="SHBG, T and E2 on clomiphene citrate in oligozoospermic men with varicocele",
    source="Effect of clomiphene citrate on SHBG in 10 oligozoospermic men with varicocele and "
    "6 normospermic men (abstract, indexed at discovery.researcher.life, topic "
    "'oligozoospermic patients'): SHBG 38.1 +/- 18.3 -> 54.3 +/- 16.0 nmol/L, T 31.2 -> "
    "52.0 nmol/L, E2 24.6 -> 43.3 pg/mL",
    scenarios=[man_scenario("cc-shbg-50", "90 d", [_cc_line("50 mg")], age_years=35)],
    measure=lambda dfs: {
        "SHBG / baseline": ratio_to_start(dfs[0], SHBG_COL, 90),
        "T / baseline": ratio_to_start(dfs[0], T_COL, 90),
        "E2 / baseline": ratio_to_start(dfs[0], E2_COL, 90),
    },
    measures=[
        Measure("SHBG / baseline", 54.3 / 38.1, tolerance=0.2),
        Measure("T / baseline", 52.0 / 31.2, tolerance=0.25),
        Measure("E2 / baseline", 43.3 / 24.6, tolerance=0.25),
    ],
    notes="Calibrated since issue #19 added zuclomiphene's hepatic agonism (shbg_zuc_emax, "
    "which this SHBG rise alone sets; its T and E2 are fitted with the other clomiphene "
    "targets). The abstract gives neither dose nor duration: the scenario assumes the "
    "usual 50 mg daily, read at 90 days (an assumption; the ratios are near their plateau by "
    "then). The authors relate the SHBG rise to the E2 rise and clomiphene's own estrogenic "
    "action; lowering estradiol with an aromatase inhibitor leaves SHBG unchanged (de Boer "
    "2005, Martikainen 1985), so the model reads it as clomiphene's own agonism at the liver. "
    "No second clomiphene SHBG value with its baseline was found to hold out.",
    stage="restoration",
    population="10 oligozoospermic men with varicocele (6 normospermic men similar)",
    observable="SHBG, T and E2 on clomiphene relative to before",
    spread="mean +/- SD; SHBG SD about 40% of the mean",
    tolerance_reason="+/-20% for SHBG (half its between-man SD), +/-25% for T and E2",
    columns=(SHBG_COL, T_COL, E2_COL),
    known_gaps={
        "T / baseline": "x2.12 vs x1.67 (accepted to x2.08): the fit weighs it against Miller "
        "2019's x2.46 in healthy men on the same 50 mg daily (x2.01 simulated); these "
        "oligozoospermic men with varicocele started at T 31.2 nmol/L (900 ng/dL), and read "
        "at that baseline the model's rise is larger still (x2.40), not smaller",
    },
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
        "LH / baseline": ratio_to_start(dfs[0], "lh_iu_l", 120),
        "T / baseline": ratio_to_start(dfs[0], "total_testosterone_ng_dl", 120),
    },
    measures=[
        Measure("LH / baseline", 4.1 / 1.7, tolerance=0.30),
        Measure("T / baseline", 38.0 / 25.0, tolerance=0.20),
    ],
    notes="9 men; LH peaked at 6 months, androgens at 4 months; both read at 4 months "
    "(tamoxifen and endoxifen are at steady state by then). Baseline androgens 25 nmol/L.",
    stage="restoration",
    population="9 oligospermic men on tamoxifen 10 mg daily",
    observable="LH and T at 4 months relative to baseline",
    spread="group means",
    tolerance_reason="+/-30% (T +/-20%): 9 men",
    columns=(LH_COL, T_COL),
)

T_TAMOXIFEN_E2 = Target(
    key="check_tamoxifen_e2",
    title="Tamoxifen 10 mg daily: estradiol (not fitted)",
    source="Hormonal effects of tamoxifen in oligospermic men (Clin Endocrinol; scilit 7d97428c)",
    scenarios=T_TAMOXIFEN.scenarios,
    measure=lambda dfs: {
        "E2 / baseline": ratio_to_start(dfs[0], "estradiol_immunoassay_pg_ml", 120)
    },
    measures=[Measure("E2 / baseline", 631.0 / 185.0, tolerance=0.30)],
    notes="Not fitted. E2 rose 3.4-fold, more than the 1.5-fold T rise can explain by "
    "aromatization alone. Tamoxifen's hepatic agonism now raises SHBG (shbg_tam_emax, "
    "Birzniece), but the model's estradiol clearance does not depend on SHBG, so the SHBG "
    "rise lifts E2 only through the T it carries; tamoxifen's effects on estradiol "
    "metabolism are not modelled.",
    fit=False,
    stage="restoration",
    population="9 oligospermic men on tamoxifen 10 mg daily",
    observable="E2 at 4 months relative to baseline",
    spread="group mean",
    tolerance_reason="+/-30%",
    columns=(E2_COL,),
    known_gaps={
        "E2 / baseline": (
            "E2 follows the T rise (x1.6 vs x3.4): estradiol's clearance does not depend on "
            "SHBG in the model, and tamoxifen's effects on estradiol metabolism are not modelled"
        ),
    },
)


_BIRZNIECE_DAYS = 28.0  # 2 weeks of 10 mg/d, then 2 weeks of 20 mg/d (read at the end)

T_BIRZNIECE = Target(
    key="target_birzniece_tamoxifen",
    title="Tamoxifen 10 then 20 mg daily in healthy men: SHBG, T and LH (Birzniece)",
    source="Birzniece et al.: Neuroendocrine regulation of growth hormone and "
    "androgen axes by selective estrogen receptor modulators in healthy men (Garvan Institute "
    "publication 10658; same design as PMID 22319035)",
    scenarios=[
        man_scenario(
            "tamoxifen-10-then-20",
            f"{_BIRZNIECE_DAYS:g} d",
            [
                {
                    "drug": "tamoxifen",
                    "dose": "10 mg",
                    "route": "oral",
                    "every": "1 d",
                    "stop": "14 d",
                },
                {
                    "drug": "tamoxifen",
                    "dose": "20 mg",
                    "route": "oral",
                    "every": "1 d",
                    "start": "14 d",
                },
            ],
            age_years=35,
        )
    ],
    measure=lambda dfs: {
        "SHBG / baseline, 20 mg/d": ratio_to_start(dfs[0], SHBG_COL, _BIRZNIECE_DAYS),
        "T / baseline, 20 mg/d": ratio_to_start(dfs[0], T_COL, _BIRZNIECE_DAYS),
        "LH / baseline, 20 mg/d": ratio_to_start(dfs[0], LH_COL, _BIRZNIECE_DAYS),
    },
    measures=[
        Measure("SHBG / baseline, 20 mg/d", 1.20, tolerance=0.10),
        Measure("T / baseline, 20 mg/d", 1.40, tolerance=0.20),
        Measure("LH / baseline, 20 mg/d", 1.70, tolerance=0.30),
    ],
    notes="Ten healthy men, randomized crossover: '2-wk sequential treatment with tamoxifen "
    "(10 and 20 mg/d)', read as 2 weeks of 10 mg/d then 2 weeks of 20 mg/d (an assumption: "
    "the abstract does not say how long each dose ran); SHBG rose 20 +/- 7 % 'at the higher "
    "therapeutic dose', T 40 % and LH 70 % (the abstract's mean increases). The SHBG rise is "
    "the only quantitative one in men found, and it alone sets shbg_tam_emax; tamoxifen is "
    "not at steady state after 4 weeks (half-life 5-7 d, endoxifen's formation ~14 d).",
    stage="restoration",
    population="10 healthy men (Birzniece; randomized open-label crossover)",
    observable="SHBG, T and LH after tamoxifen 20 mg/d relative to baseline",
    spread="mean increases (+/- 7 % for SHBG; SD or SE not stated)",
    tolerance_reason="+/-10% for SHBG (the +/- 7 % on a 1.20 ratio); +/-20% for T and "
    "+/-30% for LH, as for the other tamoxifen study",
    columns=(SHBG_COL, T_COL, LH_COL),
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
    "in a man with congenital hypogonadotropic hypogonadism. Passes since issue #19's "
    "readily releasable pool, two-compartment serum LH and capped mobilization (peak 7.6 "
    "IU/L before). The plasma peak time (5-10 min) is PK only.",
    fit=False,
    stage="restoration",
    population="5 GnRH-deficient patients (Hurley 1987), simulated as a man with CHH",
    observable="LH peak and time of the gonadorelin plasma peak after 10 ug SC",
    spread="means; the design's peak window 5-10 min",
    tolerance_reason="+/-30% for the LH peak; the published 5-15 min window for the time",
    columns=("lh_iu_l",),
)

T9_HURLEY_TIME = Target(
    key="check_hurley_lh_peak_time",
    title="Gonadorelin 10 ug SC: time of the LH peak (not fitted)",
    source="Hurley 1987 JCEM (research.monash.edu)",
    scenarios=T9_HURLEY.scenarios,
    measure=_m_hurley,
    measures=[Measure("minutes to LH peak", 35.0, low=20, high=45, unit=" min")],
    notes="Not fitted: LH peaks 20-30 min after the plasma GnRH peak (90 min with one LH pool "
    "and one LH half-life, 67 min since issue #19's two-pool release).",
    fit=False,
    stage="restoration",
    population="5 GnRH-deficient patients (Hurley 1987)",
    observable="minutes from the dose to the LH peak",
    spread="20-30 min after the plasma peak",
    tolerance_reason="the published window",
    columns=("lh_iu_l",),
    known_gaps={
        "minutes to LH peak": (
            "LH peaks 67 min after the dose: in a man without GnRH the readily releasable "
            "pool is small (it holds his low synthesis for 1.8 h), so the bolus's LH comes "
            "from the reserve, mobilized for as long as the SC dose is absorbed (t1/2 24 min); "
            "Hurley's women had residual GnRH of their own"
        ),
    },
)

_LHRH_IV_DOSES_UG: tuple[float, ...] = (1.0, 2.5, 20.0)
_LHRH_IV_AREA_MIN = 60.0  # the study sampled to 60 or 90 min


def _iv_bolus(name: str, dose_ug: float) -> Scenario:
    return man_scenario(
        name,
        "3 h",
        [_gnrh_line(f"{dose_ug:g} ug", route="intravenous")],
        output_every="2.5 min",
        age_years=30,
    )


def _lh_above_start(d: pd.DataFrame, minutes: float) -> float:
    """Area of LH above its pre-dose value over the first ``minutes`` (IU/L x min)."""
    t = d.time_days.to_numpy() * 1440.0
    lh = d[LH_COL].to_numpy()
    w = t <= minutes
    return float(np.trapezoid(lh[w] - lh[0], t[w]))


def _m_lhrh_iv(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    minutes = {
        dose: peak_time(d.time_days.to_numpy() * 1440.0, d[LH_COL].to_numpy())
        for dose, d in zip(_LHRH_IV_DOSES_UG, dfs, strict=True)
    }
    area = {
        dose: _lh_above_start(d, _LHRH_IV_AREA_MIN)
        for dose, d in zip(_LHRH_IV_DOSES_UG, dfs, strict=True)
    }
    return {
        "minutes to LH peak after 1 ug IV": minutes[1.0],
        "minutes to LH peak after 2.5 ug IV": minutes[2.5],
        "LH area over 60 min, 20 ug / 2.5 ug": area[20.0] / area[2.5],
    }


T9_LHRH_IV = Target(
    key="target9_lhrh_iv_dose_response",
    title="IV LH-RH bolus of 1, 2.5 and 20 ug in normal men: timing and size of the LH answer",
    source="Pharmacokinetics of intravenous luteinizing hormone-releasing hormone "
    "administration in men: effects of various dosages (26 healthy men; abstract at "
    "discovery.researcher.life, article 4b687fcd; the source of LHRH_IV_PK)",
    scenarios=[_iv_bolus(f"lhrh-iv-{dose:g}ug", dose) for dose in _LHRH_IV_DOSES_UG],
    measure=_m_lhrh_iv,
    measures=[
        Measure("minutes to LH peak after 1 ug IV", 15.0, low=13.5, high=16.3, unit=" min"),
        Measure("minutes to LH peak after 2.5 ug IV", 15.0, low=13.5, high=16.3, unit=" min"),
        Measure("LH area over 60 min, 20 ug / 2.5 ug", 1.0, tolerance=0.25),
    ],
    notes="Fitted (issue #19's readily releasable LH pool: k_lh_rrp, k_lh_acute). 'Maximum LH "
    "values were reached more rapidly in the low-dose (1 and 2.5 micrograms) experiments "
    "(between 13.5 and 16.3 minutes)'; the LH area rose from 1 to 2.5 ug 'but no further "
    "increase of LH release occurred (P >= 0.21)' from 2.5 to 20 ug, read as an area ratio of "
    "1 +/- 25 %. The area is LH above its pre-dose value over the first 60 min (the study "
    "sampled to 60 or 90 min). Plasma GnRH peaked at 1-3 min with a half-life of 2.6-5.2 min, "
    "the model's PK (ke_gnrh) by construction.",
    stage="restoration",
    population="26 healthy normal men, one IV bolus each of 1, 2.5, 5 or 20 ug",
    observable="minutes from the bolus to the LH maximum; LH area above the pre-dose value",
    spread="group means; the published peak-time range of the two low doses",
    tolerance_reason="the published range for the peak times; +/-25% for 'no further increase'",
    columns=(LH_COL, "gonadorelin_pg_ml"),
    known_gaps={
        "LH area over 60 min, 20 ug / 2.5 ug": (
            "x1.39 (2.19 before the two-pool release): both doses empty the readily "
            "releasable pool, but 20 ug holds the receptor for minutes longer and the reserve "
            "goes on being mobilized into the pool (krel_LH x signal, up to lh_release_max) "
            "for as long"
        ),
    },
)


def _m_santen(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    lh = dfs[0][LH_COL].to_numpy()
    return {"LH peak / pre-dose after 25 ug IV LH-RH": float(lh.max() / lh[0])}


T9_SANTEN = Target(
    key="target9_santen1975_lhrh_response",
    title="LH answer to 25 ug IV LH-RH in normal men (Santen 1975, control periods)",
    source="Santen RJ. Is aromatization of testosterone to estradiol required for inhibition "
    "of luteinizing hormone secretion in men? J Clin Invest 1975;56:1555 (abstract at "
    "ichgcp.net, publication 208727)",
    scenarios=[_iv_bolus("lhrh-iv-25ug", 25.0)],
    measure=_m_santen,
    measures=[Measure("LH peak / pre-dose after 25 ug IV LH-RH", 2.8, low=2.7, high=2.9)],
    notes="Fitted (the readily releasable LH pool's size, k_lh_rrp). 'LH-RH produced similar "
    "170-190% increments in serum LH during the three control periods and during T infusion' "
    "(read as peak / pre-dose 2.7-2.9); an estradiol infusion at twice its production rate "
    "blunted that response by 76 +/- 31 %. The model has no estradiol drug, so the estradiol "
    "arm is not simulated; the pituitary's estrogen factor is fitted to Pitteloud 2008's pump "
    "amplitudes (an 18 % fall from no E2 to the reference).",
    stage="restoration",
    population="normal men (Santen 1975; n not in the abstract)",
    observable="LH peak over its pre-dose value after 25 ug IV LH-RH",
    spread="the published range of the four period means",
    tolerance_reason="the published range",
    columns=(LH_COL,),
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
    population="6 GnRH-deficient men on a 90-minute pump (Hoffman & Crowley 1982)",
    observable="T after 1 month; LH after 1 week",
    spread="T 520 +/- 182 ng/dL (SD)",
    tolerance_reason="+/-35% for T (one SD is 35%); LH inside the adult normal range 2-9 IU/L",
    columns=(T_COL, LH_COL),
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
    population="men with prostate cancer (Lupron Depot 7.5 mg label; 56 men)",
    observable="leuprolide at 4 h and 4 weeks, T flare in week 1 and its day, T at day 21, day T "
    "falls below 50 ng/dL",
    spread="label means; median time to castration 21 d",
    tolerance_reason="+/-25% for PK; the label's flare range; peak day 2-6 d; +/-50% at the "
    "castration threshold; castration day within the label's 2-4 weeks",
    columns=("leuprolide_ng_ml", T_COL),
    known_gaps={
        "day of the T peak": (
            "T peaks on day 1.8, a day after LH (day 1.0, at the edge of the accepted days "
            "1-3): the reserve's capped mobilization spreads the flare over the first day and "
            "desensitization then ends it; the daily agonist's T peak on days 3-4 needs LH "
            "to stay up longer than the model's receptor loss lets it"
        ),
    },
)


T10_LEUPROLIDE_LH_DAY = Target(
    key="check_leuprolide_lh_peak_day",
    title="Leuprolide depot 7.5 mg IM: day of the LH flare's peak (not fitted)",
    source="GnRH agonist D-(Nal2)6GnRH daily in 2 groups of 7 normal men, J Clin Endocrinol "
    "Metab 1984;58:1084 (scilit 99b680cb): LH and FSH peak on days 2-3, T on days 3-4; "
    "issue #19: LH peaks on day 1-2 after a depot",
    scenarios=T10_LEUPROLIDE.scenarios,
    measure=lambda dfs: {
        "day of the LH peak": peak_time(dfs[0].time_days.to_numpy(), dfs[0][LH_COL].to_numpy())
    },
    measures=[Measure("day of the LH peak", 2.0, low=1.0, high=3.0, unit=" d")],
    notes="Not fitted. No LH time course after a leuprolide depot was found; on a daily "
    "agonist in normal men LH peaked on days 2-3 (and T on days 3-4), and after a depot the "
    "burst is over within hours while the sustained release goes on, so the flare's LH peak "
    "is read within days 1-3 (issue #19: days 1-2). Passes since issue #19's two-pool release "
    "(9 h before), at the window's edge: the capped mobilization of the reserve holds LH up "
    "through the first day.",
    fit=False,
    stage="restoration",
    population="men with prostate cancer on the 7.5 mg depot (simulated as target 10)",
    observable="day of the LH maximum after the first depot",
    spread="the published peak days of a daily agonist",
    tolerance_reason="days 1-3: the issue's days 1-2 and the daily agonist's days 2-3",
    columns=(LH_COL,),
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
    population="49 men with non-metastatic prostate cancer on leuprolide; simulated: man of 70 y, "
    "baseline T 372 ng/dL",
    observable="total T at week 48",
    spread="mean +/- SE 13 +/- 1 ng/dL (SD about 7)",
    tolerance_reason="+/-50% at a castrate level near assay limits",
    columns=(T_COL, LH_COL),
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
    population="the same men",
    observable="free-T fraction (free / total T) at week 48 relative to baseline",
    spread="SE of the ratio about 13%",
    tolerance_reason="+/-15%",
    columns=(T_COL, "free_testosterone_pg_ml", "shbg_nmol_l"),
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
    population="18 normal men, gonadorelin 1 ug/min IV for 3 h",
    observable="mean LH over 3 h relative to baseline",
    spread="3-4-fold across the three delivery modes",
    tolerance_reason="the published 3-4-fold range",
    columns=(LH_COL,),
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
        for dose in BHASIN_NADIR_NG_DL
    ],
    measure=measure_bhasin,
    measures=[
        Measure(f"nadir T at {dose} mg/wk", v, tolerance=0.25, unit=" ng/dL")
        for dose, v in BHASIN_NADIR_NG_DL.items()
    ],
    notes="Not fitted: healthy young men, leuprolide depot from day 0, TE weekly; the fitted "
    "target 3 uses the congenital-hypogonadotropic stand-in for the clamp (see its notes). "
    "Agreement here shows the stand-in and the agonist clamp give the same nadirs.",
    fit=False,
    stage="restoration",
    population="healthy young men with a leuprolide clamp (Bhasin 2001 as designed)",
    observable="nadir total T by weekly TE dose",
    spread="SD about 25-40% of the mean",
    tolerance_reason="+/-25%, as target 3",
    columns=(T_COL,),
    known_gaps={
        "nadir T at 50 mg/wk": (
            "a hypogonadal stand-in (target 3) and clamped healthy men differ in "
            "SHBG: the law reads free T relative to the man's own"
        ),
        "nadir T at 125 mg/wk": (
            "a hypogonadal stand-in (target 3) and clamped healthy men differ in "
            "SHBG: the law reads free T relative to the man's own"
        ),
    },
)

# --------------------------------------------------------------------- letrozole
_LETROZOLE_DAILY = {"drug": "letrozole", "dose": "2.5 mg", "route": "oral", "every": "1 d"}
_TSJOEN = {"young": (0.54, 4.39, 2.46), "elderly": (0.38, 4.23, 1.99)}
"""T'Sjoen 2005, day 28 of letrozole 2.5 mg daily: E2, LH and T relative to baseline
(E2 -46 % / -62 %, LH +339 % / +323 %, T +146 % / +99 % in the young / elderly men)."""


def _m_tsjoen(dfs: Sequence[pd.DataFrame]) -> dict[str, float]:
    out: dict[str, float] = {}
    for group, d in zip(_TSJOEN, dfs, strict=True):
        out[f"E2 / baseline, {group}"] = ratio_to_start(d, "estradiol_immunoassay_pg_ml", 28)
        out[f"LH / baseline, {group}"] = ratio_to_start(d, "lh_iu_l", 28)
        out[f"T / baseline, {group}"] = ratio_to_start(d, "total_testosterone_ng_dl", 28)
    return out


_TSJOEN_SCENARIOS = [
    man_scenario("tsjoen-letrozole-young", "28 d", [_LETROZOLE_DAILY], age_years=25),
    man_scenario("tsjoen-letrozole-elderly", "28 d", [_LETROZOLE_DAILY], age_years=70),
]

T_TSJOEN = Target(
    key="target_tsjoen2005_letrozole",
    title="Letrozole 2.5 mg daily for 28 days in healthy young men: estradiol (T'Sjoen 2005)",
    source="T'Sjoen GG et al. J Clin Endocrinol Metab 2005 (Ghent; placebo-controlled "
    "crossover, 10 young and 10 elderly men)",
    scenarios=_TSJOEN_SCENARIOS,
    measure=lambda dfs: {"E2 / baseline, young": _m_tsjoen(dfs)["E2 / baseline, young"]},
    measures=[Measure("E2 / baseline, young", _TSJOEN["young"][0], tolerance=0.15)],
    notes="Fits Imax_let, the fraction of men's estradiol production letrozole can remove as "
    "the study's assay sees it (immunoassay: the model's E2 plus its offset). LH and T are "
    "the reported check (check_tsjoen2005_letrozole). Ages and BMI are not in the abstract: "
    "25 and 70 years and BMI 25 assumed.",
    stage="restoration",
    population="10 healthy young men (T'Sjoen 2005)",
    observable="E2 at day 28 relative to baseline",
    spread="group mean change; 10 men",
    tolerance_reason="+/-15%: pins the one fitted parameter; the LH and T responses are the test",
    columns=(E2_COL,),
)

_TSJOEN_GAP = (
    "for an estradiol fall of about half the model lifts LH about 1.8-fold and T about "
    "1.3-1.45-fold (published x4.4 and x2.5): the estradiol feedback fitted to Leder 2004 "
    "(LH x1.55 for E2 -35 % on anastrozole) and Pitteloud 2008 (LH x3 with both steroids "
    "removed) is too shallow for these men; fitting this LH rise with the feedback (tried "
    "for issue #19) drove the hypothalamic estradiol gain to its bound (20) and worsened the "
    "SERM targets"
)

T_TSJOEN_CHECK = Target(
    key="check_tsjoen2005_letrozole",
    title="Letrozole 2.5 mg daily for 28 days in young and elderly men: LH and T (T'Sjoen 2005)",
    source=T_TSJOEN.source,
    scenarios=_TSJOEN_SCENARIOS,
    measure=lambda dfs: {k: v for k, v in _m_tsjoen(dfs).items() if k != "E2 / baseline, young"},
    measures=[
        Measure("LH / baseline, young", _TSJOEN["young"][1], tolerance=0.25),
        Measure("T / baseline, young", _TSJOEN["young"][2], tolerance=0.25),
        Measure("E2 / baseline, elderly", _TSJOEN["elderly"][0], tolerance=0.25),
        Measure("LH / baseline, elderly", _TSJOEN["elderly"][1], tolerance=0.25),
        Measure("T / baseline, elderly", _TSJOEN["elderly"][2], tolerance=0.25),
    ],
    notes="Not fitted: the gonadotropin and testosterone response to an estradiol fall that "
    "the fitted Imax_let sets, through the feedback fitted on other studies (Leder, Pitteloud, "
    "Miller). LH rose 4.4-fold for a 46 % fall in (immunoassay) E2, far more than anastrozole's "
    "1.5-fold in Leder 2004's older men.",
    fit=False,
    stage="restoration",
    population="10 young and 10 elderly healthy men (T'Sjoen 2005)",
    observable="LH and T (and the elderly men's E2) at day 28 relative to baseline",
    spread="group mean changes; 10 men per group",
    tolerance_reason="+/-25%: 10-man groups",
    columns=(LH_COL, T_COL, E2_COL),
    known_gaps={
        "LH / baseline, young": _TSJOEN_GAP,
        "T / baseline, young": _TSJOEN_GAP,
        "LH / baseline, elderly": _TSJOEN_GAP,
        "T / baseline, elderly": _TSJOEN_GAP,
        "E2 / baseline, elderly": (
            "the elderly men's estradiol fell further (-62 % against -46 % in the young); the "
            "model's block removes the same fraction of estradiol production at any age "
            "(E2 -46 % simulated)"
        ),
    },
)


RESTORATION_TARGETS: tuple[Target, ...] = (
    T8_MILLER,
    T8_CC_SHBG,
    T8_SHABSIGH,
    T8_HELO,
    T_TAMOXIFEN,
    T_TAMOXIFEN_E2,
    T_BIRZNIECE,
    T9_HURLEY,
    T9_HURLEY_TIME,
    T9_LHRH_IV,
    T9_SANTEN,
    T9_PUMP,
    T9_CONTINUOUS_3H,
    T10_LEUPROLIDE,
    T10_LEUPROLIDE_LH_DAY,
    T10_SMITH,
    T10_SMITH_FREE_FRACTION,
    T3_LEUPROLIDE,
    T_TSJOEN,
    T_TSJOEN_CHECK,
)
