"""librosa's numba kernels are compiled one process at a time (numba issue #10128)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from skemotion.audio._kernels import ensure_librosa_kernels, interprocess_lock

_HOLD = textwrap.dedent(
    """
    import json, sys, time
    from skemotion.audio._kernels import interprocess_lock
    with interprocess_lock(sys.argv[1]):
        start = time.monotonic()
        time.sleep(0.5)
        end = time.monotonic()
    print(json.dumps([start, end]))
    """
)


def test_interprocess_lock_lets_one_process_in_at_a_time(tmp_path):
    """Check that processes holding the lock file never overlap."""
    lock = str(tmp_path / "kernels.lock")
    procs = [
        subprocess.Popen([sys.executable, "-c", _HOLD, lock], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    spans = sorted(json.loads(p.communicate(timeout=60)[0]) for p in procs)
    assert all(p.returncode == 0 for p in procs)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start >= end, spans


def test_lock_is_released_when_the_block_raises(tmp_path):
    """Check an error inside the block does not leave the lock held."""
    lock = str(tmp_path / "kernels.lock")
    with pytest.raises(RuntimeError), interprocess_lock(lock):
        raise RuntimeError("boom")
    out = subprocess.run(
        [sys.executable, "-c", _HOLD, lock], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr


def test_kernels_are_exercised_once_per_process(monkeypatch):
    """Check later calls neither lock nor recompute, and a failed warm-up is retried."""
    from skemotion.audio import _kernels

    ensure_librosa_kernels()

    def fail(*args, **kwargs):
        raise AssertionError("called again")

    monkeypatch.setattr(_kernels, "interprocess_lock", fail)
    monkeypatch.setattr(_kernels, "_exercise_kernels", fail)
    ensure_librosa_kernels()  # ready: neither is called

    monkeypatch.setitem(_kernels._state, "ready", False)
    monkeypatch.setattr(_kernels, "interprocess_lock", lambda: interprocess_lock(os.devnull))

    def broken():
        raise RuntimeError("librosa is broken")

    monkeypatch.setattr(_kernels, "_exercise_kernels", broken)
    with pytest.raises(RuntimeError, match="librosa is broken"):
        ensure_librosa_kernels()
    assert _kernels._state == {"ready": False, "warming": False}


def test_an_unwritable_lock_file_costs_the_protection_not_the_transform(monkeypatch, tmp_path):
    """Check the warm-up still runs when the lock file cannot be opened."""
    from skemotion.audio import _kernels

    missing = tmp_path / "no-such-dir" / "kernels.lock"
    monkeypatch.setitem(_kernels._state, "ready", False)
    monkeypatch.setattr(_kernels, "interprocess_lock", lambda: interprocess_lock(str(missing)))
    ran = []
    monkeypatch.setattr(_kernels, "_exercise_kernels", lambda: ran.append(True))
    ensure_librosa_kernels()
    assert ran == [True] and _kernels._state["ready"]


_FIRST_USE = textwrap.dedent(
    """
    import numpy as np
    from skemotion.audio import SpectralFeatures
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 16000)).astype(np.float32)
    SpectralFeatures(sr=16000, features=("mfcc", "zcr", "f0", "voicing")).fit_transform(X)
    print("ok")
    """
)

_LOAD = textwrap.dedent(
    """
    import numpy as np, librosa
    y = np.sin(2 * np.pi * 200 * np.arange(16000) / 16000)
    for dtype in (np.float32, np.float64):
        librosa.yin(y.astype(dtype), fmin=60, fmax=500, sr=16000)
        librosa.feature.zero_crossing_rate(y.astype(dtype))
    print("ok")
    """
)


@pytest.mark.slow
def test_concurrent_first_use_on_a_fresh_cache_leaves_a_loadable_cache(tmp_path):
    """Check two processes starting together on an empty numba cache leave one that loads.

    Unlocked, the two could write the two files of one kernel each, and every
    later process loading that kernel would crash with a segmentation fault.
    """
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FIRST_USE],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and out.strip() == "ok", (proc.returncode, err[-2000:])
    cached = {p.name for p in (tmp_path / "numba-cache").rglob("guf-*.nbi")}
    assert any("localmin" in name for name in cached), cached
    assert any("zc_wrapper" in name for name in cached), cached
    load = subprocess.run(
        [sys.executable, "-c", _LOAD], capture_output=True, text=True, env=env, timeout=300
    )
    assert load.returncode == 0 and load.stdout.strip() == "ok", (load.returncode, load.stderr)
