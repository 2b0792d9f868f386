"""Tests of load_dfew on trees laid out like the DFEW release."""

import re
from pathlib import Path

import numpy as np
import pytest

from skemotion.datasets import load_dfew

NAMES = ["happy", "sad", "neutral", "angry", "surprised", "disgust", "fearful"]
N_CLIPS = 20


def _label(clip):
    return (clip * 3) % 7 + 1  # every label 1..7 occurs


def build_dfew(root, split_word="single-labeled"):
    """EmoLabel_DataSplit/{train,test}(single-labeled)/set_k.csv and the three clip sets."""
    root = Path(root)
    clips = range(1, N_CLIPS + 1)
    for fold in range(1, 6):
        test = [c for c in clips if c % 5 == fold - 1]
        train = [c for c in clips if c % 5 != fold - 1]
        for subset, members in (("train", train), ("test", test)):
            folder = root / "EmoLabel_DataSplit" / f"{subset}({split_word})"
            folder.mkdir(parents=True, exist_ok=True)
            rows = "".join(f"{c},{_label(c)}\n" for c in sorted(members, reverse=True))
            (folder / f"set_{fold}.csv").write_text("video_name,label\n" + rows)
    for c in clips:
        part = "data_part_1-2-3" if c <= 10 else "data_part_4-5-6"
        (root / "Clip" / "original" / part).mkdir(parents=True, exist_ok=True)
        (root / "Clip" / "original" / part / f"{c:05d}.mp4").touch()
        frames = root / "Clip" / "clip_224x224" / f"clip_224x224_part_{(c - 1) // 10 + 1}" / f"{c:05d}"
        frames.mkdir(parents=True)
        for k in range(1, 4):
            (frames / f"{k:05d}.jpg").touch()
        tim = root / "Clip" / "clip_224x224_16f" / f"{c:05d}"
        tim.mkdir(parents=True)
        (tim / f"{c:05d}_1.jpg").touch()
    return root


@pytest.fixture(scope="module")
def dfew_root(tmp_path_factory):
    return build_dfew(tmp_path_factory.mktemp("dfew"))


@pytest.mark.parametrize("fold", [1, 2, 3, 4, 5])
def test_each_official_fold(dfew_root, fold):
    """Check each fold's train/test membership, labels, order and clip paths."""
    train = load_dfew(dfew_root, fold=fold, subset="train")
    test = load_dfew(dfew_root, fold=fold, subset="test")
    expected_test = [c for c in range(1, N_CLIPS + 1) if c % 5 == fold - 1]
    assert test.frame["video_name"].tolist() == expected_test
    assert len(train.data) + len(test.data) == N_CLIPS
    for bunch in (train, test):
        frame = bunch.frame
        assert frame["video_name"].is_monotonic_increasing
        assert frame["label_code"].tolist() == [_label(c) for c in frame["video_name"]]
        np.testing.assert_array_equal(bunch.target, frame["label_code"] - 1)
        np.testing.assert_array_equal(bunch.target_names[bunch.target], frame["emotion"])
        assert set(frame["fold"]) == {fold}
        assert bunch.groups is None
        for path, clip in zip(bunch.data, frame["clip"], strict=True):
            assert Path(path).name == f"{clip}.mp4" and Path(path).is_file()


def test_fields_and_label_names(dfew_root):
    """Check every field of one row and the official label numbering 1 Happy .. 7 Fear."""
    bunch = load_dfew(dfew_root, fold=1, subset="all")
    assert bunch.target_names.tolist() == NAMES
    assert bunch.frame["subset"].tolist() == ["train"] * 16 + ["test"] * 4
    row = bunch.frame.set_index("clip").loc["00005"].to_dict()
    assert row == {
        "path": str((dfew_root / "Clip/original/data_part_1-2-3/00005.mp4").resolve()),
        "video_name": 5,
        "label_code": 2,
        "emotion": "sad",
        "fold": 1,
        "subset": "test",
    }
    codes = dict(zip(bunch.frame["label_code"], bunch.frame["emotion"], strict=True))
    assert codes == dict(zip(range(1, 8), NAMES, strict=True))


@pytest.mark.parametrize("clips", ["clip_224x224", "clip_224x224_16f"])
def test_frame_folder_sets(dfew_root, clips):
    """Check that the face-aligned sets resolve to the per-clip frame folders."""
    bunch = load_dfew(dfew_root, fold=2, clips=clips)
    for path, clip in zip(bunch.data, bunch.frame["clip"], strict=True):
        assert Path(path).is_dir() and Path(path).name == clip
        assert clips in Path(path).parts


def test_labels_only(dfew_root):
    """Check clips=None returns the clip names without touching the clip folders."""
    bunch = load_dfew(dfew_root, fold=3, subset="test", clips=None)
    assert bunch.data.tolist() == ["00002", "00007", "00012", "00017"]


def test_readme_spelling_of_split_folders(tmp_path):
    """Check that folders spelled train(single_labeled), as in the README, are found too."""
    root = build_dfew(tmp_path, split_word="single_labeled")
    assert len(load_dfew(root, subset="all").data) == N_CLIPS


def test_missing_clip_is_reported(tmp_path):
    """Check that a listed clip absent from the clip set raises, naming it."""
    root = build_dfew(tmp_path)
    (root / "Clip" / "original" / "data_part_1-2-3" / "00003.mp4").unlink()
    with pytest.raises(ValueError, match=re.escape("1 clip(s) of fold 1 are not in")) as info:
        load_dfew(root)
    assert "'00003'" in str(info.value)


@pytest.mark.parametrize(
    ("content", "msg"),
    [
        ("video_name,label\n1,8\n", "rows that are not a clip number and a label in 1..7: 'row 2: 1,8'"),
        ("video_name,label\nabc,1\n", "'row 2: abc,1'"),
        ("name,emotion\n1,1\n", "has columns ['name', 'emotion']; expected the official split file"),
        ("video_name,label\n1,1\n1,2\n", "lists clips more than once: '1'"),
    ],
)
def test_malformed_split_file(tmp_path, content, msg):
    """Check that a malformed split file raises naming the file and the problem."""
    root = build_dfew(tmp_path)
    (root / "EmoLabel_DataSplit" / "train(single-labeled)" / "set_1.csv").write_text(content)
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_dfew(root)


def test_overlapping_train_and_test(tmp_path):
    """Check that a clip in both the train and the test file of a fold is reported."""
    root = build_dfew(tmp_path)
    (root / "EmoLabel_DataSplit" / "test(single-labeled)" / "set_1.csv").write_text(
        "video_name,label\n1,4\n"
    )
    with pytest.raises(ValueError, match=re.escape("lists clips in both train and test: '00001'")):
        load_dfew(root, subset="all")


def test_wrong_root_and_parameters(tmp_path):
    """Check the errors for a root without DFEW files, missing clip sets and bad parameters."""
    with pytest.raises(FileNotFoundError, match=re.escape("no train(single-labeled) folder")):
        load_dfew(tmp_path)
    root = build_dfew(tmp_path / "d")
    (root / "EmoLabel_DataSplit" / "test(single-labeled)" / "set_4.csv").unlink()
    with pytest.raises(FileNotFoundError, match=re.escape("set_4.csv' does not exist")):
        load_dfew(root, fold=4, subset="test")
    with pytest.raises(ValueError, match=re.escape("The 'fold' parameter of load_dfew")):
        load_dfew(root, fold=6)
    with pytest.raises(ValueError, match=re.escape("The 'clips' parameter of load_dfew")):
        load_dfew(root, clips="clip_112")
    empty = tmp_path / "labels_only"
    (empty / "EmoLabel_DataSplit" / "train(single-labeled)").mkdir(parents=True)
    (empty / "EmoLabel_DataSplit" / "train(single-labeled)" / "set_1.csv").write_text(
        "video_name,label\n1,1\n"
    )
    with pytest.raises(FileNotFoundError, match=re.escape("no 'original' folder under")):
        load_dfew(empty)


@pytest.mark.parametrize("clips", ["original", "clip_224x224"])
@pytest.mark.parametrize("depth, files", [(1, False), (3, False), (1, True)],
                         ids=["top-linked", "parts-linked", "files-linked"])
def test_corpus_behind_symlinks(same_corpus, dfew_root, linked_copy, depth, files, clips):
    """Check that DFEW's split files and clip sets are found through links, with a cycle."""
    real = load_dfew(dfew_root, fold=1, clips=clips)
    linked = load_dfew(linked_copy(dfew_root, depth=depth, files=files), fold=1, clips=clips)
    same_corpus(linked, real)
