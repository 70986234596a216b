"""How a large batch is solved on a CPU: in equal chunks, run by one thread per core.

Men are independent, so a batch can be cut into chunks and the chunks solved at the same time.
On the CPU backend this pays twice (BENCHMARKS.md, 2-vCPU machine):

- **Threads.** XLA's CPU runtime runs one solve's small fused loops on about 1.4 of 2 cores;
  two chunks solved from two threads use both (800 men x 1 year: 11.0 s whole, 5.4 s as two
  halves on two threads). Splitting JAX's CPU backend into one device per core does the same
  for batches, but it slows everything that is not split (one man's forward-mode Jacobian
  1.9 -> 4.4 s), so threads it is.
- **Cache.** A step's temporaries grow with the chunk (about 490 operations on every man's
  states): 10,000 men in two halves of 5,000 ran at 104 patient-years/s where 1,000 ran at
  149; in chunks of 1,000 they run at 180. Chunks of at most :data:`MAX_CHUNK_MEN` men keep
  them in cache.

Chunks have equal size (the last is padded by repeating its last man, whose rows are dropped),
so one compiled program serves them all. A GPU wants the whole batch at once: there, and for
traced inputs (inside ``jax.jacfwd``/``jax.grad``), the batch is solved in one call.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "MAX_CHUNK_MEN",
    "MIN_CHUNK_MEN",
    "THREADS_VARIABLE",
    "chunk_plan",
    "solve_in_chunks",
    "solver_threads",
]

THREADS_VARIABLE = "HPGSIM_SOLVER_THREADS"
"""Environment variable that sets the number of solver threads (a positive integer; default:
the cores this process may use). Set it to 1 where processes already share the cores (several
Dask workers on one machine)."""

MAX_CHUNK_MEN = 1024
"""The largest chunk on a CPU, men: beyond it a step's temporaries leave the cache."""

MIN_CHUNK_MEN = 32
"""The smallest chunk worth a thread, men: below it a batch is solved in one call."""

T = TypeVar("T")


def solver_threads() -> int:
    """Threads that solve chunks at once: :data:`THREADS_VARIABLE`, else the usable cores."""
    chosen = os.environ.get(THREADS_VARIABLE)
    if chosen is not None:
        try:
            count = int(chosen)
        except ValueError:
            count = 0
        if count < 1:
            raise ValueError(f"{THREADS_VARIABLE}: got {chosen!r}; allowed: a positive integer")
        return count
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunk_plan(men: int, threads: int) -> tuple[int, int]:
    """(number of chunks, men per chunk) for a CPU batch of ``men`` on ``threads`` threads:
    enough chunks to keep each within :data:`MAX_CHUNK_MEN` and every thread busy, none below
    :data:`MIN_CHUNK_MEN`; one chunk of ``men`` when the batch is too small to split."""
    if men < 2 * MIN_CHUNK_MEN:
        return 1, men
    count = max(math.ceil(men / MAX_CHUNK_MEN), min(threads, men // MIN_CHUNK_MEN))
    if count <= 1:
        return 1, men
    count = math.ceil(count / threads) * threads  # whole rounds: no thread idles at the end
    return count, math.ceil(men / count)


def _is_traced(tree: Any) -> bool:
    return any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree.leaves(tree))


def solve_in_chunks(solve: Callable[[T], jax.Array], batch: T, men: int) -> jax.Array:
    """``solve(batch)`` [outputs, men, ...], computed chunk by chunk on a CPU.

    ``batch`` is a tree whose every leaf has the patient axis first ([men, ...]); ``solve``
    maps such a tree to readouts with the patient axis second. Raises ValueError for a leaf
    without the leading patient axis.
    """
    for leaf in jax.tree.leaves(batch):
        if not np.shape(leaf) or np.shape(leaf)[0] != men:
            raise ValueError(
                f"solve_in_chunks: a leaf of shape {np.shape(leaf)}; allowed: leading axis of "
                f"{men} men"
            )
    if jax.default_backend() != "cpu" or _is_traced(batch):
        return solve(batch)
    threads = solver_threads()
    count, size = chunk_plan(men, threads)
    if count == 1:
        return solve(batch)
    padded = count * size

    def pad(leaf: Any) -> np.ndarray:
        value = np.asarray(leaf)
        if padded > men:
            value = np.concatenate([value, np.repeat(value[-1:], padded - men, axis=0)])
        return value

    whole = jax.tree.map(pad, batch)

    def one(i: int) -> jax.Array:
        part = jax.tree.map(lambda v: v[i * size : (i + 1) * size], whole)
        return jax.block_until_ready(solve(part))

    with ThreadPoolExecutor(max_workers=min(threads, count)) as pool:
        parts = list(pool.map(one, range(count)))
    return jnp.concatenate(parts, axis=1)[:, :men]
