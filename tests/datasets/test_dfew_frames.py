"""DFEW's frame releases: load_dfew returns frame folders that FrameSampler reads as clips."""

from pathlib import Path

import numpy as np

from skemotion.datasets import load_dfew
from skemotion.io import write_sequence
from skemotion.video import FrameSampler


def _fake_dfew(root, n_clips=3, n_frames=16):
    """Split files plus Clip/clip_224x224_16f/XXXXX/XXXXX_1.jpg .. XXXXX_16.jpg, real JPEGs.

    Frame k of clip c is uniformly grey at level 10 * k + c, so sampled frames say which
    they are; the names sort lexically as 1, 10, 11, ..., 16, 2, ...
    """
    for subset in ("train", "test"):
        split = Path(root) / "EmoLabel_DataSplit" / f"{subset}(single-labeled)"
        split.mkdir(parents=True)
        rows = "".join(f"{c},{c % 7 + 1}\n" for c in range(1, n_clips + 1) if (c == 1) == (subset == "test"))
        (split / "set_1.csv").write_text("video_name,label\n" + rows)
    for c in range(1, n_clips + 1):
        levels = (10 * np.arange(1, n_frames + 1) + c).astype(np.uint8)
        frames = np.broadcast_to(levels[:, None, None], (n_frames, 16, 16)).copy()
        write_sequence(Path(root) / "Clip" / "clip_224x224_16f" / f"{c:05d}", frames,
                       pattern=f"{c:05d}_%d.jpg")
    return root


def test_dfew_frame_folders_are_sampled_in_frame_order(tmp_path):
    """Check that FrameSampler reads the folders load_dfew returns, frames 1..16 in numeric order."""
    bunch = load_dfew(_fake_dfew(tmp_path), fold=1, subset="all", clips="clip_224x224_16f")
    assert [Path(p).name for p in bunch.data] == ["00002", "00003", "00001"]
    frames = FrameSampler(n_frames=16, size=None, color="gray").fit_transform(bunch.data)
    assert frames.shape == (3, 16, 16, 16, 1)
    for row, clip in zip(frames, bunch.frame["video_name"], strict=True):
        levels = row[:, 8, 8, 0].astype(int)
        np.testing.assert_allclose(levels, 10 * np.arange(1, 17) + clip, atol=2)  # JPEG rounding
