"""Shared test configuration.

Each test module compiles its own batch shapes and horizons; one pytest process that keeps
every XLA executable alive crosses the kernel's memory-map limit (vm.max_map_count, 65530 by
default) and XLA aborts while compiling or serializing. Dropping JAX's compiled-function caches
after each module keeps the process well below it.
"""

from __future__ import annotations

from collections.abc import Iterator

import jax
import pytest

from hpgsim import enable_x64

enable_x64()  # the library requires float64 and no longer switches it on at import


@pytest.fixture(autouse=True, scope="module")
def _release_compiled_functions() -> Iterator[None]:
    yield
    jax.clear_caches()
