"""Plots of simulated trajectories, and atomic writing of output files.

:func:`plot_trajectories` draws one simulation as stacked panels sharing a time axis in days:
a dose rug (one row per drug), then total testosterone, free testosterone, estradiol, LH, FSH and
sperm concentration. Adult male reference ranges (:data:`REFERENCE_RANGES`) are shaded, and the
WHO lower reference limits for sperm concentration (:data:`SPERM_CONCENTRATION_LIMITS`) are drawn
as dashed lines.

hpgsim is research and education software, not a medical device; every figure carries that
statement in its footer.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from hpgsim.drugs.catalog import CATALOG
from hpgsim.readouts import SEMEN_LIMITS
from hpgsim.units import nmol_l_to_ng_dl, pmol_l_to_pg_ml_e2

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from hpgsim.scenario import Scenario

__all__ = [
    "FOOTER",
    "REFERENCE_RANGES",
    "SPERM_CONCENTRATION_LIMITS",
    "ReferenceLine",
    "ReferenceRange",
    "atomic_output",
    "key_numbers",
    "plot_trajectories",
]

FOOTER = "hpgsim — research/education simulation, not medical advice"

_PG_ML_PER_NG_DL = 10.0  # 1 ng/dL = 10 pg/mL


@dataclass(frozen=True)
class ReferenceRange:
    """An adult male reference interval, in the unit of the output column it shades."""

    low: float
    high: float
    unit: str
    source: str
    """Citation, with the interval as published when it was converted to `unit`."""


@dataclass(frozen=True)
class ReferenceLine:
    """A single reference limit drawn as a line (for example a WHO lower reference limit)."""

    value: float
    unit: str
    label: str
    source: str


REFERENCE_RANGES: dict[str, ReferenceRange] = {
    "total_testosterone_ng_dl": ReferenceRange(
        low=264.0,
        high=916.0,
        unit="ng/dL",
        source=(
            "Travison TG et al. Harmonized reference ranges for circulating testosterone levels "
            "in men of four cohort studies in the United States and Europe. J Clin Endocrinol "
            "Metab 2017;102:1161-1173. PMID 28324103 (non-obese men aged 19-39, 2.5th-97.5th "
            "percentile)."
        ),
    ),
    "free_testosterone_pg_ml": ReferenceRange(
        # published 0.16-0.52 nmol/L; pg/mL = nmol/L x 288.42 (molar mass 288.42 g/mol)
        low=nmol_l_to_ng_dl(0.16) * _PG_ML_PER_NG_DL,
        high=nmol_l_to_ng_dl(0.52) * _PG_ML_PER_NG_DL,
        unit="pg/mL",
        source=(
            "0.16-0.52 nmol/L (calculated free testosterone), converted at 288.42 pg/mL per "
            "nmol/L. Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749."
        ),
    ),
    "estradiol_pg_ml": ReferenceRange(
        # published 65.4-207.7 pmol/L; pg/mL = pmol/L / 3.671 (molar mass 272.38 g/mol)
        low=pmol_l_to_pg_ml_e2(65.4),
        high=pmol_l_to_pg_ml_e2(207.7),
        unit="pg/mL",
        source=(
            "65.4-207.7 pmol/L (LC-MS/MS, adult men), converted at 3.671 pmol/L per pg/mL. "
            "PMID 22582502."
        ),
    ),
    "lh_iu_l": ReferenceRange(
        low=1.6,
        high=10.0,
        unit="IU/L",
        source="Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749 (adult men).",
    ),
    "fsh_iu_l": ReferenceRange(
        low=1.9,
        high=16.3,
        unit="IU/L",
        source="Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749 (adult men).",
    ),
}
"""Adult male reference ranges keyed by output column, with sources."""

SPERM_CONCENTRATION_LIMITS: tuple[ReferenceLine, ...] = tuple(
    ReferenceLine(value=lim.below_m_per_ml, unit="M/mL", label=lim.meaning, source=lim.source)
    for lim in (
        SEMEN_LIMITS["below_who2010_lower_reference"],
        SEMEN_LIMITS["below_who2021_lower_reference"],
    )
)
"""Lower reference limits for sperm concentration, drawn as dashed lines."""


@dataclass(frozen=True)
class _Panel:
    column: str
    label: str
    unit: str
    log: bool = False


_PANELS: tuple[_Panel, ...] = (
    _Panel("total_testosterone_ng_dl", "Total testosterone", "ng/dL"),
    _Panel("free_testosterone_pg_ml", "Free testosterone", "pg/mL"),
    _Panel("estradiol_pg_ml", "Estradiol", "pg/mL"),
    _Panel("lh_iu_l", "LH", "IU/L"),
    _Panel("fsh_iu_l", "FSH", "IU/L"),
    _Panel("sperm_concentration_m_per_ml", "Sperm concentration", "M/mL", log=True),
)

# A log axis cannot show zero (azoospermia); values below this floor are drawn on it.
_SPERM_DISPLAY_FLOOR_M_PER_ML = 0.01
_DAYS_PER_MONTH = 365.25 / 12.0


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it onto `path` only if the block succeeds.

    The temporary file is in the same folder (so the final ``os.replace`` is atomic) and keeps
    the suffix of `path` (so writers that infer the format from it still work). If the block
    raises, the temporary file is removed and `path` is left as it was: no partial file is ever
    left in place of a complete one.
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def plot_trajectories(df: pd.DataFrame, scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Plot one simulated trajectory table to a PNG file at `path` (written atomically).

    **Arguments:**

    - `df`: one row per output time, with `time_days` and any of the output columns; panels
      whose column is absent are left out.
    - `scenario`: the scenario simulated; its `name` titles the figure and its regimen lines
      give the dose times drawn in the top rug.
    - `path`: the PNG file to write.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if "time_days" not in df.columns:
        raise ValueError("the trajectory table has no 'time_days' column")
    t = df["time_days"].to_numpy(dtype=float)
    horizon = float(scenario.horizon_days)
    panels = [p for p in _PANELS if p.column in df.columns]
    doses = _dose_times_by_drug(scenario, horizon)

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
        _draw_dose_rug(axes.pop(0), doses, _infusions_by_drug(scenario, horizon))
    for ax, panel in zip(axes, panels, strict=True):
        _draw_panel(ax, panel, t, df[panel.column].to_numpy(dtype=float))

    first, last = fig.axes[0], fig.axes[-1]
    last.set_xlabel("time (days)")
    last.set_xlim(0.0, max(horizon, float(np.nanmax(t)) if t.size else 0.0) or 1.0)
    _add_secondary_time_axis(first, horizon)
    fig.suptitle(scenario.name, fontsize=12, fontweight="bold")
    fig.text(0.5, 0.004, FOOTER, ha="center", va="bottom", fontsize=8, color="0.35")

    with atomic_output(path) as tmp:
        fig.savefig(tmp, format="png")


def key_numbers(
    df: pd.DataFrame, stop_day: float, threshold_m_per_ml: float = 15.0, window_days: float = 28.0
) -> list[tuple[str, float | None, str]]:
    """Headline numbers of a treat-then-stop trajectory, as `(label, value, unit)` rows.

    Descriptive reductions of the table only: hormone means over the last `window_days` before
    `stop_day`, the sperm concentration at the start, its nadir (and when), the time from
    `stop_day` to the first output time with sperm concentration at or above
    `threshold_m_per_ml` (`None` if not reached within the table), and the value at the end.
    Rows whose column is absent are left out.
    """
    t = df["time_days"].to_numpy(dtype=float)
    rows: list[tuple[str, float | None, str]] = []
    on = (t >= stop_day - window_days) & (t < stop_day)
    for column, label, unit in (
        ("total_testosterone_ng_dl", "total testosterone", "ng/dL"),
        ("estradiol_pg_ml", "estradiol", "pg/mL"),
        ("lh_iu_l", "LH", "IU/L"),
        ("fsh_iu_l", "FSH", "IU/L"),
    ):
        if column in df.columns and on.any():
            mean = float(np.mean(df[column].to_numpy(dtype=float)[on]))
            rows.append((f"{label}, mean over the last {window_days:g} d on treatment", mean, unit))
    if "sperm_concentration_m_per_ml" in df.columns and t.size:
        sperm = df["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
        nadir = int(np.nanargmin(sperm))
        rows.append(("sperm concentration at day 0", float(sperm[0]), "M/mL"))
        rows.append(("nadir sperm concentration", float(sperm[nadir]), "M/mL"))
        rows.append(("day of the nadir", float(t[nadir]), "d"))
        after = (t >= stop_day) & (sperm >= threshold_m_per_ml)
        recovery = float(t[after][0] - stop_day) if after.any() else None
        rows.append(
            (
                f"time from stopping (day {stop_day:g}) to >= {threshold_m_per_ml:g} M/mL",
                recovery,
                "d",
            )
        )
        rows.append((f"sperm concentration at day {t[-1]:g}", float(sperm[-1]), "M/mL"))
    return rows


def _dose_times_by_drug(scenario: Scenario, horizon: float) -> dict[str, np.ndarray]:
    """Dose times per drug, in order of first appearance (several lines may share a drug)."""
    times: dict[str, list[np.ndarray]] = {}
    for line in scenario.regimen:
        times.setdefault(str(line.drug), []).append(
            np.asarray(line.dose_times(horizon), dtype=float).ravel()
        )
    return {drug: np.sort(np.concatenate(chunks)) for drug, chunks in times.items()}


def _infusions_by_drug(scenario: Scenario, horizon: float) -> dict[str, list[tuple[float, float]]]:
    """(start, end) in days of every continuous-infusion line, per drug."""
    out: dict[str, list[tuple[float, float]]] = {}
    for line in scenario.regimen:
        window = line.infusion_window(horizon)
        if window is not None:
            out.setdefault(str(line.drug), []).append(window)
    return out


def _draw_dose_rug(
    ax: Axes, doses: dict[str, np.ndarray], infusions: dict[str, list[tuple[float, float]]]
) -> None:
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


def _draw_panel(ax: Axes, panel: _Panel, t: np.ndarray, y: np.ndarray) -> None:
    from matplotlib.ticker import FuncFormatter

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


def _add_secondary_time_axis(ax: Axes, horizon: float) -> None:
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
