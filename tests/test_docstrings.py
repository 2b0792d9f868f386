"""Every public class and function documents its parameters (numpydoc) and has Examples."""

import importlib
import inspect

import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

SUBPACKAGES = ["io", "utils", "video", "face", "audio", "models", "metrics", "model_selection",
               "datasets", "exceptions"]


def public_objects():
    for sub in SUBPACKAGES:
        module = importlib.import_module(f"skemotion.{sub}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"skemotion.{sub}.{name}", obj


OBJECTS = sorted(dict(public_objects()).items())


def own_parameters(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    return [p.name for p in sig.parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


@pytest.mark.parametrize("name, obj", OBJECTS, ids=[n for n, _ in OBJECTS])
def test_public_docstring(name, obj):
    """Check that the docstring has a summary, an Examples section and documents every parameter."""
    assert obj.__doc__, f"{name} has no docstring"
    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    assert doc["Summary"], f"{name}: no summary line"
    assert ">>>" in "\n".join(doc["Examples"]), f"{name}: no runnable Examples section"
    if inspect.isclass(obj) and obj.__init__ is object.__init__:
        return
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return
    documented = set()
    # Dataclass fields are documented as Attributes.
    sections = doc["Parameters"] + (doc["Attributes"] if inspect.isclass(obj) else [])
    for param in sections:
        for part in param.name.split(","):
            documented.add(part.strip().lstrip("*"))
    missing = [p for p in own_parameters(obj) if p not in documented]
    assert not missing, f"{name}: parameters not documented: {missing}"
