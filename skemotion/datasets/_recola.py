"""Loader for a local copy of RECOLA as released for AVEC 2016 (Ringeval et al., 2013)."""

import re

import numpy as np

from ._loader_utils import check_root, find_dirs, iter_files, listing, make_bunch, windows_frame

__all__ = ["load_recola"]

_STEP = 0.04  # ratings every 40 ms
_DIMENSIONS = ("arousal", "valence")
_MEDIA_DIR = {"audio": "recordings_audio", "video": "recordings_video"}
_PARTITION = re.compile(r"^(train|dev|test)_\d+$")

DESCR = """\
RECOLA: the REmote COLlaborative and Affective interactions corpus.

Audio, video and physiological recordings of dyadic remote collaboration of
French-speaking participants, the first five minutes of each rated continuously
for arousal and valence by six assistants (3 female FF1-FF3, 3 male FM1-FM3)
with the ANNEMO tool. The AVEC 2016 release used here holds 9 training and 9
development sessions (train_1..train_9, dev_1..dev_9; the test ratings are not
public): ratings_individual/{arousal,valence}/<session>.csv (';'-separated:
time then one column per rater, every 40 ms, 7501 rows),
ratings_gold_standard/ (ARFF) and recordings_audio/<session>.wav,
recordings_video/<session>.mp4.

Licence: research use on request (EULA). https://diuf.unifr.ch/main/diva/recola/

Reference: Ringeval F, Sonderegger A, Sauer J, Lalanne D (2013). Introducing the
RECOLA Multimodal Corpus of Remote Collaborative and Affective Interactions.
Proc. IEEE FG 2013 Workshop EmoSPACE. https://doi.org/10.1109/FG.2013.6553805
"""

_EXPECTED = (
    "the RECOLA/AVEC 2016 layout ratings_individual/arousal/<session>.csv, "
    "ratings_individual/valence/<session>.csv and recordings_audio/ or recordings_video/"
)


def _find_dir(root, name, *, required=True):
    if (root / name).is_dir():
        return root / name
    hits = find_dirs(root, name)
    if len(hits) > 1:
        raise ValueError(
            f"load_recola: several {name!r} folders under {str(root)!r}: {listing(hits)}."
        )
    if not hits and required:
        raise FileNotFoundError(
            f"load_recola: no {name!r} folder under {str(root)!r}; expected {_EXPECTED}."
        )
    return hits[0] if hits else None


def _read_ratings(path):
    """Time (s) and rater columns of one ';'-separated rating file."""
    import pandas as pd

    table = pd.read_csv(path, sep=";")
    if table.shape[1] == 1:
        table = pd.read_csv(path, sep=",")
    table.columns = [str(c).strip() for c in table.columns]
    if table.shape[1] < 2:
        raise ValueError(
            f"load_recola: {str(path)!r} has {table.shape[1]} column(s); expected a time "
            "column then one column per rater (FM1;FM2;FM3;FF1;FF2;FF3), ';'-separated."
        )
    table = table.apply(pd.to_numeric, errors="coerce")
    if table.isna().any().any():
        bad = (np.flatnonzero(table.isna().any(axis=1).to_numpy())[:10] + 2).tolist()
        raise ValueError(f"load_recola: {str(path)!r} has non-numeric values at lines {bad}.")
    times = table.iloc[:, 0].to_numpy(dtype=np.float64)
    steps = np.diff(times)
    if len(times) < 2 or not np.allclose(steps, _STEP, atol=1e-3):
        raise ValueError(
            f"load_recola: the time column of {str(path)!r} is not sampled every 40 ms "
            f"(steps {np.unique(np.round(steps, 4))[:5].tolist()})."
        )
    return times, table.iloc[:, 1:]


def load_recola(
    root,
    *,
    dimensions=("arousal", "valence"),
    raters="mean",
    window=None,
    hop=None,
    modality="audio",
):
    """Load RECOLA's continuous arousal/valence ratings, per rater or averaged.

    Reads ``ratings_individual/<dimension>/<session>.csv`` (a time column then
    the six raters FM1..FF3, every 40 ms) for every session and returns one
    sample per rating frame, or per window of ``window`` seconds, as a media
    fragment ``recording#t=start,end`` (see :mod:`skemotion.io`) with the
    ratings as a multi-output regression target. Nothing is downloaded.

    Parameters
    ----------
    root : str or os.PathLike
        The RECOLA (AVEC 2016) folder holding ``ratings_individual/`` and
        ``recordings_audio/`` or ``recordings_video/``, at any depth.
    dimensions : tuple of {"arousal", "valence"}, default=("arousal", "valence")
        Rated dimensions to load, in this order.
    raters : {"mean", "all"}, default="mean"
        ``"mean"``: one target per dimension, the mean of the raters (the
        plain average, not the AVEC gold standard which is re-centred);
        ``"all"``: one target per dimension and rater (multi-output), named
        ``<dimension>_<rater>``.
    window : float >= 0.04 or None, default=None
        ``None`` gives one sample per 40 ms rating frame ``[t, t + 0.04)``;
        otherwise ratings are averaged over windows of this many seconds
        (at least one rating period), starting at 0 every ``hop`` seconds up
        to the last frame.
    hop : float or None, default=None
        Hop between window starts in seconds; ``None`` means ``window``.
    modality : {"audio", "video"} or None, default="audio"
        Recordings the fragments point to: ``recordings_audio/<session>.wav``
        or ``recordings_video/<session>.mp4`` (any extension). ``None`` loads
        the ratings only: fragments are built on the session name.

    Returns
    -------
    data : Bunch
        Dictionary-like object with attributes:

        data : ndarray of str of shape (n_samples,), dtype=object
            Media fragments, sessions in name order, windows in time order.
        target : ndarray of shape (n_samples, n_targets), dtype=float32
            Ratings (averaged over each window), columns as ``target_names``.
            With a single target the array is 1-D, shape (n_samples,).
        target_names : ndarray of str
            ``dimensions`` (``raters="mean"``) or ``<dimension>_<rater>``.
        groups : ndarray of str of shape (n_samples,)
            Session of each sample (one participant per session).
        frame : pandas.DataFrame
            ``session, partition, path, start, end, n_points, n_valid`` and one
            column per target.
        annotations : pandas.DataFrame
            The parsed ratings: ``session, time`` and every
            ``<dimension>_<rater>`` column.
        raters : list of str
            Rater names read from the headers.
        DESCR : str
            Description and citation.

    Raises
    ------
    FileNotFoundError
        If ``root``, a rating folder or the recordings folder is missing.
    ValueError
        If sessions differ between dimensions, raters differ between files,
        a file is not sampled every 40 ms, or recordings are missing.

    See Also
    --------
    load_eev : evoked expressions, windowed the same way.

    References
    ----------
    .. [1] Ringeval F, Sonderegger A, Sauer J, Lalanne D (2013). Introducing the
       RECOLA Multimodal Corpus of Remote Collaborative and Affective
       Interactions. IEEE FG Workshops.
    .. [2] Valstar M et al. (2016). AVEC 2016: Depression, Mood, and Emotion
       Recognition Workshop and Challenge. ACM AVEC.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import load_recola
    >>> root = Path(tempfile.mkdtemp())
    >>> for dim, value in (("arousal", 0.2), ("valence", -0.1)):
    ...     folder = root / "ratings_individual" / dim
    ...     folder.mkdir(parents=True)
    ...     lines = ["time;FM1;FM2;FM3;FF1;FF2;FF3"]
    ...     lines += [f"{0.04 * i:.2f}" + f";{value}" * 6 for i in range(50)]
    ...     _ = (folder / "train_1.csv").write_text("\\n".join(lines) + "\\n")
    >>> (root / "recordings_audio").mkdir()
    >>> (root / "recordings_audio" / "train_1.wav").touch()
    >>> bunch = load_recola(root, window=1.0)
    >>> bunch.target_names.tolist(), bunch.target.shape
    (['arousal', 'valence'], (2, 2))
    >>> bunch.data.tolist()  # doctest: +ELLIPSIS
    ['...train_1.wav#t=0,1', '...train_1.wav#t=1,2']
    >>> bunch.frame[["session", "partition"]].iloc[1].tolist()
    ['train_1', 'train']
    >>> load_recola(root, raters="all", dimensions=("valence",)).target.shape
    (50, 6)
    """
    import pandas as pd

    from skemotion.utils import Interval, Options, validate_params

    validate_params(
        "load_recola",
        {"raters": raters, "window": window, "hop": hop, "modality": modality},
        {
            "raters": [Options({"mean", "all"})],
            "window": [Interval(float, _STEP, None, closed="left"), None],
            "hop": [Interval(float, 0, None, closed="neither"), None],
            "modality": [Options({"audio", "video"}), None],
        },
    )
    if isinstance(dimensions, str):
        dimensions = (dimensions,)
    dimensions = tuple(dimensions)
    if not dimensions or any(d not in _DIMENSIONS for d in dimensions) or len(
        set(dimensions)
    ) != len(dimensions):
        raise ValueError(
            "The 'dimensions' parameter of load_recola must be a non-empty tuple of distinct "
            f"values among {list(_DIMENSIONS)}. Got {dimensions!r} instead."
        )
    if window is None and hop is not None:
        raise ValueError(f"load_recola: hop needs a window; got window=None and hop={hop!r}.")
    root = check_root(root, "load_recola", _EXPECTED)
    ratings_dir = _find_dir(root, "ratings_individual")

    files = {}
    for dim in dimensions:
        folder = ratings_dir / dim
        if not folder.is_dir():
            raise FileNotFoundError(
                f"load_recola: {str(folder)!r} does not exist; expected {_EXPECTED}."
            )
        files[dim] = {p.stem: p for p in sorted(folder.glob("*.csv"))}
        if not files[dim]:
            raise FileNotFoundError(
                f"load_recola: no <session>.csv rating file in {str(folder)!r}."
            )
    sessions = sorted(files[dimensions[0]])
    for dim in dimensions[1:]:
        if sorted(files[dim]) != sessions:
            only = sorted(set(files[dim]) ^ set(sessions))
            raise ValueError(
                f"load_recola: the sessions rated for {dim!r} and {dimensions[0]!r} differ: "
                f"{listing(only)}."
            )

    tracks, rater_names = [], None
    for session in sessions:
        track = None
        for dim in dimensions:
            times, table = _read_ratings(files[dim][session])
            names = list(table.columns)
            if rater_names is None:
                rater_names = names
            if names != rater_names:
                raise ValueError(
                    f"load_recola: {str(files[dim][session])!r} has raters {names}; other files "
                    f"have {rater_names}."
                )
            if track is None:
                track = pd.DataFrame({"session": session, "time": times})
            elif len(times) != len(track) or not np.allclose(times, track["time"], atol=1e-3):
                raise ValueError(
                    f"load_recola: the times of {str(files[dim][session])!r} differ from those "
                    f"of the {dimensions[0]!r} file of session {session!r}."
                )
            for rater in names:
                track[f"{dim}_{rater}"] = table[rater].to_numpy(dtype=np.float64)
        tracks.append(track)
    annotations = pd.concat(tracks, ignore_index=True)

    if raters == "mean":
        target_names = list(dimensions)
        for dim in dimensions:
            annotations[dim] = annotations[[f"{dim}_{r}" for r in rater_names]].mean(axis=1)
        values = target_names
    else:
        target_names = [f"{dim}_{r}" for dim in dimensions for r in rater_names]
        values = target_names

    if modality is None:
        paths = {s: s for s in sessions}
    else:
        media_dir = _find_dir(root, _MEDIA_DIR[modality])
        index = {}
        for path in iter_files(media_dir):
            index.setdefault(path.stem, []).append(path)
        missing = [s for s in sessions if s not in index]
        if missing:
            raise ValueError(
                f"load_recola: {len(missing)} rated session(s) have no recording in "
                f"{str(media_dir)!r}: {listing(missing)}."
            )
        several = [f"{s}: {[p.name for p in index[s]]}" for s in sessions if len(index[s]) > 1]
        if several:
            raise ValueError(
                f"load_recola: several recordings per session in {str(media_dir)!r}: "
                f"{listing(several)}."
            )
        paths = {s: str(index[s][0]) for s in sessions}

    frame = windows_frame(
        annotations, key="session", time="time", values=values, paths=paths,
        window=window, hop=hop, step=_STEP,
    )  # fmt: skip
    partition = frame["session"].str.extract(_PARTITION, expand=False)
    frame.insert(1, "partition", partition)
    target = frame[values].to_numpy(dtype=np.float32)
    if target.shape[1] == 1:
        target = target[:, 0]
    if raters == "mean":
        annotations = annotations.drop(columns=list(dimensions))

    return make_bunch(
        data=frame["path"].to_numpy(dtype=object),
        target=target,
        target_names=np.asarray(target_names, dtype=object),
        groups=frame["session"].to_numpy(dtype=object),
        frame=frame,
        descr=DESCR,
        annotations=annotations,
        raters=list(rater_names),
    )
