"""Skip the doctests of optional-dependency code when that dependency is missing
(as scikit-learn's conftest does for matplotlib and pandas).

It sits at the root of the repository, not in the package, so that the doctests of
``skemotion/`` see it while the wheel ships no test scaffolding.
"""

import importlib

import pytest
from _pytest.doctest import DoctestItem

# doctest name suffix -> module it needs
_NEEDS = {"BlazeFaceDetector": "ai_edge_litert"}


def _importable(module):
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not isinstance(item, DoctestItem):
            continue
        for suffix, module in _NEEDS.items():
            if item.name.endswith(suffix) and not _importable(module):
                item.add_marker(
                    pytest.mark.skip(reason=f"{module} is not installed (skemotion[blazeface])")
                )
