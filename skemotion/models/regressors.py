"""skorch-based emotion regressors (valence/arousal, rater scores), one shared base."""

import numpy as np
import torch
from sklearn.utils.metaestimators import available_if
from skorch import NeuralNetRegressor

from ._base import _KWARG_DEFAULTS, _fill_doc, _SkorchConventions
from .classifiers import _doc
from .networks import C3DLSTMNet, CNNLSTMNet, ConvLSTMNet, FrameCNNNet, FusionNet, SequenceLSTMNet

__all__ = [
    "C3DLSTMRegressor",
    "CNNLSTMRegressor",
    "ConvLSTMRegressor",
    "FrameCNNRegressor",
    "FusionRegressor",
    "SequenceLSTMRegressor",
]


class _NetRegressor(_SkorchConventions, NeuralNetRegressor):
    """Shared constructor and prediction of the regressors."""

    _is_classifier = False

    def __init__(
        self,
        module=None,
        *,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=10,
        batch_size=32,
        train_split=None,
        early_stopping=False,
        validation_fraction=0.2,
        n_iter_no_change=5,
        random_state=None,
        device="auto",
        amp=False,
        torch_num_threads="auto",
        verbose=0,
        **kwargs,
    ):
        # skorch's DataLoader keeps the input order unless told otherwise; corpora
        # sorted by actor or class would give one-class batches.
        for name, default in _KWARG_DEFAULTS.items():
            kwargs.setdefault(name, default)
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            verbose=verbose,
            device=device,
            **kwargs,
        )
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state
        self.amp = amp
        self.torch_num_threads = torch_num_threads

    def _encode_targets(self, y):
        self._single_output = y.ndim == 1
        y = y.reshape(len(y), -1).astype(np.float32, copy=False)
        self.n_outputs_ = y.shape[1]
        return y

    @available_if(lambda self: False)
    def predict_proba(self, X):
        """Not available: regressors have no class probabilities (skorch's method is hidden)."""
        raise AttributeError("predict_proba")  # pragma: no cover

    def _encode_more_targets(self, y):
        y = y.reshape(len(y), -1).astype(np.float32, copy=False)
        if y.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {y.shape[1]} outputs, but the model was fitted with {self.n_outputs_}.")
        return y

    def predict(self, X):
        """Predict continuous targets.

        Parameters
        ----------
        X : array-like or mapping
            Inputs in the layout used for ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs), dtype=float64
            One column per target seen in ``fit`` (1-D when ``y`` was 1-D).
        """
        pred = self._predict_scores(X).float().numpy().astype(np.float64)
        return pred[:, 0] if self._single_output else pred


_REGRESSOR_DOC_TAIL = """
    Parameters
    ----------
    module : torch.nn.Module class or instance, default=None
        The network; ``None`` uses {default}. Its data-derived sizes are set
        from the training data; its other arguments are ``module__*``
        parameters that searches can tune:
        {network}
    criterion : torch loss class or {"mse", "mae", "huber", "ccc"}, default=torch.nn.MSELoss
        ``"ccc"`` is :class:`~skemotion.models.losses.CCCLoss` (1 - concordance
        correlation, the standard loss for continuous affect; use batches of
        16 or more).
    {common_params}

    Attributes
    ----------
    {common_attributes}
"""


def _rdoc(head, default, network):
    return _doc(head, default, network, tail=_REGRESSOR_DOC_TAIL)


@_fill_doc
class SequenceLSTMRegressor(_NetRegressor):
    _input_kind = "sequence"
    _default_module = SequenceLSTMNet
    __doc__ = _rdoc(
        """LSTM regressor on feature sequences; one or several continuous targets.

    Takes ``(n_samples, n_steps, n_features)`` float input (2-D read as one
    step) and ``y`` of shape ``(n_samples,)`` or ``(n_samples, n_outputs)``
    (e.g. 6 raters' valence, 5 expression scores).
""",
        "SequenceLSTMNet",
        """``module__hidden_size`` (64), ``module__num_layers`` (1),
        ``module__bidirectional`` (False), ``module__dropout`` (0.0), ``module__pooling`` ("last").""",
    ) + """
    See Also
    --------
    SequenceLSTMClassifier : The same network for labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import SequenceLSTMRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(16, 5, 3)).astype(np.float32)
    >>> y = rng.normal(size=(16, 2)).astype(np.float32)
    >>> reg = SequenceLSTMRegressor(criterion="ccc", module__hidden_size=8, max_epochs=2,
    ...                             random_state=0)
    >>> reg.fit(X, y).predict(X).shape
    (16, 2)
    """


@_fill_doc
class FrameCNNRegressor(_NetRegressor):
    _input_kind = "frames"
    _default_module = FrameCNNNet
    __doc__ = _rdoc(
        """2-D CNN regressor on single frames or clips (e.g. continuous valence per frame).

    Takes frames ``(n_samples, height, width, channels)`` or clips
    ``(n_samples, n_frames, height, width, channels)``, uint8 or float in
    [0, 1]. ``module__backbone="quadrant"`` is the continuous-valence CNN.
""",
        "FrameCNNNet",
        """``module__backbone`` ("simple", "quadrant", "vgg16", "resnet18", "resnet34",
        "resnet50"), ``module__weights`` (None), ``module__freeze`` (False),
        ``module__dropout`` (0.0), ``module__temporal_pooling`` ("mean"),
        ``module__batch_norm`` (True), ``module__input_norm`` ("channel").""",
    ) + """
    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import FrameCNNRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 16, 16, 3), dtype=np.uint8)
    >>> y = rng.uniform(-1, 1, size=8).astype(np.float32)
    >>> reg = FrameCNNRegressor(module__backbone="quadrant", max_epochs=1, random_state=0)
    >>> reg.fit(X, y).predict(X).shape
    (8,)
    """


@_fill_doc
class CNNLSTMRegressor(_NetRegressor):
    _input_kind = "clips"
    _default_module = CNNLSTMNet
    __doc__ = _rdoc(
        """CNN-LSTM regressor: a 2-D backbone per frame, then an LSTM.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1].
""",
        "CNNLSTMNet",
        """``module__backbone`` ("simple"), ``module__weights`` (None), ``module__freeze``
        (False), ``module__hidden_size`` (64), ``module__num_layers`` (1),
        ``module__bidirectional`` (False), ``module__dropout`` (0.0), ``module__pooling`` ("last"),
        ``module__batch_norm`` (True), ``module__input_norm`` ("channel").""",
    ) + """
    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import CNNLSTMRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 4, 16, 16, 3), dtype=np.uint8)
    >>> y = rng.uniform(-1, 1, size=8).astype(np.float32)
    >>> reg = CNNLSTMRegressor(module__hidden_size=8, max_epochs=1, random_state=0)
    >>> reg.fit(X, y).predict(X).shape
    (8,)
    """


@_fill_doc
class ConvLSTMRegressor(_NetRegressor):
    _input_kind = "clips"
    _default_module = ConvLSTMNet
    __doc__ = _rdoc(
        """Convolutional-LSTM regressor (Shi et al., 2015) on clips.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1].
""",
        "ConvLSTMNet",
        """``module__hidden_channels`` (32), ``module__num_layers`` (1),
        ``module__kernel_size`` (3), ``module__stem_channels`` ((16, 32)), ``module__head_pool`` (4),
        ``module__dropout`` (0.0), ``module__input_norm`` ("channel").""",
    ) + """
    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import ConvLSTMRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 3, 16, 16, 3), dtype=np.uint8)
    >>> y = rng.uniform(-1, 1, size=8).astype(np.float32)
    >>> reg = ConvLSTMRegressor(module__hidden_channels=4, max_epochs=1, random_state=0)
    >>> reg.fit(X, y).predict(X).shape
    (8,)
    """


@_fill_doc
class C3DLSTMRegressor(_NetRegressor):
    _input_kind = "clips"
    _default_module = C3DLSTMNet
    _default_weight_decay = 1e-4
    __doc__ = _rdoc(
        """3-D CNN + LSTM regressor (C3D-LSTM), L2 through weight decay (1e-4 by default).

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1].
""",
        "C3DLSTMNet",
        """``module__n_blocks`` (5; 5, 6 or 7 for the CREMA-D variants),
        ``module__base_filters`` (16), ``module__lstm_size`` (64), ``module__dense_size`` (32),
        ``module__dropout`` (0.0), ``module__negative_slope`` (0.01), ``module__input_norm`` ("channel").""",
    ) + """
    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import C3DLSTMRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 4, 16, 16, 3), dtype=np.uint8)
    >>> y = rng.uniform(-1, 1, size=(8, 2)).astype(np.float32)
    >>> reg = C3DLSTMRegressor(module__base_filters=4, max_epochs=1, random_state=0)
    >>> reg.fit(X, y).predict(X).shape
    (8, 2)
    """


@_fill_doc
class FusionRegressor(_NetRegressor):
    _input_kind = "fusion"
    _default_module = FusionNet
    __doc__ = _rdoc(
        """Audio-visual regressor with a video branch and an audio branch.

    Takes a mapping (skorch ``SliceDict``, see
    :class:`~skemotion.models.ModalityUnion`) with ``video`` clips and
    ``audio`` feature sequences.
""",
        "FusionNet",
        """``module__fusion`` ("mid" or "late"), ``module__backbone`` ("simple"),
        ``module__weights`` (None), ``module__freeze`` (False), ``module__video_hidden_size`` (64),
        ``module__audio_hidden_size`` (64), ``module__fusion_size`` (64), ``module__dropout`` (0.0).""",
    ) + """
    Examples
    --------
    >>> import numpy as np
    >>> from skorch.helper import SliceDict
    >>> from skemotion.models import FusionRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = SliceDict(video=rng.integers(0, 256, size=(8, 3, 16, 16, 3), dtype=np.uint8),
    ...               audio=rng.normal(size=(8, 10, 13)).astype(np.float32))
    >>> y = rng.uniform(-1, 1, size=8).astype(np.float32)
    >>> reg = FusionRegressor(module__fusion="late", max_epochs=1, random_state=0)
    >>> reg.fit(X, y).predict(X).shape
    (8,)
    """
