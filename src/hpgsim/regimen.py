"""Regimen lines -> dosing input arrays for the batched engine.

Each regimen line becomes one *dose line*: the state it adds to, the amount per dose in that
state's unit, and its schedule on the engine's time grid (first step, steps between doses, number
of doses). Lines are padded to a common count so patients with different regimens share one
solve. Dose times are placed on the grid (``round(t / h)``); with the default one-hour grid every
scenario time given in whole hours is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hpgsim.drugs.wiring import WIRING
from hpgsim.model.axis import IDX
from hpgsim.scenario import Problem, RegimenLine, Scenario, ScenarioError

__all__ = ["DoseLines", "dose_lines", "stack_dose_lines"]


@dataclass(frozen=True)
class DoseLines:
    """Dose lines of one or many patients (leading axis = patient when stacked).

    Attributes:
        state: index of the state each line adds to.
        amount: amount per dose in that state's unit (nmol testosterone, or mg anastrozole).
        start: grid step of the first dose.
        every: grid steps between doses (>= 1; 1 with ``count`` 1 for a single dose).
        count: number of doses (0 for a padding line).
    """

    state: npt.NDArray[np.int32]
    amount: npt.NDArray[np.float64]
    start: npt.NDArray[np.int64]
    every: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]


def dose_amount(line: RegimenLine, p: dict[str, Any]) -> tuple[int, float]:
    """(state index, amount per dose) for one regimen line, with route bioavailability.

    Testosterone products: nmol of testosterone (mg of drug x testosterone mass fraction x
    1e6 / molar mass x fraction absorbed by the route); other drugs: mg.
    """
    w = WIRING[line.drug]
    amount = float(line.dose)
    if w.depot_unit == "nmol_testosterone":
        fraction = 1.0 if w.testosterone_fraction is None else float(p[w.testosterone_fraction])
        amount *= fraction * 1e6 / float(p["mw_T"])  # mg of drug -> nmol of testosterone
    f_route = w.route_bioavailability.get(line.route)
    if f_route is not None:
        amount *= float(p[f_route])
    return IDX[w.depot_state], amount


def _grid_steps(value_days: float, h: float) -> int | None:
    """``value_days / h`` if it is a whole number of steps (to 1e-6), else None."""
    steps = value_days / h
    return round(steps) if abs(steps - round(steps)) < 1e-6 else None


def dose_lines(scenario: Scenario, p: dict[str, Any], h: float) -> DoseLines:
    """Dose lines of one scenario on a grid of step ``h`` days.

    Raises :class:`ScenarioError` for a dose time the grid cannot hold exactly (never moves a
    dose silently).
    """
    rows = []
    problems = []
    for i, line in enumerate(scenario.regimen):
        times = line.dose_times(scenario.horizon_days)
        if len(times) == 0:
            continue
        state, amount = dose_amount(line, p)
        start = _grid_steps(float(times[0]), h)
        every = _grid_steps(line.every_days, h) if (line.every_days and len(times) > 1) else 1
        allowed = (
            f"the engine's time step here is {h * 24:g} h: start and every must be whole "
            "multiples of it (for example whole hours with the default 1-hour step)"
        )
        if start is None:
            problems.append(Problem(f"regimen[{i}].start", f"{times[0]:g} d", allowed))
        if every is None:
            problems.append(Problem(f"regimen[{i}].every", f"{line.every_days:g} d", allowed))
        if start is None or every is None:
            continue
        rows.append((state, amount, start, max(every, 1), len(times)))
    if problems:
        raise ScenarioError(problems, scenario.name)
    if not rows:
        rows.append((0, 0.0, 0, 1, 0))
    arr = list(zip(*rows, strict=True))
    return DoseLines(
        state=np.asarray(arr[0], np.int32),
        amount=np.asarray(arr[1], np.float64),
        start=np.asarray(arr[2], np.int64),
        every=np.asarray(arr[3], np.int64),
        count=np.asarray(arr[4], np.int64),
    )


def stack_dose_lines(lines: list[DoseLines]) -> DoseLines:
    """Pad each patient's lines to the same count and stack them (patient axis first)."""
    width = max(len(d.state) for d in lines)

    def pad(a: npt.NDArray[Any], fill: float) -> npt.NDArray[Any]:
        return np.concatenate([a, np.full(width - len(a), fill, dtype=a.dtype)])

    return DoseLines(
        state=np.stack([pad(d.state, 0) for d in lines]),
        amount=np.stack([pad(d.amount, 0.0) for d in lines]),
        start=np.stack([pad(d.start, 0) for d in lines]),
        every=np.stack([pad(d.every, 1) for d in lines]),
        count=np.stack([pad(d.count, 0) for d in lines]),
    )


def exact_dose_events(scenario: Scenario, p: dict[str, Any]) -> list[tuple[float, int, float]]:
    """(time in days, state index, amount) of every dose, sorted by time (reference engine)."""
    events = []
    for line in scenario.regimen:
        state, amount = dose_amount(line, p)
        events += [(float(t), state, amount) for t in line.dose_times(scenario.horizon_days)]
    return sorted(events)
