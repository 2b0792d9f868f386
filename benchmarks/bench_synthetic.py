"""Benchmark the synthetic corpus: generation speed and how hard the classes are.

Speed is reported against a reference measured in the same run: encoding the
same number of clips of pre-made frames and audio with ``skemotion.io.write_video``
(the ffmpeg floor). Difficulty is the GroupKFold-by-actor accuracy of a logistic
regression on a few feature sets (chance is 1 / n_classes).

    python benchmarks/bench_synthetic.py                 # 32 clips, 64x64, seeds 0-2
    python benchmarks/bench_synthetic.py --n-samples 64 --size 96 --seeds 0 1 2 3 4
"""

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def _accuracy(X, y, groups):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))
    n_splits = min(4, len(np.unique(groups)))
    return cross_val_score(clf, X, y, groups=groups, cv=GroupKFold(n_splits)).mean()


def _difficulty(corpus):
    import cv2
    import librosa

    from skemotion.io import read_audio, read_frames

    frames = np.stack([read_frames(p) for p in corpus.data]).astype(np.float32)
    y, groups = corpus.target, corpus.groups
    n, k = len(frames), 32
    crops = []
    for clip, boxes in zip(frames, corpus.face_boxes, strict=True):
        per_frame = []
        for t in range(0, len(clip), 2):
            x0, y0, x1, y1 = boxes[t]
            c = clip[t, int(y0) : int(np.ceil(y1)), int(x0) : int(np.ceil(x1))].mean(-1)
            c = cv2.resize(c, (k, k), interpolation=cv2.INTER_AREA)
            per_frame.append((c - c.mean()) / (c.std() + 1e-6))
        crops.append(np.mean(per_frame, 0))
    crops = np.array(crops)
    gy = np.abs(np.diff(crops, axis=1))[:, :28, :28].reshape(n, 7, 4, 7, 4).mean((2, 4))
    gx = np.abs(np.diff(crops, axis=2))[:, :28, :28].reshape(n, 7, 4, 7, 4).mean((2, 4))
    small = np.array(
        [[cv2.resize(f.mean(-1), (16, 16), interpolation=cv2.INTER_AREA) for f in c[::3]]
         for c in frames]
    ).reshape(n, -1)  # fmt: skip
    rows = {
        "global pixel mean+std": np.c_[frames.mean((1, 2, 3, 4)), frames.std((1, 2, 3, 4))],
        "downscaled frames 16x16": small,
        "face-crop gradients 7x7": np.c_[gy.reshape(n, -1), gx.reshape(n, -1)],
    }
    f0, level = [], []
    for path in corpus.data:
        audio = read_audio(path, 16000)
        pitch = librosa.yin(audio, fmin=70, fmax=500, sr=16000, frame_length=1024, hop_length=256)
        rms = librosa.feature.rms(y=audio, frame_length=1024, hop_length=256)[0]
        f0.append(np.median(pitch[rms > 0.3 * rms.max()]))
        level.append(10 * np.log10(np.mean(audio**2)))
    log_f0 = np.log(f0)
    rel = log_f0 - np.array([log_f0[groups == a].mean() for a in groups])
    rows["audio log RMS level"] = np.array(level)[:, None]
    rows["pitch relative to actor"] = rel[:, None]
    return {name: _accuracy(X, y, groups) for name, X in rows.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=32)
    parser.add_argument("--n-classes", type=int, default=4)
    parser.add_argument("--n-actors", type=int, default=4)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()

    from skemotion.datasets import make_synthetic_expressions
    from skemotion.io import write_video

    size = (args.size, args.size)
    kw = dict(n_classes=args.n_classes, n_actors=args.n_actors, size=size)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # warm-up (imports, ffmpeg in the page cache)
        make_synthetic_expressions(2, tmp / "warm", random_state=0, **kw)

        start = time.perf_counter()
        corpus = make_synthetic_expressions(args.n_samples, tmp / "c", random_state=0, **kw)
        generate = time.perf_counter() - start

        start = time.perf_counter()
        make_synthetic_expressions(args.n_samples, tmp / "c", random_state=0, **kw)
        cached = time.perf_counter() - start

        rng = np.random.default_rng(0)
        frames = rng.integers(0, 255, (15, size[1], size[0], 3), dtype=np.uint8)
        audio = (0.1 * rng.standard_normal(16000)).astype(np.float32)
        start = time.perf_counter()
        for i in range(args.n_samples):
            write_video(tmp / f"ref_{i}.mp4", frames, 15, audio=audio, sr=16000)
        reference = time.perf_counter() - start

        print(f"make_synthetic_expressions({args.n_samples}, size={size}, 1 s, 15 fps, audio)")
        print(f"  generate        {generate:7.2f} s  ({1000 * generate / args.n_samples:.0f} ms/clip)")
        print(f"  write_video ref {reference:7.2f} s  (same number of clips, pre-made arrays)")
        print(f"  ratio generate / write-only reference: {generate / reference:.2f}")
        print(f"  cached reload   {cached:7.3f} s  (ratio to generate: {cached / generate:.4f})")

        print(f"\nGroupKFold-by-actor accuracy, logistic regression "
              f"(chance {1 / args.n_classes:.2f})")  # fmt: skip
        results = []
        for seed in args.seeds:
            c = make_synthetic_expressions(args.n_samples, tmp / f"s{seed}", random_state=seed, **kw)
            results.append(_difficulty(c))
        names = list(results[0])
        print(f"  {'features':28s}" + "".join(f"  seed {s:<3d}" for s in args.seeds) + "    mean")
        for name in names:
            values = [r[name] for r in results]
            print(f"  {name:28s}" + "".join(f"  {v:8.2f}" for v in values) + f"  {np.mean(values):6.2f}")
        del corpus


if __name__ == "__main__":
    main()
