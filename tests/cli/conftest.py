"""Corpus trees for the command's tests, laid out by the builders of tests/datasets.

The dataset builders write empty files; the command decodes them, so the trees
here replace each recording with real media written by the bundled ffmpeg.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DATASET_TESTS = Path(__file__).resolve().parents[1] / "datasets"


def dataset_builders(name):
    """The module tests/datasets/test_loaders_<name>.py, for its build_<name> and constants."""
    path = DATASET_TESTS / f"test_loaders_{name}.py"
    spec = importlib.util.spec_from_file_location(f"_cli_builders_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_cli(*args, env_home=None, timeout=600, executable=None):
    """Run the command in a subprocess, as a user would."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("SKEMOTION_DEBUG", None)
    if env_home is not None:
        env["SKEMOTION_DATA"] = str(env_home)
    command = [executable] if executable else [sys.executable, "-m", "skemotion"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=timeout)


@pytest.fixture(scope="session")
def run_cli():
    """``run_cli(*args, env_home=None, executable=None)``: the command in a subprocess."""
    return _run_cli


@pytest.fixture(scope="session")
def dfew_tree(tmp_path_factory, synthetic_corpus):
    """DFEW's layout (20 clips, 5 official folds of 4 test clips) with real mp4 clips."""
    builders = dataset_builders("dfew")
    root = builders.build_dfew(tmp_path_factory.mktemp("dfew"))
    for i, clip in enumerate(sorted((root / "Clip" / "original").rglob("*.mp4"))):
        shutil.copyfile(synthetic_corpus.data[i], clip)
    return root, builders


@pytest.fixture(scope="session")
def recola_tree(tmp_path_factory):
    """RECOLA's layout (3 sessions rated for 2.4 s) with 3 s wav and mp4 recordings."""
    from skemotion.io import write_audio, write_video

    builders = dataset_builders("recola")
    root = builders.build_recola(tmp_path_factory.mktemp("recola"))
    sr, fps = 16000, 10
    t = np.arange(3 * sr) / sr
    for k, session in enumerate(builders.SESSIONS):
        audio = (0.3 * np.sin(2 * np.pi * (220 + 110 * k) * t)).astype(np.float32)
        (root / "recordings_audio" / f"{session}.wav").unlink()  # the builder's empty file
        write_audio(root / "recordings_audio" / f"{session}.wav", audio, sr)
        frames = np.full((3 * fps, 32, 32, 3), 60 * k, dtype=np.uint8)
        frames[:, 8:24, 8:24] = np.arange(3 * fps, dtype=np.uint8)[:, None, None, None] * 8
        (root / "recordings_video" / f"{session}.mp4").unlink()
        write_video(root / "recordings_video" / f"{session}.mp4", frames, fps=fps, audio=audio, sr=sr)
    return root, builders


@pytest.fixture(scope="session")
def ravdess_tree(tmp_path_factory):
    """RAVDESS's layout, audio and video zips, empty files (for the loaders' choice of files)."""
    builders = dataset_builders("ravdess")
    return builders.build_ravdess(tmp_path_factory.mktemp("ravdess"), video=True)
