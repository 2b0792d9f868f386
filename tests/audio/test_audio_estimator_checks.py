"""scikit-learn's common estimator checks on the array-input audio transformers."""

import pickle

import pytest
from sklearn.base import clone
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from skemotion.audio import AudioLoader, SequenceScaler, SpectralFeatures, Spectrogram

# Small windows keep the checks fast; everything else is at its default.
_FAST = dict(n_fft=64, hop_length=32, n_mels=16)


# No check is expected to fail (expected_failed_checks is empty on purpose).
@parametrize_with_checks(
    [
        SpectralFeatures(**_FAST, n_mfcc=8),
        SpectralFeatures(**_FAST, features=("rms", "f0", "voicing")),
        Spectrogram(**_FAST),
        SequenceScaler(),
        SequenceScaler(with_mean=False),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    """Check that the audio transformers pass scikit-learn's common checks."""
    check(estimator)


_DATA_FREE_CHECKS = [
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
]


@pytest.mark.parametrize("check_name", _DATA_FREE_CHECKS)
def test_audio_loader_data_free_api_checks(check_name):
    """Check that AudioLoader (path input) passes sklearn's data-free API checks."""
    check = getattr(estimator_checks, check_name)
    check("AudioLoader", AudioLoader(sr=16000, duration=0.5))


def test_audio_loader_pickles_and_clones_with_params():
    """Check that AudioLoader keeps its parameters through clone and pickle."""
    loader = AudioLoader(sr=8000, mono=False, duration=2.0, pad="wrap", crop="center")
    for copy in (clone(loader), pickle.loads(pickle.dumps(loader))):
        assert copy.get_params() == loader.get_params()
