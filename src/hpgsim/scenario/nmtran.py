"""NONMEM / mrgsolve event data (NM-TRAN datasets): read one into scenarios, write simulated men
as one.

A dataset is a CSV table, one record per row, with the columns of NM-TRAN's ``$INPUT``:

- ``ID`` (required): the man; one scenario per ID, in order of first appearance.
- ``TIME`` (required): the record's time from the start of the simulation, >= 0, non-decreasing
  within an ID, in hours (``time_unit="h"``, the usual unit of PK datasets) or days
  (``time_unit="d"``); converted to days.
- ``EVID``: 0 observation, 1 dose, 2 other event (ignored, noted); 3 (reset) and 4 (reset and
  dose) are refused. Without ``EVID``, a record with ``AMT`` > 0 is a dose, any other an
  observation.
- ``AMT``: the amount of a dose, > 0, in the drug's dose unit (mg; ug for gonadorelin; IU for
  hCG and FSH; :data:`hpgsim.model.drugs.CATALOG`) unless ``amt_unit`` names another of the
  same dimension (``ug`` for a drug dosed in mg).
- ``CMT``: the compartment; on a dose record it names the drug and route through
  ``drug_by_cmt`` (``{1: ("testosterone_cypionate", "intramuscular")}``), unless the record
  has a ``DRUG`` column (a drug name or alias, ``resolve_drug``) and ``ROUTE`` (a route or its
  abbreviation, ``resolve_route``; a drug with one route needs none).
- ``II`` and ``ADDL``: ``ADDL`` more doses every ``II`` (time unit of the dataset) after the
  record's; one regimen line ``every: II``, ``stop`` just after the last.
- ``RATE``: 0 a bolus; > 0 a zero-order infusion of ``AMT`` at ``RATE`` (amount per time
  unit), for drugs that can be infused (gonadorelin); -1 and -2 (modelled rate or duration)
  are refused. ``SS`` (steady state) must be 0 or absent.
- ``DV`` (``.`` or empty: missing), ``MDV`` and ``DVID``: the observed value, kept with its
  time; its kind is ``DVID`` where the dataset has that column, else ``CMT``, mapped to an
  hpgsim output column by ``output_by_dvid`` where given.
- Covariates, one value per ID (a known one that varies within an ID is an error):
  :data:`COVARIATES` (``AGE`` years, ``BMI`` kg/m^2, or ``WT`` kg with ``HT`` cm, ``BLTT``
  baseline total T ng/dL, ``BLSC`` baseline sperm concentration M/mL, ``TESV`` testis volume
  mL, ``COND`` condition code or label, ``FINS`` fasting insulin uU/mL; the patient field names
  themselves are accepted too); ``BSV_<parameter>``: a man's between-subject multiplier of a
  model parameter (as a trial draws it; kept in :attr:`NMTranSubject.multipliers`, as a
  scenario file cannot carry it). Any other column is kept as a covariate when constant within
  the ID and noted; ignored, and noted, when it varies.

Every problem is reported at once in an :class:`NMTranError`, one line each:
``line N (ID x), FIELD: got VALUE; what is allowed``.

:func:`nmtran_table` writes the other way: simulated men (:class:`SimulatedMan`) as dose
records (compacted to ``ADDL``/``II`` where a regimen repeats), observation records (``DV`` the
simulated value, ``DVID`` the output) and covariate columns, with a sidecar mapping
(:func:`nmtran_meta`) that names the ``CMT`` and ``DVID`` codes and their units.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hpgsim.model.axis import OUTPUT_COLUMNS
from hpgsim.model.conditions import Condition
from hpgsim.model.drugs import CATALOG, resolve_drug, resolve_route
from hpgsim.model.parameters import PARAMETERS
from hpgsim.scenario.spec import (
    MAX_ADMINISTRATIONS,
    TIME_RESOLUTION_DAYS,
    Problem,
    Scenario,
    ScenarioError,
    scenario_from_dict,
)

__all__ = [
    "COVARIATES",
    "DAYS_PER_TIME_UNIT",
    "NMTRAN_COLUMNS",
    "NMTranData",
    "NMTranError",
    "NMTranSubject",
    "SimulatedMan",
    "mappings_from_meta",
    "nmtran_meta",
    "nmtran_table",
    "output_unit",
    "read_nmtran",
]

DAYS_PER_TIME_UNIT: dict[str, float] = {"h": 1.0 / 24.0, "d": 1.0}
"""Days per unit of a dataset's ``TIME`` and ``II`` (``h``: hours, ``d``: days)."""

NMTRAN_COLUMNS: tuple[str, ...] = (
    "ID",
    "TIME",
    "AMT",
    "CMT",
    "EVID",
    "MDV",
    "II",
    "ADDL",
    "RATE",
    "SS",
    "DV",
    "DVID",
    "DRUG",
    "ROUTE",
)
"""The record columns the reader knows (every other column is a covariate)."""

COVARIATES: dict[str, str] = {
    "AGE": "age_years",
    "BMI": "bmi_kg_m2",
    "BLTT": "baseline_total_testosterone_ng_dl",
    "BLSC": "baseline_sperm_concentration_m_per_ml",
    "TESV": "testicular_volume_ml",
    "COND": "condition",
    "FINS": "fasting_insulin_uU_ml",
}
"""Covariate columns and the patient field each sets: age (years), BMI (kg/m^2), baseline
total testosterone (ng/dL), baseline sperm concentration (million/mL), untreated testis volume
(mL), condition (:class:`~hpgsim.model.conditions.Condition` code 0-3 or its label) and fasting
insulin (uU/mL). ``WT`` (kg) with ``HT`` (cm) give the BMI where ``BMI`` is absent."""

_FIELD_OF: dict[str, str] = {
    **COVARIATES,
    **{f.upper(): f for f in COVARIATES.values()},
}
_BSV_PREFIX = "BSV_"
_PARAMETER_NAMES = {p.name.upper(): p.name for p in PARAMETERS}
_MISSING = ("", ".")
_MAX_PROBLEMS = 50

_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_ng_dl", "ng/dL"),
    ("_pg_ml", "pg/mL"),
    ("_ng_ml", "ng/mL"),
    ("_iu_l", "IU/L"),
    ("_nmol_l", "nmol/L"),
    ("_m_per_ml", "million/mL"),
    ("_ml", "mL"),
    ("_fraction", "1 (fraction of the untreated value)"),
)


def output_unit(column: str) -> str:
    """The unit of hpgsim output ``column``, read from its name (``lh_iu_l`` -> ``IU/L``)."""
    for suffix, unit in _UNIT_SUFFIXES:
        if column.endswith(suffix):
            return unit
    return "1"


class NMTranError(ValueError):
    """A dataset could not be read; ``str()`` lists every problem, one per line."""

    def __init__(self, problems: Sequence[Problem], source: str) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        count = len(self.problems)
        header = f"Invalid NM-TRAN dataset {source}: {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class NMTranSubject:
    """One ID of a dataset.

    Attributes:
        id: the ID as written (``"1"``).
        scenario: his scenario (patient from the covariates, regimen from the dose records,
            horizon and output grid from the records' times, days).
        observations: his observation records: ``ID``, ``line`` (of the file), ``time_days``,
            ``DV`` (NaN where missing), ``MDV``, ``kind`` (his ``DVID``, else ``CMT``) and
            ``output`` (the hpgsim column it maps to, "" where not mapped).
        covariates: every covariate column constant within the ID but ``BSV_`` ones, by
            column name as written (known ones included; values numbers, or text).
        multipliers: ``BSV_<parameter>`` columns: parameter name -> multiplier.
    """

    id: str
    scenario: Scenario
    observations: pd.DataFrame
    covariates: dict[str, float | str]
    multipliers: dict[str, float]


@dataclass(frozen=True)
class NMTranData:
    """A dataset read: one :class:`NMTranSubject` per ID, and what the reader noted (ignored
    records and columns, defaults taken)."""

    subjects: tuple[NMTranSubject, ...]
    notes: tuple[str, ...] = ()

    @property
    def scenarios(self) -> list[Scenario]:
        """One scenario per ID, in order of first appearance."""
        return [s.scenario for s in self.subjects]

    @property
    def observations(self) -> pd.DataFrame:
        """Every ID's observation records in one table (columns as
        :attr:`NMTranSubject.observations`)."""
        return pd.concat([s.observations for s in self.subjects], ignore_index=True)


@dataclass
class _Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, where: str, value: Any, allowed: str) -> None:
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(Problem(where, _shown(value), allowed))

    def keep(self, problem: Problem) -> None:
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(problem)


class _Said(str):
    """A description shown as is in a problem line (``nothing``), not as a quoted value."""


def _shown(value: Any) -> str:
    if isinstance(value, _Said):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _days(x: float) -> float:
    """``x`` days rounded to 12 significant digits (hours / 24 without the noise)."""
    return float(f"{x:.12g}")


def _id_text(raw: str) -> str:
    """An ID as text: ``1.0`` and ``1`` are the same man."""
    try:
        number = float(raw)
    except ValueError:
        return raw.strip()
    return str(int(number)) if number.is_integer() else raw.strip()


def _number(raw: str) -> float | None:
    """The number in a cell, None where missing (``.`` or empty); ValueError if not a number."""
    text = raw.strip()
    if text in _MISSING:
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


@dataclass
class _Record:
    line: int
    id: str
    cells: dict[str, str]
    numbers: dict[str, float | None]


def read_nmtran(
    path: str | os.PathLike[str],
    *,
    time_unit: str = "h",
    amt_unit: str | None = None,
    drug_by_cmt: Mapping[int, tuple[str, str | None]] | None = None,
    output_by_dvid: Mapping[int, str] | None = None,
    horizon_days: float | None = None,
    allow_supratherapeutic: bool = False,
) -> NMTranData:
    """Read an NM-TRAN / mrgsolve event dataset (CSV; columns and conventions in the module's
    docstring) into one scenario per ID.

    Args:
        path: the CSV file.
        time_unit: unit of ``TIME`` and ``II``: ``"h"`` (hours, default) or ``"d"`` (days).
        amt_unit: unit of ``AMT`` (``"mg"``, ``"ug"`` or ``"IU"``); None: each drug's own dose
            unit. ``RATE`` is in this unit per ``time_unit``.
        drug_by_cmt: dose compartment -> (drug name or alias, route or None: the drug's only
            route), for dose records without a ``DRUG`` value.
        output_by_dvid: observation kind (``DVID``, else ``CMT``) -> hpgsim output column.
        horizon_days: every scenario's horizon, days; None: each ID's last observation time,
            or one day after his last dose (or infusion end) where that is later. The output
            grid is daily, or finer where observations fall between days (through every
            observation time, on the 2.5-min resolution).
        allow_supratherapeutic: as the scenario file's flag (doses above the clinical bounds).

    Raises:
        NMTranError: naming the line, the field, the value and what is allowed, for every
            problem found (a missing column, an unmapped CMT, EVID 3 or 4, a covariate that
            varies within an ID, a dose a scenario refuses, ...).
    """
    source = str(path)
    problems = _Problems()
    if time_unit not in DAYS_PER_TIME_UNIT:
        problems.add("time_unit", time_unit, "allowed: 'h' (hours) or 'd' (days)")
        raise NMTranError(problems.items, source)
    try:
        table = pd.read_csv(
            path, dtype=str, keep_default_na=False, skip_blank_lines=False, skipinitialspace=True
        )
    except FileNotFoundError:
        raise NMTranError(
            [Problem(source, "no such file", "expected a CSV file")], source
        ) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise NMTranError(
            [Problem(source, "an unreadable file", f"expected a CSV table ({exc})")], source
        ) from None
    except pd.errors.EmptyDataError:
        raise NMTranError(
            [Problem(source, "an empty file", "expected a header row and records")], source
        ) from None
    written = [str(c).strip().lstrip("#").strip() for c in table.columns]
    table.columns = [c.upper() for c in written]
    written_as = dict(zip(table.columns, written, strict=True))
    duplicated = sorted({c for c in table.columns if list(table.columns).count(c) > 1})
    for name in duplicated:
        problems.add(f"header, {name}", name, "each column once (names compared in upper case)")
    for name in ("ID", "TIME"):
        if name not in table.columns:
            problems.add(
                f"header, {name}",
                _Said("no such column"),
                f"this column is required; the header has: {', '.join(table.columns)}",
            )
    if problems.items:
        raise NMTranError(problems.items, source)

    numeric = [c for c in NMTRAN_COLUMNS if c in table.columns and c not in ("DRUG", "ROUTE")]
    records: list[_Record] = []
    for i, row in enumerate(table.itertuples(index=False, name=None)):
        cells = {c: str(v) for c, v in zip(table.columns, row, strict=True)}
        if all(v.strip() == "" for v in cells.values()):
            continue  # a blank line
        line = i + 2  # the header is line 1
        numbers: dict[str, float | None] = {}
        for name in numeric:
            if name == "ID":
                continue
            try:
                numbers[name] = _number(cells[name])
            except ValueError:
                problems.add(f"line {line}, {name}", cells[name], "expected a number or '.'")
                numbers[name] = None
        if cells["ID"].strip() in _MISSING:
            problems.add(f"line {line}, ID", cells["ID"], "every record needs an ID")
            continue
        records.append(_Record(line, _id_text(cells["ID"]), cells, numbers))
    if not records and not problems.items:
        problems.add(source, _Said("no records"), "expected at least one record after the header")
    if problems.items:
        raise NMTranError(problems.items, source)

    by_id: dict[str, list[_Record]] = {}
    for rec in records:
        by_id.setdefault(rec.id, []).append(rec)
    notes: list[str] = []
    covariate_columns = [c for c in table.columns if c not in NMTRAN_COLUMNS]
    reader = _Reader(
        source,
        problems,
        notes,
        DAYS_PER_TIME_UNIT[time_unit],
        time_unit,
        amt_unit,
        {int(k): v for k, v in (drug_by_cmt or {}).items()},
        {int(k): v for k, v in (output_by_dvid or {}).items()},
        "DVID" in table.columns,
        written_as,
    )
    for code, output in reader.output_by_dvid.items():
        if output not in OUTPUT_COLUMNS:
            problems.add(
                f"output_by_dvid[{code}]",
                output,
                f"an hpgsim output column: {', '.join(OUTPUT_COLUMNS)}",
            )
    subjects = []
    stem = Path(source).stem
    for sid, recs in by_id.items():
        subject = reader.subject(
            sid, recs, covariate_columns, stem, horizon_days, allow_supratherapeutic
        )
        if subject is not None:
            subjects.append(subject)
    if problems.items:
        raise NMTranError(problems.items, source)
    return NMTranData(tuple(subjects), tuple(dict.fromkeys(notes)))


@dataclass
class _Reader:
    source: str
    problems: _Problems
    notes: list[str]
    days_per_unit: float
    time_unit: str
    amt_unit: str | None
    drug_by_cmt: dict[int, tuple[str, str | None]]
    output_by_dvid: dict[int, str]
    has_dvid: bool
    written_as: dict[str, str]

    def subject(
        self,
        sid: str,
        recs: list[_Record],
        covariate_columns: list[str],
        stem: str,
        horizon_days: float | None,
        allow_supratherapeutic: bool,
    ) -> NMTranSubject | None:
        before = len(self.problems.items)
        patient, covariates, multipliers, column_of = self._covariates(sid, recs, covariate_columns)
        lines: list[dict[str, Any]] = []
        origin: list[int] = []  # the file line of each regimen line
        observations: list[dict[str, Any]] = []
        last_time = -math.inf
        ends: list[float] = []
        for rec in recs:
            where = f"line {rec.line} (ID {sid})"
            n = rec.numbers
            time = n.get("TIME")
            if time is None or time < 0:
                self.problems.add(f"{where}, TIME", rec.cells["TIME"], "a time >= 0")
                continue
            if time < last_time:
                self.problems.add(
                    f"{where}, TIME",
                    time,
                    f"times non-decreasing within an ID (the record before is at {last_time:g})",
                )
            last_time = max(last_time, time)
            t_days = _days(time * self.days_per_unit)
            evid = n.get("EVID")
            if evid is None:
                evid = 1.0 if (n.get("AMT") or 0.0) > 0 else 0.0
            if evid == 0:
                observations.append(self._observation(sid, rec, t_days))
            elif evid == 1:
                for line, end in self._doses(where, rec, t_days):
                    lines.append(line)
                    origin.append(rec.line)
                    ends.append(end)
            elif evid == 2:
                self.notes.append(f"EVID 2 (other event) records ignored (first: {where})")
            elif evid in (3, 4):
                what = "reset" if evid == 3 else "reset and dose"
                self.problems.add(
                    f"{where}, EVID",
                    evid,
                    f"EVID {int(evid)} ({what}) is not supported; allowed: 0 (observation), "
                    "1 (dose), 2 (other event, ignored)",
                )
            else:
                self.problems.add(
                    f"{where}, EVID", evid, "allowed: 0 (observation), 1 (dose), 2 (other event)"
                )
        if len(self.problems.items) > before:
            return None
        obs_times = [o["time_days"] for o in observations]
        horizon = horizon_days if horizon_days is not None else _horizon(obs_times, ends)
        cut = any(
            end > horizon or (end == horizon and "rate" not in line)  # a dose at the horizon
            for line, end in zip(lines, ends, strict=True)
        )
        if cut or any(t > horizon for t in obs_times):
            self.notes.append(
                f"ID {sid}: records at or after the horizon ({horizon:g} d) are not simulated"
            )
        every = _output_every(obs_times, horizon)
        data: dict[str, Any] = {
            "name": f"{stem}_ID{sid}",
            "horizon": f"{horizon!r} d",
            "output_every": f"{every!r} d",
            "allow_supratherapeutic": allow_supratherapeutic,
            "patient": patient,
            "regimen": lines,
        }
        try:
            scenario = scenario_from_dict(data, source=f"{self.source} ID {sid}")
        except ScenarioError as exc:
            for p in exc.problems:
                self.problems.keep(Problem(*_located(p, origin, sid, column_of)))
            return None
        table = pd.DataFrame(
            observations,
            columns=["ID", "line", "time_days", "DV", "MDV", "kind", "output"],
        )
        return NMTranSubject(sid, scenario, table, covariates, multipliers)

    def _observation(self, sid: str, rec: _Record, t_days: float) -> dict[str, Any]:
        n = rec.numbers
        kind_column = "DVID" if self.has_dvid else "CMT"
        kind = n.get(kind_column)
        dv = n.get("DV")
        mdv = n.get("MDV")
        output = ""
        if kind is not None and kind.is_integer():
            output = self.output_by_dvid.get(int(kind), "")
        if kind is not None and self.output_by_dvid and not output:
            self.notes.append(
                f"observations of {kind_column} {_shown(kind)} map to no hpgsim output "
                f"(first: line {rec.line}, ID {sid}); kept with an empty `output`"
            )
        return {
            "ID": sid,
            "line": rec.line,
            "time_days": t_days,
            "DV": math.nan if dv is None else dv,
            "MDV": int(mdv) if mdv is not None else int(dv is None),
            "kind": math.nan if kind is None else kind,
            "output": output,
        }

    def _drug_route(self, where: str, rec: _Record) -> tuple[str, str] | None:
        written_drug = rec.cells.get("DRUG", "").strip()
        written_route = rec.cells.get("ROUTE", "").strip()
        mapped_route: str | None = None
        if written_drug and written_drug not in _MISSING:
            drug = resolve_drug(written_drug)
            if drug is None:
                self.problems.add(
                    f"{where}, DRUG",
                    written_drug,
                    f"a drug name or alias; implemented drugs: {', '.join(CATALOG)}",
                )
                return None
        else:
            cmt = rec.numbers.get("CMT")
            mapped = (
                self.drug_by_cmt.get(int(cmt)) if cmt is not None and cmt.is_integer() else None
            )
            if mapped is None:
                known = ", ".join(
                    f"{k}={d}:{r or '(its only route)'}"
                    for k, (d, r) in sorted(self.drug_by_cmt.items())
                )
                self.problems.add(
                    f"{where}, CMT",
                    rec.cells.get("CMT", _Said("no CMT column")),
                    "a dose needs a drug: map its CMT to DRUG:ROUTE (--cmt "
                    "1=testosterone_cypionate:intramuscular), or give a DRUG column; mapped: "
                    + (known or "none"),
                )
                return None
            drug_written, mapped_route = mapped
            drug = resolve_drug(drug_written)
            if drug is None:
                self.problems.add(
                    f"{where}, CMT {_shown(cmt)}",
                    drug_written,
                    f"the mapping's drug must be one of: {', '.join(CATALOG)}",
                )
                return None
        spec = CATALOG[drug]
        route_text = (
            written_route if written_route and written_route not in _MISSING else mapped_route
        )
        if route_text is None:
            if len(spec.routes) == 1:
                return drug, spec.routes[0]
            self.problems.add(
                f"{where}, ROUTE",
                _Said("nothing"),
                f"{drug} can be given by {', '.join(spec.routes)}: give a ROUTE column or map "
                "the CMT to DRUG:ROUTE",
            )
            return None
        return drug, resolve_route(route_text) or route_text

    def _doses(self, where: str, rec: _Record, t_days: float) -> list[tuple[dict[str, Any], float]]:
        """The regimen lines of one dose record, each with the time of its last dose (or its
        infusion's end), days."""
        n = rec.numbers
        amt, rate = n.get("AMT"), n.get("RATE") or 0.0
        ii, addl, ss = n.get("II") or 0.0, n.get("ADDL") or 0.0, n.get("SS") or 0.0
        ok = True
        if amt is None or amt <= 0:
            self.problems.add(f"{where}, AMT", rec.cells.get("AMT", _Said("nothing")), "a dose > 0")
            ok = False
        if ss != 0:
            self.problems.add(
                f"{where}, SS",
                ss,
                "0 or '.': steady-state dosing is not supported; write the "
                "doses from time 0 (ADDL/II)",
            )
            ok = False
        if rate in (-1.0, -2.0):
            self.problems.add(
                f"{where}, RATE",
                rate,
                "a modelled rate (-1) or duration (-2) is not supported; allowed: 0 (a bolus) "
                "or a rate > 0 (a zero-order infusion)",
            )
            ok = False
        elif rate < 0:
            self.problems.add(f"{where}, RATE", rate, "0 (a bolus) or a rate > 0 (an infusion)")
            ok = False
        if addl < 0 or not addl.is_integer():
            self.problems.add(f"{where}, ADDL", addl, "a whole number >= 0")
            ok = False
        elif addl > 0 and ii <= 0:
            self.problems.add(
                f"{where}, II", ii, f"ADDL {int(addl)} needs an interval II > 0 ({self.time_unit})"
            )
            ok = False
        if addl + 1 > MAX_ADMINISTRATIONS:
            self.problems.add(
                f"{where}, ADDL", addl, f"at most {MAX_ADMINISTRATIONS - 1:,} additional doses"
            )
            ok = False
        drug_route = self._drug_route(where, rec)
        if not ok or drug_route is None or amt is None:
            return []
        drug, route = drug_route
        unit = self.amt_unit or CATALOG[drug].dose_unit
        every = _days(ii * self.days_per_unit)
        base = {"drug": drug, "route": route}
        if rate > 0:
            if CATALOG[drug].infusion is False:
                infusible = ", ".join(name for name, s in CATALOG.items() if s.infusion)
                self.problems.add(
                    f"{where}, RATE",
                    rate,
                    f"{drug} cannot be infused; RATE 0 (a bolus), or an infusion of: {infusible}",
                )
                return []
            if addl > 1000:
                self.problems.add(f"{where}, ADDL", addl, "at most 1000 repeated infusions")
                return []
            length = _days(amt / rate * self.days_per_unit)
            word = {"h": "h", "d": "d"}[self.time_unit]
            return [
                (
                    {
                        **base,
                        "rate": f"{rate!r} {unit}/{word}",
                        "start": f"{_days(t_days + k * every)!r} d",
                        "stop": f"{_days(t_days + k * every + length)!r} d",
                    },
                    _days(t_days + k * every + length),
                )
                for k in range(int(addl) + 1)
            ]
        line = {**base, "dose": f"{amt!r} {unit}", "start": f"{t_days!r} d"}
        if addl > 0:  # doses at start + k every, k = 0..ADDL: none at or after the stop
            line["every"] = f"{every!r} d"
            line["stop"] = f"{_days(t_days + (addl + 1) * every)!r} d"
        return [(line, _days(t_days + addl * every))]

    def _covariates(
        self, sid: str, recs: list[_Record], columns: list[str]
    ) -> tuple[dict[str, Any], dict[str, float | str], dict[str, float], dict[str, str]]:
        """(patient fields, covariates by written column name, parameter multipliers, the
        column each patient field came from) of one ID."""
        patient: dict[str, Any] = {}
        covariates: dict[str, float | str] = {}
        multipliers: dict[str, float] = {}
        column_of: dict[str, str] = {}
        by_upper: dict[str, float | str] = {}
        for name in columns:
            shown = self.written_as[name]
            given = [(r.line, r.cells[name].strip()) for r in recs]
            given = [(line, v) for line, v in given if v not in _MISSING]
            if not given:
                continue
            values = list(dict.fromkeys(v for _, v in given))
            known = name in _FIELD_OF or name in ("WT", "HT") or name.startswith(_BSV_PREFIX)
            numbers = [_float_or_none(v) for v in values]
            if len(values) > 1 and not (
                all(x is not None for x in numbers) and len(set(numbers)) == 1
            ):
                if known:
                    line = next(line for line, v in given if v != values[0])
                    self.problems.add(
                        f"line {line} (ID {sid}), {shown}",
                        values[1],
                        f"one value per ID (the ID's first record has {values[0]}); "
                        "time-varying covariates are not supported",
                    )
                else:
                    self.notes.append(
                        f"column {shown} varies within an ID (first: ID {sid}); ignored "
                        "(time-varying covariates are not supported)"
                    )
                continue
            value: float | str = numbers[0] if numbers[0] is not None else values[0]
            line = given[0][0]
            by_upper[name] = value
            if not name.startswith(_BSV_PREFIX):
                covariates[self.written_as[name]] = value
            if name.startswith(_BSV_PREFIX):
                self._multiplier(sid, line, name, value, multipliers)
            elif name in _FIELD_OF:
                target = _FIELD_OF[name]
                if target == "condition":
                    label = _condition(value)
                    if label is None:
                        codes = ", ".join(f"{int(c)} {c.label}" for c in Condition)
                        self.problems.add(
                            f"line {line} (ID {sid}), {name}", value, f"a condition: {codes}"
                        )
                        continue
                    patient[target] = label
                    column_of[target] = self.written_as[name]
                elif isinstance(value, str):
                    self.problems.add(f"line {line} (ID {sid}), {name}", value, "a number")
                else:
                    patient[target] = value
                    column_of[target] = self.written_as[name]
            elif name not in ("WT", "HT"):
                self.notes.append(
                    f"column {shown} is not an hpgsim covariate: kept in the subjects' "
                    "covariates, not used by the model"
                )
        if "bmi_kg_m2" not in patient and {"WT", "HT"} <= set(by_upper):
            wt, ht = by_upper["WT"], by_upper["HT"]
            if isinstance(wt, float) and isinstance(ht, float) and wt > 0 and ht > 0:
                patient["bmi_kg_m2"] = wt / (ht / 100.0) ** 2
                column_of["bmi_kg_m2"] = "WT/HT"
            else:
                self.problems.add(
                    f"ID {sid}, WT/HT", f"{wt}/{ht}", "a weight (kg) and a height (cm) above 0"
                )
        return patient, covariates, multipliers, column_of

    def _multiplier(
        self, sid: str, line: int, name: str, value: float | str, out: dict[str, float]
    ) -> None:
        param = _PARAMETER_NAMES.get(name[len(_BSV_PREFIX) :])
        where = f"line {line} (ID {sid}), {name}"
        if param is None:
            self.problems.add(
                where, name, "BSV_<parameter> with a parameter of `hpgsim model show`"
            )
        elif isinstance(value, str) or not value > 0:
            self.problems.add(where, value, "a multiplier > 0")
        else:
            out[param] = value


def _float_or_none(text: str) -> float | None:
    try:
        return _number(text)
    except ValueError:
        return None


def _condition(value: float | str) -> str | None:
    """The condition label of a code (0-3) or a label, or None."""
    if isinstance(value, float):
        codes = {float(int(c)): c.label for c in Condition}
        return codes.get(value)
    labels = Condition.labels()
    return value if value in labels else None


def _horizon(obs_times: Sequence[float], ends: Sequence[float]) -> float:
    """The last observation time, or one day after the last dose (or infusion end) where that
    is at or after it; at least one day where there is neither."""
    last_obs = max(obs_times, default=0.0)
    last_dose = max(ends, default=-math.inf)
    if last_dose >= last_obs:
        return _days(last_dose + 1.0)
    return last_obs if last_obs > 0 else 1.0


def _output_every(obs_times: Sequence[float], horizon: float) -> float:
    """An output grid through every observation time, daily or finer: the greatest common
    divisor of one day and the observation times, in 2.5-min ticks (one day, at most the
    horizon, without observations after time 0)."""
    ticks = [round(t / TIME_RESOLUTION_DAYS) for t in obs_times if t > 0]
    if not ticks:
        return min(1.0, horizon)
    step = round(1.0 / TIME_RESOLUTION_DAYS)
    for t in ticks:
        step = math.gcd(step, t)
    return _days(step * TIME_RESOLUTION_DAYS)


def _located(
    problem: Problem, origin: Sequence[int], sid: str, column_of: Mapping[str, str]
) -> tuple[str, str, str]:
    """A scenario's problem, located in the dataset: a regimen line by the dataset line it came
    from, a patient field by the covariate column that set it."""
    path = problem.path
    if path.startswith("regimen["):
        index = int(path[len("regimen[") : path.index("]")])
        path = f"line {origin[index]} (ID {sid}), {path}"
    elif path.startswith("patient.") and path.removeprefix("patient.") in column_of:
        path = f"ID {sid}, {column_of[path.removeprefix('patient.')]} ({path})"
    else:
        path = f"ID {sid}, {path}"
    return path, problem.value, problem.allowed


# ------------------------------------------------------------------------------------ writing


@dataclass(frozen=True)
class SimulatedMan:
    """One simulated man, as :func:`nmtran_table` writes him.

    Attributes:
        id: his ``ID``.
        scenario: his regimen and horizon (days).
        covariates: covariate columns and their values (``AGE``, ``BMI``, ``BSV_<parameter>``,
            ...; see :data:`COVARIATES`).
        times_days: output times, days.
        outputs: hpgsim output column -> values at ``times_days`` (in the column's unit).
    """

    id: int
    scenario: Scenario
    covariates: Mapping[str, float]
    times_days: np.ndarray
    outputs: Mapping[str, np.ndarray]


def _compact(times: np.ndarray) -> list[tuple[float, int, float]]:
    """(first time, additional doses, interval) records for dose times (days): one where the
    times are evenly spaced, else one per time."""
    if len(times) > 1:
        gaps = np.diff(times)
        if np.allclose(gaps, gaps[0], rtol=1e-9, atol=1e-9):
            return [(float(times[0]), len(times) - 1, float(gaps[0]))]
    return [(float(t), 0, 0.0) for t in times]


def nmtran_table(
    men: Sequence[SimulatedMan], *, time_unit: str = "h"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Simulated men as an NM-TRAN dataset and its sidecar mapping (:func:`nmtran_meta`).

    Columns: ``ID TIME AMT CMT EVID MDV II ADDL RATE DV DVID`` then the covariates. ``TIME``
    and ``II`` in ``time_unit`` (``h`` or ``d``); ``AMT`` in each drug's dose unit; ``RATE`` in
    dose unit per ``time_unit``. ``CMT`` numbers each (drug, route) from 1, in order of first
    appearance; ``DVID`` numbers the outputs from 1, in the men's order. Dose records (EVID 1,
    MDV 1, DV 0) repeat as ``ADDL`` doses every ``II`` where a regimen line's doses (or a taper
    step's) are evenly spaced; an infusion is one record with ``RATE`` and ``AMT`` = rate x
    duration. Observation records (EVID 0, MDV 0, CMT 0, ``DV`` the simulated value, no
    residual error) come before a dose at the same time, as the simulator samples before the
    dose.
    """
    per_day = 1.0 / DAYS_PER_TIME_UNIT[time_unit]
    cmt: dict[tuple[str, str], int] = {}
    outputs: dict[str, int] = {}
    for man in men:
        for line in man.scenario.regimen:
            cmt.setdefault((line.drug, line.route), len(cmt) + 1)
        for name in man.outputs:
            outputs.setdefault(name, len(outputs) + 1)
    covariate_names = list(dict.fromkeys(k for man in men for k in man.covariates))
    rows: list[dict[str, Any]] = []
    for man in men:
        common = {k: man.covariates.get(k, math.nan) for k in covariate_names}
        horizon = man.scenario.horizon_days
        for j, t in enumerate(man.times_days):
            for name, values in man.outputs.items():
                rows.append(
                    {
                        "ID": man.id,
                        "TIME": float(t) * per_day,
                        "AMT": 0.0,
                        "CMT": 0,
                        "EVID": 0,
                        "MDV": 0,
                        "II": 0.0,
                        "ADDL": 0,
                        "RATE": 0.0,
                        "DV": float(values[j]),
                        "DVID": outputs[name],
                        **common,
                    }
                )
        for line in man.scenario.regimen:
            dose = {
                "ID": man.id,
                "CMT": cmt[(line.drug, line.route)],
                "EVID": 1,
                "MDV": 1,
                "DV": 0.0,
                "DVID": 0,
                **common,
            }
            window = line.infusion_window(horizon)
            if window is not None and line.rate is not None:
                start, end = window
                rows.append(
                    {
                        **dose,
                        "TIME": start * per_day,
                        "AMT": line.rate * (end - start),
                        "II": 0.0,
                        "ADDL": 0,
                        "RATE": line.rate / per_day,
                    }
                )
            for times, amount in line.dose_schedule(horizon):
                for first, addl, every in _compact(times):
                    rows.append(
                        {
                            **dose,
                            "TIME": first * per_day,
                            "AMT": amount,
                            "II": every * per_day,
                            "ADDL": addl,
                            "RATE": 0.0,
                        }
                    )
    head = ["ID", "TIME", "AMT", "CMT", "EVID", "MDV", "II", "ADDL", "RATE", "DV", "DVID"]
    table = pd.DataFrame(rows, columns=[*head, *covariate_names])
    table = table.sort_values(["ID", "TIME", "EVID"], kind="stable").reset_index(drop=True)
    return table, nmtran_meta(cmt, outputs, covariate_names, time_unit)


def nmtran_meta(
    cmt: Mapping[tuple[str, str], int],
    outputs: Mapping[str, int],
    covariates: Sequence[str],
    time_unit: str,
) -> dict[str, Any]:
    """The sidecar of a written dataset: the time unit, each ``CMT`` (drug, route, ``AMT`` and
    ``RATE`` units), each ``DVID`` (output column and unit), the covariate columns and the
    condition codes. :func:`mappings_from_meta` reads its ``CMT`` and ``DVID`` back."""
    described = {
        "WT": "weight, kg",
        "HT": "height, cm",
        "ARM": "trial arm, 0-based (the arms' scenarios in `arms`)",
        **{k: f"patient field {v}" for k, v in COVARIATES.items()},
    }
    return {
        "format": "NM-TRAN dataset written by hpgsim",
        "time_unit": time_unit,
        "columns": {
            "TIME": f"time from the start of the simulation, {time_unit}",
            "II": f"dosing interval, {time_unit}",
            "AMT": "amount, in the dose unit of the record's CMT",
            "RATE": f"infusion rate, dose unit per {time_unit} (0: a bolus)",
            "DV": "simulated value (no residual error), in the unit of the record's DVID",
        },
        "cmt": {
            str(k): {
                "drug": drug,
                "route": route,
                "amt_unit": CATALOG[drug].dose_unit,
                "rate_unit": f"{CATALOG[drug].dose_unit}/{time_unit}",
            }
            for (drug, route), k in cmt.items()
        },
        "dvid": {
            str(k): {"output": name, "unit": output_unit(name)} for name, k in outputs.items()
        },
        "covariates": {
            name: (
                f"multiplier of model parameter {name[len(_BSV_PREFIX) :]} (between-subject "
                "variability)"
                if name.startswith(_BSV_PREFIX)
                else described.get(name, "")
            )
            for name in covariates
        },
        "condition_codes": {str(int(c)): c.label for c in Condition},
    }


def mappings_from_meta(
    meta: Mapping[str, Any],
) -> tuple[dict[int, tuple[str, str | None]], dict[int, str]]:
    """(``drug_by_cmt``, ``output_by_dvid``) of :func:`read_nmtran` from a sidecar written by
    :func:`nmtran_table`; ValueError naming what is missing."""
    try:
        cmt = {int(k): (str(v["drug"]), v.get("route")) for k, v in meta.get("cmt", {}).items()}
        dvid = {int(k): str(v["output"]) for k, v in meta.get("dvid", {}).items()}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"expected `cmt` ({{code: {{drug, route}}}}) and `dvid` ({{code: {{output}}}}) "
            f"mappings as hpgsim writes them ({type(exc).__name__}: {exc})"
        ) from None
    return cmt, dvid
