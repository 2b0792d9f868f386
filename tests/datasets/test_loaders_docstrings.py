"""Check that the corpus loaders document exactly the parameters they take."""

import inspect

import pytest
from numpydoc.docscrape import FunctionDoc

import skemotion.datasets as datasets

LOADERS = ["load_ravdess", "load_crema_d", "load_dfew", "load_eev", "load_recola",
           "load_fer2013", "map_labels"]  # fmt: skip


@pytest.mark.parametrize("name", LOADERS)
def test_parameters_are_documented_in_order(name):
    """Check that the numpydoc Parameters section lists the signature's parameters, in order."""
    func = getattr(datasets, name)
    documented = []
    for param in FunctionDoc(func)["Parameters"]:
        documented += [p.strip() for p in param.name.split(",")]
    assert documented == list(inspect.signature(func).parameters)
    doc = FunctionDoc(func)
    assert doc["Returns"] and doc["Examples"] and doc["See Also"]
