"""The skorch conventions shared by every skemotion model (one base, no copies).

``_SkorchConventions`` is mixed in on the left of skorch's
``NeuralNetClassifier`` / ``NeuralNetRegressor``. It adds what skorch leaves to
the user: input validation with a clear layout error, label encoding, data-
derived network sizes, seeding inside ``fit`` without global side effects,
``device="auto"``, mixed precision, uint8 frames scaled per batch on the
device, lazy batches from ``np.memmap``, torch thread control under joblib,
group-aware early stopping, class weights and loss aliases.
"""

import contextlib
import inspect
import multiprocessing
import threading

import numpy as np
import torch
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    column_or_1d,
    validate_data,
)
from skorch.callbacks import EarlyStopping
from skorch.dataset import Dataset as _SkorchDataset
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator, to_tensor

from ..utils import Interval, Options, resolve_device, seed_int, torch_threads, validate_params
from .losses import CCCLoss

__all__ = []

_FRAME_CHANNELS = (1, 3)

# criterion aliases accepted as strings
_CLASSIFIER_CRITERIA = {"cross_entropy": torch.nn.CrossEntropyLoss}
_REGRESSOR_CRITERIA = {
    "mse": torch.nn.MSELoss,
    "mae": torch.nn.L1Loss,
    "huber": torch.nn.HuberLoss,
    "ccc": CCCLoss,
}


# --------------------------------------------------------------------------- #
# Shared docstring blocks (substituted into each estimator's docstring once)
# --------------------------------------------------------------------------- #
_SHARED_DOC = {
    "common_params": """\
    lr : float, default=1e-3
        Learning rate of the optimizer.
    max_epochs : int, default=10
        Training epochs (upper bound when ``early_stopping=True``).
    batch_size : int, default=32
        Mini-batch size for training and prediction.
    optimizer : torch optimizer class, default=torch.optim.Adam
        Optimizer; its arguments are reachable as ``optimizer__*``.
    train_split : callable or None, default=None
        skorch's internal validation split. ``None`` trains on all data; set
        ``early_stopping=True`` for a group-aware split instead.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (by ``groups``
        when ``fit`` gets them, so no actor is in both parts), stop when the
        validation loss has not improved for ``n_iter_no_change`` epochs and
        restore the best weights.
    validation_fraction : float, default=0.2
        Share of samples (or of groups) held out for early stopping.
    n_iter_no_change : int, default=5
        Patience of early stopping, in epochs.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and the early-stopping
        split inside ``fit`` through ``torch.random.fork_rng`` and a saved and
        restored numpy state, so global random state is left as it was. The
        same seed gives the same predictions on CPU whatever ``n_jobs`` a
        search uses.
    device : {"auto", "cpu", "cuda"} or torch.device, default="auto"
        ``"auto"`` picks CUDA when available. The parameter keeps the value you
        gave; the device actually used is ``device_``. On CUDA, batches are
        loaded into pinned memory (``iterator_train__num_workers`` adds loader
        workers).
    amp : bool, default=False
        Mixed precision (float16 autocast with gradient scaling) on CUDA;
        ignored on CPU.
    torch_num_threads : int, "auto" or None, default="auto"
        Torch intra-op threads while fitting and predicting. ``"auto"`` uses 1
        thread inside joblib/loky/dask workers and non-main threads (parallel
        searches would otherwise oversubscribe the cores: measured 1.5x to 40x
        slower on 2 cores) and torch's default otherwise; ``None`` leaves the
        setting alone.
    verbose : int, default=0
        skorch's per-epoch log when > 0.
    **kwargs
        Any other :class:`skorch.NeuralNet` parameter, e.g. ``callbacks``,
        ``iterator_train__num_workers`` or ``optimizer__weight_decay``.
        Training batches are shuffled each epoch (``iterator_train__shuffle``
        defaults to True here, unlike skorch) in an order seeded by
        ``random_state``.
    {skorch_params} : see :class:`skorch.NeuralNet`
        skorch's own parameters, with skorch's defaults (listed so that
        ``repr`` and the notebook display show only the ones you changed).""",
    "common_attributes": """\
    module_ : torch.nn.Module
        The fitted network.
    history_ : skorch.History
        Per-epoch losses and callback scores (skorch's history).
    device_ : str
        The device the model was trained on (``device`` resolved).
    n_outputs_ : int
        Outputs of the network (classes or regression targets).""",
}


def _fill_doc(cls):
    """Substitute the shared ``{common_params}`` blocks into ``cls.__doc__``."""
    if cls.__doc__:
        doc = cls.__doc__
        for key, text in _SHARED_DOC.items():
            doc = doc.replace("{" + key + "}", text.strip("\n").lstrip())
        doc = doc.replace("{skorch_params}", ", ".join(_skorch_keyword_defaults(cls)))
        cls.__doc__ = doc
    return cls


# Parameters the estimators take through ``**kwargs`` with a default of their own.
_KWARG_DEFAULTS = {"iterator_train__shuffle": True}


def _skorch_keyword_defaults(cls):
    """``{name: default}`` of skorch's parameters that ``cls.__init__`` takes through **kwargs.

    Read from the ``__init__`` of the skorch classes ``cls`` derives from
    (``NeuralNet``, ``NeuralNetClassifier`` ...), then ``_KWARG_DEFAULTS``.
    """
    own = set(cls.__init__._own_names)  # set by _merge_skorch_signature
    extra = {}
    for base in cls.__mro__:
        init = base.__dict__.get("__init__")
        if init is None or not base.__module__.startswith("skorch"):
            continue
        for p in inspect.signature(init).parameters.values():
            if (p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) or p.default is p.empty
                    or p.name in own or p.name in extra):
                continue
            extra[p.name] = p.default
    return {**extra, **_KWARG_DEFAULTS}


def _merge_skorch_signature(cls):
    """Give ``cls.__init__`` a signature listing skorch's keyword parameters.

    The estimators pass skorch's parameters (``callbacks``, ``dataset`` ...) through
    ``**kwargs``. scikit-learn reads defaults from ``inspect.signature(__init__)``
    (``repr``, the HTML display, ``print_changed_only``), so without them every such
    parameter counted as changed and a model in a Pipeline listed ten of skorch's
    defaults. The signature now names them with the defaults they really have.
    """
    init = cls.__dict__["__init__"]
    sig = inspect.signature(init)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    var_kw = [p for p in sig.parameters.values() if p.kind is p.VAR_KEYWORD]
    init._own_names = [p.name for p in params]
    extra = _skorch_keyword_defaults(cls)
    params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
               for name, default in extra.items()]
    init.__signature__ = sig.replace(parameters=params + var_kw)


# --------------------------------------------------------------------------- #
# Data helpers
# --------------------------------------------------------------------------- #
class _LazyDataset(_SkorchDataset):
    """skorch's Dataset, reading one sample at a time (works on ``np.memmap``).

    Each item is copied out of its (possibly memory-mapped, read-only) array, so
    only the current batch is ever resident.
    """

    def transform(self, X, y):
        if isinstance(X, dict):
            X = {k: np.array(v) for k, v in X.items()}
        else:
            X = np.array(X)
        y = np.zeros(0, dtype=np.float32) if y is None else y
        return X, y


def _scale_batch(x):
    """uint8 -> float32 in [0, 1]; other floats -> float32 (on the batch's device)."""
    if isinstance(x, dict):
        return {k: _scale_batch(v) for k, v in x.items()}
    if not isinstance(x, torch.Tensor):
        return x
    if x.dtype == torch.uint8:
        return x.float().div_(255.0)
    if x.is_floating_point() and x.dtype != torch.float32:
        return x.float()
    return x


def _in_parallel_worker():
    """True inside a joblib/loky/multiprocessing/dask worker or a non-main thread."""
    if threading.current_thread() is not threading.main_thread():
        return True
    if multiprocessing.parent_process() is not None:
        return True
    return multiprocessing.current_process().name != "MainProcess"


def _sample_rows(X, max_rows=8):
    """A few evenly spaced rows of a (possibly memory-mapped) array."""
    n = X.shape[0]
    idx = np.unique(np.linspace(0, n - 1, num=min(n, max_rows)).astype(int))
    return np.asarray(X[idx])


def _check_finite_float(X, name, lazy):
    if X.dtype.kind != "f":
        return
    data = _sample_rows(X) if lazy else X
    if not np.isfinite(data).all():
        raise ValueError(f"Input {name} contains NaN or infinity.")


# --------------------------------------------------------------------------- #
# The mixin
# --------------------------------------------------------------------------- #
class _SkorchConventions:
    """skemotion's conventions on top of skorch's ``NeuralNet``.

    Subclasses set ``_input_kind`` to ``"sequence"`` (``(n, T, F)``, 2-D read as
    ``T=1``), ``"frames"`` (``(n, H, W, C)`` or ``(n, T, H, W, C)``),
    ``"clips"`` (``(n, T, H, W, C)``) or ``"fusion"`` (a mapping with
    ``video`` and ``audio`` arrays), and ``_is_classifier``.
    """

    _input_kind = "sequence"
    _is_classifier = True
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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            _merge_skorch_signature(cls)

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
        tags.input_tags.three_d_array = self._input_kind == "sequence"
        tags.input_tags.two_d_array = self._input_kind == "sequence"
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        if self._input_kind == "fusion":
            tags.input_tags.dict = True
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
        if self._is_classifier:
            crit = self.criterion
            if isinstance(crit, str):
                if crit not in _CLASSIFIER_CRITERIA:
                    raise ValueError(
                        f"The 'criterion' parameter of {type(self).__name__} must be a torch "
                        f"loss or a str among {sorted(_CLASSIFIER_CRITERIA)}. Got {crit!r} instead."
                    )
            elif crit is torch.nn.NLLLoss or isinstance(crit, torch.nn.NLLLoss):
                raise ValueError(
                    f"{type(self).__name__} networks return logits, so criterion=NLLLoss (which "
                    "expects log-probabilities) would train on the wrong quantity and can diverge "
                    "to NaN. Use torch.nn.CrossEntropyLoss (the default)."
                )
            cw = getattr(self, "class_weight", None)
            if not (cw is None or cw == "balanced" or isinstance(cw, dict)):
                raise ValueError(
                    f"The 'class_weight' parameter of {type(self).__name__} must be 'balanced', "
                    f"a dict or None. Got {cw!r} instead."
                )
        elif isinstance(self.criterion, str) and self.criterion not in _REGRESSOR_CRITERIA:
            raise ValueError(
                f"The 'criterion' parameter of {type(self).__name__} must be a torch loss or a "
                f"str among {sorted(_REGRESSOR_CRITERIA)}. Got {self.criterion!r} instead."
            )

    def _layout(self):
        return {
            "sequence": "(n_samples, n_steps, n_features) or (n_samples, n_features)",
            "frames": "(n_samples, height, width, channels) or "
            "(n_samples, n_frames, height, width, channels) with channels 1 or 3",
            "clips": "(n_samples, n_frames, height, width, channels) with channels 1 or 3",
        }[self._input_kind]

    def _check_video(self, X, name, ndims, reset):
        """Validate a frames array without reading a memmap whole."""
        lazy = isinstance(X, np.memmap)
        if not isinstance(X, np.ndarray):
            if hasattr(X, "__sklearn_tags__") or X is None or isinstance(X, str):
                raise TypeError(f"Expected {name} as an array; got {type(X).__name__}.")
            X = np.asarray(X)
        expected = (
            self._layout()
            if name == "X"
            else "(n_samples, n_frames, height, width, channels) with channels 1 or 3"
        )
        if X.ndim not in ndims or X.shape[-1] not in _FRAME_CHANNELS:
            raise ValueError(f"Expected {name} of shape {expected}; got {X.shape}.")
        if X.dtype != np.uint8 and X.dtype.kind not in "fiu":
            raise ValueError(
                f"Expected {name} of dtype uint8 (0-255) or float (0-1); got dtype {X.dtype}."
            )
        if X.shape[0] == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required.")
        _check_finite_float(X, name, lazy)
        if X.dtype.kind in "iu" and X.dtype != np.uint8:
            X = X.astype(np.float32) / 255.0
        elif X.dtype == np.float64 and not lazy:
            X = X.astype(np.float32)
        frame_shape = tuple(int(v) for v in X.shape[-3:])
        key = "frame_shape_" if name == "X" else f"{name}_frame_shape_"
        if reset:
            setattr(self, key, frame_shape)
        elif frame_shape != getattr(self, key):
            raise ValueError(
                f"{name} has frames of shape {frame_shape}, but {type(self).__name__} was "
                f"fitted on frames of shape {getattr(self, key)}."
            )
        return X

    def _check_sequence(self, X, reset, name="X"):
        if isinstance(X, np.memmap) and X.ndim == 3:
            _check_finite_float(X, name, lazy=True)
            F = X.shape[2]
        else:
            if name == "X":
                ndim = np.ndim(X) if isinstance(X, np.ndarray) else None
                if ndim == 3:
                    X = check_array(X, allow_nd=True, dtype=np.float32, input_name=name)
                else:
                    X = validate_data(self, X, reset=reset, dtype=np.float32)
                    X = X[:, None, :]
            else:
                X = check_array(X, allow_nd=True, dtype=np.float32, input_name=name, ensure_2d=False)
                if X.ndim == 2:
                    X = X[:, None, :]
            if X.ndim != 3:
                raise ValueError(
                    f"Expected {name} of shape (n_samples, n_steps, n_features) or "
                    f"(n_samples, n_features); got {X.shape}."
                )
            F = X.shape[2]
        key = "n_features_in_" if name == "X" else f"n_{name}_features_"
        if reset:
            setattr(self, key, F)
            if name == "X" and np.ndim(X) == 3 and hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif F != getattr(self, key):
            raise ValueError(
                f"X has {F} features, but {type(self).__name__} is expecting "
                f"{getattr(self, key)} features as input."
            )
        return X

    def _check_X(self, X, reset):
        kind = self._input_kind
        if kind == "sequence":
            return self._check_sequence(X, reset)
        if kind == "frames":
            return self._check_video(X, "X", (4, 5), reset)
        if kind == "clips":
            return self._check_video(X, "X", (5,), reset)
        # fusion
        if not hasattr(X, "keys") or not {"video", "audio"} <= set(X.keys()):
            raise ValueError(
                f"Expected X as a mapping (skorch SliceDict, see ModalityUnion) with keys "
                f"'video' of shape (n_samples, n_frames, height, width, channels) and 'audio' "
                f"of shape (n_samples, n_steps, n_features); got {type(X).__name__}"
                + (f" with keys {sorted(X.keys())}." if hasattr(X, "keys") else ".")
            )
        video = self._check_video(X["video"], "video", (5,), reset)
        audio = self._check_sequence(X["audio"], reset, name="audio")
        check_consistent_length(video, audio)
        from skorch.helper import SliceDict

        return SliceDict(video=video, audio=audio)

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
    def _derived_module_kwargs(self):
        if self._input_kind == "sequence":
            return {"n_features": self.n_features_in_, "n_outputs": self.n_outputs_}
        if self._input_kind == "fusion":
            return {
                "frame_shape": self.video_frame_shape_,
                "n_audio_features": self.n_audio_features_,
                "n_outputs": self.n_outputs_,
            }
        return {"frame_shape": self.frame_shape_, "n_outputs": self.n_outputs_}

    def initialize_module(self):
        kwargs = self.get_params_for("module")
        module = self._default_module if self.module is None else self.module
        if isinstance(module, torch.nn.Module):
            self.module_ = self.initialized_instance(module, kwargs)
            return self
        derived = self._derived_module_kwargs() if hasattr(self, "n_outputs_") else {}
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
            table = _CLASSIFIER_CRITERIA if self._is_classifier else _REGRESSOR_CRITERIA
            crit = table[crit]
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
            return _LazyDataset(X, y, **self.get_params_for("dataset"))
        return super().get_dataset(X, y)

    def get_split_datasets(self, X, y=None, **fit_params):
        groups = getattr(self, "_fit_groups", None)
        if self.train_split is None and getattr(self, "early_stopping", False):
            from sklearn.model_selection import (
                GroupShuffleSplit,
                ShuffleSplit,
                StratifiedShuffleSplit,
            )

            seed = getattr(self, "_fit_seed", None)
            frac = self.validation_fraction
            dataset = self.get_dataset(X, y)
            idx = np.arange(len(dataset))
            if groups is not None:
                if len(np.unique(groups)) < 2:
                    raise ValueError(
                        "early_stopping=True with groups needs at least 2 distinct groups to hold "
                        "some out for validation."
                    )
                splitter = GroupShuffleSplit(1, test_size=frac, random_state=seed)
                train, valid = next(splitter.split(idx, groups=groups))
            else:
                strat = self._is_classifier and np.min(np.bincount(np.asarray(y))) >= 2
                splitter = (StratifiedShuffleSplit if strat else ShuffleSplit)(
                    1, test_size=frac, random_state=seed
                )
                train, valid = next(splitter.split(idx, np.asarray(y) if strat else None))
            return (
                torch.utils.data.Subset(dataset, train),
                torch.utils.data.Subset(dataset, valid),
            )
        if groups is not None and self.train_split is not None:
            fit_params = {**fit_params, "groups": groups}
        return super().get_split_datasets(X, y, **fit_params)

    def get_iterator(self, dataset, training=False):
        prefix = "iterator_train" if training else "iterator_valid"
        kwargs = self.get_params_for(prefix)
        iterator = self.iterator_train if training else self.iterator_valid
        kwargs.setdefault("batch_size", self.batch_size)
        if kwargs["batch_size"] == -1:
            kwargs["batch_size"] = len(dataset)
        if self._uses_cuda():
            kwargs.setdefault("pin_memory", True)
        return iterator(dataset, **kwargs)

    # ------------------------------------------------------------------ steps
    def infer(self, x, **fit_params):
        with self._skorch_device():
            x = _scale_batch(to_tensor(x, device=self.device))
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
        self._fit_groups = groups
        self._fit_seed = seed
        try:
            with torch_threads(self._threads()), _seeded(seed, self.device_):
                self.initialize()
                type(self).__mro__[self._net_index()].partial_fit(self, X, y_train, **fit_params)
        finally:
            del self._fit_groups
            del self._fit_seed
        return self

    def _net_index(self):
        from skorch import NeuralNet

        # the first skorch class after the mixin chain: its partial_fit does not re-enter ours
        for i, klass in enumerate(type(self).__mro__):
            if klass is NeuralNet:
                return i
        raise RuntimeError("not a skorch NeuralNet")  # pragma: no cover

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
        with torch_threads(self._threads()), _seeded(seed, self.device_):
            type(self).__mro__[self._net_index()].partial_fit(self, X, y_train, **fit_params)
        return self

    def _predict_scores(self, X):
        from sklearn.utils.validation import check_is_fitted
        from skorch.utils import is_dataset

        check_is_fitted(self)
        if not is_dataset(X):  # skorch's own scoring callbacks pass validated Subsets
            X = self._check_X(X, reset=False)
        with torch_threads(self._threads()):
            return self.forward(X, training=False)


@contextlib.contextmanager
def _seeded(seed, device):
    """Seed torch and numpy inside the block and restore their global state after."""
    if seed is None:
        yield
        return
    devices = [torch.cuda.current_device()] if str(device).startswith("cuda") else []
    # the legacy global RNG is what skorch and sklearn helpers draw from when unseeded
    np_state = np.random.get_state()  # noqa: NPY002
    try:
        with torch.random.fork_rng(devices=devices):
            torch.manual_seed(seed)
            if devices:
                torch.cuda.manual_seed_all(seed)
            np.random.seed(seed % (2**32))  # noqa: NPY002
            yield
    finally:
        np.random.set_state(np_state)  # noqa: NPY002
