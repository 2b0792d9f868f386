"""Tests for the face detector interface, HaarCascadeDetector and BlazeFaceDetector."""

import pickle
import re
import sys

import numpy as np
import pytest
from sklearn.base import clone

from skemotion.face import (
    BlazeFaceDetector,
    FaceDetector,
    HaarCascadeDetector,
    box_iou,
    get_detector,
    import_cv2,
)
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
    assert isinstance(get_detector("blazeface"), BlazeFaceDetector)  # no runtime needed to build
    mine = HaarCascadeDetector(min_neighbors=1)
    assert get_detector(mine) is mine
    msg = (
        "The 'detector' parameter must be a str among {'blazeface', 'haar'} or a FaceDetector "
        "instance. Got 'yunet' instead."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        get_detector("yunet")


def test_base_detector_must_be_subclassed():
    """Check that FaceDetector.detect names the subclass that forgot to implement it."""

    class Lazy(FaceDetector):
        pass

    with pytest.raises(NotImplementedError, match=re.escape("Lazy must implement detect(frame).")):
        Lazy().detect(np.zeros((8, 8, 3), np.uint8))


def test_missing_opencv_says_how_to_install(monkeypatch):
    """Check that without OpenCV the error says how to install it."""
    monkeypatch.setitem(sys.modules, "cv2", None)
    hint = "install it with `pip install 'opencv-python-headless>=4.9,<5'`."
    with pytest.raises(ImportError, match=re.escape(hint)):
        import_cv2()
    with pytest.raises(ImportError, match=re.escape(hint)):
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


# BlazeFaceDetector: the models ship in skemotion/face/data, the runtime is the optional
# ai-edge-litert (pip install skemotion[blazeface]).
# (the `litert` fixture is in conftest.py)


def test_blazeface_models_ship_with_licence():
    """Check that both .tflite models and their Apache-2.0 licence and notice are in the package."""
    import hashlib

    from skemotion.face import _blazeface, _landmarks
    from skemotion.face._litert import DATA

    notice = (DATA / "NOTICE-MEDIAPIPE.txt").read_text()
    assert "Apache License" in (DATA / "LICENSE-MEDIAPIPE.txt").read_text()
    files = [spec["file"] for spec in _blazeface._MODELS.values()] + [_landmarks._MODEL_FILE]
    for file in files:
        digest = hashlib.sha256((DATA / file).read_bytes()).hexdigest()
        assert file in notice and digest in notice


@pytest.mark.parametrize("model, n_anchors", [("full_range", 2304), ("short_range", 896)])
def test_blazeface_anchors_match_the_models(litert, model, n_anchors):
    """Check that the SSD anchors match each model's output: one per regressed box."""
    from skemotion.face._blazeface import _MODELS, _anchors
    from skemotion.face._litert import DATA as _DATA

    spec = _MODELS[model]
    anchors = _anchors(spec["size"], spec["strides"], spec["anchors_per_layer"])
    assert anchors.shape == (n_anchors, 2)
    assert (anchors > 0).all() and (anchors < 1).all()
    interpreter = litert.Interpreter(model_path=str(_DATA / spec["file"]))
    shapes = sorted(tuple(d["shape"]) for d in interpreter.get_output_details())
    assert shapes == [(1, n_anchors, 1), (1, n_anchors, 16)]


@pytest.mark.parametrize("model", ["full_range", "short_range"])
@pytest.mark.parametrize("size", [(96, 96), (360, 480), (300, 200)])
def test_blazeface_finds_drawn_faces(litert, faces, model, size):
    """Check that BlazeFace finds each drawn face, in pixels of frames of any aspect ratio.

    The model's boxes are square and the drawn faces 1.3 times taller than wide, so an
    IoU of 1 / 1.3 = 0.77 is the best possible.
    """
    if size == (96, 96):
        X, boxes = faces
    else:
        X, boxes = draw_faces(n_samples=3, n_frames=2, size=size, random_state=1)
    detector = BlazeFaceDetector(model=model)
    for i in range(X.shape[0]):
        for t in range(X.shape[1]):
            found = detector.detect(X[i, t])
            assert found.dtype == np.float32 and found.shape == (1, 5)
            assert box_iou(found[0, :4], boxes[i, t]) >= 0.7
            assert 0.5 <= found[0, 4] < 1


@pytest.mark.parametrize("model", ["full_range", "short_range"])
def test_blazeface_returns_no_box_on_blank_and_noise(litert, model):
    """Check that frames without a face give an empty (0, 5) array."""
    rng = np.random.default_rng(0)
    detector = BlazeFaceDetector(model=model)
    for frame in (np.zeros((64, 64, 3), np.uint8), rng.integers(0, 255, (120, 160, 3), np.uint8)):
        out = detector.detect(frame)
        assert out.shape == (0, 5) and out.dtype == np.float32


def test_blazeface_finds_two_faces_sorted_by_score(litert):
    """Check that two faces in one frame give two boxes, by decreasing score, inside the frame."""
    X1, b1 = draw_faces(n_samples=1, n_frames=1, size=(96, 96), random_state=0)
    X2, b2 = draw_faces(n_samples=1, n_frames=1, size=(96, 96), random_state=1)
    frame = np.concatenate([X1[0, 0], X2[0, 0]], axis=1)
    out = BlazeFaceDetector().detect(frame)
    assert len(out) == 2
    assert out[0, 4] >= out[1, 4]
    assert (out[:, [0, 2]] >= 0).all() and (out[:, [0, 2]] <= 192).all()
    truths = [b1[0, 0], b2[0, 0] + [96, 0, 96, 0]]
    for truth in truths:
        assert max(box_iou(box[:4], truth) for box in out) >= 0.7


def test_blazeface_min_score(litert, faces):
    """Check that min_score filters boxes: a threshold above the face's score drops it."""
    X, _ = faces
    score = BlazeFaceDetector().detect(X[0, 0])[0, 4]
    assert len(BlazeFaceDetector(min_score=float(score) - 0.01).detect(X[0, 0])) == 1
    assert len(BlazeFaceDetector(min_score=min(float(score) + 0.01, 0.999)).detect(X[0, 0])) == 0


def test_blazeface_accepts_gray_frames(litert, faces):
    """Check that (H, W) and (H, W, 1) grayscale frames are accepted and give the same boxes."""
    X, boxes = faces
    gray = X[0, 0].mean(axis=2).astype(np.uint8)
    detector = BlazeFaceDetector()
    out = detector.detect(gray)
    np.testing.assert_array_equal(detector.detect(gray[:, :, None]), out)
    assert len(out) == 1 and box_iou(out[0, :4], boxes[0, 0]) >= 0.7


@pytest.mark.slow
@pytest.mark.parametrize("model", ["full_range", "short_range"])
def test_blazeface_finds_and_centres_real_faces(litert, shared_data, model):
    """Check detection rate >= 0.9 and boxes centred on the face in real CREMA-D clips.

    Hand-labelled on these clips (actor 1001, 480x360): eyes near (190, 120) and
    (240, 120), mouth near (215, 175), face midline x ~ 215.
    """
    from skemotion.io import read_frames

    paths = sorted((shared_data / "crema-d" / "VideoFlash").glob("*.flv"))
    assert len(paths) >= 6
    detector = BlazeFaceDetector(model=model)
    for path in paths:
        frames = read_frames(path, n_frames=8)
        out = [detector.detect(frame) for frame in frames]
        assert np.mean([len(o) >= 1 for o in out]) >= 0.9
        for o in out:
            if not len(o):
                continue
            x0, y0, x1, y1, _ = o[0]
            assert abs((x0 + x1) / 2 - 215) < 0.1 * (x1 - x0)
            for px, py in [(190, 120), (240, 120), (215, 175)]:  # landmarks inside the box
                assert x0 < px < x1 and y0 < py < y1
            assert 80 < x1 - x0 < 200


@pytest.mark.slow
def test_facecropper_with_blazeface_on_real_faces(litert, shared_data):
    """Check that FaceCropper(detector="blazeface") crops the real face like the default."""
    from skemotion.face import FaceCropper
    from skemotion.io import read_frames

    path = sorted((shared_data / "crema-d" / "VideoFlash").glob("*.flv"))[0]
    X = read_frames(path, n_frames=6)[None]
    faces = FaceCropper(detector="blazeface").detect(X)
    assert faces.found.all()
    reference = FaceCropper().detect(X)
    assert (box_iou(faces.boxes, reference.boxes) >= 0.6).all()


def test_blazeface_params_clone_and_pickle(litert, faces):
    """Check get/set_params, clone and pickling (the interpreter stays out of the instance)."""
    detector = BlazeFaceDetector(model="short_range", min_score=0.6)
    assert repr(detector) == "BlazeFaceDetector(min_score=0.6, model='short_range')"
    X, _ = faces
    expected = detector.detect(X[0, 0])  # builds and caches the interpreter
    assert set(vars(detector)) == {"model", "min_score", "iou_threshold", "num_threads"}
    twin = clone(detector)
    assert twin == detector
    np.testing.assert_array_equal(twin.detect(X[0, 0]), expected)
    restored = pickle.loads(pickle.dumps(detector))
    np.testing.assert_array_equal(restored.detect(X[0, 0]), expected)
    assert detector.set_params(model="full_range") is detector
    assert len(detector.detect(X[0, 0])) == 1


def test_blazeface_gives_the_same_boxes_in_threads(litert, faces):
    """Check that concurrent threads (each with its own interpreter) give the serial boxes."""
    from concurrent.futures import ThreadPoolExecutor

    X, _ = faces
    frames = list(X.reshape(-1, *X.shape[2:]))
    detector = BlazeFaceDetector()
    expected = [detector.detect(f) for f in frames]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(detector.detect, frames))
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "params, msg",
    [
        (
            {"model": "back"},
            "The 'model' parameter of BlazeFaceDetector must be a str among "
            "{'full_range', 'short_range'}. Got 'back' instead.",
        ),
        (
            {"min_score": 1.0},
            "The 'min_score' parameter of BlazeFaceDetector must be a float in the range "
            "(0, 1). Got 1.0 instead.",
        ),
        (
            {"num_threads": 0},
            "The 'num_threads' parameter of BlazeFaceDetector must be an int in the range "
            "[1, inf). Got 0 instead.",
        ),
    ],
)
def test_blazeface_bad_parameters_raise(params, msg):
    """Check that invalid settings raise sklearn-style messages (before the runtime is needed)."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        BlazeFaceDetector(**params).detect(np.zeros((32, 32, 3), np.uint8))


def test_blazeface_bad_frame_raises():
    """Check that a frame of the wrong dtype or shape is rejected with a clear message."""
    msg = "Expected a frame of dtype uint8; got float32."
    with pytest.raises(ValueError, match=re.escape(msg)):
        BlazeFaceDetector().detect(np.zeros((8, 8, 3), np.float32))
    with pytest.raises(ValueError, match=re.escape("got (8, 8, 4).")):
        BlazeFaceDetector().detect(np.zeros((8, 8, 4), np.uint8))


def test_missing_litert_says_how_to_install(monkeypatch):
    """Check that without ai-edge-litert the error tells to install the 'blazeface' extra."""
    from skemotion.face import _litert

    monkeypatch.setitem(sys.modules, "ai_edge_litert", None)
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)
    monkeypatch.setattr(_litert, "_INTERPRETERS", __import__("threading").local())
    with pytest.raises(ImportError, match=re.escape("pip install skemotion[blazeface]")):
        BlazeFaceDetector().detect(np.zeros((8, 8, 3), np.uint8))


def test_litert_is_imported_lazily():
    """Check that importing skemotion.face does not import ai_edge_litert."""
    import subprocess

    code = "import sys, skemotion.face; assert 'ai_edge_litert' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
