"""In-process decoding of uncompressed and lossless audio files with libsndfile.

Starting and probing an ffmpeg process per file costs more than decoding a
short clip: ``benchmarks/bench_audio_decode.py`` measured 27 ms against 4.9 ms
per 4 s RAVDESS FLAC clip at 16 kHz (the issue that asked for this path
measured 108 ms against 2.3 ms for a WAV). Files whose samples are
exact in any decoder (PCM WAV/AIFF, FLAC) are therefore read here and
resampled with :mod:`soxr` at the quality ffmpeg's ``aresample=resampler=soxr``
uses, giving the samples the ffmpeg path gives (tested bit for bit). Lossy
formats (MP3, AAC, Vorbis, Opus), containers and fragments stay with ffmpeg,
whose decoders and sample-exact seeking the rest of :mod:`skemotion.io`
relies on.
"""

import math
import os
import re
import stat

import numpy as np

from ..exceptions import MediaError

__all__ = ["read_audio_soundfile"]

_FORMATS = {"WAV", "WAVEX", "W64", "RF64", "AIFF", "FLAC"}
_SUBTYPES = {"PCM_S8", "PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"}
# ffmpeg's stereo -> mono matrix (swresample): each channel times sqrt(1/2), after resampling.
_STEREO_GAIN = np.float32(math.sqrt(0.5))
# Decoded beyond a requested duration so the resampler's filter never sees the cut.
_MARGIN_S = 0.5
# libsndfile's report of a WAV/AIFF whose data chunk is shorter than its header says.
_SHORT_CHUNK = re.compile(r"^\s*(?:data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
# Sizes that streaming writers leave in a header they cannot rewrite: unknown, not truncated.
_PLACEHOLDER_SIZES = (0, 0xFFFFFFFF, 0x7FFFFFFF)


def _truncation(handle):
    """``(announced, present)`` data bytes when the header announces more than the file holds."""
    match = _SHORT_CHUNK.search(handle.extra_info)
    if match is None:
        return None
    announced, present = int(match.group(1)), int(match.group(2))
    if announced in _PLACEHOLDER_SIZES or present >= announced:
        return None
    return announced, present


def _open(file_path):
    """A :class:`soundfile.SoundFile` when this path takes, else None (ffmpeg decides)."""
    try:
        import soundfile
    except (ImportError, OSError):  # no libsndfile on this platform: ffmpeg decodes
        return None
    try:
        if not stat.S_ISREG(os.stat(file_path).st_mode):
            return None
        handle = soundfile.SoundFile(file_path)
    except Exception:  # unknown or damaged: ffmpeg's error wording applies
        return None
    if handle.format in _FORMATS and handle.subtype in _SUBTYPES and handle.frames > 0:
        return handle
    handle.close()
    return None


def read_audio_soundfile(file_path, sr, *, mono, duration):
    """Decode ``file_path`` in process, or return None to leave it to ffmpeg.

    Parameters
    ----------
    file_path : str
        A plain file path (no fragment).
    sr : int or None
        Output rate (soxr "HQ", ffmpeg's soxr default); None keeps the file's.
    mono : bool
        Down-mix to one channel as ffmpeg does (mono files as they are, stereo
        as ``sqrt(1/2) * (left + right)``); other layouts go to ffmpeg.
    duration : float or None
        Keep the first ``round(duration * sr)`` samples.

    Returns
    -------
    y : ndarray of shape (n_samples,) or (n_channels, n_samples), dtype=float32, or None
        1-D for one channel (``mono`` or a mono file), as ffmpeg's path returns.
    """
    handle = _open(file_path)
    if handle is None:
        return None
    with handle:
        native, channels, frames = handle.samplerate, handle.channels, handle.frames
        if mono and channels > 2:
            return None
        truncated = _truncation(handle)
        if truncated is not None:
            raise MediaError(
                f"Could not read audio from '{file_path}': the file is truncated (its header "
                f"announces {truncated[0]} bytes of samples, {truncated[1]} are present).",
                file_path,
            )
        rate = native if sr is None else int(sr)
        wanted = frames
        if duration is not None:
            wanted = min(frames, math.ceil((duration + _MARGIN_S) * native))
        try:
            y = handle.read(wanted, dtype="float32", always_2d=True)
        except Exception as exc:
            raise MediaError(
                f"Could not read audio from '{file_path}': the file is damaged ({exc}).", file_path
            ) from exc
    if len(y) < wanted:
        raise MediaError(
            f"Could not read audio from '{file_path}': the file is truncated or damaged "
            f"({len(y)} of {wanted} samples decoded).",
            file_path,
        )
    if rate != native:
        import soxr

        y = soxr.resample(y, native, rate, quality="HQ")
    if mono and channels == 2:
        y = y[:, :1] * _STEREO_GAIN + y[:, 1:] * _STEREO_GAIN
    if duration is not None:
        y = y[: int(round(duration * rate))]
    y = np.ascontiguousarray(y.T, dtype=np.float32)
    return y[0] if len(y) == 1 else y  # one channel comes 1-D, as from ffmpeg
