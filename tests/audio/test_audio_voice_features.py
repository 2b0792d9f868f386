"""SpectralFeatures' voice features (HNR, jitter, shimmer, log energy) and functionals."""

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skemotion.audio import SpectralFeatures
from skemotion.audio._features import FUNCTIONALS

SR = 16000
VOICE = ["f0", "hnr", "jitter", "shimmer", "voicing", "log_energy"]


def _voice(seconds=1.0, *, f0=150.0, period_jitter=0.0, amp_jitter=0.0, noise=0.0, seed=0):
    """A glottal-like pulse train: each period drawn with relative jitter, amplitude shimmer."""
    rng = np.random.default_rng(seed)
    out, n = [], int(seconds * SR)
    total = 0
    while total < n:
        period = int(round(SR / f0 * (1 + period_jitter * rng.standard_normal())))
        amp = 1 + amp_jitter * rng.standard_normal()
        t = np.arange(period) / period
        out.append(amp * (np.sin(2 * np.pi * t) + 0.5 * np.sin(4 * np.pi * t) + 0.25 * np.sin(6 * np.pi * t)))
        total += period
    y = 0.2 * np.concatenate(out)[:n]
    return (y + noise * rng.standard_normal(n)).astype(np.float32)


def _pooled(X, features=VOICE, pool=("mean",), **params):
    sf = SpectralFeatures(sr=SR, n_fft=512, hop_length=160, features=features, pool=list(pool), **params)
    out = sf.fit_transform(X)
    return dict(zip(sf.get_feature_names_out(), out.T, strict=True))


def test_hnr_jitter_and_shimmer_follow_what_the_signal_holds():
    """Check HNR falls with noise, jitter rises with period noise, shimmer with amplitude noise.

    Frame-level shimmer compares 32 ms frames, each averaging about five periods, so
    30 % period-to-period amplitude noise roughly doubles it (period-level shimmer
    would show more).
    """
    X = np.stack([_voice(), _voice(noise=0.05), _voice(period_jitter=0.03), _voice(amp_jitter=0.3)])
    v = _pooled(X)
    clean, noisy, jittery, shimmery = range(4)
    assert v["hnr_mean"][clean] > 20 and v["hnr_mean"][noisy] < v["hnr_mean"][clean] - 5
    assert v["jitter_mean"][clean] < 0.005 and v["jitter_mean"][jittery] > 3 * v["jitter_mean"][clean]
    assert v["shimmer_mean"][clean] < 0.25 and v["shimmer_mean"][shimmery] > 1.8 * v["shimmer_mean"][clean]
    assert np.all(v["voicing_mean"][[clean, jittery, shimmery]] > 0.9)


def test_voice_statistics_are_over_voiced_frames_only():
    """Check that silence around a voice leaves f0 and HNR statistics unchanged."""
    voice = _voice(0.6)
    padded = np.concatenate([np.zeros(SR // 2, np.float32), voice, np.zeros(SR // 2, np.float32)])
    alone = _pooled([voice], features=["hnr", "jitter"], pool=("median",))
    framed = _pooled([padded], features=["hnr", "jitter"], pool=("median",))
    assert framed["hnr_median"][0] == pytest.approx(alone["hnr_median"][0], abs=1.0)
    assert framed["jitter_median"][0] == pytest.approx(alone["jitter_median"][0], abs=2e-3)


def test_unvoiced_clip_gives_zero_voice_statistics():
    """Check that white noise (no voiced frame) gives 0 for every voice statistic, not NaN."""
    noise = np.random.default_rng(0).standard_normal((1, SR // 2)).astype(np.float32) * 0.1
    v = _pooled(noise, features=["f0", "hnr", "jitter", "shimmer"], pool=FUNCTIONALS)
    assert all(value[0] == 0.0 for value in v.values())


def test_log_energy_is_rms_in_dbfs():
    """Check log_energy against 20 log10 of librosa's frame RMS, floored at -100 dB."""
    import librosa

    y = _voice(0.5)
    y[:2000] = 0
    out = SpectralFeatures(sr=SR, n_fft=512, hop_length=160, features=["log_energy", "rms"],
                           pool=None).fit_transform(y[None])[0]
    rms = librosa.feature.rms(y=y, frame_length=512, hop_length=160)[0]
    assert_allclose(out[:, 0], 20 * np.log10(np.maximum(rms, 1e-5)), rtol=1e-5, atol=1e-4)
    assert out[0, 0] == pytest.approx(-100.0)


def test_functionals_alias_and_names():
    """Check pool='functionals' gives the 15 documented statistics, named feature_statistic."""
    sf = SpectralFeatures(sr=SR, n_fft=512, hop_length=160, features=["rms", "hnr"],
                          pool="functionals").fit(_voice(0.3)[None])
    names = list(sf.get_feature_names_out())
    assert len(names) == 2 * 15 and names[:4] == ["rms_mean", "hnr_mean", "rms_std", "hnr_std"]
    assert {n.split("_", 1)[1] for n in names} == set(FUNCTIONALS)


def test_slope_and_rise_fall_of_a_ramp():
    """Check slope (per second), linreg_error, rise_mean and fall_mean on a linear loudness ramp."""
    frames = np.linspace(0, 1, 101)[:, None]
    from skemotion.audio._features import _pool

    times = np.arange(101) * 0.01
    slope, error, rise, fall = _pool(frames, ("slope", "linreg_error", "rise_mean", "fall_mean"),
                                     times)[:, 0]
    assert slope == pytest.approx(1.0) and error == pytest.approx(0.0, abs=1e-12)
    assert rise == pytest.approx(1.0) and fall == 0.0


def test_variable_length_batch_equals_one_by_one():
    """Check that clips of different lengths pool as they would alone, in input order."""
    clips = np.empty(3, dtype=object)
    clips[:] = [_voice(0.4), _voice(0.9, f0=210.0), _voice(0.25, f0=120.0)]
    sf = SpectralFeatures(sr=SR, n_fft=512, hop_length=160, features=VOICE + ["mfcc"],
                          pool="functionals")
    batch = sf.fit_transform(clips)
    assert sf.n_steps_ is None and not hasattr(sf, "n_features_in_")
    for i, clip in enumerate(clips):
        assert_array_equal(batch[i], sf.transform(clip[None])[0])


def test_variable_length_needs_pooling():
    """Check that frame-level output of clips of different lengths is refused with a way out."""
    clips = np.empty(2, dtype=object)
    clips[:] = [_voice(0.4), _voice(0.5)]
    msg = "SpectralFeatures(pool=None) needs waveforms of one length"
    with pytest.raises(ValueError, match=re.escape(msg)):
        SpectralFeatures(sr=SR, pool=None).fit(clips)


def test_memory_and_n_jobs_give_the_same_rows(tmp_path, monkeypatch):
    """Check that the per-clip cache and parallel workers give the serial result, cached once."""
    X = np.stack([_voice(0.3, f0=f) for f in (110.0, 150.0, 190.0, 230.0)])
    params = dict(sr=SR, n_fft=512, hop_length=160, features=VOICE + ["mfcc"], pool="functionals")
    serial = SpectralFeatures(**params).fit_transform(X)
    assert_array_equal(SpectralFeatures(**params, n_jobs=2).fit_transform(X), serial)
    cached = SpectralFeatures(**params, memory=tmp_path).fit(X)
    assert_array_equal(cached.transform(X), serial)
    monkeypatch.setattr(SpectralFeatures, "_clip_output",
                        lambda *a: pytest.fail("computed again instead of read from the cache"))
    assert_array_equal(cached.transform(X[::-1]), serial[::-1])
