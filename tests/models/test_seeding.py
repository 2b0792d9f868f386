"""Seeding through the fit's own generators: threads and global random state."""

import threading

import numpy as np
import pytest
import torch

from skemotion.models import SequenceLSTMClassifier
from skemotion.utils import torch_threads


def _proba(cls, X, y, seed, barrier=None, **params):
    est = cls(module__hidden_size=8, module__dropout=0.3, max_epochs=3, batch_size=8,
              random_state=seed, torch_num_threads=None, **params)
    if barrier is not None:
        barrier.wait()
    return est.fit(X, y).predict_proba(X)


def test_fits_in_two_threads_get_what_each_gets_alone(make_data):
    """Check that two fits running at once in threads, with different seeds, each give
    the result the same fit gives alone (initialisation, shuffles and dropout draw from
    the fit's own generators, not from torch's process-wide one)."""
    X, y = make_data(SequenceLSTMClassifier, n=64)
    with torch_threads(1):  # one intra-op thread throughout: the sums are exact repeats
        alone = {seed: _proba(SequenceLSTMClassifier, X, y, seed) for seed in (0, 1)}
        together = {}
        barrier = threading.Barrier(2)

        def run(seed):
            together[seed] = _proba(SequenceLSTMClassifier, X, y, seed, barrier)

        threads = [threading.Thread(target=run, args=(seed,)) for seed in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not np.array_equal(alone[0], alone[1])  # the seeds do differ
    for seed in (0, 1):
        np.testing.assert_array_equal(together[seed], alone[seed])


@pytest.mark.parametrize("random_state", [0, None])
def test_global_random_state_is_untouched(model_cls, make_model, make_data, random_state):
    """Check that fit, partial_fit, predict and predict_proba neither read nor advance
    numpy's or torch's global random state."""
    X, y = make_data(model_cls)
    est = make_model(model_cls, random_state=random_state, early_stopping=True,
                     validation_fraction=0.25)
    np_before = np.random.get_state()  # noqa: NPY002
    torch_before = torch.random.get_rng_state()
    est.fit(X, y)
    est.partial_fit(X, y)
    est.predict(X)
    if hasattr(est, "predict_proba"):
        est.predict_proba(X)
    np_after = np.random.get_state()  # noqa: NPY002
    assert np_after[0] == np_before[0] and np.array_equal(np_after[1], np_before[1])
    assert np_after[2:] == np_before[2:]
    assert torch.equal(torch.random.get_rng_state(), torch_before)


def test_global_seed_does_not_change_a_seeded_fit(make_data):
    """Check that a seeded fit gives the same model whatever the global seeds are."""
    X, y = make_data(SequenceLSTMClassifier)
    torch.manual_seed(1)
    np.random.seed(1)  # noqa: NPY002
    first = _proba(SequenceLSTMClassifier, X, y, 0)
    torch.manual_seed(2)
    np.random.seed(2)  # noqa: NPY002
    np.testing.assert_array_equal(_proba(SequenceLSTMClassifier, X, y, 0), first)
