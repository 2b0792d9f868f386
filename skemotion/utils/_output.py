"""``set_output`` for transformers whose output is not always a 2-D feature table.

scikit-learn wraps a transformer's output in a DataFrame when ``set_output`` (on the
transformer, on a Pipeline holding it, or ``sklearn.set_config(transform_output=...)``)
asks for one. That only makes sense for a 2-D table with named columns. skemotion's media
steps return frames ``(n, T, H, W, C)``, waveforms or spectrogram images, and
``SequenceScaler`` returns ``(n, T, F)`` sequences. scikit-learn's own wrapper would try
to build a DataFrame from them and fail inside pandas ("Must pass 2-d input"), or, without
``set_output``, make ``Pipeline.set_output`` refuse the whole pipeline.

The rule here, so that ``Pipeline(...).set_output(transform="pandas")`` behaves as users
of scikit-learn expect: every step accepts the setting; a step whose output is a 2-D table
returns a DataFrame with named columns; a step whose output is not 2-D returns its array
unwrapped, and the next steps receive it as usual.
"""

import numpy as np
from sklearn import get_config

__all__ = ["MediaOutputMixin", "ShapeAwareOutputMixin"]

_CONTAINERS = ("default", "pandas", "polars")


class ShapeAwareOutputMixin:
    """``set_output`` that wraps 2-D outputs only; use with ``auto_wrap_output_keys=None``.

    The class calls :meth:`_wrap_output` on what ``transform`` returns; it needs a
    ``get_feature_names_out`` for the column names of 2-D outputs.
    """

    def set_output(self, *, transform=None):
        """Set the output container of ``transform`` and ``fit_transform``.

        Only 2-D outputs are wrapped: with ``"pandas"`` or ``"polars"``, a 2-D
        output becomes a DataFrame whose columns are
        ``get_feature_names_out()``; an output with more dimensions is returned
        as an ndarray, since no DataFrame can hold it.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            The container; ``None`` leaves the configuration unchanged.

        Returns
        -------
        self : estimator instance
            This estimator.
        """
        if transform is None:
            return self
        if transform not in _CONTAINERS:
            raise ValueError(
                f"The 'transform' parameter of {type(self).__name__}.set_output must be a "
                f"str among {{'default', 'pandas', 'polars'}} or None. Got {transform!r} instead."
            )
        self._output_container = transform
        return self

    def __sklearn_clone__(self):
        # clone() keeps scikit-learn's own output setting; keep ours the same way, so a
        # search's clones of a Pipeline set to "pandas" still return DataFrames.
        new = super().__sklearn_clone__()
        if hasattr(self, "_output_container"):
            new._output_container = self._output_container
        return new

    def _requested_container(self):
        container = getattr(self, "_output_container", None)
        return get_config()["transform_output"] if container is None else container

    def _wrap_output(self, out, X):
        """``out`` as the requested container when it is 2-D, else unchanged."""
        container = self._requested_container()
        if container == "default" or np.ndim(out) != 2:
            return out
        columns = list(self.get_feature_names_out())
        if container == "pandas":
            import pandas as pd

            index = X.index if isinstance(X, pd.DataFrame) and len(X.index) == len(out) else None
            return pd.DataFrame(out, columns=columns, index=index, copy=False)
        import polars as pl

        return pl.DataFrame(np.asarray(out), schema=columns, orient="row")


class MediaOutputMixin(ShapeAwareOutputMixin):
    """For media steps (paths, frames, waveforms, images): accept ``set_output``, never wrap.

    Their outputs are frames, samples or pixels, not named features, so
    :meth:`get_feature_names_out` returns ``None``, as an unnamed input: inside a
    Pipeline, the next step names its own output (e.g. ``SpectralFeatures`` after
    ``AudioLoader``), so ``Pipeline.get_feature_names_out`` works whenever the
    last step's output is a feature table.
    """

    def set_output(self, *, transform=None):
        """Accept an output container for the Pipeline; this step's output stays an array.

        The output of this step is not a feature table (frames, waveforms,
        images), so it is never wrapped in a DataFrame. The method exists so
        that ``Pipeline.set_output`` and ``sklearn.set_config`` configure the
        later steps that do return 2-D features.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Recorded for consistency; this step's output is unchanged.

        Returns
        -------
        self : estimator instance
            This estimator.
        """
        return super().set_output(transform=transform)

    def get_feature_names_out(self, input_features=None):
        """No feature names: this step outputs media (frames, samples, pixels).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored.

        Returns
        -------
        feature_names_out : None
            ``None``, which the next step of a Pipeline reads as unnamed input.
        """
        return None

    def _wrap_output(self, out, X):
        return out
