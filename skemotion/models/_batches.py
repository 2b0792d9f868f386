"""What reaches the network: samples read one at a time, batches scaled on the device.

Frames stay uint8 until each batch is on its device (4x less memory and
transfer than float32), and ``np.memmap`` inputs are read one sample at a
time, so only the current batch is resident.
"""

import numpy as np
import torch
from skorch.dataset import Dataset

__all__ = ["LazyDataset", "scale_batch"]


class LazyDataset(Dataset):
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


def scale_batch(x):
    """uint8 -> float32 in [0, 1]; other floats -> float32 (on the batch's device)."""
    if isinstance(x, dict):
        return {k: scale_batch(v) for k, v in x.items()}
    if not isinstance(x, torch.Tensor):
        return x
    if x.dtype == torch.uint8:
        return x.float().div_(255.0)
    if x.is_floating_point() and x.dtype != torch.float32:
        return x.float()
    return x
