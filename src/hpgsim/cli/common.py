"""What every command shares: the not-a-device statement, the error exits (status 2 for bad
input or a missing optional extra, 1 for a failed solve, one paragraph on stderr starting
``hpgsim: error:``), atomic table writing and the printing of result rows.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import click
import typer
from typer.core import TyperGroup

from hpgsim.optional import MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

    from hpgsim.scenario import Scenario


__all__ = [
    "CRASH_LOG_ENV",
    "DISCLAIMER",
    "NOT_A_DEVICE",
    "TABLE_SUFFIXES",
    "Engine",
    "HpgsimGroup",
    "Overwrite",
    "TimeUnit",
    "check_output_folder",
    "check_output_path",
    "days_option",
    "fail",
    "fail_run",
    "hpgsim_version",
    "print_rows",
    "run_meta",
    "version_callback",
    "write_crash_log",
    "write_frame",
    "write_text_file",
]

DISCLAIMER = "This is a research/education simulation, not medical advice."

NOT_A_DEVICE = (
    "hpgsim is research and education software, not a medical device, and its output is not "
    "medical advice."
)

TABLE_SUFFIXES = (".csv", ".parquet")


class Engine(enum.StrEnum):
    """Which solver runs the scenario."""

    jax = "jax"
    reference = "reference"


class TimeUnit(enum.StrEnum):
    """Unit of a dataset's TIME and II."""

    hours = "h"
    days = "d"


def days_option(text: str | None, option: str) -> float | None:
    """A time option (``'90 d'``, ``'12 weeks'``) in days, > 0; a bad one exits 2."""
    if text is None:
        return None
    import pint

    from hpgsim.units import QuantityParseError, parse_quantity

    try:
        days = float(parse_quantity(text).to("day").magnitude)
    except QuantityParseError as exc:
        fail(f"{option}: got {text!r}; {exc.reason}; expected a time such as '90 d'.")
    except pint.DimensionalityError:
        fail(f"{option}: got {text!r}; expected a time such as '90 d' or '12 weeks'.")
    if not days > 0:
        fail(f"{option}: got {text!r}; expected a time > 0.")
    return days


def fail_run(exc: Exception) -> NoReturn:
    """A solve that failed on valid input: one paragraph on stderr, exit status 1."""
    typer.echo(f"hpgsim: error: the simulation failed: {exc}", err=True)
    raise typer.Exit(code=1)


def fail(message: str) -> NoReturn:
    """Print a one-paragraph error to stderr and exit with status 2 (bad input).

    Line breaks inside the message (one line per problem in a scenario error) are kept; blank
    lines are dropped, so the message stays one paragraph.
    """
    paragraph = "\n".join(line.rstrip() for line in message.splitlines() if line.strip())
    typer.echo(f"hpgsim: error: {paragraph}", err=True)
    raise typer.Exit(code=2)


class HpgsimGroup(TyperGroup):
    """The command group of every ``hpgsim`` app: a missing optional extra
    (:class:`~hpgsim.optional.MissingExtraError`, from any command or subcommand) exits like bad
    input, with one ``hpgsim: error:`` paragraph naming the extra to install, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MissingExtraError as exc:
            fail(str(exc).removeprefix("hpgsim: "))
        except BrokenPipeError:
            # the reader went away (``hpgsim model show | head``): stop quietly, as cat does
            # no flush of what is left at exit (it would raise again); a stream without a
            # file descriptor (tests) has nothing to redirect
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(code=141) from None
        except (
            click.exceptions.ClickException,
            click.exceptions.Exit,
            click.exceptions.Abort,
            typer.Exit,
            typer.Abort,
        ):
            raise  # usage errors, exits and Ctrl-C: click and typer report them
        except Exception as exc:  # an internal error: one line, the traceback in a log file
            log = write_crash_log(exc)
            typer.echo(
                f"hpgsim: internal error: {type(exc).__name__}: {exc} (a bug in hpgsim, not "
                f"in your input; the traceback, command and scenario are in {log})",
                err=True,
            )
            raise typer.Exit(code=1) from None


CRASH_LOG_ENV = "HPGSIM_CRASH_DIR"
"""Environment variable naming the folder for internal-error logs (default: the system's
temporary folder)."""


def write_crash_log(exc: BaseException) -> Path:
    """Write the traceback of ``exc``, the command line and any scenario file it names to a new
    log file, and return its path."""
    import datetime
    import os
    import sys
    import tempfile
    import traceback

    folder = Path(os.environ.get(CRASH_LOG_ENV) or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    fd, name = tempfile.mkstemp(prefix=f"hpgsim-crash-{stamp}-", suffix=".log", dir=folder)
    parts = [
        f"hpgsim {hpgsim_version()} internal error, {stamp}",
        "command: " + " ".join(sys.argv),
        "",
        "".join(traceback.format_exception(exc)),
    ]
    for arg in sys.argv[1:]:
        path = Path(arg)
        if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")[:1_000_000]
            parts += [f"--- {path} ---", text]
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(parts))
    return Path(name)


def version_callback(value: bool) -> None:
    """Print the installed version and exit (the ``--version`` option)."""
    if value:
        typer.echo(f"hpgsim {hpgsim_version()}")
        raise typer.Exit()


Overwrite = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Replace the output folder if it is not empty (the whole folder is replaced).",
    ),
]
"""The ``--overwrite`` option of the commands that write a folder."""


def check_output_folder(out: Path, overwrite: bool, option: str = "--out") -> None:
    """Refuse (exit 2), before any work, an output folder that is a file, or that is not
    empty without ``--overwrite``."""
    if out.exists() and not out.is_dir():
        fail(f"{option} {str(out)!r} exists and is not a directory.")
    if out.is_dir() and not overwrite and any(out.iterdir()):
        fail(
            f"{option} {str(out)!r} is not empty; give --overwrite to replace it (the whole "
            "folder is replaced), or choose another folder."
        )


def run_meta(**extra: Any) -> dict[str, Any]:
    """What a command folder's manifest records about the run: the hpgsim version, the
    command line and ``extra`` (the seed, ...)."""
    import sys

    return {"hpgsim_version": hpgsim_version(), "command": " ".join(sys.argv), **extra}


def write_frame(df: pd.DataFrame, path: Path, suffix: str) -> None:
    """Write `df` to `path` as Parquet when `suffix` is .parquet, else as CSV."""
    if suffix.lower() == ".parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)


def write_text_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (its folder made where missing); a write that
    fails exits 2 naming the error, and leaves no partial file."""
    from hpgsim.output.files import atomic_output

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as tmp:
            tmp.write_text(text)
    except OSError as exc:
        fail(f"cannot write output: {exc}")


def check_output_path(path: Path, suffixes: Sequence[str], option: str) -> None:
    """Refuse (exit 2) an output path whose suffix is not in ``suffixes`` or that is a directory."""
    if path.suffix.lower() not in suffixes:
        allowed = " or ".join(suffixes)
        fail(
            f"{option} {str(path)!r}: unsupported file extension {path.suffix or '(none)'!r}; "
            f"allowed: {allowed}."
        )
    if path.exists() and path.is_dir():
        fail(f"{option} {str(path)!r} is a directory; give a file name.")


def print_rows(title: str, rows: Sequence[tuple[str, Any, str]]) -> None:
    """Print `(label, value, unit)` rows as a rich table."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    for label, value, unit in rows:
        if value is None:
            shown = "not reached"
        elif isinstance(value, float):
            shown = f"{value:.4g}"
        else:
            shown = str(value)
        table.add_row(Text(str(label)), Text(shown), Text(str(unit)))
    Console().print(table)


def hpgsim_version() -> str:
    """The installed hpgsim version, for the headers of written reports."""
    from hpgsim import __version__

    return __version__


def echo_read_as(sc: Scenario) -> None:
    """Say how each regimen line written in a clinician's words was read (a brand name, a route
    abbreviation, a volume at a concentration), with the canonical drug, route and dose, and
    which model parameters the run replaces."""
    for i, line in enumerate(sc.regimen):
        note = line.read_as()
        if note is not None:
            typer.echo(f"hpgsim: {sc.name}: regimen[{i}]: read {note}", err=True)
    if sc.parameters:
        shown = ", ".join(f"{k} = {v:.4g}" for k, v in sc.parameters)
        typer.echo(f"hpgsim: {sc.name}: parameters set for this run: {shown}", err=True)


SET_HELP = (
    "Replace a model parameter for this run, NAME=VALUE in the table's unit (hpgsim model "
    "show); repeatable. Recorded in the outputs."
)


def with_parameter_sets(sc: Scenario, sets: Sequence[str] | None) -> Scenario:
    """``sc`` with ``--set NAME=VALUE`` overrides on top of its own ``parameters`` (validated
    as the scenario file's are); a bad one exits 2 naming it."""
    if not sets:
        return sc
    from hpgsim.scenario import ScenarioError, scenario_from_dict

    given: dict[str, str] = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            fail(f"--set: got {item!r}; expected NAME=VALUE, e.g. --set k_ssc_renew=0.02.")
        given[name.strip()] = value.strip()
    data = sc.to_input_dict()
    numbers = {k: _number_or_text(v) for k, v in given.items()}
    data["parameters"] = {**sc.parameter_overrides, **numbers}
    try:
        return scenario_from_dict(data, source=f"{sc.name} with --set")
    except ScenarioError as exc:
        fail(str(exc))


def _number_or_text(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def with_follow_up(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """``scenarios`` followed at least 24 months after their first missed androgen dose, all
    to one horizon (a trial's arms share it) when any had to be extended; says so on stderr
    for each scenario whose horizon changed."""
    from hpgsim.clinical.course import RECOVERY_FOLLOW_UP_MONTHS, with_recovery_follow_up
    from hpgsim.scenario import scenario_from_dict

    longer = [with_recovery_follow_up(sc)[0] for sc in scenarios]
    extended = any(a is not b for a, b in zip(longer, scenarios, strict=True))
    horizon = max(sc.horizon_days for sc in longer)
    out = []
    for before, after in zip(scenarios, longer, strict=True):
        if extended and after.horizon_days != horizon:
            data = after.to_input_dict()
            data["horizon"] = f"{horizon!r} d"
            after = scenario_from_dict(data, source=before.name)
        if after.horizon_days != before.horizon_days:
            typer.echo(
                f"hpgsim: {before.name}: horizon extended from {before.horizon_days:g} to "
                f"{after.horizon_days:g} d, to cover {RECOVERY_FOLLOW_UP_MONTHS} months after "
                "the first missed androgen dose",
                err=True,
            )
        out.append(after)
    return out


BAND_HELP = (
    "Shade the population band in the plots: N virtual men with this patient's covariates "
    "and the population's between-man variability (5-95%)."
)
BAND_POPULATION_HELP = "Population whose between-man variability the band draws."


def check_band(n: int | None, population: str) -> None:
    """Validate ``--band N`` and ``--band-population`` before anything is simulated."""
    if n is None:
        return
    from hpgsim.population.band import MAX_BAND_MEN
    from hpgsim.population.virtual_men import POPULATIONS

    if not 2 <= n <= MAX_BAND_MEN:
        fail(f"--band: got {n}; allowed: a whole number of men from 2 to {MAX_BAND_MEN}.")
    if population not in POPULATIONS:
        fail(f"--band-population: got {population!r}; allowed: {', '.join(POPULATIONS)}.")


def band_for(sc: Scenario, n: int | None, population: str) -> Any:
    """The population band of ``sc`` (:func:`hpgsim.population.band.population_band`) with a
    progress note, or None without ``--band``."""
    if n is None:
        return None
    from rich.progress import Progress

    from hpgsim.population.band import population_band

    try:
        with Progress(transient=True) as bar:
            bar.add_task(f"population band: {n} men of {population}", total=None)
            return population_band(sc, population, n)
    except (FloatingPointError, RuntimeError, ValueError) as exc:
        fail_run(exc)


PROTOCOL_HELP = (
    "A library protocol (hpgsim protocols list) to run after the TRT history: from the "
    "scenario file's first missed androgen dose, or after --history."
)
HISTORY_HELP = (
    "The TRT history before --protocol: text such as 'testosterone_cypionate 200 mg weekly "
    "for 3 years [with anastrozole 0.5 mg twice weekly]', or a YAML file of its fields."
)


def read_history(text: str) -> Any:
    """``--history``: a YAML file of :class:`~hpgsim.clinical.protocols.TrtHistory`'s fields,
    or the history written as text."""
    import yaml

    from hpgsim.clinical.protocols import history_from_mapping, parse_history

    path = Path(text)
    try:
        if path.suffix.lower() in (".yaml", ".yml", ".json") or path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                fail(f"--history {text!r}: cannot read the file: {exc}")
            if not isinstance(data, dict):
                fail(f"--history {text!r}: the file must hold a mapping of the history's fields.")
            return history_from_mapping(data, source=f"--history {text}")
        return parse_history(text)
    except ValueError as exc:
        fail(f"--{exc}." if str(exc).startswith("history") else f"{exc}.")


def require_man(sc: Scenario, command: str) -> None:
    """Refuse a woman's scenario (``patient.sex: female``) in a command that only the man's
    model answers (sperm recovery, trials, protocols, sensitivities, SBML)."""
    if sc.patient.sex == "female":
        fail(
            f"{command}: scenario {sc.name!r} is a woman's (patient.sex: female); this command "
            "answers for the man's model (sperm, LH, FSH, the restoration protocols) only. "
            "For a woman: hpgsim simulate, report or compare (docs/women.md)."
        )


def scenario_with_protocol(
    path: Path | None, protocol: str | None, history: str | None
) -> Scenario:
    """The scenario a command runs: the file at ``path``; or, with ``protocol``, the library
    protocol after a TRT history (``history``, else the file's own regimen, else the default
    history), for the file's man (else the default man), followed 24 months from day 0."""
    from hpgsim.clinical.protocols import (
        TrtHistory,
        load_protocol,
        protocol_after_scenario,
        protocol_scenario,
    )
    from hpgsim.scenario import ScenarioError, load_scenario

    if history is not None and protocol is None:
        fail(f"--history {history!r}: a history comes before a protocol; give --protocol too.")
    if path is None and protocol is None:
        fail("no scenario: give a scenario file, or --protocol NAME (hpgsim protocols list).")
    try:
        base = load_scenario(path) if path is not None else None
        if protocol is None:
            assert base is not None
            return base
        if base is not None:
            require_man(base, f"--protocol {protocol}")
        try:
            proto = load_protocol(protocol)
        except ValueError as exc:
            fail(f"--{exc}.")
        if base is not None and base.regimen and history is None:
            return protocol_after_scenario(proto, base)[0]
        if base is not None and base.regimen:
            fail(
                f"--history with {str(path)!r}: the scenario's regimen is already a history; "
                "drop --history, or give a scenario with a patient and no regimen."
            )
        hist = read_history(history) if history is not None else TrtHistory()
        if history is not None:
            ai = f", with anastrozole {hist.anastrozole_dose} every {hist.anastrozole_every}"
            typer.echo(
                f"read history {history!r} as {hist.drug} {hist.dose} {hist.route} every "
                f"{hist.every} for {hist.years:.3g} years" + (ai if hist.anastrozole_dose else ""),
                err=True,
            )
        patient = base.to_input_dict()["patient"] if base is not None else None
        every = f"{base.output_every_days!r} d" if base is not None else "1 d"
        return protocol_scenario(
            proto, patient=patient, history=hist, follow_up_days=730.5, output_every=every
        )[0]
    except ScenarioError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"{exc}.")


# Options several commands share, declared once.
SetValues = Annotated[list[str] | None, typer.Option("--set", help=SET_HELP, show_default=False)]
Band = Annotated[int | None, typer.Option("--band", help=BAND_HELP, show_default=False)]
BandPopulation = Annotated[str, typer.Option("--band-population", help=BAND_POPULATION_HELP)]
ProtocolName = Annotated[
    str | None, typer.Option("--protocol", help=PROTOCOL_HELP, show_default=False)
]
History = Annotated[str | None, typer.Option("--history", help=HISTORY_HELP, show_default=False)]
