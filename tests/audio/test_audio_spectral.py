"""Tests of SpectralFeatures: equality with direct librosa calls, pooling, bad input."""

import re

import librosa
import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose, assert_array_equal

from skemotion.audio import SpectralFeatures
from skemotion.audio._features import FEATURES, STATISTICS

SR = 16000
# Every feature librosa computes directly; the voice features and log_energy have tests of their own.
LIBROSA_FEATURES = tuple(
    f for f in FEATURES if f not in ("f0", "voicing", "hnr", "jitter", "shimmer", "log_energy")
)
STFT = dict(n_fft=512, hop_length=128)
# float32 results differ in the last bits between batched and single calls (the sum
# order depends on the numpy build); values near 0 need an absolute tolerance too.
ATOL = 1e-4


def _waveforms(n=3, n_audio=SR // 2, seed=0):
    """Harmonic tones with a vibrato, a noise burst and an onset: features vary over time."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_audio) / SR
    out = []
    for i in range(n):
        f0 = 180.0 * (1 + 0.5 * i) * (1 + 0.02 * np.sin(2 * np.pi * 5 * t))
        phase = 2 * np.pi * np.cumsum(f0) / SR
        y = sum(np.sin(k * phase) / k for k in range(1, 6))
        y *= np.clip(t * 8, 0, 1)  # onset
        burst = min(800, n_audio - n_audio // 2)
        y[n_audio // 2 : n_audio // 2 + burst] += 0.5 * rng.standard_normal(burst)
        out.append(0.3 * y)
    return np.asarray(out, dtype=np.float32)


def _direct(feature, y, *, window="hamming", n_fft=512, hop_length=128, win_length=None):
    """How one would compute ``feature`` by hand: one librosa call (hence one STFT) per feature."""
    kw = dict(n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window)
    if feature == "mfcc":
        return librosa.feature.mfcc(y=y, sr=SR, n_mfcc=13, n_mels=40, **kw)
    if feature == "mel":
        return librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, n_mels=40, **kw))
    if feature == "centroid":
        return librosa.feature.spectral_centroid(y=y, sr=SR, **kw)
    if feature == "bandwidth":
        return librosa.feature.spectral_bandwidth(y=y, sr=SR, **kw)
    if feature == "rolloff":
        return librosa.feature.spectral_rolloff(y=y, sr=SR, **kw)
    if feature == "flux":
        return librosa.onset.onset_strength(y=y, sr=SR, n_mels=40, **kw)[None, :]
    if feature == "flatness":
        return librosa.feature.spectral_flatness(y=y, **kw)
    if feature == "contrast":
        return librosa.feature.spectral_contrast(y=y, sr=SR, **kw)
    if feature == "zcr":
        return librosa.feature.zero_crossing_rate(y, frame_length=n_fft, hop_length=hop_length)
    if feature == "rms":
        return librosa.feature.rms(y=y, frame_length=n_fft, hop_length=hop_length)
    assert feature == "chroma"
    return librosa.feature.chroma_stft(y=y, sr=SR, **kw)


def _features(features, **params):
    params = {"pool": None, "sr": SR, "n_mfcc": 13, "n_mels": 40, **STFT, **params}
    return SpectralFeatures(features=features, **params)


@pytest.fixture(scope="module")
def waves():
    return _waveforms()


@pytest.mark.parametrize("feature", LIBROSA_FEATURES)
def test_each_feature_equals_direct_librosa_call(waves, feature):
    """Check that every feature equals the direct librosa call with the same window, n_fft, hop."""
    out = _features([feature]).fit_transform(waves)
    for i, y in enumerate(waves):
        expected = _direct(feature, y).T
        assert out[i].shape == expected.shape
        assert_allclose(out[i], expected, rtol=1e-5, atol=ATOL, err_msg=f"{feature}, clip {i}")


def test_all_features_together_equal_direct_calls_in_order(waves):
    """Check that with every feature at once the columns are the per-feature results, in order."""
    sf = _features(list(LIBROSA_FEATURES[::-1]))
    out = sf.fit_transform(waves)
    expected = np.concatenate([_direct(f, waves[1]) for f in LIBROSA_FEATURES[::-1]], axis=0).T
    assert_allclose(out[1], expected, rtol=1e-5, atol=ATOL)
    assert len(sf.get_feature_names_out()) == out.shape[2] == 13 + 40 + 7 + 12 + 7
    assert sf.get_feature_names_out()[0] == "chroma_0"


@pytest.mark.parametrize(
    "window, win_length", [("hann", None), (("kaiser", 8.0), None), ("blackman", 384)]
)
def test_other_windows_equal_librosa(waves, window, win_length):
    """Check that any scipy window (and a shorter win_length) gives librosa's result."""
    out = _features(["centroid", "mfcc"], window=window, win_length=win_length).fit_transform(
        waves[:1]
    )
    kw = dict(window=window, win_length=win_length)
    expected = np.concatenate([_direct("centroid", waves[0], **kw), _direct("mfcc", waves[0], **kw)])
    assert_allclose(out[0], expected.T, rtol=1e-5, atol=ATOL)


def test_hamming_is_the_default_window(waves):
    """Check that the default window is Hamming, not librosa's Hann."""
    out = SpectralFeatures(features="centroid", pool=None, sr=SR, **STFT).fit_transform(waves)
    assert_allclose(out[0, :, 0], _direct("centroid", waves[0])[0], rtol=1e-5)
    hann = _direct("centroid", waves[0], window="hann")[0]
    assert not np.allclose(out[0, :, 0], hann, rtol=1e-3)


def test_flux_matches_its_documented_formula(waves):
    """Check flux against the documented formula written in numpy."""
    y = waves[2]
    power = np.abs(librosa.stft(y, window="hamming", **STFT)) ** 2
    mel = librosa.filters.mel(sr=SR, n_fft=512, n_mels=40) @ power
    L = 10 * np.log10(np.maximum(mel, 1e-10))
    L = np.maximum(L, L.max() - 80.0)
    rise = np.maximum(0.0, np.diff(L, axis=1)).mean(axis=0)
    shift = 1 + 512 // (2 * 128)  # lag + n_fft // (2 * hop_length)
    expected = np.concatenate([np.zeros(shift), rise])[: L.shape[1]]
    out = _features(["flux"]).fit_transform(waves)[2, :, 0]
    assert_allclose(out, expected, rtol=1e-4, atol=1e-4 * expected.max())


@pytest.mark.parametrize("delta_order", [1, 2])
def test_mfcc_deltas_equal_librosa_delta(waves, delta_order):
    """Check that MFCC deltas are librosa.feature.delta of the MFCCs, named accordingly."""
    sf = _features(["mfcc"], delta_order=delta_order)
    out = sf.fit_transform(waves[:1])[0]
    mfcc = _direct("mfcc", waves[0])
    parts = [mfcc] + [librosa.feature.delta(mfcc, order=k) for k in range(1, delta_order + 1)]
    assert_allclose(out, np.concatenate(parts).T, rtol=1e-5, atol=1e-6)
    names = sf.get_feature_names_out()
    assert names[13] == "mfcc_delta_0"
    assert (names[-1] == "mfcc_delta2_12") == (delta_order == 2)


def test_deltas_of_clips_shorter_than_delta_width_use_nearest_mode():
    """Check that fewer frames than delta_width give librosa's delta with mode='nearest'."""
    y = _waveforms(1, n_audio=600)  # 1 + 600 // 128 = 5 frames < 9
    out = _features(["mfcc"], delta_order=1).fit_transform(y)[0]
    mfcc = _direct("mfcc", y[0])
    assert out.shape == (5, 26)
    assert_allclose(out[:, 13:], librosa.feature.delta(mfcc, mode="nearest").T, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("pool", [["mean"], list(STATISTICS), "kurtosis"])
def test_pooled_statistics_equal_numpy_and_scipy(waves, pool):
    """Check pooled columns against numpy/scipy statistics of the frame-level features."""
    frames = _features(["mfcc", "rms", "contrast"]).fit_transform(waves).astype(np.float64)
    pooled = _features(["mfcc", "rms", "contrast"], pool=pool).fit_transform(waves)
    times = np.arange(frames.shape[1]) * 128 / SR
    fits = [np.polynomial.polynomial.polyfit(times, clip, 1) for clip in frames]  # (2, n_cols) each
    residual = np.stack([clip - (c[0] + np.outer(times, c[1])) for clip, c in zip(frames, fits, strict=True)])
    step = np.diff(frames, axis=1) / (128 / SR)
    pct = {q: np.percentile(frames, q, axis=1) for q in (1, 25, 50, 75, 99)}
    reference = {
        "mean": frames.mean(axis=1),
        "std": frames.std(axis=1),
        "min": frames.min(axis=1),
        "max": frames.max(axis=1),
        "skew": scipy.stats.skew(frames, axis=1),
        "kurtosis": scipy.stats.kurtosis(frames, axis=1),
        "p1": pct[1], "p25": pct[25], "median": pct[50], "p75": pct[75], "p99": pct[99],
        "iqr": scipy.stats.iqr(frames, axis=1),
        "pctl_range": pct[99] - pct[1],
        "range": np.ptp(frames, axis=1),
        "slope": np.stack([c[1] for c in fits]),
        "linreg_error": np.sqrt((residual**2).mean(axis=1)),
        "rise_mean": np.clip(step, 0, None).mean(axis=1),
        "fall_mean": np.clip(-step, 0, None).mean(axis=1),
    }
    stats = [pool] if isinstance(pool, str) else pool
    expected = np.concatenate([reference[s] for s in stats], axis=1)
    assert pooled.dtype == np.float32
    assert_allclose(pooled, expected, rtol=1e-4, atol=1e-5)


def test_feature_names_and_pandas_output(waves):
    """Check names like 'mfcc_3_mean' and that pooled output works with set_output('pandas')."""
    sf = _features(["mfcc", "rms", "chroma"], pool=["mean", "skew"]).set_output(transform="pandas")
    df = sf.fit_transform(waves)
    names = list(sf.get_feature_names_out())
    assert list(df.columns) == names
    assert df.shape == (3, 2 * (13 + 1 + 12))
    assert names[3] == "mfcc_3_mean" and "rms_skew" in names and names[-1] == "chroma_11_skew"
    assert_allclose(df.to_numpy(), sf.set_output(transform="default").transform(waves))


def test_frame_level_output_refuses_pandas(waves):
    """Check that pool=None with set_output('pandas') raises a clear ValueError."""
    sf = _features(["rms"]).set_output(transform="pandas").fit(waves)
    msg = "SpectralFeatures(pool=None) returns 3-D frame-level features"
    with pytest.raises(ValueError, match=re.escape(msg)):
        sf.transform(waves)


def test_rows_are_independent_and_in_input_order(waves):
    """Check that each output row depends only on its own clip, in input order."""
    sf = _features(["mfcc", "chroma", "flux"], pool=["mean", "std"]).fit(waves)
    assert_array_equal(sf.transform(waves[::-1]), sf.transform(waves)[::-1])
    assert_array_equal(sf.transform(waves[1:2])[0], sf.transform(waves)[1])


def test_float64_input_and_frame_count(waves):
    """Check frame count 1 + n // hop, float32 output and float64 input accepted."""
    sf = _features(["zcr", "rms"]).fit(waves.astype(np.float64))
    out = sf.transform(waves.astype(np.float64))
    assert out.shape == (3, 1 + waves.shape[1] // 128, 2) and out.dtype == np.float32
    assert sf.n_steps_ == out.shape[1]


# --------------------------------------------------------------------------- bad input
def test_clip_shorter_than_one_window_is_zero_padded_like_librosa():
    """Check that a clip shorter than n_fft gives librosa's centred, zero-padded frames."""
    y = _waveforms(2, n_audio=300)  # < n_fft=512
    out = _features(list(FEATURES)).fit_transform(y)
    assert out.shape[1] == 1 + 300 // 128
    assert np.isfinite(out).all()
    with pytest.warns(UserWarning, match="too large"):  # the direct call warns; we do not
        expected = _direct("centroid", y[0]).T
    assert_allclose(out[0, :, 13 + 40], expected[:, 0], rtol=1e-5)


def test_clip_shorter_than_one_window_without_center_raises():
    """Check that center=False with a clip shorter than n_fft raises a clear ValueError."""
    msg = "got waveforms of 300 samples, shorter than one window (n_fft=512) with center=False"
    with pytest.raises(ValueError, match=re.escape(msg)):
        _features(["rms"], center=False).fit(_waveforms(1, n_audio=300))


def test_single_sample_clip_gives_one_finite_frame():
    """Check that a 1-sample clip gives one finite frame with every feature and statistic."""
    out = _features(list(FEATURES), pool=list(STATISTICS)).fit_transform(np.full((2, 1), 0.5))
    assert out.shape == (2, len(STATISTICS) * (13 + 40 + 7 + 12 + 13)) and np.isfinite(out).all()


def test_silence_gives_documented_finite_features():
    """Check that silent clips give the documented finite values."""
    sf = _features(list(FEATURES), pool=list(STATISTICS))
    out = sf.fit_transform(np.zeros((2, 4000), dtype=np.float32))
    assert np.isfinite(out).all()
    values = dict(zip(sf.get_feature_names_out(), out[0], strict=True))
    for name in ("centroid", "bandwidth", "rolloff", "zcr", "rms", "flux", "chroma_5", "f0",
                 "voicing"):
        assert values[f"{name}_mean"] == 0.0, name
    assert values["flatness_mean"] == pytest.approx(1.0)
    assert values["mel_0_mean"] == pytest.approx(-100.0)
    assert values["mfcc_1_std"] == 0.0 and values["mfcc_1_skew"] == 0.0
    assert values["mfcc_1_kurtosis"] == 0.0


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_raises_naming_the_sample(waves, bad):
    """Check that NaN or inf in a waveform raises a ValueError naming its sample index."""
    X = waves.copy()
    X[2, 100] = bad
    sf = _features(["rms"])
    msg = "SpectralFeatures needs finite waveforms, but sample 2 of X contains NaN or inf"
    with pytest.raises(ValueError, match=re.escape(msg)):
        sf.fit(X)
    sf.fit(waves)
    with pytest.raises(ValueError, match=re.escape(msg)):
        sf.transform(X)


def test_wrong_shapes_raise(waves):
    """Check that 1-D, 3-D and wrong-length input raise clear ValueErrors."""
    sf = _features(["rms"])
    with pytest.raises(ValueError, match=re.escape("Expected 2D array, got 1D array instead")):
        sf.fit(waves[0])
    msg = "Expected X of shape (n_samples, n_audio_samples); got (3, 8000, 1)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        sf.fit(waves[:, :, None])
    sf.fit(waves)
    msg = "X has 4000 features, but SpectralFeatures is expecting 8000 features as input."
    with pytest.raises(ValueError, match=re.escape(msg)):
        sf.transform(waves[:, :4000])


@pytest.mark.parametrize(
    "params, msg",
    [
        (
            dict(features=["mfcc", "pitch"]),
            "The 'features' parameter of SpectralFeatures must be a str or a non-empty list of "
            "distinct str among {'mfcc', ",
        ),
        (dict(features=[]), "The 'features' parameter of SpectralFeatures must be"),
        (dict(features=["rms", "rms"]), "The 'features' parameter of SpectralFeatures must be"),
        (
            dict(pool="average"),
            "The 'pool' parameter of SpectralFeatures must be None, a str or a non-empty list",
        ),
        (
            dict(n_fft=0),
            "The 'n_fft' parameter of SpectralFeatures must be an int in the range [1, inf). "
            "Got 0 instead.",
        ),
        (
            dict(win_length=1024),
            "The 'win_length' parameter of SpectralFeatures must be an int in the range "
            "[1, n_fft=512]. Got 1024 instead.",
        ),
        (dict(window="hammingx"), "The 'window' parameter of SpectralFeatures must be a window"),
        (dict(delta_width=8), "The 'delta_width' parameter of SpectralFeatures must be an odd"),
        (dict(delta_order=3), "The 'delta_order' parameter of SpectralFeatures must be"),
        (dict(fmax=9000.0), "must satisfy 0 <= fmin < fmax <= sr / 2 = 8000."),
        (
            dict(features=["contrast"], contrast_fmin=400.0),
            "contrast_fmin * 2 ** (n_bands - 1) = 12800 Hz, which must be below sr / 2 = 8000 Hz",
        ),
    ],
)
def test_bad_parameters_raise(waves, params, msg):
    """Check that bad parameters raise sklearn-worded ValueErrors at fit."""
    sf = _features(**{"features": ["rms"], **params})
    with pytest.raises(ValueError, match=re.escape(msg)):
        sf.fit(waves)
