"""Tests for OptunaSearch: search space, scoring, routing, resume and pruning."""

import os
import re

import numpy as np
import optuna
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from sklearn import config_context
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skemotion.metrics import ccc_scorer
from skemotion.model_selection import OptunaSearch, cv_results_frame


@pytest.fixture
def regression_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 3))
    y = X @ [1.0, -0.5, 0.2] + 0.3 * rng.normal(size=48)
    groups = np.repeat(np.arange(8), 6)
    return X, y, groups


def _space():
    return {"ridge__alpha": FloatDistribution(1e-3, 1e3, log=True)}


def test_search_over_pipeline_matches_cross_validate(regression_data):
    """Check that best_score_ is the grouped CV score of best_params_ and the refit uses them."""
    X, y, groups = regression_data
    pipe = make_pipeline(StandardScaler(), Ridge())
    search = OptunaSearch(
        pipe, _space(), scoring="ccc", cv=GroupKFold(4), n_trials=6, random_state=0
    ).fit(X, y, groups=groups)
    assert len(search.study_.trials) == 6 and search.n_trials_run_ == 6
    expected = cross_validate(
        pipe.set_params(**search.best_params_),
        X,
        y,
        groups=groups,
        cv=GroupKFold(4),
        scoring=ccc_scorer,
    )["test_score"]
    assert search.best_score_ == pytest.approx(expected.mean())
    assert (
        search.best_estimator_.get_params()["ridge__alpha"] == search.best_params_["ridge__alpha"]
    )
    np.testing.assert_allclose(search.predict(X), search.best_estimator_.predict(X))
    assert search.score(X, y) == pytest.approx(ccc_scorer(search.best_estimator_, X, y))
    res = search.cv_results_
    assert res["rank_test_score"][search.best_index_] == 1
    assert res["mean_test_score"][search.best_index_] == pytest.approx(search.best_score_)
    assert [f"split{k}_test_score" in res for k in range(4)] == [True] * 4
    frame = cv_results_frame(search)
    assert len(frame) == 6 * 4 and set(frame["metric"]) == {"score"}


def test_callable_space_with_conditional_model(regression_data):
    """Check a conditional space (choice of model, each with its own parameters)."""
    X, y, groups = regression_data

    def space(trial):
        kind = trial.suggest_categorical("model", ["ridge", "knn"])
        if kind == "ridge":
            return {"model": Ridge(alpha=trial.suggest_float("alpha", 1e-2, 10, log=True))}
        return {"model": KNeighborsRegressor(n_neighbors=trial.suggest_int("k", 1, 10))}

    from sklearn.pipeline import Pipeline

    pipe = Pipeline([("scale", StandardScaler()), ("model", Ridge())])
    search = OptunaSearch(pipe, space, cv=GroupKFold(4), n_trials=8, random_state=1)
    search.fit(X, y, groups=groups)
    kinds = {type(p["model"]).__name__ for p in search.cv_results_["params"]}
    assert kinds <= {"Ridge", "KNeighborsRegressor"}
    assert isinstance(
        search.best_estimator_.named_steps["model"], type(search.best_params_["model"])
    )
    # params are rebuilt from the stored trial: same class and hyper-parameters
    best = search.study_.best_trial.params
    if best["model"] == "ridge":
        assert search.best_params_["model"].alpha == best["alpha"]
    else:
        assert search.best_params_["model"].n_neighbors == best["k"]


def test_seeded_search_is_reproducible(regression_data):
    """Check that random_state fixes the sampled candidates without touching global state."""
    X, y, groups = regression_data
    space = {
        "ridge__alpha": FloatDistribution(1e-3, 1e3, log=True),
        "ridge__fit_intercept": CategoricalDistribution([True, False]),
        "ridge__max_iter": IntDistribution(10, 100),
    }
    state = np.random.get_state()[1].copy()  # noqa: NPY002 - checking the global state
    runs = [
        OptunaSearch(
            make_pipeline(StandardScaler(), Ridge()),
            space,
            cv=GroupKFold(2),
            n_trials=4,
            random_state=3,
            refit=False,
        ).fit(X, y, groups=groups)
        for _ in range(2)
    ]
    assert runs[0].cv_results_["params"] == runs[1].cv_results_["params"]
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002
    assert not hasattr(runs[0], "best_estimator_")
    with pytest.raises(AttributeError, match=re.escape("was fit with refit=False")):
        runs[0].predict(X)


def test_multimetric_scoring(regression_data):
    """Check that several metrics are recorded and refit names the optimised one."""
    X, y, groups = regression_data
    search = OptunaSearch(
        make_pipeline(StandardScaler(), Ridge()),
        _space(),
        scoring=["ccc", "r2"],
        refit="r2",
        cv=GroupKFold(3),
        n_trials=3,
        random_state=0,
        return_train_score=True,
    ).fit(X, y, groups=groups)
    res = search.cv_results_
    assert {"mean_test_ccc", "mean_test_r2", "mean_train_ccc", "split2_train_r2"} <= set(res)
    assert search.best_score_ == pytest.approx(np.max(res["mean_test_r2"]))
    with pytest.raises(ValueError, match=re.escape("must be the name of the metric to optimise")):
        OptunaSearch(
            Ridge(), {"alpha": FloatDistribution(0.1, 1)}, scoring=["ccc", "r2"], n_trials=1
        ).fit(X, y)


def test_resume_from_sqlite_storage(regression_data, tmp_path):
    """Check that a second fit on the same storage continues the study up to n_trials."""
    X, y, groups = regression_data
    url = f"sqlite:///{tmp_path / 'search.db'}"
    kwargs = dict(scoring="ccc", cv=GroupKFold(3), storage=url, study_name="s", random_state=0)
    first = OptunaSearch(make_pipeline(StandardScaler(), Ridge()), _space(), n_trials=3, **kwargs)
    first.fit(X, y, groups=groups)
    values = [t.value for t in first.study_.trials]
    second = OptunaSearch(make_pipeline(StandardScaler(), Ridge()), _space(), n_trials=5, **kwargs)
    second.fit(X, y, groups=groups)
    assert second.n_trials_run_ == 2
    assert [t.value for t in second.study_.trials][:3] == values
    assert len(second.cv_results_["params"]) == 5
    # already complete: nothing more to run
    third = OptunaSearch(make_pipeline(StandardScaler(), Ridge()), _space(), n_trials=4, **kwargs)
    assert third.fit(X, y, groups=groups).n_trials_run_ == 0
    with pytest.raises(optuna.exceptions.DuplicatedStudyError):
        OptunaSearch(
            Ridge(),
            {"alpha": FloatDistribution(0.1, 1)},
            storage=url,
            study_name="s",
            load_if_exists=False,
            n_trials=1,
        ).fit(X, y)


class GroupRecorder(RegressorMixin, BaseEstimator):
    """Predicts the training mean and records the groups it receives in fit."""

    log = []

    def fit(self, X, y, groups=None):
        GroupRecorder.log.append(
            (np.asarray(X[:, 0]).copy(), None if groups is None else np.asarray(groups).copy())
        )
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def test_groups_are_routed_to_a_requesting_estimator(regression_data):
    """Check that with metadata routing, every fit gets the groups of exactly its samples."""
    X, y, groups = regression_data
    X = np.c_[groups, X]  # column 0 carries the group, so we can check alignment
    GroupRecorder.log = []
    with config_context(enable_metadata_routing=True):
        est = GroupRecorder().set_fit_request(groups=True)
        search = OptunaSearch(est, lambda trial: {}, cv=GroupKFold(4), n_trials=2)
        search.fit(X, y, groups=groups)
    # 1 trial x 4 folds + refit: the second trial repeats the (empty) candidate of the
    # first, complete, and reuses its result instead of fitting again.
    assert len(GroupRecorder.log) == 1 * 4 + 1
    assert search.study_.trials[1].user_attrs["same_as_trial"] == 0
    for seen_x, seen_groups in GroupRecorder.log:
        np.testing.assert_array_equal(seen_x, seen_groups)
    # declined: the estimator does not get groups but the splitter still does
    GroupRecorder.log = []
    with config_context(enable_metadata_routing=True):
        est = GroupRecorder().set_fit_request(groups=False)
        OptunaSearch(est, lambda trial: {}, cv=GroupKFold(4), n_trials=1).fit(X, y, groups=groups)
    assert all(g is None for _, g in GroupRecorder.log)


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"n_trials": None}, "n_trials and timeout cannot both be None"),
        (
            {"n_trials": 0},
            "The 'n_trials' parameter of OptunaSearch must be an int in the range [1, inf) or None. Got 0 instead.",
        ),
        ({"storage": "search.db"}, "storage='search.db' is not a URL"),
        ({"storage": 3}, "The 'storage' parameter of OptunaSearch must be None, a str"),
        (
            {"pruner": optuna.pruners.MedianPruner()},
            "pruner= needs a skorch NeuralNet as the final estimator",
        ),
        ({"scoring": "cc"}, "'cc' is not a valid scoring value."),
        (
            {"error_score": "ignore"},
            "The 'error_score' parameter of OptunaSearch must be 'raise' or a float.",
        ),
    ],
)
def test_bad_parameters(regression_data, kwargs, msg):
    """Check that bad parameters raise clear errors at fit."""
    X, y, _ = regression_data
    search = OptunaSearch(Ridge(), {"alpha": FloatDistribution(0.1, 1.0)}, **kwargs)
    with pytest.raises(ValueError, match=re.escape(msg)):
        search.fit(X, y)


def test_bad_space(regression_data):
    """Check that a space that is neither distributions nor a params function is rejected."""
    X, y, _ = regression_data
    with pytest.raises(
        TypeError, match=re.escape("param_distributions['alpha'] must be an optuna")
    ):
        OptunaSearch(Ridge(), {"alpha": [0.1, 1.0]}, n_trials=1, error_score="raise").fit(X, y)
    with pytest.raises(TypeError, match=re.escape("must return a dict of estimator parameters")):
        OptunaSearch(Ridge(), lambda t: None, n_trials=1).fit(X, y)


# -- pruning with a tiny skorch net ------------------------------------------------


def _tiny_net(**kwargs):
    import torch
    from skorch import NeuralNetRegressor
    from skorch.dataset import ValidSplit

    return NeuralNetRegressor(
        torch.nn.Linear,
        module__in_features=3,
        module__out_features=1,
        optimizer=torch.optim.SGD,
        max_epochs=6,
        batch_size=16,
        train_split=ValidSplit(4),
        verbose=0,
        **kwargs,
    )


def test_pruning_from_skorch_validation_score():
    """Check that trials whose valid_loss stays high are pruned and good ones complete."""
    import torch

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -1.0, 0.5], dtype=np.float32) + 3.0)[:, None]
    groups = np.repeat(np.arange(8), 8)
    # lr=1e-6 leaves valid_loss at its initial ~13; lr=0.1 brings it below 6 after one epoch.
    space = {"lr": CategoricalDistribution([1e-6, 0.1])}
    pruner = optuna.pruners.ThresholdPruner(lower=-8.0)  # reported -valid_loss: prune loss > 8
    sampler = optuna.samplers.GridSampler({"lr": [1e-6, 0.1]}, seed=0)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        search = OptunaSearch(
            _tiny_net(),
            space,
            scoring="neg_mean_squared_error",
            cv=GroupKFold(2),
            n_trials=2,
            sampler=sampler,
            pruner=pruner,
        ).fit(X, y, groups=groups)
    states = {t.params["lr"]: t for t in search.study_.trials}
    assert states[1e-6].state == optuna.trial.TrialState.PRUNED
    assert states[0.1].state == optuna.trial.TrialState.COMPLETE
    # steps count epochs across folds: 2 folds x 6 epochs for the complete trial
    assert max(states[0.1].intermediate_values) == 12
    assert max(states[1e-6].intermediate_values) == 1  # pruned after its first epoch
    assert states[1e-6].intermediate_values[1] < -8.0  # the reported -valid_loss
    assert search.best_params_ == {"lr": 0.1}
    assert list(search.cv_results_["state"]) == ["COMPLETE", "PRUNED"] or list(
        search.cv_results_["state"]
    ) == ["PRUNED", "COMPLETE"]
    # refit carries no pruning callback
    assert not any(name == "optuna_pruning" for name, _ in search.best_estimator_.callbacks_)


def test_pruning_monitor_must_exist():
    """Check that pruning on a key the history lacks explains how to get it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3)).astype(np.float32)
    y = X[:, :1]
    search = OptunaSearch(
        _tiny_net(),
        {"lr": FloatDistribution(0.01, 0.1)},
        cv=2,
        n_trials=1,
        pruner=optuna.pruners.MedianPruner(),
        pruning_monitor="valid_acc",
    )
    with pytest.raises(ValueError, match=re.escape("Cannot prune on pruning_monitor='valid_acc'")):
        search.fit(X, y)


@pytest.mark.filterwarnings("ignore:Scoring failed:UserWarning")
@pytest.mark.filterwarnings("ignore:Trial .* failed:UserWarning")
def test_all_trials_failing_reraises_the_fit_error(regression_data):
    """Check that when every fit fails, the estimator's own error is raised, not a bare nan."""
    X, y, _ = regression_data
    search = OptunaSearch(
        KNeighborsRegressor(), {"n_neighbors": IntDistribution(100, 200)}, cv=2, n_trials=2
    )
    with pytest.raises(
        ValueError, match=re.escape("Expected n_neighbors <= n_samples_fit")
    ) as info:
        search.fit(X, y)
    assert any("no trial of study" in note for note in getattr(info.value, "__notes__", []))


def test_clone_and_pickle_round_trip(regression_data, tmp_path):
    """Check that the search clones unfitted and a fitted one pickles with its study."""
    import pickle

    from sklearn.base import clone

    X, y, groups = regression_data
    for storage in (None, f"sqlite:///{tmp_path / 'p.db'}"):
        search = OptunaSearch(
            make_pipeline(StandardScaler(), Ridge()),
            _space(),
            cv=GroupKFold(2),
            n_trials=2,
            storage=storage,
            study_name="p",
            random_state=0,
        )
        assert clone(search).get_params()["storage"] == storage
        search.fit(X, y, groups=groups)
        restored = pickle.loads(pickle.dumps(search))
        np.testing.assert_allclose(restored.predict(X), search.predict(X))
        assert len(restored.study_.trials) == 2
        assert restored.n_features_in_ == 3


# -- a whole multimodal Pipeline on real (synthetic) clips ------------------------------


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    """16 clips (2 classes, 4 actors), 0.5 s at 8 fps, 64x64, with a voice track."""
    from skemotion.datasets import make_synthetic_expressions

    return make_synthetic_expressions(
        16,
        tmp_path_factory.mktemp("optuna-corpus"),
        n_classes=2,
        n_actors=4,
        duration=0.5,
        fps=8,
        size=(64, 64),
        random_state=0,
    )


def _recording_fusion_classifier():
    """A FusionClassifier that records what each fit received and the optimiser's lr."""
    from skemotion.models import FusionClassifier

    class RecordingFusionClassifier(FusionClassifier):
        log = []

        def fit(self, X, y, groups=None, **fit_params):
            entry = {"video": np.array(X["video"]), "audio": np.array(X["audio"])}
            super().fit(X, y, groups=groups, **fit_params)
            entry["lr"] = self.optimizer_.param_groups[0]["lr"]
            RecordingFusionClassifier.log.append(entry)
            return self

    return RecordingFusionClassifier


@pytest.mark.slow
def test_search_over_sampler_face_audio_and_model_parameters(tiny_corpus):
    """Check that each trial applies its sampler, face, audio and model parameters together.

    The Pipeline reads clip paths: FrameSampler -> FaceCropper for the video branch,
    AudioLoader -> SpectralFeatures for the audio branch, joined by ModalityUnion into a
    FusionClassifier. Every fit records the arrays it received; for each trial they must
    equal what that trial's parameters produce when the steps are run by hand, and
    differ from what the other trials' parameters produce.
    """
    from sklearn.pipeline import Pipeline

    from skemotion.audio import AudioLoader, SpectralFeatures
    from skemotion.face import FaceCropper
    from skemotion.models import ModalityUnion
    from skemotion.video import FrameSampler

    paths, y, groups = tiny_corpus.data, tiny_corpus.target, tiny_corpus.groups
    Recorder = _recording_fusion_classifier()

    def sampler(n_frames):
        return FrameSampler(n_frames=n_frames, size=None)

    def cropper(margin):
        return FaceCropper(size=24, margin=margin)

    loader = AudioLoader(sr=8000, duration=0.5)

    def features(n_mfcc):
        return SpectralFeatures(
            features=("mfcc", "rms"), pool=None, sr=8000, n_fft=256, hop_length=128,
            n_mels=20, n_mfcc=n_mfcc,
        )  # fmt: skip

    video = Pipeline([("frames", sampler(3)), ("face", cropper(0.2))])
    audio = Pipeline([("load", loader), ("features", features(8))])
    model = Recorder(
        module__video_hidden_size=4,
        module__audio_hidden_size=4,
        module__fusion_size=4,
        max_epochs=1,
        batch_size=8,
        random_state=0,
    )
    pipe = Pipeline([("union", ModalityUnion(video=video, audio=audio)), ("model", model)])
    space = {
        "union__video__frames__n_frames": IntDistribution(2, 4),
        "union__video__face__margin": FloatDistribution(0.0, 0.5),
        "union__audio__features__n_mfcc": IntDistribution(4, 12),
        "model__lr": FloatDistribution(1e-3, 1e-1, log=True),
    }
    n_trials, cv = 3, GroupKFold(2)
    Recorder.log = []
    search = OptunaSearch(
        pipe, space, cv=cv, n_trials=n_trials, random_state=3, error_score="raise"
    ).fit(paths, y, groups=groups)

    trials = search.study_.trials
    assert len(trials) == n_trials and search.n_trials_run_ == n_trials
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    params = [t.params for t in trials]
    assert params == search.cv_results_["params"]
    for name in space:  # each parameter takes a different value in every trial
        values = [p[name] for p in params]
        assert len(set(values)) == n_trials, (
            f"{name} repeats across trials ({values}); the seeded sampler must draw distinct "
            "values for this test to tell the trials apart (change random_state)"
        )
    # 2 folds per trial, in trial order, then the refit on all clips
    assert len(Recorder.log) == 2 * n_trials + 1
    train0 = next(cv.split(paths, y, groups))[0]
    waves = loader.fit_transform(paths[train0])
    frames = {
        t: sampler(t).fit_transform(paths[train0])
        for t in {p["union__video__frames__n_frames"] for p in params}
    }

    def expected(p):
        clips = cropper(p["union__video__face__margin"]).fit_transform(
            frames[p["union__video__frames__n_frames"]]
        )
        feats = features(p["union__audio__features__n_mfcc"]).fit_transform(waves)
        return clips, feats

    expect = [expected(p) for p in params]
    for i, p in enumerate(params):
        first_fold = Recorder.log[2 * i]
        for fold in Recorder.log[2 * i : 2 * i + 2]:
            assert fold["video"].shape[1:] == (p["union__video__frames__n_frames"], 24, 24, 3)
            assert fold["audio"].shape[2] == p["union__audio__features__n_mfcc"] + 1  # + rms
            assert fold["lr"] == pytest.approx(p["model__lr"])
        for j, (clips, feats) in enumerate(expect):
            same = j == i
            assert same == (
                first_fold["video"].shape == clips.shape
                and np.array_equal(first_fold["video"], clips)
            ), (i, j, "video")
            assert same == (
                first_fold["audio"].shape == feats.shape and np.allclose(first_fold["audio"], feats)
            ), (i, j, "audio")
    # the refit uses the best trial's parameters on all 16 clips, and predicts
    refit = Recorder.log[-1]
    best = search.best_params_
    assert best == trials[search.best_index_].params == search.study_.best_params
    assert refit["video"].shape == (16, best["union__video__frames__n_frames"], 24, 24, 3)
    assert refit["lr"] == pytest.approx(best["model__lr"])
    assert search.best_estimator_.get_params()["union__video__face__margin"] == pytest.approx(
        best["union__video__face__margin"]
    )
    pred = search.predict(paths[:5])
    assert pred.shape == (5,) and set(pred) <= set(y)


def test_resume_with_the_same_random_state_runs_no_candidate_again(regression_data, tmp_path):
    """Check that a search resumed with the same random_state does not draw its first
    candidates again (it used to: trials 3-5 equalled trials 0-2)."""
    X, y, groups = regression_data
    url = f"sqlite:///{tmp_path / 'search.db'}"
    kwargs = dict(scoring="ccc", cv=GroupKFold(2), storage=url, study_name="s", random_state=0,
                  refit=False)
    OptunaSearch(make_pipeline(StandardScaler(), Ridge()), _space(), n_trials=3, **kwargs).fit(
        X, y, groups=groups)
    search = OptunaSearch(make_pipeline(StandardScaler(), Ridge()), _space(), n_trials=6, **kwargs)
    search.fit(X, y, groups=groups)
    params = [t.params["ridge__alpha"] for t in search.study_.trials]
    assert len(params) == 6 and len(set(params)) == 6
    assert search.n_trials_run_ == 3


class FitCounter(RegressorMixin, BaseEstimator):
    """Predicts the training mean times ``scale``; counts its fits."""

    fits = 0

    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, X, y):
        FitCounter.fits += 1
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_ * self.scale)


def test_a_complete_candidate_is_never_fitted_again(regression_data):
    """Check that a candidate equal to a complete trial's reuses its result: with two
    possible candidates, eight trials fit only two candidates."""
    X, y, groups = regression_data
    FitCounter.fits = 0
    search = OptunaSearch(FitCounter(), {"scale": CategoricalDistribution([0.5, 1.0])},
                          scoring="r2", cv=GroupKFold(2), n_trials=8, random_state=0, refit=False)
    search.fit(X, y, groups=groups)
    distinct = {t.params["scale"] for t in search.study_.trials}
    assert search.n_trials_run_ == len(distinct) <= 2
    assert FitCounter.fits == 2 * len(distinct)
    by_scale = {}
    for t in search.study_.trials:
        by_scale.setdefault(t.params["scale"], []).append(t)
    for trials in by_scale.values():
        first, *repeats = trials
        assert "same_as_trial" not in first.user_attrs
        assert all(r.user_attrs["same_as_trial"] == first.number and r.value == first.value
                   for r in repeats)


def test_trials_of_a_dead_process_are_failed_at_resume(regression_data, tmp_path):
    """Check that at resume a RUNNING trial whose process on this machine has ended is
    marked FAIL with the reason, while a trial of another machine and one of a live
    process stay RUNNING."""
    import socket
    import subprocess
    import sys

    from skemotion.model_selection import make_storage

    X, y, groups = regression_data
    url = f"sqlite:///{tmp_path / 'search.db'}"
    study = optuna.create_study(storage=make_storage(url), study_name="s", direction="maximize")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    owners = [{"host": host, "pid": dead.pid, "started": None},
              {"host": "another-machine", "pid": dead.pid, "started": None},
              {"host": host, "pid": os.getpid(), "started": None}]
    for owner in owners:
        study.ask().set_user_attr("skemotion_process", owner)
    search = OptunaSearch(make_pipeline(StandardScaler(), Ridge()), _space(), scoring="ccc",
                          cv=GroupKFold(2), n_trials=4, storage=url, study_name="s",
                          random_state=0, refit=False).fit(X, y, groups=groups)
    assert search.orphaned_trials_ == [0]
    trials = search.study_.trials
    assert [t.state.name for t in trials[:3]] == ["FAIL", "RUNNING", "RUNNING"]
    assert trials[0].user_attrs["fail_reason"] == (
        f"its process (pid {dead.pid} on {host}) ended while the trial ran")
    # FAIL counts as finished: 1 failed + 3 complete = n_trials
    assert search.n_trials_run_ == 3 and len(search.cv_results_["params"]) == 4
