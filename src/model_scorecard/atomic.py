"""Writing output files atomically, never over an input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import UserError


def write_text(path: str | Path, text: str | bytes, *, protect: Iterable[str | Path] = ()) -> Path:
    """Write ``text`` (str as UTF-8, or bytes as they are) to ``path`` via a temporary file and an atomic rename.

    A reader sees the old file or the new one, never half of one. ``protect`` lists the
    inputs of the run: writing over one of them is refused, so no user file is lost.
    """
    target = Path(path)
    resolved = target.resolve()
    for p in protect:
        if Path(p).resolve() == resolved:
            raise UserError(f"refusing to write {target}: it is an input of this run",
                            hint="choose another output file (-o)")
    if target.is_dir():
        raise UserError(f"cannot write {target}: it is a directory")
    parent = resolved.parent
    if not parent.is_dir():
        raise UserError(f"cannot write {target}: folder {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
