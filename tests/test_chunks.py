"""A large batch solved in chunks on several threads gives every man his result alone."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim import scenario_from_dict, simulate_many
from hpgsim.engine import chunks
from hpgsim.engine.chunks import chunk_plan, solve_in_chunks, solver_threads


def _man(bmi: float, t_ng_dl: float, dose_mg: float) -> Any:
    return scenario_from_dict(
        {
            "name": f"bmi{bmi}",
            "horizon": "60 d",
            "output_every": "1 d",
            "patient": {"bmi_kg_m2": bmi, "baseline_total_testosterone_ng_dl": t_ng_dl},
            "regimen": [
                {
                    "drug": "testosterone_cypionate",
                    "dose": f"{dose_mg} mg",
                    "route": "intramuscular",
                    "every": "7 d",
                    "stop": "28 d",
                },
                {"drug": "anastrozole", "dose": "0.5 mg", "route": "oral", "every": "3.5 d"},
            ],
        }
    )


def test_an_odd_batch_in_chunks_equals_each_man_solved_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chunks, "MIN_CHUNK_MEN", 1)  # three men: two chunks on two threads
    monkeypatch.setenv(chunks.THREADS_VARIABLE, "2")
    assert chunk_plan(3, 2) == (2, 2)  # the second chunk padded with the last man
    men = [_man(22.0, 450.0, 100.0), _man(31.0, 300.0, 200.0), _man(40.0, 250.0, 140.0)]
    together = simulate_many(men)
    for man, table in zip(men, together, strict=True):
        alone = simulate_many([man])[0]
        for column in table.columns:
            np.testing.assert_allclose(
                table[column].to_numpy(), alone[column].to_numpy(), rtol=1e-12, atol=0.0
            )


def test_chunk_plan_keeps_chunks_in_cache_and_threads_busy() -> None:
    assert chunk_plan(40, 2) == (1, 40)  # too small to split
    assert chunk_plan(1000, 2) == (2, 500)
    assert chunk_plan(1000, 1) == (1, 1000)
    count, size = chunk_plan(10_000, 2)
    assert size <= chunks.MAX_CHUNK_MEN and count % 2 == 0 and count * size >= 10_000


def test_chunks_are_padded_with_the_last_man_and_trimmed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "MIN_CHUNK_MEN", 1)
    monkeypatch.setenv(chunks.THREADS_VARIABLE, "2")
    batch = {"x": np.arange(5.0), "y": np.arange(10.0).reshape(5, 2)}
    seen: list[int] = []

    def solve(b: dict[str, Any]) -> Any:
        seen.append(len(b["x"]))
        return jnp.stack([b["x"], b["y"][:, 1]])[:, :, None]  # [outputs, men, 1]

    out = np.asarray(solve_in_chunks(solve, batch, 5))
    assert out.shape == (2, 5, 1)
    np.testing.assert_array_equal(out[0, :, 0], batch["x"])
    np.testing.assert_array_equal(out[1, :, 0], batch["y"][:, 1])
    assert len(set(seen)) == 1 and len(seen) >= 2  # equal chunks: one compiled program


def test_a_leaf_without_the_patient_axis_is_refused() -> None:
    with pytest.raises(ValueError, match="leading axis of 3 men"):
        solve_in_chunks(lambda b: b, {"y": np.zeros((3, 2)), "a": np.eye(2)}, 3)


def test_solver_threads_refuses_a_count_that_is_not_positive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(chunks.THREADS_VARIABLE, "zero")
    with pytest.raises(ValueError, match="HPGSIM_SOLVER_THREADS: got 'zero'"):
        solver_threads()
    monkeypatch.setenv(chunks.THREADS_VARIABLE, "3")
    assert solver_threads() == 3
