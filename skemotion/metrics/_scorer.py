"""Scorer objects for ``scoring=`` in GridSearchCV, cross_validate and OptunaSearch."""

import numpy as np
from sklearn.metrics import get_scorer as _sklearn_get_scorer
from sklearn.metrics import get_scorer_names as _sklearn_get_scorer_names
from sklearn.metrics import make_scorer

from ._regression import concordance_correlation_coefficient, pearson_r

__all__ = ["ccc_scorer", "pearson_scorer", "get_scorer", "get_scorer_names", "per_output_scorers"]

ccc_scorer = make_scorer(concordance_correlation_coefficient)
ccc_scorer.__doc__ = """Scorer for :func:`concordance_correlation_coefficient` (greater is better).

Outputs are averaged uniformly. Use :func:`per_output_scorers` for one score
per rater or dimension.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import Ridge
>>> from sklearn.model_selection import cross_val_score
>>> from skemotion.metrics import ccc_scorer
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(40, 3))
>>> y = X @ [0.5, -0.2, 0.1] + 0.1 * rng.normal(size=40)
>>> bool(cross_val_score(Ridge(), X, y, cv=4, scoring=ccc_scorer).mean() > 0.8)
True
"""

pearson_scorer = make_scorer(pearson_r)
pearson_scorer.__doc__ = """Scorer for :func:`pearson_r` (greater is better).

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import Ridge
>>> from skemotion.metrics import pearson_scorer
>>> X = np.arange(10.0)[:, None]
>>> pearson_scorer(Ridge().fit(X, 3 * X.ravel()), X, 3 * X.ravel())
1.0
"""

# Scorers are instances, which doctest does not search; list their examples here.
__test__ = {"ccc_scorer": ccc_scorer.__doc__, "pearson_scorer": pearson_scorer.__doc__}

_METRICS = {
    "ccc": concordance_correlation_coefficient,
    "concordance_correlation_coefficient": concordance_correlation_coefficient,
    "pearson_r": pearson_r,
}
_SCORERS = {
    "ccc": ccc_scorer,
    "concordance_correlation_coefficient": ccc_scorer,
    "pearson_r": pearson_scorer,
}


def get_scorer_names():
    """All names accepted by :func:`get_scorer`: scikit-learn's plus skemotion's.

    Returns
    -------
    names : list of str
        Sorted.

    Examples
    --------
    >>> from skemotion.metrics import get_scorer_names
    >>> "ccc" in get_scorer_names() and "accuracy" in get_scorer_names()
    True
    """
    return sorted(set(_sklearn_get_scorer_names()) | set(_SCORERS))


def get_scorer(scoring):
    """Get a scorer from its name, extending :func:`sklearn.metrics.get_scorer`.

    Parameters
    ----------
    scoring : str, callable or None
        ``"ccc"`` (alias ``"concordance_correlation_coefficient"``),
        ``"pearson_r"``, or any of scikit-learn's scorer names. Callables and
        ``None`` are returned unchanged, as in scikit-learn.

    Returns
    -------
    scorer : callable
        Usable as ``scoring=`` in any scikit-learn search or CV function.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid names.

    Examples
    --------
    >>> from skemotion.metrics import get_scorer
    >>> get_scorer("ccc")
    make_scorer(concordance_correlation_coefficient, response_method='predict')
    >>> get_scorer("accuracy")
    make_scorer(accuracy_score, response_method='predict')
    """
    if isinstance(scoring, str):
        if scoring in _SCORERS:
            return _SCORERS[scoring]
        if scoring not in _sklearn_get_scorer_names():
            raise ValueError(
                f"{scoring!r} is not a valid scoring value. Use skemotion.metrics."
                f"get_scorer_names() to get valid options: {get_scorer_names()}."
            )
    return _sklearn_get_scorer(scoring)


def resolve_scoring(scoring, owner):
    """A ``scoring`` parameter with every scorer name resolved through :func:`get_scorer`.

    scikit-learn's searches and ``cross_validate`` resolve names themselves but
    do not know skemotion's (``"ccc"``), so skemotion's searches resolve them
    first: a name becomes a scorer, a list of names a dict of scorers, and a
    dict keeps its keys.

    Parameters
    ----------
    scoring : None, str, callable, list, tuple, set or dict
        The parameter as given.
    owner : str
        Who owns the parameter, for the error message.

    Returns
    -------
    scoring : None, callable or dict
        ``None`` and callables unchanged.

    Raises
    ------
    ValueError
        For another type, or an unknown name.

    Examples
    --------
    >>> from skemotion.metrics._scorer import resolve_scoring
    >>> sorted(resolve_scoring(["ccc", "r2"], "nested_cross_validate"))
    ['ccc', 'r2']
    """
    if scoring is None or callable(scoring):
        return scoring
    if isinstance(scoring, str):
        return get_scorer(scoring)
    if isinstance(scoring, list | tuple | set):
        return {name: get_scorer(name) for name in scoring}
    if isinstance(scoring, dict):
        return {k: get_scorer(v) if isinstance(v, str) else v for k, v in scoring.items()}
    raise ValueError(
        f"The 'scoring' parameter of {owner} must be None, a str, a callable, a list of "
        f"str or a dict of str to scorers. Got {scoring!r} instead."
    )


def per_output_scorers(metric, n_outputs, *, output_names=None):
    """One scorer per output (rater or affect dimension), plus their average.

    Continuous-affect corpora annotate each clip by several raters, or by
    valence and arousal. Pass the returned dict as ``scoring=`` to report every
    output, and select with ``refit=<metric name>`` on the average.

    Parameters
    ----------
    metric : {"ccc", "pearson_r"} or callable
        A metric name, or a function ``metric(y_true, y_pred, *, multioutput)``
        that accepts output weights as ``multioutput`` (as scikit-learn's
        regression metrics do).
    n_outputs : int
        Number of columns in ``y``.
    output_names : list of str, default=None
        Names for the outputs (e.g. ``["valence", "arousal"]``); defaults to
        ``0, 1, ...``.

    Returns
    -------
    scorers : dict of str to scorer
        ``{name: uniform average, f"{name}_{output}": one output, ...}`` where
        ``name`` is the metric's name.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import cross_validate
    >>> from skemotion.metrics import per_output_scorers
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 2))
    >>> Y = np.c_[X[:, 0], X[:, 0] + rng.normal(size=40)]  # two raters
    >>> scoring = per_output_scorers("ccc", 2, output_names=["rater1", "rater2"])
    >>> sorted(scoring)
    ['ccc', 'ccc_rater1', 'ccc_rater2']
    >>> res = cross_validate(Ridge(), X, Y, cv=4, scoring=scoring)
    >>> bool(res["test_ccc_rater1"].mean() > res["test_ccc_rater2"].mean())
    True
    """
    if isinstance(metric, str):
        if metric not in _METRICS:
            raise ValueError(
                f"The 'metric' parameter of per_output_scorers must be a str among "
                f"{{'ccc', 'pearson_r'}} or a callable. Got {metric!r} instead."
            )
        name, func = metric, _METRICS[metric]
    elif callable(metric):
        name, func = getattr(metric, "__name__", "score"), metric
    else:
        raise ValueError(
            f"The 'metric' parameter of per_output_scorers must be a str among "
            f"{{'ccc', 'pearson_r'}} or a callable. Got {metric!r} instead."
        )
    if isinstance(n_outputs, bool) or not isinstance(n_outputs, int | np.integer) or n_outputs < 1:
        raise ValueError(
            f"The 'n_outputs' parameter of per_output_scorers must be an int in the range "
            f"[1, inf). Got {n_outputs!r} instead."
        )
    if output_names is None:
        output_names = [str(i) for i in range(n_outputs)]
    output_names = [str(o) for o in output_names]
    if len(output_names) != n_outputs or len(set(output_names)) != n_outputs:
        raise ValueError(
            f"per_output_scorers: expected {n_outputs} distinct output_names; got {output_names!r}."
        )
    scorers = {name: make_scorer(func, multioutput="uniform_average")}
    for i, out in enumerate(output_names):
        weights = np.zeros(n_outputs)
        weights[i] = 1.0
        scorers[f"{name}_{out}"] = make_scorer(func, multioutput=weights)
    return scorers
