"""Figures of virtual trials: Kaplan-Meier recovery curves with their 95 % bands."""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import to_hex

from hpgsim.measure.events import DAYS_PER_MONTH
from hpgsim.optional import require
from hpgsim.output.files import FOOTER
from hpgsim.population.trial import RECOVERY_AT_RISK_BELOW, RECOVERY_THRESHOLDS, TrialDesign

__all__ = ["draw_recovery_curve", "plot_recovery"]


def draw_recovery_curve(ax: Any, rows: pd.DataFrame, threshold: float) -> str | None:
    """One Kaplan-Meier recovery curve (fraction of the men at risk who reached ``threshold``
    M/mL, by month after the first missed androgen dose) with its 95 % band, on ``ax``.
    Returns the line's colour, or None when no man was at risk."""
    risk = rows[f"recovery_{threshold:g}_at_risk"].to_numpy(dtype=bool)
    if not risk.any():
        return None
    t = rows.loc[risk, f"recovery_{threshold:g}_day"] / DAYS_PER_MONTH
    e = rows.loc[risk, f"recovery_{threshold:g}_event"]
    label = f">= {threshold:g} M/mL (n {int(risk.sum())})"
    lifelines = require("lifelines", "survival", "a Kaplan-Meier recovery figure")
    km = lifelines.KaplanMeierFitter().fit(t, e, label=label)
    x = km.survival_function_.index.to_numpy()
    y = 1.0 - km.survival_function_.iloc[:, 0].to_numpy()
    ci = km.confidence_interval_survival_function_
    (line,) = ax.step(x, y, where="post", label=label)
    ax.fill_between(
        x,
        1.0 - ci.iloc[:, 1],
        1.0 - ci.iloc[:, 0],
        step="post",
        alpha=0.2,
        linewidth=0,
        color=line.get_color(),
    )
    return to_hex(line.get_color())


def plot_recovery(rows: pd.DataFrame, design: TrialDesign, path: Any) -> None:
    """Kaplan-Meier curves of recovery (probability of having reached each threshold) by month
    after the first missed androgen dose, with 95 % confidence bands."""
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    drawn = [draw_recovery_curve(ax, rows, thr) for thr in RECOVERY_THRESHOLDS]
    ax.set_xlabel("months after the first missed androgen dose")
    ax.set_ylabel("fraction of men recovered")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    if any(drawn):
        ax.legend(loc="lower right", fontsize=8)
    else:  # no androgen stop, or no man suppressed below the thresholds in the recovery phase
        ax.text(
            0.5,
            0.5,
            f"no man below {RECOVERY_AT_RISK_BELOW:g} M/mL after an androgen stop:\n"
            "no recovery to follow",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=10,
        )
    ax.set_title(
        f"{', '.join(a.name for a in design.arms)}: {design.population}, n {len(rows)}, "
        f"seed {design.seed}",
        fontsize=9,
    )
    fig.text(
        0.01,
        0.005,
        f"{FOOTER}. Semen sampled every "
        f"{design.sampling_every_days:g} d; Kaplan-Meier (lifelines), 95% bands.",
        fontsize=6.5,
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)
