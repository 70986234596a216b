"""How each implemented drug plugs into the model: the state a dose lands in, the amount unit,
route bioavailability, and the output column. One entry per drug in :data:`WIRING`; the
scenario layer's :data:`hpgsim.drugs.catalog.CATALOG` lists the same drugs (a test checks)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["WIRING", "DrugWiring"]


@dataclass(frozen=True)
class DrugWiring:
    """Where a drug's doses go and what column reports it.

    Attributes:
        name: snake_case drug name (as in scenario files).
        depot_state: model state a dose adds to (see ``hpgsim.model.axis.STATES``).
        output_column: reported column, ``<drug>_ng_ml``.
        depot_unit: ``"nmol_testosterone"`` (testosterone products: the depot holds nmol of
            testosterone) or ``"mg"`` (the dose enters as given).
        testosterone_fraction: parameter giving testosterone mass per mg of an ester; ``None``
            when the drug is testosterone itself or not a testosterone product.
        route_bioavailability: parameter giving the fraction absorbed by route, where not 1.
    """

    name: str
    depot_state: str
    output_column: str
    depot_unit: str
    testosterone_fraction: str | None = None
    route_bioavailability: dict[str, str] = field(default_factory=dict)


WIRING: dict[str, DrugWiring] = {
    w.name: w
    for w in (
        DrugWiring(
            "testosterone_cypionate",
            "dep_cypionate_1",
            "testosterone_cypionate_ng_ml",
            "nmol_testosterone",
            "frac_T_cypionate",
            {"subcutaneous": "F_sc_rel"},
        ),
        DrugWiring(
            "testosterone_enanthate",
            "dep_enanthate_1",
            "testosterone_enanthate_ng_ml",
            "nmol_testosterone",
            "frac_T_enanthate",
            {"subcutaneous": "F_sc_rel"},
        ),
        DrugWiring(
            "testosterone_undecanoate",
            "dep_undecanoate_1",
            "testosterone_undecanoate_ng_ml",
            "nmol_testosterone",
            "frac_T_undecanoate",
        ),
        DrugWiring(
            "testosterone_gel",
            "dep_gel",
            "testosterone_gel_ng_ml",
            "nmol_testosterone",
            None,
            {"transdermal": "F_gel"},
        ),
        # CL/F and V/F are apparent, so the oral dose enters the gut whole (mg).
        DrugWiring("anastrozole", "ana_gut", "anastrozole_ng_ml", "mg"),
    )
}
