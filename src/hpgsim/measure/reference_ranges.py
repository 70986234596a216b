"""Adult male reference ranges and reference limits, keyed by output column, each with its
source: what the plots shade, what the clinical flags compare against.
"""

from __future__ import annotations

from dataclasses import dataclass

from hpgsim.measure.events import SEMEN_LIMITS
from hpgsim.units import nmol_l_to_ng_dl, pmol_l_to_pg_ml_e2

__all__ = ["REFERENCE_RANGES", "SPERM_CONCENTRATION_LIMITS", "ReferenceLine", "ReferenceRange"]

_PG_ML_PER_NG_DL = 10.0  # 1 ng/dL = 10 pg/mL


@dataclass(frozen=True)
class ReferenceRange:
    """An adult male reference interval, in the unit of the output column it shades."""

    low: float
    high: float
    unit: str
    source: str
    """Citation, with the interval as published when it was converted to `unit`."""


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

SPERM_CONCENTRATION_LIMITS: tuple[ReferenceLine, ...] = tuple(
    ReferenceLine(value=lim.below_m_per_ml, unit="M/mL", label=lim.meaning, source=lim.source)
    for lim in (
        SEMEN_LIMITS["below_who2010_lower_reference"],
        SEMEN_LIMITS["below_who2021_lower_reference"],
    )
)
"""Lower reference limits for sperm concentration, drawn as dashed lines."""
