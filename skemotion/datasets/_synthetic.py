"""Synthetic emotion corpus: drawn faces and voice-like sounds written as real mp4 files.

Every clip shows a face drawn with numpy (ellipse face, hair, eye sockets, eyes,
brows, nose, mouth) whose mouth curvature, brow angle and eye opening express the class, and
carries a harmonic "voice" whose pitch contour, loudness, syllable rate and
spectral tilt express the same class. Actors differ in face geometry, skin,
hair, background, lighting and voice, and each clip adds head motion, lighting
drift, blinks and sensor noise, so that the corpus is learnable but not solvable
from one global statistic.

Randomness: the corpus seed comes from ``random_state``; actor ``a`` draws from
``default_rng([seed, _ACTOR_KEY, a, _ACTOR_KEY])`` and clip ``i`` from
``sample_rng(seed, i)``, so clip ``i`` does not depend on ``n_samples``.

This module checks the parameters and composes the two corpora; the jobs live
beside it: ``_synthetic_actors`` (class tables, actors, time courses),
``_synthetic_faces`` (drawing), ``_synthetic_voices`` (sound) and
``_synthetic_store`` (data home, cache, manifest and the one build routine).
"""

import numbers
import textwrap

import numpy as np

from ..utils import Interval, sample_rng, seed_int, validate_params
from ._synthetic_actors import (
    _FACE,
    _FACE_KEYS,
    _VOICE,
    EMOTIONS,
    _blinks,
    _contour,
    _envelope,
    _head_track,
    _make_actor,
    _smooth_path,
    _syllables,
)
from ._synthetic_faces import _lighting, _render_chunked
from ._synthetic_store import _GENERATOR_VERSION, _MANIFEST, build_corpus, get_data_home, write_clip
from ._synthetic_voices import _voice

__all__ = ["get_data_home", "make_synthetic_expressions", "make_synthetic_valence"]

# --------------------------------------------------------------------------------------
# Parameter checking
# --------------------------------------------------------------------------------------


def _check_size(size, owner):
    ok = (
        isinstance(size, tuple | list)
        and len(size) == 2
        and all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in size)
        and all(s >= 16 and s % 2 == 0 for s in size)
    )
    if not ok:
        raise ValueError(
            f"The 'size' parameter of {owner} must be a (width, height) pair of even ints "
            f">= 16 (H.264 needs even sizes). Got {size!r} instead."
        )
    return int(size[0]), int(size[1])


def _n_frames(duration, fps, owner):
    n = int(round(duration * fps))
    if n < 2:
        raise ValueError(
            f"The 'duration' and 'fps' parameters of {owner} must give at least 2 frames "
            f"(duration * fps >= 2). Got duration={duration!r} and fps={fps!r} instead."
        )
    return n


def _corpus_seed(random_state):
    seed = seed_int(random_state)
    if seed is None:
        seed = int(np.random.default_rng().integers(np.iinfo(np.int32).max))
    return seed


def _common_checks(owner, params):
    validate_params(
        owner,
        params,
        {
            "out_dir": ["path", None],
            "n_actors": [Interval(int, 1, None, closed="left")],
            "duration": [Interval(float, 0, None, closed="neither")],
            "fps": [Interval(float, 0, 240, closed="right")],
            "with_audio": ["boolean"],
            "sr": [Interval(int, 8000, 96000, closed="both")],
            "random_state": ["random_state"],
            "cache": ["boolean"],
            "n_jobs": [Interval(int, -1, None, closed="left"), None],
        },
    )
    if params.get("n_jobs") == 0:
        raise ValueError(
            f"The 'n_jobs' parameter of {owner} must be a non-zero int or None. Got 0 instead."
        )


# --------------------------------------------------------------------------------------
# Categorical corpus
# --------------------------------------------------------------------------------------


def _expression_clip(seed, i, label, actor, n_frames, fps, size, with_audio, sr, render=True):
    """Spec (and, when ``render``, frames and audio) of clip ``i``."""
    rng = sample_rng(seed, i)
    noise_rng = np.random.default_rng(rng.integers(2**63))
    audio_rng = np.random.default_rng(rng.integers(2**63))
    t = np.arange(n_frames) / fps
    duration = n_frames / fps
    track, boxes = _head_track(rng, actor, t)
    if not render:
        return boxes, None, None

    # Expression: neutral + intensity * (class - neutral) + jitter, with a short onset.
    neutral = np.array(_FACE["neutral"])
    target = np.array(_FACE[label])
    intensity = rng.uniform(0.8, 1.15)
    jitter = rng.normal(0.0, [0.06, 0.06, 0.06, 0.05, 0.03, 0.03, 0.04])
    expr = neutral + intensity * (target - neutral) + jitter
    start = rng.uniform(0.6, 0.85)
    onset = start + (1.0 - start) * np.clip(t / 0.3, 0, 1)
    voice = _VOICE[label]
    spans = _syllables(audio_rng, duration, lambda _t: voice[3] * rng.uniform(0.85, 1.15))
    talk = _envelope(spans, t + 0.5 / fps)  # mouth follows the syllables
    face = {k: neutral[j] + onset * (expr[j] - neutral[j]) for j, k in enumerate(_FACE_KEYS)}
    face["eye_open"] = np.maximum(face["eye_open"], 0.15) * _blinks(rng, t)
    face["mouth_open"] = np.maximum(face["mouth_open"], 0.0) + 0.3 * talk
    face["gaze"] = 0.6 * _smooth_path(rng, t, f_low=0.2, f_high=1.0)
    light = _lighting(rng, actor, t)
    frames = _render_chunked(actor, track, face, light, noise_rng, size)

    audio = None
    if with_audio:
        ratio, shape, span, _, tilt, level, jit, vib, breath = voice
        n = int(round(duration * sr))
        x = np.arange(n) / n
        f0 = actor["f0"] * ratio * rng.uniform(0.95, 1.05) * (
            1.0 + span * rng.uniform(0.8, 1.2) * _contour(shape, x, audio_rng)
        )
        audio = _voice(
            audio_rng, actor, duration, sr, spans, f0, tilt + rng.normal(0, 0.1),
            level + rng.normal(0, 3.0), jit, vib, breath,
        )
    return boxes, frames, audio


_DESCR_EXPRESSIONS = textwrap.dedent(
    """\
    Synthetic emotion expressions
    -----------------------------
    {n} mp4 clips (H.264{audio}) of a drawn face, {w}x{h} px, {fps:g} fps, {d:g} s, made by
    skemotion.datasets.make_synthetic_expressions (generator version {v}, seed {seed}).
    Classes ({k}): {names}. Actors: {a}. Clip i has class i % n_classes and actor
    (i // n_classes) % n_actors. The face expresses the class by mouth curvature and
    opening, brow angle and height and eye opening; the voice by pitch level and contour,
    loudness, syllable rate and spectral tilt. Actors differ in face geometry, skin, hair,
    background, lighting gain, voice pitch and recording level; their voices alternate
    male (even actor ids) and female.
    """
)


def make_synthetic_expressions(
    n_samples=32,
    out_dir=None,
    *,
    n_classes=4,
    n_actors=4,
    duration=1.0,
    fps=15,
    size=(64, 64),
    with_audio=True,
    sr=16000,
    random_state=None,
    cache=True,
    n_jobs=None,
):
    """Write a corpus of synthetic emotion clips (drawn face + voice) as mp4 files.

    Each clip is a real H.264 video (with an AAC voice track when ``with_audio``)
    of a face drawn with numpy. The class is shown by the mouth (curvature,
    opening, width, asymmetry), the brows (angle and height) and the eyes
    (opening), each with per-clip intensity and jitter and a short onset; it is
    heard in a harmonic voice through pitch level and contour, loudness, syllable
    rate, spectral tilt, jitter, vibrato and breathiness. Actors differ in face
    size and aspect, eye spacing, mouth position, skin, hair, background, lighting
    gain and direction, voice pitch, formants and recording level, more than
    classes change any global statistic; their voices alternate male (even actor
    ids) and female, as in RAVDESS, so a grouped split trains on both. Each clip
    adds smooth head motion (translation, tilt, scale), lighting drift, blinks,
    gaze, sensor noise and a mouth that moves with the syllables. The face always
    stays fully in frame.

    Clip ``i`` has class ``i % n_classes`` and actor ``(i // n_classes) % n_actors``,
    so classes are balanced when ``n_samples`` is a multiple of ``n_classes``, and
    every actor has every class (``GroupKFold`` on ``groups`` works) when it is a
    multiple of ``n_classes * n_actors``. Clip ``i`` depends only on
    ``random_state``, ``i`` and the other parameters, not on ``n_samples``.

    Parameters
    ----------
    n_samples : int, default=32
        Number of clips.
    out_dir : str or os.PathLike, default=None
        Folder to write into (created if missing). ``None`` uses a folder named
        after the corpus fingerprint under :func:`get_data_home`.
    n_classes : int, default=4
        Number of classes, in 2..8, taken in order from ``neutral, happy, sad,
        angry, fearful, disgust, surprised, calm``.
    n_actors : int, default=4
        Number of actors.
    duration : float, default=1.0
        Clip length in seconds; each clip has ``round(duration * fps)`` frames.
    fps : float, default=15
        Frame rate.
    size : tuple of int, default=(64, 64)
        Frame ``(width, height)``; both even (H.264) and at least 16.
    with_audio : bool, default=True
        Whether to add the voice track.
    sr : int, default=16000
        Audio sample rate in Hz.
    random_state : int, RandomState instance or None, default=None
        Seeds the whole corpus. ``None`` draws a fresh seed (kept in ``frame["seed"]``).
    cache : bool, default=True
        Reuse the files in ``out_dir`` when its manifest shows they are this very
        corpus (same parameters and seed, files unchanged). ``False`` always
        rewrites them.
    n_jobs : int, default=None
        Number of clips rendered and encoded in parallel (threads). ``None`` means 1.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes:

        data : ndarray of shape (n_samples,), dtype=object
            Absolute paths of the mp4 files.
        target : ndarray of shape (n_samples,), dtype=int64
            Class codes.
        target_names : ndarray of shape (n_classes,), dtype=object
            Class names.
        groups : ndarray of shape (n_samples,), dtype=int64
            Actor ids, for grouped cross-validation.
        frame : pandas.DataFrame of shape (n_samples, 11)
            Columns ``path, target, label, actor, sex, duration, fps, n_frames,
            width, height, seed``; ``sex`` is the voice's, ``"male"`` for even
            actor ids and ``"female"`` for odd ones.
        face_boxes : ndarray of shape (n_samples, n_frames, 4), dtype=float64
            The face ellipse's bounding box in every frame as ``x0, y0, x1, y1`` in
            pixel units (pixel ``j`` covers ``[j, j + 1)``); always inside the frame.
        manifest : str
            Path of the JSON manifest describing the corpus.
        DESCR : str
            Description of the corpus.

    See Also
    --------
    make_synthetic_valence : Longer videos with a continuous valence timeline.

    Notes
    -----
    The same parameters and ``random_state`` give the same frames and audio
    arrays and, with the bundled ffmpeg, byte-identical files (H.264 and AAC
    encoding is deterministic and no timestamps are written). Generation is
    fast: 32 clips of 1 s at 64x64 take a few seconds, most of it in ffmpeg.

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.datasets import make_synthetic_expressions
    >>> corpus = make_synthetic_expressions(4, tempfile.mkdtemp(), n_classes=2, n_actors=2,
    ...                                     duration=0.5, size=(32, 32), random_state=0)
    >>> corpus.target
    array([0, 1, 0, 1])
    >>> corpus.groups
    array([0, 0, 1, 1])
    >>> list(corpus.target_names)
    ['neutral', 'happy']
    >>> corpus.face_boxes.shape
    (4, 8, 4)
    """
    owner = "make_synthetic_expressions"
    params = {
        "n_samples": n_samples, "out_dir": out_dir, "n_classes": n_classes,
        "n_actors": n_actors, "duration": duration, "fps": fps, "with_audio": with_audio,
        "sr": sr, "random_state": random_state, "cache": cache, "n_jobs": n_jobs,
    }  # fmt: skip
    validate_params(
        owner,
        params,
        {
            "n_samples": [Interval(int, 1, None, closed="left")],
            "n_classes": [Interval(int, 2, len(EMOTIONS), closed="both")],
        },
    )
    _common_checks(owner, params)
    size = _check_size(size, owner)
    n_frames = _n_frames(duration, fps, owner)
    seed = _corpus_seed(random_state)

    labels = EMOTIONS[:n_classes]
    target = np.arange(n_samples, dtype=np.int64) % n_classes
    groups = (np.arange(n_samples, dtype=np.int64) // n_classes) % n_actors
    names = [f"clip_{i:05d}_actor{groups[i]:02d}_{labels[target[i]]}.mp4" for i in range(n_samples)]
    spec = {
        "n_samples": int(n_samples), "n_classes": int(n_classes), "n_actors": int(n_actors),
        "duration": float(duration), "fps": float(fps), "size": list(size),
        "with_audio": bool(with_audio), "sr": int(sr), "seed": seed,
    }  # fmt: skip
    actors = [_make_actor(seed, a, size) for a in range(n_actors)]
    boxes = np.empty((n_samples, n_frames, 4))

    def make(i, out, reuse):
        lab, act = labels[target[i]], actors[groups[i]]
        b, frames, audio = _expression_clip(
            seed, i, lab, act, n_frames, fps, size, with_audio, sr, render=not reuse
        )
        boxes[i] = b
        if not reuse:
            write_clip(out / names[i], frames, fps, audio, sr)

    out = build_corpus("expressions", spec, out_dir, names, make, n_samples, cache=cache,
                       n_jobs=n_jobs)

    import pandas as pd
    from sklearn.utils import Bunch

    paths = np.array([str(out / name) for name in names], dtype=object)
    frame = pd.DataFrame(
        {
            "path": paths,
            "target": target,
            "label": [labels[k] for k in target],
            "actor": groups,
            "sex": [actors[a]["sex"] for a in groups],
            "duration": n_frames / fps,
            "fps": float(fps),
            "n_frames": n_frames,
            "width": size[0],
            "height": size[1],
            "seed": seed,
        }
    )
    descr = _DESCR_EXPRESSIONS.format(
        n=n_samples, audio=" + AAC voice" if with_audio else "", w=size[0], h=size[1],
        fps=fps, d=n_frames / fps, v=_GENERATOR_VERSION, seed=seed, k=n_classes,
        names=", ".join(labels), a=n_actors,
    )  # fmt: skip
    return Bunch(
        data=paths,
        target=target,
        target_names=np.array(labels, dtype=object),
        groups=groups,
        frame=frame,
        face_boxes=boxes,
        manifest=str(out / _MANIFEST["expressions"]),
        DESCR=descr,
    )


# --------------------------------------------------------------------------------------
# Continuous (valence) corpus
# --------------------------------------------------------------------------------------


def _valence_path(rng, t, duration):
    """Smooth valence in [-1, 1]: a few slow sinusoids through tanh, with a random offset."""
    n_terms = 4
    weights = rng.dirichlet(np.ones(n_terms))
    # periods between ~duration/3 and ~duration*1.5, and at least 10 s
    freqs = np.minimum(rng.uniform(2.0 / 3.0, 3.0, n_terms) / max(duration, 2.0), 0.1)
    phases = rng.uniform(0, 2 * np.pi, n_terms)
    raw = (weights[:, None] * np.sin(2 * np.pi * freqs[:, None] * t + phases[:, None])).sum(0)
    raw = raw / (np.abs(raw).max() + 1e-9)
    return np.tanh(1.5 * (raw + rng.uniform(-0.3, 0.3))) / np.tanh(1.5 * 1.3)


def _interp_face(valence):
    """Face parameters for each valence value: neutral -> happy (v > 0) or -> sad (v < 0)."""
    neutral, happy, sad = (np.array(_FACE[k])[:, None] for k in ("neutral", "happy", "sad"))
    pos, neg = np.clip(valence, 0, None), np.clip(-valence, 0, None)
    out = neutral + pos * (happy - neutral) + neg * (sad - neutral)
    return {k: out[j] for j, k in enumerate(_FACE_KEYS)}


def _raters(rng, t, valence, fps, n_raters):
    """Annotator traces: the true valence delayed by a reaction lag, biased, noisy, clipped."""
    traces = []
    for _ in range(n_raters):
        lag = rng.uniform(0.3, 1.5)
        delayed = np.interp(t - lag, t, valence, left=valence[0])
        noise = np.interp(t, np.linspace(t[0], t[-1], max(len(t) // int(max(fps, 1)), 2)),
                          rng.normal(0, 0.08, max(len(t) // int(max(fps, 1)), 2)))
        trace = rng.uniform(0.8, 1.1) * delayed + rng.normal(0, 0.08) + noise
        traces.append(np.clip(trace, -1.0, 1.0))
    return traces


def make_synthetic_valence(
    out_dir=None,
    *,
    n_videos=4,
    n_actors=2,
    duration=20.0,
    fps=15,
    size=(64, 64),
    n_raters=3,
    with_audio=True,
    sr=16000,
    random_state=None,
    cache=True,
    n_jobs=None,
):
    """Write synthetic videos whose valence drifts over time, with per-frame CSV annotations.

    Each video shows the drawn face of :func:`make_synthetic_expressions` driven
    continuously by a smooth valence trace ``v(t)`` in [-1, 1]: ``v > 0`` moves
    the face towards "happy" (smile, narrowed eyes), ``v < 0`` towards "sad"
    (frown, inner brows up), and the voice follows (pitch, pitch range, loudness,
    spectral tilt and syllable rate rise with valence). It is meant for timeline
    regression (CCC) and sliding-window models.

    Video ``i`` has actor ``i % n_actors``. Next to ``valence_XXXXX.mp4`` a CSV
    ``valence_XXXXX.csv`` has one row per video frame and the columns

    - ``time``: start of the frame in seconds (``frame_index / fps``);
    - ``valence``: the true valence that drove that frame, in [-1, 1];
    - ``rater_1`` ... ``rater_<n_raters>``: simulated annotator traces (the true
      valence delayed by a 0.3-1.5 s reaction lag, scaled, biased, with slow noise,
      clipped to [-1, 1]).

    Parameters
    ----------
    out_dir : str or os.PathLike, default=None
        Folder to write into (created if missing). ``None`` uses a folder named
        after the corpus fingerprint under :func:`get_data_home`.
    n_videos : int, default=4
        Number of videos.
    n_actors : int, default=2
        Number of actors.
    duration : float, default=20.0
        Video length in seconds; each has ``round(duration * fps)`` frames.
    fps : float, default=15
        Frame rate.
    size : tuple of int, default=(64, 64)
        Frame ``(width, height)``; both even and at least 16.
    n_raters : int, default=3
        Number of simulated annotator columns in each CSV (0 for none).
    with_audio : bool, default=True
        Whether to add the voice track.
    sr : int, default=16000
        Audio sample rate in Hz.
    random_state : int, RandomState instance or None, default=None
        Seeds the whole corpus. ``None`` draws a fresh seed.
    cache : bool, default=True
        Reuse the files in ``out_dir`` when they are this very corpus.
    n_jobs : int, default=None
        Number of videos made in parallel (threads). ``None`` means 1.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes:

        data : ndarray of shape (n_videos,), dtype=object
            Absolute paths of the mp4 files.
        target : ndarray of shape (n_videos, n_frames), dtype=float32
            True valence of every frame.
        annotations : ndarray of shape (n_videos,), dtype=object
            Absolute paths of the per-frame CSV files.
        timelines : list of pandas.DataFrame
            The CSV contents, one DataFrame per video.
        groups : ndarray of shape (n_videos,), dtype=int64
            Actor ids.
        frame : pandas.DataFrame of shape (n_videos, 11)
            Columns ``path, annotation, actor, sex, duration, fps, n_frames, width,
            height, n_raters, seed``.
        face_boxes : ndarray of shape (n_videos, n_frames, 4), dtype=float64
            Face bounding box per frame, ``x0, y0, x1, y1`` in pixels.
        manifest : str
            Path of the JSON manifest.
        DESCR : str
            Description of the corpus.

    See Also
    --------
    make_synthetic_expressions : Short clips with one categorical emotion each.

    Examples
    --------
    >>> import tempfile
    >>> from skemotion.datasets import make_synthetic_valence
    >>> corpus = make_synthetic_valence(tempfile.mkdtemp(), n_videos=2, duration=2.0,
    ...                                 size=(32, 32), n_raters=2, random_state=0)
    >>> corpus.target.shape
    (2, 30)
    >>> list(corpus.timelines[0].columns)
    ['time', 'valence', 'rater_1', 'rater_2']
    >>> bool((abs(corpus.target) <= 1).all())
    True
    """
    owner = "make_synthetic_valence"
    params = {
        "out_dir": out_dir, "n_videos": n_videos, "n_actors": n_actors, "duration": duration,
        "fps": fps, "n_raters": n_raters, "with_audio": with_audio, "sr": sr,
        "random_state": random_state, "cache": cache, "n_jobs": n_jobs,
    }  # fmt: skip
    validate_params(
        owner,
        params,
        {
            "n_videos": [Interval(int, 1, None, closed="left")],
            "n_raters": [Interval(int, 0, None, closed="left")],
        },
    )
    _common_checks(owner, params)
    size = _check_size(size, owner)
    n_frames = _n_frames(duration, fps, owner)
    seed = _corpus_seed(random_state)

    import pandas as pd
    from sklearn.utils import Bunch

    groups = np.arange(n_videos, dtype=np.int64) % n_actors
    stems = [f"valence_{i:05d}_actor{groups[i]:02d}" for i in range(n_videos)]
    names = [s + ext for s in stems for ext in (".mp4", ".csv")]
    spec = {
        "n_videos": int(n_videos), "n_actors": int(n_actors), "duration": float(duration),
        "fps": float(fps), "size": list(size), "n_raters": int(n_raters),
        "with_audio": bool(with_audio), "sr": int(sr), "seed": seed,
    }  # fmt: skip
    actors = [_make_actor(seed, a, size) for a in range(n_actors)]
    boxes = np.empty((n_videos, n_frames, 4))
    timelines = [None] * n_videos

    def make(i, out, reuse):
        actor = actors[groups[i]]
        rng = sample_rng(seed, i)
        noise_rng = np.random.default_rng(rng.integers(2**63))
        audio_rng = np.random.default_rng(rng.integers(2**63))
        t = np.arange(n_frames) / fps
        dur = n_frames / fps
        track, boxes[i] = _head_track(rng, actor, t)
        valence = _valence_path(rng, t, dur)
        table = {"time": t, "valence": valence}
        for r, trace in enumerate(_raters(rng, t, valence, fps, n_raters), start=1):
            table[f"rater_{r}"] = trace
        timelines[i] = pd.DataFrame(table).round(6)
        if reuse:
            return
        v_at = lambda tt: np.interp(tt, t, valence)  # noqa: E731
        spans = _syllables(audio_rng, dur, lambda tt: 3.5 + 1.0 * v_at(tt))
        face = _interp_face(valence)
        face["eye_open"] = face["eye_open"] * _blinks(rng, t)
        face["mouth_open"] = np.maximum(face["mouth_open"], 0) + 0.3 * _envelope(spans, t)
        face["gaze"] = 0.6 * _smooth_path(rng, t, f_low=0.1, f_high=0.5)
        light = _lighting(rng, actor, t)
        frames = _render_chunked(actor, track, face, light, noise_rng, size)
        audio = None
        if with_audio:
            ts = np.arange(int(round(dur * sr))) / sr
            vs = v_at(ts)
            f0 = actor["f0"] * (1.0 + 0.15 * vs) * (
                1.0 + (0.08 + 0.08 * vs) * np.sin(2 * np.pi * 0.7 * ts + audio_rng.uniform(0, 6.3))
            )
            audio = _voice(
                audio_rng, actor, dur, sr, spans, f0, 1.3 - 0.5 * vs, 3.0 * vs,
                0.006, 0.0, 0.04,
            )
        write_clip(out / (stems[i] + ".mp4"), frames, fps, audio, sr)
        timelines[i].to_csv(out / (stems[i] + ".csv"), index=False, float_format="%.6f")

    out = build_corpus("valence", spec, out_dir, names, make, n_videos, cache=cache, n_jobs=n_jobs)

    paths = np.array([str(out / (s + ".mp4")) for s in stems], dtype=object)
    annotations = np.array([str(out / (s + ".csv")) for s in stems], dtype=object)
    frame = pd.DataFrame(
        {
            "path": paths,
            "annotation": annotations,
            "actor": groups,
            "sex": [actors[a]["sex"] for a in groups],
            "duration": n_frames / fps,
            "fps": float(fps),
            "n_frames": n_frames,
            "width": size[0],
            "height": size[1],
            "n_raters": n_raters,
            "seed": seed,
        }
    )
    descr = (
        f"Synthetic valence timelines\n---------------------------\n{n_videos} mp4 videos "
        f"({size[0]}x{size[1]} px, {fps:g} fps, {n_frames / fps:g} s, {n_actors} actors) whose "
        f"face and voice follow a smooth valence trace in [-1, 1], with per-frame CSV "
        f"annotations (time, valence, {n_raters} rater columns). Seed {seed}."
    )
    return Bunch(
        data=paths,
        target=np.stack([tl["valence"].to_numpy(np.float32) for tl in timelines]),
        annotations=annotations,
        timelines=timelines,
        groups=groups,
        frame=frame,
        face_boxes=boxes,
        manifest=str(out / _MANIFEST["valence"]),
        DESCR=descr,
    )
