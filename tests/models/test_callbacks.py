"""WeightAveraging: the mean it keeps, batch-norm statistics, sklearn machinery, edge cases."""

import copy
import pickle
import re

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold
from skorch.callbacks import Callback

from skemotion.models import (
    FrameCNNClassifier,
    FrameCNNRegressor,
    SequenceLSTMClassifier,
    WeightAveraging,
)


def _seq(n=24, t=5, f=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, t, f)).astype(np.float32)
    y = np.arange(n) % 3
    X[:, :, 0] += y[:, None]
    return X, y


def _frames(n=12, size=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, size, size, 3), dtype=np.uint8), np.arange(n) % 2


class _WeightRecorder(Callback):
    """Snapshot of the parameters after every epoch."""

    def on_train_begin(self, net, **kwargs):
        self.snapshots = []

    def on_epoch_end(self, net, **kwargs):
        self.snapshots.append({k: p.detach().clone() for k, p in net.module_.named_parameters()})


def _assert_params_are_mean_of(module, snapshots):
    assert snapshots
    for name, param in module.named_parameters():
        expected = torch.stack([s[name] for s in snapshots]).mean(dim=0)
        torch.testing.assert_close(param.detach(), expected, rtol=1e-5, atol=1e-6)


def test_fitted_weights_are_the_mean_of_the_averaged_epochs():
    """Check the final parameters equal the mean of the weights after epochs start+1..max_epochs."""
    X, y = _seq()
    recorder = _WeightRecorder()
    clf = SequenceLSTMClassifier(
        module__hidden_size=6,
        max_epochs=5,
        lr=1e-2,
        callbacks=[("record", recorder), ("average", WeightAveraging(start=2))],
        random_state=0,
    ).fit(X, y)
    assert len(recorder.snapshots) == 5
    _assert_params_are_mean_of(clf.module_, recorder.snapshots[2:])
    assert clf.history_[-1, "averaged_epochs"] == 3
    assert dict(clf.callbacks_)["average"].n_averaged_ == 3
    # the averaged weights are not the last ones: something was averaged
    last = recorder.snapshots[-1]
    assert any(not torch.equal(p, last[k]) for k, p in clf.module_.named_parameters())


def test_float_start_is_a_share_of_max_epochs():
    """Check start=0.5 of 6 epochs averages epochs 4 to 6, and start=0 averages all."""
    X, y = _seq()
    clf = SequenceLSTMClassifier(
        module__hidden_size=4,
        max_epochs=6,
        callbacks=[("average", WeightAveraging(start=0.5))],
        random_state=0,
    )
    assert clf.fit(X, y).history_[-1, "averaged_epochs"] == 3
    assert clf.set_params(callbacks__average__start=0).fit(X, y).history_[-1, "averaged_epochs"] == 6


def test_batch_norm_statistics_are_recomputed_for_the_averaged_weights():
    """Check running statistics are those torch's ``update_bn`` gives the averaged network.

    The statistics left by training are an exponential average over weights
    that are not the final ones; after averaging, every batch-norm layer holds
    the plain average over one pass of the training data under the averaged
    weights, as :func:`torch.optim.swa_utils.update_bn` computes it.
    """
    X, y = _frames()
    clf = FrameCNNClassifier(
        batch_size=4,
        max_epochs=3,
        lr=1e-2,
        callbacks=[("average", WeightAveraging(start=0))],
        random_state=0,
    ).fit(X, y)
    norms = [m for m in clf.module_.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert norms and all(m.momentum == 0.1 for m in norms)  # restored after the pass
    assert all(int(m.num_batches_tracked) == 3 for m in norms)  # 12 samples, batches of 4

    reference = copy.deepcopy(clf.module_)
    batches = [torch.from_numpy(X[i : i + 4]).float() / 255.0 for i in range(0, len(X), 4)]
    torch.optim.swa_utils.update_bn(batches, reference)
    ref_norms = [m for m in reference.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for ours, theirs in zip(norms, ref_norms, strict=True):
        torch.testing.assert_close(ours.running_mean, theirs.running_mean, rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(ours.running_var, theirs.running_var, rtol=1e-5, atol=1e-6)

    trained_only = FrameCNNClassifier(batch_size=4, max_epochs=3, lr=1e-2, random_state=0).fit(X, y)
    stale = next(m for m in trained_only.module_.modules() if isinstance(m, torch.nn.BatchNorm2d))
    assert not torch.allclose(stale.running_mean, norms[0].running_mean, atol=1e-3)


def test_a_frozen_backbone_keeps_its_weights_and_statistics(tmp_path):
    """Check averaging leaves a frozen pretrained backbone exactly as loaded.

    A frozen backbone stays in evaluation mode while training, so its batch-norm
    statistics are the pretrained ones; only the trainable head is averaged.
    """
    X, _ = _frames()
    y = np.linspace(0, 1, len(X)).astype(np.float32)
    donor = FrameCNNRegressor(max_epochs=2, batch_size=4, random_state=0).fit(X, y)
    path = tmp_path / "backbone.pt"
    torch.save(donor.module_.encoder.backbone.state_dict(), path)
    recorder = _WeightRecorder()
    reg = FrameCNNRegressor(
        module__weights=str(path),
        module__freeze=True,
        max_epochs=3,
        batch_size=4,
        lr=0.05,
        callbacks=[("record", recorder), ("average", WeightAveraging(start=0))],
        random_state=1,
    ).fit(X, y)
    for key, value in donor.module_.encoder.backbone.state_dict().items():
        torch.testing.assert_close(reg.module_.encoder.backbone.state_dict()[key], value)
    _assert_params_are_mean_of(reg.module_, recorder.snapshots)


def test_start_beyond_training_keeps_the_last_weights_with_a_warning():
    """Check nothing changes, and the user is told, when no epoch reaches ``start``."""
    X, y = _frames()
    plain = FrameCNNClassifier(max_epochs=2, batch_size=4, random_state=0).fit(X, y)
    late = FrameCNNClassifier(
        max_epochs=2,
        batch_size=4,
        callbacks=[("average", WeightAveraging(start=5))],
        random_state=0,
    )
    with pytest.warns(UserWarning, match=re.escape("WeightAveraging(start=5) averaged no epoch")):
        late.fit(X, y)
    np.testing.assert_array_equal(late.predict_proba(X), plain.predict_proba(X))
    assert "averaged_epochs" not in late.history_[-1]


@pytest.mark.parametrize("start", [-1, 1.0, 1.5, "half", True, None])
def test_invalid_start_is_rejected_when_fitting(start):
    """Check a start that is neither an epoch count nor a share in [0, 1) is rejected."""
    X, y = _seq()
    clf = SequenceLSTMClassifier(max_epochs=1, callbacks=[("average", WeightAveraging(start))])
    msg = "The 'start' parameter of WeightAveraging must be an int >= 0 (epochs) or a float"
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, y)


def test_averaging_is_seeded_cloned_pickled_and_searchable():
    """Check reproducibility (the batch-norm pass included), clone, pickle and GridSearchCV."""
    X, y = _frames(n=16)
    model = FrameCNNClassifier(
        max_epochs=3,
        batch_size=4,
        callbacks=[("average", WeightAveraging(start=1))],
        random_state=0,
    )
    first = clone(model).fit(X, y)
    second = clone(model).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))

    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict_proba(X), first.predict_proba(X))
    assert dict(restored.callbacks_)["average"]._mean is None  # no second copy of the weights

    search = GridSearchCV(
        model, {"callbacks__average__start": [0, 2]}, cv=KFold(2, shuffle=True, random_state=0)
    ).fit(X, y)
    assert [p["callbacks__average__start"] for p in search.cv_results_["params"]] == [0, 2]
    assert search.best_estimator_.history_[-1, "averaged_epochs"] in (1, 3)


def test_each_partial_fit_call_averages_its_own_epochs():
    """Check partial_fit counts epochs from the start of each call."""
    X, y = _seq()
    clf = SequenceLSTMClassifier(
        module__hidden_size=4,
        max_epochs=4,
        callbacks=[("average", WeightAveraging(start=2))],
        random_state=0,
    ).fit(X, y)
    clf.partial_fit(X, y)
    assert len(clf.history_) == 8
    assert clf.history_[3, "averaged_epochs"] == 2
    assert clf.history_[-1, "averaged_epochs"] == 2


def test_with_early_stopping_the_average_replaces_the_best_weights():
    """Check the average of the epochs run replaces the weights early stopping restores.

    skorch calls the estimator's own callbacks (early stopping) before the
    user's, so the epoch on which early stopping stops is not averaged.
    """
    X, y = _seq(n=30)
    recorder = _WeightRecorder()
    clf = SequenceLSTMClassifier(
        module__hidden_size=4,
        max_epochs=40,
        lr=5e-2,
        early_stopping=True,
        n_iter_no_change=2,
        callbacks=[("record", recorder), ("average", WeightAveraging(start=1))],
        random_state=0,
    ).fit(X, y)
    n_epochs = len(clf.history_)
    assert n_epochs < 40, "early stopping did not stop; the test needs a run that stops"
    assert len(recorder.snapshots) == n_epochs - 1
    _assert_params_are_mean_of(clf.module_, recorder.snapshots[1:])
    assert clf.history_[-1, "averaged_epochs"] == n_epochs - 2
