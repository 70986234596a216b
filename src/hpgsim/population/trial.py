"""Virtual trials: a scenario's regimen (or several, as arms) for every man of a population,
read as a study would.

:func:`run_trial` draws the men (:mod:`hpgsim.population.virtual_men`), solves them in chunks
through the batched engine, and reduces each chunk at once to one row per man (covariates, parameter
multipliers, baseline hormones and event times read from simulated semen analyses), so memory
holds rows, never trajectories. Chunks run in-process or on a Dask cluster; a man's draws
depend only on the seed and his index, so the numbers do not depend on the chunking or the
number of workers.

:func:`summarize` turns the rows into the ``summary.json`` of the trials issue: fractions of
men below each threshold by week of treatment, and Kaplan-Meier recovery (lifelines) by month
after the first missed androgen dose, among the men suppressed in the recovery phase (a sample
below :data:`RECOVERY_AT_RISK_BELOW`, 20 M/mL, at or after the stop): one risk set for every
threshold, where a man who never fell below a lower threshold (or his own baseline) reaches it on
day 0.

Times are days in the rows and weeks or months (``readouts.DAYS_PER_MONTH``) in the summary.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.engine.inputs import Covariates, consistent_covariates, prepare_population
from hpgsim.engine.precision import enable_x64, require_x64
from hpgsim.engine.simulation import solve_prepared
from hpgsim.measure.events import (
    DAYS_PER_MONTH,
    DEFAULT_ASSAY,
    SemenAssay,
    androgen_window,
    measure_with_normals,
)
from hpgsim.model import axis
from hpgsim.model.conditions import Condition
from hpgsim.model.drugs import CATALOG
from hpgsim.optional import require
from hpgsim.population.virtual_men import (
    POPULATIONS,
    Population,
    load_population,
    sample,
    with_variability,
)
from hpgsim.scenario import Scenario
from hpgsim.scenario.nmtran import SimulatedMan

__all__ = [
    "CLOCK",
    "MAX_CHUNK_MAN_SAMPLES",
    "MAX_TRIAL_MEN",
    "RECOVERY_AT_RISK_BELOW",
    "RECOVERY_MONTHS",
    "RECOVERY_THRESHOLDS",
    "SUPPRESSION_THRESHOLDS",
    "SUPPRESSION_WEEKS",
    "VPC_QUANTILES",
    "TrialDesign",
    "VariabilityCV",
    "kaplan_meier_recovery",
    "km_prediction_interval",
    "paired_recovery_difference",
    "run_chunk",
    "run_trial",
    "simulated_men",
    "summarize",
    "trajectory_table",
]

SUPPRESSION_THRESHOLDS: tuple[float, ...] = (1.0, 3.0, 5.0, 10.0, 20.0)
SUPPRESSION_WEEKS: tuple[int, ...] = (4, 8, 12, 16, 20, 26, 52)
RECOVERY_THRESHOLDS: tuple[float, ...] = (3.0, 10.0, 15.0, 20.0)
RECOVERY_MONTHS: tuple[int, ...] = (3, 6, 12, 16, 24)
RECOVERY_AT_RISK_BELOW: float = max(RECOVERY_THRESHOLDS)
"""M/mL: the men in a recovery analysis are those with a sample below this at or after the
androgen's stop (suppressed), the same men for every threshold and for the own baseline, so a
lower concentration is never reached less often than a higher one."""

CLOCK = (
    "recovery days and months count from the first missed androgen dose (the last dose plus "
    "its interval: androgen_stop_day, scenario time); suppression weeks from the first "
    "androgen dose (androgen_start_day)"
)
"""Day 0 of a trial's summary, as ``summary.json`` states it (docs/clinical.md)."""
SAMPLING_EVERY_DAYS = {"4w": 28.0, "daily": 1.0}
"""Semen sampling schedules: every 4 weeks from the first day (the pooled contraceptive
studies', Handelsman 2005 and Liu 2006), or daily."""


MAX_TRIAL_MEN = 10_000_000
"""Most men in one trial: their rows (about 0.5 kB a man) are held in memory together."""

MAX_CHUNK_MAN_SAMPLES = 2_000_000
"""Most men x semen samples solved in one chunk: the solve's readouts and the assay's noise
are held per chunk (about 0.3 kB per man-sample), so a long horizon sampled daily runs in
smaller chunks instead of exhausting memory."""


VariabilityCV = tuple[tuple[str, float], ...]
"""Between-man CVs that replace the parameter table's in a trial: (parameter, cv) pairs."""


@dataclass(frozen=True)
class TrialDesign:
    """What a trial runs: one scenario, or several (arms; man i gets arm i mod the number of
    arms, so arms stay balanced in every chunk), the population name, ``n`` men drawn with
    ``seed``, the semen sampling interval and the assay. Each scenario's patient block is
    ignored (the population supplies the men); arms must share the horizon.
    ``variability_cv`` replaces the parameter table's between-man CV of parameters the
    population varies ((name, cv) pairs; the men's draws stay the same, their spread is
    rescaled)."""

    scenario: Scenario | tuple[Scenario, ...]
    population: str
    n: int
    seed: int
    sampling_every_days: float = 28.0
    assay: SemenAssay = DEFAULT_ASSAY
    variability_cv: VariabilityCV = ()

    def __post_init__(self) -> None:
        arms = self.scenario if isinstance(self.scenario, tuple) else (self.scenario,)
        if not arms:
            raise ValueError("scenario: got no scenario; allowed: one or more")
        object.__setattr__(self, "scenario", arms)
        if not 1 <= self.n <= MAX_TRIAL_MEN:
            raise ValueError(
                f"n: got {self.n}; allowed: a whole number of men from 1 to {MAX_TRIAL_MEN:,} "
                "(the rows of all men are held in memory, about 0.5 kB a man)"
            )
        if self.seed < 0:
            raise ValueError(f"seed: got {self.seed}; allowed: a whole number >= 0")

        if self.population not in POPULATIONS:
            raise ValueError(
                f"population: got {self.population!r}; allowed: {', '.join(POPULATIONS)}"
            )
        self.population_drawn()  # names and values of variability_cv checked here
        horizons = {a.horizon_days for a in arms}
        if len(horizons) > 1:
            raise ValueError(
                f"scenario: the arms' horizons differ ({sorted(horizons)} d); allowed: one horizon"
            )
        every = self.sampling_every_days
        if not every > 0 or every > arms[0].horizon_days:
            raise ValueError(
                f"sampling every {every:g} d: allowed above 0 and at most the horizon "
                f"({arms[0].horizon_days:g} d)"
            )

    def population_drawn(self) -> Population:
        """The population the men are drawn from, with ``variability_cv`` applied."""
        pop = load_population(self.population)
        return with_variability(pop, dict(self.variability_cv)) if self.variability_cv else pop

    @property
    def arms(self) -> tuple[Scenario, ...]:
        """The scenarios, one per arm."""
        assert isinstance(self.scenario, tuple)
        return self.scenario

    @property
    def horizon_days(self) -> float:
        return self.arms[0].horizon_days

    @property
    def sample_days(self) -> np.ndarray:
        """Days of the semen analyses (and of the solve's outputs): 0, every, 2 every, ..."""
        n = int(self.horizon_days / self.sampling_every_days + 1e-9) + 1
        return np.arange(n) * self.sampling_every_days


def regimen_covariates(scenario: Scenario) -> dict[str, float]:
    """The article's regimen predictors of one arm: androgen weeks (first dose to first missed
    dose), androgen and anastrozole mg per week over those weeks (every dose counted, so tapers
    and single doses are right), and whether the androgen is long-acting (label interval of 4
    weeks or more, such as testosterone undecanoate)."""

    start, stop = androgen_window(scenario)
    horizon = scenario.horizon_days
    weeks = ((stop if stop is not None else horizon) - start) / 7.0 if start is not None else 0.0
    per_week = weeks if weeks > 0 else horizon / 7.0
    mg = {"androgen": 0.0, "anastrozole": 0.0}
    long_acting = 0.0
    for line in scenario.regimen:
        spec = CATALOG[line.drug]
        key = (
            "androgen" if spec.androgen else ("anastrozole" if line.drug == "anastrozole" else None)
        )
        if key is None:
            continue
        total = sum(len(times) * dose for times, dose in line.dose_schedule(horizon))
        mg[key] += total / per_week
        if spec.androgen and (spec.androgen_interval_days or 0.0) >= 28.0:
            long_acting = 1.0
    return {
        "androgen_weeks": float(weeks),
        "androgen_mg_per_week": mg["androgen"],
        "anastrozole_mg_per_week": mg["anastrozole"],
        "long_acting_androgen": long_acting,
    }


def _first_day(days: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """Per row, the first day where ``hit`` [men, samples] is true, else NaN."""
    any_hit = hit.any(axis=1)
    idx = hit.argmax(axis=1)
    return np.where(any_hit, days[idx], np.nan)


def _rise_day(
    days: np.ndarray, measured: np.ndarray, phase: np.ndarray, threshold: np.ndarray
) -> np.ndarray:
    """Per man, the day of the first sample at or above his ``threshold`` after his first
    sample below it within ``phase`` (samples [men, samples], phase [samples]): the sampled
    form of :func:`hpgsim.measure.events.rise_after`. -inf where no sample in the phase is
    below it (he never fell below: back from the start), inf where he had not risen by the
    last sample (censored)."""
    below = (measured < threshold[:, None]) & phase
    fell = below.any(axis=1)
    first_below = np.where(fell, below.argmax(axis=1), len(days))
    up = (measured >= threshold[:, None]) & (np.arange(len(days)) > first_below[:, None])
    day = np.where(up.any(axis=1), days[up.argmax(axis=1)], np.inf)
    return np.where(fell, day, -np.inf)


def _events(
    days: np.ndarray,
    measured: np.ndarray,
    start: float | None,
    stop: float | None,
    baseline: np.ndarray,
) -> dict[str, np.ndarray]:
    """Event columns from measured concentrations [men, samples] (0 = azoospermic) and each
    man's own pre-treatment concentration ``baseline`` (M/mL): recovery to a threshold, and
    to his own baseline (``recovery_baseline_*``, the WHO 1990 trial's end point);
    ``azoospermic_at_stop`` marks men whose last sample before the first missed dose read 0,
    and ``reappearance_day`` is their first non-zero sample after it (NaN if none, or if not
    azoospermic).

    Recovery is read as :func:`hpgsim.measure.events.rise_after` reads one course: the first
    sample at or above a threshold after the first sample below it, counted from the last
    sample at or before the stop (sperm keep falling for weeks after a short course). Every
    recovery column has one risk set (``recovery_*_at_risk``, the same for every key): the men
    with a sample below :data:`RECOVERY_AT_RISK_BELOW` in that phase. A man of the set who
    never fell below a lower threshold, or his own baseline, reaches it on day 0 (as
    :func:`hpgsim.clinical.course.recovery_days` counts it); a man back at or above a
    threshold is back at or above every lower one by then, so a lower threshold is never
    reached later than a higher one, assay noise or not; a man not back by the last sample
    is censored there."""
    n = measured.shape[0]
    cols: dict[str, np.ndarray] = {}
    if start is not None:
        on = days >= start
        for thr in SUPPRESSION_THRESHOLDS:
            hit = (measured < thr) & on
            cols[f"suppression_below_{thr:g}_day"] = _first_day(days, hit) - start
        cols["suppression_azoospermia_day"] = _first_day(days, (measured == 0.0) & on) - start
    if stop is not None:
        before = np.nonzero(days <= stop)[0]
        at_stop = measured[:, before[-1]] if len(before) else np.full(n, np.inf)
        after = days > stop
        follow = float(days[-1] - stop)
        cols["azoospermic_at_stop"] = at_stop == 0.0
        # sperm reappear: the first non-zero sample after the stop (azoospermic men only)
        cols["reappearance_day"] = np.where(
            at_stop == 0.0, _first_day(days, (measured > 0.0) & after) - stop, np.nan
        )
        # the recovery phase: the last sample at or before the stop and every one after it
        phase = np.arange(len(days)) >= (before[-1] if len(before) else 0)
        suppressed = np.asarray(((measured < RECOVERY_AT_RISK_BELOW) & phase).any(axis=1))
        rise = {
            f"{thr:g}": _rise_day(days, measured, phase, np.full(n, thr)) - stop
            for thr in sorted(RECOVERY_THRESHOLDS, reverse=True)
        }
        # a man back at or above a threshold is back at or above every lower one
        higher = np.full(n, np.inf)
        for key in rise:
            rise[key] = np.fmin(rise[key], higher)
            higher = rise[key]
        own = np.asarray(baseline, dtype=float)
        rise["baseline"] = _rise_day(days, measured, phase, own) - stop
        for key, t in rise.items():
            back = t < np.inf
            cols[f"recovery_{key}_at_risk"] = suppressed
            cols[f"recovery_{key}_event"] = suppressed & back
            cols[f"recovery_{key}_day"] = np.where(
                suppressed, np.where(back, np.maximum(t, 0.0), follow), np.nan
            )
    return cols


def run_chunk(design: TrialDesign, start: int, stop: int) -> pd.DataFrame:
    """Rows for men ``start..stop``: arm, covariates, parameter multipliers, baseline hormones,
    and event days read from the men's semen analyses (each on his arm's clocks)."""

    days = design.sample_days
    draws = sample(design.population_drawn(), design.seed, start, stop, n_noise=len(days))
    man = np.arange(start, stop)
    arm_of = man % len(design.arms)
    parts = []
    for k, scenario in enumerate(design.arms):
        pick = arm_of == k
        if pick.any():
            one = {key: v[pick] for key, v in draws.items()}
            parts.append(_run_arm(design, scenario, k, man[pick], one))
    return pd.concat(parts).sort_values("man").reset_index(drop=True)


def _run_arm(
    design: TrialDesign,
    scenario: Scenario,
    arm: int,
    man: np.ndarray,
    draws: dict[str, np.ndarray],
) -> pd.DataFrame:

    days = design.sample_days
    template = scenario.model_copy(update={"output_every_days": design.sampling_every_days})
    # Covariates are drawn independently: a man whose baseline sperm or testis volume his
    # condition and T contradict gets the largest values that fit (the population truncated
    # to the joint box; engine.inputs.consistent_covariates), and keeps them in his row.
    cov, adjusted = consistent_covariates(Covariates.from_draws(draws))
    draws = dict(draws)
    draws["baseline_sperm_concentration_m_per_ml"] = cov.baseline_sperm_concentration_m_per_ml
    draws["testicular_volume_ml"] = cov.testicular_volume_ml
    prep = prepare_population(template, cov)
    out = np.asarray(
        solve_prepared(
            prep,
            horizon_days=template.horizon_days,
            output_every_days=template.output_every_days,
        )
    )  # [samples, men, columns]
    finite = np.all(np.isfinite(out), axis=(0, 2))
    if not finite.all():  # fractions over the men left would be biased: name the failed ones
        bad = man[~finite]
        listed = ", ".join(str(int(m)) for m in bad[:20]) + (" ..." if bad.size > 20 else "")
        raise FloatingPointError(
            f"trial arm {scenario.name!r}: the solve produced non-finite values for "
            f"{bad.size} of {man.size} men (man {listed})"
        )
    col = axis.OUTPUT_COLUMNS.index
    sperm = out[:, :, col("sperm_concentration_m_per_ml")].T
    measured = measure_with_normals(sperm, draws["noise"], assay=design.assay)
    a_start, a_stop = androgen_window(scenario)
    rows: dict[str, Any] = {"man": man, "arm": arm, "arm_name": scenario.name}
    rows.update({k: v for k, v in regimen_covariates(scenario).items()})
    rows.update({k: v for k, v in draws.items() if k != "noise"})
    rows["condition"] = [Condition(int(c)).label for c in draws["condition"]]
    rows["covariates_truncated"] = np.isin(np.arange(len(man)), adjusted)
    rows["baseline_lh_iu_l"] = out[0, :, col("lh_iu_l")]
    rows["baseline_fsh_iu_l"] = out[0, :, col("fsh_iu_l")]
    rows["nadir_sperm_m_per_ml"] = sperm.min(axis=1)
    rows.update(
        _events(days, measured, a_start, a_stop, draws["baseline_sperm_concentration_m_per_ml"])
    )
    return pd.DataFrame(rows)


DATASET_COVARIATES: tuple[tuple[str, str], ...] = (
    ("AGE", "age_years"),
    ("BMI", "bmi_kg_m2"),
    ("BLTT", "baseline_total_testosterone_ng_dl"),
    ("BLSC", "baseline_sperm_concentration_m_per_ml"),
    ("TESV", "testicular_volume_ml"),
)
"""The covariate columns of a trial's NM-TRAN dataset (:data:`hpgsim.scenario.nmtran.COVARIATES`)
and the :class:`~hpgsim.engine.inputs.Covariates` field each holds; ``COND`` (the condition
code), ``ARM`` and ``BSV_<parameter>`` follow."""


def trajectory_table(
    design: TrialDesign, men: int, *, every_days: float | None = None
) -> pd.DataFrame:
    """The first ``men`` men of the trial (:func:`simulated_men`: the trial's own men, values
    without assay noise) as one long table: ``man`` (the trial's index, as in
    ``patients.parquet``), ``arm_name``, ``time_days`` (scenario time) and every output column
    in its unit, for visual predictive checks against published individual data."""
    found = simulated_men(design, men, every_days=every_days, outputs=axis.OUTPUT_COLUMNS)
    frames = [
        pd.DataFrame(
            {
                "man": m.id - 1,
                "arm_name": m.scenario.name,
                "time_days": m.times_days,
                **{c: np.asarray(v) for c, v in m.outputs.items()},
            }
        )
        for m in found
    ]
    if not frames:
        return pd.DataFrame(columns=["man", "arm_name", "time_days", *axis.OUTPUT_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def simulated_men(
    design: TrialDesign,
    men: int,
    *,
    every_days: float | None = None,
    outputs: Sequence[str] = (
        "total_testosterone_ng_dl",
        "lh_iu_l",
        "sperm_concentration_m_per_ml",
    ),
) -> list[SimulatedMan]:
    """The trajectories of the trial's first ``men`` men (at most ``design.n``: men are drawn
    independently, so the first are a random sample), for an NM-TRAN dataset
    (:func:`hpgsim.scenario.nmtran.nmtran_table`). They are the trial's own men: the same draws
    (they depend only on the seed and the man's index), the same covariate truncation, the same
    arm (man i gets arm i mod the number of arms); their values are the simulated ones, without
    the semen assay's noise. ``every_days``: output spacing, days (default: the trial's sampling
    interval); ``outputs``: hpgsim output columns. Covariates: ``AGE``, ``BMI``, ``BLTT``,
    ``BLSC``, ``TESV``, ``COND``, ``ARM`` and a ``BSV_<parameter>`` multiplier per parameter the
    population varies."""
    unknown = [c for c in outputs if c not in axis.OUTPUT_COLUMNS]
    if unknown:
        raise ValueError(
            f"outputs: got {', '.join(unknown)}; allowed: {', '.join(axis.OUTPUT_COLUMNS)}"
        )
    count = min(men, design.n)
    if count < 1:
        return []
    every = design.sampling_every_days if every_days is None else every_days
    draws = sample(design.population_drawn(), design.seed, 0, count)
    index = np.arange(count)
    arm_of = index % len(design.arms)
    col = axis.OUTPUT_COLUMNS.index
    found: list[SimulatedMan] = []
    for k, scenario in enumerate(design.arms):
        pick = arm_of == k
        if not pick.any():
            continue
        cov, _ = consistent_covariates(
            Covariates.from_draws({n: v[pick] for n, v in draws.items()})
        )
        template = scenario.model_copy(update={"output_every_days": every})
        out = np.asarray(
            solve_prepared(
                prepare_population(template, cov),
                horizon_days=template.horizon_days,
                output_every_days=every,
            )
        )  # [samples, men, columns]
        times = np.arange(out.shape[0]) * every
        for j, man in enumerate(index[pick]):
            covariates = {
                column: float(getattr(cov, name)[j]) for column, name in DATASET_COVARIATES
            }
            covariates["COND"] = float(cov.condition[j])
            covariates["ARM"] = float(k)
            for name, values in sorted(cov.parameter_multipliers.items()):
                covariates[f"BSV_{name}"] = float(values[j])
            found.append(
                SimulatedMan(
                    id=int(man) + 1,
                    scenario=scenario,
                    covariates=covariates,
                    times_days=times,
                    outputs={c: out[:, j, col(c)] for c in outputs},
                )
            )
    return sorted(found, key=lambda m: m.id)


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def run_chunk_on_worker(design: TrialDesign, start: int, stop: int) -> pd.DataFrame:
    """:func:`run_chunk` in a Dask worker process: the worker is a fresh interpreter, so it
    switches JAX to the 64-bit mode that the submitting process already required."""
    enable_x64()
    return run_chunk(design, start, stop)


def run_trial(
    design: TrialDesign,
    *,
    chunk_size: int = 2000,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """All men's rows, ordered by man. ``scheduler``: address of a running Dask scheduler
    (chunks run on its workers), else in-process. ``progress`` is called with the number of
    men of each finished chunk. Chunks hold at most ``chunk_size`` men and at most
    :data:`MAX_CHUNK_MAN_SAMPLES` men x semen samples (a man's draws do not depend on his
    chunk, so neither do his rows, up to the rounding of a batched solve, ~1e-13)."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size: got {chunk_size}; allowed: >= 1")
    per_chunk = max(1, MAX_CHUNK_MAN_SAMPLES // len(design.sample_days))
    chunks = _chunks(design.n, min(chunk_size, per_chunk))
    parts: list[pd.DataFrame] = []
    for part in _run(design, chunks, scheduler):
        parts.append(part)
        if progress is not None:
            progress(len(part))
    return pd.concat(parts).sort_values("man").reset_index(drop=True)


def _run(
    design: TrialDesign, chunks: Sequence[tuple[int, int]], scheduler: str | None
) -> Iterator[pd.DataFrame]:
    if scheduler is None:
        for a, b in chunks:
            yield run_chunk(design, a, b)
        return
    distributed = require("distributed", "scale", "a trial on a Dask cluster (--scheduler)")

    require_x64()  # the workers mirror this process's precision (run_chunk_on_worker)
    with distributed.Client(scheduler) as client:
        futures = [client.submit(run_chunk_on_worker, design, a, b, pure=False) for a, b in chunks]
        for future in distributed.as_completed(futures):
            yield future.result()


def _fraction_by_week(rows: pd.DataFrame, column: str, horizon: float) -> dict[str, float | None]:
    t = rows[column].to_numpy(dtype=float)
    return {
        str(w): (
            float(np.mean(np.nan_to_num(t, nan=np.inf) <= 7.0 * w)) if 7.0 * w <= horizon else None
        )
        for w in SUPPRESSION_WEEKS
    }


def kaplan_meier_recovery(
    rows: pd.DataFrame, thr: float | str, follow_days: float
) -> dict[str, Any]:
    """Kaplan-Meier recovery to ``thr`` (M/mL, or ``"baseline"``: each man's own) among the
    ``rows`` at risk, followed ``follow_days`` after the stop: ``n_at_risk``, ``median_months``
    ``probability_by_month`` and its 95 % interval ``probability_ci95_by_month`` ([low,
    high], Greenwood on the log(-log) scale), as in ``summary.json``."""
    lifelines = require("lifelines", "survival", "Kaplan-Meier recovery of a trial")

    key = f"{thr:g}" if isinstance(thr, float | int) else thr
    risk = rows[f"recovery_{key}_at_risk"].to_numpy(dtype=bool)
    out: dict[str, Any] = {"n_at_risk": int(risk.sum()), "median_months": None}
    out["probability_by_month"] = {str(m): None for m in RECOVERY_MONTHS}
    out["probability_ci95_by_month"] = {str(m): None for m in RECOVERY_MONTHS}
    if not risk.any():
        return out
    t = rows.loc[risk, f"recovery_{key}_day"].to_numpy(dtype=float) / DAYS_PER_MONTH
    e = rows.loc[risk, f"recovery_{key}_event"].to_numpy(dtype=bool)
    km = lifelines.KaplanMeierFitter().fit(t, e)
    median = float(km.median_survival_time_)
    out["median_months"] = median if np.isfinite(median) else None
    follow = follow_days / DAYS_PER_MONTH  # every man is followed to the horizon
    out["probability_by_month"] = {
        str(m): (float(1.0 - km.predict(float(m))) if m <= follow + 1e-9 else None)
        for m in RECOVERY_MONTHS
    }
    # Greenwood's variance on the log(-log) scale (lifelines' default), 95 %: the interval of
    # the cumulative probability of recovery at each month.
    band = km.confidence_interval_cumulative_density_
    out["probability_ci95_by_month"] = {
        str(m): (_band_at(band, float(m)) if m <= follow + 1e-9 else None) for m in RECOVERY_MONTHS
    }
    return out


def _band_at(band: pd.DataFrame, month: float) -> list[float]:
    """The [low, high] interval of a Kaplan-Meier step function at ``month``."""
    before = band[band.index <= month]
    if before.empty:
        return [0.0, 0.0]
    low, high = before.iloc[-1].to_numpy(dtype=float)
    return [float(max(low, 0.0)), float(min(high, 1.0))]


def _recovered_by(t: np.ndarray, e: np.ndarray, month: float) -> float:
    """Kaplan-Meier probability of recovery by ``month`` (times ``t`` in months, events ``e``)."""
    times = np.unique(t[e & (t <= month)])
    survival = 1.0
    for x in times:
        at_risk = np.count_nonzero(t >= x)
        survival *= 1.0 - np.count_nonzero(e & (t == x)) / at_risk
    return 1.0 - survival


VPC_QUANTILES = (0.05, 0.5, 0.95)
"""The prediction interval's lower edge, middle and upper edge of a visual predictive check."""


def km_prediction_interval(
    rows: pd.DataFrame,
    thr: float,
    months: Sequence[float],
    n_study: int,
    *,
    replicates: int = 500,
    seed: int = 0,
) -> dict[float, tuple[float, float, float]]:
    """A visual predictive check of a Kaplan-Meier recovery to ``thr`` M/mL: ``replicates``
    trials of ``n_study`` men (the published study's size) drawn with replacement from the
    simulated men at risk, each replicate's Kaplan-Meier probability of recovery by each of
    ``months``, and their :data:`VPC_QUANTILES` (5 %, 50 %, 95 %): month -> (low, middle,
    high). A published value outside its interval is unlikely for a study of that size if the
    model were right; a big simulated cohort's own confidence band (Greenwood) is much
    narrower, and answers another question."""
    if n_study < 1 or replicates < 2:
        raise ValueError(
            f"n_study {n_study} and replicates {replicates}: allowed: n_study >= 1, replicates >= 2"
        )
    key = f"{thr:g}"
    risk = rows[f"recovery_{key}_at_risk"].to_numpy(dtype=bool)
    t = rows.loc[risk, f"recovery_{key}_day"].to_numpy(dtype=float) / DAYS_PER_MONTH
    e = rows.loc[risk, f"recovery_{key}_event"].to_numpy(dtype=bool)
    if t.size == 0:
        return {}
    rng = np.random.default_rng(seed)
    draws = np.array(
        [
            [_recovered_by(t[idx], e[idx], float(m)) for m in months]
            for idx in (rng.integers(0, t.size, n_study) for _ in range(replicates))
        ]
    )  # [replicates, months]
    q = np.quantile(draws, VPC_QUANTILES, axis=0)
    return {
        float(m): (float(q[0, k]), float(q[1, k]), float(q[2, k])) for k, m in enumerate(months)
    }


def paired_recovery_difference(
    rows_a: pd.DataFrame,
    rows_b: pd.DataFrame,
    thr: float,
    month: float,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, float | None]:
    """P(back to ``thr`` M/mL by ``month``) under protocol B minus under A, for the same men
    (row i is the same man in both: one seed, one population), with a 95 % interval from a
    paired bootstrap over men (``n_boot`` resamples; each man keeps both of his outcomes, so
    the interval counts what the protocols share). Men not at risk under a protocol (no sample
    below :data:`RECOVERY_AT_RISK_BELOW` at or after its stop) are left out of its estimate, as in
    :func:`kaplan_meier_recovery`. ``difference``, ``low``, ``high``; None where either arm
    has no man at risk."""
    if len(rows_a) != len(rows_b):
        raise ValueError(f"paired arms need the same men: got {len(rows_a)} and {len(rows_b)}")
    key = f"{thr:g}"

    def arm(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            rows[f"recovery_{key}_at_risk"].to_numpy(dtype=bool),
            rows[f"recovery_{key}_day"].to_numpy(dtype=float) / DAYS_PER_MONTH,
            rows[f"recovery_{key}_event"].to_numpy(dtype=bool),
        )

    (ra, ta, ea), (rb, tb, eb) = arm(rows_a), arm(rows_b)
    if not ra.any() or not rb.any():
        return {"difference": None, "low": None, "high": None}

    def diff(idx: np.ndarray) -> float:
        a, b = idx[ra[idx]], idx[rb[idx]]
        if len(a) == 0 or len(b) == 0:
            return math.nan
        return _recovered_by(tb[b], eb[b], month) - _recovered_by(ta[a], ea[a], month)

    everyone = np.arange(len(rows_a))
    rng = np.random.default_rng(seed)
    draws = np.array([diff(rng.choice(everyone, len(everyone))) for _ in range(n_boot)])
    draws = draws[np.isfinite(draws)]
    low, high = np.percentile(draws, [2.5, 97.5])
    return {"difference": diff(everyone), "low": float(low), "high": float(high)}


def _summary_of(rows: pd.DataFrame, scenario: Scenario, horizon: float) -> dict[str, Any]:
    start, stop = androgen_window(scenario)
    out: dict[str, Any] = {
        "androgen_start_day": start,
        "androgen_stop_day": stop,
        "suppression": {"fraction_azoospermic_by_week": None, "fraction_below_by_week": None},
        "recovery": None,
    }
    if start is not None:
        span = horizon - start
        out["suppression"] = {
            "fraction_azoospermic_by_week": _fraction_by_week(
                rows, "suppression_azoospermia_day", span
            ),
            "fraction_below_by_week": {
                f"{thr:g}": _fraction_by_week(rows, f"suppression_below_{thr:g}_day", span)
                for thr in SUPPRESSION_THRESHOLDS
            },
        }
    if stop is not None:
        out["recovery"] = {
            f"{thr:g}": kaplan_meier_recovery(rows, thr, horizon - stop)
            for thr in RECOVERY_THRESHOLDS
        }
        out["recovery_to_own_baseline"] = kaplan_meier_recovery(rows, "baseline", horizon - stop)
    return out


def summarize(rows: pd.DataFrame, design: TrialDesign) -> dict[str, Any]:
    """The ``summary.json`` of a trial (keys as in the trials issue; more are added). With
    several arms the top level pools them, on each man's own clocks (its androgen days are
    the first arm's, and null where the arms' days differ), and ``arms`` holds each arm's."""
    arms = design.arms
    pooled = _summary_of(rows, arms[0], design.horizon_days)
    windows = {androgen_window(a) for a in arms}
    if len(windows) > 1:
        pooled["androgen_start_day"] = pooled["androgen_stop_day"] = None
    summary: dict[str, Any] = {
        "n": len(rows),
        "seed": design.seed,
        "population": design.population,
        **({"variability_cv": dict(design.variability_cv)} if design.variability_cv else {}),
        "scenario": arms[0].name if len(arms) == 1 else [a.name for a in arms],
        **(
            {"parameters": {a.name: a.parameter_overrides for a in arms}}
            if any(a.parameters for a in arms)
            else {}
        ),
        "sampling_every_days": design.sampling_every_days,
        "clock": CLOCK,
        "azoospermia_below_m_per_ml": design.assay.detection_limit_m_per_ml,
        **pooled,
    }
    if len(arms) > 1:
        summary["arms"] = {
            a.name: {
                "n": int((rows["arm"] == k).sum()),
                **regimen_covariates(a),
                **_summary_of(rows[rows["arm"] == k], a, design.horizon_days),
            }
            for k, a in enumerate(arms)
        }
    return summary


PREDICTORS: tuple[tuple[str, str], ...] = (
    ("androgen_weeks", "androgen treatment, per 26 weeks"),
    ("androgen_mg_per_week", "androgen dose, per 100 mg/week"),
    ("anastrozole_mg_per_week", "anastrozole dose, per 1 mg/week"),
    ("long_acting_androgen", "long-acting androgen (yes vs no)"),
    ("age_years", "age, per 10 years"),
    ("log2_baseline_sperm", "baseline sperm concentration, per doubling"),
    ("testicular_volume_ml", "testicular volume, per 5 mL"),
    ("bmi_kg_m2", "BMI, per 5 kg/m2"),
    ("baseline_lh_iu_l", "baseline LH, per IU/L"),
)
_SCALE = {
    "androgen_weeks": 26.0,
    "androgen_mg_per_week": 100.0,
    "anastrozole_mg_per_week": 1.0,
    "long_acting_androgen": 1.0,
    "age_years": 10.0,
    "testicular_volume_ml": 5.0,
    "bmi_kg_m2": 5.0,
}


def predictors(rows: pd.DataFrame, threshold: float = 20.0) -> pd.DataFrame:
    """Cox proportional-hazards ratios (with 95 % CI) for recovery to ``threshold`` M/mL on
    the men's covariates and, where arms differ, the regimen's (lifelines); a hazard ratio
    above 1 means faster recovery. Covariates that do not vary are left out; no rows where
    fewer than two men are at risk."""
    lifelines = require("lifelines", "survival", "Cox hazard ratios of a trial")

    risk = rows[f"recovery_{threshold:g}_at_risk"].to_numpy(dtype=bool)
    if risk.sum() < 2:  # no hazard ratio from fewer than two men (lifelines divides by zero)
        return pd.DataFrame(
            columns=[
                "predictor",
                "hazard_ratio",
                "ci_low",
                "ci_high",
                "p",
                "threshold_m_per_ml",
                "n_at_risk",
            ]
        )
    data = pd.DataFrame(
        {
            **{k: rows[k] / _SCALE[k] for k in _SCALE if k in rows and k not in ("age_years",)},
            "age_years": rows["age_years"] / _SCALE["age_years"],
            "log2_baseline_sperm": np.log2(rows["baseline_sperm_concentration_m_per_ml"]),
            "baseline_lh_iu_l": rows["baseline_lh_iu_l"],
            "T": rows[f"recovery_{threshold:g}_day"],
            "E": rows[f"recovery_{threshold:g}_event"].astype(int),
        }
    )[risk]
    # a covariate that (nearly) does not vary cannot be estimated: in a eugonadal population
    # every man's baseline LH is the reference value
    spread = data.std() / data.abs().mean().replace(0.0, 1.0)
    data = data.loc[:, (spread > 1e-6) | data.columns.isin(["T", "E"])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' convergence chatter; the CI says enough
        fit = lifelines.CoxPHFitter(penalizer=1e-4).fit(data, duration_col="T", event_col="E")
    s = fit.summary
    labels = dict(PREDICTORS)
    return pd.DataFrame(
        {
            "predictor": [labels[k] for k in s.index],
            "hazard_ratio": s["exp(coef)"].to_numpy(),
            "ci_low": s["exp(coef) lower 95%"].to_numpy(),
            "ci_high": s["exp(coef) upper 95%"].to_numpy(),
            "p": s["p"].to_numpy(),
            "threshold_m_per_ml": threshold,
            "n_at_risk": int(risk.sum()),
        }
    )
