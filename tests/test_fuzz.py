"""The fuzz tier (#22): every generated or mutated scenario document either loads and simulates
on a short horizon with finite, non-negative outputs, or raises ScenarioError; nothing else,
and each within a time limit.

``make test`` runs a few hundred cases (HPGSIM_FUZZ_CASES, default 300); ``make fuzz`` runs
10,000 and prints the outcome counts. The documents come from ``tests/fuzz_documents.py``.
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_documents import document_bytes
from hpgsim import BatchSolveError, ScenarioError, load_scenario, solve_many
from hpgsim.scenario import Scenario, scenario_from_dict

CASES = int(os.environ.get("HPGSIM_FUZZ_CASES", "300"))
"""Documents per fuzz test (300 in the suite; make fuzz sets 10,000)."""

LOAD_LIMIT_S = 10.0
"""Per-document time limit of the loader, seconds (the slowest legitimate case is a document
near the size limit, well under a second)."""

SHORT = {"horizon": "14 d", "output_every": "1 d"}
"""The short horizon every loaded scenario is simulated on."""

COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _print_counts() -> Iterator[None]:
    """Print the outcome counts when the module's tests are done (visible with -s)."""
    yield
    print(f"\nfuzz: {CASES} documents per test; outcomes: {dict(sorted(COUNTS.items()))}")


class _Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise _Hang in this (main) thread after ``seconds``."""

    def alarm(signum: int, frame: object) -> None:
        raise _Hang(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_case(data: bytes, suffix: str, folder: Path) -> Scenario | None:
    """Load one document: the Scenario, or None for a ScenarioError; anything else (another
    exception, or over the time limit) propagates and fails the test."""
    path = folder / f"case{suffix}"
    path.write_bytes(data)
    with time_limit(LOAD_LIMIT_S):
        try:
            return load_scenario(path)
        except ScenarioError:
            return None


def shortened(s: Scenario) -> Scenario:
    """The same scenario on the short horizon (through its file form: a round trip)."""
    return scenario_from_dict({**s.to_input_dict(), **SHORT})


@settings(
    max_examples=CASES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=False))
def test_every_document_loads_or_raises_scenario_error(r: random.Random) -> None:
    data, suffix = document_bytes(r)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        try:
            loaded = load_case(data, suffix, Path(folder))
        except _Hang:
            COUNTS["loader hang"] += 1
            raise
        except Exception:
            COUNTS["loader crash"] += 1
            raise
        COUNTS["loader slowest ms"] = max(
            COUNTS["loader slowest ms"], round(1000 * (time.perf_counter() - started))
        )
    COUNTS["loaded" if loaded is not None else "ScenarioError"] += 1
    if loaded is not None:
        shortened(loaded)  # the file form round-trips (and validates on the short horizon)


def _loaded_scenarios(n_documents: int, seed: int) -> list[Scenario]:
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(n_documents):
            data, suffix = document_bytes(random.Random(seed * 1_000_003 + i))
            loaded = load_case(data, suffix, Path(folder))
            if loaded is not None:
                out.append(shortened(loaded).model_copy(update={"name": f"case-{i}"}))
    return out


@pytest.mark.slow
def test_every_loaded_document_simulates_finite_and_non_negative() -> None:
    """The loaded documents of CASES draws, each on a 14-day horizon, in batches through the
    production engine: each is refused with a ScenarioError when its solve is prepared
    (covariates that contradict each other, the step limit) or simulates with no NaN or
    infinity and no negative value; no failed man."""
    scenarios = _loaded_scenarios(CASES, seed=int(os.environ.get("HPGSIM_FUZZ_SEED", "22")))
    assert scenarios, "no document loaded: the generator is broken"
    batch = 100
    for k in range(0, len(scenarios), batch):
        part = scenarios[k : k + batch]
        solutions = []
        while part:
            try:
                solutions = solve_many(part)
                break
            except BatchSolveError as exc:
                COUNTS["simulation failed"] += len(exc.failed)
                raise
            except ScenarioError as exc:  # refused when the solve is prepared: drop that one
                COUNTS["ScenarioError when prepared"] += 1
                kept = [s for s in part if s.name != exc.source]
                if len(kept) == len(part):  # a batch-wide refusal names no one scenario
                    raise
                part = kept
        COUNTS["simulated"] += len(solutions)
        for sol in solutions:
            table = sol.to_frame().to_numpy()
            assert np.isfinite(table).all(), sol.scenario.to_input_dict()
            assert (table >= 0).all(), sol.scenario.to_input_dict()
