"""Clip helpers that change the number of samples (so they are functions, not transformers)."""

import math
import warnings

import numpy as np

from ..exceptions import MediaError, MediaWarning
from ..utils import Interval, validate_params
from ._paths import as_paths
from ._warnings import collecting_media_warnings

__all__ = ["filter_clips", "split_clips", "sliding_windows"]

_POSITIVE_INT = Interval(int, 1, None, closed="left")
_POSITIVE_FLOAT = Interval(float, 0, None, closed="neither")


def _check_lengths(X, y, groups, owner):
    from sklearn.utils import check_consistent_length

    n = len(X)
    for name, values in (("y", y), ("groups", groups)):
        if values is not None and len(values) != n:
            raise ValueError(
                f"{owner}: {name} has {len(values)} elements but X has {n}; they must match."
            )
    check_consistent_length(*[v for v in (X, y, groups) if v is not None])


def _take(values, indices):
    """Index ``values`` (list, ndarray, pandas object or None) by position, keeping its type."""
    if values is None:
        return None
    from sklearn.utils import _safe_indexing

    return _safe_indexing(values, np.asarray(indices, dtype=np.intp))


def _probe_one(path, count_frames):
    from .. import io as _io

    try:
        return _io.probe(path, count_frames=count_frames), None
    except FileNotFoundError as exc:
        return None, f"missing file: {exc}"
    except (MediaError, ValueError, OSError) as exc:
        return None, f"unreadable: {exc}"


# Parameters that change how a featurizer runs, not what it accepts: one clip at a
# time needs no pool and no output file.
_RUN_PARAMS = {"n_jobs": None, "memmap_dir": None, "verbose": 0}


def _single_clip_featurizer(featurizer):
    from sklearn.base import clone

    featurizer = clone(featurizer)
    params = featurizer.get_params(deep=True)
    featurizer.set_params(**{
        name: _RUN_PARAMS[name.rsplit("__", 1)[-1]]
        for name in params
        if name.rsplit("__", 1)[-1] in _RUN_PARAMS
    })
    return featurizer


def _check_one(path, count_frames, min_frames, featurizers):
    """(n_frames, reason or None, MediaWarning messages) for one clip."""
    info, reason = _probe_one(path, count_frames)
    n = np.nan
    if info is not None:
        if not info.has_video:
            reason = "no video stream"
        elif info.n_frames is None:
            reason = "unreadable: the container gives no duration or frame rate"
        else:
            n = info.n_frames
            if n < min_frames:
                reason = f"too short: {n} frames < min_frames={min_frames}"
    notes = []
    if reason is None:
        for featurizer in featurizers:
            with collecting_media_warnings(notes):
                try:
                    # The featurizer's own code path, on this clip alone.
                    featurizer.fit_transform([path])
                except (OSError, ValueError) as exc:  # MediaError, NoFaceError, missing files
                    reason = f"rejected by {_name(featurizer)}: {exc}"
            if reason is not None:
                break
    return n, reason, notes


def _name(featurizer):
    from sklearn.pipeline import Pipeline

    if isinstance(featurizer, Pipeline):
        return "Pipeline(" + ", ".join(type(step).__name__ for _, step in featurizer.steps) + ")"
    return type(featurizer).__name__


def filter_clips(X, y=None, groups=None, *, featurizers=None, min_frames=1, count_frames=True,
                 n_jobs=None):
    """Keep the clips that the featurizers accept and that have at least ``min_frames`` frames.

    The one way to drop unreadable clips before cross-validation. Each clip
    runs through the featurizers of your pipeline exactly as they will run on
    it later (``fit_transform`` on a clone, on that clip alone), so a kept clip
    passes every check they make: missing, empty, truncated or damaged files
    (with ``on_damage="raise"``), no video or audio stream, no decodable
    frame, no face, ... A sample-dropping step cannot be a transformer (a
    transformer must return one row per input), so this is a function that
    returns the kept subset, with ``y`` and ``groups`` kept aligned, together
    with a table of what was dropped and why. Use it once, before
    cross-validation.

    Parameters
    ----------
    X : array-like of shape (n_samples,) of str or os.PathLike
        Clip paths or media fragments; image sequences (folders of frames,
        printf or glob patterns) too, whose frames are counted from their
        image headers.
    y : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
        Targets, subset alongside ``X``.
    groups : array-like of shape (n_samples,), default=None
        Group labels (e.g. actor ids), subset alongside ``X``.
    featurizers : transformer, list of transformers or None, default=None
        The transformers that will read the clips (a :class:`FrameSampler`,
        an audio featurizer, or a Pipeline of several, e.g. sampler and face
        cropper), with the parameters they will have. ``None`` means
        ``[FrameSampler()]``. Their ``n_jobs``, ``memmap_dir`` and ``verbose``
        are ignored here (one clip at a time); checks across clips, such as
        equal native sizes with ``FrameSampler(size=None)``, are not made.
    min_frames : int, default=1
        Minimum number of video frames a clip must have to be kept.
    count_frames : bool, default=True
        Count frames exactly (an ffmpeg stream copy per file; fragments are
        decoded) instead of estimating them from duration and frame rate.
    n_jobs : int, default=None
        Number of joblib workers checking the clips.

    Returns
    -------
    X_kept, y_kept, groups_kept : same types as the inputs
        The kept samples in input order (``None`` stays ``None``).
    dropped : pandas.DataFrame
        One row per dropped clip, indexed by its position in ``X``, with
        columns ``"path"``, ``"n_frames"`` (``NaN`` when unreadable) and
        ``"reason"``: ``"missing file: …"``, ``"unreadable: …"``,
        ``"no video stream"``, ``"too short: 12 frames < min_frames=16"`` or
        ``"rejected by FrameSampler: Could not decode …"``.

    Warns
    -----
    MediaWarning
        For clips kept although ffmpeg reported errors in them (the
        featurizers' own warnings, also from worker processes).

    See Also
    --------
    split_clips : Cut long clips into fragments.
    FrameSampler : Pads short clips instead of dropping them.

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> from skemotion.video import FrameSampler, filter_clips
    >>> corpus = make_synthetic_expressions(3, tempfile.mkdtemp(), duration=0.5, fps=10,
    ...                                     size=(32, 32), with_audio=False, random_state=0)
    >>> paths = list(corpus.data) + ["missing.mp4"]
    >>> sampler = FrameSampler(n_frames=4, size=(16, 16))
    >>> X, y, groups, dropped = filter_clips(paths, [0, 1, 2, 3], featurizers=sampler,
    ...                                      min_frames=5)
    >>> len(X), y
    (3, [0, 1, 2])
    >>> dropped["reason"].str.startswith("missing file").tolist()
    [True]
    """
    import pandas as pd
    from joblib import Parallel, delayed

    validate_params(
        "filter_clips",
        {"min_frames": min_frames, "count_frames": count_frames, "n_jobs": n_jobs},
        {
            "min_frames": [_POSITIVE_INT],
            "count_frames": ["boolean"],
            "n_jobs": [Interval(int, None, None), None],
        },
    )
    if featurizers is None:
        from ._sampler import FrameSampler

        featurizers = [FrameSampler()]
    elif not isinstance(featurizers, list | tuple):
        featurizers = [featurizers]
    for featurizer in featurizers:
        if not (hasattr(featurizer, "fit_transform") and hasattr(featurizer, "get_params")):
            raise ValueError(
                "The 'featurizers' parameter of filter_clips must be a transformer, a list of "
                f"transformers or None. Got {featurizer!r} instead."
            )
    featurizers = [_single_clip_featurizer(f) for f in featurizers]
    paths = as_paths(X, "filter_clips", allow_empty=True)
    _check_lengths(paths, y, groups, "filter_clips")
    checked = Parallel(n_jobs=n_jobs)(
        delayed(_check_one)(p, count_frames, min_frames, featurizers) for p in paths
    )
    kept, rows = [], []
    for i, (path, (n, reason, notes)) in enumerate(zip(paths, checked, strict=True)):
        for note in notes:
            warnings.warn(note, MediaWarning, stacklevel=2)
        if reason is None:
            kept.append(i)
        else:
            rows.append({"index": i, "path": path, "n_frames": n, "reason": reason})
    dropped = pd.DataFrame(rows, columns=["index", "path", "n_frames", "reason"]).set_index("index")
    return _take(X, kept), _take(y, kept), _take(groups, kept), dropped


def split_clips(X, y=None, groups=None, *, clip_frames, hop_frames=None, min_frames=1,
                sequence_fps=30.0):
    """Cut long clips into fragments ``"path#t=START,END"`` of ``clip_frames`` frames.

    Each fragment inherits the label and group of its clip, so group-aware
    cross-validation keeps all fragments of an actor on one side. Times come
    from the clip's frame rate (:func:`skemotion.io.probe`); a clip that is a
    fragment already is cut within its own segment.

    Parameters
    ----------
    X : array-like of shape (n_samples,) of str or os.PathLike
        Clip paths or media fragments.
    y : array-like of shape (n_samples,) or (n_samples, n_targets), default=None
        Targets, repeated for each fragment of a clip.
    groups : array-like of shape (n_samples,), default=None
        Group labels, repeated for each fragment of a clip.
    clip_frames : int
        Frames per fragment.
    hop_frames : int, default=None
        Frames between the starts of consecutive fragments; ``None`` means
        ``clip_frames`` (no overlap).
    min_frames : int, default=1
        The last, shorter fragment of a clip is kept when it has at least this
        many frames (:class:`FrameSampler` pads it). A clip with fewer than
        ``min_frames`` frames in all raises: remove it with
        :func:`filter_clips` first.
    sequence_fps : float, default=30.0
        Frame rate of the clips given as image sequences (folders of frames
        or patterns), which store none; pass the one of your
        :class:`FrameSampler`. Fragments of a sequence cover whole frames at
        that rate.

    Returns
    -------
    X_frag : ndarray of shape (n_fragments,), dtype=object
        The fragments, clip after clip, in time order.
    y_frag, groups_frag : same types as ``y`` and ``groups``
        Their labels and groups (``None`` stays ``None``).
    source : ndarray of shape (n_fragments,), dtype=int
        The position in ``X`` of each fragment's clip, to aggregate fragment
        predictions back to clips.

    Raises
    ------
    ValueError
        If clips are shorter than ``min_frames`` (all of them listed), or a
        clip's duration or frame rate is unknown.

    See Also
    --------
    sliding_windows : Fragments covering one long video, by time.
    filter_clips : Drop short clips first.

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> from skemotion.video import split_clips
    >>> corpus = make_synthetic_expressions(2, tempfile.mkdtemp(), duration=1.0, fps=10,
    ...                                     size=(32, 32), with_audio=False, random_state=0)
    >>> X, y, groups, source = split_clips(corpus.data, [5, 7], ["a", "b"], clip_frames=4)
    >>> [x.split("#")[1] for x in X[:3]]
    ['t=0,0.4', 't=0.4,0.8', 't=0.8,1']
    >>> y, groups, source.tolist()
    ([5, 5, 5, 7, 7, 7], ['a', 'a', 'a', 'b', 'b', 'b'], [0, 0, 0, 1, 1, 1])
    """
    from .. import io as _io

    validate_params(
        "split_clips",
        {"clip_frames": clip_frames, "hop_frames": hop_frames, "min_frames": min_frames,
         "sequence_fps": sequence_fps},
        {
            "clip_frames": [_POSITIVE_INT],
            "hop_frames": [_POSITIVE_INT, None],
            "min_frames": [_POSITIVE_INT],
            "sequence_fps": [_POSITIVE_FLOAT],
        },
    )
    hop = clip_frames if hop_frames is None else hop_frames
    paths = as_paths(X, "split_clips", allow_empty=True)
    _check_lengths(paths, y, groups, "split_clips")
    fragments, source, too_short = [], [], []
    for i, path in enumerate(paths):
        info = _io.probe(path, sequence_fps=sequence_fps)
        if not info.has_video or not info.fps or info.duration is None:
            raise MediaError(
                f"split_clips cannot cut '{path}': its video frame rate or duration is unknown.",
                path,
            )
        n_total = int(math.floor(info.duration * info.fps + 1e-6))
        if n_total < min_frames:
            too_short.append(f"  [{i}] '{path}': {n_total} frames")
            continue
        first = 0
        while True:
            last = min(first + clip_frames, n_total)
            if last - first < min_frames and first > 0:
                break
            start = info.start + first / info.fps
            end = info.start + last / info.fps
            fragments.append(_io.make_fragment(info.path, round(start, 6), round(end, 6)))
            source.append(i)
            if last >= n_total:
                break
            first += hop
    if too_short:
        raise ValueError(
            f"split_clips: {len(too_short)} clips have fewer than min_frames={min_frames} "
            "frames; remove them with filter_clips first:\n" + "\n".join(too_short)
        )
    source = np.asarray(source, dtype=np.intp)
    X_frag = np.empty(len(fragments), dtype=object)
    X_frag[:] = fragments
    return X_frag, _take(y, source), _take(groups, source), source


def sliding_windows(path, window, hop=None, *, sequence_fps=30.0):
    """Fragments ``"path#t=START,END"`` of ``window`` seconds that cover a long video.

    For timeline prediction (e.g. EEV's 6 Hz labels): predict each window
    with a model trained on clips, and place the prediction at the window's
    time. Windows start every ``hop`` seconds from the start; the last one
    is cut at the end of the video, so together they cover all of it.

    Parameters
    ----------
    path : str or os.PathLike
        A video file, or a fragment of one (then its segment is covered), or
        an image sequence (a folder of frames or a pattern).
    window : float
        Window length in seconds.
    hop : float, default=None
        Seconds between consecutive window starts, at most ``window`` so no
        part of the video is skipped; ``None`` means ``window``.
    sequence_fps : float, default=30.0
        Frame rate of an image sequence (a folder of frames or a pattern),
        which gives its duration; ignored for video files.

    Yields
    ------
    fragment : str
        ``make_fragment(path, start, end)`` for each window, in time order.

    Raises
    ------
    ValueError
        Raised at the call (not at the first iteration) for bad ``window`` or
        ``hop``, or a video whose duration is unknown.

    See Also
    --------
    split_clips : Cut many clips into fixed-length fragments by frame count.

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> from skemotion.video import sliding_windows
    >>> corpus = make_synthetic_expressions(1, tempfile.mkdtemp(), duration=1.0, fps=10,
    ...                                     size=(32, 32), with_audio=False, random_state=0)
    >>> [w.split("#")[1] for w in sliding_windows(corpus.data[0], window=0.4, hop=0.3)]
    ['t=0,0.4', 't=0.3,0.7', 't=0.6,1']
    """
    import os

    from .. import io as _io

    validate_params(
        "sliding_windows",
        {"path": path, "window": window, "hop": hop, "sequence_fps": sequence_fps},
        {"path": ["path"], "window": [_POSITIVE_FLOAT], "hop": [_POSITIVE_FLOAT, None],
         "sequence_fps": [_POSITIVE_FLOAT]},
    )
    hop = window if hop is None else hop
    if hop > window:
        raise ValueError(
            f"The 'hop' parameter of sliding_windows must be at most window={window!r} so that "
            f"the windows cover the video. Got {hop!r} instead."
        )
    info = _io.probe(os.fspath(path), sequence_fps=sequence_fps)
    if info.duration is None:
        raise MediaError(
            f"sliding_windows cannot cover '{os.fspath(path)}': its duration is unknown.",
            os.fspath(path),
        )
    return _windows(info.path, info.start, info.start + info.duration, window, hop)


def _windows(base, begin, finish, window, hop):
    from .. import io as _io

    k = 0
    while True:
        start = begin + k * hop
        end = min(start + window, finish)
        yield _io.make_fragment(base, round(start, 6), round(end, 6))
        if end >= finish - 1e-9:
            return
        k += 1
