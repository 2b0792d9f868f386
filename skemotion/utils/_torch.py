"""Torch helpers imported lazily (``import skemotion`` must not import torch)."""

import contextlib

__all__ = ["resolve_device", "torch_threads"]


def resolve_device(device="auto"):
    """Resolve ``"auto"`` to ``"cuda"`` when a GPU is present, else ``"cpu"``.

    Parameters
    ----------
    device : str or torch.device, default="auto"
        Any other value is returned unchanged.

    Examples
    --------
    >>> from skemotion.utils import resolve_device
    >>> resolve_device("cpu")
    'cpu'
    >>> resolve_device("auto") in ("cpu", "cuda")
    True
    """
    if device is None or device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@contextlib.contextmanager
def torch_threads(n_threads):
    """Temporarily set torch's intra-op thread count (``None`` leaves it as is).

    With joblib ``n_jobs > 1`` each worker should use one thread: measured on 2
    cores, oversubscribed torch ran 1.5x to 40x slower.

    Parameters
    ----------
    n_threads : int or None
        Threads for the duration of the ``with`` block.

    Examples
    --------
    >>> import torch
    >>> from skemotion.utils import torch_threads
    >>> before = torch.get_num_threads()
    >>> with torch_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    if n_threads is None:
        yield
        return
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(int(n_threads))
    try:
        yield
    finally:
        torch.set_num_threads(previous)
