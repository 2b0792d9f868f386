"""Tests for the scorer objects and get_scorer / per_output_scorers."""

import pickle
import re

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from skemotion.metrics import (
    ccc_scorer,
    concordance_correlation_coefficient,
    get_scorer,
    get_scorer_names,
    pearson_r,
    pearson_scorer,
    per_output_scorers,
)


@pytest.fixture
def two_raters():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    signal = X @ [1.0, -0.5, 0.0]
    Y = np.c_[signal + 0.1 * rng.normal(size=60), 0.5 * signal + 1.0 * rng.normal(size=60)]
    return X, Y


def test_scorers_compute_the_metric(two_raters):
    """Check that the scorers equal the metric on the estimator's predictions."""
    X, Y = two_raters
    model = Ridge().fit(X, Y)
    assert ccc_scorer(model, X, Y) == pytest.approx(
        concordance_correlation_coefficient(Y, model.predict(X))
    )
    assert pearson_scorer(model, X, Y) == pytest.approx(pearson_r(Y, model.predict(X)))
    assert get_scorer("ccc") is ccc_scorer
    assert get_scorer("pearson_r") is pearson_scorer
    assert get_scorer("r2")(model, X, Y) == pytest.approx(model.score(X, Y))


def test_scorer_in_grid_search_and_cross_validate(two_raters):
    """Check that ccc_scorer works as scoring= and selects by CCC."""
    X, Y = two_raters
    cv = KFold(3)
    search = GridSearchCV(Ridge(), {"alpha": [0.01, 1000.0]}, cv=cv, scoring=ccc_scorer).fit(X, Y)
    expected = [
        np.mean(
            [
                concordance_correlation_coefficient(
                    Y[te], Ridge(alpha=a).fit(X[tr], Y[tr]).predict(X[te])
                )
                for tr, te in cv.split(X)
            ]
        )
        for a in (0.01, 1000.0)
    ]
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], expected)
    assert search.best_params_ == {"alpha": 0.01}  # heavy shrinkage kills the scale -> low CCC
    res = cross_validate(Ridge(), X, Y, cv=cv, scoring={"ccc": ccc_scorer, "r": "r2"})
    assert res["test_ccc"].shape == (3,)


def test_per_output_scorers(two_raters):
    """Check that per-output scorers score one column each and the average scores all."""
    X, Y = two_raters
    model = Ridge().fit(X[:40], Y[:40])
    scorers = per_output_scorers("ccc", 2, output_names=["r1", "r2"])
    raw = concordance_correlation_coefficient(
        Y[40:], model.predict(X[40:]), multioutput="raw_values"
    )
    assert scorers["ccc_r1"](model, X[40:], Y[40:]) == pytest.approx(raw[0])
    assert scorers["ccc_r2"](model, X[40:], Y[40:]) == pytest.approx(raw[1])
    assert scorers["ccc"](model, X[40:], Y[40:]) == pytest.approx(raw.mean())
    assert sorted(per_output_scorers(pearson_r, 2)) == ["pearson_r", "pearson_r_0", "pearson_r_1"]
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=3, scoring=scorers, refit="ccc")
    search.fit(X, Y)
    assert "mean_test_ccc_r2" in search.cv_results_


def test_scorers_pickle(two_raters):
    """Check that scorers survive pickling (needed by joblib process workers)."""
    X, Y = two_raters
    model = Ridge().fit(X, Y)
    for scorer in [ccc_scorer, pearson_scorer, *per_output_scorers("ccc", 2).values()]:
        assert pickle.loads(pickle.dumps(scorer))(model, X, Y) == scorer(model, X, Y)


def test_get_scorer_names():
    """Check that skemotion's names extend scikit-learn's."""
    names = get_scorer_names()
    assert {"ccc", "pearson_r", "accuracy", "neg_root_mean_squared_error"} <= set(names)
    assert callable(get_scorer(ccc_scorer)) and get_scorer(None) is None


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (lambda: get_scorer("cc"), "'cc' is not a valid scoring value."),
        (
            lambda: per_output_scorers("rmse", 2),
            "The 'metric' parameter of per_output_scorers must be a str among "
            "{'ccc', 'pearson_r'} or a callable. Got 'rmse' instead.",
        ),
        (
            lambda: per_output_scorers("ccc", 0),
            "The 'n_outputs' parameter of per_output_scorers must be an int in the range "
            "[1, inf). Got 0 instead.",
        ),
        (
            lambda: per_output_scorers("ccc", 2, output_names=["a", "a"]),
            "per_output_scorers: expected 2 distinct output_names; got ['a', 'a'].",
        ),
    ],
)
def test_errors(call, msg):
    """Check that bad names and sizes raise clear errors."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        call()
