"""Metabolic factors the source article names (obesity, insulin resistance, chronic
inflammation) and how the model carries them.

- Obesity: BMI acts on aromatization (``arom_bmi_slope``) and SHBG (``shbg_bmi_slope``) in the
  foundation model (:mod:`hpgsim.model.parameters`).
- Insulin resistance: an optional patient field, fasting insulin (uU/mL), lowers SHBG when it is
  above what the man's BMI predicts, along the weight-stable relation of Strain 1994
  (SHBG = 13.1 + 30.1 / insulin, nmol/L; insulin rising 1 uU/mL per kg/m2 of BMI). Only the
  part of insulin that BMI does not explain acts, because the model's BMI slope of SHBG already
  comes from the same study's weight-loss data (which include the fall in insulin).
- Chronic inflammation: not modelled. No dose-response of LH, testosterone or spermatogenesis on
  an inflammatory marker, separable from adiposity, was found to source a parameter.

The constants are rows of the parameter table (group ``metabolic``), each with its source.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hpgsim.model.parameters import PARAMETERS, Parameter

__all__ = ["INFLAMMATION_NOTE", "METABOLIC_PARAMETERS", "insulin_shbg_offset", "metabolic_values"]

METABOLIC_PARAMETERS: tuple[Parameter, ...] = tuple(p for p in PARAMETERS if p.group == "metabolic")
"""The metabolic rows of the parameter table (:data:`hpgsim.model.parameters.PARAMETERS`)."""

INFLAMMATION_NOTE = (
    "Chronic inflammation is not modelled: no dose-response of LH, testosterone or "
    "spermatogenesis on an inflammatory marker (CRP, IL-6), separable from adiposity, was found "
    "to source a parameter."
)

_MIN_INSULIN = 2.0  # uU/mL: the lower bound of the patient field


def metabolic_values() -> dict[str, float]:
    """The metabolic parameters by name."""
    return {p.name: p.value for p in METABOLIC_PARAMETERS}


def insulin_shbg_offset(
    insulin_uU_ml: npt.ArrayLike, bmi_kg_m2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """SHBG offset (nmol/L) of a fasting insulin relative to the insulin the man's BMI
    predicts: coef x (1 / insulin - 1 / predicted), predicted = insulin_ref + slope x
    (BMI - 25), at least 2 uU/mL. NaN insulin (not given) gives 0."""
    v = metabolic_values()
    ins = np.asarray(insulin_uU_ml, dtype=float)
    bmi = np.asarray(bmi_kg_m2, dtype=float)
    predicted = np.maximum(v["insulin_ref"] + v["insulin_bmi_slope"] * (bmi - 25.0), _MIN_INSULIN)
    offset = v["insulin_shbg_coef"] * (1.0 / np.maximum(ins, _MIN_INSULIN) - 1.0 / predicted)
    return np.where(np.isfinite(ins), offset, 0.0)
