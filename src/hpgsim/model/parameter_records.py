"""The records of the parameter table: one :class:`Parameter` per number the model uses, with
its typed provenance (:class:`Literature`, :class:`Derived`, :class:`Assumption`,
:class:`Calibrated`), and the helpers rows are written with (half-lives, the fitted values of
``hpgsim/data/calibrated.json``).

The axis's rows are in :mod:`hpgsim.model.parameters`; each drug family's are in its own module
(:mod:`hpgsim.model.drugs`); :mod:`hpgsim.model.parameters` joins them into one table and checks
it. Units as in each row (time in days).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "CALIBRATED",
    "CALIBRATED_CV",
    "CAL_FILE",
    "HOUR_DAYS",
    "MINUTE_DAYS",
    "ON_BOUND_LOG_TOLERANCE",
    "Assumption",
    "Calibrated",
    "Derived",
    "Literature",
    "Parameter",
    "Provenance",
    "calibrated_cv",
    "calibrated_value",
    "rate_from_half_life",
    "two_compartment_from_biexponential",
    "two_step_rate_for_tmax",
]


ON_BOUND_LOG_TOLERANCE = 0.005
"""A fitted value within 0.5 % (on the log scale the fit works on) of a bound is on it."""


@dataclass(frozen=True)
class Literature:
    """A published value: the citation keys (:data:`CITATIONS`) and what was read where."""

    refs: tuple[str, ...]
    note: str

    @property
    def text(self) -> str:
        return self.note


@dataclass(frozen=True)
class Derived:
    """Arithmetic on sourced numbers: the expression (in words and symbols) and its sources."""

    expr: str
    refs: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.expr


@dataclass(frozen=True)
class Assumption:
    """No published value: the reason for the number chosen (sources it leans on, if any)."""

    reason: str
    refs: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Calibrated:
    """Fitted by the package's fitter.

    Attributes:
        target: the published target(s) it is fitted to.
        start: the fit's starting value, in the parameter's unit.
        lower, upper: the fit's bounds (physiological limits; the fit is on log values).
        stage: the fitter's stage (``foundation``, ``restoration``, ``spermatogenesis``).
        refs: citation keys named by the target.
        bounds_note: why a bound is where it is, where that is not obvious.
    """

    target: str
    start: float
    lower: float
    upper: float
    stage: str
    refs: tuple[str, ...] = ()
    bounds_note: str = ""

    @property
    def text(self) -> str:
        return "calibrated"

    def bound_hit(self, value: float, tol: float | None = None) -> str | None:
        """``"lower"`` or ``"upper"`` when ``value`` sits on that bound, |ln(value / bound)| <=
        ``tol`` (default :data:`ON_BOUND_LOG_TOLERANCE`), else ``None``."""
        tol = ON_BOUND_LOG_TOLERANCE if tol is None else tol
        if abs(math.log(value / self.lower)) <= tol:
            return "lower"
        if abs(math.log(self.upper / value)) <= tol:
            return "upper"
        return None


Provenance = Literature | Derived | Assumption | Calibrated


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes:
        name: identifier used in the model spec (``hpgsim.model.axis``, the drug modules).
        value: typical value, in ``unit`` (a calibrated one: the fitted value).
        unit: unit of ``value``, pint-parsable (``1`` = dimensionless; days for time).
        meaning: what the parameter is, in one line.
        provenance: where the value comes from (:data:`Provenance`).
        bsv_cv: between-man coefficient of variation (log-normal) that populations sample;
            ``None`` where the model does not vary it.
        bsv_source: where that variability comes from.
        group: the model part it belongs to.
        bsv_fit: where the CV itself is calibrated (the ``spread`` stage of the fitter: start,
            bounds and population targets), else ``None``; ``bsv_cv`` is then the fitted CV.
    """

    name: str
    value: float
    unit: str
    meaning: str
    provenance: Provenance
    bsv_cv: float | None = None
    bsv_source: str | None = None
    group: str = ""
    bsv_fit: Calibrated | None = None

    @property
    def source(self) -> str:
        """The provenance as display text (the note, expression or reason; "calibrated")."""
        return self.provenance.text

    @property
    def calibrated_to(self) -> str | None:
        """The target of a calibrated parameter, else ``None``."""
        return self.provenance.target if isinstance(self.provenance, Calibrated) else None

    @property
    def refs(self) -> tuple[str, ...]:
        """The citation keys the provenance names."""
        return self.provenance.refs


def rate_from_half_life(days: float) -> float:
    """First-order rate (1/day) from a half-life in days."""
    return math.log(2.0) / days


MINUTE_DAYS = 1.0 / 1440.0
"""One minute, in days."""
HOUR_DAYS = 1.0 / 24.0
"""One hour, in days."""

# Values fitted by scripts/calibrate.py; the file records the targets and the fit.
CAL_FILE = resources.files("hpgsim").joinpath("data/calibrated.json")


def _load_calibrated() -> tuple[dict[str, float], dict[str, float]]:
    try:
        data = json.loads(CAL_FILE.read_text())
    except FileNotFoundError:  # before the first calibration run
        return {}, {}
    values = {k: float(v) for k, v in data["values"].items()}
    cvs = {k: float(v) for k, v in data.get("spread", {}).get("cv", {}).items()}
    return values, cvs


CALIBRATED, CALIBRATED_CV = _load_calibrated()
"""Fitted parameter values, and fitted between-man CVs (the spread stage's), by parameter."""


_NOT_FITTED = math.nan


def calibrated_value(name: str) -> float:
    """Fitted value of ``name`` from ``calibrated.json``; before the first calibration run, NaN
    here, and :mod:`hpgsim.model.parameters` gives the row its start."""
    return CALIBRATED.get(name, _NOT_FITTED)


def calibrated_cv(name: str, fit: Calibrated) -> float:
    """Fitted between-man CV of parameter ``name`` (``calibrated.json``'s ``spread.cv``, the
    fitter's spread stage), or the fit's start before the first spread fit."""
    return CALIBRATED_CV.get(name, fit.start)


def two_compartment_from_biexponential(
    clearance: float, v_ss: float, t_half_initial: float, t_half_terminal: float
) -> dict[str, float]:
    """Central and peripheral volumes and exchange clearance of the two-compartment model with
    elimination from the centre whose IV bolus decays with the given initial and terminal
    half-lives, at the given clearance (volume/time) and steady-state volume (volume).

    With k10 = CL/Vc, the half-lives' rates l1, l2 satisfy l1 + l2 = k10 + k12 + k21 and
    l1 l2 = k10 k21, and Vss = Vc (k12 + k21) / k21; so k10 = l1 + l2 - l1 l2 Vss / CL and
    k21 = l1 l2 / k10 in closed form. Returns ``central``, ``peripheral`` (volume unit of
    ``v_ss``) and ``exchange`` (volume unit of ``clearance`` per time unit of the half-lives).
    """
    l1 = math.log(2.0) / t_half_initial
    l2 = math.log(2.0) / t_half_terminal
    k10 = l1 + l2 - l1 * l2 * v_ss / clearance
    central = clearance / k10 if k10 > 0.0 else math.inf
    peripheral = v_ss - central
    if peripheral <= 0.0:
        raise ValueError("no two-compartment model has these half-lives, clearance and Vss")
    return {"central": central, "peripheral": peripheral, "exchange": l1 * l2 / k10 * peripheral}


def two_step_rate_for_tmax(k_slow: float, tmax: float) -> float:
    """Faster rate k1 of a two-step first-order chain whose output peaks at ``tmax``.

    Solves ln(k1/k2)/(k1-k2) = tmax for k1 > k2 by bisection (units 1/day and days).
    """
    lo, hi = k_slow * (1.0 + 1e-9), 1e4
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        t = math.log(mid / k_slow) / (mid - k_slow)
        lo, hi = (lo, mid) if t < tmax else (mid, hi)
    return math.sqrt(lo * hi)
