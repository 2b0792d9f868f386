"""Spectral features on a shared STFT: the ``SpectralFeatures`` transformer."""

import warnings

import numpy as np
from joblib import effective_n_jobs
from sklearn import get_config
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..utils import Interval, Options, validate_params
from ..utils._cache import ClipCache, cache_location
from ._checks import (
    check_input_features,
    check_ragged_waveforms,
    check_stft_params,
    check_waveforms,
    is_ragged,
    stft_frame_count,
)
from ._kernels import ensure_librosa_kernels, register_warm_up, warm_up_signals
from ._pitch import pitch_track
from ._spectrogram import _check_short, _stft

__all__ = ["SpectralFeatures", "FEATURES", "STATISTICS"]

#: Names accepted by ``SpectralFeatures(features=...)``, in canonical order.
FEATURES = (
    "mfcc",
    "mel",
    "centroid",
    "bandwidth",
    "rolloff",
    "flux",
    "flatness",
    "contrast",
    "zcr",
    "rms",
    "chroma",
    "f0",
    "voicing",
    "log_energy",
    "hnr",
    "jitter",
    "shimmer",
)
#: Names accepted by ``SpectralFeatures(pool=...)``.
STATISTICS = (
    "mean", "std", "min", "max", "skew", "kurtosis", "p1", "p25", "median", "p75", "p99",
    "iqr", "pctl_range", "range", "slope", "linreg_error", "rise_mean", "fall_mean",
)  # fmt: skip
#: ``pool="functionals"``: the statistics of the paralinguistic feature sets (eGeMAPS, ComParE).
FUNCTIONALS = (
    "mean", "std", "skew", "kurtosis", "p1", "p25", "median", "p75", "p99", "iqr",
    "pctl_range", "slope", "linreg_error", "rise_mean", "fall_mean",
)  # fmt: skip

_NEEDS_MEL = {"mfcc", "mel", "flux"}
_PITCH = {"f0", "voicing", "hnr", "jitter", "shimmer"}
# Pooled over voiced frames only (over pairs of voiced frames for jitter and shimmer).
_VOICED_ONLY = {"f0", "hnr"}
_PAIR_ONLY = {"jitter", "shimmer"}
_PERCENTILES = {"p1": 1, "p25": 25, "median": 50, "p75": 75, "p99": 99}


def _as_tuple(value):
    return (value,) if isinstance(value, str) else tuple(value)


def _check_names(owner, name, value, allowed, *, allow_none=False):
    """``value`` must be a name from ``allowed`` or a non-empty sequence of distinct ones."""
    if allow_none and value is None:
        return
    ok = isinstance(value, str) or (
        isinstance(value, list | tuple) and len(value) > 0 and all(isinstance(v, str) for v in value)
    )
    if ok:
        names = _as_tuple(value)
        ok = set(names) <= set(allowed) and len(set(names)) == len(names)
    if not ok:
        none = "None, " if allow_none else ""
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {none}a str or a non-empty list of "
            f"distinct str among {{{', '.join(repr(a) for a in allowed)}}}. Got {value!r} instead."
        )


def _pool(frames, stats, times):
    """Pool ``frames`` of shape (n_steps, n_features) over time -> (len(stats), n_features).

    ``times`` (n_steps,) are the frame times in seconds (for ``slope`` and the
    rise and fall rates). ``skew`` and ``kurtosis`` are the biased
    (population) moment ratios, as :func:`scipy.stats.skew` and
    :func:`scipy.stats.kurtosis` (Fisher, i.e. excess kurtosis) compute them by
    default; where a feature is constant over time (silence, a single frame)
    both are defined as 0 instead of NaN. Without frames (no voiced frame for
    a voice feature) every statistic is 0.
    """
    if len(frames) == 0:
        return np.zeros((len(stats), frames.shape[1]))
    x = frames.astype(np.float64)
    mean = x.mean(axis=0)
    dev = x - mean
    m2 = np.mean(dev**2, axis=0)
    constant = m2 <= (np.finfo(np.float64).eps * mean) ** 2
    safe_m2 = np.where(constant, 1.0, m2)
    wanted = [_PERCENTILES[s] for s in ("p1", "p25", "median", "p75", "p99")]
    pct = dict(zip(_PERCENTILES, np.percentile(x, wanted, axis=0), strict=True))
    t = times - times.mean()
    spread = float(np.sum(t**2))
    slope = (t @ dev) / spread if spread > 0 else np.zeros_like(mean)
    step = np.diff(x, axis=0) / np.diff(times)[:, None] if len(x) > 1 else np.zeros((1, x.shape[1]))
    out = []
    for stat in stats:
        if stat == "mean":
            out.append(mean)
        elif stat == "std":
            out.append(np.sqrt(m2))
        elif stat == "min":
            out.append(x.min(axis=0))
        elif stat == "max":
            out.append(x.max(axis=0))
        elif stat == "skew":
            m3 = np.mean(dev**3, axis=0)
            out.append(np.where(constant, 0.0, m3 / safe_m2**1.5))
        elif stat == "kurtosis":
            m4 = np.mean(dev**4, axis=0)
            out.append(np.where(constant, 0.0, m4 / safe_m2**2 - 3.0))
        elif stat in pct:
            out.append(pct[stat])
        elif stat == "iqr":
            out.append(pct["p75"] - pct["p25"])
        elif stat == "pctl_range":
            out.append(pct["p99"] - pct["p1"])
        elif stat == "range":
            out.append(x.max(axis=0) - x.min(axis=0))
        elif stat == "slope":
            out.append(slope)
        elif stat == "linreg_error":
            out.append(np.sqrt(np.mean((dev - np.outer(t, slope)) ** 2, axis=0)))
        elif stat == "rise_mean":
            out.append(np.maximum(step, 0.0).mean(axis=0))
        else:  # fall_mean
            out.append(np.maximum(-step, 0.0).mean(axis=0))
    return np.stack(out)



# librosa's definitions of four features, computed with fewer passes over the
# spectrogram. Each equals the librosa function named in its docstring (tested at
# rtol 1e-5; rolloff and zcr bit for bit).


def _centroid_bandwidth(mag, sr, n_fft):
    """``spectral_centroid(S=mag)`` and ``spectral_bandwidth(S=mag, p=2)``, both (1, n_steps).

    librosa divides every column of ``mag`` by its sum (columns summing to less
    than the smallest normal float are left as they are) and takes the first
    moment of the bin frequencies, then the square root of the second central
    moment. The three raw moments come here from one float64 matrix product;
    float64 keeps the central moment free of cancellation.
    """
    import librosa

    freq = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    sums = np.stack([np.ones_like(freq), freq, freq**2]) @ mag.astype(np.float64)
    length = np.where(sums[0] < np.finfo(mag.dtype).tiny, 1.0, sums[0])
    m0, m1, m2 = sums / length
    centroid = m1
    bandwidth = np.sqrt(np.maximum(m2 - 2 * centroid * m1 + centroid**2 * m0, 0.0))
    return centroid[None, :], bandwidth[None, :]


def _rolloff(mag, sr, n_fft, roll_percent):
    """``spectral_rolloff(S=mag, roll_percent=...)``, shape (1, n_steps).

    The lowest bin frequency whose cumulative energy reaches ``roll_percent`` of
    the column total, from the same cumulative sum as librosa.
    """
    import librosa

    freq = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    total = np.cumsum(mag, axis=-2)
    threshold = roll_percent * total[..., -1, :]
    first = np.argmax(total >= threshold, axis=-2)
    return freq[first][None, :]


def _zero_crossing_rate(y, frame_length, hop_length, center):
    """``zero_crossing_rate(y, frame_length, hop_length, center)`` from one pass over ``y``.

    As in librosa: samples with ``|y| <= 1e-10`` count as +0, a crossing is a
    change of sign bit between neighbours inside a frame, and the rate is the
    count divided by ``frame_length``; ``center=True`` pads ``frame_length // 2``
    edge values on both sides.
    """
    if center:
        y = np.pad(y, frame_length // 2, mode="edge")
    threshold = y.dtype.type(1e-10)
    sign = np.signbit(y) & (np.abs(y) > threshold)
    cum = np.concatenate([[0], np.cumsum(sign[1:] != sign[:-1])])
    n_frames = stft_frame_count(y.shape[-1], frame_length, hop_length, center=False)  # padded
    starts = np.arange(n_frames) * hop_length
    count = cum[starts + frame_length - 1] - cum[starts]
    return (count / frame_length)[None, :]


class SpectralFeatures(TransformerMixin, BaseEstimator):
    """Extract spectral features from waveforms, sharing one STFT per clip.

    The short-time Fourier transform (Hamming window by default) is computed
    once per clip and every requested feature is derived from it by passing the
    spectrogram to librosa's own feature functions (their ``S=`` argument), so
    each feature equals what the corresponding direct librosa call with the same
    ``window``, ``n_fft`` and ``hop_length`` returns, at a fraction of the cost
    of one STFT per call. Hamming-window spectral features of the audio track
    are the audio half of published video-emotion models (an LSTM over spectral
    features of 30 s clips at 44.1 kHz).

    With ``pool=None`` the output is a frame-level sequence
    ``(n_samples, n_steps, n_features)`` for sequence models; otherwise each
    feature is summarised over time by the requested statistics, giving
    ``(n_samples, n_features * n_stats)`` for classical estimators.

    Features (with :math:`|X|` the magnitude STFT, :math:`P = |X|^2` the power
    STFT, :math:`M` the ``n_mels``-band mel power spectrogram of :math:`P` and
    :math:`L = 10 \\log_{10} \\max(M, 10^{-10})` floored at ``max(L) - 80`` dB,
    i.e. :func:`librosa.power_to_db`):

    ========== ============= ==========================================================
    name       columns       definition (librosa function, fed with)
    ========== ============= ==========================================================
    mfcc       n_mfcc        ``feature.mfcc(S=L)``: DCT-II of the log-mel spectrum;
                             with ``delta_order`` 1 or 2 also ``mfcc_delta_k`` and
                             ``mfcc_delta2_k`` (``feature.delta`` of the MFCCs)
    mel        n_mels        :math:`L` itself (log-mel energies in dB)
    centroid   1             ``feature.spectral_centroid(S=|X|)``, Hz (*)
    bandwidth  1             ``feature.spectral_bandwidth(S=|X|)`` (p=2), Hz (*)
    rolloff    1             ``feature.spectral_rolloff(S=|X|, roll_percent)``, Hz (*)
    flux       1             spectral flux
                             :math:`\\frac{1}{n_{mels}} \\sum_m \\max(0, L_{m,t} - L_{m,t-1})`,
                             shifted by ``n_fft // (2 hop_length)`` frames when
                             ``center=True`` and zero at the start, exactly
                             ``onset.onset_strength(S=L)``
    flatness   1             ``feature.spectral_flatness(S=|X|)``: geometric over
                             arithmetic mean of :math:`P`
    contrast   n_bands + 1   ``feature.spectral_contrast(S=|X|, fmin=contrast_fmin)``, dB
    zcr        1             ``feature.zero_crossing_rate(y, frame_length=n_fft)`` (*)
    rms        1             ``feature.rms(y, frame_length=n_fft)``: time-domain RMS of
                             each rectangular frame
    chroma     12            ``feature.chroma_stft(S=P)``, tuning estimated per clip
                             (0 where no pitch is found)
    f0         1             fundamental frequency in semitones from ``yin`` between
                             ``f0_min`` and ``f0_max``, relative to the clip's median
                             voiced f0 (``f0_reference="clip"``) or to 27.5 Hz;
                             median-filtered over 5 voiced frames, unvoiced frames
                             interpolated between their voiced neighbours (**) (v)
    voicing    1             1 where the frame is voiced, else 0 (**)
    log_energy 1             :math:`20 \\log_{10} \\max(rms, 10^{-5})`: frame energy in
                             dBFS (eGeMAPS' loudness is a perceptual, Zwicker
                             measure; this is its plain-energy counterpart)
    hnr        1             harmonics-to-noise ratio in dB,
                             :math:`10 \\log_{10} (r / (1 - r))` for the normalised
                             autocorrelation :math:`r` at the YIN lag, clipped to
                             :math:`\\pm 30` dB (**) (v)
    jitter     1             :math:`|T_t - T_{t-1}| / T_t` for the YIN periods of a
                             voiced frame and its voiced predecessor, else 0 (**)
                             (v)
    shimmer    1             :math:`|20 \\log_{10}(A_t / A_{t-1})|` dB for the RMS
                             amplitudes of such a pair of frames, else 0 (**) (v)
    ========== ============= ==========================================================

    (*) computed to librosa's definition with fewer passes over the data (one
    matrix product for centroid and bandwidth, one cumulative sum over the
    signal for zcr) and equal to the librosa call within float rounding.

    (v) pooled over the voiced frames only (``f0`` and ``hnr``) or over
    the pairs of neighbouring voiced frames (``jitter`` and ``shimmer``), as
    eGeMAPS does; a clip without any gives 0 for every statistic. eGeMAPS
    measures jitter and shimmer period by period; these frame-level
    counterparts are cheaper and share the frames of every other feature.

    Statistics (``pool``), over the frames of each clip, in float64:
    ``mean``, ``std``, ``min``, ``max``, ``skew``, ``kurtosis`` (population
    moments, 0 for a constant feature); the percentiles ``p1``, ``p25``,
    ``median``, ``p75``, ``p99`` (linear interpolation); ``iqr`` (p75 - p25),
    ``pctl_range`` (p99 - p1), ``range`` (max - min); ``slope`` (least-squares
    line against frame time, per second) and ``linreg_error`` (RMS distance
    to that line); ``rise_mean`` and ``fall_mean`` (mean rise and fall per
    second between successive frames, counting the others as 0).
    ``pool="functionals"`` asks for the 15 that paralinguistic sets such as
    eGeMAPS and ComParE (Eyben et al. 2016; Schuller et al. 2016) apply to
    their descriptors: all of them except ``min``, ``max`` and ``range``,
    whose extremes are the least robust.

    (**) a frame is voiced when its normalised autocorrelation at the YIN lag
    is at least ``voicing_threshold`` and it is within 40 dB of the clip's
    loudest frame. YIN's frame is the smallest power of 2 that is at least
    ``n_fft`` and two periods of ``f0_min``, centred on the STFT frame's centre.
    Pitch relative to the clip removes the speaker's pitch level (a man's and a
    woman's voice differ by about an octave, more than emotions move it), so
    its range, slope and jitter carry the expression: on the synthetic corpus
    (GroupKFold by actor), adding ``f0`` and ``voicing`` to the seven default
    features lifts a logistic regression on their means and stds from 0.83 to
    0.88 accuracy on unseen actors (64 clips of 4 actors; 0.90 to 0.95 on 128
    clips of 8 actors).

    Parameters
    ----------
    features : str or list of str, default=("mfcc", "centroid", "bandwidth", \
"rolloff", "flatness", "zcr", "rms")
        Features to compute, in output order, from ``"mfcc"``, ``"mel"``,
        ``"centroid"``, ``"bandwidth"``, ``"rolloff"``, ``"flux"``,
        ``"flatness"``, ``"contrast"``, ``"zcr"``, ``"rms"``, ``"chroma"``,
        ``"f0"``, ``"voicing"``, ``"log_energy"``, ``"hnr"``, ``"jitter"``,
        ``"shimmer"``.
    pool : str, list of str or None, default=("mean", "std")
        Statistics over time (see above), from ``"mean"``, ``"std"``,
        ``"min"``, ``"max"``, ``"skew"``, ``"kurtosis"``, ``"p1"``, ``"p25"``,
        ``"median"``, ``"p75"``, ``"p99"``, ``"iqr"``, ``"pctl_range"``,
        ``"range"``, ``"slope"``, ``"linreg_error"``, ``"rise_mean"``,
        ``"fall_mean"``, or ``"functionals"`` for 15 of them; ``None`` returns
        the frame-level sequence.
    sr : float, default=22050
        Sampling rate of the waveforms in Hz (match :class:`AudioLoader`'s).
    n_fft : int, default=2048
        FFT length in samples; also the frame length of ``zcr`` and ``rms``.
    hop_length : int, default=512
        Samples between successive frames.
    win_length : int or None, default=None
        Window length (zero-padded to ``n_fft``); ``None`` means ``n_fft``.
    window : str, tuple, callable or array-like, default="hamming"
        Any window accepted by :func:`scipy.signal.get_window`.
    center : bool, default=True
        Centre frames on ``t * hop_length`` by padding ``n_fft // 2`` on both
        sides. A clip shorter than ``n_fft`` is then zero-padded and gives
        ``1 + n_audio_samples // hop_length`` frames, as in librosa; with
        ``center=False`` such a clip raises a ValueError.
    pad_mode : str, default="constant"
        Padding of the STFT (and of ``rms``) when ``center=True``.
    n_mfcc : int, default=20
        Number of MFCCs.
    delta_order : {0, 1, 2}, default=0
        Append the first (1) or first and second (2) order deltas of the MFCCs.
    delta_width : int, default=9
        Odd number of frames of the Savitzky-Golay delta filter. Clips with
        fewer frames than ``delta_width`` use ``mode="nearest"`` edge handling
        instead of librosa's default ``"interp"`` (which needs at least
        ``delta_width`` frames).
    n_mels : int, default=128
        Mel bands of ``mel``, ``mfcc`` and ``flux``.
    fmin : float, default=0.0
        Lowest mel-filter frequency in Hz.
    fmax : float or None, default=None
        Highest mel-filter frequency; ``None`` means ``sr / 2``.
    roll_percent : float, default=0.85
        Energy fraction below the ``rolloff`` frequency.
    n_bands : int, default=6
        Octave bands of ``contrast`` (giving ``n_bands + 1`` columns).
    contrast_fmin : float, default=200.0
        Upper edge of the lowest ``contrast`` band in Hz; needs
        ``contrast_fmin * 2 ** (n_bands - 1) < sr / 2``.
    f0_min : float, default=60.0
        Lowest f0 searched by ``f0`` and ``voicing``, in Hz.
    f0_max : float, default=500.0
        Highest f0 searched, in Hz; needs ``f0_min < f0_max < sr / 2``.
    f0_reference : {"clip", "absolute"}, default="clip"
        Semitones of ``f0`` relative to the median f0 of the clip's voiced
        frames, or above 27.5 Hz (A0).
    voicing_threshold : float, default=0.7
        Least normalised autocorrelation at the f0 lag of a voiced frame (1 is
        perfectly periodic).
    memory : str, os.PathLike, joblib.Memory or None, default=None
        Directory of a per-clip cache of the output rows, keyed on each
        waveform's samples and these parameters: cross-validation folds and
        search candidates compute each clip's features once. ``None`` caches
        nothing.
    n_jobs : int or None, default=None
        Clips featurized in parallel by :mod:`joblib` (processes, each with one
        BLAS thread). ``None`` means 1, ``-1`` all processors.

    Attributes
    ----------
    n_features_in_ : int
        Number of audio samples per waveform seen in ``fit``; not set when
        ``fit`` saw waveforms of different lengths (an object array).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Only when ``X`` was a DataFrame with string column names.
    frame_feature_names_ : ndarray of str
        Names of the frame-level columns (the last axis when ``pool=None``),
        e.g. ``"mfcc_3"``, ``"centroid"``.
    n_steps_ : int or None
        Number of frames per clip; None for waveforms of different lengths.

    See Also
    --------
    Spectrogram : Log-mel spectrogram images for CNNs.
    hamming_spectrogram : The spectrogram as a function.
    AudioLoader : Read the waveforms from media files.

    Notes
    -----
    A silent clip gives finite features: MFCCs and ``mel`` of a -100 dB
    spectrum, 0 Hz ``centroid``, ``bandwidth`` and ``rolloff``, ``flatness``
    1, ``zcr``, ``rms``, ``flux``, ``chroma``, ``f0`` and ``voicing`` 0, and
    ``skew``/``kurtosis`` of a constant feature are 0. A waveform containing NaN or infinity raises
    a ValueError that names its sample index.

    Waveforms of different lengths (an object array of 1-D arrays, as
    ``AudioLoader(duration="variable")`` returns) are pooled clip by clip,
    each over its own frames; ``pool=None`` needs one length.

    With ``pool=None`` the output is 3-D and cannot be wrapped by
    ``set_output(transform="pandas")`` (a ValueError says so);
    :meth:`get_feature_names_out` then names the last axis.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.audio import SpectralFeatures
    >>> sr = 16000
    >>> t = np.arange(sr // 2) / sr
    >>> X = np.stack([np.sin(2 * np.pi * f * t) for f in (220, 440, 880)]).astype(np.float32)
    >>> sf = SpectralFeatures(features=["mfcc", "centroid"], n_mfcc=4, pool=["mean", "std"],
    ...                       sr=sr, n_fft=512, hop_length=256, n_mels=40)
    >>> sf.fit_transform(X).shape
    (3, 10)
    >>> sf.get_feature_names_out()[:3]
    array(['mfcc_0_mean', 'mfcc_1_mean', 'mfcc_2_mean'], dtype=object)
    >>> centroid_hz = sf.transform(X)[:, 4]
    >>> bool(np.all(np.diff(centroid_hz) > 0))  # brighter tones, higher centroid
    True
    >>> sf.set_params(pool=None).fit_transform(X).shape  # (n_samples, n_steps, n_features)
    (3, 32, 5)
    >>> pitch = SpectralFeatures(features=["f0", "voicing"], pool=["mean"], sr=sr, n_fft=512,
    ...                          hop_length=256, f0_max=1000.0, f0_reference="absolute")
    >>> pitch.fit_transform(X).round(1)  # semitones above 27.5 Hz; every frame voiced
    array([[36.,  1.],
           [48.,  1.],
           [60.,  1.]], dtype=float32)
    """

    _parameter_constraints = {
        "n_mfcc": [Interval(int, 1, None, closed="left")],
        "delta_order": [Options({0, 1, 2})],
        "delta_width": [Interval(int, 3, None, closed="left")],
        "roll_percent": [Interval(float, 0, 1, closed="neither")],
        "n_bands": [Interval(int, 1, None, closed="left")],
        "contrast_fmin": [Interval(float, 0, None, closed="neither")],
        "f0_min": [Interval(float, 0, None, closed="neither")],
        "f0_max": [Interval(float, 0, None, closed="neither")],
        "f0_reference": [Options({"clip", "absolute"})],
        "voicing_threshold": [Interval(float, 0, 1, closed="neither")],
        "memory": ["cache", None],
        "n_jobs": [int, None],
    }

    def __init__(
        self,
        *,
        features=("mfcc", "centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms"),
        pool=("mean", "std"),
        sr=22050,
        n_fft=2048,
        hop_length=512,
        win_length=None,
        window="hamming",
        center=True,
        pad_mode="constant",
        n_mfcc=20,
        delta_order=0,
        delta_width=9,
        n_mels=128,
        fmin=0.0,
        fmax=None,
        roll_percent=0.85,
        n_bands=6,
        contrast_fmin=200.0,
        f0_min=60.0,
        f0_max=500.0,
        f0_reference="clip",
        voicing_threshold=0.7,
        memory=None,
        n_jobs=None,
    ):
        self.features = features
        self.pool = pool
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.n_mfcc = n_mfcc
        self.delta_order = delta_order
        self.delta_width = delta_width
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.roll_percent = roll_percent
        self.n_bands = n_bands
        self.contrast_fmin = contrast_fmin
        self.f0_min = f0_min
        self.f0_max = f0_max
        self.f0_reference = f0_reference
        self.voicing_threshold = voicing_threshold
        self.memory = memory
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ checks
    def _check_params(self):
        name = type(self).__name__
        params = self.get_params(deep=False)
        _check_names(name, "features", self.features, FEATURES)
        if self.pool != "functionals":
            _check_names(name, "pool", self.pool, STATISTICS, allow_none=True)
        check_stft_params(self, params)
        validate_params(self, params, self._parameter_constraints)
        if self.delta_width % 2 == 0:
            raise ValueError(
                f"The 'delta_width' parameter of {name} must be an odd int >= 3. "
                f"Got {self.delta_width!r} instead."
            )
        if "contrast" in _as_tuple(self.features):
            top = self.contrast_fmin * 2.0 ** (self.n_bands - 1)
            if top >= self.sr / 2:
                raise ValueError(
                    f"The 'contrast_fmin' and 'n_bands' parameters of {name} put the highest "
                    f"contrast band edge at contrast_fmin * 2 ** (n_bands - 1) = {top:g} Hz, "
                    f"which must be below sr / 2 = {self.sr / 2:g} Hz. Reduce contrast_fmin "
                    "or n_bands."
                )
        if _PITCH & set(_as_tuple(self.features)):
            if not self.f0_min < self.f0_max < self.sr / 2:
                raise ValueError(
                    f"The 'f0_min' and 'f0_max' parameters of {name} must satisfy "
                    f"0 < f0_min < f0_max < sr / 2 = {self.sr / 2:g}. "
                    f"Got f0_min={self.f0_min!r}, f0_max={self.f0_max!r} instead."
                )

    def _frame_names_of(self, feature):
        if feature == "mfcc":
            names = [f"mfcc_{k}" for k in range(self.n_mfcc)]
            if self.delta_order >= 1:
                names += [f"mfcc_delta_{k}" for k in range(self.n_mfcc)]
            if self.delta_order == 2:
                names += [f"mfcc_delta2_{k}" for k in range(self.n_mfcc)]
            return names
        width = {"mel": self.n_mels, "contrast": self.n_bands + 1, "chroma": 12}.get(feature)
        return [feature] if width is None else [f"{feature}_{k}" for k in range(width)]

    def _frame_names(self):
        return [name for feature in _as_tuple(self.features) for name in self._frame_names_of(feature)]

    def _statistics(self):
        if self.pool is None:
            return None
        return FUNCTIONALS if self.pool == "functionals" else _as_tuple(self.pool)

    # ----------------------------------------------------------------- compute
    def _clip_features(self, y):
        """Frame-level features of one waveform ``y`` (1-D) -> (n_steps, n_columns)."""
        import librosa

        feats = _as_tuple(self.features)
        sr, n_fft, hop = self.sr, self.n_fft, self.hop_length
        D = _stft(
            y,
            n_fft=n_fft,
            hop_length=hop,
            win_length=self.win_length,
            window=self.window,
            center=self.center,
            pad_mode=self.pad_mode,
        )
        mag = np.abs(D)
        power = mag**2 if {"mfcc", "mel", "flux", "chroma", "flatness"} & set(feats) else None
        if _NEEDS_MEL & set(feats):
            mel = librosa.feature.melspectrogram(
                S=power, sr=sr, n_fft=n_fft, n_mels=self.n_mels, fmin=self.fmin, fmax=self.fmax
            )
            log_mel = librosa.power_to_db(mel)
        centroid = pitch = None
        columns = []
        for feature in feats:
            if feature == "mfcc":
                mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=self.n_mfcc)
                columns.append(mfcc)
                if self.delta_order:
                    mode = "interp" if mfcc.shape[-1] >= self.delta_width else "nearest"
                    for order in range(1, self.delta_order + 1):
                        columns.append(
                            librosa.feature.delta(
                                mfcc, width=self.delta_width, order=order, mode=mode
                            )
                        )
            elif feature == "mel":
                columns.append(log_mel)
            elif feature in ("centroid", "bandwidth"):
                if centroid is None:
                    centroid, bandwidth = _centroid_bandwidth(mag, sr, n_fft)
                columns.append(centroid if feature == "centroid" else bandwidth)
            elif feature == "rolloff":
                columns.append(_rolloff(mag, sr, n_fft, self.roll_percent))
            elif feature == "flux":
                columns.append(
                    librosa.onset.onset_strength(
                        S=log_mel, sr=sr, n_fft=n_fft, hop_length=hop, center=self.center
                    )[None, :]
                )
            elif feature == "flatness":
                # == spectral_flatness(S=mag, power=2.0): P is mag ** 2, bit for bit.
                columns.append(librosa.feature.spectral_flatness(S=power, power=1.0))
            elif feature == "contrast":
                columns.append(
                    librosa.feature.spectral_contrast(
                        S=mag, sr=sr, n_fft=n_fft, fmin=self.contrast_fmin, n_bands=self.n_bands
                    )
                )
            elif feature == "zcr":
                columns.append(_zero_crossing_rate(y, n_fft, hop, self.center))
            elif feature == "rms":
                columns.append(
                    librosa.feature.rms(
                        y=y,
                        frame_length=n_fft,
                        hop_length=hop,
                        center=self.center,
                        pad_mode=self.pad_mode,
                    )
                )
            elif feature == "log_energy":
                rms = librosa.feature.rms(
                    y=y, frame_length=n_fft, hop_length=hop, center=self.center,
                    pad_mode=self.pad_mode,
                )  # fmt: skip
                columns.append(20.0 * np.log10(np.maximum(rms, 1e-5)))
            elif feature in _PITCH:
                if pitch is None:
                    pitch = pitch_track(
                        y, sr=sr, n_fft=n_fft, hop_length=hop, n_steps=mag.shape[1],
                        center=self.center, f0_min=self.f0_min, f0_max=self.f0_max,
                        threshold=self.voicing_threshold, reference=self.f0_reference,
                    )  # fmt: skip
                columns.append(pitch[feature][None, :])
            else:  # chroma
                # chroma_stft's own tuning estimate, made here to silence librosa's warning
                # when no pitch is found (silence, DC): the tuning is then 0.
                with warnings.catch_warnings():
                    warnings.filterwarnings(
                        "ignore", message="Trying to estimate tuning", category=UserWarning
                    )
                    tuning = librosa.estimate_tuning(S=power, sr=sr, bins_per_octave=12)
                columns.append(
                    librosa.feature.chroma_stft(S=power, sr=sr, n_fft=n_fft, tuning=tuning)
                )
        frames = np.concatenate(columns, axis=0).T
        masks = None if pitch is None else (pitch["voicing"] > 0, pitch["voice_pair"] > 0)
        return frames, masks

    def _column_masks(self):
        """Which columns pool over voiced frames, which over voiced pairs (bool arrays)."""
        kinds = []
        for feature in _as_tuple(self.features):
            width = len(self._frame_names_of(feature))
            kinds += [feature] * width
        kinds = np.asarray(kinds, dtype=object)
        return np.isin(kinds, list(_VOICED_ONLY)), np.isin(kinds, list(_PAIR_ONLY))

    def _clip_output(self, y, stats):
        """The output row of one waveform: frames (n_steps, n_columns) or pooled (n_out,)."""
        frames, masks = self._clip_features(y)
        if stats is None:
            return frames.astype(np.float32)
        hop_s = self.hop_length / self.sr
        times = np.arange(len(frames)) * hop_s
        pooled = _pool(frames, stats, times)
        if masks is not None:
            for columns, rows in zip(self._column_masks(), masks, strict=True):
                if columns.any():
                    pooled[:, columns] = _pool(frames[rows][:, columns], stats, times[rows])
        return pooled.ravel().astype(np.float32)

    # --------------------------------------------------------------------- API
    def fit(self, X, y=None):
        """Check parameters and record the waveform length.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_audio_samples) or object ndarray of shape (n_samples,)
            Mono waveforms at ``sr`` Hz, of one length or (an object array of
            1-D arrays) of their own lengths.
        y : None
            Ignored.

        Returns
        -------
        self : SpectralFeatures
            The fitted transformer.
        """
        self._check_params()
        X = self._check_X(X, reset=True)
        self.frame_feature_names_ = np.asarray(self._frame_names(), dtype=object)
        if isinstance(X, list):
            self.n_steps_ = None
        else:
            self.n_steps_ = stft_frame_count(X.shape[1], self.n_fft, self.hop_length, self.center)
        return self

    def _check_X(self, X, *, reset):
        name = type(self).__name__
        if is_ragged(X):
            if self.pool is None:
                raise ValueError(
                    f"{name}(pool=None) needs waveforms of one length to return frame-level "
                    "features of shape (n_samples, n_steps, n_features); got waveforms of "
                    "different lengths. Pool them (pool='functionals', say) or give them one "
                    "length with AudioLoader(duration=...)."
                )
            X = check_ragged_waveforms(self, X, reset=reset)
            for x in X:
                _check_short(name, x.shape[0], self.n_fft, self.center)
            return X
        X = check_waveforms(self, X, reset=reset)
        _check_short(name, X.shape[1], self.n_fft, self.center)
        return X

    def transform(self, X):
        """Compute the features of each waveform.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_audio_samples) or object ndarray of shape (n_samples,)
            Mono waveforms, with the length seen in ``fit`` unless ``pool``
            pools them or ``fit`` saw waveforms of different lengths.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features * n_stats) or \
(n_samples, n_steps, n_features), dtype=float32
            Pooled statistics (column names from :meth:`get_feature_names_out`)
            or, with ``pool=None``, the frame-level sequence.
        """
        from joblib import Parallel, delayed

        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        if self.pool is None and _container_output_requested(self):
            raise ValueError(
                f"{type(self).__name__}(pool=None) returns 3-D frame-level features of shape "
                "(n_samples, n_steps, n_features), which set_output(transform='pandas'/'polars') "
                f"cannot hold. Set pool to statistics among {list(STATISTICS)} or use "
                "set_output(transform='default')."
            )
        stats = self._statistics()
        location = cache_location(self.memory)
        cache = None if location is None else ClipCache(location, kind="features")
        params = None if cache is None else self._cache_params()
        if self.n_jobs in (None, 1) or len(X) == 1:
            rows = _featurize(self, X, stats, cache, params)
        else:
            # Contiguous chunks, one task per worker and chunk: each process warms librosa once.
            n_chunks = min(len(X), 4 * effective_n_jobs(self.n_jobs))
            bounds = np.linspace(0, len(X), n_chunks + 1).astype(int)
            chunks = Parallel(n_jobs=self.n_jobs)(
                delayed(_featurize)(self, X[a:b], stats, cache, params)
                for a, b in zip(bounds[:-1], bounds[1:], strict=True)
            )
            rows = [row for chunk in chunks for row in chunk]
        return np.stack(rows).astype(np.float32, copy=False)

    def _cache_params(self):
        params = self.get_params(deep=False)
        for name in ("memory", "n_jobs"):
            params.pop(name)
        params["pool"] = self._statistics()
        return {"class": type(self).__name__, **params}

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored except for a consistency check with ``feature_names_in_``
            (the input columns are audio samples, not features).

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``"{column}_{stat}"`` (e.g. ``"mfcc_3_mean"``, ``"rms_std"``),
            statistic-major: all columns' first statistic, then the second...
            With ``pool=None``: the frame-level column names of the last axis.
        """
        check_is_fitted(self)
        check_input_features(self, input_features)
        names = list(self.frame_feature_names_)
        if self.pool is None:
            return np.asarray(names, dtype=object)
        return np.asarray(
            [f"{name}_{stat}" for stat in self._statistics() for name in names], dtype=object
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


@register_warm_up
def _warm_up():
    """Run every librosa path of ``SpectralFeatures`` once (see ``_kernels``)."""
    for X in warm_up_signals():
        SpectralFeatures(features=FEATURES, sr=16000, n_fft=512, hop_length=256,
                         n_mfcc=4).fit_transform(X)


def _featurize(estimator, X, stats, cache, params):
    """Output rows of the waveforms ``X`` (a worker's share), single-threaded BLAS."""
    ensure_librosa_kernels()
    rows = []
    # Per-clip matrices are small: BLAS threads cost more than they give (measured 4x
    # slower on a loaded 2-core machine).
    with threadpool_limits(limits=1, user_api="blas"):
        for y in X:
            if cache is None:
                rows.append(estimator._clip_output(y, stats))
            else:
                key = cache.array_key(y, params)
                rows.append(cache.get_or_compute_key(key, lambda y=y: estimator._clip_output(y, stats)))
    return rows


def _container_output_requested(estimator):
    """Whether set_output (or the global config) asks transform for a DataFrame."""
    # sklearn keeps the per-estimator choice in ``_sklearn_output_config``; no public getter.
    config = getattr(estimator, "_sklearn_output_config", {})
    return config.get("transform", get_config()["transform_output"]) != "default"
