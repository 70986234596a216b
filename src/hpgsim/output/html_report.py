"""A self-contained HTML report of one scenario (and, optionally, of a virtual trial of it).

The page works offline: figures are PNG images embedded as data URIs, the style sheet is inline,
and nothing is fetched from a network. Sections: the disclaimer; the man and the regimen (a
table and a timeline); hormones against adult male reference ranges; sperm concentration against
the WHO lower reference limits, with testis and stem-cell reserve; drug levels; suppression and
recovery events; with a population, the trial's recovery probabilities and Kaplan-Meier curves;
the parameters and citations the scenario uses.
"""

from __future__ import annotations

import base64
import html
import io
import math
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from hpgsim.evidence.registry import known_gaps_for
from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window
from hpgsim.measure.reference_ranges import (
    REFERENCE_RANGES,
    SPERM_CONCENTRATION_LIMITS,
    reference_ranges,
)
from hpgsim.model import woman
from hpgsim.model.drugs import CATALOG
from hpgsim.model.parameters import CITATIONS, PARAMETERS
from hpgsim.output.plots import (
    PANELS,
    WOMAN_PANELS,
    Panel,
    add_secondary_time_axis,
    dose_times_by_drug,
    draw_dose_rug,
    draw_panel,
    draw_recovery_marks,
    draw_recovery_phase,
    figure_title,
    infusions_by_drug,
    recovery_marks,
)
from hpgsim.output.trial_plots import plot_recovery
from hpgsim.population.trial import RECOVERY_AT_RISK_BELOW

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from hpgsim.clinical.flags import Flag
    from hpgsim.population.band import PopulationBand
    from hpgsim.scenario import Scenario

__all__ = ["DISCLAIMER_HTML", "parameters_used", "render_report", "render_woman_report"]

DISCLAIMER_HTML = (
    "hpgsim is research and education software, <strong>not a medical device</strong>. This "
    "page shows what a mathematical model computes for a hypothetical person under a stated "
    "regimen; it is not medical advice and must not be used to make treatment decisions for "
    "any person."
)

_HORMONE_COLUMNS = (
    "total_testosterone_ng_dl",
    "free_testosterone_pg_ml",
    "estradiol_pg_ml",
    "lh_iu_l",
    "fsh_iu_l",
)
_OTHER_HORMONES = (
    Panel("shbg_nmol_l", "SHBG", "nmol/L"),
    Panel("inhibin_b_pg_ml", "Inhibin B", "pg/mL"),
    Panel("intratesticular_testosterone_ng_ml", "Intratesticular testosterone", "ng/mL"),
)
_TESTIS = (
    Panel("testicular_volume_ml", "Testicular volume", "mL"),
    Panel("stem_cell_reserve_fraction", "Stem-cell reserve", "fraction of the man's ceiling"),
    Panel("germ_cells_fraction", "Differentiating germ cells", "fraction of untreated"),
)
_NOT_DRUG = {
    "time_days",
    *_HORMONE_COLUMNS,
    *(p.column for p in (*_OTHER_HORMONES, *_TESTIS)),
    "sperm_concentration_m_per_ml",
}

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:0 auto;padding:0 1.2rem 3rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem;margin:1.2rem 0 .2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
.disclaimer{background:#fff4e5;border:1px solid #f0b35a;padding:.7rem 1rem;border-radius:6px}
.summary{background:#eef6ff;border:1px solid #6a9fd8;padding:.7rem 1rem;border-radius:6px}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;border:1px solid #eee}
.small{font-size:.8rem;color:#555}nav a{margin-right:.8rem}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
"""


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return (
        '<img alt="figure" src="data:image/png;base64,'
        + base64.b64encode(buf.getvalue()).decode("ascii")
        + '">'
    )


def _figure(n_rows: int, height: float = 1.9) -> tuple[Figure, list[Any]]:

    fig = Figure(figsize=(10.5, 0.6 + height * n_rows), layout=ConstrainedLayoutEngine())
    FigureCanvasAgg(fig)
    axes = list(fig.subplots(n_rows, 1, sharex=True, squeeze=False)[:, 0])
    return fig, axes


def _panels_figure(
    df: pd.DataFrame,
    scenario: Scenario,
    panels: Sequence[Panel],
    band: PopulationBand | None = None,
) -> str:
    panels = [p for p in panels if p.column in df.columns]
    if not panels:
        return "<p>No such outputs in this simulation.</p>"
    t = df["time_days"].to_numpy(dtype=float)
    marks = recovery_marks(df, scenario)
    ranges = reference_ranges(scenario.patient.sex)
    fig, axes = _figure(len(panels))
    fig.suptitle(figure_title(scenario, band), fontsize=9)
    for ax, panel in zip(axes, panels, strict=True):
        draw_panel(ax, panel, t, df[panel.column].to_numpy(dtype=float), band=band, ranges=ranges)
        if panel.column == "sperm_concentration_m_per_ml" and marks is not None:
            draw_recovery_marks(ax, marks)
        if ax.get_legend() is not None:  # inside the axes, so every panel keeps its width
            ax.legend(loc="lower right", fontsize=7, framealpha=0.85)
    axes[-1].set_xlabel("time (days)")
    axes[-1].set_xlim(0.0, scenario.horizon_days)
    add_secondary_time_axis(axes[0], scenario.horizon_days)
    return _png(fig)


def _recovery_figure(
    df: pd.DataFrame, scenario: Scenario, band: PopulationBand | None = None
) -> str:
    """The recovery phase of the sperm course on a linear scale, with its recovery days."""
    marks = recovery_marks(df, scenario)
    if marks is None:
        return ""
    fig, (ax,) = _figure(1, height=2.4)
    fig.suptitle(figure_title(scenario, band), fontsize=9)
    t = df["time_days"].to_numpy(dtype=float)
    y = df["sperm_concentration_m_per_ml"].to_numpy(dtype=float)
    draw_recovery_phase(ax, t, y, marks, band=band)
    return _png(fig)


def _timeline(scenario: Scenario) -> str:
    doses = dose_times_by_drug(scenario, scenario.horizon_days)
    if not doses:
        return "<p>No drugs: the untreated man.</p>"
    fig, (ax,) = _figure(1, height=0.35 + 0.35 * len(doses))
    draw_dose_rug(ax, doses, infusions_by_drug(scenario, scenario.horizon_days))
    ax.set_xlim(0.0, scenario.horizon_days)
    ax.set_xlabel("time (days)")
    add_secondary_time_axis(ax, scenario.horizon_days)
    return _png(fig)


def _drug_figure(df: pd.DataFrame, scenario: Scenario) -> str:
    cols = [c for c in df.columns if c not in _NOT_DRUG]
    if not cols:
        return "<p>No drug concentrations: no drugs in the regimen.</p>"
    t = df["time_days"].to_numpy(dtype=float)
    fig, axes = _figure(len(cols), height=1.5)
    step = scenario.output_every_days
    for ax, col in zip(axes, cols, strict=True):
        ax.plot(t, df[col].to_numpy(dtype=float), color="tab:blue", linewidth=0.9)
        drug, unit = _drug_and_unit(col)
        spec = CATALOG.get(drug)
        ax.set_title(f"{spec.display_name if spec else drug} ({unit})", loc="left", fontsize=9)
        note = _FAST_CLEARING.get(drug)
        if note is not None and step > note[0]:
            ax.set_title(
                f"{note[1]}: not resolved by outputs every {step:g} d", loc="right", fontsize=7
            )
        ax.grid(alpha=0.25)
    axes[-1].set_xlabel("time (days)")
    axes[-1].set_xlim(0.0, scenario.horizon_days)
    return _png(fig)


_FAST_CLEARING: dict[str, tuple[float, str]] = {
    # drug: (output interval in days that resolves its peaks, why)
    "gonadorelin": (5.0 / 1440.0, "plasma half-life of minutes (Hurley 1987)"),
}
_UNITS = {"ng_ml": "ng/mL", "pg_ml": "pg/mL", "iu_l": "IU/L", "ng_dl": "ng/dL"}


def _drug_and_unit(column: str) -> tuple[str, str]:
    for suffix, unit in _UNITS.items():
        if column.endswith("_" + suffix):
            return column.removesuffix("_" + suffix), unit
    return column, ""


def _esc(x: object) -> str:
    return html.escape(str(x))


def _num(x: float | None, unit: str = "", digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "not reached"
    text = f"{x:.0f}" if abs(x) >= 10**digits else f"{x:.{digits}g}"
    return f"{text} {unit}".strip()


def _stop_text(day: float | None) -> str:
    return "none within the horizon" if day is None else f"day {day:g}"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], num: Sequence[int] = ()) -> str:
    out = ["<table><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in header) + "</tr>"]
    for r in rows:
        cells = [
            f'<td class="num">{_esc(v)}</td>' if i in num else f"<td>{_esc(v)}</td>"
            for i, v in enumerate(r)
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out) + "</table>"


def _regimen_table(scenario: Scenario) -> str:
    rows = []
    for line in scenario.regimen:
        spec = CATALOG[str(line.drug)]
        unit = spec.dose_unit
        if line.rate is not None:
            amount = f"infusion {line.rate / 24:g} {unit}/h"
        elif line.taper:
            amount = " -> ".join(f"{d:g}" for d in (line.dose, *line.taper)) + f" {unit}"
            amount += f" (step every {line.taper_every_days:g} d)"
        else:
            amount = f"{line.dose:g} {unit}"
        rows.append(
            (
                spec.display_name,
                amount,
                line.route,
                "once" if line.every_days is None else f"every {line.every_days:g} d",
                f"day {line.start_days:g}",
                "horizon" if line.stop_days is None else f"day {line.stop_days:g}",
            )
        )
    if not rows:
        return "<p>No regimen lines.</p>"
    return _table(("drug", "dose", "route", "interval", "from", "until (exclusive)"), rows)


def _patient_table(scenario: Scenario) -> str:
    p = scenario.patient.as_input()
    return _table(("field", "value"), [(k, "default" if v is None else v) for k, v in p.items()])


def _events_section(events: Mapping[str, Any]) -> str:
    if events["androgen_start_day"] is None:
        return "<p>No androgen in the regimen: no suppression or recovery clocks.</p>"
    sup = events["suppression"]
    rec = events["recovery"]
    rows = [
        (f"below {k} M/mL", _num(v, "d"), "first androgen dose")
        for k, v in sup["below_m_per_ml"].items()
    ]
    rows.append(
        (
            f"azoospermia (< {events['azoospermia_below_m_per_ml']:g} M/mL)",
            _num(sup["azoospermia"], "d"),
            "first androgen dose",
        )
    )
    if events["androgen_stop_day"] is not None:
        rows += [
            (f"back to >= {k} M/mL", _num(v, "d"), "first missed androgen dose")
            for k, v in rec["reach_m_per_ml"].items()
        ]
        rows += [
            (
                f"back to >= {float(k):.0%} of own baseline",
                _num(v, "d"),
                "first missed androgen dose",
            )
            for k, v in rec["reach_fraction_of_baseline"].items()
        ]
    head = (
        f"<p>First androgen dose: day {events['androgen_start_day']:g}; first missed androgen "
        f"dose: {_stop_text(events['androgen_stop_day'])}. Nadir sperm concentration "
        f"{_num(events['nadir_sperm_concentration_m_per_ml'], 'M/mL')}. Times are in days from "
        "each clock's start, read from the noise-free simulated concentration (the convention "
        "of Handelsman 2005 and Liu 2006 for the clocks).</p>"
    )
    return head + _table(("event", "time", "clock starts at"), rows, num=(1,))


def _hormone_summary(df: pd.DataFrame, scenario: Scenario) -> str:

    _, stop = androgen_window(scenario)
    t = df["time_days"].to_numpy(dtype=float)
    windows: list[tuple[str, np.ndarray]] = [("day 0 (baseline)", t <= t[0] + 1e-9)]
    if stop is not None:
        windows.append(("last 28 days on androgen", (t >= stop - 28.0) & (t < stop)))
    windows.append(("last 28 days of the simulation", t >= t[-1] - 28.0))
    rows = []
    for col in _HORMONE_COLUMNS:
        if col not in df.columns:
            continue
        ref = REFERENCE_RANGES.get(col)
        y = df[col].to_numpy(dtype=float)
        rows.append(
            (
                col,
                *(_num(float(np.mean(y[w])) if w.any() else None) for _, w in windows),
                f"{ref.low:.3g}-{ref.high:.3g} {ref.unit}" if ref else "",
            )
        )
    return _table(("output", *(n for n, _ in windows), "adult male reference"), rows)


def parameters_used(scenario: Scenario) -> tuple[list[Any], list[tuple[str, str]]]:
    """The parameters this scenario's simulation reads (the man's axis, or the groups of the
    woman's model, plus the drugs in its regimen) and the citations their sources name (key,
    reference)."""

    drugs = {str(line.drug) for line in scenario.regimen}
    female = scenario.patient.sex == "female"
    params = [
        p
        for p in PARAMETERS
        if (p.group.startswith("drug:") and p.group.removeprefix("drug:") in drugs)
        or (not p.group.startswith("drug:") and female and p.group in woman.PARAMETER_GROUPS)
        or (not p.group.startswith("drug:") and not female and p.group != "woman")
    ]
    keys = {key for p in params for key in p.refs}
    cites = [(k, v) for k, v in CITATIONS.items() if k in keys]
    return params, cites


def _parameters_section(scenario: Scenario) -> str:
    params, cites = parameters_used(scenario)
    replaced = scenario.parameter_overrides

    def source(p: Any) -> str:
        own = f"calibrated to {p.calibrated_to}" if p.calibrated_to else p.source
        if p.name in replaced:
            return f"SET FOR THIS SCENARIO (table value {p.value:.4g}; {own})"
        return str(own)

    rows = [
        (p.name, f"{replaced.get(p.name, p.value):.4g}", p.unit, p.meaning, source(p))
        for p in params
    ]
    return (
        (
            "<p><strong>Parameters set for this scenario</strong> (not the table's values): "
            + ", ".join(f"{k} = {v:.4g}" for k, v in replaced.items())
            + "</p>"
            if replaced
            else ""
        )
        + f"<details><summary>{len(params)} parameters (value, unit, meaning, source)</summary>"
        + _table(("name", "value", "unit", "meaning", "source or calibration target"), rows, (1,))
        + "</details>"
        + f"<h3>Citations ({len(cites)})</h3><ul>"
        + "".join(f"<li><strong>{_esc(k)}</strong>: {_esc(v)}</li>" for k, v in cites)
        + "</ul>"
    )


def _probability(r: Mapping[str, Any], month: str) -> str:
    """'44% (38-51%)': a Kaplan-Meier probability with its 95 % interval, or why there is none."""
    p = r["probability_by_month"].get(month)
    if p is None:
        return "beyond follow-up"
    ci = (r.get("probability_ci95_by_month") or {}).get(month)
    band = "" if ci is None else f" ({100 * ci[0]:.0f}-{100 * ci[1]:.0f}%)"
    return f"{100 * p:.0f}%{band}"


SUMMARY_THRESHOLDS = ("15", "20")
"""Sperm concentrations (M/mL) the report's summary box answers for: the article's 15 and the
WHO 1990 trials' 20."""

SUMMARY_MONTHS = ("3", "6", "12", "24")


def _summary_box(
    scenario: Scenario, events: Mapping[str, Any], trial: Mapping[str, Any] | None
) -> str:
    """The report's first screen: when this man's sperm come back and, with a trial, how
    likely recovery is by 3, 6, 12 and 24 months, with what each number means (issue #21)."""
    stop = events.get("androgen_stop_day")
    if stop is None:
        return (
            '<div class="summary"><h2 id="summary">At a glance</h2><p>No androgen is stopped '
            "in this regimen, so there is no recovery clock; see the hormone and sperm panels "
            "below.</p></div>"
        )
    reach = events["recovery"]["reach_m_per_ml"]
    follow = scenario.horizon_days - stop
    parts = []
    for thr in SUMMARY_THRESHOLDS:
        days = reach.get(thr)
        if days is None:
            parts.append(
                f"&gt;= {thr} M/mL: not reached within the {follow:g} days "
                f"({follow / DAYS_PER_MONTH:.1f} months) simulated after the stop"
            )
        else:
            parts.append(f"&gt;= {thr} M/mL: {days:.0f} days ({days / DAYS_PER_MONTH:.1f} months)")
    man = (
        f"<p><strong>One simulated man</strong> (the typical man with the covariates in the "
        f"scenario, noise-free) after the first missed androgen dose (day {stop:g}): "
        + "; ".join(parts)
        + ".</p>"
    )
    cohort = ""
    if trial is not None:
        rec = trial["summary"].get("recovery") or {}
        rows = [
            (f">= {thr} M/mL", *(_probability(rec[thr], m) for m in SUMMARY_MONTHS))
            for thr in SUMMARY_THRESHOLDS
            if thr in rec
        ]
        summary = trial["summary"]
        cohort = (
            f"<p><strong>A virtual cohort</strong> of {summary['n']} men of "
            f"<code>{_esc(summary['population'])}</code> on the same regimen: probability "
            "of being back by each month after the first missed dose (Kaplan-Meier, 95 % "
            "interval in brackets; semen analysed on a schedule, with assay noise).</p>"
            + _table(("recovery to", *(f"by {m} months" for m in SUMMARY_MONTHS)), rows)
            + '<p class="small">The typical man and the cohort differ: men vary in how fast '
            "they suppress and recover, so the cohort's median is not the typical man's time, "
            "and a probability from a few hundred men carries the interval shown.</p>"
        )
    return (
        '<div class="summary"><h2 id="summary">At a glance</h2>'
        + man
        + cohort
        + '<p class="small">Simulation for research and education; not a prediction for a '
        "patient and not medical advice.</p></div>"
    )


def _trial_section(trial: Mapping[str, Any]) -> str:
    summary = trial["summary"]
    rec = summary.get("recovery") or {}
    rows = []
    for thr, r in rec.items():
        probs = r["probability_by_month"]
        rows.append(
            (
                f">= {thr} M/mL",
                r["n_at_risk"],
                _num(r["median_months"], "mo"),
                *(_probability(r, m) for m in probs),
            )
        )
    months = list(next(iter(rec.values()))["probability_by_month"]) if rec else []
    head = (
        f"<p>{summary['n']} men of <code>{_esc(summary['population'])}</code>, seed "
        f"{summary['seed']}, semen analysed every {trial['sampling_every_days']:g} days with "
        "assay variability; Kaplan-Meier (lifelines) from the first missed androgen dose, "
        f"among the men with a sample below {RECOVERY_AT_RISK_BELOW:g} M/mL at or after it, "
        "the same men for every threshold (a man who never fell below a lower threshold is "
        "back at it on day 0).</p>"
    )
    table = (
        _table(
            ("recovery to", "men at risk", "median", *(f"by {m} mo" for m in months)),
            rows,
            num=tuple(range(1, 3 + len(months))),
        )
        if rows
        else "<p>No androgen stop in this regimen: no recovery clocks.</p>"
    )
    return head + table + trial.get("km_html", "")


def _gaps_section(scenario: Scenario) -> str:
    """The validation suite's known gaps for the drugs this regimen gives, next to the numbers
    they qualify (issue #21)."""
    notes = known_gaps_for(scenario.drugs_present(), scenario.patient.sex)
    if not notes:
        return (
            "<p>No known gap of the validation suite involves the drugs of this regimen "
            "(the full table: docs/validation.md, <code>hpgsim validate</code>).</p>"
        )
    rows = [(n.study, n.measure, n.published, n.reason) for n in notes]
    return (
        "<p>Where the model is known to miss a published result for a drug of this regimen; "
        "read the numbers above with these in mind (the full table: docs/validation.md).</p>"
        + _table(("study", "measure", "published", "known gap (simulated value, reason)"), rows)
    )


def _page(
    scenario: Scenario, version: str, summary: str, sections: Sequence[tuple[str, str, str]]
) -> str:
    """A report page around its first-screen ``summary`` and its (anchor, title, content)
    ``sections``: one HTML string with no external resources, the disclaimer above and below."""
    nav = "".join(f'<a href="#{k}">{_esc(title.split(":")[0])}</a>' for k, title, _ in sections)
    body = "".join(f'<h2 id="{k}">{_esc(title)}</h2>{content}' for k, title, content in sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>hpgsim report: {_esc(scenario.name)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_CSS}</style></head><body>"
        f"<h1>hpgsim report: {_esc(scenario.name)}</h1>"
        f'<p class="small">hpgsim {_esc(version)}; horizon {scenario.horizon_days:g} days, '
        f"outputs every {scenario.output_every_days:g} days.</p>"
        f'<p class="disclaimer">{DISCLAIMER_HTML}</p>' + summary + f"<nav>{nav}</nav>{body}"
        f'<hr><p class="disclaimer">{DISCLAIMER_HTML}</p></body></html>'
    )


def render_report(
    scenario: Scenario,
    table: pd.DataFrame,
    *,
    events: Mapping[str, Any],
    trial: Mapping[str, Any] | None = None,
    version: str = "",
    band: PopulationBand | None = None,
) -> str:
    """The report page as one HTML string (no external resources). ``band``: optionally the
    population band of men with the scenario's covariates, shaded in the hormone and sperm
    figures."""
    sperm = [p for p in PANELS if p.column == "sperm_concentration_m_per_ml"]
    hormones = [p for p in PANELS if p.column in _HORMONE_COLUMNS]
    who = "; ".join(f"{lim.label}: {lim.source}" for lim in SPERM_CONCENTRATION_LIMITS)
    ranges = "; ".join(f"{col}: {r.source}" for col, r in REFERENCE_RANGES.items())
    sections = [
        (
            "regimen",
            "The man and the regimen",
            _patient_table(scenario) + _regimen_table(scenario) + _timeline(scenario),
        ),
        (
            "hormones",
            "Hormones against adult male reference ranges",
            _hormone_summary(table, scenario)
            + _panels_figure(table, scenario, hormones, band)
            + f'<p class="small">Reference ranges: {_esc(ranges)}</p>'
            + "<details><summary>SHBG, inhibin B, intratesticular testosterone</summary>"
            + _panels_figure(table, scenario, _OTHER_HORMONES)
            + "</details>",
        ),
        (
            "sperm",
            "Sperm concentration against the WHO lower reference limits",
            _panels_figure(table, scenario, [*sperm, *_TESTIS], band)
            + _recovery_figure(table, scenario, band)
            + f'<p class="small">{_esc(who)}</p>',
        ),
        ("events", "Suppression and recovery events", _events_section(events)),
        ("gaps", "Known gaps for the drugs in this regimen", _gaps_section(scenario)),
        ("drugs", "Drug levels", _drug_figure(table, scenario)),
    ]
    if trial is not None:
        sections.append(("trial", "Virtual trial: probability of recovery", _trial_section(trial)))
    sections.append(("parameters", "Parameters and citations used", _parameters_section(scenario)))
    return _page(scenario, version, _summary_box(scenario, events, trial), sections)


def _woman_summary_box(flags: Sequence[Flag]) -> str:
    """A woman's first screen: what her flags say of her simulated course."""
    evaluable = [f for f in flags if f.evaluable]
    if not evaluable:
        lines = (
            "<p>No testosterone product or aromatase inhibitor is given, so no flag applies; "
            "her untreated hormones are in the table below.</p>"
        )
    else:
        lines = "".join(
            f"<p><strong>{_esc(f.title)}</strong> ({'fired' if f.fired else 'not fired'}): "
            f"{_esc(f.wording)}</p>"
            for f in evaluable
        )
    return (
        '<div class="summary"><h2 id="summary">At a glance</h2><p><strong>One simulated '
        "post-menopausal woman</strong> (the typical woman with the covariates in the "
        "scenario, noise-free).</p>"
        + lines
        + '<p class="small">Simulation for research and education; not a prediction for a '
        "patient and not medical advice.</p></div>"
    )


def _woman_hormone_summary(df: pd.DataFrame) -> str:
    """Her hormones untreated and over the last 28 days (mean and peak), against her ranges."""
    t = df["time_days"].to_numpy(dtype=float)
    base, last = t <= t[0] + 1e-9, t >= t[-1] - 28.0
    rows = []
    for col in woman.HORMONE_COLUMNS:
        ref = reference_ranges("female").get(col)
        y = df[col].to_numpy(dtype=float)
        rows.append(
            (
                col,
                _num(float(y[base].mean())),
                _num(float(y[last].mean())),
                _num(float(y[last].max())),
                f"{ref.low:.3g}-{ref.high:.3g} {ref.unit} ({ref.population})" if ref else "",
            )
        )
    header = ("output", "day 0 (untreated)", "last 28 days, mean", "last 28 days, peak")
    return _table((*header, "female reference"), rows)


def _flags_section(flags: Sequence[Flag]) -> str:
    rows = [
        (
            f.id,
            "fired" if f.fired else ("not fired" if f.evaluable else "does not apply"),
            f.trigger,
            f.wording,
            "; ".join(f.publication),
        )
        for f in flags
    ]
    return _table(("flag", "status", "rule", "what the simulation shows", "source"), rows)


def render_woman_report(
    scenario: Scenario, table: pd.DataFrame, *, flags: Sequence[Flag], version: str = ""
) -> str:
    """A post-menopausal woman's report page as one HTML string (no external resources): her
    flags first, her hormones against female reference ranges, her drug levels, the known gaps
    of the women's studies for her drugs, the parameters and citations her model reads."""
    female = reference_ranges("female")
    hormones = [p for p in WOMAN_PANELS if p.column in table.columns]
    ranges = "; ".join(f"{col}: {r.source}" for col, r in female.items())
    sections = [
        (
            "regimen",
            "The woman and the regimen",
            _patient_table(scenario) + _regimen_table(scenario) + _timeline(scenario),
        ),
        (
            "hormones",
            "Hormones against female reference ranges",
            _woman_hormone_summary(table)
            + _panels_figure(table, scenario, hormones)
            + f'<p class="small">Reference ranges: {_esc(ranges)}. Progesterone is serum '
            "progesterone as LC-MS/MS measures it; after oral dosing, immunoassays read about "
            "eight times higher (Levine &amp; Watson 2000).</p>",
        ),
        ("flags", "Flags", _flags_section(flags)),
        ("gaps", "Known gaps for the drugs in this regimen", _gaps_section(scenario)),
        ("drugs", "Drug levels", _drug_figure(table, scenario)),
        ("parameters", "Parameters and citations used", _parameters_section(scenario)),
    ]
    return _page(scenario, version, _woman_summary_box(flags), sections)


def km_html(rows: pd.DataFrame, design: Any) -> str:
    """The trial's Kaplan-Meier figure (:func:`hpgsim.output.trial_plots.plot_recovery`) as an
    embedded image."""

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "km.png"
        plot_recovery(rows, design, path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="Kaplan-Meier recovery" src="data:image/png;base64,{data}">'
