"""The detector names that ``detector=`` parameters accept.

Apart from ``_detectors`` (the base class and the Haar cascade), which
``_blazeface`` builds on: the registry imports both, so neither imports the
other's module back.
"""

from ._blazeface import BlazeFaceDetector
from ._detectors import FaceDetector, HaarCascadeDetector

__all__ = ["get_detector"]


def _registry():
    """Detector names accepted by ``get_detector``."""
    return {"blazeface": BlazeFaceDetector, "haar": HaarCascadeDetector}


def get_detector(detector):
    """Turn a ``detector`` parameter value into a detector instance.

    Parameters
    ----------
    detector : {"haar", "blazeface"} or FaceDetector
        A registered name (``"haar"``: :class:`HaarCascadeDetector`,
        ``"blazeface"``: :class:`BlazeFaceDetector`, which needs ``pip install
        skemotion[blazeface]``), or an instance (returned unchanged).

    Returns
    -------
    FaceDetector

    Examples
    --------
    >>> from skemotion.face import get_detector
    >>> get_detector("haar")
    HaarCascadeDetector()
    """
    registry = _registry()
    if isinstance(detector, str) and detector in registry:
        return registry[detector]()
    if isinstance(detector, FaceDetector):
        return detector
    raise ValueError(
        "The 'detector' parameter must be a str among "
        f"{{{', '.join(repr(k) for k in sorted(registry))}}} or a FaceDetector instance. "
        f"Got {detector!r} instead."
    )
