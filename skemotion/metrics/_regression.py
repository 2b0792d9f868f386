"""Agreement metrics for continuous affect: CCC and Pearson's r (numpy only).

Both follow scikit-learn's regression metrics: ``y_true`` and ``y_pred`` of
shape ``(n_samples,)`` or ``(n_samples, n_outputs)`` (one column per rater or
per affect dimension), optional ``sample_weight`` and ``multioutput``.
"""

import numpy as np

__all__ = ["concordance_correlation_coefficient", "pearson_r"]

_MULTIOUTPUT = ("raw_values", "uniform_average")


def _check_targets(func, y_true, y_pred, sample_weight, multioutput):
    """Validate inputs; return float64 2-D arrays, normalised weights and the output weights."""
    arrays = {}
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        try:
            a = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{func}: expected {name} to be a numeric array-like of shape (n_samples,) or "
                f"(n_samples, n_outputs); could not convert it to float ({exc})."
            ) from None
        if a.ndim == 1:
            a = a[:, None]
        if a.ndim != 2:
            raise ValueError(
                f"{func}: expected {name} of shape (n_samples,) or (n_samples, n_outputs); "
                f"got {np.shape(y)}."
            )
        if a.shape[0] == 0:
            raise ValueError(f"{func}: {name} is empty; at least one sample is required.")
        if not np.isfinite(a).all():
            raise ValueError(f"{func}: {name} contains NaN or infinity.")
        arrays[name] = a
    t, p = arrays["y_true"], arrays["y_pred"]
    if t.shape[0] != p.shape[0]:
        raise ValueError(
            f"{func}: y_true and y_pred have different numbers of samples "
            f"({t.shape[0]} != {p.shape[0]})."
        )
    if t.shape[1] != p.shape[1]:
        raise ValueError(
            f"{func}: y_true and y_pred have different numbers of outputs "
            f"({t.shape[1]} != {p.shape[1]})."
        )
    n, k = t.shape
    if sample_weight is None:
        w = np.full(n, 1.0 / n)
    else:
        w = np.asarray(sample_weight, dtype=np.float64)
        if w.shape != (n,):
            raise ValueError(
                f"{func}: expected sample_weight of shape ({n},) to match y_true; got {w.shape}."
            )
        if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
            raise ValueError(
                f"{func}: sample_weight must be finite and non-negative with a positive sum."
            )
        w = w / w.sum()
    if isinstance(multioutput, str):
        if multioutput not in _MULTIOUTPUT:
            raise ValueError(
                f"The 'multioutput' parameter of {func} must be a str among "
                f"{{'raw_values', 'uniform_average'}} or an array-like of shape (n_outputs,). "
                f"Got {multioutput!r} instead."
            )
        output_weights = multioutput
    else:
        output_weights = np.asarray(multioutput, dtype=np.float64)
        if output_weights.shape != (k,):
            raise ValueError(
                f"{func}: expected multioutput weights of shape ({k},) (one per output); "
                f"got {output_weights.shape}."
            )
    return t, p, w, output_weights


def _moments(t, p, w):
    """Weighted means, population variances and covariance per column."""
    mean_t = w @ t
    mean_p = w @ p
    dt = t - mean_t
    dp = p - mean_p
    var_t = w @ (dt * dt)
    var_p = w @ (dp * dp)
    cov = w @ (dt * dp)
    return mean_t, mean_p, var_t, var_p, cov


def _constant(a, w):
    """Per column: True when every sample with positive weight has the same value."""
    kept = a[w > 0]
    return (kept == kept[:1]).all(axis=0)


def _aggregate(scores, output_weights):
    if isinstance(output_weights, str):
        if output_weights == "raw_values":
            return scores
        return float(np.mean(scores))
    return float(np.average(scores, weights=output_weights))


def _check_force_finite(func, force_finite):
    if not isinstance(force_finite, bool | np.bool_):
        raise ValueError(
            f"The 'force_finite' parameter of {func} must be an instance of 'bool'. "
            f"Got {force_finite!r} instead."
        )


def concordance_correlation_coefficient(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True
):
    r"""Lin's concordance correlation coefficient (CCC).

    CCC measures agreement, not only association: it is Pearson's correlation
    penalised for any shift in location or scale between prediction and truth,
    which is why continuous-affect challenges (AVEC, RECOLA, SEWA) rank systems
    on it. Select models on the metric you report: use :data:`ccc_scorer` (or
    ``scoring="ccc"`` through :func:`get_scorer`) rather than RMSE.

    .. math::

        \rho_c = \frac{2 \sigma_{tp}}{\sigma_t^2 + \sigma_p^2 + (\mu_t - \mu_p)^2}

    with population (``1/n``, or weighted) means, variances and covariance.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Ground truth, e.g. valence annotations (one column per rater or dimension).
    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Predictions.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    multioutput : {"raw_values", "uniform_average"} or array-like of shape (n_outputs,), default="uniform_average"
        How to combine several outputs: return one score per output, their
        mean, or their weighted mean.
    force_finite : bool, default=True
        The only undefined case is ``0/0``: truth and prediction both constant
        and equal, which is perfect agreement and gives ``1.0``. With
        ``force_finite=False`` it gives ``nan`` instead. A constant on one side
        only is well defined and gives ``0.0`` (no covariance).

    Returns
    -------
    score : float or ndarray of shape (n_outputs,)
        In ``[-1, 1]``; 1 is perfect agreement. An array when
        ``multioutput="raw_values"``.

    See Also
    --------
    pearson_r : Correlation, blind to shift and scale.
    ccc_scorer : This metric as a scorer for ``scoring=``.

    References
    ----------
    .. [1] L. I-K. Lin, "A concordance correlation coefficient to evaluate
       reproducibility", Biometrics 45(1), 255-268, 1989.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.metrics import concordance_correlation_coefficient, pearson_r
    >>> y = np.array([0.1, 0.4, -0.2, 0.3, 0.0])
    >>> concordance_correlation_coefficient(y, y)
    1.0
    >>> round(concordance_correlation_coefficient(y, 2 * y + 0.5), 3)  # shift and scale
    0.298
    >>> pearson_r(y, 2 * y + 0.5)
    1.0
    >>> concordance_correlation_coefficient(np.c_[y, y], np.c_[y, 2 * y + 0.5],
    ...                                     multioutput="raw_values").round(3)
    array([1.   , 0.298])
    """
    func = "concordance_correlation_coefficient"
    _check_force_finite(func, force_finite)
    t, p, w, output_weights = _check_targets(func, y_true, y_pred, sample_weight, multioutput)
    mean_t, mean_p, var_t, var_p, cov = _moments(t, p, w)
    denominator = var_t + var_p + (mean_t - mean_p) ** 2
    # 0/0 only when both sides are constant and equal; test exactly, not via rounding.
    const_t, const_p = _constant(t, w), _constant(p, w)
    both_equal = const_t & const_p & (t[w > 0][0] == p[w > 0][0])
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = 2 * cov / np.where(both_equal, 1.0, denominator)
    # A constant side has exactly zero covariance; do not let rounding say otherwise.
    scores = np.where(const_t | const_p, 0.0, scores)
    scores = np.where(both_equal, np.nan, scores)
    if force_finite:
        scores = np.where(both_equal, 1.0, scores)
    scores = np.clip(scores, -1.0, 1.0)  # rounding can exceed 1 by an ulp
    return _aggregate(scores, output_weights)


def pearson_r(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True
):
    r"""Pearson's correlation coefficient between truth and prediction.

    .. math::

        r = \frac{\sigma_{tp}}{\sigma_t \sigma_p}

    Unlike :func:`concordance_correlation_coefficient` it ignores shift and
    scale: ``pearson_r(y, 2 * y + 1) == 1``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Ground truth.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Predictions.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    multioutput : {"raw_values", "uniform_average"} or array-like of shape (n_outputs,), default="uniform_average"
        How to combine several outputs.
    force_finite : bool, default=True
        Correlation is undefined when either side is constant. Like
        :func:`sklearn.metrics.r2_score`, such an output scores ``1.0`` when
        prediction equals truth exactly and ``0.0`` otherwise; with
        ``force_finite=False`` it is ``nan``.

    Returns
    -------
    score : float or ndarray of shape (n_outputs,)
        In ``[-1, 1]``.

    See Also
    --------
    concordance_correlation_coefficient : Agreement, penalising shift and scale.

    Examples
    --------
    >>> from skemotion.metrics import pearson_r
    >>> round(pearson_r([1.0, 2.0, 3.0], [2.0, 4.0, 7.0]), 4)
    0.9934
    >>> pearson_r([1.0, 1.0, 1.0], [2.0, 4.0, 7.0])  # constant truth
    0.0
    """
    func = "pearson_r"
    _check_force_finite(func, force_finite)
    t, p, w, output_weights = _check_targets(func, y_true, y_pred, sample_weight, multioutput)
    _, _, var_t, var_p, cov = _moments(t, p, w)
    undefined = _constant(t, w) | _constant(p, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(undefined, np.nan, cov / np.sqrt(np.where(undefined, 1.0, var_t * var_p)))
    if force_finite:
        identical = (t[w > 0] == p[w > 0]).all(axis=0)
        scores = np.where(undefined, np.where(identical, 1.0, 0.0), scores)
    scores = np.clip(scores, -1.0, 1.0)
    return _aggregate(scores, output_weights)
