"""hpgsim: a mechanistic simulator of the male hypothalamic-pituitary-gonadal axis.

Research and education software, not a medical device; its output is not medical advice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hpgsim.engine.precision import enable_x64

if TYPE_CHECKING:  # the names below load their modules on first use (PEP 562)
    from hpgsim.engine.simulation import (
        BatchSolveError,
        Solution,
        simulate,
        simulate_many,
        solve,
        solve_many,
    )
    from hpgsim.scenario import ScenarioError, load_scenario, scenario_from_dict

_LAZY = {
    "BatchSolveError": "hpgsim.engine.simulation",
    "Solution": "hpgsim.engine.simulation",
    "simulate": "hpgsim.engine.simulation",
    "simulate_many": "hpgsim.engine.simulation",
    "solve": "hpgsim.engine.simulation",
    "solve_many": "hpgsim.engine.simulation",
    "ScenarioError": "hpgsim.scenario",
    "load_scenario": "hpgsim.scenario",
    "scenario_from_dict": "hpgsim.scenario",
}
"""Public names and the module that defines each: importing ``hpgsim`` loads neither JAX nor
pandas, so commands that do no science start fast (issue #21)."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hpgsim' has no attribute {name!r}")


__all__ = [
    "BatchSolveError",
    "ScenarioError",
    "Solution",
    "enable_x64",
    "load_scenario",
    "scenario_from_dict",
    "simulate",
    "simulate_many",
    "solve",
    "solve_many",
]
__version__ = "0.1.0"
