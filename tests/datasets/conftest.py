"""Fixtures shared by the corpus-loader tests."""

from pathlib import Path

import numpy as np
import pytest


def _same_corpus(linked, real):
    """The same samples, fields and targets; every path under the linked root and existing."""
    frame_cols = [c for c in real.frame.columns if "path" not in c]
    assert linked.frame[frame_cols].equals(real.frame[frame_cols])
    np.testing.assert_array_equal(np.asarray(linked.target), np.asarray(real.target))
    for path in linked.data:
        assert Path(str(path).split("#")[0]).exists()


@pytest.fixture
def same_corpus():
    """``same_corpus(linked, real)``: assert two loads of one corpus (e.g. through links) agree."""
    return _same_corpus
