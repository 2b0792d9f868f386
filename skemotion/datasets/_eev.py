"""Loader for a local copy of EEV, the Evoked Expressions from Videos dataset (Sun et al., 2021)."""

import numpy as np

from ._loader_utils import check_root, listing, make_bunch, windows_frame

__all__ = ["load_eev"]

EXPRESSIONS = (
    "amusement",
    "anger",
    "awe",
    "concentration",
    "confusion",
    "contempt",
    "contentment",
    "disappointment",
    "doubt",
    "elation",
    "interest",
    "pain",
    "sadness",
    "surprise",
    "triumph",
)
_RATE = 6.0  # annotations per second
_UNITS = {"us": 1e-6, "ms": 1e-3}

DESCR = """\
EEV: the Evoked Expressions from Videos dataset.

Viewer reactions to 5153 publicly available videos (370 hours), summarised as
15 continuous expression scores (amusement, anger, awe, concentration,
confusion, contempt, contentment, disappointment, doubt, elation, interest,
pain, sadness, surprise, triumph) sampled at 6 Hz: about 8 million
annotations. The release is three CSV files, train.csv, val.csv and test.csv
(test without scores), with columns "Video ID", "Timestamp (milliseconds)" and
the 15 expressions; rows whose 15 scores are all 0.0 mark times where no viewer
face was detected and may be ignored. The videos themselves are referenced by
id, not distributed.

Licence: CC BY 4.0 (annotations). https://github.com/google-research-datasets/eev

Reference: Sun JJ, Liu T, Cowen AS, Schroff F, Adam H, Prasad G (2021). EEV: A
Large-Scale Dataset for Studying Evoked Expressions from Video.
arXiv:2001.05488.
"""


def _read_split(path, timestamp_unit):
    import pandas as pd

    table = pd.read_csv(path, dtype={0: str})
    table.columns = [str(c).strip() for c in table.columns]
    lower = {c.lower(): c for c in table.columns}
    id_col = lower.get("video id")
    ts_col = next((c for c in table.columns if c.lower().startswith("timestamp")), None)
    if id_col is None or ts_col is None:
        raise ValueError(
            f"load_eev: {str(path)!r} has columns {list(table.columns)[:4]}...; expected the "
            "official EEV header 'Video ID', 'Timestamp (milliseconds)', then the 15 expressions."
        )
    found = [e for e in EXPRESSIONS if e in lower]
    extra = [c for c in table.columns if c not in (id_col, ts_col) and c.lower() not in EXPRESSIONS]
    if extra or (found and len(found) != len(EXPRESSIONS)):
        missing = [e for e in EXPRESSIONS if e not in lower]
        raise ValueError(
            f"load_eev: {str(path)!r} does not have the 15 EEV expression columns: "
            f"missing {missing}, unexpected {extra}."
        )
    out = pd.DataFrame({"video_id": table[id_col].astype(str).str.strip()})
    stamps = pd.to_numeric(table[ts_col], errors="coerce")
    if stamps.isna().any():
        rows = (np.flatnonzero(stamps.isna().to_numpy())[:10] + 2).tolist()
        raise ValueError(f"load_eev: {str(path)!r} has non-numeric timestamps at lines {rows}.")
    out["timestamp"] = stamps.to_numpy()
    for e in found:
        out[e] = pd.to_numeric(table[lower[e]], errors="coerce").astype(np.float32)
    if found and out[list(EXPRESSIONS)].isna().any().any():
        raise ValueError(f"load_eev: {str(path)!r} has non-numeric expression scores.")
    out = out.sort_values(["video_id", "timestamp"], kind="stable").reset_index(drop=True)

    dupes = out.duplicated(["video_id", "timestamp"])
    if dupes.any():
        shown = out.loc[dupes, ["video_id", "timestamp"]].astype(str).agg("@".join, axis=1)
        raise ValueError(
            f"load_eev: {str(path)!r} repeats video/timestamp pairs: {listing(shown)}."
        )

    # The header says milliseconds, yet consecutive rows of the release are
    # 166 666 apart at 6 Hz, i.e. microseconds: infer the unit from the step.
    steps = out.groupby("video_id", sort=False)["timestamp"].diff().dropna()
    steps = steps[steps > 0]
    if timestamp_unit == "auto":
        if steps.empty:
            raise ValueError(
                f"load_eev: cannot infer the timestamp unit of {str(path)!r} (no video has two "
                "annotations); pass timestamp_unit='us' or 'ms'."
            )
        timestamp_unit = "us" if steps.median() > 1000 else "ms"
    scale = _UNITS[timestamp_unit]
    if not steps.empty:
        period = steps.median() * scale
        if not 0.9 / _RATE <= period <= 1.1 / _RATE:
            raise ValueError(
                f"load_eev: consecutive timestamps in {str(path)!r} are {period:g} s apart with "
                f"timestamp_unit={timestamp_unit!r}; expected 6 Hz annotations (1/6 s)."
            )
    out.insert(2, "time", out["timestamp"] * scale)
    if found:
        out.insert(3, "detected", (out[list(EXPRESSIONS)] != 0).any(axis=1))
    return out, timestamp_unit, bool(found)


def _video_paths(folder, video_ids):
    """Map each id to the file ``<id>.<ext>`` found anywhere in ``folder``."""
    from ._loader_utils import iter_files

    index = {}
    for path in iter_files(folder):
        index.setdefault(path.stem, []).append(path)
    dupes = [f"{vid}: {[p.name for p in index[vid]]}" for vid in video_ids
             if len(index.get(vid, [])) > 1]  # fmt: skip
    if dupes:
        raise ValueError(
            f"load_eev: several files per video in {str(folder)!r}: {listing(dupes)}."
        )
    return {vid: str(index[vid][0]) for vid in video_ids if vid in index}


def load_eev(
    root,
    split="train",
    *,
    window=1.0,
    hop=None,
    video_dir="videos",
    on_missing_video="raise",
    ignore_undetected=True,
    timestamp_unit="auto",
):
    """Load EEV's 6 Hz expression tracks as windowed regression samples.

    Reads ``<split>.csv`` from the official release and averages the 15
    expression scores over fixed windows of each video, so that every sample
    is a media fragment ``video#t=start,end`` (see :mod:`skemotion.io`) with a
    15-dimensional target. The raw tracks are returned too. Nothing is
    downloaded: the videos are looked up by id in ``video_dir``.

    Parameters
    ----------
    root : str or os.PathLike
        Folder holding ``train.csv``, ``val.csv`` and/or ``test.csv``.
    split : {"train", "val", "test"}, default="train"
        Which file. ``test.csv`` has no scores: ``target`` is then ``None``.
    window : float or None, default=1.0
        Window length in seconds. Windows start at 0 and every ``hop`` seconds
        up to the last annotation of the video. ``None`` gives one sample per
        annotation, covering ``[t, t + 1/6)``.
    hop : float or None, default=None
        Hop between window starts in seconds; ``None`` means ``window``
        (no overlap).
    video_dir : str, os.PathLike or None, default="videos"
        Folder (absolute, or relative to ``root``) holding the videos named
        ``<Video ID>.<ext>``, at any depth. ``None`` loads the labels only:
        fragments are then built on the bare video id.
    on_missing_video : {"raise", "ignore"}, default="raise"
        What to do when a video of the split is not in ``video_dir`` (many
        have left the platform since release): raise listing them, or leave
        them out and list them in ``missing_videos``.
    ignore_undetected : bool, default=True
        Leave rows whose 15 scores are all 0.0 (no face detected, per the
        release notes) out of the window means; windows left with no detected
        row are then not returned and are listed in ``dropped_windows``.
        ``False`` averages them as zeros.
    timestamp_unit : {"auto", "us", "ms"}, default="auto"
        Unit of the timestamp column. The header says milliseconds, but the
        released values step by 166 666 at 6 Hz, i.e. microseconds; ``"auto"``
        infers the unit from the median step and checks that it is 1/6 s.

    Returns
    -------
    data : Bunch
        Dictionary-like object with attributes:

        data : ndarray of str of shape (n_samples,), dtype=object
            Media fragments ``path#t=start,end``, videos in id order, windows in
            time order.
        target : ndarray of shape (n_samples, 15), dtype=float32, or None
            Mean expression scores per window (``None`` for ``test``).
        target_names : ndarray of str of shape (15,)
            The expression names, in the release's column order.
        groups : ndarray of str of shape (n_samples,)
            Video id of each window, for group-aware cross-validation.
        frame : pandas.DataFrame
            ``video_id, path, start, end, n_points, n_valid`` and the 15 means.
        annotations : pandas.DataFrame
            The parsed rows: ``video_id, timestamp, time`` (seconds),
            ``detected`` and the 15 scores, sorted by video then time.
        missing_videos : list of str
            Videos left out with ``on_missing_video="ignore"``.
        dropped_windows : pandas.DataFrame
            Windows without any detected annotation (``ignore_undetected``).
        timestamp_unit : str
            The unit used ("us" or "ms").
        DESCR : str
            Description and citation.

    Raises
    ------
    FileNotFoundError
        If ``root``, the split file or ``video_dir`` is missing.
    ValueError
        If the CSV lacks the official columns, its timestamps are not 6 Hz,
        or videos are missing (with ``on_missing_video="raise"``).

    See Also
    --------
    load_recola : continuous valence/arousal, windowed the same way.

    References
    ----------
    .. [1] Sun JJ, Liu T, Cowen AS, Schroff F, Adam H, Prasad G (2021). EEV: A
       Large-Scale Dataset for Studying Evoked Expressions from Video.
       arXiv:2001.05488.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import load_eev
    >>> root = Path(tempfile.mkdtemp())
    >>> header = "Video ID,Timestamp (milliseconds),amusement,anger,awe,concentration," \\
    ...     "confusion,contempt,contentment,disappointment,doubt,elation,interest,pain," \\
    ...     "sadness,surprise,triumph\\n"
    >>> rows = "".join(f"abc,{t * 10**6 // 6},{0.1 * (t + 1):.1f}" + ",0" * 14 + "\\n"
    ...                for t in range(12))
    >>> _ = (root / "train.csv").write_text(header + rows)
    >>> bunch = load_eev(root, "train", window=1.0, video_dir=None)
    >>> bunch.data.tolist()
    ['abc#t=0,1', 'abc#t=1,2']
    >>> bunch.target[:, 0].round(2).tolist()
    [0.35, 0.95]
    >>> bunch.target.shape, bunch.groups.tolist()
    ((2, 15), ['abc', 'abc'])
    """
    from pathlib import Path

    import pandas as pd

    from skemotion.utils import Interval, Options, validate_params

    validate_params(
        "load_eev",
        {
            "split": split,
            "window": window,
            "hop": hop,
            "video_dir": video_dir,
            "on_missing_video": on_missing_video,
            "ignore_undetected": ignore_undetected,
            "timestamp_unit": timestamp_unit,
        },
        {
            "split": [Options({"train", "val", "test"})],
            "window": [Interval(float, 0, None, closed="neither"), None],
            "hop": [Interval(float, 0, None, closed="neither"), None],
            "video_dir": ["path", None],
            "on_missing_video": [Options({"raise", "ignore"})],
            "ignore_undetected": ["boolean"],
            "timestamp_unit": [Options({"auto", "us", "ms"})],
        },
    )
    if window is None and hop is not None:
        raise ValueError(f"load_eev: hop needs a window; got window=None and hop={hop!r}.")
    root = check_root(root, "load_eev", "the EEV release files train.csv, val.csv, test.csv")
    path = root / f"{split}.csv"
    if not path.is_file():
        present = sorted(p.name for p in root.glob("*.csv"))
        raise FileNotFoundError(
            f"load_eev: {str(path)!r} does not exist; expected the EEV release files "
            f"train.csv, val.csv, test.csv in {str(root)!r} (found {present or 'no CSV'})."
        )
    annotations, unit, has_scores = _read_split(path, timestamp_unit)
    video_ids = list(dict.fromkeys(annotations["video_id"]))

    missing = []
    if video_dir is None:
        paths = {vid: vid for vid in video_ids}
    else:
        folder = Path(video_dir)
        folder = folder if folder.is_absolute() else root / folder
        if not folder.is_dir():
            raise FileNotFoundError(
                f"load_eev: video folder {str(folder)!r} does not exist; expected the videos "
                "named <Video ID>.mp4 (or pass video_dir=None to load the labels only)."
            )
        paths = _video_paths(folder, video_ids)
        missing = [vid for vid in video_ids if vid not in paths]
        if missing and on_missing_video == "raise":
            raise ValueError(
                f"load_eev: {len(missing)} of the {len(video_ids)} videos of {split}.csv are not "
                f"in {str(folder)!r}: {listing(missing)}. Pass on_missing_video='ignore' to "
                "leave them out."
            )
        annotations = annotations[annotations["video_id"].isin(paths)].reset_index(drop=True)
        if annotations.empty:
            raise ValueError(f"load_eev: none of the videos of {split}.csv is in {str(folder)!r}.")

    values = list(EXPRESSIONS) if has_scores else []
    track = annotations
    if has_scores and ignore_undetected:
        track = annotations.copy()
        track.loc[~track["detected"], values] = np.nan
    frame = windows_frame(
        track, key="video_id", time="time", values=values, paths=paths,
        window=window, hop=hop, step=1.0 / _RATE,
    )  # fmt: skip
    dropped = frame.iloc[:0][["video_id", "start", "end"]]
    if has_scores:
        empty = (frame["n_valid"] == 0).to_numpy()
        dropped = frame.loc[empty, ["video_id", "start", "end"]].reset_index(drop=True)
        frame = frame[~empty].reset_index(drop=True)
    target = frame[values].to_numpy(dtype=np.float32) if has_scores else None

    return make_bunch(
        data=frame["path"].to_numpy(dtype=object),
        target=target,
        target_names=np.asarray(EXPRESSIONS, dtype=object),
        groups=frame["video_id"].to_numpy(dtype=object),
        frame=frame,
        descr=DESCR,
        annotations=annotations,
        missing_videos=missing,
        dropped_windows=pd.DataFrame(dropped),
        timestamp_unit=unit,
    )
