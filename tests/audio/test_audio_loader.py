"""Tests of AudioLoader on real files written by the bundled ffmpeg."""

import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skemotion.audio import AudioLoader
from skemotion.exceptions import MediaError
from skemotion.io import read_audio, write_audio, write_video

SR = 16000


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """A mono ramp-modulated tone (0.5 s), a stereo wav, an mp4 and an flv with audio, a silent mp4."""
    out = tmp_path_factory.mktemp("audio_loader")
    t = np.arange(SR // 2) / SR
    tone = (0.4 * np.sin(2 * np.pi * 440 * t) * np.linspace(0.2, 1.0, t.size)).astype(np.float32)
    paths = {}
    paths["wav"] = str(out / "tone.wav")
    write_audio(paths["wav"], tone, SR)
    paths["short"] = str(out / "short.wav")
    write_audio(paths["short"], tone[:1600], SR)  # 0.1 s
    paths["stereo"] = str(out / "stereo.wav")
    write_audio(paths["stereo"], np.stack([tone, -0.5 * tone]), SR)
    frames = np.full((8, 32, 32, 3), 128, np.uint8)
    paths["mp4"] = str(out / "clip.mp4")
    write_video(paths["mp4"], frames, fps=16, audio=tone, sr=SR)
    paths["flv"] = str(out / "clip.flv")
    write_video(paths["flv"], frames, fps=16, audio=tone, sr=SR)
    paths["mute"] = str(out / "mute.mp4")
    write_video(paths["mute"], frames, fps=16)
    paths["tone"] = tone
    return paths


def test_decodes_wav_mp4_and_flv(media):
    """Check that wav, mp4 (AAC) and flv (MP3) audio decode to the same tone at sr."""
    X = AudioLoader(sr=SR, duration=0.5).fit_transform([media["wav"], media["mp4"], media["flv"]])
    assert X.shape == (3, SR // 2) and X.dtype == np.float32
    assert_allclose(X[0], media["tone"], atol=1e-4)  # 16-bit PCM
    for row in X[1:]:  # lossy codecs: compare energy-normalised correlation
        corr = np.dot(row, X[0]) / (np.linalg.norm(row) * np.linalg.norm(X[0]))
        assert corr > 0.95


def test_resamples_to_sr(media):
    """Check that sr resamples (8 kHz gives half the samples)."""
    X = AudioLoader(sr=8000).transform([media["wav"]])
    assert X.shape == (1, 4000)


def test_fragment_yields_exactly_its_window(media):
    """Check that 'path#t=a,b' yields samples [a*sr, b*sr) of the full decode."""
    full = AudioLoader(sr=SR).transform([media["wav"]])[0]
    X = AudioLoader(sr=SR).transform([media["wav"] + "#t=0.1,0.35", media["wav"] + "#t=0.2,0.45"])
    assert X.shape == (2, 4000)
    assert_array_equal(X[0], full[1600:5600])
    assert_array_equal(X[1], full[3200:7200])


@pytest.mark.parametrize(
    "pad, crop, expected",
    [
        ("zero", "start", lambda y: np.concatenate([y, np.zeros(800, np.float32)])),
        ("wrap", "start", lambda y: np.concatenate([y, y[:800]])),
        ("reflect", "start", lambda y: np.concatenate([y, y[-2::-1][:800]])),
        ("zero", "center", lambda y: np.concatenate([np.zeros(400), y, np.zeros(400)])),
        ("wrap", "center", lambda y: np.concatenate([y[-400:], y, y[:400]])),
    ],
)
def test_pad_policies(media, pad, crop, expected):
    """Check that a 0.1 s clip padded to 0.15 s follows the pad and crop policies."""
    y = AudioLoader(sr=SR).transform([media["short"]])[0]
    X = AudioLoader(sr=SR, duration=0.15, pad=pad, crop=crop).transform([media["short"]])
    assert X.shape == (1, 2400)
    assert_array_equal(X[0], expected(y).astype(np.float32))


@pytest.mark.parametrize("crop, offset", [("start", 0), ("center", 2000)])
def test_crop_policies(media, crop, offset):
    """Check that a 0.5 s clip cropped to 0.25 s keeps its start or its middle."""
    full = AudioLoader(sr=SR).transform([media["wav"]])[0]
    X = AudioLoader(sr=SR, duration=0.25, crop=crop).transform([media["wav"]])
    assert X.shape == (1, 4000)
    assert_allclose(X[0], full[offset : offset + 4000], atol=1e-6)


def test_stereo_keeps_channels_last(media):
    """Check that mono=False keeps the channels last and mono=True down-mixes."""
    X = AudioLoader(sr=SR, mono=False).transform([media["stereo"], media["stereo"]])
    assert X.shape == (2, SR // 2, 2)
    assert_allclose(X[0, :, 1], -0.5 * X[0, :, 0], atol=1e-4)
    mono = AudioLoader(sr=SR).transform([media["stereo"]])
    assert_allclose(mono[0], read_audio(media["stereo"], SR), atol=1e-6)
    with pytest.raises(ValueError, match=re.escape("needs the same number of channels in every file")):
        AudioLoader(sr=SR, mono=False).transform([media["stereo"], media["wav"]])


def test_no_audio_stream_raises_naming_the_file(media):
    """Check that a video without audio raises MediaError naming it."""
    with pytest.raises(MediaError, match=re.escape("mute.mp4': it has no audio stream")) as info:
        AudioLoader(sr=SR).transform([media["wav"], media["mute"]])
    assert info.value.path == media["mute"]
    assert "could not load audio from" not in str(info.value)  # one bad file: its own error


def test_no_audio_stream_gives_silence_and_a_warning_on_request(media):
    """Check on_missing='silence': zeros of the clip's length and a warning naming the file."""
    loader = AudioLoader(sr=SR, on_missing="silence")
    with pytest.warns(UserWarning, match=re.escape("mute.mp4")):
        X = loader.transform([media["mute"] + "#t=0,0.25", media["wav"] + "#t=0,0.25"])
    assert X.shape == (2, 4000)
    assert_array_equal(X[0], 0.0)
    assert np.abs(X[1]).max() > 0.1
    with pytest.warns(UserWarning, match="1 file\\(s\\) have no audio stream"):
        X = AudioLoader(sr=SR, duration=0.3, on_missing="silence").transform([media["mute"]])
    assert X.shape == (1, 4800)


def test_every_bad_file_is_listed_once(media, tmp_path):
    """Check that one exception lists every missing or corrupt file of the batch."""
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"not a video at all" * 10)
    missing = str(tmp_path / "missing.wav")
    with pytest.raises(FileNotFoundError, match=re.escape("missing.wav")):
        AudioLoader(sr=SR).transform([media["wav"], missing])
    with pytest.raises(FileNotFoundError, match=re.escape("could not load audio from 2 of 3 files")):
        AudioLoader(sr=SR).transform([missing, media["wav"], missing])
    with pytest.raises(MediaError) as info:
        AudioLoader(sr=SR, on_missing="silence").transform([missing, media["wav"], str(corrupt)])
    message = str(info.value)
    assert "2 of 3 files" in message and "missing.wav" in message and "corrupt.mp4" in message


def test_different_lengths_need_duration(media):
    """Check that clips of different lengths raise unless duration fixes them."""
    with pytest.raises(ValueError, match=re.escape("decoded clips of different lengths")):
        AudioLoader(sr=SR).transform([media["wav"], media["short"]])
    X = AudioLoader(sr=SR, duration=0.2).transform([media["wav"], media["short"]])
    assert X.shape == (2, 3200)


def test_parallel_and_progress_bar_keep_order(media, capsys):
    """Check that n_jobs=2 gives the same rows in the same order, with a progress bar."""
    paths = [media["short"], media["wav"], media["short"]]
    serial = AudioLoader(sr=SR, duration=0.2).transform(paths)
    parallel = AudioLoader(sr=SR, duration=0.2, n_jobs=2, verbose=1).transform(paths)
    assert_array_equal(serial, parallel)
    assert "AudioLoader" in capsys.readouterr().err


def test_accepts_series_and_column_and_is_stateless(media):
    """Check pandas Series / (n, 1) input and that transform needs no fit."""
    import pandas as pd

    loader = AudioLoader(sr=SR, duration=0.1)
    a = loader.transform(pd.Series([media["wav"], media["short"]]))
    b = loader.transform(np.array([[media["wav"]], [media["short"]]], dtype=object))
    assert_array_equal(a, b)
    assert loader.__sklearn_tags__().requires_fit is False
    assert loader.__sklearn_tags__().input_tags.string is True


@pytest.mark.parametrize(
    "X, msg",
    [
        ("clip.mp4", "AudioLoader expects a 1-D array-like of paths; got a single path 'clip.mp4'"),
        ([1, 2], "item 0 is int 1"),
        (np.array([["a", "b"]], dtype=object), "AudioLoader expects a 1-D array-like of paths; got an array of shape (1, 2)."),
        ([], "Found array with 0 sample(s)"),
    ],
)
def test_bad_input_raises(X, msg):
    """Check clear ValueErrors for input that is not a 1-D sequence of paths."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        AudioLoader().transform(X)


@pytest.mark.parametrize(
    "params, msg",
    [
        (dict(sr=0), "The 'sr' parameter of AudioLoader must be an int in the range [1, inf). Got 0 instead."),
        (dict(pad="edge"), "The 'pad' parameter of AudioLoader must be a str among {'reflect', 'wrap', 'zero'}."),
        (dict(crop="end"), "The 'crop' parameter of AudioLoader must be a str among {'center', 'start'}."),
        (dict(on_missing="skip"), "The 'on_missing' parameter of AudioLoader must be a str among"),
        (dict(duration=0.0), "The 'duration' parameter of AudioLoader must be a float in the range (0, inf)"),
    ],
)
def test_bad_parameters_raise(media, params, msg):
    """Check sklearn-worded parameter errors at fit and transform."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        AudioLoader(**params).fit([media["wav"]])
    with pytest.raises(ValueError, match=re.escape(msg)):
        AudioLoader(**params).transform([media["wav"]])


def test_no_warning_for_normal_files(media):
    """Check that loading ordinary files emits no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AudioLoader(sr=SR).transform([media["wav"]])
