"""Benchmark: SpectralFeatures' ``f0``/``voicing`` (YIN + periodicity gate) vs. librosa's pyin.

pyin is the usual choice when voicing is needed as well as f0; it decodes an
HMM over many YIN thresholds. Both run in the same process on the same
voice-like clips (harmonic tones with a pitch glide, vibrato and syllable gaps,
at a known f0), single-threaded, after a warm-up that pays numba's compilation.
The script prints the time per clip and the ratio (ours / pyin), how often the
two agree on voicing, and each one's error against the true f0 on the frames
both call voiced.

Usage::

    python benchmarks/bench_pitch.py                   # 40 clips of 3 s at 16 kHz
    python benchmarks/bench_pitch.py --n-clips 10      # quicker
"""

import argparse
import time
import warnings

import librosa
import numpy as np
from threadpoolctl import threadpool_limits

from skemotion.audio import SpectralFeatures


def make_clips(n, duration, sr, seed):
    """Voice-like clips and their true f0 per sample."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(duration * sr)) / sr
    clips = np.empty((n, t.size), dtype=np.float32)
    f0s = np.empty((n, t.size))
    for i in range(n):
        glide = rng.uniform(-4, 4) * (t / duration - 0.5) / 12
        f0 = rng.uniform(90, 260) * 2**glide * (1 + 0.02 * np.sin(2 * np.pi * rng.uniform(4, 7) * t))
        phase = 2 * np.pi * np.cumsum(f0) / sr
        y = sum(np.sin(k * phase) * k ** -rng.uniform(0.8, 2.0) for k in range(1, 9))
        syllables = np.sin(2 * np.pi * rng.uniform(2, 4) * t) > -0.6  # voiced stretches and gaps
        clips[i] = 0.2 * y * syllables + 0.003 * rng.standard_normal(t.size)
        f0s[i] = np.where(syllables, f0, np.nan)
    return clips, f0s


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-clips", type=int, default=40)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--sr", type=int, default=16000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sr, hop, n_fft = args.sr, 256, 1024
    clips, true_f0 = make_clips(args.n_clips, args.duration, sr, args.seed)
    ours = SpectralFeatures(features=["f0", "voicing"], pool=None, sr=sr, n_fft=n_fft,
                            hop_length=hop, f0_reference="absolute")

    def run_pyin(y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return librosa.pyin(y, fmin=60, fmax=500, sr=sr, frame_length=n_fft, hop_length=hop)

    with threadpool_limits(limits=1):
        ours.fit_transform(clips[:1])  # warm-up: numba compilation
        run_pyin(clips[0])
        start = time.perf_counter()
        track = ours.fit_transform(clips)
        t_ours = time.perf_counter() - start
        start = time.perf_counter()
        ref = [run_pyin(y) for y in clips]
        t_pyin = time.perf_counter() - start

    agree, err_ours, err_pyin = [], [], []
    for i, (f0, voiced, _) in enumerate(ref):
        n = min(len(f0), track.shape[1])
        centres = np.minimum(np.arange(n) * hop, clips.shape[1] - 1)
        truth = true_f0[i, centres]
        v_ours = track[i, :n, 1] == 1
        agree.append((v_ours == voiced[:n]).mean())
        both = v_ours & voiced[:n] & np.isfinite(truth)
        semis = 12 * np.log2(truth[both] / 27.5)
        err_ours.append(np.abs(track[i, :n, 0][both] - semis))
        err_pyin.append(np.abs(12 * np.log2(f0[:n][both] / 27.5) - semis))
    err_ours, err_pyin = np.concatenate(err_ours), np.concatenate(err_pyin)
    n = args.n_clips
    print(f"{n} clips of {args.duration:g} s at {sr} Hz, hop {hop}, one thread")
    print(f"SpectralFeatures f0+voicing: {1e3 * t_ours / n:8.1f} ms per clip")
    print(f"librosa.pyin               : {1e3 * t_pyin / n:8.1f} ms per clip")
    print(f"time ratio (ours / pyin)   : {t_ours / t_pyin:.3f}")
    print(f"voicing agreement          : {100 * np.mean(agree):.1f} % of frames")
    print(f"f0 error on frames both call voiced (semitones), median / 99th percentile: "
          f"ours {np.median(err_ours):.3f} / {np.percentile(err_ours, 99):.3f}, "
          f"pyin {np.median(err_pyin):.3f} / {np.percentile(err_pyin, 99):.3f}")


if __name__ == "__main__":
    main()
