"""Media I/O on the bundled ffmpeg: containers, sampling semantics, fragments, errors, cleanup."""

import os
import pickle
import re
import subprocess

import numpy as np
import psutil
import pytest

from skemotion.exceptions import MediaError, MediaWarning
from skemotion.io import (
    ffmpeg_exe,
    iter_frames,
    make_fragment,
    parse_fragment,
    probe,
    read_audio,
    read_frames,
    write_audio,
    write_video,
)

SR = 16000
FPS = 25


def ramp_frames(n=25, h=32, w=48):
    """Frame k is uniformly grey at level 10 * k, so decoded frames identify themselves."""
    levels = (np.arange(n) * 10).astype(np.uint8)
    return np.broadcast_to(levels[:, None, None, None], (n, h, w, 3)).copy()


def levels(frames):
    return [int(round(v / 10)) for v in frames[:, frames.shape[1] // 2, frames.shape[2] // 2, 0]]


def tone(seconds=1.0, freq=440.0, sr=SR):
    t = np.arange(int(seconds * sr)) / sr
    return (0.4 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def clips(media_dir):
    """One ramp clip per container, each with and without an audio track."""
    out = {}
    for ext in (".mp4", ".webm", ".avi", ".flv", ".mov"):
        for with_audio in (True, False):
            path = media_dir / f"ramp_{'av' if with_audio else 'v'}{ext}"
            write_video(path, ramp_frames(), FPS, audio=tone() if with_audio else None, sr=SR)
            out[ext, with_audio] = str(path)
    return out


CONTAINERS = [(".mp4", "h264"), (".webm", "vp9"), (".avi", "mjpeg"), (".flv", "flv1"), (".mov", "h264")]


@pytest.mark.parametrize("with_audio", [True, False])
@pytest.mark.parametrize("ext, codec", CONTAINERS)
def test_probe_and_read_every_container(clips, ext, codec, with_audio):
    """Check that probe and read_frames agree with what was written, in every container."""
    path = clips[ext, with_audio]
    info = probe(path)
    assert info.video_codec == codec
    assert (info.width, info.height) == (48, 32)
    assert info.fps == pytest.approx(FPS)
    assert info.duration == pytest.approx(1.0, abs=0.08)
    assert info.has_audio is with_audio
    assert not info.n_frames_exact
    assert probe(path, count_frames=True).n_frames == 25
    frames = read_frames(path)
    assert frames.shape == (25, 32, 48, 3) and frames.dtype == np.uint8
    assert levels(frames) == list(range(25))
    assert levels(read_frames(path, fps=5)) == [0, 5, 10, 15, 20]
    assert levels(read_frames(path, times=[0.0, 0.5, 0.9])) == [0, 13, 23]


@pytest.mark.parametrize("ext", [e for e, _ in CONTAINERS])
def test_read_audio_every_container(clips, ext):
    """Check that the audio track decodes from every container as the tone that was written."""
    y = read_audio(clips[ext, True], sr=SR)
    assert y.dtype == np.float32 and y.ndim == 1
    # Lossy codecs add encoder delay/padding of a few ms, never a different length.
    assert abs(len(y) - SR) < 0.08 * SR
    spectrum = np.abs(np.fft.rfft(y[:8000]))
    assert np.argmax(spectrum) * SR / 8000 == pytest.approx(440, abs=4)
    assert 0.3 < np.abs(y).max() < 0.5


def test_uniform_sampling_takes_bin_centres(clips):
    """Check that n_frames picks the frame shown at the centre of each of n equal bins."""
    path = clips[".mp4", False]
    assert levels(read_frames(path, n_frames=5)) == [2, 7, 12, 17, 22]
    assert levels(read_frames(path, n_frames=1)) == [12]
    # More frames than the clip has: neighbours repeat, the count is exact.
    up = read_frames(path, n_frames=40)
    assert len(up) == 40 and levels(up)[0] == 0 and levels(up)[-1] == 24
    assert np.all(np.diff(levels(up)) >= 0)


def test_seek_and_scan_agree(clips):
    """Check that seeking to each frame returns the same frames as one decoding pass."""
    path = clips[".mp4", False]
    times = [0.1, 0.33, 0.5, 0.77]
    np.testing.assert_array_equal(
        read_frames(path, times=times, seek="exact"), read_frames(path, times=times, seek=False)
    )


def test_keyframe_seeking_returns_preceding_key_frames(media_dir):
    """Check that keyframe seeking returns, per time, the key frame at or before it."""
    path = str(media_dir / "gop.mp4")
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-s", "48x32", "-r", "25", "-i", "-", "-c:v", "libx264", "-g", "10", "-keyint_min", "10",
         "-sc_threshold", "0", "-pix_fmt", "yuv420p", path],
        input=ramp_frames(25).tobytes(), check=True,
    )
    # Key frames at 0, 10, 20 (every 0.4 s).
    assert levels(read_frames(path, times=[0.1, 0.5, 0.85], seek="keyframe")) == [0, 10, 20]
    assert levels(read_frames(path, times=[0.1, 0.5, 0.85], seek="exact")) == [3, 13, 22]


@pytest.mark.parametrize("n", [1, 2, 4, 5, 12])
def test_n_frames_seek_modes_agree_on_the_frame_shown(media_dir, n):
    """Check that n_frames gives the frame shown at each bin centre whether it decodes once
    or seeks exactly, also when a centre falls exactly where a frame starts."""
    path = media_dir / "one_key_frame.mp4"
    if not path.exists():
        # 12 frames at 1 fps: frame k is shown during [k, k + 1) s; one key frame, at 0.
        subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt",
             "rgb24", "-s", "48x32", "-r", "1", "-i", "-", "-c:v", "libx264", "-g", "100",
             "-sc_threshold", "0", "-pix_fmt", "yuv420p", str(path)],
            input=ramp_frames(12).tobytes(), check=True,
        )
    shown = [int(np.floor((k + 0.5) * 12 / n)) for k in range(n)]  # n=2: 3 s, 9 s -> [3, 9]
    assert levels(read_frames(path, n_frames=n, seek=False)) == shown
    assert levels(read_frames(path, n_frames=n, seek="exact")) == shown
    assert levels(read_frames(path, n_frames=n, seek="keyframe")) == [0] * n


def test_size_color_and_letterbox(clips):
    """Check that scaling, grey conversion and letterboxing happen as requested."""
    path = clips[".mp4", False]
    gray = read_frames(path, n_frames=3, size=(16, 8), color="gray")
    assert gray.shape == (3, 8, 16, 1)
    boxed = read_frames(path, max_frames=12, size=(24, 24), keep_aspect=True)
    assert boxed.shape == (12, 24, 24, 3)
    # 48x32 into 24x24 keeps 24x16: 4 black rows above and below.
    assert boxed[-1, :3].max() == 0 and boxed[-1, -3:].max() == 0
    assert boxed[-1, 12, 12, 0] > 100


def test_fragments_trim_frames_and_audio(clips):
    """Check that path#t=a,b yields exactly the frames and the audio of [a, b)."""
    path = clips[".mp4", True]
    assert levels(read_frames(path + "#t=0.4,0.8")) == list(range(10, 20))
    assert levels(read_frames(path + "#t=0.4,0.8", n_frames=2)) == [12, 17]
    assert levels(read_frames(path, start=0.4, end=0.8)) == list(range(10, 20))
    wav = clips[".avi", True]  # PCM audio: sample exact
    full = read_audio(wav, sr=SR)
    part = read_audio(wav + "#t=0.25,0.5", sr=SR)
    assert len(part) == 4000
    np.testing.assert_allclose(part, full[4000:8000], atol=2e-4)
    assert probe(path + "#t=0.4,0.8").duration == pytest.approx(0.4)


def chirp(seconds, sr=SR):
    """A clean rising chirp: no two windows alike, and no noise for AAC to synthesise."""
    t = np.arange(int(seconds * sr)) / sr
    return (0.3 * np.sin(2 * np.pi * (200 * t + 40 * t**2))).astype(np.float32)


class ArgsRecorder:
    """Record the ffmpeg command lines that skemotion.io._read starts."""

    def __init__(self, monkeypatch):
        import skemotion.io._read as read_module

        self.commands = []
        recorder = self

        class Recording(read_module.FFmpegProcess):
            def __init__(self, args, **kwargs):
                recorder.commands.append([str(a) for a in args])
                super().__init__(args, **kwargs)

        monkeypatch.setattr(read_module, "FFmpegProcess", Recording)

    def input_seek(self):
        """The ``-ss`` value given before ``-i`` in the last command, or None."""
        args = self.commands[-1]
        before = args[: args.index("-i")]
        return float(before[before.index("-ss") + 1]) if "-ss" in before else None


@pytest.fixture(scope="module")
def long_audio(media_dir):
    """8 s of chirp as WAV (PCM), MP3, audio-only M4A (AAC), MP4 with video and WebM."""
    y = chirp(8.0)
    out = {}
    for ext in (".wav", ".mp3", ".m4a"):
        out[ext] = str(media_dir / f"chirp{ext}")
        write_audio(out[ext], y, SR)
    frames = np.zeros((16, 16, 16, 3), np.uint8)
    for ext in (".mp4", ".webm"):
        out[ext] = str(media_dir / f"chirp_video{ext}")
        write_video(out[ext], frames, 2, audio=y, sr=SR)
    return out


# PCM at its own rate is bit exact; resampling (soxr starts afresh at the seek
# point) and lossy decoders give the same samples up to float rounding.
@pytest.mark.parametrize("ext, atol", [(".wav", 0), (".mp3", 1e-5), (".m4a", 1e-4), (".mp4", 1e-4),
                                       (".webm", 0)])
@pytest.mark.parametrize("sr", [SR, 22050])
def test_late_audio_fragment_equals_slice_of_full_decode(long_audio, monkeypatch, ext, atol, sr):
    """Check that a late fragment seeks near its start instead of decoding from 0, and
    still yields exactly samples round(a * sr) to round(b * sr) of the full decode."""
    path = long_audio[ext]
    full = read_audio(path, sr=sr)
    recorder = ArgsRecorder(monkeypatch)
    a, b = 6.2, 7.45
    part = read_audio(make_fragment(path, a, b), sr=sr)
    start, stop = int(round(a * sr)), int(round(b * sr))
    assert len(part) == stop - start
    if ext == ".wav" and sr != SR:
        atol = 1e-6
    if atol == 0:
        np.testing.assert_array_equal(part, full[start:stop])
    else:
        np.testing.assert_allclose(part, full[start:stop], rtol=0, atol=atol)
    seek = recorder.input_seek()
    if ext == ".webm":
        # Millisecond timestamps make seeking inexact: decoded from 0, exact.
        assert seek is None
    else:
        # Decoding starts at most 2 s before the fragment (1 s of decoder pre-roll).
        assert seek is not None and a - 3 <= seek <= a - 1
    # A fragment in the first seconds needs no seek.
    early = read_audio(make_fragment(path, 0.5, 1.0), sr=sr)
    assert recorder.input_seek() is None
    np.testing.assert_array_equal(early, full[int(round(0.5 * sr)) : int(round(1.0 * sr))])


def test_parse_and_make_fragment():
    """Check the W3C fragment syntax, its inverse, and malformed fragments."""
    assert parse_fragment("a/b.mp4#t=10,20.5") == ("a/b.mp4", 10.0, 20.5)
    assert parse_fragment("b.mp4#t=npt:3") == ("b.mp4", 3.0, None)
    assert parse_fragment(make_fragment("x.mp4", 1.25, 2)) == ("x.mp4", 1.25, 2.0)
    with pytest.raises(ValueError, match="END"):
        parse_fragment("b.mp4#t=5,2")
    with pytest.raises(ValueError, match=re.escape("Malformed media fragment 'b.mp4#t=a,b'")):
        parse_fragment("b.mp4#t=a,b")


def test_rotation_metadata_is_applied(media_dir):
    """Check that rotation metadata is reported and applied when decoding."""
    frames = np.zeros((5, 32, 48, 3), np.uint8)
    frames[:, :, :8] = 255  # a white bar on the left edge
    path = media_dir / "rotated.mp4"
    write_video(path, frames, 5, rotation=90)
    info = probe(path)
    assert info.rotation == 90
    assert (info.width, info.height) == (48, 32) and info.display_size == (32, 48)
    out = read_frames(path)
    assert out.shape == (5, 48, 32, 3)
    # Rotated 90 degrees clockwise, the left bar becomes the top rows.
    assert out[0, :4].mean() > 200 and out[0, -4:].mean() < 50


def test_variable_frame_rate(media_dir):
    """Check sampling by time on a variable-frame-rate file (10 fps, then 40 fps)."""
    path = str(media_dir / "vfr.mp4")
    # Frames 0-9 last 0.1 s each, frames 10-29 last 0.025 s each: 1.5 s in total.
    pts = "if(lt(N,10),N*0.1,1+(N-10)*0.025)/TB"
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-s", "48x32", "-r", "40", "-i", "-", "-vf", f"setpts='{pts}'", "-fps_mode", "vfr",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", path],
        input=ramp_frames(30).tobytes(), capture_output=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert probe(path, count_frames=True).n_frames == 30
    assert len(read_frames(path)) == 30
    # The first frame at or after t=0.55 is index 6 (shown from 0.6 s; index 5 is
    # on screen at 0.55); at 1.2 s it is frame 10 + 0.2/0.025 = 18.
    assert levels(read_frames(path, times=[0.55, 1.2])) == [6, 18]
    # Ticks every 0.25 s show the frame last displayed: 0.2 s -> 2, 0.7 s -> 7, 1.25 s -> 20.
    assert levels(read_frames(path, fps=4)) == [0, 2, 5, 7, 10, 20]


def test_audio_only_and_channels(media_dir):
    """Check audio-only files, native rate, kept channels and resampling."""
    stereo = np.stack([tone(0.5, 440), tone(0.5, 880)])
    path = str(media_dir / "stereo.wav")
    write_audio(path, stereo, SR)
    info = probe(path)
    assert not info.has_video and info.has_audio and info.channels == 2 and info.sample_rate == SR
    y = read_audio(path, sr=None, mono=False)
    assert y.shape == (2, 8000)
    np.testing.assert_allclose(y, stereo, atol=1e-3)
    assert read_audio(path, sr=8000).shape == (4000,)
    with pytest.raises(MediaError, match="no video stream"):
        read_frames(path)
    # With a size and no sampling, no probe runs: ffmpeg's own refusal is translated.
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{path}': no video stream")):
        read_frames(path, size=(16, 16))
    mp3 = str(media_dir / "tone.mp3")
    write_audio(mp3, tone(), 44100)
    assert abs(len(read_audio(mp3, sr=22050)) - 22050 * SR / 44100) < 2000


# -- errors --------------------------------------------------------------------------


def test_missing_file(tmp_path):
    """Check that a missing file raises FileNotFoundError naming it, from every reader."""
    path = str(tmp_path / "nope.mp4")
    for call in (probe, read_frames, lambda p: read_audio(p, SR)):
        with pytest.raises(FileNotFoundError, match=re.escape(f"No such media file: '{path}'")):
            call(path)


def test_zero_length_file(tmp_path):
    """Check that an empty file raises MediaError naming it and the reason."""
    path = tmp_path / "empty.mp4"
    path.touch()
    for call in (probe, read_frames, lambda p: read_audio(p, SR)):
        with pytest.raises(MediaError, match=re.escape(f"'{path}': the file is empty (0 bytes)")) as err:
            call(str(path))
        assert err.value.path == str(path)


def test_corrupt_and_truncated_files(tmp_path, clips):
    """Check that garbage and a truncated mp4 raise MediaError quoting ffmpeg."""
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{garbage}'")) as err:
        read_frames(str(garbage))
    assert "ffmpeg:" in str(err.value) and err.value.stderr
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 20)
    with pytest.raises(MediaError, match=re.escape(f"'{text}'")):
        probe(str(text))
    # The moov atom sits at the end of an mp4: cutting the file leaves nothing decodable.
    data = open(clips[".mp4", True], "rb").read()
    cut = tmp_path / "truncated.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError, match=re.escape(f"'{cut}'")):
        read_frames(str(cut))


def half_file(src, dst):
    """Write the first half of the bytes of ``src`` to ``dst`` (a file cut mid-stream)."""
    data = open(src, "rb").read()
    dst.write_bytes(data[: len(data) // 2])
    return str(dst)


@pytest.fixture(scope="module")
def truncated(media_dir, clips):
    """flv, webm and mp4 (moov atom first, as streamed files have it) cut in half."""
    faststart = str(media_dir / "faststart.mp4")
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", clips[".mp4", True],
         "-c", "copy", "-movflags", "+faststart", faststart],
        check=True,
    )
    return {
        ".flv": half_file(clips[".flv", True], media_dir / "half.flv"),
        ".webm": half_file(clips[".webm", True], media_dir / "half.webm"),
        ".mp4": half_file(faststart, media_dir / "half_faststart.mp4"),
    }


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"size": (16, 16)}, {"n_frames": 8}, {"fps": 10.0}, {"times": [0.1, 0.3, 0.9]}],
    ids=["native", "native-sized", "n_frames", "fps", "times"],
)
@pytest.mark.parametrize("ext", [".flv", ".webm", ".mp4"])
def test_truncated_file_raises_after_partial_decode(truncated, ext, kwargs):
    """Check that a file cut mid-stream raises MediaError naming it and quoting ffmpeg,
    although ffmpeg decodes its first half and exits with code 0."""
    path = truncated[ext]
    msg = f"Could not decode '{path}': the file is truncated or damaged; ffmpeg reported errors while decoding"
    with pytest.raises(MediaError, match=re.escape(msg)) as err:
        read_frames(path, **kwargs)
    assert "(ffmpeg: " in str(err.value) and err.value.stderr
    assert err.value.path == path
    assert ffmpeg_children() == []


def test_truncated_file_streams_then_raises(truncated):
    """Check that iter_frames yields the intact frames and then raises, and that the
    intact head of a truncated file can still be read."""
    path = truncated[".webm"]
    seen = []
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{path}': the file is truncated")):
        for frame in iter_frames(path):
            seen.append(frame)
    assert 0 < len(seen) < 25 and levels(np.stack(seen)) == list(range(len(seen)))
    # ffmpeg reads ahead to the cut: the 3 frames are intact, and the errors are announced.
    with pytest.warns(MediaWarning, match=re.escape(f"ffmpeg reported errors while it read '{path}'")):
        assert levels(read_frames(path, max_frames=3)) == [0, 1, 2]


@pytest.mark.parametrize("ext", [".flv", ".webm", ".mp4"])
def test_truncated_file_with_every_time_present_warns_or_raises(truncated, ext):
    """Check that times that all lie before the cut return their exact frames with a
    MediaWarning quoting ffmpeg, and a MediaError with on_damage="raise"."""
    path = truncated[ext]
    with pytest.warns(MediaWarning, match=re.escape(f"ffmpeg reported errors while it read '{path}'")):
        assert levels(read_frames(path, times=[0.1, 0.3])) == [3, 8]
    msg = f"Could not decode '{path}': ffmpeg reported errors while decoding the frames at 2 times"
    with pytest.raises(MediaError, match=re.escape(msg)):
        read_frames(path, times=[0.1, 0.3], on_damage="raise")


@pytest.mark.parametrize("ext", [".flv", ".webm"])
def test_truncated_audio_raises(truncated, ext):
    """Check that read_audio on a file cut mid-stream raises instead of returning half."""
    path = truncated[ext]
    msg = f"Could not read audio from '{path}': the file is truncated or damaged"
    with pytest.raises(MediaError, match=re.escape(msg)):
        read_audio(path, SR)


def test_missing_audio_stream(clips):
    """Check that reading audio from a silent-track-less video names the file and reason."""
    path = clips[".mp4", False]
    with pytest.raises(MediaError, match=re.escape(f"Could not read audio from '{path}': it has no audio stream")):
        read_audio(path, SR)


def test_fragment_past_the_end(clips):
    """Check that a fragment starting after the end of the file is an error, not an empty array."""
    path = clips[".mp4", False] + "#t=5,6"
    with pytest.raises(MediaError, match="after the end"):
        read_frames(path)
    with pytest.raises(MediaError, match="no frame decoded"):
        read_frames(path, size=(16, 16))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_frames": 0}, "The 'n_frames' parameter of read_frames must be an int in the range [1, inf) or None. Got 0 instead."),
        ({"color": "bgr"}, "The 'color' parameter of read_frames must be a str among {'gray', 'rgb'}. Got 'bgr' instead."),
        ({"n_frames": 4, "fps": 2}, "Pass at most one of n_frames, fps and times."),
        ({"size": (32,)}, "size must be a (width, height) pair of positive ints; got (32,)."),
        ({"times": [0.1, 3.0]}, "times must lie within the segment [0, 1) s"),
    ],
)
def test_bad_arguments(clips, kwargs, message):
    """Check that bad arguments raise ValueError saying what was expected."""
    with pytest.raises(ValueError, match=re.escape(message)):
        read_frames(clips[".mp4", False], **kwargs)


def test_media_error_pickles_with_its_path():
    """Check that MediaError keeps path and stderr through pickling (joblib workers)."""
    err = pickle.loads(pickle.dumps(MediaError("Could not decode 'a.mp4': x", "a.mp4", "tail")))
    assert (err.path, err.stderr, str(err)) == ("a.mp4", "tail", "Could not decode 'a.mp4': x")


# -- no ffmpeg left behind --------------------------------------------------------------


def ffmpeg_children():
    return [p for p in psutil.Process().children(recursive=True) if "ffmpeg" in p.name().lower()]


def test_no_process_left_when_reader_stops_early(media_dir):
    """Check that closing a frame stream early kills and reaps its ffmpeg process."""
    path = str(media_dir / "long.mp4")
    write_video(path, np.zeros((200, 64, 64, 3), np.uint8), 25)
    stream = iter_frames(path)
    next(stream)
    assert len(ffmpeg_children()) == 1
    stream.close()
    assert ffmpeg_children() == []
    # An exception in the consumer closes the stream too.
    with pytest.raises(RuntimeError, match="consumer failed"):
        for i, _ in enumerate(iter_frames(path)):
            if i == 3:
                raise RuntimeError("consumer failed")
    assert ffmpeg_children() == []
    assert len(read_frames(path, max_frames=2)) == 2
    assert ffmpeg_children() == []


def test_no_process_left_after_errors(tmp_path):
    """Check that failing decodes leave no ffmpeg process behind."""
    garbage = tmp_path / "garbage.webm"
    garbage.write_bytes(b"\x1a\x45\xdf\xa3" + os.urandom(2048))
    for _ in range(3):
        with pytest.raises(MediaError):
            read_frames(str(garbage))
    assert ffmpeg_children() == []


def test_write_video_validates_input(tmp_path):
    """Check that write_video rejects wrong shapes and dtypes with the expected layout."""
    with pytest.raises(ValueError, match=re.escape("Expected frames of shape (n_frames, height, width, 3)")):
        write_video(tmp_path / "x.mp4", np.zeros((4, 8, 8, 2), np.uint8), 10)
    with pytest.raises(ValueError, match="dtype uint8"):
        write_video(tmp_path / "x.mp4", np.zeros((4, 8, 8, 3), np.float32), 10)
    with pytest.raises(ValueError, match="Cannot infer codecs"):
        write_video(tmp_path / "x.xyz", np.zeros((4, 8, 8, 3), np.uint8), 10)


def test_concealed_audio_errors_warn_when_everything_arrived(tmp_path, monkeypatch):
    """Check that ffmpeg errors after a complete audio decode warn (naming the file), not raise.

    A glitch ffmpeg conceals must not make a whole corpus unusable; a decode that
    stops short with errors still raises (the truncated-file tests above).
    """
    from skemotion.exceptions import MediaWarning
    from skemotion.io import _ffmpeg, write_audio

    path = tmp_path / "tone.ogg"  # ffmpeg decodes it (PCM WAV and FLAC are read in process)
    write_audio(path, 0.1 * np.sin(np.arange(16000) / 5), 16000)
    real_tail = _ffmpeg.FFmpegProcess.stderr_tail
    monkeypatch.setattr(
        _ffmpeg.FFmpegProcess, "stderr_tail",
        lambda self, n=12: real_tail(self, n) or "[aac] concealing 1 errors",
    )
    with pytest.warns(MediaWarning, match="(?s)" + re.escape(f"'{path}'") + ".*concealing 1 errors"):
        y = read_audio(path, sr=16000)
    assert y.shape == (16000,)


@pytest.mark.parametrize("seek", [False, "exact", "auto"])
@pytest.mark.parametrize("ext, codec_args", [(".mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p"]),
                                             (".avi", ["-c:v", "mjpeg"])])
def test_times_on_frame_starts_give_that_frame(media_dir, seek, ext, codec_args):
    """Check times exactly where frames start (k/30 s at 30 fps, not representable in binary)
    give frame k in every exact seek mode, not the next frame (a rounding slip gave frame 3
    for 2/30 s when the clip was decoded once)."""
    path = media_dir / f"ramp30{ext}"
    if not path.exists():
        subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
             "-pix_fmt", "rgb24", "-s", "48x32", "-r", "30", "-i", "-", *codec_args, str(path)],
            input=ramp_frames(25).tobytes(), check=True,
        )
    times = np.arange(25) / 30
    assert levels(read_frames(path, times=times, seek=seek)) == list(range(25))
    shuffled = np.random.default_rng(0).permutation(25)
    assert levels(read_frames(path, times=times[shuffled], seek=seek)) == shuffled.tolist()
