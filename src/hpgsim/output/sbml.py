"""Export one scenario (model, patient and regimen) as SBML Level 3 Version 2.

The model is not written twice: :func:`export_sbml` traces :func:`hpgsim.model.axis.rhs` and
:func:`hpgsim.model.axis.readout_vector` for this man with JAX (``jax.make_jaxpr``) and translates
each primitive of the trace into an SBML assignment rule, element by element. So the SBML computes
exactly what the engine integrates:

- every state is a non-constant parameter with a rate rule, starting at the man's untreated
  steady state, with its unit and meaning from :data:`hpgsim.model.axis.STATES` (SBML ``units``,
  ``name`` and notes);
- every model parameter of this man (after individualization) is a constant parameter; those of
  the parameter table (:data:`hpgsim.model.parameters.PARAMETERS`, what ``hpgsim model show``
  prints) carry its unit, meaning, source and references (``units``, ``name``, notes); the
  derived constants the engine computes from the table (``V_T``, ``drive0`` ...) have a note
  saying so and no unit, which the table does not record;
- every intermediate value of the trace is a parameter with an assignment rule (``v123``),
  except Boolean values: a comparison or logical operation is written inline in the piecewise
  condition that uses it (SBML parameters hold numbers; COPASI refused a rule storing a Boolean,
  left the parameter at 1 and so integrated another model), and a Boolean made a number is
  ``piecewise(1, condition, 0)``;
- every output column (``total_testosterone_ng_dl`` ...) is a parameter with an assignment rule;
- every dose and infusion-rate change is an SBML event adding its amount to its state (the same
  jumps as the reference solve, :func:`hpgsim.engine.doses.exact_dose_events`); jumps at one time
  are one event, so no two events fire together. Repeated doses are compact where that keeps
  this exact: a run of at least :data:`MIN_RUN` consecutive, evenly spaced, equal events (no
  other event between them) is one event whose trigger is ``time >= dose_i_next`` (a counter
  parameter, in days, that each firing moves on by the interval) until the run's last dose:
  the pump's 1,440 gonadorelin pulses are one event (the file shrinks from 1.5 MB to 0.36 MB)
  and both libRoadRunner and COPASI give the same errors as with 1,440 explicit events. Runs
  that interleave (weekly cypionate with twice-weekly anastrozole: every other event holds
  both) stay explicit events, one per time (stop_cold: 209); splitting them into one counter
  per drug would make two events fire at one time, whose order and ``useValuesFromTriggerTime``
  handling importers need not share.

Units: time is in days (a ``day`` unit definition, 86,400 s), and each unit the states and
table parameters use has a unit definition built from its pint form (``nmol/L`` is mole x 1e-9
per litre); the international unit (IU) has no SBML base unit and is written as dimensionless.
The trace's intermediates, the derived constants, the output columns and the literals carry no
unit: the trace holds unit conversions as bare numbers (``y_enc * 1000``), so a unit for each
intermediate could not be stated without error. libSBML's consistency check (units included)
then finds no error and no unit mismatch, only "units not declared / cannot be fully checked"
warnings (99505, 99508, 20702, 80701) for those.

Tests load the file in libRoadRunner and in COPASI and match hpgsim's trajectories within 1 %
for every example scenario. :func:`load_roadrunner` sets libRoadRunner's tolerances as the SciPy
reference does, per state and scaled to the state's untreated value (one absolute tolerance for
all states lets CVODE's Newton iteration fail on the restoration examples, whose states span 18
orders of magnitude); COPASI scales its one absolute tolerance itself (tests/test_sbml.py).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, cast

import jax
import jax.numpy as jnp
import numpy as np

from hpgsim.engine.doses import exact_dose_events
from hpgsim.engine.inputs import prepare, scenario_pop
from hpgsim.model import axis
from hpgsim.model.parameters import PARAMETERS
from hpgsim.optional import require
from hpgsim.scenario import Scenario
from hpgsim.units import ureg

__all__ = [
    "RR_ATOL_SCALE",
    "RR_RTOL",
    "SbmlExportError",
    "export_sbml",
    "load_roadrunner",
    "state_id",
    "unit_sid",
]


class SbmlExportError(ValueError):
    """The model holds an operation the SBML translation has no form for (a JAX primitive not
    in the translator): the export stops with this message rather than write a wrong file."""


# libRoadRunner (CVODE) tolerances: relative, and absolute per unit of each state's untreated
# value (floored at 1e-6 of its unit, as the reference solve).
RR_RTOL = 1e-8
RR_ATOL_SCALE = 1e-10


def state_id(name: str) -> str:
    """SBML id of a state."""
    return f"y_{name}"


def _literal(x: Any, dtype: Any = None) -> str:
    """SBML text of one constant: ``true``/``false`` for a Boolean (``dtype`` bool), else a
    real number (finite; the unit is the traced value's, as in the engine)."""
    if dtype is not None and np.dtype(dtype) == np.bool_:
        return "true" if bool(np.asarray(x)) else "false"
    v = float(np.asarray(x))
    if not np.isfinite(v):
        raise ValueError(f"SBML export: non-finite literal {v}")
    return repr(v)


def _kind(dtype: Any) -> str:
    """``"bool"``, ``"int"`` or ``"float"``: the kind of a traced value's dtype."""
    dt = np.dtype(dtype)
    if dt == np.bool_:
        return "bool"
    return "int" if np.issubdtype(dt, np.integer) else "float"


_BINARY = {
    "add": "({} + {})",
    "sub": "({} - {})",
    "mul": "({} * {})",
    "pow": "pow({}, {})",
    "max": "max({}, {})",
    "min": "min({}, {})",
}
_REAL_ONLY = {"div": "({} / {})"}  # an integer division truncates in JAX: not translated
_UNARY = {
    "neg": "(-{})",
    "sqrt": "sqrt({})",
    "exp": "exp({})",
    "log": "ln({})",
    "abs": "abs({})",
}
_COMPARISON = {
    "gt": "gt({}, {})",
    "lt": "lt({}, {})",
    "ge": "geq({}, {})",
    "le": "leq({}, {})",
    "eq": "eq({}, {})",
    "ne": "neq({}, {})",
}
_LOGICAL = {"and": "and({}, {})", "or": "or({}, {})", "xor": "xor({}, {})"}


class _Tracer:
    """Turns a jaxpr into SBML assignment rules, one per scalar real (or integer) intermediate
    value. A Boolean value (a comparison, a logical operation) is never a parameter: it is kept
    as a formula and written inline where it is used (a piecewise condition), since SBML
    parameters hold numbers and COPASI, for one, refuses a rule that stores a Boolean in one."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, str]] = []  # (id, L3 formula)
        self._n = 0

    def new(self, formula: str) -> str:
        self._n += 1
        name = f"v{self._n}"
        self.rules.append((name, formula))
        return name

    def run(self, jaxpr: Any, consts: list[Any], args: list[np.ndarray]) -> list[np.ndarray]:
        env: dict[Any, np.ndarray] = {}

        def read(v: Any) -> np.ndarray:
            if type(v).__name__ == "Literal":
                return np.asarray(_literal(v.val, v.aval.dtype), dtype=object)
            return env[v]

        for v, c in zip(jaxpr.constvars, consts, strict=True):
            arr = np.asarray(c)
            env[v] = (
                np.vectorize(lambda x, d=arr.dtype: _literal(x, d), otypes=[object])(arr)
                if arr.size
                else arr
            )
        for v, a in zip(jaxpr.invars, args, strict=True):
            env[v] = a
        for eqn in jaxpr.eqns:
            ins = [read(v) for v in eqn.invars]
            kinds = [_kind(v.aval.dtype) for v in (*eqn.invars, *eqn.outvars)]
            outs = self._eqn(eqn.primitive.name, eqn.params, ins, kinds)
            for v, o in zip(eqn.outvars, outs, strict=True):
                env[v] = o
        return [read(v) for v in jaxpr.outvars]

    def _map(
        self, fmt: Callable[..., str], *arrays: np.ndarray, inline: bool = False
    ) -> np.ndarray:
        """``fmt`` applied element by element (broadcast); each result a new parameter with an
        assignment rule, or, ``inline`` (a Boolean), the formula itself."""
        b = np.broadcast_arrays(*[np.asarray(a, dtype=object) for a in arrays])
        out = np.empty(b[0].shape, dtype=object)
        for idx in np.ndindex(out.shape):
            formula = fmt(*[x[idx] for x in b])
            out[idx] = formula if inline else self.new(formula)
        return out

    def _eqn(
        self, prim: str, params: Mapping[str, Any], ins: list[np.ndarray], kinds: list[str]
    ) -> list[Any]:
        """The outputs of one primitive; ``kinds``: bool/int/float of its inputs then outputs."""
        out_kind = kinds[-1]
        if prim in _COMPARISON:
            return [self._map(_COMPARISON[prim].format, ins[0], ins[1], inline=True)]
        if prim in _LOGICAL or prim == "not":
            if out_kind != "bool":
                raise SbmlExportError(
                    f"SBML export: bitwise {prim!r} on {out_kind} values is not translated "
                    "(only its Boolean form is)"
                )
            if prim == "not":
                return [self._map("not({})".format, ins[0], inline=True)]
            return [self._map(_LOGICAL[prim].format, ins[0], ins[1], inline=True)]
        if out_kind == "bool" and prim not in _STRUCTURAL and prim not in _BOOL_OK:
            raise SbmlExportError(
                f"SBML export: JAX primitive {prim!r} with a Boolean result is not translated"
            )
        if prim in _BINARY:
            return [self._map(_BINARY[prim].format, ins[0], ins[1])]
        if prim in _REAL_ONLY:
            if out_kind != "float":
                raise SbmlExportError(
                    f"SBML export: JAX primitive {prim!r} on {out_kind} values (it truncates) "
                    "is not translated; only its real form is"
                )
            return [self._map(_REAL_ONLY[prim].format, ins[0], ins[1])]
        if prim in _UNARY:
            return [self._map(_UNARY[prim].format, ins[0])]
        if prim == "integer_pow":
            y = int(params["y"])
            return [self._map(lambda a: f"pow({a}, {y})", ins[0])]
        if prim == "select_n":
            return [self._select_n(ins, kinds)]
        if prim in ("convert_element_type", "copy", "copy_p"):
            return [self._convert(ins[0], kinds[0], out_kind)]
        if prim in _STRUCTURAL:
            return self._structural(prim, params, ins)
        if prim == "reduce_sum":
            axes = tuple(params["axes"])
            x = np.asarray(ins[0], dtype=object)
            moved = np.moveaxis(x, axes, list(range(len(axes))))
            flat = moved.reshape((-1, *moved.shape[len(axes) :]))
            out = np.empty(flat.shape[1:], dtype=object)
            for idx in np.ndindex(out.shape):
                out[idx] = self.new(" + ".join(str(v) for v in flat[(slice(None), *idx)]))
            return [out]
        if prim in ("jit", "pjit", "closed_call", "core_call"):
            closed = params["jaxpr"]
            return self.run(closed.jaxpr, list(closed.consts), ins)
        raise SbmlExportError(f"SBML export: JAX primitive {prim!r} is not translated")

    def _select_n(self, ins: list[np.ndarray], kinds: list[str]) -> np.ndarray:
        """select_n(which, case0, case1, ...) picks case[which]: with a Boolean ``which``, case1
        where it holds (an inline condition); with an integer, case k where it equals k. A
        Boolean result (a choice between conditions) stays an inline condition."""
        if kinds[-1] == "bool":
            if kinds[0] != "bool" or len(ins) != 3:
                raise SbmlExportError(
                    "SBML export: select_n between Boolean cases is translated only with a "
                    "Boolean predicate and two cases"
                )
            return self._map(
                lambda p, a, b: f"or(and({p}, {b}), and(not({p}), {a}))", *ins, inline=True
            )
        if kinds[0] == "bool":
            return self._map(lambda p, a, b: f"piecewise({b}, {p}, {a})", *ins)

        def pick(which: str, first: str, *rest: str) -> str:
            pieces = "".join(f"{v}, eq({which}, {k}), " for k, v in enumerate(rest, start=1))
            return f"piecewise({pieces}{first})"

        return self._map(pick, *ins)

    def _convert(self, x: np.ndarray, src: str, dst: str) -> np.ndarray:
        """convert_element_type (and copy): a Boolean made a number is ``piecewise(1, c, 0)``;
        a number made Boolean is ``neq(x, 0)`` (inline); a real made integer truncates towards
        zero; anything else is the same value."""
        if src == "bool" and dst != "bool":
            return self._map(lambda c: f"piecewise(1, {c}, 0)", x)
        if dst == "bool" and src != "bool":
            return self._map(lambda a: f"neq({a}, 0)", x, inline=True)
        if src == "float" and dst == "int":
            return self._map(lambda a: f"piecewise(floor({a}), geq({a}, 0), ceiling({a}))", x)
        return x

    def _structural(
        self, prim: str, params: Mapping[str, Any], ins: list[np.ndarray]
    ) -> list[np.ndarray]:
        """Primitives that only move values (slice, reshape, broadcast, ...): no new rules."""
        if prim == "squeeze":
            return [np.squeeze(ins[0], axis=tuple(params["dimensions"]))]
        if prim == "slice":
            idx = tuple(
                slice(a, b, s)
                for a, b, s in zip(
                    params["start_indices"],
                    params["limit_indices"],
                    params["strides"] or [1] * len(params["start_indices"]),
                    strict=True,
                )
            )
            return [ins[0][idx]]
        if prim == "broadcast_in_dim":
            shape, dims = tuple(params["shape"]), tuple(params["broadcast_dimensions"])
            x = np.asarray(ins[0], dtype=object)
            expanded = x.reshape(
                [x.shape[dims.index(i)] if i in dims else 1 for i in range(len(shape))]
            )
            return [np.broadcast_to(expanded, shape).copy()]
        if prim == "reshape":
            return [np.asarray(ins[0], dtype=object).reshape(params["new_sizes"])]
        if prim == "concatenate":
            return [np.concatenate([np.atleast_1d(x) for x in ins], axis=params["dimension"])]
        # stack
        return [np.stack(ins, axis=params.get("axis", 0))]


_STRUCTURAL = frozenset({"squeeze", "slice", "broadcast_in_dim", "reshape", "concatenate", "stack"})
_BOOL_OK = frozenset(
    {
        "select_n",
        "convert_element_type",
        "copy",
        "copy_p",
        "jit",
        "pjit",
        "closed_call",
        "core_call",
    }
)


# pint dimension of a unit atom -> (SBML base unit kind, the pint unit that kind is). The
# international unit (IU, biological activity) has no SBML base unit: it is written as a
# dimensionless kind (so IU/L is litre^-1 to a unit checker), named for what it is.
_SBML_KINDS: dict[str, tuple[str, str]] = {
    "[time]": ("second", "second"),
    "[length]": ("metre", "meter"),
    "[mass]": ("gram", "gram"),
    "[substance]": ("mole", "mole"),
    "[length] ** 3": ("litre", "liter"),
    "[biological_activity]": ("dimensionless", "international_unit"),
}
_DIMENSIONLESS = frozenset({"1", "dimensionless", ""})


def _symbol(atom: str) -> str:
    """Short ASCII name of a pint unit atom (``nanomole`` -> ``nmol``, ``deciliter`` -> ``dL``)."""
    if atom in ("day", "year"):
        return atom
    sym = ureg.get_symbol(atom).replace("µ", "u")
    return sym[:-1] + "L" if atom.endswith("liter") else sym


def _unit_items(unit: str) -> list[tuple[str, float]]:
    """(pint unit atom, exponent) pairs of a pint unit string (``nmol/L``: nanomole 1, liter -1)."""
    return [(atom, float(cast(float, e))) for atom, e in ureg.Quantity(1.0, unit).unit_items()]


def unit_sid(unit: str) -> str:
    """SBML UnitSId of a pint unit string of the model (``nmol/L`` -> ``u_nmol_per_L``,
    ``nmol/L/(kg/m**2)`` -> ``u_nmol_m2_per_L_kg``); ``dimensionless`` for ``1`` and
    ``dimensionless`` and for units that cancel (``IU/IU``)."""
    items = [] if unit.strip() in _DIMENSIONLESS else _unit_items(unit)
    if not items:
        return "dimensionless"

    def term(atom: str, exponent: float) -> str:
        e = abs(exponent)
        return _symbol(atom) + ("" if e == 1 else f"{e:g}".replace(".", "_"))

    num = [term(a, e) for a, e in items if e > 0]
    den = [term(a, e) for a, e in items if e < 0]
    sid = "_".join(num) if num else "1"
    return "u_" + sid + ("_per_" + "_".join(den) if den else "")


def _unit_parts(unit: str) -> list[tuple[str, float, int, float]]:
    """The SBML ``<unit>`` elements of a pint unit string: (kind, exponent, scale, multiplier),
    so that the unit is the product of (multiplier * 10^scale * kind)^exponent."""
    parts = []
    for atom, exponent in _unit_items(unit):
        dim = str(ureg.Quantity(1.0, atom).dimensionality)
        if dim not in _SBML_KINDS:
            raise SbmlExportError(
                f"SBML export: unit {unit!r} has a part {atom!r} of dimension {dim}, which has "
                f"no SBML base unit (allowed dimensions: {sorted(_SBML_KINDS)})"
            )
        kind, ref = _SBML_KINDS[dim]
        factor = float(ureg.Quantity(1.0, atom).to(ref).magnitude)
        scale = round(np.log10(factor))
        if abs(factor / 10.0**scale - 1.0) < 1e-12:
            parts.append((kind, exponent, scale, 1.0))
        else:
            parts.append((kind, exponent, 0, factor))
    return parts


def _notes(lines: list[str]) -> str:
    """An SBML notes element (XHTML), one paragraph per line (text escaped)."""
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines)
    return f'<notes><body xmlns="http://www.w3.org/1999/xhtml">{body}</body></notes>'


class _DoseRun(NamedTuple):
    """``doses`` dose events, ``every`` days apart from ``start`` (days), each adding the same
    ``jumps`` ((state index, amount in the state's unit), ...)."""

    start: float
    every: float
    doses: int
    jumps: tuple[tuple[int, float], ...]


MIN_RUN = 3
"""Fewest equal, evenly spaced, consecutive dose events written as one counting event."""


def _dose_runs(events: Mapping[float, Mapping[int, float]]) -> list[_DoseRun]:
    """The dose events (time in days -> state index -> amount) as runs: consecutive events
    (no other event between them) with the same jumps at one interval, to within 1e-9 d of
    ``start + k * every``, make one run if there are at least :data:`MIN_RUN`; else each event
    is a run of one. Two runs never share a time, so no two SBML events fire together."""
    times = sorted(events)
    jumps = [tuple(sorted(events[t].items())) for t in times]
    runs: list[_DoseRun] = []
    i = 0
    while i < len(times):
        j = i + 1
        if j < len(times) and jumps[j] == jumps[i]:
            every = times[j] - times[i]
            while (
                j < len(times)
                and jumps[j] == jumps[i]
                and abs(times[j] - (times[i] + (j - i) * every)) <= 1e-9
            ):
                j += 1
        n = j - i
        if n >= MIN_RUN:
            runs.append(_DoseRun(times[i], times[i + 1] - times[i], n, jumps[i]))
        else:
            runs.extend(_DoseRun(times[k], 0.0, 1, jumps[k]) for k in range(i, i + max(n, 1)))
            n = max(n, 1)
        i += n
    return runs


def _one_man(
    scenario: Scenario, pop: Mapping[str, Any] | None
) -> tuple[np.ndarray, dict[str, Any]]:

    prep = prepare([scenario], pop=pop)
    y0 = np.asarray(prep.y0[0], dtype=float)
    p = {k: np.asarray(v[0], dtype=float) for k, v in prep.params.items()}
    return y0, p


def export_sbml(scenario: Scenario, *, pop: Mapping[str, Any] | None = None) -> str:
    """The scenario's man and regimen as an SBML L3V2 document (a string); see the module."""
    return _export(scenario, pop, *_one_man(scenario, pop))


def _export(
    scenario: Scenario, pop: Mapping[str, Any] | None, y0: np.ndarray, p: dict[str, Any]
) -> str:
    libsbml = require("libsbml", "sbml", "SBML export")

    names = sorted(p)
    tracer = _Tracer()
    y_sym = np.array([state_id(s) for s in axis.STATES], dtype=object)
    p_sym = {k: np.asarray(f"p_{k}", dtype=object) for k in names}

    def traced(fn: Callable[[Any, Any], Any]) -> np.ndarray:
        jx = jax.make_jaxpr(fn)(jnp.asarray(y0), {k: jnp.asarray(p[k]) for k in names})
        args = [y_sym] + [p_sym[k] for k in names]  # tree order: y, then p's keys sorted
        (out,) = tracer.run(jx.jaxpr, list(jx.consts), args)
        return out

    dydt = traced(axis.rhs)
    columns = traced(axis.readout_vector)

    doc = libsbml.SBMLDocument(3, 2)
    model = doc.createModel()
    model.setId("hpgsim_" + "".join(c if c.isalnum() else "_" for c in scenario.name))
    model.setName(f"hpgsim: {scenario.name} (research/education software, not medical advice)")
    model.setTimeUnits(unit_sid("day"))
    # no species or compartments: these defaults apply to nothing, but set, importers (COPASI)
    # do not warn that they are missing
    for setter, sid in (
        (model.setSubstanceUnits, "mole"),
        (model.setExtentUnits, "mole"),
        (model.setVolumeUnits, "litre"),
        (model.setLengthUnits, "metre"),
        (model.setAreaUnits, unit_sid("m**2")),
    ):
        setter(sid)
    table = {row.name: row for row in PARAMETERS}
    defined: set[str] = set()

    def define(unit: str) -> str:
        sid = unit_sid(unit)
        if sid == "dimensionless" or sid in defined:
            return sid
        ud = model.createUnitDefinition()
        ud.setId(sid)
        ud.setName(unit)
        for kind, exponent, scale, multiplier in _unit_parts(unit):
            u = ud.createUnit()
            u.setKind(libsbml.UnitKind_forName(kind))
            u.setExponent(exponent)
            u.setScale(scale)
            u.setMultiplier(multiplier)
        defined.add(sid)
        return sid

    define("day")
    define("m**2")

    def parameter(pid: str, value: float | None, constant: bool, unit: str | None = None) -> Any:
        q = model.createParameter()
        q.setId(pid)
        q.setConstant(constant)
        if value is not None:
            q.setValue(float(value))
        if unit is not None:
            q.setUnits(define(unit))
        return q

    for k in names:
        row = table.get(k)
        if row is None:
            q = parameter(f"p_{k}", float(p[k]), True)
            q.setName(k)
            q.setNotes(
                _notes(
                    [
                        f"{k}: a derived constant of this man, computed by hpgsim from the "
                        "parameter table (hpgsim.model.axis.population_parameters, "
                        "patient_parameters and the drug families); its unit is not recorded "
                        "in the table, so it is left undeclared here."
                    ]
                )
            )
            continue
        q = parameter(f"p_{k}", float(p[k]), True, row.unit)
        q.setName(f"{k}: {row.meaning}")
        lines = [
            f"{k} ({row.group}): {row.meaning}",
            f"unit: {row.unit}",
            f"table value: {row.value:.6g} {row.unit}; this man's value: {float(p[k]):.6g}",
            f"source ({type(row.provenance).__name__.lower()}): {row.source}",
        ]
        if row.calibrated_to is not None:
            lines.append(f"calibrated to: {row.calibrated_to}")
        if row.refs:
            lines.append("references: " + ", ".join(row.refs))
        q.setNotes(_notes(lines))
    for record, value in zip(axis.LAYOUT.states, y0, strict=True):
        q = parameter(state_id(record.name), float(value), False, record.unit)
        q.setName(f"{record.name}: {record.meaning}")
        q.setNotes(
            _notes(
                [
                    f"state {record.name} ({record.block}): {record.meaning}",
                    f"unit: {record.unit}; rate rule in {record.unit} per day",
                    "initial value: this man's untreated steady state",
                ]
            )
        )
    for rid, formula in tracer.rules:
        parameter(rid, None, False)
        rule = model.createAssignmentRule()
        rule.setVariable(rid)
        rule.setMath(_parse(formula))
    for name, d in zip(axis.STATES, dydt, strict=True):
        rule = model.createRateRule()
        rule.setVariable(state_id(name))
        rule.setMath(_parse(str(d)))
    for col, expr in zip(axis.OUTPUT_COLUMNS, columns, strict=True):
        parameter(col, None, False).setName(col)  # COPASI reports it by this name
        rule = model.createAssignmentRule()
        rule.setVariable(col)
        rule.setMath(_parse(str(expr)))

    events: dict[float, dict[int, float]] = {}
    for t, state, amount in exact_dose_events(
        scenario, axis.population_parameters(scenario_pop(scenario, pop))
    ):
        at = events.setdefault(t, {})
        at[state] = at.get(state, 0.0) + amount
    for i, run in enumerate(_dose_runs(events)):
        ev = model.createEvent()
        ev.setId(f"dose_{i}")
        ev.setUseValuesFromTriggerTime(True)
        trig = ev.createTrigger()
        trig.setInitialValue(run.start > 0.0)  # a dose at time 0 fires at the start
        trig.setPersistent(True)
        if run.doses == 1:
            trig.setMath(_parse(f"time >= {run.start!r}"))
        else:  # a counter: the time of the run's next dose, moved on by each firing
            nid = f"dose_{i}_next"
            q = parameter(nid, run.start, False, "day")
            q.setName(f"time of the next dose of run {i} ({run.doses} doses)")
            last = run.start + (run.doses - 1) * run.every
            trig.setMath(_parse(f"and(geq(time, {nid}), leq({nid}, {last + 0.5 * run.every!r}))"))
            assign = ev.createEventAssignment()
            assign.setVariable(nid)
            assign.setMath(_parse(f"{nid} + {run.every!r}"))
        for state, amount in run.jumps:
            sid = state_id(axis.STATES[state])
            assign = ev.createEventAssignment()
            assign.setVariable(sid)
            assign.setMath(_parse(f"{sid} + {amount!r}"))
    errors = doc.checkInternalConsistency()
    if errors:
        raise RuntimeError(
            f"SBML export: {errors} consistency errors: {doc.getErrorLog().toString()}"
        )
    return libsbml.writeSBMLToString(doc)


def _parse(formula: str) -> Any:
    libsbml = require("libsbml", "sbml", "SBML export")

    math = libsbml.parseL3Formula(formula)
    if math is None:
        raise RuntimeError(
            f"SBML export: cannot parse {formula!r}: {libsbml.getLastParseL3Error()}"
        )
    return math


def load_roadrunner(
    scenario: Scenario,
    *,
    pop: Mapping[str, Any] | None = None,
    rtol: float = RR_RTOL,
    atol_scale: float = RR_ATOL_SCALE,
) -> Any:
    """A libRoadRunner instance of :func:`export_sbml` (tolerances: the module's by default).

    Each state gets its own absolute tolerance, ``atol_scale * max(|y0|, 1e-6)``, as the
    reference solve scales its ``atol``: with a single absolute tolerance CVODE stops (convergence
    or "too much accuracy" failures) on scenarios that restore the axis after long TRT, where
    depot amounts of 1e5 sit beside drug concentrations near 1e-6.
    """
    roadrunner = require("roadrunner", "sbml", "running the exported SBML in libRoadRunner")

    y0, p = _one_man(scenario, pop)  # the man is prepared once, for the file and the tolerances
    rr = roadrunner.RoadRunner(_export(scenario, pop, y0, p))
    rr.integrator.relative_tolerance = rtol
    for name, value in zip(axis.STATES, y0, strict=True):
        rr.integrator.setIndividualTolerance(
            state_id(name), atol_scale * max(abs(float(value)), 1e-6)
        )
    return rr
