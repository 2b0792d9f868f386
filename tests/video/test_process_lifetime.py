"""A killed FrameSampler leaves nothing running: its workers and their ffmpeg die with it."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import psutil
import pytest

_CHILD = """
import sys
from skemotion.video import FrameSampler
paths = [sys.argv[1]] * 64
print("started", flush=True)
while True:
    FrameSampler(n_frames=16, size=(32, 32), seek=False, n_jobs=int(sys.argv[2])).fit_transform(paths)
"""


def _alive(proc):
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_sigkill_of_the_parent_leaves_no_worker_or_ffmpeg(tmp_path, n_jobs):
    """Check that after SIGKILL of a process sampling with n_jobs=2 (or in-process), none
    of the worker processes or ffmpeg children it started is alive 5 s later."""
    from skemotion.io import write_video

    clip = tmp_path / "long.mp4"
    levels = (np.arange(250) % 250).astype(np.uint8)
    write_video(clip, np.broadcast_to(levels[:, None, None, None], (250, 64, 64, 3)).copy(), fps=25)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "OMP_NUM_THREADS": "1"}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(clip), str(n_jobs)],
                             stdout=subprocess.PIPE, env=env)
    try:
        assert child.stdout.readline().strip() == b"started"
        parent = psutil.Process(child.pid)
        seen = {}
        # Record every descendant (workers, their ffmpeg, joblib's helpers, the guards)
        # until each worker (or the process itself, with n_jobs=1) has started an ffmpeg.
        decoding = set()
        for _ in range(1200):
            for p in parent.children(recursive=True):
                seen.setdefault(p.pid, p)
                try:
                    if "ffmpeg" in p.name():
                        decoding.add(p.ppid())
                except psutil.NoSuchProcess:
                    pass
            if (len(decoding - {child.pid}) >= 2) if n_jobs == 2 else (child.pid in decoding):
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the sampler never ran ffmpeg in its workers: {decoding}")
        assert child.poll() is None
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and any(_alive(p) for p in seen.values()):
            time.sleep(0.1)
        left = [(p.pid, " ".join(p.cmdline())[:120]) for p in seen.values() if _alive(p)]
        assert left == []
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
