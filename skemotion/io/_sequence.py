"""Image sequences: a folder of frames, or a printf/glob pattern, named where a video path goes.

Corpora such as CK+, Oulu-CASIA, MMI, DFEW's frame release and AFEW's face
tracks publish each clip as a folder of images. This module finds a
sequence's frames, puts them in the order of the numbers in their names (so
``2.png`` comes before ``10.png``) and checks, from the image headers alone,
that they form one clip: one image format, one size. Decoding is left to
ffmpeg (:mod:`._sequence_read`), so frames are scaled and converted exactly
as a video's are.
"""

import errno
import fnmatch
import functools
import os
import re
import stat
import struct
from dataclasses import dataclass
from itertools import pairwise

from ..exceptions import MediaError

__all__ = ["ImageSequence", "is_sequence", "open_sequence", "sequence_stamp",
           "DEFAULT_SEQUENCE_FPS"]

# An image sequence stores no frame rate; this one is assumed unless given (``sequence_fps``).
DEFAULT_SEQUENCE_FPS = 30.0

# Frame formats: extension -> ffmpeg's decoder for it (the image2 demuxer picks the
# decoder from the extension, so every frame of a clip must share one).
IMAGE_CODECS = {".png": "png", ".jpg": "mjpeg", ".jpeg": "mjpeg", ".bmp": "bmp",
                ".pgm": "pgm", ".ppm": "ppm"}
# Images we recognise but do not read as frames: refused by name rather than ignored.
_UNSUPPORTED = {".tif", ".tiff", ".webp", ".gif", ".jp2", ".j2k", ".exr", ".heic", ".avif",
                ".jxl", ".pbm", ".pnm", ".dpx", ".tga"}
_GLOB = re.compile(r"[*?[]")
_PRINTF = re.compile(r"%(0?\d*)d")
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class ImageSequence:
    """The frames of one image-sequence clip, in frame order.

    Attributes
    ----------
    path : str
        The folder or pattern as given (used in messages).
    files : tuple of str
        Absolute paths of the frames, frame 0 first.
    codec : str
        ffmpeg's decoder for them (``"png"``, ``"mjpeg"``, ...).
    extension : str
        Their common extension (``".png"``; ``".jpg"`` for ``.jpeg`` too).
    width, height : int
        The stored size every frame has.
    rotation : int
        Clockwise rotation (0, 90, 180 or 270) from the frames' EXIF
        orientation (JPEG), which ffmpeg applies when decoding, as players do.
    """

    path: str
    files: tuple
    codec: str
    extension: str
    width: int
    height: int
    rotation: int = 0

    @property
    def display_size(self):
        """``(width, height)`` of decoded frames, i.e. after rotation."""
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)


def is_sequence(path):
    """Whether ``path`` (no fragment) names an image sequence rather than a media file.

    A directory is one; so is a path that does not exist as a file and whose
    file name holds a glob wildcard (``*``, ``?``, ``[``) or a printf number
    (``%d``, ``%04d``), like ffmpeg's image2 patterns, unless its extension
    names something other than an image (``"clips/*.mp4"``).

    Examples
    --------
    >>> from skemotion.io._sequence import is_sequence
    >>> is_sequence("frames/img_%04d.png"), is_sequence("frames/*.jpg"), is_sequence("clip.mp4")
    (True, True, False)
    >>> is_sequence("take[2].mp4"), is_sequence("frames/*")
    (False, True)
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        return True
    if os.path.lexists(path):
        return False
    name = os.path.basename(path)
    if not (_GLOB.search(name) or _PRINTF.search(name.replace("%%", ""))):
        return False
    # "clips/*.mp4" or a missing "take[2].mp4" name video files, not frames.
    ext = os.path.splitext(name)[1].lower()
    return not ext or bool(_GLOB.search(ext)) or ext in IMAGE_CODECS or ext in _UNSUPPORTED


def _natural_key(name):
    """Sort key reading each run of digits as a number: ``2.png`` < ``10.png``."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_NUMBER.split(name)))


def _printf_regex(name):
    """A regex matching the names ffmpeg's image2 demuxer reads for a printf pattern."""
    out, pos = [], 0
    for m in re.finditer(r"%%|%(0?)(\d*)d", name):
        out.append(re.escape(name[pos:m.start()]))
        if m.group(0) == "%%":
            out.append("%")
        elif m.group(1) and m.group(2):  # %04d: zero-padded to that width
            width = int(m.group(2))
            out.append(rf"(?:\d{{{width}}}|[1-9]\d{{{width},}})")
        else:  # %d: the number as printed
            out.append(r"(?:0|[1-9]\d*)")
        pos = m.end()
    out.append(re.escape(name[pos:]))
    return re.compile("".join(out) + r"\Z")


def _candidates(path):
    """(folder, names matched, what matched them) for a folder or a pattern."""
    if os.path.isdir(path):
        folder, match, what = path, None, "the folder"
    else:
        folder, name = os.path.split(path)
        folder = folder or "."
        if _GLOB.search(name):
            match = functools.partial(fnmatch.fnmatchcase, pat=name)
        else:
            match = _printf_regex(name).match
        what = "the pattern"
        if not os.path.isdir(folder):
            raise FileNotFoundError(errno.ENOENT, "No such folder of frames", folder)
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            # Hidden files (.DS_Store, macOS "._0001.png" resource forks) are never frames.
            if entry.name.startswith(".") or (match is not None and not match(entry.name)):
                continue
            try:
                if entry.is_file():  # follows links, as a video path would
                    names.append(entry.name)
            except OSError:
                continue
    return folder, names, what


def _list_frames(path):
    """The frame files of ``path`` in frame order, and their extension; raises if none."""
    folder, names, what = _candidates(path)
    frames, ignored, refused = {}, [], []
    for name in names:
        ext = os.path.splitext(name)[1].lower()
        if ext in IMAGE_CODECS:
            frames.setdefault(IMAGE_CODECS[ext], []).append(name)
        elif ext in _UNSUPPORTED:
            refused.append(name)
        else:
            ignored.append(name)
    if refused:
        kinds = sorted({os.path.splitext(n)[1].lower() for n in refused})
        raise MediaError(
            f"Could not decode '{path}': it holds {len(refused)} image(s) in a format not read as "
            f"frames ({', '.join(kinds)}, e.g. '{sorted(refused)[0]}'); frames must be "
            f"{_supported()}.",
            path,
        )
    if not frames:
        if what == "the pattern":
            raise FileNotFoundError(errno.ENOENT, "No image file matches the pattern", path)
        note = f" (ignored, not images: {_some(ignored)})" if ignored else ""
        raise MediaError(
            f"Could not decode '{path}': the folder holds no image files{note}; frames must be "
            f"{_supported()}.",
            path,
        )
    if len(frames) > 1:
        counts = ", ".join(f"{len(v)} {codec.upper()} ('{sorted(v, key=_natural_key)[0]}')"
                           for codec, v in sorted(frames.items()))
        raise MediaError(
            f"Could not decode '{path}': it mixes image formats ({counts}); the frames of a clip "
            "must share one format.",
            path,
        )
    (codec, names), = frames.items()
    names.sort(key=_natural_key)
    for a, b in pairwise(names):
        if _natural_key(a) == _natural_key(b):
            raise MediaError(
                f"Could not decode '{path}': '{a}' and '{b}' carry the same frame number, so "
                "their order is ambiguous.",
                path,
            )
    ext = next(e for e, c in IMAGE_CODECS.items() if c == codec)
    return tuple(os.path.abspath(os.path.join(folder, n)) for n in names), codec, ext


def _supported():
    return "PNG, JPEG, BMP, PGM or PPM files"


def _some(names, k=3):
    names = sorted(names)
    return ", ".join(f"'{n}'" for n in names[:k]) + (f" and {len(names) - k} more" if len(names) > k else "")


def open_sequence(path):
    """List and check the frames of an image sequence.

    Parameters
    ----------
    path : str or os.PathLike
        A folder of frames, or a printf (``img_%04d.png``) or glob (``*.png``)
        pattern; no fragment.

    Returns
    -------
    sequence : ImageSequence

    Raises
    ------
    FileNotFoundError
        If the folder does not exist, or no file matches the pattern.
    MediaError
        If the folder holds no image, mixes formats, holds two frames with the
        same number, or an image is unreadable, empty or of another size than
        the first frame.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skemotion.io._sequence import open_sequence
    >>> from skemotion.io._sequence_write import write_sequence
    >>> folder = write_sequence(tempfile.mkdtemp(), np.zeros((12, 8, 10, 3), np.uint8), start=1)
    >>> seq = open_sequence(folder)
    >>> [os.path.basename(f) for f in seq.files[:3]], seq.files[-1].endswith("12.png")
    (['1.png', '2.png', '3.png'], True)
    >>> seq.width, seq.height, seq.codec
    (10, 8, 'png')
    """
    path = os.fspath(path)
    files, codec, ext = _list_frames(path)
    sizes = {}
    for file in files:
        sizes.setdefault(_image_size(path, file, codec), file)
    if len({_shown(*key) for key in sizes}) > 1:
        detail = "; ".join(f"'{os.path.basename(f)}' is {'x'.join(map(str, _shown(*key)))}"
                           for key, f in list(sizes.items())[:3])
        raise MediaError(
            f"Could not decode '{path}': its images differ in size ({detail}); the frames of a "
            "clip must share one size.",
            path,
        )
    # Frames stored rotated differently but shown at one size decode to one size.
    width, height, rotation = next(iter(sizes))
    return ImageSequence(path=path, files=files, codec=codec, extension=ext, width=width,
                         height=height, rotation=rotation)


def _shown(width, height, rotation):
    return (height, width) if rotation in (90, 270) else (width, height)


def sequence_stamp(path):
    """What identifies the content of a sequence: each frame's name, size and modification time.

    ``None`` when it cannot be listed (the reader then raises the proper error).
    """
    try:
        files, _, _ = _list_frames(os.fspath(path))
        return tuple((f, *_stat_key(f)) for f in files)
    except (OSError, ValueError):
        return None


def _stat_key(file):
    st = os.stat(file)
    return st.st_size, st.st_mtime_ns


def _image_size(display, file, codec):
    """``(width, height, rotation)`` of one frame from its header (cached per file version)."""
    try:
        st = os.stat(file)
    except FileNotFoundError:
        raise MediaError(f"Could not decode '{display}': its frame '{os.path.basename(file)}' "
                         "vanished while it was read.", display) from None
    if not stat.S_ISREG(st.st_mode):
        raise MediaError(f"Could not decode '{display}': its frame '{os.path.basename(file)}' "
                         "is not a regular file.", display)
    try:
        return _header_size(file, codec, st.st_size, st.st_mtime_ns)
    except (ValueError, struct.error, OSError) as exc:
        raise MediaError(
            f"Could not decode '{display}': its frame '{os.path.basename(file)}' is not a "
            f"readable {codec.upper()} image ({exc}).",
            display,
        ) from None


@functools.lru_cache(maxsize=65536)
def _header_size(file, codec, size, mtime_ns):
    if size == 0:
        raise ValueError("the file is empty (0 bytes)")
    with open(file, "rb") as f:
        return _READERS[codec](f)


def _png_size(f):
    head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError("no PNG signature and header")
    width, height = struct.unpack(">II", head[16:24])
    return (*_positive(width, height), 0)


def _jpeg_size(f):
    if f.read(2) != b"\xff\xd8":
        raise ValueError("no JPEG start-of-image marker")
    rotation = 0
    while True:
        byte = f.read(1)
        while byte and byte != b"\xff":
            byte = f.read(1)
        while byte == b"\xff":
            byte = f.read(1)
        if not byte:
            raise ValueError("truncated before its frame header")
        marker = byte[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            continue
        if marker == 0xD9:
            raise ValueError("no frame header before its end marker")
        length = struct.unpack(">H", f.read(2))[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # SOFn
            _, height, width = struct.unpack(">BHH", f.read(5))
            return (*_positive(width, height), rotation)
        if marker == 0xE1 and length > 8:  # APP1: Exif, whose orientation ffmpeg applies
            rotation = _exif_rotation(f.read(length - 2))
            continue
        f.seek(length - 2, 1)


# EXIF orientation -> the clockwise rotation it implies (2, 4, 5 and 7 also mirror).
_ORIENTATION = {1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270}


def _exif_rotation(segment):
    """Clockwise rotation from the orientation tag (0x0112) of an Exif APP1 segment, else 0."""
    if not segment.startswith(b"Exif\0\0"):
        return 0
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 0
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    if ifd + 2 > len(tiff):
        return 0
    (count,) = struct.unpack(order + "H", tiff[ifd:ifd + 2])
    for k in range(count):
        entry = tiff[ifd + 2 + 12 * k: ifd + 14 + 12 * k]
        if len(entry) < 12:
            break
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag == 0x0112 and kind == 3:  # SHORT
            return _ORIENTATION.get(struct.unpack(order + "H", entry[8:10])[0], 0)
    return 0


def _bmp_size(f):
    head = f.read(26)
    if len(head) < 26 or head[:2] != b"BM":
        raise ValueError("no BMP signature")
    width, height = struct.unpack("<ii", head[18:26])
    return (*_positive(width, abs(height)), 0)  # a negative height stores rows top-down


def _pnm_size(f):
    head = f.read(512)
    magic = head[:2]
    if magic not in (b"P2", b"P3", b"P5", b"P6"):
        raise ValueError("no PGM/PPM signature")
    text = re.sub(rb"#[^\n]*", b" ", head[2:])
    tokens = text.split()
    if len(tokens) < 2:
        raise ValueError("truncated header")
    return (*_positive(int(tokens[0]), int(tokens[1])), 0)


def _positive(width, height):
    if width <= 0 or height <= 0:
        raise ValueError(f"its header gives a size of {width}x{height}")
    return int(width), int(height)


_READERS = {"png": _png_size, "mjpeg": _jpeg_size, "bmp": _bmp_size, "pgm": _pnm_size,
            "ppm": _pnm_size}
