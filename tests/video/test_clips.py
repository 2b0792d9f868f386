"""Behaviour of filter_clips, split_clips and sliding_windows on real tiny clips."""

import re

import numpy as np
import pandas as pd
import pytest

from skemotion.exceptions import MediaError
from skemotion.video import FrameSampler, filter_clips, sliding_windows, split_clips

# -- filter_clips ---------------------------------------------------------------------------


def test_filter_clips_keeps_long_clips_and_explains_drops(ramp_clip, short_clip, bad_files,
                                                          tmp_path):
    """Check that filter_clips keeps long clips in order and tables each drop with its reason."""
    missing = str(tmp_path / "nope.mp4")
    X = [short_clip, ramp_clip, missing, bad_files["empty"], bad_files["audio_only"], ramp_clip]
    y = np.array([0, 1, 2, 3, 4, 5])
    groups = pd.Series(list("abcdef"), index=range(10, 16))
    X_kept, y_kept, groups_kept, dropped = filter_clips(X, y, groups, min_frames=5)
    assert X_kept == [ramp_clip, ramp_clip]
    np.testing.assert_array_equal(y_kept, [1, 5])
    assert groups_kept.tolist() == ["b", "f"] and list(groups_kept.index) == [11, 15]
    assert list(dropped.index) == [0, 2, 3, 4]
    assert list(dropped.columns) == ["path", "n_frames", "reason"]
    reasons = dropped["reason"].tolist()
    assert reasons[0] == "too short: 4 frames < min_frames=5"
    assert reasons[1].startswith("missing file:") and missing in reasons[1]
    assert reasons[2].startswith("unreadable:") and "the file is empty" in reasons[2]
    assert reasons[3] == "no video stream"
    assert dropped.loc[0, "n_frames"] == 4 and np.isnan(dropped.loc[2, "n_frames"])


def test_filter_clips_keeps_everything_when_all_pass(ramp_clip, short_clip):
    """Check that nothing is dropped when every clip is long enough, and None stays None."""
    X = np.array([ramp_clip, short_clip])
    X_kept, y_kept, groups_kept, dropped = filter_clips(X, min_frames=4)
    np.testing.assert_array_equal(X_kept, X)
    assert y_kept is None and groups_kept is None
    assert dropped.empty and list(dropped.columns) == ["path", "n_frames", "reason"]


def test_filter_clips_counts_fragment_frames(ramp_clip):
    """Check that a fragment is judged by its own frames, not the whole file's."""
    X = [ramp_clip + "#t=0,0.3", ramp_clip + "#t=0,1"]
    X_kept, _, _, dropped = filter_clips(X, min_frames=5)
    assert X_kept == [ramp_clip + "#t=0,1"]
    assert dropped.loc[0, "reason"] == "too short: 3 frames < min_frames=5"


@pytest.mark.parametrize(
    "kwargs, msg",
    [
        ({"y": [1]}, "filter_clips: y has 1 elements but X has 2; they must match."),
        ({"groups": [1, 2, 3]}, "filter_clips: groups has 3 elements but X has 2"),
        ({"min_frames": 0}, "The 'min_frames' parameter of filter_clips must be an int in the "
                            "range [1, inf). Got 0 instead."),
    ],
)
def test_filter_clips_rejects_bad_input(ramp_clip, kwargs, msg):
    """Check that mismatched lengths and bad parameters raise clear errors."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        filter_clips([ramp_clip, ramp_clip], **kwargs)


# -- split_clips ----------------------------------------------------------------------------


def test_split_clips_cuts_fragments_with_labels(ramp_clip, short_clip, frame_ids):
    """Check fragment times, repeated labels and groups, and that each decodes to its frames."""
    X_frag, y_frag, groups_frag, source = split_clips(
        [ramp_clip, short_clip], np.array([7, 9]), ["a", "b"], clip_frames=8
    )
    times = [x.split("#t=")[1] for x in X_frag]
    assert times == ["0,0.8", "0.8,1.6", "1.6,2", "0,0.4"]
    assert all(x.split("#")[0] == p for x, p in zip(X_frag, [ramp_clip] * 3 + [short_clip],
                                                     strict=True))
    np.testing.assert_array_equal(y_frag, [7, 7, 7, 9])
    assert groups_frag == ["a", "a", "a", "b"]
    assert source.tolist() == [0, 0, 0, 1]
    frames = FrameSampler(n_frames=8, strategy="head", padding="zero", size=(16, 16),
                          color="gray").fit_transform(X_frag)
    assert frame_ids(frames[0]) == list(range(8))
    assert frame_ids(frames[1]) == list(range(8, 16))
    assert frame_ids(frames[2]) == [16, 17, 18, 19, 0, 0, 0, 0]


def test_split_clips_overlap_and_min_frames(ramp_clip):
    """Check hop_frames (overlap) and that a tail shorter than min_frames is not a fragment."""
    X_frag, *_ = split_clips([ramp_clip], clip_frames=8, hop_frames=5, min_frames=5)
    assert [x.split("#t=")[1] for x in X_frag] == ["0,0.8", "0.5,1.3", "1,1.8", "1.5,2"]
    X_frag, *_ = split_clips([ramp_clip], clip_frames=8, hop_frames=5, min_frames=6)
    assert [x.split("#t=")[1] for x in X_frag] == ["0,0.8", "0.5,1.3", "1,1.8"]
    X_frag, *_ = split_clips([ramp_clip], clip_frames=8, min_frames=5)
    assert [x.split("#t=")[1] for x in X_frag] == ["0,0.8", "0.8,1.6"]


def test_split_clips_within_a_fragment(ramp_clip, frame_ids):
    """Check that a fragment input is cut within its own segment, with absolute times."""
    X_frag, *_ = split_clips([ramp_clip + "#t=0.5,1.5"], clip_frames=4)
    assert [x.split("#t=")[1] for x in X_frag] == ["0.5,0.9", "0.9,1.3", "1.3,1.5"]
    frames = FrameSampler(n_frames=4, strategy="head", size=(16, 16),
                          color="gray").fit_transform(X_frag[:1])
    assert frame_ids(frames[0]) == [5, 6, 7, 8]


def test_split_clips_raises_for_too_short_clips(ramp_clip, short_clip):
    """Check that clips with fewer than min_frames frames raise, listing each, never dropped."""
    msg = (
        "split_clips: 1 clips have fewer than min_frames=5 frames; remove them with "
        f"filter_clips first:\n  [1] '{short_clip}': 4 frames"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        split_clips([ramp_clip, short_clip], clip_frames=8, min_frames=5)


def test_split_clips_bad_parameters_and_files(ramp_clip, bad_files):
    """Check parameter errors and that unreadable files raise their io error."""
    with pytest.raises(ValueError, match=re.escape(
            "The 'clip_frames' parameter of split_clips must be an int in the range [1, inf). "
            "Got 0 instead.")):
        split_clips([ramp_clip], clip_frames=0)
    with pytest.raises(MediaError, match=re.escape("the file is empty")):
        split_clips([bad_files["empty"]], clip_frames=4)
    with pytest.raises(MediaError, match=re.escape(
            f"split_clips cannot cut '{bad_files['audio_only']}': its video frame rate")):
        split_clips([bad_files["audio_only"]], clip_frames=4)


# -- sliding_windows ------------------------------------------------------------------------


def test_sliding_windows_cover_the_video(ramp_clip):
    """Check that windows start every hop and the last one ends at the end of the video."""
    windows = sliding_windows(ramp_clip, window=0.8, hop=0.6)
    assert not isinstance(windows, list) and iter(windows) is windows  # a generator
    times = [w.split("#t=")[1] for w in windows]
    assert times == ["0,0.8", "0.6,1.4", "1.2,2"]
    assert [w.split("#t=")[1] for w in sliding_windows(ramp_clip, 1.0)] == ["0,1", "1,2"]
    assert [w.split("#t=")[1] for w in sliding_windows(ramp_clip, 5.0)] == ["0,2"]


def test_sliding_windows_within_a_fragment(ramp_clip, frame_ids):
    """Check that a fragment input is covered in absolute times and decodes correctly."""
    windows = list(sliding_windows(ramp_clip + "#t=0.5,1.5", window=0.5))
    assert [w.split("#t=")[1] for w in windows] == ["0.5,1", "1,1.5"]
    frames = FrameSampler(n_frames=5, strategy="head", size=(16, 16),
                          color="gray").fit_transform(windows)
    assert [frame_ids(f) for f in frames] == [[5, 6, 7, 8, 9], [10, 11, 12, 13, 14]]


@pytest.mark.parametrize(
    "kwargs, error, msg",
    [
        ({"window": 0.0}, ValueError,
         "The 'window' parameter of sliding_windows must be a float in the range (0, inf). "
         "Got 0.0 instead."),
        ({"window": 1.0, "hop": 2.0}, ValueError,
         "The 'hop' parameter of sliding_windows must be at most window=1.0 so that the "
         "windows cover the video. Got 2.0 instead."),
    ],
)
def test_sliding_windows_validates_at_call(ramp_clip, kwargs, error, msg):
    """Check that bad window/hop raise when called, before any iteration."""
    with pytest.raises(error, match=re.escape(msg)):
        sliding_windows(ramp_clip, **kwargs)


def test_sliding_windows_missing_file_raises_at_call(tmp_path):
    """Check that a missing file raises FileNotFoundError at the call, naming it."""
    missing = str(tmp_path / "long.mp4")
    with pytest.raises(FileNotFoundError, match=re.escape(missing)):
        sliding_windows(missing, window=1.0)


@pytest.mark.parametrize("func", [filter_clips, split_clips, sliding_windows])
def test_docstring_parameters_match(func):
    """Check that each helper documents exactly its parameters, in order."""
    import inspect

    from numpydoc.docscrape import FunctionDoc

    documented = []
    for param in FunctionDoc(func)["Parameters"]:
        documented += [name.strip() for name in param.name.split(",")]
    assert documented == list(inspect.signature(func).parameters)


@pytest.fixture(scope="module")
def clips_probe_accepts(tmp_path_factory):
    """Clips that probe reads but FrameSampler rejects: cut in half, damaged mid-file,
    and with 1000 coded bytes zeroed after the first frames."""
    from skemotion.io import write_video

    d = tmp_path_factory.mktemp("rejected")
    frames = np.broadcast_to((np.arange(40) * 6).astype(np.uint8)[:, None, None, None],
                             (40, 32, 32, 3)).copy()
    frames[:, :8, :8] = np.random.default_rng(0).integers(0, 255, (40, 8, 8, 3))
    webm, mp4 = d / "whole.webm", d / "whole.mp4"
    write_video(webm, frames, fps=20)
    write_video(mp4, frames, fps=20)
    out = {}
    data = webm.read_bytes()
    out["cut"] = d / "cut.webm"
    out["cut"].write_bytes(data[: len(data) // 2])
    data = bytearray(mp4.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 300, 7):
        data[i] ^= 0xFF
    out["damaged"] = d / "damaged.mp4"
    out["damaged"].write_bytes(bytes(data))
    data = bytearray(mp4.read_bytes())
    start = data.index(b"mdat") + 1500
    data[start : start + 1000] = bytes(1000)
    out["zeroed"] = d / "zeroed.mp4"
    out["zeroed"].write_bytes(bytes(data))
    return {k: str(v) for k, v in out.items()}


def test_filter_clips_applies_the_featurizers_own_checks(ramp_clip, clips_probe_accepts):
    """Check that filter_clips drops exactly the clips the given FrameSampler rejects,
    with the sampler's own message, keeps y and groups aligned, and that the sampler
    then accepts every kept clip."""
    bad = clips_probe_accepts
    sampler = FrameSampler(n_frames=8, size=(16, 16), on_damage="raise")
    X = [ramp_clip, bad["cut"], ramp_clip + "#t=0,1", bad["damaged"], bad["zeroed"]]
    y = np.array([10, 11, 12, 13, 14])
    groups = ["a", "b", "c", "d", "e"]
    for path in X[1:2] + X[3:]:  # the probe-based filter kept these (issue 18)
        assert filter_clips([path], featurizers=[])[3].empty
    X_kept, y_kept, groups_kept, dropped = filter_clips(X, y, groups, featurizers=sampler, n_jobs=2)
    assert X_kept == [ramp_clip, ramp_clip + "#t=0,1"]
    np.testing.assert_array_equal(y_kept, [10, 12])
    assert groups_kept == ["a", "c"]
    assert list(dropped.index) == [1, 3, 4]
    for i in dropped.index:
        with pytest.raises(MediaError) as err:
            sampler.fit_transform([X[i]])
        assert dropped.loc[i, "reason"] == f"rejected by FrameSampler: {err.value}"
    assert sampler.fit_transform(X_kept).shape == (2, 8, 16, 16, 3)


def test_filter_clips_default_featurizer_and_bad_featurizers(ramp_clip, clips_probe_accepts):
    """Check that featurizers=None checks with FrameSampler() and that a non-transformer
    is refused."""
    X_kept, _, _, dropped = filter_clips([ramp_clip, clips_probe_accepts["cut"]])
    assert X_kept == [ramp_clip]
    assert dropped.loc[1, "reason"].startswith(
        f"rejected by FrameSampler: Could not decode '{clips_probe_accepts['cut']}'")
    msg = ("The 'featurizers' parameter of filter_clips must be a transformer, a list of "
           "transformers or None. Got 'FrameSampler' instead.")
    with pytest.raises(ValueError, match=re.escape(msg)):
        filter_clips([ramp_clip], featurizers="FrameSampler")
