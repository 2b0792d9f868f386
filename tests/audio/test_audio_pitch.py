"""Tests of the ``f0`` and ``voicing`` features of SpectralFeatures: known tones, pyin, bad input."""

import re
import warnings

import librosa
import numpy as np
import pytest
from numpy.testing import assert_allclose

from skemotion.audio import SpectralFeatures

SR = 16000
HOP = 128


def _voice(f0_hz, seconds=1.0, gap=None):
    """Five-harmonic tone following the f0 track ``f0_hz(t)``; ``gap`` (start, stop) s is silent."""
    t = np.arange(int(SR * seconds)) / SR
    f0 = f0_hz(t)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    y = 0.3 * sum(np.sin(k * phase) / k for k in range(1, 6))
    if gap is not None:
        y[int(gap[0] * SR) : int(gap[1] * SR)] = 0.0
    return y.astype(np.float32), f0


def _pitch(X, **params):
    params = {"pool": None, "sr": SR, "n_fft": 512, "hop_length": HOP, **params}
    return SpectralFeatures(features=["f0", "voicing"], **params).fit_transform(X)


def _semitones(hz):
    return 12 * np.log2(hz / 27.5)


def _glide(t):
    return 180.0 * 2 ** ((t - 0.5) * 4 / 12)  # 4 semitones up over 1 s


def test_f0_follows_a_glide_in_semitones():
    """Check that absolute f0 tracks a rising tone within 0.1 semitone on every voiced frame."""
    y, f0 = _voice(_glide)
    out = _pitch(y[None], f0_reference="absolute")[0]
    centres = np.minimum(np.arange(out.shape[0]) * HOP, len(f0) - 1)
    inner = slice(5, -5)  # frames reaching past the clip's ends see the zero padding
    assert out[inner, 1].all()
    assert_allclose(out[inner, 0], _semitones(f0[centres])[inner], atol=0.1)


def test_clip_reference_removes_the_speakers_pitch_level():
    """Check that the same contour an octave apart gives the same "clip" f0 (man vs woman)."""
    low, _ = _voice(lambda t: 110.0 * (1 + 0.1 * np.sin(2 * np.pi * 2 * t)))
    high, _ = _voice(lambda t: 220.0 * (1 + 0.1 * np.sin(2 * np.pi * 2 * t)))
    out = _pitch(np.stack([low, high]))
    assert_allclose(out[0, 5:-5, 0], out[1, 5:-5, 0], atol=0.1)
    assert abs(np.median(out[0, out[0, :, 1] == 1, 0])) < 1e-6
    absolute = _pitch(np.stack([low, high]), f0_reference="absolute")
    assert_allclose(absolute[1, 5:-5, 0] - absolute[0, 5:-5, 0], 12.0, atol=0.1)


def test_silence_and_noise_are_unvoiced_and_gaps_interpolated():
    """Check that a silent gap and white noise are unvoiced; f0 is interpolated over the gap."""
    y, _ = _voice(lambda t: np.full_like(t, 200.0), gap=(0.4, 0.6))
    noise = (0.1 * np.random.default_rng(0).standard_normal(SR)).astype(np.float32)
    out = _pitch(np.stack([y, noise, np.zeros(SR, np.float32)]), f0_reference="absolute")
    times = np.arange(out.shape[1]) * HOP / SR
    in_gap = (times > 0.45) & (times < 0.55)
    assert not out[0, in_gap, 1].any() and out[0, times < 0.35, 1].all()
    assert_allclose(out[0, in_gap, 0], _semitones(200.0), atol=0.1)  # held across the gap
    assert out[1, :, 1].mean() < 0.05
    assert (out[2] == 0).all()


def test_f0_agrees_with_pyin_on_a_vibrato_voice():
    """Check f0 and voicing against librosa's pyin (slower, HMM-smoothed) on a voiced clip."""
    y, _ = _voice(lambda t: 150.0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t)), gap=(0.3, 0.45))
    out = _pitch(y[None], f0_reference="absolute")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f0, voiced, _ = librosa.pyin(y, fmin=60, fmax=500, sr=SR, frame_length=1024, hop_length=HOP)
    n = min(len(f0), out.shape[0])
    both = voiced[:n] & (out[:n, 1] == 1)
    assert (voiced[:n] == (out[:n, 1] == 1)).mean() >= 0.9
    assert (np.abs(out[:n, 0][both] - _semitones(f0[:n][both])) < 0.5).mean() >= 0.95


def test_uncentred_frames_align_with_the_stft():
    """Check that with center=False frame t is centred where the STFT's frame t is."""
    y, _ = _voice(_glide)
    centred = _pitch(y[None], f0_reference="absolute")[0]
    uncentred = _pitch(y[None], f0_reference="absolute", center=False)[0]
    shift = 512 // 2 // HOP  # centred frame t + shift has the uncentred frame t's centre
    n = uncentred.shape[0]
    assert n == SpectralFeatures(pool=None, n_fft=512, hop_length=HOP, sr=SR, center=False,
                                 features="rms").fit_transform(y[None]).shape[1]
    assert_allclose(uncentred[5:-5, 0], centred[shift : shift + n][5:-5, 0], atol=0.05)


def test_pooled_pitch_statistics_are_named():
    """Check the pooled output names of the pitch features."""
    y, _ = _voice(_glide)
    sf = SpectralFeatures(features=["f0", "voicing"], sr=SR, n_fft=512, hop_length=HOP).fit(y[None])
    assert list(sf.get_feature_names_out()) == ["f0_mean", "voicing_mean", "f0_std", "voicing_std"]
    f0_std = sf.transform(y[None])[0, 2]
    assert 1.0 < f0_std < 1.3  # 4 semitones spread evenly: std 4 / sqrt(12) = 1.15


@pytest.mark.parametrize(
    "params, message",
    [
        ({"f0_min": 300.0, "f0_max": 200.0}, "must satisfy 0 < f0_min < f0_max < sr / 2 = 8000"),
        ({"f0_max": 9000.0}, "must satisfy 0 < f0_min < f0_max < sr / 2 = 8000"),
        ({"f0_min": 0.0}, "The 'f0_min' parameter of SpectralFeatures must be"),
        ({"f0_reference": "speaker"}, "The 'f0_reference' parameter of SpectralFeatures must be"),
        ({"voicing_threshold": 1.5}, "The 'voicing_threshold' parameter of SpectralFeatures"),
    ],
)
def test_bad_pitch_parameters_raise_in_fit(params, message):
    """Check that bad pitch parameters raise a ValueError in fit that says what is expected."""
    y, _ = _voice(_glide)
    sf = SpectralFeatures(features=["f0"], sr=SR, n_fft=512, hop_length=HOP, **params)
    with pytest.raises(ValueError, match=re.escape(message)):
        sf.fit(y[None])
