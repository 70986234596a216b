"""The patient's condition: which part of the axis sets his untreated testosterone.

One enum, one order, used by the model (individualization), the scenario file (by value) and
populations (codes in arrays). The integer codes are what batched solves carry per man.
"""

from __future__ import annotations

import enum

__all__ = ["Condition"]


class Condition(enum.IntEnum):
    """A man's condition; ``.label`` is the scenario file's spelling."""

    HEALTHY = 0
    """Eugonadal: his own T is set by both drive and testis, LH at the reference value."""
    PRIMARY_HYPOGONADISM = 1
    """Testicular: intact drive; the testis absorbs the difference (LH rises when T is low)."""
    SECONDARY_HYPOGONADISM = 2
    """Central: typical testis; the hypothalamic drive absorbs the difference (LH low/normal)."""
    CONGENITAL_HYPOGONADOTROPIC_HYPOGONADISM = 3
    """Central and congenital (CHH): as secondary, with its own default baseline T."""

    @property
    def label(self) -> str:
        """The name used in scenario and population files (``secondary_hypogonadism``)."""
        return self.name.lower()

    @property
    def central(self) -> bool:
        """Whether the drive, not the testis, is what is low (secondary or congenital)."""
        return self in (
            Condition.SECONDARY_HYPOGONADISM,
            Condition.CONGENITAL_HYPOGONADOTROPIC_HYPOGONADISM,
        )

    @classmethod
    def from_label(cls, label: str) -> Condition:
        """The condition named ``label`` (ValueError naming the allowed labels otherwise)."""
        for c in cls:
            if c.label == label:
                return c
        allowed = ", ".join(c.label for c in cls)
        raise ValueError(f"condition: got {label!r}; allowed: {allowed}")

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        """Every label, in code order."""
        return tuple(c.label for c in cls)
