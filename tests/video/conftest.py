"""Tiny clips with known content for the video tests (written once per session)."""

import numpy as np
import pytest


def _ramp_frames(n_frames, width=32, height=32, step=10):
    """Flat frames whose value encodes the frame index: frame k is ``step * k`` everywhere."""
    values = (np.arange(n_frames) * step).astype(np.uint8)
    return np.broadcast_to(values[:, None, None, None], (n_frames, height, width, 3)).copy()


def _frame_ids(frames, step=10):
    """Recover frame indices from ramp frames (H.264 shifts values by a few levels)."""
    centre = frames[:, frames.shape[1] // 2, frames.shape[2] // 2, 0].astype(float)
    return np.round(centre / step).astype(int).tolist()


@pytest.fixture(scope="session")
def frame_ids():
    """The function mapping ramp frames (T, H, W, C) back to their frame indices."""
    return _frame_ids


@pytest.fixture(scope="session")
def video_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("video_clips")


@pytest.fixture(scope="session")
def ramp_clip(video_dir):
    """20 ramp frames at 10 fps (2 s), 32x32."""
    from skemotion.io import write_video

    path = video_dir / "ramp20.mp4"
    write_video(path, _ramp_frames(20), fps=10)
    return str(path)


@pytest.fixture(scope="session")
def short_clip(video_dir):
    """4 ramp frames at 10 fps (0.4 s), 32x32."""
    from skemotion.io import write_video

    path = video_dir / "ramp4.mp4"
    write_video(path, _ramp_frames(4), fps=10)
    return str(path)


@pytest.fixture(scope="session")
def wide_clip(video_dir):
    """6 white frames, 64 wide by 32 high."""
    from skemotion.io import write_video

    path = video_dir / "wide.mp4"
    write_video(path, np.full((6, 32, 64, 3), 255, np.uint8), fps=10)
    return str(path)


@pytest.fixture(scope="session")
def bad_files(video_dir, ramp_clip):
    """A zero-length mp4, a truncated mp4 and an audio-only wav (real bad files)."""
    from skemotion.io import write_audio

    empty = video_dir / "empty.mp4"
    empty.write_bytes(b"")
    truncated = video_dir / "truncated.mp4"
    with open(ramp_clip, "rb") as f:
        truncated.write_bytes(f.read()[:200])
    silent_video = video_dir / "tone.wav"
    write_audio(silent_video, 0.1 * np.sin(np.arange(8000, dtype=np.float32) / 5), 16000)
    return {"empty": str(empty), "truncated": str(truncated), "audio_only": str(silent_video)}
