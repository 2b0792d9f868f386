"""FaceLandmarker on real (CREMA-D) and drawn faces: geometry, tracking, errors, threads."""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone

from skemotion.exceptions import NoFaceError
from skemotion.face import (
    MESH_REGIONS,
    BlazeFaceDetector,
    FaceCropper,
    FaceDetector,
    FaceLandmarker,
    HaarCascadeDetector,
    eye_centres,
)
from skemotion.face._landmarks import CHIN, MOUTH_LEFT, MOUTH_RIGHT, NOSE_TIP
from skemotion.face._testing import draw_faces


class CountingDetector(FaceDetector):
    """BlazeFace that counts its calls (class-level, so clones share the count)."""

    calls = 0

    def detect(self, frame):
        type(self).calls += 1
        return BlazeFaceDetector().detect(frame)


def _parts(points):
    right, left = eye_centres(points)
    return right, left, points[..., NOSE_TIP, :2], points[..., MOUTH_RIGHT, :2], \
        points[..., MOUTH_LEFT, :2], points[..., CHIN, :2]


def _assert_face_geometry(points):
    """Eyes above the nose tip above the mouth above the chin; right parts left of left ones."""
    right, left, nose, mouth_r, mouth_l, chin = _parts(points)
    mouth = (mouth_r + mouth_l) / 2
    assert (right[..., 0] < nose[..., 0]).all() and (nose[..., 0] < left[..., 0]).all()
    assert (mouth_r[..., 0] < mouth_l[..., 0]).all()
    eyes_y = (right[..., 1] + left[..., 1]) / 2
    assert (eyes_y < nose[..., 1]).all() and (nose[..., 1] < mouth[..., 1]).all()
    assert (mouth[..., 1] < chin[..., 1]).all()


@pytest.mark.parametrize("detector", [BlazeFaceDetector(), HaarCascadeDetector()],
                         ids=["blazeface", "haar"])
def test_landmarks_on_real_faces_fall_inside_the_box_in_order(litert, crema_frames, detector):
    """Check every real CREMA-D frame gets landmarks whose eyes, nose and mouth lie in the
    detector's box, in the order of a face."""
    faces = FaceLandmarker(detector=detector).locate(crema_frames)
    assert faces.found.all() and faces.landmarks.shape == crema_frames.shape[:2] + (468, 2)
    assert (faces.presence > 0.9).all()
    points = faces.landmarks.astype(np.float64)
    _assert_face_geometry(points)
    for clip, clip_points in zip(crema_frames, points, strict=True):
        for frame, frame_points in zip(clip, clip_points, strict=True):
            x0, y0, x1, y1 = detector.detect(frame)[0, :4]
            for part in _parts(frame_points)[:5]:  # eyes, nose, mouth corners
                assert x0 <= part[0] <= x1 and y0 <= part[1] <= y1
    # eye distance of an adult face at this size: 40-50 px (the face box is about 150 px)
    right, left = eye_centres(points)
    assert 35 < np.linalg.norm(left - right, axis=-1).min() < 60


def test_landmarks_on_drawn_faces_match_the_drawing(litert):
    """Check the landmarks of cartoon faces land on the drawn eyes, nose and mouth."""
    X, boxes = draw_faces(n_samples=4, n_frames=3, size=(160, 160), random_state=0)
    faces = FaceLandmarker().locate(X)
    assert faces.found.all()
    points = faces.landmarks.astype(np.float64)
    _assert_face_geometry(points)
    fw, fh = boxes[..., 2] - boxes[..., 0], boxes[..., 3] - boxes[..., 1]
    cx, cy = (boxes[..., 0] + boxes[..., 2]) / 2, (boxes[..., 1] + boxes[..., 3]) / 2
    right, left, nose, *_ = _parts(points)
    # draw_face puts the eyes at (cx -+ 0.2 fw, cy - 0.12 fh) and the nose at (cx, cy + 0.07 fh)
    np.testing.assert_allclose(right, np.stack([cx - 0.2 * fw, cy - 0.12 * fh], -1),
                               atol=0.06 * fw.max())
    np.testing.assert_allclose(left, np.stack([cx + 0.2 * fw, cy - 0.12 * fh], -1),
                               atol=0.06 * fw.max())
    np.testing.assert_allclose(nose, np.stack([cx, cy + 0.07 * fh], -1), atol=0.08 * fw.max())


def test_landmarks_on_the_synthetic_corpus(litert, synthetic_corpus):
    """Check the rendered faces of make_synthetic_expressions get landmarks in every frame."""
    from skemotion.video import FrameSampler

    X = FrameSampler(n_frames=3, size=(128, 128)).fit_transform(synthetic_corpus.data[:4])
    faces = FaceLandmarker().locate(X)
    assert faces.found.all()
    _assert_face_geometry(faces.landmarks.astype(np.float64))


@pytest.mark.parametrize("margin", [0.0, 0.2])
def test_landmarks_on_48_px_gray_face_crops(litert, crema_frames, margin):
    """Check tight 48x48 grayscale face crops (FER-style images, where the full-range detector
    misses the frame-filling face) get landmarks in the order of a face, from the whole-frame
    fallback region."""
    crops = FaceCropper(size=48, margin=margin, detector="blazeface").fit_transform(
        crema_frames[:, :3])
    gray = crops.mean(axis=-1, keepdims=True).astype(np.uint8)
    faces = FaceLandmarker().locate(gray)
    assert faces.found.all()
    _assert_face_geometry(faces.landmarks.astype(np.float64))
    right, left = eye_centres(faces.landmarks)
    assert (np.linalg.norm(left - right, axis=-1) > 10).all()  # a face filling the crop


def test_regions_are_disjoint_valid_indices():
    """Check MESH_REGIONS indexes the 468 points and the eye/brow/lip regions do not overlap."""
    seen = set()
    for name in ("right_eye", "left_eye", "right_brow", "left_brow", "lips"):
        indices = set(MESH_REGIONS[name])
        assert indices <= set(range(468)) and not indices & seen, name
        seen |= indices


def test_tracking_runs_the_detector_only_when_the_face_is_lost(litert):
    """Check the detector runs on the first frame and again after the face disappears, and that
    transform carries the last landmarks over the faceless frames."""
    X, _ = draw_faces(n_samples=1, n_frames=8, size=(160, 160), random_state=1)
    X[0, 3:5] = 90  # the face leaves for two frames
    CountingDetector.calls = 0
    landmarker = FaceLandmarker(detector=CountingDetector())
    faces = landmarker.locate(X)
    assert faces.found[0].tolist() == [True, True, True, False, False, True, True, True]
    assert np.isnan(faces.landmarks[0, 3:5]).all() and (faces.presence[0, 3:5] < 0.5).all()
    # frame 0, then frames 3 and 4 (no face) and 5 (found again): never while tracking holds
    assert CountingDetector.calls == 4
    filled = landmarker.transform(X)
    np.testing.assert_array_equal(filled[0, 3], faces.landmarks[0, 2])
    np.testing.assert_array_equal(filled[0, 5], faces.landmarks[0, 5])


def test_frames_before_the_first_face_take_the_first_landmarks(litert):
    """Check frames before the face appears get its first landmarks (as boxes are back-filled)."""
    X, _ = draw_faces(n_samples=1, n_frames=4, size=(160, 160), random_state=2)
    X[0, :2] = 90
    faces = FaceLandmarker().locate(X)
    assert faces.found[0].tolist() == [False, False, True, True]
    np.testing.assert_array_equal(FaceLandmarker().transform(X)[0, 0], faces.landmarks[0, 2])


def test_given_boxes_replace_the_detector(litert):
    """Check landmarks start from given boxes without running the detector, and a NaN box (the
    whole frame is then tried) gives no landmarks on a blank frame."""
    X, boxes = draw_faces(n_samples=2, n_frames=2, size=(160, 160), random_state=0)
    X[1] = 90
    CountingDetector.calls = 0
    landmarker = FaceLandmarker(detector=CountingDetector())
    given = boxes.copy()
    given[1] = np.nan
    faces = landmarker.locate(X, boxes=given)
    assert CountingDetector.calls == 0
    assert faces.found.tolist() == [[True, True], [False, False]]
    with pytest.raises(ValueError, match=re.escape("Expected boxes of shape (2, 2, 4)")):
        landmarker.locate(X, boxes=boxes[:, :1])


def test_no_face_raises_naming_the_samples_or_gives_nan(litert):
    """Check clips without any face raise a NoFaceError listing them, or stay NaN on request."""
    X, _ = draw_faces(n_samples=3, n_frames=2, size=(160, 160), random_state=0)
    X[[0, 2]] = 0
    with pytest.raises(NoFaceError, match=re.escape("samples [0, 2]")) as info:
        FaceLandmarker().fit_transform(X)
    assert info.value.indices == [0, 2]
    out = FaceLandmarker(on_no_face="nan").fit_transform(X)
    assert np.isnan(out[[0, 2]]).all() and not np.isnan(out[1]).any()


def test_bad_input_raises(litert):
    """Check wrong shapes, dtypes and parameters are refused with a clear message."""
    with pytest.raises(ValueError, match="of dtype uint8"):
        FaceLandmarker().fit(np.zeros((1, 2, 32, 32, 3), np.float32))
    with pytest.raises(ValueError, match=re.escape("(n_samples, n_frames, height, width, 3)")):
        FaceLandmarker().fit(np.zeros((2, 32, 32, 3), np.uint8))
    with pytest.raises(ValueError, match="min_presence"):
        FaceLandmarker(min_presence=1.5).fit(np.zeros((1, 1, 8, 8, 3), np.uint8))


def test_3d_landmarks_gray_frames_threads_and_pickle(litert, faces):
    """Check n_dims=3, one-channel frames, n_jobs=2, clone and pickle give consistent results."""
    X, _ = draw_faces(n_samples=3, n_frames=2, size=(160, 160), random_state=3)
    reference = FaceLandmarker().fit_transform(X)
    three = FaceLandmarker(n_dims=3).fit_transform(X)
    assert three.shape == (3, 2, 468, 3)
    np.testing.assert_array_equal(three[..., :2], reference)
    np.testing.assert_array_equal(FaceLandmarker(n_jobs=2).fit_transform(X), reference)
    landmarker = pickle.loads(pickle.dumps(clone(FaceLandmarker(min_presence=0.6))))
    assert landmarker.min_presence == 0.6
    gray = X.mean(axis=-1, keepdims=True).astype(np.uint8)
    assert FaceLandmarker().locate(gray).found.all()


def test_missing_litert_says_how_to_install(monkeypatch):
    """Check that without ai-edge-litert the error names FaceLandmarker and the extra."""
    import sys
    import threading

    from skemotion.face import _litert

    monkeypatch.setitem(sys.modules, "ai_edge_litert", None)
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)
    monkeypatch.setattr(_litert, "_INTERPRETERS", threading.local())
    X, boxes = draw_faces(n_samples=1, n_frames=1, size=(96, 96), random_state=0)
    with pytest.raises(ImportError, match=re.escape("FaceLandmarker needs the LiteRT runtime")):
        FaceLandmarker().locate(X, boxes=boxes)
