"""A per-clip on-disk cache of decoded media and features, safe across processes.

Each entry is one ``.npy`` file keyed by the clip (path, fragment, size and
modification time of the file, or the bytes of a waveform) and the parameters
that produced it: ``FrameSampler`` keeps frames, ``AudioLoader`` waveforms and
``SpectralFeatures`` features there, so cross-validation folds and search
candidates featurize each clip once. A lock file per key
(``utils._locks.interprocess_lock``) makes concurrent workers, threads or
processes, wait for the one that decodes instead of decoding again, so a clip is
decoded once however a search splits and parallelises the work.
"""

import os
import threading

import numpy as np

from ._locks import interprocess_lock

__all__ = ["ClipCache", "cache_location"]

_CACHE_VERSION = 2  # 2: uniform bins span the video stream; seek='auto' is exact

def cache_location(memory):
    """The directory of a ``memory`` parameter (None, a path or a ``joblib.Memory``)."""
    if memory is None:
        return None
    if isinstance(memory, str | os.PathLike):
        return os.fspath(memory)
    location = getattr(memory, "location", None)
    return None if location is None else os.fspath(location)


class ClipCache:
    """Per-clip arrays stored as ``<location>/skemotion_<kind>/<key>.npy``.

    Parameters
    ----------
    location : str
        The cache directory (created when missing).
    kind : str, default="frames"
        What is stored ("frames", "audio", "features"): one folder each.
    """

    def __init__(self, location, kind="frames"):
        self.directory = os.path.join(os.fspath(location), f"skemotion_{kind}")

    @staticmethod
    def key(path, params):
        """Hash of the clip's identity (path, fragment, file size and mtime) and ``params``.

        An image sequence is identified by each frame's path, size and mtime, so
        adding, removing, renaming or rewriting a frame gives a new key.
        """
        import joblib

        from .. import io as _io

        file_path, start, end = _io.parse_fragment(path)
        if _io._sequence.is_sequence(file_path):
            # A folder's own mtime misses frames rewritten in place: stamp every frame.
            stamp = _io._sequence.sequence_stamp(file_path)
        else:
            # A video keeps its own rate: its entries do not depend on sequence_fps.
            params = {k: v for k, v in params.items() if k != "sequence_fps"}
            try:
                st = os.stat(file_path)
                stamp = (st.st_size, st.st_mtime_ns)
            except OSError:
                stamp = None  # the decoder raises the proper error
        return joblib.hash(
            (_CACHE_VERSION, os.path.abspath(file_path), start, end, stamp, sorted(params.items()))
        )

    @staticmethod
    def array_key(array, params):
        """Hash of an array's dtype, shape and bytes and ``params``."""
        import joblib

        return joblib.hash((_CACHE_VERSION, array, sorted(params.items())))

    def get_or_compute(self, path, params, compute, *, cacheable=None):
        """Return the cached array of ``path`` under ``params``, computing it at most once.

        ``cacheable()``, called after ``compute()``, may veto storing the
        result: frames that came with a warning are decoded (and warned about)
        again next time rather than served silently from the cache.
        """
        return self.get_or_compute_key(self.key(path, params), compute, cacheable=cacheable)

    def get_or_compute_key(self, key, compute, *, cacheable=None):
        """Return the array stored under ``key``, computing and storing it at most once."""
        os.makedirs(self.directory, exist_ok=True)
        target = os.path.join(self.directory, key + ".npy")
        frames = self._load(target)
        if frames is not None:
            return frames
        with interprocess_lock(os.path.join(self.directory, key + ".lock")):
            frames = self._load(target)  # another worker may have finished meanwhile
            if frames is not None:
                return frames
            frames = compute()
            if cacheable is not None and not cacheable():
                return frames
            tmp = f"{target[:-4]}.{os.getpid()}.{threading.get_ident()}.tmp.npy"
            np.save(tmp, frames)
            os.replace(tmp, target)
        return frames

    @staticmethod
    def _load(target):
        if not os.path.exists(target):
            return None
        try:
            return np.load(target)
        except (OSError, ValueError):  # a truncated entry (e.g. disk full): decode again
            return None
