"""Corpus loaders vs. minimal hand-written parsers of the same files.

The loaders validate every name, row and field (and raise listing what is
wrong); this measures what that costs against the few lines people usually
write, measured in the same run on full-size or scaled synthetic copies:

- RAVDESS: the full 7356-file tree (every official name, empty files):
  load_ravdess(modality="all") vs. os.walk + name.split("-") into a DataFrame.
- EEV: a train.csv of ``--eev-videos`` videos x 60 s at 6 Hz: load_eev(window=1)
  vs. pandas read_csv + groupby(video, floor(seconds)).mean().
- FER2013: ``--fer-rows`` rows of 48x48 pixel strings: load_fer2013 vs. read_csv
  + np.array(s.split(), dtype=uint8) per row.

Prints seconds for both and their ratio (target: <= 3 for each).

Usage: python benchmarks/bench_dataset_loaders.py [--repeats 3] [--eev-videos 300] [--fer-rows 3000]
"""

import argparse
import itertools
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from skemotion.datasets import load_eev, load_fer2013, load_ravdess

EXPRESSIONS = ["amusement", "anger", "awe", "concentration", "confusion", "contempt",
               "contentment", "disappointment", "doubt", "elation", "interest", "pain",
               "sadness", "surprise", "triumph"]  # fmt: skip


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def make_ravdess(root):
    """Every file of the release: audio speech/song, AV and video-only speech/song (7356)."""
    n = 0
    for actor in range(1, 25):
        for modality, channel in itertools.product((1, 2, 3), (1, 2)):
            if channel == 2 and actor == 18:  # actor 18 recorded no song
                continue
            ext = "wav" if modality == 3 else "mp4"
            kind = "Audio" if modality == 3 else "Video"
            folder = root / f"{kind}_{'Speech' if channel == 1 else 'Song'}" / f"Actor_{actor:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            emotions = range(1, 9) if channel == 1 else range(1, 7)
            for emo, inten, stmt, rep in itertools.product(emotions, (1, 2), (1, 2), (1, 2)):
                if emo == 1 and inten == 2:
                    continue
                name = f"{modality:02d}-{channel:02d}-{emo:02d}-{inten:02d}-{stmt:02d}-{rep:02d}-{actor:02d}.{ext}"
                (folder / name).touch()
                n += 1
    return n


def ravdess_reference(root):
    rows = []
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            parts = name.split(".")[0].split("-")
            rows.append([os.path.join(dirpath, name), *map(int, parts)])
    return pd.DataFrame(rows, columns=["path", "modality", "channel", "emotion", "intensity",
                                       "statement", "repetition", "actor"])  # fmt: skip


def make_eev(root, n_videos):
    rng = np.random.default_rng(0)
    n = 360  # 60 s at 6 Hz
    offsets = np.array([0, 166666, 333333, 500000, 666666, 833333])
    stamps = 1_000_000 * (np.arange(n) // 6) + offsets[np.arange(n) % 6]
    frames = []
    for v in range(n_videos):
        frame = pd.DataFrame(rng.random((n, 15)).round(4), columns=EXPRESSIONS)
        frame.insert(0, "Timestamp (milliseconds)", stamps)
        frame.insert(0, "Video ID", f"vid{v:05d}")
        frames.append(frame)
    pd.concat(frames).to_csv(root / "train.csv", index=False)
    return n_videos * n


def eev_reference(root):
    table = pd.read_csv(root / "train.csv")
    table["second"] = table["Timestamp (milliseconds)"] // 1_000_000
    return table.groupby(["Video ID", "second"])[EXPRESSIONS].mean()


def make_fer(path, n_rows):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (n_rows, 48 * 48))
    usage = np.array(["Training", "PublicTest", "PrivateTest"])[rng.integers(0, 3, n_rows)]
    pd.DataFrame({"emotion": rng.integers(0, 7, n_rows),
                  "pixels": [" ".join(map(str, row)) for row in pixels],
                  "Usage": usage}).to_csv(path, index=False)  # fmt: skip


def fer_reference(path):
    table = pd.read_csv(path)
    images = np.stack([np.array(s.split(), dtype=np.uint8).reshape(48, 48, 1)
                       for s in table["pixels"]])  # fmt: skip
    return images, table["emotion"].to_numpy(), table["Usage"].to_numpy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--eev-videos", type=int, default=300)
    parser.add_argument("--fer-rows", type=int, default=3000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = []

        n = make_ravdess(tmp / "ravdess")
        assert len(load_ravdess(tmp / "ravdess", modality="all").data) == n == 7356
        ours = best_of(lambda: load_ravdess(tmp / "ravdess", modality="all"), args.repeats)
        ref = best_of(lambda: ravdess_reference(tmp / "ravdess"), args.repeats)
        results.append((f"load_ravdess ({n} files)", ours, ref))

        (tmp / "eev").mkdir()
        n = make_eev(tmp / "eev", args.eev_videos)
        bunch = load_eev(tmp / "eev", window=1.0, video_dir=None)
        np.testing.assert_allclose(bunch.target, eev_reference(tmp / "eev").to_numpy(), rtol=1e-5)
        ours = best_of(lambda: load_eev(tmp / "eev", window=1.0, video_dir=None), args.repeats)
        ref = best_of(lambda: eev_reference(tmp / "eev"), args.repeats)
        results.append((f"load_eev ({n} rows, window=1 s)", ours, ref))

        make_fer(tmp / "fer2013.csv", args.fer_rows)
        np.testing.assert_array_equal(load_fer2013(tmp / "fer2013.csv").data,
                                      fer_reference(tmp / "fer2013.csv")[0])  # fmt: skip
        ours = best_of(lambda: load_fer2013(tmp / "fer2013.csv"), args.repeats)
        ref = best_of(lambda: fer_reference(tmp / "fer2013.csv"), args.repeats)
        results.append((f"load_fer2013 ({args.fer_rows} rows)", ours, ref))

    print(f"{'case':40s} {'loader s':>9s} {'reference s':>12s} {'ratio':>6s}")
    for name, ours, ref in results:
        print(f"{name:40s} {ours:9.3f} {ref:12.3f} {ours / ref:6.2f}")


if __name__ == "__main__":
    main()
