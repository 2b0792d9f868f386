"""Collecting the MediaWarnings of one clip's decode, so that they travel with its result."""

import contextlib
import warnings

from ..exceptions import MediaWarning

__all__ = ["collecting_media_warnings"]


@contextlib.contextmanager
def collecting_media_warnings(notes):
    """Record MediaWarnings raised inside the block as messages in ``notes``.

    Yields the list of recorded warnings (so the block can ask whether one was
    raised yet); every other warning is re-emitted as it was when the block ends.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MediaWarning)
        yield caught
    for w in caught:
        if issubclass(w.category, MediaWarning):
            notes.append(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
