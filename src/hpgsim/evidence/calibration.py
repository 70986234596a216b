"""The calibration targets, in the fitter's order, and how they are measured on simulations.

The targets themselves are records in the study files (:mod:`hpgsim.evidence.studies`);
:func:`evaluate_targets` simulates their scenarios (one batched solve per horizon) and measures
them. The fitter (:mod:`hpgsim.evidence.fit`) fits the calibrated parameters to these measures;
the tests assert every measure is inside its tolerance or a named known gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from hpgsim.engine.simulation import simulate_many
from hpgsim.evidence.records import Measure, Target
from hpgsim.evidence.studies.foundation import FOUNDATION_TARGETS
from hpgsim.evidence.studies.restoration import RESTORATION_TARGETS
from hpgsim.evidence.studies.spermatogenesis import SPERMATOGENESIS_TARGETS
from hpgsim.model.axis import lh_synthesis_response, population_parameters

__all__ = ["TARGETS", "Measure", "Target", "evaluate_targets"]


TARGETS: tuple[Target, ...] = (*FOUNDATION_TARGETS, *RESTORATION_TARGETS, *SPERMATOGENESIS_TARGETS)
"""Every calibration target, in the fitter's order (fitted and reported checks)."""


def evaluate_targets(
    targets: Sequence[Target] = TARGETS,
    *,
    pop: Mapping[str, Any] | None = None,
    frames_out: dict[str, list[pd.DataFrame]] | None = None,
) -> dict[str, dict[str, float]]:
    """Simulate every target's scenarios (one batched solve per horizon) and measure them.
    ``frames_out``, if given, receives each target's simulated tables by target key."""

    # targets that read the same simulation (a fitted target and its reported check) share
    # the scenario objects; each is simulated once
    unique = list({id(s): s for t in targets for s in t.scenarios}.values())
    solved = dict(zip(map(id, unique), simulate_many(unique, pop=pop), strict=True))
    frames = [solved[id(s)] for t in targets for s in t.scenarios]
    offset = float(population_parameters(pop)["e2_immunoassay_offset"])
    for f in solved.values():
        # what the studies' E2 immunoassays read: the true (LC-MS) value plus their
        # non-specific signal at low concentrations
        f["estradiol_immunoassay_pg_ml"] = f.estradiol_pg_ml + offset
    results: dict[str, dict[str, float]] = {}
    i = 0
    for t in targets:
        n = len(t.scenarios)
        if frames_out is not None:
            frames_out[t.key] = frames[i : i + n]
        if t.key.startswith("support_pitteloud"):
            p = population_parameters(pop)

            gt, ge = 1 + p["fb_T_gain"], (1 + p["fb_E_gain"]) ** 2
            lh = {x: float(p["LH_ref"] * lh_synthesis_response(x, p)) for x in (gt * ge, ge, gt)}
            results[t.key] = {
                "LH without sex-steroid feedback": lh[gt * ge],
                "LH with T add-back, aromatization blocked": lh[ge],
                "LH with E2 add-back": lh[gt],
            }
        else:
            results[t.key] = {k: float(v) for k, v in t.measure(frames[i : i + n]).items()}
        i += n
    return results
