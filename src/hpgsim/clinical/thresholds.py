"""Every number the clinical layer's rules and metrics use, with its unit and source (or marked
as an assumption with its reasoning), and the restoration agents the rules name. None is a
literal in the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hpgsim.measure.events import SEMEN_LIMITS
from hpgsim.measure.reference_ranges import (
    FEMALE_REFERENCE_RANGES,
    LCMS_E2_DETECTION_LIMIT_PG_ML,
    REFERENCE_RANGES,
)

__all__ = ["DISCLAIMER", "SERMS", "STIMULANTS", "THRESHOLDS", "Threshold", "threshold_value"]

DISCLAIMER = (
    "hpgsim is research and education software, not a medical device. These are model "
    "predictions for discussion between clinicians and researchers, not medical advice and not "
    "a recommendation for any person."
)

SERMS: tuple[str, ...] = ("clomiphene_citrate", "enclomiphene", "tamoxifen")
STIMULANTS: tuple[str, ...] = (*SERMS, "hcg", "fsh", "gonadorelin")
"""Restoration agents: their first dose starts the stimulation clock."""


@dataclass(frozen=True)
class Threshold:
    """A number a rule or metric uses: value, unit, meaning and source. ``assumption`` marks a
    number no publication gives; its ``source`` then states the reasoning."""

    name: str
    value: float
    unit: str
    meaning: str
    source: str
    assumption: bool = False


_LCMS_E2 = (
    "Adult male LC-MS/MS reference interval 65.4-207.7 pmol/L (17.8-56.6 pg/mL at 3.671 "
    "pmol/L per pg/mL), PMID 22582502 (hpgsim.output.plots.REFERENCE_RANGES)"
)

THRESHOLDS: dict[str, Threshold] = {
    t.name: t
    for t in (
        Threshold(
            "testosterone_low_ng_dl",
            300.0,
            "ng/dL",
            "total testosterone below which it is read as low (recovery target of compare; "
            "persistent-suppression rule)",
            "Mulhall JP et al. Evaluation and management of testosterone deficiency: AUA "
            "guideline. J Urol 2018;200:423, doi:10.1016/j.juro.2018.03.115 ('a total "
            "testosterone level below 300 ng/dL as a reasonable cut-off')",
        ),
        Threshold(
            "testosterone_high_ng_dl",
            round(
                REFERENCE_RANGES["total_testosterone_ng_dl"].high, 1
            ),  # as reported (measure.reference_ranges)
            "ng/dL",
            "upper limit of the harmonized adult male range: above it is supraphysiological",
            "Travison TG et al. J Clin Endocrinol Metab 2017;102:1161, PMID 28324103 (97.5th "
            "percentile, non-obese men 19-39 y; hpgsim.output.plots.REFERENCE_RANGES)",
        ),
        Threshold(
            "estradiol_high_pg_ml",
            round(
                REFERENCE_RANGES["estradiol_pg_ml"].high, 1
            ),  # as reported (measure.reference_ranges)
            "pg/mL",
            "upper limit of the adult male estradiol interval: above it is supraphysiological",
            _LCMS_E2,
        ),
        Threshold(
            "estradiol_floor_pg_ml",
            round(
                REFERENCE_RANGES["estradiol_pg_ml"].low, 1
            ),  # as reported (measure.reference_ranges)
            "pg/mL",
            "physiological floor of estradiol: the lower limit of the adult male interval "
            "(a reference limit, not a proven harm threshold)",
            _LCMS_E2,
        ),
        Threshold(
            "female_testosterone_high_ng_dl",
            FEMALE_REFERENCE_RANGES["total_testosterone_ng_dl"].high,
            "ng/dL",
            "a woman's total testosterone above which it exceeds the premenopausal range that "
            "testosterone therapy for women aims at",
            "95th percentile of premenopausal women aged 30 (Braunstein GD et al. J Sex Med "
            "2011;8:2924, doi:10.1111/j.1743-6109.2011.02380.x); Global Consensus Position "
            "Statement on the Use of Testosterone Therapy for Women (Davis SR et al. J Clin "
            "Endocrinol Metab 2019;104:4660, PMID 31498871): doses 'that approximate "
            "physiological testosterone concentrations for premenopausal women' "
            "(hpgsim.measure.reference_ranges.FEMALE_REFERENCE_RANGES)",
        ),
        Threshold(
            "female_estradiol_floor_pg_ml",
            round(LCMS_E2_DETECTION_LIMIT_PG_ML, 2),
            "pg/mL",
            "a post-menopausal woman's estradiol below which LC-MS/MS detects none: below the "
            "post-menopausal range, which starts at the limit of detection",
            "limit of detection 4 pmol/L of an isotope-dilution LC-MS/MS assay (Frederiksen H "
            "et al. J Clin Endocrinol Metab 2020;105:754, PMID 31720688); NAMS 2019 workshop: "
            "the post-menopausal range runs 'from below the limit of detection up to 10 pg/mL' "
            "(Santen RJ et al. Menopause 2020;27:614)",
        ),
        Threshold(
            "t_to_e2_ratio_min",
            10.0,
            "(ng/dL)/(pg/mL)",
            "testosterone-to-estradiol ratio below which estradiol is read as high relative to "
            "testosterone",
            "Gregoriou O et al. Fertil Steril 2012;98:48-51 (infertile men with T/E2 < 10 "
            "treated with anastrozole or letrozole); Yang Y et al. Transl Androl Urol 2022, "
            "doi:10.21037/tau-22-95 ('abnormal testosterone to estradiol (T/E2) ratio (T/E2 "
            "<10)'); fertile men about 14.5 in these units (Pavlovich 2001, as summarised at "
            "medicalalgorithms.com: 145 with both in ng/L)",
        ),
        Threshold(
            "gnrh_continuous_hours",
            6.0,
            "h",
            "uninterrupted gonadorelin exposure read as continuous",
            "The LHRH-desensitized rat pituitary (hpgsim citation RatPituitaryDesens, PMID "
            "7007026): under continuous LHRH the LH response returned to baseline over 6 h; "
            "Belchetz 1978 (PMID 100883): continuous infusion fails where pulses work. "
            "Carrying the rat in-vitro time course over to men is an assumption",
            assumption=True,
        ),
        Threshold(
            "gnrh_trough_to_peak_min",
            0.5,
            "1",
            "within the exposure window, a trough above this fraction of the peak means no "
            "pulse signal (continuous exposure)",
            "assumption: pulsatile GnRH needs the concentration to fall well between pulses. "
            "Read from the regimen and the plasma kinetics (trough/peak = exp(-k x interval), "
            "k = ke_gnrh IV or the slower of ka_gnrh and ke_gnrh SC): a 90-min SC pump (Hoffman "
            "1982 design) gives 0.07, an infusion 1.0; half the peak separates them",
            assumption=True,
        ),
        Threshold(
            "persistent_suppression_months",
            6.0,
            "months",
            "time after the first missed androgen dose at which testosterone still below the "
            "low cut-off is read as persistent HPG suppression",
            "Endocrine Connections 2023, EC-23-0358 (hpgsim citation Kanayama_recovery): "
            "gonadotropin recovery expected over 3-6 months after androgen withdrawal; the "
            "rule reads the end of that window",
        ),
        Threshold(
            "azoospermia_m_per_ml",
            SEMEN_LIMITS["azoospermia"].below_m_per_ml,
            "M/mL",
            "sperm concentration read as azoospermia (assay detection limit)",
            SEMEN_LIMITS["azoospermia"].source,
        ),
        Threshold(
            "azoospermia_stimulation_months",
            6.0,
            "months",
            "months of stimulation after which persisting azoospermia fires the TESE/ICSI "
            "flag (it is re-read at 12 months when the horizon allows)",
            "assumption: the lower end of the 6-12 months named in the clinical-layer issue; "
            "two spermatogenic cycles (2 x 74 d, the article's 'approximately 72-74 days') "
            "plus a month of epididymal transit and ejaculation, about 6 months",
            assumption=True,
        ),
        Threshold(
            "spermatogenic_cycle_days",
            74.0,
            "d",
            "interval between semen analyses in the monitoring plan (each analysis then sees "
            "a new cohort of sperm)",
            "the article: 'the complete cycle of sperm production takes approximately 72-74 days'",
        ),
        Threshold(
            "hormone_recheck_days",
            42.0,
            "d",
            "hormones re-measured this long after each regimen change (6-8 weeks)",
            "assumption: about six half-lives of the slowest hormone-level process the model "
            "carries after a change (SHBG t1/2 ~7 d, tamoxifen t1/2 5-7 d: hpgsim parameters "
            "ke_SHBG, CL_tam), so the new level has settled; the plan prints the simulated "
            "values so the choice can be checked",
            assumption=True,
        ),
        Threshold(
            "semen_target_m_per_ml",
            20.0,
            "M/mL",
            "sperm concentration target of the monitoring plan (default; --target changes it)",
            "the recovery threshold of the WHO 1990 and Liu 2006 contraception studies "
            "(hpgsim citations WHO1990, Handelsman2005); the WHO 2010 lower reference limit "
            "is 15 M/mL (PMID 19934213)",
        ),
        Threshold(
            "semen_target_consecutive",
            2.0,
            "analyses",
            "consecutive analyses at or above the target that end the semen schedule",
            "assumption: the clinical-layer issue ('until two results above target'); one "
            "analysis has a within-man CV of 0.39 (hpgsim.measure.events.SemenAssay)",
            assumption=True,
        ),
    )
}
"""Every threshold of the clinical layer, by name."""


def threshold_value(thresholds: Mapping[str, Threshold] | None, name: str) -> float:
    """The value of threshold ``name`` in ``thresholds`` (default :data:`THRESHOLDS`)."""
    return float((thresholds or THRESHOLDS)[name].value)
