"""
==============================================================
Masked-face CNN-LSTM, trained on CREMA-D and tested on RAVDESS
==============================================================

This example reproduces the cross-corpus study of a CNN-LSTM on masked faces:
the first **75 frames** of every clip are taken at the native rate, the
background around the face is set to black (OpenFace-style masked faces), a
2-D CNN encodes every frame and an LSTM reads the sequence of frame codes. The
study prepared its faces with OpenFace (landmarks, a similarity transform to
level eyes, a mask from the landmark hull); here :class:`~skemotion.face.FaceMasker`
does the same with MediaPipe's Face Mesh landmarks when the LiteRT runtime is
installed (``pip install "skemotion[blazeface]"``), and masks an ellipse
around the Haar detector's box otherwise. The
model is trained on **CREMA-D** (6 classes) and tested, without any tuning, on
**RAVDESS**, whose *calm* and *surprised* clips have no CREMA-D counterpart and
are left out.

Full run (``FULL = True``): the published 75 frames per clip, at 112x112
pixels, masked at full frame size, with an LSTM of 128 units and 30 epochs
(frame size, LSTM size and epochs are sensible defaults, not taken from the
study). The synthetic run uses 8 frames of 32x32 pixels and a few epochs.
"""

# %%
# Settings
# --------
# Set both ``SKEMOTION_CREMA_D`` (the CREMA-D folder holding ``VideoFlash/``)
# and ``SKEMOTION_RAVDESS`` (the folder holding the ``Actor_XX`` folders of
# the audio-visual ``01-*.mp4`` files) to run on the real corpora. Without them,
# two synthetic corpora with different actors and seeds stand in: the source
# has CREMA-D's 6 classes, the target RAVDESS's 8.
import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import balanced_accuracy_score
from sklearn.pipeline import make_pipeline

from skemotion.datasets import (
    load_crema_d,
    load_ravdess,
    make_synthetic_expressions,
    map_labels,
)
from skemotion.face import FaceMasker, has_litert
from skemotion.model_selection import classification_report_frame, plot_confusion_matrix
from skemotion.models import CNNLSTMClassifier
from skemotion.video import FrameSampler

FULL = False
CREMA_D_ROOT = os.environ.get("SKEMOTION_CREMA_D")
RAVDESS_ROOT = os.environ.get("SKEMOTION_RAVDESS")

# OpenFace-style faces when the landmark runtime is there: BlazeFace starts the
# landmark tracking, the eyes are levelled and the mask follows the landmark hull.
LANDMARKS = dict(detector="blazeface", align=True, mask_shape="hull") if has_litert() else {}
print("faces:", "aligned on landmarks, hull mask" if LANDMARKS else "Haar box, ellipse mask")

if FULL:
    sampler = FrameSampler(n_frames=75, strategy="head", size=(112, 112))
    masker = FaceMasker(**LANDMARKS)
    model = CNNLSTMClassifier(module__hidden_size=128, max_epochs=30, random_state=0)
else:
    # 8 frames spread over the 1 s synthetic clips; the masker crops a 32x32
    # square around the masked face to keep the CNN small.
    sampler = FrameSampler(n_frames=8, strategy="uniform", size=(64, 64))
    masker = FaceMasker(size=32, on_no_face="center", **LANDMARKS)
    model = CNNLSTMClassifier(
        module__hidden_size=32, max_epochs=20, lr=3e-3, batch_size=16,
        torch_num_threads=1, random_state=0,
    )  # fmt: skip
t_start = time.perf_counter()

# %%
# Two corpora
# -----------
# Each loader returns paths, class codes and ``target_names``. The synthetic
# stand-ins differ in seed and actors, so the test corpus has faces, voices,
# backgrounds and lighting the model never saw.
if CREMA_D_ROOT and RAVDESS_ROOT:
    source = load_crema_d(CREMA_D_ROOT, modality="video")
    target = load_ravdess(RAVDESS_ROOT, modality="audiovisual", vocal_channel="speech")
    source_name, target_name = "crema-d", "ravdess"
else:
    source = make_synthetic_expressions(
        36, tempfile.mkdtemp(), n_classes=6, n_actors=3, size=(64, 64), duration=1.0,
        fps=15, random_state=0,
    )  # fmt: skip
    target = make_synthetic_expressions(
        32, tempfile.mkdtemp(), n_classes=8, n_actors=2, size=(64, 64), duration=1.0,
        fps=15, random_state=1,
    )  # fmt: skip
    # The synthetic class names are the canonical ones that map_labels uses,
    # so they are read like the real corpora's labels.
    source_name, target_name = None, None

# %%
# Align the label sets
# --------------------
# :func:`~skemotion.datasets.map_labels` brings both corpora into one
# vocabulary and says which test clips have a class of the training corpus.
# Nothing is dropped silently: the mask is applied here, in plain sight.
y_source, _ = map_labels(
    np.asarray(source.target_names)[source.target], source=source_name
)
y_target, keep = map_labels(
    np.asarray(target.target_names)[target.target], source=target_name,
    target=set(y_source.tolist()),
)  # fmt: skip
X_source = np.asarray(source.data)
X_target, y_target = np.asarray(target.data)[keep], y_target[keep].astype(str)
y_source = y_source.astype(str)
classes = sorted(set(y_source.tolist()))
print(f"train: {len(X_source)} clips, classes {classes}")
print(f"test:  {len(X_target)} of {len(keep)} clips kept "
      f"(left out: {sorted(set(np.asarray(target.target_names)[target.target][~keep]))})")

# %%
# What the network sees
# ---------------------
# :class:`~skemotion.video.FrameSampler` decodes the frames inside ffmpeg and
# :class:`~skemotion.face.FaceMasker` tracks the face and blacks out everything
# outside it: the hull of the aligned landmarks with LiteRT, else the ellipse
# around the box of OpenCV's Haar cascade (shipped with OpenCV).
frames = sampler.fit_transform(X_source[:3])
masked = masker.fit_transform(frames)
fig, axes = plt.subplots(2, 6, figsize=(9, 3.4))
for k in range(3):
    for j, t in enumerate((0, frames.shape[1] - 1)):
        axes[0, 2 * k + j].imshow(frames[k, t])
        axes[1, 2 * k + j].imshow(masked[k, t])
        axes[0, 2 * k + j].set_title(f"{y_source[k]}, frame {t}", fontsize=8)
for ax in axes.ravel():
    ax.set_axis_off()
fig.tight_layout()

# %%
# Train on one corpus, test on the other
# --------------------------------------
# Sampler, masker and CNN-LSTM form one Pipeline, so the test clips go through
# exactly the same decoding and masking.
pipe = make_pipeline(sampler, masker, model)
pipe.fit(X_source, y_source)
y_pred = pipe.predict(X_target)
print(f"cross-corpus balanced accuracy: {balanced_accuracy_score(y_target, y_pred):.3f} "
      f"(chance {1 / len(classes):.3f})")
print(classification_report_frame(y_target, y_pred, zero_division=0.0).round(2).to_string())

# %%
# Confusion matrix on the test corpus
# -----------------------------------
# Rows are the true classes of the test clips, normalised to sum to one.
display = plot_confusion_matrix(y_target, y_pred, labels=classes)
display.ax_.set_title(f"train {source_name or 'synthetic A'}, test {target_name or 'synthetic B'}")
print(f"total time: {time.perf_counter() - t_start:.1f} s")
plt.show()
