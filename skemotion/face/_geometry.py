"""LandmarkFeatures: distances and angles between face landmarks, invariant to pose in the image."""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..exceptions import FaceWarning
from ..utils import Options, check_array_shape, validate_params
from ..utils._output import ShapeAwareOutputMixin
from ._frames import StatelessTransformerMixin
from ._landmarks import N_LANDMARKS, eye_centres

__all__ = ["LandmarkFeatures"]

_SHAPE = "(n_samples, n_frames, 468, 2)"

# Face Mesh indices (subject's right / left; the right eye is on the image's left)
_P = {
    "mouth_r": 61, "mouth_l": 291, "lip_top": 0, "lip_bottom": 17, "lip_in_top": 13,
    "lip_in_bottom": 14, "eye_r_top": 159, "eye_r_bottom": 145, "eye_r_outer": 33,
    "eye_r_inner": 133, "eye_l_top": 386, "eye_l_bottom": 374, "eye_l_outer": 263,
    "eye_l_inner": 362, "brow_r_inner": 107, "brow_r_mid": 105, "brow_r_outer": 70,
    "brow_l_inner": 336, "brow_l_mid": 334, "brow_l_outer": 300, "nose_tip": 1,
    "nose_bridge": 168, "chin": 152,
}

FEATURES = (
    # distances, in eye distances (between the eye centres)
    "mouth_width", "mouth_opening", "lip_height", "right_eye_opening", "left_eye_opening",
    "right_eye_width", "left_eye_width", "right_brow_height", "left_brow_height",
    "right_inner_brow_height", "left_inner_brow_height", "brow_gap", "nose_to_mouth",
    "mouth_to_chin", "right_corner_to_eye", "left_corner_to_eye", "face_lower_height",
    # ratios
    "right_eye_aspect", "left_eye_aspect", "mouth_aspect",
    # angles, in radians
    "right_corner_lift", "left_corner_lift", "right_brow_slope", "left_brow_slope",
    "upper_lip_angle", "lower_lip_angle",
)

_STATISTICS = {
    "mean": np.nanmean, "std": np.nanstd, "min": np.nanmin, "max": np.nanmax,
    "median": np.nanmedian,
}


def _interior_angle(a, vertex, b):
    """Angle at ``vertex`` of the triangle (a, vertex, b), in radians."""
    u, v = a - vertex, b - vertex
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    return np.abs(np.arctan2(cross, (u * v).sum(axis=-1)))


def frame_features(landmarks):
    """All ``LandmarkFeatures.FEATURES`` of each frame.

    Parameters
    ----------
    landmarks : ndarray of shape (..., 468, 2)

    Returns
    -------
    ndarray of shape (..., n_features)
    """
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN frames (no face) stay NaN
        return _frame_features(np.asarray(landmarks, dtype=np.float64)[..., :2])


def _frame_features(points):
    right, left = eye_centres(points)
    middle = (right + left) / 2
    dx, dy = (left - right)[..., 0], (left - right)[..., 1]
    iod = np.hypot(dx, dy)
    c, s = dx / iod, dy / iod
    # the face's own frame: origin between the eyes, x along the eye line (towards the subject's
    # left eye), y down, one unit per eye distance -- position, scale and roll drop out
    rel = points - middle[..., None, :]
    x = (rel[..., 0] * c[..., None] + rel[..., 1] * s[..., None]) / iod[..., None]
    y = (-rel[..., 0] * s[..., None] + rel[..., 1] * c[..., None]) / iod[..., None]
    face = np.stack([x, y], axis=-1)

    def p(name):
        return face[..., _P[name], :]

    def dist(a, b):
        return np.linalg.norm(a - b, axis=-1)

    eye_r = np.stack([np.zeros_like(iod) - 0.5, np.zeros_like(iod)], axis=-1)
    eye_l = np.stack([np.zeros_like(iod) + 0.5, np.zeros_like(iod)], axis=-1)
    mouth = (p("lip_in_top") + p("lip_in_bottom")) / 2
    values = {
        "mouth_width": dist(p("mouth_r"), p("mouth_l")),
        "mouth_opening": dist(p("lip_in_top"), p("lip_in_bottom")),
        "lip_height": dist(p("lip_top"), p("lip_bottom")),
        "right_eye_opening": dist(p("eye_r_top"), p("eye_r_bottom")),
        "left_eye_opening": dist(p("eye_l_top"), p("eye_l_bottom")),
        "right_eye_width": dist(p("eye_r_outer"), p("eye_r_inner")),
        "left_eye_width": dist(p("eye_l_outer"), p("eye_l_inner")),
        "right_brow_height": dist(p("brow_r_mid"), eye_r),
        "left_brow_height": dist(p("brow_l_mid"), eye_l),
        "right_inner_brow_height": dist(p("brow_r_inner"), eye_r),
        "left_inner_brow_height": dist(p("brow_l_inner"), eye_l),
        "brow_gap": dist(p("brow_r_inner"), p("brow_l_inner")),
        "nose_to_mouth": dist(p("nose_tip"), mouth),
        "mouth_to_chin": dist(mouth, p("chin")),
        "right_corner_to_eye": dist(p("mouth_r"), eye_r),
        "left_corner_to_eye": dist(p("mouth_l"), eye_l),
        "face_lower_height": dist(p("nose_bridge"), p("chin")),
    }
    values["right_eye_aspect"] = values["right_eye_opening"] / values["right_eye_width"]
    values["left_eye_aspect"] = values["left_eye_opening"] / values["left_eye_width"]
    values["mouth_aspect"] = values["mouth_opening"] / values["mouth_width"]

    def lift(vector, outward):
        # elevation above the eye line's direction, mirrored so both sides read alike
        return np.arctan2(-vector[..., 1], outward * vector[..., 0])

    values["right_corner_lift"] = lift(p("mouth_r") - mouth, -1)
    values["left_corner_lift"] = lift(p("mouth_l") - mouth, 1)
    values["right_brow_slope"] = lift(p("brow_r_outer") - p("brow_r_inner"), -1)
    values["left_brow_slope"] = lift(p("brow_l_outer") - p("brow_l_inner"), 1)
    values["upper_lip_angle"] = _interior_angle(p("mouth_r"), p("lip_top"), p("mouth_l"))
    values["lower_lip_angle"] = _interior_angle(p("mouth_r"), p("lip_bottom"), p("mouth_l"))
    return np.stack([values[name] for name in FEATURES], axis=-1)


class LandmarkFeatures(
    StatelessTransformerMixin, ShapeAwareOutputMixin, TransformerMixin, BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Geometric expression features from face landmarks: distances, ratios and angles.

    Each frame's Face Mesh landmarks (from :class:`FaceLandmarker`) are expressed
    in the face's own frame: origin between the eye centres, x along the eye
    line, one unit per eye distance. The features (mouth width and opening, eye
    openings, brow heights, mouth-corner lift, lip angles ... 26 in all, see
    ``LandmarkFeatures.FEATURES``) are therefore unchanged when the face moves, changes size
    or turns in the image plane, so classic geometric pipelines can run next to
    the CNNs. Per clip they are pooled over frames, or kept per frame.

    Parameters
    ----------
    features : list of str or None, default=None
        Names from ``LandmarkFeatures.FEATURES`` to compute, in that order;
        ``None`` keeps all 26. Distances are in eye distances, angles in
        radians; ``*_lift`` and ``*_slope`` are positive when the mouth corner
        or the brow's outer end rises.
    pool : tuple of str or None, default=("mean", "std", "min", "max")
        Statistics over the frames of each clip, among ``"mean"``, ``"std"``,
        ``"min"``, ``"max"`` and ``"median"``; frames whose landmarks are NaN
        (not found) are left out. ``None`` keeps one row per frame.
    on_empty : {"error", "nan"}, default="error"
        A clip with no landmarks in any frame (``FaceLandmarker(on_no_face="nan")``)
        raises, naming the samples, or gets a row of NaN with a
        :class:`~skemotion.exceptions.FaceWarning` naming them (follow with
        :class:`~sklearn.impute.SimpleImputer` to keep such clips).

    Attributes
    ----------
    FEATURES : tuple of str
        Every feature name, in output order (a class attribute).

    See Also
    --------
    FaceLandmarker : Produces the landmarks.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skemotion.face import FaceLandmarker, LandmarkFeatures
    >>> from skemotion.face._testing import draw_faces
    >>> X, _ = draw_faces(n_samples=2, n_frames=3, size=(160, 160), random_state=0)
    >>> pipe = make_pipeline(FaceLandmarker(), LandmarkFeatures(pool=("mean", "max")))
    >>> pipe.fit_transform(X).shape
    (2, 52)
    >>> pipe[-1].get_feature_names_out()[:2].tolist()
    ['mouth_width_mean', 'mouth_width_max']
    >>> LandmarkFeatures(features=["mouth_aspect"], pool=None).fit_transform(
    ...     pipe[0].transform(X)).shape
    (2, 3, 1)
    """

    FEATURES = FEATURES

    _parameter_constraints = {
        "features": [list, tuple, None],
        "pool": [tuple, list, None],
        "on_empty": [Options({"error", "nan"})],
    }

    def __init__(self, *, features=None, pool=("mean", "std", "min", "max"), on_empty="error"):
        self.features = features
        self.pool = pool
        self.on_empty = on_empty

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _check_params(self):
        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        names = list(FEATURES if self.features is None else self.features)
        unknown = [n for n in names if n not in FEATURES]
        if unknown or not names:
            raise ValueError(
                f"Unknown or no features {unknown or names!r} in LandmarkFeatures; "
                f"choose among {list(FEATURES)}."
            )
        stats = [] if self.pool is None else list(self.pool)
        bad = [s for s in stats if s not in _STATISTICS]
        if bad or (self.pool is not None and not stats):
            raise ValueError(
                f"Unknown or no statistics {bad or stats!r} in pool; choose among "
                f"{sorted(_STATISTICS)}, or pool=None for one row per frame."
            )
        return [FEATURES.index(n) for n in names], stats

    def _check_X(self, X):
        X = np.asarray(X)
        if X.ndim == 3:  # one clip of one frame each would be ambiguous: ask for the frame axis
            raise ValueError(
                f"Expected landmarks of shape {_SHAPE} (as FaceLandmarker returns); got "
                f"{X.shape}. Add the frame axis for single images: X[:, None]."
            )
        check_array_shape(X, _SHAPE, ndim=4, last_dim=(2, 3))
        if X.shape[2] != N_LANDMARKS:
            raise ValueError(
                f"Expected {N_LANDMARKS} Face Mesh landmarks per frame (FaceLandmarker's); "
                f"got {X.shape[2]}."
            )
        if not np.issubdtype(X.dtype, np.number):
            raise ValueError(f"Expected numeric landmarks; got dtype {X.dtype}.")
        return X

    def transform(self, X):
        """Compute the features of every frame, pooled per clip unless ``pool=None``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_frames, 468, 2) or (..., 3)
            Landmarks in pixels; NaN frames (no face) are left out of the pooling.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features * n_statistics) or (n_samples, n_frames, n_features)
            float64; columns are named by :meth:`get_feature_names_out`.

        Raises
        ------
        ValueError
            When every frame of a clip is NaN (pooling), naming the samples.
        """
        columns, stats = self._check_params()
        X = self._check_X(X)
        per_frame = frame_features(X)[..., columns]
        if self.pool is None:
            return per_frame  # 3-D: never wrapped in a DataFrame
        empty = np.flatnonzero(np.isnan(per_frame).all(axis=(1, 2)))
        if len(empty) and self.on_empty == "error":
            raise ValueError(
                f"LandmarkFeatures: samples {empty.tolist()} have no frame with landmarks "
                "(all NaN), so nothing can be pooled; drop them, or set on_empty='nan' and "
                "impute."
            )
        if len(empty):
            warnings.warn(
                f"LandmarkFeatures: samples {empty.tolist()} have no frame with landmarks; "
                "their features are NaN.",
                FaceWarning,
                stacklevel=2,
            )
        with warnings.catch_warnings():  # all-NaN clips are announced above
            warnings.simplefilter("ignore", RuntimeWarning)
            pooled = [_STATISTICS[s](per_frame, axis=1) for s in stats]
        # feature-major: mouth_width_mean, mouth_width_std, ...
        return self._wrap_output(np.stack(pooled, axis=-1).reshape(len(X), -1), X)

    def get_feature_names_out(self, input_features=None):
        """Output column names: ``<feature>_<statistic>``, or the feature names with ``pool=None``.

        Parameters
        ----------
        input_features : None
            Ignored (the input is landmarks, not named columns).

        Returns
        -------
        ndarray of str
        """
        columns, stats = self._check_params()
        names = [FEATURES[i] for i in columns]
        if self.pool is None:
            return np.asarray(names, dtype=object)
        return np.asarray([f"{n}_{s}" for n in names for s in stats], dtype=object)
