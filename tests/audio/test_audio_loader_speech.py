"""AudioLoader on recordings shaped like speech: silence at the ends, variable length, bad clips."""

import re
import warnings

import numpy as np
import pytest
import soundfile
from numpy.testing import assert_array_equal

from skemotion.audio import AudioLoader, SpectralFeatures
from skemotion.exceptions import MediaError

SR = 16000


def _utterance(lead, speech, tail, *, dc=0.0, gain=0.3, seed=0):
    """``lead`` s of faint noise, ``speech`` s of a voiced tone with syllables, ``tail`` s of noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(speech * SR)) / SR
    voiced = gain * np.sin(2 * np.pi * 140 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t) ** 2)
    noise = lambda s: 1e-4 * rng.standard_normal(int(s * SR))  # noqa: E731 (-80 dB floor)
    return (np.concatenate([noise(lead), voiced, noise(tail)]) + dc).astype(np.float32)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    out = tmp_path_factory.mktemp("speech")
    spec = {"a": (1.0, 1.5, 0.8, {}), "b": (0.6, 2.0, 1.0, {}), "c": (0.2, 0.7, 0.3, {}),
            "dc": (1.0, 1.5, 0.8, {"dc": 0.25, "gain": 0.2}),
            "clipped": (0.5, 1.0, 0.5, {"gain": 3.0})}
    paths = {}
    for name, (lead, speech, tail, kw) in spec.items():
        y = np.clip(_utterance(lead, speech, tail, **kw), -1, 1)
        paths[name] = str(out / f"{name}.flac")
        soundfile.write(paths[name], y, SR, subtype="PCM_16")
        paths[name + "_span"] = (int(lead * SR), int((lead + speech) * SR))
    paths["silent"] = str(out / "silent.wav")
    soundfile.write(paths["silent"], np.zeros(SR, np.float32), SR)
    paths["short"] = str(out / "short.wav")  # 10 ms: shorter than one 512-sample window
    soundfile.write(paths["short"], _utterance(0, 0.01, 0), SR)
    paths["stereo"] = str(out / "stereo.wav")
    y = _utterance(0.5, 1.0, 0.5)
    soundfile.write(paths["stereo"], np.stack([y, 0.5 * y], axis=1), SR)
    return paths


@pytest.mark.parametrize("name", ["a", "b", "c", "dc"])
def test_trim_keeps_the_voiced_part_and_drops_the_silence(clips, name):
    """Check that trim_db cuts within 30 ms of the known speech onset and offset (DC offset too)."""
    start, stop = clips[name + "_span"]
    full = AudioLoader(sr=SR, duration="variable").transform([clips[name]])[0]
    trimmed = AudioLoader(sr=SR, duration="variable", trim_db=40).transform([clips[name]])[0]
    # trimmed is a contiguous slice of the decode: find where it starts
    offset = int(np.flatnonzero(np.all(
        np.lib.stride_tricks.sliding_window_view(full, 64) == trimmed[:64], axis=1))[0])
    assert_array_equal(full[offset:offset + len(trimmed)], trimmed)
    tolerance = int(0.03 * SR)  # librosa.effects.trim works in 10 ms hops of 25 ms frames
    assert start - tolerance <= offset <= start
    assert stop <= offset + len(trimmed) <= stop + tolerance


def test_variable_length_clips_come_back_in_order(clips):
    """Check duration='variable': an object array, one float32 waveform per path, in order."""
    paths = [clips["b"], clips["a"], clips["c"], clips["a"]]
    out = AudioLoader(sr=SR, duration="variable", trim_db=40).transform(paths)
    assert out.dtype == object and out.shape == (4,)
    # speech plus at most 30 ms kept on each side (the trimming frames' reach)
    assert [len(y) for y in out] == [pytest.approx(2.0 * SR + 0.03 * SR, abs=0.03 * SR),
                                     pytest.approx(1.5 * SR + 0.03 * SR, abs=0.03 * SR),
                                     pytest.approx(0.7 * SR + 0.03 * SR, abs=0.03 * SR),
                                     pytest.approx(1.5 * SR + 0.03 * SR, abs=0.03 * SR)]
    assert all(y.dtype == np.float32 for y in out)
    assert_array_equal(out[1], out[3])


def test_trimmed_center_crop_holds_speech(clips):
    """Check that trim then a centre crop keeps speech where a start crop kept silence."""
    with pytest.warns(UserWarning, match=re.escape("kept a part more than 30 dB quieter")):
        head = AudioLoader(sr=SR, duration=0.5).transform([clips["a"]])
    assert np.abs(head).max() < 1e-3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        speech = AudioLoader(sr=SR, duration=0.5, trim_db=40, crop="center").transform([clips["a"]])
    assert np.abs(speech).max() > 0.1


def test_silent_clip_raises_naming_the_file_or_warns_on_request(clips):
    """Check that a silent file raises (listed with the others) unless on_silent='warn'."""
    msg = f"'{clips['silent']}': it is silent (peak below -80 dBFS)"
    with pytest.raises(MediaError, match=re.escape(msg)):
        AudioLoader(sr=SR).transform([clips["a"], clips["silent"]])
    with pytest.warns(UserWarning, match=re.escape("1 of 1 clip(s) are silent")):
        out = AudioLoader(sr=SR, on_silent="warn", trim_db=40).transform([clips["silent"]])
    assert_array_equal(out, np.zeros((1, SR), np.float32))


def test_short_clipped_and_dc_offset_clips_give_finite_features(clips):
    """Check defined results: a clip shorter than a window, a clipped one and a DC offset."""
    paths = [clips["short"], clips["clipped"], clips["dc"]]
    waves = AudioLoader(sr=SR, duration="variable", trim_db=40).transform(paths)
    assert len(waves[0]) == int(0.01 * SR)
    features = SpectralFeatures(sr=SR, n_fft=512, hop_length=160, pool="functionals",
                                features=["mfcc", "log_energy", "f0", "hnr", "jitter", "shimmer"])
    out = features.fit_transform(waves)
    assert out.shape == (3, len(features.get_feature_names_out())) and np.isfinite(out).all()


def test_stereo_file_among_mono_ones(clips, monkeypatch):
    """Check that a stereo file is down-mixed like ffmpeg with mono=True and refused with mono=False."""
    import skemotion.io._read as read_module

    out = AudioLoader(sr=SR, duration="variable").transform([clips["a"], clips["stereo"]])
    monkeypatch.setattr(read_module, "read_audio_soundfile", lambda *a, **k: None)
    via_ffmpeg = AudioLoader(sr=SR, duration="variable").transform([clips["stereo"]])
    assert_array_equal(out[1], via_ffmpeg[0])
    with pytest.raises(ValueError, match=re.escape("needs the same number of channels")):
        AudioLoader(sr=SR, mono=False, duration="variable").transform([clips["a"], clips["stereo"]])


def test_memory_decodes_each_file_once(clips, tmp_path, monkeypatch):
    """Check that memory= serves later calls from the cache, with the same samples."""
    import skemotion.io._read as read_module

    calls = []
    real = read_module.read_audio_soundfile
    monkeypatch.setattr(read_module, "read_audio_soundfile",
                        lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    loader = AudioLoader(sr=SR, duration="variable", trim_db=40, memory=tmp_path)
    first = loader.transform([clips["a"], clips["b"]])
    again = loader.transform([clips["b"], clips["a"]])
    other_trim = loader.set_params(trim_db=30).transform([clips["a"]])
    assert calls == [clips["a"], clips["b"]]
    assert_array_equal(first[0], again[1]) and assert_array_equal(first[1], again[0])
    assert len(other_trim[0]) >= len(first[0])


def test_bad_duration_names_the_choices():
    """Check the parameter error for a duration that is neither a number nor 'variable'."""
    msg = "The 'duration' parameter of AudioLoader must be a float in the range (0, inf), a str among {'variable'} or None. Got 'auto' instead."
    with pytest.raises(ValueError, match=re.escape(msg)):
        AudioLoader(duration="auto").fit()
