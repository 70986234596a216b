"""Scenario documents shared by several test modules (one place for each)."""

from __future__ import annotations

from typing import Any

TE_WEEKLY_LINE: dict[str, Any] = {
    "drug": "testosterone_enanthate",
    "dose": "200 mg",
    "route": "intramuscular",
    "every": "7 d",
}
"""Testosterone enanthate 200 mg IM weekly, the WHO contraception trials' dose."""


def te_weekly(name: str, horizon: str, stop: str) -> dict[str, Any]:
    """TE 200 mg weekly from day 0 until ``stop``, followed to ``horizon``, read every 28 d."""
    return {
        "name": name,
        "horizon": horizon,
        "output_every": "28 d",
        "regimen": [{**TE_WEEKLY_LINE, "stop": stop}],
    }
