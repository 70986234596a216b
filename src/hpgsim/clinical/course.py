"""Reading a simulated course: the windows in which drugs were given, values at a day, the
course's day 0, the days until a value recovers. Times are days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from hpgsim.clinical.thresholds import STIMULANTS
from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window, rise_after
from hpgsim.scenario import RegimenLine, Scenario, scenario_from_dict

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RECOVERY_FOLLOW_UP_MONTHS",
    "day_zero",
    "grid_spacing",
    "in_windows",
    "line_window",
    "protocol_end",
    "recovery_days",
    "round_sig",
    "treatment_windows",
    "values_at",
    "with_recovery_follow_up",
]

RECOVERY_FOLLOW_UP_MONTHS = 24
"""Months after the first missed androgen dose that a recovery answer covers (the article asks
for 6, 12 and 24 months; Liu 2006 reports to 24)."""


def line_window(line: RegimenLine, horizon: float) -> tuple[float, float] | None:
    """The exposure window [first dose, last dose + interval) of one regimen line (an
    infusion: [start, end)), clipped to ``horizon``; None if it gives nothing before it.
    Days, scenario time."""
    window = line.infusion_window(horizon)
    if window is not None:
        return window
    times = line.dose_times(horizon)
    if len(times) == 0:
        return None
    step = line.every_days or 1.0
    return float(times[0]), min(float(times[-1]) + step, horizon)


def treatment_windows(scenario: Scenario, drugs: Sequence[str]) -> list[tuple[float, float]]:
    """Merged exposure windows [first dose, last dose + interval) of the lines of ``drugs``
    (infusions: [start, end)), clipped to the horizon."""
    horizon = scenario.horizon_days
    spans = sorted(
        w
        for line in scenario.regimen
        if line.drug in drugs and (w := line_window(line, horizon)) is not None
    )
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 1e-9:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def protocol_end(scenario: Scenario, day0: float) -> float:
    """The end (days, scenario time) of the protocol that starts at ``day0``: the last
    exposure end of the regimen lines still given after day 0 (a taper, a SERM, hCG ...; a
    line begun before day 0 counts when it goes on past it), or the horizon when none is
    (stopping cold: all the follow-up is the protocol's window).

    Metrics of what a protocol does while it is given (``compare``'s days to testosterone
    >= 300 ng/dL) are read on [day0, protocol_end]; a dip after an hCG course ends is then
    reported as what happens after the protocol, not as the protocol taking that long.
    """
    horizon = scenario.horizon_days
    ends = [
        w[1]
        for line in scenario.regimen
        if (w := line_window(line, horizon)) is not None and w[1] > day0 + 1e-9
    ]
    return max(ends) if ends else horizon


def in_windows(t: np.ndarray, spans: Sequence[tuple[float, float]]) -> np.ndarray:
    """Mask of the times ``t`` (days) inside any of the [start, end) ``spans``."""
    m = np.zeros(len(t), dtype=bool)
    for a, b in spans:
        m |= (t >= a - 1e-9) & (t < b - 1e-9)
    return m


def values_at(table: pd.DataFrame, day: float) -> dict[str, float]:
    """Simulated T, E2, LH, FSH and sperm at the output time nearest ``day``."""
    t = table["time_days"].to_numpy(dtype=float)
    row = table.iloc[int(np.argmin(np.abs(t - day)))]
    return {
        "day": round(float(row["time_days"]), 3),
        "total_testosterone_ng_dl": round(float(row["total_testosterone_ng_dl"]), 1),
        "estradiol_pg_ml": round(float(row["estradiol_pg_ml"]), 2),
        "lh_iu_l": round(float(row["lh_iu_l"]), 3),
        "fsh_iu_l": round(float(row["fsh_iu_l"]), 3),
        "sperm_concentration_m_per_ml": round(float(row["sperm_concentration_m_per_ml"]), 4),
    }


def grid_spacing(t: np.ndarray) -> float:
    """The output interval of a course's times ``t`` (days)."""
    return float(np.median(np.diff(t))) if len(t) > 1 else 1.0


def recovery_days(t: np.ndarray, x: np.ndarray, t0: float, threshold: float) -> float:
    """Days from ``t0`` until ``x`` is back at or above ``threshold``: 0 if it never fell
    below it after ``t0``; NaN if it had not recovered by the horizon (censored)."""
    hit = rise_after(t, x, t0, threshold)
    if hit is None:
        return 0.0
    return round(hit - t0, 1) if math.isfinite(hit) else float("nan")


def day_zero(scenario: Scenario) -> float:
    """Day 0 of a scenario's restoration: the first missed androgen dose, else the first dose
    of a stimulant, else day 0."""
    _, stop = androgen_window(scenario)
    if stop is not None:
        return stop
    stim = treatment_windows(scenario, STIMULANTS)
    return stim[0][0] if stim else 0.0


def round_sig(x: float, digits: int = 4) -> float:
    """``x`` to ``digits`` significant figures (an absolute rounding would erase low values)."""
    if x == 0.0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def with_recovery_follow_up(
    scenario: Scenario, months: float = RECOVERY_FOLLOW_UP_MONTHS
) -> tuple[Scenario, float | None]:
    """``scenario`` with its horizon extended, where needed, to ``months`` after the first
    missed androgen dose (on its output grid), and the horizon it had (None if unchanged: no
    androgen stop, or follow-up already long enough)."""
    _, stop = androgen_window(scenario)
    if stop is None:
        return scenario, None
    if scenario.horizon_days >= stop + months * DAYS_PER_MONTH - 1e-9:
        return scenario, None
    every = scenario.output_every_days
    needed = math.ceil((stop + months * DAYS_PER_MONTH) / every - 1e-9) * every
    data = scenario.to_input_dict()
    data["horizon"] = f"{needed!r} d"
    return scenario_from_dict(data, source=scenario.name), scenario.horizon_days
