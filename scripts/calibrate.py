"""Fit the calibrated parameters of hpgsim to their published targets; write data/calibrated.json.

Usage: ``python scripts/calibrate.py`` (or ``make calibrate``). The fitter is
:mod:`hpgsim.evidence.fit` (least squares on log-parameters, residual 1.0 = the edge of a
target's tolerance, three stages: foundation, restoration, spermatogenesis); what it fits,
from which start and within which bounds is the parameter table's (each calibrated row's
provenance). ``--stage NAME`` refits one stage from the stored values of the others
(``--warm``: starting its own parameters from their stored values too, for a refit after a
small model change; a parameter new to the table starts from its row's start);
``--only NAME,...`` (with ``--stage``) fits just those parameters of the stage, the others
held at their stored values, on all the stage's targets (a new drug family's block);
``--joint STAGE,STAGE`` fits two or more stages together in one problem (for a mechanism
that acts across stages), the others held at their stored values;
``--report`` fits nothing and rewrites the file's measures (and docs/calibration-results.md)
from the stored values, for when a measure's definition changes. ``--stage spread`` fits the
between-man CVs that have no published value to the TE-only cohorts
(:mod:`hpgsim.evidence.spread`; virtual trials, about 10 minutes) with the stored parameter
values; a full run ends with it, in a fresh interpreter that reads the values just written.
Values that end on a bound are printed and recorded (``on_bound``). The output file records
the values, the costs and every measure's published and simulated value, and is what
:mod:`hpgsim.model.parameters` reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from hpgsim.engine.precision import enable_x64
from hpgsim.evidence.fit import STAGES, StageFit, fit, measure_report, values_on_bound
from hpgsim.model.parameters import PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "hpgsim" / "data" / "calibrated.json"
REPORT = ROOT / "docs" / "calibration-results.md"


def _progress(stage: str, result: StageFit) -> None:
    print(f"stage {stage}: cost {result.cost:.4f}; values {json.dumps(result.values)}", flush=True)


def _fit_spread() -> int:
    """The spread stage: fit the CVs with the stored values, record them in the file."""
    from hpgsim.evidence.spread import (
        SPREAD_N,
        SPREAD_SEED,
        SPREAD_TARGETS,
        fit_spread,
        spread_rows,
    )

    result = fit_spread(progress=lambda msg: print(f"spread: {msg}", flush=True))
    rows = spread_rows()
    bound = {k: side for k, v in result.cv.items() if (side := rows[k].bound_hit(v)) is not None}
    for name, side in bound.items():
        print(f"ON BOUND: the CV of {name} = {result.cv[name]:.4g} sits on its {side} bound")
    stored = json.loads(OUT.read_text())
    stored["spread"] = {
        "method": "hpgsim.evidence.spread: coordinate search on the CVs, common random numbers",
        "targets": [t.id for t in SPREAD_TARGETS],
        "n": SPREAD_N,
        "seed": SPREAD_SEED,
        "cost": result.cost,
        "evaluations": result.evaluations,
        "seconds": round(result.seconds, 1),
        "cv": result.cv,
        "on_bound": bound,
    }
    OUT.write_text(json.dumps(stored, indent=2) + "\n")
    print(f"spread: cost {result.cost:.3f}, CVs {json.dumps(result.cv)}; wrote {OUT}")
    return 0


def _arguments(argv: list[str]) -> argparse.Namespace:
    """The command line; ``--help`` prints the usage and an unknown option exits 2 (a bare
    run is a full refit of about half an hour, never started by a mistyped flag)."""
    parser = argparse.ArgumentParser(
        prog="scripts/calibrate.py",
        description="Fit the calibrated parameters to their published targets; write "
        "src/hpgsim/data/calibrated.json and docs/calibration-results.md. With no option: "
        "every stage, then the spread (about 30 minutes).",
    )
    parser.add_argument(
        "--stage",
        choices=(*STAGES, "spread"),
        help="refit one stage from the stored values of the others",
    )
    parser.add_argument(
        "--warm", action="store_true", help="with --stage: start from its stored values"
    )
    parser.add_argument(
        "--joint",
        metavar="STAGE,STAGE[,STAGE]",
        help="fit these stages together, in one problem on all their targets, from the stored "
        "values of the others (with --warm: starting from their stored values too)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME[,NAME...]",
        help="with --stage: fit only these calibrated parameters of the stage (the others "
        "held at their stored values), on all of the stage's targets",
    )
    parser.add_argument(
        "--max-nfev",
        type=int,
        default=400,
        metavar="N",
        help="at most N residual evaluations per fitted block (default 400; SciPy does not "
        "count the Jacobian's, one per free parameter and iteration)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="fit nothing; rewrite the recorded measures from the stored values",
    )
    args = parser.parse_args(argv)
    if args.max_nfev < 1:
        parser.error(f"--max-nfev: got {args.max_nfev}; allowed: a whole number >= 1")
    if args.joint is not None:
        joint = [n.strip() for n in args.joint.split(",") if n.strip()]
        if args.stage is not None or args.report:
            parser.error("--joint: give it instead of --stage or --report")
        if len(set(joint)) < 2 or not set(joint) <= set(STAGES):
            parser.error(
                f"--joint: got {args.joint!r}; allowed: two or more of {', '.join(STAGES)}"
            )
        args.joint = joint
    if args.warm and args.stage is None and args.joint is None:
        parser.error("--warm: needs --stage NAME or --joint STAGES")
    if args.only is not None and args.stage in (None, "spread") and args.joint is None:
        parser.error("--only: needs --stage NAME (foundation, restoration or spermatogenesis)")
    return args


def main() -> int:
    args = _arguments(sys.argv[1:])
    enable_x64()
    only = args.stage
    if only == "spread":
        return _fit_spread()
    t0 = time.time()
    if args.report:
        stored = json.loads(OUT.read_text())
        _write(
            {k: float(v) for k, v in stored["values"].items()},
            {k: float(v) for k, v in stored["stage_costs"].items()},
            t0 - float(stored["seconds"]),  # seconds: the fit's, plus this report's
        )
        return 0
    held: dict[str, float] = {}
    costs: dict[str, float] = {}
    starts: dict[str, float] = {}
    stages: list[str] = args.joint or ([only] if only is not None else list(STAGES))
    if only is not None or args.joint is not None:
        stored = json.loads(OUT.read_text())
        held = {k: float(v) for k, v in stored["values"].items()}
        costs = {k: float(v) for k, v in stored.get("stage_costs", {}).items() if k not in stages}
        if args.warm:  # start the stages from their stored values, not the table's
            starts = held
    names = None if args.only is None else [n.strip() for n in args.only.split(",") if n.strip()]
    try:
        result = fit(
            stages,
            held=held,
            progress=_progress,
            starts=starts,
            only=names,
            joint=args.joint is not None,
            max_nfev=args.max_nfev,
            verbose=2,
        )
    except ValueError as exc:
        print(f"scripts/calibrate.py: error: {exc}", file=sys.stderr)
        return 2
    costs.update(result.stage_costs)
    _write({**held, **result.values}, costs, t0)
    if only is None and args.joint is None:  # the CVs, on the values just written (fresh)
        return subprocess.call([sys.executable, __file__, "--stage", "spread"])
    return 0


def _write(values: dict[str, float], costs: dict[str, float], t0: float) -> None:
    """Write data/calibrated.json and docs/calibration-results.md for ``values``."""
    cost = sum(costs.values())
    report = measure_report(values)
    for r in report:
        print(("PASS " if r["passes"] else "FAIL ") + f"[{r['target']}] " + r.pop("describe"))
    bound = values_on_bound(values)
    for name, side in bound.items():
        print(f"ON BOUND: {name} = {values[name]:.6g} sits on its {side} bound")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # the spread stage's CVs stay until it runs again (a full run ends with it)
    spread = json.loads(OUT.read_text()).get("spread") if OUT.exists() else None
    OUT.write_text(
        json.dumps(
            {
                "written_by": "scripts/calibrate.py",
                "date": dt.date.today().isoformat(),
                "method": "hpgsim.evidence.fit: scipy.optimize.least_squares (trf) on "
                "log-parameters; residual 1.0 = edge of the target's tolerance",
                "cost": cost,
                "stage_costs": costs,
                "seconds": round(time.time() - t0, 1),
                "values": values,
                "on_bound": bound,
                "measures": report,
                **({"spread": spread} if spread is not None else {}),
            },
            indent=2,
        )
        + "\n"
    )
    lines = [
        "# Calibration results",
        "",
        f"Written by `scripts/calibrate.py` on {dt.date.today().isoformat()} (do not edit by "
        "hand; `make calibrate` rewrites it). Method: least squares on log-parameters, each "
        "residual scaled so that 1.0 is the edge of the target's tolerance; final cost "
        f"{cost:.3f} (" + ", ".join(f"{k} {v:.3f}" for k, v in costs.items()) + ").",
        "",
        "## Fitted values",
        "",
        "| parameter | value | calibrated to |",
        "|---|---|---|",
    ]
    cal_to = {p.name: p.calibrated_to for p in PARAMETERS}
    lines += [
        f"| `{k}` | {v:.6g} | {cal_to[k]}"
        + (f" **on its {bound[k]} bound**" if k in bound else "")
        + " |"
        for k, v in values.items()
    ]
    if spread is not None:
        lines += [
            "",
            "## Fitted between-man CVs (spread stage)",
            "",
            f"Fitted to {', '.join(spread['targets'])} ({spread['n']} men, seed {spread['seed']}; "
            f"cost {spread['cost']:.3f}).",
            "",
            "| parameter | CV | |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{k}` | {v:.4g} | "
            + (
                f"**on its {spread['on_bound'][k]} bound**"
                if k in spread.get("on_bound", {})
                else ""
            )
            + " |"
            for k, v in spread["cv"].items()
        ]
    lines += [
        "",
        "## Every target measure",
        "",
        "| target | measure | published | simulated | in tolerance | fitted |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['target']} | {r['measure']} | {r['published']:.4g} | {r['simulated']:.4g} | "
        f"{'yes' if r['passes'] else 'NO'} | {'yes' if r['fitted'] else 'reported only'} |"
        for r in report
    ]
    REPORT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} and {REPORT} (cost {cost:.3f}, {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
