"""Tests of the synthetic emotion corpus (make_synthetic_expressions / make_synthetic_valence)."""

import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skemotion.datasets import _synthetic_actors as actors
from skemotion.datasets import _synthetic_faces as faces
from skemotion.datasets import get_data_home, make_synthetic_expressions, make_synthetic_valence
from skemotion.io import probe, read_audio, read_frames

SMALL = dict(n_classes=2, n_actors=2, duration=0.5, fps=16, size=(32, 32))


def _grouped_accuracy(X, y, groups):
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000))
    return cross_val_score(clf, X, y, groups=groups, cv=GroupKFold(4)).mean()


@pytest.fixture(scope="module")
def corpus_frames(synthetic_corpus):
    """Decoded frames of the session corpus, float32 (n, T, H, W, 3)."""
    return np.stack([read_frames(p) for p in synthetic_corpus.data]).astype(np.float32)


@pytest.fixture(scope="module")
def corpus_audio(synthetic_corpus):
    """Decoded 16 kHz mono audio of the session corpus, one array per clip."""
    return [read_audio(p, 16000) for p in synthetic_corpus.data]


def _face_crops(frames, boxes, k=32):
    """Grey face crops from the known boxes, k x k, standardised, averaged over time."""
    import cv2

    out = []
    for clip, clip_boxes in zip(frames, boxes, strict=True):
        crops = []
        for t in range(0, len(clip), 2):
            x0, y0, x1, y1 = clip_boxes[t]
            c = clip[t, int(y0) : int(np.ceil(y1)), int(x0) : int(np.ceil(x1))].mean(-1)
            c = cv2.resize(c, (k, k), interpolation=cv2.INTER_AREA)
            crops.append((c - c.mean()) / (c.std() + 1e-6))
        out.append(np.mean(crops, 0))
    return np.array(out)


# --------------------------------------------------------------------------------------
# Layout of the Bunch and of the files
# --------------------------------------------------------------------------------------


def test_bunch_layout(synthetic_corpus):
    """Check that the Bunch has sklearn's loader layout and balanced classes for every actor."""
    c = synthetic_corpus
    assert c.data.shape == (32,) and c.data.dtype == object
    assert c.target.dtype == np.int64 and c.groups.dtype == np.int64
    assert list(c.target_names) == ["neutral", "happy", "sad", "angry"]
    assert np.bincount(c.target).tolist() == [8] * 4
    assert np.bincount(c.groups).tolist() == [8] * 4
    for actor in range(4):
        assert sorted(set(c.target[c.groups == actor])) == [0, 1, 2, 3]
    assert list(c.frame.columns) == [
        "path", "target", "label", "actor", "sex", "duration", "fps", "n_frames", "width",
        "height", "seed",
    ]  # fmt: skip
    assert (c.frame["sex"] == np.where(c.groups % 2 == 0, "male", "female")).all()
    assert c.frame["path"].tolist() == c.data.tolist()
    assert (c.frame["label"] == c.target_names[c.target]).all()
    assert (c.frame["actor"] == c.groups).all()
    assert (c.frame["seed"] == 0).all()
    assert c.face_boxes.shape == (32, 15, 4)
    assert "Synthetic emotion expressions" in c.DESCR
    manifest = json.loads(Path(c.manifest).read_text())
    assert manifest["params"]["seed"] == 0
    assert sorted(manifest["files"]) == sorted(Path(p).name for p in c.data)


def test_files_decode_with_expected_streams(synthetic_corpus, corpus_frames, corpus_audio):
    """Check that every clip is an H.264 + AAC mp4 with the requested size, rate and length."""
    assert corpus_frames.shape == (32, 15, 64, 64, 3)
    for path, audio in zip(synthetic_corpus.data, corpus_audio, strict=True):
        info = probe(path)
        assert (info.width, info.height) == (64, 64)
        assert info.fps == pytest.approx(15.0)
        assert info.duration == pytest.approx(1.0, abs=0.08)
        assert (info.video_codec, info.audio_codec) == ("h264", "aac")
        assert info.has_audio and info.sample_rate == 16000
        assert abs(len(audio) - 16000) < 1100  # AAC priming/padding
        assert np.sqrt(np.mean(audio**2)) > 1e-3  # not silent


def test_without_audio(tmp_path):
    """Check that with_audio=False writes video-only files."""
    c = make_synthetic_expressions(2, tmp_path, with_audio=False, random_state=0, **SMALL)
    info = probe(c.data[0])
    assert info.has_video and not info.has_audio
    assert read_frames(c.data[0]).shape == (8, 32, 32, 3)


def test_non_square_size(tmp_path):
    """Check that size is (width, height) and that boxes stay inside non-square frames."""
    c = make_synthetic_expressions(
        2, tmp_path, n_classes=2, n_actors=1, duration=0.5, fps=8, size=(48, 32),
        with_audio=False, random_state=3,
    )  # fmt: skip
    assert read_frames(c.data[1]).shape == (4, 32, 48, 3)
    assert (c.face_boxes[..., 0] >= 0).all() and (c.face_boxes[..., 2] <= 48).all()
    assert (c.face_boxes[..., 1] >= 0).all() and (c.face_boxes[..., 3] <= 32).all()


# --------------------------------------------------------------------------------------
# Face boxes
# --------------------------------------------------------------------------------------


def test_face_boxes_inside_frame_and_moving(synthetic_corpus):
    """Check that the known face boxes stay inside the frame and follow a moving head."""
    boxes = synthetic_corpus.face_boxes
    assert (boxes[..., 0] >= 0).all() and (boxes[..., 1] >= 0).all()
    assert (boxes[..., 2] <= 64).all() and (boxes[..., 3] <= 64).all()
    assert (boxes[..., 2] - boxes[..., 0] > 20).all()  # a face, not a speck
    centres = (boxes[..., :2] + boxes[..., 2:]) / 2
    assert (np.ptp(centres, axis=1).max(axis=1) > 0.5).all()  # the head moves in every clip


def test_face_boxes_match_rendered_face():
    """Check that a box is the bounding box of the drawn face (edges within a pixel)."""
    size = (64, 48)
    actor = actors._make_actor(5, 0, size)
    actor["background"] = np.zeros_like(actor["background"])
    actor["skin"] = np.full(3, 200.0)
    t = np.arange(12) / 12
    rng = np.random.default_rng(0)
    track, boxes = actors._head_track(rng, actor, t)
    face = {k: np.full(len(t), v) for k, v in zip(actors._FACE_KEYS, actors._FACE["happy"], strict=True)}
    face["gaze"] = np.zeros(len(t))
    light = {"gain": np.ones(len(t)), "grad_x": np.zeros(len(t)), "grad_y": np.zeros(len(t)),
             "cast": np.ones((1, 3), np.float32), "noise": 0.0}  # fmt: skip
    frames = faces._render(actor, track, face, light, rng, size)
    for frame, box in zip(frames, boxes, strict=True):
        ys, xs = np.nonzero(frame.max(-1) > 0)  # every pixel the face touches, even partly
        found = np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], float)
        enclosing = np.r_[np.floor(box[:2]), np.ceil(box[2:])]
        assert np.abs(found - enclosing).max() <= 1.0
        overlap = np.minimum(found[2:], box[2:]) - np.maximum(found[:2], box[:2])
        inter = np.prod(np.clip(overlap, 0, None))
        union = np.prod(found[2:] - found[:2]) + np.prod(box[2:] - box[:2]) - inter
        assert inter / union > 0.85


# --------------------------------------------------------------------------------------
# Reproducibility and caching
# --------------------------------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path):
    """Check that the same random_state gives byte-identical files and equal boxes elsewhere."""
    a = make_synthetic_expressions(4, tmp_path / "a", random_state=7, **SMALL)
    b = make_synthetic_expressions(4, tmp_path / "b", random_state=7, **SMALL)
    for pa, pb in zip(a.data, b.data, strict=True):
        assert Path(pa).read_bytes() == Path(pb).read_bytes()
    np.testing.assert_array_equal(a.face_boxes, b.face_boxes)
    c = make_synthetic_expressions(4, tmp_path / "c", random_state=8, **SMALL)
    assert not np.array_equal(read_frames(a.data[0]), read_frames(c.data[0]))


def test_clip_does_not_depend_on_n_samples(tmp_path):
    """Check that clip i is the same whether 2 or 4 clips are asked for."""
    a = make_synthetic_expressions(2, tmp_path / "a", random_state=3, **SMALL)
    b = make_synthetic_expressions(4, tmp_path / "b", random_state=3, **SMALL)
    for i in range(2):
        assert Path(a.data[i]).read_bytes() == Path(b.data[i]).read_bytes()
    np.testing.assert_array_equal(a.face_boxes, b.face_boxes[:2])


def test_random_state_none_records_seed(tmp_path):
    """Check that random_state=None draws and records a seed that reproduces the corpus."""
    a = make_synthetic_expressions(2, tmp_path / "a", random_state=None, **SMALL)
    seed = int(a.frame["seed"].iloc[0])
    b = make_synthetic_expressions(2, tmp_path / "b", random_state=seed, **SMALL)
    assert Path(a.data[1]).read_bytes() == Path(b.data[1]).read_bytes()


def test_does_not_touch_global_rng(tmp_path):
    """Check that generation leaves numpy's global random state alone."""
    np.random.seed(123)  # noqa: NPY002 (the legacy global RNG is the state under test)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    make_synthetic_expressions(2, tmp_path, random_state=0, **SMALL)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_cache_reuses_and_regenerates(tmp_path):
    """Check that an identical corpus is reused, and a changed or damaged one is rewritten."""
    a = make_synthetic_expressions(4, tmp_path, random_state=1, **SMALL)
    stamps = {p: os.stat(p).st_mtime_ns for p in a.data}
    b = make_synthetic_expressions(4, tmp_path, random_state=1, **SMALL)
    assert {p: os.stat(p).st_mtime_ns for p in b.data} == stamps  # nothing rewritten
    np.testing.assert_array_equal(a.face_boxes, b.face_boxes)
    pd.testing.assert_frame_equal(a.frame, b.frame)

    # A damaged file makes the cache invalid: everything is written again, same bytes.
    original = Path(a.data[2]).read_bytes()
    Path(a.data[2]).write_bytes(b"garbage")
    c = make_synthetic_expressions(4, tmp_path, random_state=1, **SMALL)
    assert Path(c.data[2]).read_bytes() == original

    # Other parameters: the old corpus's files are removed, unrelated files are kept.
    (tmp_path / "notes.txt").write_text("mine")
    d = make_synthetic_expressions(2, tmp_path, random_state=2, **SMALL)
    assert sorted(p.name for p in tmp_path.glob("*.mp4")) == sorted(Path(p).name for p in d.data)
    assert (tmp_path / "notes.txt").read_text() == "mine"

    # cache=False rewrites even an intact corpus.
    os.utime(d.data[0], ns=(0, 0))
    make_synthetic_expressions(2, tmp_path, random_state=2, cache=False, **SMALL)
    assert os.stat(d.data[0]).st_mtime_ns != 0


def test_parallel_equals_serial(tmp_path):
    """Check that n_jobs=2 writes the same files as n_jobs=None."""
    a = make_synthetic_expressions(4, tmp_path / "a", random_state=4, **SMALL)
    b = make_synthetic_expressions(4, tmp_path / "b", random_state=4, n_jobs=2, **SMALL)
    for pa, pb in zip(a.data, b.data, strict=True):
        assert Path(pa).read_bytes() == Path(pb).read_bytes()
    np.testing.assert_array_equal(a.face_boxes, b.face_boxes)


# --------------------------------------------------------------------------------------
# Learnable, but not from one global statistic
# --------------------------------------------------------------------------------------


def test_global_pixel_statistics_do_not_separate_classes(synthetic_corpus, corpus_frames):
    """Check that global mean/std are near chance under GroupKFold, face crops far above."""
    c = synthetic_corpus
    global_stats = np.c_[corpus_frames.mean((1, 2, 3, 4)), corpus_frames.std((1, 2, 3, 4))]
    assert _grouped_accuracy(global_stats, c.target, c.groups) <= 0.4  # chance is 0.25

    crops = _face_crops(corpus_frames, c.face_boxes)
    n = len(crops)
    grad_y = np.abs(np.diff(crops, axis=1))[:, :28, :28].reshape(n, 7, 4, 7, 4).mean((2, 4))
    grad_x = np.abs(np.diff(crops, axis=2))[:, :28, :28].reshape(n, 7, 4, 7, 4).mean((2, 4))
    features = np.c_[grad_y.reshape(n, -1), grad_x.reshape(n, -1)]
    assert _grouped_accuracy(features, c.target, c.groups) >= 0.6


def _smile_index(crops):
    """Row of the dark mouth pixels at the centre minus at the corners, per crop (n, k, k)."""
    k = crops.shape[1]
    mouth = np.clip(-crops[:, int(0.62 * k) : int(0.95 * k), int(0.2 * k) : int(0.8 * k)], 0, None)
    rows = np.arange(mouth.shape[1])[None, :, None]
    w = mouth.shape[2]
    centre = mouth[:, :, w // 3 : 2 * w // 3]
    sides = np.concatenate([mouth[:, :, : w // 4], mouth[:, :, -(w // 4) :]], axis=2)
    row_of = lambda m: (m * rows).sum((1, 2)) / (m.sum((1, 2)) + 1e-6)  # noqa: E731
    return row_of(centre) - row_of(sides)


def test_mouth_curvature_separates_happy_from_sad(synthetic_corpus, corpus_frames):
    """Check that a hand-made smile index (mouth centre below corners) puts happy above sad."""
    c = synthetic_corpus
    smile = _smile_index(_face_crops(corpus_frames, c.face_boxes))
    assert smile[c.target == 1].min() > smile[c.target == 2].max()


@pytest.fixture(scope="module")
def corpus_median_f0(corpus_audio):
    """Median YIN f0 (Hz) of each clip's loud frames."""
    import librosa

    f0 = []
    for audio in corpus_audio:
        pitch = librosa.yin(audio, fmin=70, fmax=500, sr=16000, frame_length=1024, hop_length=256)
        rms = librosa.feature.rms(y=audio, frame_length=1024, hop_length=256)[0]
        f0.append(np.median(pitch[rms > 0.3 * rms.max()]))
    return np.array(f0)


def test_voice_pitch_expresses_class_loudness_alone_does_not(
    synthetic_corpus, corpus_audio, corpus_median_f0
):
    """Check that pitch relative to the actor orders the classes, unlike loudness alone."""
    c = synthetic_corpus
    level = [10 * np.log10(np.mean(audio**2)) for audio in corpus_audio]
    log_f0 = np.log(corpus_median_f0)
    rel = log_f0 - np.array([log_f0[c.groups == a].mean() for a in c.groups])
    means = [rel[c.target == k].mean() for k in range(4)]  # neutral, happy, sad, angry
    assert means[1] > means[3] > means[0] > means[2]
    assert rel[c.target == 1].min() > rel[c.target == 2].max()
    pitch_acc = _grouped_accuracy(rel[:, None], c.target, c.groups)
    loud_acc = _grouped_accuracy(np.array(level)[:, None], c.target, c.groups)
    assert pitch_acc >= 0.75
    assert loud_acc <= 0.5


def test_voices_alternate_male_and_female(synthetic_corpus, corpus_median_f0):
    """Check that even actors speak an octave or so below odd ones, as ``frame["sex"]`` says."""
    c = synthetic_corpus
    actor_f0 = np.array([np.median(corpus_median_f0[c.groups == a]) for a in range(4)])
    male = np.array([c.frame["sex"][c.groups == a].iloc[0] == "male" for a in range(4)])
    assert male.tolist() == [True, False, True, False]
    # base f0: male 95-135 Hz, female 170-230 Hz (class ratios 0.85-1.25 around it)
    assert actor_f0[male].max() < 150 and actor_f0[~male].min() > 160, actor_f0


# --------------------------------------------------------------------------------------
# Continuous variant
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def valence_corpus(tmp_path_factory):
    return make_synthetic_valence(
        tmp_path_factory.mktemp("valence"), n_videos=2, n_actors=2, duration=6.0, fps=10,
        size=(32, 32), n_raters=2, random_state=0,
    )  # fmt: skip


def test_valence_csv_matches_video(valence_corpus):
    """Check that each CSV has one row per decoded frame, the documented columns, valid values."""
    v = valence_corpus
    assert v.target.shape == (2, 60) and v.target.dtype == np.float32
    assert v.groups.tolist() == [0, 1]
    for path, csv, timeline, target in zip(v.data, v.annotations, v.timelines, v.target, strict=True):
        n_frames = len(read_frames(path))
        table = pd.read_csv(csv)
        assert list(table.columns) == ["time", "valence", "rater_1", "rater_2"]
        assert len(table) == n_frames == 60
        np.testing.assert_allclose(table["time"], np.arange(60) / 10, atol=1e-6)
        np.testing.assert_allclose(table["valence"], target, atol=1e-5)
        pd.testing.assert_frame_equal(table, timeline, check_exact=False, atol=1e-6)
        assert table[["valence", "rater_1", "rater_2"]].abs().max().max() <= 1.0
        assert np.abs(np.diff(table["valence"])).max() < 0.2  # smooth drift
        assert np.ptp(table["valence"]) > 0.3  # but it does move
        assert probe(path).has_audio


def test_valence_drives_voice_pitch(valence_corpus):
    """Check that the voice's pitch follows the valence timeline (correlation > 0.5)."""
    import librosa

    for path, target in zip(valence_corpus.data, valence_corpus.target, strict=True):
        audio = read_audio(path, 16000)
        pitch = librosa.yin(audio, fmin=70, fmax=500, sr=16000, frame_length=1024, hop_length=160)
        rms = librosa.feature.rms(y=audio, frame_length=1024, hop_length=160)[0]
        times = np.arange(len(pitch)) * 160 / 16000
        valence = np.interp(times, np.arange(len(target)) / 10, target)
        voiced = rms > 0.3 * rms.max()
        assert np.corrcoef(np.log(pitch[voiced]), valence[voiced])[0, 1] > 0.5


def test_valence_drives_mouth(valence_corpus):
    """Check that the drawn mouth smiles when valence is high (smile index follows valence)."""
    for path, boxes, target in zip(
        valence_corpus.data, valence_corpus.face_boxes, valence_corpus.target, strict=True
    ):
        frames = read_frames(path).astype(np.float32)
        # one "clip" per frame, so that crops are not averaged over time
        crops = _face_crops(frames[:, None], boxes[:, None])
        smile = _smile_index(crops)
        assert np.corrcoef(smile, target)[0, 1] > 0.5


def test_valence_reproducible_and_cached(tmp_path):
    """Check that the valence corpus is reproducible and reused from its manifest."""
    kw = dict(n_videos=1, duration=2.0, fps=8, size=(32, 32), n_raters=1, random_state=5)
    a = make_synthetic_valence(tmp_path / "a", **kw)
    b = make_synthetic_valence(tmp_path / "b", **kw)
    assert Path(a.data[0]).read_bytes() == Path(b.data[0]).read_bytes()
    assert Path(a.annotations[0]).read_bytes() == Path(b.annotations[0]).read_bytes()
    stamp = os.stat(a.data[0]).st_mtime_ns
    c = make_synthetic_valence(tmp_path / "a", **kw)
    assert os.stat(c.data[0]).st_mtime_ns == stamp
    pd.testing.assert_frame_equal(a.timelines[0], c.timelines[0])
    np.testing.assert_array_equal(a.face_boxes, c.face_boxes)


# --------------------------------------------------------------------------------------
# Parameter errors and data home
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_classes": 1}, "The 'n_classes' parameter of make_synthetic_expressions must be an "
                           "int in the range [2, 8]. Got 1 instead."),
        ({"n_classes": 9}, "The 'n_classes' parameter of make_synthetic_expressions must be an "
                           "int in the range [2, 8]. Got 9 instead."),
        ({"n_samples": 0}, "The 'n_samples' parameter of make_synthetic_expressions must be an "
                           "int in the range [1, inf). Got 0 instead."),
        ({"size": (63, 64)}, "The 'size' parameter of make_synthetic_expressions must be a "
                             "(width, height) pair of even ints >= 16 (H.264 needs even sizes). "
                             "Got (63, 64) instead."),
        ({"size": 64}, "The 'size' parameter of make_synthetic_expressions must be a (width, "
                       "height) pair of even ints >= 16 (H.264 needs even sizes). Got 64 instead."),
        ({"duration": 0.1, "fps": 10}, "The 'duration' and 'fps' parameters of "
                                       "make_synthetic_expressions must give at least 2 frames "
                                       "(duration * fps >= 2). Got duration=0.1 and fps=10 "
                                       "instead."),
        ({"duration": -1.0}, "The 'duration' parameter of make_synthetic_expressions must be a "
                             "float in the range (0, inf). Got -1.0 instead."),
        ({"random_state": "a"}, "The 'random_state' parameter of make_synthetic_expressions must "
                                "be an int, a numpy.random.RandomState instance or None. "
                                "Got 'a' instead."),
        ({"with_audio": 1}, "The 'with_audio' parameter of make_synthetic_expressions must be an "
                            "instance of 'bool'. Got 1 instead."),
        ({"n_jobs": 0}, "The 'n_jobs' parameter of make_synthetic_expressions must be a non-zero "
                        "int or None. Got 0 instead."),
    ],
)  # fmt: skip
def test_expression_parameter_errors(tmp_path, kwargs, message):
    """Check that bad parameters raise a ValueError naming the parameter and the expectation."""
    params = {"n_samples": 2, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        make_synthetic_expressions(out_dir=tmp_path, **params)
    assert not list(tmp_path.iterdir())  # nothing written


def test_valence_parameter_errors(tmp_path):
    """Check make_synthetic_valence's parameter errors."""
    msg = (
        "The 'n_raters' parameter of make_synthetic_valence must be an int in the range "
        "[0, inf). Got -1 instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_synthetic_valence(tmp_path, n_raters=-1)
    msg = (
        "The 'n_videos' parameter of make_synthetic_valence must be an int in the range "
        "[1, inf). Got 0 instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_synthetic_valence(tmp_path, n_videos=0)


def test_out_dir_is_a_file(tmp_path):
    """Check that an out_dir naming an existing file raises a clear error."""
    target = tmp_path / "file.txt"
    target.write_text("x")
    msg = f"out_dir '{target}' exists and is not a directory."
    with pytest.raises(NotADirectoryError, match=re.escape(msg)):
        make_synthetic_expressions(2, target, random_state=0, **SMALL)


def test_get_data_home(tmp_path, monkeypatch):
    """Check that get_data_home honours its argument, then SKEMOTION_DATA, and creates it."""
    explicit = tmp_path / "explicit" / "home"
    assert get_data_home(explicit) == str(explicit) and explicit.is_dir()
    monkeypatch.setenv("SKEMOTION_DATA", str(tmp_path / "from_env"))
    assert get_data_home() == str(tmp_path / "from_env") and (tmp_path / "from_env").is_dir()
    monkeypatch.delenv("SKEMOTION_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_data_home() == str(tmp_path / "home" / "skemotion_data")
    with pytest.raises(ValueError, match=re.escape("The 'data_home' parameter of get_data_home")):
        get_data_home(3)


def test_out_dir_none_uses_data_home(tmp_path, monkeypatch):
    """Check that out_dir=None writes under get_data_home() in a folder named by the fingerprint."""
    monkeypatch.setenv("SKEMOTION_DATA", str(tmp_path))
    c = make_synthetic_expressions(2, None, random_state=0, with_audio=False, **SMALL)
    assert Path(c.data[0]).parent.parent == tmp_path / "synthetic_expressions"


@pytest.mark.parametrize(
    "func", [make_synthetic_expressions, make_synthetic_valence, get_data_home]
)
def test_parameters_documented_in_order(func):
    """Check that the numpydoc Parameters section lists the signature's parameters, in order."""
    import inspect

    from numpydoc.docscrape import FunctionDoc

    doc = FunctionDoc(func)
    documented = [p.strip() for param in doc["Parameters"] for p in param.name.split(",")]
    assert documented == list(inspect.signature(func).parameters)
    assert doc["Returns"] and doc["Examples"]
