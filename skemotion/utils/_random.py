"""Seeding without global state.

Each sample gets its own generator from the estimator's seed and the sample's
index, so a transformer's output does not depend on how CV slices the data.
"""

import numbers

import numpy as np

__all__ = ["seed_int", "sample_rng"]


def seed_int(random_state):
    """Turn a ``random_state`` into a reproducible non-negative int (or None).

    Parameters
    ----------
    random_state : int, numpy.random.RandomState or None
        ``None`` gives ``None`` (fresh entropy); an int is returned unchanged;
        a RandomState draws one int (and so advances).

    Examples
    --------
    >>> from skemotion.utils import seed_int
    >>> seed_int(7)
    7
    >>> seed_int(None) is None
    True
    """
    if random_state is None:
        return None
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    raise ValueError(
        "random_state must be an int, a numpy.random.RandomState instance or None. "
        f"Got {random_state!r} instead."
    )


def sample_rng(random_state, index):
    """The generator for sample ``index`` under ``random_state``.

    Parameters
    ----------
    random_state : int, numpy.random.RandomState or None
        The estimator's seed; ``None`` gives a fresh, unseeded generator.
    index : int
        Position of the sample in the input.

    Returns
    -------
    rng : numpy.random.Generator
        Seeded from ``[seed, index]``.

    Examples
    --------
    >>> from skemotion.utils import sample_rng
    >>> float(sample_rng(0, 3).random()) == float(sample_rng(0, 3).random())
    True
    """
    seed = seed_int(random_state)
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([seed, int(index)])
