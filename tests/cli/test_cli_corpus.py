"""The ``skemotion corpus`` command, run as a user would: in a subprocess."""

import subprocess
import sys
from pathlib import Path


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "skemotion", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_corpus_writes_clips_and_prints_summary(tmp_path):
    """Check that `skemotion corpus` writes decodable clips and prints counts per class."""
    out = tmp_path / "corpus"
    proc = run("corpus", "--out", str(out), "--n-samples", "8", "--n-actors", "2", "--size", "32")
    assert proc.returncode == 0, proc.stderr
    assert "synthetic corpus: 8 clips" in proc.stdout
    assert "clips per class:" in proc.stdout
    clips = sorted(Path(out).rglob("*.mp4"))
    assert len(clips) == 8


def test_user_errors_exit_2_without_traceback(tmp_path):
    """Check that a bad value prints one line and exits with status 2."""
    proc = run("corpus", "--out", str(tmp_path / "c"), "--n-samples", "0")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("skemotion corpus: error:")
    assert run().returncode == 2  # no subcommand: help, status 2
    assert run("corpus", "--help").returncode == 0
