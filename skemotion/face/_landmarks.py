"""FaceLandmarker: MediaPipe's Face Mesh (468 landmarks) shipped in skemotion, run with LiteRT.

``data/face_landmark.tflite`` was copied unmodified from the ``mediapipe==0.10.21``
wheel (Apache-2.0; see ``NOTICE-MEDIAPIPE.txt`` there). The region of interest and
the tracking follow MediaPipe's face landmark graphs: a square 1.5 times the face,
rotated so that the eyes are level, warped to the model's 192x192 input; on the
next frame the region comes from the previous landmarks, and the detector runs
again only when the face is lost.
"""

import sys

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import Bunch

from ..exceptions import NoFaceError
from ..utils import Interval, Options, validate_params
from ..utils._output import MediaOutputMixin
from ._detectors import FaceDetector, import_cv2
from ._frames import StatelessTransformerMixin, check_frames
from ._litert import cached_interpreter
from ._registry import get_detector
from ._tracking import _pick

__all__ = ["FaceLandmarker", "MESH_REGIONS", "eye_centres"]

_MODEL_FILE = "face_landmark.tflite"
_INPUT = 192  # the model's input side, in pixels
N_LANDMARKS = 468
_ROI_SCALE = 1.5  # MediaPipe's RectTransformation scale around the face

# Landmark indices of the Face Mesh topology (MediaPipe's face_mesh_connections).
# "right"/"left" are the subject's: the right eye is on the image's left in a frontal face.
MESH_REGIONS = {
    "right_eye": (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246),
    "left_eye": (263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466),
    "right_brow": (46, 53, 52, 65, 55, 70, 63, 105, 66, 107),
    "left_brow": (276, 283, 282, 295, 285, 300, 293, 334, 296, 336),
    "nose": (1, 2, 4, 5, 6, 168, 197, 195),
    "lips": (0, 13, 14, 17, 37, 39, 40, 61, 78, 80, 81, 82, 84, 87, 88, 91, 95, 146, 178, 181,
             185, 191, 267, 269, 270, 291, 308, 310, 311, 312, 314, 317, 318, 321, 324, 375,
             402, 405, 409, 415),
    "face_oval": (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378,
                  400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21,
                  54, 103, 67, 109),
}
# single points used for the region of interest and the tests of geometry
_RIGHT_EYE_OUTER, _LEFT_EYE_OUTER = 33, 263
NOSE_TIP, MOUTH_RIGHT, MOUTH_LEFT, CHIN, FOREHEAD = 1, 61, 291, 152, 10


def eye_centres(landmarks):
    """Centres of the subject's right and left eyes: the mean of each eye's contour.

    Parameters
    ----------
    landmarks : array-like of shape (..., 468, 2) or (..., 468, 3)
        Face Mesh landmarks, as returned by :class:`FaceLandmarker`.

    Returns
    -------
    right, left : ndarray of shape (..., 2)
        ``x, y`` of each eye's centre; the subject's right eye is on the image's
        left in a frontal, unmirrored face.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.face import eye_centres
    >>> points = np.zeros((468, 2))
    >>> right, left = eye_centres(points)
    >>> right.tolist(), left.shape
    ([0.0, 0.0], (2,))
    """
    landmarks = np.asarray(landmarks, dtype=np.float64)[..., :2]
    right = landmarks[..., MESH_REGIONS["right_eye"], :].mean(axis=-2)
    left = landmarks[..., MESH_REGIONS["left_eye"], :].mean(axis=-2)
    return right, left


def _load():
    """This thread's interpreter and its (input, landmarks, presence) tensor indices."""

    def prepare(interpreter):
        (inp,) = interpreter.get_input_details()
        outputs = {int(d["shape"][-1]): d["index"] for d in interpreter.get_output_details()}
        if tuple(inp["shape"]) != (1, _INPUT, _INPUT, 3) or sorted(outputs) != [
            1, 3 * N_LANDMARKS
        ]:  # pragma: no cover - guards against a changed model file
            raise ValueError(f"Unexpected inputs or outputs in {_MODEL_FILE!r}.")
        return inp["index"], outputs[3 * N_LANDMARKS], outputs[1]

    return cached_interpreter(_MODEL_FILE, 1, owner="FaceLandmarker", prepare=prepare)


def _roi_from_box(box):
    """Region ``(cx, cy, side, angle)`` around a detector box: upright, 1.5x its longer side."""
    x0, y0, x1, y1 = box[:4]
    return (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0) * _ROI_SCALE, 0.0


def _roi_from_landmarks(xy):
    """Region around landmarks: rotated to level the eye corners, 1.5x their extent."""
    dx, dy = xy[_LEFT_EYE_OUTER, :2] - xy[_RIGHT_EYE_OUTER, :2]
    angle = float(np.arctan2(dy, dx))
    c, s = np.cos(angle), np.sin(angle)
    rotation = np.array([[c, -s], [s, c]])
    centre = xy[:, :2].mean(axis=0)
    upright = (xy[:, :2] - centre) @ rotation  # coordinates along the eye line and across it
    low, high = upright.min(axis=0), upright.max(axis=0)
    middle = centre + rotation @ ((low + high) / 2)
    return middle[0], middle[1], float((high - low).max()) * _ROI_SCALE, angle


def _run_model(frame, roi, cv2):
    """Landmarks ``(468, 3)`` in frame pixels and the face presence score, for one region."""
    cx, cy, side, angle = roi
    scale = side / _INPUT
    c, s = np.cos(angle) * scale, np.sin(angle) * scale
    half = _INPUT / 2
    # model pixel (u, v) -> frame pixel: rotate and scale about the region's centre
    to_frame = np.array([[c, -s, cx - c * half + s * half], [s, c, cy - s * half - c * half]])
    patch = cv2.warpAffine(frame, to_frame, (_INPUT, _INPUT),
                           flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                           borderMode=cv2.BORDER_CONSTANT)
    interpreter, (input_index, points_index, presence_index) = _load()
    interpreter.set_tensor(input_index, (patch.astype(np.float32) / np.float32(255))[None])
    interpreter.invoke()
    raw = interpreter.get_tensor(points_index).reshape(N_LANDMARKS, 3).astype(np.float64)
    logit = float(interpreter.get_tensor(presence_index).ravel()[0])
    xy = raw[:, :2] @ to_frame[:, :2].T + to_frame[:, 2]
    z = raw[:, 2:] * scale  # relative depth, in frame pixels like x and y
    return np.hstack([xy, z]), 1 / (1 + np.exp(-np.clip(logit, -100, 100)))


def _rgb(frame):
    return np.repeat(frame, 3, axis=2) if frame.shape[2] == 1 else np.ascontiguousarray(frame)


def _landmark_clip(clip, boxes, detector, min_presence):
    """Landmarks ``(n_frames, 468, 3)`` (NaN where not found) and presence scores of one clip.

    Each frame starts from the previous frame's landmarks; when the face is lost
    (presence under ``min_presence``) it starts from the frame's box, refined once
    from the landmarks found there. ``boxes`` gives the box per frame (NaN: none);
    without it the detector runs on the frames where it is needed.
    """
    cv2 = import_cv2()
    n_frames = clip.shape[0]
    points = np.full((n_frames, N_LANDMARKS, 3), np.nan)
    presence = np.zeros(n_frames)
    previous = None
    for t in range(n_frames):
        frame = _rgb(clip[t])
        if previous is not None:
            xy, score = _run_model(frame, _roi_from_landmarks(previous), cv2)
            if score >= min_presence:
                points[t], presence[t], previous = xy, score, xy
                continue
        box = _box_for(frame, t, boxes, detector, previous)
        previous = None
        xy, score = _run_model(frame, _roi_from_box(box), cv2)
        if score < min_presence:
            presence[t] = score
            continue
        refined, refined_score = _run_model(frame, _roi_from_landmarks(xy), cv2)
        if refined_score >= min_presence:
            xy, score = refined, refined_score
        points[t], presence[t], previous = xy, score, xy
    return points, presence


def _box_for(frame, t, boxes, detector, previous):
    """The face box to start from on frame ``t``.

    Without a box (none given, or the detector found no face) the whole frame is
    tried: pre-cropped face images (48 px FER-style crops) fill the frame, where
    detectors often miss them. The model's presence score rejects frames without a face.
    """
    whole = np.array([0.0, 0.0, frame.shape[1], frame.shape[0]])
    if boxes is not None:
        box = boxes[t]
        return whole if np.isnan(box).any() else box
    candidates = np.asarray(detector.detect(frame), dtype=np.float64).reshape(-1, 5)
    if not len(candidates):
        return whole
    reference = None
    if previous is not None:
        reference = np.concatenate([previous[:, :2].min(axis=0), previous[:, :2].max(axis=0)])
    return candidates[_pick(candidates, reference), :4]


def fill_missing(points):
    """Carry landmarks over frames without them: the last found, or the first one before it.

    Parameters
    ----------
    points : ndarray of shape (n_frames, n_landmarks, d)
        NaN on frames without landmarks.

    Returns
    -------
    ndarray of shape (n_frames, n_landmarks, d)
        A copy; still all NaN when no frame has landmarks.
    """
    points = points.copy()
    found = ~np.isnan(points).any(axis=(1, 2))
    if not found.any():
        return points
    first = int(np.argmax(found))
    points[:first] = points[first]
    for t in range(first + 1, len(points)):
        if not found[t]:
            points[t] = points[t - 1]
    return points


class FaceLandmarker(
    StatelessTransformerMixin, MediaOutputMixin, TransformerMixin, BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Locate 468 face landmarks in every frame of each clip (MediaPipe Face Mesh, offline).

    Google's MediaPipe Face Mesh model ships inside skemotion (the ``.tflite``
    file from the Apache-2.0 ``mediapipe==0.10.21`` wheel; nothing is downloaded)
    and runs with LiteRT: install it with ``pip install skemotion[blazeface]``.
    A face detector gives the first region; the region is a square 1.5 times the
    face, turned so that the eyes are level, and is refined once from the
    landmarks found in it. Each later frame starts from the previous frame's
    landmarks, like MediaPipe's tracking, and the detector runs again only when
    the model's face presence score falls under ``min_presence``. Where the
    detector finds nothing, the whole frame is tried as the face's box, so
    pre-cropped face images (48 px crops, which fill the frame) get landmarks
    too; the presence score still rejects frames without a face.

    ``transform`` returns landmarks for every frame: frames where the face was
    not found reuse the last landmarks found (frames before the first, the first
    ones), as :class:`FaceCropper` reuses boxes. :meth:`locate` also returns which
    frames had a face and the presence scores.

    Parameters
    ----------
    detector : {"blazeface", "haar"} or FaceDetector, default="blazeface"
        The face detector that starts (and restarts) tracking; see
        :class:`FaceCropper`. Its parameters are searchable as ``detector__<name>``.
    min_presence : float, default=0.5
        Smallest face presence score (the model's probability that its region
        holds a face) at which landmarks are kept, in (0, 1).
    n_dims : {2, 3}, default=2
        ``2``: ``x, y`` in pixels of the input frame. ``3`` adds the model's
        relative depth ``z`` (smaller is nearer the camera), in the same units.
    on_no_face : {"error", "nan"}, default="error"
        A clip in which no frame has a face raises
        :class:`~skemotion.exceptions.NoFaceError` naming every such sample, or
        gets NaN landmarks.
    n_jobs : int or None, default=None
        Clips processed in parallel by joblib (``-1``: all cores).
    verbose : int, default=0
        Show a progress bar of the clips on standard error when positive.

    See Also
    --------
    FaceCropper : Crops, aligns (``align=True``) and masks faces using these landmarks.
    LandmarkFeatures : Pose-invariant distances and angles from the landmarks.
    MESH_REGIONS : Landmark indices of the eyes, brows, nose, lips and face oval.

    Notes
    -----
    Landmarks are in the 468-point Face Mesh topology (not the 68-point iBUG
    one); :data:`MESH_REGIONS` names the indices of each part. Measured with
    ``python benchmarks/bench_face.py`` on the real CREMA-D frames at 640x480,
    one model call takes about 2 ms on one core; a tracked frame needs one call,
    a frame where tracking starts two calls and the detector.

    The LiteRT interpreter is created on first use and cached per thread
    outside the instance, so the transformer can be cloned and pickled.

    References
    ----------
    .. [1] Y. Kartynnik, A. Ablavatski, I. Grishchenko and M. Grundmann,
       "Real-time Facial Surface Geometry from Monocular Video on Mobile GPUs",
       CVPR Workshops 2019, arXiv:1907.06724.

    Examples
    --------
    >>> from skemotion.face import FaceLandmarker
    >>> from skemotion.face._testing import draw_faces
    >>> X, _ = draw_faces(n_samples=2, n_frames=3, size=(160, 160), random_state=0)
    >>> landmarker = FaceLandmarker()
    >>> landmarker.fit_transform(X).shape
    (2, 3, 468, 2)
    >>> bool(landmarker.locate(X).found.all())
    True
    """

    _parameter_constraints = {
        "detector": [Options({"haar", "blazeface"}), FaceDetector],
        "min_presence": [Interval(float, 0, 1, closed="neither")],
        "n_dims": [Options({2, 3})],
        "on_no_face": [Options({"error", "nan"})],
        "n_jobs": [int, None],
        "verbose": ["boolean", Interval(int, 0, None, closed="left")],
    }

    def __init__(self, *, detector="blazeface", min_presence=0.5, n_dims=2, on_no_face="error",
                 n_jobs=None, verbose=0):
        self.detector = detector
        self.min_presence = min_presence
        self.n_dims = n_dims
        self.on_no_face = on_no_face
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _check_params(self):
        validate_params(self, self.get_params(deep=False), self._parameter_constraints)

    def _check_X(self, X):
        return check_frames(X)

    def locate(self, X, boxes=None):
        """Landmarks of every frame where the face is found, with the found-mask.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            RGB frames.
        boxes : ndarray of shape (n_samples, n_frames, 4) or None, default=None
            Face boxes ``x0, y0, x1, y1`` to start tracking from (for instance
            :meth:`FaceCropper.detect`'s), NaN where there is none; ``None`` runs
            ``detector`` on the frames where tracking (re)starts.

        Returns
        -------
        faces : sklearn.utils.Bunch
            - ``landmarks``: ndarray of shape (n_samples, n_frames, 468, n_dims),
              float32, in pixels of the input frames; NaN on frames without a face.
            - ``found``: ndarray of shape (n_samples, n_frames), bool.
            - ``presence``: ndarray of shape (n_samples, n_frames), float32, the
              model's face presence score on the frame's final region (0 where
              no region was tried).
            - ``detection_rate``: ndarray of shape (n_samples,), float64, the
              fraction of frames with landmarks.

        Examples
        --------
        >>> from skemotion.face import FaceLandmarker
        >>> from skemotion.face._testing import draw_faces
        >>> X, true_boxes = draw_faces(n_samples=1, n_frames=2, size=(160, 160), random_state=0)
        >>> faces = FaceLandmarker().locate(X)
        >>> faces.landmarks.shape, faces.found.tolist()
        ((1, 2, 468, 2), [[True, True]])
        """
        self._check_params()
        X = self._check_X(X)
        if boxes is not None:
            boxes = np.asarray(boxes, dtype=np.float64)
            if boxes.shape != X.shape[:2] + (4,):
                raise ValueError(
                    f"Expected boxes of shape {X.shape[:2] + (4,)} (one per frame of X); "
                    f"got {boxes.shape}."
                )
        detector = get_detector(self.detector) if boxes is None else None
        from tqdm.auto import tqdm

        jobs = Parallel(n_jobs=self.n_jobs, return_as="generator")(
            delayed(_landmark_clip)(
                X[i], None if boxes is None else boxes[i], detector, float(self.min_presence)
            )
            for i in range(X.shape[0])
        )
        results = list(tqdm(jobs, total=X.shape[0], desc=type(self).__name__,
                            disable=not self.verbose, file=sys.stderr))
        points = np.stack([r[0] for r in results])[..., : self.n_dims]
        found = ~np.isnan(points).any(axis=(2, 3))
        return Bunch(
            landmarks=points.astype(np.float32),
            found=found,
            presence=np.stack([r[1] for r in results]).astype(np.float32),
            detection_rate=found.mean(axis=1),
        )

    def transform(self, X):
        """Landmarks of every frame, carried over frames where the face was not found.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            RGB frames (one channel is accepted too).

        Returns
        -------
        landmarks : ndarray of shape (n_samples, n_frames, 468, n_dims), dtype=float32
            In pixels of the input frames, one clip per input clip in input order.

        Raises
        ------
        NoFaceError
            When a clip has no face in any frame and ``on_no_face="error"``;
            lists every such sample.
        """
        faces = self.locate(X)
        missing = np.flatnonzero(~faces.found.any(axis=1))
        if len(missing) and self.on_no_face == "error":
            raise NoFaceError(
                f"{type(self).__name__}: no face landmarks found in any frame of samples "
                f"{missing.tolist()} (set on_no_face='nan' to keep them as NaN, or drop them "
                "using locate(X).detection_rate).",
                indices=missing.tolist(),
            )
        return np.stack([fill_missing(clip) for clip in faces.landmarks])
