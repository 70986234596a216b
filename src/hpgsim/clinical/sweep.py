"""The covariate-box sweep (#22): men spread over the whole box the scenario file accepts,
times every library protocol, through the batched engine; counts of failed solves, NaN,
negative values and values above the ceilings.

The box is the patient block's: age 18-100 years, BMI 15-70 kg/m2, untreated total T 50-1500
ng/dL (below 531 for the hypogonadal conditions), sperm concentration 0.1-500 M/mL (below 15
for CHH), testis volume 1-50 mL, and the four conditions in equal shares. A Latin hypercube
spreads the men over it (one stratum per man along each axis; log-uniform where a range spans
decades), and each man carries the between-man parameter variability of the healthy
population. Every man gets every protocol after the same TRT history.

Men whose covariates contradict each other (a baseline sperm concentration or testis volume
that a testis as deprived as the model finds his would turn into more than the scenario accepts
once treatment restores normal support: :func:`hpgsim.engine.inputs.contradictions`) get the
largest values that fit, as a trial's men do
(:func:`hpgsim.engine.inputs.consistent_covariates`), and are counted. The ceilings are the
scenario file's largest untreated sperm concentration (500 M/mL) and testis volume (50 mL); a
treatment that gives more than a eugonadal man's germ-cell support (hCG, FSH) can lift a man
near the limit somewhat above them, so they are counted, not failed. Total T, estradiol, LH
and FSH have no such bound; their largest values are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.clinical.protocols import TrtHistory, protocol_names, protocol_scenario
from hpgsim.engine.inputs import Covariates, consistent_covariates, prepare_population
from hpgsim.engine.simulation import NEGATIVE_ROUNDOFF, solve_prepared
from hpgsim.model import axis
from hpgsim.model.conditions import Condition
from hpgsim.population.virtual_men import load_population, sample
from hpgsim.scenario import (
    CHH_SPERM_MAX_M_PER_ML,
    HYPOGONADAL_T_MAX_NG_DL,
    SPERM_MAX_M_PER_ML,
    TESTIS_VOLUME_MAX_ML,
    patient_limits,
)

__all__ = ["SweepDesign", "box_covariates", "run_sweep", "summary_line"]


def _field_range(name: str) -> tuple[float, float]:
    lo, hi, _ = patient_limits(name)
    return lo, hi


@dataclass(frozen=True)
class SweepDesign:
    """What the sweep runs: ``n`` men drawn with ``seed``, the ``protocols`` (default: every
    library protocol) after ``history``, followed ``follow_up_days`` from day 0, read every
    ``output_every``."""

    n: int = 10_000
    seed: int = 0
    protocols: tuple[str, ...] = ()
    history: TrtHistory = field(default_factory=lambda: TrtHistory(years=1.0))
    follow_up_days: float = 365.0
    output_every: str = "1 d"

    def protocol_list(self) -> tuple[str, ...]:
        return self.protocols or protocol_names()


def _lhs(n: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """A Latin hypercube on [0, 1)^dims: each axis cut in n strata, one man per stratum."""
    u = (rng.random((n, dims)) + np.arange(n)[:, None]) / n
    for j in range(dims):
        u[:, j] = rng.permutation(u[:, j])
    return u


def _log_uniform(u: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.asarray(np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo))))


def box_covariates(n: int, seed: int) -> Covariates:
    """``n`` men spread over the scenario's covariate box (module docstring), with the healthy
    population's between-man parameter variability."""
    rng = np.random.default_rng(seed)
    u = _lhs(n, 6, rng)
    codes = np.array([int(c) for c in Condition])
    condition = codes[np.minimum((u[:, 0] * len(codes)).astype(int), len(codes) - 1)]
    healthy = condition == int(Condition.HEALTHY)
    chh = condition == int(Condition.CONGENITAL_HYPOGONADOTROPIC_HYPOGONADISM)
    t_lo, t_hi = _field_range("baseline_total_testosterone_ng_dl")
    t_top = np.where(healthy, t_hi, HYPOGONADAL_T_MAX_NG_DL * 0.999)
    sperm_top = np.where(chh, CHH_SPERM_MAX_M_PER_ML * 0.999, 500.0)
    age, bmi, volume = (_field_range(k) for k in ("age_years", "bmi_kg_m2", "testicular_volume_ml"))
    draws = sample(load_population("healthy_men_18_51"), seed, 0, n)
    return Covariates(
        age_years=age[0] + u[:, 1] * (age[1] - age[0]),
        bmi_kg_m2=bmi[0] + u[:, 2] * (bmi[1] - bmi[0]),
        baseline_total_testosterone_ng_dl=np.exp(
            np.log(t_lo) + u[:, 3] * (np.log(t_top) - np.log(t_lo))
        ),
        baseline_sperm_concentration_m_per_ml=np.exp(
            np.log(0.1) + u[:, 4] * (np.log(sperm_top) - np.log(0.1))
        ),
        testicular_volume_ml=volume[0] + u[:, 5] * (volume[1] - volume[0]),
        condition=condition,
        parameter_multipliers={
            k.removeprefix("bsv_"): np.asarray(v) for k, v in draws.items() if k.startswith("bsv_")
        },
    )


_REPORTED = ("total_testosterone_ng_dl", "estradiol_pg_ml", "lh_iu_l", "fsh_iu_l")
"""Columns without a ceiling whose largest value the sweep reports."""

CEILINGS = {
    "sperm_concentration_m_per_ml": SPERM_MAX_M_PER_ML,
    "testicular_volume_ml": TESTIS_VOLUME_MAX_ML,
}
"""The scenario file's largest untreated values, counted when a man's readout passes them."""


def run_sweep(
    design: SweepDesign,
    *,
    chunk_size: int = 1000,
    progress: Callable[[str, int], None] | None = None,
) -> pd.DataFrame:
    """One row per protocol: men whose covariates were truncated to the joint box, men solved,
    failed (any non-finite readout), negative (below zero beyond rounding), over each
    ceiling, the largest value of the ceiling columns and of total T, estradiol, LH, FSH, and
    the 99th and 99.9th centiles of the men's peak total T.
    ``progress(protocol, men)`` after each chunk."""
    cov, truncated = consistent_covariates(box_covariates(design.n, design.seed))
    col = {c: i for i, c in enumerate(axis.OUTPUT_COLUMNS)}
    rows = []
    for name in design.protocol_list():
        template, _ = protocol_scenario(
            name,
            history=design.history,
            follow_up_days=design.follow_up_days,
            output_every=design.output_every,
        )
        stats: dict[str, Any] = {
            "protocol": name,
            "truncated": int(truncated.size),
            "men": 0,
            "failed": 0,
            "negative": 0,
        }
        stats |= {f"over_{c}": 0 for c in CEILINGS}
        stats |= {f"max_{c}": 0.0 for c in (*CEILINGS, *_REPORTED)}
        peaks: list[np.ndarray] = []  # each man's largest total T
        for a in range(0, len(cov), chunk_size):
            part = cov.take(np.arange(a, min(a + chunk_size, len(cov))))
            out = np.asarray(
                solve_prepared(
                    prepare_population(template, part),
                    horizon_days=template.horizon_days,
                    output_every_days=template.output_every_days,
                )
            )  # [outputs, men, columns]
            _tally(stats, out, col)
            peaks.append(np.nanmax(out[:, :, col["total_testosterone_ng_dl"]], axis=0))
            if progress is not None:
                progress(name, len(part))
        peak = np.concatenate(peaks)
        stats["p99_peak_total_testosterone_ng_dl"] = float(np.nanquantile(peak, 0.99))
        stats["p999_peak_total_testosterone_ng_dl"] = float(np.nanquantile(peak, 0.999))
        rows.append(stats)
    return pd.DataFrame(rows)


def _tally(stats: dict[str, Any], out: np.ndarray, col: dict[str, int]) -> None:
    stats["men"] += out.shape[1]
    finite = np.isfinite(out).all(axis=(0, 2))
    stats["failed"] += int((~finite).sum())
    good = out[:, finite, :]
    if good.shape[1] == 0:
        return
    scale = np.abs(good).max(axis=(0, 1))  # per column
    below = good < -NEGATIVE_ROUNDOFF * scale[None, None, :]
    stats["negative"] += int(below.any(axis=(0, 2)).sum())
    for c, top in CEILINGS.items():
        stats[f"over_{c}"] += int((good[:, :, col[c]] > top).any(axis=0).sum())
    for c in (*CEILINGS, *_REPORTED):
        stats[f"max_{c}"] = max(stats[f"max_{c}"], float(good[:, :, col[c]].max()))


def summary_line(table: pd.DataFrame, design: SweepDesign) -> str:
    """One line with the totals over every protocol."""
    over = [c for c in table.columns if c.startswith("over_")]
    men = int(table["men"].sum())
    truncated = int(table["truncated"].iloc[0]) if len(table) else 0
    parts = [
        f"{design.n} men ({truncated} with covariates truncated to the joint box) x "
        f"{len(table)} protocols: {men} solves"
    ]
    parts += [f"failed {int(table['failed'].sum())}", f"negative {int(table['negative'].sum())}"]
    parts += [f"{c} {int(table[c].sum())}" for c in over]
    return ", ".join(parts)
