"""Pipelines described in a YAML or JSON file.

The file lists steps; each names an estimator class by its public import path
and gives its parameters. Only scikit-learn estimators (subclasses of
``sklearn.base.BaseEstimator``) from public modules of ``skemotion`` and
``sklearn`` can be named: no function, no other class and no ``_private``
module, so a file can only build estimators with plain parameter values (it
can still make them read and write the files those parameters name). Lists of
numbers become tuples (``size: [64, 64]``)::

    steps:
      - name: frames
        class: skemotion.video.FrameSampler
        params: {n_frames: 8, size: [64, 64]}
      - name: model
        class: skemotion.models.CNNLSTMClassifier
        params: {max_epochs: 10, module__hidden_size: 40}
"""

import importlib
import json
from pathlib import Path

from ._errors import UserError

__all__ = ["load_pipeline_spec"]

_ALLOWED_ROOTS = ("skemotion", "sklearn")


class SpecError(UserError, ValueError):
    """A pipeline file that cannot be built: names the file, the step and why."""


def _estimator_class(path, where):
    """The BaseEstimator subclass at public import path ``path``, or SpecError."""
    from sklearn.base import BaseEstimator

    parts = path.split(".") if isinstance(path, str) else []
    if len(parts) < 2 or parts[0] not in _ALLOWED_ROOTS or not all(p.isidentifier() for p in parts):
        raise SpecError(f"{where}: class must be a skemotion.* or sklearn.* import path; got {path!r}.")
    if any(p.startswith("_") for p in parts):
        raise SpecError(f"{where}: class must be a public import path (no _private part); got {path!r}.")
    module_name, attr = ".".join(parts[:-1]), parts[-1]
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        raise SpecError(f"{where}: no class {path!r}.") from None
    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
        raise SpecError(f"{where}: {path!r} is not a scikit-learn estimator class "
                        "(a subclass of sklearn.base.BaseEstimator).")
    return cls


def _build(node, where):
    if isinstance(node, dict) and "class" in node:
        cls = _estimator_class(node["class"], where)
        params = {k: _build(v, f"{where}.{k}") for k, v in (node.get("params") or {}).items()}
        if "steps" in node:
            params["steps"] = _steps(node["steps"], where)
        try:
            return cls(**params)
        except (TypeError, ValueError) as exc:
            raise SpecError(f"{where}: {exc}") from None
    if isinstance(node, list):
        built = [_build(v, f"{where}[{i}]") for i, v in enumerate(node)]
        return tuple(built) if all(isinstance(v, int | float) for v in built) else built
    if isinstance(node, dict):
        return {k: _build(v, f"{where}.{k}") for k, v in node.items()}
    return node


def _steps(steps, where):
    if not isinstance(steps, list) or not steps:
        raise SpecError(f"{where}: 'steps' must be a non-empty list of {{name, class, params}}.")
    out = []
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or "name" not in step or "class" not in step:
            raise SpecError(f"{where}: step {i} needs 'name' and 'class'.")
        out.append((step["name"], _build(step, f"{where}.steps[{i}]")))
    return out


def load_pipeline_spec(path):
    """Build a Pipeline from a YAML (``.yml``/``.yaml``) or JSON file."""
    from sklearn.pipeline import Pipeline

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such pipeline file: '{path}'")
    text = path.read_text()
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SpecError(f"'{path}' is not valid YAML: {exc}") from None
    else:
        try:
            spec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(f"'{path}' is not valid JSON ({exc}); YAML files end in .yml or .yaml.") from None
    if not isinstance(spec, dict) or "steps" not in spec:
        raise SpecError(f"'{path}': expected a mapping with a 'steps' list.")
    return Pipeline(_steps(spec["steps"], path.name))
