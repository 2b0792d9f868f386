"""Behaviour of FrameSampler on real tiny clips."""

import os
import pickle
import re
import subprocess
import threading
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimator_cloneable,
    check_estimator_repr,
    check_estimator_tags_renamed,
    check_get_params_invariance,
    check_mixin_order,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
    check_valid_tag_types,
)

import skemotion.io
from skemotion.exceptions import MediaError
from skemotion.video import FrameSampler

SMALL = {"size": (16, 16), "color": "gray"}


class DecodeCounter:
    """Wrap skemotion.io.read_frames and count calls per path (thread-safe)."""

    def __init__(self, monkeypatch):
        self.calls = []
        self._lock = threading.Lock()
        real = skemotion.io.read_frames

        def counting(path, **kwargs):
            with self._lock:
                self.calls.append(os.fspath(path))
            return real(path, **kwargs)

        monkeypatch.setattr(skemotion.io, "read_frames", counting)


# -- output ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, shape",
    [
        ({}, (2, 16, 112, 112, 3)),
        ({"n_frames": 5, "size": (24, 16)}, (2, 5, 16, 24, 3)),
        ({"n_frames": 3, "color": "gray", "size": (8, 8)}, (2, 3, 8, 8, 1)),
        ({"n_frames": 7, "strategy": "head", "size": (8, 8)}, (2, 7, 8, 8, 3)),
        ({"n_frames": 30, "strategy": "rate", "fps": 4.0, "size": (8, 8)}, (2, 30, 8, 8, 3)),
        ({"n_frames": 2, "size": None}, (2, 2, 32, 32, 3)),
    ],
)
def test_output_shape_and_dtype(ramp_clip, short_clip, params, shape):
    """Check that every strategy gives exactly (n, n_frames, height, width, channels) uint8."""
    frames = FrameSampler(**params).fit_transform([ramp_clip, short_clip])
    assert frames.shape == shape
    assert frames.dtype == np.uint8
    assert type(frames) is np.ndarray


def test_uniform_spreads_frames_over_the_clip(ramp_clip, short_clip, frame_ids):
    """Check that strategy='uniform' takes the frames at the centres of equal bins."""
    frames = FrameSampler(n_frames=5, **SMALL).fit_transform([ramp_clip])
    assert frame_ids(frames[0]) == [2, 6, 10, 14, 18]
    # A clip shorter than n_frames repeats frames (time interpolation), in order.
    frames = FrameSampler(n_frames=8, **SMALL).fit_transform([short_clip])
    assert frame_ids(frames[0]) == [0, 0, 1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize(
    "padding, expected",
    [
        ("last", [0, 1, 2, 3, 3, 3, 3]),
        ("zero", [0, 1, 2, 3, 0, 0, 0]),
        ("loop", [0, 1, 2, 3, 0, 1, 2]),
    ],
)
def test_head_pads_short_clips(short_clip, frame_ids, padding, expected):
    """Check that strategy='head' reads the first frames and pads by the chosen policy."""
    frames = FrameSampler(n_frames=7, strategy="head", padding=padding, **SMALL).fit_transform(
        [short_clip]
    )
    assert frame_ids(frames[0]) == expected
    if padding == "zero":
        assert not frames[0, 4:].any()


def test_head_crops_long_clips(ramp_clip, frame_ids):
    """Check that strategy='head' returns the first n_frames at the native rate."""
    frames = FrameSampler(n_frames=6, strategy="head", **SMALL).fit_transform([ramp_clip])
    assert frame_ids(frames[0]) == [0, 1, 2, 3, 4, 5]


def test_rate_samples_at_fps_then_pads_or_crops(ramp_clip, frame_ids):
    """Check that strategy='rate' samples at fps from the start, cropped or padded to n_frames."""
    cropped = FrameSampler(n_frames=4, strategy="rate", fps=5.0, **SMALL).fit_transform([ramp_clip])
    assert frame_ids(cropped[0]) == [0, 2, 4, 6]
    padded = FrameSampler(n_frames=12, strategy="rate", fps=5.0, **SMALL).fit_transform([ramp_clip])
    assert frame_ids(padded[0]) == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 18, 18]


def test_keep_aspect_letterboxes(wide_clip):
    """Check that keep_aspect=True letterboxes a wide clip and False stretches it."""
    boxed = FrameSampler(n_frames=1, size=(32, 32), keep_aspect=True).fit_transform([wide_clip])
    stretched = FrameSampler(n_frames=1, size=(32, 32)).fit_transform([wide_clip])
    assert boxed[0, 0, :6].max() < 20 and boxed[0, 0, -6:].max() < 20  # black bars
    assert boxed[0, 0, 12:20].min() > 230
    assert stretched[0, 0].min() > 230


def test_fragments_are_sampled_within_their_segment(ramp_clip, frame_ids):
    """Check that a media fragment path samples only its segment."""
    frames = FrameSampler(n_frames=3, strategy="head", **SMALL).fit_transform(
        [ramp_clip + "#t=1,2"]
    )
    assert frame_ids(frames[0]) == [10, 11, 12]


@pytest.fixture(scope="module")
def long_gop_clip(tmp_path_factory):
    """12 ramp frames at 1 fps (12 s) with a single key frame, at t=0."""
    from skemotion.io import ffmpeg_exe

    path = str(tmp_path_factory.mktemp("gop") / "long_gop.mp4")
    frames = np.broadcast_to((np.arange(12) * 20).astype(np.uint8)[:, None, None, None],
                             (12, 16, 16, 3))
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-s", "16x16", "-r", "1", "-i", "-", "-c:v", "libx264",
         "-g", "100", "-sc_threshold", "0", "-pix_fmt", "yuv420p", path],
        input=np.ascontiguousarray(frames).tobytes(), check=True,
    )
    return path


@pytest.mark.parametrize(
    "seek, expected",
    [
        # Bin centres 3 s and 9 s: 6 s apart, so "auto" seeks exactly (it used to
        # return key frames there, silently). Only "keyframe", asked for, returns the
        # only key frame, frame 0.
        ("auto", [3, 9]),
        ("keyframe", [0, 0]),
        ("exact", [3, 9]),
        (True, [3, 9]),
        (False, [3, 9]),
    ],
)
def test_seek_modes_of_uniform_sampling(long_gop_clip, seek, expected):
    """Check that seek chooses between exact frames and key frames as documented."""
    frames = FrameSampler(n_frames=2, seek=seek, **SMALL).fit_transform([long_gop_clip])
    assert (np.round(frames[0, :, 8, 8, 0] / 20).astype(int)).tolist() == expected


def test_seek_reaches_read_frames_for_uniform_only(ramp_clip, monkeypatch):
    """Check that seek is passed to read_frames by strategy='uniform' and not by the others."""
    calls = []
    real = skemotion.io.read_frames

    def recording(path, **kwargs):
        calls.append(kwargs)
        return real(path, **kwargs)

    monkeypatch.setattr(skemotion.io, "read_frames", recording)
    FrameSampler(n_frames=2, seek="exact", **SMALL).fit_transform([ramp_clip])
    FrameSampler(n_frames=2, seek=False, **SMALL).fit_transform([ramp_clip])
    FrameSampler(n_frames=2, strategy="head", seek="exact", **SMALL).fit_transform([ramp_clip])
    assert [c.get("seek", "-") for c in calls] == ["exact", False, "-"]


def test_truncated_clip_raises_instead_of_padding(ramp_clip, tmp_path):
    """Check that a clip cut mid-stream raises MediaError naming it, for every strategy,
    instead of being padded from the frames before the cut."""
    from skemotion.io import write_video

    whole = tmp_path / "ramp.webm"
    write_video(whole, np.repeat(np.arange(0, 200, 10, dtype=np.uint8), 32 * 32 * 3)
                .reshape(20, 32, 32, 3), fps=10)
    data = whole.read_bytes()
    cut = tmp_path / "cut.webm"
    cut.write_bytes(data[: len(data) // 2])
    msg = f"Could not decode '{cut}': the file is truncated or damaged"
    for params in ({"n_frames": 4}, {"n_frames": 30, "strategy": "head"},
                   {"n_frames": 30, "strategy": "rate", "fps": 10.0}):
        with pytest.raises(MediaError, match=re.escape(msg)) as err:
            FrameSampler(**params, **SMALL).fit_transform([ramp_clip, str(cut)])
        assert err.value.path == str(cut)


@pytest.fixture(scope="module")
def damaged_clip(tmp_path_factory):
    """80 ramp frames with bytes damaged mid-file: ffmpeg reports "Invalid NAL unit size"
    yet returns every frame asked for."""
    from skemotion.io import write_video

    path = tmp_path_factory.mktemp("damaged") / "damaged.mp4"
    frames = np.broadcast_to((np.arange(80) * 3).astype(np.uint8)[:, None, None, None],
                             (80, 32, 32, 3)).copy()
    frames[:, :8, :8] = np.random.default_rng(0).integers(0, 255, (80, 8, 8, 3))
    write_video(path, frames, fps=25)
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 300, 7):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return str(path)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_damaged_clip_warns_from_any_worker_and_on_damage_raises(ramp_clip, damaged_clip, n_jobs):
    """Check that a clip ffmpeg reports errors in gives a MediaWarning naming it (also
    when a worker process decoded it), and a listed MediaError with on_damage="raise"."""
    from skemotion.exceptions import MediaWarning

    X = [ramp_clip, damaged_clip]
    msg = f"ffmpeg reported errors while it read '{damaged_clip}'"
    with pytest.warns(MediaWarning, match=re.escape(msg)):
        frames = FrameSampler(n_frames=8, n_jobs=n_jobs, **SMALL).fit_transform(X)
    assert frames.shape[0] == 2
    with pytest.raises(MediaError, match=re.escape(f"Could not decode '{damaged_clip}': ")) as err:
        FrameSampler(n_frames=8, n_jobs=n_jobs, on_damage="raise", **SMALL).fit_transform(X)
    assert err.value.path == damaged_clip


def test_damaged_clip_is_not_served_silently_from_the_cache(damaged_clip, tmp_path):
    """Check that frames that came with a warning are not cached: the next transform
    decodes again and warns again."""
    from skemotion.exceptions import MediaWarning

    sampler = FrameSampler(n_frames=8, memory=tmp_path, **SMALL)
    for _ in range(2):
        with pytest.warns(MediaWarning, match=re.escape(f"'{damaged_clip}'")):
            sampler.fit_transform([damaged_clip])


# -- X coercion and order -------------------------------------------------------------------


def test_accepts_every_1d_container(monkeypatch):
    """Check that list, ndarray, (n, 1) ndarray, Series, one-column DataFrame and Paths agree."""

    def fake_read_frames(path, **kwargs):  # frame value = length of the path: order shows
        return np.full((2, 16, 16, 1), len(os.fspath(path)), np.uint8)

    monkeypatch.setattr(skemotion.io, "read_frames", fake_read_frames)
    paths = ["a.mp4", "clip_b.mp4", "c.mp4"]
    sampler = FrameSampler(n_frames=2, **SMALL)
    expected = sampler.fit_transform(paths)
    assert expected[:, 0, 0, 0, 0].tolist() == [5, 10, 5]
    for X in (
        np.array(paths),
        np.array(paths, dtype=object)[:, None],
        pd.Series(paths, index=[10, 3, 7]),
        pd.DataFrame({"clip": paths}),
        [Path(p) for p in paths],
        tuple(paths),
    ):
        np.testing.assert_array_equal(sampler.fit_transform(X), expected)


def test_keeps_input_order_and_duplicates(ramp_clip, short_clip):
    """Check that output row i is clip X[i], duplicates included, for any n_jobs."""
    sampler = FrameSampler(n_frames=2, strategy="head", **SMALL)
    single = {p: sampler.fit_transform([p])[0] for p in (ramp_clip, short_clip)}
    X = [short_clip, ramp_clip, short_clip, short_clip, ramp_clip]
    for n_jobs in (1, 2):
        frames = sampler.set_params(n_jobs=n_jobs).fit_transform(X)
        assert len(frames) == len(X)
        for row, path in zip(frames, X, strict=True):
            np.testing.assert_array_equal(row, single[path])


@pytest.mark.parametrize(
    "X, msg",
    [
        ("a.mp4", "FrameSampler expects a 1-D array-like of paths; got a single path 'a.mp4'."),
        (
            pd.DataFrame({"a": ["x.mp4"], "b": ["y.mp4"]}),
            "got a DataFrame with 2 columns ['a', 'b'].",
        ),
        (np.array([["a", "b"]]), "got an array of shape (1, 2)."),
        (["a.mp4", 3.0], "item 1 is float 3.0."),
        ([], "Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required"),
        (5, "FrameSampler expects a 1-D array-like of paths (list, ndarray, pandas Series"),
    ],
)
def test_rejects_bad_X(X, msg):
    """Check that X which is not a 1-D collection of paths raises a clear ValueError."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        FrameSampler().fit_transform(X)


# -- errors ---------------------------------------------------------------------------------


def test_missing_file_is_named(ramp_clip, tmp_path):
    """Check that one missing clip raises FileNotFoundError naming it."""
    missing = str(tmp_path / "nope.mp4")
    with pytest.raises(FileNotFoundError, match=re.escape(missing)):
        FrameSampler(n_frames=2, **SMALL).fit_transform([ramp_clip, missing])


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_every_bad_file_is_listed_once(ramp_clip, bad_files, tmp_path, n_jobs):
    """Check that several bad clips raise one MediaError listing each, and no memmap is left."""
    missing = str(tmp_path / "nope.mp4")
    X = [bad_files["empty"], ramp_clip, missing, bad_files["truncated"], bad_files["audio_only"]]
    sampler = FrameSampler(n_frames=2, memmap_dir=tmp_path / "out", n_jobs=n_jobs, **SMALL)
    with pytest.raises(MediaError) as info:
        sampler.fit_transform(X)
    msg = str(info.value)
    assert msg.startswith("FrameSampler could not sample 4 of 5 files:")
    for index in (0, 2, 3, 4):
        assert f"[{index}] " in msg and X[index] in msg
    assert "[1] " not in msg
    assert "the file is empty" in msg and "no video stream" in msg
    assert info.value.path == bad_files["empty"]
    assert os.listdir(tmp_path / "out") == []


def test_several_missing_files_raise_file_not_found(tmp_path):
    """Check that when every bad clip is missing the error stays a FileNotFoundError."""
    X = [str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4")]
    with pytest.raises(FileNotFoundError, match=re.escape("could not sample 2 of 2 files")):
        FrameSampler(n_frames=2).fit_transform(X)


def test_clip_without_frames_raises(ramp_clip, monkeypatch):
    """Check that a clip decoding to zero frames raises MediaError naming it, never dropped."""
    monkeypatch.setattr(
        skemotion.io, "read_frames", lambda path, **kw: np.zeros((0, 16, 16, 1), np.uint8)
    )
    msg = f"Could not sample frames from '{ramp_clip}': it has no decodable frame."
    with pytest.raises(MediaError, match=re.escape(msg)):
        FrameSampler(n_frames=2, **SMALL).fit_transform([ramp_clip])


def test_native_size_must_agree(ramp_clip, wide_clip):
    """Check that size=None with clips of different sizes raises and names the odd clip."""
    msg = f"Could not stack '{wide_clip}': its frames are 64x32 but the first clip's are 32x32"
    with pytest.raises(MediaError, match=re.escape(msg)):
        FrameSampler(n_frames=2, size=None).fit_transform([ramp_clip, wide_clip])


@pytest.mark.parametrize(
    "params, msg",
    [
        (
            {"n_frames": 0},
            "The 'n_frames' parameter of FrameSampler must be an int in the range [1, inf). "
            "Got 0 instead.",
        ),
        ({"strategy": "random"}, "The 'strategy' parameter of FrameSampler must be a str among"),
        ({"color": "bgr"}, "The 'color' parameter of FrameSampler must be a str among"),
        ({"padding": "reflect"}, "The 'padding' parameter of FrameSampler must be a str among"),
        ({"keep_aspect": 1}, "The 'keep_aspect' parameter of FrameSampler must be an instance"),
        ({"size": (0, 16)}, "The 'size' parameter of FrameSampler must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got (0, 16)"),
        ({"size": (16,)}, "The 'size' parameter of FrameSampler must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got (16,)"),
        ({"size": 0}, "The 'size' parameter of FrameSampler must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got 0 instead."),
        ({"size": 16.0}, "The 'size' parameter of FrameSampler must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got 16.0 instead."),
        (
            {"strategy": "rate"},
            "The 'fps' parameter of FrameSampler must be a float in the range (0, inf) when "
            "strategy='rate'. Got None instead.",
        ),
        (
            {"fps": 6.0},
            "The 'fps' parameter of FrameSampler is only used with strategy='rate'; got fps=6.0 "
            "with strategy='uniform'.",
        ),
        ({"strategy": "rate", "fps": -1.0}, "The 'fps' parameter of FrameSampler must be a float"),
        ({"memory": 3}, "The 'memory' parameter of FrameSampler must be a str, an os.PathLike"),
        ({"memmap_dir": 3}, "The 'memmap_dir' parameter of FrameSampler must be a str or"),
        ({"verbose": -1}, "The 'verbose' parameter of FrameSampler must be"),
        ({"n_jobs": 1.5}, "The 'n_jobs' parameter of FrameSampler must be"),
        (
            {"seek": "fast"},
            "The 'seek' parameter of FrameSampler must be a str among {'auto', 'exact', "
            "'keyframe'} or an instance of 'bool'. Got 'fast' instead.",
        ),
    ],
)
def test_bad_parameters_raise_in_fit_and_transform(ramp_clip, params, msg):
    """Check that invalid parameters raise sklearn-worded errors at fit/transform, not __init__."""
    sampler = FrameSampler(**params)  # no error here
    with pytest.raises(ValueError, match=re.escape(msg)):
        sampler.fit([ramp_clip])
    with pytest.raises(ValueError, match=re.escape(msg)):
        sampler.transform([ramp_clip])


# -- memmap output --------------------------------------------------------------------------


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_memmap_output_matches_in_memory(ramp_clip, short_clip, tmp_path, n_jobs):
    """Check that memmap_dir returns a read-only .npy memmap equal to the in-RAM output."""
    X = [ramp_clip, short_clip, ramp_clip]
    expected = FrameSampler(n_frames=3, **SMALL).fit_transform(X)
    sampler = FrameSampler(n_frames=3, memmap_dir=tmp_path, n_jobs=n_jobs, **SMALL)
    out = sampler.fit_transform(X)
    assert isinstance(out, np.memmap)
    assert not out.flags.writeable
    np.testing.assert_array_equal(out, expected)
    (name,) = os.listdir(tmp_path)
    assert name.startswith("frames_") and name.endswith(".npy")
    assert os.path.samefile(out.filename, tmp_path / name)
    np.testing.assert_array_equal(np.load(tmp_path / name), expected)  # self-describing

    # The same call rewrites the same file; other inputs or parameters write another one.
    sampler.transform(X)
    assert os.listdir(tmp_path) == [name]
    sampler.transform(X[:2])
    sampler.set_params(n_frames=2).transform(X)
    assert len(os.listdir(tmp_path)) == 3


def test_memmap_output_survives_pickling(ramp_clip, tmp_path):
    """Check that a memmap result pickles (as an array) and the sampler pickles with memmap_dir."""
    sampler = FrameSampler(n_frames=2, memmap_dir=str(tmp_path), **SMALL)
    out = sampler.fit_transform([ramp_clip])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(out)), out)
    again = pickle.loads(pickle.dumps(sampler)).transform([ramp_clip])
    np.testing.assert_array_equal(again, out)


# -- per-clip cache -------------------------------------------------------------------------


@pytest.mark.parametrize("as_memory", [False, True])
def test_memory_decodes_each_clip_once(ramp_clip, short_clip, tmp_path, monkeypatch, as_memory):
    """Check that memory= caches per clip and parameters, and invalidates on file change."""
    counter = DecodeCounter(monkeypatch)
    location = tmp_path / "cache"
    memory = joblib.Memory(location, verbose=0) if as_memory else str(location)
    sampler = FrameSampler(n_frames=3, memory=memory, **SMALL)
    first = sampler.fit_transform([ramp_clip, short_clip])
    second = sampler.fit_transform([short_clip, ramp_clip, ramp_clip])
    assert sorted(counter.calls) == sorted([ramp_clip, short_clip])
    np.testing.assert_array_equal(second, first[[1, 0, 0]])

    sampler.set_params(n_frames=4).transform([short_clip])  # other parameters: decode again
    assert counter.calls.count(short_clip) == 2

    copy = tmp_path / "copy.mp4"
    copy.write_bytes(Path(ramp_clip).read_bytes())
    sampler.set_params(n_frames=3).transform([str(copy)])
    os.utime(copy, ns=(0, 10**9))  # the file changed: its entry is stale
    sampler.transform([str(copy)])
    assert counter.calls.count(str(copy)) == 2


def test_memory_none_location_does_not_cache(ramp_clip, monkeypatch):
    """Check that joblib.Memory(None) disables the cache like Pipeline(memory=None)."""
    counter = DecodeCounter(monkeypatch)
    sampler = FrameSampler(n_frames=2, memory=joblib.Memory(None, verbose=0), **SMALL)
    sampler.transform([ramp_clip])
    sampler.transform([ramp_clip])
    assert counter.calls == [ramp_clip, ramp_clip]


def test_memory_errors_are_not_cached(bad_files, tmp_path):
    """Check that a failing clip is not stored and fails again."""
    sampler = FrameSampler(n_frames=2, memory=tmp_path, **SMALL)
    for _ in range(2):
        with pytest.raises(MediaError, match=re.escape("the file is empty")):
            sampler.transform([bad_files["empty"]])
    assert not [f for f in os.listdir(tmp_path / "skemotion_frames") if f.endswith(".npy")]


def _cache_worker(location, clip, log, barrier):
    from skemotion.utils._cache import ClipCache

    def compute():
        with open(log, "a") as f:
            f.write("decode\n")
        time.sleep(0.3)  # long enough for the other process to find the lock taken
        return np.full((2, 4, 4, 1), 7, np.uint8)

    barrier.wait()
    frames = ClipCache(location).get_or_compute(clip, {"n_frames": 2}, compute)
    assert frames.sum() == 7 * 32


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and POSIX file locks")
def test_cache_lock_is_shared_across_processes(ramp_clip, tmp_path):
    """Check that two processes asking for the same clip at once compute it only once."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    log = tmp_path / "log.txt"
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_cache_worker, args=(tmp_path / "c", ramp_clip, log, barrier))
             for _ in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    assert [proc.exitcode for proc in procs] == [0, 0]
    assert log.read_text() == "decode\n"


# -- progress -------------------------------------------------------------------------------


def test_verbose_shows_progress(ramp_clip, capsys):
    """Check that verbose=1 prints a tqdm bar to stderr and verbose=0 prints nothing."""
    FrameSampler(n_frames=2, **SMALL).transform([ramp_clip])
    assert capsys.readouterr().err == ""
    FrameSampler(n_frames=2, verbose=1, **SMALL).transform([ramp_clip, ramp_clip])
    err = capsys.readouterr().err
    assert "FrameSampler" in err and "2/2" in err


# -- estimator contract ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "check",
    [
        check_estimator_cloneable,
        check_estimator_repr,
        check_no_attributes_set_in_init,
        check_get_params_invariance,
        check_set_params,
        check_parameters_default_constructible,
        check_do_not_raise_errors_in_init_or_set_params,
        check_mixin_order,
        check_valid_tag_types,
        check_estimator_tags_renamed,
    ],
    ids=lambda c: c.__name__,
)
def test_sklearn_api_checks(check):
    """Check that FrameSampler passes sklearn's data-free API checks."""
    check("FrameSampler", FrameSampler())


def test_tags_and_statelessness(ramp_clip):
    """Check the tags (string input, no fit needed) and that transform works unfitted."""
    tags = FrameSampler().__sklearn_tags__()
    assert tags.input_tags.string and tags.input_tags.one_d_array
    assert not tags.input_tags.two_d_array
    assert not tags.requires_fit
    assert tags.transformer_tags.preserves_dtype == []
    sampler = FrameSampler(n_frames=2, **SMALL)
    assert sampler.fit([ramp_clip]) is sampler
    assert vars(sampler) == vars(FrameSampler(n_frames=2, **SMALL))  # fit learned nothing
    assert FrameSampler(n_frames=2, **SMALL).transform([ramp_clip]).shape == (1, 2, 16, 16, 1)


def test_clone_and_pickle_round_trip(ramp_clip, tmp_path):
    """Check that clone and pickle keep every parameter and the output."""
    sampler = FrameSampler(n_frames=3, strategy="head", padding="loop", memory=str(tmp_path),
                           **SMALL)
    for other in (clone(sampler), pickle.loads(pickle.dumps(sampler))):
        assert other.get_params() == sampler.get_params()
        np.testing.assert_array_equal(other.transform([ramp_clip]), sampler.transform([ramp_clip]))


def test_5d_output_is_never_wrapped(ramp_clip):
    """Check that set_output("pandas") is accepted but the 5-D output stays an ndarray.

    Pipeline.set_output needs every step to accept it; the frames have no DataFrame form.
    """
    sampler = FrameSampler(n_frames=2, **SMALL)
    assert sampler.set_output(transform="pandas") is sampler
    out = sampler.fit_transform([ramp_clip])
    assert isinstance(out, np.ndarray) and out.ndim == 5
    assert sampler.get_feature_names_out() is None  # frames are not named features


def test_docstring_parameters_match():
    """Check that the docstring documents exactly the constructor parameters, in order."""
    import inspect

    from numpydoc.docscrape import ClassDoc

    documented = [p.name for p in ClassDoc(FrameSampler)["Parameters"]]
    assert documented == list(inspect.signature(FrameSampler).parameters)
