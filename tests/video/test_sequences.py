"""FrameSampler and the clip helpers on image sequences (folders of frames) beside videos."""

import os
import re

import numpy as np
import pandas as pd
import pytest

from skemotion.exceptions import MediaError
from skemotion.io import read_frames, write_sequence, write_video
from skemotion.utils._cache import ClipCache
from skemotion.video import FrameSampler, filter_clips, split_clips


@pytest.fixture(scope="session")
def mixed_corpus(tmp_path_factory):
    """Two folders of frames (PNG and JPEG, different sizes) and one mp4."""
    root = tmp_path_factory.mktemp("mixed")
    rng = np.random.default_rng(0)
    pngs = write_sequence(root / "s01" / "png", rng.integers(0, 256, (12, 24, 32, 3), dtype=np.uint8))
    jpgs = write_sequence(root / "s02" / "jpg", rng.integers(0, 256, (9, 48, 48, 3), dtype=np.uint8),
                          pattern="img_%03d.jpg")
    video = str(root / "clip.mp4")
    write_video(video, rng.integers(0, 256, (10, 32, 32, 3), dtype=np.uint8), fps=10)
    return [pngs, video, jpgs]


@pytest.mark.parametrize("container", [list, np.asarray, pd.Series, lambda x: pd.DataFrame({"clip": x})],
                         ids=["list", "ndarray", "Series", "DataFrame"])
def test_frame_sampler_mixes_videos_and_folders_in_input_order(mixed_corpus, container):
    """Check that FrameSampler reads folders and videos in one X, each row as read_frames reads it."""
    sampler = FrameSampler(n_frames=5, size=(16, 12))
    frames = sampler.fit_transform(container(mixed_corpus))
    assert frames.shape == (3, 5, 12, 16, 3)
    for row, path in zip(frames, mixed_corpus, strict=True):
        np.testing.assert_array_equal(row, read_frames(path, n_frames=5, size=(16, 12)))


def test_frame_sampler_strategies_and_sequence_fps_on_a_folder(mixed_corpus):
    """Check head, rate and padding on a folder, and that sequence_fps places the rate ticks."""
    folder = mixed_corpus[0]
    native = read_frames(folder)
    head = FrameSampler(strategy="head", n_frames=15, size=None).fit_transform([folder])[0]
    np.testing.assert_array_equal(head[:12], native)
    np.testing.assert_array_equal(head[12:], native[[11, 11, 11]])  # padding="last"
    rate = FrameSampler(strategy="rate", fps=10, n_frames=4, size=None, sequence_fps=20)
    np.testing.assert_array_equal(rate.fit_transform([folder])[0], native[[0, 2, 4, 6]])
    with pytest.raises(ValueError, match=re.escape("The 'sequence_fps' parameter of FrameSampler "
                                                   "must be a float in the range (0, inf)")):
        FrameSampler(sequence_fps=-1).fit([folder])


def test_frame_sampler_lists_every_bad_sequence(tmp_path, mixed_corpus):
    """Check that bad folders raise once, listing each with its reason, in input order."""
    empty = tmp_path / "empty"
    empty.mkdir()
    pattern = str(tmp_path / "nothing_%04d.png")
    with pytest.raises(MediaError) as info:
        FrameSampler(n_frames=2, size=(8, 8)).fit_transform([mixed_corpus[0], empty, pattern])
    message = str(info.value)
    assert message.startswith("FrameSampler could not sample 2 of 3 files:")
    assert f"[1] Could not decode '{empty}': the folder holds no image files" in message
    assert f"[2] [Errno 2] No image file matches the pattern: '{pattern}'" in message


def test_clip_cache_sees_a_frame_rewritten_in_place(tmp_path):
    """Check that the per-clip cache decodes a folder again when one of its frames changes."""
    frames = np.zeros((4, 8, 8, 3), np.uint8)
    folder = write_sequence(tmp_path / "clip", frames)
    sampler = FrameSampler(n_frames=4, size=None, memory=tmp_path / "cache")
    assert sampler.fit_transform([folder]).max() == 0
    assert sampler.fit_transform([folder]).max() == 0  # served from the cache
    os.remove(os.path.join(folder, "3.png"))
    write_sequence(tmp_path / "white", np.full((1, 8, 8, 3), 255, np.uint8), start=3)
    os.replace(tmp_path / "white" / "3.png", os.path.join(folder, "3.png"))
    again = sampler.fit_transform([folder])[0]
    assert [int(f.max()) for f in again] == [0, 0, 255, 0]
    params = sampler._decode_params()
    key = ClipCache.key(folder, params)
    write_sequence(tmp_path / "more", frames[:1], start=5)
    os.replace(tmp_path / "more" / "5.png", os.path.join(folder, "5.png"))  # a frame added
    assert ClipCache.key(folder, params) != key
    assert sampler.fit_transform([folder]).shape == (1, 4, 8, 8, 3)
    # sequence_fps is part of a sequence's key only: video entries are shared across it
    assert ClipCache.key(folder, {**params, "sequence_fps": 25.0}) != ClipCache.key(folder, params)
    video = os.fspath(tmp_path / "clip.mp4")
    write_video(video, frames, fps=4)
    assert ClipCache.key(video, {**params, "sequence_fps": 25.0}) == ClipCache.key(video, params)


def test_filter_clips_and_split_clips_take_folders(tmp_path, mixed_corpus):
    """Check that filter_clips counts a folder's frames and drops bad ones, and split_clips cuts it."""
    empty = tmp_path / "empty"
    empty.mkdir()
    X, y, _, dropped = filter_clips([*mixed_corpus, str(empty)], [0, 1, 2, 3], min_frames=10,
                                    featurizers=FrameSampler(n_frames=4, size=(8, 8)))
    assert list(X) == mixed_corpus[:2] and y == [0, 1]
    assert dropped["reason"].tolist() == [
        "too short: 9 frames < min_frames=10",
        f"unreadable: Could not decode '{empty}': the folder holds no image files; frames must be "
        "PNG, JPEG, BMP, PGM or PPM files.",
    ]
    folder = mixed_corpus[0]
    fragments, _, _, source = split_clips([folder], clip_frames=5, sequence_fps=25)
    assert [f.split("#")[1] for f in fragments] == ["t=0,0.2", "t=0.2,0.4", "t=0.4,0.48"]
    pieces = [read_frames(f, sequence_fps=25) for f in fragments]
    np.testing.assert_array_equal(np.concatenate(pieces), read_frames(folder))
