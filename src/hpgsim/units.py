"""Quantities and unit conversions shared across hpgsim.

One pint registry, :data:`ureg`, is used everywhere so that quantities from different modules
can be combined. It knows the international unit of biological activity (``IU``), so hCG and
FSH doses such as ``"500 IU"`` parse.

Clinical conversions (molar masses: testosterone 288.42 g/mol, estradiol 272.38 g/mol):

- total testosterone: 1 nmol/L = 28.842 ng/dL
- estradiol: 1 pg/mL = 3.671 pmol/L
"""

from __future__ import annotations

import math
import re
from typing import overload

import numpy as np
import numpy.typing as npt
import pint

__all__ = [
    "E2_PMOL_L_PER_PG_ML",
    "T_NG_DL_PER_NMOL_L",
    "T_NG_ML_PER_NMOL_L",
    "QuantityParseError",
    "ng_dl_to_nmol_l",
    "nmol_l_to_ng_dl",
    "parse_quantity",
    "pg_ml_to_pmol_l_e2",
    "pmol_l_to_pg_ml_e2",
    "ureg",
]

ureg: pint.UnitRegistry = pint.UnitRegistry()
"""The single unit registry of hpgsim (pint), extended with ``IU`` (international unit)."""

ureg.define("international_unit = [biological_activity] = IU")
pint.set_application_registry(ureg)

T_NG_DL_PER_NMOL_L = 28.842
"""Testosterone: ng/dL per nmol/L (molar mass 288.42 g/mol)."""

T_NG_ML_PER_NMOL_L = T_NG_DL_PER_NMOL_L / 100.0
"""Testosterone: ng/mL per nmol/L (intratesticular T and the products' serum T are in ng/mL)."""

E2_PMOL_L_PER_PG_ML = 3.671
"""Estradiol: pmol/L per pg/mL (molar mass 272.38 g/mol)."""

FloatArray = npt.NDArray[np.float64]

# A quantity string is a plain decimal number followed by an optional unit expression made of
# unit names joined by spaces, "*" or "/", each with an optional power of 1 to 4. Anything
# else ("two hundred mg", "1/0 mg", "10**10**10 mg") is refused before pint evaluates it, and
# so is any text over 200 characters.
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?"
# powers 1 to 4 only (m**2, cm**3): "d**99" overflowed pint's conversion (issue #22)
_FACTOR = r"[A-Za-zµμ_][A-Za-zµμ_0-9]*(?:\s*(?:\*\*|\^)\s*-?[1-4])?"
# The separator has one way to match any run of blanks ("*" or "/" with optional blanks, or
# blanks alone), so a failed match backtracks in linear time (the former "\s*(?:\*|/|\s)\s*"
# split a run of blanks many ways: 14 repeats of "a    " before a "!" took 48 s; issue #22).
_UNIT = rf"{_FACTOR}(?:(?:\s*[*/]\s*|\s+){_FACTOR})*"
_QUANTITY_RE = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?\s*$")


class QuantityParseError(ValueError):
    """A text could not be read as a number with a unit.

    ``reason`` is the short cause without the text itself (for messages that show the text).
    """

    def __init__(self, text: object, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot read {text!r} as a quantity: {reason}")


def parse_quantity(text: str) -> pint.Quantity:
    """Parse a quantity string such as ``"200 mg"``, ``"2 weeks"``, ``"90 min"`` or ``"500 IU"``.

    The text must be a decimal number followed by an optional unit; without a unit the
    result is dimensionless (callers that need a unit must check). The magnitude is always
    a finite Python float, in the unit written (no conversion is made).

    Raises:
        QuantityParseError: the text is not a number followed by a unit pint knows, or the
            number is not finite.
    """
    if not isinstance(text, str):
        raise QuantityParseError(text, "expected a string such as '200 mg'")
    match = _QUANTITY_RE.match(text) if len(text) <= 200 else None
    if match is None:
        raise QuantityParseError(text, "not a number followed by a unit")
    unit_text = match.group("unit") or ""
    try:
        unit = ureg.parse_units(unit_text) if unit_text else ureg.dimensionless
    except (pint.errors.PintError, AttributeError, ValueError, TypeError) as exc:
        raise QuantityParseError(text, f"unknown unit {unit_text!r}") from exc
    magnitude = float(match.group("number"))
    if not math.isfinite(magnitude):
        raise QuantityParseError(text, "the number is not finite")
    return ureg.Quantity(magnitude, unit)


@overload
def ng_dl_to_nmol_l(x: float) -> float: ...
@overload
def ng_dl_to_nmol_l(x: FloatArray) -> FloatArray: ...
def ng_dl_to_nmol_l(x: float | FloatArray) -> float | FloatArray:
    """Testosterone: ng/dL -> nmol/L (divide by 28.842)."""
    return x / T_NG_DL_PER_NMOL_L


@overload
def nmol_l_to_ng_dl(x: float) -> float: ...
@overload
def nmol_l_to_ng_dl(x: FloatArray) -> FloatArray: ...
def nmol_l_to_ng_dl(x: float | FloatArray) -> float | FloatArray:
    """Testosterone: nmol/L -> ng/dL (multiply by 28.842)."""
    return x * T_NG_DL_PER_NMOL_L


@overload
def pg_ml_to_pmol_l_e2(x: float) -> float: ...
@overload
def pg_ml_to_pmol_l_e2(x: FloatArray) -> FloatArray: ...
def pg_ml_to_pmol_l_e2(x: float | FloatArray) -> float | FloatArray:
    """Estradiol: pg/mL -> pmol/L (multiply by 3.671)."""
    return x * E2_PMOL_L_PER_PG_ML


@overload
def pmol_l_to_pg_ml_e2(x: float) -> float: ...
@overload
def pmol_l_to_pg_ml_e2(x: FloatArray) -> FloatArray: ...
def pmol_l_to_pg_ml_e2(x: float | FloatArray) -> float | FloatArray:
    """Estradiol: pmol/L -> pg/mL (divide by 3.671)."""
    return x / E2_PMOL_L_PER_PG_ML
