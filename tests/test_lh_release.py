"""The pituitary's LH release (issue #19): a reserve, a readily releasable pool emptied by a
bolus, and serum LH in two compartments (le Cotonnec 1998).

These check the mechanism's structure and numbers: mass balance of LH, the two-compartment
kinetics against the published half-lives, the pool's size at steady state, and that a bolus
empties the small pool while a sustained agonist stops its acute release as the receptors
uncouple.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim import scenario_from_dict, simulate
from hpgsim.engine.inputs import prepare
from hpgsim.engine.reference import solve_reference
from hpgsim.model import axis
from hpgsim.model.parameter_records import two_compartment_from_biexponential
from hpgsim.model.parameters import LH_MCR_L_DAY
from hpgsim.model.states import StateView
from hpgsim.scenario import Scenario

I = axis.IDX


def _typical_man() -> tuple[object, dict[str, object]]:
    prep = prepare([scenario_from_dict({"name": "m", "horizon": "1 d"})])
    return prep.y0[0], {k: v[0] for k, v in prep.params.items()}


def _rates(cl: float, vc: float, vp: float, q: float) -> tuple[float, float]:
    """The two disposition rates (1/time) of a central/peripheral model."""
    k10, k12, k21 = cl / vc, q / vc, q / vp
    s, prod = k10 + k12 + k21, k10 * k21
    root = math.sqrt(s * s - 4.0 * prod)
    return (s + root) / 2.0, (s - root) / 2.0


def test_two_compartment_split_reproduces_the_published_recombinant_lh_kinetics() -> None:
    """le Cotonnec 1998: initial t1/2 1 h, terminal 11 h, clearance 1.7 L/h, Vss 10 L."""
    split = two_compartment_from_biexponential(1.7, 10.0, 1.0, 11.0)  # L/h, L, h, h
    assert split["central"] + split["peripheral"] == pytest.approx(10.0)
    fast, slow = _rates(1.7, split["central"], split["peripheral"], split["exchange"])
    assert math.log(2.0) / fast == pytest.approx(1.0, rel=1e-9)
    assert math.log(2.0) / slow == pytest.approx(11.0, rel=1e-9)
    with pytest.raises(ValueError, match="no two-compartment model"):
        two_compartment_from_biexponential(1.7, 100.0, 1.0, 11.0)  # k10 would be negative
    with pytest.raises(ValueError, match="no two-compartment model"):
        two_compartment_from_biexponential(1000.0, 1.0, 1.0, 11.0)  # central above Vss


def test_native_lh_in_the_model_has_the_fast_phase_of_intact_hlh() -> None:
    """With native LH's clearance (Veldhuis 1986) on le Cotonnec's volumes, the initial
    half-life is within the 30-36 min measured for intact hLH (Pepperell 1975) and the
    steady-state clearance is the MCR."""
    _, p = _typical_man()
    vc, vp, q = float(p["V_LH"]), float(p["V_LH_periph"]), float(p["Q_LH"])
    assert float(p["ke_LH"]) * vc == pytest.approx(LH_MCR_L_DAY)
    fast, slow = _rates(LH_MCR_L_DAY, vc, vp, q)
    assert 30.0 <= math.log(2.0) / fast * 1440.0 <= 36.0
    assert 8.0 <= math.log(2.0) / slow * 24.0 <= 12.0


def test_lh_is_conserved_between_synthesis_and_clearance() -> None:
    """d/dt (reserve + pool + V_c LH + V_p LH_p) = synthesis - MCR x serum LH, exactly, at
    any state (here off the steady state, with an agonist bolus in plasma)."""
    y0, p = _typical_man()
    y = (
        jnp.asarray(y0)
        .at[I["lh_rrp"]]
        .multiply(3.0)
        .at[I["lh"]]
        .multiply(0.5)
        .at[I["lh_periph"]]
        .multiply(1.7)
        .at[I["gnrh"]]
        .set(2.0)
    )
    dy = np.asarray(axis.rhs(y, p))
    stores = (
        dy[I["lh_pool"]]
        + dy[I["lh_rrp"]]
        + dy[I["lh"]] * float(p["V_LH"])
        + dy[I["lh_periph"]] * float(p["V_LH_periph"])
    )
    # synthesis: the reserve's derivative plus what leaves it (mobilization)
    no_synthesis = {**p, "LH_syn": 0.0}
    synthesis = dy[I["lh_pool"]] - float(np.asarray(axis.rhs(y, no_synthesis))[I["lh_pool"]])
    cleared = float(p["ke_LH"]) * float(p["V_LH"]) * float(y[I["lh"]])
    assert synthesis > 0
    assert stores == pytest.approx(synthesis - cleared, rel=1e-10)


def test_the_readily_releasable_pool_holds_synthesis_over_its_basal_exocytosis() -> None:
    y0, p = _typical_man()
    synthesis = float(p["LH_syn"]) * float(
        axis.lh_synthesis_response(jnp.asarray(1.0), p)  # the reference man: stimulus 1
    )
    assert float(y0[I["lh_rrp"]]) == pytest.approx(synthesis / float(p["k_lh_rrp"]), rel=1e-6)
    assert float(y0[I["lh_periph"]]) == pytest.approx(float(y0[I["lh"]]))
    # far smaller than the reserve (Tornoe's store of days of synthesis)
    assert float(y0[I["lh_rrp"]]) < 0.05 * float(y0[I["lh_pool"]])


def _iv_bolus(dose: str) -> Scenario:
    return scenario_from_dict(
        {
            "name": f"iv-{dose}",
            "horizon": "3 h",
            "output_every": "2.5 min",
            "regimen": [{"drug": "gonadorelin", "dose": dose, "route": "intravenous"}],
        }
    )


def test_a_bolus_depletes_the_small_pool_so_a_larger_bolus_adds_little() -> None:
    """2.5 and 20 ug IV both deplete the readily releasable pool by more than half within 15
    min (the reserve's capped mobilization refills it meanwhile); the LH released (serum LH
    area above baseline x MCR, over 3 h) by eight times the dose exceeds the small dose's by
    less than one pool."""
    y0, _ = _typical_man()
    pool = float(y0[I["lh_rrp"]])
    released = {}
    for dose in ("2.5 ug", "20 ug"):
        sc = _iv_bolus(dose)
        d = simulate(sc)
        t = d.time_days.to_numpy()
        lh = d.lh_iu_l.to_numpy()
        released[dose] = float(np.trapezoid(lh - lh[0], t)) * LH_MCR_L_DAY
        ys, _ = _states(sc)  # every 2.5 min: row 6 is 15 min after the dose
        assert ys[6, I["lh_rrp"]] < 0.5 * pool
    assert 0.3 * pool < released["2.5 ug"] < 3.0 * pool
    assert 0.0 < released["20 ug"] - released["2.5 ug"] < pool


def _states(sc: Scenario) -> tuple[np.ndarray, dict[str, object]]:
    """Every state of one scenario at its output times, from the reference integrator, and
    the man's parameters."""
    prep = prepare([sc])
    p = {k: jnp.asarray(v[0]) for k, v in prep.params.items()}
    return solve_reference(sc, rtol=1e-8, atol=1e-10, states=True), p


def _coupled(ys: np.ndarray, p: dict[str, object]) -> np.ndarray:
    """Coupled GnRH-receptor occupancy by the exogenous agonist, x the signalling left."""
    out = []
    for y in ys:
        s = StateView(jnp.asarray(y), axis.LAYOUT)
        drugs = axis.drug_effects(s, axis.drug_concentrations(s, p), p)
        occ = float(axis.gnrh_receptor_occupancy(drugs["gnrh_receptor_agonist_pg_ml"], p))
        sens = y[I["gnrhr_sens"]] ** float(p["gnrhr_loss_exponent"])  # type: ignore[arg-type]
        out.append(sens * occ * (1.0 - y[I["gnrhr_uncoupled"]]))
    return np.asarray(out)


def test_a_sustained_agonist_stops_the_acute_release_within_hours() -> None:
    """Under leuprolide depots the receptors uncouple (t1/2 2 h), so from 48 h after each
    injection, where the engine's 1.25-min window ends and its 1-h steps begin, the acute
    exocytosis rate is below one per hour (and far below its first hour's)."""
    sc = scenario_from_dict(
        {
            "name": "leu",
            "horizon": "84 d",
            "output_every": "1 h",
            "regimen": [
                {"drug": "leuprolide", "dose": "7.5 mg", "route": "intramuscular", "every": "28 d"}
            ],
        }
    )
    ys, p = _states(sc)
    t = np.arange(len(ys)) / 24.0
    acute_per_hour = _coupled(ys, p) * float(p["k_lh_acute"]) / 24.0  # type: ignore[arg-type]
    late = (t % 28.0) >= 2.0
    assert acute_per_hour[1] > 1.0  # the burst's first hour: the pool empties within it
    assert acute_per_hour[late].max() < 1.0


def test_the_linear_part_propagates_the_peripheral_compartment_exactly() -> None:
    """The peripheral LH state is a linear transfer (Kind.LINEAR): its derivative is the same
    linear function of (serum, peripheral LH) everywhere."""
    y0, p = _typical_man()
    assert axis.LAYOUT.by_name("lh_periph").kind == axis.Kind.LINEAR
    a = np.asarray(y0)
    b = a.copy()
    b[I["lh"]] *= 2.0
    b[I["lh_periph"]] *= 0.25
    da = np.asarray(axis.rhs(jnp.asarray(a), p))[I["lh_periph"]]
    db = np.asarray(axis.rhs(jnp.asarray(b), p))[I["lh_periph"]]
    k = float(p["Q_LH"]) / float(p["V_LH_periph"])
    assert da == pytest.approx(k * (a[I["lh"]] - a[I["lh_periph"]]), abs=1e-12)
    assert db == pytest.approx(k * (b[I["lh"]] - b[I["lh_periph"]]), rel=1e-12)
