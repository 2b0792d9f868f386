"""Image sequences (folders of frames, printf and glob patterns) read wherever a video is."""

import os
import re
import shutil

import numpy as np
import pytest

from skemotion.exceptions import MediaError
from skemotion.io import iter_frames, probe, read_frames, write_sequence
from skemotion.io._ffmpeg import local_url, run_ffmpeg

RATE = 30
N = 24  # 0.8 s at 30 fps: a duration the mp4 header states exactly


def _random_clip(n=N, h=12, w=16, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, h, w, 3), dtype=np.uint8)


def _lossless_mp4(path, frames, rate):
    """RGB H.264 at qp 0, every frame a key frame: the video twin of a PNG folder."""
    n, h, w, _ = frames.shape
    run_ffmpeg(["-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
                "-r", str(rate), "-i", "-", "-c:v", "libx264rgb", "-qp", "0", "-g", "1",
                local_url(path)], path=path, input_bytes=frames.tobytes(), what="write")
    return str(path)


@pytest.fixture(scope="session")
def twins(tmp_path_factory):
    """The same clip as a lossless mp4 and as a folder of PNGs named 1.png ... 24.png."""
    root = tmp_path_factory.mktemp("twins")
    frames = _random_clip()
    return _lossless_mp4(root / "clip.mp4", frames, RATE), write_sequence(root / "frames", frames), frames


# Times sit inside frames, away from frame starts: there ffmpeg's own video paths round
# timestamps (to the container's time base, or to printed decimals) and differ by a frame.
_TIMES = [0.05, 0.31, 0.02, 0.42]
# The video's seeking modes start one ffmpeg per frame: fewer frames there keep the test short.
_MODES = [
    {},
    {"max_frames": 5},
    *({"n_frames": n, "seek": seek} for n in (1, 5, 16, 24, 50) for seek in ("auto", False)),
    *({"n_frames": n, "seek": seek} for n in (3, 7) for seek in ("exact", "keyframe")),
    *({"fps": f} for f in (7, 12.5, 30, 60)),
    {"fps": 10, "max_frames": 3},
    *({"times": _TIMES, "seek": seek} for seek in ("auto", False, "exact", "keyframe")),
]
_OUTPUTS = [{}, {"size": (9, 7)}, {"size": (20, 20), "keep_aspect": True}, {"color": "gray"},
            {"size": (8, 6), "color": "gray"}]
_SEGMENTS = [{}, {"start": 3 / RATE, "end": 17 / RATE}, {"path_fragment": (5 / RATE, 20 / RATE)}]


def _read_both(twins, **kwargs):
    mp4, folder, _ = twins
    fragment = kwargs.pop("path_fragment", None)
    if fragment is not None:
        mp4, folder = (f"{p}#t={fragment[0]:.6f},{fragment[1]:.6f}" for p in (mp4, folder))
    return read_frames(mp4, **kwargs), read_frames(folder, **kwargs)


def _assert_same_frames(twins, mode, pairs):
    for output, segment in pairs:
        video, sequence = _read_both(twins, **mode, **output, **segment)
        assert sequence.shape == video.shape, (mode, output, segment)
        np.testing.assert_array_equal(sequence, video, err_msg=f"{mode} {output} {segment}")


@pytest.mark.parametrize("mode", _MODES, ids=repr)
def test_png_folder_equals_lossless_mp4_in_every_sampling_mode(twins, mode):
    """Check that a PNG folder and a lossless RGB mp4 of one clip give the same frames, exactly.

    Each output (size, letterbox, grey) and each segment (whole, start/end, fragment) meets
    every sampling mode; the slow test below crosses all three.
    """
    pairs = [(output, _SEGMENTS[i % len(_SEGMENTS)]) for i, output in enumerate(_OUTPUTS)]
    _assert_same_frames(twins, mode, pairs)


@pytest.mark.slow
@pytest.mark.parametrize("mode", _MODES, ids=repr)
def test_png_folder_equals_lossless_mp4_for_every_output_and_segment(twins, mode):
    """Check the same equality for every combination of mode, output and segment."""
    _assert_same_frames(twins, mode, [(o, g) for o in _OUTPUTS for g in _SEGMENTS])


def test_png_folder_round_trips_exactly(twins):
    """Check that reading a PNG folder at its native size returns the written frames."""
    _, folder, frames = twins
    np.testing.assert_array_equal(read_frames(folder), frames)
    np.testing.assert_array_equal(np.stack(list(iter_frames(folder))), frames)


@pytest.fixture(scope="session")
def numbered(tmp_path_factory):
    """Frames 1.png ... 120.png (no zero padding); frame k is uniformly grey at level k."""
    levels = np.arange(1, 121, dtype=np.uint8)
    frames = np.broadcast_to(levels[:, None, None, None], (120, 4, 6, 3)).copy()
    return write_sequence(tmp_path_factory.mktemp("numbered") / "clip", frames)


def test_frames_named_1_to_120_are_read_in_numeric_order(numbered):
    """Check that 2.png precedes 10.png and 100.png: frames are ordered by number, not lexically."""
    assert sorted(os.listdir(numbered))[:3] == ["1.png", "10.png", "100.png"]
    frames = read_frames(numbered, color="gray")
    assert frames[:, 0, 0, 0].tolist() == list(range(1, 121))
    uniform = read_frames(numbered, n_frames=4, color="gray")[:, 0, 0, 0]
    assert uniform.tolist() == [16, 46, 76, 106]  # the frames shown at the bin centres


def test_printf_and_glob_patterns_read_like_the_folder(tmp_path):
    """Check that printf and glob patterns select and order the same frames as a folder."""
    frames = _random_clip(n=11)
    folder = write_sequence(tmp_path / "clip", frames, pattern="img_%04d.png", start=0)
    (tmp_path / "clip" / "notes.txt").write_text("not a frame")
    expected = read_frames(folder)
    np.testing.assert_array_equal(expected, frames)
    for pattern in ("img_%04d.png", "img_*.png", "*.png", "img_00?[0-9].png"):
        np.testing.assert_array_equal(read_frames(os.path.join(folder, pattern)), frames)
    assert probe(os.path.join(folder, "img_%04d.png")).n_frames == 11


def test_non_image_files_hidden_files_and_subfolders_are_ignored(tmp_path):
    """Check that only image files are frames: text, hidden files and folders are left out."""
    frames = _random_clip(n=5)
    folder = write_sequence(tmp_path / "clip", frames)
    (tmp_path / "clip" / "landmarks.txt").write_text("1 2 3")
    (tmp_path / "clip" / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / "clip" / "._3.png").write_bytes(b"\0\x05\x16\x07")  # a macOS resource fork
    (tmp_path / "clip" / "7.png").mkdir()
    np.testing.assert_array_equal(read_frames(folder), frames)


def _expect(exc_type, message, path, **kwargs):
    with pytest.raises(exc_type, match=re.escape(message)):
        read_frames(path, **kwargs)


def test_empty_and_missing_sequences_raise_naming_them(tmp_path):
    """Check the errors for an empty folder, one without images, a missing folder and no match."""
    empty = tmp_path / "empty"
    empty.mkdir()
    _expect(MediaError, f"Could not decode '{empty}': the folder holds no image files; frames "
            "must be PNG, JPEG, BMP, PGM or PPM files.", empty)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("x")
    _expect(MediaError, "the folder holds no image files (ignored, not images: 'a.txt')", texts)
    _expect(FileNotFoundError, "No such folder of frames", tmp_path / "nowhere" / "%04d.png")
    _expect(FileNotFoundError, f"No image file matches the pattern: '{empty / '*.png'}'",
            empty / "*.png")
    with pytest.raises(FileNotFoundError, match="No such media file"):
        read_frames(tmp_path / "missing_folder")  # neither a folder nor a pattern
    with pytest.raises(FileNotFoundError, match="No such media file"):
        read_frames(tmp_path / "take[2].mp4")  # a video's name, not a pattern of frames


def test_mixed_formats_unsupported_images_and_ambiguous_numbers_are_refused(tmp_path):
    """Check that a folder mixing formats, holding TIFFs or two frames numbered alike raises."""
    frames = _random_clip(n=3)
    mixed = write_sequence(tmp_path / "mixed", frames)
    write_sequence(tmp_path / "jpg", frames, pattern="%d.jpg", start=4)
    shutil.copy(tmp_path / "jpg" / "4.jpg", tmp_path / "mixed" / "4.jpg")
    _expect(MediaError, f"Could not decode '{mixed}': it mixes image formats (1 MJPEG ('4.jpg'), "
            "3 PNG ('1.png')); the frames of a clip must share one format.", mixed)
    tiff = write_sequence(tmp_path / "tiff", frames)
    (tmp_path / "tiff" / "4.tif").write_bytes(b"II*\0")
    _expect(MediaError, "it holds 1 image(s) in a format not read as frames (.tif, e.g. '4.tif')",
            tiff)
    twice = write_sequence(tmp_path / "twice", frames)
    shutil.copy(tmp_path / "twice" / "1.png", tmp_path / "twice" / "01.png")
    _expect(MediaError, "'01.png' and '1.png' carry the same frame number", twice)


def test_corrupt_empty_and_mismatched_frames_raise_naming_the_frame(tmp_path):
    """Check that a truncated, empty, garbage or differently sized frame is named in the error."""
    frames = _random_clip(n=4, h=24, w=32)
    truncated = write_sequence(tmp_path / "truncated", frames)
    data = (tmp_path / "truncated" / "3.png").read_bytes()
    (tmp_path / "truncated" / "3.png").write_bytes(data[: len(data) // 2])
    _expect(MediaError, f"Could not decode '{truncated}': its frame '3.png' is corrupt or truncated",
            truncated)
    empty = write_sequence(tmp_path / "empty_frame", frames)
    (tmp_path / "empty_frame" / "2.png").write_bytes(b"")
    _expect(MediaError, "its frame '2.png' is not a readable PNG image (the file is empty (0 bytes))",
            empty)
    garbage = write_sequence(tmp_path / "garbage", frames)
    (tmp_path / "garbage" / "4.png").write_bytes(b"not a png at all, just text")
    _expect(MediaError, "its frame '4.png' is not a readable PNG image (no PNG signature and header)",
            garbage)
    sizes = write_sequence(tmp_path / "sizes", frames)
    write_sequence(tmp_path / "small", frames[:1, :12, :16], start=5)
    shutil.copy(tmp_path / "small" / "5.png", tmp_path / "sizes" / "5.png")
    _expect(MediaError, f"Could not decode '{sizes}': its images differ in size ('1.png' is 32x24; "
            "'5.png' is 16x12); the frames of a clip must share one size.", sizes, size=(8, 8))


def test_probe_describes_a_sequence_from_its_headers(twins):
    """Check that probe gives an exact frame count, the rate given, the duration and the size."""
    _, folder, _ = twins
    info = probe(folder)
    assert (info.n_frames, info.n_frames_exact, info.fps, info.duration) == (24, True, 30.0, 0.8)
    assert (info.width, info.height, info.has_video, info.has_audio) == (16, 12, True, False)
    assert info.video_codec == "png" and info.path == os.fspath(folder)
    assert probe(folder, sequence_fps=12).duration == 2.0
    part = probe(f"{folder}#t=0.1,0.5")
    assert (part.n_frames, part.start, round(part.duration, 6)) == (12, 0.1, 0.4)


def test_sequence_fps_sets_the_time_of_each_frame(twins):
    """Check that sequence_fps places frames in time: at 10 fps, t=0.45 s is frame 4."""
    _, folder, frames = twins
    np.testing.assert_array_equal(read_frames(folder, times=[0.45], sequence_fps=10), frames[[5]])
    np.testing.assert_array_equal(read_frames(folder, times=[0.45], sequence_fps=10, seek="keyframe"),
                                  frames[[4]])
    np.testing.assert_array_equal(read_frames(folder, fps=5, sequence_fps=10), frames[::2])
    with pytest.raises(ValueError, match=re.escape("The 'sequence_fps' parameter of read_frames "
                                                   "must be a float in the range (0, inf). Got 0")):
        read_frames(folder, sequence_fps=0)


def test_grayscale_16_bit_and_jpeg_frames(tmp_path):
    """Check 8-bit grey and 16-bit PNGs (read as their high byte) and a JPEG folder."""
    rng = np.random.default_rng(1)
    grey = rng.integers(0, 256, (3, 8, 10), dtype=np.uint8)
    folder = write_sequence(tmp_path / "grey", grey)
    np.testing.assert_array_equal(read_frames(folder, color="gray")[..., 0], grey)
    np.testing.assert_array_equal(read_frames(folder), np.repeat(grey[..., None], 3, axis=-1))
    deep = grey.astype(np.uint16) * 257  # v * 257 has high byte v
    folder16 = write_sequence(tmp_path / "grey16", deep)
    assert probe(folder16).width == 10
    np.testing.assert_array_equal(read_frames(folder16, color="gray")[..., 0], grey)
    smooth = np.broadcast_to(np.linspace(40, 200, 16, dtype=np.uint8)[None, None, :, None],
                             (5, 16, 16, 3)).copy()
    jpegs = write_sequence(tmp_path / "jpeg", smooth, pattern="frame%03d.jpg")
    decoded = read_frames(jpegs)
    assert decoded.shape == smooth.shape
    assert np.abs(decoded.astype(int) - smooth).max() <= 8  # JPEG is lossy


def test_read_audio_says_a_sequence_has_no_audio(twins):
    """Check that asking a folder of frames for audio names it and the reason."""
    from skemotion.io import read_audio

    _, folder, _ = twins
    with pytest.raises(MediaError, match=re.escape(
            f"Could not read audio from '{folder}': it is an image sequence (a folder of frames or "
            "a pattern), which has no audio stream.")):
        read_audio(folder, sr=16000)


def _with_exif_orientation(jpeg, orientation):
    """JPEG bytes with an Exif APP1 segment holding only the orientation tag, after SOI."""
    import struct

    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHII", 0x0112, 3, 1, orientation) + struct.pack("<I", 0)
    payload = b"Exif\0\0" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def test_jpeg_exif_orientation_is_applied_as_video_rotation_is(tmp_path):
    """Check that frames stored sideways (EXIF orientation 6) decode upright, and probe says so."""
    frames = np.zeros((2, 16, 32, 3), np.uint8)
    frames[:, :, :8] = 255  # the left quarter is white
    folder = write_sequence(tmp_path / "sideways", frames, pattern="%d.jpg")
    for name in ("1.jpg", "2.jpg"):
        path = tmp_path / "sideways" / name
        path.write_bytes(_with_exif_orientation(path.read_bytes(), 6))
    info = probe(folder)
    assert (info.width, info.height, info.rotation, info.display_size) == (32, 16, 90, (16, 32))
    upright = read_frames(folder, color="gray")[..., 0]
    assert upright.shape == (2, 32, 16)
    assert upright[:, :8].min() > 200 and upright[:, 8:].max() < 50  # left turned to the top


def test_links_are_removed_when_iteration_stops_early(twins, tmp_path, monkeypatch):
    """Check that the folder of links a decode uses is gone after a read and after an early stop."""
    import tempfile

    _, folder, frames = twins
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stream = iter_frames(folder, size=(8, 8))
    next(stream)
    assert [p.name.startswith("skemotion-frames-") for p in tmp_path.iterdir()] == [True]
    stream.close()  # ffmpeg killed and reaped, links removed
    read_frames(folder, n_frames=3)
    assert list(tmp_path.iterdir()) == []
