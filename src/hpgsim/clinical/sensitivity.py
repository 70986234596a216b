"""Which model parameters a scenario's outcome is sensitive to: local elasticities by
forward-mode derivatives through the engine, and global Sobol indices over a cohort.

**Outputs** (:data:`OUTPUT_FORMS`): scalar summaries of one man's simulated course,

- ``months_to_20`` / ``months_to_15``: months (of 365.25/12 days) from the course's day 0 (the
  first missed androgen dose, else the first stimulant dose: :func:`~hpgsim.clinical.course.
  day_zero`) until sperm concentration is back at or above 20 / 15 M/mL, as
  :func:`~hpgsim.clinical.course.recovery_days` defines it: the first output time after the
  first sample below the threshold at which it is at or above it, interpolated linearly in log
  concentration between the two output times around the crossing. The interpolation makes the
  crossing time a differentiable function of the parameters wherever the bracketing pair of
  output times does not change (almost everywhere); at a change it is continuous but has a
  kink. The course is followed for :data:`~hpgsim.clinical.course.RECOVERY_FOLLOW_UP_MONTHS`
  months after day 0 (:func:`~hpgsim.clinical.course.with_recovery_follow_up`).
- ``COLUMN@DAY``: the reported column at day ``DAY``, interpolated linearly between output times.
- ``mean:COLUMN``, ``min:COLUMN``, ``max:COLUMN``: over every output time of the horizon.

**Local sensitivities** (:func:`local_sensitivities`): the elasticity of the output ``y`` to
each parameter ``p``, ``d ln y / d ln p = (p / y) dy/dp``: the percent change of the output per
percent change of the parameter, at the table's values (or the scenario's own ``parameters``).
Each parameter is written ``p = p0 exp(u)`` and the derivatives by every ``u`` at 0 come from one
forward-mode solve (``jax.jacfwd``: primal and tangents together). Reverse mode would pad every
output interval to the longest (a day of 1.25-minute gonadorelin steps), about 60 times slower
here. A parameter whose value is 0 has elasticity 0 by this definition. Each table entry moves
alone: a ``Derived`` row is an entry of its own and does not follow the rows it was derived
from; the derived constants of :func:`~hpgsim.model.axis.population_parameters` do follow.

**Sobol indices** (:func:`sobol_indices`): Saltelli's sampling (SALib) of K parameters within
their ranges (:func:`parameter_range`): a calibrated parameter within its fit bounds, uniform on
the log scale the fitter works on; any other within +-``rel_range`` of its value, uniform. Each
of the ``N (2K + 2)`` sampled parameter sets is one virtual man of a cohort (the scenario's
patient and regimen), solved in batches; S1 (first order: the share of the output's variance
explained by the parameter alone) and ST (total: including its interactions) with their 95 %
bootstrap half-widths. A sampled man whose sperm never fell below a recovery threshold counts
0 months (as :func:`~hpgsim.clinical.course.recovery_days`); one not back by the end of the
follow-up is an error (no man is dropped).

Parameters of a man enter the batched solve as multipliers of the table values (the mechanism
of between-man variability, :class:`~hpgsim.engine.inputs.Covariates`), the dose amounts
follow the parameters they are made of (bioavailability, mass fractions), and a patient with no
baseline testosterone of his own keeps his condition's default (``T_ref`` ...) as it moves
(a healthy one, whose T follows from his age and BMI, through the reference man that
``T_ref`` sets).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from hpgsim.clinical.course import day_zero, with_recovery_follow_up
from hpgsim.engine import production
from hpgsim.engine.doses import dose_lines
from hpgsim.engine.inputs import Covariates, Inputs, initialize, prepare, scenario_pop
from hpgsim.measure.events import DAYS_PER_MONTH
from hpgsim.model import axis
from hpgsim.model.drugs import WIRING
from hpgsim.model.parameters import PARAMETERS, Calibrated
from hpgsim.optional import require
from hpgsim.scenario import Scenario, scenario_from_dict

__all__ = [
    "OUTPUT_FORMS",
    "LocalSensitivity",
    "OutputSpec",
    "SensitivityError",
    "SobolResult",
    "UndefinedOutputError",
    "local_sensitivities",
    "output_function",
    "parameter_range",
    "parse_output",
    "sobol_indices",
]

_ROWS = {p.name: p for p in PARAMETERS}

RECOVERY_THRESHOLDS: dict[str, float] = {"months_to_20": 20.0, "months_to_15": 15.0}
"""The recovery outputs and their sperm-concentration thresholds, M/mL."""

OUTPUT_FORMS: dict[str, str] = {
    "months_to_20": "months from day 0 (the first missed androgen dose, else the first "
    "stimulant dose) until sperm concentration is back at >= 20 M/mL",
    "months_to_15": "the same to >= 15 M/mL",
    "COLUMN@DAY": "the reported COLUMN at day DAY (linear between output times), e.g. "
    "total_testosterone_ng_dl@365",
    "mean:COLUMN": "mean of COLUMN over the output times of the horizon",
    "min:COLUMN": "smallest value of COLUMN over the horizon",
    "max:COLUMN": "largest value of COLUMN over the horizon",
}
"""Every output form, with what it means (units: months, or the column's own)."""

_SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_ng_dl", "ng/dL"),
    ("_pg_ml", "pg/mL"),
    ("_ng_ml", "ng/mL"),
    ("_iu_l", "IU/L"),
    ("_nmol_l", "nmol/L"),
    ("_m_per_ml", "M/mL"),
    ("_ml", "mL"),
    ("_fraction", "1"),
)

UNDEFINED_STATUS = {
    1: "it never fell below the threshold after day 0 (0 months: no elasticity)",
    2: "it is not back at the threshold by the end of the follow-up",
}


class SensitivityError(ValueError):
    """A request the analysis cannot run: an unknown output or parameter, a bad range."""


class UndefinedOutputError(SensitivityError):
    """The output has no value for this scenario (e.g. sperm never back at 20 M/mL)."""


def column_unit(column: str) -> str:
    """The unit of a reported column, from its name's suffix."""
    for suffix, unit in _SUFFIX_UNITS:
        if column.endswith(suffix):
            return unit
    return "1"


@dataclass(frozen=True)
class OutputSpec:
    """A parsed output.

    Attributes:
        name: as given (``months_to_20``, ``lh_iu_l@365``, ``mean:estradiol_pg_ml``).
        kind: ``recovery``, ``at``, ``mean``, ``min`` or ``max``.
        column: the reported column it reads.
        unit: the output's unit (``month`` for recovery).
        threshold: recovery threshold, M/mL (recovery only).
        day: the day read, days (``at`` only).
    """

    name: str
    kind: str
    column: str
    unit: str
    threshold: float = math.nan
    day: float = math.nan


def _columns(scenario: Scenario) -> tuple[str, ...]:
    drugs = tuple(c for d in scenario.drugs_present() for c in WIRING[d].output_columns)
    return (*axis.HORMONE_COLUMNS, *drugs)


def _unknown_output(name: str, scenario: Scenario, why: str) -> SensitivityError:
    forms = "; ".join(f"{k}: {v}" for k, v in OUTPUT_FORMS.items())
    return SensitivityError(
        f"output: got {name!r} ({why}); allowed: {forms}. COLUMN is one of: "
        f"{', '.join(_columns(scenario))}"
    )


def parse_output(name: str, scenario: Scenario) -> OutputSpec:
    """The :class:`OutputSpec` of ``name`` for ``scenario`` (whose columns it may read);
    :class:`SensitivityError` naming the value and every allowed form and column."""
    text = name.strip()
    if text in RECOVERY_THRESHOLDS:
        col = "sperm_concentration_m_per_ml"
        return OutputSpec(text, "recovery", col, "month", threshold=RECOVERY_THRESHOLDS[text])
    columns = _columns(scenario)
    match = re.fullmatch(r"(mean|min|max):(\w+)", text)
    if match:
        kind, col = match.groups()
        if col not in columns:
            raise _unknown_output(name, scenario, f"no column {col!r} in this scenario")
        return OutputSpec(text, kind, col, column_unit(col))
    match = re.fullmatch(r"(\w+)@([0-9.eE+-]+)", text)
    if match:
        col, day_text = match.groups()
        if col not in columns:
            raise _unknown_output(name, scenario, f"no column {col!r} in this scenario")
        try:
            day = float(day_text)
        except ValueError:
            raise _unknown_output(name, scenario, f"DAY {day_text!r} is not a number") from None
        if not 0.0 <= day <= scenario.horizon_days:
            raise _unknown_output(
                name, scenario, f"day {day:g} outside the horizon 0-{scenario.horizon_days:g} d"
            )
        return OutputSpec(text, "at", col, column_unit(col), day=day)
    raise _unknown_output(name, scenario, "not an output form")


def _unknown_parameter(name: str) -> SensitivityError:
    close = [k for k in _ROWS if k.lower() == name.lower() or name.lower() in k.lower()][:5]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return SensitivityError(
        f"parameter: got {name!r}{hint}; allowed: the names of `hpgsim model show`: "
        f"{', '.join(_ROWS)}"
    )


def check_parameters(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` as a tuple, each a model parameter and given once (else SensitivityError)."""
    for name in names:
        if name not in _ROWS:
            raise _unknown_parameter(name)
    if len(set(names)) < len(names) or not names:
        raise SensitivityError(f"parameters: got {list(names)}; allowed: distinct names, >= 1")
    return tuple(names)


# ------------------------------------------------------------------ the output as a function


def reduce_output(spec: OutputSpec, out: Any, times: np.ndarray, t0: float) -> tuple[Any, Any]:
    """(value, status) of ``spec`` for each man from readouts ``out`` [outputs, men, columns]
    at ``times`` (days); ``t0``: day 0 of recovery, days. Status 0: defined; otherwise a key of
    :data:`UNDEFINED_STATUS`. Written with ``jax.numpy`` (differentiable; numpy arrays work)."""
    x = out[:, :, axis.OUTPUT_COLUMNS.index(spec.column)]
    t = jnp.asarray(times)[:, None]
    zero = jnp.zeros(x.shape[1], dtype=jnp.int32)
    if spec.kind == "mean":
        return jnp.mean(x, axis=0), zero
    if spec.kind == "min":
        return jnp.min(x, axis=0), zero
    if spec.kind == "max":
        return jnp.max(x, axis=0), zero
    if spec.kind == "at":
        every = float(times[1] - times[0]) if len(times) > 1 else 1.0
        i = min(int(spec.day // every), len(times) - 2) if len(times) > 1 else 0
        if len(times) == 1:
            return x[0], zero
        w = (spec.day - float(times[i])) / every
        return (1.0 - w) * x[i] + w * x[i + 1], zero
    # recovery: as clinical.course.recovery_days, interpolated in log concentration
    idx = jnp.arange(x.shape[0])[:, None]
    below = (t >= t0 - 1e-9) & (x < spec.threshold)
    fell = jnp.any(below, axis=0)
    first_below = jnp.argmax(below, axis=0)
    back = (idx >= first_below[None, :]) & (x >= spec.threshold)
    recovered = jnp.any(back, axis=0)
    k = jnp.maximum(jnp.argmax(back, axis=0), 1)
    lanes = jnp.arange(x.shape[1])
    lo, hi = x[k - 1, lanes], x[k, lanes]
    l0, l1 = jnp.log(jnp.maximum(lo, 1e-12)), jnp.log(jnp.maximum(hi, 1e-12))
    same = l1 == l0
    frac = jnp.where(same, 1.0, (math.log(spec.threshold) - l0) / jnp.where(same, 1.0, l1 - l0))
    t_all = jnp.asarray(times)
    hit = t_all[k - 1] + frac * (t_all[k] - t_all[k - 1])
    status = jnp.where(fell, jnp.where(recovered, 0, 2), 1).astype(jnp.int32)
    months = jnp.where(status == 0, (hit - t0) / DAYS_PER_MONTH, 0.0)
    return months, status


def _with_horizon(scenario: Scenario, days: float) -> Scenario:
    data = scenario.to_input_dict()
    data["horizon"] = f"{days!r} d"
    return scenario_from_dict(data, source=scenario.name)


def prepared_scenario(scenario: Scenario, spec: OutputSpec) -> tuple[Scenario, float]:
    """(the scenario as the output reads it, day 0): a recovery output follows the course for
    :data:`~hpgsim.clinical.course.RECOVERY_FOLLOW_UP_MONTHS` after day 0."""
    if spec.kind == "recovery":
        scenario, _ = with_recovery_follow_up(scenario)
        return scenario, day_zero(scenario)
    return scenario, 0.0


def _dose_exponents(scenario: Scenario, names: Sequence[str], pop: Mapping[str, Any]) -> np.ndarray:
    """[dose lines, parameters]: the power of each parameter in each dose line's amount (a dose
    amount is a product of parameters: bioavailability, mass fraction over molar mass), found
    by doubling each parameter; a SensitivityError if an amount is not such a product."""
    base = dose_lines(scenario, dict(pop)).amount
    out = np.zeros((len(base), len(names)))
    nonzero = base != 0.0
    for k, name in enumerate(names):
        if pop[name] == 0.0:
            continue
        powers = []
        for factor in (2.0, 0.5):
            moved = axis.population_parameters({**pop, name: pop[name] * factor})
            amount = dose_lines(scenario, moved).amount
            powers.append(np.log(amount[nonzero] / base[nonzero]) / math.log(factor))
        if not np.allclose(powers[0], powers[1], atol=1e-9) or not np.allclose(
            powers[0], np.round(powers[0]), atol=1e-9
        ):
            raise SensitivityError(f"parameter {name!r}: the dose amounts are not a power of it")
        out[nonzero, k] = np.round(powers[0])
    return out


@dataclass(frozen=True)
class OutputFunction:
    """The output as a function of per-man log-multipliers of chosen parameters.

    Attributes:
        fn: ``fn(u)`` with ``u`` [men, parameters] (each parameter ``p0 exp(u)``) -> (value
            [men], status [men]); traceable (``jax.jacfwd``).
        scenario: the scenario solved (horizon as the output needs it).
        spec: the output.
        names: the parameters, in ``u``'s column order.
        base: their values at ``u = 0`` (the scenario's overrides, else the table's).
    """

    fn: Callable[[Any], tuple[Any, Any]]
    scenario: Scenario
    spec: OutputSpec
    names: tuple[str, ...]
    base: np.ndarray


def _default_t_parameter(scenario: Scenario) -> str | None:
    pt = scenario.patient
    if pt.baseline_total_testosterone_ng_dl is not None:
        return None
    if pt.condition == "healthy":
        return "T_ref"
    if pt.condition == "congenital_hypogonadotropic_hypogonadism":
        return "T_default_chh"
    return "T_default_hypogonadal"


def output_function(
    scenario: Scenario, spec: OutputSpec, names: Sequence[str], *, horizon_days: float | None = None
) -> OutputFunction:
    """The output ``spec`` of ``scenario`` as a traceable function of per-man log-multipliers
    of ``names`` (:class:`OutputFunction`). ``horizon_days`` shortens the solve (a recovery
    output needs only the course up to its crossing)."""
    names = check_parameters(names)
    sc, t0 = prepared_scenario(scenario, spec)
    if horizon_days is not None:
        sc = _with_horizon(sc, horizon_days)
    prep: Inputs = prepare([sc])
    pop = axis.population_parameters(scenario_pop(sc))
    pop_j = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in pop.items()}
    cov = Covariates.from_scenarios([sc], pop)
    exponents = jnp.asarray(_dose_exponents(sc, names, pop))
    amounts = jnp.asarray(prep.doses.amount[0])
    base = np.array([float(pop[n]) for n in names])
    t_name = _default_t_parameter(sc)
    t_col = names.index(t_name) if t_name in names else None
    n_out = int(sc.horizon_days / sc.output_every_days + 1e-9) + 1
    times = np.arange(n_out) * sc.output_every_days

    def fn(u: Any) -> tuple[Any, Any]:
        men = u.shape[0]
        # traced (jax.jacfwd) where numpy arrays are declared: Covariates and DoseLines take
        # them as they are (their arrays go through jnp.asarray)
        mult: Any = jnp.exp(u)
        men_cov = replace(
            cov.take(np.zeros(men, dtype=int)),  # the one man, once per row of u
            parameter_multipliers={n: mult[:, k] for k, n in enumerate(names)},
        )
        if t_col is not None:  # his baseline T is his condition's default: it moves with it
            moved: Any = jnp.asarray(men_cov.baseline_total_testosterone_ng_dl) * mult[:, t_col]
            men_cov = replace(men_cov, baseline_total_testosterone_ng_dl=moved)
        y0, params = initialize(pop_j, men_cov)
        amount: Any = amounts[None, :] * jnp.exp(u @ exponents.T)
        doses = replace(
            prep.doses,
            **{
                f: np.repeat(getattr(prep.doses, f), men, axis=0)
                for f in ("state", "start", "every", "count", "fast", "onset", "ladder")
            },
            amount=amount,
        )
        out = production.solve(
            y0,
            params,
            doses,
            prep.a,
            prep.live,
            horizon_days=sc.horizon_days,
            output_every_days=sc.output_every_days,
            max_step_days=prep.max_step_days,
        )
        return reduce_output(spec, out, times, t0)

    return OutputFunction(fn, sc, spec, names, base)


def _undefined(spec: OutputSpec, scenario: Scenario, status: int, t0: float) -> None:
    if status != 0:
        raise UndefinedOutputError(
            f"output {spec.name!r} is undefined for scenario {scenario.name!r}: sperm "
            f"concentration (from day 0 = day {t0:g}, horizon {scenario.horizon_days:g} d): "
            f"{UNDEFINED_STATUS[status]}; choose another output or scenario"
        )


# ------------------------------------------------------------------ local sensitivities


@dataclass(frozen=True)
class LocalSensitivity:
    """Local sensitivities of one output.

    Attributes:
        table: one row per parameter, sorted by |elasticity| (largest first): ``parameter``,
            ``unit``, ``value`` (in ``unit``), ``elasticity`` (d ln output / d ln parameter,
            dimensionless), ``derivative`` (d output / d parameter, output unit per parameter
            unit), ``group``, ``calibrated``.
        scenario: the scenario's name.
        output: the output's name.
        unit: the output's unit.
        value: the output's value at the parameters' values.
        seconds: wall time of the analysis, s.
    """

    table: pd.DataFrame
    scenario: str
    output: str
    unit: str
    value: float
    seconds: float


def _recovery_horizon(scenario: Scenario, spec: OutputSpec) -> tuple[float | None, float]:
    """For a recovery output: (a horizon just past the crossing, value) from one plain solve;
    an UndefinedOutputError if there is no crossing."""
    if spec.kind != "recovery":
        return None, math.nan
    of = output_function(scenario, spec, (PARAMETERS[0].name,))
    value, status = of.fn(jnp.zeros((1, 1)))
    _, t0 = prepared_scenario(scenario, spec)
    _undefined(spec, of.scenario, int(status[0]), t0)
    every = of.scenario.output_every_days
    crossing = t0 + float(value[0]) * DAYS_PER_MONTH
    horizon = min(of.scenario.horizon_days, (math.floor(crossing / every) + 2) * every)
    return horizon, float(value[0])


def local_sensitivities(
    scenario: Scenario, output: str, *, parameters: Sequence[str] | None = None
) -> LocalSensitivity:
    """Elasticities of ``output`` (:func:`parse_output`) of ``scenario`` to each of
    ``parameters`` (default: every parameter of the table), by ``jax.jacfwd`` through the
    initialization and one solve (module doc). SensitivityError for an unknown output or
    parameter; UndefinedOutputError where the output has no value (no NaN is returned)."""
    started = time.perf_counter()
    production.enable_compilation_cache()  # a second run of the same analysis skips XLA
    spec = parse_output(output, scenario)
    names = check_parameters(list(parameters) if parameters is not None else list(_ROWS))
    horizon, _ = _recovery_horizon(scenario, spec)
    of = output_function(scenario, spec, names, horizon_days=horizon)

    def scalar(v: jax.Array) -> tuple[jax.Array, tuple[jax.Array, jax.Array]]:
        value, status = of.fn(v[None, :])
        return value[0], (value[0], status[0])

    grad, (value, status) = jax.jit(jax.jacfwd(scalar, has_aux=True))(jnp.zeros(len(names)))
    _, t0 = prepared_scenario(scenario, spec)
    _undefined(spec, of.scenario, int(status), t0)
    y = float(value)
    du = np.asarray(grad, dtype=float)  # d output / d ln p
    if not np.all(np.isfinite(du)) or y == 0.0:
        raise UndefinedOutputError(
            f"output {spec.name!r} of scenario {scenario.name!r}: value {y:g} "
            f"{spec.unit}; the elasticity is not defined there"
        )
    elasticity = du / y + 0.0  # no -0.0 in the table
    derivative = np.where(of.base != 0.0, du / np.where(of.base != 0.0, of.base, 1.0), 0.0)
    table = pd.DataFrame(
        {
            "parameter": names,
            "unit": [_ROWS[n].unit for n in names],
            "value": of.base,
            "elasticity": elasticity,
            "derivative": derivative,
            "group": [_ROWS[n].group for n in names],
            "calibrated": [isinstance(_ROWS[n].provenance, Calibrated) for n in names],
        }
    )
    order = np.argsort(-np.abs(elasticity), kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    return LocalSensitivity(
        table, scenario.name, spec.name, spec.unit, y, time.perf_counter() - started
    )


# ------------------------------------------------------------------ Sobol indices


def parameter_range(name: str, value: float, rel_range: float) -> tuple[float, float, bool]:
    """(low, high, log scale) sampled for parameter ``name`` at ``value``: a calibrated
    parameter's fit bounds, on the log scale; any other ``value`` +- ``rel_range`` of itself,
    linear. SensitivityError for a zero value (no relative range)."""
    prov = _ROWS[name].provenance
    if isinstance(prov, Calibrated):
        return prov.lower, prov.upper, True
    if value == 0.0:
        raise SensitivityError(f"parameter {name!r}: value 0 has no relative range")
    if not 0.0 < rel_range < 1.0:
        raise SensitivityError(f"range: got {rel_range:g}; allowed: 0 < range < 1")
    a, b = value * (1.0 - rel_range), value * (1.0 + rel_range)
    return min(a, b), max(a, b), False


@dataclass(frozen=True)
class SobolResult:
    """Global Sobol indices of one output.

    Attributes:
        table: one row per parameter, sorted by ST (largest first): ``parameter``, ``unit``,
            ``value``, ``low``, ``high`` (the range sampled, in ``unit``), ``scale``
            (``log``: uniform in log within the fit bounds; ``linear``: +-range),
            ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (half-widths of 95 % intervals).
        scenario: the scenario's name.
        output, unit: the output and its unit.
        n: base samples N; solves: N (2K + 2) men.
        output_mean, output_std: of the output over the cohort, in ``unit``.
        seconds: wall time, s.
    """

    table: pd.DataFrame
    scenario: str
    output: str
    unit: str
    n: int
    solves: int
    output_mean: float
    output_std: float
    seconds: float


def sobol_indices(
    scenario: Scenario,
    output: str,
    parameters: Sequence[str],
    *,
    n: int = 256,
    rel_range: float = 0.2,
    seed: int = 0,
    batch: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> SobolResult:
    """S1 and ST of ``output`` of ``scenario`` for ``parameters`` (module doc): SALib's
    Saltelli sampling of ``n`` base samples (``n (2K + 2)`` men, solved ``batch`` at a time;
    ``progress(done, total)`` after each batch), seeded by ``seed``. UndefinedOutputError if
    the output is undefined for some sampled men (none is dropped silently)."""
    started = time.perf_counter()
    production.enable_compilation_cache()
    sample_mod = require("SALib.sample.sobol", "sensitivity", "global Sobol indices")
    analyze_mod = require("SALib.analyze.sobol", "sensitivity", "global Sobol indices")
    spec = parse_output(output, scenario)
    names = check_parameters(parameters)
    if n < 2:
        raise SensitivityError(f"n: got {n}; allowed: a whole number >= 2 (a power of 2)")
    of = output_function(scenario, spec, names)
    ranges = [parameter_range(k, float(v), rel_range) for k, v in zip(names, of.base, strict=True)]
    bounds = [[math.log(lo), math.log(hi)] if log else [lo, hi] for lo, hi, log in ranges]
    problem = {"num_vars": len(names), "names": list(names), "bounds": bounds}
    x = np.asarray(sample_mod.sample(problem, n, calc_second_order=True, seed=seed))
    values = np.column_stack(
        [np.exp(x[:, k]) if log else x[:, k] for k, (_, _, log) in enumerate(ranges)]
    )
    u = np.log(values / of.base[None, :])
    run = of.fn  # not jitted: the engine then solves a large batch in threads (engine.chunks)
    ys, statuses = [], []
    for start in range(0, len(u), batch):
        part = u[start : start + batch]
        pad = batch - len(part)
        padded = np.concatenate([part, np.repeat(part[-1:], pad, axis=0)]) if pad else part
        y, status = run(jnp.asarray(padded))
        ys.append(np.asarray(y)[: len(part)])
        statuses.append(np.asarray(status)[: len(part)])
        if progress is not None:
            progress(min(start + batch, len(u)), len(u))
    y_all, status_all = np.concatenate(ys), np.concatenate(statuses)
    # a man whose sperm never fell below the threshold recovered in 0 months (the clinical
    # layer's convention: a value for a variance, though not for an elasticity); one not back
    # by the end of the follow-up has no value
    bad = np.flatnonzero(status_all == 2)
    if bad.size or not np.all(np.isfinite(y_all)):
        why = UNDEFINED_STATUS.get(int(status_all[bad[0]]), "not finite") if bad.size else ""
        raise UndefinedOutputError(
            f"output {spec.name!r} is undefined for {max(bad.size, 1)} of {len(y_all)} sampled "
            f"men of scenario {scenario.name!r} ({why}); narrow --range or choose other "
            "parameters"
        )
    res = analyze_mod.analyze(problem, y_all, calc_second_order=True, seed=seed)
    table = pd.DataFrame(
        {
            "parameter": names,
            "unit": [_ROWS[k].unit for k in names],
            "value": of.base,
            "low": [r[0] for r in ranges],
            "high": [r[1] for r in ranges],
            "scale": ["log" if r[2] else "linear" for r in ranges],
            "S1": np.asarray(res["S1"], float),
            "S1_conf": np.asarray(res["S1_conf"], float),
            "ST": np.asarray(res["ST"], float),
            "ST_conf": np.asarray(res["ST_conf"], float),
        }
    )
    table = table.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)
    return SobolResult(
        table,
        scenario.name,
        spec.name,
        spec.unit,
        n,
        len(y_all),
        float(np.mean(y_all)),
        float(np.std(y_all)),
        time.perf_counter() - started,
    )
