"""Docstrings and ``__init__`` signatures of the estimators, written once.

Each estimator's docstring carries a ``{parameters}`` placeholder; :func:`fill_doc`
replaces it with the Parameters and Attributes sections: the ``module__*`` list
generated from the default network's signature, the family's own entries
(criterion, class weights) and the text every model shares (imblearn's
``Substitution`` idea). :func:`merge_init_signature` gives ``__init__`` a
signature that names every parameter it takes through ``**kwargs``.
"""

import inspect
import textwrap

__all__ = ["KWARG_DEFAULTS", "fill_doc", "merge_init_signature", "module_parameters"]

# Parameters the estimators take through ``**kwargs`` with a default of their own:
# skorch's DataLoader keeps the input order unless told otherwise, and corpora
# sorted by actor or class would give one-class batches.
KWARG_DEFAULTS = {"iterator_train__shuffle": True}

_PARAMETERS = """\
    Parameters
    ----------
    module : torch.nn.Module class or instance, default=None
        {module_text}
{family_params}
    lr : float, default=1e-3
        Learning rate of the optimizer.
    max_epochs : int, default=10
        Training epochs (upper bound when ``early_stopping=True``).
    batch_size : int, default=32
        Mini-batch size for training and prediction.
    optimizer : torch optimizer class, default=torch.optim.Adam
        Optimizer; its arguments are reachable as ``optimizer__*``.
    train_split : callable or None, default=None
        skorch's internal validation split, called as skorch calls it, with the
        ``groups`` given to ``fit`` added. ``None`` trains on all data; set
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
        split through generators of the fit's own (a ``torch.Generator`` and a
        numpy ``SeedSequence``), so global random state is never read or
        changed and fits in parallel threads do not disturb each other. The
        same seed gives the same predictions on CPU whatever ``n_jobs`` a
        search uses.
    device : {{"auto", "cpu", "cuda"}} or torch.device, default="auto"
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
        ``repr`` and the notebook display show only the ones you changed).

    Attributes
    ----------
{family_attributes}
    module_ : torch.nn.Module
        The fitted network.
    history_ : skorch.History
        Per-epoch losses and callback scores (skorch's history).
    device_ : str
        The device the model was trained on (``device`` resolved).
    n_outputs_ : int
        Outputs of the network (classes or regression targets).
    train_split_ : callable or None
        The internal split of the last ``fit`` or ``partial_fit`` call, bound to
        its ``groups``."""


def _format_default(value):
    return f'"{value}"' if isinstance(value, str) else repr(value)


def module_parameters(network, sizes):
    """``{name: default}`` of the arguments of ``network`` that ``module__*`` sets.

    Parameters
    ----------
    network : type
        A network class.
    sizes : iterable of str
        Its data-derived arguments, which the estimator fills in.

    Returns
    -------
    params : dict
        In signature order.
    """
    sig = inspect.signature(network)
    return {
        p.name: p.default
        for p in sig.parameters.values()
        if p.name not in sizes and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def _parameters_section(cls):
    sizes = list(cls._input.sizes)
    params = module_parameters(cls._default_module, sizes)
    listing = ", ".join(f"``module__{k}`` ({_format_default(v)})" for k, v in params.items())
    text = (
        f"The network; ``None`` uses :class:`~skemotion.models.networks."
        f"{cls._default_module.__name__}`. Its data-derived sizes "
        f"({', '.join(f'``{s}``' for s in sizes)}) are set from the training data; its other "
        f"arguments are ``module__*`` parameters that searches can tune (defaults in "
        f"brackets): {listing}."
    )
    text = textwrap.fill(text, width=88, initial_indent=" " * 8, subsequent_indent=" " * 8,
                         break_on_hyphens=False, break_long_words=False).lstrip()
    return _PARAMETERS.format(
        module_text=text,
        family_params=cls._family_doc["params"].rstrip("\n"),
        family_attributes=cls._family_doc["attributes"].rstrip("\n"),
        skorch_params=", ".join(_skorch_keyword_defaults(cls)),
    )


def fill_doc(cls):
    """Class decorator: put the generated sections in place of ``{parameters}``."""
    if cls.__doc__ and "{parameters}" in cls.__doc__:
        cls.__doc__ = cls.__doc__.replace("    {parameters}", _parameters_section(cls))
    return cls


def _init_parameters(cls, own):
    """Keyword parameters of the ``__init__`` s along the MRO (ours or skorch's), first wins."""
    params = {}
    for base in cls.__mro__:
        init = base.__dict__.get("__init__")
        mine = base.__module__.startswith("skemotion")
        if init is None or mine is not own or not (mine or base.__module__.startswith("skorch")):
            continue
        for p in _raw_signature(init).parameters.values():
            if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                params.setdefault(p.name, p)
    return params


def _raw_signature(init):
    """The signature as written (not the merged one that lists skorch's names)."""
    saved = init.__dict__.pop("__signature__", None)
    try:
        return inspect.signature(init)
    finally:
        if saved is not None:
            init.__signature__ = saved


def _skorch_keyword_defaults(cls):
    """``{name: default}`` of skorch's parameters that our ``__init__`` s take through **kwargs."""
    ours = _init_parameters(cls, own=True)
    extra = {
        name: p.default
        for name, p in _init_parameters(cls, own=False).items()
        if name not in ours and p.default is not p.empty
    }
    return {**extra, **KWARG_DEFAULTS}


def merge_init_signature(cls):
    """Give ``cls.__init__`` a signature listing every parameter it really takes.

    The estimators pass shared and skorch parameters (``lr``, ``callbacks``,
    ``dataset`` ...) on through ``**kwargs``. scikit-learn reads defaults from
    ``inspect.signature(__init__)`` (``repr``, the HTML display,
    ``print_changed_only``), so every parameter missing there counted as
    changed, and a model in a Pipeline listed ten of skorch's defaults.
    """
    init = cls.__dict__["__init__"]
    ours = list(_init_parameters(cls, own=True).values())
    positional = [p for p in ours if p.kind is not p.KEYWORD_ONLY]
    keyword = [p.replace(kind=p.KEYWORD_ONLY) for p in ours if p.kind is p.KEYWORD_ONLY]
    keyword += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
        for name, default in _skorch_keyword_defaults(cls).items()
    ]
    var_kw = inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    init.__signature__ = inspect.Signature([self_param, *positional, *keyword, var_kw])
