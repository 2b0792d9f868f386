"""Damaged, unusual and hostile media (issue 18): every frame is exact or announced.

All media are made here with the bundled ffmpeg. Frame-exactness is checked
against ffmpeg's own full decode of the same file, byte for byte (no scaling).
"""

import os
import re
import socket
import subprocess
import threading
import warnings

import numpy as np
import pytest

from skemotion.exceptions import MediaError, MediaWarning
from skemotion.io import ffmpeg_exe, probe, read_audio, read_frames, write_video

SIZE = 32
SEEK_MODES = [False, "exact", True, "auto"]  # every exact mode


def ramp(n, step=3, size=SIZE):
    """Frame k is grey level ``step * k`` with a textured corner (so H.264 has work to do)."""
    rng = np.random.default_rng(0)
    frames = np.broadcast_to((np.arange(n) * step).astype(np.uint8)[:, None, None, None],
                             (n, size, size, 3)).copy()
    frames[:, :8, :8] = rng.integers(0, 255, (n, 8, 8, 3))
    return frames


def ffmpeg(*args, stdin=None):
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *map(str, args)],
                   input=stdin, check=True)


def encode(path, frames, fps, *pre, extra=(), audio=None):
    """Encode ramp frames (read from stdin) with ffmpeg, optionally with a lavfi tone input."""
    n, h, w, _ = frames.shape
    audio_in = ["-f", "lavfi", "-i", audio] if audio else []
    ffmpeg(*audio_in, *pre, "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", fps,
           "-i", "-", "-map", f"{1 if audio else 0}:v", *(["-map", "0:a"] if audio else []),
           "-pix_fmt", "yuv420p", *extra, path, stdin=np.ascontiguousarray(frames).tobytes())
    return str(path)


def full_decode(path):
    """ffmpeg's own decode of every frame of the first video stream, as RGB."""
    info = probe(path)
    w, h = info.display_size
    out = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:v:0",
         "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(out, np.uint8).reshape(-1, h, w, 3)


def shown_at(n_frames, n_video_frames):
    """Index of the frame shown at each of ``n_frames`` bin centres of a constant-rate video."""
    centres = (np.arange(n_frames) + 0.5) / n_frames
    return np.floor(centres * n_video_frames + 1e-9).astype(int).tolist()


def assert_exact_or_announced(path, reference, expected, **kwargs):
    """read_frames either returns exactly ``reference[expected]``, or warns or raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frames = read_frames(path, **kwargs)
        except MediaError:
            return "raised"
    if any(issubclass(w.category, MediaWarning) for w in caught):
        return "warned"
    np.testing.assert_array_equal(frames, reference[expected])
    return "exact"


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    out = {"dir": d}
    # 80 frames at 25 fps, moov atom at the end (write_video's default layout).
    out["clean"] = str(d / "clean.mp4")
    write_video(out["clean"], ramp(80), fps=25)
    data = open(out["clean"], "rb").read()
    damaged = bytearray(data)
    for i in range(len(data) // 2, len(data) // 2 + 300, 7):
        damaged[i] ^= 0xFF  # bytes damaged mid-file: "Invalid NAL unit size"
    out["damaged"] = str(d / "damaged.mp4")
    open(out["damaged"], "wb").write(bytes(damaged))
    # The same clip with the moov atom first, cut at 95 %.
    faststart = str(d / "faststart.mp4")
    ffmpeg("-i", out["clean"], "-c", "copy", "-movflags", "+faststart", faststart)
    data = open(faststart, "rb").read()
    out["cut95"] = str(d / "cut95.mp4")
    open(out["cut95"], "wb").write(data[: int(len(data) * 0.95)])
    # An MPEG-TS whose first 1000 bytes are lost: ffmpeg reports errors, then decodes.
    ts = encode(d / "ramp.ts", ramp(80), 25, extra=["-c:v", "libx264", "-g", "10", "-f", "mpegts"])
    out["bad_start_ts"] = str(d / "bad_start.ts")
    open(out["bad_start_ts"], "wb").write(open(ts, "rb").read()[1000:])
    # 10 frames of video (1 s at 10 fps) with 3 s of audio.
    out["audio_longer"] = encode(d / "audio_longer.mp4", ramp(10, step=20), 10,
                                 audio="sine=f=440:d=3:sample_rate=16000",
                                 extra=["-c:v", "libx264", "-c:a", "aac"])
    # FLV whose video starts 50 ms after its audio (CREMA-D is FLV): 25 frames at 25 fps.
    out["late_video_flv"] = encode(d / "late.flv", ramp(25, step=10), 25, "-itsoffset", "0.05",
                                   audio="sine=f=440:d=1.2:sample_rate=22050",
                                   extra=["-c:v", "libx264", "-c:a", "libmp3lame"])
    # 12 frames at 1 fps with one key frame: bin centres far apart.
    out["long_gop"] = encode(d / "long_gop.mp4", ramp(12, step=20), 1,
                             extra=["-c:v", "libx264", "-g", "100", "-sc_threshold", "0"])
    return out


# -- 1. silently wrong frames -------------------------------------------------------------


@pytest.mark.parametrize("seek", [*SEEK_MODES, "keyframe"])
@pytest.mark.parametrize("name", ["damaged", "cut95", "bad_start_ts"])
def test_damaged_files_never_give_silently_wrong_frames(media, name, seek):
    """Check that a file damaged mid-file, cut at 95 % or with a lost start is never
    sampled silently: ffmpeg's errors are looked at wherever the reader stops."""
    path = media[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            read_frames(path, n_frames=8, seek=seek)
        except MediaError as exc:
            assert str(exc).startswith(f"Could not decode '{path}'") and "(ffmpeg: " in str(exc)
            return
    messages = [str(w.message) for w in caught if issubclass(w.category, MediaWarning)]
    assert messages and messages[0].startswith(f"ffmpeg reported errors while it read '{path}'")


def test_seeking_a_damaged_file_warns_once(media):
    """Check that exact seeks into a file damaged mid-file give one MediaWarning for the read,
    counting the seeks that met errors, not one warning per seek."""
    path = media["damaged"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_frames(path, n_frames=8, seek="exact")
    messages = [str(w.message) for w in caught if issubclass(w.category, MediaWarning)]
    assert len(messages) == 1, messages
    assert re.search(r"\(\d+ of 8 seeks met errors\)", messages[0])


@pytest.mark.parametrize("seek", SEEK_MODES)
def test_damage_mid_file_warns_and_on_damage_raises(media, seek):
    """Check that all frames asked for from a file damaged mid-file come with a
    MediaWarning quoting ffmpeg, and that on_damage="raise" makes it a MediaError."""
    path = media["damaged"]
    with pytest.warns(MediaWarning, match=re.escape(f"ffmpeg reported errors while it read '{path}'")):
        read_frames(path, n_frames=8, seek=seek)
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{path}': ")) as err:
        read_frames(path, n_frames=8, seek=seek, on_damage="raise")
    assert "Invalid NAL unit size" in str(err.value)


def test_intact_files_return_exact_frames_without_warning(media):
    """Check that a clean file gives ffmpeg's own frames, byte-equal, and no warning."""
    path = media["clean"]
    reference = full_decode(path)
    for seek in SEEK_MODES:
        assert assert_exact_or_announced(path, reference, shown_at(8, 80), n_frames=8, seek=seek) == "exact"


# -- 2. audio longer than video -----------------------------------------------------------


@pytest.mark.parametrize("n_frames", [4, 16])
@pytest.mark.parametrize("seek", SEEK_MODES)
def test_uniform_sampling_spans_the_video_stream(media, seek, n_frames):
    """Check that n_frames bins span the 1 s video stream, not the 3 s container,
    byte-equal to ffmpeg's decode; with 16 bins the last frame appears."""
    path = media["audio_longer"]
    assert probe(path).duration == pytest.approx(3.0, abs=0.05)
    reference = full_decode(path)
    assert len(reference) == 10
    expected = shown_at(n_frames, 10)  # 4 bins: [1, 3, 6, 8]
    assert assert_exact_or_announced(path, reference, expected, n_frames=n_frames, seek=seek) == "exact"
    if n_frames == 16:
        assert expected[-1] == 9


def test_frame_sampler_on_audio_longer_than_video(media):
    """Check that FrameSampler spreads its frames over the video, not the audio."""
    from skemotion.video import FrameSampler

    path = media["audio_longer"]
    frames = FrameSampler(n_frames=4, size=None).fit_transform([path])
    np.testing.assert_array_equal(frames[0], full_decode(path)[[1, 3, 6, 8]])


# -- 3. paths that look like protocols ----------------------------------------------------


class Listener:
    """A local TCP port that counts the connections made to it (and closes each at once)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def assert_no_connection(server):
    # A connection ffmpeg made is counted before ffmpeg returns (it waits for the reply).
    assert server.connections == 0


@pytest.fixture
def recorded_commands(monkeypatch):
    """Every command line skemotion starts, recorded."""
    ffmpeg_exe()  # imageio-ffmpeg runs "ffmpeg -version" once, on first use
    commands = []
    real = subprocess.Popen

    class Recording(real):
        def __init__(self, args, *rest, **kwargs):
            commands.append(list(map(str, args)))
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Recording)
    return commands


def assert_file_only(commands):
    assert commands
    for args in commands:
        inputs = [i for i, a in enumerate(args) if a == "-i"]
        assert inputs
        for i in inputs:
            if args[i + 1] == "-":
                assert args[i - 2 : i] == ["-protocol_whitelist", "pipe,fd"]
            else:
                assert args[i - 2 : i] == ["-protocol_whitelist", "file"]
                assert args[i + 1].startswith("file:/")


def test_local_path_that_looks_like_a_url_is_the_local_file(tmp_path, monkeypatch, listener,
                                                            recorded_commands):
    """Check that an existing relative path 'http:/127.0.0.1:PORT/clip.mp4' is read from
    disk, that ffmpeg got a file-only protocol list, and that no socket was opened."""
    monkeypatch.chdir(tmp_path)
    port = listener.port
    local = tmp_path / "http:" / f"127.0.0.1:{port}"
    local.mkdir(parents=True)
    clip = write_video(local / "clip.mp4", ramp(10, step=20), fps=10) or local / "clip.mp4"
    path = f"http:/127.0.0.1:{port}/clip.mp4"
    frames = read_frames(path, n_frames=3)
    read_audio(write_video(tmp_path / "v.mp4", ramp(4), fps=4, audio=np.zeros(8000, np.float32),
                           sr=16000) or str(tmp_path / "v.mp4"), sr=8000)
    np.testing.assert_array_equal(frames, read_frames(str(clip), n_frames=3))
    assert_no_connection(listener)
    assert_file_only(recorded_commands)


def test_file_colon_name_is_that_file(tmp_path, monkeypatch):
    """Check that a local file named 'file:clip.mp4' is decoded, not 'clip.mp4'."""
    monkeypatch.chdir(tmp_path)
    write_video("clip.mp4", np.zeros((4, 16, 16, 3), np.uint8), fps=4)
    write_video("file:clip.mp4", np.full((4, 16, 16, 3), 200, np.uint8), fps=4)
    assert read_frames("file:clip.mp4")[:, 8, 8, 0].min() > 150
    assert read_frames("clip.mp4")[:, 8, 8, 0].max() < 50


def test_url_to_a_closed_local_port_raises_at_once(listener, recorded_commands):
    """Check that a URL that is no local file raises FileNotFoundError before any
    ffmpeg starts, so nothing connects."""
    port = listener.port
    url = f"http://127.0.0.1:{port}/clip.mp4"
    with pytest.raises(FileNotFoundError, match=re.escape(f"No such media file: '{url}'")):
        read_frames(url)
    with pytest.raises(FileNotFoundError, match=re.escape(f"No such media file: '{url}'")):
        probe(url)
    assert recorded_commands == []
    assert_no_connection(listener)


def test_playlist_cannot_reach_the_network(tmp_path, listener, recorded_commands):
    """Check that a local HLS playlist pointing at a web address fails with MediaError
    instead of making ffmpeg connect (the protocol whitelist also binds nested opens)."""
    port = listener.port
    playlist = tmp_path / "list.m3u8"
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n"
                        f"http://127.0.0.1:{port}/seg0.ts\n#EXT-X-ENDLIST\n")
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{playlist}'")):
        read_frames(str(playlist))
    assert_no_connection(listener)
    assert_file_only(recorded_commands)


# -- 4. streams that start late -----------------------------------------------------------


@pytest.mark.parametrize("n_frames", [8, 16])
@pytest.mark.parametrize("seek", SEEK_MODES)
def test_video_starting_late_is_sampled_from_its_own_start(media, seek, n_frames):
    """Check that an FLV whose video starts 50 ms after its audio gives, in every exact
    mode, the frames shown at the bin centres of the video stream (byte-equal)."""
    path = media["late_video_flv"]
    reference = full_decode(path)
    assert len(reference) == 25
    got = assert_exact_or_announced(path, reference, shown_at(n_frames, 25), n_frames=n_frames, seek=seek)
    assert got == "exact"


def test_times_count_from_the_video_start(media):
    """Check that times (first frame at or after each) and fps ticks count from the
    video stream's first frame."""
    path = media["late_video_flv"]
    reference = full_decode(path)
    for seek in (False, "exact"):
        np.testing.assert_array_equal(read_frames(path, times=[0.0, 0.5], seek=seek), reference[[0, 13]])
    np.testing.assert_array_equal(read_frames(path, fps=5), reference[[0, 5, 10, 15, 20]])


# -- 5. approximate frames only when asked for --------------------------------------------


def test_default_seek_is_exact_when_frames_are_far_apart(media):
    """Check that with bin centres 6 s apart the default returns the exact frames, and
    only seek="keyframe" returns the (documented) preceding key frame."""
    path = media["long_gop"]
    reference = full_decode(path)
    np.testing.assert_array_equal(read_frames(path, n_frames=2), reference[[3, 9]])
    np.testing.assert_array_equal(read_frames(path, n_frames=2, seek="keyframe"), reference[[0, 0]])
    assert "only approximate mode" in read_frames.__doc__


# -- 9. error messages that are the same on every run -------------------------------------


@pytest.mark.parametrize("kwargs", [{}, {"n_frames": 8, "on_damage": "raise"}, {"n_frames": 8}],
                         ids=["whole", "n_frames-raise", "n_frames-cut"])
@pytest.mark.parametrize("name", ["damaged", "bad_start_ts", "cut95"])
def test_error_messages_are_the_same_on_every_run(media, name, kwargs):
    """Check that errors and warnings quoting ffmpeg are identical over runs: no '@ 0x…'
    addresses, and threaded decoders' lines in a fixed order."""
    messages = set()
    for _ in range(4):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MediaWarning)
            try:
                read_frames(media[name], **kwargs)
            except MediaError as exc:
                messages.add(str(exc))
        messages.update(str(w.message) for w in caught if issubclass(w.category, MediaWarning))
    assert len(messages) == 1
    message = messages.pop()
    assert "ffmpeg" in message and not re.search(r"@ 0x[0-9a-f]", message)


def test_probe_message_carries_no_memory_address(media):
    """Check that probe's 'not a readable media file' drops ffmpeg's addresses too."""
    garbage = media["dir"] / "garbage.mp4"
    garbage.write_bytes(b"\x00\x01junk" * 500)
    with pytest.raises(MediaError) as err:
        probe(str(garbage))
    assert "(ffmpeg: " in str(err.value) and not re.search(r"@ 0x[0-9a-f]", str(err.value))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_not_reported_as_empty(tmp_path):
    """Check that a FIFO is named as such, without ffmpeg blocking on it."""
    fifo = tmp_path / "clip.mp4"
    os.mkfifo(fifo)
    msg = f"Could not decode '{fifo}': it is a FIFO (named pipe), not a regular file."
    for read in (read_frames, probe, lambda p: read_audio(p, sr=None)):
        with pytest.raises(MediaError, match=re.escape(msg)):
            read(str(fifo))


def test_stream_with_a_bad_start_is_not_said_to_stop(media):
    """Check that an MPEG-TS that decodes to its end after a damaged start is described
    as damaged with the frames decoded, not as having stopped after a few frames."""
    path = media["bad_start_ts"]
    msg = (f"Could not decode '{path}': the file is truncated or damaged; ffmpeg reported errors "
           "while decoding it (")
    with pytest.raises(MediaError, match=re.escape(msg)) as err:
        read_frames(path)
    assert "stopped" not in str(err.value)
    assert "frames decoded)" in str(err.value)


def test_every_input_becomes_a_file_url():
    """Check that ffmpeg_command turns every input but stdin into a whitelisted file URL,
    even one that already looks like a file or pipe URL."""
    from skemotion.io._ffmpeg import ffmpeg_command

    args = ffmpeg_command(["-i", "file:/etc/x.mp4", "-i", "pipe:3", "-i", "-", "-f", "null", "-"])
    cwd = os.getcwd()
    assert args[3:] == [
        "-protocol_whitelist", "file", "-i", f"file:{cwd}/file:/etc/x.mp4",
        "-protocol_whitelist", "file", "-i", f"file:{cwd}/pipe:3",
        "-protocol_whitelist", "pipe,fd", "-i", "-",
        "-f", "null", "-",
    ]
