"""The validation registry: every published target hpgsim is compared with, and how it is run.

A :class:`ValidationTarget` holds the citation, the study population, the regimen as scenarios,
the observable, each published value with its spread, the tolerance with its reason, and how the
target was used:

- ``calibrated``: a calibration target (:mod:`hpgsim.evidence.calibration`);
  ``scripts/calibrate.py`` fits parameters to it.
- ``reported``: from the same publications as the calibration targets (or the design's target
  list) but never in the fit's cost; reported as it falls.
- ``held_out``: a published result from a source the calibration never saw
  (:mod:`hpgsim.evidence.held_out`); nobody tunes against it.

Single-man targets simulate one typical man per scenario (``--fast`` runs only these);
population targets run a virtual trial (:mod:`hpgsim.population.trial`) and compare its summary.

Measures the model's structure cannot reach yet are listed in :data:`KNOWN_GAPS` with their
reason: ``hpgsim validate`` reports them as "known gap" and fails only on a measure that is
expected to pass and does not. The test suite marks the same measures strict-xfail, so a gap that
closes turns red until its entry is removed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from hpgsim.evidence.calibration import TARGETS, evaluate_targets
from hpgsim.evidence.held_out import HELD_OUT, POPULATION_TARGETS
from hpgsim.evidence.records import (
    Measure,
    MeasureResult,
    PopulationResult,
    Target,
    Use,
    ValidationTarget,
    acceptance_interval,
)

__all__ = [
    "KNOWN_GAPS",
    "SPERM_COLUMN",
    "MeasureResult",
    "Use",
    "ValidationTarget",
    "acceptance_interval",
    "registry",
    "run_validation",
    "select",
]


# Reported but not met: fitted measures the model's structure cannot reach, and not-fitted
# measures that miss, each with the reason in the target's notes and in docs/model.md ("What the
# fit found", "Restoration targets: what fits and what does not" and "Spermatogenesis targets").
KNOWN_GAPS: dict[tuple[str, str], str] = {
    ("support_pitteloud_addback", "LH with T add-back, aromatization blocked"): (
        "ER removal disinhibits both sites (trade-off with Leder 2004)"
    ),
    ("target3_bhasin_te", "nadir T at 25 mg/wk"): "trade-off with the Pitteloud add-backs",
    ("check_burnett_bowie_anastrozole", "E2 month 3 / baseline"): (
        "E2 falls 40% vs 24% (Leder 2004, fitted, falls 35%)"
    ),
    ("support_teslac_t_level", "LH, T infusion alone / baseline"): "see notes",
    ("support_teslac_t_level", "T, T infusion alone / baseline"): "see notes",
    # restoration (#3)
    **{
        ("check_hcg_single_dose", label): "no delayed T peak after a large hCG dose"
        for label in ("T at 72 h after 1500 IU", "T peak at 72-96 h after 6000 IU / baseline")
    },
    ("target8_miller_clomiphene", "T / baseline"): "T lags LH (Leydig capacity over months)",
    ("target8_shabsigh_clomiphene", "T at 5 weeks"): "no estrogenic tone at low E2",
    **{
        ("target8_helo_clomiphene", f"{h} / baseline"): "no estrogenic tone at low E2"
        for h in ("T", "E2")
    },
    ("check_tamoxifen_e2", "E2 / baseline"): "tamoxifen's own E2 effects not modelled",
    ("target9_hurley_gnrh_sc", "LH peak after 10 ug SC"): "one LH pool and half-life",
    ("check_hurley_lh_peak_time", "minutes to LH peak"): "one LH pool and half-life",
    ("target10_leuprolide_depot", "day of the T peak"): (
        "the burst empties the one LH pool within hours: LH peaks at 4-12 h and T on day 1.7"
    ),
    **{
        ("check_bhasin_with_leuprolide", f"nadir T at {dose} mg/wk"): (
            "a hypogonadal stand-in (target 3) and clamped healthy men differ in SHBG: the "
            "law reads free T relative to the man's own"
        )
        for dose in (50, 125)
    },
    # spermatogenesis (#4)
    ("check_who1990_recovery_to_baseline", "months to own baseline"): (
        "one noise-free man never reaches his baseline (plateau 0.85); the trial's end point "
        "is a semen sample, see target_who1990_population"
    ),
    # populations (#5): the between-man spread of recovery is too narrow; the BSV of the
    # spermatogenesis parameters is assumed, not fitted (docs/model.md, populations)
    ("target6_liu_population", "P(20 M/mL) by 6 months"): "cohort recovers too uniformly",
    # held out (never tuned against); classified after the first run, reasons in the notes of
    # docs/validation.md and docs/model.md
    # the WHO 1990 trial as a cohort (reported; reasons in docs/model.md, populations)
    ("target_who1990_population", "azoospermic by 6 months"): (
        "48% vs 65%: half the cohort stays above the 0.1 M/mL detection limit at 26 weeks; "
        "K_ITT_sperm's assumed CV moves it only to 47-54% (CV 0.05-2)"
    ),
    ("target_who1990_population", "below 3 M/mL by 6 months (WHO 1995)"): (
        "89% vs 95.6%: the same men as the azoospermia gap; one in nine stays at 3 M/mL or "
        "more through 26 weeks, where the WHO studies had one in 23"
    ),
    ("target_who1990_population", "median months to own baseline (azoospermic men)"): (
        "10.6 vs 6.7 months: the stem-cell reserve regrows over about a year"
    ),
    ("target_who1990_population", "mean days to sperm reappearance (azoospermic men)"): (
        "57 vs 75 days: surviving germ cells mature as soon as support returns, and no "
        "between-man restart delay is modelled"
    ),
    ("heldout_jcem1979_t_infusion_on_clomiphene", "FSH, T infusion / before"): (
        "FSH falls 57% where 40% was seen (LH 51%, within range)"
    ),
    **{
        ("heldout_jcem1979_t_infusion_on_clomiphene", f"{h} on clomiphene, T infusion / before"): (
            "the androgen arm still lowers LH and FSH by about a fifth on clomiphene; the "
            "study saw no suppression (the opposite of the article's SERM-on-TRT claim)"
        )
        for h in ("LH", "FSH")
    },
    ("heldout_finkelstein2013_gel_on_agonist", "mean T, gel 0 mg/day"): (
        "29 vs 44 ng/dL (116 before 2026-11-28, when SHBG held castrate T up): the "
        "leuprolide stand-in clamps deeper than goserelin did in these men"
    ),
    ("heldout_gu2009_tu_recovery", "days from the first missed dose to 20 M/mL"): (
        "99 vs 230 days: gonadotropins return within weeks of the first missed dose and the "
        "germ-cell pipeline refills in about three months; the model has no mechanism that "
        "holds recovery back for months after 30 months of a long-acting ester (the same "
        "missing slow tail as Liu 2006's 6-month probability)"
    ),
    ("heldout_gnrh_iv_every_4h_ihh", "peak LH after dose 1"): (
        "GnRH priming of a deprived pituitary not modelled"
    ),
    ("heldout_tamoxifen_oat_3_months", "FSH at 3 months / baseline"): (
        "FSH rises x1.55 on tamoxifen, published x2.09 (accepted from x1.57)"
    ),
    ("heldout_gnrh_iv_every_4h_ihh", "basal FSH before dose 43 / before dose 1"): (
        "GnRH priming not modelled; FSH follows GnRH too weakly"
    ),
}


@dataclass(frozen=True)
class _Meta:
    population: str
    observable: str
    spread: str
    tolerance_reason: str
    columns: tuple[str, ...]


_T, _E2, _LH, _FSH = (
    "total_testosterone_ng_dl",
    "estradiol_pg_ml",
    "lh_iu_l",
    "fsh_iu_l",
)
SPERM_COLUMN, _ITT, _SHBG = (
    "sperm_concentration_m_per_ml",
    "intratesticular_testosterone_ng_ml",
    ("shbg_nmol_l"),
)
_GROUP_MEAN = "the study's group mean read as one typical man"

# What the calibration module's targets do not say in fields: the study population, the
# observable, the published spread and why the tolerance is what it is.
_CALIBRATION_META: dict[str, _Meta] = {
    "target1_untreated": _Meta(
        "healthy men 19-39 y (Travison 2017 harmonized cohorts; n 9054)",
        "steady-state hormones of the untreated man",
        "reference intervals (2.5th-97.5th percentiles) and cohort means",
        "the published reference interval or mean +/- the spread between cohorts",
        (_T, _LH, _FSH, _E2, _SHBG),
    ),
    "target2_nankin_tc": _Meta(
        "hypogonadal men on biweekly testosterone cypionate (Nankin 1987)",
        "T, free T and E2 peak and day-14 ratios within an injection interval",
        "abstract gives means only",
        "+/-25-30%: group means of a small study, ratios read from the abstract's text",
        (_T, "free_testosterone_pg_ml", _E2),
    ),
    "target3_bhasin_te": _Meta(
        "healthy young men 18-35 y, GnRH-agonist clamp (61 men, 5 dose arms)",
        "nadir total T in week 16-20 by weekly TE dose",
        "SD about 25-40% of the mean per arm",
        "+/-25%: the calibration-targets.md tolerance, about one between-man SD",
        (_T,),
    ),
    "target4_coviello_te": _Meta(
        "healthy men 19-49 y, TE 200 mg weekly for 3 weeks (Coviello 2005)",
        "LH, FSH and intratesticular T at day 21 relative to baseline",
        "near-zero fractions; SEM a few points",
        "+/-50% of a near-zero fraction (LH 2.5-7.5% of baseline)",
        (_LH, _FSH, _ITT),
    ),
    "target7_leder_anastrozole": _Meta(
        "older men with low T, 62-74 y (Leder 2004; n 37)",
        "T, E2 and LH at week 12 relative to baseline",
        "group means; SD about 25% of the mean",
        "+/-15%: tight enough to pin the estradiol feedback the fit uses",
        (_T, _E2, _LH),
    ),
    "check_burnett_bowie_anastrozole": _Meta(
        "hypogonadal men >= 60 y (Burnett-Bowie 2009; n 88)",
        "T and E2 at month 3 relative to baseline",
        "group means",
        "+/-15%, the same as the fitted Leder 2004 target",
        (_T, _E2),
    ),
    "support_plymate_shbg": _Meta(
        "healthy men on TE 200 mg every 2 weeks (Plymate 1983)",
        "SHBG at month 3 relative to baseline",
        "group mean",
        "+/-10%: a single ratio that sets the SHBG-androgen slope",
        (_SHBG,),
    ),
    "support_pitteloud_blockade": _Meta(
        "22 normal men under ketoconazole blockade (Pitteloud 2008)",
        "steady-state LH without sex-steroid feedback",
        "mean +/- SEM",
        "+/-25%: a 2-3 day protocol read as a steady state",
        (),
    ),
    "support_pitteloud_addback": _Meta(
        "22 normal men under ketoconazole blockade (Pitteloud 2008)",
        "steady-state LH with T or E2 added back",
        "mean +/- SEM",
        "+/-25%, as for the blockade",
        (),
    ),
    "support_teslac_androgen_feedback": _Meta(
        "normal men, IV T 15 mg/day for 4 days with and without testolactone",
        "LH, FSH and E2 ratios, infusion on aromatase block vs block alone",
        "group means",
        "+/-25% (E2 +/-15%): a 4-day study read at day 4",
        (_LH, _FSH, _E2),
    ),
    "support_teslac_t_level": _Meta(
        "normal men, IV T 15 mg/day for 4 days",
        "LH and T relative to baseline",
        "group means",
        "+/-25%",
        (_LH, _T),
    ),
    "target4_coviello_hcg": _Meta(
        "healthy men on TE 200 mg weekly with hCG every other day (7-8 men per arm)",
        "intratesticular T at day 21 relative to baseline by hCG dose",
        "group means; SEM about 20%",
        "+/-25% of the ratio: arms of 7-8 men",
        (_ITT, _T),
    ),
    "check_hcg_single_dose": _Meta(
        "7 normal men (1500 IU); 7 normal men (6000 IU)",
        "serum T after one IM dose: at 72 h (1500 IU); at 4 h and its 72-96 h peak (6000 IU)",
        "1315 +/- 309 ng/dL (mean +/- SD); x1.6 +/- 0.1 and x2.4 +/- 0.3",
        "+/-25%: about one SD of the 1500 IU group",
        (_T, "hcg_iu_l"),
    ),
    "target8_miller_clomiphene": _Meta(
        "12 healthy men 25-38 y (Miller 2019)",
        "T, LH and FSH at day 30 relative to baseline",
        "mean percent increases",
        "+/-25%: a 12-man study",
        (_T, _LH, _FSH),
    ),
    "target8_shabsigh_clomiphene": _Meta(
        "hypogonadal men, T 247 ng/dL (Shabsigh 2005)",
        "total T at 5 weeks",
        "mean",
        "+/-25%",
        (_T, _LH),
    ),
    "target8_helo_clomiphene": _Meta(
        "15 hypogonadal men on long-term clomiphene (Helo 2017)",
        "T, LH and E2 relative to baseline at steady state",
        "medians",
        "+/-25% (E2 +/-30%): medians of 15 men",
        (_T, _LH, _E2),
    ),
    "support_tamoxifen_oligospermic": _Meta(
        "9 oligospermic men on tamoxifen 10 mg daily",
        "LH and T at 4 months relative to baseline",
        "group means",
        "+/-30% (T +/-20%): 9 men",
        (_LH, _T),
    ),
    "check_tamoxifen_e2": _Meta(
        "9 oligospermic men on tamoxifen 10 mg daily",
        "E2 at 4 months relative to baseline",
        "group mean",
        "+/-30%",
        (_E2,),
    ),
    "target9_hurley_gnrh_sc": _Meta(
        "5 GnRH-deficient patients (Hurley 1987), simulated as a man with CHH",
        "LH peak and time of the gonadorelin plasma peak after 10 ug SC",
        "means; the design's peak window 5-10 min",
        "+/-30% for the LH peak; the published 5-15 min window for the time",
        ("lh_iu_l",),
    ),
    "check_hurley_lh_peak_time": _Meta(
        "5 GnRH-deficient patients (Hurley 1987)",
        "minutes from the dose to the LH peak",
        "20-30 min after the plasma peak",
        "the published window",
        ("lh_iu_l",),
    ),
    "target9_pulsatile_gnrh_pump": _Meta(
        "6 GnRH-deficient men on a 90-minute pump (Hoffman & Crowley 1982)",
        "T after 1 month; LH after 1 week",
        "T 520 +/- 182 ng/dL (SD)",
        "+/-35% for T (one SD is 35%); LH inside the adult normal range 2-9 IU/L",
        (_T, _LH),
    ),
    "support_gnrh_continuous_3h": _Meta(
        "18 normal men, gonadorelin 1 ug/min IV for 3 h",
        "mean LH over 3 h relative to baseline",
        "3-4-fold across the three delivery modes",
        "the published 3-4-fold range",
        (_LH,),
    ),
    "target10_leuprolide_depot": _Meta(
        "men with prostate cancer (Lupron Depot 7.5 mg label; 56 men)",
        "leuprolide at 4 h and 4 weeks, T flare in week 1 and its day, T at day 21, day T "
        "falls below 50 ng/dL",
        "label means; median time to castration 21 d",
        "+/-25% for PK; the label's flare range; peak day 2-6 d; +/-50% at the castration "
        "threshold; castration day within the label's 2-4 weeks",
        ("leuprolide_ng_ml", _T),
    ),
    "target10_smith2007_castration_maintained": _Meta(
        "49 men with non-metastatic prostate cancer on leuprolide; simulated: man of 70 y, "
        "baseline T 372 ng/dL",
        "total T at week 48",
        "mean +/- SE 13 +/- 1 ng/dL (SD about 7)",
        "+/-50% at a castrate level near assay limits",
        (_T, _LH),
    ),
    "check_smith2007_free_fraction": _Meta(
        "the same men",
        "free-T fraction (free / total T) at week 48 relative to baseline",
        "SE of the ratio about 13%",
        "+/-15%",
        (_T, "free_testosterone_pg_ml", "shbg_nmol_l"),
    ),
    "check_bhasin_with_leuprolide": _Meta(
        "healthy young men with a leuprolide clamp (Bhasin 2001 as designed)",
        "nadir total T by weekly TE dose",
        "SD about 25-40% of the mean",
        "+/-25%, as target 3",
        (_T,),
    ),
    "target5_handelsman_suppression": _Meta(
        "healthy men in pooled contraception studies (Handelsman 2005)",
        "weeks from the first dose to below 10/5/3/1 M/mL",
        "pooled medians of ~14,000 samples",
        "+/-25%: pooled medians compared with one man's course",
        (SPERM_COLUMN,),
    ),
    "check_handelsman_suppression_halftime": _Meta(
        "healthy men in pooled contraception studies (Handelsman 2005)",
        "half-time of the exponential fitted to cube-root concentrations (Handelsman's scale)",
        "pooled estimate",
        "+/-25%",
        (SPERM_COLUMN,),
    ),
    "target_zhengwei1998_biopsy": _Meta(
        "5 men on TE 200 mg weekly for 19-24 weeks vs 5 controls (Zhengwei 1998)",
        "type A and type B-onwards germ cells relative to untreated",
        "A unchanged; B 10%, later cells 11-18% of control",
        "A within 20% ('unchanged' with 5 men); B onwards 5-25%",
        ("stem_cell_reserve_fraction", "germ_cells_fraction"),
    ),
    "target5_handelsman_recovery": _Meta(
        "healthy men in pooled contraception studies (Handelsman 2005)",
        "weeks from the first missed dose to 3/5/10/20 M/mL; plateau vs own baseline",
        "pooled medians; sigmoid plateau",
        "+/-25% for times; plateau 0.75-0.95",
        (SPERM_COLUMN,),
    ),
    "check_handelsman_half_plateau": _Meta(
        "healthy men in pooled contraception studies (Handelsman 2005)",
        "t50 of the sigmoid fitted to cube-root concentrations (Handelsman's scale)",
        "pooled sigmoid",
        "+/-25%",
        (SPERM_COLUMN,),
    ),
    "target6_liu_recovery_typical_man": _Meta(
        "1549 healthy men 18-51 y (Liu 2006), one typical man after a year of TE",
        "median months from the first missed dose to 3/10/20 M/mL",
        "95% CI 2.4-2.7 / 2.9-3.1 / 3.2-3.5 months",
        "+/-20%: " + _GROUP_MEAN + " (the CI describes the median, not one man)",
        (SPERM_COLUMN,),
    ),
    "target_who1990_te_contraception": _Meta(
        "271 healthy men on TE 200 mg weekly (WHO 1990)",
        "days to azoospermia; months to 20 M/mL after stopping",
        "120 +/- 40 d (SD); median 3.7 months",
        "the published +/-1 SD for azoospermia; +/-20% for the median",
        (SPERM_COLUMN,),
    ),
    "check_who1990_recovery_to_baseline": _Meta(
        "271 healthy men on TE 200 mg weekly (WHO 1990)",
        "months to the man's own baseline after stopping",
        "median 6.7 (6.2-8.7) months",
        "+/-30%",
        (SPERM_COLUMN,),
    ),
    "target_hsieh2013_trt_hcg": _Meta(
        "26 hypogonadal men 36 y, T 207 ng/dL, on TRT with hCG 500 IU every other day",
        "sperm concentration at 6.2 months relative to baseline",
        "no significant change",
        "within 30% ('unchanged' with a between-ejaculate CV about 0.4 and 26 men)",
        (SPERM_COLUMN, _T, _ITT),
    ),
}


def _from_calibration(t: Target) -> ValidationTarget:
    meta = _CALIBRATION_META[t.key]
    return ValidationTarget(
        id=t.key,
        title=t.title,
        citation=t.source,
        use=Use.CALIBRATED if t.fit else Use.REPORTED,
        kind="single",
        population=meta.population,
        observable=meta.observable,
        spread=meta.spread,
        tolerance_reason=meta.tolerance_reason,
        measures=t.measures,
        scenarios=t.scenarios,
        columns=meta.columns,
        target=t,
        notes=t.notes,
    )


def _registry() -> tuple[ValidationTarget, ...]:
    return (*(_from_calibration(t) for t in TARGETS), *HELD_OUT, *POPULATION_TARGETS)


_CACHE: dict[str, tuple[ValidationTarget, ...]] = {}


def registry() -> tuple[ValidationTarget, ...]:
    """Every target: calibration (calibrated and reported), held out, population. Built on
    first use."""
    if "all" not in _CACHE:
        _CACHE["all"] = _registry()
    return _CACHE["all"]


def select(
    *, fast: bool = False, only: Sequence[str] = (), targets: Sequence[ValidationTarget] = ()
) -> list[ValidationTarget]:
    """The targets to run: all, the single-man ones (``fast``), or those named in ``only``
    (an unknown id raises ValueError naming it and the known ids)."""
    reg = list(targets or registry())
    if only:
        ids = {t.id for t in reg}
        unknown = [i for i in only if i not in ids]
        if unknown:
            raise ValueError(
                f"--only: unknown target id(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(ids))}"
            )
        reg = [t for t in reg if t.id in set(only)]
    if fast:
        reg = [t for t in reg if t.kind == "single"]
    return reg


def _status(t: ValidationTarget, m: Measure, simulated: float) -> tuple[str, str]:
    gap = KNOWN_GAPS.get((t.id, m.label), "")
    ok = math.isfinite(simulated) and m.passes(simulated)
    if gap:
        return ("unexpected pass" if ok else "known gap"), gap
    return ("pass" if ok else "FAIL"), ""


def _rows(t: ValidationTarget, values: Mapping[str, float]) -> list[MeasureResult]:
    out = []
    for m in t.measures:
        sim = float(values.get(m.label, float("nan")))
        lo, hi = acceptance_interval(m)
        status, gap = _status(t, m, sim)
        out.append(
            MeasureResult(
                target=t.id,
                measure=m.label,
                use=str(t.use),
                kind=t.kind,
                published=float(m.published),
                simulated=sim,
                low=lo,
                high=hi,
                unit=m.unit.strip(),
                status=status,
                citation=t.citation,
                tolerance_reason=t.tolerance_reason,
                known_gap_reason=gap,
            )
        )
    return out


@dataclass
class ValidationRun:
    """Results of :func:`run_validation`: the table rows, and what the plots need."""

    results: list[MeasureResult]
    tables: dict[str, list[pd.DataFrame]]
    population: dict[str, PopulationResult]
    values: dict[str, dict[str, float]]

    @property
    def failed(self) -> list[MeasureResult]:
        """Measures expected to pass that did not."""
        return [r for r in self.results if r.status == "FAIL"]


def run_validation(
    targets: Sequence[ValidationTarget],
    *,
    n: int | None = None,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> ValidationRun:
    """Simulate the targets (single-man ones in one batched pass per horizon; population ones
    as trials of ``n`` men, default each target's ``default_n``) and compare them."""
    single = [t for t in targets if t.kind == "single"]
    values: dict[str, dict[str, float]] = {}
    tables: dict[str, list[pd.DataFrame]] = {}
    if single:
        if progress:
            progress(f"{len(single)} single-man targets")
        cal = [t.target for t in single if t.target is not None]
        values.update(evaluate_targets(cal, frames_out=tables))
    population: dict[str, PopulationResult] = {}
    for t in targets:
        if t.kind != "population":
            continue
        assert t.population_run is not None
        if progress:
            progress(f"trial {t.id} (n {n or t.default_n})")
        res = t.population_run(n or t.default_n, seed)
        population[t.id] = res
        values[t.id] = res.values
    results = [r for t in targets for r in _rows(t, values.get(t.id, {}))]
    return ValidationRun(results=results, tables=tables, population=population, values=values)


def results_frame(run: ValidationRun) -> pd.DataFrame:
    """The validation table as a DataFrame (one row per measure)."""
    return pd.DataFrame([r.as_dict() for r in run.results])


def status_counts(run: ValidationRun) -> dict[str, int]:
    """How many measures have each status."""
    counts: dict[str, int] = {}
    for r in run.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def markdown_table(run: ValidationRun, registry: Sequence[ValidationTarget]) -> str:
    """The validation table in Markdown, grouped by target, with citations and reasons."""
    by_id = {t.id: t for t in registry}
    lines = [
        "| Target | Use | Measure | Published | Simulated | Accepted | Status |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in run.results:
        unit = f" {r.unit}" if r.unit else ""
        status = r.status if not r.known_gap_reason else f"{r.status}: {r.known_gap_reason}"
        lines.append(
            f"| `{r.target}` | {r.use} | {r.measure} | {_fmt(r.published)}{unit} | "
            f"{_fmt(r.simulated)}{unit} | {_fmt(r.low)}-{_fmt(r.high)} | {status} |"
        )
    lines += ["", "### Targets", ""]
    for tid in dict.fromkeys(r.target for r in run.results):
        t = by_id[tid]
        lines.append(
            f"- **`{t.id}`** ({t.use}, {t.kind}): {t.title}. *Source:* {t.citation}. "
            f"*Population:* {t.population}. *Observable:* {t.observable}. "
            f"*Published spread:* {t.spread}. *Tolerance:* {t.tolerance_reason}."
        )
    return "\n".join(lines) + "\n"
