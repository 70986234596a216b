"""Generated sections of ``docs/model.md``: equations, parameters, variability, citations, and
the source article's claims mapped to the model.

``docs/model.md`` is prose written by hand with generated blocks between markers::

    <!-- BEGIN GENERATED: parameters -->
    ...
    <!-- END GENERATED: parameters -->

:func:`update` rewrites every block from the code (``hpgsim model doc`` or ``make docs``), so
the equations and numbers on the page are the ones the model runs; a test fails when the
committed page differs from what :func:`update` gives.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

from hpgsim.model import axis, woman
from hpgsim.model.drugs import FAMILIES
from hpgsim.model.parameters import CITATIONS, PARAMETERS, Parameter, on_bound
from hpgsim.population.virtual_men import POPULATIONS, load_population

__all__ = ["ARTICLE_CLAIMS", "BLOCKS", "ArticleClaim", "render_block", "update"]


@dataclass(frozen=True)
class ArticleClaim:
    """A claim of the source article and what in hpgsim represents it.

    ``quote`` is copied verbatim from the article (a test checks it where the article is
    available); ``represented_by`` names the mechanism, parameter or readout; ``checked_by``
    names the test or validation target that exercises it.
    """

    quote: str
    represented_by: str
    checked_by: str


ARTICLE_CLAIMS: tuple[ArticleClaim, ...] = (
    ArticleClaim(
        "Exogenous testosterone, administered as part of a therapeutic protocol, signals to the "
        "brain that sufficient testosterone is present.",
        "androgen feedback state `androgen_fb` (free T) on the hypothalamic drive, a bounded "
        "Emax (`fb_T_imax`: androgen alone slows the drive by at most that fraction), plus "
        "the estradiol made from it (`estrogen_fb`) at the hypothalamus and the pituitary "
        "(`fb_E_hyp_gain`, `fb_E_pit_gain`)",
        "target4_coviello_te (LH 5%, FSH 3% of baseline on TE 200 mg weekly)",
    ),
    ArticleClaim(
        "This suppression often results in a significant reduction in sperm count, "
        "potentially leading to temporary infertility.",
        "germ-cell pipeline gated by Sertoli support (FSH and intratesticular T); sperm "
        "concentration output",
        "target5_handelsman_suppression, target_who1990_te_contraception",
    ),
    ArticleClaim(
        "Anastrozole, an aromatase inhibitor, is frequently included in testosterone "
        "optimization protocols.",
        "anastrozole PK (`ka_ana`, `ke_ana`, `CL_ana`) and aromatase inhibition "
        "(`activity_left`, `IC50_ana`, `Imax_ana`; letrozole's `IC50_let`, `Imax_let`)",
        "target7_leder_anastrozole, check_burnett_bowie_anastrozole",
    ),
    ArticleClaim(
        "However, in the presence of high exogenous testosterone, the primary suppressive "
        "effect on the HPG axis often overrides this potential stimulatory effect.",
        "feedback from free T and estradiol both suppress; with TC 200 mg weekly the androgen "
        "arm keeps LH suppressed when anastrozole lowers E2 (the sentence is about "
        "anastrozole). A SERM on TRT is another matter: its ER block removes the estrogen arm "
        "and LH rises, as the data say (on clomiphene, T infused at twice its production rate "
        "suppressed neither LH nor FSH: J Clin Endocrinol Metab 1979;48:222; issue #19's "
        "decision)",
        "test_restoration.py::test_anastrozole_on_ongoing_testosterone_cypionate_leaves_lh_"
        "suppressed, test_serm_on_ongoing_testosterone_cypionate_lifts_lh, "
        "heldout_jcem1979_t_infusion_on_clomiphene",
    ),
    ArticleClaim(
        "Standard testosterone replacement therapy for men typically involves weekly "
        "intramuscular injections of Testosterone Cypionate",
        "testosterone cypionate two-compartment IM depot (`ka1_cypionate`, `ka2_cypionate`)",
        "target2_nankin_tc; examples/trt_with_anastrozole.yaml",
    ),
    ArticleClaim(
        "The combined effect of external testosterone and reduced estrogen can lead to a "
        "significant inhibition of FSH, which is directly responsible for stimulating sperm "
        "production within the testes.",
        "FSH target driven by GnRH and suppressed by both feedback arms and inhibin B; "
        "`sertoli_drive(FSH)` in germ-cell support",
        "target4_coviello_te (FSH 3% of baseline)",
    ),
    ArticleClaim(
        "Gonadorelin, a synthetic analog of GnRH, acts directly on the pituitary gland.",
        "gonadorelin plasma PK (`ka_gnrh`, `ke_gnrh`) and GnRH-receptor occupancy "
        "(`gnrh_receptor_occupancy`) added to the hypothalamic drive",
        "target9_pulsatile_gnrh_pump, target9_hurley_gnrh_sc",
    ),
    ArticleClaim(
        "Continuous administration would desensitize the pituitary receptors, leading to "
        "further suppression.",
        "GnRH-receptor desensitization state `gnrhr_sens` (`k_desens`, `k_resens`) and "
        "receptor uncoupling (`gnrhr_uncoupled`)",
        "support_gnrh_continuous_3h, target10_leuprolide_depot; "
        "test_restoration.py::test_continuous_gnrh_stimulates_then_suppresses_lh_within_weeks",
    ),
    ArticleClaim(
        "Tamoxifen and Clomid (clomiphene citrate) belong to a class of medications known as "
        "selective estrogen receptor modulators (SERMs).",
        "enclomiphene, zuclomiphene and tamoxifen/endoxifen occupancy of the hypothalamic and "
        "pituitary estrogen receptor (`er_signal`)",
        "target8_miller_clomiphene, support_tamoxifen_oligospermic",
    ),
    ArticleClaim(
        "The optional inclusion of Anastrozole in a post-TRT fertility-stimulating protocol",
        "a regimen may combine any drugs; examples/clomiphene_plus_anastrozole.yaml",
        "the examples' tests (every example simulates)",
    ),
    ArticleClaim(
        "a gradual tapering of exogenous testosterone before initiating fertility-stimulating "
        "agents",
        "taper regimen lines (doses stepping down over time)",
        "examples/taper_then_stop.yaml; test_restoration.py::test_taper_steps_down_and_ends",
    ),
    ArticleClaim(
        "The duration of TRT is a significant predictor; shorter durations of exogenous "
        "testosterone exposure generally correlate with faster and more complete recovery of "
        "spermatogenesis.",
        "stem-cell reserve `ssc` lost while germ-cell support is deprived (`k_ssc_loss`) and "
        "slowly renewed (`k_ssc_renew`)",
        "test_spermatogenesis.py::test_two_years_of_trt_recover_slower_than_six_months; Cox "
        "predictors in trials (predictors.csv)",
    ),
    ArticleClaim(
        "Pre-TRT fertility status, including baseline sperm count and testicular volume, "
        "provides important prognostic information.",
        "patient fields `baseline_sperm_concentration_m_per_ml` and `testicular_volume_ml` "
        "(stem-cell ceiling)",
        "test_spermatogenesis.py::test_higher_baseline_reaches_20_m_per_ml_sooner and "
        "::test_small_testes_and_primary_dysfunction_recover_less",
    ),
    ArticleClaim(
        "Men with pre-existing testicular dysfunction may have a more challenging path to "
        "recovery.",
        "condition `primary_hypogonadism` lowers the stem-cell ceiling (`ssc_primary_factor`)",
        "test_spermatogenesis.py::test_small_testes_and_primary_dysfunction_recover_less",
    ),
    ArticleClaim(
        "the complete cycle of sperm production takes approximately 72-74 days",
        "16-stage germ-cell pipeline of duration `sperm_duration` plus epididymal transit",
        "target5_handelsman_recovery (recovery lag)",
    ),
    ArticleClaim(
        "Some men may experience persistent HPG axis suppression, requiring prolonged or "
        "intensified treatment.",
        "slow recovery of Leydig capacity and of the stem-cell reserve after long courses; "
        "population variability",
        "trials (hpgsim trial); clinical flags (hpgsim plan)",
    ),
    ArticleClaim(
        "Idiopathic non-obstructive azoospermia, where no sperm are found in the ejaculate "
        "despite hormonal stimulation, can occur in a subset of individuals.",
        "semen analysis readout with a detection limit; a depleted reserve gives azoospermia "
        "despite stimulation",
        "readouts.SEMEN_LIMITS; trials' fraction azoospermic",
    ),
    ArticleClaim(
        "Conditions such as obesity, insulin resistance, and chronic inflammation can "
        "negatively impact hormonal balance and spermatogenesis.",
        "BMI on aromatization (`arom_bmi_slope`) and SHBG (`shbg_bmi_slope`); fasting insulin "
        "beyond what BMI predicts lowers SHBG (`insulin_shbg_coef`, Strain 1994); chronic "
        "inflammation is not modelled (no sourced effect separable from adiposity)",
        "test_model_physiology.py::test_obesity_lowers_shbg_and_total_t_and_raises_estradiol; "
        "test_clinical.py::test_insulin_field_default_leaves_results_unchanged_and_high_insulin_lowers_shbg",
    ),
)


def _axis_sections() -> str:

    src = inspect.getsource(axis)
    rule = "# " + "-" * 78
    start = src.index(f"{rule} building blocks")
    end = src.index(f"{rule} parameters")
    return src[start:end].rstrip()


def _family_sections() -> str:
    parts = []
    for family in FAMILIES:
        functions = (
            family.derived,
            family.concentrations,
            family.effects,
            family.derivatives,
            family.readouts,
        )
        module = inspect.getmodule(family.derivatives)
        name = module.__name__ if module is not None else family.name
        body = "\n\n\n".join(inspect.getsource(f).rstrip() for f in functions)
        parts.append(f"#### {family.name} (`{name}`)\n\n```python\n{body}\n```")
    return "\n\n".join(parts)


def _woman_sections() -> str:
    functions = (woman.shbg_androgen_effect, woman.rhs, woman.patient_parameters)
    return "\n\n\n".join(inspect.getsource(f).rstrip() for f in functions)


def _equations() -> str:
    return (
        "The model's building blocks and right-hand side, copied from "
        "`src/hpgsim/model/axis.py` when this page was generated (time in days; units as in "
        "the parameter table):\n\n```python\n"
        + _axis_sections()
        + "\n```\n\nEach drug family's constants, concentrations, effects on the axis, "
        "equations and readouts, copied from its module in `src/hpgsim/model/drugs/`:\n\n"
        + _family_sections()
        + "\n\n#### The post-menopausal woman (`hpgsim.model.woman`)\n\nHer right-hand "
        "side, her SHBG law and her derived constants (docs/women.md), copied from "
        "`src/hpgsim/model/woman.py`; her states are her own three and those of the families "
        f"she carries ({', '.join(f.name for f in woman.FAMILIES)}):\n\n```python\n"
        + _woman_sections()
        + "\n```"
    )


def _states() -> str:
    rows = [
        "Every state of the model, from the state records (`hpgsim.model.axis.AXIS_STATES` and "
        "each drug family's `states`), in the order of the state vector. Kind: `linear` = "
        "d/dt linear in the states with constant coefficients (the engine may propagate it "
        "exactly), `input` = a zero-order input rate, `nonlinear` = the rest.",
        "",
        "| state | unit | block | kind | chain | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for s in axis.LAYOUT.states:
        rows.append(
            f"| `{s.name}` | {s.unit} | {s.block} | {s.kind.value} | {s.chain or ''} | "
            f"{_md(s.meaning)} |"
        )
    rows += [
        "",
        "The post-menopausal woman's own states (`hpgsim.model.woman.WOMAN_STATES`; the drug "
        "families she carries add theirs, as above, and the progesterone family's):",
        "",
        "| state | unit | block | kind | chain | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for s in (
        *woman.WOMAN_STATES,
        *(x for f in woman.FAMILIES if f.name == "progesterone" for x in f.states),
    ):
        rows.append(
            f"| `{s.name}` | {s.unit} | {s.block} | {s.kind.value} | {s.chain or ''} | "
            f"{_md(s.meaning)} |"
        )
    return "\n".join(rows)


def _md(s: object) -> str:
    return str(s).replace("|", "/").replace("\n", " ")


def _parameters() -> str:

    groups: dict[str, list[Parameter]] = {}
    for p in PARAMETERS:
        groups.setdefault(p.group or "other", []).append(p)
    out = [
        f"{len(PARAMETERS)} parameters. *Source* is a publication (PMID, DOI or label) or a "
        "derivation from sourced numbers; *calibrated* ones name the target they were fitted "
        "to and their value comes from `src/hpgsim/data/calibrated.json` "
        "(scripts/calibrate.py). *BSV* is the between-man coefficient of variation that the "
        "populations sample (its source is listed below). A calibrated value marked **on its "
        "lower/upper bound** is set by the fit's bound, not by the data: "
        + ", ".join(f"`{n}` ({side})" for n, side in on_bound().items())
        + ".",
    ]
    bound = on_bound()
    for group, ps in groups.items():
        out += [
            "",
            f"#### {group}",
            "",
            "| name | value | unit | meaning | source or calibration target | BSV |",
            "|---|---|---|---|---|---|",
        ]
        for p in ps:
            src = f"calibrated to {p.calibrated_to}" if p.calibrated_to else p.source
            if p.name in bound:
                src += f" **on its {bound[p.name]} bound**"
            bsv = "" if p.bsv_cv is None else f"{p.bsv_cv:g}"
            out.append(
                f"| `{p.name}` | {p.value:.4g} | {_md(p.unit)} | {_md(p.meaning)} | "
                f"{_md(src)} | {bsv} |"
            )
    return "\n".join(out)


def _variability() -> str:

    out = []
    for name in POPULATIONS:
        pop = load_population(name)  # the variability's CVs and sources are the table's
        out += [
            f"**{name}**: {_md(pop.description)}",
            "",
            "| covariate or parameter | distribution | source |",
            "|---|---|---|",
        ]
        for cov, spec in pop.covariates.items():
            dist = ", ".join(f"{k} {v}" for k, v in spec.items() if k != "source")
            out.append(f"| {cov} | {_md(dist)} | {_md(spec.get('source', ''))} |")
        for par, spec in pop.variability.items():
            out.append(f"| `{par}` (log-normal BSV) | CV {spec['cv']:g} | {_md(spec['source'])} |")
        out.append("")
    return "\n".join(out).rstrip()


def _citations() -> str:

    return "\n".join(f"- **{k}**: {_md(v)}" for k, v in CITATIONS.items())


def _claims() -> str:
    out = [
        "| The article says | Represented by | Checked by |",
        "|---|---|---|",
    ]
    for c in ARTICLE_CLAIMS:
        out.append(f'| "{_md(c.quote)}" | {_md(c.represented_by)} | {_md(c.checked_by)} |')
    return "\n".join(out)


BLOCKS: dict[str, Callable[[], str]] = {
    "states": _states,
    "equations": _equations,
    "parameters": _parameters,
    "variability": _variability,
    "citations": _citations,
    "article-claims": _claims,
}

_BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z-]+) -->\n).*?(<!-- END GENERATED: (?P=name) -->)",
    re.DOTALL,
)


def render_block(name: str) -> str:
    """The generated text of one block."""
    return BLOCKS[name]().rstrip()


def update(text: str) -> str:
    """``text`` with every generated block rewritten from the code. Raises ValueError if a
    block is missing (each of :data:`BLOCKS` must appear exactly once)."""
    found = [m.group("name") for m in _BLOCK.finditer(text)]
    unknown = sorted(set(found) - set(BLOCKS))
    if unknown:
        raise ValueError(
            f"docs/model.md: unknown generated block(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(BLOCKS)}"
        )
    for name in BLOCKS:
        if found.count(name) != 1:
            raise ValueError(
                f"docs/model.md: block {name!r} appears {found.count(name)} times; allowed: once"
            )
    return _BLOCK.sub(
        lambda m: m.group(1) + render_block(m.group("name")) + "\n" + m.group(3), text
    )
