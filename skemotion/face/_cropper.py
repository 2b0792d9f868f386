"""FaceCropper and FaceMasker: detect, track and cut out the face in every frame of a clip."""

import sys
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils import Bunch

from ..exceptions import FaceWarning, NoFaceError
from ..utils import Interval, Options, validate_params
from ..utils._output import MediaOutputMixin
from ..utils._validation import Size, size_to_wh
from ._align import alignment_matrix, cut, hull_mask, warp
from ._detectors import FaceDetector, import_cv2
from ._frames import StatelessTransformerMixin, check_frames
from ._landmarks import FaceLandmarker, fill_missing
from ._registry import get_detector
from ._tracking import center_box, track_boxes

__all__ = ["FaceCropper", "FaceMasker"]



def _detect_clip(clip, detector, detect_every, smoothing, before_first):
    """Boxes, found-mask and processed-mask for one clip (runs in a joblib worker)."""
    n_frames, height, width = clip.shape[:3]
    detections = [
        _checked_detect(detector, clip[t]) if t % detect_every == 0 else None
        for t in range(n_frames)
    ]
    boxes, found = track_boxes(
        detections, (height, width), smoothing=smoothing, before_first=before_first
    )
    processed = np.array([d is not None for d in detections], dtype=bool)
    return boxes, found, processed


def _checked_detect(detector, frame):
    """Run a detector on one frame and check that it kept the (k, 5) contract."""
    boxes = np.asarray(detector.detect(frame), dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[1] != 5 or not np.isfinite(boxes).all():
        raise ValueError(
            f"{type(detector).__name__}.detect must return a finite array of shape "
            f"(n_faces, 5) (x0, y0, x1, y1, score); got shape {boxes.shape}."
        )
    return boxes


def _region(box, margin, out_wh=(1, 1)):
    """Integer ``(x0, y0, width, height)`` centred on ``box``, with the aspect of ``out_wh``.

    The face box's longer side, enlarged by ``margin`` on each side, is the region's
    shorter side; a non-square output adds context along its longer axis, so the face
    is never stretched.
    """
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0) * (1 + 2 * margin)
    out_w, out_h = out_wh
    if out_w >= out_h:
        h_px = max(1, int(round(side)))
        w_px = max(1, int(round(side * out_w / out_h)))
    else:
        w_px = max(1, int(round(side)))
        h_px = max(1, int(round(side * out_h / out_w)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return int(round(cx - w_px / 2)), int(round(cy - h_px / 2)), w_px, h_px


def _resize(image, out_wh, cv2):
    """Resize ``image`` to ``out_wh = (width, height)``."""
    out_w, out_h = out_wh
    if image.shape[0] == out_h and image.shape[1] == out_w:
        return image
    shrink = image.shape[0] > out_h or image.shape[1] > out_w
    interpolation = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    out = cv2.resize(image, (out_w, out_h), interpolation=interpolation)
    return out.reshape(out_h, out_w, image.shape[2])


def _ellipse_mask(shape, cx, cy, ax, ay):
    """Boolean mask of pixels whose centres lie inside the ellipse."""
    yy, xx = np.ogrid[: shape[0], : shape[1]]
    ax, ay = max(ax, 1e-6), max(ay, 1e-6)
    return ((xx + 0.5 - cx) / ax) ** 2 + ((yy + 0.5 - cy) / ay) ** 2 <= 1.0


class FaceCropper(
    StatelessTransformerMixin, MediaOutputMixin, TransformerMixin, BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Detect, track and crop (or mask) the face in every frame of each clip.

    Each frame goes through a face detector (by default OpenCV's Haar cascade,
    which ships with ``opencv-python-headless``; nothing is downloaded). One face
    is followed through the clip: the largest box on the first detection, then
    the box overlapping the previous one most. Boxes are smoothed exponentially,
    the last box is reused on frames without a detection, and frames before the
    first detection follow ``before_first``.

    In ``mode="crop"`` each frame becomes an image of ``size`` pixels centred on
    the face box, whose sides are enlarged by ``margin`` (parts outside the frame
    are black); a non-square ``size`` widens the region along its longer side
    rather than stretching the face. ``mode="mask"`` does the same and sets to zero every
    pixel outside the ellipse inscribed in the enlarged box, like the masked
    faces OpenFace produces; with ``size=None`` it keeps the frame's size and
    geometry instead of cropping.

    With ``align=True`` the face is instead rotated, scaled and translated to a
    canonical position (eyes level, their midpoint on the centre line) using the
    468 Face Mesh landmarks of :class:`FaceLandmarker`; ``mask_shape="hull"``
    masks everything outside the convex hull of the landmarks, as OpenFace's
    masked faces do. Both need the LiteRT runtime (``pip install
    skemotion[blazeface]``). A clip in which no landmarks are found falls back
    to the box path, with a :class:`~skemotion.exceptions.FaceWarning` naming it.

    Use :meth:`detection_rate` (or :meth:`detect`) to find clips where the face
    is seldom found and drop them before training (DFEW drops clips with a rate
    under 0.5).

    Parameters
    ----------
    detector : {"haar", "blazeface"} or FaceDetector, default="haar"
        The face detector: ``"haar"`` is :class:`HaarCascadeDetector` and
        ``"blazeface"`` :class:`BlazeFaceDetector` (faster; needs ``pip install
        skemotion[blazeface]``), each with its defaults; pass an instance to change its settings or plug in your own
        :class:`FaceDetector` subclass. An instance's parameters are searchable
        as ``detector__<name>`` (e.g. ``detector__min_neighbors``).
    mode : {"crop", "mask"}, default="crop"
        Square crop of the face, or crop (or frame) with the background zeroed.
    size : int, tuple of (int, int) or None, default=112
        Output frame size: one int for a square of that side, or
        ``(width, height)`` like :class:`~skemotion.video.FrameSampler`'s
        ``size`` (OpenCV and ffmpeg order). ``None`` (only with
        ``mode="mask"``) keeps the input frames' size.
    margin : float, default=0.2
        Fraction of the face box's side added on each side before cropping
        (with ``align=True``: of the face's height, forehead to chin, unless
        ``eye_distance`` is given).
    align : bool, default=False
        Rotate, scale and translate each frame so that the eyes are level and
        their midpoint is on the output's vertical centre line, with the face
        centred (needs landmarks; see above).
    eye_distance : float or None, default=None
        With ``align=True``: the distance between the eye centres as a fraction
        of the output width (0.3 puts them 30 % of the width apart). ``None``
        sets the scale from ``margin`` instead.
    mask_shape : {"ellipse", "hull"}, default="ellipse"
        With ``mode="mask"``: keep the ellipse inscribed in the enlarged face
        box, or the convex hull of the face landmarks (brows to chin, cheek to
        cheek).
    fill : int, default=0
        Value (0-255) of masked pixels and of pixels from outside the frame.
    landmarker : FaceLandmarker or None, default=None
        Locates the landmarks that ``align=True`` and ``mask_shape="hull"``
        need; ``None`` is ``FaceLandmarker(detector=detector)``. Its tracking
        runs the detector only where it (re)starts; the box path's detection
        runs only on clips without any landmarks. Its parameters are searchable
        as ``landmarker__<name>`` (e.g. ``landmarker__min_presence``).
    smoothing : float, default=0.5
        Exponential smoothing of boxes over frames, in [0, 1):
        ``box_t = smoothing * box_{t-1} + (1 - smoothing) * detection_t``;
        0 uses each frame's detection as is.
    detect_every : int, default=1
        Run the detector on every ``detect_every``-th frame only (frames 0, k,
        2k, ...) and reuse the last box in between; faster on long clips.
    before_first : {"next", "center", "error"}, default="next"
        Box for frames before the first detection: the first detected box
        (back-filled), a centred square of half the frame's shorter side, or
        raise :class:`~skemotion.exceptions.NoFaceError`.
    on_no_face : {"error", "center", "full"}, default="error"
        What to do with a clip in which no frame has a face: raise
        :class:`~skemotion.exceptions.NoFaceError` naming every such sample,
        use the centred square, or use the whole frame (crop: the frame padded
        to a square; mask: nothing is masked).
    n_jobs : int or None, default=None
        Clips processed in parallel by joblib (``-1``: all cores).
    verbose : int, default=0
        Show a :mod:`tqdm` progress bar of the clips on standard error when
        positive (detection is the slow step of a video pipeline).

    See Also
    --------
    FaceMasker : The same, masking the background and keeping the frame size.
    HaarCascadeDetector : The default detector and its settings.

    Notes
    -----
    The transformer is stateless: ``fit`` only checks the parameters and the
    input shape, and ``transform`` may be called without it.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> from skemotion.face import FaceCropper
    >>> from skemotion.io import read_frames
    >>> corpus = make_synthetic_expressions(4, tempfile.mkdtemp(), duration=0.5, fps=8,
    ...                                     with_audio=False, random_state=0)
    >>> X = np.stack([read_frames(path) for path in corpus.data])
    >>> X.shape
    (4, 4, 64, 64, 3)
    >>> cropper = FaceCropper(size=48)
    >>> cropper.fit_transform(X).shape
    (4, 4, 48, 48, 3)
    >>> FaceCropper(size=(48, 32)).fit_transform(X).shape  # (width, height)
    (4, 4, 32, 48, 3)
    >>> cropper.detection_rate(X).shape
    (4,)

    Aligned to level eyes 30 % of the width apart, background masked outside
    the landmark hull:

    >>> aligned = FaceCropper(size=48, align=True, eye_distance=0.3, mode="mask",
    ...                       mask_shape="hull", on_no_face="center")
    >>> aligned.fit_transform(X).shape
    (4, 4, 48, 48, 3)
    """

    _parameter_constraints = {
        "detector": [Options({"haar", "blazeface"}), FaceDetector],
        "mode": [Options({"crop", "mask"})],
        "size": [Size(), None],
        "margin": [Interval(float, 0, None, closed="left")],
        "align": ["boolean"],
        "eye_distance": [Interval(float, 0, 1, closed="right"), None],
        "mask_shape": [Options({"ellipse", "hull"})],
        "fill": [Interval(int, 0, 255, closed="both")],
        "landmarker": [FaceLandmarker, None],
        "smoothing": [Interval(float, 0, 1, closed="left")],
        "detect_every": [Interval(int, 1, None, closed="left")],
        "before_first": [Options({"next", "center", "error"})],
        "on_no_face": [Options({"error", "center", "full"})],
        "n_jobs": [int, None],
        "verbose": ["boolean", Interval(int, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        detector="haar",
        mode="crop",
        size=112,
        margin=0.2,
        align=False,
        eye_distance=None,
        mask_shape="ellipse",
        fill=0,
        landmarker=None,
        smoothing=0.5,
        detect_every=1,
        before_first="next",
        on_no_face="error",
        n_jobs=None,
        verbose=0,
    ):
        self.detector = detector
        self.mode = mode
        self.size = size
        self.margin = margin
        self.align = align
        self.eye_distance = eye_distance
        self.mask_shape = mask_shape
        self.fill = fill
        self.landmarker = landmarker
        self.smoothing = smoothing
        self.detect_every = detect_every
        self.before_first = before_first
        self.on_no_face = on_no_face
        self.n_jobs = n_jobs
        self.verbose = verbose

    # -- sklearn plumbing -------------------------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["uint8"]
        return tags

    def _mode(self):
        return self.mode

    def _check_params(self):
        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        if self.size is None and self._mode() == "crop":
            raise ValueError(
                f"The 'size' parameter of {type(self).__name__} must be {Size()} when "
                "mode='crop' (size=None is only allowed with mode='mask'). Got None instead."
            )
        if self.mask_shape == "hull" and self._mode() != "mask":
            raise ValueError(
                f"{type(self).__name__}(mask_shape='hull') masks the background, which needs "
                "mode='mask'; with mode='crop' nothing is masked."
            )

    def _needs_landmarks(self):
        return bool(self.align) or (self._mode() == "mask" and self.mask_shape == "hull")

    def _check_X(self, X):
        return check_frames(X)

    # -- public API -------------------------------------------------------------------
    def detect(self, X):
        """Detect and track the face in each clip, without cropping.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            RGB frames.

        Returns
        -------
        faces : sklearn.utils.Bunch
            - ``boxes``: ndarray of shape (n_samples, n_frames, 4), float32, the
              tracked face box ``x0, y0, x1, y1`` in pixels (before ``margin``).
              Clips without any face get the centred or full-frame box per
              ``on_no_face``, or NaN when it is ``"error"``; frames before the
              first detection are NaN when ``before_first="error"``.
            - ``found``: ndarray of shape (n_samples, n_frames), bool, whether the
              detector found a face in that frame (False on frames skipped by
              ``detect_every``).
            - ``detection_rate``: ndarray of shape (n_samples,), float64, the
              fraction of examined frames with a face.
            - ``fallback``: ndarray of shape (n_samples,), object, ``None`` or the
              ``on_no_face`` fallback (``"center"``/``"full"``) used for the clip.
            - ``landmarks`` (only with ``align=True`` or ``mask_shape="hull"``):
              ndarray of shape (n_samples, n_frames, 468, 2), float32, the
              :class:`FaceLandmarker` landmarks, carried over frames without
              them; NaN in clips without any. In clips with landmarks, ``boxes``
              are then the landmarks' bounding boxes and ``found`` says where
              landmarks were found.
            - ``landmarks_found`` (with ``landmarks``): ndarray of shape
              (n_samples, n_frames), bool.

        Examples
        --------
        >>> from skemotion.face import FaceCropper
        >>> from skemotion.face._testing import draw_faces
        >>> X, true_boxes = draw_faces(n_samples=1, n_frames=2, size=(96, 96), random_state=0)
        >>> faces = FaceCropper().detect(X)
        >>> faces.boxes.shape, faces.found.tolist()
        ((1, 2, 4), [[True, True]])
        """
        self._check_params()
        X = self._check_X(X)
        n_samples, n_frames, height, width = X.shape[:4]
        boxes = np.full((n_samples, n_frames, 4), np.nan)
        found = np.zeros((n_samples, n_frames), dtype=bool)
        processed = np.ones((n_samples, n_frames), dtype=bool)
        box_clips = np.arange(n_samples)
        landmarks = None
        if self._needs_landmarks():
            # Landmark tracking runs its detector only where tracking (re)starts; the box
            # detector then runs only on the clips without any landmarks, for the fallback.
            located = self._landmarker().locate(X)
            landmarks = np.stack([fill_missing(clip) for clip in located.landmarks])
            box_clips = np.flatnonzero(~located.found.any(axis=1))
            with_landmarks = np.flatnonzero(located.found.any(axis=1))
            points = landmarks[with_landmarks].astype(np.float64)
            boxes[with_landmarks] = np.concatenate([points.min(axis=2), points.max(axis=2)], -1)
            found[with_landmarks] = located.found[with_landmarks]
        detector = get_detector(self.detector)
        from tqdm.auto import tqdm

        results = Parallel(n_jobs=self.n_jobs, return_as="generator")(
            delayed(_detect_clip)(
                X[i], detector, self.detect_every, self.smoothing, self.before_first
            )
            for i in box_clips
        )
        results = tqdm(results, total=len(box_clips), desc=type(self).__name__,
                       disable=not self.verbose, file=sys.stderr)
        for i, (clip_boxes, clip_found, clip_processed) in zip(box_clips, results, strict=True):
            boxes[i], found[i], processed[i] = clip_boxes, clip_found, clip_processed
        rate = found.sum(axis=1) / processed.sum(axis=1)
        fallback = np.full(n_samples, None, dtype=object)
        for i in np.flatnonzero(~found.any(axis=1)):
            if self.on_no_face == "center":
                boxes[i] = center_box(height, width)
                fallback[i] = "center"
            elif self.on_no_face == "full":
                boxes[i] = [0, 0, width, height]
                fallback[i] = "full"
        faces = Bunch(
            boxes=boxes.astype(np.float32),
            found=found,
            detection_rate=rate.astype(np.float64),
            fallback=fallback,
        )
        if landmarks is not None:
            faces.landmarks = landmarks
            faces.landmarks_found = located.found
        return faces

    def _landmarker(self):
        """The landmark locator: ``landmarker``, or one starting from ``detector``'s boxes."""
        if self.landmarker is None:
            landmarker = FaceLandmarker(detector=self.detector)
        else:
            landmarker = clone(self.landmarker)
        landmarker.set_params(n_dims=2)
        if landmarker.n_jobs is None:
            landmarker.set_params(n_jobs=self.n_jobs)
        return landmarker

    def detection_rate(self, X):
        """Fraction of examined frames in which a face was found, per clip.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            RGB frames.

        Returns
        -------
        rate : ndarray of shape (n_samples,), dtype=float64
            Values in [0, 1]. Keep clips with ``rate >= 0.5`` to follow DFEW.

        Examples
        --------
        >>> import numpy as np
        >>> from skemotion.face import FaceCropper
        >>> from skemotion.face._testing import draw_faces
        >>> X, _ = draw_faces(n_samples=2, n_frames=2, size=(96, 96), random_state=0)
        >>> X[1] = 0  # no face at all in the second clip
        >>> rate = FaceCropper().detection_rate(X)
        >>> rate
        array([1., 0.])
        >>> X[rate >= 0.5].shape
        (1, 2, 96, 96, 3)
        """
        return self.detect(X).detection_rate

    def extract(self, X, faces):
        """Crop or mask ``X`` around boxes from :meth:`detect`.

        ``transform(X)`` is ``extract(X, detect(X))``; call the two steps to
        get both the detection rate and the crops while detecting only once.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            RGB frames.
        faces : Bunch
            The output of :meth:`detect` on the same ``X``.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            ``(width, height)`` is ``size`` (``(size, size)`` for an int), or the
            input's with ``mode="mask"`` and ``size=None``.

        Raises
        ------
        NoFaceError
            When clips have no face (``on_no_face="error"``) or frames precede
            the first detection (``before_first="error"``); lists every such sample.

        Examples
        --------
        >>> from skemotion.face import FaceCropper
        >>> from skemotion.face._testing import draw_faces
        >>> X, _ = draw_faces(n_samples=2, n_frames=2, size=(96, 96), random_state=0)
        >>> cropper = FaceCropper(size=32)
        >>> faces = cropper.detect(X)
        >>> cropper.extract(X, faces).shape, faces.detection_rate.tolist()
        ((2, 2, 32, 32, 3), [1.0, 1.0])
        """
        self._check_params()
        X = self._check_X(X)
        boxes = np.asarray(faces["boxes"], dtype=np.float64)
        if boxes.shape != X.shape[:2] + (4,):
            raise ValueError(
                f"Expected faces.boxes of shape {X.shape[:2] + (4,)} (from detect on the same X); "
                f"got {boxes.shape}."
            )
        fallback = faces.get("fallback")
        if fallback is None:
            fallback = np.full(X.shape[0], None, dtype=object)
        missing = np.isnan(boxes).any(axis=2)
        no_face = np.flatnonzero(missing.all(axis=1))
        late = np.flatnonzero(missing.any(axis=1) & ~missing.all(axis=1))
        if len(no_face) or len(late):
            parts = []
            if len(no_face):
                parts.append(
                    f"no face found in any frame of samples {no_face.tolist()} "
                    "(set on_no_face='center' or 'full' to keep them, or drop them using "
                    "detection_rate)"
                )
            if len(late):
                firsts = [int(np.argmin(missing[i])) for i in late]
                parts.append(
                    "no face found before frames "
                    + ", ".join(f"{f} of sample {i}" for i, f in zip(late.tolist(), firsts, strict=True))
                    + " (set before_first='next' or 'center' to fill them)"
                )
            raise NoFaceError(
                f"{type(self).__name__}: " + "; ".join(parts) + ".",
                indices=sorted(set(no_face.tolist()) | set(late.tolist())),
            )
        cv2 = import_cv2()
        mode = self._mode()
        landmarks = None
        if self._needs_landmarks():
            landmarks = faces.get("landmarks")
            if landmarks is None:
                raise ValueError(
                    f"faces has no 'landmarks', which align=True and mask_shape='hull' need: "
                    f"pass the output of {type(self).__name__}.detect with these parameters."
                )
            landmarks = np.asarray(landmarks, dtype=np.float64)
        out, box_only = [], []
        for i in range(X.shape[0]):
            if landmarks is not None and not np.isnan(landmarks[i]).any():
                clip = [self._landmark_frame(X[i, t], boxes[i, t], landmarks[i, t], mode, cv2)
                        for t in range(X.shape[1])]
            else:
                if landmarks is not None:
                    box_only.append(i)
                full = fallback[i] == "full"
                margin = 0.0 if full else float(self.margin)
                clip = [self._extract_frame(X[i, t], boxes[i, t], margin, mode, full, cv2)
                        for t in range(X.shape[1])]
            out.append(np.stack(clip))
        if box_only:
            warnings.warn(
                f"{type(self).__name__}: no face landmarks found in samples {box_only}; they "
                "were cropped by the face box instead (align and mask_shape='hull' need "
                "landmarks).",
                FaceWarning,
                stacklevel=2,
            )
        return np.stack(out)

    def _landmark_frame(self, frame, box, points, mode, cv2):
        """Aligned and/or hull-masked frame from the face's landmarks."""
        fill = int(self.fill)
        out_wh = size_to_wh(self.size) if self.size is not None else frame.shape[1::-1]
        if self.align:
            matrix = alignment_matrix(points, out_wh, eye_distance=self.eye_distance,
                                      margin=float(self.margin))
            patch = warp(frame, matrix, out_wh, fill, cv2)
            points = points @ matrix[:, :2].T + matrix[:, 2]
        elif self.size is None:
            patch = frame.copy()
        else:
            sx0, sy0, w_px, h_px = _region(box, float(self.margin), out_wh)
            patch = _resize(cut(frame, sx0, sy0, w_px, h_px, fill), out_wh, cv2)
            points = (points - [sx0, sy0]) * [out_wh[0] / w_px, out_wh[1] / h_px]
        if mode == "mask":
            if self.mask_shape == "hull":
                inside = hull_mask(points, patch.shape, cv2)
            else:  # the ellipse inscribed in the landmarks' box, enlarged by margin
                (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
                grow = 1 + 2 * float(self.margin)
                inside = _ellipse_mask(patch.shape, (x0 + x1) / 2, (y0 + y1) / 2,
                                       (x1 - x0) * grow / 2, (y1 - y0) * grow / 2)
            patch = np.where(inside[..., None], patch, np.uint8(fill)).astype(np.uint8)
        return patch

    def _extract_frame(self, frame, box, margin, mode, full, cv2):
        fill = np.uint8(self.fill)
        x0, y0, x1, y1 = box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        ax, ay = (x1 - x0) * (1 + 2 * margin) / 2, (y1 - y0) * (1 + 2 * margin) / 2
        if mode == "mask" and self.size is None:
            if full:
                return frame.copy()
            inside = _ellipse_mask(frame.shape, cx, cy, ax, ay)
            return np.where(inside[..., None], frame, fill).astype(np.uint8)
        out_wh = size_to_wh(self.size)
        sx0, sy0, w_px, h_px = _region(box, margin, out_wh)
        patch = _resize(cut(frame, sx0, sy0, w_px, h_px, fill), out_wh, cv2)
        if mode == "mask" and not full:
            sx, sy = out_wh[0] / w_px, out_wh[1] / h_px
            inside = _ellipse_mask(
                patch.shape, (cx - sx0) * sx, (cy - sy0) * sy, ax * sx, ay * sy
            )
            patch = np.where(inside[..., None], patch, fill).astype(np.uint8)
        return patch

    def transform(self, X):
        """Crop (or mask) the tracked face in every frame.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            RGB frames (one channel is accepted too).

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8
            One output clip per input clip, in input order; ``(width, height)``
            is ``size`` (``(size, size)`` for an int), or the input's with
            ``mode="mask"`` and ``size=None``.

        Raises
        ------
        NoFaceError
            See :meth:`extract`.
        """
        return self.extract(X, self.detect(X))


class FaceMasker(FaceCropper):
    """Set the background to zero outside the tracked face, keeping the frame size.

    ``FaceMasker()`` is :class:`FaceCropper` with ``mode="mask"`` and
    ``size=None``: every pixel outside the ellipse inscribed in the face box
    (enlarged by ``margin`` on each side) becomes black, like OpenFace's masked
    faces. Give ``size`` to also crop a square around the face.

    Parameters
    ----------
    detector : {"haar", "blazeface"} or FaceDetector, default="haar"
        The face detector (see :class:`FaceCropper`).
    size : int, tuple of (int, int) or None, default=None
        ``None`` keeps the frames' size; an int (a square of that side) or a
        ``(width, height)`` pair crops around the face, as
        ``FaceCropper(mode="mask")``.
    margin : float, default=0.2
        Fraction of the face box's side added on each side of the ellipse.
    align : bool, default=False
        Rotate, scale and translate to level eyes (see :class:`FaceCropper`).
    eye_distance : float or None, default=None
        With ``align=True``: the eye distance as a fraction of the output width.
    mask_shape : {"ellipse", "hull"}, default="ellipse"
        Keep the ellipse inscribed in the enlarged face box, or the convex hull
        of the face landmarks (OpenFace style; needs ``pip install
        skemotion[blazeface]``).
    fill : int, default=0
        Value (0-255) of masked pixels.
    landmarker : FaceLandmarker or None, default=None
        Locates the landmarks (see :class:`FaceCropper`).
    smoothing : float, default=0.5
        Exponential smoothing of boxes over frames, in [0, 1).
    detect_every : int, default=1
        Run the detector on every ``detect_every``-th frame only.
    before_first : {"next", "center", "error"}, default="next"
        Box for frames before the first detection.
    on_no_face : {"error", "center", "full"}, default="error"
        What to do with a clip in which no frame has a face.
    n_jobs : int or None, default=None
        Clips processed in parallel by joblib.
    verbose : int, default=0
        Show a progress bar of the clips on standard error when positive.

    See Also
    --------
    FaceCropper : Square crops of the face; all parameters are described there.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.face import FaceMasker
    >>> from skemotion.face._testing import draw_faces
    >>> X, _ = draw_faces(n_samples=1, n_frames=2, size=(96, 96), random_state=0)
    >>> Xm = FaceMasker().fit_transform(X)
    >>> Xm.shape
    (1, 2, 96, 96, 3)
    >>> bool((Xm[0, 0, 0, 0] == 0).all())  # a corner is background
    True
    >>> hull = FaceMasker(mask_shape="hull", fill=128).fit_transform(X)
    >>> hull[0, 0, 0, 0].tolist()  # OpenFace-style: outside the landmark hull
    [128, 128, 128]
    """

    _parameter_constraints = {
        k: v for k, v in FaceCropper._parameter_constraints.items() if k != "mode"
    }

    def __init__(
        self,
        *,
        detector="haar",
        size=None,
        margin=0.2,
        align=False,
        eye_distance=None,
        mask_shape="ellipse",
        fill=0,
        landmarker=None,
        smoothing=0.5,
        detect_every=1,
        before_first="next",
        on_no_face="error",
        n_jobs=None,
        verbose=0,
    ):
        self.detector = detector
        self.size = size
        self.margin = margin
        self.align = align
        self.eye_distance = eye_distance
        self.mask_shape = mask_shape
        self.fill = fill
        self.landmarker = landmarker
        self.smoothing = smoothing
        self.detect_every = detect_every
        self.before_first = before_first
        self.on_no_face = on_no_face
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _mode(self):
        return "mask"
