"""Cartoon-face clips with known boxes (drawn in numpy), real CREMA-D frames, the LiteRT runtime."""

import pytest

from skemotion.face._testing import draw_faces


@pytest.fixture(scope="session")
def faces():
    """(X, boxes): 4 clips of 3 frames, 96x96, one drifting cartoon face each."""
    return draw_faces(n_samples=4, n_frames=3, size=(96, 96), random_state=0)


@pytest.fixture
def litert():
    """LiteRT, which runs BlazeFace and the Face Mesh landmarks (skips without it)."""
    return pytest.importorskip(
        "ai_edge_litert.interpreter",
        reason="BlazeFaceDetector and FaceLandmarker need ai-edge-litert (skemotion[blazeface])",
    )


@pytest.fixture(scope="session")
def crema_frames(shared_data):
    """(6 clips, 6 frames, 480, 640, 3): the real CREMA-D clips of ../shared/data at 640x480."""
    import numpy as np

    from skemotion.io import read_frames

    paths = sorted((shared_data / "crema-d" / "VideoFlash").glob("*.flv"))
    return np.stack([read_frames(p, n_frames=6, size=(640, 480)) for p in paths])
