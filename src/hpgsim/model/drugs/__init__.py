"""The drugs: one module per drug family, each declaring in one place its catalog entries (routes,
dose unit, clinical dose bounds), dose wiring, states, equations, effects on the axis and
readouts (a :class:`~hpgsim.model.drugs.records.DrugFamily` named ``FAMILY``).

Every module of this package that defines ``FAMILY`` is a family: adding a drug is one new
module (plus its parameter rows and tests); nothing else lists it. Families are laid out by
their ``order``.

- :data:`FAMILIES`: the families, in order;
- :data:`CATALOG`: what the scenario layer knows of each drug, by drug name;
- :data:`WIRING`: where each drug's doses go and which columns report it, by drug name;
- :data:`PLANNED_DRUGS`: drugs named in the calibration targets that are not implemented yet.
"""

from __future__ import annotations

import importlib
import pkgutil

from hpgsim.model.drugs.records import (
    DOSE_UNITS,
    MULTIPLICATIVE_SITES,
    ROUTES,
    SITES,
    AxisContext,
    DrugFamily,
    DrugSpec,
    DrugWiring,
)

__all__ = [
    "CATALOG",
    "DOSE_UNITS",
    "FAMILIES",
    "MULTIPLICATIVE_SITES",
    "PLANNED_DRUGS",
    "ROUTES",
    "SITES",
    "WIRING",
    "AxisContext",
    "DrugFamily",
    "DrugSpec",
    "DrugWiring",
]


def _discover() -> tuple[DrugFamily, ...]:
    found: list[DrugFamily] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "records":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        family = getattr(module, "FAMILY", None)
        if isinstance(family, DrugFamily):
            found.append(family)
    found.sort(key=lambda f: (f.order, f.name))
    return tuple(found)


FAMILIES: tuple[DrugFamily, ...] = _discover()
"""Every drug family, in layout order."""

CATALOG: dict[str, DrugSpec] = {s.name: s for f in FAMILIES for s in f.specs}
"""Implemented drugs by name. ``testosterone_gel`` doses are mg of testosterone applied."""

WIRING: dict[str, DrugWiring] = {w.name: w for f in FAMILIES for w in f.wiring}
"""How each implemented drug's doses enter the model, by name (the same drugs as CATALOG)."""

PLANNED_DRUGS: tuple[str, ...] = ("degarelix",)
"""Drugs named in calibration-targets.md that are not implemented yet (used in the unknown-drug
error)."""

if set(CATALOG) != set(WIRING):  # pragma: no cover - a family declares both
    raise RuntimeError(f"catalog and wiring disagree: {set(CATALOG) ^ set(WIRING)}")
