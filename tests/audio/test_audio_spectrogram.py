"""Tests of hamming_spectrogram and the Spectrogram transformer."""

import re

import librosa
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skemotion.audio import Spectrogram, hamming_spectrogram

SR = 16000
PARAMS = dict(sr=SR, n_fft=512, hop_length=128, n_mels=40)
# float32 results differ in the last bits between batched and single calls (the sum
# order depends on the numpy build); values near 0 need an absolute tolerance too.
ATOL = 1e-4


@pytest.fixture(scope="module")
def waves():
    rng = np.random.default_rng(1)
    t = np.arange(SR // 2) / SR
    tones = [np.sin(2 * np.pi * f * t) * (0.2 + i) for i, f in enumerate((220, 660, 1760))]
    return (np.asarray(tones) + 0.01 * rng.standard_normal((3, t.size))).astype(np.float32)


def _librosa_log_mel(y, window="hamming"):
    mel = librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=512, hop_length=128, n_mels=40, window=window
    )
    return librosa.power_to_db(mel, top_db=80.0)


def test_log_mel_images_equal_librosa(waves):
    """Check that each image is librosa's Hamming-window log-mel spectrogram, channels last."""
    images = Spectrogram(**PARAMS).fit_transform(waves)
    assert images.shape == (3, 40, 1 + waves.shape[1] // 128, 1)
    assert images.dtype == np.float32
    for i, y in enumerate(waves):
        assert_allclose(images[i, :, :, 0], _librosa_log_mel(y), rtol=1e-5, atol=ATOL)
    assert not np.allclose(images[0, :, :, 0], _librosa_log_mel(waves[0], "hann"), rtol=1e-3)


def test_top_db_applies_per_image_in_a_batch(waves):
    """Check that a batch call floors each signal at its own max - top_db (not the batch max)."""
    batch = hamming_spectrogram(waves, **PARAMS, top_db=30.0)
    for i, y in enumerate(waves):
        single = librosa.power_to_db(
            librosa.feature.melspectrogram(
                y=y, sr=SR, n_fft=512, hop_length=128, n_mels=40, window="hamming"
            ),
            top_db=30.0,
        )
        assert_allclose(batch[i], single, rtol=1e-5, atol=ATOL)
        assert batch[i].max() - batch[i].min() == pytest.approx(30.0, abs=1e-3)


@pytest.mark.parametrize("power, to_db", [(2.0, librosa.power_to_db), (1.0, librosa.amplitude_to_db)])
def test_linear_frequency_spectrogram(waves, power, to_db):
    """Check the linear-frequency (1 + n_fft // 2 rows) magnitude and power spectrograms."""
    S = hamming_spectrogram(waves[1], **PARAMS, scale="linear", power=power)
    stft = np.abs(librosa.stft(waves[1], n_fft=512, hop_length=128, window="hamming"))
    assert S.shape == (257, 1 + waves.shape[1] // 128)
    assert_allclose(S, to_db(stft**power), rtol=1e-5)
    linear = hamming_spectrogram(waves[1], **PARAMS, scale="linear", power=power, log=False)
    assert_allclose(linear, stft**power, rtol=1e-5)


@pytest.mark.parametrize("normalize", ["standard", "minmax"])
def test_per_image_normalisation(waves, normalize):
    """Check per-image standardisation and min-max scaling; silence becomes zeros."""
    X = np.concatenate([waves, np.zeros((1, waves.shape[1]), np.float32)])
    images = Spectrogram(**PARAMS, normalize=normalize).fit_transform(X)
    flat = images.reshape(4, -1).astype(np.float64)
    if normalize == "standard":
        assert_allclose(flat[:3].mean(axis=1), 0.0, atol=1e-5)
        assert_allclose(flat[:3].std(axis=1), 1.0, rtol=1e-4)
    else:
        assert_allclose(flat[:3].min(axis=1), 0.0)
        assert_allclose(flat[:3].max(axis=1), 1.0)
    assert_array_equal(flat[3], 0.0)
    raw = Spectrogram(**PARAMS).fit_transform(X)
    assert_allclose(raw[3], -100.0, rtol=1e-6)  # silence: 10 log10(1e-10), finite


def test_channels_are_kept_last(waves):
    """Check that (n, n_audio, C) input gives (n, n_mels, T, C), one image per channel."""
    stereo = np.stack([waves, waves[::-1]], axis=-1)  # (3, n_audio, 2)
    sp = Spectrogram(**PARAMS).fit(stereo)
    images = sp.transform(stereo)
    assert images.shape == (3, 40, 1 + waves.shape[1] // 128, 2)
    assert sp.output_shape_ == images.shape[1:] and sp.n_channels_in_ == 2
    mono = Spectrogram(**PARAMS).fit_transform(waves)
    assert_allclose(images[:, :, :, 0], mono[:, :, :, 0], rtol=1e-5)
    assert_allclose(images[:, :, :, 1], mono[::-1, :, :, 0], rtol=1e-5)
    msg = "X has 1 channels, but Spectrogram is expecting 2 channels as input."
    with pytest.raises(ValueError, match=re.escape(msg)):
        sp.transform(stereo[:, :, :1])


def test_short_clip_and_bad_input(waves):
    """Check a clip shorter than n_fft (zero-padded), NaN rows and wrong shapes."""
    short = Spectrogram(**PARAMS).fit_transform(waves[:, :100])
    assert short.shape == (3, 40, 1, 1) and np.isfinite(short).all()
    msg = "got waveforms of 100 samples, shorter than one window (n_fft=512) with center=False"
    with pytest.raises(ValueError, match=re.escape(msg)):
        Spectrogram(**PARAMS, center=False).fit(waves[:, :100])
    bad = waves.copy()
    bad[1, 5] = np.nan
    msg = "Spectrogram needs finite waveforms, but sample 1 of X contains NaN or inf"
    with pytest.raises(ValueError, match=re.escape(msg)):
        Spectrogram(**PARAMS).fit(bad)
    msg = "Expected X of shape (n_samples, n_audio_samples) or (n_samples, n_audio_samples, n_channels); got (3, 2, 2, 2)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        Spectrogram(**PARAMS).fit(np.zeros((3, 2, 2, 2)))
    with pytest.raises(ValueError, match=re.escape("y contains NaN or inf")):
        hamming_spectrogram(bad[1], **PARAMS)
    with pytest.raises(ValueError, match=re.escape("Expected y of shape (..., n_audio_samples); got (3, 0).")):
        hamming_spectrogram(np.zeros((3, 0)), **PARAMS)


@pytest.mark.parametrize(
    "params, msg",
    [
        (dict(scale="bark"), "The 'scale' parameter of Spectrogram must be a str among {'linear', 'mel'}. Got 'bark' instead."),
        (dict(normalize="l2"), "The 'normalize' parameter of Spectrogram must be a str among"),
        (dict(power=3.0), "The 'power' parameter of Spectrogram must be a value among {1.0, 2.0}"),
        (dict(hop_length=0), "The 'hop_length' parameter of Spectrogram must be an int in the range [1, inf)"),
    ],
)
def test_bad_parameters(waves, params, msg):
    """Check sklearn-worded errors for bad Spectrogram parameters."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        Spectrogram(**{**PARAMS, **params}).fit(waves)
