"""
===================================================================
EEV: Conv-LSTM vs. custom CNN vs. VGG-16 on frames and spectrograms
===================================================================

This example reproduces the EEV (Evoked Expressions from Videos) comparison of
three video networks that regress **5 expression scores** per window of a long
video from its frames plus the **spectrogram** of its audio track:

- a convolutional LSTM (recurrence inside the convolution),
- a small custom CNN per frame followed by an LSTM,
- VGG-16 per frame followed by an LSTM,

each next to the same audio branch (an LSTM over the log-mel spectrogram),
their scores averaged (late fusion). Models are compared by **MAE** and
**MSE** on held-out videos.

Full run (``FULL = True``): 1 s windows of the EEV videos with frames at
the 6 Hz rate of the labels, 112x112 pixels, 128 mel bands and 30 epochs
(sensible defaults; set them to the study's values if they differ). VGG-16
starts from ImageNet weights when you give a local state-dict file as
``module__weights``; nothing is downloaded. The synthetic run uses 4 frames
of 32x32 pixels, 32 mel bands and a few epochs.
"""

# %%
# Settings
# --------
# ``SKEMOTION_EEV`` points at the EEV release (the folder holding ``train.csv``
# and ``videos/``). Without it, three synthetic videos with a continuous
# valence track stand in (see below for the five synthetic scores).
import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skemotion.audio import AudioLoader, Spectrogram
from skemotion.datasets import load_eev, make_synthetic_valence
from skemotion.io import parse_fragment
from skemotion.models import FusionRegressor, ModalityUnion
from skemotion.models.networks import ConvLSTMNet, SequenceLSTMNet
from skemotion.video import FrameSampler, sliding_windows

FULL = False
CORPUS_ROOT = os.environ.get("SKEMOTION_EEV")
EXPRESSIONS = ["amusement", "concentration", "contentment", "sadness", "surprise"]

if FULL:
    video = FrameSampler(n_frames=6, strategy="rate", fps=6, size=(112, 112))
    N_MELS, N_FFT, HOP, EPOCHS = 128, 1024, 256, 30
else:
    video = FrameSampler(n_frames=4, strategy="uniform", size=(32, 32))
    N_MELS, N_FFT, HOP, EPOCHS = 32, 512, 256, 6
SR = 16000
t_start = time.perf_counter()

# %%
# Windows and their five scores
# -----------------------------
# :func:`~skemotion.datasets.load_eev` averages EEV's 6 Hz scores over 1 s
# windows and returns each window as a media fragment ``video#t=start,end``;
# we keep five of its 15 expressions.
#
# The synthetic stand-in cuts each video of
# :func:`~skemotion.datasets.make_synthetic_valence` into 1 s fragments with
# :func:`~skemotion.video.sliding_windows`, and derives five scores in [0, 1]
# from the true valence ``v`` of the window's frames (mean ``m``, change
# ``d`` from first to last frame). **They are synthetic stand-ins, not
# expressions anyone annotated**: amusement ``max(m, 0)``, concentration
# ``1 - |m|``, contentment ``(1 + m) / 2``, sadness ``max(-m, 0)`` and
# surprise ``min(1, 2 |d|)``. They are what the drawn face and voice show,
# so a model can learn them from frames and audio.
if CORPUS_ROOT:
    eev = load_eev(CORPUS_ROOT, "train", window=1.0, on_missing_video="ignore")
    columns = [list(eev.target_names).index(name) for name in EXPRESSIONS]
    X_paths, y, groups = eev.data, eev.target[:, columns], eev.groups
else:
    corpus = make_synthetic_valence(
        tempfile.mkdtemp(), n_videos=3, n_actors=3, duration=12.0, fps=10,
        size=(64, 64), n_raters=0, random_state=0,
    )  # fmt: skip
    X_paths, y, groups = [], [], []
    for k, (path, timeline) in enumerate(zip(corpus.data, corpus.timelines, strict=True)):
        for fragment in sliding_windows(path, window=1.0):
            _, start, end = parse_fragment(fragment)
            v = timeline["valence"][(timeline["time"] >= start) & (timeline["time"] < end)]
            m, d = v.mean(), v.iloc[-1] - v.iloc[0]
            y.append([max(m, 0), 1 - abs(m), (1 + m) / 2, max(-m, 0), min(1, 2 * abs(d))])
            X_paths.append(fragment)
            groups.append(k)
    X_paths, y, groups = np.array(X_paths, dtype=object), np.array(y, np.float32), np.array(groups)
print(f"{len(X_paths)} windows from {len(set(groups))} videos; e.g. {X_paths[0].split('/')[-1]}")
print(pd.DataFrame(y, columns=EXPRESSIONS).describe().loc[["mean", "std"]].round(3).to_string())

# %%
# Frames and spectrograms in one step
# -----------------------------------
# :class:`~skemotion.models.ModalityUnion` keeps the two modalities side by
# side in a ``SliceDict``: clips ``(n, T, H, W, 3)`` from
# :class:`~skemotion.video.FrameSampler`, and the Hamming-window log-mel
# :class:`~skemotion.audio.Spectrogram` of each window's audio, an image
# ``(n, n_mels, n_steps, 1)`` that the audio LSTM reads column by column
# (transposed to ``(n, n_steps, n_mels)``). Featurizing once before the
# comparison keeps the example fast.
def spectrogram_to_sequence(images):
    """Turn ``(n, n_mels, n_steps, 1)`` images into ``(n, n_steps, n_mels)`` sequences."""
    return np.ascontiguousarray(images[..., 0].transpose(0, 2, 1))


audio = make_pipeline(
    AudioLoader(sr=SR, duration=1.0),
    Spectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS, normalize="standard"),
    FunctionTransformer(spectrogram_to_sequence),
)
union = ModalityUnion(video=video, audio=audio)
X = union.fit_transform(X_paths)
print("video:", X["video"].shape, " audio:", X["audio"].shape)


# %%
# A Conv-LSTM with the same audio branch
# --------------------------------------
# :class:`~skemotion.models.FusionRegressor`'s default network encodes each
# frame with a 2-D backbone (``module__backbone``: ``"simple"`` is the custom
# CNN, ``"vgg16"`` VGG-16) before its LSTM. For the Conv-LSTM we give the
# estimator our own network: skorch passes it the data-derived sizes
# (``frame_shape``, ``n_audio_features``, ``n_outputs``) and the
# ``module__*`` parameters, so any ``torch.nn.Module`` with that signature
# plugs into the same estimator, Pipelines and searches.
class ConvLSTMFusionNet(torch.nn.Module):
    """Late fusion of :class:`ConvLSTMNet` (video) and :class:`SequenceLSTMNet` (audio)."""

    def __init__(self, frame_shape, n_audio_features, n_outputs, hidden_channels=16,
                 audio_hidden_size=64):  # fmt: skip
        super().__init__()
        self.video = ConvLSTMNet(frame_shape, n_outputs, hidden_channels=hidden_channels)
        self.audio = SequenceLSTMNet(n_audio_features, n_outputs, hidden_size=audio_hidden_size)

    def forward(self, video, audio):
        return 0.5 * (self.video(video) + self.audio(audio))


common = dict(max_epochs=EPOCHS, lr=2e-3, batch_size=8, random_state=0)
if not FULL:
    common["torch_num_threads"] = 1  # fastest for tiny networks on a busy CPU
models = {
    "Conv-LSTM": FusionRegressor(module=ConvLSTMFusionNet, **common),
    "custom CNN": FusionRegressor(module__backbone="simple", module__fusion="late", **common),
    "VGG-16": FusionRegressor(module__backbone="vgg16", module__fusion="late", **common),
}

# %%
# Train on some videos, test on others
# ------------------------------------
# Windows of one video are strongly correlated, so the test set holds whole
# videos (``GroupShuffleSplit`` on the video id). The baseline predicts the
# training mean of every score.
train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.34, random_state=0).split(
    X_paths, y, groups))  # fmt: skip
rows = []
baseline = np.broadcast_to(y[train].mean(axis=0), y[test].shape)
rows.append({"model": "training mean", "MAE": mean_absolute_error(y[test], baseline),
             "MSE": mean_squared_error(y[test], baseline)})  # fmt: skip
per_expression = {}
for name, model in models.items():
    model.fit(X[train], y[train])
    y_pred = model.predict(X[test])
    rows.append({"model": name, "MAE": mean_absolute_error(y[test], y_pred),
                 "MSE": mean_squared_error(y[test], y_pred)})  # fmt: skip
    per_expression[name] = mean_absolute_error(y[test], y_pred, multioutput="raw_values")
results = pd.DataFrame(rows).set_index("model")
print(results.round(4).to_string())

# %%
# MAE per expression
# ------------------
fig, ax = plt.subplots(figsize=(7, 3.5))
width = 0.8 / len(per_expression)
for k, (name, mae) in enumerate(per_expression.items()):
    ax.bar(np.arange(len(EXPRESSIONS)) + (k - 1) * width, mae, width, label=name)
ax.set_xticks(np.arange(len(EXPRESSIONS)), EXPRESSIONS)
ax.set_ylabel("MAE on held-out videos")
ax.legend()
fig.tight_layout()
print(f"total time: {time.perf_counter() - t_start:.1f} s")
plt.show()
