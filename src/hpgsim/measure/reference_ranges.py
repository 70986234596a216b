"""Reference ranges and reference limits, keyed by output column, each with its source and the
population it describes: the adult man's (:data:`REFERENCE_RANGES`) and the woman's
(:data:`FEMALE_REFERENCE_RANGES`); :func:`reference_ranges` gives a patient's. What the plots
shade, what the clinical flags compare against.
"""

from __future__ import annotations

from dataclasses import dataclass

from hpgsim.measure.events import SEMEN_LIMITS
from hpgsim.units import nmol_l_to_ng_dl, pmol_l_to_pg_ml_e2

__all__ = [
    "FEMALE_REFERENCE_RANGES",
    "LCMS_E2_DETECTION_LIMIT_PG_ML",
    "REFERENCE_RANGES",
    "SPERM_CONCENTRATION_LIMITS",
    "ReferenceLine",
    "ReferenceRange",
    "reference_ranges",
]

_PG_ML_PER_NG_DL = 10.0  # 1 ng/dL = 10 pg/mL


@dataclass(frozen=True)
class ReferenceRange:
    """A reference interval, in the unit of the output column it shades."""

    low: float
    high: float
    unit: str
    source: str
    """Citation, with the interval as published when it was converted to `unit`."""
    population: str = "adult male"
    """Whom the interval describes, as a plot's caption names them."""


@dataclass(frozen=True)
class ReferenceLine:
    """A single reference limit drawn as a line (for example a WHO lower reference limit)."""

    value: float
    unit: str
    label: str
    source: str


REFERENCE_RANGES: dict[str, ReferenceRange] = {
    "total_testosterone_ng_dl": ReferenceRange(
        low=264.0,
        high=916.0,
        unit="ng/dL",
        source=(
            "Travison TG et al. Harmonized reference ranges for circulating testosterone levels "
            "in men of four cohort studies in the United States and Europe. J Clin Endocrinol "
            "Metab 2017;102:1161-1173. PMID 28324103 (non-obese men aged 19-39, 2.5th-97.5th "
            "percentile)."
        ),
    ),
    "free_testosterone_pg_ml": ReferenceRange(
        # published 0.16-0.52 nmol/L; pg/mL = nmol/L x 288.42 (molar mass 288.42 g/mol)
        low=nmol_l_to_ng_dl(0.16) * _PG_ML_PER_NG_DL,
        high=nmol_l_to_ng_dl(0.52) * _PG_ML_PER_NG_DL,
        unit="pg/mL",
        source=(
            "0.16-0.52 nmol/L (calculated free testosterone), converted at 288.42 pg/mL per "
            "nmol/L. Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749."
        ),
    ),
    "estradiol_pg_ml": ReferenceRange(
        # published 65.4-207.7 pmol/L; pg/mL = pmol/L / 3.671 (molar mass 272.38 g/mol)
        low=pmol_l_to_pg_ml_e2(65.4),
        high=pmol_l_to_pg_ml_e2(207.7),
        unit="pg/mL",
        source=(
            "65.4-207.7 pmol/L (LC-MS/MS, adult men), converted at 3.671 pmol/L per pg/mL. "
            "PMID 22582502."
        ),
    ),
    "lh_iu_l": ReferenceRange(
        low=1.6,
        high=10.0,
        unit="IU/L",
        source="Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749 (adult men).",
    ),
    "fsh_iu_l": ReferenceRange(
        low=1.9,
        high=16.3,
        unit="IU/L",
        source="Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749 (adult men).",
    ),
}
"""Adult male reference ranges keyed by output column, with sources."""

_BRAUNSTEIN_2011 = (
    "Braunstein GD et al. Serum testosterone, free testosterone, SHBG in 161 regularly cycling "
    "women aged 18-49, 5th-95th percentile at age 30. J Sex Med 2011;8:2924-34, "
    "doi:10.1111/j.1743-6109.2011.02380.x"
)

FEMALE_REFERENCE_RANGES: dict[str, ReferenceRange] = {
    "total_testosterone_ng_dl": ReferenceRange(
        low=15.0,
        high=46.0,
        unit="ng/dL",
        source=(
            f"{_BRAUNSTEIN_2011}. The premenopausal range is what testosterone therapy for "
            "women aims at: 'doses that approximate physiological testosterone concentrations "
            "for premenopausal women' (Global Consensus Position Statement on the Use of "
            "Testosterone Therapy for Women, Davis SR et al. J Clin Endocrinol Metab "
            "2019;104:4660, PMID 31498871)."
        ),
        population="premenopausal women",
    ),
    "free_testosterone_pg_ml": ReferenceRange(
        low=1.2,
        high=6.4,
        unit="pg/mL",
        source=f"{_BRAUNSTEIN_2011} (measured free testosterone).",
        population="premenopausal women",
    ),
    "shbg_nmol_l": ReferenceRange(
        low=18.0,
        high=86.0,
        unit="nmol/L",
        source=(
            f"{_BRAUNSTEIN_2011}. After menopause the median is 41.6 nmol/L in women aged 70 "
            "and over (Davis SR et al. J Clin Endocrinol Metab 2019;104:6291, PMID 31408149)."
        ),
        population="premenopausal women",
    ),
    "estradiol_pg_ml": ReferenceRange(
        low=0.0,
        high=10.0,
        unit="pg/mL",
        source=(
            "NAMS Workshop on normal reference ranges for estradiol in postmenopausal women, "
            "2019: 'from below the limit of detection up to 10 pg/mL' (gas chromatography / "
            "tandem mass spectrometry). Santen RJ et al. Menopause 2020;27:614-24."
        ),
        population="postmenopausal women",
    ),
    "progesterone_ng_ml": ReferenceRange(
        low=0.0,
        high=0.10,
        unit="ng/mL",
        source=(
            "ARUP Laboratories, progesterone by HPLC-MS/MS (test 2008509): postmenopausal "
            "<= 0.10 ng/mL (mid-luteal 6.7-22.2 ng/mL by LC-MS/MS, Quest Diagnostics test "
            "17183). Immunoassays read progesterone several-fold higher after oral dosing "
            "(Levine & Watson, Fertil Steril 2000;73:516)."
        ),
        population="postmenopausal women",
    ),
}
"""The woman's reference ranges keyed by output column, with sources: testosterone, free
testosterone and SHBG as in premenopausal women (the range therapy aims at), estradiol and
progesterone after menopause."""

LCMS_E2_DETECTION_LIMIT_PG_ML = pmol_l_to_pg_ml_e2(4.0)
"""Estradiol below which an isotope-dilution LC-MS/MS assay detects none, pg/mL (limit of
detection 4 pmol/L, Frederiksen H et al. J Clin Endocrinol Metab 2020;105:754, PMID 31720688):
where an aromatase inhibitor takes a post-menopausal woman's estradiol."""


def reference_ranges(sex: str) -> dict[str, ReferenceRange]:
    """The reference ranges of a ``sex`` patient (``"male"``, ``"female"``), by column."""
    return FEMALE_REFERENCE_RANGES if sex == "female" else REFERENCE_RANGES


SPERM_CONCENTRATION_LIMITS: tuple[ReferenceLine, ...] = tuple(
    ReferenceLine(value=lim.below_m_per_ml, unit="M/mL", label=lim.meaning, source=lim.source)
    for lim in (
        SEMEN_LIMITS["below_who2010_lower_reference"],
        SEMEN_LIMITS["below_who2021_lower_reference"],
    )
)
"""Lower reference limits for sperm concentration, drawn as dashed lines."""
