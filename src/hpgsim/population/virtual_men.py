"""Virtual populations as data: covariate distributions and between-subject variability.

A population file (``src/hpgsim/data/populations/NAME.json``) holds, each with its source:

- ``covariates``: distributions of the patient fields (age, BMI, baseline sperm concentration,
  testicular volume, baseline testosterone, condition), truncated to ``low``..``high`` by
  inverse-CDF sampling (so the number of draws never depends on the values);
- ``variability``: the model parameters that vary between its men. Their coefficients of
  variation, with sources, are the parameter table's (``bsv_cv``, ``bsv_source``; one place);
  log-normal, theta_i = theta x exp(eta_i), eta_i ~ N(0, omega^2), omega^2 = ln(1 + cv^2) (the
  NONMEM convention: the typical value is the median man's).

:func:`sample` draws men ``start..stop`` of a seeded population in fixed blocks of
:data:`BLOCK` men, so a man's draws depend only on the seed and his index: the same seed gives
the same men however a trial is chunked or spread over workers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from scipy.stats import norm

from hpgsim.model.conditions import Condition
from hpgsim.model.parameters import PARAMETERS

__all__ = ["BLOCK", "POPULATIONS", "Population", "load_population", "sample", "with_variability"]

BLOCK = 512  # men per random block (fixed: changing it changes every trial's men)

COVARIATES = (
    "age_years",
    "bmi_kg_m2",
    "baseline_sperm_concentration_m_per_ml",
    "testicular_volume_ml",
    "baseline_total_testosterone_ng_dl",
    "condition",
)
_FOLDER = resources.files("hpgsim").joinpath("data/populations")
POPULATIONS: tuple[str, ...] = tuple(
    sorted(p.name.removesuffix(".json") for p in _FOLDER.iterdir() if p.name.endswith(".json"))
)
"""Names of the shipped populations."""


@dataclass(frozen=True)
class Population:
    """A population file, parsed: ``covariates`` and ``variability`` as in the file."""

    name: str
    description: str
    covariates: dict[str, dict[str, Any]]
    variability: dict[str, dict[str, Any]]

    def __post_init__(self) -> None:
        missing = set(COVARIATES) - set(self.covariates)
        if missing:
            raise ValueError(f"population {self.name!r}: covariates {sorted(missing)} missing")
        for name, spec in self.variability.items():
            if not (0.0 < float(spec["cv"]) <= 3.0) or not spec.get("source"):
                raise ValueError(f"population {self.name!r}: {name} needs 0 < cv <= 3, a source")
        weights = self.covariates["condition"]["weights"]
        if set(weights) - set(Condition.labels()) or not math.isclose(sum(weights.values()), 1.0):
            raise ValueError(
                f"population {self.name!r}: condition weights {weights} must name conditions "
                f"of {Condition.labels()} and sum to 1"
            )


def load_population(name: str) -> Population:
    """The shipped population ``name`` (see :data:`POPULATIONS`)."""
    if name not in POPULATIONS:
        raise ValueError(f"population {name!r} is not known; allowed: {', '.join(POPULATIONS)}")
    data = json.loads(_FOLDER.joinpath(f"{name}.json").read_text())
    return Population(
        name=data["name"],
        description=data["description"],
        covariates=data["covariates"],
        variability=_variability(name, data["variability"]),
    )


def with_variability(pop: Population, cv: Mapping[str, float]) -> Population:
    """``pop`` with the between-man CVs of the parameters named in ``cv`` replaced (each must
    be one the population varies; 0 < cv <= 3). A man's standard-normal draws do not depend on
    the CVs, so the same seed gives the same men with their spread rescaled (common random
    numbers: what the spread fit of :mod:`hpgsim.evidence.spread` relies on)."""
    unknown = sorted(set(cv) - set(pop.variability))
    if unknown:
        raise ValueError(
            f"variability: {', '.join(unknown)} not varied in population {pop.name!r}; "
            f"allowed: {', '.join(sorted(pop.variability))}"
        )
    variability = {k: dict(v) for k, v in pop.variability.items()}
    for name, value in cv.items():
        if not 0.0 < float(value) <= 3.0:
            raise ValueError(f"variability: {name} cv {value}; allowed: above 0 and at most 3")
        variability[name] = {"cv": float(value), "source": "override (TrialDesign.variability_cv)"}
    return Population(pop.name, pop.description, pop.covariates, variability)


def _variability(population: str, names: list[str]) -> dict[str, dict[str, Any]]:
    """The table's between-man CV and its source for each parameter the file names."""
    rows = {p.name: p for p in PARAMETERS}
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        row = rows.get(name)
        if row is None:
            raise ValueError(f"population {population!r}: variability on unknown {name!r}")
        if row.bsv_cv is None:
            raise ValueError(
                f"population {population!r}: {name} has no between-man CV in the parameter table"
            )
        out[name] = {"cv": row.bsv_cv, "source": row.bsv_source}
    return out


def _log_sd(spec: dict[str, Any]) -> float:
    """Log-SD of a log-normal covariate from ``cv``, a 5th centile or a 2.5-97.5 % range."""
    median = float(spec["median"])
    if "cv" in spec:
        return math.sqrt(math.log1p(float(spec["cv"]) ** 2))
    if "gsd_from_5th_centile" in spec:
        return math.log(median / float(spec["gsd_from_5th_centile"])) / norm.ppf(0.95)
    lo, hi = spec["gsd_from_range"]
    return math.log(float(hi) / float(lo)) / (2.0 * norm.ppf(0.975))


def _draw(spec: dict[str, Any], u: np.ndarray) -> np.ndarray:
    """Values of one covariate from uniforms ``u`` (inverse CDF, truncated to low..high)."""
    kind = spec["distribution"]
    if kind == "uniform":
        return float(spec["low"]) + (float(spec["high"]) - float(spec["low"])) * u
    if kind == "categorical":
        names = list(spec["weights"])
        edges = np.cumsum([float(spec["weights"][k]) for k in names])
        idx = np.minimum(np.searchsorted(edges, u, side="right"), len(names) - 1)
        return np.array([int(Condition.from_label(names[i])) for i in idx], dtype=np.int64)
    if kind == "lognormal":
        loc, scale = math.log(float(spec["median"])), _log_sd(spec)
        lo, hi = math.log(float(spec["low"])), math.log(float(spec["high"]))
    elif kind == "normal":
        loc, scale = float(spec["mean"]), float(spec["sd"])
        lo, hi = float(spec["low"]), float(spec["high"])
    else:
        raise ValueError(f"unknown distribution {kind!r}")
    a, b = norm.cdf((lo - loc) / scale), norm.cdf((hi - loc) / scale)
    x = loc + scale * norm.ppf(a + (b - a) * u)
    return np.exp(x) if kind == "lognormal" else x


def _block(pop: Population, seed: int, index: int, n_noise: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    out: dict[str, np.ndarray] = {}
    for name in COVARIATES:
        out[name] = _draw(pop.covariates[name], rng.random(BLOCK))
    for name, spec in sorted(pop.variability.items()):
        omega = math.sqrt(math.log1p(float(spec["cv"]) ** 2))
        out[f"bsv_{name}"] = np.exp(omega * rng.standard_normal(BLOCK))
    out["noise"] = rng.standard_normal((BLOCK, n_noise))
    return out


def sample(
    pop: Population, seed: int, start: int, stop: int, *, n_noise: int = 0
) -> dict[str, np.ndarray]:
    """Men ``start..stop`` of the population drawn with ``seed``: covariate arrays (keyed by
    patient field; ``condition`` as codes of :class:`hpgsim.model.conditions.Condition`), parameter
    multipliers ``bsv_NAME``, and ``noise``: ``n_noise`` standard normals per man (for the
    semen assay)."""
    if not 0 <= start <= stop:
        raise ValueError(f"sample: need 0 <= start <= stop, got {start}, {stop}")
    first, last = start // BLOCK, (stop - 1) // BLOCK if stop > start else start // BLOCK - 1
    blocks = [_block(pop, seed, i, n_noise) for i in range(first, last + 1)]
    if not blocks:
        return {}
    joined = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
    lo = start - first * BLOCK
    return {k: v[lo : lo + (stop - start)] for k, v in joined.items()}
