"""SpecAugment: what it masks, what it leaves alone, reproducibility and sklearn machinery."""

import pickle
import re

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold

from skemotion.models import FrameCNNClassifier, SequenceLSTMClassifier, SpecAugment


class _Spy(SpecAugment):
    """SpecAugment that keeps a copy of every batch after masking."""

    def on_train_begin(self, net, **kwargs):
        super().on_train_begin(net, **kwargs)
        self.batches = []

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        super().on_batch_begin(net, batch=batch, training=training, **kwargs)
        self.batches.append(batch[0].clone())


def _images(n=8, n_mels=16, n_steps=40, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, n_mels, n_steps, 1), dtype=np.float32) + 1.0), np.arange(n) % 2


def test_masks_whole_bands_and_spans_of_training_batches_only():
    """Check that masked cells form full-height time spans and full-width frequency stripes."""
    X, y = _images()
    spy = _Spy(freq_masks=1, freq_width=3, time_masks=1, time_width=5)
    clf = FrameCNNClassifier(max_epochs=3, batch_size=4, random_state=0, callbacks=[("augment", spy)])
    clf.fit(X, y)
    assert len(spy.batches) == 3 * 2  # training batches only: predict is not augmented
    masked_any = False
    for batch in spy.batches:
        zero = (batch[..., 0] == 0).numpy()  # (n, n_mels, n_steps); the data are >= 1
        for example in zero:
            rows = np.flatnonzero(example.all(axis=1))  # frequency stripes
            cols = np.flatnonzero(example.all(axis=0))  # time spans
            assert len(rows) <= 3 and len(cols) <= 5
            outside = example.copy()
            outside[rows, :] = False
            outside[:, cols] = False
            assert not outside.any()  # every zero lies in a stripe or a span
            masked_any |= bool(len(rows) or len(cols))
    assert masked_any


def test_fit_leaves_the_callers_data_unchanged():
    """Check that masking works on batch copies: X is the same after fit."""
    X, y = _images()
    before = X.copy()
    FrameCNNClassifier(max_epochs=2, random_state=0, callbacks=[("augment", SpecAugment())]).fit(X, y)
    np.testing.assert_array_equal(X, before)


def test_sequence_layout_masks_steps_and_features():
    """Check layout='sequence': spans along axis 1 (steps), stripes along axis 2 (features)."""
    rng = np.random.default_rng(0)
    X = rng.random((6, 30, 10), dtype=np.float32) + 1.0
    spy = _Spy(freq_masks=1, freq_width=2, time_masks=1, time_width=6, layout="sequence")
    SequenceLSTMClassifier(max_epochs=2, random_state=0, module__hidden_size=4,
                           callbacks=[("augment", spy)]).fit(X, np.arange(6) % 2)
    for example in (spy.batches[0] == 0).numpy():
        steps = np.flatnonzero(example.all(axis=1))
        features = np.flatnonzero(example.all(axis=0))
        assert len(steps) <= 6 and len(features) <= 2


def test_same_random_state_same_masks_and_model():
    """Check that the estimator's random_state fixes the masks, and fit keeps global state."""
    X, y = _images()
    fits = []
    for _ in range(2):
        spy = _Spy()
        state = torch.random.get_rng_state()
        clf = FrameCNNClassifier(max_epochs=2, random_state=3, callbacks=[("augment", spy)]).fit(X, y)
        assert torch.equal(torch.random.get_rng_state(), state)
        fits.append((spy.batches, clf.predict_proba(X)))
    for a, b in zip(fits[0][0], fits[1][0], strict=True):
        assert torch.equal(a, b)
    np.testing.assert_array_equal(fits[0][1], fits[1][1])


def test_grid_search_clone_and_pickle():
    """Check that a search tunes callbacks__augment__time_width and the model pickles."""
    X, y = _images(n=12)
    clf = FrameCNNClassifier(max_epochs=1, random_state=0, callbacks=[("augment", SpecAugment())])
    search = GridSearchCV(clf, {"callbacks__augment__time_width": [0, 10]},
                          cv=GroupKFold(2)).fit(X, y, groups=np.arange(12) % 4)
    assert search.best_params_["callbacks__augment__time_width"] in (0, 10)
    fitted = clone(clf).fit(X, y)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))


@pytest.mark.parametrize(
    ("params", "msg"),
    [
        ({"freq_width": -1}, "The 'freq_width' parameter of SpecAugment must be an int in the range [0, inf). Got -1 instead."),
        ({"time_masks": 1.5}, "The 'time_masks' parameter of SpecAugment must be an int in the range [0, inf). Got 1.5 instead."),
        ({"layout": "columns"}, "The 'layout' parameter of SpecAugment must be a str among {'image', 'sequence'}. Got 'columns' instead."),
    ],
)
def test_bad_parameters_raise_in_fit(params, msg):
    """Check sklearn-worded errors for bad parameters, raised when the estimator initialises."""
    X, y = _images()
    clf = FrameCNNClassifier(max_epochs=1, callbacks=[("augment", SpecAugment(**params))])
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, y)
