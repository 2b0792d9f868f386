"""The internal train/validation split, aware of the groups given to ``fit``.

skorch calls ``train_split(dataset, y, **fit_params)`` and has no place for
the ``groups`` of ``fit`` (fit parameters also go to the network's
``forward``). :func:`bind_train_split` builds, in ``fit``, a split object
that holds the groups, which skorch then calls with its own arguments:
skorch's :class:`~skorch.dataset.ValidSplit` over a one-split scikit-learn
splitter for early stopping, or the user's ``train_split`` with
``groups=`` added.
"""

import functools

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, ShuffleSplit, StratifiedShuffleSplit
from skorch.dataset import ValidSplit

__all__ = ["GroupValidSplit", "bind_train_split"]


class GroupValidSplit(ValidSplit):
    """skorch's ``ValidSplit`` that passes the groups it was made with to ``cv.split``.

    Parameters
    ----------
    cv : int, float or scikit-learn splitter
        As in :class:`skorch.dataset.ValidSplit`; only the first split is used.
    groups : array-like of shape (n_samples,) or None, default=None
        Group labels used when skorch's call brings none.
    random_state : int or None, default=None
        As in :class:`skorch.dataset.ValidSplit` (for a float ``cv``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GroupShuffleSplit
    >>> from skemotion.models._split import GroupValidSplit
    >>> groups = np.repeat([0, 1, 2, 3], 3)
    >>> split = GroupValidSplit(GroupShuffleSplit(1, test_size=0.25, random_state=0), groups=groups)
    >>> train, valid = split(np.zeros((12, 2)))
    >>> len(set(groups[valid.indices])), set(groups[train.indices]) & set(groups[valid.indices])
    (1, set())
    """

    def __init__(self, cv=5, groups=None, random_state=None):
        super().__init__(cv, stratified=False, random_state=random_state)
        self.groups = groups

    def __call__(self, dataset, y=None, groups=None):
        return super().__call__(dataset, y, groups=self.groups if groups is None else groups)


def _early_stopping_cv(fraction, y, groups, stratify, seed):
    if groups is not None:
        if len(np.unique(groups)) < 2:
            raise ValueError(
                "early_stopping=True with groups needs at least 2 distinct groups to hold "
                "some out for validation."
            )
        return GroupShuffleSplit(1, test_size=fraction, random_state=seed)
    # stratify classes when every class can appear on both sides
    if stratify and np.min(np.bincount(np.asarray(y))) >= 2:
        return StratifiedShuffleSplit(1, test_size=fraction, random_state=seed)
    return ShuffleSplit(1, test_size=fraction, random_state=seed)


def bind_train_split(est, y, groups, seed):
    """The split ``est`` trains with in this call: ``None``, the user's, or early stopping's.

    Parameters
    ----------
    est : estimator
        Reads ``train_split``, ``early_stopping``, ``validation_fraction``.
    y : ndarray
        Encoded targets (class codes for classifiers).
    groups : ndarray or None
        Groups given to ``fit``.
    seed : int or None
        The fit's seed.

    Returns
    -------
    split : callable or None
        Called by skorch as ``split(dataset, y, **fit_params)``.
    """
    if est.train_split is not None:
        if groups is None:
            return est.train_split
        return functools.partial(est.train_split, groups=groups)
    if not est.early_stopping:
        return None
    if seed is None:  # fresh entropy from the OS: sklearn would draw from numpy's global state
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    cv = _early_stopping_cv(est.validation_fraction, y, groups, est._is_classifier, seed)
    return GroupValidSplit(cv, groups=groups)
