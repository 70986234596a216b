"""The records a drug family module fills in: what the scenario layer knows of a drug
(:class:`DrugSpec`: routes, dose unit, clinical dose bounds), where its doses go
(:class:`DrugWiring`), and the family itself (:class:`DrugFamily`: its states, equations,
effects on the axis, readouts and derived constants).

The dose bounds are not safety limits and not advice. They catch typing errors (``2000 mg``
for ``200 mg``, ``every: 1 h`` for ``1 d``) by refusing doses far above clinical use unless the
scenario sets ``allow_supratherapeutic: true``. Each bound names its source. Two bounds per
drug, both in the drug's ``dose_unit``: ``max_dose`` per administration and
``max_weekly_dose``, the weekly-equivalent rate of one regimen line, ``dose * 7 / every_days``
(``None``: no rate bound).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jax

from hpgsim.model.parameter_records import Parameter
from hpgsim.model.states import State, StateView

__all__ = [
    "DOSE_UNITS",
    "MULTIPLICATIVE_SITES",
    "ROUTES",
    "ROUTE_ALIASES",
    "SITES",
    "AxisContext",
    "DrugFamily",
    "DrugSpec",
    "DrugWiring",
    "Split",
    "activity_left",
    "concentrations_of",
    "effects_of",
    "name_key",
    "oral_first_order",
]

ROUTES: tuple[str, ...] = ("intramuscular", "subcutaneous", "oral", "transdermal", "intravenous")
"""Every route name a scenario may use."""

ROUTE_ALIASES: Mapping[str, str] = {
    "im": "intramuscular",
    "sc": "subcutaneous",
    "sq": "subcutaneous",
    "subq": "subcutaneous",
    "subcut": "subcutaneous",
    "po": "oral",
    "iv": "intravenous",
    "td": "transdermal",
    "topical": "transdermal",
}
"""Route abbreviations clinicians write, by their lower-case form, and the route each means."""


def name_key(text: str) -> str:
    """The form names are compared in: lower case, without spaces, hyphens or underscores
    (``Depo-Testosterone`` -> ``depotestosterone``, ``testosterone_cypionate`` ->
    ``testosteronecypionate``)."""
    return "".join(ch for ch in text.strip().lower() if ch not in " \t-_")


DOSE_UNITS: tuple[str, ...] = ("mg", "ug", "IU")
"""Units a drug's dose may be stored in (pint names in :data:`hpgsim.units.ureg`)."""


@dataclass(frozen=True)
class DrugSpec:
    """What the scenario layer knows about one implemented drug.

    Attributes:
        name: snake_case identifier used in scenario files (``testosterone_cypionate``).
        display_name: human-readable name for reports.
        routes: routes this drug can be given by (subset of :data:`ROUTES`).
        dose_unit: unit doses are stored in: ``"mg"``, ``"ug"`` or ``"IU"``.
        max_dose: largest dose per administration, in ``dose_unit``.
        max_weekly_dose: largest weekly-equivalent rate of a regimen line
            (``dose * 7 / every_days``), in ``dose_unit`` per week; ``None`` for no rate bound.
        bound_source: where the bounds come from.
        infusion: whether a regimen line may give it as a continuous infusion (``rate``).
        androgen_interval_days: for androgen products, the label's dosing interval in days,
            used to place "the first missed dose" after a single dose (the recovery clock of
            Handelsman 2005 and Liu 2006); ``None`` for drugs that are not androgens.
        aliases: other names a scenario may use for it: brand names (``Clomid``), the
            common name (``clomiphene``), abbreviations (``hCG``); compared by
            :func:`name_key`.
        formulation_max_dose: largest dose (``dose_unit``) of the formulation the model
            represents, where larger doses are other products whose kinetics the model does
            not have (the 3- and 6-month leuprolide depots release more slowly than the
            1-month one); unlike ``max_dose`` it is not lifted by ``allow_supratherapeutic``.
            ``None``: no such limit.
        formulation_note: what the model's formulation is and what it is not (quoted in the
            refusal).
    """

    name: str
    display_name: str
    routes: tuple[str, ...]
    dose_unit: str
    max_dose: float
    max_weekly_dose: float | None
    bound_source: str
    infusion: bool = False
    androgen_interval_days: float | None = None
    aliases: tuple[str, ...] = ()
    formulation_max_dose: float | None = None
    formulation_note: str = ""

    @property
    def androgen(self) -> bool:
        """Whether this drug is an androgen product (starts and stops the androgen clocks)."""
        return self.androgen_interval_days is not None

    def __post_init__(self) -> None:
        unknown_routes = set(self.routes) - set(ROUTES)
        if not self.routes or unknown_routes:
            raise ValueError(f"{self.name}: routes must be among {ROUTES}, got {self.routes}")
        if self.dose_unit not in DOSE_UNITS:
            raise ValueError(f"{self.name}: dose_unit must be one of {DOSE_UNITS}")
        if self.max_dose <= 0 or (self.max_weekly_dose is not None and self.max_weekly_dose <= 0):
            raise ValueError(f"{self.name}: dose bounds must be positive")
        if self.formulation_max_dose is not None and not (
            self.formulation_max_dose > 0 and self.formulation_note
        ):
            raise ValueError(f"{self.name}: a formulation bound must be positive, with its note")


Split = tuple[tuple[str, str | None], ...]
"""(state, fraction parameter or None for all of the dose) for each state a dose is split into."""


@dataclass(frozen=True)
class DrugWiring:
    """Where a drug's doses go and what columns report it.

    Attributes:
        name: snake_case drug name (as in scenario files).
        doses_to: the states a dose adds to, each with the parameter giving its fraction of the
            dose (``None``: the whole dose). Clomiphene citrate splits into its two isomers;
            the leuprolide depot into a burst and a sustained-release part.
        output_columns: reported columns.
        depot_unit: ``"nmol_testosterone"`` (testosterone products: the depot holds nmol of
            testosterone) or the dose unit (``"mg"``, ``"ug"``, ``"IU"``: the dose enters as
            given).
        testosterone_fraction: parameter giving testosterone mass per mg of an ester; ``None``
            when the drug is testosterone itself or not a testosterone product.
        route_bioavailability: parameter giving the fraction absorbed by route, where not 1.
        route_doses_to: routes whose doses go elsewhere than ``doses_to`` (an IV bolus of
            gonadorelin enters plasma, not the subcutaneous depot).
        infusion_state: the zero-order input-rate state a continuous infusion sets (``None``:
            no infusion).
        fast: the engine refines its grid for ``refine_hours`` after each dose (minute-scale
            kinetics: gonadorelin; or a burst that empties the pituitary LH pool within hours:
            the leuprolide depot).
        sharp_onset: the first dose switches a steep effect on within an hour (enclomiphene
            blocks the estrogen receptor, anastrozole aromatase, almost fully at their first
            peak); the engine refines its grid for ``refine_hours`` after the first dose of
            each line.
        refine_hours: length of those refined windows, hours.
        absorption_ladder: each dose is absorbed within the hour and switches a steep effect
            on as it peaks (anastrozole blocks aromatase): the engine takes a short ladder of
            minute steps after each dose (:data:`hpgsim.engine.schedule.LADDER_TICKS`), the
            absorption itself being exact in its linear part.
    """

    name: str
    doses_to: Split
    output_columns: tuple[str, ...]
    depot_unit: str
    testosterone_fraction: str | None = None
    route_bioavailability: dict[str, str] = field(default_factory=dict)
    route_doses_to: dict[str, Split] = field(default_factory=dict)
    infusion_state: str | None = None
    fast: bool = False
    sharp_onset: bool = False
    refine_hours: float = 4.0
    absorption_ladder: bool = False

    def targets(self, route: str) -> Split:
        """The states (with fraction parameters) a dose by ``route`` adds to."""
        return self.route_doses_to.get(route, self.doses_to)


SITES: dict[str, str] = {
    "gnrh_receptor_agonist_pg_ml": "GnRH-receptor agonist, gonadorelin-equivalent pg/mL "
    "(summed; occupancy = x / (EC50_gnrh + x))",
    "er_agonist": "estrogen-receptor agonist signal besides estradiol, in units of the "
    "reference estradiol signal (summed)",
    "er_competitor_ratio": "sum of C/K of competitive estrogen-receptor ligands (Gaddum)",
    "hepatic_er_agonist": "estrogen-receptor agonism at the liver by drugs, as the fractional "
    "rise of hepatic SHBG production it gives (summed; 0 = none)",
    "aromatase_activity": "fraction of aromatase activity left (multiplied; 1 = none blocked)",
    "lh_receptor_agonist_iu_l": "LH-receptor agonist besides LH, LH-equivalent IU/L (summed)",
    "fsh_receptor_agonist_iu_l": "FSH-receptor agonist besides endogenous FSH, IU/L (summed; "
    "FSH immunoassays read it too)",
    "serum_testosterone_nmol_l": "serum testosterone delivered by products, nmol/L (summed)",
}
"""Where drugs act on the axis: each family's ``effects`` returns contributions to these sites,
and the axis combines them: summed from 0, or multiplied from 1 for the sites in
:data:`MULTIPLICATIVE_SITES` (what each inhibitor leaves of an enzyme's activity)."""

MULTIPLICATIVE_SITES: frozenset[str] = frozenset({"aromatase_activity"})
"""Sites whose contributions multiply (fractions of activity left), not add."""


def activity_left(concentration: jax.Array, imax: Any, ic50: Any) -> jax.Array:
    """Fraction of an enzyme's activity a reversible inhibitor leaves, 1 - Imax C / (IC50 + C)
    (Emax model; ``concentration`` and ``ic50`` in the same unit): what a family puts at a
    :data:`MULTIPLICATIVE_SITES` site (the aromatase inhibitors)."""
    return 1.0 - imax * concentration / (ic50 + concentration)


def oral_first_order(
    gut_mg: jax.Array, plasma_ng_ml: jax.Array, ka: Any, ke: Any, volume_l: Any
) -> tuple[jax.Array, jax.Array]:
    """d/dt (per day) of a gut depot (mg, absorbed at ``ka``) feeding one plasma compartment
    (ng/mL; apparent volume ``volume_l`` in L, eliminated at ``ke``): 1 mg/L = 1000 ng/mL.
    The oral aromatase inhibitors' PK (anastrozole, letrozole)."""
    absorbed = ka * gut_mg
    return -absorbed, absorbed * 1000.0 / volume_l - ke * plasma_ng_ml


@dataclass(frozen=True)
class AxisContext:
    """Quantities of the axis a drug's own equations need.

    Attributes:
        serum_t_loss_per_day: first-order loss of serum testosterone (metabolic clearance at the
            current binding plus uptake into the testis), 1/day.
    """

    serum_t_loss_per_day: jax.Array


Params = Mapping[str, Any]
Concentrations = dict[str, jax.Array]


@dataclass(frozen=True)
class DrugFamily:
    """Everything one drug family brings to the model, declared in its own module.

    Attributes:
        name: the family (``testosterone``, ``serms``, ...); also the states' block.
        order: position among the families (states are laid out in this order).
        specs: the drugs a scenario may name (catalog entries).
        wiring: where each drug's doses go and which columns report it.
        states: the family's states (all zero in the untreated man).
        derived: adds derived constants (volumes from clearance and elimination) to a
            parameter dict, in place.
        concentrations: named plasma concentrations from the states.
        effects: contributions to the axis's :data:`SITES`.
        derivatives: d/dt of each of the family's states, per day.
        readouts: the family's reported columns, by column name.
        parameters: the family's rows of the parameter table (value, unit, provenance).
        citations: the sources only the family's rows cite, by key.
        sexes: the patients whose model carries the family (``"male"``, ``"female"``): the
            man's axis carries every family with ``"male"``, the woman's
            (:mod:`hpgsim.model.woman`) those with ``"female"``; a scenario giving a drug to a
            patient whose model lacks its family is refused.
    """

    name: str
    order: int
    specs: tuple[DrugSpec, ...]
    wiring: tuple[DrugWiring, ...]
    states: tuple[State, ...]
    derived: Callable[[dict[str, Any]], None]
    concentrations: Callable[[StateView, Params], Concentrations]
    effects: Callable[[StateView, Concentrations, Params], dict[str, jax.Array]]
    derivatives: Callable[[StateView, Concentrations, Params, AxisContext], dict[str, jax.Array]]
    readouts: Callable[[StateView, Concentrations, Params], dict[str, jax.Array]]
    parameters: tuple[Parameter, ...] = ()
    citations: Mapping[str, str] = field(default_factory=dict)
    sexes: tuple[str, ...] = ("male",)

    def output_columns(self) -> tuple[str, ...]:
        """Every column the family reports, in the order of its drugs."""
        cols: list[str] = []
        for w in self.wiring:
            cols += [c for c in w.output_columns if c not in cols]
        return tuple(cols)


def concentrations_of(
    families: Sequence[DrugFamily], s: StateView, p: Params
) -> dict[str, jax.Array]:
    """Named plasma concentrations of ``families`` (units in each family's module)."""
    c: dict[str, jax.Array] = {}
    for family in families:
        c.update(family.concentrations(s, p))
    return c


def effects_of(
    families: Sequence[DrugFamily], s: StateView, c: Mapping[str, jax.Array], p: Params
) -> dict[str, Any]:
    """What ``families`` do at each site (:data:`SITES`): summed contributions, or the product
    of what each inhibitor leaves at a multiplicative site (1 with none)."""
    sites: dict[str, Any] = {site: 1.0 if site in MULTIPLICATIVE_SITES else 0.0 for site in SITES}
    for family in families:
        for site, value in family.effects(s, dict(c), p).items():
            if site in MULTIPLICATIVE_SITES:
                sites[site] = sites[site] * value
            else:
                sites[site] = sites[site] + value
    return sites
