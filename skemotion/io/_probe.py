"""Media metadata from the bundled ffmpeg (imageio-ffmpeg ships no ffprobe)."""

import functools
import math
import os
import re
from dataclasses import dataclass

from ..exceptions import MediaError
from ..utils._validation import Interval, validate_params
from ._ffmpeg import check_media_file, clean_stderr, ffmpeg_command, run_process
from ._fragment import parse_fragment
from ._sequence import is_sequence

__all__ = ["MediaInfo", "probe"]

_DURATION = re.compile(r"Duration:\s*(?:(\d+):(\d+):([\d.]+)|N/A)(?:,\s*start:\s*(-?[\d.]+))?")
_VIDEO = re.compile(r"Stream #\d+:(\d+)[^:]*: Video: (\w+)(.*)")
_AUDIO = re.compile(r"Stream #\d+:(\d+)[^:]*: Audio: (\w+)(.*)")
_SIZE = re.compile(r",\s*(\d{1,5})x(\d{1,5})")
_FPS = re.compile(r"([\d.]+)(k?) fps")
_TBR = re.compile(r"([\d.]+)(k?) tbr")
_RATE = re.compile(r"(\d+) Hz")
_ROTATION = re.compile(r"rotation of (-?[\d.]+) degrees")
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "4.0": 4, "5.0": 5, "5.1": 6, "6.1": 7,
             "7.1": 8}
_FRAME_COUNT = re.compile(r"frame=\s*(\d+)")
_INPUT = re.compile(r"^Input #0, (.+), from ")


@dataclass(frozen=True)
class MediaInfo:
    """What :func:`probe` learns about a media file (or a fragment of one).

    Attributes
    ----------
    path : str
        The file (without fragment).
    start, end : float
        The segment described, in seconds (``0`` and ``duration`` for a whole file).
    duration : float or None
        Length of the segment in seconds; ``None`` when the container does not say.
    fps : float or None
        Average frame rate of the first video stream.
    n_frames : int or None
        Frames in the segment; exact when ``n_frames_exact`` is True, otherwise an
        estimate ``round(duration * fps)`` from the header (variable frame rate
        files and badly muxed containers can differ).
    n_frames_exact : bool
        Whether ``n_frames`` was counted from the stream.
    width, height : int or None
        Coded frame size of the first video stream.
    rotation : int
        Clockwise rotation (0, 90, 180 or 270) that players apply; ffmpeg, and
        so :func:`read_frames`, applies it when decoding.
    has_video, has_audio : bool
    sample_rate : int or None
    channels : int or None
    video_codec, audio_codec : str or None

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import probe, write_video
    >>> path = os.path.join(tempfile.mkdtemp(), "portrait.mp4")
    >>> write_video(path, np.zeros((4, 32, 48, 3), np.uint8), fps=4, rotation=90)
    >>> info = probe(path)
    >>> (info.width, info.height), info.rotation, info.display_size
    ((48, 32), 90, (32, 48))
    """

    path: str
    start: float
    end: float | None
    duration: float | None
    fps: float | None
    n_frames: int | None
    n_frames_exact: bool
    width: int | None
    height: int | None
    rotation: int
    has_video: bool
    has_audio: bool
    sample_rate: int | None
    channels: int | None
    video_codec: str | None
    audio_codec: str | None

    @property
    def display_size(self):
        """``(width, height)`` of decoded frames, i.e. after rotation."""
        if self.width is None:
            return None
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height


def _parse_rate(match):
    if match is None:
        return None
    value = float(match.group(1)) * (1000 if match.group(2) else 1)
    return value if value > 0 else None


def _parse_header(text):
    info = {"duration": None, "start": 0.0, "fps": None, "width": None, "height": None,
            "rotation": 0, "has_video": False, "has_audio": False, "sample_rate": None,
            "channels": None, "video_codec": None, "audio_codec": None, "format": None}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _INPUT.match(line)
        if m and info["format"] is None:
            info["format"] = m.group(1)
        m = _DURATION.search(line)
        if m and info["duration"] is None and m.group(1) is not None:
            h, mi, s = m.group(1), m.group(2), m.group(3)
            info["duration"] = int(h) * 3600 + int(mi) * 60 + float(s)
            if m.group(4):
                info["start"] = float(m.group(4))
        m = _VIDEO.search(line)
        if m and not info["has_video"]:
            rest = m.group(3)
            if "attached pic" in rest:  # cover art in audio files is not a video stream
                continue
            info["has_video"] = True
            info["video_codec"] = m.group(2)
            size = _SIZE.search(rest)
            if size:
                info["width"], info["height"] = int(size.group(1)), int(size.group(2))
            info["fps"] = _parse_rate(_FPS.search(rest)) or _parse_rate(_TBR.search(rest))
            # Side data (display matrix) follows on the next lines, up to the next stream.
            for follow in lines[i + 1 : i + 8]:
                if "Stream #" in follow:
                    break
                rot = _ROTATION.search(follow)
                if rot:
                    info["rotation"] = int(round(-float(rot.group(1)))) % 360
        m = _AUDIO.search(line)
        if m and not info["has_audio"]:
            info["has_audio"] = True
            info["audio_codec"] = m.group(2)
            rest = m.group(3)
            rate = _RATE.search(rest)
            info["sample_rate"] = int(rate.group(1)) if rate else None
            parts = [p.strip() for p in rest.split(",")]
            for part in parts:
                if part in _CHANNELS:
                    info["channels"] = _CHANNELS[part]
                    break
                ch = re.match(r"(\d+) channels", part)
                if ch:
                    info["channels"] = int(ch.group(1))
                    break
    return info


def _count_frames(path, start, end):
    import subprocess

    args = []
    if start:
        args += ["-ss", f"{start:.6f}"]
    if end is not None:
        args += ["-t", f"{end - (start or 0.0):.6f}"]
    # Stream copy counts packets without decoding; a trimmed segment must be decoded
    # because copy cuts on key frames.
    codec = ["-c:v", "copy"] if not start and end is None else []
    args += ["-i", path, "-map", "0:v:0", *codec, "-f", "null", "-"]
    proc = run_process(ffmpeg_command(args), stdout=subprocess.DEVNULL)
    counts = _FRAME_COUNT.findall(proc.stderr.decode("utf-8", "replace"))
    return int(counts[-1]) if counts else 0


@functools.lru_cache(maxsize=4096)
def _header(file_path, mtime_ns, size):
    """ffmpeg's description of a file, cached per (path, modification time, size)."""
    import subprocess

    proc = run_process(ffmpeg_command(["-i", file_path]), stdout=subprocess.DEVNULL)
    return proc.stderr.decode("utf-8", "replace")


_TIME_BASE = re.compile(r"^#tb 0: (\d+)/(\d+)", re.MULTILINE)
_DISCARD = 0x4  # AV_PKT_FLAG_DISCARD: a packet the demuxer marks as not to be shown


@functools.lru_cache(maxsize=4096)
def _video_span_cached(file_path, mtime_ns, size):
    # A stream copy of the first video stream into framecrc lists each packet's
    # pts and duration: demuxing only, no decoding.
    proc = run_process(
        ffmpeg_command(["-loglevel", "error", "-i", file_path, "-map", "0:v:0", "-c", "copy",
                        "-f", "framecrc", "-"]),
    )
    if proc.returncode != 0 or proc.stderr.strip():
        return None  # damaged or truncated: the packets listed are not the stream's span
    text = proc.stdout.decode("utf-8", "replace")
    tb = _TIME_BASE.search(text)
    if tb is None:
        return None
    first = last = None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        try:
            pts, duration = int(fields[2]), int(fields[3])
        except (IndexError, ValueError):
            continue
        flags = next((f for f in fields[6:] if f.startswith("F=")), None)
        if pts < -(2**62) or (flags and int(flags[2:], 16) & _DISCARD):
            continue
        first = pts if first is None else min(first, pts)
        last = pts + duration if last is None else max(last, pts + duration)
    if first is None:
        return None
    scale = int(tb.group(1)) / int(tb.group(2))
    return first * scale, last * scale


def _video_span(file_path):
    """``(start, end)`` in seconds of the first video stream, from the container's start.

    The container's duration covers all streams: a clip whose audio outlasts
    its video, or whose video starts late (FLV, MPEG-TS), has a video stream
    shorter than the file. ``None`` when the packets cannot be listed, or
    ffmpeg reported errors while listing them (a damaged or truncated file,
    whose readers then report the damage themselves).
    """
    stat = os.stat(file_path)
    return _video_span_cached(file_path, stat.st_mtime_ns, stat.st_size)


def _container(file_path):
    """``(format names, start time)`` of a file from its cached header, e.g. ``("wav", 0.0)``.

    The format names are ffmpeg's demuxer names (``"mov,mp4,m4a,3gp,3g2,mj2"``);
    the start time is the container's, in seconds. For readers that choose how
    to seek; the file must have been checked already.
    """
    stat = os.stat(file_path)
    h = _parse_header(_header(file_path, stat.st_mtime_ns, stat.st_size))
    return h["format"] or "", h["start"]


def probe(path, *, count_frames=False, sequence_fps=30.0):
    """Read duration, frame rate, size, rotation and stream details of a media file.

    Parameters
    ----------
    path : str or os.PathLike
        A media file, optionally with a ``#t=START,END`` fragment, in which case
        ``duration`` and ``n_frames`` describe the segment. An image sequence
        (a folder of frames, or a printf or glob pattern, see
        :func:`read_frames`) is described as a video at ``sequence_fps``
        with no audio, from its image headers (nothing is decoded); its
        ``n_frames`` is exact and ``video_codec`` names the image format.
    count_frames : bool, default=False
        Count the video frames exactly (a stream copy, or a decode for a
        fragment) instead of estimating them from duration and rate.
    sequence_fps : float, default=30.0
        Frame rate of an image sequence, which stores none; ignored for media
        files.

    Returns
    -------
    info : MediaInfo

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    MediaError
        If the file is empty or ffmpeg cannot read it as media.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import probe, write_video
    >>> path = os.path.join(tempfile.mkdtemp(), "clip.mp4")
    >>> write_video(path, np.zeros((10, 32, 48, 3), np.uint8), fps=10)
    >>> info = probe(path, count_frames=True)
    >>> info.width, info.height, info.fps, info.n_frames, info.has_audio
    (48, 32, 10.0, 10, False)
    """
    file_path, start, end = parse_fragment(path)
    if is_sequence(file_path):
        validate_params("probe", {"sequence_fps": sequence_fps},
                        {"sequence_fps": [Interval(float, 0, None, closed="neither")]})
        from ._sequence_read import sequence_info

        return sequence_info(path, file_path, start, end, sequence_fps)
    check_media_file(file_path)
    stat = os.stat(file_path)
    text = _header(file_path, stat.st_mtime_ns, stat.st_size)
    if "Input #0" not in text:
        tail = clean_stderr("\n".join(text.strip().splitlines()[-6:]))
        raise MediaError(
            f"Could not decode '{file_path}': not a readable media file (ffmpeg: {tail})",
            file_path,
            tail,
        )
    h = _parse_header(text)
    if not h["has_video"] and not h["has_audio"]:
        raise MediaError(f"Could not decode '{file_path}': it has no audio or video stream.", file_path)
    seg_start = start or 0.0
    total = h["duration"]
    seg_end = end if end is None or total is None else min(end, total)
    if total is not None and seg_start >= total:
        raise MediaError(
            f"Could not decode '{path}': the fragment starts at {seg_start:g} s, "
            f"after the end of the file ({total:g} s).",
            str(path),
        )
    if seg_end is not None:
        duration = seg_end - seg_start
    elif total is not None:
        duration = total - seg_start
    else:
        duration = None
    n_frames, exact = None, False
    if h["has_video"]:
        if count_frames:
            n_frames, exact = _count_frames(file_path, start, end), True
        elif duration is not None and h["fps"]:
            n_frames = max(int(math.floor(duration * h["fps"] + 0.5)), 1)
    return MediaInfo(
        path=file_path,
        start=seg_start,
        end=seg_end if seg_end is not None else total,
        duration=duration,
        fps=h["fps"],
        n_frames=n_frames,
        n_frames_exact=exact,
        width=h["width"],
        height=h["height"],
        rotation=h["rotation"],
        has_video=h["has_video"],
        has_audio=h["has_audio"],
        sample_rate=h["sample_rate"],
        channels=h["channels"],
        video_codec=h["video_codec"],
        audio_codec=h["audio_codec"],
    )
