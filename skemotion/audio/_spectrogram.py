"""Hamming-window spectrograms: the ``hamming_spectrogram`` function and the ``Spectrogram`` transformer."""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..utils import Interval, Options, validate_params
from ..utils._output import MediaOutputMixin
from ._checks import check_stft_params, check_waveforms, stft_frame_count
from ._kernels import ensure_librosa_kernels, register_warm_up, warm_up_signals

__all__ = ["hamming_spectrogram", "Spectrogram"]

_SPEC_CONSTRAINTS = {
    "scale": [Options({"mel", "linear"})],
    "power": [Options({1.0, 2.0})],
    "log": ["boolean"],
    "top_db": [Interval(float, 0, None, closed="neither"), None],
}

# Waveform samples handled per librosa call inside a transformer (bounds peak memory).
_CHUNK_SAMPLES = 2**22


def _check_short(owner, n_audio, n_fft, center):
    if not center and n_audio < n_fft:
        raise ValueError(
            f"{owner} got waveforms of {n_audio} samples, shorter than one window "
            f"(n_fft={n_fft}) with center=False; pass longer clips or center=True "
            "(which zero-pads each clip by n_fft // 2 on both sides)."
        )


def _stft(y, *, n_fft, hop_length, win_length, window, center, pad_mode):
    """librosa.stft with the short-clip warning silenced (behaviour is documented)."""
    import librosa

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"n_fft=\d+ is too large", category=UserWarning)
        return librosa.stft(
            y,
            n_fft=n_fft,
            hop_length=hop_length,
            win_length=win_length,
            window=window,
            center=center,
            pad_mode=pad_mode,
        )


def hamming_spectrogram(
    y,
    *,
    sr=22050,
    n_fft=2048,
    hop_length=512,
    win_length=None,
    window="hamming",
    center=True,
    pad_mode="constant",
    scale="mel",
    n_mels=128,
    fmin=0.0,
    fmax=None,
    power=2.0,
    log=True,
    top_db=80.0,
):
    """Compute a (log-)mel or linear-frequency spectrogram with a Hamming window.

    The short-time Fourier transform uses a periodic Hamming window by default
    (any window accepted by :func:`scipy.signal.get_window` works), as in
    spectral-feature work on emotion in speech and film audio. The magnitude is
    raised to ``power``; with ``scale="mel"`` it is projected onto ``n_mels``
    triangular mel filters (:func:`librosa.filters.mel`); with ``log=True`` it
    is converted to decibels, :math:`10 \\log_{10}(\\max(S, 10^{-10}))` for power
    spectrograms (:func:`librosa.power_to_db`) or
    :math:`20 \\log_{10}(\\max(S, 10^{-5}))` for magnitudes
    (:func:`librosa.amplitude_to_db`), and floored at ``max - top_db`` separately
    for each signal. This is the function behind :class:`Spectrogram`.

    Parameters
    ----------
    y : ndarray of shape (..., n_audio_samples)
        Floating-point waveform(s); leading axes (e.g. samples, channels) are
        kept.
    sr : float, default=22050
        Sampling rate of ``y`` in Hz.
    n_fft : int, default=2048
        FFT length in samples.
    hop_length : int, default=512
        Samples between successive frames.
    win_length : int or None, default=None
        Window length (zero-padded to ``n_fft``); ``None`` means ``n_fft``.
    window : str, tuple, callable or array-like, default="hamming"
        Window passed to :func:`librosa.stft`.
    center : bool, default=True
        Pad ``y`` by ``n_fft // 2`` on both sides so frame ``t`` is centred at
        ``t * hop_length``. A clip shorter than ``n_fft`` then still gives
        ``1 + n_audio_samples // hop_length`` frames.
    pad_mode : str, default="constant"
        How to pad when ``center=True`` (zeros by default).
    scale : {"mel", "linear"}, default="mel"
        Mel filterbank (``n_mels`` rows) or linear frequency (``1 + n_fft // 2``
        rows).
    n_mels : int, default=128
        Number of mel bands (``scale="mel"`` only).
    fmin : float, default=0.0
        Lowest mel-filter frequency in Hz.
    fmax : float or None, default=None
        Highest mel-filter frequency; ``None`` means ``sr / 2``.
    power : {1.0, 2.0}, default=2.0
        Exponent of the magnitude: 1 for magnitude, 2 for power.
    log : bool, default=True
        Convert to decibels.
    top_db : float or None, default=80.0
        Dynamic range kept below each signal's maximum, in dB (``log=True``
        only); ``None`` keeps everything.

    Returns
    -------
    S : ndarray of shape (..., n_bins, n_frames), dtype=float32
        ``n_bins`` is ``n_mels`` or ``1 + n_fft // 2``. A silent signal gives a
        constant (finite) spectrogram: zeros, or -100 dB with ``log=True``.

    Raises
    ------
    ValueError
        On a bad parameter, a waveform with NaN or inf, or ``center=False``
        with a signal shorter than ``n_fft``.

    See Also
    --------
    Spectrogram : The same computation as a scikit-learn transformer.
    SpectralFeatures : Frame-level or pooled spectral features.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.audio import hamming_spectrogram
    >>> sr = 16000
    >>> y = np.sin(2 * np.pi * 440 * np.arange(sr) / sr).astype(np.float32)
    >>> S = hamming_spectrogram(y, sr=sr, n_fft=512, hop_length=256, n_mels=40)
    >>> S.shape, S.dtype
    ((40, 63), dtype('float32'))
    """
    params = dict(
        sr=sr,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
    )
    check_stft_params("hamming_spectrogram", params)
    validate_params(
        "hamming_spectrogram",
        dict(scale=scale, power=power, log=log, top_db=top_db),
        _SPEC_CONSTRAINTS,
    )
    y = np.asarray(y)
    if y.ndim < 1 or y.shape[-1] == 0:
        raise ValueError(f"Expected y of shape (..., n_audio_samples); got {y.shape}.")
    if not np.issubdtype(y.dtype, np.floating):
        raise ValueError(f"Expected a floating-point waveform y; got dtype {y.dtype}.")
    if not np.isfinite(y).all():
        raise ValueError("hamming_spectrogram needs a finite waveform; y contains NaN or inf.")
    _check_short("hamming_spectrogram", y.shape[-1], n_fft, center)
    return _spectrogram(y, **params, scale=scale, power=power, log=log, top_db=top_db)


def _spectrogram(
    y, *, sr, n_fft, hop_length, win_length, window, center, pad_mode, scale, n_mels, fmin,
    fmax, power, log, top_db,
):
    import librosa

    ensure_librosa_kernels()

    D = _stft(
        y,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
    )
    S = np.abs(D)
    if power == 2.0:
        S = S**2
    if scale == "mel":
        S = librosa.feature.melspectrogram(
            S=S, sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax
        )
    if log:
        to_db = librosa.power_to_db if power == 2.0 else librosa.amplitude_to_db
        S = to_db(S, top_db=None)
        if top_db is not None:
            peak = S.max(axis=(-2, -1), keepdims=True)
            S = np.maximum(S, peak - top_db)
    return S.astype(np.float32, copy=False)


class Spectrogram(MediaOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Turn waveforms into log-mel or linear-frequency spectrogram images.

    Each waveform becomes one image of ``n_bins`` frequency rows by ``n_frames``
    time columns, with channels last, ready for the CNN models of
    :mod:`skemotion.models` (which permute to ``(N, C, n_mels, T)`` inside
    torch). Spectrogram images next to video frames are what the EEV baseline
    feeds its audio branch. The computation is :func:`hamming_spectrogram`:
    Hamming-window STFT, optional mel projection, decibels, then an optional
    per-image normalisation.

    Parameters
    ----------
    sr : float, default=22050
        Sampling rate of the waveforms in Hz (match :class:`AudioLoader`'s).
    n_fft : int, default=2048
        FFT length in samples.
    hop_length : int, default=512
        Samples between successive frames.
    win_length : int or None, default=None
        Window length; ``None`` means ``n_fft``.
    window : str, tuple, callable or array-like, default="hamming"
        Any window accepted by :func:`scipy.signal.get_window`.
    center : bool, default=True
        Centre frames (zero-pads ``n_fft // 2`` on both sides), so a clip
        shorter than ``n_fft`` still gives ``1 + n_audio_samples // hop_length``
        frames. With ``center=False`` such a clip raises a ValueError.
    pad_mode : str, default="constant"
        Padding used when ``center=True``.
    scale : {"mel", "linear"}, default="mel"
        Mel (``n_mels`` rows) or linear frequency (``1 + n_fft // 2`` rows).
    n_mels : int, default=128
        Number of mel bands.
    fmin : float, default=0.0
        Lowest mel-filter frequency in Hz.
    fmax : float or None, default=None
        Highest mel-filter frequency; ``None`` means ``sr / 2``.
    power : {1.0, 2.0}, default=2.0
        1 for a magnitude, 2 for a power spectrogram.
    log : bool, default=True
        Convert to decibels.
    top_db : float or None, default=80.0
        Dynamic range kept below each image's maximum, in dB.
    normalize : {"standard", "minmax"} or None, default=None
        Per-image normalisation after the log: ``"standard"`` subtracts the
        image's mean and divides by its standard deviation, ``"minmax"`` maps it
        onto [0, 1]. A constant image (e.g. silence) becomes all zeros.

    Attributes
    ----------
    n_features_in_ : int
        Number of audio samples per waveform seen in ``fit``.
    n_channels_in_ : int
        Number of channels seen in ``fit`` (1 for 2-D input).
    output_shape_ : tuple of int
        ``(n_bins, n_frames, n_channels)`` of each output image.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Only when ``X`` was a DataFrame with string column names.

    See Also
    --------
    hamming_spectrogram : The function behind this transformer.
    SpectralFeatures : Frame-level or pooled spectral features.
    AudioLoader : Read the waveforms from media files.

    Notes
    -----
    Input of shape ``(n_samples, n_audio_samples)`` gives
    ``(n_samples, n_bins, n_frames, 1)``; input with channels
    ``(n_samples, n_audio_samples, n_channels)`` (``AudioLoader(mono=False)``)
    gives ``(n_samples, n_bins, n_frames, n_channels)``. The output has four
    axes, so no DataFrame can hold it: ``set_output(transform="pandas")`` is
    accepted (so that a Pipeline holding it can be configured) and the images
    are passed on as an ndarray; ``get_feature_names_out`` returns ``None``.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.audio import Spectrogram
    >>> sr = 16000
    >>> t = np.arange(sr // 2) / sr
    >>> X = np.stack([np.sin(2 * np.pi * f * t) for f in (220, 440, 880)]).astype(np.float32)
    >>> images = Spectrogram(sr=sr, n_fft=512, hop_length=256, n_mels=40,
    ...                      normalize="standard").fit_transform(X)
    >>> images.shape, images.dtype
    ((3, 40, 32, 1), dtype('float32'))
    """

    _parameter_constraints = {
        **_SPEC_CONSTRAINTS,
        "normalize": [Options({"standard", "minmax"}), None],
    }

    def __init__(
        self,
        *,
        sr=22050,
        n_fft=2048,
        hop_length=512,
        win_length=None,
        window="hamming",
        center=True,
        pad_mode="constant",
        scale="mel",
        n_mels=128,
        fmin=0.0,
        fmax=None,
        power=2.0,
        log=True,
        top_db=80.0,
        normalize=None,
    ):
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.scale = scale
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.power = power
        self.log = log
        self.top_db = top_db
        self.normalize = normalize

    def _check_params(self):
        params = self.get_params(deep=False)
        check_stft_params(self, params)
        validate_params(self, params, self._parameter_constraints)

    def fit(self, X, y=None):
        """Check parameters and record the waveform length.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_audio_samples) or \
(n_samples, n_audio_samples, n_channels)
            Waveforms.
        y : None
            Ignored.

        Returns
        -------
        self : Spectrogram
            The fitted transformer.
        """
        self._check_params()
        X = check_waveforms(self, X, reset=True, allow_channels=True)
        _check_short(type(self).__name__, X.shape[1], self.n_fft, self.center)
        self.n_channels_in_ = 1 if X.ndim == 2 else X.shape[2]
        n_frames = stft_frame_count(X.shape[1], self.n_fft, self.hop_length, self.center)
        n_bins = self.n_mels if self.scale == "mel" else 1 + self.n_fft // 2
        self.output_shape_ = (n_bins, n_frames, self.n_channels_in_)
        return self

    def transform(self, X):
        """Compute one spectrogram image per waveform.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_audio_samples) or \
(n_samples, n_audio_samples, n_channels)
            Waveforms with the length (and channels) seen in ``fit``.

        Returns
        -------
        images : ndarray of shape (n_samples, n_bins, n_frames, n_channels), dtype=float32
            ``n_bins`` is ``n_mels`` or ``1 + n_fft // 2``; ``n_channels`` is 1
            for 2-D input.
        """
        check_is_fitted(self)
        X = check_waveforms(self, X, reset=False, allow_channels=True)
        n_channels = 1 if X.ndim == 2 else X.shape[2]
        if n_channels != self.n_channels_in_:
            raise ValueError(
                f"X has {n_channels} channels, but {type(self).__name__} is expecting "
                f"{self.n_channels_in_} channels as input."
            )
        # (n, L) -> (n, 1, L); (n, L, C) -> (n, C, L): librosa wants time last.
        waves = X[:, None, :] if X.ndim == 2 else np.moveaxis(X, 2, 1)
        out = np.empty((X.shape[0],) + self.output_shape_, dtype=np.float32)
        step = max(1, _CHUNK_SAMPLES // max(1, X.shape[1] * n_channels))
        kwargs = self.get_params(deep=False)
        kwargs.pop("normalize")
        with threadpool_limits(limits=1, user_api="blas"):  # see SpectralFeatures.transform
            for start in range(0, X.shape[0], step):
                S = _spectrogram(waves[start : start + step], **kwargs)  # (b, C, bins, T)
                out[start : start + step] = np.moveaxis(S, 1, -1)
        if self.normalize is not None:
            _normalize_images(out, self.normalize)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


@register_warm_up
def _warm_up():
    """Run every librosa path of ``Spectrogram`` once (see ``_kernels``)."""
    for X in warm_up_signals():
        for scale in ("mel", "linear"):
            Spectrogram(sr=16000, n_fft=512, hop_length=256, n_mels=8, scale=scale).fit_transform(X)


def _normalize_images(images, how):
    """Normalise each image in place over all of its axes except the first."""
    flat = images.reshape(images.shape[0], -1)
    if how == "standard":
        mean = flat.mean(axis=1, keepdims=True, dtype=np.float64)
        std = flat.std(axis=1, keepdims=True, dtype=np.float64)
        scale = np.where(std > 0, std, 1.0)
        flat[...] = np.where(std > 0, (flat - mean) / scale, 0.0)
    else:
        lo = flat.min(axis=1, keepdims=True)
        span = flat.max(axis=1, keepdims=True) - lo
        flat[...] = np.where(span > 0, (flat - lo) / np.where(span > 0, span, 1.0), 0.0)
