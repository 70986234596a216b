"""Regimen lines -> dosing input arrays for the batched engine.

Each regimen line becomes one or more *dose lines*: the state a dose adds to, the amount per
dose in that state's unit, and its schedule on the engine's time grid (first step, steps between
doses, number of doses). A tapered line gives one dose line per taper step; clomiphene citrate
and the leuprolide depot split each dose over two states; a continuous infusion is two jumps of
a rate state (up by the rate at its start, down at its end), a zero-order input that the engine
propagates exactly. Lines are padded to a common count so patients with different regimens
share one solve.

Grid: the engine steps ``h`` (at most one hour), refined ``m``-fold (to at most 2.5 minutes)
around fast events: doses of fast drugs (gonadorelin, leuprolide, anastrozole), the first dose
of sharp-onset drugs (clomiphene, enclomiphene) and any dose that falls between coarse steps.
Dose times are whole numbers of fine steps; a time the grid cannot hold is an error, never
moved silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hpgsim.model.axis import IDX
from hpgsim.model.drugs import WIRING
from hpgsim.scenario import Problem, RegimenLine, Scenario, ScenarioError

__all__ = [
    "FINE_STEP_DAYS",
    "DoseLines",
    "dose_lines",
    "fine_factor",
    "refine_mask",
    "stack_dose_lines",
]

FINE_STEP_DAYS = 2.5 / 1440.0
"""Longest fine step (2.5 min): resolves a subcutaneous gonadorelin pulse (absorption t1/2 24 min,
plasma t1/2 ~4 min) and the LH it releases (peak 20-30 min later)."""


_DEPOT_SCALE = {("mg", "ug"): 1000.0}  # dose unit -> depot unit, where they differ


@dataclass(frozen=True)
class DoseLines:
    """Dose lines of one or many patients (leading axis = patient when stacked).

    Attributes:
        state: index of the state each line adds to.
        amount: amount per dose in that state's unit (nmol testosterone, mg, ug, IU, or
            ug/day for an infusion-rate jump).
        start: fine grid step of the first dose.
        every: fine grid steps between doses (>= 1; 1 with ``count`` 1 for a single dose).
        count: number of doses (0 for a padding line).
        fast: coarse steps to refine after each dose of the line (0: none; for the start of an
            infusion of a fast drug, its whole duration plus the usual window).
        onset: coarse steps to refine after the line's first dose (0: none).
    """

    state: npt.NDArray[np.int32]
    amount: npt.NDArray[np.float64]
    start: npt.NDArray[np.int64]
    every: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    fast: npt.NDArray[np.int64]
    onset: npt.NDArray[np.int64]


def dose_targets(line: RegimenLine, p: dict[str, Any]) -> list[tuple[int, float]]:
    """(state index, amount per unit of dose) for each state a dose of ``line`` adds to.

    Testosterone products: nmol of testosterone per mg of drug (mass fraction x 1e6 / molar
    mass x fraction absorbed by the route); other drugs: depot units per dose unit times the
    route's bioavailability and the split fraction. An infusion line targets the drug's
    infusion-rate state (its amounts are rates, per day).
    """
    w = WIRING[line.drug]
    scale = 1.0
    if w.depot_unit == "nmol_testosterone":
        fraction = 1.0 if w.testosterone_fraction is None else float(p[w.testosterone_fraction])
        scale = fraction * 1e6 / float(p["mw_T"])
    else:
        scale = _DEPOT_SCALE.get((line.spec.dose_unit, w.depot_unit), 1.0)
    f_route = w.route_bioavailability.get(line.route)
    if f_route is not None:
        scale *= float(p[f_route])
    if line.is_infusion:
        if w.infusion_state is None:  # the scenario layer refuses this; guard the engine too
            raise ValueError(f"{line.drug} has no infusion input")
        return [(IDX[w.infusion_state], scale)]
    return [
        (IDX[state], scale * (1.0 if frac is None else float(p[frac])))
        for state, frac in w.targets(line.route)
    ]


def _steps(value_days: float, h: float) -> int | None:
    """``value_days / h`` if it is a whole number of steps (to 1e-6), else None."""
    steps = value_days / h
    return round(steps) if abs(steps - round(steps)) < 1e-6 else None


def _line_events(line: RegimenLine, horizon: float) -> list[tuple[npt.NDArray[np.float64], float]]:
    """(times, dose amount in dose units) segments of one line; an infusion gives a +rate jump
    at its start and a -rate jump at its end (if before the horizon)."""
    window = line.infusion_window(horizon)
    if line.rate is not None:
        if window is None:
            return []
        start, end = window
        out = [(np.array([start]), line.rate)]
        if end < horizon - 1e-9:
            out.append((np.array([end]), -line.rate))
        return out
    return line.dose_schedule(horizon)


def fine_factor(scenario: Scenario, h: float) -> int:
    """Refinement factor ``m`` of the coarse step ``h`` (days) for this scenario: 1 when every
    dose is on the coarse grid and no drug is fast or has a sharp onset, else the smallest m
    with h/m <= 2.5 min."""
    needs = False
    for line in scenario.regimen:
        for times, _ in _line_events(line, scenario.horizon_days):
            if len(times) == 0:
                continue
            if WIRING[line.drug].fast or WIRING[line.drug].sharp_onset:
                needs = True
            if any(_steps(float(t), h) is None for t in (times[0], *times[1:2])):
                needs = True
    return max(1, math.ceil(h / FINE_STEP_DAYS - 1e-9)) if needs else 1


def dose_lines(scenario: Scenario, p: dict[str, Any], h: float, m: int = 1) -> DoseLines:
    """Dose lines of one scenario on the fine grid of step ``h / m`` days.

    Raises :class:`ScenarioError` for a dose time the grid cannot hold exactly (never moves a
    dose silently).
    """
    hf = h / m
    rows = []
    problems = []
    for i, line in enumerate(scenario.regimen):
        w = WIRING[line.drug]
        window = math.ceil(w.refine_hours / 24.0 / h - 1e-9)  # coarse steps
        fast = window if w.fast else 0
        onset = window if w.sharp_onset else 0
        span = line.infusion_window(scenario.horizon_days)
        for times, dose in _line_events(line, scenario.horizon_days):
            if span is not None and dose > 0 and w.fast:
                # a fast drug infused holds its receptor occupied: refine the whole infusion
                fast = math.ceil((span[1] - span[0]) / h - 1e-9) + window
            if len(times) == 0:
                continue
            start = _steps(float(times[0]), hf)
            gap = float(times[1] - times[0]) if len(times) > 1 else None
            every = _steps(gap, hf) if gap is not None else 1
            allowed = (
                f"the engine's finest time step here is {hf * 1440:g} min: dose times must be "
                "whole multiples of it"
            )
            key = "stop" if dose < 0 else "start"
            if start is None:
                problems.append(Problem(f"regimen[{i}].{key}", f"{times[0]:g} d", allowed))
            if every is None:
                problems.append(Problem(f"regimen[{i}].every", f"{gap:g} d", allowed))
            if start is None or every is None:
                continue
            for state, per_unit in dose_targets(line, p):
                rows.append((state, dose * per_unit, start, max(every, 1), len(times), fast, onset))
    if problems:
        raise ScenarioError(problems, scenario.name)
    if not rows:
        rows.append((0, 0.0, 0, 1, 0, 0, 0))
    arr = list(zip(*rows, strict=True))
    return DoseLines(
        state=np.asarray(arr[0], np.int32),
        amount=np.asarray(arr[1], np.float64),
        start=np.asarray(arr[2], np.int64),
        every=np.asarray(arr[3], np.int64),
        count=np.asarray(arr[4], np.int64),
        fast=np.asarray(arr[5], np.int64),
        onset=np.asarray(arr[6], np.int64),
    )


def refine_mask(doses: DoseLines, m: int, n_coarse: int) -> npt.NDArray[np.bool_]:
    """Coarse steps to take as ``m`` fine steps: those holding a dose off the coarse grid, the
    window after every dose of a fast line (for an infusion, its whole duration), and the
    window after the first dose of a sharp-onset line (windows in coarse steps, in
    :class:`DoseLines`). Shared by the whole batch."""
    mask = np.zeros(n_coarse, dtype=bool)
    if m == 1:
        return mask
    fields = ("start", "every", "count", "fast", "onset")
    cols = [np.ravel(getattr(doses, f)).astype(np.int64) for f in fields]
    lines = np.unique(np.stack(cols, axis=1), axis=0)
    for start, every, count, fast, onset in lines:
        if count == 0:
            continue
        fine = start + every * np.arange(count, dtype=np.int64)
        coarse = fine // m
        hit = [coarse[fine % m != 0]]
        if fast:
            hit.append((coarse[:, None] + np.arange(fast + 1)[None, :]).ravel())
        if onset:
            hit.append(coarse[0] + np.arange(onset + 1))
        steps = np.concatenate(hit)
        mask[steps[steps < n_coarse]] = True
    return mask


def stack_dose_lines(lines: list[DoseLines]) -> DoseLines:
    """Pad each patient's lines to the same count and stack them (patient axis first)."""
    width = max(len(d.state) for d in lines)

    def pad(a: npt.NDArray[Any], fill: Any) -> npt.NDArray[Any]:
        return np.concatenate([a, np.full(width - len(a), fill, dtype=a.dtype)])

    return DoseLines(
        state=np.stack([pad(d.state, 0) for d in lines]),
        amount=np.stack([pad(d.amount, 0.0) for d in lines]),
        start=np.stack([pad(d.start, 0) for d in lines]),
        every=np.stack([pad(d.every, 1) for d in lines]),
        count=np.stack([pad(d.count, 0) for d in lines]),
        fast=np.stack([pad(d.fast, 0) for d in lines]),
        onset=np.stack([pad(d.onset, 0) for d in lines]),
    )


def exact_dose_events(scenario: Scenario, p: dict[str, Any]) -> list[tuple[float, int, float]]:
    """(time in days, state index, amount) of every dose and infusion-rate jump, sorted by
    time (reference engine)."""
    events = []
    for line in scenario.regimen:
        targets = dose_targets(line, p)
        for times, dose in _line_events(line, scenario.horizon_days):
            events += [
                (float(t), state, dose * per_unit) for t in times for state, per_unit in targets
            ]
    return sorted(events)
