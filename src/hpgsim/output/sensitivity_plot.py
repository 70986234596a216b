"""Tornado plots of a sensitivity analysis (:mod:`hpgsim.clinical.sensitivity`): one
horizontal bar per parameter, the largest at the top."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hpgsim.output.files import FOOTER

__all__ = ["NOT_A_DEVICE_TITLE", "plot_tornado"]

NOT_A_DEVICE_TITLE = "research and education software, not a medical device"
"""The line every sensitivity figure's title carries."""


def plot_tornado(
    table: pd.DataFrame, path: Path, *, scenario: str, output: str, unit: str, method: str
) -> None:
    """Write a tornado plot (PNG) of ``table``: ``method`` ``local`` draws each parameter's
    elasticity (d ln output / d ln parameter, dimensionless; signed); ``sobol`` draws S1 and ST
    with their 95 % half-widths as error bars. Rows in the table's order, first at the top."""
    labels = list(table["parameter"])[::-1]
    y = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(8.0, 1.2 + 0.38 * max(len(labels), 1)))
    if method == "local":
        values = np.asarray(table["elasticity"], float)[::-1]
        colors = ["#c0504d" if v < 0 else "#4f81bd" for v in values]
        ax.barh(y, values, color=colors)
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(f"elasticity of {output}: % change per 1 % change of the parameter")
    else:
        h = 0.38
        ax.barh(
            y + h / 2,
            np.asarray(table["ST"], float)[::-1],
            h,
            xerr=np.asarray(table["ST_conf"], float)[::-1],
            color="#4f81bd",
            label="ST (total)",
        )
        ax.barh(
            y - h / 2,
            np.asarray(table["S1"], float)[::-1],
            h,
            xerr=np.asarray(table["S1_conf"], float)[::-1],
            color="#9bbb59",
            label="S1 (first order)",
        )
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(f"Sobol index of {output} (share of its variance)")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(y, labels)
    shown_unit = "" if unit == "1" else f" [{unit}]"
    ax.set_title(
        f"{scenario}: {output}{shown_unit}, {method} sensitivity\n{NOT_A_DEVICE_TITLE}",
        fontsize=10,
    )
    fig.text(0.99, 0.005, FOOTER, ha="right", va="bottom", fontsize=6, color="grey")
    fig.tight_layout(rect=(0.0, 0.02, 1.0, 1.0))
    fig.savefig(path, dpi=120, format="png")
    plt.close(fig)
