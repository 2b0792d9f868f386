"""The ``evaluate``, ``search`` and ``predict`` subcommands."""

import contextlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from .._version import __version__
from ._errors import UserError, user_errors

MODEL_FORMAT = "skemotion-model"


def _log(msg):
    print(msg, flush=True)


def _describe(args):
    """(what is evaluated, which modality a corpus loader should give), building nothing.

    Audio presets read audio files, fusion reads both tracks of audio-visual
    files, the other presets read video; a pipeline file may read either, so
    it gets audio-visual files unless ``--modality`` says otherwise.
    """
    from ._presets import DEFAULT_PRESETS, PRESETS, modality_mismatch, preset_modality

    if args.pipeline:
        return f"pipeline file {args.pipeline}", args.modality or "audiovisual"
    if args.preset is None:
        args.preset = DEFAULT_PRESETS[args.modality]
        if args.modality is not None:
            _log(f"no --preset given: using {args.preset}, the recommended pipeline for "
                 f"--modality {args.modality}")
    if args.preset not in PRESETS:
        raise UserError(f"unknown preset {args.preset!r}; choose from {', '.join(PRESETS)}")
    if args.modality and (reason := modality_mismatch(args.preset, args.modality)):
        raise UserError(reason)
    return args.preset, args.modality or preset_modality(args.preset)


def _build(args, task):
    from ._presets import build_preset
    from ._spec import load_pipeline_spec

    if args.pipeline:
        with user_errors(f"pipeline file {args.pipeline}"):
            return load_pipeline_spec(args.pipeline)
    return build_preset(args.preset, task=task, scale=args.scale, random_state=args.random_state)


def _featurizer_params(pipe, name):
    """Pipeline parameter paths of ``name`` (``memory``, ``n_jobs``) owned by skemotion steps."""
    params = pipe.get_params(deep=True)
    paths = []
    for path in params:
        owner_path, _, last = path.rpartition("__")
        if last != name or not owner_path:
            continue
        owner = params.get(owner_path)
        if type(owner).__module__.startswith("skemotion."):
            paths.append(path)
    return paths


@contextlib.contextmanager
def _featurize_once(pipe, n_jobs):
    """Run with every skemotion featurizer of ``pipe`` caching per clip in a temporary folder.

    Folds, the final refit and search candidates then decode and featurize each
    clip once (``memory``); ``n_jobs`` parallelises the featurizers that have it.
    Parameters the user set (a pipeline file) are left as they are.
    """
    import tempfile

    params = pipe.get_params(deep=True)
    with tempfile.TemporaryDirectory(prefix="skemotion_cache_") as cache:
        pipe.set_params(**{p: cache for p in _featurizer_params(pipe, "memory") if params[p] is None})
        pipe.set_params(**{p: n_jobs for p in _featurizer_params(pipe, "n_jobs") if params[p] is None})
        try:
            yield pipe
        finally:
            pipe.set_params(**{p: params[p] for p in _featurizer_params(pipe, "memory")})


def _fit(pipe, X, y, args):
    """Fit a clone of ``pipe``.

    A preset is our code: its errors are bugs and keep their traceback. A
    pipeline file is the user's: a ValueError or TypeError while fitting it (a
    bad parameter value, steps in the wrong order) is reported as theirs.
    """
    from sklearn.base import clone

    if not args.pipeline:
        return clone(pipe).fit(X, y)
    with user_errors(f"pipeline file {args.pipeline} (SKEMOTION_DEBUG=1 shows the traceback)",
                     types=(ValueError, TypeError)):
        return clone(pipe).fit(X, y)


def _scores(task, y_true, y_pred):
    from sklearn import metrics

    if task == "classification":
        return {"accuracy": metrics.accuracy_score(y_true, y_pred),
                "balanced_accuracy": metrics.balanced_accuracy_score(y_true, y_pred),
                "f1_macro": metrics.f1_score(y_true, y_pred, average="macro")}
    from ..metrics import concordance_correlation_coefficient, pearson_r

    return {"ccc": concordance_correlation_coefficient(y_true, y_pred),
            "pearson_r": pearson_r(y_true, y_pred),
            "rmse": float(np.sqrt(metrics.mean_squared_error(y_true, y_pred))),
            "mae": metrics.mean_absolute_error(y_true, y_pred)}


def _out_dir(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _figure(task, data, y_oof, out):
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        _log("  (matplotlib not installed: figure skipped; pip install skemotion[plot])")
        return None
    from ..model_selection import plot_confusion_matrix, plot_timeline

    if task == "classification":
        ax = plot_confusion_matrix(data.y, y_oof, labels=data.target_names)
        path = out / "confusion_matrix.png"
    else:
        timeline = data.timeline
        first = timeline["recording"].iloc[0]
        idx = np.flatnonzero((timeline["recording"] == first).to_numpy())
        times = ((timeline["start"] + timeline["end"]) / 2).to_numpy()[idx]  # window centres
        ax = plot_timeline(times, data.y[idx], y_oof[idx])
        ax.set_title(f"{Path(str(first)).name}: out-of-fold predictions")
        path = out / "timeline.png"
    # Reports return an Axes or a sklearn Display; both know their figure.
    figure = getattr(ax, "figure_", None) or ax.figure
    figure.savefig(path, dpi=100, bbox_inches="tight")
    return path


def cmd_evaluate(args):
    import joblib
    import pandas as pd
    from sklearn.model_selection import GroupKFold

    from ._data import load_data

    started = time.perf_counter()
    what, modality = _describe(args)
    data = load_data(args, modality)
    pipe = _build(args, data.task)
    n_groups = len(np.unique(data.groups))
    if n_groups < 2:
        raise UserError(f"grouped cross-validation needs at least 2 groups ({data.group_name}s); "
                        f"{data.description} has {n_groups}")
    cv = GroupKFold(n_splits=min(args.cv, n_groups))
    out = _out_dir(args)
    _log(f"skemotion evaluate: {what} on {data.description}")
    _log(f"{cv.get_n_splits()}-fold cross-validation grouped by {data.group_name} "
         f"({n_groups} {data.group_name}s)")
    with _featurize_once(pipe, args.n_jobs):
        rows, y_oof, final = _cross_validate(pipe, data, cv, args)
    # the cache folder is gone: the saved model decodes afresh
    final.set_params(**{p: None for p in _featurizer_params(final, "memory")})
    table = pd.DataFrame(rows)
    scores = [c for c in table.columns if c not in ("fold", "n_train", "n_test", "test_groups",
                                                     "fit_seconds")]
    summary = {m: {"mean": float(table[m].mean()), "std": float(table[m].std(ddof=0))} for m in scores}
    _log("")
    _log(f"{'metric':<20}{'mean':>8}{'std':>8}")
    for m, s in summary.items():
        _log(f"{m:<20}{s['mean']:>8.3f}{s['std']:>8.3f}")
    table.to_csv(out / "cv_results.csv", index=False)
    pd.DataFrame({"sample": data.X, "y_true": data.y, "y_pred": y_oof, "group": data.groups}).to_csv(
        out / "predictions.csv", index=False)
    joblib.dump({"format": MODEL_FORMAT, "skemotion_version": __version__, "pipeline_name": what,
                 "task": data.task, "target_names": data.target_names, "estimator": final},
                out / "model.joblib")
    report = {"skemotion_version": __version__, "pipeline": what, "data": data.description,
              "task": data.task, "n_samples": int(len(data.y)), "n_groups": int(n_groups),
              "groups": data.group_name, "cv": f"GroupKFold(n_splits={cv.get_n_splits()})",
              "scores": summary,
              "folds": rows, "seconds": round(time.perf_counter() - started, 1)}
    if data.task == "classification":
        from sklearn.metrics import classification_report

        report["classification_report"] = classification_report(data.y, y_oof, output_dict=True,
                                                                 zero_division=0)
    figure = _figure(data.task, data, y_oof, out)
    (out / "report.json").write_text(json.dumps(report, indent=2, default=str))
    written = ["model.joblib", "cv_results.csv", "predictions.csv", "report.json"]
    if figure is not None:
        written.append(figure.name)
    _log(f"wrote {', '.join(written)} to {out} in {report['seconds']:.0f} s")
    return 0


def _cross_validate(pipe, data, cv, args):
    """Per-fold scores, out-of-fold predictions and the model refitted on every sample."""
    rows, y_oof = [], np.empty(len(data.y), dtype=data.y.dtype)
    for fold, (train, test) in enumerate(cv.split(data.X, data.y, data.groups), start=1):
        t0 = time.perf_counter()
        model = _fit(pipe, data.X[train], data.y[train], args)
        y_oof[test] = model.predict(data.X[test])
        scores = _scores(data.task, data.y[test], y_oof[test])
        rows.append({"fold": fold, "n_train": len(train), "n_test": len(test),
                     "test_groups": " ".join(map(str, np.unique(data.groups[test]))), **scores,
                     "fit_seconds": round(time.perf_counter() - t0, 2)})
        _log(f"  fold {fold}/{cv.get_n_splits()}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items())
             + f" ({rows[-1]['fit_seconds']:.1f} s)")
    _log("refitting on all samples ...")
    return rows, y_oof, _fit(pipe, data.X, data.y, args)


def cmd_search(args):
    from sklearn.model_selection import GroupKFold

    from ..model_selection import OptunaSearch, make_storage
    from ._data import load_data
    from ._presets import preset_space

    what, modality = _describe(args)
    if args.pipeline:
        raise UserError("search runs on a preset's search space; --pipeline files are for evaluate")
    if args.storage is not None:
        import sqlalchemy.exc

        # Opens (or creates) the storage now, so that a bad URL is reported as such.
        with user_errors(f"--storage {args.storage}", types=(ValueError, sqlalchemy.exc.SQLAlchemyError)):
            make_storage(args.storage)
    data = load_data(args, modality)
    pipe = _build(args, data.task)
    n_groups = len(np.unique(data.groups))
    scoring = "accuracy" if data.task == "classification" else "ccc"
    if scoring == "ccc":
        from ..metrics import ccc_scorer as scoring
    search = OptunaSearch(pipe, preset_space(args.preset, data.task), scoring=scoring,
                          cv=GroupKFold(n_splits=min(args.cv, n_groups)), n_trials=args.n_trials,
                          timeout=args.timeout, storage=args.storage, study_name=args.study,
                          load_if_exists=True, random_state=args.random_state, refit=False,
                          verbose=1)
    _log(f"skemotion search: {what} on {data.description}; study {args.study!r} in "
         f"{args.storage or 'memory'}; {args.n_trials} trials")
    with _featurize_once(pipe, args.n_jobs):
        search.fit(data.X, data.y, groups=data.groups)
    study = search.study_
    out = _out_dir(args)
    frame = study.trials_dataframe()
    frame.to_csv(out / "trials.csv", index=False)
    done = [t for t in study.trials if t.state.name == "COMPLETE"]
    _log(f"{len(done)} complete trials in the study ({len(study.trials)} in all, pruned and failed included)")
    _log(f"best score {study.best_value:.3f} with {json.dumps(study.best_params)}")
    (out / "best_params.json").write_text(json.dumps({"best_score": study.best_value,
                                                      "best_params": study.best_params}, indent=2))
    _log(f"wrote trials.csv, best_params.json to {out}")
    return 0


def _load_model(path):
    import joblib

    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such model file: '{path}'")
    try:
        bundle = joblib.load(path)
    except Exception:  # joblib/pickle raise many types for non-model files
        raise UserError(f"'{path}' is not a skemotion model (could not be unpickled)") from None
    if not isinstance(bundle, dict) or bundle.get("format") != MODEL_FORMAT:
        raise UserError(f"'{path}' is not a skemotion model (no skemotion model header); "
                        "models come from `skemotion evaluate`")
    return bundle


def cmd_predict(args):
    import pandas as pd

    from ..io._sequence import is_sequence
    from ..video import sliding_windows

    if args.figure and not args.window:
        raise UserError("--figure draws a timeline: give --window (and optionally --hop)")
    bundle = _load_model(args.model)
    model = bundle["estimator"]
    for media in args.media:
        base = media.split("#t=")[0]
        if not os.path.exists(base) and not is_sequence(base):  # a pattern of frames exists as files
            raise FileNotFoundError(f"No such media file: '{base}'")
    if args.window:
        with user_errors():  # media and window come from the command line
            X = [frag for media in args.media for frag in sliding_windows(media, args.window, args.hop)]
    else:
        X = list(args.media)
    X = np.asarray(X, dtype=object)
    frame = pd.DataFrame({"media": X})
    if args.window:
        from ..io import parse_fragment

        parts = [parse_fragment(x) for x in X]
        frame["file"] = [p[0] for p in parts]
        frame["start"] = [p[1] for p in parts]
        frame["end"] = [p[2] for p in parts]
    pred = model.predict(X)
    frame["prediction"] = pred
    if bundle["task"] == "classification" and hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        for j, name in enumerate(model.classes_):
            frame[f"p_{name}"] = proba[:, j]
    if args.csv:
        frame.to_csv(args.csv, index=False)
        _log(f"wrote {len(frame)} predictions to {args.csv}")
    else:
        frame.to_csv(sys.stdout, index=False)
    if args.figure:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 3))
        if args.window and bundle["task"] == "regression":
            for file, sub in frame.groupby("file"):
                ax.plot((sub["start"] + sub["end"]) / 2, sub["prediction"], marker="o", label=Path(file).name)
            ax.set_xlabel("time (s)")
            ax.set_ylabel("predicted value")
        else:
            cols = [c for c in frame.columns if c.startswith("p_")]
            for file, sub in frame.groupby("file"):
                mid = (sub["start"] + sub["end"]) / 2
                for c in cols:
                    ax.plot(mid, sub[c], label=f"{Path(file).name} {c[2:]}")
            ax.set_xlabel("time (s)")
            ax.set_ylabel("probability")
        ax.legend(fontsize="small")
        fig.savefig(args.figure, dpi=100, bbox_inches="tight")
        _log(f"wrote {args.figure}")
    return 0
