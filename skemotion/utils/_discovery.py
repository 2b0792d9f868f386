"""Find every public estimator skemotion defines (like ``sklearn.utils.all_estimators``)."""

import importlib
import inspect

__all__ = ["all_estimators"]

_PUBLIC_SUBPACKAGES = ("audio", "video", "face", "models", "model_selection", "metrics")


def all_estimators(type_filter=None):
    """List ``(name, class)`` for every public skemotion estimator, sorted by name.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "transformer"} or None, default=None
        Keep only estimators of that kind.

    Examples
    --------
    >>> from skemotion.utils import all_estimators
    >>> names = [name for name, _ in all_estimators()]
    >>> names == sorted(names)
    True
    """
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin

    mixins = {
        "classifier": ClassifierMixin,
        "regressor": RegressorMixin,
        "transformer": TransformerMixin,
    }
    found = {}
    for sub in _PUBLIC_SUBPACKAGES:
        try:
            module = importlib.import_module(f"skemotion.{sub}")
        except ImportError:  # an optional extra is missing
            continue
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
                and not name.startswith("_")
            ):
                found[name] = obj
    result = sorted(found.items())
    if type_filter is not None:
        result = [(n, c) for n, c in result if issubclass(c, mixins[type_filter])]
    return result
