"""Behaviour of the shared skorch base: inputs, losses, seeding, splits, threads, memmaps."""

import re

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from skorch.callbacks import Callback
from skorch.helper import SliceDict

from skemotion.models import (
    CNNLSTMClassifier,
    FrameCNNClassifier,
    FrameCNNRegressor,
    FusionClassifier,
    ModalityUnion,
    SequenceLSTMClassifier,
    SequenceLSTMRegressor,
)
from skemotion.models.losses import CCCLoss


def _seq(n=12, t=5, f=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, t, f)).astype(np.float32)
    y = np.arange(n) % 3
    X[:, :, 0] += y[:, None]  # learnable signal
    return X, y


def _clips(n=8, t=3, size=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, t, size, size, 3), dtype=np.uint8), np.arange(n) % 2


# --------------------------------------------------------------------------- #
# input layout and parameters
# --------------------------------------------------------------------------- #
def test_clip_model_rejects_frames_with_layout_message():
    """Check that a clip model given 4-D frames says which layout it expects."""
    X, y = _clips()
    msg = (
        "Expected X of shape (n_samples, n_frames, height, width, channels) with channels 1 or 3; "
        "got (8, 12, 12, 3)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        CNNLSTMClassifier(max_epochs=1).fit(X[:, 0], y)


def test_frame_model_rejects_wrong_channels():
    """Check that frames with 2 channels are rejected, naming both accepted layouts."""
    X = np.zeros((4, 8, 8, 2), np.uint8)
    msg = (
        "Expected X of shape (n_samples, height, width, channels) or "
        "(n_samples, n_frames, height, width, channels) with channels 1 or 3; got (4, 8, 8, 2)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        FrameCNNClassifier(max_epochs=1).fit(X, [0, 1, 0, 1])


def test_predict_checks_frame_shape_and_n_features():
    """Check that prediction input must match the fitted frame shape / feature count."""
    X, y = _clips()
    clf = CNNLSTMClassifier(module__hidden_size=4, max_epochs=1, random_state=0).fit(X, y)
    msg = (
        "X has frames of shape (16, 16, 3), but CNNLSTMClassifier was fitted on frames of "
        "shape (12, 12, 3)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.predict(np.zeros((2, 3, 16, 16, 3), np.uint8))
    Xs, ys = _seq()
    seq = SequenceLSTMClassifier(module__hidden_size=4, max_epochs=1).fit(Xs, ys)
    msg = "X has 4 features, but SequenceLSTMClassifier is expecting 3 features as input."
    with pytest.raises(ValueError, match=re.escape(msg)):
        seq.predict(np.zeros((2, 5, 4), np.float32))


def test_nll_loss_is_rejected_because_networks_return_logits():
    """Check that NLLLoss, which silently trains to NaN on logits, is refused."""
    X, y = _seq()
    with pytest.raises(ValueError, match=re.escape("criterion=NLLLoss (which expects")):
        SequenceLSTMClassifier(criterion=torch.nn.NLLLoss, max_epochs=1).fit(X, y)


def test_parameter_errors_use_sklearn_wording():
    """Check that bad parameters raise sklearn-style messages at fit time."""
    X, y = _seq()
    msg = (
        "The 'torch_num_threads' parameter of SequenceLSTMClassifier must be an int in the "
        "range [1, inf), a str among {'auto'} or None. Got 0 instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceLSTMClassifier(torch_num_threads=0).fit(X, y)
    msg = (
        "The 'criterion' parameter of SequenceLSTMRegressor must be a torch loss or a str among "
        "['ccc', 'huber', 'mae', 'mse']. Got 'cc' instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceLSTMRegressor(criterion="cc").fit(X, y.astype(float))


def test_module_sizes_from_data_cannot_be_passed():
    """Check that data-derived network sizes are refused as module__ parameters."""
    X, y = _seq()
    msg = "module__n_features of SequenceLSTMClassifier are set from the training data"
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceLSTMClassifier(module__n_features=3, max_epochs=1).fit(X, y)


# --------------------------------------------------------------------------- #
# dtypes, losses, outputs
# --------------------------------------------------------------------------- #
def test_uint8_frames_equal_float_frames():
    """Check that uint8 frames scaled per batch match the same frames given as floats."""
    X, y = _clips()
    a = CNNLSTMClassifier(module__hidden_size=4, max_epochs=2, random_state=0).fit(X, y)
    b = clone(a).fit(X.astype(np.float32) / 255.0, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X / 255.0), rtol=1e-4, atol=1e-5)


def test_predict_proba_is_a_distribution_over_classes():
    """Check that predict_proba rows sum to 1 in the order of classes_."""
    X, y = _seq()
    labels = np.array(["sad", "angry", "happy"])[y]
    clf = SequenceLSTMClassifier(module__hidden_size=8, max_epochs=30, lr=0.03, random_state=0)
    proba = clf.fit(X, labels).predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert list(clf.classes_) == ["angry", "happy", "sad"]
    assert (clf.predict(X) == clf.classes_[proba.argmax(1)]).all()
    assert np.mean(clf.predict(X) == labels) > 0.9


def test_class_weight_balanced_reaches_the_loss():
    """Check that class_weight='balanced' weights the cross-entropy like sklearn."""
    X, _ = _seq(n=12)
    y = np.array([0] * 9 + [1] * 3)
    clf = SequenceLSTMClassifier(class_weight="balanced", max_epochs=1).fit(X, y)
    np.testing.assert_allclose(clf.class_weight_, [12 / (2 * 9), 12 / (2 * 3)], rtol=1e-6)
    np.testing.assert_allclose(clf.criterion_.weight.numpy(), clf.class_weight_)
    clf = SequenceLSTMClassifier(class_weight={1: 5.0}, max_epochs=1).fit(X, y)
    np.testing.assert_allclose(clf.class_weight_, [1.0, 5.0])


def test_multi_output_regression_with_ccc_loss():
    """Check 6-rater regression with criterion='ccc' learns and predicts (n, 6) floats."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4, 3)).astype(np.float32)
    signal = X[:, :, 0].mean(axis=1)
    y = np.stack([signal + 0.05 * rng.normal(size=64) for _ in range(6)], axis=1)
    reg = SequenceLSTMRegressor(
        criterion="ccc", module__hidden_size=16, lr=0.02, max_epochs=60, batch_size=32, random_state=0
    ).fit(X, y)
    assert isinstance(reg.criterion_, CCCLoss)
    pred = reg.predict(X)
    assert pred.shape == (64, 6) and pred.dtype == np.float64
    assert np.corrcoef(pred[:, 0], y[:, 0])[0, 1] > 0.8
    single = SequenceLSTMRegressor(max_epochs=1).fit(X, y[:, 0])
    assert single.predict(X).shape == (64,)


# --------------------------------------------------------------------------- #
# seeding, early stopping with groups
# --------------------------------------------------------------------------- #
class _RecordSplit(Callback):
    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        self.train_idx = np.asarray(dataset_train.indices)
        self.valid_idx = np.asarray(dataset_valid.indices)


def test_early_stopping_holds_out_whole_groups_and_stops():
    """Check that early stopping validates on whole actors and stops before max_epochs."""
    X, y = _seq(n=24)
    groups = np.repeat(np.arange(6), 4)
    rec = _RecordSplit()
    clf = SequenceLSTMClassifier(
        module__hidden_size=4,
        early_stopping=True,
        validation_fraction=0.3,
        n_iter_no_change=2,
        max_epochs=200,
        lr=0.05,
        callbacks=[("rec", rec)],
        random_state=0,
    ).fit(X, y, groups=groups)
    assert set(groups[rec.train_idx]).isdisjoint(groups[rec.valid_idx])
    assert len(rec.valid_idx) == 8  # two whole actors
    assert len(clf.history_) < 200
    assert "valid_loss" in clf.history_[-1]


def test_early_stopping_without_groups_is_stratified():
    """Check that without groups the held-out part keeps every class."""
    X, y = _seq(n=24)
    rec = _RecordSplit()
    SequenceLSTMClassifier(
        early_stopping=True, max_epochs=2, callbacks=[("rec", rec)], random_state=0
    ).fit(X, y)
    assert set(y[rec.valid_idx]) == {0, 1, 2}


def test_gridsearch_n_jobs_2_over_hidden_sizes_is_reproducible():
    """Check GridSearchCV over hidden_size 40/80/120 with n_jobs=2 matches n_jobs=1."""
    X, y = _seq(n=24)
    base = SequenceLSTMClassifier(max_epochs=3, random_state=0)
    grid = {"module__hidden_size": [40, 80, 120]}
    par = GridSearchCV(base, grid, cv=KFold(2), n_jobs=2, error_score="raise").fit(X, y)
    seq = GridSearchCV(base, grid, cv=KFold(2), n_jobs=1, error_score="raise").fit(X, y)
    np.testing.assert_allclose(par.cv_results_["mean_test_score"], seq.cv_results_["mean_test_score"])
    assert par.best_params_ == seq.best_params_
    assert par.best_estimator_.module_.encoder.lstm.hidden_size == par.best_params_["module__hidden_size"]


def test_gridsearch_over_backbones_and_whole_estimators():
    """Check one grid can swap backbones and another whole estimators, with n_jobs=2."""
    X, y = _clips(n=8)
    pipe = Pipeline([("model", FrameCNNClassifier(max_epochs=1, random_state=0))])
    search = GridSearchCV(
        pipe,
        {"model__module__backbone": ["simple", "quadrant", "resnet18"]},
        cv=KFold(2),
        n_jobs=2,
        error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 3
    swap = GridSearchCV(
        pipe,
        {
            "model": [
                FrameCNNClassifier(max_epochs=1, random_state=0),
                CNNLSTMClassifier(module__hidden_size=4, max_epochs=1, random_state=0),
            ]
        },
        cv=KFold(2),
        n_jobs=2,
        error_score="raise",
    ).fit(X, y)
    assert type(swap.best_estimator_[-1]).__name__ in {"FrameCNNClassifier", "CNNLSTMClassifier"}


# --------------------------------------------------------------------------- #
# threads, devices, persistence
# --------------------------------------------------------------------------- #
class _RecordThreads(Callback):
    def on_train_begin(self, net, **kwargs):
        net.threads_seen_ = torch.get_num_threads()


def _fit_and_report_threads(est, X, y):
    est.fit(X, y)
    return est.threads_seen_


def test_torch_threads_auto_is_one_inside_joblib_workers():
    """Check that torch_num_threads='auto' uses 1 thread per joblib worker and restores after."""
    X, y = _seq()
    est = SequenceLSTMClassifier(max_epochs=1, callbacks=[("t", _RecordThreads())])
    seen = joblib.Parallel(n_jobs=2)(
        joblib.delayed(_fit_and_report_threads)(clone(est), X, y) for _ in range(2)
    )
    assert seen == [1, 1]
    seen = joblib.Parallel(n_jobs=2, backend="threading")(
        joblib.delayed(_fit_and_report_threads)(clone(est), X, y) for _ in range(2)
    )
    assert seen == [1, 1]
    before = torch.get_num_threads()
    assert _fit_and_report_threads(clone(est), X, y) == before  # main process: untouched
    assert _fit_and_report_threads(clone(est).set_params(torch_num_threads=1), X, y) == 1
    assert torch.get_num_threads() == before


def test_device_auto_and_amp_on_cpu():
    """Check device='auto' resolves to device_ without changing device; amp is a no-op on CPU."""
    X, y = _seq()
    clf = SequenceLSTMClassifier(max_epochs=1, amp=True, random_state=0)
    clf.fit(X, y)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert clf.device == "auto" and clf.device_ == expected
    assert clf.get_params()["device"] == "auto"


def test_partial_fit_continues_training():
    """Check partial_fit keeps the network and adds max_epochs epochs to the history."""
    X, y = _seq()
    clf = SequenceLSTMClassifier(max_epochs=2, random_state=0).fit(X, y)
    weights = clf.module_.head.weight.detach().clone()
    clf.partial_fit(X, y)
    assert len(clf.history_) == 4
    assert not torch.equal(weights, clf.module_.head.weight)
    with pytest.raises(ValueError, match=re.escape("y contains labels [7] not seen in the first fit")):
        clf.partial_fit(X[:2], [7, 0])


# --------------------------------------------------------------------------- #
# lazy memmap training, transfer learning
# --------------------------------------------------------------------------- #
def test_training_from_memmap_matches_in_memory(tmp_path):
    """Check that a read-only np.memmap trains batch by batch like the in-memory array."""
    X, y = _clips(n=8)
    path = tmp_path / "clips.u8"
    mm = np.memmap(path, dtype=np.uint8, mode="w+", shape=X.shape)
    mm[:] = X
    mm.flush()
    ro = np.memmap(path, dtype=np.uint8, mode="r", shape=X.shape)
    est = CNNLSTMClassifier(module__hidden_size=4, max_epochs=2, random_state=0)
    from_disk = clone(est).fit(ro, y)
    in_memory = clone(est).fit(X, y)
    np.testing.assert_allclose(from_disk.predict_proba(ro), in_memory.predict_proba(X), rtol=1e-5)
    # the dataset keeps the memmap itself: batches are read lazily
    assert isinstance(from_disk.get_dataset(ro).X, np.memmap)


def test_backbone_weights_load_and_freeze(tmp_path):
    """Check transfer learning: weights= loads a local state dict; freeze keeps it fixed."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(8, 12, 12, 3), dtype=np.uint8)
    y = rng.normal(size=8).astype(np.float32)
    donor = FrameCNNRegressor(max_epochs=1, random_state=0).fit(X, y)
    path = tmp_path / "backbone.pt"
    torch.save(donor.module_.encoder.backbone.state_dict(), path)
    reg = FrameCNNRegressor(
        module__weights=str(path), module__freeze=True, max_epochs=2, lr=0.05, random_state=1
    ).fit(X, y)
    for key, value in donor.module_.encoder.backbone.state_dict().items():
        torch.testing.assert_close(reg.module_.encoder.backbone.state_dict()[key], value)
    missing = tmp_path / "missing.pt"
    with pytest.raises(FileNotFoundError, match=re.escape(f"Backbone weights file not found: {str(missing)!r}")):
        FrameCNNRegressor(module__weights=str(missing), max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=re.escape(f"The weights in {str(path)!r} do not fit the 'quadrant' backbone")):
        FrameCNNRegressor(module__weights=str(path), module__backbone="quadrant", max_epochs=1).fit(X, y)


# --------------------------------------------------------------------------- #
# fusion
# --------------------------------------------------------------------------- #
def _to_modalities(X):
    rng = np.random.default_rng(0)
    n = len(X)
    video = np.repeat(X[:, None, None, None, None], 1, 0) * np.ones((n, 2, 8, 8, 3))
    audio = X[:, None, None] + 0.1 * rng.normal(size=(n, 5, 4))
    return SliceDict(video=(video * 255).astype(np.uint8), audio=audio.astype(np.float32))


def test_modality_union_feeds_fusion_inside_gridsearch():
    """Check ModalityUnion -> FusionClassifier runs in GridSearchCV over mid/late fusion."""
    y = np.arange(16) % 2
    X = np.where(y == 1, 0.8, 0.2) + 0.0 * np.arange(16)
    data = _to_modalities(X)
    pipe = Pipeline(
        [
            ("union", ModalityUnion()),
            (
                "model",
                FusionClassifier(
                    module__video_hidden_size=4,
                    module__audio_hidden_size=4,
                    module__fusion_size=4,
                    max_epochs=2,
                    random_state=0,
                ),
            ),
        ]
    )
    search = GridSearchCV(
        pipe, {"model__module__fusion": ["mid", "late"]}, cv=KFold(2), error_score="raise"
    ).fit(data, y)
    assert search.predict(data).shape == (16,)
    union = ModalityUnion(video=FunctionTransformer(lambda v: v[:, :1]))
    out = union.fit_transform(data)
    assert out["video"].shape == (16, 1, 8, 8, 3) and out["audio"].shape == (16, 5, 4)


def test_modality_union_errors():
    """Check ModalityUnion names the missing modality and a bad step."""
    with pytest.raises(ValueError, match=re.escape("ModalityUnion got a mapping without a 'audio' entry")):
        ModalityUnion().fit({"video": np.zeros((2, 1, 4, 4, 3))})
    msg = "The 'video' parameter of ModalityUnion must be a transformer (with fit and transform) or 'passthrough'. Got 3 instead."
    with pytest.raises(ValueError, match=re.escape(msg)):
        ModalityUnion(video=3).fit(np.zeros((2, 3)))


def test_fusion_rejects_plain_arrays():
    """Check that a fusion model given an array says it needs video and audio entries."""
    with pytest.raises(ValueError, match=re.escape("Expected X as a mapping (skorch SliceDict")):
        FusionClassifier(max_epochs=1).fit(np.zeros((4, 3)), [0, 1, 0, 1])


def test_cuda_trained_model_loads_on_cpu():
    """Check a pickle whose device_ is CUDA loads on a CPU-only machine, keeping device='auto'."""
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA; the check is for CPU-only machines")
    X, y = _seq()
    clf = SequenceLSTMClassifier(max_epochs=1, random_state=0).fit(X, y)
    state = clf.__getstate__()
    state["device_"] = "cuda"
    loaded = SequenceLSTMClassifier.__new__(SequenceLSTMClassifier)
    loaded.__setstate__(state)
    assert loaded.device == "auto" and loaded.device_ == "cpu"
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_groups_reach_early_stopping_through_metadata_routing():
    """Check GridSearchCV routes groups to fit (and so to the early-stopping split)."""
    import sklearn
    from sklearn.model_selection import GroupKFold

    X, y = _seq(n=24)
    groups = np.repeat(np.arange(6), 4)
    with sklearn.config_context(enable_metadata_routing=True):
        est = SequenceLSTMClassifier(
            max_epochs=2,
            early_stopping=True,
            validation_fraction=0.3,
            callbacks=[("rec", _RecordSplit())],
        ).set_fit_request(groups=True)
        search = GridSearchCV(est, {"lr": [1e-3]}, cv=GroupKFold(2)).fit(X, y, groups=groups)
    rec = dict(search.best_estimator_.callbacks_)["rec"]  # the refit on all 6 actors
    # without routed groups the split would be stratified by class, not by actor
    assert set(groups[rec.train_idx]).isdisjoint(groups[rec.valid_idx])
    assert len(rec.valid_idx) % 4 == 0  # whole actors of 4 clips each


class _RecordBatches(Callback):
    def on_train_begin(self, net, **kwargs):
        net.batches_seen_ = []

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            net.batches_seen_.append(batch[1].tolist())


def test_training_batches_are_shuffled_in_a_seeded_order():
    """Check that class-sorted data gives mixed, seeded batches (skorch alone keeps the order)."""
    X, y = _seq(n=24)
    order = np.argsort(y, kind="stable")  # a corpus sorted by class
    X, y = X[order], y[order]
    est = SequenceLSTMClassifier(
        max_epochs=2, batch_size=8, random_state=0, callbacks=[("b", _RecordBatches())]
    )
    assert est.get_params()["iterator_train__shuffle"] is True
    first = est.fit(X, y).batches_seen_
    assert len(first) == 6
    assert any(len(set(b)) > 1 for b in first)  # unshuffled, every batch would hold one class
    assert first[:3] != first[3:]  # a new order each epoch
    assert clone(est).fit(X, y).batches_seen_ == first  # the same seed, the same order
    unshuffled = clone(est).set_params(iterator_train__shuffle=False).fit(X, y).batches_seen_
    assert all(len(set(b)) == 1 for b in unshuffled)


def test_partial_fit_calls_draw_new_seeded_orders():
    """Check each partial_fit call shuffles afresh, and the whole sequence is reproducible."""
    X, y = _seq(n=24)
    est = SequenceLSTMClassifier(
        max_epochs=1, batch_size=8, random_state=0, callbacks=[("b", _RecordBatches())]
    )
    est.fit(X, y)
    first = est.batches_seen_
    est.partial_fit(X, y)
    second = est.batches_seen_
    assert second != first  # not a replay of the first call's order
    again = clone(est).fit(X, y)
    again.partial_fit(X, y)
    assert again.batches_seen_ == second


def _models():
    from skemotion.utils import all_estimators

    return [cls for _, cls in all_estimators() if hasattr(cls, "_input")]


@pytest.mark.parametrize("cls", _models(), ids=lambda c: c.__name__)
def test_repr_in_a_pipeline_lists_only_changed_parameters(cls):
    """Check that a default model in a Pipeline shows no parameter, and changed ones show.

    skorch's parameters arrive through **kwargs; scikit-learn reads defaults from the
    __init__ signature, which must name them with their real defaults.
    """
    import inspect

    name = cls.__name__
    assert repr(Pipeline([("m", cls())])) == f"Pipeline(steps=[('m', {name}())])"
    changed = Pipeline([("m", cls(max_epochs=3, warm_start=True, iterator_train__shuffle=False))])
    assert repr(changed) == (
        f"Pipeline(steps=[('m',\n                 {name}(iterator_train__shuffle=False, "
        "max_epochs=3, warm_start=True))])"
    )
    # The signature tells the truth: every default is what an unchanged model holds.
    params = cls().get_params(deep=False)
    for p in inspect.signature(cls).parameters.values():
        if p.kind is p.KEYWORD_ONLY:
            assert repr(params[p.name]) == repr(p.default), p.name
