"""The population band around one man: his scenario given to N virtual men who share his
covariates and differ only by the population's between-man variability (issue #21's
``--band N``).

The single-man course is the typical man: the population's median parameters with the
scenario's covariates (age, BMI, untreated sperm, testis volume, baseline T, condition,
insulin). The band keeps those covariates and draws each man's parameter multipliers
(``bsv_NAME``, log-normal with the table's coefficients of variation) from the population, so
it shows how differently men *like him* could respond; it is not a confidence interval of the
typical man's course.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from hpgsim.engine.inputs import Covariates, prepare_population, scenario_pop
from hpgsim.engine.precision import require_x64
from hpgsim.engine.simulation import solve_prepared
from hpgsim.model import axis
from hpgsim.population.virtual_men import POPULATIONS, load_population, sample
from hpgsim.scenario import Scenario

__all__ = ["BAND_QUANTILES", "MAX_BAND_MEN", "PopulationBand", "population_band"]

BAND_QUANTILES = (0.05, 0.5, 0.95)
"""The band's lower edge, middle and upper edge (fractions of the men)."""

MAX_BAND_MEN = 5000
"""The most men a band simulates (one batched solve holds every man's trajectory)."""


@dataclass(frozen=True)
class PopulationBand:
    """Quantiles over N men of each output column at each output time.

    Attributes:
        population: the population whose variability was drawn.
        n: men simulated.
        seed: the draw's seed.
        time_days: output times, days (the scenario's grid).
        quantiles: the fractions in ``values``' first axis (:data:`BAND_QUANTILES`).
        values: column name -> array [quantile, time] in the column's unit.
    """

    population: str
    n: int
    seed: int
    time_days: np.ndarray
    quantiles: tuple[float, ...]
    values: dict[str, np.ndarray]

    @property
    def label(self) -> str:
        """What the band shows, for a plot's legend."""
        lo, hi = self.quantiles[0], self.quantiles[-1]
        return (
            f"{100 * lo:g}-{100 * hi:g}% of {self.n} men of {self.population} with these covariates"
        )


def population_band(
    scenario: Scenario,
    population: str,
    n: int,
    *,
    seed: int = 0,
    quantiles: tuple[float, ...] = BAND_QUANTILES,
) -> PopulationBand:
    """``scenario`` for ``n`` men with its patient's covariates and ``population``'s
    between-man variability (seeded: same seed, same men), summarized by ``quantiles`` of
    every output column at every output time."""
    require_x64()
    if population not in POPULATIONS:
        raise ValueError(f"population: got {population!r}; allowed: {', '.join(POPULATIONS)}")
    if not 2 <= n <= MAX_BAND_MEN:
        raise ValueError(f"n: got {n}; allowed: a whole number of men from 2 to {MAX_BAND_MEN}")
    if not quantiles or any(not 0.0 <= q <= 1.0 for q in quantiles):
        raise ValueError(f"quantiles: got {quantiles!r}; allowed: fractions from 0 to 1")
    draws = sample(load_population(population), seed, 0, n)
    pop_p = axis.population_parameters(scenario_pop(scenario))
    him = Covariates.from_scenarios([scenario], pop_p)
    cov = replace(
        him.take(np.zeros(n, dtype=int)),  # his covariates for every man
        parameter_multipliers={
            k.removeprefix("bsv_"): np.asarray(v, float)
            for k, v in draws.items()
            if k.startswith("bsv_")
        },
    )
    prep = prepare_population(scenario, cov)
    out = np.asarray(
        solve_prepared(
            prep,
            horizon_days=scenario.horizon_days,
            output_every_days=scenario.output_every_days,
        )
    )  # [times, men, columns]
    if not np.all(np.isfinite(out)):
        raise FloatingPointError(
            f"population band of {scenario.name!r}: the solve produced non-finite values"
        )
    times = np.arange(out.shape[0]) * scenario.output_every_days
    values = {
        column: np.quantile(out[:, :, k], quantiles, axis=1)
        for k, column in enumerate(axis.OUTPUT_COLUMNS)
    }
    return PopulationBand(population, n, seed, times, tuple(quantiles), values)
