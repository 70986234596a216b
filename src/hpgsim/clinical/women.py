"""The post-menopausal woman's regimens side by side (``hpgsim compare`` with women's scenario
files; docs/women.md): the same woman under each scenario, her hormones at steady state against
the female reference ranges, and the flags that fired. Nothing here is advice to a patient.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.clinical.course import round_sig
from hpgsim.clinical.flags import flags as fired_flags
from hpgsim.clinical.thresholds import Threshold, threshold_value
from hpgsim.engine.simulation import simulate_many
from hpgsim.scenario import Scenario

__all__ = ["STEADY_WINDOW_DAYS", "compare_women"]

STEADY_WINDOW_DAYS = 28.0
"""``compare_women`` reads each woman's hormones over the last 28 days of her simulation: on a
regimen started on day 0 and kept to the horizon, its steady state (four weekly injections)."""


def compare_women(
    scenarios: Sequence[Scenario], *, thresholds: Mapping[str, Threshold] | None = None
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Each woman's scenario: total testosterone's mean, peak and trough, free T, estradiol,
    SHBG and progesterone over the last :data:`STEADY_WINDOW_DAYS` of the simulation, the mean
    over the upper limit of the premenopausal range, and the flags that fired. Returns (one row
    per scenario, each scenario's trajectories); a man's scenario is a ValueError."""
    if not scenarios:
        raise ValueError("scenarios: got none; allowed: one or more")
    men = [s.name for s in scenarios if s.patient.sex != "female"]
    if men:
        raise ValueError(
            f"scenarios: {', '.join(men)} are men's; compare women's scenarios with each other"
        )
    high = threshold_value(thresholds, "female_testosterone_high_ng_dl")
    tables = [t.reset_index(drop=True) for t in simulate_many(scenarios)]
    rows = []
    for sc, tab in zip(scenarios, tables, strict=True):
        t = tab["time_days"].to_numpy(dtype=float)
        last = t >= t[-1] - STEADY_WINDOW_DAYS - 1e-9

        def stat(col: str, how: Any, tab: pd.DataFrame = tab, last: Any = last) -> float:
            return round_sig(float(how(tab[col].to_numpy(dtype=float)[last])))

        mean_t = stat("total_testosterone_ng_dl", np.mean)
        rows.append(
            {
                "protocol": sc.name,
                "bmi_kg_m2": sc.patient.bmi_kg_m2,
                "window_days": f"{max(t[-1] - STEADY_WINDOW_DAYS, 0.0):g}-{t[-1]:g}",
                "testosterone_mean_ng_dl": mean_t,
                "testosterone_peak_ng_dl": stat("total_testosterone_ng_dl", np.max),
                "testosterone_trough_ng_dl": stat("total_testosterone_ng_dl", np.min),
                f"testosterone_mean_over_{high:g}_ng_dl": round_sig(mean_t / high),
                "free_testosterone_mean_pg_ml": stat("free_testosterone_pg_ml", np.mean),
                "estradiol_mean_pg_ml": stat("estradiol_pg_ml", np.mean),
                "estradiol_min_pg_ml": stat("estradiol_pg_ml", np.min),
                "shbg_mean_nmol_l": stat("shbg_nmol_l", np.mean),
                "progesterone_peak_ng_ml": stat("progesterone_ng_ml", np.max),
                "flags_fired": ", ".join(f.id for f in fired_flags(sc, tab, thresholds=thresholds)),
            }
        )
    return pd.DataFrame(rows), tables
