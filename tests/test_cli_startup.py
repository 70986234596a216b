"""Commands that do no science do not load JAX (issue #21: ``hpgsim --version`` took 2 s because
``import hpgsim`` imported the engine). Checked by what a fresh interpreter has imported, not by
timing it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import json, sys
from hpgsim.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in ("jax", "pandas", "matplotlib") if m in sys.modules)))
"""


def _heavy_modules_after(*argv: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [("--version",), ("--help",), ("protocols", "list"), ("protocols", "show", "clomiphene")],
)
def test_commands_without_science_do_not_import_jax(argv: tuple[str, ...]) -> None:
    assert _heavy_modules_after(*argv) == []


def test_import_hpgsim_is_light_and_its_names_load_on_use() -> None:
    code = (
        "import sys, hpgsim; light = 'jax' not in sys.modules; "
        "f = hpgsim.simulate; print(light, 'jax' in sys.modules, callable(f))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


def test_enable_x64_before_jax_is_imported_still_gives_float64() -> None:
    code = "import hpgsim; hpgsim.enable_x64(); import jax.numpy as jnp; print(jnp.zeros(1).dtype)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "float64"
