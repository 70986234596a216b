"""The production engine against the SciPy reference solve of the same right-hand side.

Error metric per reported column, at daily output: |a - b| / (|b| + 1e-3 * max|b|), i.e. relative
error with a floor at one thousandth of the column's own scale, so columns that approach zero
(LH on TRT, sperm during suppression) are judged against their scale. Bound: 1 %.
"""

from __future__ import annotations

from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim import load_scenario, simulate
from hpgsim.bench import column_errors
from hpgsim.engine.production import propagators

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.slow
def test_engine_within_one_percent_of_reference(path: Path) -> None:
    sc = load_scenario(path)
    a = simulate(sc)
    b = simulate(sc, engine="reference")
    assert list(a.columns) == list(b.columns)
    np.testing.assert_allclose(a.time_days, b.time_days)
    errors = column_errors(a, b)
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] < 0.01, f"{path.name}: {worst} max error {errors[worst]:.3%}"


def test_propagators_conserve_mass_of_a_linear_chain() -> None:
    """e^{hA}, h phi1, h phi2 of a depot -> plasma -> out chain: mass leaves only via 'out'."""
    ka, ke = 0.3, 2.0
    a = jnp.array([[-ka, 0.0, 0.0], [ka, -ke, 0.0], [0.0, ke, 0.0]])
    e, p1, p2 = propagators(a, 1.0 / 24.0)
    np.testing.assert_allclose(np.asarray(e).sum(axis=0), 1.0, rtol=1e-13)
    np.testing.assert_allclose(np.asarray(e)[0, 0], np.exp(-ka / 24.0), rtol=1e-13)
    # a constant source s into the depot: h phi1 applied to it adds exactly h*s in total
    np.testing.assert_allclose(np.asarray(p1).sum(axis=0), 1.0 / 24.0, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(p2).sum(axis=0), 0.5 / 24.0, rtol=1e-12)


@pytest.mark.slow
def test_batch_of_different_men_and_regimens_matches_reference_per_man() -> None:
    """One batched solve (padding of dose lines, per-man parameters, SC route, conditions)."""
    from hpgsim import scenario_from_dict, simulate_many

    def sc(name: str, patient: dict[str, object], regimen: list[dict[str, str]]) -> object:
        return scenario_from_dict(
            {"name": name, "horizon": "120 d", "patient": patient, "regimen": regimen}
        )

    te_sc = {"drug": "testosterone_enanthate", "dose": "75 mg", "route": "subcutaneous"}
    scenarios = [
        sc(
            "secondary-te-sc",
            {"condition": "secondary_hypogonadism", "bmi_kg_m2": 33},
            [{**te_sc, "every": "7 d"}],
        ),
        sc(
            "chh-gel-ai",
            {"condition": "congenital_hypogonadotropic_hypogonadism", "age_years": 24},
            [
                {
                    "drug": "testosterone_gel",
                    "dose": "50 mg",
                    "route": "transdermal",
                    "every": "1 d",
                },
                {"drug": "anastrozole", "dose": "0.5 mg", "route": "oral", "every": "3.5 d"},
            ],
        ),
        sc(
            "primary-tu",
            {"condition": "primary_hypogonadism", "age_years": 58},
            [{"drug": "testosterone_undecanoate", "dose": "1000 mg", "route": "intramuscular"}],
        ),
        sc("untreated-older", {"age_years": 70, "baseline_total_testosterone_ng_dl": 380}, []),
    ]
    batch = simulate_many(scenarios)
    for s, a in zip(scenarios, batch, strict=True):
        b = simulate(s, engine="reference")
        errors = column_errors(a, b)
        worst = max(errors, key=errors.__getitem__)
        assert errors[worst] < 0.01, f"{s.name}: {worst} max error {errors[worst]:.3%}"


@pytest.mark.slow
def test_engine_within_one_percent_for_the_benchmark_man() -> None:
    """The benchmark's first virtual man (hpgsim.bench), TC 200 mg weekly + anastrozole."""
    from hpgsim.bench import bench_scenario

    one = bench_scenario(0, "365 d", "1 d")
    errors = column_errors(simulate(one), simulate(one, engine="reference"))
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] < 0.01, f"{worst} max error {errors[worst]:.3%}"
