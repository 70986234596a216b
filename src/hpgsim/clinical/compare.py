"""The same man (and optionally the same virtual cohort) under several scenarios: times to
testosterone and sperm thresholds, estradiol peak, trough and time below a floor, and the
cohort's probability of 20 M/mL by 6 and 12 months. Times are days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.clinical.course import day_zero, grid_spacing, recovery_days, round_sig
from hpgsim.clinical.thresholds import Threshold, threshold_value
from hpgsim.engine.simulation import simulate_many
from hpgsim.population.trial import (
    TrialDesign,
    paired_recovery_difference,
    run_trial,
    summarize,
)
from hpgsim.scenario import Scenario

__all__ = ["COHORT_MONTHS", "compare"]

COHORT_MONTHS = ("6", "12")
"""Months after the first missed androgen dose at which ``compare`` reads the cohort."""


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
    floor = threshold_value(thresholds, "estradiol_floor_pg_ml")
    low_t = threshold_value(thresholds, "testosterone_low_ng_dl")
    row: dict[str, Any] = {
        "protocol": scenario.name,
        "bmi_kg_m2": scenario.patient.bmi_kg_m2,
        "day0": clock,
        "follow_up_days": round(scenario.horizon_days - clock, 1),
        "testosterone_nadir_ng_dl": round(float(tt[after].min()), 1),
        f"days_to_testosterone_{low_t:g}_ng_dl": recovery_days(t, tt, clock, low_t),
    }
    for thr in (5.0, 15.0, 16.0, 20.0):
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
    dose, else the first stimulant dose): testosterone back at or above the low cut-off
    (0 = it never fell below it), sperm back to 5, 15, 16 and 20 M/mL (NaN = not by the
    horizon); estradiol peak, trough and days below the floor from day 0 on. With a
    population, every scenario is given to the same ``n`` men (same ``seed``, one trial per
    scenario) and the rows gain the Kaplan-Meier probability of 20 M/mL by 6 and 12 months
    with its 95 % interval (``..._ci95_low``, ``..._ci95_high``), the median months
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
            rec = ((summarize(men, design).get("recovery") or {}).get("20")) or {}
            by = rec.get("probability_by_month") or {}
            band = rec.get("probability_ci95_by_month") or {}
            row["population"] = population
            row["n"] = n
            for m in COHORT_MONTHS:
                row[f"p_sperm_20_by_{m}_months"] = by.get(m)
                low, high = band.get(m) or (None, None)
                row[f"p_sperm_20_by_{m}_months_ci95_low"] = low
                row[f"p_sperm_20_by_{m}_months_ci95_high"] = high
            row["median_months_to_sperm_20"] = rec.get("median_months")
        # each protocol against the first, on the same men: the difference and its interval
        for men, row in zip(cohorts[1:], rows[1:], strict=True):
            for m in COHORT_MONTHS:
                d = paired_recovery_difference(cohorts[0], men, 20.0, float(m), seed=seed)
                row[f"p_sperm_20_by_{m}_months_minus_first"] = d["difference"]
                row[f"p_sperm_20_by_{m}_months_minus_first_ci95_low"] = d["low"]
                row[f"p_sperm_20_by_{m}_months_minus_first_ci95_high"] = d["high"]
    return pd.DataFrame(rows), tables
