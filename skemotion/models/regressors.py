"""skorch-based emotion regressors (valence/arousal, rater scores), one shared base."""

import numpy as np
import torch
from sklearn.utils.metaestimators import available_if
from skorch import NeuralNetRegressor

from ._base import _NetEstimator
from ._docs import fill_doc
from ._inputs import CLIPS, FRAMES, FUSION, SEQUENCE
from .losses import CCCLoss
from .networks import C3DLSTMNet, CNNLSTMNet, ConvLSTMNet, FrameCNNNet, FusionNet, SequenceLSTMNet

__all__ = [
    "C3DLSTMRegressor",
    "CNNLSTMRegressor",
    "ConvLSTMRegressor",
    "FrameCNNRegressor",
    "FusionRegressor",
    "SequenceLSTMRegressor",
]


class _NetRegressor(_NetEstimator, NeuralNetRegressor):
    """The regressors' criterion default and aliases, target handling and prediction."""

    _is_classifier = False
    _criterion_aliases = {
        "mse": torch.nn.MSELoss,
        "mae": torch.nn.L1Loss,
        "huber": torch.nn.HuberLoss,
        "ccc": CCCLoss,
    }
    _family_doc = {
        "params": """\
    criterion : torch loss class or {"mse", "mae", "huber", "ccc"}, default=torch.nn.MSELoss
        ``"ccc"`` is :class:`~skemotion.models.losses.CCCLoss` (1 - concordance
        correlation, the standard loss for continuous affect; use batches of
        16 or more).
""",
        "attributes": "",
    }

    def __init__(self, module=None, *, criterion=torch.nn.MSELoss, **kwargs):
        super().__init__(module, criterion=criterion, **kwargs)

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


@fill_doc
class SequenceLSTMRegressor(_NetRegressor):
    """LSTM regressor on feature sequences; one or several continuous targets.

    Takes ``(n_samples, n_steps, n_features)`` float input (2-D read as one
    step) and ``y`` of shape ``(n_samples,)`` or ``(n_samples, n_outputs)``
    (e.g. 6 raters' valence, 5 expression scores).

    {parameters}

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

    _input = SEQUENCE
    _default_module = SequenceLSTMNet


@fill_doc
class FrameCNNRegressor(_NetRegressor):
    """2-D CNN regressor on single frames or clips (e.g. continuous valence per frame).

    Takes frames ``(n_samples, height, width, channels)`` or clips
    ``(n_samples, n_frames, height, width, channels)``, uint8 or float in
    [0, 1]. ``module__backbone="quadrant"`` is the continuous-valence CNN.

    {parameters}

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

    _input = FRAMES
    _default_module = FrameCNNNet


@fill_doc
class CNNLSTMRegressor(_NetRegressor):
    """CNN-LSTM regressor: a 2-D backbone per frame, then an LSTM.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1].

    {parameters}

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

    _input = CLIPS
    _default_module = CNNLSTMNet


@fill_doc
class ConvLSTMRegressor(_NetRegressor):
    """Convolutional-LSTM regressor (Shi et al., 2015) on clips.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1].

    {parameters}

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

    _input = CLIPS
    _default_module = ConvLSTMNet


@fill_doc
class C3DLSTMRegressor(_NetRegressor):
    """3-D CNN + LSTM regressor (C3D-LSTM), L2 through weight decay (1e-4 by default).

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1].

    {parameters}

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

    _input = CLIPS
    _default_module = C3DLSTMNet
    _default_weight_decay = 1e-4


@fill_doc
class FusionRegressor(_NetRegressor):
    """Audio-visual regressor with a video branch and an audio branch.

    Takes a mapping (skorch ``SliceDict``, see
    :class:`~skemotion.models.ModalityUnion`) with ``video`` clips and
    ``audio`` feature sequences.

    {parameters}

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

    _input = FUSION
    _default_module = FusionNet
