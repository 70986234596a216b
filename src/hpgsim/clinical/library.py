"""The protocol library's files (``hpgsim/data/protocols/*.yaml``), read as data:
:func:`protocol_names`, :func:`load_protocol` and :class:`Protocol`.

Reading a protocol needs no model: this module imports YAML only, so ``hpgsim protocols list``
and ``show`` answer without loading JAX (issue #21). The scenarios built from a protocol are in
:mod:`hpgsim.clinical.protocols`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

__all__ = ["Protocol", "load_protocol", "protocol_names"]

_PROTOCOLS = resources.files("hpgsim").joinpath("data/protocols")


def protocol_names() -> tuple[str, ...]:
    """Names of the shipped protocols, sorted."""
    return tuple(
        sorted(
            p.name.removesuffix(".yaml") for p in _PROTOCOLS.iterdir() if p.name.endswith(".yaml")
        )
    )


@dataclass(frozen=True)
class Protocol:
    """A library protocol: the restoration phase after a TRT history. ``regimen`` lines are in
    scenario-file form with times from day 0, the end of full-dose TRT (its first missed dose);
    ``taper`` (``fractions`` of the TRT dose and ``every``) continues the TRT line at lower
    doses from day 0."""

    name: str
    title: str
    description: str
    article: str | None
    article_note: str | None
    sources: tuple[str, ...]
    regimen: tuple[dict[str, Any], ...]
    taper: dict[str, Any] | None
    text: str


def load_protocol(name: str) -> Protocol:
    """The library protocol ``name``. Raises ValueError naming the allowed names."""
    names = protocol_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"protocol: got {name!r}{hint}; allowed: {', '.join(names)}")
    text = _PROTOCOLS.joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Protocol(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        article=data.get("article"),
        article_note=data.get("article_note"),
        sources=tuple(data.get("sources") or ()),
        regimen=tuple(data.get("regimen") or ()),
        taper=data.get("taper"),
        text=text,
    )
