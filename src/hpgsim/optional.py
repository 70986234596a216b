"""Optional heavy dependencies (the package's extras), imported where they are used.

A plain ``simulate`` needs none of them. Each place that uses one calls :func:`require`, which
imports it or raises :class:`MissingExtraError` naming the extra that installs it; the CLI turns
that into its usual ``hpgsim: error:`` paragraph and exit status 2.

===========  ===============================  =============================================
extra        packages                         used by
===========  ===============================  =============================================
survival     lifelines                        trial summaries and reports (Kaplan-Meier, Cox)
scale        dask, distributed                trials on a Dask cluster (``--scheduler``)
sbml         python-libsbml, libroadrunner    SBML export and the libRoadRunner benchmark peer
sensitivity  SALib                            global Sobol indices (``hpgsim sensitivity``)
all          every extra above                ``make venv`` installs them all
===========  ===============================  =============================================

This module is part of the bottom layer: it imports nothing from the package.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

__all__ = ["EXTRAS", "MissingExtraError", "available", "require"]

EXTRAS: dict[str, tuple[str, ...]] = {
    "survival": ("lifelines",),
    "scale": ("dask", "distributed"),
    "sbml": ("python-libsbml", "libroadrunner"),
    "sensitivity": ("SALib",),
}
"""Each extra and the distributions it installs (pyproject.toml's optional-dependencies)."""

_DISTRIBUTION = {"libsbml": "python-libsbml", "roadrunner": "libroadrunner"}
"""Import names that differ from their distribution's name."""


class MissingExtraError(ImportError):
    """An optional package is not installed; the message says which extra installs it."""


def _message(module: str, extra: str, purpose: str) -> str:
    package = _DISTRIBUTION.get(module, module)
    return (
        f"hpgsim: {purpose} needs the optional package {package!r}; install it with: "
        f"pip install 'hpgsim[{extra}]' (make venv installs every extra)"
    )


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` (an optional dependency installed by ``hpgsim[extra]``) or raise
    :class:`MissingExtraError` saying that ``purpose`` needs it and how to install it."""
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}; known: {', '.join(sorted(EXTRAS))}")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        message = _message(module, extra, purpose)
        if exc.name is not None and exc.name.split(".")[0] != module.split(".")[0]:
            message += f" (it is installed but failed to import: {exc})"  # a broken install
        raise MissingExtraError(message, name=module) from exc


def available(module: str) -> bool:
    """Whether an optional ``module`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
