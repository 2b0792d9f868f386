"""read_frames vs. the bundled ffmpeg decoding the same file to the null muxer.

Prints, for a 10 s 1280x720 30 fps H.264 clip, time(read_frames(n_frames=16,
size=(112, 112))) / time(ffmpeg -i clip -f null -), both measured in this run
(target <= 1.15), and the cost of the same 16 frames from a 10-minute clip
relative to the 10 s clip (target < 3: work grows with frames returned, not
with video length). Also prints the hand-written alternatives the issue
measured: decode every frame then pick in Python, and one ``-ss`` seek per frame.

Every timed call starts cold: probe's header cache is cleared inside it, so
read_frames pays for its probe's ffmpeg launch in every repeat, as a first
read of a file does (the null-decode reference has no cache to help it).

``seek="auto"`` decodes the 10 s clip once (frames 0.625 s apart: exact) and
reaches the 16 frames of the 10-minute clip (37.5 s apart) by key-frame
seeking, where each frame is the key frame at or before its bin centre (up to
one GOP early: x264's default 250 frames, 8.3 s at 30 fps). The long clip is
also timed with ``seek="exact"`` (frames exactly at the bin centres), printed
as its own ratio.

``--sequences`` instead compares image sequences with the video they were
extracted from: 16 frames (112x112) from a folder of 120 PNG or JPEG frames
(4 s of the 720p clip) against the same 16 from the H.264 file, both timed in
this run, plus every frame of the PNG folder (what a sequence reader that
decodes all images would pay).

Usage: python benchmarks/bench_read_frames.py [--repeats 5] [--workdir DIR] [--sequences]
"""

import argparse
import os
import subprocess
import tempfile
import time

import numpy as np

from skemotion.io import ffmpeg_exe, probe, read_frames
from skemotion.io._probe import _header


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


def sample(path, seek="auto"):
    """read_frames(n_frames=16, size=(112, 112)) from a cold header cache."""
    _header.cache_clear()
    return read_frames(path, n_frames=16, size=(112, 112), seek=seek)


def resolved_seek(path, n=16):
    """What seek="auto" does for n frames of ``path`` (read_frames' 5 s rule)."""
    from skemotion.io._read import _SEEK_SPACING_S

    spacing = probe(path).duration / n
    mode = "keyframe" if spacing > _SEEK_SPACING_S else "decode once"
    return f"seek='auto' -> {mode}, frames {spacing:.3g} s apart"


def decode_all_then_pick(path, n=16, size=(112, 112)):
    _header.cache_clear()
    frames = read_frames(path)  # every frame at full size into Python
    idx = np.linspace(0, len(frames) - 1, n).round().astype(int)
    import cv2

    return np.stack([cv2.resize(frames[i], size, interpolation=cv2.INTER_AREA) for i in idx])


def seek_per_frame(path, n=16, size=(112, 112)):
    _header.cache_clear()
    info = probe(path)
    out = []
    for t in (np.arange(n) + 0.5) * info.duration / n:
        out.append(read_frames(path, times=[t], size=size, seek=True)[0])
    return np.stack(out)


def extract_frames(video, folder, ext):
    """Every frame of ``video`` as ``folder/1.ext`` ... (JPEG at ffmpeg's best quality scale)."""
    if os.path.isdir(folder):
        return folder
    os.makedirs(folder)
    quality = ["-q:v", "2"] if ext == "jpg" else []
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", video, "-map", "0:v:0",
                    *quality, "-start_number", "1", os.path.join(folder, f"%d.{ext}")], check=True)
    return folder


def sequence_vs_video(workdir, repeats, seconds=4):
    """Print 16 frames from PNG and JPEG folders relative to 16 from their H.264 source."""
    from skemotion.io._sequence import _header_size

    video = os.path.join(workdir, f"clip_{seconds}s_720p.mp4")
    make_clip(video, seconds)
    png = extract_frames(video, os.path.join(workdir, f"frames_{seconds}s_720p_png"), "png")
    jpg = extract_frames(video, os.path.join(workdir, f"frames_{seconds}s_720p_jpg"), "jpg")

    def folder_sample(folder, **kwargs):
        _header_size.cache_clear()  # cold, as the video's probe is: every image header is read
        return read_frames(folder, size=(112, 112), **kwargs)

    n = len(os.listdir(png))
    assert folder_sample(png, n_frames=16).shape == (16, 112, 112, 3)
    t_video = best_of(lambda: sample(video), repeats)
    t_png = best_of(lambda: folder_sample(png, n_frames=16), repeats)
    t_jpg = best_of(lambda: folder_sample(jpg, n_frames=16), repeats)
    t_all = best_of(lambda: folder_sample(png), max(1, repeats // 2))
    print(f"{seconds} s 720p H.264, read_frames(n_frames=16, 112x112):        {t_video * 1000:8.1f} ms")
    print(f"{n} 720p PNG frames, read_frames(n_frames=16, 112x112):   {t_png * 1000:8.1f} ms")
    print(f"{n} 720p JPEG frames, read_frames(n_frames=16, 112x112):  {t_jpg * 1000:8.1f} ms")
    print(f"{n} 720p PNG frames, every frame at 112x112:             {t_all * 1000:8.1f} ms")
    print(f"RATIO PNG folder / video (16 frames): {t_png / t_video:.3f}")
    print(f"RATIO JPEG folder / video (16 frames): {t_jpg / t_video:.3f}")
    print(f"RATIO every PNG frame / 16 PNG frames: {t_all / t_png:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "skemotion_bench"))
    parser.add_argument("--long-seconds", type=int, default=600)
    parser.add_argument("--sequences", action="store_true",
                        help="compare folders of frames with their video instead")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    if args.sequences:
        sequence_vs_video(args.workdir, args.repeats)
        return
    short = os.path.join(args.workdir, "clip_10s_720p.mp4")
    long = os.path.join(args.workdir, f"clip_{args.long_seconds}s_720p.mp4")
    make_clip(short, 10)
    make_clip(long, args.long_seconds)

    assert sample(short).shape == (16, 112, 112, 3)
    t_null = best_of(lambda: null_decode(short), args.repeats)
    t_ours = best_of(lambda: sample(short), args.repeats)
    t_long = best_of(lambda: sample(long), args.repeats)
    t_exact = best_of(lambda: sample(long, seek="exact"), args.repeats)
    print(f"10 s 720p H.264, null decode (ffmpeg -f null):      {t_null * 1000:8.1f} ms")
    print(f"10 s 720p H.264, read_frames(n_frames=16, 112x112): {t_ours * 1000:8.1f} ms"
          f"  [{resolved_seek(short)}]")
    print(f"{args.long_seconds} s 720p H.264, read_frames(n_frames=16, 112x112): {t_long * 1000:8.1f} ms"
          f"  [{resolved_seek(long)}]")
    print(f"{args.long_seconds} s 720p H.264, read_frames(n_frames=16, 112x112, seek='exact'): "
          f"{t_exact * 1000:8.1f} ms")
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
    print(f"RATIO 16 frames from {args.long_seconds} s / from 10 s [{resolved_seek(long)}]: "
          f"{t_long / t_ours:.3f}  (target < 3)")
    print(f"RATIO 16 frames from {args.long_seconds} s / from 10 s, seek='exact': {t_exact / t_ours:.3f}")


if __name__ == "__main__":
    main()
