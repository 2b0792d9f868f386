"""
========================================================
ResNet-50 on 16 frames per clip, 5-fold cross-validation
========================================================

This example reproduces the frame-based ResNet-50 baseline for dynamic facial
expressions: **16 frames** are sampled evenly over each clip (time
interpolation), a ResNet-50 encodes every frame, the frame features are
averaged over time and a linear layer gives the class. The model is evaluated
by **5-fold cross-validation** (DFEW's official folds on the real corpus),
with the pooled **confusion matrix** and **classification report** of the
out-of-fold predictions.

Full run (``FULL = True``): the published 16 frames per clip and ResNet-50,
at 112x112 pixels and for 30 epochs (pass a local ImageNet state-dict file as
``module__weights`` to start from pretrained weights; nothing is downloaded).
The synthetic run uses 4 frames of 32x32 pixels, **ResNet-18** instead of
ResNet-50 (same family, a quarter of the compute, so that the five folds fit
in CPU time) and a few epochs: it shows the protocol, not the published
accuracy.
"""

# %%
# Settings
# --------
# ``SKEMOTION_DFEW`` points at the DFEW folder (holding ``EmoLabel_DataSplit/``
# and ``Clip/original``). Without it, a synthetic corpus with five actors
# stands in, and the five folds hold out one actor each.
import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GroupKFold, PredefinedSplit, cross_val_predict

from skemotion.datasets import load_dfew, make_synthetic_expressions
from skemotion.model_selection import classification_report_frame, plot_confusion_matrix
from skemotion.models import FrameCNNClassifier
from skemotion.video import FrameSampler

FULL = False
CORPUS_ROOT = os.environ.get("SKEMOTION_DFEW")

if FULL:
    sampler = FrameSampler(n_frames=16, strategy="uniform", size=(112, 112))
    model = FrameCNNClassifier(module__backbone="resnet50", max_epochs=30, random_state=0)
else:
    sampler = FrameSampler(n_frames=4, strategy="uniform", size=(32, 32))
    model = FrameCNNClassifier(
        module__backbone="resnet18", max_epochs=5, batch_size=8, lr=1e-3,
        torch_num_threads=1, random_state=0,
    )  # fmt: skip
t_start = time.perf_counter()

# %%
# Clips and folds
# ---------------
# DFEW's five official folds partition its clips: the test set of fold ``k``
# is every clip that fold holds out. Loading the five test sets and marking
# each clip with its fold gives a :class:`~sklearn.model_selection.PredefinedSplit`
# that reproduces the official protocol in one ``cross_val_predict`` call.
# The synthetic corpus has five actors; ``GroupKFold(5)`` holds out one each.
if CORPUS_ROOT:
    folds = [load_dfew(CORPUS_ROOT, fold=k, subset="test") for k in range(1, 6)]
    X = np.concatenate([fold.data for fold in folds])
    y = np.concatenate([fold.target for fold in folds])
    target_names = folds[0].target_names
    cv = PredefinedSplit(np.concatenate([np.full(len(f.data), k) for k, f in enumerate(folds)]))
    groups = None
else:
    corpus = make_synthetic_expressions(
        40, tempfile.mkdtemp(), n_classes=4, n_actors=5, size=(64, 64), duration=1.0,
        fps=15, random_state=0,
    )  # fmt: skip
    X, y, groups, target_names = corpus.data, corpus.target, corpus.groups, corpus.target_names
    cv = GroupKFold(n_splits=5)
print(f"{len(X)} clips, {len(target_names)} classes, {cv.get_n_splits(X, y, groups)} folds")

# %%
# Out-of-fold predictions
# -----------------------
# The frame sampler decodes ``n_frames`` evenly spaced frames of each clip
# inside ffmpeg; :class:`~skemotion.models.FrameCNNClassifier` encodes each
# frame with the backbone and averages the features over time
# (``module__temporal_pooling="mean"``). Frames are decoded once, before the
# cross-validation, since the sampler learns nothing.
frames = sampler.fit_transform(X)
print("frames:", frames.shape)
y_pred = cross_val_predict(model, frames, y, groups=groups, cv=cv)

# %%
# Classification report
# ---------------------
# Per-class precision, recall and F1 over the pooled out-of-fold predictions.
report = classification_report_frame(y, y_pred, target_names=list(target_names), zero_division=0.0)
print(report.round(3).to_string())
print(f"accuracy {report.attrs['accuracy']:.3f}, unweighted average recall "
      f"{report.loc['macro avg', 'recall']:.3f} (chance {1 / len(target_names):.3f})")

# %%
# Confusion matrix
# ----------------
# Rows are true classes, normalised to sum to one (so the diagonal is the
# recall of each class, the metric DFEW reports as UAR when averaged).
display = plot_confusion_matrix(y, y_pred, display_labels=list(target_names))
display.ax_.set_title("out-of-fold predictions, 5 folds")
print(f"total time: {time.perf_counter() - t_start:.1f} s")
plt.show()
