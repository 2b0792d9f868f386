"""Frame-level pitch (f0), voicing and voice quality, aligned with the STFT frames of ``SpectralFeatures``.

librosa's YIN gives an f0 estimate for every frame, voiced or not; ``pyin`` also
gives voicing but cost 16x more in ``benchmarks/bench_pitch.py``. So voicing
is decided from the signal itself: a frame is voiced when it is periodic at
the YIN lag (normalised autocorrelation at least ``threshold``) and no more
than ``_TOP_DB`` below the loudest frame of the clip. The benchmark found 97%
agreement with pyin's voicing and the same f0 accuracy.

Voice quality comes from the same analysis frames: the harmonics-to-noise
ratio from the periodicity at the f0 lag (Boersma 1993: ``10 log10(r / (1 -
r))``), and frame-to-frame jitter and shimmer, the relative change of the
period and the change of amplitude in dB between neighbouring voiced frames.
eGeMAPS measures jitter and shimmer period by period; these are their
frame-level counterparts, cheaper and defined on the same frames as every
other feature.
"""

import math

import numpy as np

__all__ = ["pitch_frame_length", "pitch_track"]

#: Frames quieter than this many dB below the clip's loudest frame are unvoiced.
_TOP_DB = 40.0
#: Voiced f0 values are median-filtered over this many voiced frames: YIN's
#: octave errors at syllable edges last one or two frames.
_MEDIAN_FRAMES = 5
#: Semitones are counted from A0 (27.5 Hz), as in the eGeMAPS parameter set.
_REFERENCE_HZ = 27.5
#: Periodicity is clipped to this range for the HNR: -30 to +30 dB.
_HNR_CLIP = (1e-3, 1.0 - 1e-3)


def pitch_frame_length(sr, n_fft, f0_min):
    """Analysis frame for YIN: at least ``n_fft`` and two periods of ``f0_min``, a power of 2."""
    need = 2 * math.ceil(sr / f0_min) + 2  # librosa.yin's bound with win_length = frame // 2
    return max(int(n_fft), 2 ** math.ceil(math.log2(need)))


def _periodicity(frames, lag):
    """Normalised autocorrelation of each frame (rows) at its own ``lag``."""
    n = frames.shape[1]
    spectrum = np.fft.rfft(frames, 2 * n, axis=1)
    acf = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :n]
    energy = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames**2, axis=1)], axis=1)
    rows = np.arange(len(frames))
    head = energy[rows, n - lag]  # x[0 : n - lag]
    tail = energy[:, n] - energy[rows, lag]  # x[lag : n]
    return acf[rows, lag] / np.sqrt(head * tail + 1e-20), energy[:, n] / n


def pitch_track(y, *, sr, n_fft, hop_length, n_steps, center, f0_min, f0_max, threshold,
                reference):
    """f0 in semitones and voicing (0/1) of one waveform, one value per STFT frame.

    Parameters
    ----------
    y : ndarray of shape (n_audio_samples,)
        The waveform.
    sr, n_fft, hop_length, center :
        The STFT framing the output must align with: frame ``t`` is centred on
        sample ``t * hop_length`` (``center=True``) or ``t * hop_length + n_fft // 2``.
    n_steps : int
        Number of STFT frames.
    f0_min, f0_max : float
        Search range of f0 in Hz.
    threshold : float
        Least normalised autocorrelation at the f0 lag of a voiced frame.
    reference : {"clip", "absolute"}
        ``"clip"``: semitones relative to the median f0 of the clip's voiced
        frames (removes the speaker's pitch level); ``"absolute"``: semitones
        above 27.5 Hz.

    Returns
    -------
    track : dict of ndarray of shape (n_steps,)
        ``"f0"``: semitones; unvoiced frames are linearly interpolated between
        the neighbouring voiced ones (held at the ends), and 0 when no frame of
        the clip is voiced. ``"voicing"``: 1.0 for voiced frames, else 0.0.
        ``"hnr"``: harmonics-to-noise ratio in dB of every frame.
        ``"jitter"``: ``|T_t - T_{t-1}| / T_t`` for the YIN periods ``T`` of a
        voiced frame and its voiced predecessor, ``"shimmer"``: ``|20
        log10(A_t / A_{t-1})|`` dB for their RMS amplitudes ``A``; both 0
        elsewhere. ``"voice_pair"``: 1.0 where jitter and shimmer are defined.
    """
    import librosa
    import scipy.signal

    frame_length = pitch_frame_length(sr, n_fft, f0_min)
    if not center:  # STFT frame t spans [t * hop, t * hop + n_fft): same centres
        y = y[n_fft // 2 :]
    y = np.asarray(y, dtype=np.float64)
    f0 = librosa.yin(
        y, fmin=f0_min, fmax=f0_max, sr=sr, frame_length=frame_length, hop_length=hop_length,
        center=True, pad_mode="constant",
    )  # fmt: skip
    padded = np.pad(y, frame_length // 2)  # yin's own centring
    frames = librosa.util.frame(padded, frame_length=frame_length, hop_length=hop_length, axis=0)
    n = min(len(f0), len(frames), n_steps)
    f0, frames = f0[:n], frames[:n]
    lag = np.clip(np.rint(sr / f0).astype(int), 1, frame_length - 1)
    periodicity, power = _periodicity(frames, lag)
    level = 10.0 * np.log10(power + 1e-20)
    voiced = (periodicity >= threshold) & (level > level.max() - _TOP_DB) & (power > 0)

    semitones = 12.0 * np.log2(f0 / _REFERENCE_HZ)
    r = np.clip(periodicity, *_HNR_CLIP)
    hnr = np.full(n_steps, 10.0 * np.log10(_HNR_CLIP[0] / (1.0 - _HNR_CLIP[0])))
    hnr[:n] = 10.0 * np.log10(r / (1.0 - r))
    pair = np.zeros(n_steps, dtype=bool)
    pair[1:n] = voiced[1:] & voiced[:-1]
    jitter, shimmer = np.zeros(n_steps), np.zeros(n_steps)
    if pair.any():
        period, amplitude = 1.0 / f0, np.sqrt(power)
        t = np.flatnonzero(pair)
        jitter[t] = np.abs(period[t] - period[t - 1]) / period[t]
        shimmer[t] = np.abs(20.0 * np.log10(amplitude[t] / amplitude[t - 1]))
    out = np.zeros(n_steps)
    mask = np.zeros(n_steps, dtype=bool)
    mask[:n] = voiced
    if mask.any():
        values = semitones[voiced]
        if len(values) >= _MEDIAN_FRAMES:
            values = scipy.signal.medfilt(values, _MEDIAN_FRAMES)
        if reference == "clip":
            values = values - np.median(values)
        idx = np.flatnonzero(mask)
        out = np.interp(np.arange(n_steps), idx, values)
    return {"f0": out, "voicing": mask.astype(np.float64), "hnr": hnr, "jitter": jitter,
            "shimmer": shimmer, "voice_pair": pair.astype(np.float64)}
