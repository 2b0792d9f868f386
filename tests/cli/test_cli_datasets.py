"""`--dataset dfew | recola | ravdess`: on trees laid out like the releases."""

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from skemotion.cli._commands import _describe
from skemotion.cli._data import load_data
from skemotion.cli._errors import UserError


def _args(dataset, data, **kwargs):
    defaults = {"preset": "face-cnn-lstm", "pipeline": None, "modality": None, "n_samples": 16,
                "random_state": 0}
    return SimpleNamespace(dataset=dataset, data=str(data), **{**defaults, **kwargs})


def _test_sets(root):
    """Official test clips of each fold, read from the split files."""
    folder = root / "EmoLabel_DataSplit" / "test(single-labeled)"
    return {k: sorted(pd.read_csv(folder / f"set_{k}.csv")["video_name"]) for k in range(1, 6)}


def test_dfew_groups_are_the_official_folds(dfew_tree):
    """Check that --dataset dfew gives every test clip of the 5 folds, grouped by its fold."""
    root, builders = dfew_tree
    data = load_data(_args("dfew", root), "video")
    assert len(data.X) == builders.N_CLIPS and data.group_name == "official fold"
    clips = np.array([int(Path(p).stem) for p in data.X])
    for fold, members in _test_sets(root).items():
        assert sorted(clips[data.groups == fold]) == members
    labels = {c: builders.NAMES[builders._label(c) - 1] for c in clips}
    assert list(data.y) == [labels[c] for c in clips]


def test_evaluate_dfew_runs_the_official_protocol(dfew_tree, run_cli, tmp_path):
    """Check that `evaluate --dataset dfew` holds out one official fold per CV fold."""
    root, _ = dfew_tree
    out = tmp_path / "out"
    proc = run_cli("evaluate", "--dataset", "dfew", "--data", root, "--preset", "audio-logreg",
                   "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "5-fold cross-validation grouped by official fold (5 official folds)" in proc.stdout
    folds = pd.read_csv(out / "cv_results.csv")
    assert sorted(folds["test_groups"].astype(str)) == ["1", "2", "3", "4", "5"]
    assert folds["n_test"].tolist() == [4] * 5
    report = json.loads((out / "report.json").read_text())
    assert report["n_samples"] == 20 and report["n_groups"] == 5 and report["task"] == "classification"
    assert (out / "confusion_matrix.png").is_file()


@pytest.mark.parametrize("modality, suffix", [("audio", ".wav"), ("video", ".mp4")])
def test_recola_valence_windows(recola_tree, modality, suffix):
    """Check that --dataset recola gives 2 s windows of mean valence from the preset's recordings."""
    root, builders = recola_tree
    data = load_data(_args("recola", root), modality)
    assert data.task == "regression" and data.y.shape == (6,) and data.y.dtype == np.float32
    assert data.group_name == "session" and sorted(set(data.groups)) == sorted(builders.SESSIONS)
    assert {Path(x.split("#t=")[0]).suffix for x in data.X} == {suffix}
    session = builders.SESSIONS[1]
    valence = builders._ratings(session, "valence").mean(axis=1)
    expected = [valence[:50].mean(), valence[50:].mean()]  # [0, 2) and [2, 4) s, ratings every 40 ms
    np.testing.assert_allclose(data.y[data.groups == session], expected, rtol=1e-5)
    rows = data.timeline[data.timeline["recording"] == session]
    assert rows["start"].tolist() == [0.0, 2.0] and rows["end"].tolist() == [2.0, 4.0]


def test_evaluate_recola_regression_timeline(recola_tree, run_cli, tmp_path):
    """Check `evaluate --dataset recola`: CCC/RMSE by session and a timeline figure."""
    root, _ = recola_tree
    out = tmp_path / "out"
    proc = run_cli("evaluate", "--dataset", "recola", "--data", root, "--preset", "audio-logreg",
                   "--cv", "3", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "grouped by session (3 sessions)" in proc.stdout
    report = json.loads((out / "report.json").read_text())
    assert report["task"] == "regression" and report["n_samples"] == 6
    assert set(report["scores"]) == {"ccc", "pearson_r", "rmse", "mae"}
    assert (out / "timeline.png").is_file()
    assert len(pd.read_csv(out / "predictions.csv")) == 6
    proc = run_cli("evaluate", "--dataset", "recola", "--data", root, "--preset", "fusion", "--out", out)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "separate files" in proc.stderr


@pytest.mark.parametrize(
    "preset, pipeline, modality, prefix",
    [
        ("audio-logreg", None, None, "03-"),  # audio only
        ("audio-lstm", None, None, "03-"),
        ("face-cnn-lstm", None, None, "02-"),  # video only
        ("fusion", None, None, "01-"),  # both tracks of one file
        ("face-cnn-lstm", "pipe.yaml", None, "01-"),  # a pipeline file may read either
        ("face-cnn-lstm", "pipe.yaml", "audio", "03-"),
        (None, None, "audio", "03-"),  # no preset: the recommended speech pipeline
        (None, None, None, "02-"),  # no preset, no modality: the face CNN-LSTM
    ],
)
def test_ravdess_files_follow_the_preset(ravdess_tree, preset, pipeline, modality, prefix):
    """Check that RAVDESS gives audio, video-only or audio-visual files as the pipeline needs."""
    args = _args("ravdess", ravdess_tree, preset=preset, pipeline=pipeline, modality=modality)
    what, needs = _describe(args)
    if preset is None and pipeline is None:
        assert what == ("speech-functionals" if modality == "audio" else "face-cnn-lstm")
    data = load_data(args, needs)
    assert len(data.X) and {Path(p).name[:3] for p in data.X} == {prefix}
    assert data.group_name == "actor" and set(data.groups) == {1, 2}


def test_loader_errors_are_user_errors(tmp_path):
    """Check that a tree the loader refuses is a user mistake, not a crash."""
    root = tmp_path / "dfew"
    (root / "EmoLabel_DataSplit" / "test(single-labeled)").mkdir(parents=True)
    (root / "EmoLabel_DataSplit" / "test(single-labeled)" / "set_1.csv").write_text("a,b\n1,2\n")
    with pytest.raises(UserError, match="expected the official split file"):
        load_data(_args("dfew", root), "video")
