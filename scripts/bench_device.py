"""GPU benchmark run for BENCHMARKS.md (on the device machine; see BENCHMARKS.md).

Times prepare + solve of N men x 3 years (weekly output, device compute; first call includes
compilation) for each N given, printing each row as soon as it is measured.
"""

from __future__ import annotations

import sys
import time

import jax

from hpgsim.bench import bench_covariates, bench_scenario, solve_batch
from hpgsim.engine.precision import enable_x64

enable_x64()

sizes = [int(x) for x in (sys.argv[1:] or ["10000", "100000"])]
print("device", jax.devices()[0], "jax", jax.__version__, flush=True)
template = bench_scenario(1, "1095 d", "7 d")
for n in sizes:
    cov = bench_covariates(n, 1)
    t0 = time.perf_counter()
    first = solve_batch(template, cov, fetch=False)
    warm = solve_batch(template, cov, fetch=False)
    print(
        f"N={n:>9,}  first call {first:8.2f} s  warm {warm:8.2f} s  "
        f"{n * 3 / warm:12,.0f} patient-years/s  (total {time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
