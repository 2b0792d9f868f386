"""ModalityUnion: one transformer per modality, output as skorch's SliceDict."""

from collections.abc import Mapping

from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from ..utils._output import MediaOutputMixin

__all__ = ["ModalityUnion"]

_MODALITIES = ("video", "audio")


class ModalityUnion(MediaOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Run one transformer per modality and return ``SliceDict(video=..., audio=...)``.

    Like :class:`~sklearn.pipeline.FeatureUnion`, but instead of stacking
    columns it keeps each modality's array in its own shape (clips
    ``(n, T, H, W, C)`` beside audio features ``(n, T', F)``) inside skorch's
    :class:`~skorch.helper.SliceDict`, which cross-validation can index like
    an array and a :class:`~skemotion.models.FusionClassifier` feeds to its
    two branches. A multimodal pipeline thus runs inside ``GridSearchCV``
    like any other; nested parameters are ``video__*`` and ``audio__*``.

    Parameters
    ----------
    video : transformer or "passthrough", default="passthrough"
        Turns the input into clips, e.g. ``FrameSampler`` on paths.
        ``"passthrough"`` takes ``X["video"]`` from a mapping input, or ``X``
        itself.
    audio : transformer or "passthrough", default="passthrough"
        Turns the input into feature sequences, e.g.
        ``make_pipeline(AudioLoader(), SpectralFeatures())`` on paths.

    Attributes
    ----------
    transformers_ : dict
        The fitted clone of each modality's transformer (``"passthrough"``
        kept as is).

    See Also
    --------
    FusionClassifier, FusionRegressor : The estimators that consume the output.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from skemotion.models import ModalityUnion
    >>> X = {"video": np.zeros((4, 3, 8, 8, 3), np.uint8), "audio": np.ones((4, 10, 13), np.float32)}
    >>> union = ModalityUnion(audio=FunctionTransformer(lambda a: 2 * a))
    >>> out = union.fit_transform(X)
    >>> out["video"].shape, float(out["audio"].max())
    ((4, 3, 8, 8, 3), 2.0)
    """

    def __init__(self, *, video="passthrough", audio="passthrough"):
        self.video = video
        self.audio = audio

    def _check_steps(self):
        for name in _MODALITIES:
            step = getattr(self, name)
            if not (step == "passthrough" if isinstance(step, str) else hasattr(step, "transform")):
                raise ValueError(
                    f"The {name!r} parameter of ModalityUnion must be a transformer (with fit and "
                    f"transform) or 'passthrough'. Got {step!r} instead."
                )

    @staticmethod
    def _input_for(name, X):
        if isinstance(X, Mapping) or (hasattr(X, "keys") and hasattr(X, "__getitem__")):
            if name not in X.keys():
                raise ValueError(
                    f"ModalityUnion got a mapping without a {name!r} entry (keys: "
                    f"{sorted(X.keys())}); pass a transformer for {name!r} or add the entry."
                )
            return X[name]
        return X

    def fit(self, X, y=None, **fit_params):
        """Fit each modality's transformer on ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...) or mapping
            Input shared by both transformers (e.g. clip paths), or a mapping
            with ``video`` / ``audio`` entries for ``"passthrough"``.
        y : array-like of shape (n_samples,), default=None
            Passed to the transformers.
        **fit_params : dict
            Passed to both transformers' ``fit``.

        Returns
        -------
        self : ModalityUnion
            The fitted union.
        """
        self._check_steps()
        self.transformers_ = {}
        for name in _MODALITIES:
            step = getattr(self, name)
            if isinstance(step, str):
                self._input_for(name, X)  # a mapping input must carry the entry
                self.transformers_[name] = step
            else:
                self.transformers_[name] = clone(step).fit(self._input_for(name, X), y, **fit_params)
        return self

    def transform(self, X):
        """Transform ``X`` with each modality's transformer.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...) or mapping
            As in ``fit``.

        Returns
        -------
        X_out : skorch.helper.SliceDict
            ``video`` and ``audio`` arrays, one row per input sample, in order.
        """
        from skorch.helper import SliceDict

        check_is_fitted(self)
        out = {}
        for name, step in self.transformers_.items():
            data = self._input_for(name, X)
            out[name] = data if isinstance(step, str) else step.transform(data)
        lengths = {name: len(v) for name, v in out.items()}
        if len(set(lengths.values())) != 1:
            raise ValueError(f"ModalityUnion outputs differ in length: {lengths}.")
        return SliceDict(**out)

    def set_output(self, *, transform=None):
        """Pass an output container on to both modalities' transformers.

        The union's own output is a ``SliceDict`` and is never wrapped; each
        modality's steps wrap their 2-D outputs, like ``FeatureUnion`` passes
        the setting on to its transformers.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            The container; ``None`` leaves the configuration unchanged.

        Returns
        -------
        self : ModalityUnion
            This union.
        """
        super().set_output(transform=transform)
        for name in _MODALITIES:
            step = getattr(self, name)
            if transform is not None and hasattr(step, "set_output"):
                step.set_output(transform=transform)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.dict = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags
