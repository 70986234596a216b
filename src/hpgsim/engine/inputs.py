"""Typed inputs of a solve: from scenarios (or covariate arrays) to the initial states, the
individual parameters, the dose lines and the shared linear part that the production engine
(:mod:`hpgsim.engine.production`) and the reference solver (:mod:`hpgsim.engine.reference`)
both consume.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from hpgsim.engine import production
from hpgsim.engine.doses import DoseLines, dose_lines, stack_dose_lines
from hpgsim.engine.precision import require_x64
from hpgsim.model import axis
from hpgsim.model.conditions import Condition
from hpgsim.model.metabolic import insulin_shbg_offset
from hpgsim.scenario import (
    SPERM_MAX_M_PER_ML,
    TESTIS_VOLUME_MAX_ML,
    Problem,
    Scenario,
    ScenarioError,
)

__all__ = [
    "Covariates",
    "Inputs",
    "baseline_t_ng_dl",
    "consistent_covariates",
    "contradictions",
    "initialize",
    "prepare",
    "prepare_population",
    "scenario_pop",
    "t_from_covariates",
]


def baseline_t_ng_dl(scenario: Scenario, pop: Mapping[str, Any]) -> float:
    """The man's untreated total T: his own value, or the default of his condition."""
    pt = scenario.patient
    if pt.baseline_total_testosterone_ng_dl is not None:
        return float(pt.baseline_total_testosterone_ng_dl)
    if pt.condition == "healthy":
        return float(pop["T_ref"])
    if pt.condition == "congenital_hypogonadotropic_hypogonadism":
        return float(pop["T_default_chh"])
    return float(pop["T_default_hypogonadal"])


def t_from_covariates(scenario: Scenario) -> bool:
    """Whether the man's untreated T follows from his age and BMI (a healthy man whose
    scenario gives no baseline T: :func:`hpgsim.model.axis.covariate_baseline_t`)."""
    pt = scenario.patient
    return pt.baseline_total_testosterone_ng_dl is None and pt.condition == "healthy"


@dataclass(frozen=True)
class Covariates:
    """Per-man covariates of a batch, named as the scenario file's patient fields; every field
    an array over the men.

    Attributes:
        age_years: age, years.
        bmi_kg_m2: body-mass index, kg/m2.
        baseline_sperm_concentration_m_per_ml: untreated sperm concentration, M/mL.
        testicular_volume_ml: untreated testicular volume, mL.
        baseline_total_testosterone_ng_dl: untreated total T, ng/dL (defaults of the condition
            already applied: see :func:`baseline_t_ng_dl`; not used for a man with
            ``t_from_covariates``).
        condition: :class:`~hpgsim.model.conditions.Condition` codes.
        fasting_insulin_uU_ml: fasting insulin, uU/mL (NaN where not given), or ``None`` when
            no man has one (insulin resistance, :mod:`hpgsim.model.metabolic`).
        parameter_multipliers: between-man variability, parameter name -> multiplier per man
            (the derived constants are recomputed from each man's own values).
        t_from_covariates: per man, whether his untreated T follows from his age and BMI
            (:func:`t_from_covariates`), or ``None`` when no man's does.
    """

    age_years: np.ndarray
    bmi_kg_m2: np.ndarray
    baseline_sperm_concentration_m_per_ml: np.ndarray
    testicular_volume_ml: np.ndarray
    baseline_total_testosterone_ng_dl: np.ndarray
    condition: np.ndarray
    fasting_insulin_uU_ml: np.ndarray | None = None
    parameter_multipliers: Mapping[str, np.ndarray] = field(default_factory=dict)
    t_from_covariates: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.bmi_kg_m2)

    def take(self, index: np.ndarray) -> Covariates:
        """The men at ``index`` (every field, insulin and multipliers included)."""
        return Covariates(
            age_years=self.age_years[index],
            bmi_kg_m2=self.bmi_kg_m2[index],
            baseline_sperm_concentration_m_per_ml=self.baseline_sperm_concentration_m_per_ml[index],
            testicular_volume_ml=self.testicular_volume_ml[index],
            baseline_total_testosterone_ng_dl=self.baseline_total_testosterone_ng_dl[index],
            condition=self.condition[index],
            fasting_insulin_uU_ml=(
                None if self.fasting_insulin_uU_ml is None else self.fasting_insulin_uU_ml[index]
            ),
            parameter_multipliers={k: v[index] for k, v in self.parameter_multipliers.items()},
            t_from_covariates=(
                None if self.t_from_covariates is None else self.t_from_covariates[index]
            ),
        )

    @classmethod
    def from_scenarios(cls, scenarios: Sequence[Scenario], pop: Mapping[str, Any]) -> Covariates:
        """The patients of ``scenarios`` (``pop``: population parameters, for the condition's
        default baseline T)."""
        insulin = [s.patient.fasting_insulin_uU_ml for s in scenarios]
        own_t = np.array([t_from_covariates(s) for s in scenarios], bool)
        return cls(
            age_years=np.array([s.patient.age_years for s in scenarios], float),
            bmi_kg_m2=np.array([s.patient.bmi_kg_m2 for s in scenarios], float),
            baseline_sperm_concentration_m_per_ml=np.array(
                [s.patient.baseline_sperm_concentration_m_per_ml for s in scenarios], float
            ),
            testicular_volume_ml=np.array(
                [s.patient.testicular_volume_ml for s in scenarios], float
            ),
            baseline_total_testosterone_ng_dl=np.array(
                [baseline_t_ng_dl(s, pop) for s in scenarios]
            ),
            condition=np.array([int(Condition.from_label(s.patient.condition)) for s in scenarios]),
            fasting_insulin_uU_ml=(
                np.array([np.nan if x is None else x for x in insulin], float)
                if any(x is not None for x in insulin)
                else None
            ),
            t_from_covariates=own_t if own_t.any() else None,
        )

    @classmethod
    def from_draws(cls, draws: Mapping[str, np.ndarray]) -> Covariates:
        """Men drawn from a population (:func:`hpgsim.population.virtual_men.sample`): arrays
        keyed by patient field, and ``bsv_NAME`` multipliers of parameter NAME."""
        return cls(
            age_years=np.asarray(draws["age_years"], float),
            bmi_kg_m2=np.asarray(draws["bmi_kg_m2"], float),
            baseline_sperm_concentration_m_per_ml=np.asarray(
                draws["baseline_sperm_concentration_m_per_ml"], float
            ),
            testicular_volume_ml=np.asarray(draws["testicular_volume_ml"], float),
            baseline_total_testosterone_ng_dl=np.asarray(
                draws["baseline_total_testosterone_ng_dl"], float
            ),
            condition=np.asarray(draws["condition"]),
            parameter_multipliers={
                k.removeprefix("bsv_"): np.asarray(v)
                for k, v in draws.items()
                if k.startswith("bsv_")
            },
        )

    def arrays(self) -> dict[str, jax.Array]:
        """The fields as JAX arrays for the batched initialization (multipliers flattened to
        ``bsv_NAME``; the insulin offset of SHBG computed where insulin is given)."""
        out = {
            "age_years": self.age_years,
            "bmi_kg_m2": self.bmi_kg_m2,
            "baseline_sperm_concentration_m_per_ml": self.baseline_sperm_concentration_m_per_ml,
            "testicular_volume_ml": self.testicular_volume_ml,
            "baseline_total_testosterone_ng_dl": self.baseline_total_testosterone_ng_dl,
            "condition": self.condition,
            **{f"bsv_{k}": v for k, v in self.parameter_multipliers.items()},
        }
        if self.t_from_covariates is not None:
            out["t_from_covariates"] = np.asarray(self.t_from_covariates, bool)
        if self.fasting_insulin_uU_ml is not None:
            out["shbg_offset"] = insulin_shbg_offset(self.fasting_insulin_uU_ml, self.bmi_kg_m2)
        return {k: jnp.asarray(v) for k, v in out.items()}


@partial(jax.jit)
def _init(pop: dict[str, Any], cov: dict[str, jax.Array]) -> tuple[jax.Array, dict[str, Any]]:
    def one(c: dict[str, jax.Array]) -> tuple[jax.Array, dict[str, Any]]:
        # between-subject variability: covariates "bsv_NAME" multiply parameter NAME, and the
        # derived constants are recomputed from the man's own values
        mult = {k.removeprefix("bsv_"): v for k, v in c.items() if k.startswith("bsv_")}
        own = (
            axis.population_parameters({**pop, **{k: pop[k] * v for k, v in mult.items()}})
            if mult
            else pop
        )
        p, baseline = axis.patient_parameters(
            own,
            baseline_t_ng_dl=c["baseline_total_testosterone_ng_dl"],
            condition_code=c["condition"],
            bmi=c["bmi_kg_m2"],
            age=c["age_years"],
            testis_volume=c["testicular_volume_ml"],
            shbg_offset=c.get("shbg_offset", 0.0),
            from_covariates=c.get("t_from_covariates", False),
        )
        y0 = axis.steady_state(p, baseline)
        p = axis.attach_baseline_scales(
            p,
            y0,
            sperm_conc0=c["baseline_sperm_concentration_m_per_ml"],
            testis_volume0=c["testicular_volume_ml"],
        )
        return y0, p

    return jax.vmap(one)(cov)


def initialize(pop: Mapping[str, Any], covariates: Covariates) -> tuple[jax.Array, dict[str, Any]]:
    """Untreated steady states [men, states] and individual parameters (every leaf [men]) of
    ``covariates`` under population parameters ``pop`` (which may be traced: the fitter and
    the gradient bench differentiate through it)."""
    return _init(dict(pop), covariates.arrays())


@dataclass(frozen=True)
class Inputs:
    """Everything a solve needs for a batch of men, built once and consumed by the production
    engine and the reference solver alike.

    Attributes:
        y0: untreated steady states [men, states].
        params: individual parameters, every leaf [men].
        doses: the dose lines, times in ticks (:class:`~hpgsim.engine.doses.DoseLines`).
        a: the linear part of the model shared by the batch [states, states].
        live: indices of the states the batch can move (the others stay zero;
            :func:`hpgsim.engine.production.live_states`).
        max_step_days: the engine's longest step, days.
    """

    y0: jax.Array
    params: dict[str, Any]
    doses: DoseLines
    a: jax.Array
    live: tuple[int, ...]
    max_step_days: float = production.DEFAULT_STEP_DAYS


def _inputs(
    cov: Covariates,
    doses: DoseLines,
    pop_p: Mapping[str, Any],
    max_step_days: float,
) -> Inputs:
    """Steady states and individual parameters from the covariates, with the dose lines, the
    shared linear part and the live states."""
    pop_j = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in pop_p.items()}
    y0, params = _init(pop_j, cov.arrays())
    a = production.linear_part(pop_j)
    live = production.live_states(production.dosed_states(doses))
    return Inputs(y0=y0, params=params, doses=doses, a=a, live=live, max_step_days=max_step_days)


def contradictions(params: Mapping[str, Any]) -> dict[int, list[Problem]]:
    """Men whose covariates contradict each other, by index: a baseline sperm concentration
    or testis volume that, given how deprived the model finds his untreated testis (his
    condition and T), would put him above the largest the scenario accepts once treatment
    restores a eugonadal man's germ-cell support
    (:func:`hpgsim.model.axis.eugonadal_headroom`)."""
    sperm0 = np.atleast_1d(np.asarray(params["sperm_conc0"], float))
    sperm_top = np.atleast_1d(np.asarray(params["sperm_conc_eugonadal"], float))
    volume0 = np.atleast_1d(np.asarray(params["testis_volume0"], float))
    volume_top = np.atleast_1d(np.asarray(params["testis_volume_eugonadal"], float))
    out: dict[int, list[Problem]] = {}
    for i in range(len(sperm0)):
        problems = []
        if not sperm_top[i] <= SPERM_MAX_M_PER_ML * (1.0 + 1e-9):
            ratio = sperm_top[i] / sperm0[i]
            problems.append(
                Problem(
                    "patient.baseline_sperm_concentration_m_per_ml",
                    f"{sperm0[i]:.4g} M/mL",
                    f"his untreated spermatogenesis runs at {100.0 / ratio:.3g} % of what a "
                    "eugonadal man's support gives him (by the model, for his condition and "
                    f"baseline T), so this baseline implies {sperm_top[i]:,.0f} M/mL once "
                    "treatment restores that support, above "
                    f"the {SPERM_MAX_M_PER_ML:g} M/mL the scenario accepts: at most "
                    f"{SPERM_MAX_M_PER_ML / ratio:.3g} M/mL for this man",
                )
            )
        if not volume_top[i] <= TESTIS_VOLUME_MAX_ML * (1.0 + 1e-9):
            problems.append(
                Problem(
                    "patient.testicular_volume_ml",
                    f"{volume0[i]:.4g} mL",
                    "his germ cells would grow, once treatment restores a eugonadal man's "
                    f"support, to a testis of "
                    f"{volume_top[i]:.3g} mL (by the model, for his condition and baseline T), "
                    f"above the {TESTIS_VOLUME_MAX_ML:g} mL the scenario accepts: at most "
                    f"{volume0[i] * TESTIS_VOLUME_MAX_ML / volume_top[i]:.3g} mL for this man",
                )
            )
        if problems:
            out[i] = problems
    return out


def consistent_covariates(
    cov: Covariates, pop: Mapping[str, Any] | None = None
) -> tuple[Covariates, np.ndarray]:
    """``cov`` with each contradictory man's (:func:`contradictions`) baseline sperm
    concentration and testis volume lowered to the largest values that fit his condition and
    T, and the indices of the men changed. For men drawn from a population, whose covariates
    are drawn independently of each other: this truncates them to the joint box.

    The headroom hardly depends on the values lowered (the stem-cell output saturates a
    little with testis volume), so a few rounds of rescaling, each with a 0.1 % margin, fit
    every man; ValueError if some still do not (a testis at its 1-mL floor).
    """
    require_x64()
    pop_p = axis.population_parameters(pop)
    changed: set[int] = set()
    for _ in range(6):
        _, params = initialize(pop_p, cov)
        men = np.asarray(sorted(contradictions(params)), dtype=int)
        if men.size == 0:
            return cov, np.asarray(sorted(changed), dtype=int)
        changed.update(men.tolist())
        sperm = np.array(cov.baseline_sperm_concentration_m_per_ml, float, copy=True)
        volume = np.array(cov.testicular_volume_ml, float, copy=True)
        sperm_top = np.asarray(params["sperm_conc_eugonadal"], float)[men]
        volume_top = np.asarray(params["testis_volume_eugonadal"], float)[men]
        sperm[men] *= np.minimum(1.0, 0.999 * SPERM_MAX_M_PER_ML / sperm_top)
        volume[men] = np.maximum(
            1.0, volume[men] * np.minimum(1.0, 0.999 * TESTIS_VOLUME_MAX_ML / volume_top)
        )
        cov = replace(cov, baseline_sperm_concentration_m_per_ml=sperm, testicular_volume_ml=volume)
    _, params = initialize(pop_p, cov)
    left = sorted(contradictions(params))
    if left:
        raise ValueError(f"men {left[:20]}: covariates that no lower sperm or testis value fits")
    return cov, np.asarray(sorted(changed), dtype=int)


def scenario_pop(scenario: Scenario, pop: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameter overrides a solve of ``scenario`` uses: ``pop`` (a caller's, e.g. the
    fitter's), then the scenario's own ``parameters``, which take precedence."""
    return {**(pop or {}), **scenario.parameter_overrides}


def prepare(
    scenarios: Sequence[Scenario],
    *,
    pop: Mapping[str, Any] | None = None,
    max_step_days: float = production.DEFAULT_STEP_DAYS,
) -> Inputs:
    """The inputs of one batched solve of ``scenarios``: steady states, individual parameters,
    dose lines, the shared linear part and the live states. The scenarios share their
    parameter overrides (``Scenario.parameters``, applied over ``pop``); a batch that mixes
    them is a ValueError (:func:`hpgsim.engine.simulation.solve_many` groups them)."""
    require_x64()
    if len({s.parameters for s in scenarios}) > 1:
        raise ValueError("one batched solve needs scenarios with the same `parameters`")
    pop_p = axis.population_parameters(scenario_pop(scenarios[0], pop) if scenarios else pop)
    cov = Covariates.from_scenarios(scenarios, pop_p)
    doses = stack_dose_lines([dose_lines(s, pop_p) for s in scenarios])
    inputs = _inputs(cov, doses, pop_p, max_step_days)
    for i, problems in contradictions(inputs.params).items():
        raise ScenarioError(problems, scenarios[i].name)
    return inputs


def prepare_population(
    template: Scenario,
    covariates: Covariates,
    *,
    pop: Mapping[str, Any] | None = None,
    max_step_days: float = production.DEFAULT_STEP_DAYS,
) -> Inputs:
    """Like :func:`prepare` for many men sharing ``template``'s regimen, without building one
    scenario per man (:class:`Covariates`, e.g. :meth:`Covariates.from_draws`). Men whose
    covariates contradict each other (:func:`contradictions`) are a ValueError naming them
    (men drawn from a population: :func:`consistent_covariates` first). The template's
    parameter overrides apply to every man."""
    require_x64()
    pop_p = axis.population_parameters(scenario_pop(template, pop))
    n = len(covariates)
    one = dose_lines(template, pop_p)
    doses = DoseLines(
        **{
            f.name: np.broadcast_to(getattr(one, f.name), (n, len(one.state)))
            for f in fields(DoseLines)
        }
    )
    inputs = _inputs(covariates, doses, pop_p, max_step_days)
    bad = contradictions(inputs.params)
    if bad:
        first = next(iter(bad.values()))[0]
        raise ValueError(
            f"{len(bad)} of {n} men have covariates that contradict each other (men "
            f"{', '.join(map(str, list(bad)[:20]))}); the first: {first}"
        )
    return inputs
