"""An exclusive lock on a file, held across processes (and threads with their own handle).

One helper for the two places that need one: the per-clip cache (one lock
file per entry) and the one-time warm-up of librosa's numba kernels. POSIX
uses ``fcntl.flock``; Windows uses ``msvcrt.locking`` on the file's first
byte, retried, since ``LK_LOCK`` gives up after 10 seconds.
"""

import contextlib
import os
import time

__all__ = ["interprocess_lock"]


@contextlib.contextmanager
def interprocess_lock(path):
    """Hold an exclusive lock on the file ``path`` (created if missing) while the block runs.

    Parameters
    ----------
    path : str or os.PathLike
        The lock file.

    Raises
    ------
    OSError
        When the file cannot be opened (e.g. its folder does not exist).

    Examples
    --------
    >>> import os, tempfile
    >>> from skemotion.utils._locks import interprocess_lock
    >>> with interprocess_lock(os.path.join(tempfile.gettempdir(), "doctest.lock")):
    ...     pass
    """
    with open(path, "a+b") as handle:
        if os.name == "nt":  # pragma: no cover - exercised on Windows only
            import msvcrt

            while True:
                try:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after 10 s; keep waiting
                    time.sleep(0.1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
