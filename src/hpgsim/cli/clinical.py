"""The clinical-layer commands of ``hpgsim``: ``compare``, ``plan`` and ``protocols list|show``.

Registered on the app in :mod:`hpgsim.cli.commands`. Like the rest of the CLI, the commands parse
arguments, call the library (:mod:`hpgsim.clinical`) and write files atomically; bad input
exits with status 2, a one-paragraph ``hpgsim: error:`` message naming the option, the value
and what is allowed, and no output. Nothing printed is advice to a patient.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    History,
    Overwrite,
    check_output_folder,
    fail,
    fail_run,
    require_man,
    run_meta,
    scenario_with_protocol,
    with_follow_up,
    write_text_file,
)

if TYPE_CHECKING:
    from hpgsim.clinical.protocols import TrtHistory
    from hpgsim.scenario import Scenario

__all__ = ["compare", "plan", "protocols_list", "protocols_show"]


_SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

# Options shared by compare and plan: the man and his TRT history (used for library protocols).
Age = Annotated[float, typer.Option("--age", help="Age, years (library protocols).")]
Bmi = Annotated[float, typer.Option("--bmi", help="BMI, kg/m2 (library protocols).")]
Sperm = Annotated[
    float, typer.Option("--sperm", help="Untreated sperm concentration, M/mL (library protocols).")
]
Volume = Annotated[
    float, typer.Option("--testis-volume", help="Untreated testis volume, mL (library protocols).")
]
Insulin = Annotated[
    float | None,
    typer.Option("--insulin", help="Fasting insulin, uU/mL (optional; lowers SHBG if high)."),
]
TrtDrug = Annotated[str, typer.Option("--trt-drug", help="TRT product before the protocol.")]
TrtDose = Annotated[str, typer.Option("--trt-dose", help="TRT dose per injection.")]
TrtEvery = Annotated[str, typer.Option("--trt-every", help="TRT dosing interval.")]
TrtYears = Annotated[float, typer.Option("--trt-years", help="Years of TRT before day 0.")]
TrtAna = Annotated[
    str | None,
    typer.Option("--trt-anastrozole", help="Anastrozole dose twice weekly during TRT (optional)."),
]
FollowUp = Annotated[
    str,
    typer.Option(
        "--follow-up",
        help="Follow-up from day 0 (end of full-dose TRT); at least 24 months after the "
        "first missed androgen dose is always simulated.",
    ),
]


def _man(
    age: float, bmi: float, sperm: float, volume: float, insulin: float | None
) -> dict[str, Any]:
    pt: dict[str, Any] = {
        "age_years": age,
        "bmi_kg_m2": bmi,
        "baseline_sperm_concentration_m_per_ml": sperm,
        "testicular_volume_ml": volume,
    }
    if insulin is not None:
        pt["fasting_insulin_uU_ml"] = insulin
    return pt


def _history(drug: str, dose: str, every: str, years: float, ana: str | None) -> TrtHistory:
    from hpgsim.clinical.protocols import TrtHistory

    try:
        return TrtHistory(drug=drug, dose=dose, every=every, years=years, anastrozole_dose=ana)
    except ValueError as exc:
        fail(f"--{exc}.")


def _follow_up_days(text: str) -> float:
    from hpgsim.units import QuantityParseError, parse_quantity

    try:
        days = float(parse_quantity(text).to("day").magnitude)
    except (QuantityParseError, ValueError, AttributeError, Exception):  # pint raises several
        fail(f"--follow-up: got {text!r}; allowed: a time such as '24 months' or '730 d'.")
    if not (math.isfinite(days) and 28.0 <= days <= 36525.0):
        fail(f"--follow-up: got {text!r}; allowed: from 28 d to 100 years.")
    return days


def _resolve(
    items: list[str],
    *,
    patient: dict[str, Any],
    history: TrtHistory,
    follow_up_days: float,
) -> list[tuple[Scenario, float | None]]:
    """Each item: a scenario file (YAML/JSON) or a library protocol name."""
    from hpgsim.clinical.protocols import load_protocol, protocol_names, protocol_scenario
    from hpgsim.scenario import ScenarioError, load_scenario

    out: list[tuple[Scenario, float | None]] = []
    for item in items:
        path = Path(item)
        try:
            if path.suffix.lower() in _SCENARIO_SUFFIXES or path.exists():
                out.append((load_scenario(path), None))
            else:
                proto = load_protocol(item)
                sc, day0 = protocol_scenario(
                    proto, patient=patient, history=history, follow_up_days=follow_up_days
                )
                out.append((sc, day0))
        except ScenarioError as exc:
            fail(str(exc))
        except ValueError as exc:
            names = ", ".join(protocol_names())
            fail(
                f"{item!r} is neither a scenario file (.yaml, .yml, .json) nor a library "
                f"protocol: {exc}. Library protocols: {names}."
                if "protocol:" in str(exc)
                else str(exc)
            )
    return out


def protocols_list() -> None:
    """List the library's protocols: name, title and whether the article names it."""
    from rich.table import Table
    from rich.text import Text

    from hpgsim.clinical.library import load_protocol, protocol_names

    table = Table(title="hpgsim protocol library", title_justify="left")
    for col in ("name", "protocol", "in the article"):
        table.add_column(col, overflow="fold")
    for name in protocol_names():
        p = load_protocol(name)
        table.add_row(Text(name), Text(p.title), Text("yes" if p.article else "no"))
    _console().print(table)
    typer.echo("Show one with: hpgsim protocols show NAME. " + DISCLAIMER)


def protocols_show(
    name: Annotated[str, typer.Argument(help="Protocol name (hpgsim protocols list).")],
    as_scenario: Annotated[
        bool,
        typer.Option(
            "--as-scenario",
            help="Print (or --out) the scenario file of the protocol after a TRT history "
            "instead: what simulate, report and trial run with --protocol.",
        ),
    ] = False,
    history: History = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="With --as-scenario: write it to this .yaml file."),
    ] = None,
) -> None:
    """Print a protocol's YAML, or with --as-scenario the scenario file it makes.

    The YAML has its regimen (days from the end of full-dose TRT), the article
    sentence it comes from and the sources of its doses. With --as-scenario, the scenario file
    of the protocol after a TRT history (--history; default: testosterone cypionate 200 mg
    weekly for 2 years), for the default man."""
    from hpgsim.clinical.library import load_protocol

    if not as_scenario and (history is not None or out is not None):
        fail("--history and --out: they shape the scenario file; give --as-scenario too.")
    if out is not None and out.suffix.lower() not in (".yaml", ".yml"):
        fail(f"--out {str(out)!r}: unsupported file extension; allowed: .yaml, .yml.")
    try:
        proto = load_protocol(name)
    except ValueError as exc:
        fail(str(exc) + ".")
    if not as_scenario:
        typer.echo(proto.text.rstrip())
        typer.echo("# " + DISCLAIMER)
        return
    import yaml

    sc = scenario_with_protocol(None, name, history)
    text = (
        f"# hpgsim scenario: library protocol {name!r} after a TRT history"
        + (f" ({history})" if history else " (the default history)")
        + "\n# day 0 of the protocol is the first missed full-dose TRT injection\n# "
        + DISCLAIMER
        + "\n"
        + yaml.safe_dump(sc.to_input_dict(), sort_keys=False)
    )
    if out is None:
        typer.echo(text.rstrip())
        return
    write_text_file(out, text)
    typer.echo(f"hpgsim: wrote {out}")


def _parse_weight_loss(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        a, b = (float(x) for x in text.split(":"))
    except ValueError:
        fail(f"--weight-loss: got {text!r}; allowed: FROM:TO in kg/m2, e.g. '35:27'.")
    if not (15.0 <= b < a <= 70.0):
        fail(
            f"--weight-loss: got {text!r}; allowed: FROM:TO with 15 <= TO < FROM <= 70 kg/m2 "
            "(a lower BMI after weight loss)."
        )
    return a, b


def _shown(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}g}"
    return str(x)


def _console() -> Any:
    """A rich console; 160 columns when the output is not a terminal (pipes, files, CI), so
    wide tables do not wrap cell by cell."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=160)


def compare(
    items: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario files and/or library protocol names (hpgsim protocols list).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("compare"),
    library: Annotated[
        bool, typer.Option("--library", help="Add every protocol of the library.")
    ] = False,
    population: Annotated[
        str | None,
        typer.Option("--population", help="Also give each protocol to a virtual cohort."),
    ] = None,
    n: Annotated[
        int | None, typer.Option("--n", help="Men in the cohort (with --population).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Cohort seed: same seed, same men.")] = 0,
    weight_loss: Annotated[
        str | None,
        typer.Option(
            "--weight-loss",
            help="FROM:TO BMI: run every protocol for the man at both BMIs (e.g. 35:27).",
        ),
    ] = None,
    age: Age = 35.0,
    bmi: Bmi = 25.0,
    sperm: Sperm = 60.0,
    testis_volume: Volume = 20.0,
    insulin: Insulin = None,
    trt_drug: TrtDrug = "testosterone_cypionate",
    trt_dose: TrtDose = "200 mg",
    trt_every: TrtEvery = "7 d",
    trt_years: TrtYears = 2.0,
    trt_anastrozole: TrtAna = None,
    follow_up: FollowUp = "24 months",
    overwrite: Overwrite = False,
) -> None:
    """The same man (or cohort) under each protocol, side by side.

    Writes OUT/comparison.csv (one row per protocol: days from day 0 to testosterone >= 300
    ng/dL while the protocol is given and its nadir after it; days to sperm 5, 15, 16 and 20
    M/mL; estradiol peak, trough and days below the floor; with a population, the probability
    of 15 and 20 M/mL by 3, 6, 12 and 24 months with 95% intervals) and OUT/comparison.png
    (testosterone, estradiol and sperm overlaid). Day 0 is the first missed full-dose TRT
    injection: library protocols start there, after the TRT history given by the --trt-*
    options; a scenario file's day 0 is its first missed androgen dose. Follow-up always
    covers 24 months after the first missed androgen dose (a shorter scenario is extended, and
    says so). docs/clinical.md defines every column. OUT also gets manifest.json; a folder that
    is not empty is replaced only with --overwrite.
    """
    names = list(items or [])
    check_output_folder(out, overwrite)
    if n is not None and n < 1:
        fail(f"--n: got {n}; allowed: a whole number of men >= 1.")
    if (population is None) != (n is None):
        fail(
            f"--population {population!r} and --n {n!r}: give both for a cohort, or neither "
            "for one man."
        )
    if population is not None:
        from hpgsim.population.virtual_men import POPULATIONS

        if population not in POPULATIONS:
            fail(f"--population: got {population!r}; allowed: {', '.join(POPULATIONS)}.")
    from hpgsim.clinical.protocols import protocol_names, with_bmi

    if library:
        names += [p for p in protocol_names() if p not in names]
    if not names:
        fail("no protocols: give scenario files or library protocol names, or --library.")
    loss = _parse_weight_loss(weight_loss)
    from hpgsim.scenario import ScenarioError

    try:
        resolved = _resolve(
            names,
            patient=_man(age, bmi, sperm, testis_volume, insulin),
            history=_history(trt_drug, trt_dose, trt_every, trt_years, trt_anastrozole),
            follow_up_days=_follow_up_days(follow_up),
        )
        if loss is not None:
            resolved = [(with_bmi(s, b), d) for s, d in resolved for b in loss]
    except ScenarioError as exc:
        fail(str(exc))
    labels = [s.name for s, _ in resolved]
    if len(set(labels)) < len(labels):
        fail(f"scenario names must differ; got {labels}.")
    if any(s.patient.sex == "female" for s, _ in resolved):
        _compare_women([s for s, _ in resolved], out, overwrite, population, library, loss)
        return
    resolved = list(
        zip(with_follow_up([s for s, _ in resolved]), [d for _, d in resolved], strict=True)
    )

    from rich.progress import Progress

    from hpgsim.clinical.compare import compare as run_compare
    from hpgsim.output.comparison_plot import plot_comparison
    from hpgsim.output.files import output_folder

    scenarios = [s for s, _ in resolved]
    try:
        with Progress(transient=True) as bar:
            task = bar.add_task("simulating", total=None)
            table, tables = run_compare(
                scenarios,
                day0=[d for _, d in resolved],
                population=population,
                n=n,
                seed=seed,
                progress=lambda k: bar.advance(task, k),
            )
    except ValueError as exc:
        fail(str(exc))
    except (FloatingPointError, RuntimeError) as exc:
        fail_run(exc)
    meta = run_meta(protocols=labels, seed=seed if population is not None else None)
    try:
        with output_folder(out, overwrite=overwrite, meta=meta) as stage:
            plot_comparison(scenarios, tables, list(table["day0"]), stage / "comparison.png")
            table.to_csv(stage / "comparison.csv", index=False)
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    _print_glance(table)
    _print_comparison(table)
    _print_known_gaps(scenarios)
    typer.echo(f"hpgsim: wrote {out}/comparison.csv, comparison.png and manifest.json")
    typer.echo(DISCLAIMER)


def _compare_women(
    scenarios: list[Any],
    out: Path,
    overwrite: bool,
    population: str | None,
    library: bool,
    loss: Any,
) -> None:
    """``compare`` with women's scenario files (docs/women.md): her hormones at steady state
    under each, against the female ranges, and her flags."""
    men = [s.name for s in scenarios if s.patient.sex != "female"]
    if men:
        what = "is a man's scenario" if len(men) == 1 else "are men's scenarios"
        fail(
            f"compare: {', '.join(men)} {what} and the others women's; compare women's "
            "scenarios with each other (the men's columns are sperm recovery)."
        )
    for given, option in (
        (population, "--population"),
        (library, "--library"),
        (loss, "--weight-loss"),
    ):
        if given:
            fail(
                f"{option}: the scenarios are women's (patient.sex: female); {option} belongs "
                "to the man's comparison (his library protocols, cohort and weight)."
            )
    from hpgsim.clinical.women import compare_women
    from hpgsim.output.comparison_plot import plot_women_comparison
    from hpgsim.output.files import output_folder

    try:
        table, tables = compare_women(scenarios)
    except ValueError as exc:
        fail(str(exc))
    except (FloatingPointError, RuntimeError) as exc:
        fail_run(exc)
    meta = run_meta(protocols=[s.name for s in scenarios])
    try:
        with output_folder(out, overwrite=overwrite, meta=meta) as stage:
            plot_women_comparison(scenarios, tables, stage / "comparison.png")
            table.to_csv(stage / "comparison.csv", index=False)
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    _print_women_comparison(table)
    _print_known_gaps(scenarios)
    typer.echo(f"hpgsim: wrote {out}/comparison.csv, comparison.png and manifest.json")
    typer.echo(DISCLAIMER)


def _print_women_comparison(table: Any) -> None:
    from rich.table import Table

    from hpgsim.measure.reference_ranges import FEMALE_REFERENCE_RANGES

    rt = Table(
        title="The same post-menopausal woman under each scenario (last 28 days)",
        title_justify="left",
    )
    over = next(c for c in table.columns if c.startswith("testosterone_mean_over_"))
    short = {
        "protocol": "scenario",
        "testosterone_mean_ng_dl": "T mean",
        "testosterone_peak_ng_dl": "T peak",
        over: "x upper limit",
        "free_testosterone_mean_pg_ml": "free T",
        "estradiol_mean_pg_ml": "E2",
        "shbg_mean_nmol_l": "SHBG",
        "progesterone_peak_ng_ml": "P4 peak",
        "flags_fired": "flags",
    }
    cols = [c for c in short if c in table.columns]
    for c in cols:
        rt.add_column(short[c])
    for _, row in table.iterrows():
        rt.add_row(*(str(row[c]) for c in cols))
    _console().print(rt)
    ranges = "; ".join(
        f"{col}: {r.low:g}-{r.high:g} {r.unit} ({r.population})"
        for col, r in FEMALE_REFERENCE_RANGES.items()
    )
    typer.echo(f"Female reference ranges: {ranges}. Progesterone by LC-MS/MS.")


def _months(days: Any) -> str:
    """'day 123 (4.0 mo)', or 'not by the horizon' for a missing time."""
    from hpgsim.measure.events import DAYS_PER_MONTH

    if days is None or (isinstance(days, float) and math.isnan(days)):
        return "not by the horizon"
    return f"day {days:g} ({days / DAYS_PER_MONTH:.1f} mo)"


def _print_glance(table: Any) -> None:
    """The answer first: for each protocol, when the one simulated man is back to 15 and
    20 M/mL and, with a cohort, P(>= 15 and >= 20 M/mL by 3/6/12/24 months) with 95%
    intervals."""
    from rich.panel import Panel
    from rich.text import Text

    from hpgsim.clinical.compare import COHORT_MONTHS, COHORT_THRESHOLDS

    lines = []
    for _, row in table.iterrows():
        lines.append(
            f"{row['protocol']}: the simulated man reaches 15 M/mL at "
            f"{_months(row['days_to_sperm_15_m_per_ml'])}, 20 M/mL at "
            f"{_months(row['days_to_sperm_20_m_per_ml'])}"
        )
        for thr in COHORT_THRESHOLDS:
            if f"p_sperm_{thr}_by_6_months" not in table.columns:
                continue
            cells = ", ".join(
                f"{m} mo {_cell(row, f'p_sperm_{thr}_by_{m}_months')}" for m in COHORT_MONTHS
            )
            lines.append(f"  cohort P(>= {thr} M/mL) by {cells}")
    lines.append(
        "Days count from day 0, the first missed full-dose TRT injection. The man is one "
        "typical simulated man; the cohort varies between men, so its median can differ from "
        "him. '-' = beyond the follow-up."
    )
    _console().print(Panel(Text("\n".join(lines)), title="At a glance", title_align="left"))


def _print_comparison(table: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    short = {
        "protocol": "protocol",
        "days_to_testosterone_300_ng_dl": "d to T>=300 on protocol",
        "testosterone_nadir_ng_dl": "T nadir",
        "testosterone_nadir_after_protocol_ng_dl": "T nadir after",
        "days_to_sperm_5_m_per_ml": "d to 5",
        "days_to_sperm_15_m_per_ml": "d to 15",
        "days_to_sperm_16_m_per_ml": "d to 16",
        "days_to_sperm_20_m_per_ml": "d to 20",
        "estradiol_peak_pg_ml": "E2 peak",
        "estradiol_trough_pg_ml": "E2 trough",
        "days_estradiol_below_17.8_pg_ml": "d E2<17.8",
        "protocol_end_day": "protocol ends d",
        "p_sperm_20_by_6_months": "P(20) 6 mo (95% CI)",
        "p_sperm_20_by_12_months": "P(20) 12 mo (95% CI)",
        "p_sperm_20_by_6_months_minus_first": "6 mo vs first",
        "p_sperm_20_by_12_months_minus_first": "12 mo vs first",
    }
    rt = Table(
        title="Protocol comparison (days from day 0; '-' = not by the horizon)",
        title_justify="left",
    )
    cols = [c for c in short if c in table.columns]
    for c in cols:
        rt.add_column(short[c], justify="left" if c == "protocol" else "right", overflow="fold")
    for _, row in table.iterrows():
        rt.add_row(*(Text(_cell(row, c)) for c in cols))
    _console().print(rt)
    if "p_sperm_20_by_6_months_minus_first" in table.columns:
        typer.echo(
            "'vs first': the difference from the first protocol in percentage points, same "
            "men, with a paired-bootstrap 95% interval; an interval that spans 0 is noise."
        )


def _cell(row: Any, column: str) -> str:
    """A comparison cell; probabilities with their 95 % interval ('44% (37-51%)') and
    differences in percentage points ('+4 (-3 to +11) pts')."""
    low, high = row.get(f"{column}_ci95_low"), row.get(f"{column}_ci95_high")
    x = row[column]
    if not column.startswith("p_sperm_") or x is None or (isinstance(x, float) and math.isnan(x)):
        return _shown(x)
    has_band = low is not None and high is not None and not math.isnan(low)
    if column.endswith("_minus_first"):
        band = f" ({100 * low:+.0f} to {100 * high:+.0f})" if has_band else ""
        return f"{100 * x:+.0f}{band} pts"
    band = f" ({100 * low:.0f}-{100 * high:.0f}%)" if has_band else ""
    return f"{100 * x:.0f}%{band}"


def plan(
    scenario: Annotated[
        str, typer.Argument(help="Scenario file, or a library protocol name.", show_default=False)
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the plan and flags as .json.")
    ] = None,
    target: Annotated[
        float, typer.Option("--target", help="Sperm concentration target, M/mL.")
    ] = 20.0,
    age: Age = 35.0,
    bmi: Bmi = 25.0,
    sperm: Sperm = 60.0,
    testis_volume: Volume = 20.0,
    insulin: Insulin = None,
    trt_drug: TrtDrug = "testosterone_cypionate",
    trt_dose: TrtDose = "200 mg",
    trt_every: TrtEvery = "7 d",
    trt_years: TrtYears = 2.0,
    trt_anastrozole: TrtAna = None,
    follow_up: FollowUp = "24 months",
) -> None:
    """A monitoring plan for a scenario and the article's decision points as flags.

    Lists when labs and semen analyses would be informative (baseline, 6 weeks after each
    change, then one spermatogenic cycle apart until two results at or above the target), with
    the simulated values at each; then every flag with its trigger, the simulated values that
    fired it and the article sentence or publication it rests on.
    """
    if out is not None and out.suffix.lower() != ".json":
        fail(
            f"--out {str(out)!r}: unsupported file extension {out.suffix or '(none)'!r}; "
            "allowed: .json."
        )
    if not (math.isfinite(target) and 0.0 < target <= 500.0):
        fail(f"--target: got {target!r}; allowed: above 0 and at most 500 M/mL.")
    ((sc, day0),) = _resolve(
        [scenario],
        patient=_man(age, bmi, sperm, testis_volume, insulin),
        history=_history(trt_drug, trt_dose, trt_every, trt_years, trt_anastrozole),
        follow_up_days=_follow_up_days(follow_up),
    )
    require_man(sc, "plan")
    (sc,) = with_follow_up([sc])

    from hpgsim.clinical.plan import monitoring_plan
    from hpgsim.engine import simulation as api

    try:
        table = api.simulate(sc)
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        fail_run(exc)
    result = monitoring_plan(sc, table, target_m_per_ml=target, day0=day0)
    result["known_gaps"] = [dataclasses.asdict(g) for g in _known_gaps([sc])]
    if out is not None:
        write_text_file(out, json.dumps(result, indent=2, default=str) + "\n")
    _print_plan(result)
    _print_known_gaps([sc])
    if out is not None:
        typer.echo(f"hpgsim: wrote {out}")
    typer.echo(DISCLAIMER)


def _known_gaps(scenarios: Any) -> list[Any]:
    from hpgsim.evidence.registry import known_gaps_for

    drugs = {d for s in scenarios for d in s.drugs_present()}
    sex = "female" if any(s.patient.sex == "female" for s in scenarios) else "male"
    return known_gaps_for(drugs, sex)


def _print_known_gaps(scenarios: Any) -> None:
    """The validation suite's known gaps for the drugs these protocols give (issue #21)."""
    import textwrap

    notes = _known_gaps(scenarios)
    if not notes:
        return
    typer.echo(
        f"Known gaps for the drugs given here ({len(notes)}; published vs simulated in "
        "docs/validation.md): read the numbers above with these in mind."
    )
    for g in notes:
        text = f"- {g.study}, {g.measure} (published {g.published}): {g.reason}"
        typer.echo(textwrap.fill(text, width=100, subsequent_indent="  "))


def _print_plan(result: dict[str, Any]) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = _console()
    glance = result["at_a_glance"]
    met = result["target_met_day"]
    console.print(
        Panel(
            Text(
                f"{result['scenario']}: the simulated man reaches 15 M/mL at "
                f"{_months(glance['days_to_sperm_15_m_per_ml'])} and 20 M/mL at "
                f"{_months(glance['days_to_sperm_20_m_per_ml'])}, counted from day "
                f"{result['restoration_day0']:g} (the first missed full-dose TRT injection, or "
                "the first stimulant dose). The schedule below would see the target of "
                f"{result['target_m_per_ml']:g} M/mL "
                + (
                    f"confirmed on day {met:g}."
                    if met is not None
                    else "not confirmed by the horizon."
                )
                + " Flags are read on the protocol's own window, from that day on."
            ),
            title="At a glance",
            title_align="left",
        )
    )
    rt = Table(
        title=f"{result['scenario']}: when labs and semen analyses would be informative "
        "(simulated values)",
        title_justify="left",
    )
    for col in ("day", "month", "what", "T ng/dL", "E2 pg/mL", "LH", "FSH", "sperm M/mL", "why"):
        rt.add_column(
            col, overflow="fold", justify="right" if col not in ("what", "why") else "left"
        )
    for v in result["visits"]:
        s = v["simulated"]
        rt.add_row(
            *(
                Text(x)
                for x in (
                    f"{v['day']:g}",
                    f"{v['month']:.1f}",
                    v["what"],
                    _shown(s.get("total_testosterone_ng_dl")),
                    _shown(s.get("estradiol_pg_ml"), 3),
                    _shown(s.get("lh_iu_l"), 3),
                    _shown(s.get("fsh_iu_l"), 3),
                    _shown(s.get("sperm_concentration_m_per_ml"), 3),
                    v["why"],
                )
            )
        )
    console.print(rt)
    fired = [f for f in result["flags"] if f["fired"]]
    console.print(f"Flags: {len(fired)} of {len(result['flags'])} decision points fired.")
    for f in result["flags"]:
        state = "FIRED" if f["fired"] else ("not fired" if f["evaluable"] else "not applicable")
        console.print(
            Text(f"[{state}] {f['title']} ({f['id']})", style="bold" if f["fired"] else "")
        )
        if f["fired"]:
            console.print(Text(f"  {f['wording']}"))
            console.print(Text(f"  trigger: {f['trigger']}"))
            console.print(Text(f"  values: {json.dumps(f['values'])}"))
            for q in f["article"]:
                console.print(Text(f'  article: "{q}"'))
            for p in f["publication"]:
                console.print(Text(f"  source: {p}"))
    console.print(Text(result["note"]))
