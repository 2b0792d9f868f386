"""
================================================================
Audio LSTM on Hamming-window spectral features (4 and 8 classes)
================================================================

This example reproduces the audio-only LSTM baseline: spectral features of the
voice, computed on a Hamming-window short-time Fourier transform, are fed frame
by frame to an LSTM whose hidden size is tuned over **40, 80 and 120** units.
The study reports two tasks on the same recordings: the **8 emotion classes**
of RAVDESS and **4 valence-arousal quadrants** obtained by grouping them.

Full run (``FULL = True``): the published hidden sizes 40/80/120 and
Hamming-window features of audio at 44.1 kHz, with an STFT of 2048 samples
and a hop of 512, 5 actor-independent folds and 60 epochs (these last
settings are sensible defaults, not taken from the study). The synthetic run
keeps the three hidden sizes but uses 16 kHz audio, a smaller STFT, 3 folds
and a few epochs.
"""

# %%
# Settings
# --------
# ``FULL`` switches to the published sizes. ``CORPUS_ROOT`` points at a local
# copy of RAVDESS (the folder holding the ``Actor_XX`` folders); when it is not
# set, the synthetic corpus stands in for it (it has the same 8 classes).
import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, GroupKFold

from skemotion.audio import AudioLoader, SpectralFeatures
from skemotion.datasets import load_ravdess, make_synthetic_expressions
from skemotion.models import SequenceLSTMClassifier

FULL = False
CORPUS_ROOT = os.environ.get("SKEMOTION_RAVDESS")

if FULL:
    SR, N_FFT, HOP, DURATION, MAX_EPOCHS, N_SPLITS = 44100, 2048, 512, 3.0, 60, 5
else:
    SR, N_FFT, HOP, DURATION, MAX_EPOCHS, N_SPLITS = 16000, 512, 256, 1.0, 12, 3
HIDDEN_SIZES = [40, 80, 120]
t_start = time.perf_counter()

# %%
# Load the corpus
# ---------------
# Both sources give paths, emotion names and actor ids (the groups of the
# cross-validation, so no actor is in both a training and a test fold).
if CORPUS_ROOT:
    corpus = load_ravdess(CORPUS_ROOT, modality="audio", vocal_channel="speech")
else:
    corpus = make_synthetic_expressions(
        48, tempfile.mkdtemp(), n_classes=8, n_actors=3, duration=1.0, fps=15,
        size=(64, 64), random_state=0,
    )  # fmt: skip
emotions = np.asarray(corpus.target_names)[corpus.target]
groups = corpus.groups
print(pd.Series(emotions).value_counts().sort_index().to_string())

# %%
# Valence-arousal quadrants
# -------------------------
# The 4-class task groups the 8 emotions by the quadrant of Russell's
# circumplex they sit in (valence: pleasant or not; arousal: activated or not).
# *Neutral* has no quadrant of its own; like *calm* it is placed with the
# pleasant, low-arousal emotions, and *disgust* with the unpleasant, activated
# ones. The four quadrants then hold 2, 3, 1 and 2 emotions, so the classifier
# weights classes inversely to their frequency (``class_weight="balanced"``).
QUADRANTS = {
    "happy": "positive-high",
    "surprised": "positive-high",
    "angry": "negative-high",
    "fearful": "negative-high",
    "disgust": "negative-high",
    "sad": "negative-low",
    "calm": "positive-low",
    "neutral": "positive-low",
}
quadrants = np.array([QUADRANTS[e] for e in emotions])
print(pd.crosstab(emotions, quadrants).to_string())

# %%
# Frame-level spectral features
# -----------------------------
# :class:`~skemotion.audio.AudioLoader` decodes the voice of each clip
# (padded or cut to a fixed duration), and
# :class:`~skemotion.audio.SpectralFeatures` with ``pool=None`` returns one
# feature vector per STFT frame: 20 MFCCs, spectral centroid, bandwidth,
# roll-off, flatness, zero-crossing rate and RMS, all from one Hamming-window
# STFT. Featurizing once, before the search, keeps the example fast; to tune the
# features as well, put both transformers in a Pipeline in front of the model.
loader = AudioLoader(sr=SR, duration=DURATION)
features = SpectralFeatures(sr=SR, n_fft=N_FFT, hop_length=HOP, window="hamming", pool=None)
waveforms = loader.fit_transform(corpus.data)
X = features.fit_transform(waveforms)
# Standardise every feature over all frames of all clips (an unsupervised,
# label-free step, so doing it before cross-validation leaks nothing).
X = ((X - X.mean(axis=(0, 1))) / (X.std(axis=(0, 1)) + 1e-6)).astype(np.float32)
print("features:", X.shape, "(clips, STFT frames, features)")

# %%
# Tune the hidden size for both tasks
# -----------------------------------
# One grid search per task over ``module__hidden_size``, with
# :class:`~sklearn.model_selection.GroupKFold` on the actors. Networks this
# small train fastest on one torch thread (``torch_num_threads=1``); on a GPU
# or for the full-size run, leave it at ``"auto"``.
lstm = SequenceLSTMClassifier(
    max_epochs=MAX_EPOCHS, lr=3e-3, batch_size=16, class_weight="balanced",
    module__pooling="mean", torch_num_threads="auto" if FULL else 1, random_state=0,
)  # fmt: skip
cv = GroupKFold(n_splits=N_SPLITS)
scores = {}
for task, y in [("8 emotions", emotions), ("4 quadrants", quadrants)]:
    search = GridSearchCV(
        lstm, {"module__hidden_size": HIDDEN_SIZES}, cv=cv, scoring="balanced_accuracy"
    )
    search.fit(X, y, groups=groups)
    scores[task] = search.cv_results_["mean_test_score"]
    print(f"{task}: best hidden size {search.best_params_['module__hidden_size']}, "
          f"balanced accuracy {search.best_score_:.3f} (chance {1 / len(set(y)):.3f})")

# %%
# Balanced accuracy per hidden size
# ---------------------------------
# Chance level is 1/8 for the emotions and 1/4 for the quadrants (balanced
# accuracy is the mean recall over classes, so class imbalance does not move it).
fig, ax = plt.subplots(figsize=(6, 3.5))
width = 0.38
for k, (task, values) in enumerate(scores.items()):
    ax.bar(np.arange(len(HIDDEN_SIZES)) + (k - 0.5) * width, values, width, label=task)
    ax.axhline(1 / (8 if "8" in task else 4), color=f"C{k}", ls="--", lw=1)
ax.set_xticks(np.arange(len(HIDDEN_SIZES)), [str(h) for h in HIDDEN_SIZES])
ax.set_xlabel("LSTM hidden size")
ax.set_ylabel("balanced accuracy (CV)")
ax.set_ylim(0, 1)
ax.legend()
fig.tight_layout()
print(f"total time: {time.perf_counter() - t_start:.1f} s")
plt.show()
