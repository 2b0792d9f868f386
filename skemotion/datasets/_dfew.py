"""Loader for a local copy of DFEW (Jiang et al., 2020)."""

import re
from pathlib import Path

import numpy as np

from ._labels import CORPORA
from ._loader_utils import check_root, find_dirs, listing, make_bunch, walk

__all__ = ["load_dfew"]

_CLIP_SETS = ("original", "clip_224x224", "clip_224x224_16f")
# The README calls the split folders "train(single_labeled)", the archives
# extract to "train(single-labeled)": accept both.
_SPLIT_DIR = re.compile(r"^(train|test)\(single[-_]labell?ed\)$", re.IGNORECASE)

DESCR = """\
DFEW: Dynamic Facial Expression in-the-Wild.

16372 clips from over 1500 movies, each annotated by 10 raters with a
7-dimensional expression distribution; 12059 clips have a single label among
1 Happy, 2 Sad, 3 Neutral, 4 Angry, 5 Surprise, 6 Disgust, 7 Fear. The official
protocol is 5-fold cross-validation on the 11697 single-labelled clips whose
faces were detected: EmoLabel_DataSplit/train(single-labeled)/set_k.csv and
test(single-labeled)/set_k.csv (columns video_name, label), k = 1..5. Clips are
Clip/original/XXXXX.mp4, and face-aligned frame folders
Clip/clip_224x224/XXXXX/ and Clip/clip_224x224_16f/XXXXX/ (16 frames, time
interpolated).

Licence: non-commercial research and education only, on request from the
authors. https://dfew-dataset.github.io/

Reference: Jiang X, Zong Y, Zheng W, Tang C, Xia W, Lu C, Liu J (2020). DFEW: A
Large-Scale Database for Recognizing Dynamic Facial Expressions in the Wild.
Proceedings of the 28th ACM International Conference on Multimedia, 2881-2889.
https://doi.org/10.1145/3394171.3413620
"""

_EXPECTED = (
    "the DFEW release with EmoLabel_DataSplit/train(single-labeled)/set_1.csv .. "
    "test(single-labeled)/set_5.csv and Clip/original, Clip/clip_224x224 or "
    "Clip/clip_224x224_16f"
)


def _split_dirs(root):
    found = {}
    for path in find_dirs(root, _SPLIT_DIR.match):
        found.setdefault(_SPLIT_DIR.match(path.name).group(1).lower(), []).append(path)
    for subset, paths in found.items():
        if len(paths) > 1:
            raise ValueError(
                f"load_dfew: several {subset} split folders under {str(root)!r}: "
                f"{listing(paths)}; pass root= the DFEW folder to use."
            )
    return {subset: paths[0] for subset, paths in found.items()}


def _read_split(path):
    import pandas as pd

    table = pd.read_csv(path, dtype=str)
    table.columns = [c.strip() for c in table.columns]
    if list(table.columns[:2]) != ["video_name", "label"]:
        raise ValueError(
            f"load_dfew: {str(path)!r} has columns {list(table.columns)}; expected the "
            "official split file with columns video_name, label."
        )
    names = table["video_name"].str.strip()
    labels = table["label"].str.strip()
    bad = [
        f"row {i + 2}: {n},{lab}"
        for i, (n, lab) in enumerate(zip(names, labels, strict=True))
        if not (isinstance(n, str) and n.isdigit()) or lab not in CORPORA["dfew"]["codes"]
    ]
    if bad:
        raise ValueError(
            f"load_dfew: {str(path)!r} has rows that are not a clip number and a label in "
            f"1..7: {listing(bad)}."
        )
    if names.duplicated().any():
        raise ValueError(
            f"load_dfew: {str(path)!r} lists clips more than once: "
            f"{listing(sorted(set(names[names.duplicated()])))}."
        )
    return pd.DataFrame({"video_name": names.astype(np.int64), "label_code": labels.astype(int)})


def _clip_index(root, clips):
    """Map the 5-digit clip name to its path inside the chosen clip set.

    The clip set is the folder named ``clips`` (or its ``<clips>_part_N`` pieces,
    as the archives are split) anywhere under root; clip folders of the
    frame sets are not descended into, so the walk stays cheap.
    """
    top = re.compile(rf"^{re.escape(clips)}(_part_\d+)?$")
    folders = []
    for dirpath, dirnames, _ in walk(root):
        hits = [d for d in dirnames if top.match(d)]
        folders += [Path(dirpath) / d for d in hits]
        dirnames[:] = sorted(d for d in dirnames if d not in hits and not d.startswith("."))
    if not folders:
        raise FileNotFoundError(
            f"load_dfew: no {clips!r} folder under {str(root)!r}; expected Clip/{clips} "
            f"from the DFEW release (or pass clips=None to load the labels only)."
        )
    is_video = clips == "original"
    pattern = re.compile(r"^(\d{5})\.(mp4|avi)$" if is_video else r"^(\d{5})$")
    index, dupes = {}, []
    for folder in sorted(folders):
        for dirpath, dirnames, filenames in walk(folder):
            names = filenames if is_video else dirnames
            for name in sorted(names):
                m = pattern.match(name)
                if m is None:
                    continue
                if m.group(1) in index:
                    dupes.append(str(Path(dirpath) / name))
                index[m.group(1)] = Path(dirpath) / name
            # never walk into the frames of a clip folder
            dirnames[:] = sorted(d for d in dirnames if not pattern.match(d))
    if dupes:
        raise ValueError(
            f"load_dfew: clips found more than once under {listing(folders)}: {listing(dupes)}."
        )
    return folders, index


def load_dfew(root, *, fold=1, subset="train", clips="original"):
    """Load one fold of DFEW's official 5-fold protocol: clip paths and 7-class labels.

    Reads ``EmoLabel_DataSplit/{train,test}(single-labeled)/set_<fold>.csv``
    (columns ``video_name, label``; labels 1 Happy, 2 Sad, 3 Neutral, 4 Angry,
    5 Surprise, 6 Disgust, 7 Fear) and resolves every listed clip in the
    chosen clip set. Nothing is decoded or downloaded.

    Parameters
    ----------
    root : str or os.PathLike
        The DFEW folder (holding ``EmoLabel_DataSplit/`` and ``Clip/`` at any
        depth).
    fold : int in {1, 2, 3, 4, 5}, default=1
        Which official fold (``set_<fold>.csv``).
    subset : {"train", "test", "all"}, default="train"
        The fold's training or test clips, or both (train first).
    clips : {"original", "clip_224x224", "clip_224x224_16f"} or None, default="original"
        ``"original"``: the ``XXXXX.mp4`` videos of ``Clip/original``;
        the others: the per-clip frame folders ``XXXXX/`` of the face-aligned
        sets, image sequences that :class:`~skemotion.video.FrameSampler`
        reads like videos, frames in the order of the numbers in their names
        (``XXXXX_2.jpg`` before ``XXXXX_10.jpg``); ``None``: labels only,
        ``data`` holds the clip names. ``clip_224x224_16f`` holds 16 frames
        interpolated in time: sample it with ``FrameSampler(n_frames=16)``,
        whose ``"uniform"`` strategy does not depend on ``sequence_fps``.

    Returns
    -------
    data : Bunch
        Dictionary-like object with attributes:

        data : ndarray of str of shape (n_samples,), dtype=object
            Absolute clip paths (or 5-digit clip names when ``clips=None``),
            sorted by subset (train, test) then clip number.
        target : ndarray of int of shape (n_samples,)
            Index in ``target_names``, i.e. the official label minus one.
        target_names : ndarray of str of shape (7,)
            ``happy, sad, neutral, angry, surprised, disgust, fearful``.
        groups : None
            DFEW has no subject ids (clips come from movies); use the official
            folds.
        frame : pandas.DataFrame
            ``path, clip, video_name, label_code, emotion, fold, subset``.
        DESCR : str
            Description and citation.

    Raises
    ------
    FileNotFoundError
        If ``root``, the split file or the clip folder is missing.
    ValueError
        If a split file is malformed (naming file and rows) or lists clips
        absent from the clip set (listing them).

    See Also
    --------
    load_ravdess, map_labels

    References
    ----------
    .. [1] Jiang X, Zong Y, Zheng W, et al. (2020). DFEW: A Large-Scale Database
       for Recognizing Dynamic Facial Expressions in the Wild. ACM Multimedia.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import load_dfew
    >>> root = Path(tempfile.mkdtemp())
    >>> for subset, rows in (("train", "1,4\\n2,1\\n"), ("test", "3,7\\n")):
    ...     split = root / "EmoLabel_DataSplit" / f"{subset}(single-labeled)"
    ...     split.mkdir(parents=True)
    ...     _ = (split / "set_1.csv").write_text("video_name,label\\n" + rows)
    >>> (root / "Clip" / "original").mkdir(parents=True)
    >>> for clip in ("00001", "00002", "00003"):
    ...     (root / "Clip" / "original" / f"{clip}.mp4").touch()
    >>> bunch = load_dfew(root, fold=1, subset="all")
    >>> bunch.frame[["clip", "emotion", "subset"]].values.tolist()
    [['00001', 'angry', 'train'], ['00002', 'happy', 'train'], ['00003', 'fearful', 'test']]
    """
    import pandas as pd

    from skemotion.utils import Options, validate_params

    validate_params(
        "load_dfew",
        {"fold": fold, "subset": subset, "clips": clips},
        {
            "fold": [Options({1, 2, 3, 4, 5})],
            "subset": [Options({"train", "test", "all"})],
            "clips": [Options(set(_CLIP_SETS)), None],
        },
    )
    root = check_root(root, "load_dfew", _EXPECTED)
    split_dirs = _split_dirs(root)

    parts = []
    for name in ("train", "test") if subset == "all" else (subset,):
        if name not in split_dirs:
            raise FileNotFoundError(
                f"load_dfew: no {name}(single-labeled) folder under {str(root)!r}; "
                f"expected {_EXPECTED}."
            )
        path = split_dirs[name] / f"set_{fold}.csv"
        if not path.is_file():
            raise FileNotFoundError(
                f"load_dfew: {str(path)!r} does not exist; expected the official split "
                f"files set_1.csv .. set_5.csv in {str(split_dirs[name])!r}."
            )
        table = _read_split(path).sort_values("video_name", kind="stable")
        table["subset"] = name
        parts.append(table)
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "clip", frame["video_name"].map("{:05d}".format))
    codes = CORPORA["dfew"]["codes"]
    frame["emotion"] = frame["label_code"].astype(str).map(codes)
    frame["fold"] = fold
    overlap = sorted(set(frame.loc[frame["subset"] == "train", "clip"])
                     & set(frame.loc[frame["subset"] == "test", "clip"]))  # fmt: skip
    if overlap:
        raise ValueError(
            f"load_dfew: fold {fold} lists clips in both train and test: {listing(overlap)}."
        )

    if clips is None:
        frame.insert(0, "path", frame["clip"])
    else:
        folders, index = _clip_index(root, clips)
        missing = [c for c in frame["clip"] if c not in index]
        if missing:
            raise ValueError(
                f"load_dfew: {len(missing)} clip(s) of fold {fold} are not in {listing(folders)}: "
                f"{listing(missing)}."
            )
        frame.insert(0, "path", [str(index[c]) for c in frame["clip"]])
    frame = frame[["path", "clip", "video_name", "label_code", "emotion", "fold", "subset"]]

    target_names = np.asarray(CORPORA["dfew"]["classes"], dtype=object)
    return make_bunch(
        data=frame["path"].to_numpy(dtype=object),
        target=(frame["label_code"].to_numpy(dtype=np.int64) - 1),
        target_names=target_names,
        groups=None,
        frame=frame,
        descr=DESCR,
    )
