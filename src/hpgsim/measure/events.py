"""What a clinic or a trial would read from a simulated course: semen analyses and events.

- :func:`semen_analysis`: the modelled sperm concentration seen through a semen analysis, with
  the published within-man variability and a detection limit, reproducible with a seed.
- :data:`SEMEN_LIMITS`: azoospermia, cryptozoospermia and the WHO 2010 / 2021 lower reference
  limits as named thresholds, each with its source.
- :func:`androgen_window`: the first androgen dose and the first missed androgen dose (the
  recovery clock of Handelsman 2005 and Liu 2006) of a scenario.
- :func:`sperm_events`: suppression events (time from the first androgen dose to below each
  threshold and to azoospermia) and recovery events (time from the first missed dose to each
  threshold and to 85 % of the man's own baseline) on a simulated table.

Concentrations are in million/mL (M/mL); times in days unless a key says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hpgsim.model.drugs import CATALOG
from hpgsim.scenario import SPERM_DETECTION_LIMIT_M_PER_ML

if TYPE_CHECKING:
    import pandas as pd

    from hpgsim.scenario import Scenario

__all__ = [
    "DAYS_PER_MONTH",
    "EVENT_THRESHOLDS_M_PER_ML",
    "RECOVERY_FRACTION_OF_BASELINE",
    "SEMEN_LIMITS",
    "SemenAssay",
    "SemenLimit",
    "androgen_window",
    "crossing_time",
    "key_numbers",
    "measure_with_normals",
    "rise_after",
    "semen_analysis",
    "sperm_events",
]

DAYS_PER_MONTH = 365.25 / 12.0  # the months of Liu 2006's recovery times
EVENT_THRESHOLDS_M_PER_ML: tuple[float, ...] = (1.0, 3.0, 5.0, 10.0, 15.0, 16.0, 20.0)
"""Thresholds of the suppression and recovery events: Handelsman 2005 (1, 3, 5, 10, 20),
Liu 2006 (3, 10, 20), the WHO 2010 and 2021 lower reference limits (15, 16)."""
RECOVERY_FRACTION_OF_BASELINE = 0.85
"""Recovery to 85 % of the man's own baseline: the plateau Handelsman 2005 (PMID 15860500)
found, relative to the geometric-mean pre-treatment concentration."""


@dataclass(frozen=True)
class SemenLimit:
    """A named semen-analysis threshold: concentration below ``below_m_per_ml`` (M/mL)."""

    name: str
    below_m_per_ml: float
    meaning: str
    source: str


@dataclass(frozen=True)
class SemenAssay:
    """How a semen analysis reads a true concentration.

    Attributes:
        cv: within-man coefficient of variation of concentration between ejaculates
            (log-normal, mean-preserving).
        detection_limit_m_per_ml: concentrations read below this are reported as 0
            (azoospermic).
    """

    cv: float = 0.39
    detection_limit_m_per_ml: float = SPERM_DETECTION_LIMIT_M_PER_ML

    def __post_init__(self) -> None:
        if not (math.isfinite(self.cv) and 0.0 <= self.cv <= 3.0):
            raise ValueError(f"semen assay cv {self.cv!r}: allowed 0 to 3 (0.39 is published)")
        d = self.detection_limit_m_per_ml
        if not (math.isfinite(d) and 0.0 < d <= 1.0):
            raise ValueError(
                f"semen assay detection_limit_m_per_ml {d!r}: allowed above 0 and at most 1 M/mL"
            )


ASSAY_SOURCES = {
    "cv": "Schwartz 1979 (Reproduction 57): within-subject CV of concentration 0.39 in 36 "
    "normal men; Keel 2006 (PMID 16412742): 0.46 (donors) to 0.54 (patients) for sperm count",
    "detection_limit_m_per_ml": "WHO Task Force 1996 (Fertil Steril 65:821, PMID 8654646): "
    "azoospermia vs the lowest reported category 0.1-3 M/mL",
}

DEFAULT_ASSAY = SemenAssay()

SEMEN_LIMITS: dict[str, SemenLimit] = {
    limit.name: limit
    for limit in (
        SemenLimit(
            "azoospermia",
            DEFAULT_ASSAY.detection_limit_m_per_ml,
            "no sperm counted (below the assay's detection limit)",
            ASSAY_SOURCES["detection_limit_m_per_ml"],
        ),
        SemenLimit(
            "cryptozoospermia",
            1.0,
            "sperm present but below 1 M/mL (WHO: seen only after centrifugation; the numeric "
            "cut-off varies between texts, 1 M/mL is the contraceptive trials' 'severe "
            "oligozoospermia')",
            "Gu 2009 (PMID 19293262): severe oligozoospermia <= 1 M/mL",
        ),
        SemenLimit(
            "below_who2010_lower_reference",
            15.0,
            "WHO 2010 lower reference limit (15 M/mL; 5th centile of fathers)",
            "Cooper TG et al. World Health Organization reference values for human semen "
            "characteristics. Hum Reprod Update 2010;16:231-245. PMID 19934213.",
        ),
        SemenLimit(
            "below_who2021_lower_reference",
            16.0,
            "WHO 2021 lower reference limit (16 M/mL; 5th centile)",
            "WHO laboratory manual for the examination and processing of human semen, 6th "
            "edition, 2021 (Campbell 2021).",
        ),
    )
}


def semen_analysis(
    concentration_m_per_ml: npt.ArrayLike,
    *,
    assay: SemenAssay = DEFAULT_ASSAY,
    seed: int | np.random.Generator | None = None,
) -> npt.NDArray[np.float64]:
    """Measured concentrations (M/mL) for true ones: x exp(sigma Z - sigma^2 / 2), sigma^2 =
    ln(1 + cv^2), read as 0 below the detection limit. The same seed gives the same numbers."""
    true = np.asarray(concentration_m_per_ml, dtype=float)
    if np.any(~np.isfinite(true)) or np.any(true < 0):
        raise ValueError("semen_analysis: concentrations must be finite and >= 0 M/mL")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    return measure_with_normals(true, rng.standard_normal(true.shape), assay=assay)


def measure_with_normals(
    true: npt.NDArray[np.float64], z: npt.NDArray[np.float64], *, assay: SemenAssay = DEFAULT_ASSAY
) -> npt.NDArray[np.float64]:
    """:func:`semen_analysis` with the standard normals ``z`` given (same shape as ``true``):
    trials draw them per man, so a man's assays do not depend on how the trial is chunked."""
    sigma = math.sqrt(math.log1p(assay.cv**2))
    measured = true * np.exp(sigma * z - 0.5 * sigma**2)
    return np.where(measured < assay.detection_limit_m_per_ml, 0.0, measured)


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


def androgen_window(scenario: Scenario) -> tuple[float | None, float | None]:
    """(first androgen dose, first missed androgen dose) in days, or None where absent.

    The first missed dose is the last androgen dose plus its line's interval (``every``), or
    the label interval of the product for a single dose (Handelsman 2005's convention: one
    week after the last weekly TE). It is None while androgen is still being given at the
    horizon (the first missed dose would fall after it).
    """
    horizon = scenario.horizon_days
    first: float | None = None
    last_missed: float | None = None
    for line in scenario.regimen:
        spec = CATALOG[line.drug]
        if spec.androgen_interval_days is None:
            continue
        times = line.dose_times(horizon)
        if len(times) == 0:
            continue
        interval = line.every_days or spec.androgen_interval_days
        missed = float(times[-1] + interval)
        first = float(times[0]) if first is None else min(first, float(times[0]))
        last_missed = missed if last_missed is None else max(last_missed, missed)
    if last_missed is not None and last_missed >= horizon:
        last_missed = None
    return first, last_missed


def rise_after(t: np.ndarray, c: np.ndarray, t0: float, threshold: float) -> float | None:
    """The first time (days) ``c`` rises to ``threshold`` after being below it at or after
    ``t0``, interpolated linearly between output times: None if it was never below it after
    ``t0``; inf if it had not risen by the last time (censored). The one definition of
    "back to a threshold" that events, reports, ``compare`` and ``demo`` share (spermatogenesis
    lags: a short course can keep falling after the stop, so the rise is counted from the first
    time below)."""
    after = t >= t0 - 1e-9
    below = np.nonzero(after & (c < threshold))[0]
    if len(below) == 0:
        return None
    sel = np.arange(len(t)) >= below[0]
    return crossing_time(t[sel], c[sel], threshold, falling=False)


def _label(threshold: float) -> str:
    return f"{threshold:g}"


def sperm_events(
    table: pd.DataFrame,
    scenario: Scenario,
    *,
    thresholds: Sequence[float] = EVENT_THRESHOLDS_M_PER_ML,
    assay: SemenAssay = DEFAULT_ASSAY,
) -> dict[str, Any]:
    """Suppression and recovery events of one simulated course (noise-free concentrations).

    Suppression clocks start at the first androgen dose, recovery clocks at the first missed
    androgen dose (:func:`androgen_window`); a recovery event is the first rise to the
    threshold after the man was below it at or after the first missed dose (``None`` if he
    never was). A time is in days from its clock; ``None`` means not reached by
    the horizon (censored) or not applicable. Sperm concentration is read from the column
    ``sperm_concentration_m_per_ml``, its baseline from ``scenario.patient``.
    """
    t = table["time_days"].to_numpy(dtype=float)
    c = table["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
    baseline = scenario.patient.baseline_sperm_concentration_m_per_ml
    start, stop = androgen_window(scenario)
    azoo = assay.detection_limit_m_per_ml

    def clock(t0: float | None, thr: float, *, falling: bool) -> float | None:
        if t0 is None:
            return None
        if falling:
            after = t >= t0 - 1e-9
            x: float | None = crossing_time(t[after], c[after], thr, falling=True)
        else:
            x = rise_after(t, c, t0, thr)  # None: never below the threshold after the clock
        return None if x is None or not math.isfinite(x) else round(x - t0, 3)

    suppression = {
        "below_m_per_ml": {_label(x): clock(start, x, falling=True) for x in thresholds},
        "azoospermia": clock(start, azoo, falling=True),
    }
    recovery = {
        "reach_m_per_ml": {_label(x): clock(stop, x, falling=False) for x in thresholds},
        "reach_fraction_of_baseline": {
            _label(RECOVERY_FRACTION_OF_BASELINE): clock(
                stop, RECOVERY_FRACTION_OF_BASELINE * baseline, falling=False
            )
        },
    }
    nadir = float(c[t >= start - 1e-9].min()) if start is not None else None
    return {
        "units": "days from the clock's start",
        "clocks": {
            "suppression": "the first androgen dose (androgen_start_day, scenario time)",
            "recovery": "the first missed androgen dose (androgen_stop_day, scenario time)",
        },
        "horizon_days": scenario.horizon_days,
        "baseline_sperm_concentration_m_per_ml": baseline,
        "androgen_start_day": start,
        "androgen_stop_day": stop,
        "azoospermia_below_m_per_ml": azoo,
        "nadir_sperm_concentration_m_per_ml": nadir,
        "suppression": suppression,
        "recovery": recovery,
    }


def key_numbers(
    df: pd.DataFrame, stop_day: float, threshold_m_per_ml: float = 15.0, window_days: float = 28.0
) -> list[tuple[str, float | None, str]]:
    """Headline numbers of a treat-then-stop trajectory, as `(label, value, unit)` rows.

    Descriptive reductions of the table only: hormone means over the last `window_days` before
    `stop_day` (the first missed androgen dose), the sperm concentration at the start, its nadir
    (and when), the days from `stop_day` until the concentration is back at or above
    `threshold_m_per_ml` (:func:`rise_after`; 0 if it never fell below it, `None` if not
    reached within the table), and the value at the end.
    Rows whose column is absent are left out.
    """
    t = df["time_days"].to_numpy(dtype=float)
    rows: list[tuple[str, float | None, str]] = []
    on = (t >= stop_day - window_days) & (t < stop_day)
    for column, label, unit in (
        ("total_testosterone_ng_dl", "total testosterone", "ng/dL"),
        ("estradiol_pg_ml", "estradiol", "pg/mL"),
        ("lh_iu_l", "LH", "IU/L"),
        ("fsh_iu_l", "FSH", "IU/L"),
    ):
        if column in df.columns and on.any():
            mean = float(np.mean(df[column].to_numpy(dtype=float)[on]))
            rows.append((f"{label}, mean over the last {window_days:g} d on treatment", mean, unit))
    if "sperm_concentration_m_per_ml" in df.columns and t.size:
        sperm = df["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
        nadir = int(np.nanargmin(sperm))
        rows.append(("sperm concentration at day 0", float(sperm[0]), "M/mL"))
        rows.append(("nadir sperm concentration", float(sperm[nadir]), "M/mL"))
        rows.append(("day of the nadir", float(t[nadir]), "d"))
        hit = rise_after(t, sperm, stop_day, threshold_m_per_ml)
        recovery = 0.0 if hit is None else (hit - stop_day if math.isfinite(hit) else None)
        rows.append(
            (
                f"days from the first missed dose (day {stop_day:g}) to >= "
                f"{threshold_m_per_ml:g} M/mL",
                recovery,
                "d",
            )
        )
        rows.append((f"sperm concentration at day {t[-1]:g}", float(sperm[-1]), "M/mL"))
    return rows
