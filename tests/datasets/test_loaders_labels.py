"""Tests of map_labels, the cross-corpus label alignment."""

import re

import numpy as np
import pytest

from skemotion.datasets import map_labels


def test_ravdess_to_crema_d_drops_calm_and_surprised():
    """Check the issue's case: CREMA-D's six classes evaluated on RAVDESS."""
    y = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
    mapped, keep = map_labels(y, source="ravdess", target="crema-d")
    assert keep.tolist() == [True, False, True, True, True, True, True, False]
    assert mapped.tolist() == ["neutral", None, "happy", "sad", "angry", "fearful", "disgust", None]
    assert mapped.dtype == object


@pytest.mark.parametrize(
    ("source", "codes", "names"),
    [
        ("ravdess", ["01", "02", "08"], ["neutral", "calm", "surprised"]),
        ("crema-d", ["ANG", "dis", "FEA"], ["angry", "disgust", "fearful"]),
        ("dfew", ["1", "5", "7"], ["happy", "surprised", "fearful"]),
        ("fer2013", ["0", "2", "6"], ["angry", "fearful", "neutral"]),
    ],
)
def test_native_codes(source, codes, names):
    """Check that each corpus's native codes map to the shared vocabulary."""
    mapped, keep = map_labels(codes, source=source)
    assert mapped.tolist() == names and keep.all()


def test_synonyms_and_case():
    """Check that common spellings normalise without a source."""
    mapped, _ = map_labels(["Anger", "happiness", "FEAR", "surprise", "Sadness", "neutral"])
    assert mapped.tolist() == ["angry", "happy", "fearful", "surprised", "sad", "neutral"]


def test_mapping_merges_and_drops():
    """Check renames, merges and explicit drops through mapping, order preserved."""
    y = np.array(["calm", "neutral", "angry", "surprised"])
    mapped, keep = map_labels(y, mapping={"calm": "neutral", "surprised": None})
    assert mapped.tolist() == ["neutral", "neutral", "angry", None]
    assert keep.tolist() == [True, True, True, False]
    mapped, keep = map_labels(y, mapping={"angry": "negative"}, target=["negative", "neutral"])
    assert mapped.tolist() == [None, "neutral", "negative", None]


def test_fer_to_dfew_keeps_all_seven():
    """Check that corpora with the same seven classes lose nothing."""
    _, keep = map_labels([str(i) for i in range(7)], source="fer2013", target="dfew")
    assert keep.all()


def test_errors():
    """Check errors for labels outside the source, numbers, and unknown corpora."""
    with pytest.raises(ValueError, match=re.escape("outside the 'crema-d' vocabulary")) as info:
        map_labels(["angry", "calm"], source="crema-d")
    assert "['calm']" in str(info.value)
    with pytest.raises(ValueError, match=re.escape("outside the canonical vocabulary")):
        map_labels(["bored"])
    with pytest.raises(TypeError, match=re.escape("pass bunch.target_names[bunch.target]")):
        map_labels(np.array([0, 1]))
    with pytest.raises(TypeError, match=re.escape("got a single str")):
        map_labels("angry")
    with pytest.raises(ValueError, match=re.escape("The 'source' parameter of map_labels")):
        map_labels(["angry"], source="affectnet")
    with pytest.raises(ValueError, match=re.escape("The 'target' parameter of map_labels")):
        map_labels(["angry"], target="iemocap")
    with pytest.raises(ValueError, match=re.escape("The 'mapping' parameter of map_labels")):
        map_labels(["angry"], mapping=[("angry", None)])


def test_loaders_agree_with_the_presets(tmp_path):
    """Check that names from load_ravdess map to CREMA-D through their target_names."""
    from skemotion.datasets import load_ravdess

    (tmp_path / "Actor_01").mkdir()
    for emotion in ("02", "05", "08"):
        (tmp_path / "Actor_01" / f"03-01-{emotion}-01-01-01-01.wav").touch()
    bunch = load_ravdess(tmp_path)
    mapped, keep = map_labels(bunch.target_names[bunch.target], source="ravdess", target="crema-d")
    assert keep.tolist() == [False, True, False] and mapped[keep].tolist() == ["angry"]
