"""Writing a clip as a folder of images (tests, docs, converting corpora) with the bundled ffmpeg."""

import os

import numpy as np

from ._ffmpeg import FFmpegProcess, local_url
from ._write import feed_frames

__all__ = ["write_sequence"]

_PIX_FMT = {(np.dtype(np.uint8), 3): "rgb24", (np.dtype(np.uint8), 1): "gray",
            (np.dtype(np.uint16), 3): "rgb48le", (np.dtype(np.uint16), 1): "gray16le"}


def write_sequence(folder, frames, *, pattern="%d.png", start=1, quality=None):
    """Write frames as numbered images, one per frame: an image-sequence clip.

    Parameters
    ----------
    folder : str or os.PathLike
        Where the images go (created when missing).
    frames : array-like of shape (n_frames, height, width, 3), (n_frames, height, width, 1) or (n_frames, height, width)
        RGB or grayscale frames, uint8, or uint16 for 16-bit PNGs.
    pattern : str, default="%d.png"
        File names as a printf pattern (``"img_%04d.jpg"``); its extension
        picks the format (PNG, JPEG, BMP, PGM, PPM).
    start : int, default=1
        Number of the first frame.
    quality : int, default=None
        JPEG quality scale of ffmpeg's ``-q:v`` (2 best, 31 worst); ``None``
        means 2.

    Returns
    -------
    folder : str
        ``folder``, ready to pass wherever a video path goes.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io import read_frames, write_sequence
    >>> frames = np.random.default_rng(0).integers(0, 256, (12, 8, 10, 3), dtype=np.uint8)
    >>> folder = write_sequence(tempfile.mkdtemp(), frames)
    >>> sorted(os.listdir(folder))[:4]  # lexical order; frames are read by number
    ['1.png', '10.png', '11.png', '12.png']
    >>> bool((read_frames(folder) == frames).all())
    True
    """
    folder = os.fspath(folder)
    frames = np.asarray(frames)
    if frames.ndim == 3:
        frames = frames[..., None]
    key = (frames.dtype, frames.shape[-1] if frames.ndim == 4 else 0)
    if frames.ndim != 4 or key not in _PIX_FMT or frames.shape[0] == 0:
        raise ValueError(
            "Expected uint8 or uint16 frames of shape (n_frames, height, width, 3), "
            f"(n_frames, height, width, 1) or (n_frames, height, width); got {frames.dtype} "
            f"{frames.shape}."
        )
    os.makedirs(folder, exist_ok=True)
    ext = os.path.splitext(pattern)[1].lower()
    # Frames left from an earlier clip would join this one when the folder is read.
    stale = sorted(n for n in os.listdir(folder) if os.path.splitext(n)[1].lower() == ext)
    if stale:
        raise ValueError(f"write_sequence: '{folder}' already holds {ext} images (e.g. "
                         f"'{stale[0]}'); write each clip to its own empty folder.")
    n, h, w, _ = frames.shape
    out = []
    if ext in (".jpg", ".jpeg"):
        out = ["-q:v", str(2 if quality is None else quality)]
    args = ["-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", _PIX_FMT[key],
            "-s", f"{w}x{h}", "-r", "30", "-i", "-", *out, "-start_number", str(int(start)),
            "-f", "image2", local_url(os.path.join(folder, pattern))]
    with FFmpegProcess(args, path=folder, stdin=True) as proc:
        feed_frames(proc, frames)
    return folder
