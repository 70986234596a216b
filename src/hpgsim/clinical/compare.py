"""The same man (and optionally the same virtual cohort) under several scenarios: times to
testosterone and sperm thresholds, estradiol peak, trough and time below a floor, and the
cohort's probability of 15 and 20 M/mL by 3, 6, 12 and 24 months. Times are days.

Every metric has its window (docs/clinical.md, "What compare's columns mean"): day 0 is the
first missed full-dose androgen injection (a library protocol's start; a scenario file's first
missed androgen dose); testosterone's recovery is read while the protocol is given (day 0 to
the end of its last line, ``protocol_end_day``) and what follows it separately
(``testosterone_nadir_after_protocol_ng_dl``); sperm, estradiol and the cohort are read from
day 0 to the horizon.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.clinical.course import (
    day_zero,
    grid_spacing,
    protocol_end,
    recovery_days,
    round_sig,
)
from hpgsim.clinical.thresholds import Threshold, threshold_value
from hpgsim.engine.simulation import simulate_many
from hpgsim.population.trial import (
    TrialDesign,
    paired_recovery_difference,
    run_trial,
    summarize,
)
from hpgsim.scenario import Scenario

__all__ = ["COHORT_MONTHS", "COHORT_THRESHOLDS", "SPERM_THRESHOLDS", "compare"]

COHORT_MONTHS = ("3", "6", "12", "24")
"""Months after the first missed androgen dose at which ``compare`` reads the cohort."""

COHORT_THRESHOLDS = ("15", "20")
"""Sperm concentrations (M/mL) whose cohort probabilities ``compare`` reports: WHO 2021's lower
reference limit (16, rounded to the 15 that trials report) and the 20 of the TRT-recovery
trials (Liu 2006)."""

SPERM_THRESHOLDS = (5.0, 15.0, 16.0, 20.0)
"""Sperm concentrations (M/mL) whose days from day 0 ``compare`` reports for the one man."""


def _course_metrics(
    scenario: Scenario,
    table: pd.DataFrame,
    clock: float,
    thresholds: Mapping[str, Threshold] | None,
) -> dict[str, Any]:
    t = table["time_days"].to_numpy(dtype=float)
    tt = table["total_testosterone_ng_dl"].to_numpy(dtype=float)
    e2 = table["estradiol_pg_ml"].to_numpy(dtype=float)
    sp = table["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
    after = t >= clock - 1e-9
    end = protocol_end(scenario, clock)
    on_protocol = t <= end + 1e-9
    post = t > end + 1e-9
    floor = threshold_value(thresholds, "estradiol_floor_pg_ml")
    low_t = threshold_value(thresholds, "testosterone_low_ng_dl")
    row: dict[str, Any] = {
        "protocol": scenario.name,
        "bmi_kg_m2": scenario.patient.bmi_kg_m2,
        "day0": clock,
        "follow_up_days": round(scenario.horizon_days - clock, 1),
        "protocol_end_day": round(end - clock, 1),
        "testosterone_nadir_ng_dl": round(float(tt[after & on_protocol].min()), 1),
        f"days_to_testosterone_{low_t:g}_ng_dl": recovery_days(
            t[on_protocol], tt[on_protocol], clock, low_t
        ),
        "testosterone_nadir_after_protocol_ng_dl": (
            round(float(tt[post].min()), 1) if post.any() else float("nan")
        ),
    }
    for thr in SPERM_THRESHOLDS:
        row[f"days_to_sperm_{thr:g}_m_per_ml"] = recovery_days(t, sp, clock, thr)
    row["estradiol_peak_pg_ml"] = round_sig(float(e2[after].max()))
    row["estradiol_trough_pg_ml"] = round_sig(float(e2[after].min()))
    row[f"days_estradiol_below_{floor:g}_pg_ml"] = round(
        float(np.sum(e2[after] < floor)) * grid_spacing(t), 1
    )
    return row


def compare(
    scenarios: Sequence[Scenario],
    *,
    day0: Sequence[float | None] | None = None,
    population: str | None = None,
    n: int | None = None,
    seed: int = 0,
    thresholds: Mapping[str, Threshold] | None = None,
    progress: Any = None,
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The same man (and, with ``population`` and ``n``, the same virtual men) under each
    scenario. Returns (one row of metrics per scenario, each scenario's trajectories).

    Times are days from each scenario's day 0 (``day0``; default: the first missed androgen
    dose, else the first stimulant dose): testosterone back at or above the low cut-off while
    the protocol is given (0 = it never fell below it; NaN = not before the protocol ended,
    ``protocol_end_day``) and its nadir after the protocol; sperm back to 5, 15, 16 and 20
    M/mL (NaN = not by the horizon); estradiol peak, trough and days below the floor from day 0
    on. With a population, every scenario is given to the same ``n`` men (same ``seed``, one
    trial per scenario) and the rows gain the Kaplan-Meier probability of 15 and 20 M/mL by 3,
    6, 12 and 24 months (None beyond the follow-up) with its 95 % interval
    (``..._ci95_low``, ``..._ci95_high``), the median months
    (:mod:`hpgsim.population.trial`; clock: the first missed androgen dose) and, for every
    protocol after the first, its difference from the first with a paired-bootstrap 95 %
    interval (``..._minus_first``, ``..._minus_first_ci95_low``/``_high``).
    """
    if not scenarios:
        raise ValueError("scenarios: got none; allowed: one or more")
    if (population is None) != (n is None):
        raise ValueError("population and n: give both (a cohort) or neither (one man)")
    if n is not None and n < 1:
        raise ValueError(f"n: got {n}; allowed: a whole number of men >= 1")
    tables = simulate_many(list(scenarios))
    clocks = [
        (d if d is not None else day_zero(s))
        for s, d in zip(scenarios, day0 or [None] * len(scenarios), strict=True)
    ]
    rows = [
        _course_metrics(s, tab, c, thresholds)
        for s, tab, c in zip(scenarios, tables, clocks, strict=True)
    ]
    if population is not None and n is not None:
        cohorts = []
        for s, row in zip(scenarios, rows, strict=True):
            design = TrialDesign(s, population, n=n, seed=seed)
            men = run_trial(design, progress=progress)
            cohorts.append(men)
            recovery = summarize(men, design).get("recovery") or {}
            row["population"] = population
            row["n"] = n
            for thr in COHORT_THRESHOLDS:
                rec = recovery.get(thr) or {}
                by = rec.get("probability_by_month") or {}
                band = rec.get("probability_ci95_by_month") or {}
                for m in COHORT_MONTHS:
                    row[f"p_sperm_{thr}_by_{m}_months"] = by.get(m)
                    low, high = band.get(m) or (None, None)
                    row[f"p_sperm_{thr}_by_{m}_months_ci95_low"] = low
                    row[f"p_sperm_{thr}_by_{m}_months_ci95_high"] = high
                row[f"median_months_to_sperm_{thr}"] = rec.get("median_months")
        # each protocol against the first, on the same men: the difference and its interval
        for men, row in zip(cohorts[1:], rows[1:], strict=True):
            for thr in COHORT_THRESHOLDS:
                for m in COHORT_MONTHS:
                    d = paired_recovery_difference(cohorts[0], men, float(thr), float(m), seed=seed)
                    key = f"p_sperm_{thr}_by_{m}_months_minus_first"
                    row[key] = d["difference"]
                    row[f"{key}_ci95_low"] = d["low"]
                    row[f"{key}_ci95_high"] = d["high"]
    return pd.DataFrame(rows), tables
