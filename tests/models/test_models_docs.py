"""The ``module__*`` lists in the estimators' docstrings are generated from the networks."""

import inspect
import re

import pytest
from numpydoc.docscrape import ClassDoc

from skemotion.utils import all_estimators


def _models():
    return [cls for _, cls in all_estimators() if hasattr(cls, "_input")]


@pytest.mark.parametrize("cls", _models(), ids=lambda c: c.__name__)
def test_module_parameters_in_the_docstring_match_the_network(cls):
    """Check that the docstring lists every argument of the default network that
    ``module__*`` sets, with its default, and no data-derived size."""
    network = cls._default_module
    doc = ClassDoc(cls)
    (module_entry,) = [p for p in doc["Parameters"] if p.name == "module"]
    text = " ".join(module_entry.desc)
    listed = dict(re.findall(r"``module__(\w+)`` \(((?:[^()]|\([^()]*\))*)\)", text))
    sig = inspect.signature(network).parameters
    expected = {name: p for name, p in sig.items() if name not in cls._input.sizes}
    assert set(listed) == set(expected)
    for name, p in expected.items():
        default = f'"{p.default}"' if isinstance(p.default, str) else repr(p.default)
        assert listed[name] == default, name
    for size in cls._input.sizes:  # the data-derived sizes are named as such
        assert size in sig and f"``{size}``" in text


@pytest.mark.parametrize("cls", _models(), ids=lambda c: c.__name__)
def test_module_parameters_are_accepted_by_the_network(cls, make_model, make_data):
    """Check that each listed ``module__*`` default, set explicitly, builds the same network."""
    X, y = make_data(cls)
    sig = inspect.signature(cls._default_module).parameters
    params = {f"module__{n}": p.default for n, p in sig.items() if n not in cls._input.sizes}
    est = make_model(cls, max_epochs=0, **params).fit(X, y)  # overrides the fast settings
    assert type(est.module_) is cls._default_module
