"""Resolve ``--dataset``/``--data`` into paths, targets and groups for the command.

Every loader gives one sample per path (or media fragment), a 1-D target and
the groups of the grouped cross-validation. ``modality`` is what the pipeline
reads: ``"audio"``, ``"video"`` or ``"audiovisual"`` (both from one file).
"""

import os
from dataclasses import dataclass

import numpy as np

from ._errors import UserError, user_errors

__all__ = ["DATASETS", "load_data", "Data"]

WINDOW = 2.0  # seconds per regression sample of a continuous rating track

DATASETS = {
    "synthetic": "the synthetic expression corpus (classification; generated on first use)",
    "synthetic-valence": "the synthetic continuous-valence videos, cut into 2 s windows every 1 s "
    "(regression, grouped by actor)",
    "ravdess": "RAVDESS, local copy (--data DIR; grouped by actor)",
    "crema-d": "CREMA-D, local copy (--data DIR; grouped by actor)",
    "dfew": "DFEW, local copy (--data DIR): the test clips of the 5 official folds, grouped by fold "
    "so that --cv 5 is the official protocol",
    "recola": "RECOLA valence (mean of the raters) in 2 s windows, local copy (--data DIR; regression, "
    "grouped by session)",
}


@dataclass
class Data:
    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    target_names: list | None
    task: str
    description: str
    timeline: object = None  # regression: DataFrame of recording, start, end per sample
    group_name: str = "actor"  # what a group is, for the progress lines


def _timeline(recordings, starts, ends):
    import pandas as pd

    return pd.DataFrame({"recording": list(recordings), "start": np.asarray(starts, dtype=float),
                         "end": np.asarray(ends, dtype=float)})


def _synthetic(args, modality):
    from ..datasets import get_data_home, make_synthetic_expressions

    out = args.data or os.path.join(get_data_home(), "synthetic")
    corpus = make_synthetic_expressions(args.n_samples, out, n_classes=4, n_actors=4, duration=1.0,
                                        fps=15, size=(64, 64), random_state=args.random_state)
    names = [str(n) for n in corpus.target_names]
    return Data(np.asarray(corpus.data, dtype=object), np.asarray(names, dtype=object)[corpus.target],
                np.asarray(corpus.groups), names, "classification",
                f"synthetic corpus, {len(corpus.data)} clips in {out}")


def _synthetic_valence(args, modality):
    from ..datasets import get_data_home, make_synthetic_valence
    from ..io import make_fragment

    out = args.data or os.path.join(get_data_home(), "synthetic_valence")
    corpus = make_synthetic_valence(out, n_videos=6, n_actors=3, duration=16.0, fps=15, size=(64, 64),
                                    n_raters=3, random_state=args.random_state)
    X, y, groups, files, starts = [], [], [], [], []
    for path, timeline, group in zip(corpus.data, corpus.timelines, corpus.groups, strict=True):
        t = timeline["time"].to_numpy()
        v = timeline["valence"].to_numpy()
        for start in np.arange(0.0, t[-1] - WINDOW + 1e-9, 1.0):
            mask = (t >= start) & (t < start + WINDOW)
            X.append(make_fragment(path, start, start + WINDOW))
            y.append(float(v[mask].mean()))
            groups.append(group)
            files.append(path)
            starts.append(start)
    return Data(np.asarray(X, dtype=object), np.asarray(y, dtype=np.float32), np.asarray(groups), None,
                "regression", f"synthetic valence, {len(X)} windows of 2 s from {len(corpus.data)} videos",
                _timeline(files, starts, np.asarray(starts) + WINDOW))


def _needs_data(args):
    if args.data is None:
        raise FileNotFoundError(f"--dataset {args.dataset} needs --data DIR (a local copy of the corpus)")
    return args.data


def _labelled(bunch):
    """String labels and class names of a classification Bunch."""
    names = [str(n) for n in bunch.target_names]
    return np.asarray(names, dtype=object)[np.asarray(bunch.target)], names


def _classification(bunch, what):
    """``Data`` of a loader's classification Bunch, described as ``what``."""
    y, names = _labelled(bunch)
    return Data(np.asarray(bunch.data, dtype=object), y, np.asarray(bunch.groups), names,
                "classification", f"{what}, {len(y)} samples")


def _ravdess(args, modality):
    from ..datasets import load_ravdess

    root = _needs_data(args)
    # 03-* wav (audio only), 02-* mp4 (video, no sound), 01-* mp4 (audio-visual).
    with user_errors():
        bunch = load_ravdess(root, modality=modality)
    return _classification(bunch, f"ravdess ({modality} files) from {root}")


def _crema_d(args, modality):
    from ..datasets import load_crema_d

    root = _needs_data(args)
    # VideoFlash .flv clips carry the voice too: the same files serve video and audiovisual.
    with user_errors():
        bunch = load_crema_d(root, modality="audio" if modality == "audio" else "video")
    return _classification(bunch, f"crema-d ({modality}) from {root}")


def _dfew(args, modality):
    from ..datasets import load_dfew

    root = _needs_data(args)
    # The five official test sets partition the single-labelled clips; a clip's
    # fold is its group, so GroupKFold(5) holds out exactly one official fold.
    with user_errors():
        folds = [load_dfew(root, fold=k, subset="test") for k in range(1, 6)]
    X = np.concatenate([f.data for f in folds]).astype(object)
    names = [str(n) for n in folds[0].target_names]
    y = np.asarray(names, dtype=object)[np.concatenate([f.target for f in folds])]
    groups = np.concatenate([np.full(len(f.data), k) for k, f in enumerate(folds, start=1)])
    clips, counts = np.unique(np.concatenate([f.frame["clip"] for f in folds]), return_counts=True)
    if (counts > 1).any():
        raise UserError(f"--dataset dfew: clips in more than one official test set under {root}: "
                        f"{', '.join(clips[counts > 1][:5])}")
    return Data(X, y, groups, names, "classification",
                f"dfew from {root}, {len(y)} clips of the 5 official test sets", group_name="official fold")


def _recola(args, modality):
    from ..datasets import load_recola

    root = _needs_data(args)
    if modality == "audiovisual":
        raise UserError("RECOLA keeps audio (recordings_audio) and video (recordings_video) in separate "
                        "files: use an audio or a video preset, or --modality audio|video")
    with user_errors():
        bunch = load_recola(root, dimensions=("valence",), raters="mean", window=WINDOW, modality=modality)
    frame = bunch.frame
    keep = (frame["n_valid"] > 0).to_numpy()  # a window without ratings has no target
    return Data(np.asarray(bunch.data, dtype=object)[keep], np.asarray(bunch.target, dtype=np.float32)[keep],
                np.asarray(bunch.groups)[keep], None, "regression",
                f"recola valence ({modality}) from {root}, {int(keep.sum())} windows of {WINDOW:g} s"
                + (f" ({int((~keep).sum())} without ratings left out)" if not keep.all() else ""),
                _timeline(frame["session"].to_numpy()[keep], frame["start"].to_numpy()[keep],
                          frame["end"].to_numpy()[keep]),
                group_name="session")


_LOADERS = {
    "synthetic": _synthetic,
    "synthetic-valence": _synthetic_valence,
    "ravdess": _ravdess,
    "crema-d": _crema_d,
    "dfew": _dfew,
    "recola": _recola,
}


def load_data(args, modality="video"):
    """Samples of ``args.dataset`` for a pipeline reading ``modality``."""
    data = _LOADERS[args.dataset](args, modality)
    if data.y.ndim != 1:  # every loader above gives one target per sample
        raise AssertionError(f"{args.dataset}: expected a 1-D target; got shape {data.y.shape}")
    return data
