"""Scenario documents for the fuzz tier (#22): generated from the schema, then mutated.

:func:`document_bytes` draws one file (its bytes and suffix) from a ``random.Random``: a
document built from the scenario schema (every top-level key, patient field and regimen key,
drugs and routes from the catalog, quantities in the right and the wrong units), mutated in its
values (types, magnitudes, NaN, huge strings, unknown keys, nesting) and in its text (YAML
anchors and aliases, tags, a BOM, other encodings, truncation, deep nesting). The fuzz test
drives it with hypothesis (``st.randoms``); ``make fuzz`` runs it for 10,000 cases.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import yaml

from hpgsim.model.conditions import Condition
from hpgsim.model.drugs import CATALOG, PLANNED_DRUGS, ROUTES
from hpgsim.scenario import Patient

TIME_UNITS = ["d", "day", "days", "h", "hours", "min", "s", "week", "weeks", "months", "years"]
OTHER_UNITS = ["mg", "ug", "IU", "mL", "kg", "", "furlongs", "d**2", "1/d", "mg/d", "%", "K"]
DOSE_UNITS = ["mg", "ug", "g", "IU", "mIU", "mg/kg", "mL", "units", "d"]
RATE_UNITS = ["ug/h", "mg/d", "IU/d", "ug/min", "ug", "h"]
PATIENT_FIELDS = list(Patient.model_fields)


def _number(r: random.Random) -> Any:
    pick = r.random()
    if pick < 0.45:
        return r.choice([1, 2, 7, 14, 20, 25, 28, 35, 50, 60, 90, 100, 200, 500, 1000])
    if pick < 0.7:
        return round(r.uniform(0, 400), r.choice([0, 1, 3]))
    if pick < 0.8:
        return r.choice([0, -1, -7.5, 1e-9, 1e-300, 1e300, 10**30, 2**63, 0.5, 1.25])
    if pick < 0.9:
        return r.choice([math.nan, math.inf, -math.inf, "NaN", "inf", "1e999", "-0"])
    return r.uniform(-1e6, 1e6)


def _quantity(r: random.Random, units: list[str]) -> Any:
    if r.random() < 0.1:
        return _junk(r)
    number, unit = _number(r), r.choice(units)
    form = r.random()
    if form < 0.6:
        return f"{number} {unit}".strip()
    if form < 0.75:
        return f"{number}{unit}"
    if form < 0.85:
        return f"{number} * {unit}"
    if form < 0.92:
        return number  # a bare number: no unit
    return f"{number} {unit} " + " ".join(r.choice(TIME_UNITS) for _ in range(r.randint(1, 9)))


def _junk(r: random.Random, depth: int = 0) -> Any:
    pick = r.randrange(12)
    if pick == 0:
        return None
    if pick == 1:
        return r.choice([True, False])
    if pick == 2:
        return _number(r)
    if pick == 3:
        return "".join(chr(r.randrange(32, 0x2FFF)) for _ in range(r.randint(0, 30)))
    if pick == 4:
        return "x" * r.choice([0, 1, 200, 5000, 200_000])
    if pick == 5 and depth < 4:
        return [_junk(r, depth + 1) for _ in range(r.randint(0, 4))]
    if pick == 6 and depth < 4:
        return {str(_junk(r, depth + 1))[:20]: _junk(r, depth + 1) for _ in range(r.randint(0, 3))}
    if pick == 7:
        return "1 a    " * r.randint(1, 30) + "!"
    if pick == 8:
        return r.choice(["7 d**99", "1e-320 d", "1 d**-4", "(((1 d)))", "1 d / 0", "0x10 d"])
    if pick == 9:
        return r.choice(["!!python/object:os.system", "{", "[", "*a", "&a", "---", "..."])
    return r.choice(["", " ", "\t", "\x00", "\ufeff", "7 d", "200 mg", "weekly"])


def _clean_line(r: random.Random) -> dict[str, Any]:
    """A line as a clinician would write it: a catalog drug by one of its routes, a dose
    around its clinical range (sometimes above it), on the 2.5-min grid."""
    drug = r.choice(list(CATALOG))
    spec = CATALOG[drug]
    line: dict[str, Any] = {"drug": drug, "route": r.choice(spec.routes)}
    if spec.infusion and r.random() < 0.3:
        line["rate"] = f"{round(spec.max_dose * r.uniform(0.01, 0.3), 3)} {spec.dose_unit}/d"
    else:
        dose = spec.max_dose * r.choice([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5])
        line["dose"] = f"{dose:.4g} {spec.dose_unit}"
        if r.random() < 0.85:
            line["every"] = r.choice(["90 min", "12 h", "1 d", "56 h", "3.5 d", "7 d", "14 d"])
    if r.random() < 0.4:
        line["start"] = f"{r.randrange(0, 20)} d"
    if r.random() < 0.3:
        line["stop"] = f"{r.randrange(21, 400)} d"
    return line


def _line(r: random.Random) -> dict[str, Any]:
    if r.random() < 0.5:
        return _clean_line(r)
    drug = r.choice(
        [*CATALOG] * 4 + list(PLANNED_DRUGS) + ["testosteron_cypionate", "Clomid", "", "hcg "]
    )
    spec = CATALOG.get(drug)
    routes = list(spec.routes) if spec else list(ROUTES)
    line: dict[str, Any] = {"drug": drug}
    if r.random() < 0.95:
        line["route"] = r.choice(routes * 3 + list(ROUTES) + ["IM", "po", ""])
    unit = spec.dose_unit if spec else "mg"
    infusion = spec is not None and spec.infusion and r.random() < 0.3
    if infusion:
        line["rate"] = _quantity(r, ["ug/h", "ug/d", f"{unit}/d", *RATE_UNITS])
    elif r.random() < 0.95:
        line["dose"] = _quantity(r, [unit] * 6 + DOSE_UNITS)
    if r.random() < (0.2 if infusion else 0.8):
        line["every"] = _quantity(r, TIME_UNITS)
    for key in ("start", "stop"):
        if r.random() < 0.4:
            line[key] = _quantity(r, TIME_UNITS)
    if r.random() < 0.1:
        line["taper"] = [_quantity(r, [unit, *DOSE_UNITS]) for _ in range(r.randint(0, 4))]
        if r.random() < 0.8:
            line["taper_every"] = _quantity(r, TIME_UNITS)
    if r.random() < 0.05:
        line[r.choice(["dosage", "interval", "Drug", "unit"])] = _junk(r)
    return line


def _patient(r: random.Random) -> dict[str, Any]:
    ranges = {
        "age_years": (18, 100),
        "bmi_kg_m2": (15, 70),
        "baseline_sperm_concentration_m_per_ml": (0.01, 500),
        "testicular_volume_ml": (1, 50),
        "baseline_total_testosterone_ng_dl": (50, 1500),
        "fasting_insulin_uU_ml": (2, 100),
    }
    choices: dict[str, list[Any]] = {  # the fields that take a word (issue #20: the woman)
        "sex": ["male", "male", "female"],
        "menopausal_status": ["post", "post", "pre", "peri"],
    }
    out: dict[str, Any] = {}
    clean = r.random() < 0.6
    for name in PATIENT_FIELDS:
        if r.random() > 0.5:
            continue
        if name in choices:
            out[name] = r.choice(choices[name] if clean else [*choices[name], "F", 1, None])
        elif clean and name == "condition":
            out[name] = r.choice(["healthy"] * 3 + list(Condition.labels()))
        elif clean:
            lo, hi = ranges[name]
            out[name] = round(r.uniform(lo, hi), 2)
        elif name == "condition":
            out[name] = r.choice([*Condition.labels(), "Healthy", "klinefelter", 3, None])
        elif r.random() < 0.8:
            lo, hi = ranges[name]
            out[name] = r.choice([lo, hi, r.uniform(lo, hi), r.uniform(lo - 10, hi * 1.2)])
        else:
            out[name] = _junk(r)
    return out


def document(r: random.Random) -> Any:
    """One scenario document (Python objects) drawn from the schema: half of them as a user
    would write one, the others mutated."""
    if r.random() < 0.5:
        return _clean_document(r)
    doc: dict[str, Any] = {}
    if r.random() < 0.7:
        doc["name"] = r.choice(["fuzz", "a b", "", "x" * 300, "ünï"])
    if r.random() < 0.95:
        doc["horizon"] = _quantity(r, TIME_UNITS) if r.random() < 0.5 else f"{r.randint(1, 60)} d"
    if r.random() < 0.5:
        doc["output_every"] = (
            _quantity(r, TIME_UNITS) if r.random() < 0.5 else r.choice(["1 d", "12 h", "1 h"])
        )
    if r.random() < 0.3:
        doc["allow_supratherapeutic"] = r.choice([True, False, "yes", 1, None])
    if r.random() < 0.7:
        doc["patient"] = _patient(r)
    if r.random() < 0.9:
        doc["regimen"] = [_line(r) for _ in range(r.randint(0, 4))]
    if r.random() < 0.1:  # a value replaced by junk, or an unknown key
        key = r.choice([*doc, "extra", "Horizon", "regimens"] if doc else ["extra"])
        doc[key] = _junk(r)
    if r.random() < 0.03:
        return _junk(r)  # not a mapping at all
    return doc


def _clean_document(r: random.Random) -> dict[str, Any]:
    doc: dict[str, Any] = {"horizon": f"{r.randint(1, 120)} d"}
    if r.random() < 0.5:
        doc["output_every"] = r.choice(["1 d", "12 h", "1 h", "7 d"])
    if r.random() < 0.2:
        doc["allow_supratherapeutic"] = True
    if r.random() < 0.7:
        doc["patient"] = _patient(r)
    doc["regimen"] = [_clean_line(r) for _ in range(r.randint(0, 3))]
    return doc


def _yaml_text(r: random.Random, doc: Any) -> str:
    text = yaml.safe_dump(doc, allow_unicode=r.random() < 0.5, sort_keys=False)
    pick = r.random()
    if pick < 0.05:  # anchors and aliases, including a self-reference
        text = "a: &x [1, 2]\nb: *x\n" + text if isinstance(doc, dict) else text
    elif pick < 0.08:
        text = "name: &a [*a]\n" + text
    elif pick < 0.11:  # billion laughs, a few levels
        levels = r.randint(2, 9)
        lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, levels):
            lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
        text = "\n".join(lines) + "\n" + text
    elif pick < 0.13:
        text = "[" * r.choice([50, 600, 2000]) + "]" * r.choice([0, 2000])
    elif pick < 0.15:
        text = "!!python/object/apply:os.system ['true']\n"
    elif pick < 0.17:
        text = text.replace(" ", "\t", r.randint(1, 3))
    return text


def document_bytes(r: random.Random) -> tuple[bytes, str]:
    """One scenario file: its bytes and its suffix (the text mutated in about a third)."""
    doc = document(r)
    as_json = r.random() < 0.3
    if r.random() < 0.65:  # the document as written, no text mutation
        text = json.dumps(doc) if as_json else yaml.safe_dump(doc, sort_keys=False)
        return text.encode(), ".json" if as_json else r.choice([".yaml", ".yml"])
    try:
        text = json.dumps(doc, allow_nan=True) if as_json else _yaml_text(r, doc)
    except (TypeError, ValueError, yaml.YAMLError):
        text = repr(doc)
    if as_json and r.random() < 0.05:
        text = "[" * r.choice([100, 1200, 5000]) + "]" * r.choice([0, 5000])
    pick = r.random()
    if pick < 0.05 and text:  # truncated
        text = text[: r.randrange(len(text))]
    elif pick < 0.08:  # a character changed
        i = r.randrange(len(text) + 1)
        text = text[:i] + chr(r.randrange(0, 0x3000)) + text[i:]
    encoding = "utf-8"
    pick = r.random()
    if pick < 0.03:
        text = "\ufeff" + text
    elif pick < 0.05:
        encoding = "utf-16"
    elif pick < 0.07:
        encoding = "latin-1"
    data = text.encode(encoding, errors="replace")
    if r.random() < 0.02:
        data = bytes(r.randrange(256) for _ in range(r.randint(0, 200)))
    suffix = r.choice([".json"] if as_json else [".yaml", ".yml"])
    if r.random() < 0.02:
        suffix = r.choice([".txt", "", ".YAML", ".Json"])
    return data, suffix
