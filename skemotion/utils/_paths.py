"""Coercion of an ``X`` of media paths (video and audio estimators) to a 1-D array of str."""

import os

import numpy as np

__all__ = ["as_paths"]


def as_paths(X, owner="FrameSampler", *, allow_empty=False):
    """Return ``X`` as a 1-D object ndarray of ``str`` paths (or media fragments).

    Accepts a list or tuple, a 1-D ndarray (or an ``(n, 1)`` one), a pandas
    Series or a one-column DataFrame, each holding ``str`` or ``os.PathLike``
    items. Order is kept; nothing is dropped.

    Parameters
    ----------
    X : array-like of str or os.PathLike
        The paths.
    owner : str, default="FrameSampler"
        Name used in error messages.
    allow_empty : bool, default=False
        Whether zero paths are accepted.

    Returns
    -------
    paths : ndarray of shape (n_samples,), dtype=object
        ``os.fspath`` of each item.

    Raises
    ------
    ValueError
        For a single path, a 2-D input with more than one column, an item that
        is not a path, or an empty input.

    Examples
    --------
    >>> from pathlib import Path
    >>> from skemotion.utils._paths import as_paths
    >>> as_paths([Path("a.mp4"), "b.wav"], "AudioLoader")
    array(['a.mp4', 'b.wav'], dtype=object)
    """
    if isinstance(X, str | bytes | os.PathLike):
        raise ValueError(
            f"{owner} expects a 1-D array-like of paths; got a single path {os.fspath(X)!r}. "
            "Wrap it in a list: [path]."
        )
    if hasattr(X, "columns") and hasattr(X, "iloc"):  # pandas DataFrame
        if X.shape[1] != 1:
            raise ValueError(
                f"{owner} expects a 1-D array-like of paths or a one-column DataFrame; "
                f"got a DataFrame with {X.shape[1]} columns {list(X.columns)!r}."
            )
        values = X.iloc[:, 0].to_numpy(dtype=object)
    elif hasattr(X, "to_numpy"):  # pandas Series (or similar)
        values = X.to_numpy(dtype=object)
    else:
        if not hasattr(X, "__len__") and not hasattr(X, "__array__"):
            raise ValueError(
                f"{owner} expects a 1-D array-like of paths (list, ndarray, pandas Series or "
                f"one-column DataFrame); got {type(X).__name__}."
            )
        values = np.empty(len(X), dtype=object)
        if isinstance(X, np.ndarray):
            if X.ndim == 2 and X.shape[1] == 1:
                X = X[:, 0]
            elif X.ndim != 1:
                raise ValueError(
                    f"{owner} expects a 1-D array-like of paths; got an array of shape {X.shape}."
                )
        for i, item in enumerate(X):
            values[i] = item
    if values.ndim != 1:
        raise ValueError(f"{owner} expects a 1-D array-like of paths; got shape {values.shape}.")
    if len(values) == 0 and not allow_empty:
        raise ValueError(
            "Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required by "
            f"{owner}."
        )
    out = np.empty(len(values), dtype=object)
    for i, item in enumerate(values):
        if isinstance(item, np.str_):
            item = str(item)
        if not isinstance(item, str | os.PathLike):
            raise ValueError(
                f"{owner} expects every item of X to be a str or os.PathLike path; "
                f"item {i} is {type(item).__name__} {item!r}."
            )
        out[i] = os.fspath(item)
    return out
