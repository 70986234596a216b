"""The evidence registry: every published study hpgsim is calibrated on or compared with, one
record each (:class:`~hpgsim.evidence.records.ValidationTarget`), collected from the study files.

- calibration targets (:mod:`hpgsim.evidence.calibration`: foundation, restoration and
  spermatogenesis study files), ``calibrated`` when the fitter uses them, else ``reported``;
- held-out studies (:mod:`hpgsim.evidence.studies.held_out`);
- population studies (:mod:`hpgsim.evidence.studies.population`);
- the post-menopausal woman's studies (:mod:`hpgsim.evidence.studies.women`).

:data:`KNOWN_GAPS` is derived from the records (each study names its own known gaps).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hpgsim.evidence.calibration import TARGETS
from hpgsim.evidence.records import Target, Use, ValidationTarget
from hpgsim.evidence.studies.held_out import HELD_OUT
from hpgsim.evidence.studies.population import POPULATION_TARGETS
from hpgsim.evidence.studies.women import WOMEN_TARGETS

__all__ = ["KNOWN_GAPS", "GapNote", "known_gaps_for", "registry", "select"]


def _from_calibration(t: Target) -> ValidationTarget:
    return ValidationTarget(
        id=t.key,
        title=t.title,
        citation=t.source,
        use=Use.CALIBRATED if t.fit else Use.REPORTED,
        kind="single",
        population=t.population,
        observable=t.observable,
        spread=t.spread,
        tolerance_reason=t.tolerance_reason,
        measures=t.measures,
        scenarios=t.scenarios,
        columns=t.columns,
        target=t,
        notes=t.notes,
        known_gaps=t.known_gaps,
    )


_REGISTRY: tuple[ValidationTarget, ...] = (
    *(_from_calibration(t) for t in TARGETS),
    *HELD_OUT,
    *POPULATION_TARGETS,
    *WOMEN_TARGETS,
)


def registry() -> tuple[ValidationTarget, ...]:
    """Every study: calibration (calibrated and reported), held out, population."""
    return _REGISTRY


def _known_gaps() -> dict[tuple[str, str], str]:
    gaps: dict[tuple[str, str], str] = {}
    for t in _REGISTRY:
        labels = {m.label for m in t.measures}
        for label, reason in t.known_gaps.items():
            if label not in labels:
                raise ValueError(
                    f"study {t.id!r}: known gap on {label!r}, which it does not measure"
                )
            gaps[(t.id, label)] = reason
    return gaps


KNOWN_GAPS: dict[tuple[str, str], str] = _known_gaps()
"""(study id, measure label) -> why the model's structure cannot reach it yet; from the records."""


@dataclass(frozen=True)
class GapNote:
    """One known gap that bears on a regimen: the study, what it measured, the published value
    and why the model misses it (its reason names the simulated value)."""

    study: str
    title: str
    measure: str
    published: str
    reason: str
    drugs: tuple[str, ...]


def known_gaps_for(drugs: Iterable[str], sex: str = "male") -> list[GapNote]:
    """The known gaps of every study of ``sex`` patients (``"male"``, ``"female"``) that gives
    one of ``drugs`` (catalog names), in registry order: what an output about a regimen with
    those drugs should say next to its numbers."""
    wanted = set(drugs)
    notes = []
    for t in _REGISTRY:
        if any(s.patient.sex != sex for s in t.scenarios):
            continue
        given = tuple(dict.fromkeys(d for s in t.scenarios for d in s.drugs_present()))
        shared = tuple(d for d in given if d in wanted)
        if not shared or not t.known_gaps:
            continue
        for m in t.measures:
            reason = t.known_gaps.get(m.label)
            if reason is not None:
                published = f"{m.published:g}{m.unit}"
                notes.append(GapNote(t.id, t.title, m.label, published, reason, shared))
    return notes


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
