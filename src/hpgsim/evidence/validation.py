"""Validation runs: every target of the evidence registry (:mod:`hpgsim.evidence.registry`)
simulated, measured and tabulated against its published values.

A :class:`ValidationTarget` holds the citation, the study population, the regimen as scenarios,
the observable, each published value with its spread, the tolerance with its reason, and how the
target was used:

- ``calibrated``: a calibration target (:mod:`hpgsim.evidence.calibration`);
  ``scripts/calibrate.py`` fits parameters to it.
- ``reported``: from the same publications as the calibration targets (or the design's target
  list) but never in the fit's cost; reported as it falls.
- ``held_out``: a published result from a source the calibration never saw
  (:mod:`hpgsim.evidence.studies.held_out`); nobody tunes against it.

Single-man targets simulate one typical man per scenario (``--fast`` runs only these);
population targets run a virtual trial (:mod:`hpgsim.population.trial`) and compare its summary.

Measures the model's structure cannot reach yet are named in their study's record
(``known_gaps``, collected in :data:`hpgsim.evidence.registry.KNOWN_GAPS`) with their reason:
``hpgsim validate`` reports them as "known gap" and fails only on a measure that is expected to
pass and does not. The test suite marks the same measures strict-xfail, so a gap that closes
turns red until its entry is removed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from hpgsim.evidence.calibration import evaluate_targets
from hpgsim.evidence.records import (
    Measure,
    MeasureResult,
    PopulationResult,
    Use,
    ValidationTarget,
    acceptance_interval,
)
from hpgsim.evidence.registry import registry, select

__all__ = [
    "MeasureResult",
    "Use",
    "ValidationTarget",
    "acceptance_interval",
    "registry",
    "run_validation",
    "select",
]


def _status(t: ValidationTarget, m: Measure, simulated: float) -> tuple[str, str]:
    gap = t.known_gaps.get(m.label, "")
    ok = math.isfinite(simulated) and m.passes(simulated)
    if gap:
        return ("unexpected pass" if ok else "known gap"), gap
    return ("pass" if ok else "FAIL"), ""


def _rows(t: ValidationTarget, values: Mapping[str, float]) -> list[MeasureResult]:
    out = []
    for m in t.measures:
        sim = float(values.get(m.label, float("nan")))
        lo, hi = acceptance_interval(m)
        status, gap = _status(t, m, sim)
        out.append(
            MeasureResult(
                target=t.id,
                measure=m.label,
                use=str(t.use),
                kind=t.kind,
                published=float(m.published),
                simulated=sim,
                low=lo,
                high=hi,
                unit=m.unit.strip(),
                status=status,
                citation=t.citation,
                tolerance_reason=t.tolerance_reason,
                known_gap_reason=gap,
            )
        )
    return out


@dataclass
class ValidationRun:
    """Results of :func:`run_validation`: the table rows, and what the plots need."""

    results: list[MeasureResult]
    tables: dict[str, list[pd.DataFrame]]
    population: dict[str, PopulationResult]
    values: dict[str, dict[str, float]]

    @property
    def failed(self) -> list[MeasureResult]:
        """Measures expected to pass that did not."""
        return [r for r in self.results if r.status == "FAIL"]


def run_validation(
    targets: Sequence[ValidationTarget],
    *,
    n: int | None = None,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> ValidationRun:
    """Simulate the targets (single-man ones in one batched pass per horizon; population ones
    as trials of ``n`` men, default each target's ``default_n``) and compare them."""
    single = [t for t in targets if t.kind == "single"]
    values: dict[str, dict[str, float]] = {}
    tables: dict[str, list[pd.DataFrame]] = {}
    if single:
        if progress:
            progress(f"{len(single)} single-man targets")
        cal = [t.target for t in single if t.target is not None]
        values.update(evaluate_targets(cal, frames_out=tables))
    population: dict[str, PopulationResult] = {}
    for t in targets:
        if t.kind != "population":
            continue
        assert t.population_run is not None
        if progress:
            progress(f"trial {t.id} (n {n or t.default_n})")
        res = t.population_run(n or t.default_n, seed)
        population[t.id] = res
        values[t.id] = res.values
    results = [r for t in targets for r in _rows(t, values.get(t.id, {}))]
    return ValidationRun(results=results, tables=tables, population=population, values=values)


def results_frame(run: ValidationRun) -> pd.DataFrame:
    """The validation table as a DataFrame (one row per measure)."""
    return pd.DataFrame([r.as_dict() for r in run.results])


def status_counts(run: ValidationRun) -> dict[str, int]:
    """How many measures have each status."""
    counts: dict[str, int] = {}
    for r in run.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def markdown_table(run: ValidationRun, registry: Sequence[ValidationTarget]) -> str:
    """The validation table in Markdown, grouped by target, with citations and reasons."""
    by_id = {t.id: t for t in registry}
    lines = [
        "| Target | Use | Measure | Published | Simulated | Accepted | Status |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in run.results:
        unit = f" {r.unit}" if r.unit else ""
        status = r.status if not r.known_gap_reason else f"{r.status}: {r.known_gap_reason}"
        lines.append(
            f"| `{r.target}` | {r.use} | {r.measure} | {_fmt(r.published)}{unit} | "
            f"{_fmt(r.simulated)}{unit} | {_fmt(r.low)}-{_fmt(r.high)} | {status} |"
        )
    lines += ["", "### Targets", ""]
    for tid in dict.fromkeys(r.target for r in run.results):
        t = by_id[tid]
        lines.append(
            f"- **`{t.id}`** ({t.use}, {t.kind}): {t.title}. *Source:* {t.citation}. "
            f"*Population:* {t.population}. *Observable:* {t.observable}. "
            f"*Published spread:* {t.spread}. *Tolerance:* {t.tolerance_reason}."
        )
    return "\n".join(lines) + "\n"
