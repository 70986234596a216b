"""A monitoring plan: when labs and semen analyses would be informative on a simulated course,
with the simulated values at each visit. Not advice to a patient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from hpgsim.clinical.course import (
    day_zero,
    line_window,
    recovery_days,
    treatment_windows,
    values_at,
)
from hpgsim.clinical.flags import evaluate_flags
from hpgsim.clinical.thresholds import (
    DISCLAIMER,
    STIMULANTS,
    THRESHOLDS,
    Threshold,
    threshold_value,
)
from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window
from hpgsim.scenario import Scenario

__all__ = ["Visit", "monitoring_plan"]


@dataclass(frozen=True)
class Visit:
    """A time at which labs and/or a semen analysis would be informative, why, and the
    simulated values then."""

    day: float
    what: str
    why: str
    values: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "month": round(self.day / DAYS_PER_MONTH, 2),
            "what": self.what,
            "why": self.why,
            "simulated": self.values,
        }


def _changes(scenario: Scenario) -> list[tuple[float, str]]:
    """(day, description) of each regimen change: a line's first dose and its end."""
    horizon = scenario.horizon_days
    out: list[tuple[float, str]] = []
    for line in scenario.regimen:
        window = line_window(line, horizon)
        if window is None:
            continue
        a, b = window
        out.append((a, f"{line.drug} starts"))
        if b < horizon - 1e-9:
            out.append((b, f"{line.drug} ends"))
    merged: dict[float, list[str]] = {}
    for day, what in sorted(out):
        merged.setdefault(round(day, 3), []).append(what)
    return [(d, ", ".join(w)) for d, w in sorted(merged.items())]


def monitoring_plan(
    scenario: Scenario,
    table: pd.DataFrame,
    *,
    target_m_per_ml: float | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
    day0: float | None = None,
) -> dict[str, Any]:
    """When labs (T, E2, LH, FSH) and semen analyses would be informative for this scenario,
    with the simulated values at each visit, and every flag evaluated on the course.

    Visits: baseline (day 0); hormones ``hormone_recheck_days`` after each regimen change; from
    the restoration clock (first missed androgen dose, else first stimulant dose) a semen
    analysis with labs every ``spermatogenic_cycle_days`` until ``semen_target_consecutive``
    analyses in a row are at or above the target (read on the noise-free modelled
    concentration) or the horizon ends. ``day0`` (days, scenario time; default: the first missed
    androgen dose, else the first stimulant dose) is the protocol's start: the flags are read
    from it on (the protocol's own window, not the TRT history before it), and the result gives
    the days to 15 and 20 M/mL from it (``at_a_glance``).
    """
    th = thresholds or THRESHOLDS
    target = (
        target_m_per_ml
        if target_m_per_ml is not None
        else threshold_value(th, "semen_target_m_per_ml")
    )
    if not (math.isfinite(target) and target > 0):
        raise ValueError(f"target: got {target!r}; allowed: a concentration above 0 M/mL")
    recheck = threshold_value(th, "hormone_recheck_days")
    cycle = threshold_value(th, "spermatogenic_cycle_days")
    need = int(threshold_value(th, "semen_target_consecutive"))
    horizon = scenario.horizon_days
    visits = [
        Visit(0.0, "labs + semen analysis", "baseline before the regimen", values_at(table, 0.0))
    ]
    changes = _changes(scenario)
    for day, what in changes:
        if day <= 0.0:
            continue
        d = day + recheck
        if d <= horizon:
            visits.append(
                Visit(
                    d,
                    "labs",
                    f"{recheck:g} d after a change ({what}, day {day:g}): "
                    "hormones at their new level",
                    values_at(table, d),
                )
            )
    clock = day_zero(scenario) if day0 is None else day0
    _, stop = androgen_window(scenario)
    met_day = None
    if stop is not None or treatment_windows(scenario, STIMULANTS):
        if clock > 0.0:
            why = "start of restoration (first missed androgen dose or first stimulant dose)"
            visits.append(Visit(clock, "labs + semen analysis", why, values_at(table, clock)))
        reached = 0
        d = clock + cycle
        while d <= horizon + 1e-9:
            at = values_at(table, d)
            reached = reached + 1 if at["sperm_concentration_m_per_ml"] >= target else 0
            why = (
                f"every {cycle:g} d (one spermatogenic cycle) until {need} in a row >= "
                f"{target:g} M/mL ({reached} so far)"
            )
            visits.append(Visit(d, "labs + semen analysis", why, at))
            if reached >= need:
                met_day = d
                break
            d += cycle
    visits.sort(key=lambda v: v.day)
    t = table["time_days"].to_numpy(dtype=float)
    sp = table["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
    evaluated = evaluate_flags(scenario, table, thresholds=th, since_day=clock)
    return {
        "scenario": scenario.name,
        "horizon_days": horizon,
        "restoration_day0": clock,
        "at_a_glance": {  # None: not back by the horizon (JSON has no NaN)
            f"days_to_sperm_{thr:g}_m_per_ml": (
                days if math.isfinite(days := recovery_days(t, sp, clock, thr)) else None
            )
            for thr in (15.0, 20.0)
        },
        "flags_read_from_day": clock,
        "target_m_per_ml": target,
        "target_met_day": met_day,
        "regimen_changes": [{"day": d, "change": w} for d, w in changes],
        "visits": [v.to_dict() for v in visits],
        "flags": [f.to_dict() for f in evaluated],
        "thresholds": {k: vars(v) for k, v in th.items()},
        "note": (
            "Visits are read on the noise-free simulated course; a real semen analysis varies "
            "(within-man CV 0.39), which is why the schedule asks for consecutive results."
        ),
        "disclaimer": DISCLAIMER,
    }
