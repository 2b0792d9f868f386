"""
=============================================================
Quadrant-pooling CNN for continuous valence, scored per rater
=============================================================

This example reproduces the continuous-valence CNN with **quadrant pooling**:
three convolution blocks (64, 128 and 256 filters, 2x2 max pooling after the
first two), then each feature map is pooled separately over its four
quadrants, so the network keeps where on the face an activation happened
(mouth corners below, brows above) before a 200-unit dense layer. It regresses
valence over time as annotated by **each rater** (one output per rater) and is
scored per rater by **RMSE**, **Pearson's r** and the **concordance
correlation coefficient** (CCC), with a timeline of prediction against
annotation.

Full run (``FULL = True``): RECOLA's six valence raters, with 0.4 s
windows every 0.2 s, 96x96 frames and 30 epochs (window, frame size and
epochs are sensible defaults, not taken from the study). The synthetic run
uses three simulated raters, one 32x32 frame per 0.5 s window (every 0.25 s)
and 20 short epochs.
"""

# %%
# Settings
# --------
# ``SKEMOTION_RECOLA`` points at the RECOLA (AVEC 2016) folder holding
# ``ratings_individual/`` and ``recordings_video/``. Without it, three
# synthetic videos whose valence drifts over time stand in, each with a CSV
# of three simulated raters (delayed by 0.3 to 1.5 s, biased and noisy).
import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics import root_mean_squared_error
from sklearn.pipeline import make_pipeline

from skemotion.datasets import load_recola, make_synthetic_valence
from skemotion.io import parse_fragment
from skemotion.metrics import concordance_correlation_coefficient, pearson_r
from skemotion.model_selection import plot_timeline
from skemotion.models import FrameCNNRegressor
from skemotion.video import FrameSampler, sliding_windows

FULL = False
CORPUS_ROOT = os.environ.get("SKEMOTION_RECOLA")

if FULL:
    WINDOW, HOP = 0.4, 0.2
    sampler = FrameSampler(n_frames=4, strategy="uniform", size=(96, 96))
    model = FrameCNNRegressor(
        module__backbone="quadrant", criterion="ccc", max_epochs=30, random_state=0
    )
else:
    # One frame (the one shown mid-window) per 0.5 s window, windows every 0.25 s.
    WINDOW, HOP = 0.5, 0.25
    sampler = FrameSampler(n_frames=1, strategy="uniform", size=(32, 32))
    model = FrameCNNRegressor(
        module__backbone="quadrant", criterion="ccc", max_epochs=20, lr=1e-3, batch_size=16,
        torch_num_threads=1, random_state=0,
    )  # fmt: skip
t_start = time.perf_counter()

# %%
# Windows with one target per rater
# ---------------------------------
# :func:`~skemotion.datasets.load_recola` with ``raters="all"`` returns one
# media fragment ``recording#t=start,end`` per window and one valence column
# per rater. For the synthetic videos we cut the same fragments with
# :func:`~skemotion.video.sliding_windows` and average each rater's per-frame
# trace over the frames of the window.
if CORPUS_ROOT:
    recola = load_recola(
        CORPUS_ROOT, dimensions=("valence",), raters="all", window=WINDOW, hop=HOP,
        modality="video",
    )
    X_paths, y, groups = recola.data, recola.target, recola.groups
    raters = list(recola.target_names)
    is_train = (recola.frame["partition"] == "train").to_numpy()
    is_test = (recola.frame["partition"] == "dev").to_numpy()
else:
    corpus = make_synthetic_valence(
        tempfile.mkdtemp(), n_videos=3, n_actors=3, duration=20.0, fps=10, size=(64, 64),
        n_raters=3, random_state=0,
    )  # fmt: skip
    raters = [c for c in corpus.timelines[0].columns if c.startswith("rater_")]
    X_paths, y, groups = [], [], []
    for k, (path, timeline) in enumerate(zip(corpus.data, corpus.timelines, strict=True)):
        for fragment in sliding_windows(path, window=WINDOW, hop=HOP):
            _, start, end = parse_fragment(fragment)
            rows = (timeline["time"] >= start) & (timeline["time"] < end)
            X_paths.append(fragment)
            y.append(timeline.loc[rows, raters].mean().to_numpy())
            groups.append(k)
    X_paths, y, groups = np.array(X_paths, dtype=object), np.array(y, np.float32), np.array(groups)
    is_test = groups == groups.max()
    is_train = ~is_test
print(f"{len(X_paths)} windows, targets {y.shape} ({', '.join(raters)})")

# %%
# Train on some recordings, test on others
# ----------------------------------------
# RECOLA comes partitioned into train and development sessions (different
# speakers); the synthetic run trains on the first two videos and tests on
# the third, whose actor is never seen in training.
# The loss is ``1 - CCC`` averaged over the raters (``criterion="ccc"``,
# :class:`~skemotion.models.CCCLoss`): with the mean squared error, a network
# this small trained this briefly predicts a nearly constant valence, which
# scores a CCC near zero. The CCC is a batch statistic, hence batches of 16.
train, test = np.flatnonzero(is_train), np.flatnonzero(is_test)
pipe = make_pipeline(sampler, model)
pipe.fit(X_paths[train], y[train])
y_pred = pipe.predict(X_paths[test])

# %%
# RMSE, Pearson and CCC per rater
# -------------------------------
# Pearson's r only measures association; the CCC also penalises any bias or
# scale difference between prediction and annotation, which is why
# continuous-affect challenges rank systems on it. Each rater is a separate
# output, so one call per metric with ``multioutput="raw_values"`` gives all
# raters at once; the last row scores the mean prediction against the mean of
# the raters.
scores = pd.DataFrame(
    {
        "RMSE": root_mean_squared_error(y[test], y_pred, multioutput="raw_values"),
        "Pearson r": pearson_r(y[test], y_pred, multioutput="raw_values"),
        "CCC": concordance_correlation_coefficient(y[test], y_pred, multioutput="raw_values"),
    },
    index=raters,
)
y_mean, pred_mean = y[test].mean(axis=1), y_pred.mean(axis=1)
scores.loc["mean of raters"] = [
    root_mean_squared_error(y_mean, pred_mean),
    pearson_r(y_mean, pred_mean),
    concordance_correlation_coefficient(y_mean, pred_mean),
]
print(scores.round(3).to_string())

# %%
# Timeline of the test recording
# ------------------------------
# :func:`~skemotion.model_selection.plot_timeline` draws the prediction over
# the annotation (here both averaged over raters) at the start time of each
# window, with the CCC in the title.
first = groups[test] == groups[test][0]
times = np.array([parse_fragment(f)[1] for f in X_paths[test][first]])
order = np.argsort(times, kind="stable")
fig, ax = plt.subplots(figsize=(8, 3))
plot_timeline(times[order], y_mean[first][order], pred_mean[first][order], ax=ax)
fig.tight_layout()
print(f"total time: {time.perf_counter() - t_start:.1f} s")
plt.show()
