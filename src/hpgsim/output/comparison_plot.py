"""The protocol comparison figure of ``hpgsim compare``: total testosterone, estradiol and sperm
concentration of each scenario against months from its day 0.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hpgsim.clinical.thresholds import Threshold, threshold_value
from hpgsim.measure.events import DAYS_PER_MONTH
from hpgsim.measure.reference_ranges import FEMALE_REFERENCE_RANGES
from hpgsim.output.files import FOOTER, atomic_output
from hpgsim.scenario import Scenario

__all__ = ["plot_comparison", "plot_women_comparison"]


def plot_comparison(
    scenarios: Sequence[Scenario],
    tables: Sequence[pd.DataFrame],
    day0: Sequence[float],
    path: str | os.PathLike[str],
    *,
    thresholds: Mapping[str, Threshold] | None = None,
) -> None:
    """Overlay total testosterone, estradiol and sperm concentration of each scenario against
    months from its day 0, with the thresholds drawn; PNG written atomically."""
    fig, axes = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    panels = (
        ("total_testosterone_ng_dl", "Total testosterone (ng/dL)", False),
        ("estradiol_pg_ml", "Estradiol (pg/mL)", False),
        ("sperm_concentration_m_per_ml", "Sperm concentration (M/mL)", True),
    )
    for s, tab, d0 in zip(scenarios, tables, day0, strict=True):
        months = (tab["time_days"].to_numpy(dtype=float) - d0) / DAYS_PER_MONTH
        keep = months >= -3.0
        for ax, (col, _, log) in zip(axes, panels, strict=True):
            y = tab[col].to_numpy(dtype=float)[keep]
            ax.plot(months[keep], np.maximum(y, 0.01) if log else y, lw=1.2, label=s.name)
    lines = {
        0: [(threshold_value(thresholds, "testosterone_low_ng_dl"), "low cut-off")],
        1: [(threshold_value(thresholds, "estradiol_floor_pg_ml"), "floor")],
        2: [(5.0, "5"), (15.0, "WHO 2010"), (20.0, "20 M/mL")],
    }
    for i, (ax, (_, label, log)) in enumerate(zip(axes, panels, strict=True)):
        for value, name in lines[i]:
            ax.axhline(value, color="0.5", ls="--", lw=0.8)
            ax.annotate(
                name,
                (0.995, value),
                xycoords=("axes fraction", "data"),
                ha="right",
                va="bottom",
                fontsize=7,
                color="0.35",
            )
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        if log:
            ax.set_yscale("log")
    axes[0].legend(fontsize=7, ncol=2, loc="upper right")
    axes[-1].set_xlabel("months from day 0 (end of full-dose TRT / first missed androgen dose)")
    fig.suptitle("Protocol comparison (one simulated man)", fontsize=11)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.text(0.5, 0.004, FOOTER, ha="center", va="bottom", fontsize=8, color="0.35")
    with atomic_output(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    plt.close(fig)


def plot_women_comparison(
    scenarios: Sequence[Scenario],
    tables: Sequence[pd.DataFrame],
    path: str | os.PathLike[str],
) -> None:
    """Overlay total testosterone, free testosterone and estradiol of each woman's scenario
    against weeks, the female reference ranges shaded; PNG written atomically."""
    panels = (
        ("total_testosterone_ng_dl", "Total testosterone (ng/dL)"),
        ("free_testosterone_pg_ml", "Free testosterone (pg/mL)"),
        ("estradiol_pg_ml", "Estradiol (pg/mL)"),
    )
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 8.5), sharex=True)
    for s, tab in zip(scenarios, tables, strict=True):
        weeks = tab["time_days"].to_numpy(dtype=float) / 7.0
        for ax, (col, _) in zip(axes, panels, strict=True):
            ax.plot(weeks, tab[col].to_numpy(dtype=float), lw=1.1, label=s.name)
    for ax, (col, label) in zip(axes, panels, strict=True):
        ref = FEMALE_REFERENCE_RANGES[col]
        ax.axhspan(ref.low, ref.high, color="tab:green", alpha=0.15, lw=0)
        ax.set_title(
            f"shaded: {ref.population} {ref.low:.3g}-{ref.high:.3g} {ref.unit}",
            loc="right",
            fontsize=7,
        )
        ax.set_title(label, loc="left", fontsize=9)
        ax.set_ylim(bottom=0.0)
        ax.grid(alpha=0.25)
    axes[0].legend(fontsize=8, loc="upper left")
    axes[-1].set_xlabel("weeks")
    fig.suptitle("the same simulated post-menopausal woman under each scenario", fontsize=10)
    fig.text(0.5, 0.005, FOOTER, ha="center", va="bottom", fontsize=8, color="0.35")
    fig.tight_layout(rect=(0.0, 0.025, 1.0, 0.97))
    with atomic_output(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    plt.close(fig)
