"""Reports: tidy CV results, classification reports and figures (matplotlib lazily)."""

import re

import numpy as np

__all__ = [
    "classification_report_frame",
    "cv_results_frame",
    "plot_confusion_matrix",
    "plot_timeline",
    "plot_training_curves",
]

_SPLIT_KEY = re.compile(r"^split(\d+)_(test|train)_(.+)$")
_CV_KEY = re.compile(r"^(test|train)_(.+)$")


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Figures need matplotlib: pip install 'skemotion[plot]' (or matplotlib)."
        ) from exc
    return plt


def cv_results_frame(results):
    """Cross-validation results as a tidy DataFrame: one row per score.

    Parameters
    ----------
    results : fitted search or dict
        A fitted ``GridSearchCV`` / ``RandomizedSearchCV`` /
        :class:`OptunaSearch` (its ``cv_results_``), a ``cv_results_`` dict,
        or the dict returned by :func:`~sklearn.model_selection.cross_validate`
        or :func:`nested_cross_validate`.

    Returns
    -------
    frame : pandas.DataFrame
        For a search: columns ``candidate``, one column per parameter,
        ``rank`` (by the metric's mean test score), ``split``, ``subset``
        (``"test"``/``"train"``), ``metric``, ``score``. For cross_validate's
        dict: ``split``, ``subset``, ``metric``, ``score``, ``fit_time``,
        ``score_time``. Group with ``frame.groupby(...)["score"].agg(["mean", "std"])``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skemotion.model_selection import cv_results_frame
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    >>> search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=3).fit(X, y)
    >>> frame = cv_results_frame(search)
    >>> frame.shape
    (6, 7)
    >>> list(frame.columns)
    ['candidate', 'alpha', 'rank', 'split', 'subset', 'metric', 'score']
    """
    import pandas as pd

    if hasattr(results, "cv_results_"):
        results = results.cv_results_
    if not isinstance(results, dict):
        raise ValueError(
            "cv_results_frame expects a fitted search or a results dict (cv_results_ or "
            f"cross_validate's output); got {type(results).__name__}."
        )
    rows = []
    if "params" in results:
        params = list(results["params"])
        param_names = sorted({k for p in params for k in p})
        for key in results:
            m = _SPLIT_KEY.match(key)
            if not m:
                continue
            split, subset, metric = int(m.group(1)), m.group(2), m.group(3)
            ranks = results.get(f"rank_test_{metric}")
            for i, p in enumerate(params):
                row = {"candidate": i}
                row.update({name: p.get(name, np.nan) for name in param_names})
                row["rank"] = int(ranks[i]) if ranks is not None else np.nan
                row.update(split=split, subset=subset, metric=metric, score=float(results[key][i]))
                rows.append(row)
        columns = ["candidate", *param_names, "rank", "split", "subset", "metric", "score"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.sort_values(["candidate", "metric", "subset", "split"], ignore_index=True)
    keys = [k for k in results if _CV_KEY.match(k)]
    if not keys:
        raise ValueError(
            "cv_results_frame: the dict has neither 'params' (a search's cv_results_) nor "
            f"'test_*' keys (cross_validate's output); its keys are {sorted(results)}."
        )
    for key in keys:
        subset, metric = _CV_KEY.match(key).groups()
        for split, score in enumerate(np.asarray(results[key], dtype=float)):
            rows.append(
                {
                    "split": split,
                    "subset": subset,
                    "metric": metric,
                    "score": float(score),
                    "fit_time": float(results["fit_time"][split])
                    if "fit_time" in results
                    else np.nan,
                    "score_time": float(results["score_time"][split])
                    if "score_time" in results
                    else np.nan,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["split", "subset", "metric", "score", "fit_time", "score_time"]
    )
    return frame.sort_values(["metric", "subset", "split"], ignore_index=True)


def classification_report_frame(
    y_true, y_pred, *, labels=None, target_names=None, sample_weight=None, zero_division="warn"
):
    """:func:`sklearn.metrics.classification_report` as a DataFrame.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Labels to include, in order.
    target_names : list of str, default=None
        Display names for ``labels`` (e.g. a loader's ``target_names``).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        As in scikit-learn.

    Returns
    -------
    frame : pandas.DataFrame
        One row per class, then ``"macro avg"`` and ``"weighted avg"``;
        columns ``precision``, ``recall``, ``f1-score``, ``support``.
        ``frame.attrs["accuracy"]`` holds the accuracy.

    Examples
    --------
    >>> from skemotion.model_selection import classification_report_frame
    >>> frame = classification_report_frame(["angry", "happy", "happy"],
    ...                                     ["angry", "happy", "angry"])
    >>> float(frame.loc["happy", "recall"]), round(frame.attrs["accuracy"], 3)
    (0.5, 0.667)
    """
    import pandas as pd
    from sklearn.metrics import classification_report

    report = classification_report(
        y_true,
        y_pred,
        labels=labels,
        target_names=target_names,
        sample_weight=sample_weight,
        zero_division=zero_division,
        output_dict=True,
    )
    accuracy = report.pop("accuracy", None)
    frame = pd.DataFrame(report).T[["precision", "recall", "f1-score", "support"]]
    frame["support"] = frame["support"].astype(float)
    if accuracy is not None:
        frame.attrs["accuracy"] = float(accuracy)
    return frame


def plot_confusion_matrix(
    y_true, y_pred, *, labels=None, display_labels=None, normalize="true", ax=None, cmap="Blues"
):
    """Confusion-matrix figure (rows: true class; normalised per true class by default).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Labels to show, in order.
    display_labels : list of str, default=None
        Tick labels (e.g. ``target_names``).
    normalize : {"true", "pred", "all"} or None, default="true"
        As in :func:`sklearn.metrics.confusion_matrix`; "true" shows recall
        per class, which stays readable on imbalanced corpora.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.
    cmap : str, default="Blues"
        Colormap.

    Returns
    -------
    display : sklearn.metrics.ConfusionMatrixDisplay
        ``display.figure_`` and ``display.ax_`` hold the figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skemotion.model_selection import plot_confusion_matrix
    >>> disp = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2],
    ...                              display_labels=["neutral", "happy", "sad"])
    >>> disp.confusion_matrix.shape
    (3, 3)
    """
    plt = _pyplot()
    from sklearn.metrics import ConfusionMatrixDisplay

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    display = ConfusionMatrixDisplay.from_predictions(
        y_true,
        y_pred,
        labels=labels,
        display_labels=display_labels,
        normalize=normalize,
        ax=ax,
        cmap=cmap,
        values_format=".2f" if normalize else "d",
        colorbar=False,
    )
    ax.set_title("Confusion matrix" + (f" (normalised over {normalize})" if normalize else ""))
    return display


def _history_rows(history):
    if hasattr(history, "history_"):
        history = history.history_
    elif hasattr(history, "history") and not isinstance(history, list | tuple):
        history = history.history
    rows = list(history)
    if not rows or not all(isinstance(r, dict) for r in rows):
        raise ValueError(
            "plot_training_curves expects a fitted skorch net or its history: a non-empty "
            f"list of per-epoch dicts; got {type(history).__name__} with {len(rows)} rows."
        )
    return rows


# Per-epoch bookkeeping of skorch's history, not a curve of the training.
_NOT_CURVES = ("epoch", "dur", "batches", "train_batch_count", "valid_batch_count")


def plot_training_curves(history, *, keys=None, ax=None):
    """Training curves from a skorch history: losses and per-epoch scores.

    Parameters
    ----------
    history : skorch net, skorch History or list of dict
        A fitted skorch net (its ``history``) or the per-epoch records
        themselves (``{"epoch": 1, "train_loss": ..., "valid_loss": ...}``).
    keys : list of str, default=None
        Columns to plot; by default every numeric per-epoch key except the
        bookkeeping ones: ``epoch``, ``dur``, skorch's ``train_batch_count``
        and ``valid_batch_count`` (and any other ``*_count``), and the
        ``*_best`` flags.
    ax : matplotlib Axes, default=None
        Where to draw. By default a figure with one panel for losses and,
        if any, one for other scores.

    Returns
    -------
    axes : list of matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skemotion.model_selection import plot_training_curves
    >>> history = [{"epoch": e, "train_loss": 1 / e, "valid_loss": 1.2 / e, "valid_acc": e / 4}
    ...            for e in range(1, 5)]
    >>> [a.get_ylabel() for a in plot_training_curves(history)]
    ['loss', 'score']
    """
    plt = _pyplot()
    rows = _history_rows(history)
    if keys is None:
        keys = []
        for k, v in rows[-1].items():
            if k in _NOT_CURVES or k.endswith(("_best", "_count")):
                continue
            if isinstance(v, int | float | np.number) and not isinstance(v, bool):
                keys.append(k)
    missing = [k for k in keys if any(k not in r for r in rows)]
    if missing:
        raise ValueError(
            f"plot_training_curves: keys {missing} are missing from some epochs of the history; "
            f"the last epoch has {sorted(rows[-1])}."
        )
    if not keys:
        raise ValueError("plot_training_curves: the history has no numeric per-epoch values.")
    epochs = [r.get("epoch", i + 1) for i, r in enumerate(rows)]
    losses = [k for k in keys if k.endswith("loss")]
    scores = [k for k in keys if not k.endswith("loss")]
    groups = [(g, label) for g, label in ((losses, "loss"), (scores, "score")) if g]
    if ax is None:
        _, axes = plt.subplots(1, len(groups), figsize=(4.5 * len(groups), 3.5), squeeze=False)
        axes = list(axes[0])
    else:
        axes = [ax] * len(groups)
    for a, (group, label) in zip(axes, groups, strict=True):
        for k in group:
            a.plot(epochs, [float(r[k]) for r in rows], marker="o", markersize=3, label=k)
        a.set_xlabel("epoch")
        a.set_ylabel(label)
        a.legend()
    return axes if ax is None else [ax]


def plot_timeline(times, y_true, y_pred, *, label="valence", ax=None):
    """Predicted vs. annotated continuous affect over time, with the CCC.

    Parameters
    ----------
    times : array-like of shape (n_samples,)
        Time of each value in seconds (non-decreasing).
    y_true : array-like of shape (n_samples,)
        Annotation (e.g. the mean of the raters).
    y_pred : array-like of shape (n_samples,)
        Prediction.
    label : str, default="valence"
        The dimension, used on the y axis.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skemotion.model_selection import plot_timeline
    >>> t = np.arange(0, 10, 0.04)
    >>> ax = plot_timeline(t, np.sin(t / 2), 0.8 * np.sin(t / 2 - 0.2))
    >>> ax.get_title()
    'valence over time (CCC = 0.946)'
    """
    plt = _pyplot()
    from ..metrics import concordance_correlation_coefficient

    arrays = {}
    for name, a in (("times", times), ("y_true", y_true), ("y_pred", y_pred)):
        a = np.asarray(a, dtype=float)
        if a.ndim != 1:
            raise ValueError(
                f"plot_timeline: expected {name} of shape (n_samples,); got {a.shape}."
            )
        arrays[name] = a
    n = {k: len(v) for k, v in arrays.items()}
    if len(set(n.values())) != 1:
        raise ValueError(f"plot_timeline: times, y_true and y_pred differ in length: {n}.")
    t = arrays["times"]
    if np.any(np.diff(t) < 0):
        raise ValueError(
            "plot_timeline: times must be non-decreasing (one value per frame, in order)."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3))
    ax.plot(t, arrays["y_true"], label="annotated", color="black", linewidth=1.5)
    ax.plot(t, arrays["y_pred"], label="predicted", color="tab:orange", linewidth=1.2)
    ccc = concordance_correlation_coefficient(arrays["y_true"], arrays["y_pred"])
    ax.set_title(f"{label} over time (CCC = {ccc:.3f})")
    ax.set_xlabel("time (s)")
    ax.set_ylabel(label)
    ax.legend(loc="upper right")
    return ax
