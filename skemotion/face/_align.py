"""Similarity alignment to a canonical eye position, and masks from the landmark hull."""

import numpy as np

from ._landmarks import eye_centres

__all__ = ["alignment_matrix", "hull_mask", "warp"]

# Face Mesh geometry in eye distances (between the eye centres), measured on the real
# CREMA-D faces and on the cartoon faces alike: the landmarks span 2.7 eye distances from
# forehead to chin, and the middle of that span lies 0.5 below the eyes.
FACE_HEIGHT = 2.7
FACE_CENTRE_BELOW_EYES = 0.5


def alignment_matrix(landmarks, out_wh, *, eye_distance=None, margin=0.2):
    """The 2x3 similarity transform from frame pixels to an aligned face of size ``out_wh``.

    The eyes become level, their midpoint lands on the vertical centre line and
    the face (forehead to chin) is centred vertically.

    Parameters
    ----------
    landmarks : ndarray of shape (468, 2) or (468, 3)
        Face Mesh landmarks of one frame, in its pixels.
    out_wh : tuple of (int, int)
        Output ``(width, height)``.
    eye_distance : float or None, default=None
        Distance between the eye centres as a fraction of the output width;
        ``None`` scales the face (forehead to chin, enlarged by ``margin`` on
        each side) to the output's shorter side, as the box crop does.
    margin : float, default=0.2
        Used when ``eye_distance`` is None.

    Returns
    -------
    ndarray of shape (2, 3)
        ``[A | b]`` with ``output = A @ frame_xy + b``.
    """
    right, left = eye_centres(landmarks)
    dx, dy = left - right
    iod = max(float(np.hypot(dx, dy)), 1e-6)
    out_w, out_h = out_wh
    if eye_distance is not None:
        scale = eye_distance * out_w / iod
    else:
        scale = min(out_w, out_h) / (FACE_HEIGHT * (1 + 2 * margin) * iod)
    angle = np.arctan2(dy, dx)
    c, s = np.cos(angle) * scale, np.sin(angle) * scale
    rotate = np.array([[c, s], [-s, c]])  # turns the eye line level, then scales
    target = np.array([out_w / 2, out_h / 2 - FACE_CENTRE_BELOW_EYES * iod * scale])
    middle = (left + right) / 2
    return np.hstack([rotate, (target - rotate @ middle)[:, None]])


def warp(frame, matrix, out_wh, fill, cv2):
    """Apply ``matrix`` to ``frame``; pixels from outside the frame get ``fill``.

    A strong reduction (a full HD face to 48 pixels) first shrinks the region
    the output sees with area averaging, so the result is not aliased.
    """
    out_w, out_h = out_wh
    scale = float(np.sqrt(abs(np.linalg.det(matrix[:, :2]))))
    channels = frame.shape[2]
    border = (fill,) * 4
    if scale < 0.75:
        inverse = cv2.invertAffineTransform(matrix)
        corners = np.array([[0, 0, 1], [out_w, 0, 1], [0, out_h, 1], [out_w, out_h, 1]], float)
        seen = corners @ inverse.T
        x0, y0 = np.floor(seen.min(axis=0)).astype(int) - 2
        x1, y1 = np.ceil(seen.max(axis=0)).astype(int) + 2
        patch = cut(frame, x0, y0, x1 - x0, y1 - y0, fill)
        small_wh = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
        frame = cv2.resize(patch, small_wh, interpolation=cv2.INTER_AREA)
        frame = frame.reshape(small_wh[1], small_wh[0], channels)
        fx, fy = small_wh[0] / (x1 - x0), small_wh[1] / (y1 - y0)
        # small pixel q = f * (p - origin), so p = q / f + origin
        linear = matrix[:, :2] / np.array([fx, fy])
        matrix = np.hstack([linear, (matrix[:, 2] + matrix[:, :2] @ [x0, y0])[:, None]])
    out = cv2.warpAffine(frame, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return out.reshape(out_h, out_w, channels)


def cut(frame, x0, y0, w, h, fill=0):
    """The ``w`` x ``h`` patch at ``(x0, y0)``, ``fill`` where it leaves the frame."""
    height, width = frame.shape[:2]
    patch = np.full((h, w, frame.shape[2]), fill, dtype=frame.dtype)
    fx0, fy0 = max(x0, 0), max(y0, 0)
    fx1, fy1 = min(x0 + w, width), min(y0 + h, height)
    if fx1 > fx0 and fy1 > fy0:
        patch[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0] = frame[fy0:fy1, fx0:fx1]
    return patch


def hull_mask(points, shape, cv2):
    """Boolean mask of the pixels inside the convex hull of ``points`` (x, y in pixels)."""
    hull = cv2.convexHull(np.asarray(points, dtype=np.float32)[:, :2])
    mask = np.zeros(shape[:2], dtype=np.uint8)
    # 4 fractional bits: the hull keeps sub-pixel precision
    cv2.fillConvexPoly(mask, np.round(hull * 16).astype(np.int32), 1, lineType=cv2.LINE_8,
                       shift=4)
    return mask.astype(bool)
