"""Tabulate every validation measure before and after a model change (issue #19's "before vs
after" table): docs/validation.md as committed at a base revision against the working tree's.

Usage: python scripts/before_after.py BASE_REV [--out FILE]

Rows are matched by target key and measure label. A measure that exists only after the change
is "new"; one whose target or label was renamed appears twice (once "gone", once "new"). Both
files are what ``hpgsim validate --markdown`` wrote, so the numbers are the validation's own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
VALIDATION = "docs/validation.md"


class Row(NamedTuple):
    use: str
    published: str
    simulated: str
    status: str


def _rows(text: str) -> dict[tuple[str, str], Row]:
    """The measure rows of a docs/validation.md text, keyed by (target, measure)."""
    out: dict[tuple[str, str], Row] = {}
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7:
            continue
        target, use, measure, published, simulated, _accepted, status = cells[:7]
        out[(target.strip("`"), measure)] = Row(use, published, simulated, _short(status))
    return out


def _short(status: str) -> str:
    return "known gap" if status.startswith("known gap") else status


def table(base: str) -> str:
    """Markdown: a summary and one row per measure, base revision vs working tree."""
    before = subprocess.check_output(["git", "show", f"{base}:{VALIDATION}"], text=True, cwd=ROOT)
    after = (ROOT / VALIDATION).read_text(encoding="utf-8")
    return compare(before, after, base)


def compare(before_text: str, after_text: str, base: str) -> str:
    """Markdown: a summary and one row per measure of two docs/validation.md texts."""
    before = _rows(before_text)
    after = _rows(after_text)
    keys = list(before) + [k for k in after if k not in before]
    changes: Counter[tuple[str, str]] = Counter()
    lines = [
        "| target | measure | published | before | after | status before -> after |",
        "|---|---|---|---|---|---|",
    ]
    for key in keys:
        b, a = before.get(key), after.get(key)
        sb = b.status if b else "new"
        sa = a.status if a else "gone"
        changes[(sb, sa)] += 1
        either = a if a is not None else b
        published = either.published if either is not None else ""
        lines.append(
            f"| `{key[0]}` | {key[1]} | {published} | {b.simulated if b else '-'} | "
            f"{a.simulated if a else '-'} | {sb} -> {sa} |"
        )
    n_before = Counter(r.status for r in before.values())
    n_after = Counter(r.status for r in after.values())
    summary = [
        f"Before ({base}): {len(before)} measures, {n_before['pass']} pass, "
        f"{n_before['known gap']} known gaps, {n_before['fail']} fail.",
        f"After (working tree): {len(after)} measures, {n_after['pass']} pass, "
        f"{n_after['known gap']} known gaps, {n_after['fail']} fail.",
        "",
        "| before -> after | measures |",
        "|---|---|",
        *(f"| {sb} -> {sa} | {n} |" for (sb, sa), n in sorted(changes.items())),
        "",
    ]
    return "\n".join(summary + lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/before_after.py", description=__doc__)
    parser.add_argument("base", help="git revision whose docs/validation.md is 'before'")
    parser.add_argument("--out", type=Path, help="write the table here (default: stdout)")
    args = parser.parse_args(argv)
    text = table(args.base)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
