"""Tests for concordance_correlation_coefficient and pearson_r."""

import re

import numpy as np
import pytest

from skemotion.metrics import concordance_correlation_coefficient as ccc
from skemotion.metrics import pearson_r


def _ccc_direct(t, p):
    """Lin's formula written out with explicit sums (population moments)."""
    n = len(t)
    mt, mp = sum(t) / n, sum(p) / n
    vt = sum((a - mt) ** 2 for a in t) / n
    vp = sum((b - mp) ** 2 for b in p) / n
    cov = sum((a - mt) * (b - mp) for a, b in zip(t, p, strict=True)) / n
    return 2 * cov / (vt + vp + (mt - mp) ** 2)


def test_ccc_matches_direct_formula_on_random_data():
    """Check that CCC equals Lin's formula computed independently on random data."""
    rng = np.random.default_rng(0)
    for _ in range(5):
        t = rng.normal(size=50)
        p = 0.7 * t + rng.normal(0.3, 0.5, size=50)
        assert ccc(t, p) == pytest.approx(_ccc_direct(list(t), list(p)), rel=1e-12)
        # and Pearson equals numpy's corrcoef
        assert pearson_r(t, p) == pytest.approx(np.corrcoef(t, p)[0, 1], rel=1e-12)


def test_ccc_known_values():
    """Check that CCC is 1 for perfect agreement and that shift and scale lower it, Pearson not."""
    y = np.array([1.0, 2.0, 3.0])
    assert ccc(y, y) == 1.0
    # shift by 1: cov = var = 2/3, so CCC = (4/3) / (4/3 + 1) = 4/7
    assert ccc(y, y + 1) == pytest.approx(4 / 7)
    assert pearson_r(y, y + 1) == pytest.approx(1.0)
    # scale by 2 around the same mean: var_p = 8/3, cov = 4/3 -> CCC = (8/3) / (2/3 + 8/3) = 0.8
    assert ccc(y, 2 * (y - 2) + 2) == pytest.approx(0.8)
    assert pearson_r(y, 2 * (y - 2) + 2) == pytest.approx(1.0)
    # perfect disagreement around zero mean
    z = np.array([-1.0, 0.0, 1.0])
    assert ccc(z, -z) == pytest.approx(-1.0)
    assert pearson_r(z, -z) == pytest.approx(-1.0)


def test_ccc_constant_inputs_are_defined():
    """Check the documented results when one or both sides are constant."""
    y = np.array([0.1, 0.1, 0.1, 0.1])
    varying = np.array([0.0, 0.2, 0.1, 0.3])
    assert ccc(y, y) == 1.0
    assert np.isnan(ccc(y, y, force_finite=False))
    assert ccc(y, y + 0.5) == 0.0  # both constant, different
    assert ccc(y, varying) == 0.0
    assert ccc(varying, y) == 0.0
    assert pearson_r(y, y) == 1.0
    assert pearson_r(y, varying) == 0.0
    assert np.isnan(pearson_r(y, varying, force_finite=False))


def test_single_sample_is_defined():
    """Check that one sample gives 1 when equal and 0 otherwise (both sides constant)."""
    assert ccc([0.3], [0.3]) == 1.0
    assert ccc([0.3], [0.4]) == 0.0


def test_sample_weight_equals_repetition():
    """Check that integer sample weights equal repeating samples."""
    rng = np.random.default_rng(1)
    t, p = rng.normal(size=20), rng.normal(size=20)
    w = rng.integers(1, 4, size=20)
    expected = ccc(np.repeat(t, w), np.repeat(p, w))
    assert ccc(t, p, sample_weight=w) == pytest.approx(expected, rel=1e-12)
    assert pearson_r(t, p, sample_weight=w) == pytest.approx(
        pearson_r(np.repeat(t, w), np.repeat(p, w)), rel=1e-12
    )
    # zero weight removes a sample entirely, including from the constant check
    t2, p2 = np.r_[t, 100.0], np.r_[p, -100.0]
    assert ccc(t2, p2, sample_weight=np.r_[np.ones(20), 0]) == pytest.approx(ccc(t, p))


def test_multioutput():
    """Check raw_values, uniform_average and weights over outputs."""
    rng = np.random.default_rng(2)
    T = rng.normal(size=(30, 3))
    P = T + rng.normal(scale=[0.1, 0.5, 2.0], size=(30, 3))
    raw = ccc(T, P, multioutput="raw_values")
    assert raw.shape == (3,)
    for j in range(3):
        assert raw[j] == pytest.approx(ccc(T[:, j], P[:, j]))
    assert raw[0] > raw[1] > raw[2]
    assert ccc(T, P) == pytest.approx(raw.mean())
    assert ccc(T, P, multioutput=[0, 0, 1]) == pytest.approx(raw[2])
    assert pearson_r(T, P, multioutput="raw_values").shape == (3,)
    # a 1-D target and a one-column target agree
    assert ccc(T[:, 0], P[:, 0]) == ccc(T[:, :1], P[:, :1])


def test_range_is_bounded():
    """Check that scores stay in [-1, 1] on many random draws."""
    rng = np.random.default_rng(3)
    scores = [ccc(rng.normal(size=5), rng.normal(size=5)) for _ in range(200)]
    assert min(scores) >= -1 and max(scores) <= 1


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "msg"),
    [
        ([1.0, 2.0], [1.0], {}, "y_true and y_pred have different numbers of samples (2 != 1)."),
        (
            np.zeros((3, 2)),
            np.zeros((3, 3)),
            {},
            "y_true and y_pred have different numbers of outputs (2 != 3).",
        ),
        ([1.0, np.nan], [1.0, 2.0], {}, "y_true contains NaN or infinity."),
        ([], [], {}, "y_true is empty; at least one sample is required."),
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), {}, "expected y_true of shape (n_samples,)"),
        (
            [1.0, 2.0],
            [1.0, 2.0],
            {"multioutput": "mean"},
            "The 'multioutput' parameter of concordance_correlation_coefficient must be",
        ),
        (
            [1.0, 2.0],
            [1.0, 2.0],
            {"multioutput": [1, 1]},
            "expected multioutput weights of shape (1,)",
        ),
        ([1.0, 2.0], [1.0, 2.0], {"sample_weight": [1.0]}, "expected sample_weight of shape (2,)"),
        ([1.0, 2.0], [1.0, 2.0], {"sample_weight": [-1.0, 1.0]}, "sample_weight must be finite"),
        ([1.0, 2.0], [1.0, 2.0], {"force_finite": 1}, "The 'force_finite' parameter"),
        (["a", "b"], [1.0, 2.0], {}, "expected y_true to be a numeric array-like"),
    ],
)
def test_errors(y_true, y_pred, kwargs, msg):
    """Check that bad input raises a clear error naming the argument."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        ccc(y_true, y_pred, **kwargs)
