"""A batch split across devices (one per CPU core) solves every man as he is solved alone."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from hpgsim import scenario_from_dict, simulate_many
from hpgsim.engine import devices
from hpgsim.engine.devices import shard_batch, use_cpu_cores


def _man(bmi: float, t_ng_dl: float, dose_mg: float) -> object:
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


def test_the_suite_runs_on_several_devices() -> None:
    # conftest asks for at least two, so the split below is exercised on any machine
    assert len(jax.devices()) >= 2


def test_an_odd_batch_split_across_devices_equals_each_man_solved_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(devices, "MIN_MEN_PER_DEVICE", 1)  # three men, split
    men = [_man(22.0, 450.0, 100.0), _man(31.0, 300.0, 200.0), _man(40.0, 250.0, 140.0)]
    together = simulate_many(men)
    for man, table in zip(men, together, strict=True):
        alone = simulate_many([man])[0]
        for column in table.columns:
            np.testing.assert_allclose(
                table[column].to_numpy(), alone[column].to_numpy(), rtol=1e-12, atol=0.0
            )


def test_shard_batch_pads_to_a_multiple_of_the_devices_with_the_last_man() -> None:
    count = len(jax.devices())
    men = devices.MIN_MEN_PER_DEVICE * count + 1
    tree = {"y": np.arange(men * 2, dtype=float).reshape(men, 2), "k": np.arange(men)}
    placed, padded = shard_batch(tree, men)
    assert padded % count == 0 and padded > men
    y = np.asarray(placed["y"])
    np.testing.assert_array_equal(y[:men], tree["y"])
    np.testing.assert_array_equal(y[men:], np.repeat(tree["y"][-1:], padded - men, axis=0))
    assert np.asarray(placed["k"])[:men].tolist() == list(range(men))


def test_a_small_batch_stays_on_one_device() -> None:
    tree = {"y": np.zeros((3, 2))}
    placed, padded = shard_batch(tree, 3)
    assert padded == 3 and placed["y"] is tree["y"]


def test_shard_batch_refuses_a_leaf_without_the_patient_axis() -> None:
    with pytest.raises(ValueError, match="leading axis"):
        shard_batch({"y": np.zeros((3, 2)), "a": np.eye(2)}, 3)


def test_cpu_device_count_is_refused_when_not_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HPGSIM_CPU_DEVICES", "zero")
    with pytest.raises(ValueError, match="HPGSIM_CPU_DEVICES: got 'zero'"):
        use_cpu_cores()
    with pytest.raises(ValueError, match="count: got 0"):
        use_cpu_cores(0)
