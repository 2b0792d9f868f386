"""skemotion: emotion recognition from video and audio as scikit-learn estimators.

Subpackages are imported lazily, so ``import skemotion`` stays cheap and never
imports torch, librosa or matplotlib.

Examples
--------
>>> import skemotion
>>> skemotion.__version__  # doctest: +ELLIPSIS
'...'
>>> "torch" in skemotion.__all__
False
"""

import importlib

from ._version import __version__
from .exceptions import MediaError, NoFaceError, SkemotionError

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

__all__ = _SUBMODULES + ["MediaError", "NoFaceError", "SkemotionError", "__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'skemotion' has no attribute {name!r}")


def __dir__():
    return __all__
