"""Outputs appear together or not at all (#22, defect 5): staged folders with a manifest,
--overwrite, and SIGKILL at random moments."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.output.files import (
    MANIFEST_NAME,
    OutputExistsError,
    output_files,
    output_folder,
    remove_stale_staging,
    verify_manifest,
)
from scenario_data import te_weekly

ROOT = Path(__file__).resolve().parents[1]
HPGSIM = [sys.executable, "-m", "hpgsim.cli"]
SCENARIO = te_weekly("te-20-weeks", "420 d", "140 d")

# A writer that stages a folder of several files slowly (the window a kill can hit).
SLOW_WRITER = """
import sys, time
from hpgsim.output.files import output_folder
target, tag = sys.argv[1], sys.argv[2]
with output_folder(target, overwrite=True, meta={"tag": tag}) as stage:
    print("staging", flush=True)
    for i in range(8):
        (stage / f"part{i}.txt").write_text(tag * 100000)
        time.sleep(0.02)
print("done", flush=True)
"""


def _state(folder: Path) -> str:
    """'absent', or the tag of the complete set the folder holds (its manifest verifies)."""
    if not folder.exists():
        return "absent"
    assert verify_manifest(folder) == [], sorted(p.name for p in folder.iterdir())
    return str(json.loads((folder / MANIFEST_NAME).read_text())["tag"])


def test_a_folder_is_published_whole_with_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "run"
    with output_folder(out, meta={"seed": 7}) as stage:
        (stage / "a.csv").write_text("x\n1\n")
        (stage / "sub").mkdir()
        (stage / "sub" / "b.png").write_bytes(b"\x89PNG")
        assert not out.exists()  # nothing visible until the block ends
    assert verify_manifest(out) == []
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["seed"] == 7 and set(manifest["files"]) == {"a.csv", "sub/b.png"}
    (out / "a.csv").write_text("tampered")
    (out / "extra.txt").write_text("?")
    problems = verify_manifest(out)
    assert any("a.csv: changed" in p for p in problems)
    assert any("extra.txt: not in the manifest" in p for p in problems)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no staging left behind


def test_a_failed_block_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "run"
    with output_folder(out, meta={"tag": "old"}) as stage:
        (stage / "a.txt").write_text("old")
    with pytest.raises(RuntimeError), output_folder(out, overwrite=True) as stage:
        (stage / "a.txt").write_text("new")
        raise RuntimeError("the plot failed")
    assert (out / "a.txt").read_text() == "old" and verify_manifest(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_non_empty_folder_needs_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    with pytest.raises(OutputExistsError, match="--overwrite"), output_folder(out):
        pass
    assert (out / "mine.txt").read_text() == "keep"
    with output_folder(out, overwrite=True, meta={}) as stage:
        (stage / "new.txt").write_text("n")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "new.txt"]


def test_stale_staging_of_a_dead_run_is_removed_at_the_next_start(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".run.hpgsim-staging-{pid}-abc"
    stale.mkdir()
    (stale / "summary.json").write_text("{}")
    live = tmp_path / f".run.hpgsim-staging-{os.getppid()}-xyz"  # a live process's: kept
    live.mkdir()
    assert remove_stale_staging(tmp_path, "run") == [stale]
    assert live.exists() and not stale.exists()


def test_loose_files_appear_together_or_not_at_all(tmp_path: Path) -> None:
    a, b = tmp_path / "t.csv", tmp_path / "p.png"
    a.write_text("old table")
    with pytest.raises(OSError), output_files({"a": a, "b": b}) as tmp:
        tmp["a"].write_text("new table")
        raise OSError("cannot draw")
    assert a.read_text() == "old table" and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_simulate_with_an_unwritable_plot_leaves_no_table(tmp_path: Path) -> None:
    """The reproducer: --out ok.csv --plot <unwritable>/p.png exited 2 but left ok.csv."""
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where a folder should be")
    out = tmp_path / "ok.csv"
    res = CliRunner().invoke(
        app,
        [
            "simulate",
            str(ROOT / "examples/untreated_healthy.yaml"),
            "--out",
            str(out),
            "--plot",
            str(blocker / "p.png"),
        ],
    )
    assert res.exit_code == 2, res.output
    assert "cannot write output" in res.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_folder"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_sigkill_while_writing_leaves_the_old_set_or_the_new_one(tmp_path: Path, seed: int) -> None:
    """SIGKILL at a random moment of a slow staged write over an existing complete set: the
    folder afterwards is the old set or the new one, each verified by its manifest."""
    out = tmp_path / "run"
    with output_folder(out, meta={"tag": "a"}) as stage:
        (stage / "part0.txt").write_text("a")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(out), "b"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "staging"  # past the imports: in the write window
    time.sleep(random.Random(seed).uniform(0.0, 0.25))  # the writes take about 0.2 s
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _state(out) in ("a", "b")
    # the next run cleans the killed run's staging and publishes its own set
    subprocess.run(
        [sys.executable, "-c", SLOW_WRITER, str(out), "c"], env=env, check=True, capture_output=True
    )
    assert _state(out) == "c"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12])
def test_sigkill_of_hpgsim_trial_leaves_an_absent_or_complete_folder(
    tmp_path: Path, seed: int
) -> None:
    """`hpgsim trial` killed at a random moment of its run (interpreter start, solve, writing):
    a fresh --out is then absent or a complete set; a rerun into a complete set with
    --overwrite leaves the old set or the new one, never a mix of seeds."""
    scenario = tmp_path / "te.json"
    scenario.write_text(json.dumps(SCENARIO))
    out = tmp_path / "trial"
    args = [*HPGSIM, "trial", str(scenario), "--n", "4", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    subprocess.run([*args, "--seed", "1"], env=env, check=True, capture_output=True)
    full = time.perf_counter() - started
    first = json.loads((out / MANIFEST_NAME).read_text())["seed"]
    assert first == 1 and verify_manifest(out) == []
    proc = subprocess.Popen(
        [*args, "--seed", "2", "--overwrite"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(random.Random(seed).uniform(0.2, 1.1) * full)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert verify_manifest(out) == []
    assert json.loads((out / MANIFEST_NAME).read_text())["seed"] in (1, 2)
    fresh = tmp_path / "fresh"
    proc = subprocess.Popen(
        [*args[:-1], str(fresh), "--seed", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(random.Random(seed + 100).uniform(0.2, 1.1) * full)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not fresh.exists() or verify_manifest(fresh) == []


def test_a_killed_writes_temporary_file_is_removed_at_the_next_start(tmp_path: Path) -> None:
    """`simulate` killed while writing left a hidden 505 MB temporary CSV: temporary files
    carry their writer's process id, and a dead writer's are removed by the next write."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    target = tmp_path / "ok.csv"
    stale = tmp_path / f".ok.csv.hpgsim-staging-{int(dead.stdout)}-abc.tmp.csv"
    stale.write_text("half a table")
    with output_files({"t": target}) as tmp:
        tmp["t"].write_text("x\n1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]
