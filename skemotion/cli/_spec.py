"""Pipelines described in a YAML or JSON file.

The file lists steps; each names a class by its import path (only from
``skemotion`` and ``sklearn``, so a spec cannot run arbitrary code) and its
parameters. Lists become tuples where the class expects a pair (``size``)::

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

__all__ = ["load_pipeline_spec"]

_ALLOWED_ROOTS = ("skemotion.", "sklearn.")


class SpecError(ValueError):
    pass


def _build(node, where):
    if isinstance(node, dict) and "class" in node:
        path = node["class"]
        if not isinstance(path, str) or not path.startswith(_ALLOWED_ROOTS):
            raise SpecError(f"{where}: class must be a skemotion.* or sklearn.* import path; got {path!r}.")
        module_name, _, attr = path.rpartition(".")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError):
            raise SpecError(f"{where}: no class {path!r}.") from None
        params = {k: _build(v, f"{where}.{k}") for k, v in (node.get("params") or {}).items()}
        if "steps" in node:
            params["steps"] = _steps(node["steps"], where)
        try:
            return cls(**params)
        except TypeError as exc:
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

        spec = yaml.safe_load(text)
    else:
        spec = json.loads(text)
    if not isinstance(spec, dict) or "steps" not in spec:
        raise SpecError(f"'{path}': expected a mapping with a 'steps' list.")
    return Pipeline(_steps(spec["steps"], path.name))
