"""Floating-point precision: hpgsim solves in float64, and requires it rather than switching it
on for the whole process when imported.

The HPG axis couples minute-scale hormones with month-scale spermatogenesis in one stiff
system; in float32 the exponential integrator's propagators lose the slow states. JAX's 64-bit
mode is a process-wide switch that a library should not flip behind its caller's back, so every
solve checks it (:func:`require_x64`) and says how to turn it on; the ``hpgsim`` command, the
test suite and the scripts turn it on themselves (:func:`enable_x64`).
"""

from __future__ import annotations

import os
import sys

__all__ = ["X64_MESSAGE", "enable_x64", "require_x64"]

X64_MESSAGE = (
    "hpgsim solves in float64 and JAX's 64-bit mode is off: call hpgsim.enable_x64() (or "
    "jax.config.update('jax_enable_x64', True)) before any JAX computation, or set the "
    "environment variable JAX_ENABLE_X64=1"
)


def enable_x64() -> None:
    """Switch JAX to 64-bit mode for this process (do it before any JAX computation).

    Before JAX is imported this only sets ``JAX_ENABLE_X64=1``, which JAX reads when it is
    imported, so a command that does no science (``hpgsim --version``) never loads JAX."""
    jax = sys.modules.get("jax")
    if jax is not None:
        jax.config.update("jax_enable_x64", True)
    else:
        os.environ["JAX_ENABLE_X64"] = "1"


def require_x64() -> None:
    """Raise RuntimeError (:data:`X64_MESSAGE`) unless JAX's 64-bit mode is on (a solve has
    loaded JAX by then; before that, the switch is the environment variable JAX reads)."""
    jax = sys.modules.get("jax")
    if jax is not None:
        on = bool(jax.config.read("jax_enable_x64"))
    else:
        on = os.environ.get("JAX_ENABLE_X64", "").lower() in ("1", "true", "yes", "on")
    if not on:
        raise RuntimeError(X64_MESSAGE)
