"""Fast settings and tiny inputs for every model (imblearn's INIT_PARAMS idea).

A test that takes a ``model_cls`` argument runs once per model class.
"""

import numpy as np
import pytest
from skorch.helper import SliceDict

from skemotion.models import (
    C3DLSTMClassifier,
    C3DLSTMRegressor,
    CNNLSTMClassifier,
    CNNLSTMRegressor,
    ConvLSTMClassifier,
    ConvLSTMRegressor,
    FrameCNNClassifier,
    FrameCNNRegressor,
    FusionClassifier,
    FusionRegressor,
    SequenceLSTMClassifier,
    SequenceLSTMRegressor,
)

# smallest networks that still exercise every layer
FAST_PARAMS = {
    SequenceLSTMClassifier: dict(module__hidden_size=8),
    SequenceLSTMRegressor: dict(module__hidden_size=8),
    FrameCNNClassifier: dict(),
    FrameCNNRegressor: dict(),
    CNNLSTMClassifier: dict(module__hidden_size=8),
    CNNLSTMRegressor: dict(module__hidden_size=8),
    ConvLSTMClassifier: dict(module__hidden_channels=4, module__num_layers=1),
    ConvLSTMRegressor: dict(module__hidden_channels=4, module__num_layers=1),
    C3DLSTMClassifier: dict(module__base_filters=4, module__n_blocks=3),
    C3DLSTMRegressor: dict(module__base_filters=4, module__n_blocks=3),
    FusionClassifier: dict(
        module__video_hidden_size=8, module__audio_hidden_size=8, module__fusion_size=8
    ),
    FusionRegressor: dict(
        module__video_hidden_size=8, module__audio_hidden_size=8, module__fusion_size=8
    ),
}

ALL_MODELS = list(FAST_PARAMS)


def make_model(cls, **params):
    """A fast instance of ``cls`` (2 epochs, seeded) with ``params`` on top."""
    kwargs = dict(FAST_PARAMS[cls], max_epochs=2, batch_size=8, random_state=0)
    kwargs.update(params)
    return cls(**kwargs)


def make_data(cls, n=12, seed=0):
    """Tiny inputs in the layout ``cls`` is made for, and matching targets."""
    rng = np.random.default_rng(seed)
    kind = cls._input.kind
    if kind == "sequence":
        X = rng.normal(size=(n, 5, 3)).astype(np.float32)
    elif kind == "frames":
        X = rng.integers(0, 256, size=(n, 12, 12, 3), dtype=np.uint8)
    elif kind == "clips":
        X = rng.integers(0, 256, size=(n, 3, 12, 12, 3), dtype=np.uint8)
    else:
        X = SliceDict(
            video=rng.integers(0, 256, size=(n, 3, 12, 12, 3), dtype=np.uint8),
            audio=rng.normal(size=(n, 6, 4)).astype(np.float32),
        )
    if cls._is_classifier:
        y = np.array(["neutral", "happy", "sad"])[np.arange(n) % 3]
    else:
        y = rng.normal(size=n).astype(np.float32)
    return X, y


def pytest_generate_tests(metafunc):
    if "model_cls" in metafunc.fixturenames:
        metafunc.parametrize("model_cls", ALL_MODELS, ids=[c.__name__ for c in ALL_MODELS])


@pytest.fixture(name="make_model")
def _make_model_fixture():
    return make_model


@pytest.fixture(name="make_data")
def _make_data_fixture():
    return make_data
