"""FrameSampler inside Pipeline and GridSearchCV: end to end, and each video decoded once."""

import os
import threading
from collections import Counter

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import skemotion.io
from skemotion.face import FaceCropper
from skemotion.video import FrameSampler


def _flatten(frames):
    return np.asarray(frames, dtype=np.float32).reshape(len(frames), -1) / 255.0


def _pipeline(tmp_path, *, crop=False, **sampler_params):
    steps = [
        FrameSampler(n_frames=3, size=(16, 16), color="gray", memory=tmp_path / "clips",
                     **sampler_params),
        FunctionTransformer(_flatten),
        LogisticRegression(max_iter=200),
    ]
    if crop:
        steps.insert(1, FaceCropper(size=16, on_no_face="center"))
    return make_pipeline(*steps, memory=joblib.Memory(tmp_path / "pipeline", verbose=0))


@pytest.fixture
def corpus16(synthetic_corpus):
    """The first 16 clips of the synthetic corpus: 4 classes x 4 actors."""
    corpus = synthetic_corpus
    return corpus.data[:16], corpus.target[:16], corpus.groups[:16]


@pytest.fixture
def corpus8(synthetic_corpus):
    """The first 8 clips of the synthetic corpus: 4 classes x 2 actors."""
    corpus = synthetic_corpus
    return corpus.data[:8], corpus.target[:8], corpus.groups[:8]


@pytest.fixture
def decode_log(monkeypatch):
    """Record every call to skemotion.io.read_frames in this process (thread-safe)."""
    calls, lock = [], threading.Lock()
    real = skemotion.io.read_frames

    def counting(path, **kwargs):
        with lock:
            calls.append((os.fspath(path), kwargs["n_frames"]))
        return real(path, **kwargs)

    monkeypatch.setattr(skemotion.io, "read_frames", counting)
    return calls


def test_search_decodes_each_video_once_per_sampler_setting(corpus8, tmp_path, decode_log):
    """Check that a grid search decodes each video once per distinct sampler setting."""
    X, y, groups = corpus8
    search = GridSearchCV(
        _pipeline(tmp_path),
        {"framesampler__n_frames": [2, 3], "logisticregression__C": [0.1, 1.0]},
        cv=GroupKFold(n_splits=2),
        n_jobs=1,
    )
    search.fit(X, y, groups=groups)
    # 2 sampler settings x (2 folds x 2 C values + refit), each video decoded once per setting.
    assert Counter(decode_log) == {(p, n): 1 for p in X for n in (2, 3)}
    assert len(search.cv_results_["mean_test_score"]) == 4


def test_search_with_parallel_workers_decodes_once(corpus8, tmp_path, decode_log):
    """Check that concurrent search workers wait for each other instead of decoding again."""
    X, y, groups = corpus8
    search = GridSearchCV(
        _pipeline(tmp_path),
        {"logisticregression__C": [0.1, 1.0, 10.0]},
        cv=GroupKFold(n_splits=2),
        n_jobs=2,
    )
    with joblib.parallel_config(backend="threading"):  # shares this process's decode log
        search.fit(X, y, groups=groups)
    assert Counter(decode_log) == {(p, 3): 1 for p in X}


@pytest.mark.slow
def test_search_end_to_end_with_processes(corpus16, tmp_path):
    """Check GridSearchCV(FrameSampler, FaceCropper, flatten, classifier) with n_jobs=2."""
    X, y, groups = corpus16
    pipe = _pipeline(tmp_path, crop=True, memmap_dir=tmp_path / "frames")
    pipe.set_params(
        framesampler__n_frames=2, framesampler__size=(64, 64), framesampler__color="rgb"
    )
    search = GridSearchCV(
        pipe, {"logisticregression__C": [0.1, 1.0]}, cv=GroupKFold(n_splits=2), n_jobs=2
    )
    search.fit(X, y, groups=groups)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    predictions = search.predict(X[::-1])
    assert predictions.shape == (len(X),)
    assert set(predictions) <= set(y)
    # One cache entry per video: the loky workers shared the per-clip cache.
    entries = [f for f in os.listdir(tmp_path / "clips" / "skemotion_frames") if f.endswith(".npy")]
    assert len(entries) == len(X)
    assert any(f.startswith("frames_") for f in os.listdir(tmp_path / "frames"))
