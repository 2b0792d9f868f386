"""skorch-based emotion classifiers (one network each, one shared base)."""

import textwrap

import numpy as np
import torch
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import compute_class_weight
from skorch import NeuralNetClassifier

from ._base import _KWARG_DEFAULTS, _fill_doc, _SkorchConventions
from .networks import C3DLSTMNet, CNNLSTMNet, ConvLSTMNet, FrameCNNNet, FusionNet, SequenceLSTMNet

__all__ = [
    "C3DLSTMClassifier",
    "CNNLSTMClassifier",
    "ConvLSTMClassifier",
    "FrameCNNClassifier",
    "FusionClassifier",
    "SequenceLSTMClassifier",
]


class _NetClassifier(_SkorchConventions, NeuralNetClassifier):
    """Shared constructor and prediction of the classifiers."""

    _is_classifier = True

    def __init__(
        self,
        module=None,
        *,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=10,
        batch_size=32,
        train_split=None,
        early_stopping=False,
        validation_fraction=0.2,
        n_iter_no_change=5,
        class_weight=None,
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
        self.class_weight = class_weight
        self.random_state = random_state
        self.amp = amp
        self.torch_num_threads = torch_num_threads

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


_CLASSIFIER_DOC_TAIL = """
    Parameters
    ----------
    module : torch.nn.Module class or instance, default=None
        The network; ``None`` uses {default}. Its data-derived sizes are set
        from the training data; its other arguments are ``module__*``
        parameters that searches can tune:
        {network}
    criterion : torch loss class or "cross_entropy", default=torch.nn.CrossEntropyLoss
        Must take logits; ``NLLLoss`` is rejected because the networks return
        logits, not log-probabilities.
    class_weight : "balanced", dict or None, default=None
        Weights of the classes in the loss (``"balanced"``: inversely
        proportional to class frequencies, as in scikit-learn).
    {common_params}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_weight_ : ndarray of shape (n_classes,) or None
        Weights used in the loss.
    {common_attributes}
"""


def _doc(head, default, network, tail=_CLASSIFIER_DOC_TAIL):
    network = textwrap.fill(
        network.strip(), width=88, initial_indent=" " * 8, subsequent_indent=" " * 8
    ).lstrip()
    return head + tail.replace("{default}", default).replace("{network}", network)


@_fill_doc
class SequenceLSTMClassifier(_NetClassifier):
    _input_kind = "sequence"
    _default_module = SequenceLSTMNet
    __doc__ = _doc(
        """LSTM classifier on feature sequences (e.g. MFCC frames, facial landmarks).

    Takes ``(n_samples, n_steps, n_features)`` float input; 2-D input
    ``(n_samples, n_features)`` is read as one step. The network is
    :class:`~skemotion.models.networks.SequenceLSTMNet`: an LSTM, pooled over
    time (``module__pooling`` = ``"last"``, ``"mean"`` or ``"attention"``),
    then a linear layer.

""",
        "SequenceLSTMNet",
        """``module__hidden_size`` (64), ``module__num_layers`` (1), ``module__bidirectional`` (False), ``module__dropout`` (0.0), ``module__pooling`` ("last").""",
    ) + """
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


@_fill_doc
class FrameCNNClassifier(_NetClassifier):
    _input_kind = "frames"
    _default_module = FrameCNNNet
    __doc__ = _doc(
        """2-D CNN classifier on single frames or clips.

    Takes frames ``(n_samples, height, width, channels)`` or clips
    ``(n_samples, n_frames, height, width, channels)``, uint8 (0-255, scaled
    per batch on the device) or float in [0, 1], channels 3 (RGB) or 1. Clips
    are encoded frame by frame and pooled over time. The network is
    :class:`~skemotion.models.networks.FrameCNNNet`.

""",
        "FrameCNNNet",
        """``module__backbone`` ("simple"; also "quadrant", "vgg16", "resnet18", "resnet34", "resnet50"), ``module__weights`` (None; a local state-dict file, never downloaded), ``module__freeze`` (False), ``module__dropout`` (0.0), ``module__temporal_pooling`` ("mean" or "max"), ``module__batch_norm`` (True), ``module__input_norm`` ("channel").""",
    ) + """
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


@_fill_doc
class CNNLSTMClassifier(_NetClassifier):
    _input_kind = "clips"
    _default_module = CNNLSTMNet
    __doc__ = _doc(
        """CNN-LSTM classifier: a 2-D backbone per frame, then an LSTM.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1]. The network is
    :class:`~skemotion.models.networks.CNNLSTMNet` (the Conv-LSTM of the EEV
    study, the masked-face CNN-LSTM).

""",
        "CNNLSTMNet",
        """``module__backbone`` ("simple"), ``module__weights`` (None), ``module__freeze`` (False), ``module__hidden_size`` (64), ``module__num_layers`` (1), ``module__bidirectional`` (False), ``module__dropout`` (0.0), ``module__pooling`` ("last"), ``module__batch_norm`` (True), ``module__input_norm`` ("channel").""",
    ) + """
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


@_fill_doc
class ConvLSTMClassifier(_NetClassifier):
    _input_kind = "clips"
    _default_module = ConvLSTMNet
    __doc__ = _doc(
        """Convolutional-LSTM classifier (Shi et al., 2015) on clips.

    Takes clips ``(n_samples, n_frames, height, width, channels)``, uint8 or
    float in [0, 1]. The network is
    :class:`~skemotion.models.networks.ConvLSTMNet`: stacked
    :class:`~skemotion.models.networks.ConvLSTMCell` s with peepholes, the last
    hidden map averaged over space, then a linear head.

""",
        "ConvLSTMNet",
        """``module__hidden_channels`` (32), ``module__num_layers`` (1), ``module__kernel_size`` (3), ``module__stem_channels`` ((16, 32)), ``module__head_pool`` (4), ``module__dropout`` (0.0), ``module__input_norm`` ("channel").""",
    ) + """
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


@_fill_doc
class C3DLSTMClassifier(_NetClassifier):
    _input_kind = "clips"
    _default_module = C3DLSTMNet
    _default_weight_decay = 1e-4
    __doc__ = _doc(
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

""",
        "C3DLSTMNet",
        """``module__n_blocks`` (5; the study's 5, 6 and 7-layer variants), ``module__base_filters`` (16), ``module__lstm_size`` (64), ``module__dense_size`` (32), ``module__dropout`` (0.0), ``module__negative_slope`` (0.01), ``module__input_norm`` ("channel").""",
    ) + """
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


@_fill_doc
class FusionClassifier(_NetClassifier):
    _input_kind = "fusion"
    _default_module = FusionNet
    __doc__ = _doc(
        """Audio-visual classifier with a video branch and an audio branch.

    Takes a mapping (skorch's ``SliceDict``, as made by
    :class:`~skemotion.models.ModalityUnion`) with ``video`` clips
    ``(n_samples, n_frames, height, width, channels)`` and ``audio`` feature
    sequences ``(n_samples, n_steps, n_features)``. The network is
    :class:`~skemotion.models.networks.FusionNet` (mid or late fusion).

""",
        "FusionNet",
        """``module__fusion`` ("mid" or "late"), ``module__backbone`` ("simple"), ``module__weights`` (None), ``module__freeze`` (False), ``module__video_hidden_size`` (64), ``module__audio_hidden_size`` (64), ``module__fusion_size`` (64), ``module__dropout`` (0.0).""",
    ) + """
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
