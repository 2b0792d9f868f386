"""Tests of load_eev on CSV files laid out like the EEV release."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skemotion.datasets import load_eev

EXPRESSIONS = ["amusement", "anger", "awe", "concentration", "confusion", "contempt",
               "contentment", "disappointment", "doubt", "elation", "interest", "pain",
               "sadness", "surprise", "triumph"]  # fmt: skip
HEADER = "Video ID,Timestamp (milliseconds)," + ",".join(EXPRESSIONS)
OFFSETS = [0, 166666, 333333, 500000, 666666, 833333]  # how the release writes 6 Hz


def _stamp(i):
    return 1_000_000 * (i // 6) + OFFSETS[i % 6]


def _tracks(seed=0):
    """Scores of two videos: vidA 18 points (3 s) with undetected rows, vidB 12 points (2 s)."""
    rng = np.random.default_rng(seed)
    tracks = {"vidA": rng.random((18, 15)).round(3), "vidB": rng.random((12, 15)).round(3)}
    tracks["vidA"][[2, 3]] = 0.0  # no face detected
    tracks["vidA"][12:] = 0.0  # a whole second without detection
    return tracks


def _fragment_bounds(fragment):
    path, _, times = fragment.partition("#t=")
    start, end = (float(v) for v in times.split(","))
    return path, start, end


def build_eev(root, *, scores=True, split="train", unit=1):
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    lines = [HEADER if scores else "Video ID,Timestamp (milliseconds)"]
    # rows of the two videos interleaved, to check the loader sorts them itself
    for vid, track in sorted(_tracks().items(), reverse=True):
        for i, row in enumerate(track):
            cells = [vid, str(_stamp(i)) if unit == 1 else f"{_stamp(i) * unit:.3f}"] + ([f"{v:g}" for v in row] if scores else [])
            lines.append(",".join(cells))
    (root / f"{split}.csv").write_text("\n".join(lines) + "\n")
    (root / "videos").mkdir(exist_ok=True)
    (root / "videos" / "vidA.mp4").touch()
    (root / "videos" / "vidB.webm").touch()
    return root


@pytest.fixture(scope="module")
def eev_root(tmp_path_factory):
    return build_eev(tmp_path_factory.mktemp("eev"))


def test_per_annotation_samples(eev_root):
    """Check window=None: one sample per detected annotation with its exact scores."""
    bunch = load_eev(eev_root, window=None)
    tracks = _tracks()
    expected = np.vstack([tracks["vidA"][tracks["vidA"].any(axis=1)], tracks["vidB"]])
    np.testing.assert_allclose(bunch.target, expected.astype(np.float32))
    assert bunch.target.dtype == np.float32
    assert bunch.target_names.tolist() == EXPRESSIONS
    assert bunch.groups.tolist() == ["vidA"] * 10 + ["vidB"] * 12
    path, start, end = _fragment_bounds(bunch.data[0])
    assert path == str((eev_root / "videos" / "vidA.mp4").resolve())
    assert (start, end) == (0.0, pytest.approx(1 / 6, abs=1e-6))
    assert Path(_fragment_bounds(bunch.data[-1])[0]).name == "vidB.webm"
    assert bunch.timestamp_unit == "us"
    assert len(bunch.dropped_windows) == 8  # the undetected rows of vidA


def test_raw_annotations(eev_root):
    """Check the parsed rows: ids, timestamps, seconds, detection flag and scores."""
    ann = load_eev(eev_root).annotations
    assert list(ann.columns[:4]) == ["video_id", "timestamp", "time", "detected"]
    assert len(ann) == 30
    vid_a = ann[ann["video_id"] == "vidA"]
    assert vid_a["timestamp"].tolist() == [_stamp(i) for i in range(18)]
    np.testing.assert_allclose(vid_a["time"], [_stamp(i) / 1e6 for i in range(18)])
    assert vid_a["detected"].tolist() == [True, True, False, False] + [True] * 8 + [False] * 6
    np.testing.assert_allclose(vid_a[EXPRESSIONS].to_numpy(), _tracks()["vidA"], rtol=1e-6)


def test_windowed_means_with_overlap(eev_root):
    """Check 1 s windows every 0.5 s against means computed by hand, undetected rows excluded."""
    bunch = load_eev(eev_root, window=1.0, hop=0.5)
    tracks = _tracks()
    frame = bunch.frame
    expected, kept = [], []
    for vid, n_windows in (("vidA", 6), ("vidB", 4)):
        track = tracks[vid]
        for w in range(n_windows):  # starts 0, 0.5, ... up to the last annotation
            rows = track[w * 3 : w * 3 + 6]
            rows = rows[rows.any(axis=1)]
            if len(rows):
                expected.append(rows.mean(axis=0))
                kept.append((vid, w * 0.5))
    np.testing.assert_allclose(bunch.target, np.array(expected), rtol=1e-5)
    assert list(zip(frame["video_id"], frame["start"], strict=True)) == kept
    assert (frame["end"] - frame["start"]).eq(1.0).all()
    # vidA's windows starting at 2.0 and 2.5 hold only undetected rows
    assert bunch.dropped_windows.values.tolist() == [["vidA", 2.0, 3.0], ["vidA", 2.5, 3.5]]
    for fragment, start, end in zip(bunch.data, frame["start"], frame["end"], strict=True):
        assert _fragment_bounds(fragment)[1:] == (start, end)


def test_undetected_rows_averaged_as_zeros(eev_root):
    """Check ignore_undetected=False keeps every window and averages zeros in."""
    bunch = load_eev(eev_root, window=1.0, ignore_undetected=False)
    tracks = _tracks()
    expected = [tracks["vidA"][i * 6 : i * 6 + 6].mean(axis=0) for i in range(3)]
    expected += [tracks["vidB"][i * 6 : i * 6 + 6].mean(axis=0) for i in range(2)]
    np.testing.assert_allclose(bunch.target, np.array(expected), rtol=1e-5)
    assert bunch.frame["n_points"].tolist() == [6] * 5
    assert bunch.frame["n_valid"].tolist() == [6] * 5
    assert bunch.dropped_windows.empty


def test_test_split_without_scores(tmp_path):
    """Check that test.csv (ids and timestamps only) gives windows and target=None."""
    root = build_eev(tmp_path, scores=False, split="test")
    bunch = load_eev(root, "test", window=2.0)
    assert bunch.target is None
    assert bunch.frame[["video_id", "start", "end", "n_points"]].values.tolist() == [
        ["vidA", 0.0, 2.0, 12], ["vidA", 2.0, 4.0, 6], ["vidB", 0.0, 2.0, 12]]  # fmt: skip


def test_millisecond_timestamps(tmp_path):
    """Check that timestamps written in milliseconds are recognised from their 6 Hz step."""
    root = build_eev(tmp_path, unit=1e-3)
    bunch = load_eev(root, window=1.0)
    assert bunch.timestamp_unit == "ms"
    np.testing.assert_allclose(bunch.target, load_eev(build_eev(tmp_path / "us"), window=1.0).target)
    with pytest.raises(ValueError, match=re.escape("are 0.000166667 s apart with timestamp_unit='us'")):
        load_eev(root, timestamp_unit="us")


def test_missing_videos(tmp_path):
    """Check that missing videos raise by default and are listed when ignored."""
    root = build_eev(tmp_path)
    (root / "videos" / "vidB.webm").unlink()
    with pytest.raises(ValueError, match=re.escape("1 of the 2 videos of train.csv are not in")):
        load_eev(root)
    bunch = load_eev(root, on_missing_video="ignore")
    assert bunch.missing_videos == ["vidB"]
    assert set(bunch.groups) == {"vidA"}
    labels_only = load_eev(root, video_dir=None, window=None)
    assert labels_only.data[0] == "vidA#t=0,0.166667"


def test_malformed_files(tmp_path):
    """Check errors for a missing split file, missing columns, bad timestamps and steps."""
    root = build_eev(tmp_path)
    with pytest.raises(FileNotFoundError, match=re.escape("(found ['train.csv'])")):
        load_eev(root, "val")
    path = root / "train.csv"
    table = pd.read_csv(path)
    table.drop(columns=["awe"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape("missing ['awe'], unexpected []")):
        load_eev(root)
    table.rename(columns={"Video ID": "id"}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape("expected the official EEV header")):
        load_eev(root)
    slow = table.copy()
    slow.iloc[:, 1] = slow.iloc[:, 1] * 6  # 1 Hz
    slow.to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape("expected 6 Hz annotations (1/6 s)")):
        load_eev(root)
    table.iloc[[0, 0]].to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape("repeats video/timestamp pairs")):
        load_eev(root)
    other = build_eev(tmp_path / "x")
    with pytest.raises(FileNotFoundError, match=re.escape("video folder")):
        load_eev(other, video_dir="clips")


def test_invalid_parameters(eev_root):
    """Check the wording for invalid split, window and hop."""
    with pytest.raises(ValueError, match=re.escape("The 'split' parameter of load_eev")):
        load_eev(eev_root, "dev")
    with pytest.raises(ValueError, match=re.escape("The 'window' parameter of load_eev")):
        load_eev(eev_root, window=0)
    with pytest.raises(ValueError, match=re.escape("hop needs a window")):
        load_eev(eev_root, window=None, hop=1.0)


@pytest.mark.parametrize("depth, files", [(1, False), (1, True)], ids=["folders-linked", "files-linked"])
def test_corpus_behind_symlinks(same_corpus, eev_root, linked_copy, depth, files):
    """Check that EEV's split file and videos are found through links, with a cycle."""
    real = load_eev(eev_root, "train")
    linked = load_eev(linked_copy(eev_root, depth=depth, files=files), "train")
    same_corpus(linked, real)
    assert linked.missing_videos == real.missing_videos
