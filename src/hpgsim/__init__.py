"""hpgsim: a mechanistic simulator of the male hypothalamic-pituitary-gonadal axis.

Research and education software, not a medical device; its output is not medical advice.
"""

from hpgsim.engine.precision import enable_x64
from hpgsim.engine.simulation import (
    BatchSolveError,
    Solution,
    simulate,
    simulate_many,
    solve,
    solve_many,
)
from hpgsim.scenario import ScenarioError, load_scenario, scenario_from_dict

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
