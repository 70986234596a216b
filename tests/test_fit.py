"""The fitter inside the package: stages and bounds from the parameter table, residual scaling,
recovery of a known value on a synthetic problem."""

from __future__ import annotations

import numpy as np
import pytest

from hpgsim.evidence import fit as fit_module
from hpgsim.evidence.calibration import TARGETS
from hpgsim.evidence.fit import STAGES, StageFit, fit, fit_stage, values_on_bound
from hpgsim.evidence.records import Measure, Target
from hpgsim.model.parameters import Calibrated, calibrated_rows


def test_every_calibrated_parameter_is_in_one_stage_with_targets() -> None:
    names = [n for s in STAGES for n in calibrated_rows(s)]
    assert len(names) == len(set(names)) == len(calibrated_rows())
    for stage in STAGES:
        assert any(t.fit and t.stage == stage for t in TARGETS), stage


def test_a_residual_is_one_at_the_edge_of_the_tolerance() -> None:
    m = Measure("x", 100.0, tolerance=0.2)
    assert m.residual(120.0) == pytest.approx(np.log(1.2) / np.log1p(0.2))
    assert abs(m.residual(100.0 * 1.2)) == pytest.approx(1.0)
    r = Measure("r", 5.0, low=4.0, high=6.0)
    assert r.residual(6.0) == pytest.approx(1.0) and r.residual(5.0) == 0.0


def test_the_fitter_recovers_a_known_value() -> None:
    """One parameter, one measure that depends on it analytically: the fit lands on the value
    that makes the measure equal the published one, from a start far away."""
    target = Target("synthetic", "t", "s", (), lambda dfs: {}, (Measure("m", 6.0, tolerance=0.1),))
    free = {"k": Calibrated("m = 3 k^2", start=0.2, lower=0.01, upper=100.0, stage="foundation")}

    def evaluate(targets, pop):  # type: ignore[no-untyped-def]
        return {"synthetic": {"m": 3.0 * pop["k"] ** 2 + 0.0 * pop["held"]}}

    result = fit_stage(free, [target], {"held": 1.0}, evaluate=evaluate, verbose=0)
    assert result.values["k"] == pytest.approx(np.sqrt(2.0), rel=1e-6)
    assert result.cost == pytest.approx(0.0, abs=1e-12)


def test_a_failed_trial_point_gets_a_large_residual_not_an_exception() -> None:
    target = Target("synthetic", "t", "s", (), lambda dfs: {}, (Measure("m", 6.0, tolerance=0.1),))
    free = {"k": Calibrated("t", start=1.0, lower=0.5, upper=2.0, stage="foundation")}

    def evaluate(targets, pop):  # type: ignore[no-untyped-def]
        if pop["k"] > 1.2:
            raise FloatingPointError("non-finite")
        return {"synthetic": {"m": 6.0 * pop["k"]}}

    result = fit_stage(free, [target], {}, evaluate=evaluate, verbose=0)
    assert result.values["k"] == pytest.approx(1.0, rel=1e-4)


def test_values_on_a_bound_are_reported() -> None:
    free = {"a": Calibrated("t", 1.0, 0.5, 2.0, "foundation"), "b": Calibrated("t", 1, 0.5, 2, "x")}
    assert values_on_bound({"a": 1.999, "b": 1.0}, free) == {"a": "upper"}


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="allowed: foundation, restoration, spermatogenesis"):
        fit(["everything"])


def test_the_spread_search_finds_an_interior_minimum_and_stops_on_a_bound() -> None:
    """The spread stage's coordinate search (hpgsim.evidence.spread) on a known cost: a
    log-quadratic bowl at CVs (0.3, 0.8) for two parameters and a third whose cost keeps
    falling to its upper bound; the search lands within its last step of each."""
    import math

    from hpgsim.evidence.spread import fit_spread, spread_rows

    rows = spread_rows()
    names = sorted(rows)
    best = {names[0]: 0.3, names[1]: 0.8}

    def cost(cv: dict[str, float]) -> float:
        bowl = sum(math.log(cv[k] / v) ** 2 for k, v in best.items())
        return bowl - math.log(cv[names[2]])  # lower the larger it is

    result = fit_spread(cost=cost, min_step=1.05)
    for k, v in best.items():
        assert abs(math.log(result.cv[k] / v)) < math.log(1.1), (k, result.cv[k])
    assert result.cv[names[2]] == rows[names[2]].upper
    assert result.cost == cost(result.cv)


def test_a_warm_start_is_used_and_moved_inside_the_bounds() -> None:
    """``starts`` replaces the table's start (a refit from stored values); one on a bound is
    moved inside it; the fit still lands on the same optimum."""
    target = Target("synthetic", "t", "s", (), lambda dfs: {}, (Measure("m", 6.0, tolerance=0.1),))
    free = {"k": Calibrated("m = 3 k^2", start=0.2, lower=0.01, upper=100.0, stage="foundation")}
    seen: list[float] = []

    def evaluate(targets, pop):  # type: ignore[no-untyped-def]
        seen.append(pop["k"])
        return {"synthetic": {"m": 3.0 * pop["k"] ** 2}}

    result = fit_stage(free, [target], {}, evaluate=evaluate, verbose=0, starts={"k": 1.4})
    assert seen[0] == pytest.approx(1.4)
    assert result.values["k"] == pytest.approx(np.sqrt(2.0), rel=1e-6)
    seen.clear()
    fit_stage(free, [target], {}, evaluate=evaluate, verbose=0, starts={"k": 100.0})
    assert 99.9 < seen[0] < 100.0


def test_only_names_calibrated_parameters_of_the_stages_fitted() -> None:
    """``fit(only=...)`` fits a block of a stage (a new drug family's parameters); a name that
    is not a calibrated parameter of a stage being fitted is refused with what is allowed,
    before anything is solved."""
    foundation = next(iter(calibrated_rows("foundation")))
    with pytest.raises(ValueError, match=r"only: got \['K_tam'\]; allowed: .*fb_T_K"):
        fit(["foundation"], only=["K_tam"])
    with pytest.raises(ValueError, match="only: got"):
        fit(["restoration"], only=[foundation])
    with pytest.raises(ValueError, match="only: got"):
        fit(["restoration"], only=[])


def test_only_skips_a_stage_it_names_nothing_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """With several stages, a stage of which ``only`` names no parameter is not fitted (no
    empty least-squares problem), and the named ones alone are free in theirs."""
    names = list(calibrated_rows("spermatogenesis"))[:1]
    free_seen: list[list[str]] = []

    def fake_fit_stage(free, targets, fixed, **kw):  # type: ignore[no-untyped-def]
        free_seen.append(list(free))
        return StageFit({n: 1.0 for n in free}, 0.0)

    monkeypatch.setattr(fit_module, "fit_stage", fake_fit_stage)
    result = fit(["foundation", "spermatogenesis"], only=names)
    assert free_seen == [names]
    assert set(result.stage_costs) == {"spermatogenesis"}


def test_joint_fits_the_stages_in_one_problem_and_costs_each_at_the_joint_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``joint``: one least-squares problem with every parameter of the stages named, on all
    their targets; each stage's cost is then its share at the joint values (a measure the
    point cannot produce counts as the failed residual, as in the fit)."""
    calls: list[tuple[set[str], set[str]]] = []

    def fake_fit_stage(free, targets, fixed, **kw):  # type: ignore[no-untyped-def]
        calls.append((set(free), {t.stage for t in targets}))
        return StageFit({n: row.start for n, row in free.items()}, 0.0)

    first = next(t for t in TARGETS if t.fit and t.stage == "restoration")

    def published(targets, pop):  # type: ignore[no-untyped-def]
        out = {t.key: {m.label: m.published for m in t.measures} for t in targets}
        out[first.key][first.measures[0].label] = float("nan")
        return out

    monkeypatch.setattr(fit_module, "fit_stage", fake_fit_stage)
    result = fit(["restoration", "foundation"], joint=True, evaluate=published)
    both = set(calibrated_rows("foundation")) | set(calibrated_rows("restoration"))
    assert calls == [(both, {"foundation", "restoration"})]

    def share(stage: str) -> float:  # residual of each published value (0 at a range's centre)
        return 0.5 * sum(
            (fit_module.FAILED_RESIDUAL if m is first.measures[0] else m.residual(m.published)) ** 2
            for t in TARGETS
            if t.fit and t.stage == stage
            for m in t.measures
        )

    assert result.stage_costs == {
        "foundation": pytest.approx(share("foundation")),
        "restoration": pytest.approx(share("restoration")),
    }
    assert result.stage_costs["restoration"] >= 0.5 * fit_module.FAILED_RESIDUAL**2
