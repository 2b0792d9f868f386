"""Writing video and audio files with the bundled ffmpeg (tests, the synthetic corpus)."""

import os
import tempfile

import numpy as np

from ._ffmpeg import FFmpegProcess, local_url, run_ffmpeg

__all__ = ["write_video", "write_audio"]

# extension -> (video args, audio codec, forced audio rate or None)
_VIDEO_FORMATS = {
    ".mp4": (["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"], "aac", None),
    ".mov": (["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"], "aac", None),
    ".mkv": (["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"], "aac", None),
    ".webm": (["-c:v", "libvpx-vp9", "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8",
               "-pix_fmt", "yuv420p"], "libopus", 48000),
    ".avi": (["-c:v", "mjpeg", "-pix_fmt", "yuvj420p"], "pcm_s16le", None),
    ".flv": (["-c:v", "flv", "-pix_fmt", "yuv420p"], "libmp3lame", 44100),
}
_QUALITY = {"libx264": ["-crf"], "libvpx-vp9": ["-crf"], "mjpeg": ["-q:v"], "flv": ["-q:v"]}
_DEFAULT_QUALITY = {"libx264": 20, "libvpx-vp9": 34, "mjpeg": 3, "flv": 3}
_AUDIO_FORMATS = {".wav": "pcm_s16le", ".mp3": "libmp3lame", ".flac": "flac", ".ogg": "libvorbis",
                  ".opus": "libopus", ".m4a": "aac", ".aac": "aac"}



def feed_frames(proc, frames):
    """Send raw frames to an ffmpeg writer's stdin, wait, and raise its error if it failed."""
    try:
        proc.proc.stdin.write(np.ascontiguousarray(frames).tobytes())
        proc.proc.stdin.close()
    except BrokenPipeError:
        pass  # ffmpeg stopped reading: its exit status and messages say why
    if proc.finish() != 0:
        raise proc.error("ffmpeg failed", what="write")

def _as_audio(audio, name="audio"):
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 1:
        audio = audio[None, :]
    if audio.ndim != 2 or audio.shape[1] == 0:
        raise ValueError(
            f"Expected {name} of shape (n_samples,) or (n_channels, n_samples); got {audio.shape}."
        )
    if not np.all(np.isfinite(audio)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return audio


def _raw_audio_file(audio):
    fd, raw = tempfile.mkstemp(suffix=".f32")
    with os.fdopen(fd, "wb") as f:
        f.write(np.ascontiguousarray(audio.T).tobytes())  # interleaved channels
    return raw


def write_video(path, frames, fps, *, audio=None, sr=None, video_codec=None, audio_codec=None,
                rotation=None, quality=None):
    """Encode frames (and optionally audio) into a video file with the bundled ffmpeg.

    Parameters
    ----------
    path : str or os.PathLike
        Output file; its extension picks the container and default codecs:
        ``.mp4``/``.mov``/``.mkv`` H.264 + AAC, ``.webm`` VP9 + Opus,
        ``.avi`` MJPEG + PCM, ``.flv`` Sorenson Spark + MP3.
    frames : array-like of shape (n_frames, height, width, 3) or (n_frames, height, width)
        uint8 RGB (or grayscale) frames. Odd sizes are padded by one pixel for
        codecs that need even sizes.
    fps : float
        Frame rate.
    audio : array-like of shape (n_samples,) or (n_channels, n_samples), default=None
        Float waveform in [-1, 1].
    sr : int, default=None
        Sample rate of ``audio``; required with it.
    video_codec, audio_codec : str, default=None
        ffmpeg encoder names overriding the defaults.
    rotation : {0, 90, 180, 270}, default=None
        Clockwise display rotation stored as metadata (frames are not rotated).
    quality : int, default=None
        CRF for H.264/VP9 or q:v for MJPEG/FLV; lower is better.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import write_video, read_frames
    >>> path = os.path.join(tempfile.mkdtemp(), "clip.mp4")
    >>> frames = np.full((8, 32, 32, 3), 128, np.uint8)
    >>> write_video(path, frames, fps=8, audio=np.zeros(8000, np.float32), sr=8000)
    >>> read_frames(path).shape
    (8, 32, 32, 3)
    """
    path = os.fspath(path)
    frames = np.asarray(frames)
    if frames.ndim == 3:
        frames = np.repeat(frames[..., None], 3, axis=-1)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] == 0:
        raise ValueError(
            "Expected frames of shape (n_frames, height, width, 3) or (n_frames, height, width); "
            f"got {frames.shape}."
        )
    if frames.dtype != np.uint8:
        raise ValueError(f"Expected frames of dtype uint8; got {frames.dtype}.")
    if not fps or fps <= 0:
        raise ValueError(f"fps must be a positive number; got {fps!r}.")
    ext = os.path.splitext(path)[1].lower()
    if ext not in _VIDEO_FORMATS and video_codec is None:
        raise ValueError(
            f"Cannot infer codecs for {path!r}: use one of {sorted(_VIDEO_FORMATS)} or pass video_codec."
        )
    v_args, a_codec, forced_sr = _VIDEO_FORMATS.get(ext, ([], "aac", None))
    if video_codec is not None:
        v_args = ["-c:v", video_codec, "-pix_fmt", "yuv420p"]
    codec_name = v_args[1]
    q = quality if quality is not None else _DEFAULT_QUALITY.get(codec_name)
    if q is not None and codec_name in _QUALITY:
        v_args = [*v_args, *_QUALITY[codec_name], str(q)]
    n, h, w, _ = frames.shape
    args = ["-loglevel", "error", "-y"]
    if rotation:
        if rotation not in (90, 180, 270):
            raise ValueError(f"rotation must be one of 0, 90, 180, 270; got {rotation!r}.")
        args += ["-display_rotation:v:0", str(-rotation), "-noautorotate"]
    args += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", f"{fps}", "-i", "-"]
    raw_audio = None
    try:
        if audio is not None:
            if sr is None:
                raise ValueError("sr is required when audio is given.")
            wave = _as_audio(audio)
            raw_audio = _raw_audio_file(wave)
            args += ["-f", "f32le", "-ar", str(int(sr)), "-ac", str(wave.shape[0]), "-i", raw_audio]
        args += ["-map", "0:v:0"]
        if audio is not None:
            args += ["-map", "1:a:0", "-c:a", audio_codec or a_codec]
            if forced_sr and audio_codec is None and int(sr) != forced_sr:
                args += ["-ar", str(forced_sr)]
        args += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", *v_args]
        args += ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", local_url(path)]
        with FFmpegProcess(args, path=path, stdin=True) as proc:
            feed_frames(proc, frames)
    finally:
        if raw_audio is not None:
            os.unlink(raw_audio)


def write_audio(path, audio, sr):
    """Encode a waveform into an audio file (format from the extension).

    Parameters
    ----------
    path : str or os.PathLike
        ``.wav`` (16-bit PCM), ``.mp3``, ``.flac``, ``.ogg``, ``.opus``, ``.m4a``.
    audio : array-like of shape (n_samples,) or (n_channels, n_samples)
        Float waveform in [-1, 1].
    sr : int
        Sample rate.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import write_audio, read_audio
    >>> path = os.path.join(tempfile.mkdtemp(), "tone.wav")
    >>> write_audio(path, np.sin(np.arange(8000) / 5).astype(np.float32) * 0.5, 8000)
    >>> read_audio(path, sr=None).shape
    (8000,)
    """
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext not in _AUDIO_FORMATS:
        raise ValueError(f"Cannot infer the audio codec for {path!r}: use one of {sorted(_AUDIO_FORMATS)}.")
    wave = _as_audio(audio)
    raw = _raw_audio_file(wave)
    try:
        run_ffmpeg(
            ["-loglevel", "error", "-y", "-f", "f32le", "-ar", str(int(sr)), "-ac", str(wave.shape[0]),
             "-i", raw, "-c:a", _AUDIO_FORMATS[ext], "-fflags", "+bitexact", "-flags:a", "+bitexact",
             local_url(path)],
            path=path,
            what="write",
        )
    finally:
        os.unlink(raw)
