"""Plots of simulated trajectories.

:func:`plot_trajectories` draws one simulation as stacked panels sharing a time axis in days:
a dose rug (one row per drug), then total testosterone, free testosterone, estradiol, LH, FSH and
sperm concentration. Adult male reference ranges (:data:`REFERENCE_RANGES`) are shaded, and the
WHO lower reference limits for sperm concentration (:data:`SPERM_CONCENTRATION_LIMITS`) are drawn
as dashed lines.

hpgsim is research and education software, not a medical device; every figure carries that
statement in its footer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter
from numpy.typing import ArrayLike

from hpgsim.measure.reference_ranges import REFERENCE_RANGES, SPERM_CONCENTRATION_LIMITS
from hpgsim.model.drugs import CATALOG
from hpgsim.output.files import FOOTER, atomic_output

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from hpgsim.scenario import Scenario

__all__ = [
    "PANELS",
    "Panel",
    "add_secondary_time_axis",
    "dose_times_by_drug",
    "draw_dose_rug",
    "draw_panel",
    "infusions_by_drug",
    "plot_trajectories",
]


@dataclass(frozen=True)
class Panel:
    """One panel of a trajectory figure: the column, its label and unit, log scale or not."""

    column: str
    label: str
    unit: str
    log: bool = False


PANELS: tuple[Panel, ...] = (
    Panel("total_testosterone_ng_dl", "Total testosterone", "ng/dL"),
    Panel("free_testosterone_pg_ml", "Free testosterone", "pg/mL"),
    Panel("estradiol_pg_ml", "Estradiol", "pg/mL"),
    Panel("lh_iu_l", "LH", "IU/L"),
    Panel("fsh_iu_l", "FSH", "IU/L"),
    Panel("sperm_concentration_m_per_ml", "Sperm concentration", "M/mL", log=True),
)

# A log axis cannot show zero (azoospermia); values below this floor are drawn on it.
_SPERM_DISPLAY_FLOOR_M_PER_ML = 0.01
_DAYS_PER_MONTH = 365.25 / 12.0


def plot_trajectories(df: pd.DataFrame, scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Plot one simulated trajectory table to a PNG file at `path` (written atomically).

    **Arguments:**

    - `df`: one row per output time, with `time_days` and any of the output columns; panels
      whose column is absent are left out.
    - `scenario`: the scenario simulated; its `name` titles the figure and its regimen lines
      give the dose times drawn in the top rug.
    - `path`: the PNG file to write.
    """

    if "time_days" not in df.columns:
        raise ValueError("the trajectory table has no 'time_days' column")
    t = df["time_days"].to_numpy(dtype=float)
    horizon = float(scenario.horizon_days)
    panels = [p for p in PANELS if p.column in df.columns]
    doses = dose_times_by_drug(scenario, horizon)

    ratios = ([0.18 + 0.12 * len(doses)] if doses else []) + [1.0] * len(panels)
    fig = Figure(
        figsize=(11.0, 1.0 + 1.75 * sum(ratios)),
        dpi=110,
        layout=ConstrainedLayoutEngine(rect=(0.0, 0.025, 1.0, 0.975)),  # room for the footer
    )
    FigureCanvasAgg(fig)  # render with Agg, never an interactive backend
    axes = list(
        fig.subplots(len(ratios), 1, sharex=True, height_ratios=ratios, squeeze=False)[:, 0]
    )

    if doses:
        draw_dose_rug(axes.pop(0), doses, infusions_by_drug(scenario, horizon))
    for ax, panel in zip(axes, panels, strict=True):
        draw_panel(ax, panel, t, df[panel.column].to_numpy(dtype=float))

    first, last = fig.axes[0], fig.axes[-1]
    last.set_xlabel("time (days)")
    last.set_xlim(0.0, max(horizon, float(np.nanmax(t)) if t.size else 0.0) or 1.0)
    add_secondary_time_axis(first, horizon)
    fig.suptitle(scenario.name, fontsize=12, fontweight="bold")
    fig.text(0.5, 0.004, FOOTER, ha="center", va="bottom", fontsize=8, color="0.35")

    with atomic_output(path) as tmp:
        fig.savefig(tmp, format="png")


def dose_times_by_drug(scenario: Scenario, horizon: float) -> dict[str, np.ndarray]:
    """Dose times per drug, in order of first appearance (several lines may share a drug)."""
    times: dict[str, list[np.ndarray]] = {}
    for line in scenario.regimen:
        times.setdefault(str(line.drug), []).append(
            np.asarray(line.dose_times(horizon), dtype=float).ravel()
        )
    return {drug: np.sort(np.concatenate(chunks)) for drug, chunks in times.items()}


def infusions_by_drug(scenario: Scenario, horizon: float) -> dict[str, list[tuple[float, float]]]:
    """(start, end) in days of every continuous-infusion line, per drug."""
    out: dict[str, list[tuple[float, float]]] = {}
    for line in scenario.regimen:
        window = line.infusion_window(horizon)
        if window is not None:
            out.setdefault(str(line.drug), []).append(window)
    return out


def draw_dose_rug(
    ax: Axes, doses: dict[str, np.ndarray], infusions: dict[str, list[tuple[float, float]]]
) -> None:
    """One row of dose ticks (and infusion bars) per drug of the regimen, on ``ax``."""
    colors = [f"C{i % 10}" for i in range(len(doses))]
    for row, ((drug, times), color) in enumerate(zip(doses.items(), colors, strict=True)):
        spec = CATALOG.get(drug)
        label = spec.display_name if spec is not None else drug
        ax.eventplot(
            times, lineoffsets=row, linelengths=0.8, linewidths=0.6, colors=color, label=label
        )
        for start, end in infusions.get(drug, []):  # an infusion: a bar over its duration
            ax.hlines(row, start, end, colors=color, linewidth=5.0)
    ax.set_ylim(len(doses) - 0.5, -0.5)  # first drug on top
    ax.set_yticks([])
    ax.set_ylabel("doses", rotation=0, ha="right", va="center")
    ax.legend(loc="center left", bbox_to_anchor=(1.005, 0.5), fontsize=8, frameon=False)
    for side in ("left", "right"):
        ax.spines[side].set_visible(False)


def draw_panel(ax: Axes, panel: Panel, t: np.ndarray, y: np.ndarray) -> None:
    """One hormone panel: the column's course, its reference range or limits, log scale if asked."""
    ref = REFERENCE_RANGES.get(panel.column)
    if panel.log:
        floor = _SPERM_DISPLAY_FLOOR_M_PER_ML
        ax.set_yscale("log")
        ax.plot(t, np.maximum(y, floor), color="k", linewidth=1.2)
        for style, limit in zip(("--", ":"), SPERM_CONCENTRATION_LIMITS, strict=False):
            ax.axhline(
                limit.value, linestyle=style, color="tab:red", linewidth=1.0, label=limit.label
            )
        top = max(
            float(np.nanmax(y)) if y.size else 0.0, 2.0 * SPERM_CONCENTRATION_LIMITS[-1].value
        )
        ax.set_ylim(floor / 1.5, top * 2.0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.legend(loc="center left", bbox_to_anchor=(1.005, 0.5), fontsize=8, frameon=False)
        ax.set_title(f"values below {floor:g} M/mL drawn at {floor:g}", loc="right", fontsize=7)
    else:
        ax.plot(t, y, color="k", linewidth=1.0)
        top = float(np.nanmax(y)) if y.size and np.isfinite(y).any() else 0.0
        if ref is not None:
            top = max(top, ref.high)
        ax.set_ylim(0.0, 1.1 * top if top > 0 else 1.0)
    if ref is not None:
        ax.axhspan(ref.low, ref.high, color="tab:green", alpha=0.12, linewidth=0)
        ax.set_title(
            f"shaded: adult male reference {ref.low:.3g}–{ref.high:.3g} {ref.unit}",
            loc="right",
            fontsize=7,
        )
    ax.set_title(panel.label, loc="left", fontsize=9)
    ax.set_ylabel(panel.unit)
    ax.grid(True, which="major", axis="both", alpha=0.25)


def add_secondary_time_axis(ax: Axes, horizon: float) -> None:
    """Label the top of the figure in weeks (short runs) or months (runs over half a year)."""
    if horizon > 26 * 7:
        per, unit = _DAYS_PER_MONTH, "months"
    else:
        per, unit = 7.0, "weeks"

    def from_days(days: ArrayLike) -> np.ndarray:
        return np.asarray(days, dtype=float) / per

    def to_days(value: ArrayLike) -> np.ndarray:
        return np.asarray(value, dtype=float) * per

    secondary = ax.secondary_xaxis("top", functions=(from_days, to_days))
    secondary.set_xlabel(unit, fontsize=8)
    secondary.tick_params(labelsize=8)
