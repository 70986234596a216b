"""The step schedule of a batched solve: where the engine steps, shared by every man of a batch.

Time is counted in ticks (:data:`hpgsim.engine.doses.TICK_DAYS`, 1.25 min). The schedule's step
boundaries are the union of

- a coarse grid (every ``max_step_ticks``, 1 h by default): where nothing fast happens;
- every output time and every dose time of the batch, so a dose is a jump at a step's start
  and a sample is read between steps (before the doses at its time);
- every tick inside the fine windows of the batch's dose lines (1.25-minute steps after each
  dose of a fast drug, after the first dose of a sharp-onset drug);
- the absorption ladder :data:`LADDER_TICKS` after each dose of a line that asks for it.

Steps are the gaps between consecutive boundaries; each distinct step length gets one set of
propagators. The schedule is host data (NumPy), built once per solve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hpgsim.engine.doses import TICK_DAYS, DoseLines
from hpgsim.scenario import Problem, ScenarioError

__all__ = ["LADDER_TICKS", "MAX_SOLVER_STEPS", "Schedule", "build_schedule"]

LADDER_TICKS: tuple[int, ...] = (2, 2, 4, 8, 16, 16)  # 2.5, 2.5, 5, 10, 20, 20 min
"""Step lengths after each dose of an absorption-ladder drug, ticks (2.5, 2.5, 5, 10, 20 and 20
min: the first hour, in which an oral dose of anastrozole is mostly absorbed and its block of
aromatase switches on). Chosen by the engine-vs-reference accuracy test, not fitted."""


@dataclass(frozen=True)
class Schedule:
    """The steps of one batched solve.

    Attributes:
        tick: start of each step, ticks [steps].
        size_index: index of each step's length in ``sizes_ticks`` [steps].
        sizes_ticks: the distinct step lengths, ticks.
        dose: whether some dose of the batch falls at the step's start [steps].
        first_step: index of the first step of each output interval, then the number of steps
            [outputs]: the steps from ``first_step[i]`` to ``first_step[i + 1]`` lead from
            output ``i`` to output ``i + 1``.
    """

    tick: npt.NDArray[np.int64]
    size_index: npt.NDArray[np.int32]
    sizes_ticks: npt.NDArray[np.int64]
    dose: npt.NDArray[np.bool_]
    first_step: npt.NDArray[np.int64]

    @property
    def n_steps(self) -> int:
        """Number of steps."""
        return len(self.tick)


MAX_SOLVER_STEPS = 5_000_000
"""Most steps one solve may take (about 12 years of 1.25-min steps, or 570 years of 1-h
steps): the schedule is host memory (about 30 bytes a step) and each step is work for every
man. A scenario above it is refused before anything is built (ScenarioError, naming it)."""


def _check_size(
    lines: npt.NDArray[np.int64], end: int, coarse: int, n_outputs: int, ladder: int
) -> None:
    """Refuse a schedule whose step count would exceed :data:`MAX_SOLVER_STEPS`, estimated
    from above per dose line before any array is built."""
    steps = end // max(coarse, 1) + n_outputs + 1
    for start, gap, count, fast, onset, has_ladder in lines:
        if count == 0:
            continue
        span = min(int(gap) * (int(count) - 1), max(end - int(start), 0))
        steps += int(count) + int(onset) + (ladder * int(count) if has_ladder else 0)
        if fast:
            steps += min(int(count) * (int(fast) + 1), span + int(fast) + 1)
    if steps > MAX_SOLVER_STEPS:
        days = end * TICK_DAYS
        raise ScenarioError(
            [
                Problem(
                    "regimen",
                    f"about {steps:,} solver steps over {days:g} d",
                    f"at most {MAX_SOLVER_STEPS:,} steps a solve (the fine 1.25-min steps after "
                    "each dose of a fast drug, such as a gonadorelin pulse, count most): shorten "
                    "the horizon or the dosing",
                )
            ]
        )


def _ticks(days: float, what: str) -> int:
    ticks = days / TICK_DAYS
    if abs(ticks - round(ticks)) > 1e-6:
        raise ValueError(
            f"{what}: {days:g} d is not a whole number of the engine's {TICK_DAYS * 1440:g}-min "
            "ticks"
        )
    return round(ticks)


def build_schedule(
    doses: DoseLines,
    *,
    horizon_days: float,
    output_every_days: float,
    max_step_ticks: int,
) -> Schedule:
    """The batch-shared step schedule of ``doses`` (stacked [men, lines] or one man's lines)."""
    every = _ticks(output_every_days, "output_every")
    n_outputs = int(horizon_days / output_every_days + 1e-9) + 1
    end = (n_outputs - 1) * every
    cuts = [
        np.arange(0, end + 1, max_step_ticks, dtype=np.int64),
        np.arange(0, end + 1, every, dtype=np.int64),
        np.array([end], dtype=np.int64),
    ]
    dose_ticks = []
    fields = ("start", "every", "count", "fast", "onset", "ladder")
    cols = [np.ravel(getattr(doses, name)).astype(np.int64) for name in fields]
    lines = np.unique(np.stack(cols, axis=1), axis=0)
    ladder = np.cumsum(np.asarray(LADDER_TICKS, dtype=np.int64))
    _check_size(lines, end, max_step_ticks, n_outputs, len(ladder))
    for start, gap, count, fast, onset, has_ladder in lines:
        if count == 0:
            continue
        times = start + gap * np.arange(count, dtype=np.int64)
        times = times[times < end]
        dose_ticks.append(times)
        if fast and len(times) and gap <= fast:  # the windows touch: one dense run of ticks
            cuts.append(np.arange(times[0], times[-1] + fast + 1, dtype=np.int64))
        elif fast:
            cuts.append((times[:, None] + np.arange(fast + 1)[None, :]).ravel())
        if onset and len(times):
            cuts.append(times[0] + np.arange(onset + 1))
        if has_ladder:
            cuts.append((times[:, None] + ladder[None, :]).ravel())
    cuts += dose_ticks
    bounds = np.unique(np.concatenate(cuts))
    bounds = bounds[(bounds >= 0) & (bounds <= end)]
    starts = bounds[:-1]
    lengths = np.diff(bounds)
    sizes, size_index = np.unique(lengths, return_inverse=True)
    dosed = np.zeros(len(starts), dtype=bool)
    if dose_ticks:
        dosed = np.isin(starts, np.concatenate(dose_ticks))
    first = np.searchsorted(bounds, np.arange(n_outputs, dtype=np.int64) * every)
    return Schedule(
        tick=starts.astype(np.int64),
        size_index=size_index.astype(np.int32),
        sizes_ticks=sizes.astype(np.int64),
        dose=dosed,
        first_step=first.astype(np.int64),
    )
