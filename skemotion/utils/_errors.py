"""One exception for a batch of media files: every bad file listed, in one wording.

Used by the loaders that read many files per call (``FrameSampler``,
``AudioLoader``): a batch never skips a file, and it raises once, listing
every file that failed with its reason, so a corpus is fixed in one pass.
"""

import os

from ..exceptions import MediaError

__all__ = ["batch_error"]


def batch_error(errors, n_total, failed_to):
    """The exception to raise for the files of a batch that failed.

    Parameters
    ----------
    errors : list of (int, str or os.PathLike, Exception)
        Position in the batch, path and exception of each failed file.
    n_total : int
        Number of files in the batch.
    failed_to : str
        Who could not do what, e.g. ``"FrameSampler could not sample"``; the
        message reads ``"<failed_to> 2 of 9 files:"`` and one line per file.

    Returns
    -------
    error : Exception
        The file's own exception when only one failed (its message names the
        file); else ``FileNotFoundError`` when every failed file is missing,
        else a :class:`~skemotion.exceptions.MediaError` whose ``path`` is the
        first failed file (and ``stderr`` the first ffmpeg diagnostic).

    Examples
    --------
    >>> from skemotion.utils._errors import batch_error
    >>> errors = [(4, "b.wav", ValueError("not audio")), (7, "c.wav", ValueError("empty"))]
    >>> print(batch_error(errors, 9, "AudioLoader could not load"))
    AudioLoader could not load 2 of 9 files:
      [4] 'b.wav': not audio
      [7] 'c.wav': empty
    """
    if len(errors) == 1:
        return errors[0][2]
    errors = sorted(errors, key=lambda e: e[0])
    lines = []
    for index, path, exc in errors:
        path = os.fspath(path)
        reason = str(exc)
        # the io messages name their file already; others get it in front
        lines.append(f"  [{index}] {reason}" if path in reason else f"  [{index}] {path!r}: {reason}")
    message = f"{failed_to} {len(errors)} of {n_total} files:\n" + "\n".join(lines)
    if all(isinstance(exc, FileNotFoundError) for _, _, exc in errors):
        return FileNotFoundError(message)
    stderr = next((exc.stderr for _, _, exc in errors if isinstance(exc, MediaError)), None)
    return MediaError(message, path=os.fspath(errors[0][1]), stderr=stderr)
