"""Where a batch is solved: one JAX device per CPU core, the batch split between them.

JAX's CPU backend is one device, and XLA's CPU runtime runs a batched solve's small fused loops
on about 1.4 of this machine's 2 cores. Men are independent, so the batch is split across
devices instead: with the backend exposing one device per core (:func:`use_cpu_cores`), every
batch solve places its men in equal shards, one per device (:func:`shard_batch`), and each core
integrates its own shard. On the 2-vCPU development machine this halved 400 men x 1 year
(4.08 s -> 1.94 s; BENCHMARKS.md). On a GPU the default backend has its devices already and the
split is over them.

The number of CPU devices is a process-wide setting that JAX reads once, before its first
computation, so, like 64-bit mode (:mod:`hpgsim.engine.precision`), the library does not flip
it on import: the ``hpgsim`` command, the test suite and the scripts call
:func:`use_cpu_cores`; a library caller may too, or leave JAX's single CPU device (the solve
is then the same, on one device).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, TypeVar

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

__all__ = [
    "CPU_DEVICES_VARIABLE",
    "MIN_MEN_PER_DEVICE",
    "batch_devices",
    "shard_batch",
    "use_cpu_cores",
]

CPU_DEVICES_VARIABLE = "HPGSIM_CPU_DEVICES"
"""Environment variable that overrides the number of CPU devices (a positive integer)."""

MIN_MEN_PER_DEVICE = 32
"""A batch is split only when every device gets at least this many men: a few men per step
cost little, and a split program takes longer to compile."""

T = TypeVar("T")


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def use_cpu_cores(count: int | None = None) -> int:
    """Make JAX's CPU backend expose ``count`` devices (default: the cores this process may
    use, or :data:`CPU_DEVICES_VARIABLE`); returns the number of CPU devices in effect.

    Call it before any JAX computation; afterwards JAX keeps the devices it has, and this
    returns their number unchanged.
    """
    if count is None:
        chosen = os.environ.get(CPU_DEVICES_VARIABLE)
        if chosen is not None:
            try:
                count = int(chosen)
            except ValueError:
                count = 0
            if count < 1:
                raise ValueError(
                    f"{CPU_DEVICES_VARIABLE}: got {chosen!r}; allowed: a positive integer"
                )
        else:
            count = _usable_cores()
    if count < 1:
        raise ValueError(f"count: got {count}; allowed: a positive integer")
    with contextlib.suppress(RuntimeError):  # the backend is up: it keeps its devices
        jax.config.update("jax_num_cpu_devices", count)
    return len(jax.devices("cpu"))


def batch_devices() -> int:
    """How many devices a batch is split across: those of JAX's default backend."""
    return len(jax.devices())


def _is_traced(tree: Any) -> bool:
    return any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree.leaves(tree))


def shard_batch(tree: T, men: int) -> tuple[T, int]:
    """Split a batch, every leaf of ``tree`` [men, ...], across the default backend's devices;
    returns the placed tree and the padded batch size.

    The batch is padded to a multiple of the device count by repeating its last man (his
    results are dropped by the caller: slice the patient axis back to ``men``). With one
    device, fewer than :data:`MIN_MEN_PER_DEVICE` men per device, or traced inputs (inside
    ``jax.jacfwd``/``jax.grad``/``jax.jit``) the tree is returned unchanged. Raises ValueError
    for a leaf without the leading patient axis.
    """
    for leaf in jax.tree.leaves(tree):
        if not np.shape(leaf) or np.shape(leaf)[0] != men:
            raise ValueError(
                f"shard_batch: a leaf of shape {np.shape(leaf)}; allowed: leading axis of {men} men"
            )
    devices = jax.devices()
    if len(devices) < 2 or men < MIN_MEN_PER_DEVICE * len(devices) or _is_traced(tree):
        return tree, men
    padded = -(-men // len(devices)) * len(devices)
    mesh = Mesh(np.asarray(devices), ("men",))

    def place(leaf: Any) -> Any:
        value = np.asarray(leaf)
        if padded > men:
            value = np.concatenate([value, np.repeat(value[-1:], padded - men, axis=0)])
        spec = PartitionSpec("men", *([None] * (value.ndim - 1)))
        return jax.device_put(value, NamedSharding(mesh, spec))

    return jax.tree.map(place, tree), padded
