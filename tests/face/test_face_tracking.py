"""Tests for box tracking across frames (pure numpy)."""

import re

import numpy as np
import pytest

from skemotion.face import box_iou, center_box, track_boxes

NONE = np.zeros((0, 5))


def _det(*boxes):
    return np.array([list(b) + [1.0] for b in boxes], dtype=float)


def test_box_iou_values_and_broadcasting():
    """Check IoU on identical, disjoint, half-overlapping and empty boxes, and broadcasting."""
    assert box_iou([0, 0, 10, 10], [0, 0, 10, 10]) == 1.0
    assert box_iou([0, 0, 10, 10], [20, 20, 30, 30]) == 0.0
    assert box_iou([0, 0, 10, 10], [5, 0, 15, 10]) == pytest.approx(50 / 150)
    assert box_iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0
    out = box_iou(np.zeros((3, 2, 4)) + [0, 0, 10, 10], [0, 0, 10, 20])
    assert out.shape == (3, 2) and np.allclose(out, 0.5)


def test_center_box_is_centred_half_of_shorter_side():
    """Check the fallback box geometry on a landscape frame."""
    assert center_box(100, 200).tolist() == [75.0, 25.0, 125.0, 75.0]


def test_first_detection_takes_the_largest_face():
    """Check that with several faces on the first detection the largest is followed."""
    boxes, found = track_boxes([_det((0, 0, 10, 10), (30, 30, 60, 60))], (64, 64), smoothing=0)
    assert boxes[0].tolist() == [30, 30, 60, 60] and found.tolist() == [True]


def test_follows_the_face_overlapping_the_previous_one():
    """Check that later frames follow the overlapping face, not a larger newcomer."""
    dets = [_det((10, 10, 30, 30)), _det((40, 40, 90, 90), (12, 10, 32, 30))]
    boxes, _ = track_boxes(dets, (100, 100), smoothing=0)
    assert boxes[1].tolist() == [12, 10, 32, 30]


def test_nearest_centre_when_nothing_overlaps():
    """Check that when no candidate overlaps, the one with the nearest centre is taken."""
    dets = [_det((10, 10, 20, 20)), _det((80, 80, 90, 90), (25, 10, 35, 20))]
    boxes, _ = track_boxes(dets, (100, 100), smoothing=0)
    assert boxes[1].tolist() == [25, 10, 35, 20]


def test_exponential_smoothing():
    """Check box_t = s * box_{t-1} + (1 - s) * detection_t."""
    dets = [_det((0, 0, 10, 10)), _det((4, 0, 14, 10)), _det((8, 0, 18, 10))]
    boxes, _ = track_boxes(dets, (64, 64), smoothing=0.25)
    assert boxes[:, 0].tolist() == pytest.approx([0, 3, 0.25 * 3 + 0.75 * 8])


def test_missing_and_skipped_frames_reuse_the_last_box():
    """Check that frames with no detection (empty) or not examined (None) keep the last box."""
    dets = [_det((0, 0, 10, 10)), NONE, None, _det((2, 0, 12, 10))]
    boxes, found = track_boxes(dets, (64, 64), smoothing=0)
    assert boxes[:, 0].tolist() == [0, 0, 0, 2]
    assert found.tolist() == [True, False, False, True]


@pytest.mark.parametrize(
    "before_first, expected",
    [
        ("next", [20, 20, 40, 40]),
        ("center", [16, 16, 48, 48]),
        ("error", [np.nan] * 4),
    ],
)
def test_frames_before_first_detection(before_first, expected):
    """Check the three policies for frames before the first detection."""
    dets = [NONE, None, _det((20, 20, 40, 40))]
    boxes, found = track_boxes(dets, (64, 64), smoothing=0.5, before_first=before_first)
    np.testing.assert_array_equal(boxes[0], expected)
    np.testing.assert_array_equal(boxes[1], expected)
    assert boxes[2].tolist() == [20, 20, 40, 40]
    assert found.tolist() == [False, False, True]


def test_no_detection_at_all_gives_nan():
    """Check that a clip without any detection gives NaN boxes and no found frame."""
    boxes, found = track_boxes([NONE, None, NONE], (64, 64))
    assert np.isnan(boxes).all() and not found.any()


def test_unknown_policy_raises():
    """Check that an unknown before_first value is refused."""
    msg = "before_first must be a str among {'center', 'error', 'next'}. Got 'prev' instead."
    with pytest.raises(ValueError, match=re.escape(msg)):
        track_boxes([NONE, _det((0, 0, 5, 5))], (8, 8), before_first="prev")
