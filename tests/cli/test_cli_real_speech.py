"""`skemotion evaluate --modality audio` on real speech (../shared/data/ravdess-speech), then `predict`."""

import shutil

import pytest

pytestmark = pytest.mark.slow


def test_cli_evaluates_real_speech_and_predicts_unseen_speakers(ravdess_speech, tmp_path, run_cli):
    """Check `skemotion evaluate --modality audio` (no preset) on 3 actors, then `predict` another."""
    root = tmp_path / "ravdess"
    for actor in (11, 16, 17):
        source = next(p for p in ravdess_speech.data if f"Actor_{actor}" in p).rsplit("/", 1)[0]
        shutil.copytree(source, root / f"Actor_{actor}")
    out = tmp_path / "out"
    proc = run_cli("evaluate", "--dataset", "ravdess", "--modality", "audio", "--data", root,
                   "--cv", "3", "--n-jobs", "1", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "using speech-functionals" in proc.stdout
    assert (out / "model.joblib").is_file()
    unseen = [p for p in ravdess_speech.data if "Actor_24" in p][:4]
    proc = run_cli("predict", out / "model.joblib", *unseen)
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.strip().splitlines()
    assert rows[0] == "media,prediction" and len(rows) == 5
    assert {row.rsplit(",", 1)[1] for row in rows[1:]} <= set(ravdess_speech.target_names)
