"""The model spec's declared structure holds: state records, linear transfers, inputs, drug
families owning their states, readouts by name, one condition enum, float64 required."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import typing

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hpgsim.engine.inputs import prepare
from hpgsim.model import axis, drugs, woman
from hpgsim.model.conditions import Condition
from hpgsim.model.states import Kind, StateView
from hpgsim.scenario import scenario_from_dict
from hpgsim.scenario.spec import Condition as ConditionLabel


@pytest.fixture(scope="module")
def man() -> tuple[jax.Array, dict]:
    sc = scenario_from_dict({"name": "m", "horizon": "1 d", "patient": {"bmi_kg_m2": 31}})
    prep = prepare([sc])
    y0 = prep.y0[0]
    p = {k: v[0] for k, v in prep.params.items()}
    return y0, p


def test_every_state_has_a_unit_meaning_and_block() -> None:
    assert len(axis.LAYOUT) == axis.N_STATES == len(set(axis.STATES))
    for s in axis.LAYOUT.states:
        assert s.unit and s.meaning and s.block, s


def test_declared_linear_states_have_constant_jacobian_rows(man: tuple) -> None:
    """A state declared LINEAR (or INPUT) has d/dt linear in the states: its Jacobian row is
    the same at the man's steady state and at a state with every value moved and drugs given."""
    y0, p = man
    jac = jax.jacfwd(axis.rhs)
    j0 = np.asarray(jac(y0, p))
    factors = 0.5 + np.abs(np.sin(np.arange(1, axis.N_STATES + 1) * 2.3))
    j1 = np.asarray(jac(y0 * factors + 0.7, p))
    declared = [s.name for s in axis.LAYOUT.states if s.kind in (Kind.LINEAR, Kind.INPUT)]
    assert len(declared) >= 25
    for name in declared:
        i = axis.IDX[name]
        np.testing.assert_allclose(j1[i], j0[i], rtol=1e-12, atol=1e-15, err_msg=name)


def test_nonlinear_states_are_declared_so_for_a_reason(man: tuple) -> None:
    """The converse check: a state declared NONLINEAR really has a varying Jacobian row, so the
    declaration is not merely conservative (the engine v2 builds its linear part on it). Two
    moved points: a clamped term (hCG's Leydig induction acts only above the man's own LH
    occupancy) can be flat at one of them."""
    y0, p = man
    jac = jax.jacfwd(axis.rhs)
    j0 = np.asarray(jac(y0, p))
    n = np.arange(1, axis.N_STATES + 1)
    moved = [
        np.asarray(jac(y0 * (0.5 + np.abs(np.sin(n * 2.3))) + 0.7, p)),
        np.asarray(jac(y0 * (0.5 + np.abs(np.cos(n * 1.3))) + 5.0, p)),
        np.asarray(jac(y0.at[axis.IDX["hcg"]].set(5000.0), p)),  # IU in serum
    ]
    for s in axis.LAYOUT.states:
        if s.kind is Kind.NONLINEAR:
            i = axis.IDX[s.name]
            assert any(not np.allclose(j1[i], j0[i], rtol=1e-12, atol=1e-15) for j1 in moved), (
                s.name
            )


def test_input_states_are_constant_between_events(man: tuple) -> None:
    y0, p = man
    d = axis.rhs(y0.at[axis.IDX["gnrh_rate"]].set(50.0), p)
    for s in axis.LAYOUT.states:
        if s.kind is Kind.INPUT:
            assert float(d[axis.IDX[s.name]]) == 0.0


def test_the_germ_chain_is_declared_in_order() -> None:
    assert axis.LAYOUT.chains["germ"] == tuple(f"germ_{i}" for i in range(1, axis.N_GERM + 1))


def _woman() -> tuple:
    p = woman.patient_parameters(None, age=55.0, bmi=25.0)
    return woman.steady_state(p), p


@pytest.mark.parametrize("sex", ["male", "female"])
def test_each_drug_family_owns_its_states_wiring_and_columns(man: tuple, sex: str) -> None:
    """Each family of each model (the man's axis, the woman's) owns its states, wiring and
    columns; every family belongs to at least one model."""
    model = woman if sex == "female" else axis
    y0, p = _woman() if sex == "female" else man
    s = StateView(y0, model.LAYOUT)
    c: dict = {}
    for family in model.FAMILIES:
        c.update(family.concentrations(s, p))
    ctx = drugs.AxisContext(serum_t_loss_per_day=jnp.asarray(1.0))
    seen: set[str] = set()
    assert {f.name for f in axis.FAMILIES} | {f.name for f in woman.FAMILIES} == {
        f.name for f in drugs.FAMILIES
    }
    assert drugs.families_for(sex) == model.FAMILIES
    for family in model.FAMILIES:
        own = {st.name for st in family.states}
        assert all(st.block == family.name for st in family.states), family.name
        assert set(family.derivatives(s, c, p, ctx)) == own, family.name
        for w in family.wiring:
            targets = {
                st
                for route in ("oral", "intramuscular", "subcutaneous", "intravenous", "transdermal")
                for st, _ in w.targets(route)
            }
            if w.infusion_state is not None:
                targets.add(w.infusion_state)
            assert targets <= own, (family.name, targets - own)
        assert {sp.name for sp in family.specs} == {w.name for w in family.wiring}
        assert set(family.readouts(s, c, p)) == set(family.output_columns())
        assert set(family.effects(s, c, p)) <= set(drugs.SITES), family.name
        assert not (own & seen)
        seen |= own
    assert set(drugs.CATALOG) == set(drugs.WIRING)


def test_every_drug_module_with_a_family_is_discovered() -> None:
    """Adding a drug is one module: any module of hpgsim.model.drugs that defines FAMILY is
    in FAMILIES, with nothing else to edit."""
    modules = []
    for info in pkgutil.iter_modules(drugs.__path__):
        module = importlib.import_module(f"hpgsim.model.drugs.{info.name}")
        if isinstance(getattr(module, "FAMILY", None), drugs.DrugFamily):
            modules.append(module.FAMILY)
    assert {f.name for f in modules} == {f.name for f in drugs.FAMILIES}
    orders = [f.order for f in drugs.FAMILIES]
    assert orders == sorted(orders)


def test_readouts_come_by_column_name(man: tuple) -> None:
    y0, p = man
    out = axis.readouts(y0, p)
    assert set(out) == set(axis.OUTPUT_COLUMNS)
    vec = np.asarray(axis.readout_vector(y0, p))
    for j, col in enumerate(axis.OUTPUT_COLUMNS):
        assert vec[j] == pytest.approx(float(out[col]), rel=0, abs=0), col


def test_stacking_refuses_a_missing_or_unknown_state(man: tuple) -> None:
    y0, _ = man
    full = {n: y0[i] for i, n in enumerate(axis.STATES)}
    assert np.allclose(np.asarray(axis.LAYOUT.stack(full)), np.asarray(y0))
    with pytest.raises(KeyError, match="lacks"):
        axis.LAYOUT.stack({k: v for k, v in full.items() if k != "lh"})
    with pytest.raises(KeyError, match="no such state"):
        axis.LAYOUT.stack({**full, "lh2": 0.0})


def test_one_condition_enum_in_one_order() -> None:
    assert typing.get_args(ConditionLabel) == Condition.labels()
    assert [int(c) for c in Condition] == list(range(len(Condition)))
    assert Condition.from_label("secondary_hypogonadism").central
    with pytest.raises(ValueError, match="allowed: healthy"):
        Condition.from_label("sick")


def test_importing_hpgsim_leaves_jax_x64_alone_and_a_solve_requires_it() -> None:
    code = (
        "import jax, hpgsim\n"
        "assert not jax.config.read('jax_enable_x64')\n"
        "sc = hpgsim.scenario_from_dict({'name': 'x', 'horizon': '1 d'})\n"
        "try:\n"
        "    hpgsim.simulate(sc)\n"
        "except RuntimeError as e:\n"
        "    print(e)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "JAX_ENABLE_X64"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert "64-bit mode is off" in out and "hpgsim.enable_x64()" in out


def test_a_drug_familys_parameter_rows_and_citations_live_in_its_module() -> None:
    """One file per drug: its rows of the parameter table and the sources only they cite are
    in its module, and the joined table holds them exactly once."""
    from hpgsim.model import parameters

    family_rows = {p.name for f in drugs.FAMILIES for p in f.parameters}
    for p in parameters.PARAMETERS:
        if p.group.startswith("drug:"):
            assert p.name in family_rows, p.name
    for family in drugs.FAMILIES:
        names = {sp.name for sp in family.specs}
        assert family.parameters, family.name
        for p in family.parameters:
            assert p.group.removeprefix("drug:") in names, (family.name, p.name)
        cited = {key for p in family.parameters for key in p.refs}
        assert set(family.citations) <= cited, family.name
        assert set(family.citations) <= set(parameters.CITATIONS)
