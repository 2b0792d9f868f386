"""FrameSampler: clip paths in, a fixed-shape uint8 frame array out."""

import contextlib
import math
import os
import uuid
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..exceptions import MediaError, MediaWarning
from ..utils import Interval, Options, validate_params
from ..utils._cache import ClipCache, cache_location
from ..utils._errors import batch_error
from ..utils._output import MediaOutputMixin
from ..utils._validation import Size, size_to_wh
from ._paths import as_paths
from ._warnings import collecting_media_warnings

__all__ = ["FrameSampler"]

# Exceptions that describe a bad input file (collected per clip and raised once);
# anything else is a bug and propagates at once.
_CLIP_ERRORS = (OSError, ValueError)


def _pad(frames, n_frames, padding):
    """Pad (or crop) ``frames`` (T, H, W, C) along time to exactly ``n_frames``."""
    t = len(frames)
    if t >= n_frames:
        return frames[:n_frames]
    if padding == "last":
        index = np.minimum(np.arange(n_frames), t - 1)
        return frames[index]
    if padding == "loop":
        return frames[np.arange(n_frames) % t]
    out = np.zeros((n_frames, *frames.shape[1:]), dtype=frames.dtype)
    out[:t] = frames
    return out


def _decode(path, decode_params):
    """Decode one clip with :func:`skemotion.io.read_frames` and pad it to ``n_frames``."""
    from .. import io as _io

    n_frames = decode_params["n_frames"]
    strategy = decode_params["strategy"]
    common = {
        "size": decode_params["size"],
        "color": decode_params["color"],
        "keep_aspect": decode_params["keep_aspect"],
        "on_damage": decode_params.get("on_damage", "warn"),
        "sequence_fps": decode_params.get("sequence_fps", 30.0),
    }
    if strategy == "uniform":
        frames = _io.read_frames(path, n_frames=n_frames, seek=decode_params["seek"], **common)
    elif strategy == "head":
        frames = _io.read_frames(path, max_frames=n_frames, **common)
    else:  # "rate"
        frames = _io.read_frames(path, fps=decode_params["fps"], max_frames=n_frames, **common)
    if len(frames) == 0:
        raise MediaError(f"Could not sample frames from '{path}': it has no decodable frame.", path)
    return _pad(np.asarray(frames, dtype=np.uint8), n_frames, decode_params["padding"])


def _sample_chunk(indices, paths, decode_params, frame_shape, out, cache_dir, parent=None):
    """Decode the clips ``paths`` (positions ``indices`` of X); one joblib task.

    With ``out=(path, data_offset)`` each clip's frames are written at its row of
    that ``.npy`` file with plain positioned writes (no mapping, so nothing
    accumulates in this process's memory) and only the errors travel back;
    otherwise the frames are returned. :class:`MediaWarning` messages travel
    back too, so the caller sees them whichever process decoded the clip.
    ``parent`` is the process id of the caller: when this runs in a worker
    process, the worker then dies with it, even idle (see
    :func:`skemotion.io._ffmpeg.watch_parent`).
    """
    if parent is not None and parent != os.getpid():
        from ..io._ffmpeg import watch_parent

        watch_parent(parent)
    cache = ClipCache(cache_dir) if cache_dir is not None else None
    row_bytes = decode_params["n_frames"] * int(np.prod(frame_shape))
    results, errors, notes = [], [], []
    with contextlib.ExitStack() as stack:
        file = stack.enter_context(open(out[0], "r+b")) if out is not None else None
        for index, path in zip(indices, paths, strict=True):
            with collecting_media_warnings(notes) as caught:
                try:
                    if cache is not None:
                        frames = cache.get_or_compute(
                            path, decode_params, lambda p=path: _decode(p, decode_params),
                            cacheable=lambda: not any(
                                issubclass(w.category, MediaWarning) for w in caught),
                        )
                    else:
                        frames = _decode(path, decode_params)
                    if frames.shape[1:] != frame_shape:
                        h, w, _ = frames.shape[1:]
                        raise MediaError(
                            f"Could not stack '{path}': its frames are {w}x{h} but the first clip's "
                            f"are {frame_shape[1]}x{frame_shape[0]}; set size=(width, height) to "
                            "resize every clip.",
                            path,
                        )
                except _CLIP_ERRORS as exc:
                    errors.append((int(index), path, exc))
                    frames = None
            if file is not None:
                if frames is not None:
                    file.seek(out[1] + int(index) * row_bytes)
                    file.write(np.ascontiguousarray(frames, dtype=np.uint8).data)
            else:
                results.append(frames)
    return indices, (None if out is not None else results), errors, notes


class FrameSampler(MediaOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Sample a fixed number of frames from each video clip.

    Turns a 1-D array-like of video paths (or media fragments
    ``"clip.mp4#t=START,END"``, or image sequences: folders of frames and
    printf/glob patterns, see :ref:`image_sequences`) into one uint8 array of shape
    ``(n_samples, n_frames, height, width, channels)``, in input order. All
    decoding, scaling, colour conversion and frame-rate conversion run inside
    ffmpeg through :func:`skemotion.io.read_frames`; Python only pads and
    stacks.

    The strategies cover what published pipelines do:

    - ``"uniform"``: ``n_frames`` evenly spaced over the clip (time
      interpolation to 16 frames on DFEW). Clips shorter than ``n_frames``
      repeat frames.
    - ``"head"``: the first ``n_frames`` at the native rate (75 frames per
      CREMA-D clip); shorter clips are padded according to ``padding``.
    - ``"rate"``: frames at a fixed rate ``fps`` from the start of the clip
      (EEV labels come at 6 Hz), cropped or padded to ``n_frames``.

    The transformer learns nothing in :meth:`fit`. It never drops or reorders
    clips: a clip that cannot be read raises, and several bad clips raise once,
    listing every one.

    Read more in the :ref:`User Guide <video>`.

    Parameters
    ----------
    n_frames : int, default=16
        Frames per clip, the second axis of the output.
    strategy : {"uniform", "head", "rate"}, default="uniform"
        How frames are chosen (see above).
    fps : float, default=None
        Sampling rate in frames per second for ``strategy="rate"`` (required
        there, and only used there).
    size : int, tuple of (int, int) or None, default=(112, 112)
        Output ``(width, height)``, like OpenCV and ffmpeg, or one int for a
        square (as in :class:`~skemotion.face.FaceCropper`). ``None`` keeps the
        native size, which must then be the same for every clip.
    color : {"rgb", "gray"}, default="rgb"
        Output colour: 3 channels, or 1 luminance channel.
    keep_aspect : bool, default=False
        Letterbox (scale to fit and pad with black) instead of stretching to
        ``size``.
    padding : {"last", "zero", "loop"}, default="last"
        How clips with fewer than ``n_frames`` decoded frames are filled:
        repeat the last frame, append black frames, or start the clip again.
    seek : {"auto", "exact", "keyframe"} or bool, default="auto"
        How ``strategy="uniform"`` reaches its frames (passed to
        :func:`skemotion.io.read_frames`; ``"head"`` and ``"rate"`` always
        decode from the start of the clip and ignore it).

        - ``False``: decode the clip once and keep the frames at the bin
          centres. Exact; the cost grows with the clip's length.
        - ``"exact"`` (or ``True``): seek to each bin centre and decode from the
          preceding key frame up to it. Exact; the cost grows with
          ``n_frames`` times the key-frame interval.
        - ``"auto"``: ``False`` when bin centres are at most 5 s apart
          (``duration / n_frames <= 5``, e.g. 16 frames from clips up to 80 s,
          the clip lengths of DFEW, CREMA-D or RAVDESS), ``"exact"`` beyond
          (16 frames from a 10-minute video). Exact either way.
        - ``"keyframe"``: the only approximate mode, used only when asked for.
          For each bin centre, decode only the key frame at or before it. The
          cost grows only with ``n_frames``, but each frame can come from up to
          one key-frame interval (GOP) earlier than its bin centre: 2-10 s in
          common encodes (x264's default is 250 frames, 8.3 s at 30 fps), never
          later.

        Bins span the video stream (not a longer audio track) and count from
        its first frame, in every mode.
    on_damage : {"warn", "raise"}, default="warn"
        What to do when ffmpeg reports errors in a clip (damaged or truncated)
        but still returns every frame asked for: ``"warn"`` gives a
        :class:`~skemotion.exceptions.MediaWarning` naming the clip (also from
        worker processes), ``"raise"`` makes it a
        :class:`~skemotion.exceptions.MediaError`, listed with the other bad
        clips. A clip whose frames cannot all be decoded always raises.
    sequence_fps : float, default=30.0
        Frame rate of the clips given as image sequences (a folder of frames
        or a pattern), which store none; frame ``j`` is shown from
        ``j / sequence_fps`` s on, which places the ``"rate"`` ticks. Video
        files keep their own rate. ``"uniform"`` and ``"head"`` pick the same
        images whatever it is.
    memmap_dir : str or os.PathLike, default=None
        If given, :meth:`transform` writes its output into a new ``.npy`` file in
        this directory (named from a hash of the paths and the parameters) and
        returns it opened read-only as a :class:`numpy.memmap`, so a corpus
        larger than RAM is featurized with constant memory. Each worker writes
        its clips straight into its slice of the file. The files are yours to
        delete. See :ref:`out_of_core`.
    memory : str, os.PathLike, joblib.Memory or None, default=None
        Directory of a per-clip cache (like ``Pipeline(memory=...)``). Each clip
        is cached under its path, fragment, file size, modification time and
        the decode parameters, so within a cross-validated search every video
        is decoded once across all folds and all candidates that share these
        parameters, even with parallel workers (they wait for one another
        through a file lock on POSIX systems).
    n_jobs : int, default=None
        Number of joblib workers; each decodes whole clips. ``None`` means 1
        unless in a :func:`joblib.parallel_config` context, ``-1`` all cores.
    verbose : int or bool, default=0
        Show a tqdm progress bar when positive.

    See Also
    --------
    skemotion.io.read_frames : Decode the frames of one clip.
    filter_clips : Drop the clips this sampler would reject, before cross-validation.
    split_clips : Cut long clips into fragments of ``clip_frames`` frames.
    skemotion.face.FaceCropper : Crop faces from the sampled frames.

    Notes
    -----
    The output has more than two dimensions, so no DataFrame can hold it:
    ``set_output(transform="pandas")`` (on the sampler or on a Pipeline holding
    it) is accepted and the frames are passed on as an ndarray, and
    ``get_feature_names_out`` returns ``None`` (frames are not named features).

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> from skemotion.video import FrameSampler
    >>> corpus = make_synthetic_expressions(4, tempfile.mkdtemp(), duration=0.5,
    ...                                     size=(32, 32), with_audio=False, random_state=0)
    >>> sampler = FrameSampler(n_frames=8, size=(24, 16))
    >>> frames = sampler.fit_transform(corpus.data)
    >>> frames.shape, frames.dtype
    ((4, 8, 16, 24, 3), dtype('uint8'))
    >>> FrameSampler(strategy="head", n_frames=20, color="gray").fit_transform(
    ...     corpus.data[:1]).shape
    (1, 20, 112, 112, 1)
    """

    _parameter_constraints = {
        "n_frames": [Interval(int, 1, None, closed="left")],
        "strategy": [Options({"uniform", "head", "rate"})],
        "fps": [Interval(float, 0, None, closed="neither"), None],
        "size": [Size(), None],
        "color": [Options({"rgb", "gray"})],
        "keep_aspect": ["boolean"],
        "padding": [Options({"last", "zero", "loop"})],
        "seek": [Options({"auto", "exact", "keyframe"}), "boolean"],
        "on_damage": [Options({"warn", "raise"})],
        "sequence_fps": [Interval(float, 0, None, closed="neither")],
        "memmap_dir": ["path", None],
        "n_jobs": [Interval(int, None, None), None],
        "verbose": [Interval(int, 0, None, closed="left"), "boolean"],
    }

    def __init__(
        self,
        *,
        n_frames=16,
        strategy="uniform",
        fps=None,
        size=(112, 112),
        color="rgb",
        keep_aspect=False,
        padding="last",
        seek="auto",
        on_damage="warn",
        sequence_fps=30.0,
        memmap_dir=None,
        memory=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_frames = n_frames
        self.strategy = strategy
        self.fps = fps
        self.size = size
        self.color = color
        self.keep_aspect = keep_aspect
        self.padding = padding
        self.seek = seek
        self.on_damage = on_damage
        self.sequence_fps = sequence_fps
        self.memmap_dir = memmap_dir
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose

    # -- validation -------------------------------------------------------------------------

    def _check_params(self):
        memory = self.memory
        memory_ok = memory is None or isinstance(memory, str | os.PathLike)
        if not memory_ok and not (hasattr(memory, "cache") and hasattr(memory, "location")):
            raise ValueError(
                "The 'memory' parameter of FrameSampler must be a str, an os.PathLike, "
                f"a joblib.Memory or None. Got {self.memory!r} instead."
            )
        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        if self.strategy == "rate" and self.fps is None:
            raise ValueError(
                "The 'fps' parameter of FrameSampler must be a float in the range (0, inf) "
                "when strategy='rate'. Got None instead."
            )
        if self.strategy != "rate" and self.fps is not None:
            raise ValueError(
                f"The 'fps' parameter of FrameSampler is only used with strategy='rate'; "
                f"got fps={self.fps!r} with strategy={self.strategy!r}. Set fps=None, or "
                "strategy='rate' to sample at that rate."
            )

    def _decode_params(self):
        return {
            "n_frames": int(self.n_frames),
            "strategy": self.strategy,
            "fps": None if self.fps is None else float(self.fps),
            "size": size_to_wh(self.size),
            "color": self.color,
            "keep_aspect": bool(self.keep_aspect),
            "padding": self.padding,
            "on_damage": self.on_damage,
            "sequence_fps": float(self.sequence_fps),
            # Only "uniform" seeks: other strategies share cache entries whatever seek is.
            "seek": ("exact" if self.seek is True else self.seek)
            if self.strategy == "uniform" else None,
        }

    # -- estimator API ----------------------------------------------------------------------

    def fit(self, X, y=None):
        """Check the parameters and ``X``; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_samples,) of str or os.PathLike
            Clip paths or media fragments: a list, a 1-D ndarray, a pandas
            Series or a one-column DataFrame.
        y : None
            Ignored.

        Returns
        -------
        self : FrameSampler
            This estimator.
        """
        self._check_params()
        as_paths(X, type(self).__name__)
        return self

    def transform(self, X):
        """Decode ``n_frames`` frames of every clip, in input order.

        Parameters
        ----------
        X : array-like of shape (n_samples,) of str or os.PathLike
            Clip paths or media fragments: a list, a 1-D ndarray, a pandas
            Series or a one-column DataFrame.

        Returns
        -------
        frames : ndarray of shape (n_samples, n_frames, height, width, channels), dtype=uint8
            ``channels`` is 3 for ``color="rgb"`` and 1 for ``"gray"``. A
            read-only :class:`numpy.memmap` when ``memmap_dir`` is set.

        Raises
        ------
        FileNotFoundError
            If clips do not exist (all of them listed).
        MediaError
            If clips cannot be decoded or have no frame (all bad clips listed).
        """
        self._check_params()
        paths = as_paths(X, type(self).__name__)
        params = self._decode_params()
        frame_shape = self._frame_shape(paths[0], params)
        shape = (len(paths), params["n_frames"], *frame_shape)

        out_path = final_path = None
        out = None
        if self.memmap_dir is not None:
            import joblib

            os.makedirs(self.memmap_dir, exist_ok=True)
            digest = joblib.hash((list(paths), sorted(params.items()), shape))
            final_path = os.path.join(os.fspath(self.memmap_dir), f"frames_{digest}.npy")
            out_path = f"{final_path[:-4]}.{uuid.uuid4().hex}.tmp.npy"
            mm = np.lib.format.open_memmap(out_path, mode="w+", dtype=np.uint8, shape=shape)
            data_offset = mm.offset  # where row 0 starts, after the .npy header
            del mm  # workers write the rows; the parent keeps nothing resident
        else:
            out = np.empty(shape, dtype=np.uint8)

        try:
            target = None if out_path is None else (out_path, data_offset)
            errors = self._run(paths, params, frame_shape, out, target)
            if errors:
                raise batch_error(errors, len(paths), "FrameSampler could not sample")
        except BaseException:
            if out_path is not None and os.path.exists(out_path):
                os.remove(out_path)
            raise
        if out_path is None:
            return out
        os.replace(out_path, final_path)
        return np.load(final_path, mmap_mode="r")

    def _frame_shape(self, first_path, params):
        channels = 3 if params["color"] == "rgb" else 1
        if params["size"] is not None:
            width, height = params["size"]
            return (height, width, channels)
        from .. import io as _io

        width, height = _io.probe(first_path, sequence_fps=params["sequence_fps"]).display_size
        return (height, width, channels)

    def _run(self, paths, params, frame_shape, out, target):
        from joblib import Parallel, delayed, effective_n_jobs
        from tqdm.auto import tqdm

        n = len(paths)
        n_workers = effective_n_jobs(self.n_jobs)
        chunk = 1 if n_workers == 1 else max(1, math.ceil(n / (4 * n_workers)))
        starts = range(0, n, chunk)
        cache_dir = cache_location(self.memory)
        tasks = (
            delayed(_sample_chunk)(
                np.arange(s, min(s + chunk, n)),
                list(paths[s : s + chunk]),
                params,
                frame_shape,
                target,
                cache_dir,
                os.getpid(),
            )
            for s in starts
        )
        errors = []
        with tqdm(
            total=n, desc="FrameSampler", unit="clip", disable=not self.verbose
        ) as bar:
            for indices, frames, chunk_errors, notes in Parallel(
                n_jobs=self.n_jobs, return_as="generator"
            )(tasks):
                errors.extend(chunk_errors)
                for note in notes:
                    warnings.warn(note, MediaWarning, stacklevel=3)
                if out is not None:
                    for index, clip in zip(indices, frames, strict=True):
                        if clip is not None:
                            out[index] = clip
                bar.update(len(indices))
        return errors

    def __sklearn_is_fitted__(self):
        """Return True: the transformer is stateless."""
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        tags.target_tags.required = False
        return tags
