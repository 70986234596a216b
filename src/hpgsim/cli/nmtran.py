"""``hpgsim import nmtran``: a NONMEM / mrgsolve event dataset into scenario files; and the
helpers ``hpgsim trial --nmtran`` uses to write one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hpgsim.cli.common import (
    DISCLAIMER,
    Overwrite,
    TimeUnit,
    check_output_folder,
    days_option,
    fail,
)

if TYPE_CHECKING:
    pass

__all__ = [
    "import_nmtran_cmd",
    "parse_cmt",
    "parse_dvid",
]


def parse_cmt(items: Sequence[str]) -> dict[int, tuple[str, str | None]]:
    """``--cmt N=DRUG[:ROUTE]`` options as a ``drug_by_cmt`` mapping; a bad one exits 2."""
    out: dict[int, tuple[str, str | None]] = {}
    for item in items:
        code, sep, rest = item.partition("=")
        drug, _, route = rest.partition(":")
        if not sep or not code.strip().isdigit() or not drug.strip():
            fail(
                f"--cmt: got {item!r}; expected CMT=DRUG:ROUTE with a whole-number CMT, e.g. "
                "--cmt 1=testosterone_cypionate:intramuscular (ROUTE may be left out for a drug "
                "with one route: --cmt 2=clomiphene)."
            )
        out[int(code)] = (drug.strip(), route.strip() or None)
    return out


def parse_dvid(items: Sequence[str]) -> dict[int, str]:
    """``--dvid N=OUTPUT`` options as an ``output_by_dvid`` mapping; a bad one exits 2."""
    out: dict[int, str] = {}
    for item in items:
        code, sep, name = item.partition("=")
        if not sep or not code.strip().isdigit() or not name.strip():
            fail(
                f"--dvid: got {item!r}; expected DVID=OUTPUT with a whole-number DVID, e.g. "
                "--dvid 1=total_testosterone_ng_dl."
            )
        out[int(code)] = name.strip()
    return out


def import_nmtran_cmd(
    data: Annotated[Path, typer.Argument(help="NM-TRAN / mrgsolve dataset (CSV).")],
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-o", help="Folder for the scenario files.")
    ],
    time_unit: Annotated[
        TimeUnit, typer.Option("--time-unit", help="Unit of TIME and II: h (hours) or d (days).")
    ] = TimeUnit.hours,
    amt_unit: Annotated[
        str | None,
        typer.Option(
            "--amt-unit",
            help="Unit of AMT (mg, ug or IU); default: each drug's dose unit (mg; ug for "
            "gonadorelin; IU for hCG and FSH). RATE is in this unit per time unit.",
        ),
    ] = None,
    cmt: Annotated[
        list[str] | None,
        typer.Option(
            "--cmt",
            help="CMT=DRUG:ROUTE for dose records without a DRUG column, e.g. "
            "1=testosterone_cypionate:intramuscular; repeatable.",
            show_default=False,
        ),
    ] = None,
    dvid: Annotated[
        list[str] | None,
        typer.Option(
            "--dvid",
            help="DVID=OUTPUT: the hpgsim output an observation kind (DVID, else CMT) is, e.g. "
            "1=total_testosterone_ng_dl; repeatable.",
            show_default=False,
        ),
    ] = None,
    meta: Annotated[
        Path | None,
        typer.Option(
            "--meta",
            help="The JSON sidecar of a dataset hpgsim wrote (trial --nmtran): its CMT and "
            "DVID mappings, under any --cmt and --dvid given.",
        ),
    ] = None,
    horizon: Annotated[
        str | None,
        typer.Option(
            "--horizon",
            help="Every scenario's horizon ('90 d'); default: each ID's last observation, or "
            "one day after his last dose where that is later.",
        ),
    ] = None,
    allow_supratherapeutic: Annotated[
        bool,
        typer.Option("--allow-supratherapeutic", help="Accept doses above the clinical bounds."),
    ] = False,
    overwrite: Overwrite = False,
) -> None:
    """Read an NM-TRAN / mrgsolve event dataset into one scenario file per ID.

    The dataset's columns are ID, TIME, AMT, CMT, EVID, II, ADDL, RATE, DV and covariates.
    Writes one scenario file per ID, OUT_DIR/subjects.csv (each ID's scenario file,
    covariates and parameter multipliers) and OUT_DIR/observations.csv (the observation
    records, times in days). The files appear together or not at all."""
    check_output_folder(out_dir, overwrite, "--out-dir")
    if amt_unit is not None and amt_unit not in ("mg", "ug", "IU"):
        fail(f"--amt-unit: got {amt_unit!r}; allowed: mg, ug, IU.")
    horizon_days = days_option(horizon, "--horizon")
    drug_by_cmt: dict[int, tuple[str, str | None]] = {}
    output_by_dvid: dict[int, str] = {}
    if meta is not None:
        import json

        from hpgsim.scenario.nmtran import mappings_from_meta

        try:
            drug_by_cmt, output_by_dvid = mappings_from_meta(json.loads(meta.read_text()))
        except (OSError, ValueError) as exc:
            fail(f"--meta {str(meta)!r}: {exc}")
    drug_by_cmt.update(parse_cmt(cmt or []))
    output_by_dvid.update(parse_dvid(dvid or []))

    import pandas as pd
    import yaml

    from hpgsim.output.files import output_folder
    from hpgsim.scenario.nmtran import NMTranError, read_nmtran

    try:
        found = read_nmtran(
            data,
            time_unit=time_unit.value,
            amt_unit=amt_unit,
            drug_by_cmt=drug_by_cmt,
            output_by_dvid=output_by_dvid,
            horizon_days=horizon_days,
            allow_supratherapeutic=allow_supratherapeutic,
        )
    except NMTranError as exc:
        fail(str(exc))
    for note in found.notes:
        typer.echo(f"hpgsim: {data}: {note}", err=True)
    subjects = []
    for s in found.subjects:
        subjects.append(
            {
                "ID": s.id,
                "scenario": f"{s.scenario.name}.yaml",
                **s.covariates,
                **{f"multiplier_{k}": v for k, v in s.multipliers.items()},
            }
        )
    meta_info = {"dataset": str(data), "time_unit": time_unit.value, "ids": len(subjects)}
    try:
        with output_folder(out_dir, overwrite=overwrite, meta=meta_info) as stage:
            for s in found.subjects:
                text = yaml.safe_dump(s.scenario.to_input_dict(), sort_keys=False)
                (stage / f"{s.scenario.name}.yaml").write_text(text)
            pd.DataFrame(subjects).to_csv(stage / "subjects.csv", index=False)
            found.observations.to_csv(stage / "observations.csv", index=False)
    except OSError as exc:
        fail(f"cannot write output: {exc}")
    multipliers = sum(bool(s.multipliers) for s in found.subjects)
    if multipliers:
        typer.echo(
            f"hpgsim: {multipliers} ID(s) carry BSV_ parameter multipliers: kept in "
            "subjects.csv; a scenario file cannot carry them, so its man is the typical man "
            "with these covariates",
            err=True,
        )
    typer.echo(
        f"hpgsim: wrote {out_dir}/: {len(found.subjects)} scenario file(s), subjects.csv, "
        f"observations.csv ({len(found.observations)} records)"
    )
    typer.echo(DISCLAIMER)
