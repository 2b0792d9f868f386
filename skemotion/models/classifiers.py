"""skorch-based emotion classifiers (one network each, one shared base)."""

import numpy as np
import torch
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import compute_class_weight
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring
from skorch.utils import to_numpy

from ..utils._validation import InvalidParameterError
from ._base import _NetEstimator
from ._docs import fill_doc
from ._inputs import CLIPS, FRAMES, FUSION, SEQUENCE
from .networks import C3DLSTMNet, CNNLSTMNet, ConvLSTMNet, FrameCNNNet, FusionNet, SequenceLSTMNet

__all__ = [
    "C3DLSTMClassifier",
    "CNNLSTMClassifier",
    "ConvLSTMClassifier",
    "FrameCNNClassifier",
    "FusionClassifier",
    "SequenceLSTMClassifier",
]


class _DecodeLabels:
    """Map the class codes the network trains on back to the labels ``predict`` returns."""

    def __init__(self, classes):
        self.classes = classes

    def __call__(self, y):
        return self.classes[to_numpy(y)]


class _NetClassifier(_NetEstimator, NeuralNetClassifier):
    """The classifiers' criterion default, class weights, label encoding and prediction."""

    _is_classifier = True
    _criterion_aliases = {"cross_entropy": torch.nn.CrossEntropyLoss}
    _family_doc = {
        "params": """\
    criterion : torch loss class or "cross_entropy", default=torch.nn.CrossEntropyLoss
        Must take logits; ``NLLLoss`` is rejected because the networks return
        logits, not log-probabilities.
    class_weight : "balanced", dict or None, default=None
        Weights of the classes in the loss (``"balanced"``: inversely
        proportional to class frequencies, as in scikit-learn).
""",
        "attributes": """\
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_weight_ : ndarray of shape (n_classes,) or None
        Weights used in the loss.
""",
    }

    def __init__(self, module=None, *, criterion=torch.nn.CrossEntropyLoss, class_weight=None,
                 **kwargs):
        super().__init__(module, criterion=criterion, **kwargs)
        self.class_weight = class_weight

    def get_default_callbacks(self):
        # skorch scores ``predict`` (labels) against the split's targets (codes)
        callbacks = list(super().get_default_callbacks())
        if "_classes" in self.__dict__:
            scoring = EpochScoring("accuracy", name="valid_acc", lower_is_better=False,
                                   target_extractor=_DecodeLabels(self._classes))
            callbacks = [(n, scoring if n == "valid_acc" else cb) for n, cb in callbacks]
        return callbacks

    def _validate_params_(self):
        super()._validate_params_()
        crit = self.criterion
        if crit is torch.nn.NLLLoss or isinstance(crit, torch.nn.NLLLoss):
            raise ValueError(
                f"{type(self).__name__} networks return logits, so criterion=NLLLoss (which "
                "expects log-probabilities) would train on the wrong quantity and can diverge "
                "to NaN. Use torch.nn.CrossEntropyLoss (the default)."
            )
        cw = self.class_weight
        if not (cw is None or cw == "balanced" or isinstance(cw, dict)):
            raise InvalidParameterError(
                f"The 'class_weight' parameter of {type(self).__name__} must be 'balanced', "
                f"a dict or None. Got {cw!r} instead."
            )

    @property
    def classes_(self):
        if "_classes" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__} has no attribute 'classes_' before fit.")
        return self._classes

    def _encode_targets(self, y):
        encoder = LabelEncoder()
        if self.classes is not None:
            encoder.fit(np.asarray(self.classes))
            unseen = np.setdiff1d(np.unique(y), encoder.classes_)
            if unseen.size:
                raise ValueError(f"y contains labels {unseen.tolist()} that are not in classes.")
            codes = encoder.transform(y)
        else:
            codes = encoder.fit_transform(y)
        self._classes = encoder.classes_
        self.n_outputs_ = len(encoder.classes_)
        self.class_weight_ = None
        self._class_weight_tensor = None
        if self.class_weight is not None:
            present = np.unique(codes)
            weights = np.ones(self.n_outputs_, dtype=np.float32)
            cw = self.class_weight
            if cw != "balanced":
                cw = {int(np.searchsorted(encoder.classes_, k)): v for k, v in cw.items() if k in encoder.classes_}
            weights[present] = compute_class_weight(cw, classes=present, y=codes)
            self.class_weight_ = weights
            self._class_weight_tensor = torch.as_tensor(weights)
        return codes.astype(np.int64)

    def _encode_more_targets(self, y):
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(
                f"y contains labels {unseen.tolist()} not seen in the first fit "
                f"(classes_={self.classes_.tolist()})."
            )
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def check_data(self, X, y):
        # classes come from the LabelEncoder in fit, not from skorch's inference
        return None

    def predict_proba(self, X):
        """Class probabilities (softmax of the network's logits).

        Parameters
        ----------
        X : array-like or mapping
            Inputs in the layout used for ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), dtype=float32
            Columns follow ``classes_``.
        """
        scores = self._predict_scores(X).float()
        nonlin = self.predict_nonlinearity
        if nonlin == "auto":  # the networks return logits
            scores = torch.softmax(scores, dim=1)
        elif nonlin is not None:
            scores = nonlin(scores)
        return scores.numpy()

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : array-like or mapping
            Inputs in the layout used for ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]


@fill_doc
class SequenceLSTMClassifier(_NetClassifier):
    """LSTM classifier on feature sequences (e.g. MFCC frames, facial landmarks).

    Takes ``(n_samples, n_steps, n_features)`` float input; 2-D input
    ``(n_samples, n_features)`` is read as one step. The network is
    :class:`~skemotion.models.networks.SequenceLSTMNet`: an LSTM, pooled over
    time (``module__pooling`` = ``"last"``, ``"mean"`` or ``"attention"``),
    then a linear layer.

    {parameters}

    See Also
    --------
    SequenceLSTMRegressor : The same network for continuous targets.
    skorch.NeuralNetClassifier : The base class (callbacks, history, save_params).

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import SequenceLSTMClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(16, 5, 3)).astype(np.float32)
    >>> y = np.array(["angry", "happy"] * 8)
    >>> clf = SequenceLSTMClassifier(module__hidden_size=8, max_epochs=2, random_state=0)
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    >>> clf.classes_
    array(['angry', 'happy'], dtype='<U5')
    """

    _input = SEQUENCE
    _default_module = SequenceLSTMNet


@fill_doc
class FrameCNNClassifier(_NetClassifier):
    """2-D CNN classifier on single frames or clips.

    Takes frames ``(n_samples, height, width, channels)`` or clips
    ``(n_samples, n_frames, height, width, channels)``, uint8 (0-255, scaled
    per batch on the device) or float in [0, 1], channels 3 (RGB) or 1. Clips
    are encoded frame by frame and pooled over time. The network is
    :class:`~skemotion.models.networks.FrameCNNNet`.

    {parameters}

    See Also
    --------
    CNNLSTMClassifier : Frame features fed to an LSTM instead of pooled.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import FrameCNNClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 1] * 4)
    >>> clf = FrameCNNClassifier(max_epochs=1, random_state=0).fit(X, y)
    >>> clf.predict_proba(X).shape
    (8, 2)
    """

    _input = FRAMES
    _default_module = FrameCNNNet


@fill_doc
class CNNLSTMClassifier(_NetClassifier):
    """CNN-LSTM classifier: a 2-D backbone per frame, then an LSTM.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1]. The network is
    :class:`~skemotion.models.networks.CNNLSTMNet` (the Conv-LSTM of the EEV
    study, the masked-face CNN-LSTM).

    {parameters}

    See Also
    --------
    ConvLSTMClassifier : Recurrence inside the convolution.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import CNNLSTMClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 4, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 1] * 4)
    >>> clf = CNNLSTMClassifier(module__hidden_size=8, max_epochs=1, random_state=0).fit(X, y)
    >>> clf.predict(X).shape
    (8,)
    """

    _input = CLIPS
    _default_module = CNNLSTMNet


@fill_doc
class ConvLSTMClassifier(_NetClassifier):
    """Convolutional-LSTM classifier (Shi et al., 2015) on clips.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1]. The network is
    :class:`~skemotion.models.networks.ConvLSTMNet`: stacked
    :class:`~skemotion.models.networks.ConvLSTMCell` s with peepholes, the last
    hidden map averaged over space, then a linear head.

    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import ConvLSTMClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 3, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 1] * 4)
    >>> clf = ConvLSTMClassifier(module__hidden_channels=4, max_epochs=1, random_state=0)
    >>> clf.fit(X, y).predict(X).shape
    (8,)
    """

    _input = CLIPS
    _default_module = ConvLSTMNet


@fill_doc
class C3DLSTMClassifier(_NetClassifier):
    """3-D CNN + LSTM classifier (the CREMA-D study's C3D-LSTM).

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1]. The network is
    :class:`~skemotion.models.networks.C3DLSTMNet`: ``n_blocks`` 3-D conv
    blocks (conv, LeakyReLU, BatchNorm, spatial dropout), an LSTM of 64 and a
    dense layer of 32. L2 regularisation is the optimizer's weight decay,
    1e-4 unless ``optimizer__weight_decay`` says otherwise.

    On small corpora its accuracy on unseen actors swings with the seed;
    averaging the weights of the later epochs steadies it
    (``callbacks=[("average", WeightAveraging(start=15))]`` with
    ``max_epochs=45``, see :class:`~skemotion.models.WeightAveraging` and the
    user guide's measurements).

    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.models import C3DLSTMClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(8, 4, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 1] * 4)
    >>> clf = C3DLSTMClassifier(module__base_filters=4, max_epochs=1, random_state=0)
    >>> clf.fit(X, y).predict(X).shape
    (8,)
    """

    _input = CLIPS
    _default_module = C3DLSTMNet
    _default_weight_decay = 1e-4


@fill_doc
class FusionClassifier(_NetClassifier):
    """Audio-visual classifier with a video branch and an audio branch.

    Takes a mapping (skorch's ``SliceDict``, as made by
    :class:`~skemotion.models.ModalityUnion`) with ``video`` clips
    ``(n_samples, n_frames, height, width, channels)`` and ``audio`` feature
    sequences ``(n_samples, n_steps, n_features)``. The network is
    :class:`~skemotion.models.networks.FusionNet` (mid or late fusion).

    {parameters}

    See Also
    --------
    ModalityUnion : Builds the ``SliceDict`` from paths inside a Pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> from skorch.helper import SliceDict
    >>> from skemotion.models import FusionClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = SliceDict(video=rng.integers(0, 256, size=(8, 3, 16, 16, 3), dtype=np.uint8),
    ...               audio=rng.normal(size=(8, 10, 13)).astype(np.float32))
    >>> y = np.array([0, 1] * 4)
    >>> clf = FusionClassifier(module__video_hidden_size=8, module__audio_hidden_size=8,
    ...                        max_epochs=1, random_state=0)
    >>> clf.fit(X, y).predict(X).shape
    (8,)
    """

    _input = FUSION
    _default_module = FusionNet
