"""Session fixtures shared by the whole suite: real media written by the bundled ffmpeg."""

from pathlib import Path

import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data():
    """Path to ../shared/data (real CREMA-D clips); skips when the clone has none beside it."""
    if not (SHARED_DATA / "crema-d").is_dir():
        pytest.skip(f"real media not available: {SHARED_DATA} does not exist beside this clone")
    return SHARED_DATA


def _link_tree(src, dst, *, depth, files):
    """Mirror ``src`` at ``dst``: entries ``depth`` levels down are symbolic links into
    ``src`` (folders and files); with ``files=True`` every file is a link and every folder
    real. A link ``dst/cycle -> dst`` is added, as a trap for walks that loop."""
    dst.mkdir(parents=True)
    for entry in sorted(src.iterdir()):
        target = dst / entry.name
        if files and entry.is_dir():
            _link_tree(entry, target, depth=depth, files=True)
            (target / "cycle").unlink()
        elif files or depth <= 1:
            target.symlink_to(entry, target_is_directory=entry.is_dir())
        elif entry.is_dir():
            _link_tree(entry, target, depth=depth - 1, files=False)
            (target / "cycle").unlink()
        else:
            target.symlink_to(entry)
    (dst / "cycle").symlink_to(dst, target_is_directory=True)
    return dst


@pytest.fixture
def linked_copy(tmp_path):
    """``linked_copy(src, depth=1, files=False)``: a copy of the corpus folder ``src`` made of
    symbolic links (folders ``depth`` levels down, or every file), plus a link cycle."""
    made = []

    def make(src, *, depth=1, files=False):
        dst = tmp_path / f"linked_{len(made)}"
        made.append(dst)
        return _link_tree(Path(src), dst, depth=depth, files=files)

    return make


@pytest.fixture(scope="session")
def ravdess_speech(shared_data):
    """The shared RAVDESS speech copy (FLAC) loaded by ``load_ravdess``; skips without it."""
    from skemotion.datasets import load_ravdess

    root = shared_data / "ravdess-speech"
    if not root.is_dir():
        pytest.skip(f"real speech not available: {root} does not exist beside this clone")
    return load_ravdess(root)


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory):
    """An 8-frame 32x32 H.264/AAC mp4 at 16 fps with 0.5 s of a 440 Hz tone."""
    from skemotion.io import write_video

    rng = np.random.default_rng(0)
    t = np.arange(8)[:, None, None, None]
    frames = (rng.integers(0, 40, (8, 32, 32, 3)) + t * 25).astype(np.uint8)
    sr = 16000
    audio = 0.3 * np.sin(2 * np.pi * 440 * np.arange(sr // 2) / sr).astype(np.float32)
    path = tmp_path_factory.mktemp("tiny") / "tiny.mp4"
    write_video(path, frames, fps=16, audio=audio, sr=sr)
    return str(path)


@pytest.fixture(scope="session")
def synthetic_corpus(tmp_path_factory):
    """32 synthetic clips: 4 classes, 4 actors, 1 s at 15 fps, 64x64, with audio, seed 0."""
    from skemotion.datasets import make_synthetic_expressions

    out = tmp_path_factory.mktemp("synthetic")
    return make_synthetic_expressions(
        32, out, n_classes=4, n_actors=4, duration=1.0, fps=15, size=(64, 64), random_state=0
    )


def pytest_configure(config):
    # Under pytest-xdist each worker is a separate process on a shared machine:
    # one torch thread each, or two workers' thread pools oversubscribe the cores
    # (measured 1.5x to 40x slower fits).
    import os

    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)

    # Tests also call librosa directly; loading its numba kernels here, one process
    # at a time (the controller compiles, each worker loads), keeps two workers from
    # compiling one kernel at once and leaving a cache that crashes (numba #10128).
    from skemotion.audio._kernels import ensure_librosa_kernels

    ensure_librosa_kernels()


def pytest_terminal_summary(terminalreporter):
    # Figures a test attached to its report (``user_properties``, e.g. the identity-
    # leakage scores) are printed at the end: under pytest-xdist a worker's own
    # output never reaches the terminal, its reports do.
    lines = []
    for report in terminalreporter.stats.get("passed", []):
        figures = [(k, v) for k, v in getattr(report, "user_properties", ()) if isinstance(v, float)]
        if report.when == "call" and figures:
            shown = ", ".join(f"{k} = {v:.3f}" for k, v in figures)
            lines.append(f"{report.nodeid.split('::')[-1]}: {shown}")
    if lines:
        terminalreporter.section("measured figures")
        for line in lines:
            terminalreporter.line(line)
