"""Published calibration targets: each measure states the published value, the simulated value
and the tolerance; the fitted values in the parameter table come from scripts/calibrate.py."""

from __future__ import annotations

import json

import pytest

from hpgsim.calibration import TARGETS, Target, evaluate_targets
from hpgsim.model.parameters import CAL_FILE, CALIBRATED

# Reported but not met: targets marked fit=False, and fitted measures the model's structure
# cannot reach, each with the reason in the target's notes and in docs/model.md ("What the fit
# found", "Restoration targets: what fits and what does not" and "Spermatogenesis targets").
# strict: a measure that starts to pass turns red, so the marker gets removed.
KNOWN_GAPS = {
    ("support_pitteloud_addback", "LH with T add-back, aromatization blocked"): "see notes",
    ("support_pitteloud_addback", "LH with E2 add-back"): "see notes",
    ("support_teslac_t_level", "LH, T infusion alone / baseline"): "see notes",
    ("support_teslac_t_level", "T, T infusion alone / baseline"): "see notes",
    # restoration (#3)
    **{
        ("target4_coviello_hcg", f"ITT / baseline, hCG {dose} IU"): "hCG dose-response too steep"
        for dose in (125, 250, 500)
    },
    **{
        ("target8_miller_clomiphene", f"{h} / baseline"): "LH overshoots, T lags"
        for h in ("T", "LH", "FSH")
    },
    ("target8_shabsigh_clomiphene", "T at 5 weeks"): "no estrogenic tone at low E2",
    **{
        ("target8_helo_clomiphene", f"{h} / baseline"): "no estrogenic tone at low E2"
        for h in ("T", "LH", "E2")
    },
    ("check_tamoxifen_e2", "E2 / baseline"): "tamoxifen's own E2 effects not modelled",
    ("target9_hurley_gnrh_sc", "LH peak after 10 ug SC"): "one LH pool and half-life",
    ("check_hurley_lh_peak_time", "minutes to LH peak"): "one LH pool and half-life",
    ("target9_pulsatile_gnrh_pump", "LH after 1 week"): "pump vs 3-h infusion trade-off",
    ("check_leuprolide_castration_day", "days to castrate T (< 50 ng/dL)"): "pool dump",
    ("check_leuprolide_castration_day", "day of the T peak"): "pool dump",
    **{
        ("check_bhasin_with_leuprolide", f"nadir T at {dose} mg/wk"): "SHBG at castrate T"
        for dose in (25, 50, 125)
    },
    # spermatogenesis (#4)
    ("check_handelsman_suppression_halftime", "suppression half-time"): "pipeline delay",
    ("check_handelsman_half_plateau", "weeks to half the plateau"): "pooled summaries differ",
    ("check_who1990_recovery_to_baseline", "months to own baseline"): "reserve still regrowing",
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, float]]:
    return evaluate_targets()


def _cases() -> list[object]:
    cases = []
    for t in TARGETS:
        for m in t.measures:
            marks = []
            if (t.key, m.label) in KNOWN_GAPS:
                reason = f"{t.key}: {t.notes}"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(pytest.param(t, m.label, id=f"{t.key}:{m.label}", marks=marks))
    return cases


@pytest.mark.parametrize(("target", "label"), _cases())
def test_measure_within_tolerance(
    target: Target, label: str, results: dict[str, dict[str, float]]
) -> None:
    measure = next(m for m in target.measures if m.label == label)
    simulated = results[target.key][label]
    assert measure.passes(simulated), f"{target.source}: {measure.describe(simulated)}"


def test_parameter_table_holds_the_calibration_output() -> None:
    data = json.loads(CAL_FILE.read_text())
    assert data["written_by"] == "scripts/calibrate.py"
    assert data["values"] == CALIBRATED
    # the recorded measures are what the current model gives with those values
    recorded = {(r["target"], r["measure"]): r["simulated"] for r in data["measures"]}
    live = evaluate_targets()
    for (key, label), value in recorded.items():
        assert live[key][label] == pytest.approx(value, rel=1e-6), (key, label)
