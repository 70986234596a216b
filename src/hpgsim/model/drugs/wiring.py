"""How each implemented drug plugs into the model: the states a dose lands in, the amount unit,
route bioavailability, infusion input and the output columns. One entry per drug in
:data:`WIRING`; the scenario layer's :data:`hpgsim.model.drugs.catalog.CATALOG` lists the same
drugs (a test checks)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["WIRING", "DrugWiring"]

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

    def targets(self, route: str) -> Split:
        """The states (with fraction parameters) a dose by ``route`` adds to."""
        return self.route_doses_to.get(route, self.doses_to)


WIRING: dict[str, DrugWiring] = {
    w.name: w
    for w in (
        DrugWiring(
            "testosterone_cypionate",
            (("dep_cypionate_1", None),),
            ("testosterone_cypionate_ng_ml",),
            "nmol_testosterone",
            "frac_T_cypionate",
            {"subcutaneous": "F_sc_rel"},
        ),
        DrugWiring(
            "testosterone_enanthate",
            (("dep_enanthate_1", None),),
            ("testosterone_enanthate_ng_ml",),
            "nmol_testosterone",
            "frac_T_enanthate",
            {"subcutaneous": "F_sc_rel"},
        ),
        DrugWiring(
            "testosterone_undecanoate",
            (("dep_undecanoate_1", None),),
            ("testosterone_undecanoate_ng_ml",),
            "nmol_testosterone",
            "frac_T_undecanoate",
        ),
        DrugWiring(
            "testosterone_gel",
            (("dep_gel", None),),
            ("testosterone_gel_ng_ml",),
            "nmol_testosterone",
            None,
            {"transdermal": "F_gel"},
        ),
        # CL/F and V/F are apparent, so oral doses enter the gut whole (mg).
        DrugWiring("anastrozole", (("ana_gut", None),), ("anastrozole_ng_ml",), "mg", fast=True),
        DrugWiring(
            "clomiphene_citrate",
            (("enc_gut", "frac_enclomiphene"), ("zuc_gut", "frac_zuclomiphene")),
            ("enclomiphene_ng_ml", "zuclomiphene_ng_ml"),
            "mg",
            sharp_onset=True,
        ),
        DrugWiring(
            "enclomiphene", (("enc_gut", None),), ("enclomiphene_ng_ml",), "mg", sharp_onset=True
        ),
        DrugWiring("tamoxifen", (("tam_gut", None),), ("tamoxifen_ng_ml", "endoxifen_ng_ml"), "mg"),
        DrugWiring(
            "gonadorelin",
            (("gnrh_sc", None),),
            ("gonadorelin_pg_ml",),
            "ug",
            route_bioavailability={"subcutaneous": "F_gnrh_sc"},
            route_doses_to={"intravenous": (("gnrh", None),)},
            infusion_state="gnrh_rate",
            fast=True,
        ),
        DrugWiring(
            "leuprolide",
            (("leu_burst", "frac_leu_burst"), ("leu_depot", "frac_leu_sustained")),
            ("leuprolide_ng_ml",),
            "ug",
            fast=True,
            refine_hours=48.0,
        ),
        DrugWiring(
            "hcg",
            (("hcg_depot", None),),
            ("hcg_iu_l",),
            "IU",
            route_bioavailability={"subcutaneous": "F_hcg_sc"},
        ),
        DrugWiring(
            "fsh",
            (("fsh_depot", None),),
            ("fsh_drug_iu_l",),
            "IU",
            route_bioavailability={"subcutaneous": "F_fsh_sc", "intramuscular": "F_fsh_sc"},
        ),
    )
}
