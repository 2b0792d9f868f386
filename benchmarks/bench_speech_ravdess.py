"""Benchmark: skemotion's speech presets vs. openSMILE and librosa baselines on RAVDESS speech.

Issue 17's "Must show": speaker-independent emotion recognition on the
RAVDESS speech clips of actors 09-24 (``../shared/data/ravdess-speech``, 960
FLAC clips, 8 emotions), every method scored on the same GroupKFold(4) folds
grouped by actor. For each method the script prints accuracy and balanced
accuracy of the out-of-fold predictions, their mean over the folds, and the
wall time of featurization plus cross-validation:

- skemotion presets ``speech-functionals`` (the recommended pipeline),
  ``audio-logreg`` and ``audio-lstm`` (small scale), cross-validated as
  ``skemotion evaluate`` does: the whole Pipeline per fold, its featurizers
  caching per clip in a temporary folder (``memory``) with ``n_jobs=2``, so
  each clip is decoded and featurized once and the wall time covers all of it;
- openSMILE ``ComParE_2016`` and ``eGeMAPSv02`` functionals (the
  paralinguistic baselines) + StandardScaler + ``LinearSVC(C=1e-3)``, fed the
  waveform decoded by soundfile at its native rate (stereo averaged to mono),
  two joblib workers;
- 40 MFCCs (librosa, 16 kHz via soxr HQ as ``librosa.load(sr=16000)``), mean
  and standard deviation over time + StandardScaler + ``SVC(C=10)``.

The peers' features are computed once, timed, then cross-validated; the goal
line compares the best skemotion preset with the ComParE peer on balanced
accuracy (RAVDESS has half as many neutral clips as other emotions).
openSMILE is an optional extra (``pip install -e ".[bench]"``); without it
its rows are skipped. The data are never copied: only paths are read.

Usage::

    python benchmarks/bench_speech_ravdess.py                        # everything, ~15 min on 2 cores
    python benchmarks/bench_speech_ravdess.py --skip-deep            # without the LSTM
    python benchmarks/bench_speech_ravdess.py --actors 4 --methods speech-functionals egemaps
    python benchmarks/bench_speech_ravdess.py --csv ravdess.csv      # also save the table
"""

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from skemotion.cli._presets import build_preset
from skemotion.datasets import load_ravdess

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/ravdess-speech"
PRESET_METHODS = ["speech-functionals", "audio-logreg", "audio-lstm"]
OPENSMILE_METHODS = {"compare": "ComParE_2016", "egemaps": "eGeMAPSv02"}
METHODS = [*PRESET_METHODS, *OPENSMILE_METHODS, "mfcc-svc"]
LABELS = {
    "speech-functionals": "skemotion speech-functionals",
    "audio-logreg": "skemotion audio-logreg",
    "audio-lstm": "skemotion audio-lstm (small)",
    "compare": "openSMILE ComParE_2016 + LinearSVC",
    "egemaps": "openSMILE eGeMAPSv02 + LinearSVC",
    "mfcc-svc": "librosa 40 MFCC mean/std + SVC",
}


def read_mono(path):
    """The file's samples at its native rate, float32, stereo averaged to mono."""
    import soundfile

    y, sr = soundfile.read(path, dtype="float32", always_2d=True)
    return y.mean(axis=1), sr


def opensmile_features(paths, feature_set):
    """openSMILE functionals of ``paths``, one Smile object per worker call."""
    import opensmile

    smile = opensmile.Smile(feature_set=getattr(opensmile.FeatureSet, feature_set),
                            feature_level=opensmile.FeatureLevel.Functionals)
    rows = []
    for path in paths:
        y, sr = read_mono(path)
        rows.append(smile.process_signal(y, sr).to_numpy()[0])
    return np.asarray(rows, dtype=np.float64)


def mfcc_features(paths):
    """40 MFCCs at 16 kHz (soxr HQ, librosa.load's resampler), mean and std over time."""
    import librosa
    import soxr

    rows = []
    for path in paths:
        y, sr = read_mono(path)
        y = soxr.resample(y, sr, 16000, quality="HQ")
        m = librosa.feature.mfcc(y=y, sr=16000, n_mfcc=40)
        rows.append(np.concatenate([m.mean(axis=1), m.std(axis=1)]))
    return np.asarray(rows, dtype=np.float64)


def featurize(func, paths, *args, n_jobs=2):
    """``func`` over ``paths`` in ``n_jobs`` joblib processes, rows in input order."""
    chunks = [c for c in np.array_split(np.asarray(paths, dtype=object), 4 * n_jobs) if len(c)]
    parts = Parallel(n_jobs=n_jobs)(delayed(func)(list(c), *args) for c in chunks)
    return np.concatenate(parts)


def cross_validate(estimator, X, y, folds):
    """Out-of-fold predictions and per-fold (accuracy, balanced accuracy)."""
    y_oof = np.empty_like(y)
    per_fold = []
    for train, test in folds:
        model = clone(estimator).fit(X[train], y[train])
        y_oof[test] = model.predict(X[test])
        per_fold.append((accuracy_score(y[test], y_oof[test]),
                         balanced_accuracy_score(y[test], y_oof[test])))
    return y_oof, np.asarray(per_fold)


def run_preset(name, X, y, folds, n_jobs, threads):
    """Cross-validate preset ``name`` as ``skemotion evaluate`` does: (y_oof, per_fold)."""
    from skemotion.cli._commands import _featurize_once

    pipe = build_preset(name, task="classification", scale="small", random_state=0)
    if "model__torch_num_threads" in pipe.get_params():
        pipe.set_params(model__torch_num_threads=threads)
    with _featurize_once(pipe, n_jobs):
        y_oof, per_fold = cross_validate(pipe, X, y, folds)
    return y_oof, per_fold


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"RAVDESS speech folder (default {DEFAULT_DATA})")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=METHODS)
    parser.add_argument("--skip-deep", action="store_true", help="leave out audio-lstm (slow on CPU)")
    parser.add_argument("--actors", type=int, default=None,
                        help="only the first N actors (at least 2), for a quick run")
    parser.add_argument("--n-splits", type=int, default=4, help="GroupKFold splits (default 4)")
    parser.add_argument("--n-jobs", type=int, default=2, help="featurization workers (default 2)")
    parser.add_argument("--threads", type=int, default=2,
                        help="torch threads of the LSTM (model__torch_num_threads, default 2)")
    parser.add_argument("--csv", type=Path, default=None, help="also write the table here")
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        sys.exit(f"RAVDESS speech folder not found: {args.data}. Pass --data DIR (the folder "
                 "of Actor_XX/*.flac described in shared/data/ravdess-speech/README.md).")
    methods = [m for m in args.methods if not (args.skip_deep and m == "audio-lstm")]
    if any(m in OPENSMILE_METHODS for m in methods):
        try:
            import opensmile  # noqa: F401
        except ImportError:
            print("opensmile is not installed (pip install -e \".[bench]\"): "
                  "the openSMILE peers are skipped")
            methods = [m for m in methods if m not in OPENSMILE_METHODS]

    data = load_ravdess(args.data)
    X = np.asarray(data.data, dtype=object)
    y = np.asarray(data.target)
    groups = np.asarray(data.groups)
    if args.actors is not None:
        keep = np.isin(groups, np.unique(groups)[: args.actors])
        X, y, groups = X[keep], y[keep], groups[keep]
    n_splits = min(args.n_splits, len(np.unique(groups)))
    folds = list(GroupKFold(n_splits=n_splits).split(X, y, groups))
    print(f"RAVDESS speech: {len(X)} clips, {len(np.unique(groups))} actors, "
          f"{len(np.unique(y))} emotions; GroupKFold({n_splits}) by actor, same folds for every "
          f"method; featurization with {args.n_jobs} workers")

    rows = []
    for method in methods:
        print(f"  {LABELS[method]} ...", flush=True)
        start = time.perf_counter()
        if method in PRESET_METHODS:
            y_oof, per_fold = run_preset(method, X, y, folds, args.n_jobs, args.threads)
            t_feat = None
        else:
            if method == "mfcc-svc":
                F = featurize(mfcc_features, X, n_jobs=args.n_jobs)
                model = make_pipeline(StandardScaler(), SVC(C=10))
            else:
                F = featurize(opensmile_features, X, OPENSMILE_METHODS[method], n_jobs=args.n_jobs)
                model = make_pipeline(StandardScaler(), LinearSVC(C=1e-3))
            t_feat = time.perf_counter() - start
            y_oof, per_fold = cross_validate(model, F, y, folds)
        wall = time.perf_counter() - start
        rows.append({"method": method, "accuracy": accuracy_score(y, y_oof),
                     "balanced_accuracy": balanced_accuracy_score(y, y_oof),
                     "fold_accuracy": per_fold[:, 0].mean(), "fold_accuracy_std": per_fold[:, 0].std(),
                     "fold_balanced_accuracy": per_fold[:, 1].mean(),
                     "featurize_s": t_feat, "wall_s": wall})
        print(f"    accuracy {rows[-1]['accuracy']:.3f}, balanced {rows[-1]['balanced_accuracy']:.3f}, "
              f"{wall:.1f} s", flush=True)

    print()
    print(f"{'method':<38}{'acc':>7}{'bal_acc':>9}{'fold acc':>15}{'fold bal':>10}"
          f"{'feat s':>9}{'wall s':>9}")
    for r in rows:
        feat = "(in CV)" if r["featurize_s"] is None else f"{r['featurize_s']:.1f}"
        fold = f"{r['fold_accuracy']:.3f}+-{r['fold_accuracy_std']:.3f}"
        print(f"{LABELS[r['method']]:<38}{r['accuracy']:>7.3f}{r['balanced_accuracy']:>9.3f}"
              f"{fold:>15}{r['fold_balanced_accuracy']:>10.3f}{feat:>9}{r['wall_s']:>9.1f}")
    print("acc, bal_acc: out-of-fold predictions over all clips; fold: mean over the folds; "
          "wall: featurization + cross-validation")

    ours = [r for r in rows if r["method"] in PRESET_METHODS]
    peer = next((r for r in rows if r["method"] == "compare"), None)
    if ours and peer is not None:
        best = max(ours, key=lambda r: r["balanced_accuracy"])
        met = "met" if best["balanced_accuracy"] >= peer["balanced_accuracy"] else "NOT met"
        print(f"goal: skemotion best >= ComParE peer (balanced accuracy): {best['method']} "
              f"{best['balanced_accuracy']:.3f} vs. {peer['balanced_accuracy']:.3f}: {met}")
    else:
        print("goal: skemotion best >= ComParE peer: not evaluated (run a preset and 'compare')")

    if args.csv is not None:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["method"])
            writer.writeheader()
            writer.writerows(rows)
        print(f"table written to {args.csv}")
    return rows


if __name__ == "__main__":
    main()
