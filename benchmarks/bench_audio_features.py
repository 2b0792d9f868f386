"""Benchmark: SpectralFeatures (one shared STFT per clip) vs. one librosa call per feature.

The reference is how such features are usually written by hand: one librosa call
per feature on the waveform, each computing its own STFT, then numpy statistics
over time. Both run in the same process, on the same clips, single-threaded
(BLAS/OpenMP limited to one thread), after a warm-up that pays numba's
compilation. The script checks that both give the same numbers, then prints
the time ratio (target <= 0.5) and the speed in multiples of real time on one
core.

Usage::

    python benchmarks/bench_audio_features.py                 # 100 clips of 30 s at 44.1 kHz
    python benchmarks/bench_audio_features.py --n-clips 10    # quicker
"""

import argparse
import time

import librosa
import numpy as np
from threadpoolctl import threadpool_limits

from skemotion.audio import SpectralFeatures

DEFAULT_FEATURES = ["mfcc", "centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms"]


def make_clips(n, duration, sr, seed):
    """``n`` voice-like clips: harmonic tones with vibrato, syllable envelope and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(duration * sr)) / sr
    clips = np.empty((n, t.size), dtype=np.float32)
    for i in range(n):
        f0 = rng.uniform(100, 250) * (1 + 0.03 * np.sin(2 * np.pi * rng.uniform(3, 7) * t))
        phase = 2 * np.pi * np.cumsum(f0) / sr
        y = sum(np.sin(k * phase) * k ** -rng.uniform(0.8, 2.0) for k in range(1, 9))
        envelope = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(2, 5) * t) ** 2
        clips[i] = 0.2 * y * envelope + 0.01 * rng.standard_normal(t.size)
    return clips


def by_hand(y, sr, features, stft, pool):
    """One librosa call (hence one STFT) per feature, pooled with numpy."""
    kw = dict(sr=sr, **stft)
    n_fft, hop = stft["n_fft"], stft["hop_length"]
    columns = []
    for name in features:
        if name == "mfcc":
            columns.append(librosa.feature.mfcc(y=y, **kw))
        elif name == "mel":
            columns.append(librosa.power_to_db(librosa.feature.melspectrogram(y=y, **kw)))
        elif name == "centroid":
            columns.append(librosa.feature.spectral_centroid(y=y, **kw))
        elif name == "bandwidth":
            columns.append(librosa.feature.spectral_bandwidth(y=y, **kw))
        elif name == "rolloff":
            columns.append(librosa.feature.spectral_rolloff(y=y, **kw))
        elif name == "flux":
            columns.append(librosa.onset.onset_strength(y=y, **kw)[None, :])
        elif name == "flatness":
            columns.append(librosa.feature.spectral_flatness(y=y, **stft))
        elif name == "contrast":
            columns.append(librosa.feature.spectral_contrast(y=y, **kw))
        elif name == "zcr":
            columns.append(librosa.feature.zero_crossing_rate(y, frame_length=n_fft, hop_length=hop))
        elif name == "rms":
            columns.append(librosa.feature.rms(y=y, frame_length=n_fft, hop_length=hop))
        elif name == "chroma":
            columns.append(librosa.feature.chroma_stft(y=y, **kw))
        else:
            raise ValueError(f"unknown feature {name!r}")
    frames = np.concatenate(columns).T.astype(np.float64)
    stats = {"mean": frames.mean(axis=0), "std": frames.std(axis=0)}
    return np.concatenate([stats[s] for s in pool]).astype(np.float32)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-clips", type=int, default=100, help="number of clips (default 100)")
    parser.add_argument("--duration", type=float, default=30.0, help="clip length in s (default 30)")
    parser.add_argument("--sr", type=int, default=44100, help="sampling rate (default 44100)")
    parser.add_argument("--features", nargs="+", default=DEFAULT_FEATURES)
    parser.add_argument("--batch", type=int, default=5, help="clips generated at once (memory)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    stft = dict(n_fft=2048, hop_length=512, window="hamming")
    pool = ["mean", "std"]
    sf = SpectralFeatures(features=args.features, pool=pool, sr=args.sr, **stft)

    print(
        f"{args.n_clips} clips x {args.duration:g} s at {args.sr} Hz; features {args.features}; "
        f"n_fft={stft['n_fft']}, hop_length={stft['hop_length']}, window='hamming'; one thread"
    )
    t_shared = t_hand = 0.0
    max_rel = 0.0
    with threadpool_limits(limits=1):
        warm = make_clips(1, 1.0, args.sr, seed=args.seed + 10_000)
        sf.fit_transform(warm)  # numba compilation, mel filters, ...
        by_hand(warm[0], args.sr, args.features, stft, pool)
        done = 0
        batch_index = 0
        while done < args.n_clips:
            n = min(args.batch, args.n_clips - done)
            X = make_clips(n, args.duration, args.sr, seed=[args.seed, batch_index])
            start = time.perf_counter()
            shared = sf.fit_transform(X)
            t_shared += time.perf_counter() - start
            start = time.perf_counter()
            hand = np.stack([by_hand(y, args.sr, args.features, stft, pool) for y in X])
            t_hand += time.perf_counter() - start
            scale = np.abs(hand).max(axis=0) + 1e-12
            max_rel = max(max_rel, float((np.abs(shared - hand) / scale).max()))
            done += n
            batch_index += 1
            print(
                f"  {done:4d} clips: shared {t_shared:7.2f} s, one call per feature {t_hand:7.2f} s",
                flush=True,
            )

    audio_s = args.n_clips * args.duration
    ratio = t_shared / t_hand
    print(f"max |difference| / column scale between the two: {max_rel:.2e}")
    print(
        f"SpectralFeatures (shared STFT): {t_shared:.2f} s = {1e3 * t_shared / args.n_clips:.0f} "
        f"ms per clip = {audio_s / t_shared:.0f}x real time on one core"
    )
    print(
        f"librosa, one call per feature:  {t_hand:.2f} s = {1e3 * t_hand / args.n_clips:.0f} "
        f"ms per clip = {audio_s / t_hand:.0f}x real time on one core"
    )
    print(f"time ratio shared / by hand: {ratio:.3f} (target <= 0.5)")
    return ratio


if __name__ == "__main__":
    main()
