"""Synthesis of the synthetic corpus's voice-like sounds (harmonics, formants, syllables)."""

import numpy as np

from ._synthetic_actors import _VOWELS, _envelope


def _voice(rng, actor, duration, sr, spans, f0, tilt, level_db, jitter, vibrato, breath):
    """Harmonic voice. ``f0, tilt, level_db, jitter, vibrato, breath`` are sample-rate arrays."""
    n = int(round(duration * sr))
    t = np.arange(n) / sr
    env = _envelope(spans, t)
    # Slow random jitter of f0 plus vibrato.
    wobble = np.interp(t, np.linspace(0, duration, max(int(duration * 40), 2)),
                       rng.standard_normal(max(int(duration * 40), 2)))
    f0 = f0 * (1.0 + jitter * wobble + vibrato * np.sin(2 * np.pi * 7.0 * t))
    phase = 2 * np.pi * np.cumsum(f0) / sr
    # Formants: each syllable gets a vowel, interpolated between syllables.
    vowels = _VOWELS[rng.integers(0, len(_VOWELS), max(len(spans), 1))] * actor["formant_scale"]
    mids = np.array([(a + b) / 2 for a, b in spans]) if spans else np.array([0.0])
    # Harmonic amplitudes change slowly: compute them at a 200 Hz control rate.
    ctrl = np.arange(0, n, max(sr // 200, 1))
    tc = t[ctrl]
    f0c = f0[ctrl]
    tiltc = np.broadcast_to(tilt, t.shape)[ctrl]
    f1 = np.interp(tc, mids, vowels[:, 0])
    f2 = np.interp(tc, mids, vowels[:, 1])
    f_max = min(5000.0, 0.45 * sr)
    n_harm = int(f_max / f0.min())
    k = np.arange(1, n_harm + 1)[:, None]
    fk = k * f0c
    amp = k ** (-tiltc) * (
        0.08 + np.exp(-(((fk - f1) / 110.0) ** 2)) + 0.7 * np.exp(-(((fk - f2) / 160.0) ** 2))
    )
    amp = np.where(fk < f_max, amp, 0.0)
    amp /= np.sqrt(0.5 * (amp**2).sum(0) + 1e-12)  # unit RMS whatever the tilt
    voiced = np.zeros(n)
    for j in range(n_harm):
        voiced += np.interp(t, tc, amp[j]) * np.sin((j + 1) * phase)
    hiss = np.diff(rng.standard_normal(n + 1))  # high-passed noise for breathiness
    gain = 0.12 * 10 ** ((level_db + actor["level_db"]) / 20.0)
    signal = gain * env * (voiced + breath * hiss) + actor["room_noise"] * rng.standard_normal(n)
    return np.tanh(signal).astype(np.float32)  # soft limit into (-1, 1)
