"""LiteRT interpreters for the ``.tflite`` models shipped in ``skemotion/face/data``.

LiteRT (``ai-edge-litert``, the ``blazeface`` extra) is imported on first use
only, so ``import skemotion.face`` works without it.
"""

import threading
from pathlib import Path

__all__ = ["DATA", "cached_interpreter", "has_litert", "import_litert"]

DATA = Path(__file__).resolve().parent / "data"

_LITERT_HINT = (
    "{owner} needs the LiteRT runtime: install it with "
    "`pip install skemotion[blazeface]` (ai-edge-litert)."
)

# interpreters are neither picklable nor thread-safe: one per thread, model file and thread count
_INTERPRETERS = threading.local()


def import_litert(owner="BlazeFaceDetector"):
    """Import LiteRT's ``Interpreter``, raising an ImportError that says how to install it.

    Parameters
    ----------
    owner : str, default="BlazeFaceDetector"
        The class named in the error message.

    Returns
    -------
    type
        ``ai_edge_litert.interpreter.Interpreter``.

    Raises
    ------
    ImportError
        When ``ai-edge-litert`` is not installed.
    """
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError as exc:
        raise ImportError(_LITERT_HINT.format(owner=owner)) from exc
    return Interpreter


def cached_interpreter(file_name, num_threads, *, owner, prepare=None):
    """This thread's allocated interpreter for ``data/file_name``, created on first use.

    Parameters
    ----------
    file_name : str
        A ``.tflite`` file in ``skemotion/face/data``.
    num_threads : int
        CPU threads LiteRT may use.
    owner : str
        The class named in the ImportError when LiteRT is missing.
    prepare : callable or None
        Called once with the allocated interpreter; its result (tensor indices,
        anchors ...) is cached and returned with it.

    Returns
    -------
    interpreter, prepared
        The interpreter and what ``prepare`` returned (None without it).
    """
    cache = getattr(_INTERPRETERS, "models", None)
    if cache is None:
        cache = _INTERPRETERS.models = {}
    key = (file_name, num_threads)
    if key not in cache:
        Interpreter = import_litert(owner)
        interpreter = Interpreter(model_path=str(DATA / file_name), num_threads=num_threads)
        interpreter.allocate_tensors()
        cache[key] = (interpreter, prepare(interpreter) if prepare is not None else None)
    return cache[key]


def has_litert():
    """Whether the LiteRT runtime is installed (``pip install skemotion[blazeface]``).

    :class:`BlazeFaceDetector`, :class:`FaceLandmarker` and the landmark options of
    :class:`FaceCropper` (``align=True``, ``mask_shape="hull"``) need it; presets
    and examples use landmark alignment when it is there.

    Returns
    -------
    bool

    Examples
    --------
    >>> from skemotion.face import has_litert
    >>> isinstance(has_litert(), bool)
    True
    """
    import importlib.util

    try:
        return importlib.util.find_spec("ai_edge_litert.interpreter") is not None
    except (ImportError, ValueError):  # the parent package missing, or a None module
        return False
