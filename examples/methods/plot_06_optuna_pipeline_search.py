"""
=================================================================
Optuna search over a whole pipeline, stored in SQLite and resumed
=================================================================

Published pipelines have many coupled settings: the STFT of the features,
how many coefficients to keep, the size of the network and its learning rate.
This example tunes them **together**, as the parameters of one scikit-learn
Pipeline (spectral features, a scaler and an LSTM), with
:class:`~skemotion.model_selection.OptunaSearch`: every trial is scored by
actor-grouped cross-validation and recorded in an **SQLite** database, so a
search that is stopped (or runs on several machines at once) **resumes**
where it left off.

Full run (``FULL = True``): 44.1 kHz audio, 50 trials and 5 folds. The
synthetic run uses 16 kHz audio, 4 + 2 trials, 3 folds and a few epochs.
"""

# %%
# Settings
# --------
# ``SKEMOTION_CREMA_D`` points at the CREMA-D folder (the ``AudioWAV/`` clips
# are used). Without it, the synthetic corpus stands in.
import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from skemotion.audio import AudioLoader, SequenceScaler, SpectralFeatures
from skemotion.datasets import load_crema_d, make_synthetic_expressions
from skemotion.model_selection import OptunaSearch, cv_results_frame
from skemotion.models import SequenceLSTMClassifier

FULL = False
CORPUS_ROOT = os.environ.get("SKEMOTION_CREMA_D")

if FULL:
    SR, DURATION, N_TRIALS, EXTRA_TRIALS, N_SPLITS, EPOCHS = 44100, 2.5, 40, 10, 5, 40
else:
    SR, DURATION, N_TRIALS, EXTRA_TRIALS, N_SPLITS, EPOCHS = 16000, 1.0, 4, 2, 3, 10
t_start = time.perf_counter()

# %%
# Corpus and waveforms
# --------------------
# The audio of each clip is decoded once, before the search, because decoding
# has nothing to tune (put :class:`~skemotion.audio.AudioLoader` first in the
# Pipeline to tune ``sr`` or ``duration`` too).
if CORPUS_ROOT:
    corpus = load_crema_d(CORPUS_ROOT, modality="audio")
else:
    corpus = make_synthetic_expressions(
        32, tempfile.mkdtemp(), n_classes=4, n_actors=4, size=(32, 32), duration=1.0,
        fps=15, random_state=0,
    )  # fmt: skip
y = np.asarray(corpus.target_names)[corpus.target]
groups = corpus.groups
waveforms = AudioLoader(sr=SR, duration=DURATION).fit_transform(corpus.data)
print(f"{len(y)} clips, {len(set(groups))} actors, waveforms {waveforms.shape}")


# %%
# The pipeline
# ------------
# Frame-level spectral features (Hamming-window STFT; MFCCs from 40 mel
# bands, so that even the shortest STFT has no empty band), a
# :class:`~skemotion.audio.SequenceScaler` that standardises every feature
# with the mean and standard deviation of the training clips' frames
# (scikit-learn's ``StandardScaler`` expects 2-D input), and the LSTM.
pipe = Pipeline([
    ("features", SpectralFeatures(sr=SR, pool=None, hop_length=256, n_mels=40)),
    ("scaler", SequenceScaler()),
    ("lstm", SequenceLSTMClassifier(
        max_epochs=EPOCHS, batch_size=16, module__pooling="mean",
        torch_num_threads="auto" if FULL else 1, random_state=0,
    )),
])  # fmt: skip

# %%
# The search space
# ----------------
# Parameters of any step, with the usual ``step__param`` names: the STFT
# length and the number of MFCCs of the featurizer, the hidden size and the
# learning rate of the LSTM.
space = {
    "features__n_fft": CategoricalDistribution([256, 512, 1024]),
    "features__n_mfcc": IntDistribution(13, 40),
    "lstm__module__hidden_size": CategoricalDistribution([40, 80, 120]),
    "lstm__lr": FloatDistribution(1e-3, 1e-2, log=True),
}

# %%
# A first run, stored in SQLite
# -----------------------------
# ``storage`` is an SQLite file and ``study_name`` names the study in it.
# ``refit=False`` here: this first run only records trials.
storage = f"sqlite:///{tempfile.mkdtemp()}/study.db"
search = OptunaSearch(
    pipe, space, scoring="balanced_accuracy", cv=GroupKFold(N_SPLITS), n_trials=N_TRIALS,
    storage=storage, study_name="audio-lstm", refit=False, random_state=0,
)  # fmt: skip
search.fit(waveforms, y, groups=groups)
print(f"first run: {search.n_trials_run_} trials run, best so far {search.best_score_:.3f}")

# %%
# Resume the study
# ----------------
# A new search object (as after a restart, or on another machine) with the
# same storage and study name and ``load_if_exists=True`` finds the finished
# trials and runs only the ones missing to reach ``n_trials``; then it refits
# the best pipeline on all clips.
resumed = OptunaSearch(
    pipe, space, scoring="balanced_accuracy", cv=GroupKFold(N_SPLITS),
    n_trials=N_TRIALS + EXTRA_TRIALS, storage=storage, study_name="audio-lstm",
    load_if_exists=True, random_state=1,
)  # fmt: skip
resumed.fit(waveforms, y, groups=groups)
print(f"resumed: {resumed.n_trials_run_} new trials, {len(resumed.study_.trials)} in the study")
print(f"best balanced accuracy {resumed.best_score_:.3f} (chance {1 / len(set(y)):.3f})")
print("best parameters:", resumed.best_params_)

# %%
# All trials
# ----------
# :func:`~skemotion.model_selection.cv_results_frame` turns ``cv_results_``
# (one row per trial of the study, including those of the first run) into a
# tidy DataFrame with one row per trial and fold; pivoting it shows each
# trial's parameters and fold scores.
results = cv_results_frame(resumed.cv_results_)
params = [c for c in results.columns if "__" in c]
print(results.pivot_table(index=["candidate", *params], columns="split", values="score")
      .round(3).to_string())
scores = resumed.cv_results_["mean_test_score"]
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(np.arange(len(scores)), scores, "o-")
ax.plot(np.arange(len(scores)), np.maximum.accumulate(scores), "--", label="best so far")
ax.axvline(N_TRIALS - 0.5, color="gray", lw=1)
ax.text(N_TRIALS - 0.4, ax.get_ylim()[0], " resumed", va="bottom", fontsize=8)
ax.set_xlabel("trial")
ax.set_ylabel("balanced accuracy (CV)")
ax.legend()
fig.tight_layout()
print(f"total time: {time.perf_counter() - t_start:.1f} s")
plt.show()
