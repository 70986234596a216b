"""Typed inputs of a solve: from scenarios (or covariate arrays) to the initial states, the
individual parameters, the dose lines and the shared linear part that the production engine
(:mod:`hpgsim.engine.production`) and the reference solver (:mod:`hpgsim.engine.reference`)
both consume.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from hpgsim.engine import production
from hpgsim.engine.doses import DoseLines, dose_lines, fine_factor, stack_dose_lines
from hpgsim.model import axis
from hpgsim.model.metabolic import insulin_shbg_offset
from hpgsim.scenario import Scenario

__all__ = ["Prepared", "baseline_t_ng_dl", "prepare", "prepare_population"]


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
        p = axis.patient_parameters(
            own,
            baseline_t_ng_dl=c["baseline_t"],
            condition_code=c["condition"],
            bmi=c["bmi"],
            age=c["age"],
            testis_volume=c["volume0"],
            shbg_offset=c.get("shbg_offset", 0.0),
        )
        y0 = axis.steady_state(p)
        p = axis.attach_baseline_scales(p, y0, sperm_conc0=c["sperm0"], testis_volume0=c["volume0"])
        return y0, p

    return jax.vmap(one)(cov)


@dataclass(frozen=True)
class Prepared:
    """Everything a solve needs for a batch of scenarios."""

    y0: jax.Array
    params: dict[str, Any]
    doses: Any
    a: jax.Array
    h: float
    m: int = 1


def _prepared(
    cov: Mapping[str, np.ndarray],
    doses: DoseLines,
    pop_p: Mapping[str, Any],
    h: float,
    m: int,
) -> Prepared:
    """Steady states and individual parameters from covariate arrays (see
    :func:`prepare_population`), with the dose lines and the shared linear part."""
    pop_j = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in pop_p.items()}
    y0, params = _init(pop_j, {k: jnp.asarray(v) for k, v in cov.items()})
    a = production.linear_part(pop_j)
    return Prepared(y0=y0, params=params, doses=doses, a=a, h=h, m=m)


def prepare(
    scenarios: Sequence[Scenario],
    *,
    pop: Mapping[str, Any] | None = None,
    h: float = production.DEFAULT_STEP_DAYS,
) -> Prepared:
    """Steady states, individual parameters, dose lines and the shared linear part."""
    pop_p = axis.population_parameters(pop)
    cov = {
        "baseline_t": np.array([baseline_t_ng_dl(s, pop_p) for s in scenarios]),
        "condition": np.array([axis.CONDITIONS.index(s.patient.condition) for s in scenarios]),
        "bmi": np.array([s.patient.bmi_kg_m2 for s in scenarios], float),
        "age": np.array([s.patient.age_years for s in scenarios], float),
        "sperm0": np.array(
            [s.patient.baseline_sperm_concentration_m_per_ml for s in scenarios], float
        ),
        "volume0": np.array([s.patient.testicular_volume_ml for s in scenarios], float),
    }
    insulin = [s.patient.fasting_insulin_uU_ml for s in scenarios]
    if any(x is not None for x in insulin):  # insulin resistance (hpgsim.model.metabolic)
        given = np.array([np.nan if x is None else x for x in insulin], float)
        cov["shbg_offset"] = insulin_shbg_offset(given, cov["bmi"])
    m = max(fine_factor(s, h) for s in scenarios)
    doses = stack_dose_lines([dose_lines(s, pop_p, h, m) for s in scenarios])
    return _prepared(cov, doses, pop_p, h, m)


def prepare_population(
    template: Scenario,
    covariates: Mapping[str, np.ndarray],
    *,
    pop: Mapping[str, Any] | None = None,
    h: float = production.DEFAULT_STEP_DAYS,
) -> Prepared:
    """Like :func:`prepare` for many men sharing ``template``'s regimen, without building one
    scenario per man: ``covariates`` holds arrays ``baseline_t``, ``condition`` (codes of
    :data:`hpgsim.model.axis.CONDITIONS`), ``bmi``, ``age``, ``sperm0`` and ``volume0``, and
    optionally ``bsv_NAME`` arrays that multiply parameter NAME man by man (between-subject
    variability; see :mod:`hpgsim.population.virtual_men`)."""
    pop_p = axis.population_parameters(pop)
    n = len(covariates["bmi"])
    m = fine_factor(template, h)
    one = dose_lines(template, pop_p, h, m)
    doses = DoseLines(
        **{
            f.name: np.broadcast_to(getattr(one, f.name), (n, len(one.state)))
            for f in fields(DoseLines)
        }
    )
    return _prepared(covariates, doses, pop_p, h, m)
