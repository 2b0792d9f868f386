"""Resolve ``--dataset``/``--data`` into paths, targets and groups for the command."""

import os
from dataclasses import dataclass

import numpy as np

__all__ = ["DATASETS", "load_data", "Data"]

DATASETS = {
    "synthetic": "the synthetic expression corpus (classification; generated on first use)",
    "synthetic-valence": "the synthetic continuous-valence videos, cut into 2 s windows (regression)",
    "ravdess": "RAVDESS, local copy (--data DIR)",
    "crema-d": "CREMA-D, local copy (--data DIR)",
    "dfew": "DFEW fold 1 train+test clips, local copy (--data DIR)",
    "recola": "RECOLA valence in windows, local copy (--data DIR; regression)",
}


@dataclass
class Data:
    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    target_names: list | None
    task: str
    description: str
    timeline: object = None  # (fragment start times) for regression timelines


def _synthetic(args, needs):
    from ..datasets import get_data_home, make_synthetic_expressions

    out = args.data or os.path.join(get_data_home(), "synthetic")
    corpus = make_synthetic_expressions(args.n_samples, out, n_classes=4, n_actors=4, duration=1.0,
                                        fps=15, size=(64, 64), random_state=args.random_state)
    names = [str(n) for n in corpus.target_names]
    return Data(np.asarray(corpus.data, dtype=object), np.asarray(names, dtype=object)[corpus.target],
                np.asarray(corpus.groups), names, "classification",
                f"synthetic corpus, {len(corpus.data)} clips in {out}")


def _synthetic_valence(args, needs):
    from ..datasets import get_data_home, make_synthetic_valence
    from ..io import make_fragment

    out = args.data or os.path.join(get_data_home(), "synthetic_valence")
    corpus = make_synthetic_valence(out, n_videos=6, n_actors=3, duration=16.0, fps=15, size=(64, 64),
                                    n_raters=3, random_state=args.random_state)
    X, y, groups, starts = [], [], [], []
    for path, timeline, group in zip(corpus.data, corpus.timelines, corpus.groups, strict=True):
        t = timeline["time"].to_numpy()
        v = timeline["valence"].to_numpy()
        for start in np.arange(0.0, t[-1] - 2.0 + 1e-9, 1.0):
            mask = (t >= start) & (t < start + 2.0)
            X.append(make_fragment(path, start, start + 2.0))
            y.append(float(v[mask].mean()))
            groups.append(group)
            starts.append((path, start))
    return Data(np.asarray(X, dtype=object), np.asarray(y, dtype=np.float32), np.asarray(groups), None,
                "regression", f"synthetic valence, {len(X)} windows of 2 s from {len(corpus.data)} videos",
                starts)


def _corpus(loader):
    def load(args, needs):
        from .. import datasets

        if args.data is None:
            raise FileNotFoundError(f"--dataset {args.dataset} needs --data DIR (a local copy of the corpus)")
        fn = getattr(datasets, loader)
        kwargs = {}
        if loader in ("load_ravdess", "load_crema_d"):
            kwargs["modality"] = "audio" if needs == "audio" else "video"
        bunch = fn(args.data, **kwargs)
        names = [str(n) for n in bunch.target_names] if "target_names" in bunch else None
        y = np.asarray(bunch.target)
        if names is not None and y.dtype.kind in "iu":
            y = np.asarray(names, dtype=object)[y]
        task = "regression" if y.dtype.kind == "f" else "classification"
        return Data(np.asarray(bunch.data, dtype=object), y, np.asarray(bunch.groups), names, task,
                    f"{args.dataset} from {args.data}, {len(y)} samples")

    return load


_LOADERS = {
    "synthetic": _synthetic,
    "synthetic-valence": _synthetic_valence,
    "ravdess": _corpus("load_ravdess"),
    "crema-d": _corpus("load_crema_d"),
    "dfew": _corpus("load_dfew"),
    "recola": _corpus("load_recola"),
}


def load_data(args, needs="video"):
    return _LOADERS[args.dataset](args, needs)
