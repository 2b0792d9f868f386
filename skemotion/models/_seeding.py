"""Seeding a fit through local generators, never torch's or numpy's global state.

torch has one default generator per process, which every thread shares: the
weight initialisation in ``nn.Module`` constructors, dropout masks and the
DataLoader's shuffle all draw from it when no generator is given. Seeding it
(or forking it with ``torch.random.fork_rng``) inside ``fit`` therefore leaks
into, and races with, fits running in other threads.

:class:`LocalGenerator` is a :class:`torch.overrides.TorchFunctionMode`.
Function modes are thread-local, so while a fit runs inside one, the torch
calls of that thread (and only that thread) that draw random numbers get the
fit's own ``torch.Generator``: every function that takes a ``generator``
argument (``nn.init.*``, ``Tensor.uniform_``, ``torch.randint`` ...) receives
it, and dropout draws its mask from it. The training DataLoader's sampler and
its workers' base seed draw through the same generator (exactly the draws an
unseeded DataLoader makes from the global generator, so a seed gives the
weights and batch orders it gave when ``fit`` seeded the global generator);
outside a fit, :func:`loader_generator` hands a DataLoader a fresh generator
of its own.

Not covered: random ops inside torch's C++ kernels that take no generator,
which here is only the dropout *between* the layers of a multi-layer
``nn.LSTM`` (``num_layers > 1`` with ``dropout > 0``); it still draws from
torch's global generator.
"""

import contextvars
import inspect

import torch
from torch.nn import functional as F
from torch.overrides import TorchFunctionMode

__all__ = ["LocalGenerator", "loader_generator"]

# builtins (no Python signature to read) that take ``generator=``
_BUILTIN_DRAWS = frozenset(
    [
        torch.Tensor.uniform_, torch.Tensor.normal_, torch.Tensor.bernoulli_,
        torch.Tensor.random_, torch.Tensor.exponential_, torch.Tensor.geometric_,
        torch.Tensor.log_normal_, torch.Tensor.cauchy_, torch.rand, torch.randn,
        torch.randint, torch.randperm, torch.normal, torch.bernoulli, torch.multinomial,
        torch.poisson,
    ]
)
# channel-wise dropout: the input rank at which the call is batched
_CHANNEL_DROPOUT = {F.dropout1d: 3, F.dropout2d: 4, F.dropout3d: 5}

_takes_generator_cache = {}
_active = contextvars.ContextVar("skemotion_local_generator", default=None)


def _takes_generator(func):
    try:
        return _takes_generator_cache[func]
    except (KeyError, TypeError):
        pass
    try:
        takes = "generator" in inspect.signature(func).parameters
    except (TypeError, ValueError):  # a builtin without a signature
        takes = func in _BUILTIN_DRAWS
    try:
        _takes_generator_cache[func] = takes
    except TypeError:  # unhashable callable
        pass
    return takes


class LocalGenerator(TorchFunctionMode):
    """Route the random draws of torch calls in this thread to local generators.

    Parameters
    ----------
    seed : int or None
        ``None`` seeds from fresh entropy (still without touching global state).

    Examples
    --------
    >>> import torch
    >>> from skemotion.models._seeding import LocalGenerator
    >>> before = torch.random.get_rng_state()
    >>> with LocalGenerator(0):
    ...     a = torch.nn.Linear(3, 2).weight.detach().clone()
    >>> with LocalGenerator(0):
    ...     b = torch.nn.Linear(3, 2).weight.detach().clone()
    >>> bool(torch.equal(a, b)), bool(torch.equal(before, torch.random.get_rng_state()))
    (True, True)
    """

    def __init__(self, seed):
        super().__init__()
        # None: one seed from the OS for all devices (still no global state)
        self._seed = torch.Generator().seed() if seed is None else int(seed)
        self._generators = {}
        self._token = None

    def generator(self, device="cpu"):
        """The generator for tensors on ``device`` (made on first use, from the same seed)."""
        device = torch.device(device)
        key = (device.type, device.index)
        if key not in self._generators:
            self._generators[key] = torch.Generator(device).manual_seed(self._seed)
        return self._generators[key]

    def __enter__(self):
        self._token = _active.set(self)
        return super().__enter__()

    def __exit__(self, *exc):
        _active.reset(self._token)
        return super().__exit__(*exc)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is F.dropout or func in _CHANNEL_DROPOUT:
            return self._dropout(func, *args, **kwargs)
        if kwargs.get("generator") is None and _takes_generator(func):
            kwargs["generator"] = self.generator(_device_of(args, kwargs))
        return func(*args, **kwargs)

    def _dropout(self, func, input, p=0.5, training=True, inplace=False):
        if not training or p == 0.0:
            return input
        if p == 1.0:
            return input.mul(0.0) if not inplace else input.mul_(0.0)
        shape = input.shape
        if func in _CHANNEL_DROPOUT:  # one draw per channel (and sample, when batched)
            batched = input.ndim == _CHANNEL_DROPOUT[func]
            keep = 2 if batched else 1
            shape = tuple(input.shape[:keep]) + (1,) * (input.ndim - keep)
        mask = input.new_empty(shape).bernoulli_(1.0 - p, generator=self.generator(input.device))
        mask.div_(1.0 - p)
        return input.mul_(mask) if inplace else input * mask


def _device_of(args, kwargs):
    device = kwargs.get("device")
    if device is not None:
        return device
    for arg in args:
        if isinstance(arg, torch.Tensor):
            return arg.device
    return "cpu"


def loader_generator():
    """A generator for a DataLoader, or ``None`` inside a fit (which serves its draws).

    Without a generator even an unshuffled prediction DataLoader draws its
    workers' base seed from torch's global generator.

    Returns
    -------
    generator : torch.Generator or None
        A fresh CPU generator seeded by the OS outside a fit.
    """
    if _active.get() is not None:
        return None
    generator = torch.Generator()
    generator.seed()  # fresh entropy from the OS, not from the global generator
    return generator
