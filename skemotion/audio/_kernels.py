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
import time

import numpy as np

__all__ = ["ensure_librosa_kernels", "interprocess_lock"]

# re-entrant: the warm-up's own calls pass through, other threads wait for it
_lock = threading.RLock()
_state = {"ready": False, "warming": False}


def _lock_path():
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"skemotion-numba-{user}.lock")


@contextlib.contextmanager
def interprocess_lock(path=None):
    """Hold an exclusive lock on ``path`` (a file) across processes while the block runs."""
    path = _lock_path() if path is None else path
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


def _exercise_kernels():
    """Run every librosa code path of skemotion's audio transformers on a tiny signal."""
    from ._features import FEATURES, SpectralFeatures
    from ._spectrogram import Spectrogram

    rng = np.random.default_rng(0)
    t = np.arange(4096) / 16000.0
    tone = np.sin(2 * np.pi * 150.0 * t) + 0.1 * rng.normal(size=t.size)
    for dtype in (np.float32, np.float64):
        X = np.stack([tone, rng.normal(size=t.size)]).astype(dtype)
        features = SpectralFeatures(features=FEATURES, sr=16000, n_fft=512, hop_length=256, n_mfcc=4)
        features.fit_transform(X)
        for scale in ("mel", "linear"):
            Spectrogram(sr=16000, n_fft=512, hop_length=256, n_mels=8, scale=scale).fit_transform(X)


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
