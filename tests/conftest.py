"""Shared test configuration.

Each test module compiles its own batch shapes and horizons; one pytest process that keeps
every XLA executable alive crosses the kernel's memory-map limit (vm.max_map_count, 65530 by
default) and XLA aborts while compiling or serializing. Dropping JAX's compiled-function caches
after each module keeps the process well below it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import jax
import pytest

from hpgsim import enable_x64, use_cpu_cores

enable_x64()  # the library requires float64 and no longer switches it on at import
# batches split across the cores, as under the hpgsim command (at least two, so that the
# split is tested on any machine)
use_cpu_cores(max(2, os.cpu_count() or 1))


@pytest.fixture(autouse=True, scope="module")
def _release_compiled_functions() -> Iterator[None]:
    yield
    jax.clear_caches()
