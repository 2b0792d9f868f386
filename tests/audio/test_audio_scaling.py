"""SequenceScaler: per-feature standardisation of (n, T, F) sequences with training statistics."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

from skemotion.audio import SequenceScaler


@pytest.fixture
def sequences():
    rng = np.random.default_rng(0)
    scale = np.array([1.0, 10.0, 0.01], dtype=np.float32)
    return (rng.normal(3.0, 1.0, (5, 7, 3)) * scale).astype(np.float32)


def test_statistics_pool_samples_and_steps(sequences):
    """Check that mean and scale match StandardScaler on the frames of all sequences."""
    scaler = SequenceScaler().fit(sequences)
    frames = sequences.reshape(-1, 3)
    reference = StandardScaler().fit(frames)
    assert_allclose(scaler.mean_, reference.mean_, rtol=1e-6)
    assert_allclose(scaler.scale_, reference.scale_, rtol=1e-6)
    assert scaler.n_features_in_ == 3 and scaler.n_steps_seen_ == 35
    Z = scaler.transform(sequences)
    assert Z.shape == sequences.shape and Z.dtype == np.float32
    assert_allclose(Z.reshape(-1, 3), reference.transform(frames), atol=1e-5)


def test_test_data_uses_training_statistics(sequences):
    """Check that held-out sequences are scaled with the training fold's statistics."""
    scaler = SequenceScaler().fit(sequences[:3])
    Z = scaler.transform(sequences[3:])
    assert_allclose(Z, (sequences[3:] - scaler.mean_) / scaler.scale_, atol=1e-5)
    assert not np.allclose(Z.mean(axis=(0, 1)), 0.0, atol=1e-3)


def test_two_dimensional_input_matches_standard_scaler():
    """Check that (n, F) input is scaled exactly as StandardScaler scales it."""
    X = np.random.default_rng(1).normal(size=(20, 4))
    assert_allclose(SequenceScaler().fit_transform(X), StandardScaler().fit_transform(X))


def test_options_inverse_and_constant_features(sequences):
    """Check with_mean/with_std, the inverse transform and a constant feature (no NaN)."""
    X = sequences.copy()
    X[..., 0] = 5.0
    scaler = SequenceScaler().fit(X)
    Z = scaler.transform(X)
    assert np.isfinite(Z).all() and np.allclose(Z[..., 0], 0.0)
    assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-5)
    only_std = SequenceScaler(with_mean=False).fit(X)
    assert only_std.mean_ is None
    assert_allclose(only_std.transform(X), X / only_std.scale_, rtol=1e-6)
    assert SequenceScaler(with_std=False).fit(X).scale_ is None
    X64 = X.astype(np.float64)
    assert SequenceScaler().fit_transform(X64).dtype == np.float64


@pytest.mark.parametrize(
    "X, message",
    [
        (np.zeros((2, 3, 5)), r"X has 5 features, but SequenceScaler is expecting 3 features"),
        (np.zeros((2, 3, 4, 3)), r"expects \(n_samples, n_steps, n_features\) sequences"),
    ],
)
def test_layout_errors_say_what_was_expected(sequences, X, message):
    """Check that a wrong feature count or number of axes raises a clear error."""
    scaler = SequenceScaler().fit(sequences)
    with pytest.raises(ValueError, match=message):
        scaler.transform(X)


def test_clone_and_pickle_keep_behaviour(sequences):
    """Check that clone keeps the parameters and a pickled scaler transforms identically."""
    scaler = SequenceScaler(with_mean=False).fit(sequences)
    assert clone(scaler).get_params() == {"with_mean": False, "with_std": True}
    restored = pickle.loads(pickle.dumps(scaler))
    assert_array_equal(restored.transform(sequences), scaler.transform(sequences))
