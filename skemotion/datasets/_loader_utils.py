"""Private helpers shared by the corpus loaders: root checks, error lists, bunches, windows."""

import os
from pathlib import Path

import numpy as np

_MAX_LISTED = 10


def check_root(root, loader, expected):
    """Return ``root`` as a resolved Path or raise naming what was expected there."""
    if not isinstance(root, str | os.PathLike):
        raise ValueError(
            f"The 'root' parameter of {loader} must be a str or os.PathLike. Got {root!r} instead."
        )
    path = Path(root).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"{loader}: {str(path)!r} does not exist; expected {expected}.")
    if not path.is_dir():
        raise NotADirectoryError(
            f"{loader}: {str(path)!r} is not a directory; expected {expected}."
        )
    return path.resolve()


def listing(items, limit=_MAX_LISTED):
    """Format a list of offending names for an error message ("a, b, … and 3 more")."""
    items = [str(i) for i in items]
    shown = ", ".join(repr(i) for i in items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit} more"
    return shown


def walk(root):
    """``os.walk(root)`` that follows symbolic links to folders, each real folder once.

    Corpora on shared machines are often assembled from links (``data/ravdess/Actor_01 ->
    /shared/RAVDESS/Actor_01``); ``os.walk`` and ``Path.rglob`` do not enter linked
    folders. This walk does, and remembers the real path of every folder it entered, so
    a link cycle (``a/loop -> ..``) or a folder linked twice is walked once. Links to
    files are listed in ``filenames`` as usual. Like ``os.walk``, top-down: callers may
    prune ``dirnames`` in place.

    Yields
    ------
    dirpath, dirnames, filenames : str, list of str, list of str
        As ``os.walk``; ``dirpath`` keeps the linked path the user gave.
    """
    seen = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        yield dirpath, dirnames, filenames


def find_dirs(root, match):
    """Folders under ``root`` (any depth, through links) whose name satisfies ``match``.

    ``match`` is a folder name or a predicate on names. Returns sorted Paths; matching
    folders are not descended into.
    """
    accept = match if callable(match) else (lambda name: name == match)
    hits = []
    for dirpath, dirnames, _ in walk(root):
        found = [d for d in dirnames if accept(d)]
        hits += [Path(dirpath) / d for d in found]
        dirnames[:] = sorted(d for d in dirnames if d not in found)
    return sorted(hits)


def iter_names(root):
    """``(folder, name)`` strings of the non-hidden files under ``root`` (any depth), sorted.

    Follows symbolic links to folders and files (see :func:`walk`).
    """
    out = []
    for dirpath, dirnames, filenames in walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [(dirpath, name) for name in sorted(filenames) if not name.startswith(".")]
    return out


def iter_files(root):
    """All non-hidden files under ``root`` (any depth) as Paths, in sorted order."""
    return [Path(folder) / name for folder, name in iter_names(root)]


def find_one(root, names, loader, what):
    """The single file under ``root`` whose name is in ``names`` (case-insensitive), or None.

    Raises when several candidates exist, naming them, rather than picking one.
    """
    wanted = {n.lower() for n in names}
    hits = [p for p in iter_files(root) if p.name.lower() in wanted]
    if len(hits) > 1:
        raise ValueError(
            f"{loader}: found several {what} files under {str(root)!r}: {listing(hits)}; "
            "keep one or pass its path explicitly."
        )
    return hits[0] if hits else None


def make_bunch(*, data, target, target_names, groups, frame, descr, **extra):
    """An sklearn Bunch with the fields every loader returns."""
    from sklearn.utils import Bunch

    return Bunch(
        data=data,
        target=target,
        target_names=target_names,
        groups=groups,
        frame=frame,
        DESCR=descr,
        **extra,
    )


def fragment(path, start, end):
    """W3C media fragment ``path#t=start,end`` (seconds), as :mod:`skemotion.io` reads them."""
    from skemotion.io import make_fragment

    return make_fragment(path, start, end)


def window_timeline(times, values, *, window, hop, step):
    """Average a regularly sampled annotation track over fixed windows.

    Parameters
    ----------
    times : ndarray of shape (n_points,)
        Annotation times in seconds, sorted.
    values : ndarray of shape (n_points, k) or None
        Scores at those times; NaN marks points to leave out of the means.
    window, hop : float or None
        Window length and hop in seconds. ``window=None`` gives one window per
        annotation point, ``[t, t + step)``.
    step : float
        Annotation period in seconds.

    Returns
    -------
    starts, ends : ndarray of float
        Window bounds in seconds.
    means : ndarray of shape (n_windows, k) or None
        Mean of the non-NaN values in each window (NaN where none).
    counts : ndarray of int of shape (n_windows,)
        Number of annotation points falling in each window.
    n_valid : ndarray of int of shape (n_windows,)
        Number of those points with finite values.
    """
    times = np.asarray(times, dtype=float)
    if window is None:
        starts = times.copy()
        ends = times + step
        counts = np.ones(len(times), dtype=int)
        if values is None:
            return starts, ends, None, counts, counts.copy()
        valid = np.isfinite(values).all(axis=1)
        return starts, ends, values.astype(np.float64), counts, valid.astype(int)
    hop = window if hop is None else hop
    # Windows start at 0 and every `hop`; the last one is the last that starts
    # at or before the final annotation point.
    last = times[-1] if len(times) else 0.0
    n_windows = int(np.floor((last + 0.1 * step) / hop)) + 1
    starts = np.arange(n_windows) * hop
    ends = starts + window
    # Annotation times are quantised (EEV writes 166666 us for 1/6 s): a point
    # belongs to [start, end) up to a tenth of the annotation period.
    tol = 0.1 * step
    lo = np.searchsorted(times, starts - tol, side="left")
    hi = np.searchsorted(times, ends - tol, side="left")
    counts = hi - lo
    if values is None:
        return starts, ends, None, counts, counts.copy()
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values).all(axis=1)
    filled = np.where(finite[:, None], values, 0.0)
    csum = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(filled, axis=0)])
    ccount = np.concatenate([[0], np.cumsum(finite)])
    sums = csum[hi] - csum[lo]
    n_valid = ccount[hi] - ccount[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / n_valid[:, None]
    means[n_valid == 0] = np.nan
    return starts, ends, means, counts, n_valid


def windows_frame(annotations, *, key, time, values, paths, window, hop, step):
    """Turn per-recording annotation tracks into one row per window.

    Parameters
    ----------
    annotations : pandas.DataFrame
        Long table sorted by ``key`` then ``time`` (seconds).
    key, time : str
        Recording id and time columns.
    values : list of str
        Score columns to average (NaN values are left out of the means).
    paths : dict
        Recording id -> media path (or id) used in the fragments.
    window, hop, step : float or None
        See :func:`window_timeline`.

    Returns
    -------
    pandas.DataFrame
        ``key, path, start, end, n_points, n_valid`` then the mean of each value
        column, recordings in order of first appearance, windows in time order.
    """
    import pandas as pd

    keys = annotations[key].to_numpy()
    all_times = annotations[time].to_numpy(dtype=np.float64)
    all_values = annotations[values].to_numpy(dtype=np.float64) if values else None
    # contiguous runs of each recording (the table is sorted by recording)
    bounds = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    edges = np.concatenate([[0], bounds, [len(keys)]])
    cols = {key: [], "start": [], "end": [], "n_points": [], "n_valid": [], "means": []}
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        vals = None if all_values is None else all_values[a:b]
        starts, ends, means, counts, n_valid = window_timeline(
            all_times[a:b], vals, window=window, hop=hop, step=step
        )
        cols[key].append(np.full(len(starts), keys[a], dtype=object))
        cols["start"].append(starts)
        cols["end"].append(ends)
        cols["n_points"].append(counts)
        cols["n_valid"].append(n_valid)
        if means is not None:
            cols["means"].append(means)
    rec = np.concatenate(cols[key])
    starts = np.concatenate(cols["start"])
    ends = np.concatenate(cols["end"])
    frame = pd.DataFrame(
        {
            key: rec,
            "path": [fragment(paths[r], s, e) for r, s, e in zip(rec, starts, ends, strict=True)],
            "start": starts,
            "end": ends,
            "n_points": np.concatenate(cols["n_points"]).astype(np.int64),
            "n_valid": np.concatenate(cols["n_valid"]).astype(np.int64),
        }
    )
    if values:
        means = pd.DataFrame(np.concatenate(cols["means"]), columns=values)
        frame = pd.concat([frame, means], axis=1)
    return frame
