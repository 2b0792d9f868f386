"""skemotion's estimator contract for every public estimator that is not a skorch model.

The skorch models have their own table and checks in ``tests/models/test_models_common.py``
(sklearn's common checks, data-free API checks and this same contract). Here: the media
transformers (paths in), the array transformers, ``ModalityUnion`` and ``OptunaSearch``.

For each: sklearn's data-free API checks by name, then Pipeline, GridSearchCV, clone, pickle
round trip, fit returns self, same seed gives the same output, and one output row per input
row in input order.
"""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as ec

from skemotion.audio import AudioLoader, SequenceScaler, SpectralFeatures, Spectrogram
from skemotion.face import FaceCropper, FaceLandmarker, FaceMasker, LandmarkFeatures
from skemotion.model_selection import OptunaSearch
from skemotion.models import ModalityUnion
from skemotion.utils import all_estimators
from skemotion.video import FrameSampler


def _optuna_search():
    from optuna.distributions import FloatDistribution

    return OptunaSearch(Ridge(), {"alpha": FloatDistribution(0.1, 10.0)}, n_trials=2, cv=2, random_state=0)


# name -> (fast instance factory, input kind, a parameter and two values for GridSearchCV)
CASES = {
    "FrameSampler": (lambda: FrameSampler(n_frames=4, size=(32, 32)), "paths", ("n_frames", [2, 4])),
    "AudioLoader": (lambda: AudioLoader(sr=8000, duration=0.5), "paths", ("duration", [0.25, 0.5])),
    "ModalityUnion": (
        lambda: ModalityUnion(video=FrameSampler(n_frames=2, size=(16, 16)), audio=AudioLoader(sr=8000, duration=0.5)),
        "paths",
        ("video__n_frames", [1, 2]),
    ),
    "FaceCropper": (lambda: FaceCropper(size=24, on_no_face="center"), "frames", ("margin", [0.1, 0.3])),
    "FaceMasker": (lambda: FaceMasker(size=24, on_no_face="center"), "frames", ("margin", [0.1, 0.3])),
    # both need LiteRT (the blazeface extra, part of the test extra)
    "FaceLandmarker": (lambda: FaceLandmarker(), "frames", ("min_presence", [0.5, 0.7])),
    "LandmarkFeatures": (lambda: LandmarkFeatures(), "landmarks",
                         ("pool", [("mean",), ("mean", "std")])),
    "SpectralFeatures": (lambda: SpectralFeatures(sr=8000, n_fft=256, hop_length=128), "waves", ("n_mfcc", [8, 13])),
    "Spectrogram": (lambda: Spectrogram(sr=8000, n_fft=256, hop_length=128, n_mels=16), "waves", ("n_mels", [8, 16])),
    "SequenceScaler": (lambda: SequenceScaler(), "sequences", ("with_mean", [True, False])),
    "OptunaSearch": (_optuna_search, "table", None),
}


def test_every_estimator_is_covered():
    """Check that every public estimator has a contract test here or in tests/models."""
    for name, cls in all_estimators():
        is_model = hasattr(cls, "_input")  # skorch family: tests/models/test_models_common.py
        assert is_model or name in CASES, f"{name} has no entry in tests/test_common.py CASES"


@pytest.fixture(scope="module")
def inputs(synthetic_corpus):
    paths = np.asarray(synthetic_corpus.data[:8], dtype=object)
    y = np.asarray(synthetic_corpus.target[:8])
    groups = np.asarray(synthetic_corpus.groups[:8])
    frames = FrameSampler(n_frames=3, size=(64, 64)).fit_transform(paths)
    waves = AudioLoader(sr=8000, duration=0.5).fit_transform(paths)
    rng = np.random.default_rng(0)
    table = rng.normal(size=(8, 3))
    sequences = SpectralFeatures(sr=8000, n_fft=256, hop_length=128, pool=None).fit_transform(waves)
    return {"paths": paths, "frames": frames, "waves": waves, "sequences": sequences, "table": table,
            "y": y, "groups": groups,
            "target": table @ np.array([1.0, -2.0, 0.5])}


def _output(est, X, y):
    if hasattr(est, "transform"):
        out = est.transform(X)
    else:
        out = est.predict(X)
    if isinstance(out, dict) or hasattr(out, "keys"):  # SliceDict
        return {k: np.asarray(out[k]) for k in out.keys()}
    return np.asarray(out)


def _assert_same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    else:
        np.testing.assert_array_equal(a, b)


def _assert_close(a, b):
    """Equal up to float32 rounding: batched BLAS sums (librosa's mel projection) depend on
    where a sample sits in the batch with some numpy builds (7.6e-6 dB measured)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _assert_close(a[k], b[k])
    elif np.issubdtype(np.asarray(a).dtype, np.floating):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    else:
        np.testing.assert_array_equal(a, b)


def _take(out, idx):
    return {k: v[idx] for k, v in out.items()} if isinstance(out, dict) else out[idx]


# these run MediaPipe's models on LiteRT (the blazeface extra, in the test extra but for aarch64)
_NEED_LITERT = {"FaceLandmarker", "LandmarkFeatures"}


def _xy(kind, inputs, name):
    if name in _NEED_LITERT:
        pytest.importorskip("ai_edge_litert.interpreter", reason=f"{name} needs ai-edge-litert")
    if kind == "landmarks" and "landmarks" not in inputs:  # made once, on first use
        inputs["landmarks"] = FaceLandmarker().fit_transform(inputs["frames"])
    y = inputs["target"] if kind == "table" else inputs["y"]
    return inputs[kind], y


DATA_FREE_CHECKS = [
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_valid_tag_types",
    "check_estimator_tags_renamed",
]


@pytest.mark.parametrize("check_name", DATA_FREE_CHECKS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_data_free_api_checks(name, check_name):
    """Check sklearn's API checks that need no data."""
    est = CASES[name][0]()
    getattr(ec, check_name)(name, est)


@pytest.mark.parametrize("name", sorted(CASES))
def test_contract(name, inputs):
    """Check fit returns self, clone, pickle, determinism and one row per input in input order."""
    factory, kind, _ = CASES[name]
    X, y = _xy(kind, inputs, name)
    est = factory()
    assert est.fit(X, y) is est
    out = _output(est, X, y)
    n = len(X)
    first = next(iter(out.values())) if isinstance(out, dict) else out
    assert len(first) == n
    # Same settings, same output (and from a pickled copy, and from a clone refitted).
    _assert_same(_output(pickle.loads(pickle.dumps(est)), X, y), out)
    _assert_same(_output(clone(est).fit(X, y), X, y), out)
    # Output order follows input order (samples differ by far more than the rounding allowed).
    perm = np.random.default_rng(1).permutation(n)
    if kind != "table":  # OptunaSearch refits on reordered data; its ordering is covered by Ridge
        _assert_close(_output(est, X[perm], y), _take(out, perm))


@pytest.mark.parametrize("name", [n for n in sorted(CASES) if CASES[n][2] is not None])
def test_pipeline_and_grid_search(name, inputs):
    """Check the estimator inside a Pipeline searched by GridSearchCV with grouped folds."""
    factory, kind, (param, values) = CASES[name]
    X, y = _xy(kind, inputs, name)
    flatten = FunctionTransformer(_flatten)
    pipe = Pipeline([("step", factory()), ("flat", flatten), ("clf", LogisticRegression(max_iter=200))])
    search = GridSearchCV(pipe, {f"step__{param}": values}, cv=GroupKFold(2), error_score="raise")
    search.fit(X, y, groups=inputs["groups"])
    assert len(search.cv_results_["params"]) == 2
    assert search.predict(X).shape == (len(X),)


def _flatten(out):
    if hasattr(out, "keys"):
        return np.hstack([np.asarray(out[k], dtype=np.float32).reshape(len(out), -1) for k in out.keys()])
    return np.asarray(out, dtype=np.float32).reshape(len(out), -1)


def test_optuna_search_in_pipeline(inputs):
    """Check OptunaSearch as the last step of a Pipeline and under clone."""
    pipe = make_pipeline(FunctionTransformer(), _optuna_search())
    pipe.fit(inputs["table"], inputs["target"])
    assert pipe.predict(inputs["table"]).shape == (8,)
    assert clone(pipe).get_params()["optunasearch__n_trials"] == 2


def _transformer_names():
    return [name for name, _ in all_estimators(type_filter="transformer")]


def test_every_transformer_is_in_the_pandas_output_test():
    """Check that the pandas-output test below covers every public transformer."""
    assert set(_transformer_names()) <= set(CASES)


@pytest.mark.parametrize("container", ["pandas", "global-pandas"])
@pytest.mark.parametrize("name", _transformer_names())
def test_pipeline_set_output_pandas(name, container, inputs):
    """Check Pipeline.set_output(transform="pandas") on every public transformer.

    2-D outputs come back as a DataFrame whose columns are get_feature_names_out() and
    whose values equal the default output; outputs that are not 2-D (frames, waveforms
    batched as media, sequences, SliceDict) come back unwrapped and unchanged.
    """
    import sklearn

    factory, kind, _ = CASES[name]
    X, y = _xy(kind, inputs, name)
    expected = _output(clone(factory()).fit(X, y), X, y)
    pipe = Pipeline([("step", factory())])
    if container == "pandas":
        out = pipe.set_output(transform="pandas").fit(X, y).transform(X)
        searched = clone(pipe).fit(X, y).transform(X)  # a search's clone keeps the setting
    else:
        with sklearn.config_context(transform_output="pandas"):
            out = pipe.fit(X, y).transform(X)
            searched = clone(pipe).fit(X, y).transform(X)
    # AudioLoader's mono waveforms are 2-D, but their columns are samples, not features.
    wrapped = isinstance(expected, np.ndarray) and expected.ndim == 2 and name not in {"AudioLoader"}
    for result in (out, searched):
        if wrapped:
            assert isinstance(result, pd.DataFrame), type(result)
            np.testing.assert_array_equal(result.columns, pipe.get_feature_names_out())
            _assert_close(result.to_numpy(), expected)
        else:
            assert not isinstance(result, pd.DataFrame)
            _assert_close(_output_of(result), expected)


def _output_of(result):
    if hasattr(result, "keys"):
        return {k: np.asarray(result[k]) for k in result.keys()}
    return np.asarray(result)


def test_audio_features_pipeline_gives_named_columns(inputs):
    """Check paths -> AudioLoader -> SpectralFeatures -> StandardScaler as a named DataFrame."""
    from sklearn.preprocessing import StandardScaler

    pipe = Pipeline([
        ("load", AudioLoader(sr=8000, duration=0.5)),
        ("features", SpectralFeatures(sr=8000, n_fft=256, hop_length=128, pool=["mean", "std"])),
        ("scale", StandardScaler()),
    ]).set_output(transform="pandas")
    table = pipe.fit_transform(inputs["paths"])
    assert isinstance(table, pd.DataFrame)
    assert table.shape[0] == len(inputs["paths"])
    assert list(table.columns[:2]) == ["mfcc_0_mean", "mfcc_1_mean"]
    assert "rms_std" in table.columns
    np.testing.assert_array_equal(pipe.get_feature_names_out(), table.columns)
    assert pipe[:-1].get_feature_names_out()[0] == "mfcc_0_mean"


def test_sequence_pipeline_set_output_passes_3d_through(inputs):
    """Check that SequenceScaler under set_output("pandas") returns its 3-D output unwrapped."""
    X = inputs["sequences"]
    scaler = SequenceScaler().set_output(transform="pandas")
    out = scaler.fit_transform(X)
    assert isinstance(out, np.ndarray) and out.shape == X.shape
    np.testing.assert_array_equal(out, SequenceScaler().fit_transform(X))
    table = scaler.fit_transform(X[:, 0, :])
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == [f"x{i}" for i in range(X.shape[2])]


def test_media_set_output_rejects_unknown_containers():
    """Check that set_output names the accepted containers on a media step."""
    msg = ("The 'transform' parameter of FrameSampler.set_output must be a str among "
           "{'default', 'pandas', 'polars'} or None. Got 'arrow' instead.")
    with pytest.raises(ValueError, match=re.escape(msg)):
        FrameSampler().set_output(transform="arrow")
