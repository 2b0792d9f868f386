"""Decode the audio track of media files into waveforms: the ``AudioLoader`` transformer."""

import os
import sys
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..exceptions import MediaError
from ..utils import Interval, Options, validate_params
from ..utils._output import MediaOutputMixin

__all__ = ["AudioLoader"]

_PAD_MODES = {"zero": "constant", "reflect": "reflect", "wrap": "wrap"}


def _as_paths(X):
    """Turn ``X`` into a 1-D object array of paths, or raise a ValueError saying what is wrong."""
    if isinstance(X, str | bytes | os.PathLike):
        raise ValueError(
            f"Expected X to be a sequence of paths of shape (n_samples,); got a single path "
            f"{os.fsdecode(X)!r}. Wrap it in a list."
        )
    if hasattr(X, "to_numpy"):  # pandas Series / DataFrame
        X = X.to_numpy()
    if isinstance(X, np.ndarray):
        arr = X.astype(object)
    else:
        try:
            items = list(X)
        except TypeError:
            raise ValueError(
                f"Expected X to be a sequence of paths of shape (n_samples,); got {type(X).__name__}."
            ) from None
        arr = np.empty(len(items), dtype=object)
        arr[:] = items
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"Expected X of shape (n_samples,) holding paths; got {np.shape(X)}."
        )
    if arr.shape[0] == 0:
        raise ValueError("Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required.")
    bad = [i for i, p in enumerate(arr) if not isinstance(p, str | os.PathLike)]
    if bad:
        i = bad[0]
        raise ValueError(
            f"Expected every element of X to be a str or os.PathLike path; element {i} is "
            f"{type(arr[i]).__name__} ({arr[i]!r}). Bad elements: {bad[:10]}."
        )
    return arr


def _fix_length(y, n, crop, pad):
    """Crop or pad ``y`` of shape (channels, m) to (channels, n)."""
    m = y.shape[1]
    if m > n:
        offset = 0 if crop == "start" else (m - n) // 2
        return y[:, offset : offset + n]
    if m < n:
        total = n - m
        before = 0 if crop == "start" else total // 2
        return np.pad(y, [(0, 0), (before, total - before)], mode=_PAD_MODES[pad])
    return y


def _silence_length(path, sr, n_target):
    """Length of the silence returned for a file without audio (``on_missing="silence"``)."""
    if n_target is not None:
        return n_target
    from ..io import parse_fragment, probe

    file_path, start, end = parse_fragment(path)
    start = start or 0.0
    if end is None:
        end = probe(file_path).duration
        if end is None:
            raise MediaError(
                f"Could not size the silence for '{os.fspath(path)}': it has no audio stream "
                "and an unknown duration. Pass AudioLoader(duration=...).",
                os.fspath(path),
            )
    return int(round(end * sr)) - int(round(start * sr))


def _load_one(path, sr, mono, n_target, crop, pad, on_missing):
    """Decode one file. Returns ("ok", y (channels, n)), ("silent", n) or ("error", exc)."""
    from ..io import parse_fragment, probe, read_audio

    duration = n_target / sr if (n_target is not None and crop == "start") else None
    try:
        y = read_audio(path, sr, mono=mono, duration=duration)
    except FileNotFoundError as exc:
        return "error", exc
    except MediaError as exc:
        if on_missing == "silence":
            try:
                no_audio = not probe(parse_fragment(path)[0]).has_audio
            except (MediaError, FileNotFoundError):
                no_audio = False
            if no_audio:
                try:
                    return "silent", _silence_length(path, sr, n_target)
                except MediaError as exc2:
                    return "error", exc2
        return "error", exc
    y = y[None, :] if y.ndim == 1 else y
    if n_target is not None:
        y = _fix_length(y, n_target, crop, pad)
    return "ok", np.ascontiguousarray(y, dtype=np.float32)


class AudioLoader(MediaOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Decode the audio track of media files into fixed-length waveforms.

    Each path (audio or video file: mp4, flv, webm, wav, ...) or media fragment
    ``path#t=START,END`` is decoded by the bundled ffmpeg
    (:func:`skemotion.io.read_audio`), resampled to ``sr`` and down-mixed to
    mono unless ``mono=False``. ``librosa.load`` cannot open video containers
    such as mp4 or flv (``NoBackendError``), so this is how the audio half of a
    video-emotion pipeline starts. A fragment yields exactly the audio samples
    ``[round(START * sr), round(END * sr))``, so audio and frames of the same
    window line up.

    Parameters
    ----------
    sr : int, default=22050
        Output sampling rate in Hz.
    mono : bool, default=True
        Down-mix to one channel. With ``mono=False`` the channels are kept and
        every file must have the same number of them.
    duration : float or None, default=None
        Length of every output waveform in seconds (``round(duration * sr)``
        samples), enforced with ``crop`` and ``pad``. ``None`` keeps each clip's
        own length, which must then be the same for all clips.
    pad : {"zero", "reflect", "wrap"}, default="zero"
        How a clip shorter than ``duration`` is extended: zeros, mirror image
        (``numpy.pad(mode="reflect")``) or repetition of the clip.
    crop : {"start", "center"}, default="start"
        Which part of a longer clip is kept: its first ``duration`` seconds (only
        those are decoded) or its middle. It also places a shorter clip: padding
        goes after it (``"start"``) or evenly on both sides (``"center"``).
    on_missing : {"raise", "silence"}, default="raise"
        What to do with a file that has no audio stream: raise a
        :class:`~skemotion.exceptions.MediaError` naming it, or return zeros (of
        ``duration``, or of the clip's own length) and warn, naming the files.
    n_jobs : int or None, default=None
        Number of files decoded in parallel by :mod:`joblib`, in threads (each
        decode is an ffmpeg process, so threads are enough; a
        ``joblib.parallel_backend`` context can choose another backend).
        ``None`` means 1, ``-1`` all processors.
    verbose : int, default=0
        Show a :mod:`tqdm` progress bar on standard error when positive.

    See Also
    --------
    skemotion.io.read_audio : Decode a single file.
    SpectralFeatures : Spectral features of the waveforms.
    Spectrogram : Spectrogram images of the waveforms.

    Notes
    -----
    The loader is stateless: ``fit`` only checks the parameters and
    ``transform`` works unfitted, like
    :class:`~sklearn.preprocessing.FunctionTransformer`. Every file of a batch
    is tried; bad ones (missing, corrupt, without audio) are reported together
    in one exception (``FileNotFoundError`` if all are missing, otherwise
    :class:`~skemotion.exceptions.MediaError`).

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.audio import AudioLoader
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> corpus = make_synthetic_expressions(4, tempfile.mkdtemp(), duration=0.5,
    ...                                     random_state=0)
    >>> X = AudioLoader(sr=16000, duration=0.5).fit_transform(corpus.data)
    >>> X.shape, X.dtype
    ((4, 8000), dtype('float32'))
    >>> first_quarter = AudioLoader(sr=16000).transform([corpus.data[0] + "#t=0,0.25"])
    >>> first_quarter.shape
    (1, 4000)
    """

    _parameter_constraints = {
        "sr": [Interval(int, 1, None, closed="left")],
        "mono": ["boolean"],
        "duration": [Interval(float, 0, None, closed="neither"), None],
        "pad": [Options(set(_PAD_MODES))],
        "crop": [Options({"start", "center"})],
        "on_missing": [Options({"raise", "silence"})],
        "n_jobs": [int, None],
        "verbose": ["boolean", Interval(int, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sr=22050,
        mono=True,
        duration=None,
        pad="zero",
        crop="start",
        on_missing="raise",
        n_jobs=None,
        verbose=0,
    ):
        self.sr = sr
        self.mono = mono
        self.duration = duration
        self.pad = pad
        self.crop = crop
        self.on_missing = on_missing
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X=None, y=None):
        """Check the parameters; the loader learns nothing.

        Parameters
        ----------
        X : array-like of shape (n_samples,) or None
            Paths; ignored.
        y : None
            Ignored.

        Returns
        -------
        self : AudioLoader
            This loader.
        """
        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        return self

    def transform(self, X):
        """Decode every path in ``X`` into a waveform.

        Parameters
        ----------
        X : array-like of shape (n_samples,) of str or os.PathLike
            Media files or ``path#t=START,END`` fragments (a one-column 2-D
            array or DataFrame is accepted too).

        Returns
        -------
        waveforms : ndarray of shape (n_samples, n_audio_samples) or \
(n_samples, n_audio_samples, n_channels), dtype=float32
            One row per path, in input order; channels last when
            ``mono=False``.

        Raises
        ------
        FileNotFoundError
            If every bad path is missing.
        MediaError
            If a file cannot be decoded or (with ``on_missing="raise"``) has no
            audio stream; the message lists every such file.
        ValueError
            If ``X`` is not a 1-D sequence of paths, or clips differ in length
            (channels) and ``duration`` (``mono``) does not fix it.
        """
        from joblib import Parallel, delayed
        from tqdm.auto import tqdm

        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        paths = _as_paths(X)
        n_target = None if self.duration is None else max(1, int(round(self.duration * self.sr)))
        jobs = (
            delayed(_load_one)(
                p, self.sr, self.mono, n_target, self.crop, self.pad, self.on_missing
            )
            for p in paths
        )
        # Threads suffice: each decode waits on an ffmpeg process, outside the GIL.
        results = Parallel(n_jobs=self.n_jobs, prefer="threads", return_as="generator")(jobs)
        results = list(
            tqdm(
                results,
                total=len(paths),
                desc=type(self).__name__,
                disable=not self.verbose,
                file=sys.stderr,
            )
        )
        self._raise_errors(paths, results)
        return self._stack(paths, results)

    def _raise_errors(self, paths, results):
        errors = [(os.fspath(p), r[1]) for p, r in zip(paths, results, strict=True) if r[0] == "error"]
        if not errors:
            return
        lines = "\n".join(f"  - {p!r}: {exc}" for p, exc in errors)
        message = (
            f"{type(self).__name__} could not load audio from {len(errors)} of {len(paths)} "
            f"files:\n{lines}"
        )
        if all(isinstance(exc, FileNotFoundError) for _, exc in errors):
            raise FileNotFoundError(message)
        first = next(exc for _, exc in errors if isinstance(exc, MediaError))
        raise MediaError(message, path=errors[0][0], stderr=getattr(first, "stderr", None))

    def _stack(self, paths, results):
        silent = [i for i, r in enumerate(results) if r[0] == "silent"]
        loaded = [r[1] for r in results if r[0] == "ok"]
        channels = {y.shape[0] for y in loaded}
        if len(channels) > 1:
            per_file = {os.fspath(p): r[1].shape[0] for p, r in zip(paths, results, strict=True) if r[0] == "ok"}
            raise ValueError(
                f"{type(self).__name__}(mono=False) needs the same number of channels in every "
                f"file; got {per_file}. Use mono=True."
            )
        n_channels = channels.pop() if channels else 1
        lengths = [r[1].shape[1] if r[0] == "ok" else r[1] for r in results]
        if len(set(lengths)) > 1:
            shown = dict(list(zip(map(os.fspath, paths), lengths, strict=True))[:10])
            raise ValueError(
                f"{type(self).__name__} decoded clips of different lengths (samples at "
                f"sr={self.sr}: {shown}{' ...' if len(paths) > 10 else ''}); set duration=... "
                "to crop/pad them to a common length."
            )
        out = np.zeros((len(paths), lengths[0], n_channels), dtype=np.float32)
        for i, r in enumerate(results):
            if r[0] == "ok":
                out[i] = r[1].T
        if silent:
            names = [os.fspath(paths[i]) for i in silent]
            warnings.warn(
                f"{len(silent)} file(s) have no audio stream; returning silence for them "
                f"(on_missing='silence'): {names}",
                UserWarning,
                stacklevel=3,
            )
        return out[:, :, 0] if self.mono else out

    def __sklearn_is_fitted__(self):
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.string = True
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags
