"""The evidence registry: one record per study, and the same studies, measures, published values,
acceptance intervals and known gaps as the committed validation table (docs/validation.md), so
a study that is moved, dropped or changed by a restructuring fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpgsim.evidence.calibration import TARGETS
from hpgsim.evidence.records import acceptance_interval
from hpgsim.evidence.registry import KNOWN_GAPS, registry
from hpgsim.evidence.validation import _fmt  # the table's own number format

ROOT = Path(__file__).resolve().parents[1]


def _committed_table() -> dict[tuple[str, str], list[str]]:
    rows: dict[tuple[str, str], list[str]] = {}
    for line in (ROOT / "docs" / "validation.md").read_text().splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[(cells[0].strip("`"), cells[2])] = cells
    return rows


def test_every_study_is_one_record_with_its_design_and_gaps() -> None:
    for t in registry():
        assert t.population and t.observable and t.spread and t.tolerance_reason, t.id
        labels = {m.label for m in t.measures}
        assert set(t.known_gaps) <= labels, t.id
    for t in TARGETS:  # the calibration targets carry the same fields themselves
        assert t.population and t.observable and t.tolerance_reason, t.key
    assert {
        (t.id, label): reason for t in registry() for label, reason in t.known_gaps.items()
    } == KNOWN_GAPS
    assert len({t.id for t in registry()}) == len(registry())


def test_the_registry_matches_the_committed_validation_table() -> None:
    table = _committed_table()
    measures = {(t.id, m.label): (t, m) for t in registry() for m in t.measures}
    assert set(measures) == set(table)
    for key, (t, m) in measures.items():
        cells = table[key]
        unit = f" {m.unit.strip()}" if m.unit.strip() else ""
        assert cells[1] == t.use.value, key
        assert cells[3] == f"{_fmt(m.published)}{unit}", key
        low, high = acceptance_interval(m)
        assert cells[5] == f"{_fmt(low)}-{_fmt(high)}", key
        gap = t.known_gaps.get(m.label)
        if gap is None:
            assert not cells[6].startswith("known gap"), key
        else:
            assert cells[6] == f"known gap: {gap}", key


@pytest.mark.parametrize("family", ["foundation", "restoration", "spermatogenesis"])
def test_each_study_family_file_holds_its_stage(family: str) -> None:
    import importlib

    module = importlib.import_module(f"hpgsim.evidence.studies.{family}")
    targets = getattr(module, f"{family.upper()}_TARGETS")
    assert targets and all(t.stage == family for t in targets)
