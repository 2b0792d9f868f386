"""Exception classes raised by skemotion.

Every exception derives from :class:`SkemotionError` and from the builtin that
fits the failure, so ``except ValueError`` keeps working for callers that do
not know skemotion.
"""

__all__ = ["SkemotionError", "FaceWarning", "MediaError", "MediaWarning", "NoFaceError"]


class SkemotionError(Exception):
    """Base class of all skemotion exceptions.

    Examples
    --------
    >>> from skemotion.exceptions import MediaError, SkemotionError
    >>> issubclass(MediaError, SkemotionError)
    True
    """


class MediaError(SkemotionError, ValueError):
    """A media file exists but cannot be used: corrupt, zero-length, undecodable or silent.

    The message names the file and the reason, and quotes the end of ffmpeg's
    diagnostic output when ffmpeg was involved.

    Parameters
    ----------
    message : str
        Human-readable reason.
    path : str or None, default=None
        The offending file (or media fragment), also available as ``.path``.
    stderr : str or None, default=None
        The tail of ffmpeg's standard error, kept as ``.stderr``.

    Examples
    --------
    >>> from skemotion.exceptions import MediaError
    >>> err = MediaError("Could not decode 'a.mp4': no video stream.", path="a.mp4")
    >>> err.path
    'a.mp4'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, message, path=None, stderr=None):
        super().__init__(message)
        self.path = path
        self.stderr = stderr

    def __reduce__(self):
        # Keep path/stderr through pickling (joblib workers re-raise in the parent).
        return (type(self), (self.args[0], self.path, self.stderr))


class MediaWarning(UserWarning):
    """ffmpeg reported errors in a file but still returned everything asked for.

    Such errors are usually glitches the decoder concealed (a stream cut
    mid-GOP, a damaged packet); the message names the file and quotes ffmpeg.

    Examples
    --------
    >>> from skemotion.exceptions import MediaWarning
    >>> issubclass(MediaWarning, UserWarning)
    True
    """


class FaceWarning(UserWarning):
    """A face step could not do what was asked for some clips and fell back.

    For instance :class:`~skemotion.face.FaceCropper` with ``align=True`` crops
    by the face box the clips in which no landmarks were found; the message
    names those samples.

    Examples
    --------
    >>> from skemotion.exceptions import FaceWarning
    >>> issubclass(FaceWarning, UserWarning)
    True
    """


class NoFaceError(SkemotionError, ValueError):
    """No face was found where one was required.

    Parameters
    ----------
    message : str
        Human-readable reason, naming the samples concerned.
    indices : list of int or None, default=None
        Indices of the samples without any detected face, kept as ``.indices``.

    Examples
    --------
    >>> from skemotion.exceptions import NoFaceError
    >>> NoFaceError("no face found in samples [3]", indices=[3]).indices
    [3]
    """

    def __init__(self, message, indices=None):
        super().__init__(message)
        self.indices = indices

    def __reduce__(self):
        return (type(self), (self.args[0], self.indices))
