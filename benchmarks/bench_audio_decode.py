"""Benchmark: AudioLoader's decoding vs. soundfile, and a per-clip cache vs. decoding per fold.

(a) Decoding real clips (FLAC from the RAVDESS speech folder) single-threaded
(``n_jobs=None``), in the same process, on the same files, after a warm-up;
each time is the minimum of ``--repeats`` runs:

- ``AudioLoader(sr=<native>, duration="variable")`` vs. ``soundfile.read``
  (stereo mixed to mono as ffmpeg does), target ratio <= 2; the samples are
  checked to be identical;
- ``AudioLoader(sr=16000)`` vs. ``soundfile.read`` + ``soxr.resample(HQ)``;
- the same AudioLoader forced through ffmpeg (``read_audio_soundfile``
  patched to decline every file): one ffmpeg process per file, the previous
  behaviour, on the first ``--n-ffmpeg`` clips.

(b) A ``skemotion evaluate``-like GroupKFold(6) by actor of a cheap pipeline
(AudioLoader(trim_db=40, duration="variable") -> SpectralFeatures(pool=
"functionals", 13 MFCCs and four more descriptors) -> StandardScaler ->
LinearSVC(C=1e-3)), six folds plus the final refit on every clip, with the
featurizers' ``memory`` in a fresh temporary folder (each clip decoded and
featurized once) vs. without it (every fold decodes the corpus again). The
predictions of both are checked to be equal.

Usage::

    python benchmarks/bench_audio_decode.py                   # 200 clips for (a), all 960 for (b)
    python benchmarks/bench_audio_decode.py --n-clips 100 --cv-clips 240   # quicker
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import soundfile
import soxr
from sklearn.base import clone
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

import skemotion.io._read
from skemotion.audio import AudioLoader, SpectralFeatures
from skemotion.datasets import load_ravdess

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/ravdess-speech"
GAIN = np.float32(np.sqrt(0.5))  # ffmpeg's stereo -> mono matrix


def soundfile_read(path, sr=None):
    """The reference: soundfile.read, soxr HQ to ``sr`` if given, stereo mixed as ffmpeg does."""
    y, native = soundfile.read(path, dtype="float32", always_2d=True)
    if sr is not None and sr != native:
        y = soxr.resample(y, native, sr, quality="HQ")
    if y.shape[1] == 2:
        y = y[:, :1] * GAIN + y[:, 1:] * GAIN
    return np.ascontiguousarray(y[:, 0], dtype=np.float32)


def best_of(func, repeats):
    """(minimum wall time over ``repeats`` calls, last result)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return min(times), out


def no_soundfile(*args, **kwargs):
    return None


def decode_section(paths, native, repeats, n_ffmpeg, n_stereo):
    n = len(paths)
    ms = 1e3 / n
    with threadpool_limits(limits=1):
        # warm-up: imports, libsndfile, soxr's filter tables, the ffmpeg binary
        AudioLoader(sr=native, duration="variable").transform(paths[:3])
        AudioLoader(sr=16000, duration="variable").transform(paths[:3])
        [soundfile_read(p) for p in paths[:3]] + [soundfile_read(p, 16000) for p in paths[:3]]
        with mock.patch.object(skemotion.io._read, "read_audio_soundfile", no_soundfile):
            AudioLoader(sr=16000, duration="variable").transform(paths[:2])

        loader = AudioLoader(sr=native, duration="variable")
        t_sf, ref = best_of(lambda: [soundfile_read(p) for p in paths], repeats)
        t_al, got = best_of(lambda: loader.transform(paths), repeats)
        for p, a, b in zip(paths, got, ref, strict=True):
            assert np.array_equal(a, b), f"AudioLoader's samples differ from soundfile's for {p}"
        print(f"(a) {n} FLAC clips at {native} Hz ({n_stereo} stereo), one thread, min of {repeats}")
        print(f"  soundfile.read:                          {t_sf * ms:7.2f} ms per clip")
        print(f"  AudioLoader(sr={native}):                {t_al * ms:7.2f} ms per clip "
              f"(identical samples)")
        print(f"  ratio AudioLoader / soundfile.read:      {t_al / t_sf:7.3f} (target <= 2)")

        loader16 = AudioLoader(sr=16000, duration="variable")
        t_sx, ref16 = best_of(lambda: [soundfile_read(p, 16000) for p in paths], repeats)
        t_al16, got16 = best_of(lambda: loader16.transform(paths), repeats)
        diff16 = max(float(np.abs(a - b).max()) for a, b in zip(got16, ref16, strict=True))
        print(f"  soundfile.read + soxr HQ to 16 kHz:      {t_sx * ms:7.2f} ms per clip")
        print(f"  AudioLoader(sr=16000):                   {t_al16 * ms:7.2f} ms per clip "
              f"(max |difference| {diff16:.1e})")
        print(f"  ratio AudioLoader / soundfile + soxr:    {t_al16 / t_sx:7.3f}")

        sub = paths[:n_ffmpeg]
        t_sub, _ = best_of(lambda: loader16.transform(sub), repeats)
        with mock.patch.object(skemotion.io._read, "read_audio_soundfile", no_soundfile):
            t_ff, got_ff = best_of(lambda: loader16.transform(sub), repeats)
        diff_ff = max(float(np.abs(a - b).max()) for a, b in zip(got_ff, got16, strict=False))
        print(f"  first {len(sub)} clips, AudioLoader(sr=16000), one ffmpeg process per file "
              f"(the previous behaviour):")
        print(f"    ffmpeg:      {t_ff * 1e3 / len(sub):7.2f} ms per clip "
              f"(max |difference| to in-process {diff_ff:.1e})")
        print(f"    in process:  {t_sub * 1e3 / len(sub):7.2f} ms per clip: "
              f"{t_ff / t_sub:.1f}x faster than ffmpeg")
    return t_al / t_sf


def cheap_pipeline(memory):
    return Pipeline([
        ("audio", AudioLoader(sr=16000, trim_db=40.0, duration="variable", memory=memory)),
        ("features", SpectralFeatures(sr=16000, n_fft=512, hop_length=256, n_mfcc=13,
                                      features=("mfcc", "centroid", "rolloff", "zcr", "rms"),
                                      pool="functionals", memory=memory)),
        ("scale", StandardScaler()),
        ("model", LinearSVC(C=1e-3)),
    ])


def evaluate_like(pipe, X, y, groups, n_splits):
    """GroupKFold out-of-fold predictions, then the refit on every clip (``skemotion evaluate``)."""
    y_oof = np.empty_like(y)
    for train, test in GroupKFold(n_splits=n_splits).split(X, y, groups):
        y_oof[test] = clone(pipe).fit(X[train], y[train]).predict(X[test])
    clone(pipe).fit(X, y)
    return y_oof


def cache_section(X, y, groups, n_splits):
    n_splits = min(n_splits, len(np.unique(groups)))
    cheap_pipeline(None)[:2].fit_transform(X[:2])  # warm-up: imports, numba, filter banks
    start = time.perf_counter()
    plain = evaluate_like(cheap_pipeline(None), X, y, groups, n_splits)
    t_plain = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="bench_audio_decode_") as cache:
        start = time.perf_counter()
        cached = evaluate_like(cheap_pipeline(cache), X, y, groups, n_splits)
        t_cached = time.perf_counter() - start
    assert np.array_equal(plain, cached), "the cache changed the predictions"
    print(f"(b) GroupKFold({n_splits}) by actor + final refit, {len(X)} clips, cheap pipeline "
          "(AudioLoader -> SpectralFeatures functionals -> StandardScaler -> LinearSVC)")
    print(f"  without memory (decoded per fold):       {t_plain:7.1f} s")
    print(f"  memory in a fresh folder (decoded once): {t_cached:7.1f} s (same predictions)")
    print(f"  ratio without / with memory:             {t_plain / t_cached:7.2f}")
    return t_plain / t_cached


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"RAVDESS speech folder (default {DEFAULT_DATA})")
    parser.add_argument("--n-clips", type=int, default=200, help="clips decoded in (a) (default 200)")
    parser.add_argument("--n-ffmpeg", type=int, default=50,
                        help="of those, clips decoded through ffmpeg (default 50)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs, minimum kept (default 3)")
    parser.add_argument("--cv-clips", type=int, default=None,
                        help="clips in (b), whole actors first (default: all)")
    parser.add_argument("--n-splits", type=int, default=6, help="folds in (b) (default 6)")
    parser.add_argument("--skip", choices=["a", "b"], default=None, help="leave out one part")
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        sys.exit(f"RAVDESS speech folder not found: {args.data}. Pass --data DIR (the folder "
                 "of Actor_XX/*.flac described in shared/data/ravdess-speech/README.md).")
    data = load_ravdess(args.data)
    X = np.asarray(data.data, dtype=object)
    y = np.asarray(data.target)
    groups = np.asarray(data.groups)

    if args.skip != "a":
        # spread over every actor (the two stereo clips of actor 20 included)
        idx = np.unique(np.linspace(0, len(X) - 1, min(args.n_clips, len(X))).round().astype(int))
        stereo = [i for i, p in enumerate(X) if soundfile.info(p).channels == 2]
        idx = np.unique(np.concatenate([idx[: len(idx) - len(stereo)], stereo]))
        native = soundfile.info(X[0]).samplerate
        decode_section(list(X[idx]), native, args.repeats, args.n_ffmpeg, len(stereo))
    if args.skip != "b":
        if args.cv_clips is not None:
            X, y, groups = X[: args.cv_clips], y[: args.cv_clips], groups[: args.cv_clips]
        cache_section(X, y, groups, args.n_splits)


if __name__ == "__main__":
    main()
