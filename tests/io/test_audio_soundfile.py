"""Tests of the in-process WAV/FLAC path of read_audio against the bundled ffmpeg's decode."""

import re
import subprocess

import numpy as np
import pytest
import soundfile
from numpy.testing import assert_array_equal

import skemotion.io._read as read_module
from skemotion.audio import AudioLoader
from skemotion.exceptions import MediaError
from skemotion.io import ffmpeg_exe, read_audio

SR = 22050


def _ffmpeg_decode(monkeypatch, path, sr, **kwargs):
    """read_audio through ffmpeg alone, as before the in-process path existed."""
    with monkeypatch.context() as patch:
        patch.setattr(read_module, "read_audio_soundfile", lambda *a, **k: None)
        return read_audio(path, sr, **kwargs)


def _speechlike(n, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    y = [0.3 * np.sin(2 * np.pi * (150 + 40 * c) * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
         + 0.01 * rng.standard_normal(n) for c in range(channels)]
    return np.stack(y, axis=1).astype(np.float32)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("soundfile")
    y = _speechlike(SR, 1)
    stereo = _speechlike(SR, 2, seed=1)
    paths = {}
    for name, data, fmt, subtype in [
        ("pcm16.wav", y, "WAV", "PCM_16"),
        ("pcm24.wav", y, "WAV", "PCM_24"),
        ("float.wav", y, "WAV", "FLOAT"),
        ("lossless.flac", y, "FLAC", "PCM_16"),
        ("stereo.flac", stereo, "FLAC", "PCM_24"),
        ("stereo.wav", stereo, "WAV", "PCM_16"),
        ("aiff.aiff", y, "AIFF", "PCM_16"),
        ("six.wav", _speechlike(SR, 6, seed=2), "WAV", "PCM_16"),
    ]:
        paths[name] = str(out / name)
        soundfile.write(paths[name], data, SR, format=fmt, subtype=subtype)
    return paths


@pytest.mark.parametrize("name", ["pcm16.wav", "pcm24.wav", "float.wav", "lossless.flac",
                                  "stereo.flac", "stereo.wav", "aiff.aiff", "six.wav"])
@pytest.mark.parametrize("sr", [None, 16000, 44100])
def test_samples_equal_ffmpegs_decode(files, monkeypatch, name, sr):
    """Check that the in-process decode gives ffmpeg's samples bit for bit (rate, down-mix)."""
    for mono in (True, False):
        fast = read_audio(files[name], sr, mono=mono)
        slow = _ffmpeg_decode(monkeypatch, files[name], sr, mono=mono)
        assert fast.dtype == np.float32 and fast.shape == slow.shape
        assert_array_equal(fast, slow)


def test_duration_keeps_the_samples_of_the_whole_decode(files):
    """Check that duration= gives the first samples of the whole file's (resampled) decode."""
    whole = read_audio(files["lossless.flac"], 16000)
    head = read_audio(files["lossless.flac"], 16000, duration=0.3)
    assert_array_equal(head, whole[: round(0.3 * 16000)])


def test_whole_wav_and_flac_do_not_start_ffmpeg(files, monkeypatch):
    """Check that PCM WAV and FLAC files are decoded without an ffmpeg process."""
    def refuse(*args, **kwargs):
        raise AssertionError("ffmpeg was started")

    monkeypatch.setattr(read_module, "FFmpegProcess", refuse)
    monkeypatch.setattr(read_module, "probe", refuse)
    for name in ("pcm16.wav", "lossless.flac", "stereo.flac"):
        assert read_audio(files[name], 16000).size


def test_truncated_wav_raises_naming_the_file(files, tmp_path):
    """Check that a WAV shorter than its header announces raises instead of returning less."""
    data = open(files["pcm16.wav"], "rb").read()
    path = tmp_path / "cut.wav"
    path.write_bytes(data[: len(data) // 2])
    msg = f"Could not read audio from '{path}': the file is truncated (its header announces"
    with pytest.raises(MediaError, match=re.escape(msg)):
        read_audio(path, None)


def test_truncated_flac_raises_naming_the_file(files, tmp_path):
    """Check that a FLAC cut mid-stream raises a MediaError naming it."""
    data = open(files["lossless.flac"], "rb").read()
    path = tmp_path / "cut.flac"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError, match=re.escape(f"'{path}'")):
        read_audio(path, None)


def test_streamed_wav_with_unknown_size_reads_whole(files, tmp_path):
    """Check that a WAV written to a pipe (no size in its header) is read whole, not refused."""
    path = tmp_path / "streamed.wav"
    with open(path, "wb") as out:
        subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-i", files["pcm16.wav"], "-f", "wav",
                        "-"], stdout=out, check=True)
    assert_array_equal(read_audio(path, None), read_audio(files["pcm16.wav"], None))


def test_not_audio_with_a_wav_name_gets_ffmpegs_error(tmp_path):
    """Check that a file libsndfile cannot open is left to ffmpeg and its named error."""
    path = tmp_path / "noise.wav"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{path}'")):
        read_audio(path, 16000)


def test_nan_in_a_float_wav_is_an_error_naming_the_file(tmp_path):
    """Check that AudioLoader refuses a waveform holding NaN, naming the file and the sample."""
    y = _speechlike(4000)[:, 0]
    y[1234] = np.nan
    path = tmp_path / "nan.wav"
    soundfile.write(path, y, SR, subtype="FLOAT")
    msg = f"'{path}': it holds NaN or infinite samples (the first at sample 1234"
    with pytest.raises(MediaError, match=re.escape(msg)):
        AudioLoader(sr=SR).transform([str(path)])
