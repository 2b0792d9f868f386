"""FrameSampler vs. the loop people write by hand with OpenCV, on the same files in one run.

The hand-written reference opens the clip with ``cv2.VideoCapture``, reads every
frame, resizes each with ``cv2.resize`` (INTER_AREA, like ffmpeg's ``area``
scaler that FrameSampler uses), converts BGR to RGB and keeps ``n_frames``
evenly spaced ones (or the first ``n_frames``). Both run with ``n_jobs=1``, one
clip at a time, and return the same ``(n_frames, 112, 112, 3)`` uint8 array.

Printed for a 10 s 1280x720 30 fps H.264 clip: the best of ``--repeats`` times
for FrameSampler, OpenCV, and ``ffmpeg -i clip -f null -`` (the cost of decoding
every frame, a floor for any method that must decode them), and the ratio
OpenCV / FrameSampler (target >= 1.8). The issue measured OpenCV read-all +
resize at 826 ms and the ffmpeg decode floor at 419 ms on its machine.

Needs the ``bench`` extra (``pip install skemotion[bench]``: opencv-python-headless).

Usage: python benchmarks/bench_frame_sampler.py [--repeats 5] [--workdir DIR]
"""

import argparse
import os
import subprocess
import tempfile
import time

import numpy as np

from skemotion.io import ffmpeg_exe
from skemotion.video import FrameSampler

SIZE = (112, 112)


def make_clip(path, seconds=10):
    """Encode ffmpeg's moving, textured testsrc2 pattern at 720p 30 fps with x264."""
    if os.path.exists(path):
        return
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path],
        check=True,
    )


def opencv_by_hand(path, n_frames, strategy):
    """What people write: read every frame with VideoCapture, resize each, then pick."""
    import cv2

    cap = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frame = cv2.resize(frame, SIZE, interpolation=cv2.INTER_AREA)
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        if strategy == "head" and len(frames) == n_frames:
            break
    cap.release()
    if strategy == "head":
        index = np.minimum(np.arange(n_frames), len(frames) - 1)
    else:
        index = np.linspace(0, len(frames) - 1, n_frames).round().astype(int)
    return np.stack([frames[i] for i in index])


def null_decode(path):
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", path,
                    "-map", "0:v:0", "-f", "null", "-"], check=True)


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", default=None, help="where the test clip is written")
    args = parser.parse_args()
    import cv2

    workdir = args.workdir or tempfile.mkdtemp(prefix="bench_frame_sampler_")
    clip = os.path.join(workdir, "testsrc2_720p_10s.mp4")
    make_clip(clip)
    print(f"clip: {clip} (1280x720, 30 fps, 10 s, H.264); cpus={os.cpu_count()}, "
          f"cv2 {cv2.__version__} threads={cv2.getNumThreads()}, repeats={args.repeats} (best of)")

    floor = best_of(lambda: null_decode(clip), args.repeats)
    print(f"ffmpeg decode floor (-f null):           {floor * 1e3:8.1f} ms")
    for strategy, n_frames, target in (("uniform", 16, 1.8), ("head", 75, None)):
        sampler = FrameSampler(n_frames=n_frames, strategy=strategy, size=SIZE, n_jobs=1)
        ours = sampler.fit_transform([clip])[0]
        theirs = opencv_by_hand(clip, n_frames, strategy)
        assert ours.shape == theirs.shape == (n_frames, SIZE[1], SIZE[0], 3), (ours.shape,
                                                                                theirs.shape)
        t_ours = best_of(lambda s=sampler: s.transform([clip]), args.repeats)
        t_cv = best_of(lambda s=strategy, n=n_frames: opencv_by_hand(clip, n, s), args.repeats)
        ratio = t_cv / t_ours
        goal = f" (target >= {target})" if target else ""
        print(f"[{strategy} {n_frames} frames] FrameSampler {t_ours * 1e3:8.1f} ms | "
              f"OpenCV read+resize {t_cv * 1e3:8.1f} ms | ratio OpenCV/FrameSampler "
              f"{ratio:5.2f}x{goal} | FrameSampler/ffmpeg-floor {t_ours / floor:4.2f}")


if __name__ == "__main__":
    main()
