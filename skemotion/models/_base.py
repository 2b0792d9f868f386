"""The one base of every skemotion model: skorch's NeuralNet with sklearn's conventions.

``_NetEstimator`` is mixed in on the left of skorch's ``NeuralNetClassifier`` /
``NeuralNetRegressor`` and holds the one ``__init__`` they share. It adds what
skorch leaves to the user: input validation (through the class's input spec,
see ``_inputs.py``), data-derived network sizes, seeding through the fit's own
generators (``_seeding.py``), ``device="auto"``, mixed precision, uint8 frames
scaled per batch on the device and lazy batches from ``np.memmap``
(``_batches.py``), torch thread
control under joblib, a group-aware internal split (``_split.py``), class
weights and loss aliases. The docstrings are generated in ``_docs.py``.
"""

import contextlib
import multiprocessing
import threading

import numpy as np
import torch
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping
from skorch.dataset import Dataset as _SkorchDataset
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator, to_tensor

from ..utils import Interval, Options, resolve_device, seed_int, torch_threads, validate_params
from ..utils._validation import InvalidParameterError
from ._batches import LazyDataset, scale_batch
from ._docs import KWARG_DEFAULTS, merge_init_signature
from ._inputs import SEQUENCE
from ._seeding import LocalGenerator, loader_generator
from ._split import bind_train_split

__all__ = []

def _in_parallel_worker():
    """True inside a joblib/loky/multiprocessing/dask worker or a non-main thread."""
    if threading.current_thread() is not threading.main_thread():
        return True
    if multiprocessing.parent_process() is not None:
        return True
    return multiprocessing.current_process().name != "MainProcess"


# --------------------------------------------------------------------------- #
# The mixin
# --------------------------------------------------------------------------- #
class _NetEstimator:
    """skemotion's conventions on top of skorch's ``NeuralNet``, and the shared ``__init__``.

    Subclasses set ``_input`` (an input spec from ``_inputs.py``),
    ``_default_module``, ``_is_classifier`` and ``_criterion_aliases`` (the criterion
    aliases accepted as strings).
    """

    _input = SEQUENCE
    _is_classifier = True
    _criterion_aliases = {}
    _default_module = None
    _default_weight_decay = 0.0

    _parameter_constraints = {
        "lr": [Interval(float, 0, None, closed="neither")],
        "max_epochs": [Interval(int, 0, None, closed="left")],
        "batch_size": [Interval(int, 1, None, closed="left"), Options({-1})],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(float, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(int, 1, None, closed="left")],
        "random_state": ["random_state"],
        "amp": ["boolean"],
        "torch_num_threads": [Interval(int, 1, None, closed="left"), Options({"auto"}), None],
        "device": [str, torch.device, None],
    }

    def __init__(
        self,
        module=None,
        *,
        criterion,
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
        for name, default in KWARG_DEFAULTS.items():
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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            merge_init_signature(cls)

    def set_params(self, **params):
        """Set parameters as skorch does; a ``callbacks`` list alone is stored as given.

        skorch builds the callbacks whenever ``callbacks`` is set, so a bad value
        raised in ``set_params``; scikit-learn wants values stored and checked in
        ``fit`` (``check_do_not_raise_errors_in_init_or_set_params``), where
        ``initialize()`` builds them. An initialized net rebuilds them at once, as
        in skorch, and ``callbacks__<name>__<param>`` values go through skorch.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            This estimator.
        """
        if "callbacks" in params and not any(k.startswith("callbacks__") for k in params):
            self.callbacks = params.pop("callbacks")
            if getattr(self, "initialized_", False):
                self.initialize_callbacks()
        return super().set_params(**params) if params else self

    # ------------------------------------------------------------------ sklearn
    def _get_param_names(self):
        # skorch lists every non-"_"-ending attribute; drop private ones
        # (``_params_to_validate``, ``_metadata_request``).
        return sorted(k for k in self.__dict__ if not k.endswith("_") and not k.startswith("_"))

    def __sklearn_is_fitted__(self):
        return bool(getattr(self, "initialized_", False)) and hasattr(self, "n_outputs_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        self._input.set_tags(tags)
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        if not self._is_classifier:
            tags.target_tags.multi_output = True
            tags.target_tags.single_output = True
        return tags

    # ------------------------------------------------------------------ devices
    @contextlib.contextmanager
    def _skorch_device(self):
        """Show skorch the resolved device while its code runs; keep ``device`` as given."""
        user = self.__dict__.get("device")
        resolved = self.__dict__.get("device_")
        if resolved is None:
            resolved = resolve_device(user)
        self.__dict__["device"] = resolved
        try:
            yield
        finally:
            self.__dict__["device"] = user

    def _uses_cuda(self):
        dev = getattr(self, "device_", None) or resolve_device(self.device)
        return dev is not None and str(dev).startswith("cuda")

    def _amp_active(self):
        return bool(getattr(self, "amp", False)) and self._uses_cuda()

    def _threads(self):
        n = getattr(self, "torch_num_threads", "auto")
        if n == "auto":
            return 1 if _in_parallel_worker() else None
        return n

    # ------------------------------------------------------------------ validation
    def _validate_params_(self):
        validate_params(self, self.get_params(deep=False), self._parameter_constraints)
        crit = self.criterion
        if isinstance(crit, str) and crit not in self._criterion_aliases:
            raise InvalidParameterError(
                f"The 'criterion' parameter of {type(self).__name__} must be a torch loss or a "
                f"str among {sorted(self._criterion_aliases)}. Got {crit!r} instead."
            )

    def _check_X(self, X, reset):
        return self._input.check(self, X, reset)

    def _check_y(self, y, n_samples):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        if self._is_classifier:
            y = column_or_1d(y, warn=True)
            check_classification_targets(y)
            check_consistent_length(np.empty(n_samples), y)
            return y
        y = check_array(y, ensure_2d=False, dtype=np.float32, input_name="y")
        if y.ndim not in (1, 2):
            raise ValueError(f"Expected y of shape (n_samples,) or (n_samples, n_outputs); got {y.shape}.")
        check_consistent_length(np.empty(n_samples), y)
        return y

    # ------------------------------------------------------------------ network
    def initialize_module(self):
        kwargs = self.get_params_for("module")
        module = self._default_module if self.module is None else self.module
        if isinstance(module, torch.nn.Module):
            self.module_ = self.initialized_instance(module, kwargs)
            return self
        derived = self._input.module_sizes(self) if hasattr(self, "n_outputs_") else {}
        clash = sorted(set(kwargs) & set(derived))
        if clash:
            raise ValueError(
                f"{', '.join('module__' + c for c in clash)} of {type(self).__name__} "
                "are set from the training data; do not pass them."
            )
        self.module_ = module(**kwargs, **derived)
        return self

    def initialize_criterion(self):
        kwargs = self.get_params_for("criterion")
        crit = self.criterion
        if isinstance(crit, str):
            crit = self._criterion_aliases[crit]
        weight = getattr(self, "_class_weight_tensor", None)
        if weight is not None and "weight" not in kwargs and not isinstance(crit, torch.nn.Module):
            kwargs["weight"] = weight
        self.criterion_ = self.initialized_instance(crit, kwargs)
        return self

    def get_params_for_optimizer(self, prefix, named_parameters):
        args, kwargs = super().get_params_for_optimizer(prefix, named_parameters)
        if self._default_weight_decay and "weight_decay" not in kwargs:
            kwargs["weight_decay"] = self._default_weight_decay
        return args, kwargs

    def get_default_callbacks(self):
        callbacks = list(super().get_default_callbacks())
        if getattr(self, "early_stopping", False):
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor="valid_loss",
                        patience=self.n_iter_no_change,
                        load_best=True,
                        sink=lambda *a, **k: None,
                    ),
                )
            )
        return callbacks

    def get_dataset(self, X, y=None):
        if self.dataset is _SkorchDataset:
            from skorch.utils import is_dataset

            if is_dataset(X):
                return X
            return LazyDataset(X, y, **self.get_params_for("dataset"))
        return super().get_dataset(X, y)

    def get_split_datasets(self, X, y=None, **fit_params):
        # skorch reads ``train_split``; fit binds it to its groups as ``train_split_``
        dataset = self.get_dataset(X, y)
        split = self.__dict__.get("train_split_", self.train_split)
        if split is None:
            return dataset, None
        return split(dataset, y, **fit_params)

    def get_iterator(self, dataset, training=False):
        prefix = "iterator_train" if training else "iterator_valid"
        kwargs = self.get_params_for(prefix)
        iterator = self.iterator_train if training else self.iterator_valid
        kwargs.setdefault("batch_size", self.batch_size)
        if kwargs["batch_size"] == -1:
            kwargs["batch_size"] = len(dataset)
        if self._uses_cuda():
            kwargs.setdefault("pin_memory", True)
        # shuffling and the workers' base seed (drawn even by an unshuffled
        # prediction loader) stay off torch's global generator
        kwargs.setdefault("generator", loader_generator())
        return iterator(dataset, **kwargs)

    # ------------------------------------------------------------------ steps
    def infer(self, x, **fit_params):
        with self._skorch_device():
            x = scale_batch(to_tensor(x, device=self.device))
            if self._amp_active():
                with torch.autocast("cuda", dtype=torch.float16):
                    return super().infer(x, **fit_params)
            return super().infer(x, **fit_params)

    def get_loss(self, y_pred, y_true, *args, **kwargs):
        with self._skorch_device():
            if y_pred.dtype != torch.float32:
                y_pred = y_pred.float()
            return super().get_loss(y_pred, y_true, *args, **kwargs)

    def train_step(self, batch, **fit_params):
        if not self._amp_active():
            return super().train_step(batch, **fit_params)
        scaler = self.grad_scaler_
        self._zero_grad_optimizer()
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        scaler.scale(loss).backward()
        for name in self._optimizers:
            scaler.unscale_(getattr(self, name + "_"))
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(self.get_all_learnable_params()),
            batch=batch,
            training=True,
        )
        for name in self._optimizers:
            scaler.step(getattr(self, name + "_"))
        scaler.update()
        return {"loss": loss, "y_pred": y_pred}

    def initialize(self):
        with self._skorch_device():
            return super().initialize()

    def load_params(self, *args, **kwargs):
        with self._skorch_device():
            return super().load_params(*args, **kwargs)

    def __setstate__(self, state):
        user = state.get("device")
        fitted = state.get("device_")
        if user == "auto" or user is None:
            target = resolve_device("auto")
        else:
            target = user
        if fitted is not None and str(fitted).startswith("cuda") and not torch.cuda.is_available():
            target = "cpu"
        state["device"] = target
        super().__setstate__(state)
        if fitted is not None:
            self.__dict__["device_"] = str(self.__dict__["device"])
        self.__dict__["device"] = user

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, groups=None, **fit_params):
        """Validate the data, build the network from it and train.

        Parameters
        ----------
        X : array-like or mapping
            Training inputs in the layout the estimator documents (uint8
            frames are scaled per batch on the device; ``np.memmap`` inputs are
            read one batch at a time).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels or regression targets.
        groups : array-like of shape (n_samples,), default=None
            Group labels (e.g. actors) for the internal early-stopping split,
            so no group is both trained on and used to stop. Also passed to a
            user-supplied ``train_split``.
        **fit_params : dict
            Passed to the network's ``forward``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_params_()
        X = self._check_X(X, reset=True)
        n = len(X)
        y = self._check_y(y, n)
        if groups is not None:
            groups = column_or_1d(groups)
            check_consistent_length(np.empty(n), groups)
        y_train = self._encode_targets(y)
        self.device_ = str(resolve_device(self.device))
        if self._amp_active():
            self.grad_scaler_ = torch.amp.GradScaler("cuda")
        seed = seed_int(self.random_state)
        self.train_split_ = bind_train_split(self, y_train, groups, seed)
        with torch_threads(self._threads()), LocalGenerator(seed):
            self.initialize()
            # skorch's own partial_fit: ours would re-validate; "fit" selects fit's routing
            NeuralNet.partial_fit(self, X, y_train, _routing_method="fit", **fit_params)
        return self

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train ``max_epochs`` more epochs without re-initialising the network.

        The first call (or a call on an unfitted estimator) is ``fit``. Later
        calls validate ``X`` against the fitted layout; classifiers need the
        same classes as the first call. With an int ``random_state`` each call
        draws its own shuffles and dropout masks from a stream keyed by the
        epochs already trained, so a sequence of calls is reproducible.

        Parameters
        ----------
        X : array-like or mapping
            Training inputs in the fitted layout.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        classes : array-like, default=None
            Unused; the classes are those of the first call.
        **fit_params : dict
            Passed to the network's ``forward``.

        Returns
        -------
        self : object
            The estimator.
        """
        if not self.__sklearn_is_fitted__():
            return self.fit(X, y, **fit_params)
        X = self._check_X(X, reset=False)
        y = self._check_y(y, len(X))
        y_train = self._encode_more_targets(y)
        seed = seed_int(self.random_state)
        if seed is not None:
            # a stream of its own per call (keyed by the epochs done so far), so later
            # calls do not replay the first call's shuffles and dropout masks
            seed = int(np.random.SeedSequence([seed, len(self.history_)]).generate_state(1)[0])
        self.train_split_ = bind_train_split(self, y_train, None, seed)
        with torch_threads(self._threads()), LocalGenerator(seed):
            NeuralNet.partial_fit(self, X, y_train, **fit_params)
        return self

    def _predict_scores(self, X):
        from sklearn.utils.validation import check_is_fitted
        from skorch.utils import is_dataset

        check_is_fitted(self)
        if not is_dataset(X):  # skorch's own scoring callbacks pass validated Subsets
            X = self._check_X(X, reset=False)
        with torch_threads(self._threads()):
            return self.forward(X, training=False)

