"""Regimen lines -> dosing input arrays for the batched engine.

Each regimen line becomes one or more *dose lines*: the state a dose adds to, the amount per
dose in that state's unit, and its schedule on the engine's time grid (first step, steps between
doses, number of doses). A tapered line gives one dose line per taper step; clomiphene citrate
and the leuprolide depot split each dose over two states; a continuous infusion is two jumps of
a rate state (up by the rate at its start, down at its end), a zero-order input that the engine
propagates exactly. Lines are padded to a common count so patients with different regimens
share one solve.

Time is counted in ticks of :data:`TICK_DAYS` (1.25 minutes), the engine's finest step: dose
times are whole numbers of ticks (scenario times are whole multiples of 2.5 min, two ticks); a
time the grid cannot hold is an error, never moved silently. Each line also says where the
engine's step schedule must be fine after its doses (:mod:`hpgsim.engine.schedule`): a window
of one-tick steps after each dose of a fast drug
(gonadorelin, leuprolide) or after the first dose of a sharp-onset drug (clomiphene,
enclomiphene), or a short ladder of minute steps after each dose of a drug whose absorption
switches its effect on within the hour (anastrozole).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hpgsim.model.axis import IDX
from hpgsim.model.drugs import WIRING
from hpgsim.scenario import (
    TIME_RESOLUTION_DAYS,
    Problem,
    RegimenLine,
    Scenario,
    ScenarioError,
)

__all__ = [
    "TICK_DAYS",
    "DoseLines",
    "dose_lines",
    "stack_dose_lines",
]

TICK_DAYS = TIME_RESOLUTION_DAYS / 2.0
"""The engine's finest step and unit of time, days (1.25 min, half the scenario layer's
:data:`hpgsim.scenario.TIME_RESOLUTION_DAYS`): resolves a subcutaneous gonadorelin pulse
(absorption t1/2 24 min, plasma t1/2 ~4 min) and the LH it releases (peak 20-30 min later).
Halved from 2.5 min for issue #19's refit: the pulse's first hour then had a 1.2 % error in
intratesticular T against the reference (0.4 % now, with gonadorelin's 12-h window)."""

_TICKS_PER_HOUR = round(1.0 / 24.0 / TICK_DAYS)
_TICKS_PER_RESOLUTION = round(TIME_RESOLUTION_DAYS / TICK_DAYS)


_DEPOT_SCALE = {("mg", "ug"): 1000.0}  # dose unit -> depot unit, where they differ


@dataclass(frozen=True)
class DoseLines:
    """Dose lines of one or many patients (leading axis = patient when stacked).

    Attributes:
        state: index of the state each line adds to.
        amount: amount per dose in that state's unit (nmol testosterone, mg, ug, IU, or
            ug/day for an infusion-rate jump).
        start: tick of the first dose.
        every: ticks between doses (>= 1; 1 with ``count`` 1 for a single dose).
        count: number of doses (0 for a padding line).
        fast: ticks of one-tick steps after each dose of the line (0: none; for the start of
            an infusion of a fast drug, its whole duration plus the usual window).
        onset: ticks of one-tick steps after the line's first dose (0: none).
        ladder: whether each dose of the line is followed by the absorption ladder of short
            steps (:data:`hpgsim.engine.schedule.LADDER_TICKS`).
    """

    state: npt.NDArray[np.int32]
    amount: npt.NDArray[np.float64]
    start: npt.NDArray[np.int64]
    every: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    fast: npt.NDArray[np.int64]
    onset: npt.NDArray[np.int64]
    ladder: npt.NDArray[np.bool_]


def dose_targets(
    line: RegimenLine, p: Mapping[str, Any], index: Mapping[str, int] = IDX
) -> list[tuple[int, float]]:
    """(state index, amount per unit of dose) for each state a dose of ``line`` adds to, in the
    layout ``index`` names (the man's, by default; the woman's: ``hpgsim.model.woman``).

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
        return [(index[w.infusion_state], scale)]
    return [
        (index[state], scale * (1.0 if frac is None else float(p[frac])))
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


def dose_lines(scenario: Scenario, p: dict[str, Any]) -> DoseLines:
    """Dose lines of one scenario, times in ticks (:data:`TICK_DAYS`).

    Raises :class:`ScenarioError` for a dose time the grid cannot hold exactly (never moves a
    dose silently).
    """
    hf, res = TICK_DAYS, TIME_RESOLUTION_DAYS
    rows = []
    problems = []
    for i, line in enumerate(scenario.regimen):
        w = WIRING[line.drug]
        window = math.ceil(w.refine_hours * _TICKS_PER_HOUR - 1e-9)  # ticks
        fast = window if w.fast else 0
        onset = window if w.sharp_onset else 0
        ladder = w.absorption_ladder
        span = line.infusion_window(scenario.horizon_days)
        for times, dose in _line_events(line, scenario.horizon_days):
            if span is not None and dose > 0 and w.fast:
                # a fast drug infused holds its receptor occupied: refine the whole infusion
                fast = math.ceil((span[1] - span[0]) / hf - 1e-9) + window
            if len(times) == 0:
                continue
            # dose times are checked on the scenario's resolution (2.5 min), then counted in
            # ticks (two per 2.5 min)
            start = _steps(float(times[0]), res)
            gap = float(times[1] - times[0]) if len(times) > 1 else None
            every = _steps(gap, res) if gap is not None else 1
            allowed = (
                f"the time resolution here is {res * 1440:g} min: dose times must be whole "
                "multiples of it"
            )
            key = "stop" if dose < 0 else "start"
            if start is None:
                problems.append(Problem(f"regimen[{i}].{key}", f"{times[0]:g} d", allowed))
            if every is None:
                problems.append(Problem(f"regimen[{i}].every", f"{gap:g} d", allowed))
            if start is None or every is None:
                continue
            start, every = start * _TICKS_PER_RESOLUTION, every * _TICKS_PER_RESOLUTION
            for state, per_unit in dose_targets(line, p):
                rows.append(
                    (state, dose * per_unit, start, max(every, 1), len(times), fast, onset, ladder)
                )
    if problems:
        raise ScenarioError(problems, scenario.name)
    if not rows:
        rows.append((0, 0.0, 0, 1, 0, 0, 0, False))
    arr = list(zip(*rows, strict=True))
    return DoseLines(
        state=np.asarray(arr[0], np.int32),
        amount=np.asarray(arr[1], np.float64),
        start=np.asarray(arr[2], np.int64),
        every=np.asarray(arr[3], np.int64),
        count=np.asarray(arr[4], np.int64),
        fast=np.asarray(arr[5], np.int64),
        onset=np.asarray(arr[6], np.int64),
        ladder=np.asarray(arr[7], np.bool_),
    )


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
        ladder=np.stack([pad(d.ladder, False) for d in lines]),
    )


def exact_dose_events(
    scenario: Scenario, p: Mapping[str, Any], index: Mapping[str, int] = IDX
) -> list[tuple[float, int, float]]:
    """(time in days, state index in the layout ``index`` names, amount) of every dose and
    infusion-rate jump, sorted by time (the reference engine; the woman's engine)."""
    events = []
    for line in scenario.regimen:
        targets = dose_targets(line, p, index)
        for times, dose in _line_events(line, scenario.horizon_days):
            events += [
                (float(t), state, dose * per_unit) for t in times for state, per_unit in targets
            ]
    return sorted(events)
