"""Tests of load_recola on trees laid out like the RECOLA release of AVEC 2016."""

import re
from pathlib import Path

import numpy as np
import pytest

from skemotion.datasets import load_recola

RATERS = ["FM1", "FM2", "FM3", "FF1", "FF2", "FF3"]
SESSIONS = ["dev_1", "train_1", "train_2"]
N_FRAMES = 60  # 2.4 s of ratings every 40 ms


def _ratings(session, dim):
    seed = [SESSIONS.index(session), ("arousal", "valence").index(dim)]
    return np.random.default_rng(seed).uniform(-1, 1, (N_FRAMES, 6)).round(4)


def build_recola(root, sessions=SESSIONS, sep=";"):
    root = Path(root)
    for dim in ("arousal", "valence"):
        folder = root / "ratings_individual" / dim
        folder.mkdir(parents=True, exist_ok=True)
        for session in sessions:
            lines = [sep.join(["time", *RATERS])]
            for t, row in enumerate(_ratings(session, dim)):
                lines.append(sep.join([f"{0.04 * t:.2f}", *(f"{v:g}" for v in row)]))
            (folder / f"{session}.csv").write_text("\n".join(lines) + "\n")
    for folder, ext in (("recordings_audio", "wav"), ("recordings_video", "mp4")):
        (root / folder).mkdir(exist_ok=True)
        for session in sessions:
            (root / folder / f"{session}.{ext}").touch()
    (root / "ratings_gold_standard" / "arousal").mkdir(parents=True, exist_ok=True)
    return root


def _bounds(fragment):
    path, _, times = fragment.partition("#t=")
    return (path, *(float(v) for v in times.split(",")))


@pytest.fixture(scope="module")
def recola_root(tmp_path_factory):
    return build_recola(tmp_path_factory.mktemp("recola"))


def test_per_frame_mean_of_raters(recola_root):
    """Check one sample per 40 ms frame whose targets are the rater means."""
    bunch = load_recola(recola_root)
    assert bunch.target.shape == (3 * N_FRAMES, 2) and bunch.target.dtype == np.float32
    assert bunch.target_names.tolist() == ["arousal", "valence"]
    expected = np.vstack(
        [np.column_stack([_ratings(s, d).mean(axis=1) for d in ("arousal", "valence")])
         for s in SESSIONS]  # fmt: skip
    )
    np.testing.assert_allclose(bunch.target, expected, rtol=1e-5, atol=1e-6)
    assert bunch.groups.tolist() == [s for s in SESSIONS for _ in range(N_FRAMES)]
    assert bunch.frame["partition"].unique().tolist() == ["dev", "train"]
    path, start, end = _bounds(bunch.data[N_FRAMES + 2])
    assert path == str((recola_root / "recordings_audio" / "train_1.wav").resolve())
    assert (start, end) == (pytest.approx(0.08), pytest.approx(0.12))
    assert bunch.raters == RATERS
    assert "Ringeval" in bunch.DESCR


def test_every_rater_kept(recola_root):
    """Check raters='all': one output per dimension and rater, values as in the files."""
    bunch = load_recola(recola_root, raters="all", modality="video")
    names = [f"{d}_{r}" for d in ("arousal", "valence") for r in RATERS]
    assert bunch.target_names.tolist() == names
    first = bunch.groups == "train_2"
    np.testing.assert_allclose(bunch.target[first][:, :6], _ratings("train_2", "arousal"), rtol=1e-5)
    np.testing.assert_allclose(bunch.target[first][:, 6:], _ratings("train_2", "valence"), rtol=1e-5)
    assert {Path(_bounds(p)[0]).suffix for p in bunch.data} == {".mp4"}
    ann = bunch.annotations
    assert list(ann.columns) == ["session", "time", *names]
    np.testing.assert_allclose(ann.loc[ann["session"] == "dev_1", "time"], 0.04 * np.arange(N_FRAMES))


def test_windows_and_single_dimension(recola_root):
    """Check windowed means of one dimension (a 1-D target) against a hand computation."""
    bunch = load_recola(recola_root, dimensions="valence", window=1.0, hop=0.5, modality=None)
    assert bunch.target.ndim == 1
    means = _ratings("dev_1", "valence").mean(axis=1)
    # frames at 0.04 k: [0.5, 1.5) holds frames 13..37, [1.5, 2.5) 38..59, [2.0, 3.0) 50..59
    dev = bunch.groups == "dev_1"
    assert bunch.frame.loc[dev, "start"].tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    np.testing.assert_allclose(bunch.target[dev][1], means[13:38].mean(), rtol=1e-5)
    np.testing.assert_allclose(bunch.target[dev][-1], means[50:].mean(), rtol=1e-5)
    assert bunch.frame.loc[dev, "n_points"].tolist() == [25, 25, 25, 22, 10]
    assert bunch.data[0] == "dev_1#t=0,1"


def test_comma_separated_files(tmp_path):
    """Check that a copy re-saved with ',' separators reads the same."""
    a = load_recola(build_recola(tmp_path / "a", sep=";"))
    b = load_recola(build_recola(tmp_path / "b", sep=","))
    np.testing.assert_array_equal(a.target, b.target)


def test_inconsistent_files(tmp_path):
    """Check errors for sessions rated on one dimension only, other raters, wrong steps."""
    root = build_recola(tmp_path)
    (root / "ratings_individual" / "valence" / "train_2.csv").unlink()
    with pytest.raises(ValueError, match=re.escape("the sessions rated for 'valence' and 'arousal' differ: 'train_2'")):
        load_recola(root)
    assert len(load_recola(root, dimensions=("arousal",)).data) == 3 * N_FRAMES

    path = root / "ratings_individual" / "arousal" / "train_2.csv"
    text = path.read_text()
    path.write_text(text.replace("FF3", "FF4", 1))
    with pytest.raises(ValueError, match=re.escape("has raters ['FM1', 'FM2', 'FM3', 'FF1', 'FF2', 'FF4']")):
        load_recola(root, dimensions=("arousal",))
    lines = text.splitlines()
    path.write_text("\n".join(lines[:3] + lines[4:]) + "\n")  # a frame missing
    with pytest.raises(ValueError, match=re.escape("is not sampled every 40 ms")):
        load_recola(root, dimensions=("arousal",))
    path.write_text("\n".join(lines[:5] + [lines[5].replace(";", ";x", 1)] + lines[6:]) + "\n")
    with pytest.raises(ValueError, match=re.escape("has non-numeric values at lines [6]")):
        load_recola(root, dimensions=("arousal",))


def test_missing_recordings_and_root(tmp_path):
    """Check the errors naming what is missing and what was expected."""
    root = build_recola(tmp_path)
    (root / "recordings_audio" / "train_1.wav").unlink()
    with pytest.raises(ValueError, match=re.escape("1 rated session(s) have no recording in")):
        load_recola(root)
    with pytest.raises(FileNotFoundError, match=re.escape("no 'ratings_individual' folder under")):
        load_recola(tmp_path / "recordings_audio")
    with pytest.raises(FileNotFoundError, match=re.escape("does not exist; expected the RECOLA")):
        load_recola(tmp_path / "nope")


def test_invalid_parameters(recola_root):
    """Check the wording for invalid raters and dimensions."""
    with pytest.raises(ValueError, match=re.escape("The 'raters' parameter of load_recola")):
        load_recola(recola_root, raters="median")
    with pytest.raises(ValueError, match=re.escape("The 'dimensions' parameter of load_recola")):
        load_recola(recola_root, dimensions=("dominance",))


def test_window_shorter_than_the_rating_period(recola_root):
    """Check that a window that could hold no rating is refused."""
    msg = "The 'window' parameter of load_recola must be a float in the range [0.04, inf)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_recola(recola_root, window=0.01)


@pytest.mark.parametrize("depth, files", [(1, False), (2, False), (1, True)],
                         ids=["top-linked", "dimension-folders-linked", "files-linked"])
def test_corpus_behind_symlinks(same_corpus, recola_root, linked_copy, depth, files):
    """Check that RECOLA's ratings and recordings are found through links, with a cycle."""
    real = load_recola(recola_root)
    linked = load_recola(linked_copy(recola_root, depth=depth, files=files))
    same_corpus(linked, real)
