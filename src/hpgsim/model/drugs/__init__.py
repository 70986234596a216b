"""The drugs: one module per drug family, each declaring in one place its catalog entries (routes,
dose unit, clinical dose bounds), dose wiring, states, equations, effects on the axis and
readouts (a :class:`~hpgsim.model.drugs.records.DrugFamily` named ``FAMILY``).

Every module of this package that defines ``FAMILY`` is a family: adding a drug is one new
module (plus its parameter rows and tests); nothing else lists it. Families are laid out by
their ``order``.

- :data:`FAMILIES`: the families, in order; :func:`families_for` those a man's or a woman's
  model carries, and :func:`sexes_of` the patients a drug may be given to;
- :data:`CATALOG`: what the scenario layer knows of each drug, by drug name;
- :data:`WIRING`: where each drug's doses go and which columns report it, by drug name;
- :data:`PLANNED_DRUGS`: drugs named in the calibration targets that are not implemented yet;
- :func:`resolve_drug` and :func:`resolve_route`: the canonical drug or route for a name a
  clinician writes (a brand name, ``Clomid``; an abbreviation, ``IM``).
"""

from __future__ import annotations

import importlib
import pkgutil

from hpgsim.model.drugs.records import (
    DOSE_UNITS,
    MULTIPLICATIVE_SITES,
    ROUTE_ALIASES,
    ROUTES,
    SITES,
    AxisContext,
    DrugFamily,
    DrugSpec,
    DrugWiring,
    concentrations_of,
    effects_of,
    name_key,
)

__all__ = [
    "CATALOG",
    "DOSE_UNITS",
    "FAMILIES",
    "MULTIPLICATIVE_SITES",
    "PLANNED_DRUGS",
    "ROUTES",
    "ROUTE_ALIASES",
    "SITES",
    "WIRING",
    "AxisContext",
    "DrugFamily",
    "DrugSpec",
    "DrugWiring",
    "concentrations_of",
    "drug_names",
    "effects_of",
    "families_for",
    "resolve_drug",
    "resolve_route",
    "sexes_of",
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

SEXES: tuple[str, ...] = ("male", "female")
"""The patients hpgsim has a model of (``patient.sex``)."""


def families_for(sex: str) -> tuple[DrugFamily, ...]:
    """The drug families the model of a ``sex`` patient carries, in layout order."""
    if sex not in SEXES:
        raise ValueError(f"sex: got {sex!r}; allowed: {', '.join(SEXES)}")
    return tuple(f for f in FAMILIES if sex in f.sexes)


CATALOG: dict[str, DrugSpec] = {s.name: s for f in FAMILIES for s in f.specs}
"""Implemented drugs by name. ``testosterone_gel`` doses are mg of testosterone applied."""

WIRING: dict[str, DrugWiring] = {w.name: w for f in FAMILIES for w in f.wiring}
"""How each implemented drug's doses enter the model, by name (the same drugs as CATALOG)."""

PLANNED_DRUGS: tuple[str, ...] = ("degarelix",)
"""Drugs named in calibration-targets.md that are not implemented yet (used in the unknown-drug
error)."""

if set(CATALOG) != set(WIRING):  # pragma: no cover - a family declares both
    raise RuntimeError(f"catalog and wiring disagree: {set(CATALOG) ^ set(WIRING)}")


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for spec in CATALOG.values():
        for written in (spec.name, *spec.aliases):
            key = name_key(written)
            if names.setdefault(key, spec.name) != spec.name:  # pragma: no cover - data check
                raise RuntimeError(f"drug name {written!r} names both {names[key]} and {spec.name}")
    return names


_DRUG_NAMES = _names()


_SEXES_OF = {spec.name: f.sexes for f in FAMILIES for spec in f.specs}


def sexes_of(drug: str) -> tuple[str, ...]:
    """The patients (``"male"``, ``"female"``) whose model carries ``drug`` (a catalog name)."""
    return _SEXES_OF[drug]


def drug_names() -> dict[str, str]:
    """Every name a scenario may use for a drug (canonical names and aliases, as declared) and
    the drug it means."""
    return {
        written: spec.name for spec in CATALOG.values() for written in (spec.name, *spec.aliases)
    }


def resolve_drug(written: str) -> str | None:
    """The catalog name of the drug ``written`` names (``Clomid`` -> ``clomiphene_citrate``;
    case, spaces, hyphens and underscores ignored), or None."""
    return _DRUG_NAMES.get(name_key(written))


def resolve_route(written: str) -> str | None:
    """The route ``written`` names (``IM`` -> ``intramuscular``, ``intramuscular`` itself), or
    None."""
    key = name_key(written)
    if key in ROUTES:
        return key
    return ROUTE_ALIASES.get(key)
