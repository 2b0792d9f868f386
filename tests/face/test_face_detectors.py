"""Tests for the face detector interface and HaarCascadeDetector."""

import pickle
import re
import sys

import numpy as np
import pytest
from sklearn.base import clone

from skemotion.face import FaceDetector, HaarCascadeDetector, box_iou, get_detector, import_cv2
from skemotion.face._testing import draw_face, draw_faces


def test_haar_finds_drawn_faces(faces):
    """Check that the Haar detector finds each drawn face with a box overlapping the truth."""
    X, boxes = faces
    detector = HaarCascadeDetector()
    for i in range(X.shape[0]):
        found = detector.detect(X[i, 0])
        assert found.dtype == np.float32 and found.shape[1] == 5
        assert len(found) >= 1
        assert box_iou(found[0, :4], boxes[i, 0]) >= 0.5
        assert (found[:, 4] >= 1).all()  # number of merged raw detections


def test_haar_returns_no_box_on_blank_and_noise():
    """Check that frames without a face give an empty (0, 5) array."""
    rng = np.random.default_rng(0)
    detector = HaarCascadeDetector()
    for frame in (np.zeros((64, 64, 3), np.uint8), rng.integers(0, 255, (64, 64, 3), np.uint8)):
        out = detector.detect(frame)
        assert out.shape == (0, 5) and out.dtype == np.float32


def test_haar_boxes_are_in_input_pixels():
    """Check that boxes come back in the pixels of the original frame whatever the working size."""
    X, boxes = draw_faces(n_samples=1, n_frames=1, size=(200, 300), random_state=3)
    for working_size, min_working_size in [(100, None), (240, None), (400, 300), (100, 100)]:
        detector = HaarCascadeDetector(working_size=working_size, min_working_size=min_working_size)
        out = detector.detect(X[0, 0])
        assert box_iou(out[0, :4], boxes[0, 0]) >= 0.5, working_size


def test_upscale_finds_faces_below_the_cascade_window():
    """Check that a face smaller than the 24-px window is found only when enlarged enough."""
    box = (25.0, 23.0, 39.0, 41.2)  # a 14-px wide face in a 64x64 frame
    frame = draw_face((64, 64), box, rng=np.random.default_rng(0))
    assert len(HaarCascadeDetector(min_working_size=None).detect(frame)) == 0
    out = HaarCascadeDetector(min_working_size=160).detect(frame)
    assert len(out) == 1 and box_iou(out[0, :4], box) >= 0.5


def test_haar_accepts_gray_frames(faces):
    """Check that (H, W) and (H, W, 1) grayscale frames give the same boxes as RGB."""
    import cv2

    X, _ = faces
    rgb = X[0, 0]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    detector = HaarCascadeDetector()
    expected = detector.detect(rgb)
    np.testing.assert_array_equal(detector.detect(gray), expected)
    np.testing.assert_array_equal(detector.detect(gray[:, :, None]), expected)


def test_boxes_sorted_by_decreasing_area():
    """Check that several faces in one frame come back largest first."""
    X1, b1 = draw_faces(n_samples=1, n_frames=1, size=(96, 96), random_state=0)
    X2, b2 = draw_faces(n_samples=1, n_frames=1, size=(64, 64), random_state=1)
    frame = np.concatenate([X1[0, 0], np.pad(X2[0, 0], ((0, 32), (0, 0), (0, 0)))], axis=1)
    out = HaarCascadeDetector().detect(frame)
    assert len(out) == 2
    area = (out[:, 2] - out[:, 0]) * (out[:, 3] - out[:, 1])
    assert area[0] > area[1]
    assert box_iou(out[0, :4], b1[0, 0]) >= 0.5
    assert box_iou(out[1, :4], b2[0, 0] + [96, 0, 96, 0]) >= 0.5


@pytest.mark.parametrize(
    "frame, msg",
    [
        (np.zeros((8, 8, 3), np.float32), "Expected a frame of dtype uint8; got float32."),
        (
            np.zeros((8, 8, 4), np.uint8),
            "Expected a frame of shape (height, width, 3) or (height, width); got (8, 8, 4).",
        ),
    ],
)
def test_bad_frame_raises(frame, msg):
    """Check that a frame of the wrong dtype or shape is rejected with a clear message."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        HaarCascadeDetector().detect(frame)


@pytest.mark.parametrize(
    "params, msg",
    [
        (
            {"scale_factor": 1.0},
            "The 'scale_factor' parameter of HaarCascadeDetector must be a float in the range "
            "(1, inf). Got 1.0 instead.",
        ),
        (
            {"min_neighbors": -1},
            "The 'min_neighbors' parameter of HaarCascadeDetector must be an int in the range "
            "[0, inf). Got -1 instead.",
        ),
        (
            {"working_size": 10},
            "The 'working_size' parameter of HaarCascadeDetector must be an int in the range "
            "[24, inf). Got 10 instead.",
        ),
        (
            {"min_working_size": 0},
            "The 'min_working_size' parameter of HaarCascadeDetector must be an int in the "
            "range [24, inf) or None. Got 0 instead.",
        ),
        (
            {"min_working_size": 300},
            "The 'min_working_size' parameter of HaarCascadeDetector must not exceed "
            "working_size=240. Got 300 instead.",
        ),
        (
            {"min_size": 0},
            "The 'min_size' parameter of HaarCascadeDetector must be a float in the range "
            "(0, 1]. Got 0 instead.",
        ),
    ],
)
def test_bad_parameters_raise(params, msg):
    """Check that invalid detector settings raise sklearn-style messages."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        HaarCascadeDetector(**params).detect(np.zeros((32, 32, 3), np.uint8))


def test_unknown_cascade_name_lists_shipped_ones():
    """Check that an unknown cascade name says which cascades OpenCV ships."""
    with pytest.raises(ValueError, match=r"names 'nosuchface', which OpenCV .* does not ship") as e:
        HaarCascadeDetector(cascade="nosuchface").detect(np.zeros((32, 32, 3), np.uint8))
    assert "'frontalface_default'" in str(e.value)


def test_missing_and_invalid_cascade_files(tmp_path):
    """Check that a missing cascade file and a non-cascade XML are named in the error."""
    missing = tmp_path / "missing.xml"
    with pytest.raises(FileNotFoundError, match=re.escape(f"Haar cascade file not found: {str(missing)!r}.")):
        HaarCascadeDetector(cascade=missing).detect(np.zeros((32, 32, 3), np.uint8))
    bad = tmp_path / "bad.xml"
    bad.write_text("<opencv_storage></opencv_storage>")
    with pytest.raises(ValueError, match=re.escape(f"Could not load the Haar cascade {str(bad)!r}")):
        HaarCascadeDetector(cascade=str(bad)).detect(np.zeros((32, 32, 3), np.uint8))


def test_other_shipped_cascade_and_path_work(faces):
    """Check that a cascade can be named without prefix or given as a path."""
    import cv2

    X, boxes = faces
    path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
    by_name = HaarCascadeDetector(cascade="frontalface_default").detect(X[0, 0])
    by_path = HaarCascadeDetector(cascade=path).detect(X[0, 0])
    np.testing.assert_array_equal(by_name, by_path)
    assert box_iou(by_name[0, :4], boxes[0, 0]) >= 0.5


def test_detector_params_clone_and_pickle(faces):
    """Check that detectors behave like estimators for params: get/set, clone, pickle, repr."""
    detector = HaarCascadeDetector(min_neighbors=4)
    assert detector.get_params()["min_neighbors"] == 4
    assert repr(detector) == "HaarCascadeDetector(min_neighbors=4)"
    twin = clone(detector)
    assert twin is not detector and twin == detector
    assert detector.set_params(scale_factor=1.2) is detector and detector.scale_factor == 1.2
    with pytest.raises(ValueError, match=re.escape("Invalid parameter 'nope' for detector")):
        detector.set_params(nope=1)
    X, _ = faces
    restored = pickle.loads(pickle.dumps(detector))
    np.testing.assert_array_equal(restored.detect(X[0, 0]), detector.detect(X[0, 0]))


def test_get_detector():
    """Check that names map to detectors, instances pass through and anything else is refused."""
    assert isinstance(get_detector("haar"), HaarCascadeDetector)
    mine = HaarCascadeDetector(min_neighbors=1)
    assert get_detector(mine) is mine
    msg = "The 'detector' parameter must be a str among {'haar'} or a FaceDetector instance. Got 'yunet' instead."
    with pytest.raises(ValueError, match=re.escape(msg)):
        get_detector("yunet")


def test_base_detector_must_be_subclassed():
    """Check that FaceDetector.detect names the subclass that forgot to implement it."""

    class Lazy(FaceDetector):
        pass

    with pytest.raises(NotImplementedError, match=re.escape("Lazy must implement detect(frame).")):
        Lazy().detect(np.zeros((8, 8, 3), np.uint8))


def test_missing_opencv_says_how_to_install(monkeypatch):
    """Check that without OpenCV the error tells to install the 'face' extra."""
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(ImportError, match=re.escape("pip install skemotion[face]")):
        import_cv2()
    with pytest.raises(ImportError, match=re.escape("pip install skemotion[face]")):
        HaarCascadeDetector().detect(np.zeros((8, 8, 3), np.uint8))


def test_opencv_without_cascades_is_refused(monkeypatch):
    """Check that an OpenCV build without CascadeClassifier (the 5.0 wheels) is refused clearly."""
    import types

    fake = types.ModuleType("cv2")
    fake.__version__ = "5.0.0"
    monkeypatch.setitem(sys.modules, "cv2", fake)
    with pytest.raises(ImportError, match=re.escape("OpenCV 5.0.0 has no CascadeClassifier.")):
        import_cv2()


def test_opencv_is_imported_lazily():
    """Check that importing skemotion.face does not import OpenCV (only using a detector does)."""
    import subprocess

    code = (
        "import sys, numpy as np, skemotion.face as f; assert 'cv2' not in sys.modules; "
        "f.HaarCascadeDetector().detect(np.zeros((8, 8, 3), np.uint8)); assert 'cv2' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
