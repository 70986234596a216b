"""Writing output files: atomically (never a partial file in place of a complete one), with
the statement every figure and page carries.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["FOOTER", "atomic_output"]

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
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
