"""Cartoon-face clips with known boxes, drawn in numpy (no media files needed)."""

import pytest

from skemotion.face._testing import draw_faces


@pytest.fixture(scope="session")
def faces():
    """(X, boxes): 4 clips of 3 frames, 96x96, one drifting cartoon face each."""
    return draw_faces(n_samples=4, n_frames=3, size=(96, 96), random_state=0)
