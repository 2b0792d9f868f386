"""The frames input of the face transformers: one check, one error wording."""

import numpy as np

from ..utils import check_array_shape

__all__ = ["FRAMES_SHAPE", "check_frames"]

FRAMES_SHAPE = "(n_samples, n_frames, height, width, 3)"


def check_frames(X):
    """Return ``X`` as a uint8 ndarray of clips of frames, or raise a ValueError saying why.

    Parameters
    ----------
    X : ndarray, list or tuple
        ``(n_samples, n_frames, height, width, 3)`` (or one channel), dtype uint8.

    Returns
    -------
    ndarray
    """
    if isinstance(X, list | tuple):
        X = np.asarray(X)
    if not isinstance(X, np.ndarray):
        raise ValueError(
            f"Expected X to be an ndarray of shape {FRAMES_SHAPE}, dtype=uint8; "
            f"got {type(X).__name__}."
        )
    check_array_shape(X, FRAMES_SHAPE, ndim=5, last_dim=(1, 3))
    if X.dtype != np.uint8:
        raise ValueError(
            f"Expected X of dtype uint8 (frames as read by skemotion.io.read_frames); "
            f"got {X.dtype}."
        )
    if min(X.shape[:4]) == 0:
        raise ValueError(f"Expected X of shape {FRAMES_SHAPE} with no empty axis; got {X.shape}.")
    return X


class StatelessTransformerMixin:
    """``fit`` only checks the parameters (``_check_params``) and the input (``_check_X``).

    For the face transformers, which learn nothing: they are always "fitted" and
    refuse 2-D input (their input is frames or landmarks).
    """

    def __sklearn_is_fitted__(self):
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        return tags

    def fit(self, X, y=None):
        """Check the parameters and the input; nothing is learned.

        Parameters
        ----------
        X : ndarray
            What :meth:`transform` takes: frames ``(n_samples, n_frames, height,
            width, 3)`` of dtype uint8, or landmarks for ``LandmarkFeatures``.
        y : None
            Ignored.

        Returns
        -------
        self : object
            This transformer.
        """
        self._check_params()
        self._check_X(X)
        return self
