"""GPU benchmark run for BENCHMARKS.md (used with the device machine; see BENCHMARKS.md).

Runs `hpgsim.bench.run_benchmark` with population sizes up to 10^6 and writes the JSON to
$OUT/bench_gpu.json (or ./bench_gpu.json).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from hpgsim.bench import run_benchmark

sizes = tuple(int(x) for x in (sys.argv[1:] or ["1000", "10000", "100000", "1000000"]))
result = run_benchmark(sizes=sizes)
for row in result["rows"]:
    print(f"{row['label']:60s} {row['value']:>14.4g} {row['unit']}", flush=True)
out = Path(os.environ.get("OUT", ".")) / "bench_gpu.json"
out.write_text(json.dumps(result, indent=2))
print(json.dumps({k: v for k, v in result.items() if k != "rows"}))
