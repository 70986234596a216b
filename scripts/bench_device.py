"""GPU benchmark run for BENCHMARKS.md (on the device machine; see BENCHMARKS.md).

Usage: ``python scripts/bench_device.py [N ...] [--budget SECONDS] [--peak-tflops TF]``.

Times prepare + solve of N men x 3 years (the main job, weekly output, device compute; the first
call includes compilation) for each N (default 10^4, 10^5 and 10^6), printing each row as soon
as it is measured. Beside the throughput it prints the achieved FP64 rate, from a count of the
floating-point work of one step (three products over the live states and two right-hand sides,
each elementwise operation of the traced right-hand side counted as one flop: a lower bound),
and its fraction of ``--peak-tflops`` (default 34, the H200's FP64 vector peak; 67 with tensor
cores). A size whose projected time (from the previous size's throughput, twice: compile and
warm) would overrun ``--budget`` (default 200 s in all) is skipped with a line saying so.
"""

from __future__ import annotations

import sys
import time

import jax

from hpgsim.bench import bench_covariates, bench_scenario, solve_batch
from hpgsim.engine import production
from hpgsim.engine.inputs import prepare
from hpgsim.engine.precision import enable_x64
from hpgsim.engine.schedule import build_schedule
from hpgsim.model import axis
from hpgsim.scenario import Scenario


def _option(name: str, default: float) -> float:
    if name in sys.argv:
        i = sys.argv.index(name)
        value = float(sys.argv[i + 1])
        del sys.argv[i : i + 2]
        return value
    return default


def flops_per_man(template: Scenario) -> tuple[float, int, int]:
    """(FP64 operations per man for the whole solve, steps, live states) of ``template``."""
    prep = prepare([template])
    live = prep.live
    sched = build_schedule(
        prep.doses,
        horizon_days=template.horizon_days,
        output_every_days=template.output_every_days,
        max_step_ticks=production.COARSE_STEP_TICKS,
    )
    p = {k: v[0] for k, v in prep.params.items()}
    families = production.live_families(live)
    jaxpr = jax.make_jaxpr(lambda y: axis.rhs(y, p, families))(prep.y0[0])
    elementwise = {"add", "sub", "mul", "div", "pow", "exp", "log", "sqrt", "max", "min", "neg"}
    rhs_ops = sum(1 for e in jaxpr.jaxpr.eqns if e.primitive.name in elementwise)
    n = len(live)
    per_step = 3 * 2 * n * n + 2 * rhs_ops + 4 * n
    return float(per_step * sched.n_steps), sched.n_steps, n


def main() -> None:
    enable_x64()
    budget = _option("--budget", 200.0)
    peak = _option("--peak-tflops", 34.0) * 1e12
    sizes = [int(x) for x in (sys.argv[1:] or ["10000", "100000", "1000000"])]
    print("device", jax.devices()[0], "jax", jax.__version__, flush=True)
    template = bench_scenario(1, "1095 d", "7 d")
    work, steps, n_live = flops_per_man(template)
    print(f"{steps} steps, {n_live} live states, {work / 1e6:.1f} MFLOP per man", flush=True)
    started = time.perf_counter()
    rate = None
    for n in sizes:
        left = budget - (time.perf_counter() - started)
        if rate is not None and 2 * n / rate > left:
            print(f"N={n:>9,}  skipped: about {2 * n / rate:.0f} s projected, {left:.0f} s left")
            continue
        cov = bench_covariates(n, 1)
        t0 = time.perf_counter()
        first = solve_batch(template, cov, fetch=False)
        warm = solve_batch(template, cov, fetch=False)
        rate = n / warm
        achieved = work * n / warm
        print(
            f"N={n:>9,}  first call {first:8.2f} s  warm {warm:8.2f} s  "
            f"{n * 3 / warm:12,.0f} patient-years/s  {achieved / 1e9:9.1f} GFLOP/s "
            f"({achieved / peak:.2%} of FP64 peak)  (total {time.perf_counter() - t0:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
