"""Decoding frames and audio through the bundled ffmpeg.

Scaling, colour conversion, rate change and trimming happen inside ffmpeg's
filter graph; Python only receives the frames it asked for, through a pipe, so
memory grows with the frames returned, not with the video.
"""

import math
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..exceptions import MediaError, MediaWarning
from ..utils._validation import Interval, Options, validate_params
from ._ffmpeg import FFmpegProcess, check_media_file
from ._fragment import parse_fragment
from ._probe import _container, _video_span, probe
from ._sequence import DEFAULT_SEQUENCE_FPS, is_sequence
from ._sequence_read import iter_sequence, prepare_sequence, read_sequence_at
from ._soundfile import read_audio_soundfile

__all__ = ["iter_frames", "read_frames", "read_audio"]

# Above this spacing between requested frames, seeking to each one (decoding
# from the preceding key frame) beats decoding the whole segment once.
_SEEK_SPACING_S = 5.0
_PTS_TIME = re.compile(r"pts_time:\s*(-?[0-9.]+)")
# Audio fragments decode from a whole second at least this long before their
# start: decoders (MP3's bit reservoir, AAC's and Opus's overlapping transforms)
# and the resampler settle there, so the kept samples equal those of a decode
# from time 0.
_AUDIO_PREROLL_S = 1.0
# Demuxers whose timestamps are in milliseconds: seeking there is not sample exact.
_MS_TIMESTAMP_FORMATS = {"matroska", "webm", "flv"}
_SEQUENCE_FPS = Interval(float, 0, None, closed="neither")


_TIME_TOLERANCE = 1e-6  # seconds: far below any frame interval, above printing rounding

def _segment(path, start, end):
    """Resolve a fragment plus relative start/end into (file, seg_start, seg_end)."""
    file_path, frag_start, frag_end = parse_fragment(path)
    base = frag_start or 0.0
    seg_start = base + (start or 0.0)
    seg_end = frag_end
    if end is not None:
        seg_end = base + end if seg_end is None else min(seg_end, base + end)
    if seg_end is not None and seg_end <= seg_start:
        raise ValueError(f"end must be after start; got start={seg_start:g}, end={seg_end:g} for {path!r}.")
    return file_path, seg_start, seg_end


def _scale_filters(size, keep_aspect, color):
    chain = []
    if size is not None:
        w, h = size
        if keep_aspect:
            chain.append(f"scale={w}:{h}:force_original_aspect_ratio=decrease:flags=area")
            chain.append(f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black")
        else:
            chain.append(f"scale={w}:{h}:flags=area")
        chain.append("setsar=1")
    chain.append("format=gray" if color == "gray" else "format=rgb24")
    return chain


def _input_args(file_path, seg_start, seg_end):
    args = []
    if seg_start:
        args += ["-ss", f"{seg_start:.6f}"]
    if seg_end is not None:
        args += ["-t", f"{seg_end - seg_start:.6f}"]
    return [*args, "-i", file_path]


def _stream(display, args, frame_shape, limit, *, expected=None, target=None, on_damage="warn",
            notes=None):
    """Yield up to ``limit`` frames of ``frame_shape`` from one ffmpeg run.

    The process lives inside the generator: closing the generator early, or an
    exception in the consumer, kills and reaps it. Whenever the reader stops on
    its own (``limit`` frames read, which ``-frames:v`` in ``args`` makes
    ffmpeg stop at too, or the end of the stream), it waits for ffmpeg's exit
    and looks at the errors ffmpeg reported (``-loglevel error``: a truncated
    or damaged file decodes up to the damage, or conceals it, usually with exit
    code 0), even after frames were yielded: see :func:`_check_clean_end`.
    ``expected`` is how many frames make the result complete (``limit`` when
    ``None`` and a limit is set; a decode to the end of the file has no
    count it could check). ``target`` names what was decoded, for messages;
    ``notes``, a list, collects the warning instead of issuing it.
    """
    frame_bytes = int(np.prod(frame_shape))
    expected = limit if expected is None else expected
    n = 0
    with FFmpegProcess(args, path=display) as proc:
        while limit is None or n < limit:
            buf = proc.read_exactly(frame_bytes)
            if len(buf) < frame_bytes:
                break
            n += 1
            yield np.frombuffer(buf, np.uint8).reshape(frame_shape)
        if limit is not None and n >= limit:
            proc.read_all()  # -frames:v: ffmpeg stops by itself; nothing more should come
        code = proc.finish()
        if code != 0 and n == 0:
            if "matches no streams" in proc.stderr_tail():
                raise proc.error("no video stream")
            raise proc.error("ffmpeg failed")
        complete = expected is not None and n >= expected
        _check_clean_end(proc, code, n, target=target, complete=complete, on_damage=on_damage,
                         notes=notes)
        if n == 0:
            raise MediaError(f"Could not decode '{display}': no frame decoded.", display)


def _check_clean_end(proc, code, n, *, unit="frames", target=None, what="decode", complete=False,
                     on_damage="warn", notes=None, stacklevel=4):
    """Raise or warn if ffmpeg, having stopped, failed or reported errors on the way.

    ``n`` items (``unit``) arrived. Without ``complete`` (fewer than asked for,
    or a decode to the end whose count cannot be checked) errors raise
    :class:`MediaError`: the items are not all the file holds. With
    ``complete`` the caller got everything it asked for, but ffmpeg reported
    errors while producing it (a glitch it concealed, common in streams cut
    from broadcasts or web video, or damage that changed what was decoded):
    ``on_damage="warn"`` gives a :class:`MediaWarning` naming the file,
    ``"raise"`` a :class:`MediaError`. A ``notes`` list collects that warning's
    ffmpeg lines instead, for a caller that warns once for many seeks.
    """
    if code != 0:
        raise proc.error(f"ffmpeg failed (exit code {code}) while decoding {target or 'it'} "
                         f"({n} {unit} decoded)", what=what)
    tail = proc.stderr_tail()
    if not tail:
        return
    if not complete:
        raise proc.error(
            f"the file is truncated or damaged; ffmpeg reported errors while decoding "
            f"{target or 'it'} ({n} {unit} decoded)",
            what=what,
        )
    target = target or f"{n} {unit}"
    if on_damage == "raise":
        raise proc.error(
            f"ffmpeg reported errors while decoding {target}, so they may differ from the file's "
            "content (on_damage='raise')",
            what=what,
        )
    if notes is not None:  # the caller issues one warning for all its seeks
        notes.append(tail)
        return
    warnings.warn(
        f"ffmpeg reported errors while it read '{proc.path}' but returned all {target} "
        f"asked for; they may differ from the file's content (pass on_damage='raise' to "
        f"make this an error). ffmpeg said:\n{tail}",
        MediaWarning,
        stacklevel=stacklevel,
    )


def _decode(file_path, display, args, frame_shape, limit, **kwargs):
    return list(_stream(display, args, frame_shape, limit, **kwargs))


def _seek_one(file_path, display, t, filters, frame_shape, mode, shown, on_damage="warn", notes=None):
    """The frame for time ``t`` (seconds in the file) by seeking, without decoding the rest.

    ``mode="keyframe"`` decodes the key frame at or before ``t`` alone (one frame
    of work however long the GOP). ``mode="exact"`` decodes from the preceding
    key frame: with ``shown`` it returns the frame on screen at ``t`` (the last
    one starting at or before it, the ``n_frames`` semantics), otherwise the
    first frame starting at or after ``t`` (the ``times`` semantics).
    """
    if mode == "keyframe":
        pre, vf, limit = ["-skip_frame", "nokey", "-ss", f"{t:.6f}", "-noaccurate_seek"], filters, 1
    elif shown:
        # Without accurate seeking, timestamps count from t: the frames from the key
        # frame up to t have pts <= 0. trim ends the decode just after t (so ffmpeg
        # stops reading); select keeps pts <= 0, and the last frame kept is the one
        # shown at t. Frames are scaled before they reach Python, one kept at a time.
        pre, limit = ["-ss", f"{t:.6f}", "-noaccurate_seek"], None
        vf = ["trim=end=0.001", "select='lte(t,0.000001)'", *filters]
    else:
        pre, vf, limit = ["-ss", f"{t:.6f}"], filters, 1
    what = "key frame at or before" if mode == "keyframe" else (
        "frame shown at" if shown else "first frame at or after")
    kwargs = {"target": f"the {what} t={t:.3f} s", "on_damage": on_damage, "notes": notes}
    frame = _take_last(display, _seek_args(file_path, pre, vf, limit), frame_shape, limit, **kwargs)
    if frame is None:
        # Some demuxers cannot seek near the start or in damaged regions (FLV without
        # an index: "could not seek to position"), and ffmpeg then decodes nothing.
        # Decode from the start instead, selecting by the same time (timestamps then
        # count from the container's start, as t does).
        skip = ["-skip_frame", "nokey"] if mode == "keyframe" else []
        if mode == "keyframe" or shown:
            vf, limit = [f"trim=end={t + 0.001:.6f}", f"select='lte(t,{t + 1e-6:.6f})'", *filters], None
        else:
            vf, limit = [f"select='gte(t,{t - 1e-6:.6f})'", *filters], 1
        frame = _take_last(display, _seek_args(file_path, skip, vf, limit), frame_shape, limit, **kwargs)
    return [] if frame is None else [frame]


def _seek_args(file_path, pre, vf, limit):
    return ["-loglevel", "error", *pre, "-i", file_path, "-map", "0:v:0",
            *(["-frames:v", "1"] if limit else []), "-vf", ",".join(vf), "-fps_mode", "passthrough",
            "-f", "rawvideo", "-"]


def _take_last(display, args, frame_shape, limit, **kwargs):
    """The last frame one ffmpeg run yields, or None when it decodes none (without errors)."""
    last = None
    try:
        for frame in _stream(display, args, frame_shape, limit, expected=1, **kwargs):
            last = frame  # keep only the latest: the one shown at t when the stream ends
    except MediaError as exc:
        if last is None and str(exc).endswith("no frame decoded."):
            return None
        raise
    return None if last is None else last.copy()


def _read_at_times(file_path, display, times, seg_start, seg_end, filters, frame_shape, on_damage="warn"):
    """One pass selecting the first frame at or after each time.

    A stateful ``select`` expression (``st``/``ld`` keep the previous frame's
    time) picks each frame that some target falls on; ``showinfo`` reports the
    picked frames' times so targets sharing a frame get that frame repeated.
    """
    # A target matches a frame starting up to 1 us later: printed times are rounded, and
    # 2/30 s must find the frame at 2/30 s, not the next one.
    order = np.unique(times) - _TIME_TOLERANCE
    terms = "+".join(f"gt({t:.9f},ld(1))*lte({t:.9f},t)" for t in order)
    expr = f"st(1,if(eq(n,0),-1,ld(0)));st(0,t);{terms}"
    # level+info: showinfo's lines are info, errors are tagged [error] and told apart.
    args = ["-loglevel", "level+info", *_input_args(file_path, seg_start, seg_end), "-map", "0:v:0",
            "-vf", ",".join(["setpts=PTS-STARTPTS", f"select='{expr}'", "showinfo", *filters]), "-fps_mode", "passthrough",
            "-f", "rawvideo", "-"]
    frame_bytes = int(np.prod(frame_shape))
    frames = []
    with FFmpegProcess(args, path=display, keep_stderr=100_000) as proc:
        while True:
            buf = proc.read_exactly(frame_bytes)
            if len(buf) < frame_bytes:
                break
            frames.append(np.frombuffer(buf, np.uint8).reshape(frame_shape))
        code = proc.finish()
        stamps = [float(m) for m in _PTS_TIME.findall("".join(proc.stderr_lines))]
        if code != 0 and not frames:
            raise proc.error("ffmpeg failed")
        idx = np.searchsorted(np.asarray(stamps) + _TIME_TOLERANCE, times)
        complete = len(stamps) == len(frames) > 0 and not np.any(idx >= len(frames))
        _check_clean_end(proc, code, len(frames), target=f"the frames at {len(times)} times",
                         complete=complete, on_damage=on_damage)
    if len(stamps) != len(frames):
        raise MediaError(f"Could not decode '{display}': frame times could not be read.", display)
    if not frames or np.any(idx >= len(frames)):
        late = times[idx >= len(frames)] if frames else times
        raise MediaError(f"Could not decode '{display}': no frame at or after t={late.tolist()} s.", display)
    return np.stack(frames)[idx]


def read_frames(path, *, n_frames=None, fps=None, times=None, max_frames=None, size=None,
                color="rgb", keep_aspect=False, start=None, end=None, seek="auto", on_damage="warn",
                sequence_fps=DEFAULT_SEQUENCE_FPS):
    """Decode frames of a video into a uint8 array, sampling and scaling inside ffmpeg.

    Choose at most one of ``n_frames`` (evenly spaced over the segment),
    ``fps`` (resampled to a fixed rate) or ``times`` (explicit times); with
    none, every frame is returned at the native rate.

    Parameters
    ----------
    path : str or os.PathLike
        Video file, optionally a ``path#t=START,END`` media fragment; or an
        image sequence read as a video at ``sequence_fps``: a folder of
        frames (PNG, JPEG, BMP, PGM or PPM, ordered by the number in their
        names, so ``2.png`` precedes ``10.png``; other files are ignored), or
        a printf (``"frames/img_%04d.png"``) or glob (``"frames/*.jpg"``)
        pattern. See :ref:`image_sequences`.
    n_frames : int, default=None
        Number of frames evenly spaced over the segment: frame ``k`` is the one
        shown at ``start + (k + 0.5) * duration / n_frames`` (the centre of the
        k-th of ``n_frames`` equal bins). Always returns exactly ``n_frames``.
    fps : float, default=None
        Resample to this rate (the frame shown at each tick ``start + k / fps``).
    times : array-like of float, default=None
        Times in seconds from the segment start; for each, the first frame at or
        after it. Times past the last frame raise ValueError.
    max_frames : int, default=None
        Stop after this many frames (with ``fps`` or native-rate reading).
    size : tuple of (width, height), default=None
        Output size; ``None`` keeps the displayed size (after rotation).
    color : {"rgb", "gray"}, default="rgb"
        ``"gray"`` gives one channel.
    keep_aspect : bool, default=False
        Letterbox into ``size`` (black bars) instead of stretching.
    start, end : float, default=None
        Segment bounds in seconds, relative to the fragment start when ``path``
        has one.
    seek : {"auto", "exact", "keyframe", False}, default="auto"
        How ``n_frames`` and ``times`` reach their frames. ``False`` decodes the
        segment once (cost grows with its length; exact). ``"exact"`` (or
        ``True``) seeks to each time and decodes from the preceding key frame
        (exact; cost grows with the frames returned times the key-frame
        interval). ``"auto"`` (exact too) decodes once when the segment's
        duration divided by the number of requested frames is at most 5 s, and
        seeks exactly beyond. ``"keyframe"`` is the only approximate mode, used
        only when asked for: for each time, the key frame at or before it,
        decoding one frame per request (cost grows only with the frames
        returned; each frame is up to one key-frame interval earlier than
        asked, typically 2-10 s, never later).
    on_damage : {"warn", "raise"}, default="warn"
        What to do when ffmpeg reports errors (a damaged or truncated file)
        but still returns every frame asked for: those frames may then differ
        from the file's content (concealed glitches, or damage in the frames
        decoded). ``"warn"`` gives a :class:`~skemotion.exceptions.MediaWarning`
        naming the file and quoting ffmpeg; ``"raise"`` a
        :class:`~skemotion.exceptions.MediaError`. When frames asked for are
        missing, errors always raise.
    sequence_fps : float, default=30.0
        Frame rate of an image sequence, which stores none: frame ``j`` is
        shown from ``j / sequence_fps`` s on. Ignored for video files, which
        keep their own rate. Every image is a key frame, so every ``seek``
        mode is exact on a sequence, and only the images returned are
        decoded.

    Returns
    -------
    frames : ndarray of shape (n_frames, height, width, channels), dtype=uint8

    Raises
    ------
    FileNotFoundError
        If the file does not exist (or the folder of a sequence, or no file
        matches its pattern).
    MediaError
        If it is empty, not a regular file, corrupt, has no video stream, or
        no frame decodes; for a sequence, if it holds no image, mixes image
        formats or sizes, or an image is corrupt; when ffmpeg reports errors (a truncated or damaged
        file) and frames asked for are missing, even if it decoded some; and,
        with ``on_damage="raise"``, when it reports errors at all.
    ValueError
        For invalid arguments.

    Warns
    -----
    MediaWarning
        With ``on_damage="warn"``, when ffmpeg reports errors but returns every
        frame asked for.

    Notes
    -----
    Times (``n_frames`` bins, ``times``, ``fps`` ticks) count from the start
    of the video stream, and ``n_frames`` spans the video stream, not the
    container: a clip whose audio starts earlier or ends later than its video
    (FLV files whose video starts late, audio tracks that run on) is sampled
    over its video alone, the same way in every ``seek`` mode.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import read_frames, write_video
    >>> path = os.path.join(tempfile.mkdtemp(), "ramp.mp4")
    >>> ramp = np.repeat(np.arange(0, 250, 10, dtype=np.uint8), 32 * 32 * 3).reshape(25, 32, 32, 3)
    >>> write_video(path, ramp, fps=25)
    >>> frames = read_frames(path, n_frames=5, size=(16, 16), color="gray")
    >>> frames.shape, frames.dtype
    ((5, 16, 16, 1), dtype('uint8'))
    >>> [int(round(v / 10)) for v in frames[:, 8, 8, 0]]  # frames 2, 7, 12, 17, 22
    [2, 7, 12, 17, 22]
    """
    validate_params(
        "read_frames",
        {"n_frames": n_frames, "fps": fps, "max_frames": max_frames, "color": color,
         "keep_aspect": keep_aspect, "seek": seek, "on_damage": on_damage,
         "sequence_fps": sequence_fps},
        {
            "n_frames": [Interval(int, 1, None, closed="left"), None],
            "fps": [Interval(float, 0, None, closed="neither"), None],
            "max_frames": [Interval(int, 1, None, closed="left"), None],
            "color": [Options({"rgb", "gray"})],
            "keep_aspect": ["boolean"],
            "seek": [Options({"auto", "exact", "keyframe", True, False})],
            "on_damage": [Options({"warn", "raise"})],
            "sequence_fps": [_SEQUENCE_FPS],
        },
    )
    if sum(x is not None for x in (n_frames, fps, times)) > 1:
        raise ValueError("Pass at most one of n_frames, fps and times.")
    ctx = _prepare(path, size, color, keep_aspect, start, end,
                   need_duration=n_frames is not None or times is not None, sequence_fps=sequence_fps)
    display, file_path, duration = ctx["display"], ctx["file_path"], ctx["duration"]
    seg_start, seg_end = ctx["seg_start"], ctx["seg_end"]
    frame_shape, filters = ctx["frame_shape"], ctx["filters"]

    if n_frames is not None:
        if duration <= 0:
            raise MediaError(f"Could not decode '{display}': its duration is unknown or zero.", display)
        times = (np.arange(n_frames) + 0.5) * duration / n_frames
    if times is not None:
        times = np.asarray(times, dtype=float).ravel()
        if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
            raise ValueError(f"times must be a non-empty array of finite non-negative seconds; got {times!r}.")
        if duration and np.any(times >= duration):
            raise ValueError(
                f"times must lie within the segment [0, {duration:g}) s of {display!r}; got max {times.max():g}."
            )
        if ctx["sequence"] is not None:  # every image is a key frame: all modes are exact
            return read_sequence_at(ctx, times, shown=n_frames is not None or seek == "keyframe",
                                    on_damage=on_damage)
        spacing = duration / len(times) if duration else 0.0
        mode = "exact" if seek is True else seek
        if mode == "auto":
            mode = "exact" if spacing > _SEEK_SPACING_S else False
        if mode:
            jobs = min(len(times), os.cpu_count() or 1, 4)
            notes = []  # one warning for the whole read, not one per seek
            with ThreadPoolExecutor(jobs) as pool:
                results = list(pool.map(
                    lambda t: _seek_one(file_path, display, ctx["origin"] + t, filters, frame_shape, mode,
                                        shown=n_frames is not None, on_damage=on_damage, notes=notes),
                    times))
            frames = [r[0] if r else None for r in results]
            missing = [float(t) for t, f in zip(times, frames, strict=True) if f is None]
            if missing:
                raise MediaError(f"Could not decode '{display}': no frame at or after t={missing} s.", display)
            if notes:
                warnings.warn(
                    f"ffmpeg reported errors while it read '{display}' but returned all {len(times)} "
                    f"frames asked for ({len(notes)} of {len(times)} seeks met errors); they may "
                    "differ from the file's content (pass on_damage='raise' to make this an "
                    f"error). ffmpeg said:\n{notes[0]}",
                    MediaWarning,
                    stacklevel=2,
                )
            return np.stack(frames)
        if n_frames is not None:
            # fps with round=up gives tick k the last frame with pts <= k / rate;
            # shifting pts back by half a bin makes that the frame shown at the
            # bin centre. Works for variable frame rates too.
            # The rate goes in as the ratio itself: printed as a decimal, its rounding
            # moves the ticks and a frame starting exactly at a bin centre is missed.
            rate = n_frames / duration
            select = f"setpts=PTS-STARTPTS-{0.5 / rate:.9f}/TB,fps=fps={n_frames}/{float(duration)!r}:round=up"
            args = ["-loglevel", "error", *_input_args(file_path, seg_start, seg_end), "-map", "0:v:0",
                    "-vf", ",".join([select, *filters]), "-frames:v", str(n_frames), "-fps_mode", "passthrough",
                    "-f", "rawvideo", "-"]
            frames = _decode(file_path, display, args, frame_shape, n_frames,
                             target=f"{n_frames} evenly spaced frames", on_damage=on_damage)
            if not frames:
                raise MediaError(f"Could not decode '{display}': no frame decoded.", display)
            # A container that overstates its duration can leave the last bins empty:
            # they show the last frame, as a player would.
            frames += [frames[-1]] * (n_frames - len(frames))
            return np.stack(frames)
        return _read_at_times(file_path, display, times, seg_start, seg_end, filters, frame_shape,
                               on_damage=on_damage)

    if ctx["sequence"] is not None:
        return np.stack(list(iter_sequence(ctx, fps, max_frames, on_damage=on_damage)))
    return np.stack(_decode(file_path, display, _rate_args(ctx, fps, max_frames), frame_shape, max_frames,
                            on_damage=on_damage))


def iter_frames(path, *, fps=None, max_frames=None, size=None, color="rgb", keep_aspect=False,
                start=None, end=None, on_damage="warn", sequence_fps=DEFAULT_SEQUENCE_FPS):
    """Stream frames one at a time, at the native rate or resampled to ``fps``.

    Same decoding as :func:`read_frames`, for callers that process a long video
    frame by frame: memory stays at one frame, and stopping early (``break``,
    an exception) terminates the ffmpeg process.

    Parameters
    ----------
    path : str or os.PathLike
        Video file, optionally a ``path#t=START,END`` media fragment, or an
        image sequence (a folder of frames or a pattern), as in
        :func:`read_frames`.
    fps, max_frames, size, color, keep_aspect, start, end, on_damage, sequence_fps
        As in :func:`read_frames`.

    Yields
    ------
    frame : ndarray of shape (height, width, channels), dtype=uint8

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import iter_frames, write_video
    >>> path = os.path.join(tempfile.mkdtemp(), "clip.mp4")
    >>> write_video(path, np.zeros((30, 16, 16, 3), np.uint8), fps=30)
    >>> frames = iter_frames(path, size=(8, 8))
    >>> next(frames).shape
    (8, 8, 3)
    >>> frames.close()  # the ffmpeg process is killed and reaped here
    """
    validate_params("iter_frames", {"on_damage": on_damage, "sequence_fps": sequence_fps},
                    {"on_damage": [Options({"warn", "raise"})], "sequence_fps": [_SEQUENCE_FPS]})
    ctx = _prepare(path, size, color, keep_aspect, start, end, need_duration=False,
                   sequence_fps=sequence_fps)
    if ctx["sequence"] is not None:
        return iter_sequence(ctx, fps, max_frames, on_damage=on_damage)
    return _stream(ctx["display"], _rate_args(ctx, fps, max_frames), ctx["frame_shape"], max_frames,
                   on_damage=on_damage)


def _prepare(path, size, color, keep_aspect, start, end, need_duration=True,
             sequence_fps=DEFAULT_SEQUENCE_FPS):
    validate_params(
        "read_frames",
        {"color": color, "keep_aspect": keep_aspect},
        {"color": [Options({"rgb", "gray"})], "keep_aspect": ["boolean"]},
    )
    if size is not None:
        if len(size) != 2 or not all(isinstance(v, int | np.integer) and v > 0 for v in size):
            raise ValueError(f"size must be a (width, height) pair of positive ints; got {size!r}.")
        size = (int(size[0]), int(size[1]))
    display = os.fspath(path)
    file_path, seg_start, seg_end = _segment(path, start, end)
    channels = 1 if color == "gray" else 3
    filters = _scale_filters(size, keep_aspect, color)
    if is_sequence(file_path):
        return prepare_sequence(display, file_path, seg_start, seg_end, size, channels, filters,
                                sequence_fps)
    check_media_file(file_path)
    if size is not None and not need_duration:
        # Nothing to learn from a probe: save an ffmpeg launch; the decode itself
        # reports a missing video stream or an empty segment.
        return {"display": display, "file_path": file_path, "seg_start": seg_start, "seg_end": seg_end,
                "duration": None, "info": None, "frame_shape": (size[1], size[0], channels),
                "filters": filters, "sequence": None}
    info = probe(file_path)
    if not info.has_video:
        raise MediaError(f"Could not decode '{display}': no video stream.", display)
    # Frame times count from the video stream's own start and end: the container's
    # span also covers audio that starts earlier or ends later than the video.
    v_start, v_end = 0.0, info.duration
    if info.has_audio:
        span = _video_span(file_path)
        if span is not None:
            v_start, v_end = max(span[0], 0.0), span[1]
    if v_end is not None and seg_start >= v_end:
        raise MediaError(
            f"Could not decode '{display}': the segment starts at {seg_start:g} s, after the end "
            f"of the video ({v_end:g} s).",
            display,
        )
    origin = max(seg_start, v_start)
    stop = v_end if seg_end is None or v_end is None else min(seg_end, v_end)
    duration = (stop if stop is not None else 0.0) - origin
    w, h = size if size is not None else info.display_size
    return {"display": display, "file_path": file_path, "seg_start": seg_start, "seg_end": seg_end,
            "origin": origin, "duration": duration, "info": info, "frame_shape": (h, w, channels),
            "filters": filters, "sequence": None}


def _rate_args(ctx, fps, max_frames):
    vf = list(ctx["filters"])
    if fps is not None:
        vf[:0] = ["setpts=PTS-STARTPTS", f"fps=fps={fps:.9f}:round=up"]
    args = ["-loglevel", "error", *_input_args(ctx["file_path"], ctx["seg_start"], ctx["seg_end"]),
            "-map", "0:v:0", "-vf", ",".join(vf)]
    if max_frames is not None:
        args += ["-frames:v", str(max_frames)]
    return [*args, "-fps_mode", "passthrough", "-f", "rawvideo", "-"]


def read_audio(path, sr, *, mono=True, start=None, duration=None):
    """Decode the audio track of any media file into a float32 waveform.

    Parameters
    ----------
    path : str or os.PathLike
        Audio or video file (mp4/AAC, flv/MP3, webm/Opus, wav, ...), optionally a
        ``path#t=START,END`` fragment, which yields exactly the audio of
        ``[START, END)``: the samples ``round(START * sr)`` to
        ``round(END * sr)`` of the whole file's decode. A fragment late in a long
        file does not decode what precedes it: decoding starts from a seek to a
        whole second at least 1 s before ``START`` (except in Matroska/WebM and
        FLV files, whose millisecond timestamps make a seek inexact).
    sr : int or None
        Target sample rate (resampled with soxr); ``None`` keeps the file's
        rate.
    mono : bool, default=True
        Down-mix to one channel.
    start, duration : float, default=None
        Offset (relative to the fragment start) and length in seconds.

    Returns
    -------
    y : ndarray of shape (n_samples,) if mono else (n_channels, n_samples), dtype=float32

    Notes
    -----
    Whole PCM WAV/AIFF and FLAC files are decoded in this process by
    libsndfile (:mod:`soundfile`) and resampled by :mod:`soxr`, 5 times
    faster than starting ffmpeg for a short clip; the samples equal ffmpeg's
    (same soxr quality, same stereo down-mix). Everything else, and every
    fragment, is decoded by the bundled ffmpeg.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    MediaError
        If it is empty, corrupt, has no audio stream, or decodes to no samples;
        also when ffmpeg reports errors (a truncated or damaged file).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import read_audio, write_audio
    >>> path = os.path.join(tempfile.mkdtemp(), "tone.wav")
    >>> write_audio(path, 0.5 * np.sin(np.arange(16000) / 8), 16000)
    >>> read_audio(path, sr=8000).shape
    (8000,)
    >>> read_audio(path + "#t=0.25,0.75", sr=16000).shape
    (8000,)
    """
    display = os.fspath(path)
    if sr is not None and (not isinstance(sr, int | np.integer) or sr <= 0):
        raise ValueError(f"sr must be a positive int or None; got {sr!r}.")
    if duration is not None and duration <= 0:
        raise ValueError(f"duration must be positive; got {duration!r}.")
    end = None if duration is None else (start or 0.0) + duration
    file_path, seg_start, seg_end = _segment(path, start, end)
    if is_sequence(file_path):
        raise MediaError(f"Could not read audio from '{display}': it is an image sequence (a "
                         "folder of frames or a pattern), which has no audio stream.", display)
    check_media_file(file_path)
    if file_path == display and not start:  # a whole file, or its first `duration` seconds
        y = read_audio_soundfile(file_path, sr, mono=mono, duration=duration)
        if y is not None:
            return y
    info = probe(file_path)
    if not info.has_audio:
        raise MediaError(f"Could not read audio from '{display}': it has no audio stream.", display)
    rate = int(sr) if sr is not None else info.sample_rate
    channels = 1 if mono else (info.channels or 1)
    input_args, af, origin = _audio_input(file_path, seg_start)
    if rate != info.sample_rate:
        af.append(f"aresample={rate}:resampler=soxr")
    # Trim after decoding with atrim on sample counts, from the whole second
    # ``origin`` where decoding starts, so [a, b) is exact: sample k of the output
    # is sample round(a * rate) + k of a decode from time 0.
    if seg_start or seg_end is not None:
        skip = int(round(origin * rate))
        af.append(f"atrim=start_sample={int(round(seg_start * rate)) - skip}"
                  + (f":end_sample={int(round(seg_end * rate)) - skip}" if seg_end is not None else ""))
    args = ["-loglevel", "error", *input_args, "-map", "0:a:0", "-vn"]
    if af:
        args += ["-af", ",".join(af)]
    args += ["-ac", str(channels), "-ar", str(rate), "-f", "f32le", "-"]
    with FFmpegProcess(args, path=display) as proc:
        data = proc.read_all()
        code = proc.finish()
        if code != 0:
            raise proc.error("ffmpeg failed to decode its audio", what="read audio from")
        n_samples = len(data) // (4 * channels)
        # everything asked for arrived (to within one 20 ms audio frame)
        end = seg_end if seg_end is not None else info.duration
        complete = end is not None and n_samples >= (end - seg_start - 0.02) * rate
        _check_clean_end(proc, code, n_samples, unit="samples", what="read audio from", complete=complete)
    y = np.frombuffer(data, dtype="<f4").astype(np.float32)
    if y.size == 0:
        raise MediaError(f"Could not read audio from '{display}': no audio samples decoded.", display)
    if channels > 1:
        y = y[: y.size - y.size % channels].reshape(-1, channels).T.copy()
    return y


def _audio_input(file_path, seg_start):
    """ffmpeg input options, leading filters and time origin to decode audio from ``seg_start``.

    Without a coarse input seek, a fragment late in a long file decodes
    everything before it (sliding windows over a recording would cost
    O(N^2)). Decoding starts instead at ``origin``, the whole second at least
    :data:`_AUDIO_PREROLL_S` before ``seg_start``: a whole number of samples at
    any integer rate, so a resampler started there produces the samples of a
    decode from time 0. ``origin`` is 0 (no seek) for fragments in the first
    two seconds.

    How the decode is cut at ``origin`` depends on the container. ffmpeg's
    accurate input seek (``-ss`` before ``-i``) is sample exact where the
    demuxer's timestamps are right at the seek point (WAV, AVI, FLAC, MP3, Ogg,
    ADTS, ...), but audio-only MP4/M4A files land up to one AAC frame (1024
    samples) off. For the MP4/MOV family the file's own timestamps, which are in
    samples, are kept (``-copyts``) and cut with ``atrim`` one second after a
    fast seek instead. Matroska/WebM and FLV store timestamps in milliseconds,
    so any seek there lands up to about 1 ms off (measured: 8-48 samples at
    48 kHz); those files are still decoded from time 0, which is exact.
    """
    origin = max(0.0, float(math.floor(seg_start - _AUDIO_PREROLL_S))) if seg_start else 0.0
    if origin <= 0:
        return ["-i", file_path], [], 0.0
    formats, start_time = _container(file_path)
    formats = set(formats.split(","))
    if formats & _MS_TIMESTAMP_FORMATS:
        return ["-i", file_path], [], 0.0
    if formats & {"mov", "mp4"}:
        seek = ["-ss", f"{origin - 1:.6f}"] if origin > 1 else []
        return (["-copyts", "-noaccurate_seek", *seek, "-i", file_path],
                [f"atrim=start={start_time + origin:.6f}", "asetpts=PTS-STARTPTS"], origin)
    return ["-ss", f"{origin:.6f}", "-i", file_path], [], origin
