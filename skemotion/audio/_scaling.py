"""Standardise frame-level feature sequences with training statistics (``SequenceScaler``)."""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ..utils._output import ShapeAwareOutputMixin

__all__ = ["SequenceScaler"]


class SequenceScaler(
    ShapeAwareOutputMixin,
    OneToOneFeatureMixin,
    TransformerMixin,
    BaseEstimator,
    auto_wrap_output_keys=None,
):
    """Standardise each feature of ``(n_samples, n_steps, n_features)`` sequences.

    The mean and standard deviation of every feature are taken over all
    samples and steps seen in ``fit``, so the frames of a training fold set the
    scale and the test fold is scaled the same way (scikit-learn's
    ``StandardScaler`` only takes 2-D input). 2-D input ``(n_samples,
    n_features)`` is scaled exactly as ``StandardScaler`` would.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the per-feature mean.
    with_std : bool, default=True
        Divide by the per-feature standard deviation. Features that are
        constant in the training data are left unscaled (scale 1).

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        Per-feature mean; ``None`` when ``with_mean=False``.
    scale_ : ndarray of shape (n_features,) or None
        Per-feature scale; ``None`` when ``with_std=False``.
    n_features_in_ : int
        Number of features (the last axis).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when ``fit`` got a DataFrame.
    n_steps_seen_ : int
        Number of frames (samples times steps) the statistics come from.

    See Also
    --------
    SpectralFeatures : Frame-level features with ``pool=None``.

    Notes
    -----
    ``set_output(transform="pandas")`` (or on a Pipeline holding the scaler)
    returns a DataFrame for 2-D input; 3-D sequences have no DataFrame form
    and are returned as an ndarray, so the rest of the Pipeline runs as usual.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.audio import SequenceScaler
    >>> X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    >>> Z = SequenceScaler().fit_transform(X)
    >>> Z.shape, Z.dtype
    ((2, 3, 4), dtype('float32'))
    >>> np.allclose(Z.mean(axis=(0, 1)), 0), np.allclose(Z.std(axis=(0, 1)), 1)
    (True, True)
    """

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def _validate(self, X, reset):
        if not hasattr(X, "ndim") and not hasattr(X, "columns"):
            X = np.asarray(X)  # nested lists
        if getattr(X, "ndim", None) == 3:
            X = check_array(
                X, dtype=[np.float64, np.float32], allow_nd=True, input_name="X",
                estimator=self,
            )  # fmt: skip
            if reset:
                self.n_features_in_ = X.shape[-1]
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
            elif X.shape[-1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[-1]} features, but {type(self).__name__} is expecting "
                    f"{self.n_features_in_} features as input (the last axis of "
                    "(n_samples, n_steps, n_features) sequences)."
                )
            return X
        if getattr(X, "ndim", 2) not in (1, 2) and not hasattr(X, "columns"):
            raise ValueError(
                f"{type(self).__name__} expects (n_samples, n_steps, n_features) sequences or "
                f"a 2-D (n_samples, n_features) array; got an array of shape "
                f"{np.shape(X)}."
            )
        return validate_data(self, X, dtype=[np.float64, np.float32], reset=reset)

    def fit(self, X, y=None):
        """Compute the per-feature mean and standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_features) or (n_samples, n_features)
            Training sequences (or feature vectors).
        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler
            The fitted scaler.
        """
        X = self._validate(X, reset=True)
        frames = X.reshape(-1, X.shape[-1])
        self.n_steps_seen_ = frames.shape[0]
        # float64 accumulation: float32 sums over many frames lose digits
        mean = frames.mean(axis=0, dtype=np.float64)
        self.mean_ = mean if self.with_mean else None
        self.scale_ = None
        if self.with_std:
            std = frames.std(axis=0, dtype=np.float64)
            # constant features stay as they are (scale 1), like StandardScaler
            constant = std <= 10 * np.finfo(np.float64).eps * np.maximum(np.abs(mean), 1.0)
            self.scale_ = np.where(constant, 1.0, std)
        return self

    def transform(self, X):
        """Standardise ``X`` with the statistics from ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_features) or (n_samples, n_features)
            Sequences (or feature vectors) to scale.

        Returns
        -------
        X_scaled : ndarray of the same shape and dtype (float32 or float64)
            Scaled input. A 2-D result is a DataFrame when ``set_output`` asks
            for one; 3-D sequences always stay an ndarray.
        """
        check_is_fitted(self)
        X_in = X
        X = self._validate(X, reset=False)
        # in the input's dtype, like StandardScaler: no float64 copy of a float32 corpus
        out = X - self.mean_.astype(X.dtype) if self.mean_ is not None else X.copy()
        if self.scale_ is not None:
            out /= self.scale_.astype(X.dtype)
        return self._wrap_output(out, X_in)

    def inverse_transform(self, X):
        """Undo :meth:`transform`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_features) or (n_samples, n_features)
            Scaled sequences.

        Returns
        -------
        X_original : ndarray of the same shape and dtype
            Input in its original units.
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        out = X * self.scale_.astype(X.dtype) if self.scale_ is not None else X.copy()
        if self.mean_ is not None:
            out += self.mean_.astype(X.dtype)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
