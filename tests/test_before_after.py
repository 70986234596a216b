"""scripts/before_after.py: the before/after table of the validation measures (issue #19)
reads docs/validation.md rows, matches them by target and measure, and counts the changes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("before_after", ROOT / "scripts/before_after.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["before_after"] = module
    spec.loader.exec_module(module)
    return module


def test_rows_are_read_by_target_and_measure_and_gaps_are_shortened() -> None:
    text = "\n".join(
        [
            "| Target | Use | Measure | Published | Simulated | Accepted | Status |",
            "|---|---|---|---|---|---|---|",
            "| `a_target` | calibrated | T / baseline | 1.5 | 1.4 | 1.2-1.8 | pass |",
            "| `b_target` | reported | LH peak | 13 IU/L | 7 IU/L | 9-17 | known gap: one pool |",
            "- **`a_target`** (calibrated, single): prose lines are not rows",
        ]
    )
    rows = _script()._rows(text)
    assert set(rows) == {("a_target", "T / baseline"), ("b_target", "LH peak")}
    assert rows[("a_target", "T / baseline")].simulated == "1.4"
    assert rows[("b_target", "LH peak")].status == "known gap"


def test_statuses_are_compared_row_by_row_and_counted() -> None:
    """A gap that closes, a pass that stays, a measure renamed (gone and new): each row says
    its change, and the summary counts them."""
    head = (
        "| Target | Use | Measure | Published | Simulated | Accepted | Status |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    before = head + "\n".join(
        [
            "| `t1` | calibrated | T | 1.5 | 1.4 | 1.2-1.8 | pass |",
            "| `t2` | reported | LH | 13 | 7 | 9-17 | known gap: one pool |",
            "| `t3` | reported | old label | 2 | 2 | 1-3 | pass |",
        ]
    )
    after = head + "\n".join(
        [
            "| `t1` | calibrated | T | 1.5 | 1.5 | 1.2-1.8 | pass |",
            "| `t2` | reported | LH | 13 | 12 | 9-17 | pass |",
            "| `t3` | reported | new label | 2 | 4 | 1-3 | known gap: why |",
        ]
    )
    text = _script().compare(before, after, "BASE")
    assert "Before (BASE): 3 measures, 2 pass, 1 known gaps, 0 fail." in text
    assert "After (working tree): 3 measures, 2 pass, 1 known gaps, 0 fail." in text
    assert "| `t2` | LH | 13 | 7 | 12 | known gap -> pass |" in text
    assert "| `t3` | old label | 2 | 2 | - | pass -> gone |" in text
    assert "| `t3` | new label | 2 | - | 4 | new -> known gap |" in text
    for change in ("pass -> pass", "known gap -> pass", "pass -> gone", "new -> known gap"):
        assert f"| {change} | 1 |" in text
