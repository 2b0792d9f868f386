"""Cartoon faces with known boxes, for tests and docstring examples (not public API).

It ships in the wheel on purpose, like ``sklearn.utils._testing``: the Examples sections of
``FaceCropper``, ``FaceMasker`` and the detectors draw their input with it, so a user can
run them; it has no test-framework dependency.
"""

import numpy as np

from ..utils import sample_rng


def _ellipse(img, cx, cy, ax, ay, color):
    yy, xx = np.ogrid[: img.shape[0], : img.shape[1]]
    inside = ((xx + 0.5 - cx) / ax) ** 2 + ((yy + 0.5 - cy) / ay) ** 2 <= 1.0
    img[inside] = color


def draw_face(frame_size, box, *, rng, background=(60, 110, 150)):
    """One RGB frame with a cartoon face whose skin ellipse fills ``box``.

    Parameters
    ----------
    frame_size : tuple (height, width)
    box : tuple (x0, y0, x1, y1)
        Bounding box of the face ellipse, in pixels.
    rng : numpy.random.Generator
        For the background noise.
    """
    height, width = frame_size
    img = np.empty((height, width, 3), dtype=np.float64)
    img[:] = background
    img += rng.normal(0, 6, img.shape)
    x0, y0, x1, y1 = box
    fw, fh = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    _ellipse(img, cx, cy, fw / 2, fh / 2, (225, 185, 160))
    for side in (-1, 1):
        _ellipse(img, cx + side * 0.2 * fw, cy - 0.12 * fh, 0.11 * fw, 0.06 * fh, (40, 30, 30))
        _ellipse(img, cx + side * 0.2 * fw, cy - 0.23 * fh, 0.13 * fw, 0.025 * fh, (70, 50, 40))
    _ellipse(img, cx, cy + 0.07 * fh, 0.05 * fw, 0.08 * fh, (190, 150, 130))
    _ellipse(img, cx, cy + 0.25 * fh, 0.2 * fw, 0.045 * fh, (120, 40, 40))
    return np.clip(img, 0, 255).astype(np.uint8)


def draw_faces(n_samples=2, n_frames=4, size=(96, 96), *, random_state=None):
    """Clips of one drifting cartoon face each, and the face's true boxes.

    Returns
    -------
    X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
    boxes : ndarray of shape (n_samples, n_frames, 4), dtype=float64
        ``x0, y0, x1, y1`` of the face ellipse in each frame.
    """
    height, width = size
    X = np.empty((n_samples, n_frames, height, width, 3), dtype=np.uint8)
    boxes = np.empty((n_samples, n_frames, 4))
    for i in range(n_samples):
        rng = sample_rng(random_state, i)
        fw = min(height, width) * rng.uniform(0.35, 0.5)
        fh = 1.3 * fw
        cx = width / 2 + rng.uniform(-0.1, 0.1) * width
        cy = height / 2 + rng.uniform(-0.05, 0.05) * height
        drift = rng.uniform(-0.01, 0.01, size=2) * min(height, width)
        for t in range(n_frames):
            x, y = cx + drift[0] * t, cy + drift[1] * t
            boxes[i, t] = (x - fw / 2, y - fh / 2, x + fw / 2, y + fh / 2)
            X[i, t] = draw_face((height, width), boxes[i, t], rng=rng)
    return X, boxes
