"""Load librosa's numba kernels once per process, one process at a time.

librosa compiles its ``@guvectorize(cache=True)`` kernels (YIN's local minima,
zero crossings, peak picking, ...) on first use and writes each to numba's
cache as two files. Processes that compile the same kernel at the same time
(joblib workers, pytest-xdist, several notebooks on a fresh install) can
leave a pair written by different processes, and every later process that
loads it crashes with a segmentation fault (numba issue #10128; seen here in
CI). So the first audio transform of each process exercises the kernels
skemotion uses under an exclusive lock on a file in the temporary directory:
one process compiles and writes the cache, the others wait and then load it.
"""

import contextlib
import os
import tempfile
import threading

import numpy as np

from ..utils._locks import interprocess_lock as _file_lock

__all__ = ["ensure_librosa_kernels", "interprocess_lock", "register_warm_up", "warm_up_signals"]

# re-entrant: the warm-up's own calls pass through, other threads wait for it
_lock = threading.RLock()
_state = {"ready": False, "warming": False}


def _lock_path():
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"skemotion-numba-{user}.lock")


def interprocess_lock(path=None):
    """The lock of :mod:`skemotion.utils._locks` on ``path`` (the kernels' lock file by default)."""
    return _file_lock(_lock_path() if path is None else path)


# The warm-ups of the audio estimators, registered by their modules: this
# low-level module never imports an estimator (that made an import circle).
_warm_ups = []


def register_warm_up(warm_up):
    """Add ``warm_up`` (a function running every librosa path of one estimator) to the set.

    Decorator for the estimator modules. A warm-up registered after the kernels
    were made ready makes the next :func:`ensure_librosa_kernels` run them all again
    (cheap: the kernels already compiled load from numba's cache).
    """
    if warm_up not in _warm_ups:
        _warm_ups.append(warm_up)
        _state["ready"] = False
    return warm_up


def warm_up_signals():
    """Tiny float32 and float64 waveforms (a tone and noise) at 16 kHz for the warm-ups."""
    rng = np.random.default_rng(0)
    t = np.arange(4096) / 16000.0
    tone = np.sin(2 * np.pi * 150.0 * t) + 0.1 * rng.normal(size=t.size)
    return [np.stack([tone, rng.normal(size=t.size)]).astype(dtype) for dtype in (np.float32, np.float64)]


def _exercise_kernels():
    """Run every registered warm-up."""
    for warm_up in list(_warm_ups):
        warm_up()


def ensure_librosa_kernels():
    """Compile or load librosa's kernels in this process, under the inter-process lock.

    Cheap after the first call in a process. The first call in a fresh
    environment compiles (about 12 s); later processes load the cache. A
    temporary directory that cannot hold the lock file only loses the
    protection, never the transform.
    """
    if _state["ready"]:
        return
    with _lock:
        if _state["ready"] or _state["warming"]:
            return
        _state["warming"] = True
        try:
            with contextlib.ExitStack() as stack:
                try:
                    stack.enter_context(interprocess_lock())
                except OSError:
                    pass  # no lock file: run unprotected rather than fail the transform
                _exercise_kernels()
            _state["ready"] = True
        finally:
            _state["warming"] = False
