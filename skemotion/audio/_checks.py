"""Parameter and waveform checks shared by the audio transformers."""

import numpy as np
from sklearn.utils.validation import validate_data

from ..utils import Interval, Options, check_array_shape, validate_params

__all__ = ["check_stft_params", "check_waveforms", "check_input_features", "is_ragged", "stft_frame_count"]

STFT_CONSTRAINTS = {
    "sr": [Interval(float, 0, None, closed="neither")],
    "n_fft": [Interval(int, 1, None, closed="left")],
    "hop_length": [Interval(int, 1, None, closed="left")],
    "win_length": [Interval(int, 1, None, closed="left"), None],
    "center": ["boolean"],
    "pad_mode": [Options({"constant", "edge", "linear_ramp", "reflect", "symmetric"})],
    "n_mels": [Interval(int, 1, None, closed="left")],
    "fmin": [Interval(float, 0, None, closed="left")],
    "fmax": [Interval(float, 0, None, closed="neither"), None],
}


def check_stft_params(owner, params):
    """Check the STFT/mel parameters of ``owner`` (sklearn's wording).

    Besides the type/range checks this verifies that ``win_length <= n_fft``,
    ``fmin < fmax <= sr / 2`` and that ``window`` is something
    :func:`librosa.filters.get_window` (hence :func:`scipy.signal.get_window`)
    accepts.
    """
    validate_params(owner, params, {k: v for k, v in STFT_CONSTRAINTS.items() if k in params})
    name = owner if isinstance(owner, str) else type(owner).__name__
    n_fft = params["n_fft"]
    win_length = params.get("win_length")
    if win_length is not None and win_length > n_fft:
        raise ValueError(
            f"The 'win_length' parameter of {name} must be an int in the range [1, n_fft={n_fft}]. "
            f"Got {win_length!r} instead."
        )
    if "fmax" in params:
        fmax = params["fmax"] if params["fmax"] is not None else params["sr"] / 2
        if fmax > params["sr"] / 2 or params["fmin"] >= fmax:
            raise ValueError(
                f"The 'fmin' and 'fmax' parameters of {name} must satisfy "
                f"0 <= fmin < fmax <= sr / 2 = {params['sr'] / 2:g}. "
                f"Got fmin={params['fmin']!r}, fmax={params['fmax']!r} instead."
            )
    window = params["window"]
    try:
        import librosa

        librosa.filters.get_window(window, win_length or n_fft, fftbins=True)
    except Exception as exc:  # librosa raises ParameterError/ValueError/TypeError
        raise ValueError(
            f"The 'window' parameter of {name} must be a window accepted by "
            f"scipy.signal.get_window (a name such as 'hamming', a (name, param) tuple), "
            f"a callable or an array of length win_length. Got {window!r} instead ({exc})."
        ) from None


def stft_frame_count(n_samples, frame_length, hop_length, center):
    """Frames of a framing of ``n_samples`` samples, as librosa counts them.

    ``center=True`` pads ``frame_length // 2`` on both sides, which gives
    ``1 + n_samples // hop_length`` frames; otherwise
    ``1 + (n_samples - frame_length) // hop_length``.

    Examples
    --------
    >>> from skemotion.audio._checks import stft_frame_count
    >>> stft_frame_count(16000, 512, 128, center=True), stft_frame_count(16000, 512, 128, center=False)
    (126, 122)
    """
    if center:
        return 1 + n_samples // hop_length
    return 1 + (n_samples - frame_length) // hop_length


def check_waveforms(estimator, X, *, reset, allow_channels=False):
    """Validate a batch of waveforms and return it as a float array.

    Parameters
    ----------
    estimator : BaseEstimator
        The transformer (its class name appears in messages; ``n_features_in_``
        is set or checked by :func:`sklearn.utils.validation.validate_data`).
    X : array-like of shape (n_samples, n_audio_samples)
        Mono waveforms; with ``allow_channels=True`` also
        ``(n_samples, n_audio_samples, n_channels)``.
    reset : bool
        True in ``fit``; False in ``transform``.

    Returns
    -------
    X : ndarray of dtype float32 or float64
        Floating copies are not made unless needed.

    Raises
    ------
    ValueError
        Wrong number of dimensions, empty input, or a waveform containing NaN or
        infinity (the message lists the sample indices).
    """
    if allow_channels:
        expected = "(n_samples, n_audio_samples) or (n_samples, n_audio_samples, n_channels)"
        ndims = (2, 3)
    else:
        expected = "(n_samples, n_audio_samples)"
        ndims = 2
    X = validate_data(
        estimator,
        X,
        reset=reset,
        dtype=(np.float32, np.float64),
        ensure_all_finite=False,
        allow_nd=True,
    )
    check_array_shape(X, expected, ndim=ndims)
    bad = ~np.isfinite(X.reshape(X.shape[0], -1)).all(axis=1)
    if bad.any():
        idx = np.flatnonzero(bad).tolist()
        shown = idx if len(idx) <= 10 else idx[:10] + ["..."]
        raise ValueError(
            f"{type(estimator).__name__} needs finite waveforms, but sample "
            f"{idx[0]} of X contains NaN or inf (all such samples: {shown})."
        )
    return X


def is_ragged(X):
    """Whether ``X`` holds waveforms of their own lengths: a 1-D object array or list of arrays."""
    if isinstance(X, np.ndarray):
        return X.dtype == object and X.ndim == 1 and all(np.ndim(x) == 1 for x in X)
    if isinstance(X, list | tuple) and X and all(isinstance(x, np.ndarray) for x in X):
        return all(x.ndim == 1 for x in X) and len({x.shape[0] for x in X}) > 1
    return False


def check_ragged_waveforms(estimator, X, *, reset):
    """Validate waveforms of different lengths; return a list of float 1-D arrays.

    Each element must be a non-empty 1-D float array of finite values (the
    message names the first bad element). ``n_features_in_`` (a length) does
    not apply: ``fit`` removes it.
    """
    name = type(estimator).__name__
    if len(X) == 0:
        raise ValueError("Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required.")
    out = []
    for i, x in enumerate(X):
        x = np.asarray(x)
        if x.dtype not in (np.float32, np.float64):
            x = x.astype(np.float64)
        if x.ndim != 1 or x.shape[0] == 0:
            raise ValueError(
                f"Expected element {i} of X to be a non-empty 1-D waveform; got shape {x.shape}."
            )
        if not np.isfinite(x).all():
            raise ValueError(
                f"{name} needs finite waveforms, but sample {i} of X contains NaN or inf."
            )
        out.append(x)
    if reset and hasattr(estimator, "n_features_in_"):
        del estimator.n_features_in_
    return out


def check_input_features(estimator, input_features):
    """Check ``input_features`` of ``get_feature_names_out`` like sklearn does."""
    if input_features is None:
        return
    input_features = np.asarray(input_features, dtype=object)
    names_in = getattr(estimator, "feature_names_in_", None)
    if names_in is not None and not np.array_equal(names_in, input_features):
        raise ValueError("input_features is not equal to feature_names_in_")
    n_in = getattr(estimator, "n_features_in_", None)
    if n_in is not None and len(input_features) != n_in:
        raise ValueError(
            f"input_features should have length equal to number of features ({n_in}), "
            f"got {len(input_features)}"
        )
