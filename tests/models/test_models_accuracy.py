"""Learning on the synthetic corpus (slow): real clips, real sklearn machinery.

Figures measured on the synthetic corpus (4 classes, 4 actors, 1 s at 15 fps):

- SequenceLSTMClassifier (bidirectional, hidden 40, last steps of both
  directions, weight decay 1e-3) on frame-level spectral features with
  ``"f0"`` and ``"voicing"``, GroupKFold by actor on 64 clips, seeds 0 / 1 / 2:
  1.0 / 0.984 / 0.953 (chance 0.25); 0.78 / 0.84 / 0.84 without the pitch
  features. Over corpus seeds 0, 1, 2 and model seeds 0, 1, 2 the mean is 0.963
  and the lowest 0.922. Asserted at seed 0: the issue's 0.9.
- On the pipeline a user would build, FrameSampler (8 frames at 64x64) ->
  FaceCropper(size=32) -> model with its defaults, GroupKFold(4) by actor on 64
  clips, batch 8, 30 epochs (ConvLSTM 20), seeds 0 / 1 / 2: FrameCNN 0.969 /
  0.969 / 1.0, CNNLSTM 0.938 / 0.938 / 0.984, ConvLSTM 0.969 / 0.906 / 1.0.
  C3DLSTM at 30 epochs swings with the seed (0.906 / 0.766 / 0.938; with one
  torch thread a mean of 0.892 and a lowest run of 0.828 over seeds 0-9).
  Trained 45 epochs with WeightAveraging(start=15) and one torch thread it
  gives 0.969 / 0.906 / 0.922 (mean 0.934, lowest 0.875 over seeds 0-9); with
  two threads 0.906 / 0.906 / 0.953, as the thread count changes the
  arithmetic. docs/user_guide/models.rst says what got there. Asserted at seed
  0: the issue's 0.9 for each, C3DLSTM on one thread.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skemotion.audio import SequenceScaler
from skemotion.models import (
    C3DLSTMClassifier,
    CNNLSTMClassifier,
    ConvLSTMClassifier,
    FrameCNNClassifier,
    SequenceLSTMClassifier,
    WeightAveraging,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus64(tmp_path_factory):
    """64 clips (4 classes, 4 actors, 1 s at 15 fps, 64x64, with audio), seed 0."""
    from skemotion.datasets import make_synthetic_expressions

    return make_synthetic_expressions(64, tmp_path_factory.mktemp("corpus64"), random_state=0)


@pytest.fixture(scope="module")
def spectral_sequences(corpus64):
    from skemotion.audio import AudioLoader, SpectralFeatures

    wav = AudioLoader(sr=16000, duration=1.0).fit_transform(corpus64.data)
    features = ("mfcc", "centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms", "f0", "voicing")
    feats = SpectralFeatures(
        features=features, sr=16000, n_fft=512, hop_length=256, pool=None, n_mfcc=13
    )
    return feats.fit_transform(wav)


@pytest.fixture(scope="module")
def clips(synthetic_corpus):
    from skemotion.io import read_frames

    return np.stack([read_frames(p, n_frames=8, size=(32, 32)) for p in synthetic_corpus.data])


def test_sequence_lstm_on_spectral_features_generalises_across_actors(
    corpus64, spectral_sequences, record_property
):
    """Check SequenceLSTM on spectral features reaches 0.9 under GroupKFold by actor."""
    X, y, groups = spectral_sequences, corpus64.target, corpus64.groups
    assert X.ndim == 3 and X.shape[0] == len(y)
    model = make_pipeline(
        SequenceScaler(),
        SequenceLSTMClassifier(
            module__hidden_size=40,
            module__bidirectional=True,
            module__pooling="last",
            optimizer__weight_decay=1e-3,
            max_epochs=60,
            lr=3e-3,
            batch_size=8,
            random_state=0,
        ),
    )
    scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(4))
    record_property("SequenceLSTM accuracy on unseen actors", round(float(scores.mean()), 3))
    assert scores.mean() >= 0.9, scores


def test_frame_cnn_fits_the_real_frames(synthetic_corpus, clips):
    """Check FrameCNN learns the last decoded uint8 frame of the 32 clips (training accuracy).

    Held-out actors stay near chance on this 32-clip corpus (see the module
    docstring), so this checks the training path end to end: decoding, uint8
    scaling, label encoding, optimisation and prediction order.
    """
    y = synthetic_corpus.target
    model = FrameCNNClassifier(max_epochs=30, lr=1e-3, batch_size=8, random_state=0)
    model.fit(clips[:, -1], y)
    assert (model.predict(clips[:, -1]) == y).mean() >= 0.9


def test_cnn_lstm_fits_the_real_clips(synthetic_corpus, clips):
    """Check CNNLSTM learns 4-frame uint8 clips of the corpus (training accuracy)."""
    y = synthetic_corpus.target
    model = CNNLSTMClassifier(
        module__hidden_size=32, max_epochs=25, lr=1e-3, batch_size=8, random_state=0
    )
    model.fit(clips[:, ::2], y)
    assert (model.predict(clips[:, ::2]) == y).mean() >= 0.9


@pytest.fixture(scope="module")
def face_crops(corpus64):
    """64 clips, 8 frames at 64x64, face-cropped to 32x32: what a user's pipeline feeds a model."""
    from skemotion.face import FaceCropper
    from skemotion.video import FrameSampler

    corpus = corpus64
    frames = FrameSampler(n_frames=8, size=(64, 64)).fit_transform(corpus.data)
    crops = FaceCropper(size=32, on_no_face="center").fit_transform(frames)
    return crops, corpus.target, corpus.groups


# Settings measured with seeds 0, 1, 2 (C3DLSTM 0-9) on these crops; see the module docstring.
_VIDEO_MODELS = {
    "FrameCNN": (FrameCNNClassifier(max_epochs=30, batch_size=8, random_state=0), 0.9),
    "CNNLSTM": (
        CNNLSTMClassifier(module__hidden_size=32, max_epochs=30, batch_size=8, random_state=0),
        0.9,
    ),
    "ConvLSTM": (ConvLSTMClassifier(max_epochs=20, batch_size=8, random_state=0), 0.9),
    "C3DLSTM": (
        C3DLSTMClassifier(
            max_epochs=45,
            batch_size=8,
            callbacks=[("average", WeightAveraging(start=15))],
            # one thread, so the figure does not depend on the machine's core count
            torch_num_threads=1,
            random_state=0,
        ),
        0.9,
    ),
}


@pytest.mark.parametrize("name", list(_VIDEO_MODELS))
def test_video_models_generalise_to_unseen_actors(face_crops, name, record_property):
    """Check that video models on face crops recognise expressions of actors never seen in training."""
    model, floor = _VIDEO_MODELS[name]
    X, y, groups = face_crops
    scores = cross_val_score(clone(model), X, y, groups=groups, cv=GroupKFold(4))
    record_property(f"{name} accuracy on unseen actors", round(float(scores.mean()), 3))
    assert scores.mean() >= floor, scores
