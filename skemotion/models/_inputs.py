"""What each model takes as X: one small spec object per input layout.

A spec owns everything that follows from the layout: validating ``X`` (and
recording its sizes on the estimator in ``fit``), the layout named in error
messages, the input tags, and the data-derived sizes the network is built
with. Estimators name theirs as a class attribute (``_input = CLIPS``).
"""

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length, validate_data

__all__ = ["CLIPS", "FRAMES", "FUSION", "SEQUENCE"]

_FRAME_CHANNELS = (1, 3)
_CLIP_LAYOUT = "(n_samples, n_frames, height, width, channels) with channels 1 or 3"
_SEQUENCE_LAYOUT = "(n_samples, n_steps, n_features) or (n_samples, n_features)"


def _sample_rows(X, max_rows=8):
    """A few evenly spaced rows of a (possibly memory-mapped) array."""
    n = X.shape[0]
    idx = np.unique(np.linspace(0, n - 1, num=min(n, max_rows)).astype(int))
    return np.asarray(X[idx])


def _check_finite_float(X, name, lazy):
    if X.dtype.kind != "f":
        return
    data = _sample_rows(X) if lazy else X
    if not np.isfinite(data).all():
        raise ValueError(f"Input {name} contains NaN or infinity.")


def _check_frames(est, X, name, ndims, layout, key, reset):
    """Validate a frames array without reading a memmap whole; record ``key``."""
    lazy = isinstance(X, np.memmap)
    if not isinstance(X, np.ndarray):
        if hasattr(X, "__sklearn_tags__") or X is None or isinstance(X, str):
            raise TypeError(f"Expected {name} as an array; got {type(X).__name__}.")
        X = np.asarray(X)
    if X.ndim not in ndims or X.shape[-1] not in _FRAME_CHANNELS:
        raise ValueError(f"Expected {name} of shape {layout}; got {X.shape}.")
    if X.dtype != np.uint8 and X.dtype.kind not in "fiu":
        raise ValueError(
            f"Expected {name} of dtype uint8 (0-255) or float (0-1); got dtype {X.dtype}."
        )
    if X.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required."
        )
    _check_finite_float(X, name, lazy)
    if X.dtype.kind in "iu" and X.dtype != np.uint8:
        X = X.astype(np.float32) / 255.0
    elif X.dtype == np.float64 and not lazy:
        X = X.astype(np.float32)
    frame_shape = tuple(int(v) for v in X.shape[-3:])
    if reset:
        setattr(est, key, frame_shape)
    elif frame_shape != getattr(est, key):
        raise ValueError(
            f"{name} has frames of shape {frame_shape}, but {type(est).__name__} was "
            f"fitted on frames of shape {getattr(est, key)}."
        )
    return X


def _check_sequence(est, X, name, key, reset):
    """Validate ``(n, T, F)`` (2-D read as ``T=1``); record ``F`` as ``key``."""
    if isinstance(X, np.memmap) and X.ndim == 3:
        _check_finite_float(X, name, lazy=True)
    elif name == "X" and not (isinstance(X, np.ndarray) and X.ndim == 3):
        # 2-D input goes through validate_data: feature names, sklearn's wording
        X = validate_data(est, X, reset=reset, dtype=np.float32)[:, None, :]
    else:
        X = check_array(X, allow_nd=True, dtype=np.float32, input_name=name, ensure_2d=False)
        if X.ndim == 2:
            X = X[:, None, :]
    if X.ndim != 3:
        raise ValueError(f"Expected {name} of shape {_SEQUENCE_LAYOUT}; got {X.shape}.")
    n_features = X.shape[2]
    if reset:
        setattr(est, key, n_features)
        if name == "X" and np.ndim(X) == 3 and hasattr(est, "feature_names_in_"):
            del est.feature_names_in_
    elif n_features != getattr(est, key):
        raise ValueError(
            f"X has {n_features} features, but {type(est).__name__} is expecting "
            f"{getattr(est, key)} features as input."
        )
    return X


class _InputSpec:
    """One input layout: its check, its error wording, its tags and its network sizes.

    Parameters
    ----------
    kind : str
        Short name (``"sequence"``, ``"frames"``, ``"clips"``, ``"fusion"``).
    layout : str
        The shape named in error messages and docs.
    """

    #: network argument -> the estimator's fitted attribute it is read from
    sizes = {}
    #: whether X is a 2-D or 3-D array (sklearn's common checks then apply)
    array_input = False

    def __init__(self, kind, layout):
        self.kind = kind
        self.layout = layout

    def __repr__(self):
        return f"{type(self).__name__}({self.kind!r})"

    def check(self, est, X, reset):
        """Validate ``X``; with ``reset=True`` record its sizes on ``est``."""
        raise NotImplementedError

    def module_sizes(self, est):
        """The network's data-derived arguments, read from a fitted ``est``."""
        return {arg: getattr(est, attr) for arg, attr in self.sizes.items()}

    def set_tags(self, tags):
        """Set the input tags that describe this layout."""
        tags.input_tags.three_d_array = self.array_input
        tags.input_tags.two_d_array = self.array_input
        return tags


class _SequenceInput(_InputSpec):
    sizes = {"n_features": "n_features_in_", "n_outputs": "n_outputs_"}
    array_input = True

    def check(self, est, X, reset):
        return _check_sequence(est, X, "X", "n_features_in_", reset)


class _FrameInput(_InputSpec):
    sizes = {"frame_shape": "frame_shape_", "n_outputs": "n_outputs_"}

    def __init__(self, kind, layout, ndims):
        super().__init__(kind, layout)
        self.ndims = ndims

    def check(self, est, X, reset):
        return _check_frames(est, X, "X", self.ndims, self.layout, "frame_shape_", reset)


class _FusionInput(_InputSpec):
    sizes = {
        "frame_shape": "video_frame_shape_",
        "n_audio_features": "n_audio_features_",
        "n_outputs": "n_outputs_",
    }

    def check(self, est, X, reset):
        if not hasattr(X, "keys") or not {"video", "audio"} <= set(X.keys()):
            raise ValueError(
                f"Expected X as {self.layout}; got {type(X).__name__}"
                + (f" with keys {sorted(X.keys())}." if hasattr(X, "keys") else ".")
            )
        video = _check_frames(
            est, X["video"], "video", (5,), _CLIP_LAYOUT, "video_frame_shape_", reset
        )
        audio = _check_sequence(est, X["audio"], "audio", "n_audio_features_", reset)
        check_consistent_length(video, audio)
        from skorch.helper import SliceDict

        return SliceDict(video=video, audio=audio)

    def set_tags(self, tags):
        super().set_tags(tags)
        tags.input_tags.dict = True
        return tags


SEQUENCE = _SequenceInput("sequence", _SEQUENCE_LAYOUT)
FRAMES = _FrameInput(
    "frames",
    "(n_samples, height, width, channels) or (n_samples, n_frames, height, width, channels) "
    "with channels 1 or 3",
    (4, 5),
)
CLIPS = _FrameInput("clips", _CLIP_LAYOUT, (5,))
FUSION = _FusionInput(
    "fusion",
    "a mapping (skorch SliceDict, see ModalityUnion) with keys 'video' of shape "
    "(n_samples, n_frames, height, width, channels) and 'audio' of shape "
    "(n_samples, n_steps, n_features)",
)
