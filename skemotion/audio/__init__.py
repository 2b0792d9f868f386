"""Audio featurizers as scikit-learn transformers.

:class:`AudioLoader` decodes the audio track of media files (or media
fragments) into waveforms; :class:`SpectralFeatures` turns waveforms into
frame-level or pooled spectral features on one shared Hamming-window STFT;
:class:`Spectrogram` (and the function :func:`hamming_spectrogram`) turns them
into log-mel or linear spectrogram images for CNNs; :class:`SequenceScaler`
standardises frame-level feature sequences with training-fold statistics.
"""

from ._features import SpectralFeatures
from ._loader import AudioLoader
from ._scaling import SequenceScaler
from ._spectrogram import Spectrogram, hamming_spectrogram

__all__ = ["AudioLoader", "SequenceScaler", "SpectralFeatures", "Spectrogram", "hamming_spectrogram"]
