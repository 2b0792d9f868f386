"""read_frames vs. the bundled ffmpeg decoding the same file to the null muxer.

Prints, for a 10 s 1280x720 30 fps H.264 clip, time(read_frames(n_frames=16,
size=(112, 112))) / time(ffmpeg -i clip -f null -), both measured in this run
(target <= 1.15), and the cost of the same 16 frames from a 10-minute clip
relative to the 10 s clip (target < 3: work grows with frames returned, not
with video length). Also prints the hand-written alternatives the issue
measured: decode every frame then pick in Python, and one ``-ss`` seek per frame.

Usage: python benchmarks/bench_read_frames.py [--repeats 5] [--workdir DIR]
"""

import argparse
import os
import subprocess
import tempfile
import time

import numpy as np

from skemotion.io import ffmpeg_exe, probe, read_frames


def make_clip(path, seconds):
    """Encode ffmpeg's testsrc2 pattern (moving, textured) with x264 defaults + AAC."""
    if os.path.exists(path):
        return
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", path],
        check=True,
    )


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def null_decode(path):
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", path,
                    "-map", "0:v:0", "-f", "null", "-"], check=True)


def decode_all_then_pick(path, n=16, size=(112, 112)):
    frames = read_frames(path)  # every frame at full size into Python
    idx = np.linspace(0, len(frames) - 1, n).round().astype(int)
    import cv2

    return np.stack([cv2.resize(frames[i], size, interpolation=cv2.INTER_AREA) for i in idx])


def seek_per_frame(path, n=16, size=(112, 112)):
    info = probe(path)
    out = []
    for t in (np.arange(n) + 0.5) * info.duration / n:
        out.append(read_frames(path, times=[t], size=size, seek=True)[0])
    return np.stack(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "skemotion_bench"))
    parser.add_argument("--long-seconds", type=int, default=600)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    short = os.path.join(args.workdir, "clip_10s_720p.mp4")
    long = os.path.join(args.workdir, f"clip_{args.long_seconds}s_720p.mp4")
    make_clip(short, 10)
    make_clip(long, args.long_seconds)

    sample = lambda p: read_frames(p, n_frames=16, size=(112, 112))  # noqa: E731
    assert sample(short).shape == (16, 112, 112, 3)
    t_null = best_of(lambda: null_decode(short), args.repeats)
    t_ours = best_of(lambda: sample(short), args.repeats)
    t_long = best_of(lambda: sample(long), args.repeats)
    print(f"10 s 720p H.264, null decode (ffmpeg -f null):      {t_null * 1000:8.1f} ms")
    print(f"10 s 720p H.264, read_frames(n_frames=16, 112x112): {t_ours * 1000:8.1f} ms")
    print(f"{args.long_seconds} s 720p H.264, read_frames(n_frames=16, 112x112): {t_long * 1000:8.1f} ms")
    try:
        t_all = best_of(lambda: decode_all_then_pick(short), max(1, args.repeats // 2))
        print(f"10 s clip, decode all then pick in Python (cv2.resize): {t_all * 1000:8.1f} ms"
              f"  ({t_all / t_null:.2f}x null)")
    except ImportError:
        pass
    t_seek = best_of(lambda: seek_per_frame(short), max(1, args.repeats // 2))
    print(f"10 s clip, one -ss seek per frame (sequential):        {t_seek * 1000:8.1f} ms"
          f"  ({t_seek / t_null:.2f}x null)")
    print(f"RATIO read_frames / null decode (10 s clip): {t_ours / t_null:.3f}  (target <= 1.15)")
    print(f"RATIO 16 frames from {args.long_seconds} s / from 10 s: {t_long / t_ours:.3f}  (target < 3)")


if __name__ == "__main__":
    main()
