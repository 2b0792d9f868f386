"""Shared helpers: parameter checks, seeding, device resolution, estimator discovery."""

from ._discovery import all_estimators
from ._random import sample_rng, seed_int
from ._torch import resolve_device, torch_threads
from ._validation import Interval, Options, check_array_shape, validate_params

__all__ = [
    "Interval",
    "Options",
    "all_estimators",
    "check_array_shape",
    "resolve_device",
    "sample_rng",
    "seed_int",
    "torch_threads",
    "validate_params",
]
