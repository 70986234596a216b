"""The records of the evidence layer: a published measure and its acceptance rule, a
calibration target, a validation target and its results; and the small builders every study
file shares (one man's scenario, a testosterone enanthate line, a value at a day).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from hpgsim.population.trial import VariabilityCV
from hpgsim.scenario import Scenario, scenario_from_dict

__all__ = [
    "E2_COL",
    "FSH_COL",
    "FT_COL",
    "GROUP_MEAN",
    "ITT_COL",
    "LH_COL",
    "P4_COL",
    "SHBG_COL",
    "SPERM_COLUMN",
    "T_COL",
    "Measure",
    "MeasureResult",
    "PopulationResult",
    "PopulationRun",
    "Spread",
    "Target",
    "Use",
    "ValidationTarget",
    "acceptance_interval",
    "man_scenario",
    "peak_time",
    "te_line",
    "tu_course",
    "validation_target",
    "value_at",
    "window",
    "woman_scenario",
]


T_COL, E2_COL, LH_COL, FSH_COL = (
    "total_testosterone_ng_dl",
    "estradiol_pg_ml",
    "lh_iu_l",
    "fsh_iu_l",
)
SPERM_COLUMN, ITT_COL, SHBG_COL = (
    "sperm_concentration_m_per_ml",
    "intratesticular_testosterone_ng_ml",
    "shbg_nmol_l",
)
P4_COL, FT_COL = "progesterone_ng_ml", "free_testosterone_pg_ml"
"""Output columns the study records draw."""
GROUP_MEAN = "the study's group mean read as one typical man"
"""The spread of a study reported as group means only."""


@dataclass(frozen=True)
class Measure:
    """One published number and its simulated counterpart.

    ``published`` with a relative ``tolerance`` (pass if |sim - pub| <= tol * pub), or a range
    ``low``..``high`` (pass if inside).
    """

    label: str
    published: float
    tolerance: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""

    def passes(self, simulated: float) -> bool:
        """Whether ``simulated`` is within the tolerance or range."""
        if self.low is not None and self.high is not None:
            return self.low <= simulated <= self.high
        assert self.tolerance is not None
        return abs(simulated - self.published) <= self.tolerance * abs(self.published)

    def residual(self, simulated: float) -> float:
        """Scaled residual for least squares: 1.0 at the edge of the tolerance."""
        if self.low is not None and self.high is not None:
            width = 0.5 * (self.high - self.low)
            centre = 0.5 * (self.high + self.low)
            d = abs(simulated - centre) / width  # 1.0 at the edge, like a tolerance
            return float(np.sign(simulated - centre) * (d if d <= 1.0 else 1.0 + 5.0 * (d - 1.0)))
        assert self.tolerance is not None
        s = max(simulated, 1e-12 * abs(self.published))
        return float(np.log(s / self.published) / np.log1p(self.tolerance))

    def describe(self, simulated: float) -> str:
        """'label: published X, simulated Y, tolerance Z' for messages and notes."""
        if self.low is not None and self.high is not None:
            tol = f"range {self.low:g}-{self.high:g}"
        else:
            tol = f"tolerance +/-{100 * (self.tolerance or 0):.0f}%"
        return (
            f"{self.label}: published {self.published:g}{self.unit}, "
            f"simulated {simulated:.4g}{self.unit}, {tol}"
        )


@dataclass(frozen=True)
class Target:
    """One published study used to calibrate or check the model, as one record: its citation
    (``source``), the study population, the scenarios that reproduce its design, the observable,
    the published spread, a function from simulated tables to measure values, the measures
    with their published values and tolerances (and why the tolerance is what it is), the output
    columns its plot draws, its fitter stage (``fit``: fitted or reported only), and the
    measures the model's structure cannot reach yet (``known_gaps``: measure label -> reason).
    """

    key: str
    title: str
    source: str
    scenarios: Sequence[Scenario]
    measure: Callable[[Sequence[pd.DataFrame]], dict[str, float]]
    measures: Sequence[Measure]
    notes: str = ""
    fit: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)
    stage: str = "foundation"
    population: str = ""
    observable: str = ""
    spread: str = ""
    tolerance_reason: str = ""
    columns: tuple[str, ...] = ()
    known_gaps: Mapping[str, str] = field(default_factory=dict)


def man_scenario(
    name: str,
    horizon: str,
    regimen: list[dict[str, str]],
    output_every: str = "1 d",
    **patient: Any,
) -> Scenario:
    """One man's scenario for a target: name, horizon, regimen lines (dicts as in a scenario
    file), output interval and patient fields; clinical dose bounds are lifted (published
    protocols may exceed them)."""
    return scenario_from_dict(
        {
            "name": name,
            "horizon": horizon,
            "output_every": output_every,
            "allow_supratherapeutic": True,
            "patient": patient,
            "regimen": regimen,
        }
    )


def woman_scenario(
    name: str,
    horizon: str,
    regimen: list[dict[str, str]],
    output_every: str = "1 d",
    parameters: dict[str, float] | None = None,
    **patient: Any,
) -> Scenario:
    """One post-menopausal woman's scenario for a target (as :func:`man_scenario`; clinical
    dose bounds lifted)."""
    return scenario_from_dict(
        {
            "name": name,
            "horizon": horizon,
            "output_every": output_every,
            "allow_supratherapeutic": True,
            "patient": {"sex": "female", "menopausal_status": "post", **patient},
            "regimen": regimen,
            "parameters": parameters or {},
        }
    )


def te_line(dose: str, every: str, stop: str) -> dict[str, str]:
    """A regimen line of testosterone enanthate IM."""
    return {
        "drug": "testosterone_enanthate",
        "dose": dose,
        "route": "intramuscular",
        "every": every,
        "stop": stop,
    }


def tu_course(
    first_dose: str, then_dose: str, every_days: float, start_days: float, last_day: float
) -> list[dict[str, str]]:
    """Regimen lines of testosterone undecanoate IM: ``first_dose`` on day 0, then
    ``then_dose`` every ``every_days`` from ``start_days``, the last injection on ``last_day``."""
    line = {"drug": "testosterone_undecanoate", "route": "intramuscular"}
    return [
        {**line, "dose": first_dose},
        {
            **line,
            "dose": then_dose,
            "every": f"{every_days:g} d",
            "start": f"{start_days:g} d",
            "stop": f"{last_day + 1:g} d",
        },
    ]


def value_at(df: pd.DataFrame, col: str, day: float) -> float:
    """Column ``col`` of a simulated table at ``day`` (an output time)."""
    return float(df.loc[np.isclose(df.time_days, day), col].iloc[0])


def window(df: pd.DataFrame, col: str, start: float, end: float) -> np.ndarray:
    """Column ``col`` of a simulated table at the output times from ``start`` to ``end`` days,
    both included."""
    w = df[(df.time_days >= start - 1e-9) & (df.time_days <= end + 1e-9)]
    return w[col].to_numpy(dtype=float)


class Use(enum.StrEnum):
    """How a target entered the model's construction."""

    CALIBRATED = "calibrated"
    REPORTED = "reported"
    HELD_OUT = "held_out"


Spread = VariabilityCV
"""Between-man CVs that replace the parameter table's in a trial
(:data:`hpgsim.population.trial.VariabilityCV`)."""


class PopulationRun(Protocol):
    """A population target's trial: ``n`` men drawn with ``seed``, the spread optionally
    replaced (the fitter's spread stage varies it), measured as the study reported."""

    def __call__(self, n: int, seed: int, variability_cv: Spread = ()) -> PopulationResult: ...


@dataclass(frozen=True)
class ValidationTarget:
    """One published result and how to reproduce it.

    ``kind`` is ``"single"`` (one simulated man per scenario; :attr:`target` measures the
    tables) or ``"population"`` (:attr:`population_run` runs a trial and measures its summary).
    ``columns`` are the output columns drawn in the overlay plot.
    """

    id: str
    title: str
    citation: str
    use: Use
    kind: str
    population: str
    observable: str
    spread: str
    tolerance_reason: str
    measures: Sequence[Measure]
    scenarios: Sequence[Scenario]
    columns: tuple[str, ...] = ()
    target: Target | None = None
    population_run: PopulationRun | None = None
    population_name: str | None = None
    default_n: int = 0
    notes: str = ""
    known_gaps: Mapping[str, str] = field(default_factory=dict)


def validation_target(
    t: Target,
    use: Use,
    population: str,
    observable: str,
    spread: str,
    tolerance_reason: str,
    columns: tuple[str, ...],
) -> ValidationTarget:
    """The registry record of a single-man study ``t``: its measures and scenarios, how it
    entered the model (``use``), and what the validation table says of it."""
    return ValidationTarget(
        id=t.key,
        title=t.title,
        citation=t.source,
        use=use,
        kind="single",
        population=population,
        observable=observable,
        spread=spread,
        tolerance_reason=tolerance_reason,
        measures=t.measures,
        scenarios=t.scenarios,
        columns=columns,
        target=t,
        notes=t.notes,
        known_gaps=t.known_gaps,
    )


@dataclass
class PopulationResult:
    """What a population target's trial gives: measure values, the rows and the design."""

    values: dict[str, float]
    rows: pd.DataFrame
    design: Any
    published_points: Mapping[float, Mapping[float, float]] = field(default_factory=dict)
    """threshold (M/mL) -> {month: published probability}, drawn on the Kaplan-Meier plot."""
    study_n: int | None = None
    """Men in the published study: the size of the replicate trials of the visual predictive
    check (:func:`hpgsim.population.trial.km_prediction_interval`); None: no check."""


@dataclass(frozen=True)
class MeasureResult:
    """One row of the validation table."""

    target: str
    measure: str
    use: str
    kind: str
    published: float
    simulated: float
    low: float
    high: float
    unit: str
    status: str
    """``pass``, ``FAIL``, ``known gap`` or ``unexpected pass`` (a known gap that now passes)."""
    citation: str
    tolerance_reason: str
    known_gap_reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (NaN, which a failed measurement can give, becomes None)."""
        d = dict(self.__dict__)
        for k in ("simulated", "low", "high", "published"):
            if not math.isfinite(d[k]):
                d[k] = None
        return d


def acceptance_interval(m: Measure) -> tuple[float, float]:
    """The interval a simulated value must fall in: the range, or published +/- tolerance."""
    if m.low is not None and m.high is not None:
        return float(m.low), float(m.high)
    assert m.tolerance is not None
    a, b = m.published * (1 - m.tolerance), m.published * (1 + m.tolerance)
    return (min(a, b), max(a, b))


def peak_time(t: np.ndarray, y: np.ndarray) -> float:
    """Time of the maximum, refined by a parabola through the largest sample and its neighbours
    (so that it moves smoothly with the parameters)."""
    i = int(np.argmax(y))
    if i == 0 or i == len(y) - 1:
        return float(t[i])
    curv = y[i - 1] - 2 * y[i] + y[i + 1]
    shift = 0.5 * (y[i - 1] - y[i + 1]) / curv if curv < 0 else 0.0
    return float(t[i] + shift * (t[i + 1] - t[i]))
