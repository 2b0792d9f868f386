"""Grouped (actor- or speaker-independent) model selection, end to end.

Clips of one actor share identity cues (face, voice, recording setup). If the
same actor appears on both sides of any split, scores measure recognition of
the actor rather than of the emotion, and come out too high. Three splits must
respect the groups: the outer evaluation CV, the inner search CV, and each
network's early-stopping split. scikit-learn's metadata routing carries
``groups`` to all three; :func:`nested_cross_validate` wires it in one call.
"""

from numbers import Integral

import numpy as np
from sklearn import config_context
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.utils.metadata_routing import get_routing_for_object

from ..metrics._scorer import resolve_scoring
from ._optuna import _final_step

__all__ = ["check_group_cv", "nested_cross_validate"]


def check_group_cv(cv, *, name="cv"):
    """Return a splitter that splits by groups, or raise.

    Parameters
    ----------
    cv : int or cross-validation generator
        An int means ``GroupKFold(cv)``. A splitter must use ``groups`` in its
        ``split`` (``GroupKFold``, ``StratifiedGroupKFold``,
        ``LeaveOneGroupOut``, ``GroupShuffleSplit``, ...).
    name : str, default="cv"
        How the parameter is named in the error message.

    Returns
    -------
    cv : cross-validation generator

    Raises
    ------
    ValueError
        If ``cv`` ignores groups (e.g. ``KFold``), which would leak identities.

    Examples
    --------
    >>> from sklearn.model_selection import KFold
    >>> from skemotion.model_selection import check_group_cv
    >>> check_group_cv(3)
    GroupKFold(n_splits=3, random_state=None, shuffle=False)
    >>> check_group_cv(KFold(3))
    Traceback (most recent call last):
    ...
    ValueError: The 'cv' parameter must be an int or a group-aware splitter such as GroupKFold(5); got KFold(n_splits=3, random_state=None, shuffle=False), which ignores groups and would put one actor's clips on both sides of a split.
    """
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        return GroupKFold(n_splits=int(cv))
    uses_groups = False
    if hasattr(cv, "split"):
        try:
            uses_groups = "groups" in get_routing_for_object(cv).consumes("split", ["groups"])
        except Exception:  # noqa: BLE001 - objects without routing info
            uses_groups = False
    if not uses_groups:
        raise ValueError(
            f"The {name!r} parameter must be an int or a group-aware splitter such as "
            f"GroupKFold(5); got {cv!r}, which ignores groups and would put one actor's clips "
            "on both sides of a split."
        )
    return cv


def nested_cross_validate(
    search,
    X,
    y=None,
    *,
    groups,
    cv=5,
    scoring=None,
    fit_groups=False,
    n_jobs=None,
    return_estimator=False,
    error_score=np.nan,
    **params,
):
    """Evaluate a hyper-parameter search with grouped nested cross-validation.

    The outer CV splits by ``groups`` (actors); in each outer training set
    the search's own CV splits by the same groups; with ``fit_groups=True``
    the final estimator's ``fit`` receives them too, for group-aware early
    stopping. ``groups`` travel through scikit-learn's metadata routing,
    enabled for the duration of this call.

    Parameters
    ----------
    search : estimator
        An unfitted search with a ``cv`` parameter: ``GridSearchCV``,
        ``RandomizedSearchCV`` or :class:`OptunaSearch` (in-memory storage).
        An int ``cv`` becomes ``GroupKFold(cv)``; a splitter that ignores
        groups is an error.
    X : array-like of shape (n_samples, ...)
        Data.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        Targets.
    groups : array-like of shape (n_samples,)
        Actor or speaker id of every sample (``Bunch.groups`` from the loaders).
    cv : int or group-aware splitter, default=5
        Outer CV; an int means ``GroupKFold(cv)``.
    scoring : str, callable, list, dict or None, default=None
        Outer scoring (skemotion names such as ``"ccc"`` accepted). ``None``
        uses ``search.score``, i.e. the inner selection metric.
    fit_groups : bool, default=False
        Also route ``groups`` to the final estimator's ``fit`` (it must accept
        ``groups`` and offer ``set_fit_request``), e.g. a skorch net whose
        ``train_split`` holds out whole actors for early stopping.
    n_jobs : int or None, default=None
        Outer folds in parallel (joblib; use the dask backend for a cluster).
    return_estimator : bool, default=False
        Return the fitted search of every outer fold (``best_params_``...).
    error_score : "raise" or float, default=np.nan
        As in :func:`sklearn.model_selection.cross_validate`.
    **params : dict
        Other fit metadata (e.g. ``sample_weight``), routed where requested.

    Returns
    -------
    results : dict
        :func:`~sklearn.model_selection.cross_validate`'s result: ``test_score``
        (or ``test_<metric>``), ``fit_time``, ``score_time`` and, if asked,
        ``estimator``.

    See Also
    --------
    check_group_cv : The group-aware check applied to both CVs.
    cv_results_frame : The results as a tidy DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skemotion.model_selection import nested_cross_validate
    >>> rng = np.random.default_rng(0)
    >>> y = np.tile([0, 1], 24)
    >>> X = y[:, None] + rng.normal(size=(48, 2))
    >>> groups = np.repeat(np.arange(6), 8)  # 6 actors
    >>> search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)
    >>> res = nested_cross_validate(search, X, y, groups=groups, cv=3)
    >>> res["test_score"].shape
    (3,)
    """
    if groups is None:
        raise ValueError(
            "nested_cross_validate needs groups (actor or speaker ids, one per sample); got None."
        )
    n_samples = len(X)
    if len(groups) != n_samples:
        raise ValueError(
            f"nested_cross_validate: groups has {len(groups)} entries but X has {n_samples} "
            "samples; expected one group id per sample."
        )
    if not hasattr(search, "cv") or not hasattr(search, "fit"):
        raise ValueError(
            "The 'search' parameter of nested_cross_validate must be a search estimator with a "
            f"'cv' parameter (GridSearchCV, RandomizedSearchCV, OptunaSearch); got {search!r}."
        )
    params_of_search = search.get_params(deep=False)
    if params_of_search.get("storage") is not None and params_of_search.get("study_name"):
        raise ValueError(
            "nested_cross_validate: the search has storage and study_name="
            f"{params_of_search['study_name']!r}, so every outer fold would add its trials to "
            "one study and resume the others' search. Use storage=None (or study_name=None) "
            "for the inner search."
        )
    outer = check_group_cv(cv, name="cv")
    search = clone(search)
    inner = check_group_cv(5 if search.cv is None else search.cv, name="search.cv")
    with config_context(enable_metadata_routing=True):
        search.set_params(cv=inner)
        if fit_groups:
            _, final = _final_step(search.estimator)
            try:
                final.set_fit_request(groups=True)
            except (AttributeError, TypeError) as exc:
                raise ValueError(
                    f"fit_groups=True needs the final estimator to accept groups in fit; "
                    f"{type(final).__name__}.set_fit_request(groups=True) failed: {exc}"
                ) from None
        return cross_validate(
            search,
            X,
            y,
            cv=outer,
            scoring=resolve_scoring(scoring, "nested_cross_validate"),
            params={"groups": groups, **params},
            n_jobs=n_jobs,
            return_estimator=return_estimator,
            error_score=error_score,
        )
