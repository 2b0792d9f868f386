"""W3C media fragments (``clip.mp4#t=START,END``) naming a time segment of a file."""

import os
import re

__all__ = ["parse_fragment", "make_fragment"]

_FRAGMENT = re.compile(r"^(?P<path>.*)#t=(?:npt:)?(?P<start>[0-9.]*)(?:,(?P<end>[0-9.]+))?$")


def parse_fragment(path):
    """Split ``"path#t=START,END"`` into ``(path, start, end)`` in seconds.

    Only the temporal dimension in seconds (``t=10,20``, ``t=10``, ``t=,20``,
    optional ``npt:`` prefix) is supported; a plain path gives
    ``(path, None, None)``.

    Parameters
    ----------
    path : str or os.PathLike
        A file path, optionally with a ``#t=`` suffix.

    Returns
    -------
    path : str
    start : float or None
    end : float or None

    Raises
    ------
    ValueError
        If the fragment is malformed or ``end <= start``.

    Examples
    --------
    >>> from skemotion.io import parse_fragment
    >>> parse_fragment("clip.mp4#t=1.5,3")
    ('clip.mp4', 1.5, 3.0)
    >>> parse_fragment("clip.mp4")
    ('clip.mp4', None, None)
    """
    text = os.fspath(path)
    if "#t=" not in text:
        return text, None, None
    match = _FRAGMENT.match(text)
    if match is None:
        raise ValueError(
            f"Malformed media fragment {text!r}: expected 'path#t=START,END' with times in seconds."
        )
    start = float(match["start"]) if match["start"] else None
    end = float(match["end"]) if match["end"] else None
    if start is not None and end is not None and end <= start:
        raise ValueError(f"Malformed media fragment {text!r}: END ({end}) must exceed START ({start}).")
    return match["path"], start, end


def _seconds(value):
    # Fixed microsecond decimals: "%g" would round 1234.5678 to 1234.57 on long videos.
    return f"{float(value):.6f}".rstrip("0").rstrip(".")


def make_fragment(path, start=None, end=None):
    """Build ``"path#t=START,END"`` (the inverse of :func:`parse_fragment`).

    Parameters
    ----------
    path : str or os.PathLike
        The media file.
    start, end : float or None, default=None
        Segment bounds in seconds; with both ``None`` the plain path is returned.

    Returns
    -------
    fragment : str

    Examples
    --------
    >>> from skemotion.io import make_fragment
    >>> make_fragment("clip.mp4", 1.5, 3)
    'clip.mp4#t=1.5,3'
    >>> make_fragment("long.mp4", 1234.5678, 1236)
    'long.mp4#t=1234.5678,1236'
    """
    if start is None and end is None:
        return os.fspath(path)
    s = "" if start is None else _seconds(start)
    e = "" if end is None else "," + _seconds(end)
    return f"{os.fspath(path)}#t={s}{e}"
