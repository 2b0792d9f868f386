"""skemotion: emotion recognition from video and audio as scikit-learn estimators.

Subpackages are imported lazily, on first attribute access, so ``import
skemotion`` stays cheap: it never imports torch, librosa, cv2 or matplotlib
(``tests/test_import.py`` checks this in a fresh interpreter). Of the
subpackages, only :mod:`skemotion.models` loads torch when imported.

Examples
--------
>>> import skemotion
>>> skemotion.__version__  # doctest: +ELLIPSIS
'...'
>>> skemotion.io.read_frames.__module__  # loaded here, on first access
'skemotion.io._read'
"""

import importlib

from ._version import __version__
from .exceptions import MediaError, MediaWarning, NoFaceError, SkemotionError

_SUBMODULES = [
    "audio",
    "cli",
    "datasets",
    "face",
    "io",
    "metrics",
    "model_selection",
    "models",
    "utils",
    "video",
]

__all__ = _SUBMODULES + ["MediaError", "MediaWarning", "NoFaceError", "SkemotionError", "__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'skemotion' has no attribute {name!r}")


def __dir__():
    return __all__
