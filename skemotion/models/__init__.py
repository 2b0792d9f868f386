"""skorch-based estimators: sequence, frame and clip networks, fusion, losses.

Every model is a scikit-learn estimator built on skorch's
``NeuralNetClassifier`` / ``NeuralNetRegressor``, so Pipelines,
``GridSearchCV`` and Optuna tune network settings as ``module__*``
parameters; :class:`WeightAveraging` is a skorch callback for any of them.
Importing this subpackage imports torch and skorch.
"""

from ._union import ModalityUnion
from .callbacks import SpecAugment, WeightAveraging
from .classifiers import (
    C3DLSTMClassifier,
    CNNLSTMClassifier,
    ConvLSTMClassifier,
    FrameCNNClassifier,
    FusionClassifier,
    SequenceLSTMClassifier,
)
from .losses import CCCLoss
from .regressors import (
    C3DLSTMRegressor,
    CNNLSTMRegressor,
    ConvLSTMRegressor,
    FrameCNNRegressor,
    FusionRegressor,
    SequenceLSTMRegressor,
)

__all__ = [
    "C3DLSTMClassifier",
    "C3DLSTMRegressor",
    "CCCLoss",
    "CNNLSTMClassifier",
    "CNNLSTMRegressor",
    "ConvLSTMClassifier",
    "ConvLSTMRegressor",
    "FrameCNNClassifier",
    "FrameCNNRegressor",
    "FusionClassifier",
    "FusionRegressor",
    "ModalityUnion",
    "SequenceLSTMClassifier",
    "SequenceLSTMRegressor",
    "SpecAugment",
    "WeightAveraging",
]
