"""Decode the audio track of media files into waveforms: the ``AudioLoader`` transformer."""

import os
import sys
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..exceptions import MediaError
from ..utils import Interval, Options, validate_params
from ..utils._cache import ClipCache, cache_location
from ..utils._errors import batch_error
from ..utils._output import MediaOutputMixin
from ..utils._paths import as_paths

__all__ = ["AudioLoader"]

_PAD_MODES = {"zero": "constant", "reflect": "reflect", "wrap": "wrap"}


# A clip whose peak is below this is silent: nothing in it to recognise.
_SILENT_PEAK_DB = -80.0
# A crop whose energy is this far below the clip's is "reduced to silence" and announced.
_QUIET_CROP_DB = 30.0


def _trim(y, sr, top_db):
    """``y`` (channels, m) without the leading and trailing frames quieter than ``top_db``.

    Frames are 25 ms long every 10 ms (librosa.effects.trim's measure: RMS in
    dB below the loudest frame), measured on the mean of the channels with the
    clip's DC offset removed, so a DC offset cannot hide silence. librosa cuts
    at the centre of the first loud frame and one hop after the centre of the
    last; the cut is widened to keep the whole of both frames. A clip
    without any frame above the threshold is returned whole.
    """
    import librosa

    frame = max(1, int(round(0.025 * sr)))
    hop = max(1, int(round(0.010 * sr)))
    mono = y.mean(axis=0)
    _, (start, stop) = librosa.effects.trim(
        mono - mono.mean(), top_db=top_db, frame_length=frame, hop_length=hop
    )
    if stop <= start:
        return y
    return y[:, max(0, start - frame // 2) : stop + max(0, frame // 2 - hop)]


def _level_db(y):
    return 10.0 * np.log10(np.mean(np.square(y, dtype=np.float64)) + 1e-20)


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


def _load_one(path, params, n_target, cache):
    """Decode one file.

    Returns ("ok", y (channels, n), quiet_crop), ("silent", n) for a file
    without audio (``on_missing="silence"``), ("zero", y) for a silent clip,
    or ("error", exc).
    """
    from ..io import parse_fragment, probe

    sr, crop = params["sr"], params["crop"]
    try:
        # The whole clip is decoded even for a crop: trimming and the quiet-crop check see it all.
        if cache is not None:
            y = cache.get_or_compute(path, _decode_params(params), lambda: _decode(path, params))
        else:
            y = _decode(path, params)
    except FileNotFoundError as exc:
        return "error", exc
    except MediaError as exc:
        if params["on_missing"] == "silence":
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
    if y.size and not np.isfinite(y).all():
        bad = int(np.flatnonzero(~np.isfinite(y).all(axis=0))[0])
        return "error", MediaError(
            f"Could not read audio from '{os.fspath(path)}': it holds NaN or infinite samples "
            f"(the first at sample {bad} of the decode at {sr} Hz).",
            os.fspath(path),
        )
    peak = float(np.abs(y).max()) if y.size else 0.0
    if peak <= 10.0 ** (_SILENT_PEAK_DB / 20.0):
        return "zero", _fix_length(y, n_target, crop, params["pad"]) if n_target else y
    if params["trim_db"] is not None:
        y = _trim(y, sr, params["trim_db"])
    quiet = False
    if n_target is not None:
        kept = _fix_length(y, n_target, crop, params["pad"])
        quiet = y.shape[1] > n_target and _level_db(kept) < _level_db(y) - _QUIET_CROP_DB
        y = kept
    return "ok", np.ascontiguousarray(y, dtype=np.float32), quiet


def _decode_params(params):
    return {"sr": params["sr"], "mono": params["mono"]}


def _decode(path, params):
    """The decoded waveform of ``path`` as (channels, m) float32."""
    from ..io import read_audio

    y = read_audio(path, params["sr"], mono=params["mono"])
    return np.ascontiguousarray(y[None, :] if y.ndim == 1 else y, dtype=np.float32)


class AudioLoader(MediaOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Decode the audio track of media files into waveforms.

    Each path (audio or video file: mp4, flv, webm, wav, flac, ...) or media
    fragment ``path#t=START,END`` is decoded (:func:`skemotion.io.read_audio`:
    PCM WAV/AIFF and FLAC in process by libsndfile, everything else by the
    bundled ffmpeg, with the same samples either way), resampled to ``sr`` and
    down-mixed to mono unless ``mono=False``. Leading and trailing silence can
    be trimmed (``trim_db``), and clips are either brought to one length
    (``duration``) or kept at their own (``duration="variable"``).
    ``librosa.load`` cannot open video containers such as mp4 or flv
    (``NoBackendError``), so this is how the audio half of a video-emotion
    pipeline starts. A fragment yields exactly the audio samples
    ``[round(START * sr), round(END * sr))``, so audio and frames of the same
    window line up.

    Parameters
    ----------
    sr : int, default=22050
        Output sampling rate in Hz.
    mono : bool, default=True
        Down-mix to one channel. With ``mono=False`` the channels are kept and
        every file must have the same number of them.
    duration : float, "variable" or None, default=None
        Length of every output waveform in seconds (``round(duration * sr)``
        samples), enforced with ``crop`` and ``pad`` after trimming.
        ``"variable"`` keeps each clip's own length and returns an object
        array of 1-D waveforms, which :class:`SpectralFeatures` pools clip by
        clip. ``None`` keeps each clip's own length, which must then be the
        same for all clips.
    pad : {"zero", "reflect", "wrap"}, default="zero"
        How a clip shorter than ``duration`` is extended: zeros, mirror image
        (``numpy.pad(mode="reflect")``) or repetition of the clip.
    crop : {"start", "center"}, default="start"
        Which part of a longer clip is kept: its first ``duration`` seconds or
        its middle. It also places a shorter clip: padding goes after it
        (``"start"``) or evenly on both sides (``"center"``). A crop whose
        energy is more than 30 dB below the clip's (the first second of a
        recording that opens with silence) is announced with a warning naming
        the clips; ``trim_db`` avoids it.
    trim_db : float or None, default=None
        Trim leading and trailing audio quieter than ``trim_db`` decibels below
        the clip's loudest 25 ms frame (frames every 10 ms, RMS measured with
        the clip's DC offset removed, as :func:`librosa.effects.trim`) before
        cropping, so a crop keeps speech rather than the silence around it. 40
        suits speech recorded in a quiet room. ``None`` keeps every sample.
    on_silent : {"raise", "warn"}, default="raise"
        What to do with a clip whose peak is below -80 dBFS (digital silence):
        raise a :class:`~skemotion.exceptions.MediaError` listing such files,
        or warn, naming them, and return the clip as decoded.
    on_missing : {"raise", "silence"}, default="raise"
        What to do with a file that has no audio stream: raise a
        :class:`~skemotion.exceptions.MediaError` naming it, or return zeros (of
        ``duration``, or of the clip's own length) and warn, naming the files.
    memory : str, os.PathLike, joblib.Memory or None, default=None
        Directory of a per-clip cache of decoded waveforms (keyed on the file's
        path, size and modification time, ``sr`` and ``mono``), shared with
        other processes: cross-validation folds and search candidates decode
        each file once. ``None`` caches nothing.
    n_jobs : int or None, default=None
        Number of files decoded in parallel by :mod:`joblib`, in threads (the
        decoders release the GIL; a ``joblib.parallel_backend`` context can
        choose another backend). ``None`` means 1, ``-1`` all processors.
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
    >>> clips = AudioLoader(sr=16000, duration="variable").transform(
    ...     [corpus.data[0] + "#t=0,0.25", corpus.data[1]])
    >>> clips.dtype, [clip.shape for clip in clips]
    (dtype('O'), [(4000,), (8533,)])
    """

    _parameter_constraints = {
        "sr": [Interval(int, 1, None, closed="left")],
        "mono": ["boolean"],
        "duration": [Interval(float, 0, None, closed="neither"), Options({"variable"}), None],
        "pad": [Options(set(_PAD_MODES))],
        "crop": [Options({"start", "center"})],
        "trim_db": [Interval(float, 0, None, closed="neither"), None],
        "on_silent": [Options({"raise", "warn"})],
        "on_missing": [Options({"raise", "silence"})],
        "memory": ["cache", None],
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
        trim_db=None,
        on_silent="raise",
        on_missing="raise",
        memory=None,
        n_jobs=None,
        verbose=0,
    ):
        self.sr = sr
        self.mono = mono
        self.duration = duration
        self.pad = pad
        self.crop = crop
        self.trim_db = trim_db
        self.on_silent = on_silent
        self.on_missing = on_missing
        self.memory = memory
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
            ``mono=False``. With ``duration="variable"``: an object ndarray of
            shape (n_samples,) holding one float32 waveform per path, of shape
            (n_audio_samples_i,) or (n_audio_samples_i, n_channels).

        Raises
        ------
        FileNotFoundError
            If every bad path is missing.
        MediaError
            If a file cannot be decoded, holds NaN or infinite samples, is
            silent (with ``on_silent="raise"``) or (with
            ``on_missing="raise"``) has no audio stream; the message lists
            every such file.
        ValueError
            If ``X`` is not a 1-D sequence of paths, or clips differ in length
            (channels) and ``duration`` (``mono``) does not fix it.
        """
        from joblib import Parallel, delayed
        from tqdm.auto import tqdm

        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        paths = as_paths(X, "AudioLoader")
        n_target = None
        if isinstance(self.duration, int | float):
            n_target = max(1, int(round(self.duration * self.sr)))
        params = {"sr": self.sr, "mono": self.mono, "crop": self.crop, "pad": self.pad,
                  "trim_db": self.trim_db, "on_missing": self.on_missing}
        location = cache_location(self.memory)
        cache = None if location is None else ClipCache(location, kind="audio")
        jobs = (delayed(_load_one)(p, params, n_target, cache) for p in paths)
        # Threads suffice: ffmpeg runs in its own process, libsndfile and soxr release the GIL.
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
        results = self._check_silent(paths, results)
        self._raise_errors(paths, results)
        self._warn_quiet_crops(paths, results)
        if self.duration == "variable":
            return self._ragged(paths, results)
        return self._stack(paths, results)

    def _check_silent(self, paths, results):
        """Raise for silent clips (listing them) or warn and keep them, per ``on_silent``."""
        silent = [i for i, r in enumerate(results) if r[0] == "zero"]
        if not silent:
            return results
        reason = f"silent (peak below {_SILENT_PEAK_DB:g} dBFS)"
        if self.on_silent == "raise":
            results = list(results)
            for i in silent:
                results[i] = ("error", MediaError(
                    f"Could not use the audio of '{os.fspath(paths[i])}': it is {reason}; "
                    "pass on_silent='warn' to keep silent clips.", os.fspath(paths[i])))
            return results
        warnings.warn(
            f"{type(self).__name__}: {len(silent)} of {len(paths)} clip(s) are {reason}; kept "
            f"as decoded (on_silent='warn'): {[os.fspath(paths[i]) for i in silent[:10]]}"
            f"{' ...' if len(silent) > 10 else ''}",
            UserWarning,
            stacklevel=3,
        )
        return [("ok", r[1], False) if r[0] == "zero" else r for r in results]

    def _warn_quiet_crops(self, paths, results):
        quiet = [os.fspath(p) for p, r in zip(paths, results, strict=True) if r[0] == "ok" and r[2]]
        if quiet:
            warnings.warn(
                f"{type(self).__name__}(duration={self.duration!r}, crop={self.crop!r}) kept a "
                f"part more than {_QUIET_CROP_DB:g} dB quieter than the whole clip in "
                f"{len(quiet)} of {len(paths)} clip(s), e.g. {quiet[:5]}: the crop holds little "
                "but silence. Trim the silence first (trim_db=40) or crop='center'.",
                UserWarning,
                stacklevel=3,
            )

    def _raise_errors(self, paths, results):
        errors = [(i, p, r[1]) for i, (p, r) in enumerate(zip(paths, results, strict=True))
                  if r[0] == "error"]
        if errors:
            raise batch_error(errors, len(paths), f"{type(self).__name__} could not load audio from")

    def _channels(self, paths, results):
        channels = {r[1].shape[0] for r in results if r[0] == "ok"}
        if len(channels) > 1:
            per_file = {os.fspath(p): r[1].shape[0] for p, r in zip(paths, results, strict=True) if r[0] == "ok"}
            raise ValueError(
                f"{type(self).__name__}(mono=False) needs the same number of channels in every "
                f"file; got {per_file}. Use mono=True."
            )
        return channels.pop() if channels else 1

    def _warn_no_audio(self, paths, results):
        silent = [os.fspath(p) for p, r in zip(paths, results, strict=True) if r[0] == "silent"]
        if silent:
            warnings.warn(
                f"{len(silent)} file(s) have no audio stream; returning silence for them "
                f"(on_missing='silence'): {silent}",
                UserWarning,
                stacklevel=4,
            )

    def _ragged(self, paths, results):
        n_channels = self._channels(paths, results)
        out = np.empty(len(paths), dtype=object)
        for i, r in enumerate(results):
            y = r[1] if r[0] == "ok" else np.zeros((n_channels, r[1]), dtype=np.float32)
            out[i] = y[0] if self.mono else np.ascontiguousarray(y.T)
        self._warn_no_audio(paths, results)
        return out

    def _stack(self, paths, results):
        n_channels = self._channels(paths, results)
        lengths = [r[1].shape[1] if r[0] == "ok" else r[1] for r in results]
        if len(set(lengths)) > 1:
            shown = dict(list(zip(map(os.fspath, paths), lengths, strict=True))[:10])
            raise ValueError(
                f"{type(self).__name__} decoded clips of different lengths (samples at "
                f"sr={self.sr}: {shown}{' ...' if len(paths) > 10 else ''}); set duration=... "
                "to crop/pad them to a common length, or duration='variable' to keep each "
                "clip's own."
            )
        out = np.zeros((len(paths), lengths[0], n_channels), dtype=np.float32)
        for i, r in enumerate(results):
            if r[0] == "ok":
                out[i] = r[1].T
        self._warn_no_audio(paths, results)
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
