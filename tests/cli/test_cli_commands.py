"""`skemotion evaluate | search | predict`, run in subprocesses on the synthetic corpus."""

import json
import os
import re
import shutil
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest

from skemotion.cli import main
from skemotion.cli._errors import UserError
from skemotion.cli._spec import SpecError, load_pipeline_spec

FAST = ["--preset", "audio-logreg", "--n-samples", "16", "--cv", "2"]


def run(*args, env_home=None, timeout=600):
    env = dict(os.environ)
    env.pop("SKEMOTION_DEBUG", None)
    if env_home is not None:
        env["SKEMOTION_DATA"] = str(env_home)
    env["MPLBACKEND"] = "Agg"
    return subprocess.run([sys.executable, "-m", "skemotion", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """One fast evaluation shared by the predict tests."""
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("eval")
    proc = run("evaluate", *FAST, "--out", out, env_home=home)
    assert proc.returncode == 0, proc.stderr
    return home, out, proc


def test_evaluate_writes_model_results_report_and_figure(evaluated):
    """Check that evaluate prints a scores table and writes every promised file."""
    home, out, proc = evaluated
    assert "2-fold cross-validation grouped by actor" in proc.stdout
    assert "fold 1/2:" in proc.stdout and "fold 2/2:" in proc.stdout
    assert "accuracy" in proc.stdout and "balanced_accuracy" in proc.stdout
    for name in ("model.joblib", "cv_results.csv", "predictions.csv", "report.json", "confusion_matrix.png"):
        assert (out / name).is_file(), name
    folds = pd.read_csv(out / "cv_results.csv")
    assert list(folds["fold"]) == [1, 2] and folds["n_test"].sum() == 16
    report = json.loads((out / "report.json").read_text())
    assert report["n_samples"] == 16 and report["n_groups"] == 4 and report["task"] == "classification"
    assert 0.0 <= report["scores"]["accuracy"]["mean"] <= 1.0
    assert set(report["classification_report"]) >= {"accuracy", "macro avg"}
    preds = pd.read_csv(out / "predictions.csv")
    assert len(preds) == 16  # every clip predicted once, out of fold
    bundle = joblib.load(out / "model.joblib")
    assert bundle["format"] == "skemotion-model" and hasattr(bundle["estimator"], "predict")


def test_predict_files_and_timeline(evaluated, tmp_path):
    """Check that predict gives a label and class probabilities per file, and a windowed timeline."""
    home, out, _ = evaluated
    clips = sorted(str(p) for p in (home / "synthetic").rglob("*.mp4"))[:3]
    csv = tmp_path / "pred.csv"
    proc = run("predict", out / "model.joblib", *clips, "--csv", csv)
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(csv)
    assert list(frame["media"]) == clips
    probs = frame[[c for c in frame.columns if c.startswith("p_")]]
    assert probs.shape[1] == 4
    assert (probs.sum(axis=1) - 1).abs().max() < 1e-5
    proc = run("predict", out / "model.joblib", clips[0], "--window", "0.5", "--hop", "0.25",
               "--csv", tmp_path / "timeline.csv", "--figure", tmp_path / "timeline.png")
    assert proc.returncode == 0, proc.stderr
    timeline = pd.read_csv(tmp_path / "timeline.csv")
    assert len(timeline) >= 2 and timeline["start"].is_monotonic_increasing
    assert (tmp_path / "timeline.png").is_file()
    proc = run("predict", out / "model.joblib", clips[0])  # CSV to stdout
    assert proc.returncode == 0 and "prediction" in proc.stdout.splitlines()[0]


def test_evaluate_pipeline_file(evaluated, tmp_path):
    """Check that evaluate builds a pipeline described in a YAML file."""
    home, _, _ = evaluated
    spec = tmp_path / "pipe.yaml"
    spec.write_text(
        "steps:\n"
        "  - {name: audio, class: skemotion.audio.AudioLoader, params: {sr: 16000}}\n"
        "  - {name: feats, class: skemotion.audio.SpectralFeatures, params: {sr: 16000, n_fft: 512,"
        " hop_length: 256, features: [mfcc]}}\n"
        "  - {name: model, class: sklearn.linear_model.LogisticRegression, params: {max_iter: 500}}\n"
    )
    out = tmp_path / "out"
    proc = run("evaluate", "--pipeline", spec, "--n-samples", "16", "--cv", "2", "--out", out, env_home=home)
    assert proc.returncode == 0, proc.stderr
    assert "pipeline file" in proc.stdout and (out / "model.joblib").is_file()
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - {name: x, class: os.system, params: {}}\n")
    proc = run("evaluate", "--pipeline", bad, "--out", out, env_home=home)
    assert proc.returncode == 2 and "must be a skemotion.* or sklearn.* import path" in proc.stderr
    # A bad parameter value surfaces while fitting: the user's mistake, one line.
    bad.write_text(
        "steps:\n"
        "  - {name: audio, class: skemotion.audio.AudioLoader, params: {sr: -5}}\n"
        "  - {name: model, class: sklearn.linear_model.LogisticRegression}\n"
    )
    proc = run("evaluate", "--pipeline", bad, "--n-samples", "16", "--cv", "2", "--out", out, env_home=home)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"pipeline file {bad}" in lines[0] and "'sr' parameter" in lines[0]


@pytest.mark.parametrize(
    "path, message",
    [
        ("sklearn.utils.shuffle", "'sklearn.utils.shuffle' is not a scikit-learn estimator class"),
        ("sklearn.model_selection.GroupKFold", "is not a scikit-learn estimator class"),
        ("skemotion.io.read_audio", "is not a scikit-learn estimator class"),
        ("skemotion.cli._errors.UserError", "no _private part"),
        ("sklearn.base._fit_context", "no _private part"),
        ("skemotion.models.networks.__builtins__", "no _private part"),
        ("sklearnx.Foo", "must be a skemotion.* or sklearn.* import path"),
        ("skemotion.video.NoSuchSampler", "no class 'skemotion.video.NoSuchSampler'"),
    ],
)
def test_pipeline_spec_names_only_public_estimator_classes(path, message, tmp_path):
    """Check that a pipeline file can name public estimator classes only, no other callable."""
    spec = tmp_path / "pipe.json"
    spec.write_text(json.dumps({"steps": [{"name": "x", "class": path, "params": {}}]}))
    with pytest.raises(SpecError, match=re.escape(message)):
        load_pipeline_spec(spec)
    spec.write_text(json.dumps({"steps": [
        {"name": "union", "class": "skemotion.models.ModalityUnion",
         "params": {"video": {"class": path}}},
    ]}))
    with pytest.raises(SpecError, match=re.escape(message)):  # nested estimators too
        load_pipeline_spec(spec)


def test_pipeline_spec_builds_nested_public_estimators(tmp_path):
    """Check that public estimators, nested ones included, are built with their parameters."""
    spec = tmp_path / "pipe.yaml"
    spec.write_text(
        "steps:\n"
        "  - name: union\n"
        "    class: skemotion.models.ModalityUnion\n"
        "    params:\n"
        "      video: {class: skemotion.video.FrameSampler, params: {n_frames: 4, size: [32, 32]}}\n"
        "      audio: {class: skemotion.audio.AudioLoader, params: {sr: 8000}}\n"
        "  - {name: model, class: skemotion.models.FusionClassifier, params: {max_epochs: 1}}\n"
    )
    pipe = load_pipeline_spec(spec)
    assert pipe.get_params()["union__video__size"] == (32, 32)
    assert pipe.get_params()["union__audio__sr"] == 8000
    spec.write_text("steps: [unclosed\n")
    with pytest.raises(SpecError, match="is not valid YAML"):
        load_pipeline_spec(spec)


def test_search_persists_and_resumes(evaluated, tmp_path):
    """Check that search with a SQLite storage persists and resumes up to --n-trials in all."""
    home, _, _ = evaluated
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    args = ["search", *FAST, "--storage", storage, "--study", "t", "--out", tmp_path]
    first = run(*args, "--n-trials", "2", env_home=home)
    assert first.returncode == 0, first.stderr
    assert "2 complete trials" in first.stdout
    again = run(*args, "--n-trials", "2", env_home=home)  # already complete: nothing to add
    assert again.returncode == 0 and "2 complete trials" in again.stdout
    second = run(*args, "--n-trials", "4", env_home=home)
    assert second.returncode == 0, second.stderr
    assert "4 complete trials" in second.stdout
    help_text = run("search", "--help").stdout
    assert "complete trials" not in help_text and "pruned or failed" in " ".join(help_text.split())
    trials = pd.read_csv(tmp_path / "trials.csv")
    assert len(trials) == 4 and "params_model__C" in trials
    # The resumed run drew new candidates; a repeat would reuse a result, never refit.
    params = trials[[c for c in trials if c.startswith("params_")]].astype(str)
    repeats = params.duplicated()
    if repeats.any():
        assert trials.loc[repeats, "user_attrs_same_as_trial"].notna().all()
    assert "best_params" in json.loads((tmp_path / "best_params.json").read_text())


@pytest.mark.parametrize(
    "args, message",
    [
        (["predict", "missing.joblib", "x.mp4"], "No such model file: 'missing.joblib'"),
        (["evaluate", "--preset", "nope"], "unknown preset 'nope'"),
        (["evaluate", "--dataset", "ravdess"], "--dataset ravdess needs --data DIR"),
        (["evaluate", "--dataset", "crema-d", "--data", "/nonexistent/crema"], "/nonexistent/crema"),
        (["evaluate", "--dataset", "imagenet"], "argument --dataset: invalid choice: 'imagenet'"),
        (["evaluate", "--cv", "1"], "argument --cv: must be an integer >= 2; got 1"),
        (["evaluate", "--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["evaluate", "--pipeline", "missing.yaml"], "No such pipeline file: 'missing.yaml'"),
        (["search", "--n-trials", "zero"], "argument --n-trials: expected an integer; got 'zero'"),
        (["search", "--storage", "notaurl", *FAST], "--storage notaurl: storage='notaurl' is not a URL"),
        (["predict"], "the following arguments are required: model, media"),
        (["corpus", "--n-samples", "0"], "skemotion corpus: error: The 'n_samples' parameter"),
    ],
)
def test_user_mistakes_print_one_line_and_exit_2(args, message, tmp_path):
    """Check that user mistakes give one clear line on stderr, no traceback, status 2."""
    proc = run(*args, "--out", tmp_path) if args[0] != "predict" else run(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert lines[0].startswith(f"skemotion {args[0]}: error: ")


def test_bugs_keep_their_traceback(monkeypatch, tmp_path):
    """Check that only user mistakes are one line: other errors propagate with their traceback."""
    from skemotion.cli import _commands

    def buggy(args):
        raise ValueError("an internal bug")

    monkeypatch.setattr(_commands, "cmd_evaluate", buggy)
    monkeypatch.delenv("SKEMOTION_DEBUG", raising=False)
    with pytest.raises(ValueError, match="an internal bug"):
        main(["evaluate", "--out", str(tmp_path)])

    def mistake(args):
        raise UserError("a user mistake")

    monkeypatch.setattr(_commands, "cmd_evaluate", mistake)
    assert main(["evaluate", "--out", str(tmp_path)]) == 2
    monkeypatch.setenv("SKEMOTION_DEBUG", "1")  # the traceback of user mistakes too
    with pytest.raises(UserError, match="a user mistake"):
        main(["evaluate", "--out", str(tmp_path)])


def test_not_a_model_file(tmp_path):
    """Check that a file that is not a skemotion model is refused clearly."""
    fake = tmp_path / "model.joblib"
    joblib.dump({"weights": [1, 2]}, fake)
    text = tmp_path / "notes.joblib"
    text.write_text("hello")
    for path in (fake, text):
        proc = run("predict", path, "x.mp4")
        assert proc.returncode == 2 and "is not a skemotion model" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_help_on_every_subcommand():
    """Check --help on every subcommand."""
    for sub in ("evaluate", "search", "predict", "corpus"):
        proc = run(sub, "--help")
        assert proc.returncode == 0 and "usage: skemotion" in proc.stdout


@pytest.mark.slow
def test_evaluate_regression_timeline(tmp_path):
    """Check a continuous-valence evaluation: CCC/RMSE scores and a timeline figure."""
    out = tmp_path / "out"
    proc = run("evaluate", "--dataset", "synthetic-valence", "--preset", "audio-logreg", "--cv", "3",
               "--out", out, env_home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["task"] == "regression" and set(report["scores"]) == {"ccc", "pearson_r", "rmse", "mae"}
    assert (out / "timeline.png").is_file()


@pytest.mark.slow
def test_readme_main_job(tmp_path, record_property):
    """Check the README's main job, the `skemotion evaluate` console script with no arguments."""
    script = shutil.which("skemotion")
    if script is None:
        pytest.skip("the skemotion console script is not on PATH (pip install -e . installs it)")
    env = dict(os.environ, SKEMOTION_DATA=str(tmp_path / "home"), MPLBACKEND="Agg")
    env.pop("SKEMOTION_DEBUG", None)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Beside another xdist worker, a job with torch's default thread count oversubscribes
        # the cores: measured 547 s here against 132 s alone on 2 cores.
        env["OMP_NUM_THREADS"] = "1"
    load_before = os.getloadavg()[0]
    proc = subprocess.run([script, "evaluate"], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "face-cnn-lstm on synthetic corpus, 64 clips" in proc.stdout
    out = tmp_path / "skemotion_out"
    report = json.loads((out / "report.json").read_text())
    # Unseen actors, 4 classes (chance 0.25): measured 0.94.
    assert report["scores"]["accuracy"]["mean"] >= 0.7
    assert (out / "confusion_matrix.png").is_file() and (out / "model.joblib").is_file()
    # The issue asks for under 2 minutes on 2 CPU cores; wall time depends on the machine
    # (the same code took 62 s and 132 s on two days of the same 2-core box), so the
    # figure is reported in the terminal summary, not asserted (timed asserts belong in
    # benchmarks).
    # The README's figure was measured on an idle machine; the load average (runnable
    # processes, 1 min) before and after the run says how far this run's figure is from that.
    record_property("main job seconds", report["seconds"])
    record_property("load average before the main job", float(load_before))
    record_property("load average after the main job", float(os.getloadavg()[0]))


@pytest.mark.parametrize("modality, preset", [("audio", "face-cnn-lstm"), ("video", "audio-lstm"),
                                              ("video", "speech-functionals"), ("audio", "fusion")])
def test_preset_that_cannot_read_the_modality_is_refused_up_front(modality, preset, tmp_path, capsys):
    """Check that a preset whose tracks --modality cannot give is refused in one sentence.

    Nothing is loaded: --data does not even exist (the issue: a video preset on 720 audio
    files printed one 100,000-character line of decoding errors).
    """
    args = ["evaluate", "--dataset", "ravdess", "--modality", modality,
            "--data", str(tmp_path / "no-such-ravdess"), "--out", str(tmp_path / "out")]
    args += ["--preset", preset]
    assert main(args) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"skemotion evaluate: error: --preset {preset} reads ")
    assert f"--modality {modality} gives" in lines[0] and lines[0].endswith(".")
    assert lines[0].count(". ") == 0  # one sentence
    assert not (tmp_path / "out").exists()


def test_many_file_errors_are_grouped_by_reason(tmp_path, monkeypatch, capsys):
    """Check that an error about many files prints counts per reason, examples and the full list's file."""
    from scipy.io import wavfile

    from skemotion.cli import _commands
    from skemotion.video import FrameSampler

    paths = []
    for i in range(6):  # audio-only files: no video stream
        paths.append(tmp_path / f"voice_{i}.wav")
        wavfile.write(paths[-1], 8000, np.zeros(800, np.int16))
    for i in range(2):  # zero-length files
        paths.append(tmp_path / f"empty_{i}.mp4")
        paths[-1].touch()

    def evaluate_bad_files(args):
        FrameSampler(n_frames=2, size=16).fit_transform([str(p) for p in paths])

    monkeypatch.setattr(_commands, "cmd_evaluate", evaluate_bad_files)
    monkeypatch.delenv("SKEMOTION_DEBUG", raising=False)
    out = tmp_path / "out"
    assert main(["evaluate", "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    line = lines[0]
    listing = out / "skemotion-evaluate-errors.txt"
    assert line.startswith("skemotion evaluate: error: FrameSampler could not sample 8 of 8 files, by reason: ")
    assert "6 x Could not decode FILE: no video stream. (e.g. " in line
    assert "2 x Could not decode FILE: the file is empty (0 bytes). (e.g. " in line
    assert line.index("6 x") < line.index("2 x")  # the commonest reason first
    assert str(paths[0]) in line and str(paths[5]) not in line  # a few examples, not all
    assert line.endswith(f"; full list in {listing}")
    full = listing.read_text()
    assert all(str(p) in full for p in paths)


def test_few_file_errors_stay_as_they_are(tmp_path, monkeypatch, capsys):
    """Check that an error about up to 3 files is printed whole, without an errors file."""
    from skemotion.cli import _commands
    from skemotion.exceptions import MediaError

    message = "FrameSampler could not sample 2 of 9 files:\n  [0] Could not decode 'a.wav': x.\n  [4] Could not decode 'b.wav': y."

    def evaluate(args):
        raise MediaError(message, path="a.wav")

    monkeypatch.setattr(_commands, "cmd_evaluate", evaluate)
    monkeypatch.delenv("SKEMOTION_DEBUG", raising=False)
    assert main(["evaluate", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "skemotion evaluate: error: " + " ".join(message.split())
    assert not (tmp_path / "out" / "skemotion-evaluate-errors.txt").exists()
