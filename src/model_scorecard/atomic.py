"""Writing output files atomically, never over an input.

Two registries make that hold for every command at once:

- the inputs of the run: every loader notes the files it reads (:func:`note_input`;
  ``yamlio.read_input`` does it for every YAML file, so the whole ``extends:`` chain of a
  rubric, workload files, GPU files, shortlists and their catalogs are all noted), and
  :func:`write_text` refuses to write over any of them. The CLI opens one registry per
  command (:func:`invocation`, from ``cli.common.guarded``);
- the temporary files being written: an interrupted run (Ctrl-C, SIGTERM) removes them
  (:func:`discard_pending`), whichever thread was writing.

An output that cannot be written -- a full disk, ``/dev/full``, a folder without write
permission, a read-only or cross-device target -- is a :class:`UserError` naming the file
and the reason (exit 2), never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from model_scorecard.errors import UserError

CHUNK = 1 << 20  # bytes per os.write

_lock = threading.Lock()
# The files read by the open invocation (None: none open): real path → (device, inode) when it exists.
_reads: dict[str, tuple[int, int] | None] | None = None
_pending: set[str] = set()      # temporary files being written, by any thread

# What to tell people for the errors a write meets in practice.
_HINTS = {
    errno.ENOSPC: "the disk is full: free some space or write elsewhere",
    errno.EDQUOT: "the disk quota is used up: free some space or write elsewhere",
    errno.EFBIG: "the file is too large for that file system",
    errno.EACCES: "choose a file in a folder you may write to",
    errno.EPERM: "choose a file in a folder you may write to",
    errno.EROFS: "that file system is read-only: write elsewhere",
    errno.EXDEV: "the file and its folder are on different file systems (a link or mount across them): "
                 "write to a path on the target's own file system",
    errno.EBUSY: "the file is busy or a mount point: write elsewhere",
    errno.ENOENT: "its folder disappeared while writing",
    errno.EIO: "the device reported an I/O error",
}


# -- the inputs of a run -------------------------------------------------------------------

@contextmanager
def invocation() -> Iterator[None]:
    """Open a registry of the files read, for one command; the previous one comes back after."""
    global _reads
    saved = _reads
    _reads = {}
    try:
        yield
    finally:
        _reads = saved


def note_input(path: str | Path) -> None:
    """Record ``path`` as read by this run: no output of the run may replace it."""
    reads = _reads
    if reads is None:
        return
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return
    with _lock:
        reads[real] = _identity(real)


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of a regular file: the same file under any name (a hard link, another mount)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def inputs_read() -> tuple[str, ...]:
    """The real paths of the files this run has read so far (empty outside an invocation)."""
    with _lock:
        return tuple(sorted(_reads or ()))


_STREAM_NAMES = ("/dev/stdin", "/dev/stdout", "/dev/stderr")
_STREAM_FOLDERS = ("/dev/fd/", "/proc/")


def _is_stream(path: Path) -> bool:
    """A target written in place, not renamed over: a device, FIFO or socket (``/dev/null``,
    ``/dev/full``, ``>(…)``), or a process's open file (``/dev/stdout``, ``/dev/fd/3``,
    ``/proc/self/fd/1``) whatever it points to -- renaming over those would replace a link
    the shell made, not write where the output goes."""
    absolute = os.path.abspath(path)
    if absolute in _STREAM_NAMES or absolute.startswith(_STREAM_FOLDERS):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_target(path: str | Path, protect: Iterable[str | Path] = ()) -> None:
    """Refuse (UserError, exit 2) to write ``path`` when it is an input of the run: a file in
    ``protect`` or one any loader noted. Devices and pipes are never inputs that could be lost."""
    target = Path(path)
    if _is_stream(target):
        return
    real = os.path.realpath(target)
    with _lock:
        reads = dict(_reads or {})
    for extra in protect:
        extra_real = os.path.realpath(extra)
        reads[extra_real] = _identity(extra_real)
    identity = _identity(real)
    if real in reads or (identity is not None and identity in reads.values()):
        raise UserError(f"refusing to write {target}: it is an input of this run (a file it read)",
                        hint="choose another output file (-o); nothing was written")


def is_input(path: str | Path) -> bool:
    try:
        check_target(path)
    except UserError:
        return True
    return False


# -- writing -------------------------------------------------------------------------------

def _fault(target: Path, exc: OSError) -> UserError:
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or type(exc).__name__
    return UserError(f"cannot write {target}: {reason}", hint=_HINTS.get(exc.errno or 0))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    done = 0
    while done < len(view):
        written = os.write(fd, view[done:done + CHUNK])
        if written <= 0:  # pragma: no cover - os.write raises rather than return 0 on a full device
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done += written


def _write_stream(target: Path, data: Iterable[bytes]) -> None:
    """Write into a device or pipe, appending: nothing to rename over, nothing to truncate."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _fault(target, exc) from None
    try:
        for chunk in data:
            _write_all(fd, chunk)
    except BrokenPipeError:  # the reader of the pipe left: as for stdout, that is its choice
        raise
    except OSError as exc:
        raise _fault(target, exc) from None
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


def discard_pending() -> None:
    """Remove every temporary file still being written (an interrupted run calls this)."""
    with _lock:
        pending = list(_pending)
        _pending.clear()
    for tmp in pending:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _chunks(text: Any) -> Iterable[bytes]:
    if isinstance(text, str):
        return (text.encode("utf-8"),)
    if isinstance(text, (bytes, bytearray, memoryview)):
        return (bytes(text),)
    return text  # an iterable of byte chunks, written one at a time


def write_text(path: str | Path, text: Any, *, protect: Iterable[str | Path] = ()) -> Path:
    """Write ``text`` (str as UTF-8, or bytes as they are) to ``path`` via a temporary file and an atomic rename.

    A reader sees the old file or the new one, never half of one. Writing over an input of
    the run (``protect``, or any file a loader noted) is refused, so no user file is lost.
    A symlink is written through: the file it points to is replaced, the link stays. A
    device or pipe (``/dev/null``, ``/dev/stdout``) is written in place. Every OS error
    becomes a UserError naming the file and the reason.
    """
    import tempfile

    target = Path(path)
    check_target(target, protect)
    data = _chunks(text)
    if _is_stream(target):
        _write_stream(target, data)
        return target
    real = Path(os.path.realpath(target))
    if real.is_dir():
        raise UserError(f"cannot write {target}: it is a directory")
    parent = real.parent
    if not parent.is_dir():
        raise UserError(f"cannot write {target}: folder {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _fault(target, exc) from None
    with _lock:
        _pending.add(tmp)
    try:
        try:
            for chunk in data:
                _write_all(fd, chunk)
            try:
                os.fsync(fd)
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EROFS):  # nothing to sync on some file systems
                    raise
        finally:
            os.close(fd)
        try:
            if real.exists():
                os.chmod(tmp, real.stat().st_mode & 0o7777)
            else:
                mask = os.umask(0)
                os.umask(mask)
                os.chmod(tmp, 0o666 & ~mask)
        except OSError:  # a file system without permissions (vfat …): the file keeps mkstemp's 0600
            pass
        os.replace(tmp, real)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _settled(tmp)  # not before: a second Ctrl-C here leaves it to discard_pending()
        if isinstance(exc, OSError):
            raise _fault(target, exc) from None
        raise
    _settled(tmp)
    return target


def _settled(tmp: str) -> None:
    with _lock:
        _pending.discard(tmp)
