"""Datasets: the synthetic emotion corpus and loaders for local copies of published corpora.

Nothing here downloads: loaders parse a copy the user already has.
"""

import importlib

# name -> private module defining it; resolved lazily so that optional parts stay cheap.
_NAMES = {
    "get_data_home": "._synthetic",
    "make_synthetic_expressions": "._synthetic",
    "make_synthetic_valence": "._synthetic",
    "load_ravdess": "._ravdess",
    "load_crema_d": "._crema_d",
    "load_dfew": "._dfew",
    "load_eev": "._eev",
    "load_recola": "._recola",
    "load_fer2013": "._fer2013",
    "map_labels": "._labels",
}

__all__ = sorted(_NAMES)


def __getattr__(name):
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name], __name__), name)
    raise AttributeError(f"module 'skemotion.datasets' has no attribute {name!r}")


def __dir__():
    return __all__
