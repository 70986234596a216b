"""Writing output files: atomically (never a partial file in place of a complete one), with
the statement every figure and page carries.

- :func:`atomic_output`: one file, written beside its target and renamed onto it.
- :func:`output_files`: several loose files of one command (``simulate --out --plot
  --events``), all written first, then renamed into place; a failure in any leaves none.
- :func:`output_folder`: a command's own folder (``trial``, ``report``, ``compare``), staged as
  a hidden sibling folder on the same filesystem with a ``manifest.json`` (every file's SHA-256
  and size, the hpgsim version, the command and its seed) written last, then swapped in whole
  (an atomic exchange where the kernel has one). A folder that is not empty is replaced only
  with ``overwrite``; staging folders left by a killed run are removed at the next start.
  :func:`verify_manifest` checks a folder against its manifest.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "FOOTER",
    "MANIFEST_NAME",
    "OutputExistsError",
    "atomic_output",
    "output_files",
    "output_folder",
    "verify_manifest",
]

MANIFEST_NAME = "manifest.json"
"""The file in every command folder that names the others, written last."""

_STAGING = ".hpgsim-staging-"
_RETIRED = ".hpgsim-retired-"


class OutputExistsError(FileExistsError):
    """The output folder is not empty and ``overwrite`` was not given (or is not a folder)."""


FOOTER = "hpgsim — research/education simulation, not medical advice"
"""The footer of every figure: hpgsim is research and education software, not a medical device."""


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it onto `path` only if the block succeeds.

    The temporary file is in the same folder (so the final ``os.replace`` is atomic) and keeps
    the suffix of `path` (so writers that infer the format from it still work). If the block
    raises, the temporary file is removed and `path` is left as it was: no partial file is ever
    left in place of a complete one.
    """
    target = Path(path)
    tmp = _staged_file(target)
    try:
        yield tmp
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _staged_file(target: Path) -> Path:
    """A new, empty temporary file beside ``target`` (same folder, same suffix), named with
    this process's id; the temporary files of ``target`` that a dead run left are removed
    first (a killed write leaves one behind)."""
    marker = f".{target.name}{_STAGING}"
    for old in target.parent.glob(f"{marker}*"):
        if old.is_file() and _left_by_dead_writer(old, marker):
            old.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f"{marker}{os.getpid()}-", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    return Path(name)


def _default_mode() -> int:
    return 0o666 & ~_umask()


@contextlib.contextmanager
def output_files(paths: Mapping[str, Path]) -> Iterator[dict[str, Path]]:
    """Temporary paths (by the same keys) beside each of ``paths``; all are renamed onto their
    targets only if the block succeeds, so a failure writing any file leaves none of them.

    Each rename is atomic; the set is published in one short loop after every file is
    complete (a kill inside that loop can leave some targets new and some as they were).
    """
    staged: dict[str, Path] = {}
    try:
        for key, target in paths.items():
            staged[key] = _staged_file(target)
        yield dict(staged)
        for key, tmp in staged.items():
            target = paths[key]
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        for key, tmp in staged.items():
            os.replace(tmp, paths[key])
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def _left_by_dead_writer(path: Path, marker: str) -> bool:
    """Whether ``path`` (named ``marker`` + writer pid + ``-`` ...) was left by a process that
    is no longer alive; a name without a pid counts as left behind, this process's does not."""
    pid_text = path.name.removeprefix(marker).split("-", 1)[0]
    if not pid_text.isdigit():
        return True
    pid = int(pid_text)
    return pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(parent: Path, name: str) -> list[Path]:
    """Remove the staging and retired folders of ``name`` in ``parent`` that a run which is no
    longer alive left behind (killed mid-write); returns what was removed."""
    removed = []
    for marker in (_STAGING, _RETIRED):
        for path in parent.glob(f".{name}{marker}*"):
            if path.is_dir() and _left_by_dead_writer(path, f".{name}{marker}"):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 with RENAME_EXCHANGE); False where the
    kernel, C library or filesystem has no such call."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(rc == 0)


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(folder: Path, meta: Mapping[str, Any]) -> Path:
    """Write ``folder/manifest.json``: ``meta`` plus every other file's SHA-256 and size."""
    files = {
        p.relative_to(folder).as_posix(): {"sha256": _file_digest(p), "bytes": p.stat().st_size}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    body = {**meta, "written": stamp, "files": files}
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(body, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def verify_manifest(folder: str | os.PathLike[str]) -> list[str]:
    """What is wrong with ``folder`` against its manifest: a missing manifest, a missing,
    changed or unlisted file. Empty when the folder is a complete, unchanged set."""
    root = Path(folder)
    path = root / MANIFEST_NAME
    if not path.is_file():
        return [f"{root}: no {MANIFEST_NAME}"]
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{path}: unreadable ({exc})"]
    problems = []
    for name, entry in listed.items():
        f = root / name
        if not f.is_file():
            problems.append(f"{name}: missing")
        elif f.stat().st_size != entry.get("bytes") or _file_digest(f) != entry.get("sha256"):
            problems.append(f"{name}: changed since the manifest was written")
    present = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME
    }
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(listed))]
    return problems


@contextlib.contextmanager
def output_folder(
    target: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    meta: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
) -> Iterator[Path]:
    """Yield a staging folder for a command's output folder ``target``; when the block
    succeeds, write the manifest into it last and put it in place of ``target`` whole.

    Raises :class:`OutputExistsError` before anything is written when ``target`` exists and is
    not a folder, or is a folder that is not empty and ``overwrite`` is false. If the block
    raises (or the process dies), ``target`` is left as it was; the staging folder is removed
    (a killed run's, at the next start in the same place).
    """
    target = Path(target)
    parent = target.parent
    if target.exists() and not target.is_dir():
        raise OutputExistsError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        raise OutputExistsError(
            f"{target} is not empty; give --overwrite to replace it (the whole folder)"
        )
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(parent, target.name)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}{_STAGING}{os.getpid()}-"))
    os.chmod(staging, 0o777 & ~_umask())
    try:
        yield staging
        info = meta() if callable(meta) else (meta or {})
        write_manifest(staging, info)
        if not target.exists():
            os.rename(staging, target)
        elif _exchange(staging, target):
            pass  # staging now holds the old folder: removed below
        else:  # no atomic exchange: retire the old folder, then rename (a short gap)
            retired = Path(
                tempfile.mkdtemp(dir=parent, prefix=f".{target.name}{_RETIRED}{os.getpid()}-")
            )
            os.rename(target, retired / "old")
            os.rename(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
