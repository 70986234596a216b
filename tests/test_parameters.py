"""The parameter table as data: typed provenance, pint units, citations checked, one place for
fit bounds and between-man variability, values on a bound reported."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from hpgsim.model import parameters as table
from hpgsim.model.parameters import (
    CITATIONS,
    PARAMETERS,
    Assumption,
    Calibrated,
    Derived,
    Literature,
    calibrated_rows,
    on_bound,
    parameter_table,
)
from hpgsim.population.virtual_men import POPULATIONS, load_population
from hpgsim.units import ureg

ROOT = Path(__file__).resolve().parents[1]


def test_every_row_has_a_typed_provenance() -> None:
    kinds = (Literature, Derived, Assumption, Calibrated)
    assert all(isinstance(p.provenance, kinds) for p in PARAMETERS)
    for p in PARAMETERS:
        if isinstance(p.provenance, Literature):
            assert p.provenance.refs, f"{p.name}: a literature value names its citation"
        assert p.source, p.name


def test_every_unit_parses_in_pint() -> None:
    for p in PARAMETERS:
        if p.unit != "1":
            ureg.parse_units(p.unit)


def test_citations_are_all_cited_and_all_exist() -> None:
    cited = {key for p in PARAMETERS for key in p.refs}
    assert cited == set(CITATIONS)


def test_the_table_checks_itself_when_loaded() -> None:
    row = PARAMETERS[0]
    bad_unit = table.Parameter(row.name + "_x", 1.0, "zorkmids per L", "x", row.provenance)
    with pytest.raises(ValueError, match="does not parse in pint"):
        table._check([*PARAMETERS, bad_unit])
    bad_ref = table.Parameter("y", 1.0, "1", "y", Literature(("Nobody2099",), "x"))
    with pytest.raises(ValueError, match="'Nobody2099' is not in CITATIONS"):
        table._check([*PARAMETERS, bad_ref])
    with pytest.raises(ValueError, match="defined twice"):
        table._check([*PARAMETERS, row])
    bad_start = table.Parameter("z", 1.0, "1", "z", Calibrated("t", 5.0, 0.1, 1.0, "foundation"))
    with pytest.raises(ValueError, match="outside its bounds"):
        table._check([*PARAMETERS, bad_start])


def test_calibrated_rows_carry_the_fit_bounds_and_the_fitted_value() -> None:
    stored = json.loads((ROOT / "src" / "hpgsim" / "data" / "calibrated.json").read_text())
    rows = calibrated_rows()
    assert set(rows) == set(stored["values"])
    by_name = {p.name: p for p in PARAMETERS}
    for name, prov in rows.items():
        assert prov.lower <= prov.start <= prov.upper, name
        assert prov.stage in ("foundation", "restoration", "spermatogenesis")
        assert by_name[name].value == stored["values"][name]
        assert prov.lower * (1 - 1e-9) <= by_name[name].value <= prov.upper * (1 + 1e-9), name


def test_values_on_a_bound_are_named() -> None:
    """The calibrated values that sit on a bound (a bound, not data, sets them). Issue #19's
    two-pool LH release put three of the GnRH receptor's back on theirs (the refit of the
    receptor and leuprolide block with the pool): the serial-loss exponent (4), the
    recovery of receptor signalling (t1/2 60 d, an assumption) and leuprolide's potency (200x
    gonadorelin per ng, the rat data's upper end)."""
    assert on_bound() == {
        "fb_T_imax": "upper",
        "gnrhr_loss_exponent": "upper",
        "k_resens": "lower",
        "leu_potency": "upper",
        "sperm_duration": "upper",
    }
    rows = {r["name"]: r for r in parameter_table()}
    assert rows["fb_T_imax"]["on_bound"] == "upper" and rows["T_ref"]["on_bound"] is None
    assert (
        rows["K_tam"]["provenance"] == "calibrated" and rows["T_ref"]["provenance"] == "literature"
    )


@pytest.mark.parametrize("name", POPULATIONS)
def test_populations_take_their_variability_from_the_table(name: str) -> None:
    data = json.loads(
        (ROOT / "src" / "hpgsim" / "data" / "populations" / f"{name}.json").read_text()
    )
    assert isinstance(data["variability"], list)  # names only: the CVs live in the table
    pop = load_population(name)
    by_name = {p.name: p for p in PARAMETERS}
    for param, spec in pop.variability.items():
        assert spec["cv"] == by_name[param].bsv_cv and spec["source"] == by_name[param].bsv_source
        assert math.isfinite(spec["cv"]) and spec["cv"] > 0


def test_fitted_spreads_are_the_stored_ones() -> None:
    """The CVs without a published value are the spread stage's (issue #19, decision 1): each
    such row carries its fit record, and its CV is calibrated.json's spread.cv (or the fit's
    start before the first spread fit), within the record's bounds."""
    from hpgsim.evidence.spread import spread_rows

    stored = json.loads((ROOT / "src" / "hpgsim" / "data" / "calibrated.json").read_text())
    cvs = stored.get("spread", {}).get("cv", {})
    rows = spread_rows()
    assert set(rows) == {"K_ITT_sperm", "k_ssc_loss", "k_ssc_renew", "k_gcap_up"}
    by_name = {p.name: p for p in PARAMETERS}
    for name, fit in rows.items():
        assert fit.stage == "spread" and fit.lower <= fit.start <= fit.upper
        assert by_name[name].bsv_cv == cvs.get(name, fit.start)
        assert fit.lower * (1 - 1e-9) <= by_name[name].bsv_cv <= fit.upper * (1 + 1e-9)
