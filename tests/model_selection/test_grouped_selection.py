"""Tests for grouped nested CV: groups reach every split, and leakage is caught."""

import re

import numpy as np
import pytest
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    LeaveOneGroupOut,
    StratifiedKFold,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skemotion.model_selection import (
    OptunaSearch,
    check_group_cv,
    cv_results_frame,
    nested_cross_validate,
)


def make_leaky_corpus(
    n_actors, clips_per_actor, *, actor_bias=0.9, signal=1.35, n_sig=3, random_state=0
):
    """Features with a weak emotion cue plus a strong actor signature.

    Each actor mostly expresses one emotion (``actor_bias`` of their clips), as in
    small acted corpora where actors record unequal numbers of clips per class.
    Features = ``signal`` x class indicator (generalises to new actors) + a large
    per-actor signature (identifies the actor, and so their usual emotion) + noise.
    """
    rng = np.random.default_rng(random_state)
    n_classes = 2
    groups = np.repeat(np.arange(n_actors), clips_per_actor)
    usual = rng.permutation(np.arange(n_actors) % n_classes)  # balanced over actors
    y = np.where(
        rng.random(groups.size) < actor_bias,
        usual[groups],
        rng.integers(0, n_classes, size=groups.size),
    )
    signature = rng.normal(scale=3.0, size=(n_actors, n_sig))
    X = np.c_[
        signal * y + rng.normal(size=groups.size),  # the emotion cue, 1 feature
        signature[groups] + 0.3 * rng.normal(size=(groups.size, n_sig)),  # identity
    ]
    return X, y, groups


def _show_figures(request, capsys, title, **figures):
    """Print the figures even under output capture (CI's plain ``pytest``) and attach them.

    ``capsys.disabled()`` writes straight to the terminal, so the line appears in the CI
    log without ``-s``. Each figure is also attached to the test report
    (``report.user_properties``, what ``record_property`` does, without its warning
    under the default xunit2 JUnit XML, which cannot hold them).
    """
    for name, value in figures.items():
        request.node.user_properties.append((name, round(float(value), 4)))
    line = ", ".join(f"{name.replace('_', ' ')} = {value:.3f}" for name, value in figures.items())
    with capsys.disabled():
        print(f"\n{title}: {line}")


def test_grouped_evaluation_is_honest_and_random_splits_leak(request, capsys):
    """Check that grouped nested CV reports the honest score while random splits overestimate.

    The honest level is measured on 100 actors never seen in training (a fresh corpus
    from the same generator); grouped CV must land near it, random-split CV far above.
    """
    X, y, groups = make_leaky_corpus(48, 5, random_state=0)
    pipe = make_pipeline(StandardScaler(), KNeighborsClassifier())
    grid = {"kneighborsclassifier__n_neighbors": [1, 5, 15]}

    grouped = nested_cross_validate(
        GridSearchCV(pipe, grid, cv=GroupKFold(3)),
        X,
        y,
        groups=groups,
        cv=GroupKFold(4),
        return_estimator=True,
    )
    leaky = cross_validate(
        GridSearchCV(pipe, grid, cv=KFold(3, shuffle=True, random_state=0)),
        X,
        y,
        cv=KFold(4, shuffle=True, random_state=0),
    )
    # honest: select on all 48 actors with grouped CV, test on 100 new actors
    X_new, y_new, _ = make_leaky_corpus(100, 10, random_state=100)
    honest = GridSearchCV(pipe, grid, cv=GroupKFold(3)).fit(X, y, groups=groups).score(X_new, y_new)

    grouped_score, leaky_score = grouped["test_score"].mean(), leaky["test_score"].mean()
    _show_figures(
        request,
        capsys,
        "identity leakage",
        grouped_CV_accuracy=grouped_score,
        random_split_CV_accuracy=leaky_score,
        unseen_actors_accuracy=honest,
    )
    assert leaky_score > grouped_score + 0.15
    assert abs(grouped_score - honest) < 0.1
    assert leaky_score > honest + 0.15
    # every outer fold's search was fitted on actors disjoint from its test actors
    for est, (train, test) in zip(
        grouped["estimator"], GroupKFold(4).split(X, y, groups), strict=True
    ):
        assert set(groups[train]).isdisjoint(groups[test])
        assert est.n_splits_ == 3


class EarlyStoppingRecorder(ClassifierMixin, BaseEstimator):
    """Records, for each fit, its samples' groups (column 0 of X) and the groups it got.

    Stands in for a skorch net whose train_split holds out whole actors for early stopping.
    """

    fits = []
    scored = []

    def fit(self, X, y, groups=None):
        self.train_groups_ = set(X[:, 0].tolist())
        EarlyStoppingRecorder.fits.append(
            (X[:, 0].copy(), None if groups is None else np.asarray(groups).copy())
        )
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        EarlyStoppingRecorder.scored.append((self.train_groups_, set(X[:, 0].tolist())))
        return np.full(len(X), self.classes_[0])


def test_groups_reach_outer_inner_and_estimator_splits():
    """Check that outer CV, inner search CV and the estimator's fit all see aligned groups."""
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(8), 4)
    X = np.c_[groups, rng.normal(size=(32, 2))]
    y = np.tile([0, 1], 16)
    EarlyStoppingRecorder.fits, EarlyStoppingRecorder.scored = [], []
    with config_context(enable_metadata_routing=True):
        est = EarlyStoppingRecorder()  # fit_groups=True sets the request on a clone
    search = GridSearchCV(est, {}, cv=2)
    nested_cross_validate(search, X, y, groups=groups, cv=4, fit_groups=True)
    # 4 outer folds x (2 inner fits + 1 refit)
    assert len(EarlyStoppingRecorder.fits) == 4 * 3
    for samples_groups, received in EarlyStoppingRecorder.fits:
        np.testing.assert_array_equal(samples_groups, received)
    # every score was on actors the model never trained on (inner and outer)
    assert len(EarlyStoppingRecorder.scored) == 4 * 2 + 4
    for trained, tested in EarlyStoppingRecorder.scored:
        assert trained.isdisjoint(tested)


def test_nested_with_optuna_search_and_ccc():
    """Check nested_cross_validate around OptunaSearch with the CCC scorer name."""
    from optuna.distributions import FloatDistribution
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 3))
    y = X @ [1.0, -0.5, 0.2] + 0.3 * rng.normal(size=48)
    groups = np.repeat(np.arange(8), 6)
    search = OptunaSearch(
        Ridge(),
        {"alpha": FloatDistribution(1e-2, 1e2, log=True)},
        scoring="ccc",
        cv=2,
        n_trials=3,
        random_state=0,
    )
    res = nested_cross_validate(search, X, y, groups=groups, cv=4, scoring=["ccc", "r2"])
    assert res["test_ccc"].shape == (4,) and np.all(res["test_ccc"] > 0.8)
    frame = cv_results_frame(res)
    assert set(frame["metric"]) == {"ccc", "r2"} and len(frame) == 8


def test_check_group_cv():
    """Check which splitters pass as group-aware."""
    assert isinstance(check_group_cv(4), GroupKFold)
    logo = LeaveOneGroupOut()
    assert check_group_cv(logo) is logo
    for bad in (KFold(3), StratifiedKFold(3), [(np.arange(2), np.arange(2, 4))]):
        with pytest.raises(ValueError, match=re.escape("which ignores groups")):
            check_group_cv(bad)


def test_nested_errors():
    """Check the errors for missing groups, leaky inner CV and estimators without groups."""
    X, y = np.zeros((8, 2)), np.tile([0, 1], 4)
    groups = np.repeat(np.arange(4), 2)
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2)
    with pytest.raises(ValueError, match=re.escape("nested_cross_validate needs groups")):
        nested_cross_validate(search, X, y, groups=None)
    with pytest.raises(ValueError, match=re.escape("groups has 3 entries but X has 8 samples")):
        nested_cross_validate(search, X, y, groups=groups[:3])
    with pytest.raises(ValueError, match=re.escape("The 'search.cv' parameter must be")):
        nested_cross_validate(search.set_params(cv=KFold(2)), X, y, groups=groups, cv=2)
    with pytest.raises(
        ValueError, match=re.escape("The 'search' parameter of nested_cross_validate")
    ):
        nested_cross_validate(LogisticRegression(), X, y, groups=groups)
    from optuna.distributions import FloatDistribution

    shared = OptunaSearch(
        LogisticRegression(),
        {"C": FloatDistribution(0.1, 1.0)},
        storage="sqlite:///x.db",
        study_name="s",
    )
    with pytest.raises(ValueError, match=re.escape("every outer fold would add its trials")):
        nested_cross_validate(shared, X, y, groups=groups)
    with pytest.raises(ValueError, match=re.escape("fit_groups=True needs the final estimator")):
        nested_cross_validate(
            GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2),
            X,
            y,
            groups=groups,
            cv=2,
            fit_groups=True,
        )


@pytest.mark.slow
def test_leakage_planted_in_synthetic_video_corpus(tmp_path, request, capsys):
    """Check grouped vs. random-split CV on real synthetic clips whose actors favour one class.

    Features are colour statistics of the frames: they identify the actor (skin, hair,
    background, lighting) but carry almost no expression. Keeping 4 clips of each actor's
    usual class and 1 of the other plants the actor -> label association of small acted
    corpora. The honest level is chance (0.5): on the balanced corpus, where actors carry
    no label information, the same pipeline scores about that.
    """
    from skemotion.datasets import make_synthetic_expressions
    from skemotion.io import read_frames

    corpus = make_synthetic_expressions(
        96,
        tmp_path,
        n_classes=2,
        n_actors=12,
        duration=0.5,
        fps=8,
        size=(32, 32),
        with_audio=False,
        random_state=0,
    )
    frames = np.stack([read_frames(p, n_frames=4) for p in corpus.data]).astype(np.float32) / 255
    X_all = np.c_[frames.mean(axis=(1, 2, 3)), frames.std(axis=(1, 2, 3))]
    y_all, g_all = corpus.target, corpus.groups
    usual = np.arange(12) % 2
    keep = []
    for actor in range(12):
        idx = np.flatnonzero(g_all == actor)
        keep += list(idx[y_all[idx] == usual[actor]][:4]) + list(
            idx[y_all[idx] != usual[actor]][:1]
        )
    keep = np.sort(keep)
    X, y, groups = X_all[keep], y_all[keep], g_all[keep]
    assert len(y) == 60 and np.bincount(y).tolist() == [30, 30]

    pipe = make_pipeline(StandardScaler(), KNeighborsClassifier())
    grid = {"kneighborsclassifier__n_neighbors": [1, 3, 5]}

    def grouped_score(X, y, groups):
        search = GridSearchCV(pipe, grid, cv=GroupKFold(3))
        return nested_cross_validate(search, X, y, groups=groups, cv=GroupKFold(4))[
            "test_score"
        ].mean()

    def random_split_score(X, y):
        search = GridSearchCV(pipe, grid, cv=KFold(3, shuffle=True, random_state=0))
        return cross_validate(search, X, y, cv=KFold(4, shuffle=True, random_state=0))[
            "test_score"
        ].mean()

    grouped, leaky = grouped_score(X, y, groups), random_split_score(X, y)
    balanced = grouped_score(X_all, y_all, g_all)
    _show_figures(
        request,
        capsys,
        "synthetic clips, identity leakage (honest level: the balanced corpus, chance 0.5)",
        grouped_CV_accuracy=grouped,
        random_split_CV_accuracy=leaky,
        balanced_corpus_accuracy=balanced,  # the honest level: chance
    )
    assert leaky > grouped + 0.15
    # Grouped CV must not overestimate: it stays at or below the honest level (chance,
    # + 2 standard errors for 60 clips). Held-out actors whose usual class is the other
    # one can pull it below chance, which is still an honest (not inflated) estimate.
    assert grouped < 0.5 + 0.13
    assert abs(balanced - 0.5) < 0.12
