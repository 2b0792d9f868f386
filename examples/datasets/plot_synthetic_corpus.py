"""
=============================
The synthetic emotion corpus
=============================

:func:`~skemotion.datasets.make_synthetic_expressions` writes real mp4 files
(H.264 video + AAC audio) of a drawn face and a voice-like sound that both
express an emotion class. Here we generate one clip per class, look at a few
frames with the known face boxes, and at the log-mel spectrogram of each voice.
Then we generate a video of the continuous variant,
:func:`~skemotion.datasets.make_synthetic_valence`, and plot its valence
timeline next to the simulated raters.
"""

# %%
# Generate the corpus
# -------------------
# One actor, one clip per class (the first eight clips are one of each class),
# at 96x96 pixels so the faces are easy to see. Files go to a temporary folder;
# calling again with the same parameters and ``random_state`` reuses them.
import tempfile

import librosa
import matplotlib.pyplot as plt
import numpy as np

from skemotion.datasets import make_synthetic_expressions, make_synthetic_valence
from skemotion.io import read_audio, read_frames

out_dir = tempfile.mkdtemp()
corpus = make_synthetic_expressions(
    8, out_dir, n_classes=8, n_actors=1, duration=1.0, fps=15, size=(96, 96), random_state=0
)
print(corpus.frame[["path", "label", "actor", "n_frames"]].to_string(index=False))

# %%
# A few frames per class
# ----------------------
# The mouth (curvature and opening), the brows (angle and height) and the eyes
# (opening) change with the class; the head moves, blinks and talks, and the
# light drifts. The green rectangle is the known face box (``corpus.face_boxes``),
# which the face cropper can be scored against.
frame_ids = [0, 5, 10, 14]
fig, axes = plt.subplots(len(frame_ids), 8, figsize=(12, 6.5))
for k, path in enumerate(corpus.data):
    frames = read_frames(path)
    for row, t in enumerate(frame_ids):
        ax = axes[row, k]
        ax.imshow(frames[t])
        x0, y0, x1, y1 = corpus.face_boxes[k, t]
        ax.add_patch(
            plt.Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec="lime", lw=0.8)
        )
        ax.set_xticks([])
        ax.set_yticks([])
        if row == 0:
            ax.set_title(corpus.target_names[corpus.target[k]], fontsize=9)
        if k == 0:
            ax.set_ylabel(f"frame {t}", fontsize=8)
fig.tight_layout()

# %%
# The voice of each class
# -----------------------
# The voice is a sum of harmonics shaped by vowel formants. Pitch level and
# contour (rising for *surprised*, falling for *sad*, trembling for *fearful*),
# syllable rate, loudness and spectral tilt (bright for *angry*, dark for *sad*)
# express the class. Loudness alone does not: each actor has its own recording
# level.
fig, axes = plt.subplots(2, 4, figsize=(12, 5), sharex=True, sharey=True)
for k, ax in zip(range(8), axes.ravel(), strict=False):
    audio = read_audio(corpus.data[k], 16000)
    mel = librosa.feature.melspectrogram(y=audio, sr=16000, n_fft=512, hop_length=128, n_mels=64)
    ax.imshow(
        librosa.power_to_db(mel, ref=1.0), origin="lower", aspect="auto", vmin=-80, vmax=0,
        extent=[0, len(audio) / 16000, 0, 64], cmap="magma",
    )  # fmt: skip
    ax.set_title(corpus.target_names[corpus.target[k]], fontsize=9)
for ax in axes[1]:
    ax.set_xlabel("time (s)")
for ax in axes[:, 0]:
    ax.set_ylabel("mel band")
fig.tight_layout()

# %%
# Continuous valence
# ------------------
# Each video of the valence variant follows a smooth valence trace in [-1, 1]:
# the face smiles and the voice rises when it is positive, frowns and falls when
# it is negative. A CSV next to the video has one row per frame with ``time``,
# ``valence`` and one column per simulated rater (delayed, biased and noisy).
valence = make_synthetic_valence(
    out_dir, n_videos=1, duration=12.0, fps=10, size=(64, 64), n_raters=3, random_state=0
)
timeline = valence.timelines[0]
print(timeline.head())

frames = read_frames(valence.data[0])
fig, (ax_line, ax_strip) = plt.subplots(
    2, 1, figsize=(10, 5), gridspec_kw={"height_ratios": [2, 1]}
)
for column in timeline.columns[2:]:
    ax_line.plot(timeline["time"], timeline[column], lw=0.8, alpha=0.7, label=column)
ax_line.plot(timeline["time"], timeline["valence"], color="k", lw=2, label="valence")
ax_line.set_ylim(-1.05, 1.05)
ax_line.set_xlabel("time (s)")
ax_line.legend(ncol=4, fontsize=8)
picks = np.linspace(0, len(frames) - 1, 8).astype(int)
ax_strip.imshow(np.concatenate([frames[i] for i in picks], axis=1))
ax_strip.set_xticks(np.arange(8) * 64 + 32, [f"{timeline['time'][i]:.1f} s" for i in picks])
ax_strip.set_yticks([])
fig.tight_layout()
plt.show()
