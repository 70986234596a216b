"""The calibration targets, in the fitter's order, and how they are measured on simulations.

The targets themselves are records in the study files (:mod:`hpgsim.evidence.studies`);
:func:`evaluate_targets` simulates their scenarios (one batched solve per horizon) and measures
them. The fitter (:mod:`hpgsim.evidence.fit`) fits the calibrated parameters to these measures;
the tests assert every measure is inside its tolerance or a named known gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax.numpy as jnp
import pandas as pd

from hpgsim.engine.simulation import simulate_many
from hpgsim.evidence.records import Measure, Target
from hpgsim.evidence.studies.foundation import FOUNDATION_TARGETS
from hpgsim.evidence.studies.restoration import RESTORATION_TARGETS
from hpgsim.evidence.studies.spermatogenesis import SPERMATOGENESIS_TARGETS
from hpgsim.model.axis import (
    androgen_feedback,
    er_occupancy,
    estrogen_feedback,
    lh_synthesis_response,
    population_parameters,
)

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
        if t.key.startswith("support_pitteloud") or t.key == "support_cilia2024_castrate_lh":
            results[t.key] = _pitteloud_measures(population_parameters(pop))
        else:
            results[t.key] = {k: float(v) for k, v in t.measure(frames[i : i + n]).items()}
        i += n
    return results


def _pitteloud_measures(p: Mapping[str, Any]) -> dict[str, float]:
    """Steady-state LH ratios of the reference man under Pitteloud 2008's arms, from the feedback
    laws (ratios, because the study's LH assay read a baseline near 11.5 IU/L, 3 times lower
    than its blockade value, where the reference man has 4.5):
    LH_ref x M(x), with M the saturating pituitary response and x the pituitary stimulus, the
    product of the hypothalamic drive's androgen factor A and estrogen factor, and the
    pituitary's estrogen factor (each 1 at the reference, A(0) and 1 + gain with the steroid
    removed; an add-back is read as restoring the reference level). In GnRH-deficient men on a
    fixed pump only the pituitary factor acts."""
    a0 = float(androgen_feedback(0.0, p))
    hyp, pit = 1.0 + float(p["fb_E_hyp_gain"]), 1.0 + float(p["fb_E_pit_gain"])
    # after orchiectomy: T at its extragonadal level, estradiol (made from T) in proportion,
    # free T in proportion too (SHBG's rise after castration is left out)
    r = float(p["T_castrate_ng_dl"]) / float(p["T_ref"])
    occ = float(er_occupancy(r, p))
    castrate = (
        float(androgen_feedback(r, p))
        * float(estrogen_feedback(occ, p["fb_E_hyp_gain"]))
        * float(estrogen_feedback(occ, p["fb_E_pit_gain"]))
    )

    def lh(x: float) -> float:
        return float(p["LH_ref"] * lh_synthesis_response(jnp.asarray(x), p))

    blockade = lh(a0 * hyp * pit)
    return {
        "LH without sex-steroid feedback / baseline": blockade / lh(1.0),
        "LH with T add-back, aromatization blocked / blockade": lh(hyp * pit) / blockade,
        "LH with E2 add-back / blockade": lh(a0) / blockade,
        "LH amplitude with E2 add-back / blockade, GnRH-deficient men on a pump": lh(1.0) / lh(pit),
        "LH after orchiectomy / reference": lh(castrate) / lh(1.0),
    }
