"""Figures of the validation suite: each target's simulated course beside its published
measures."""

from __future__ import annotations

import math
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from hpgsim.evidence.records import SPERM_COLUMN, PopulationResult, ValidationTarget
from hpgsim.evidence.validation import ValidationRun
from hpgsim.output.files import FOOTER
from hpgsim.output.trial_plots import draw_recovery_curve
from hpgsim.population.trial import km_prediction_interval

__all__ = ["plot_target", "vpc_rows"]


def plot_target(
    t: ValidationTarget, run: ValidationRun, path: Any
) -> None:  # pragma: no cover - drawing
    """Overlay plot: the simulated course of the target's columns (or the trial's Kaplan-Meier
    curves with bands and the published probabilities) beside each measure's published value,
    acceptance interval and simulated value on a ratio scale."""
    rows = [r for r in run.results if r.target == t.id]
    cols = [c for c in t.columns if t.id in run.tables and c in run.tables[t.id][0]]
    n_left = max(len(cols), 1)
    fig = plt.figure(figsize=(11, max(3.2, 2.2 * n_left)))
    gs = fig.add_gridspec(n_left, 2, width_ratios=(1.5, 1.0))
    if t.kind == "population" and t.id in run.population:
        ax = fig.add_subplot(gs[:, 0])
        _km_overlay(ax, run.population[t.id])
    elif cols:
        for i, col in enumerate(cols):
            ax = fig.add_subplot(gs[i, 0])
            for s, df in zip(t.scenarios, run.tables[t.id], strict=True):
                ax.plot(df.time_days, df[col], lw=1.2, label=s.name)
            if col == SPERM_COLUMN:
                ax.set_yscale("symlog", linthresh=0.1)
            ax.set_ylabel(col, fontsize=7)
            ax.grid(alpha=0.3)
            if i == 0 and len(t.scenarios) > 1:
                ax.legend(fontsize=6, ncol=2)
        ax.set_xlabel("days")
    else:
        ax = fig.add_subplot(gs[:, 0])
        ax.text(0.5, 0.5, "steady-state target:\nno time course", ha="center", va="center")
        ax.set_axis_off()
    ax2 = fig.add_subplot(gs[:, 1])
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows, strict=True):
        scale = r.published if r.published not in (0.0,) else 1.0
        lo, hi = r.low / scale, r.high / scale
        ax2.plot([lo, hi], [yi, yi], color="0.6", lw=6, solid_capstyle="butt")
        ax2.plot(1.0, yi, "k|", ms=14, mew=2)
        colour = {"pass": "tab:green", "unexpected pass": "tab:green"}.get(r.status, "tab:red")
        if math.isfinite(r.simulated):
            ax2.plot(r.simulated / scale, yi, "o", color=colour, ms=7)
    ax2.set_yticks(y, [r.measure for r in rows], fontsize=7)
    ax2.yaxis.tick_right()
    ax2.set_xlabel("value / published (grey: accepted interval, |: published, o: simulated)")
    ax2.grid(alpha=0.3, axis="x")
    fig.suptitle(f"{t.id} ({t.use}): {t.title}", fontsize=9)
    fig.text(0.01, 0.005, f"{FOOTER}. Source: {t.citation}"[:220], fontsize=6)
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def vpc_rows(target_id: str, res: PopulationResult) -> list[dict[str, Any]]:
    """The visual predictive check of a population target: per threshold and published month,
    the published probability and the 5/50/95 % of replicate trials of the study's size
    (:func:`hpgsim.population.trial.km_prediction_interval`), and whether it falls inside."""
    if res.study_n is None:
        return []
    out = []
    for thr, points in res.published_points.items():
        interval = km_prediction_interval(res.rows, thr, list(points), res.study_n)
        for month, published in points.items():
            if month not in interval:
                continue
            low, mid, high = interval[month]
            out.append(
                {
                    "target": target_id,
                    "threshold_m_per_ml": thr,
                    "month": month,
                    "published": published,
                    "simulated_p05": round(low, 4),
                    "simulated_p50": round(mid, 4),
                    "simulated_p95": round(high, 4),
                    "study_n": res.study_n,
                    "inside": bool(low - 1e-9 <= published <= high + 1e-9),
                }
            )
    return out


def _km_overlay(ax: Any, res: PopulationResult) -> None:  # pragma: no cover - drawing
    checks = vpc_rows("", res)
    for k, row in enumerate(checks):
        mid = row["simulated_p50"]
        ax.errorbar(
            row["month"] + 0.12,
            mid,
            yerr=[[mid - row["simulated_p05"]], [row["simulated_p95"] - mid]],
            fmt="s",
            color="0.25",
            ms=4,
            capsize=3,
            label=f"VPC: 5-95% of trials of {row['study_n']} men" if k == 0 else None,
        )
    for thr, points in res.published_points.items():
        colour = draw_recovery_curve(ax, res.rows, thr)
        if colour is not None and points:
            ax.plot(
                list(points),
                list(points.values()),
                "D",
                color=colour,
                mec="k",
                label=f"published >= {thr:g} M/mL",
            )
    ax.set_xlabel("months after the first missed androgen dose")
    ax.set_ylabel("fraction of men recovered")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="lower right")
