"""Plots of simulated trajectories.

:func:`plot_trajectories` draws one simulation as stacked panels sharing a time axis in days:
a dose rug (one row per drug), then total testosterone, free testosterone, estradiol, LH, FSH and
sperm concentration. Adult male reference ranges (:data:`REFERENCE_RANGES`) are shaded, and the
WHO lower reference limits for sperm concentration (:data:`SPERM_CONCENTRATION_LIMITS`) are drawn
as dashed lines. When the regimen stops an androgen, the sperm panel marks the first missed dose
and the days the simulated concentration is back at 15 and 20 M/mL, and a last panel shows the
recovery phase on a linear scale (a zoom below the log panel, not an inset over it, which would
hide the course). With a :class:`~hpgsim.population.band.PopulationBand` every panel also shades
the band of men with the same covariates; the title says which of the two a figure shows. A
woman's figure (``patient.sex: female``) has her panels (:data:`WOMAN_PANELS`: testosterone,
free testosterone, estradiol, SHBG, progesterone) with the female reference ranges shaded.

hpgsim is research and education software, not a medical device; every figure carries that
statement in its footer.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter
from numpy.typing import ArrayLike

from hpgsim.clinical.course import recovery_days
from hpgsim.measure.events import androgen_window
from hpgsim.measure.reference_ranges import (
    SPERM_CONCENTRATION_LIMITS,
    ReferenceRange,
    reference_ranges,
)
from hpgsim.model.drugs import CATALOG
from hpgsim.output.files import FOOTER, atomic_output

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from hpgsim.population.band import PopulationBand
    from hpgsim.scenario import Scenario

__all__ = [
    "PANELS",
    "RECOVERY_MARKS_M_PER_ML",
    "WOMAN_PANELS",
    "Panel",
    "RecoveryMarks",
    "add_secondary_time_axis",
    "dose_times_by_drug",
    "draw_dose_rug",
    "draw_panel",
    "draw_recovery_marks",
    "draw_recovery_phase",
    "figure_title",
    "infusions_by_drug",
    "plot_trajectories",
    "recovery_marks",
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

WOMAN_PANELS: tuple[Panel, ...] = (
    Panel("total_testosterone_ng_dl", "Total testosterone", "ng/dL"),
    Panel("free_testosterone_pg_ml", "Free testosterone", "pg/mL"),
    Panel("estradiol_pg_ml", "Estradiol", "pg/mL"),
    Panel("shbg_nmol_l", "SHBG", "nmol/L"),
    Panel("progesterone_ng_ml", "Progesterone (LC-MS/MS)", "ng/mL"),
)
"""A woman's panels (:mod:`hpgsim.model.woman`)."""

# A log axis cannot show zero (azoospermia); values below this floor are drawn on it.
_SPERM_DISPLAY_FLOOR_M_PER_ML = 0.01
_DAYS_PER_MONTH = 365.25 / 12.0

RECOVERY_MARKS_M_PER_ML = (15.0, 20.0)
"""Sperm concentrations (M/mL) whose recovery day the sperm panel marks."""


@dataclass(frozen=True)
class RecoveryMarks:
    """Where a course's recovery is marked: the first missed androgen dose (days, scenario
    time) and, per concentration in M/mL, the day it is back at or above it (None: not by the
    horizon)."""

    stop_day: float
    reach_day: dict[float, float | None]


def recovery_marks(df: pd.DataFrame, scenario: Scenario) -> RecoveryMarks | None:
    """The recovery marks of one simulated course, or None when no androgen is stopped."""
    _, stop = androgen_window(scenario)
    if stop is None or "sperm_concentration_m_per_ml" not in df.columns:
        return None
    t = df["time_days"].to_numpy(dtype=float)
    y = df["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
    reach: dict[float, float | None] = {}
    for thr in RECOVERY_MARKS_M_PER_ML:
        days = recovery_days(t, y, stop, thr)
        reach[thr] = stop + days if np.isfinite(days) else None
    return RecoveryMarks(stop, reach)


def figure_title(scenario: Scenario, band: PopulationBand | None) -> str:
    """A figure's title, saying what it shows: one simulated man (or woman), or him with a
    band."""
    if scenario.patient.sex == "female":
        who = "one simulated post-menopausal woman (the typical woman with these covariates)"
    else:
        who = "one simulated man (the typical man with these covariates)"
    if band is not None:
        who += f"; shaded: {band.label}"
    return f"{scenario.name}\n{who}"


def plot_trajectories(
    df: pd.DataFrame,
    scenario: Scenario,
    path: str | os.PathLike[str],
    *,
    band: PopulationBand | None = None,
) -> None:
    """Plot one simulated trajectory table to a PNG file at `path` (written atomically).

    **Arguments:**

    - `df`: one row per output time, with `time_days` and any of the output columns; panels
      whose column is absent are left out.
    - `scenario`: the scenario simulated; its `name` titles the figure and its regimen lines
      give the dose times drawn in the top rug.
    - `path`: the PNG file to write.
    - `band`: optionally, the population band of men with the same covariates
      (:func:`hpgsim.population.band.population_band`), shaded in every panel.
    """

    if "time_days" not in df.columns:
        raise ValueError("the trajectory table has no 'time_days' column")
    t = df["time_days"].to_numpy(dtype=float)
    horizon = float(scenario.horizon_days)
    female = scenario.patient.sex == "female"
    panels = [p for p in (WOMAN_PANELS if female else PANELS) if p.column in df.columns]
    ranges = reference_ranges(scenario.patient.sex)
    doses = dose_times_by_drug(scenario, horizon)

    marks = recovery_marks(df, scenario)
    ratios = ([0.18 + 0.12 * len(doses)] if doses else []) + [1.0] * len(panels)
    ratios += [1.0] if marks is not None else []
    fig = Figure(
        figsize=(11.0, 1.0 + 1.75 * sum(ratios)),
        dpi=110,
        layout=ConstrainedLayoutEngine(rect=(0.0, 0.025, 1.0, 0.975)),  # room for the footer
    )
    FigureCanvasAgg(fig)  # render with Agg, never an interactive backend
    axes = list(fig.subplots(len(ratios), 1, height_ratios=ratios, squeeze=False)[:, 0])
    zoom = axes.pop() if marks is not None else None
    for ax in axes[1:]:
        ax.sharex(axes[0])
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)

    if doses:
        draw_dose_rug(axes.pop(0), doses, infusions_by_drug(scenario, horizon))
    for ax, panel in zip(axes, panels, strict=True):
        y = df[panel.column].to_numpy(dtype=float)
        draw_panel(ax, panel, t, y, band=band, ranges=ranges)
        if panel.column == "sperm_concentration_m_per_ml" and marks is not None:
            draw_recovery_marks(ax, marks)
    last = axes[-1]
    last.set_xlabel("time (days)")
    last.set_xlim(0.0, max(horizon, float(np.nanmax(t)) if t.size else 0.0) or 1.0)
    add_secondary_time_axis(fig.axes[0], horizon)
    if zoom is not None and marks is not None:
        y = df["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
        draw_recovery_phase(zoom, t, y, marks, band=band)
    fig.suptitle(figure_title(scenario, band), fontsize=10, fontweight="bold")
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


def _draw_band(
    ax: Axes, band: PopulationBand | None, column: str, floor: float | None = None
) -> float:
    """Shade ``band``'s outer quantiles of ``column`` on ``ax`` (values below ``floor`` drawn on
    it); returns the band's highest value drawn (0 without a band)."""
    if band is None or column not in band.values:
        return 0.0
    q = band.values[column]
    lo, hi = q[0], q[-1]
    if floor is not None:
        lo, hi = np.maximum(lo, floor), np.maximum(hi, floor)
    ax.fill_between(
        band.time_days, lo, hi, color="tab:blue", alpha=0.18, linewidth=0, label=band.label
    )
    return float(np.nanmax(hi)) if hi.size else 0.0


def draw_panel(
    ax: Axes,
    panel: Panel,
    t: np.ndarray,
    y: np.ndarray,
    *,
    band: PopulationBand | None = None,
    ranges: Mapping[str, ReferenceRange] | None = None,
) -> None:
    """One hormone panel: the column's course, its reference range (from ``ranges``, default
    the adult man's) or limits, log scale if asked, and (optionally) the population band of
    men with the same covariates."""
    ref = (reference_ranges("male") if ranges is None else ranges).get(panel.column)
    if panel.log:
        floor = _SPERM_DISPLAY_FLOOR_M_PER_ML
        ax.set_yscale("log")
        band_top = _draw_band(ax, band, panel.column, floor)
        ax.plot(t, np.maximum(y, floor), color="k", linewidth=1.2)
        for style, limit in zip(("--", ":"), SPERM_CONCENTRATION_LIMITS, strict=False):
            ax.axhline(
                limit.value, linestyle=style, color="tab:red", linewidth=1.0, label=limit.label
            )
        top = max(
            float(np.nanmax(y)) if y.size else 0.0,
            2.0 * SPERM_CONCENTRATION_LIMITS[-1].value,
            band_top,
        )
        ax.set_ylim(floor / 1.5, top * 2.0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.legend(loc="center left", bbox_to_anchor=(1.005, 0.5), fontsize=8, frameon=False)
        ax.set_title(f"values below {floor:g} M/mL drawn at {floor:g}", loc="right", fontsize=7)
    else:
        band_top = _draw_band(ax, band, panel.column)
        ax.plot(t, y, color="k", linewidth=1.0)
        top = float(np.nanmax(y)) if y.size and np.isfinite(y).any() else 0.0
        top = max(top, band_top)
        if ref is not None:
            top = max(top, ref.high)
        ax.set_ylim(0.0, 1.1 * top if top > 0 else 1.0)
    if ref is not None:
        ax.axhspan(ref.low, ref.high, color="tab:green", alpha=0.12, linewidth=0)
        ax.set_title(
            f"shaded: {ref.population} reference {ref.low:.3g}–{ref.high:.3g} {ref.unit}",
            loc="right",
            fontsize=7,
        )
    ax.set_title(panel.label, loc="left", fontsize=9)
    ax.set_ylabel(panel.unit)
    ax.grid(True, which="major", axis="both", alpha=0.25)


def draw_recovery_marks(ax: Axes, marks: RecoveryMarks) -> None:
    """Mark, on a sperm panel, the first missed androgen dose and the days the simulated man
    is back at 15 and 20 M/mL."""
    ax.axvline(marks.stop_day, color="0.4", linestyle=":", linewidth=1.0)
    ax.annotate(
        f"first missed dose (day {marks.stop_day:g})",
        (marks.stop_day, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        fontsize=7,
        color="0.3",
        va="top",
    )
    for k, (thr, day) in enumerate(sorted(marks.reach_day.items())):
        if day is None:
            continue
        after = day - marks.stop_day
        ax.axvline(day, color="tab:purple", linestyle="-", linewidth=0.9, alpha=0.7)
        ax.annotate(
            f"{thr:g} M/mL: day {day:.0f} ({after:.0f} d, {after / _DAYS_PER_MONTH:.1f} mo "
            "after the stop)",
            (day, 0.02 + 0.11 * k),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=7,
            color="tab:purple",
        )


def draw_recovery_phase(
    ax: Axes,
    t: np.ndarray,
    y: np.ndarray,
    marks: RecoveryMarks,
    *,
    band: PopulationBand | None = None,
) -> None:
    """The recovery phase of a sperm course on a linear scale: from the first missed dose to
    a little past the last recovery mark (at least 12 months, at most the horizon), with the
    15 and 20 M/mL lines and the recovery days."""
    reached = [d for d in marks.reach_day.values() if d is not None]
    end = max(
        [marks.stop_day + 365.25, *(marks.stop_day + 1.5 * (d - marks.stop_day) for d in reached)]
    )
    end = min(end, float(t[-1]) if t.size else end)
    sel = (t >= marks.stop_day - 1e-9) & (t <= end + 1e-9)
    _draw_band(ax, band, "sperm_concentration_m_per_ml")
    ax.plot(t[sel], y[sel], color="k", linewidth=1.2, label="one simulated man")
    for thr, style in zip(RECOVERY_MARKS_M_PER_ML, ("--", "-."), strict=True):
        ax.axhline(thr, color="tab:red", linestyle=style, linewidth=0.9)
    for k, (thr, day) in enumerate(sorted(marks.reach_day.items())):
        if day is not None:  # the lower mark's label below its line, the higher's above
            ax.axvline(day, color="tab:purple", linewidth=0.9, alpha=0.7)
            ax.annotate(
                f"{thr:g} M/mL: day {day:.0f}",
                (day, thr),
                xytext=(4, 4) if k else (-4, -11),
                ha="left" if k else "right",
                textcoords="offset points",
                fontsize=7,
                color="tab:purple",
            )
    top = float(np.nanmax(y[sel])) if sel.any() else 0.0
    if band is not None:
        inside = (band.time_days >= marks.stop_day - 1e-9) & (band.time_days <= end + 1e-9)
        top = max(top, float(np.nanmax(band.values["sperm_concentration_m_per_ml"][-1][inside])))
    ax.set_xlim(marks.stop_day, end)
    ax.set_ylim(0.0, 1.1 * max(top, 2.0 * RECOVERY_MARKS_M_PER_ML[-1]))
    ax.set_title(
        "Recovery phase, linear scale (from the first missed androgen dose)", loc="left", fontsize=9
    )
    ax.set_ylabel("M/mL")
    ax.set_xlabel("time (days)")
    ax.grid(True, alpha=0.25)
    ax.legend(loc="upper left", fontsize=7, frameon=False)


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
