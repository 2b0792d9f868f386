"""Turn per-frame detections into one smoothed face box per frame (pure numpy)."""

import numpy as np

__all__ = ["box_iou", "track_boxes", "center_box"]


def box_iou(a, b):
    """Intersection over union of boxes ``x0, y0, x1, y1`` (broadcasting over leading axes).

    Parameters
    ----------
    a, b : array-like of shape (..., 4)
        Boxes in pixels.

    Returns
    -------
    ndarray of shape (...)
        IoU in [0, 1]; 0 where both boxes are empty.

    Examples
    --------
    >>> from skemotion.face import box_iou
    >>> float(box_iou([0, 0, 10, 10], [5, 0, 15, 10]))
    0.3333333333333333
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    ix = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    iy = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = ix * iy
    area_a = np.clip(a[..., 2] - a[..., 0], 0, None) * np.clip(a[..., 3] - a[..., 1], 0, None)
    area_b = np.clip(b[..., 2] - b[..., 0], 0, None) * np.clip(b[..., 3] - b[..., 1], 0, None)
    union = area_a + area_b - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def center_box(height, width):
    """The fallback box: a centred square whose side is half the frame's shorter side.

    Parameters
    ----------
    height, width : int
        Frame size in pixels.

    Returns
    -------
    box : ndarray of shape (4,), dtype=float64
        ``x0, y0, x1, y1`` in pixels.

    Examples
    --------
    >>> from skemotion.face import center_box
    >>> center_box(60, 80).tolist()
    [25.0, 15.0, 55.0, 45.0]
    """
    side = 0.5 * min(height, width)
    cx, cy = width / 2, height / 2
    return np.array([cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2])


def _pick(candidates, previous):
    """Index of the candidate to follow: the largest on the first detection, then the
    one overlapping the previous box most (nearest centre when none overlaps)."""
    if previous is None:
        area = (candidates[:, 2] - candidates[:, 0]) * (candidates[:, 3] - candidates[:, 1])
        return int(np.argmax(area))
    iou = box_iou(candidates[:, :4], previous)
    if iou.max() > 0:
        return int(np.argmax(iou))
    centres = (candidates[:, :2] + candidates[:, 2:4]) / 2
    prev_centre = (previous[:2] + previous[2:]) / 2
    return int(np.argmin(((centres - prev_centre) ** 2).sum(axis=1)))


def track_boxes(detections, frame_size, *, smoothing=0.5, before_first="next"):
    """Follow one face through a clip.

    Parameters
    ----------
    detections : list of (ndarray of shape (k, 5) or None)
        Per frame, the detector's candidates (``x0, y0, x1, y1, score``), or
        ``None`` where detection was not run (``detect_every > 1``).
    frame_size : tuple (height, width)
        Frame size, for the centred fallback box.
    smoothing : float in [0, 1)
        Exponential smoothing weight of the previous box:
        ``box_t = smoothing * box_{t-1} + (1 - smoothing) * detection_t``.
    before_first : {"next", "center", "error"}
        Box for frames before the first detection: the first (smoothed) box, a
        centred square (:func:`center_box`), or NaN (``"error"``: the caller raises).

    Returns
    -------
    boxes : ndarray of shape (n_frames, 4), dtype=float64
        One box per frame; the last box is reused on frames without a detection.
        NaN everywhere when no frame has a detection.
    found : ndarray of shape (n_frames,), dtype=bool
        Whether the detector found a face in that frame.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.face import track_boxes
    >>> dets = [np.zeros((0, 5)), np.array([[10, 10, 30, 30, 5]]), None,
    ...         np.array([[20, 10, 40, 30, 5]])]
    >>> boxes, found = track_boxes(dets, (64, 64), smoothing=0.5)
    >>> boxes[:, 0].tolist(), found.tolist()
    ([10.0, 10.0, 10.0, 15.0], [False, True, False, True])
    """
    n_frames = len(detections)
    boxes = np.full((n_frames, 4), np.nan)
    found = np.zeros(n_frames, dtype=bool)
    previous = None
    first = None
    for t, candidates in enumerate(detections):
        if candidates is not None and len(candidates):
            candidates = np.asarray(candidates, dtype=np.float64).reshape(-1, 5)
            chosen = candidates[_pick(candidates, previous), :4]
            if previous is None:
                previous = chosen
            else:
                previous = smoothing * previous + (1 - smoothing) * chosen
            found[t] = True
            if first is None:
                first = t
        if previous is not None:
            boxes[t] = previous
    if first is not None and first > 0:
        if before_first == "next":
            boxes[:first] = boxes[first]
        elif before_first == "center":
            boxes[:first] = center_box(*frame_size)
        elif before_first != "error":
            raise ValueError(
                "before_first must be a str among {'center', 'error', 'next'}. "
                f"Got {before_first!r} instead."
            )
    return boxes, found
