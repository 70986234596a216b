"""The gonadotroph capacity (issue #19): GnRH, through its receptor, keeps the gonadotrophs'
LH and FSH synthesis built; held below the man's own signal it wastes, and it is rebuilt at a
rate proportional to the signal.

These check the mechanism's anchor (every man untreated sits at his own capacity, 1, with his
own receptor signal), its direction (drugs that raise the drive never lower it) and the
consequence the T4DM runoff asked for: after a slowly fading depot the gonadotropins return
later than after a short ester whose withdrawal crashes T.
"""

from __future__ import annotations

import jax.numpy as jnp
import pytest

from hpgsim import scenario_from_dict, simulate
from hpgsim.engine.inputs import prepare
from hpgsim.engine.reference import solve_reference
from hpgsim.evidence.records import te_line, tu_course
from hpgsim.model import axis

I = axis.IDX

_MEN = (
    {},
    {"baseline_total_testosterone_ng_dl": 250, "condition": "secondary_hypogonadism"},
    {"baseline_total_testosterone_ng_dl": 250, "condition": "primary_hypogonadism"},
    {"age_years": 64, "bmi_kg_m2": 34},  # T from his covariates
)


def _man(patient: dict[str, object]) -> tuple[jnp.ndarray, dict[str, object]]:
    prep = prepare([scenario_from_dict({"name": "m", "horizon": "1 d", "patient": patient})])
    return jnp.asarray(prep.y0[0]), {k: v[0] for k, v in prep.params.items()}


@pytest.mark.parametrize("patient", _MEN)
def test_every_untreated_man_sits_at_his_own_capacity_with_his_own_signal(
    patient: dict[str, object],
) -> None:
    """Capacity 1 and still at the untreated steady state; with the capacity halved, nothing
    wastes it (the receptor signal of his steady state is his own, gnrh_own, whatever his
    condition or covariates) and it is rebuilt at exactly k_gcap_up x gnrh_own x (1 - 0.5)
    (below the rebuilding's numerical ceiling)."""
    y0, p = _man(patient)
    assert float(y0[I["gonadotroph_cap"]]) == 1.0
    assert float(axis.rhs(y0, p)[I["gonadotroph_cap"]]) == pytest.approx(0.0, abs=1e-12)
    halved = y0.at[I["gonadotroph_cap"]].set(0.5)
    rate = float(axis.rhs(halved, p)[I["gonadotroph_cap"]])
    assert rate == pytest.approx(
        0.5 * float(axis.gonadotroph_rebuilding(p["gnrh_own"], p)), rel=1e-9
    )
    # the rebuilding's numerical ceiling does not bind at an untreated man's own signal
    assert rate == pytest.approx(0.5 * float(p["k_gcap_up"] * p["gnrh_own"]), rel=1e-6)


def test_capacity_scales_lh_synthesis_and_fsh_secretion() -> None:
    """Halving the capacity halves LH synthesis into the reserve and the FSH target."""
    y0, p = _man({})
    halved = y0.at[I["gonadotroph_cap"]].set(0.5)
    no_release = {**p, "krel_LH": 0.0}
    pool_rate = float(axis.rhs(halved, no_release)[I["lh_pool"]])
    full_rate = float(axis.rhs(y0, no_release)[I["lh_pool"]])
    assert pool_rate == pytest.approx(0.5 * full_rate, rel=1e-6)
    # FSH: d/dt = ke (target - FSH); at the steady state target = FSH, halved: target / 2
    fsh = float(y0[I["fsh"]])
    assert float(axis.rhs(halved, p)[I["fsh"]]) == pytest.approx(
        float(p["ke_FSH"]) * (0.5 * fsh - fsh), rel=1e-9
    )


@pytest.mark.parametrize(
    "line",
    [
        {"drug": "clomiphene", "dose": "25 mg", "route": "oral", "every": "1 d"},
        {"drug": "anastrozole", "dose": "1 mg", "route": "oral", "every": "1 d"},
    ],
)
def test_drugs_that_raise_the_drive_never_waste_the_capacity(line: dict[str, str]) -> None:
    sc = scenario_from_dict(
        {"name": "drive-up", "horizon": "90 d", "output_every": "3 d", "regimen": [line]}
    )
    cap = solve_reference(sc, states=True)[:, I["gonadotroph_cap"]]
    assert cap.min() >= 1.0 - 1e-9


def _weeks_to_lh_fraction(
    regimen: list[dict[str, str]], last_day: float, frac: float, pop: dict[str, float] | None
) -> float:
    sc = scenario_from_dict(
        {
            "name": "course",
            "horizon": f"{last_day + 420:g} d",
            "output_every": "7 d",
            "patient": {"age_years": 40},
            "regimen": regimen,
        }
    )
    d = simulate(sc, pop=pop)
    lh0 = float(d.lh_iu_l.iloc[0])
    after = d[d.time_days > last_day]
    back = after[after.lh_iu_l >= frac * lh0]
    assert not back.empty
    return (float(back.time_days.iloc[0]) - last_day) / 7.0


def test_the_capacity_delays_recovery_after_a_fading_depot_more_than_after_a_short_ester() -> None:
    """TE 200 mg weekly for a year (WHO 1990): T crashes when the ester clears and the drive,
    far above the man's own, rebuilds the capacity fast. TU 1000 mg every 12 weeks for 2 years
    (T4DM): T fades slowly with the depot, the drive stays near his own and the capacity
    returns slowly. Weeks from the last injection to LH at 99 % of baseline, with the capacity
    and with its wasting switched off: it delays the TE man's by at most 4 weeks and the TU
    man's by at least 6, and by at least twice as much (the TU depot's own tail, without the
    capacity, already makes his later)."""
    off = {"k_gcap_down": 1e-9}
    te_last, tu_last = 364.0, 90 * 7.0
    te_reg = [te_line("200 mg", "7 d", f"{te_last + 1:g} d")]
    tu_reg = tu_course("1000 mg", "1000 mg", 84.0, 42.0, tu_last)
    te_delay = _weeks_to_lh_fraction(te_reg, te_last, 0.99, None) - _weeks_to_lh_fraction(
        te_reg, te_last, 0.99, off
    )
    tu_delay = _weeks_to_lh_fraction(tu_reg, tu_last, 0.99, None) - _weeks_to_lh_fraction(
        tu_reg, tu_last, 0.99, off
    )
    assert 0.0 < te_delay <= 4.0
    assert tu_delay >= 6.0
    assert tu_delay >= 2.0 * te_delay
