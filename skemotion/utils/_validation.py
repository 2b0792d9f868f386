"""Parameter and shape validation with scikit-learn's wording.

sklearn's own ``_param_validation`` is private, so skemotion carries this small
public equivalent. Messages read "The 'n_frames' parameter of FrameSampler must
be an int in the range [1, inf). Got 0 instead.", raised as sklearn's
``InvalidParameterError`` (a ``ValueError`` and a ``TypeError``), so code that
catches scikit-learn's parameter errors catches ours; only that error class is
taken from the private module, with a stand-in if it ever moves.
"""

import numbers
from dataclasses import dataclass

import numpy as np

try:
    from sklearn.utils._param_validation import InvalidParameterError
except ImportError:  # pragma: no cover - a future scikit-learn that moved it

    class InvalidParameterError(ValueError, TypeError):
        """A parameter value outside its constraints (scikit-learn's class, where it lives)."""

__all__ = ["Interval", "Options", "Size", "validate_params", "check_array_shape", "size_to_wh"]


@dataclass(frozen=True)
class Interval:
    """A numeric range constraint.

    Parameters
    ----------
    type : {int, float}
        ``int`` accepts integers only; ``float`` accepts any real number.
    left, right : float or None
        Bounds; ``None`` means unbounded.
    closed : {"left", "right", "both", "neither"}, default="both"
        Which bounds are included.

    Examples
    --------
    >>> from skemotion.utils import Interval
    >>> Interval(int, 1, None, closed="left").is_satisfied_by(3)
    True
    >>> str(Interval(float, 0, 1, closed="both"))
    'a float in the range [0, 1]'
    """

    type: type
    left: float | None = None
    right: float | None = None
    closed: str = "both"

    def is_satisfied_by(self, value):
        if isinstance(value, bool | np.bool_):
            return False
        if self.type is int:
            if not isinstance(value, numbers.Integral):
                return False
        elif not isinstance(value, numbers.Real):
            return False
        if isinstance(value, float) and np.isnan(value):
            return False
        left_ok = (
            self.left is None
            or value > self.left
            or (value == self.left and self.closed in ("left", "both"))
        )
        right_ok = (
            self.right is None
            or value < self.right
            or (value == self.right and self.closed in ("right", "both"))
        )
        return left_ok and right_ok

    def __str__(self):
        kind = "an int" if self.type is int else "a float"
        lb = "[" if self.closed in ("left", "both") and self.left is not None else "("
        rb = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        left = "-inf" if self.left is None else f"{self.left:g}"
        right = "inf" if self.right is None else f"{self.right:g}"
        return f"{kind} in the range {lb}{left}, {right}{rb}"


@dataclass(frozen=True)
class Options:
    """A constraint accepting one of a fixed set of values (usually strings).

    Parameters
    ----------
    options : iterable
        The accepted values.

    Examples
    --------
    >>> from skemotion.utils import Options
    >>> str(Options({"rgb", "gray"}))
    "a str among {'gray', 'rgb'}"
    """

    options: frozenset

    def __init__(self, options):
        object.__setattr__(self, "options", frozenset(options))

    def is_satisfied_by(self, value):
        try:
            return value in self.options
        except TypeError:
            return False

    def __str__(self):
        kinds = {type(o) for o in self.options}
        kind = "a str" if kinds == {str} else "a value"
        return f"{kind} among {{{', '.join(repr(o) for o in sorted(self.options, key=str))}}}"


@dataclass(frozen=True)
class Size:
    """An image-size constraint: an int (a square) or a ``(width, height)`` pair.

    The one vocabulary for output sizes across skemotion (``FrameSampler``,
    ``FaceCropper``, ``FaceMasker``): ``(width, height)`` like OpenCV and
    ffmpeg, or one int for a square. Use :func:`size_to_wh` to read it.

    Examples
    --------
    >>> from skemotion.utils._validation import Size
    >>> Size().is_satisfied_by(32), Size().is_satisfied_by((32, 24))
    (True, True)
    >>> Size().is_satisfied_by((32, 0))
    False
    >>> str(Size())
    'an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf)'
    """

    def is_satisfied_by(self, value):
        side = Interval(int, 1, None, closed="left")
        if side.is_satisfied_by(value):
            return True
        return (
            isinstance(value, tuple | list)
            and len(value) == 2
            and all(side.is_satisfied_by(v) for v in value)
        )

    def __str__(self):
        side = Interval(int, 1, None, closed="left")
        return f"{side}, a (width, height) pair of {str(side).replace('an int', 'ints')}"


def size_to_wh(size):
    """``(width, height)`` of a size that satisfies :class:`Size`, or None.

    Parameters
    ----------
    size : int, tuple of (int, int) or None
        One int for a square, or ``(width, height)``.

    Returns
    -------
    wh : tuple of (int, int) or None

    Examples
    --------
    >>> from skemotion.utils._validation import size_to_wh
    >>> size_to_wh(32), size_to_wh((48, 24)), size_to_wh(None)
    ((32, 32), (48, 24), None)
    """
    if size is None:
        return None
    if isinstance(size, tuple | list):
        return int(size[0]), int(size[1])
    return int(size), int(size)


def _describe(constraint):
    if constraint is None:
        return "None"
    if constraint == "boolean":
        return "an instance of 'bool'"
    if constraint == "random_state":
        return "an int, a numpy.random.RandomState instance or None"
    if constraint == "array-like":
        return "an array-like"
    if constraint == "callable":
        return "a callable"
    if constraint == "path":
        return "a str or os.PathLike"
    if constraint == "cache":
        return "a str, an os.PathLike or a joblib.Memory"
    if isinstance(constraint, type):
        return f"an instance of {constraint.__name__!r}"
    if isinstance(constraint, tuple):  # tuple of types
        return " or ".join(f"an instance of {t.__name__!r}" for t in constraint)
    return str(constraint)


def _satisfied(constraint, value):
    import os

    if constraint is None:
        return value is None
    if constraint == "boolean":
        return isinstance(value, bool | np.bool_)
    if constraint == "random_state":
        return (
            value is None
            or isinstance(value, np.random.RandomState)
            or (isinstance(value, numbers.Integral) and not isinstance(value, bool))
        )
    if constraint == "array-like":
        return hasattr(value, "__len__") or hasattr(value, "__array__")
    if constraint == "callable":
        return callable(value)
    if constraint == "path":
        return isinstance(value, str | os.PathLike)
    if constraint == "cache":  # a directory, or an object with one (joblib.Memory)
        return isinstance(value, str | os.PathLike) or hasattr(value, "location")
    if isinstance(constraint, type | tuple):
        return isinstance(value, constraint)
    return constraint.is_satisfied_by(value)


def validate_params(owner, params, constraints):
    """Check parameter values against constraints, raising sklearn-style errors.

    Parameters
    ----------
    owner : object or str
        The estimator (its class name is used) or a function name.
    params : dict
        Mapping of parameter name to value, e.g. ``self.get_params(deep=False)``.
    constraints : dict
        Mapping of parameter name to a list of accepted constraints: ``None``,
        a type or tuple of types, :class:`Interval`, :class:`Options`, or one of
        the strings ``"boolean"``, ``"random_state"``, ``"array-like"``,
        ``"callable"``, ``"path"``, ``"cache"`` (a directory or a
        ``joblib.Memory``). Names absent from ``constraints`` are not
        checked.

    Raises
    ------
    InvalidParameterError
        scikit-learn's (a ``ValueError`` and a ``TypeError``), when a value
        satisfies none of its constraints.

    Examples
    --------
    >>> from skemotion.utils import Interval, validate_params
    >>> validate_params("FrameSampler", {"n_frames": 0},
    ...                 {"n_frames": [Interval(int, 1, None, closed="left")]})
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: The 'n_frames' parameter of FrameSampler must be an int in the range [1, inf). Got 0 instead.
    """
    name_of_owner = owner if isinstance(owner, str) else type(owner).__name__
    for name, accepted in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if any(_satisfied(c, value) for c in accepted):
            continue
        descriptions = [_describe(c) for c in accepted]
        if len(descriptions) > 1:
            wanted = ", ".join(descriptions[:-1]) + " or " + descriptions[-1]
        else:
            wanted = descriptions[0]
        raise InvalidParameterError(
            f"The {name!r} parameter of {name_of_owner} must be {wanted}. Got {value!r} instead."
        )


def check_array_shape(X, expected, *, name="X", ndim=None, last_dim=None):
    """Check an array's number of dimensions and, optionally, its last axis.

    Parameters
    ----------
    X : ndarray
        Array to check.
    expected : str
        The expected layout in words, e.g. ``"(n_samples, n_frames, height, width, 3)"``.
    name : str, default="X"
        How the array is named in the message.
    ndim : int or tuple of int or None, default=None
        Accepted numbers of dimensions.
    last_dim : int or tuple of int or None, default=None
        Accepted sizes of the last axis (channels).

    Raises
    ------
    ValueError
        "Expected X of shape (n_samples, n_frames, height, width, 3); got (4, 16, 64, 64)."

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.utils import check_array_shape
    >>> check_array_shape(np.zeros((4, 16, 64, 64)), "(n_samples, n_frames, height, width, 3)",
    ...                   ndim=5)
    Traceback (most recent call last):
    ...
    ValueError: Expected X of shape (n_samples, n_frames, height, width, 3); got (4, 16, 64, 64).
    """
    shape = tuple(np.shape(X))
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    lasts = (last_dim,) if isinstance(last_dim, int) else last_dim
    bad = (ndims is not None and len(shape) not in ndims) or (
        lasts is not None and (not shape or shape[-1] not in lasts)
    )
    if bad:
        raise ValueError(f"Expected {name} of shape {expected}; got {shape}.")
