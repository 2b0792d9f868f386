"""Reading an image sequence as a clip: which frames each sampling mode picks, then one decode.

Frame ``j`` of a sequence at ``sequence_fps`` R starts at ``j / R`` and lasts
``1 / R``, as in a constant-rate video. Every image is a key frame, so the
frames a request needs are known from their numbers: only those images are
decoded, in one ffmpeg run of the image2 demuxer over links to them, through
the same scale and colour filters as a video. A PNG folder therefore gives
the frames an RGB-lossless video of it gives, in every sampling mode.
"""

import math
import os
import shutil
import subprocess
import tempfile

import numpy as np

from ..exceptions import MediaError
from ._ffmpeg import _tail, ffmpeg_command, run_process
from ._sequence import open_sequence

__all__ = ["prepare_sequence", "read_sequence_at", "iter_sequence", "sequence_info"]

# Times within this many seconds of a frame's start count as that frame's start,
# as the video path's select expressions do (printed times carry 6 decimals).
_TOL = 1e-6


def _span(seq, rate, seg_start, seg_end, display):
    """Frames ``[j0, j1)`` of the segment, and its duration in seconds."""
    n = len(seq.files)
    total = n / rate
    if seg_start >= total:
        raise MediaError(
            f"Could not decode '{display}': the segment starts at {seg_start:g} s, after the end "
            f"of the video ({total:g} s).",
            display,
        )
    j0 = max(0, math.ceil((seg_start - _TOL) * rate))
    stop = total if seg_end is None else min(seg_end, total)
    j1 = min(n, math.ceil((stop - _TOL) * rate))
    return j0, j1, stop - seg_start


def prepare_sequence(display, file_path, seg_start, seg_end, size, channels, filters, rate):
    """The reading context of :func:`skemotion.io.read_frames` for an image sequence."""
    seq = open_sequence(file_path)
    j0, j1, duration = _span(seq, rate, seg_start, seg_end, display)
    if j1 <= j0:
        raise MediaError(f"Could not decode '{display}': no frame starts in the segment.", display)
    w, h = size if size is not None else seq.display_size
    return {"display": display, "file_path": file_path, "seg_start": seg_start, "seg_end": seg_end,
            "origin": seg_start, "duration": duration, "info": None, "frame_shape": (h, w, channels),
            "filters": filters, "sequence": seq, "rate": float(rate), "span": (j0, j1)}


def read_sequence_at(ctx, times, *, shown, on_damage="warn"):
    """Frames at ``times`` (seconds from the segment's first frame), in the order of ``times``.

    ``shown=True`` picks the frame on screen at each time (``n_frames`` bins,
    ``seek="keyframe"``); otherwise the first frame starting at or after it.
    """
    rate, (j0, j1) = ctx["rate"], ctx["span"]
    times = np.asarray(times, dtype=float)
    if shown:
        index = j0 + np.floor((times + _TOL) * rate).astype(np.int64)
        index = np.minimum(index, j1 - 1)  # past the last frame, the last one stays on screen
    else:
        index = j0 + np.ceil((times - _TOL) * rate).astype(np.int64)
        late = times[index >= j1]
        if late.size:
            raise MediaError(f"Could not decode '{ctx['display']}': no frame at or after "
                             f"t={late.tolist()} s.", ctx["display"])
    unique, inverse = np.unique(index, return_inverse=True)
    target = f"{len(times)} frames at given times" if not shown else f"{len(times)} frames"
    frames = list(_decode(ctx, unique, target=target, on_damage=on_damage))
    return np.stack(frames)[inverse.ravel()]


def iter_sequence(ctx, fps=None, max_frames=None, *, on_damage="warn"):
    """Frames at the sequence's own rate, or resampled to ``fps``, from the segment's start.

    With ``fps``, tick ``m`` shows the frame on screen ``m / fps`` seconds after
    the first, and ticks run while frames last (ffmpeg's ``fps`` filter with
    ``round=up``). Returns a generator; each image is decoded once, however
    often it repeats.
    """
    rate, (j0, j1) = ctx["rate"], ctx["span"]
    if fps is None:
        index = np.arange(j0, j1)
    else:
        ticks = math.ceil((j1 - j0) * fps / rate - 1e-9)
        index = j0 + np.floor(np.arange(ticks) * rate / fps + 1e-9).astype(np.int64)
    if max_frames is not None:
        index = index[:max_frames]
    return _repeat(ctx, index, on_damage)


def _repeat(ctx, index, on_damage):
    unique, counts = np.unique(index, return_counts=True)
    for frame, count in zip(_decode(ctx, unique, target=f"{len(index)} frames", on_damage=on_damage),
                            counts, strict=False):
        for _ in range(count):
            yield frame


def _decode(ctx, unique, *, target, on_damage):
    """Yield the images numbered ``unique`` (increasing), decoded and scaled by one ffmpeg."""
    from ._read import _stream

    seq, display = ctx["sequence"], ctx["display"]
    files = [seq.files[j] for j in unique]
    # The image2 demuxer reads numbered names: links 000000.png, 000001.png, ... to the
    # images wanted give it any selection of any folder (names with spaces, '%', no
    # zero padding) without a copy.
    tmp = tempfile.mkdtemp(prefix="skemotion-frames-")
    try:
        for k, file in enumerate(files):
            _link(file, os.path.join(tmp, f"{k:06d}{seq.extension}"))
        args = ["-loglevel", "error", "-f", "image2", "-framerate", "1", "-start_number", "0",
                "-i", os.path.join(tmp, f"%06d{seq.extension}"), "-map", "0:v:0",
                "-vf", ",".join(ctx["filters"]), "-fps_mode", "passthrough", "-f", "rawvideo", "-"]
        try:
            yield from _stream(display, args, ctx["frame_shape"], len(files), target=target,
                               on_damage=on_damage)
        except MediaError as exc:
            raise _name_bad_frames(display, files, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _link(source, link):
    try:
        os.symlink(source, link)
    except OSError:  # no symlinks (Windows without the privilege): a hard link, else a copy
        try:
            os.link(source, link)
        except OSError:
            shutil.copyfile(source, link)


def _name_bad_frames(display, files, exc):
    """The decode of several images failed: find the images that fail alone, and name them."""
    bad = []
    for file in dict.fromkeys(files):
        proc = run_process(ffmpeg_command(["-loglevel", "error", "-f", "image2", "-i", file,
                                           "-f", "null", "-"]), stdout=subprocess.DEVNULL)
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0 or err.strip():
            bad.append((file, _tail(err.splitlines(), 3)))
    if not bad:
        return exc
    names = ", ".join(f"'{os.path.basename(f)}'" for f, _ in bad[:3])
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    tail = bad[0][1]
    return MediaError(
        f"Could not decode '{display}': its frame {names}{more} is corrupt or truncated"
        + (f" (ffmpeg: {tail})" if tail else "") + ".",
        display,
        tail,
    )


def sequence_info(path, file_path, start, end, rate):
    """:class:`MediaInfo` of an image sequence (or a fragment of one); the frame count is exact."""
    from ._probe import MediaInfo

    seq = open_sequence(file_path)
    j0, j1, duration = _span(seq, rate, start or 0.0, end, os.fspath(path))
    return MediaInfo(
        path=file_path,
        start=start or 0.0,
        end=(start or 0.0) + duration,
        duration=duration,
        fps=float(rate),
        n_frames=max(j1 - j0, 0),
        n_frames_exact=True,
        width=seq.width,
        height=seq.height,
        rotation=seq.rotation,
        has_video=True,
        has_audio=False,
        sample_rate=None,
        channels=None,
        video_codec=seq.codec,
        audio_codec=None,
    )
