"""The woman's rows of the parameter table: what her model (:mod:`hpgsim.model.woman`) does not
share with the man's. :mod:`hpgsim.model.parameters` joins them into the one table.

Every value is the post-menopausal woman's, read from LC-MS/MS studies where they exist
(immunoassays read female testosterone and estradiol several-fold too high). Units: nmol/L
(testosterone, SHBG), pmol/L (estradiol), ng/mL (progesterone).
"""

from __future__ import annotations

from hpgsim.model.parameter_records import Assumption, Literature, Parameter
from hpgsim.units import E2_PMOL_L_PER_PG_ML

__all__ = ["CITATIONS", "PARAMETERS"]

CITATIONS: dict[str, str] = {
    "Davis2019": "Davis SR et al. Testosterone, SHBG and other sex steroids in 5,326 women "
    "aged 70 and over (ASPREE / Sex Hormones in Older Women), LC-MS/MS: total T median 0.38 "
    "nmol/L, SHBG median 41.6 nmol/L. J Clin Endocrinol Metab 2019;104:6291-6300. PMID 31408149",
    "NAMS2019": "NAMS Workshop on normal reference ranges for estradiol in postmenopausal "
    "women, September 2019: postmenopausal estradiol from below the limit of detection up to "
    "10 pg/mL (GC-MS/MS). Santen RJ et al. Menopause 2020;27:614-24",
    "Longcope1969": "Longcope C, Kato T, Horton R. Conversion of blood androgens to estrogens in "
    "normal adult men and women. J Clin Invest 1969;48:2191-2201 (transfer constant T -> E2, "
    "[rho]BB: 0.15 % in women, 0.39 % in men). doi:10.1172/JCI106185",
    "ARUP_P4": "ARUP Laboratories, progesterone by HPLC-MS/MS (test 2008509, reference interval "
    "2016): postmenopausal <= 0.10 ng/mL",
}
"""The sources only the woman's rows cite."""

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "W_T_ref",
        0.38,
        "nmol/L",
        "serum total testosterone of the reference post-menopausal woman (BMI 25)",
        Literature(("Davis2019",), "Davis2019 (median of women >= 70 y, LC-MS/MS)"),
        group="woman",
    ),
    Parameter(
        "W_SHBG_ref",
        41.6,
        "nmol/L",
        "serum SHBG of the reference post-menopausal woman (BMI 25)",
        Literature(("Davis2019",), "Davis2019 (median of women >= 70 y)"),
        group="woman",
    ),
    Parameter(
        "W_E2_ref",
        5.0 * E2_PMOL_L_PER_PG_ML,
        "pmol/L",
        "serum estradiol of the reference post-menopausal woman (BMI 25)",
        Assumption(
            "assumption: 5 pg/mL, the middle of the postmenopausal reference range (below "
            "detection to 10 pg/mL by GC-MS/MS, NAMS2019); immunoassays and some LC-MS/MS "
            "methods read 2-3x higher at these levels",
            refs=("NAMS2019",),
        ),
        group="woman",
    ),
    Parameter(
        "W_arom_rel",
        0.15 / 0.39,
        "1",
        "a woman's transfer constant of blood testosterone to estradiol, relative to a man's",
        Literature(("Longcope1969",), "Longcope1969 ([rho]BB 0.15 % in women vs 0.39 % in men)"),
        group="woman",
    ),
    Parameter(
        "W_P4_own",
        0.05,
        "ng/mL",
        "serum progesterone of a post-menopausal woman (her own)",
        Assumption(
            "assumption: half the upper reference limit after menopause (<= 0.10 ng/mL by "
            "HPLC-MS/MS, ARUP_P4); it only sets the floor of the progesterone column",
            refs=("ARUP_P4",),
        ),
        group="woman",
    ),
)
"""The woman's rows of the parameter table."""
