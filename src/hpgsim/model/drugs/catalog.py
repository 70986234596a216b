"""Catalog of the drugs a scenario may name: routes, dose unit and clinical dose bounds.

The bounds are not safety limits and not advice. They catch typing errors (``2000 mg`` for
``200 mg``, ``every: 1 h`` for ``1 d``) by refusing doses far above clinical use unless the
scenario sets ``allow_supratherapeutic: true``. Each bound names its source.

Two bounds per drug, both in the drug's ``dose_unit``:

- ``max_dose``: per administration;
- ``max_weekly_dose``: weekly-equivalent rate of one regimen line, ``dose * 7 / every_days``
  (``None``: no rate bound).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOG", "DOSE_UNITS", "PLANNED_DRUGS", "ROUTES", "DrugSpec"]

ROUTES: tuple[str, ...] = ("intramuscular", "subcutaneous", "oral", "transdermal", "intravenous")
"""Every route name a scenario may use."""

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


_TESTOSTERONE_ESTER_RULE = "bound = 2x the label's highest average rate (400 mg/2 wk)"

CATALOG: dict[str, DrugSpec] = {
    spec.name: spec
    for spec in (
        DrugSpec(
            name="testosterone_cypionate",
            display_name="Testosterone cypionate",
            routes=("intramuscular", "subcutaneous"),
            dose_unit="mg",
            max_dose=400.0,
            max_weekly_dose=400.0,
            bound_source=(
                "Depo-Testosterone label: 50-400 mg every 2-4 weeks; " + _TESTOSTERONE_ESTER_RULE
            ),
            androgen_interval_days=14.0,  # label: every 2-4 weeks (the shortest)
        ),
        DrugSpec(
            name="testosterone_enanthate",
            display_name="Testosterone enanthate",
            routes=("intramuscular", "subcutaneous"),
            dose_unit="mg",
            max_dose=400.0,
            max_weekly_dose=400.0,
            bound_source=(
                "Delatestryl/Xyosted labels: 50-400 mg every 2-4 weeks IM "
                "(Xyosted 50-100 mg SC weekly); " + _TESTOSTERONE_ESTER_RULE
            ),
            androgen_interval_days=14.0,  # label: every 2-4 weeks IM (the shortest)
        ),
        DrugSpec(
            name="testosterone_undecanoate",
            display_name="Testosterone undecanoate",
            routes=("intramuscular",),
            dose_unit="mg",
            max_dose=1000.0,
            max_weekly_dose=200.0,
            bound_source=(
                "Nebido SmPC 1000 mg every 10-14 weeks (6-week loading interval); "
                "Aveed label 750 mg at 0, 4 wk then every 10 wk; the weekly bound "
                "(200 mg/wk) admits the labels' loading intervals (Aveed 750 mg/4 wk = "
                "188 mg/wk)"
            ),
            androgen_interval_days=70.0,  # Aveed: every 10 weeks after loading
        ),
        DrugSpec(
            name="testosterone_gel",
            display_name="Testosterone gel (1%)",
            routes=("transdermal",),
            dose_unit="mg",
            max_dose=100.0,
            max_weekly_dose=700.0,
            bound_source="AndroGel 1% label: 50-100 mg testosterone applied daily",
            androgen_interval_days=1.0,  # daily
        ),
        DrugSpec(
            name="anastrozole",
            display_name="Anastrozole",
            routes=("oral",),
            dose_unit="mg",
            max_dose=10.0,
            max_weekly_dose=70.0,
            bound_source=(
                "Arimidex label: 1 mg daily; doses up to 10 mg/day were tolerated "
                "in clinical studies"
            ),
        ),
        DrugSpec(
            name="clomiphene_citrate",
            display_name="Clomiphene citrate",
            routes=("oral",),
            dose_unit="mg",
            max_dose=150.0,
            max_weekly_dose=700.0,
            bound_source=(
                "Clomid label: 50-150 mg daily for 5 days per cycle; in men 12.5-50 mg daily "
                "off-label (Katz 2012, Shabsigh 2005); weekly bound = 2x 50 mg daily"
            ),
        ),
        DrugSpec(
            name="enclomiphene",
            display_name="Enclomiphene citrate",
            routes=("oral",),
            dose_unit="mg",
            max_dose=50.0,
            max_weekly_dose=350.0,
            bound_source=(
                "phase II/III trials 12.5-25 mg daily (Wiehle 2014, PMID 25044085); "
                "bound = 2x 25 mg daily"
            ),
        ),
        DrugSpec(
            name="tamoxifen",
            display_name="Tamoxifen citrate",
            routes=("oral",),
            dose_unit="mg",
            max_dose=40.0,
            max_weekly_dose=560.0,
            bound_source="Nolvadex label: 20-40 mg daily; weekly bound = 2x 40 mg daily",
        ),
        DrugSpec(
            name="gonadorelin",
            display_name="Gonadorelin (GnRH)",
            routes=("subcutaneous", "intravenous"),
            dose_unit="ug",
            max_dose=200.0,
            max_weekly_dose=5000.0,
            bound_source=(
                "Factrel label: 100 ug SC or IV diagnostic bolus (bound 2x); pulsatile pump "
                "therapy uses up to ~20 ug per pulse every 90-120 min (calibration-targets.md "
                "section 6), about 2240 ug/week (bound ~2x)"
            ),
            infusion=True,
        ),
        DrugSpec(
            name="leuprolide",
            display_name="Leuprolide acetate depot",
            routes=("intramuscular", "subcutaneous"),
            dose_unit="mg",
            max_dose=45.0,
            max_weekly_dose=3.75,
            bound_source=(
                "Lupron Depot labels: 7.5 mg every month up to 45 mg every 6 months; "
                "weekly bound = 2x 7.5 mg per 4 weeks"
            ),
        ),
        DrugSpec(
            name="hcg",
            display_name="Human chorionic gonadotropin",
            routes=("intramuscular", "subcutaneous"),
            dose_unit="IU",
            max_dose=10000.0,
            max_weekly_dose=24000.0,
            bound_source=(
                "Pregnyl/Novarel labels: up to 10,000 IU single dose; hypogonadotropic "
                "hypogonadism in males up to 4000 IU three times weekly (bound 2x)"
            ),
        ),
        DrugSpec(
            name="fsh",
            display_name="Follicle-stimulating hormone (recombinant or urinary)",
            routes=("subcutaneous", "intramuscular"),
            dose_unit="IU",
            max_dose=450.0,
            max_weekly_dose=1800.0,
            bound_source=(
                "Gonal-f label (men): 150-300 IU two to three times weekly; bound = 2x "
                "300 IU three times weekly"
            ),
        ),
    )
}
"""Implemented drugs by name. ``testosterone_gel`` doses are mg of testosterone applied."""

PLANNED_DRUGS: tuple[str, ...] = ("letrozole", "degarelix")
"""Drugs named in calibration-targets.md that are not implemented yet (used in the unknown-drug
error)."""
