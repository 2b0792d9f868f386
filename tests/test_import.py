"""Import cost: the package and its data-side subpackages load without the heavy libraries."""

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "librosa", "cv2", "matplotlib")

# Every subpackage except ``models``: its skorch estimators subclass skorch's
# NeuralNet classes, which need torch when the class is defined.
LIGHT = [
    "skemotion",
    "skemotion.audio",
    "skemotion.cli",
    "skemotion.datasets",
    "skemotion.exceptions",
    "skemotion.face",
    "skemotion.io",
    "skemotion.metrics",
    "skemotion.model_selection",
    "skemotion.utils",
    "skemotion.video",
]


def heavy_modules_after(statement):
    """Run ``statement`` in a fresh interpreter; return the heavy modules it loaded."""
    code = (
        "import json, sys\n"
        f"{statement}\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_light_subpackages_do_not_import_heavy_libraries():
    """Check that importing skemotion and its data-side subpackages loads no torch, librosa,
    cv2 or matplotlib (they are imported where they are used)."""
    assert heavy_modules_after("import " + ", ".join(LIGHT)) == []


def test_lazy_attribute_access_stays_light():
    """Check that reaching subpackages through ``skemotion.<name>`` attributes stays light."""
    names = [m.split(".", 1)[1] for m in LIGHT if "." in m]
    assert heavy_modules_after(
        "import skemotion\n" + "\n".join(f"skemotion.{n}" for n in names)
    ) == []


@pytest.mark.parametrize("statement, expected", [("import torch", ["torch"])])
def test_the_check_sees_heavy_imports(statement, expected):
    """Check that the probe above does report a heavy module that was imported."""
    assert heavy_modules_after(statement) == expected
