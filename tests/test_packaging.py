"""What the wheel and the sdist hold: the package and its licence, no test scaffolding."""

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    """Wheel and sdist built by setuptools from a copy of the source tree (the tree stays clean)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "conftest.py"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "skemotion", src / "skemotion",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(ROOT / "tests", src / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = src / "dist"
    code = ("from setuptools import build_meta as b; "
            f"b.build_wheel({str(out)!r}); b.build_sdist({str(out)!r})")
    subprocess.run([sys.executable, "-c", code], cwd=src, check=True, capture_output=True)
    wheel = next(out.glob("*.whl"))
    sdist = next(out.glob("*.tar.gz"))
    with zipfile.ZipFile(wheel) as zf:
        wheel_names = zf.namelist()
        metadata = zf.read(next(n for n in wheel_names if n.endswith(".dist-info/METADATA"))).decode()
    with tarfile.open(sdist) as tf:
        sdist_names = [name.split("/", 1)[1] for name in tf.getnames() if "/" in name]
    return wheel_names, metadata, sdist_names


def test_wheel_ships_the_package_and_licence_only(dists):
    """Check the wheel's file list: package code and data, the licence, no tests or conftest."""
    names, metadata, _ = dists
    tops = {name.split("/")[0] for name in names}
    assert tops == {"skemotion", next(t for t in tops if t.endswith(".dist-info"))}
    assert not [n for n in names if Path(n).name == "conftest.py" or "/tests/" in f"/{n}"]
    assert not [n for n in names if re.match(r"test_.*\.py$", Path(n).name)]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for needed in ("skemotion/py.typed", "skemotion/face/data/face_detection_short_range.tflite",
                   "skemotion/face/data/face_landmark.tflite",
                   "skemotion/face/data/NOTICE-MEDIAPIPE.txt", "skemotion/face/_testing.py"):
        assert needed in names
    assert "License-Expression: BSD-3-Clause" in metadata
    assert "Classifier: License ::" not in metadata


def test_sdist_has_the_licence_and_no_partial_test_suite(dists):
    """Check that the sdist has LICENSE and ships either no tests or all of them with conftest."""
    _, _, names = dists
    assert "LICENSE" in names and "pyproject.toml" in names
    tests = [n for n in names if n.startswith("tests/") or Path(n).name == "conftest.py"]
    assert tests == []  # MANIFEST.in prunes them; see its comment
