"""The covariate-box sweep of issue #22: men spread over the whole box the scenario file
accepts, times every library protocol, through the batched engine.

Usage: ``python scripts/covariate_sweep.py [--n 10000] [--seed 0] [--out DIR]`` (or ``make
sweep``). Prints one row per protocol (men drawn, refused as contradictory, solved, failed,
negative, over the ceilings, largest values) and the totals; writes DIR/sweep.csv and
DIR/sweep.json (default out/sweep). What is swept and why: :mod:`hpgsim.clinical.sweep`.
Exits 1 if any man failed or went negative.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

from hpgsim import __version__
from hpgsim.clinical.sweep import SweepDesign, run_sweep, summary_line
from hpgsim.engine.precision import enable_x64
from hpgsim.output.files import output_folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="men drawn from the box")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("out/sweep"))
    args = parser.parse_args()
    if args.n < 1 or args.chunk_size < 1:
        parser.error("--n and --chunk-size: whole numbers >= 1")
    enable_x64()
    design = SweepDesign(n=args.n, seed=args.seed)
    started = time.perf_counter()
    columns = (*Progress.get_default_columns(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns) as bar:
        task = bar.add_task("sweep", total=None)
        table = run_sweep(
            design,
            chunk_size=args.chunk_size,
            progress=lambda name, k: bar.update(task, advance=k, description=name),
        )
    elapsed = time.perf_counter() - started
    print(table.to_string(index=False))
    line = summary_line(table, design)
    print(f"{line}; {elapsed:.0f} s")
    meta = {"hpgsim_version": __version__, "n": args.n, "seed": args.seed}
    with output_folder(args.out, overwrite=True, meta=meta) as stage:
        table.to_csv(stage / "sweep.csv", index=False)
        payload = {**meta, "summary": line, "seconds": elapsed, "rows": table.to_dict("records")}
        (stage / "sweep.json").write_text(json.dumps(payload, indent=2) + "\n")
    return 1 if int(table["failed"].sum()) or int(table["negative"].sum()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
