"""State records of the model spec: every state's name, unit, meaning, the block it belongs to
and its structure (linear transfer or not; member of a transit chain), from which the engine
reads the model's structure and the docs generate the state table.

A :class:`StateView` reads a state vector by name (``s["lh"]``, ``s.chain("germ")``), so the
right-hand side is written one ``dxdt["lh"] = ...`` line per state.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import jax
import jax.numpy as jnp

__all__ = ["Kind", "State", "StateLayout", "StateView"]


class Kind(enum.StrEnum):
    """How a state's derivative depends on the states."""

    LINEAR = "linear"
    """A linear transfer: d/dt is linear in the states with constant coefficients (absorption
    depots, first-order elimination, a chain's transit); the engine may propagate it exactly."""
    NONLINEAR = "nonlinear"
    """Feedback, saturation, binding: d/dt depends on the states nonlinearly."""
    INPUT = "input"
    """A zero-order input rate (an infusion): constant between dose events, d/dt = 0."""


@dataclass(frozen=True)
class State:
    """One state of the model.

    Attributes:
        name: identifier (``lh``, ``dep_cypionate_1``, ``germ_3``).
        unit: unit of the state's value (pint-parsable or ``dimensionless``).
        meaning: what the state is, in one line.
        block: the mechanism it belongs to (``pituitary``, ``testis``, a drug family, ...).
        kind: its structure (:class:`Kind`).
        chain: the transit chain it is a stage of (``germ``), or ``None``.
    """

    name: str
    unit: str
    meaning: str
    block: str
    kind: Kind = Kind.NONLINEAR
    chain: str | None = None


class StateLayout:
    """The ordered states of the model: index by name, chains, blocks."""

    def __init__(self, states: Iterable[State]) -> None:
        self.states: tuple[State, ...] = tuple(states)
        self.names: tuple[str, ...] = tuple(s.name for s in self.states)
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.names)}
        if len(self.index) != len(self.names):
            seen: set[str] = set()
            dup = [n for n in self.names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
            raise ValueError(f"duplicate state names: {dup}")
        chains: dict[str, list[str]] = {}
        for s in self.states:
            if s.chain is not None:
                chains.setdefault(s.chain, []).append(s.name)
        self.chains: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in chains.items()}

    def __len__(self) -> int:
        return len(self.states)

    def by_name(self, name: str) -> State:
        """The record of state ``name``."""
        return self.states[self.index[name]]

    def of_block(self, block: str) -> tuple[str, ...]:
        """Names of the states of one block, in order."""
        return tuple(s.name for s in self.states if s.block == block)

    def stack(self, dxdt: Mapping[str, jax.Array | float]) -> jax.Array:
        """The derivative vector from ``dxdt`` keyed by state name (a chain may be given as one
        vector under the chain's name). Every state must be given exactly once."""
        given = dict(dxdt)
        out: list[jax.Array | float | None] = [None] * len(self.states)
        for chain, members in self.chains.items():
            if chain in given:
                vec = given.pop(chain)
                for i, name in enumerate(members):
                    out[self.index[name]] = vec[i]  # type: ignore[index]
        for name, value in given.items():
            if name not in self.index:
                raise KeyError(f"dxdt[{name!r}]: no such state")
            out[self.index[name]] = value
        missing = [n for n, v in zip(self.names, out, strict=True) if v is None]
        if missing:
            raise KeyError(f"dxdt lacks states {missing}")
        return jnp.stack([jnp.asarray(v, dtype=jnp.float64) for v in out])


class StateView:
    """Read a state vector by name: ``s["lh"]``; ``s.chain("germ")`` stacks a chain."""

    def __init__(self, y: jax.Array, layout: StateLayout) -> None:
        self._y = y
        self._layout = layout

    def __getitem__(self, name: str) -> jax.Array:
        return self._y[self._layout.index[name]]

    def chain(self, name: str) -> jax.Array:
        """The stages of chain ``name`` as one vector, first stage first."""
        return jnp.stack([self[n] for n in self._layout.chains[name]])

    def total(self, names: Sequence[str]) -> jax.Array:
        """Sum of the named states, in order."""
        return sum((self[n] for n in names), start=jnp.asarray(0.0))
