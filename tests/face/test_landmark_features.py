"""LandmarkFeatures: invariance to position, scale and in-plane rotation; names; pooling; errors."""

import re

import numpy as np
import pytest

from skemotion.exceptions import FaceWarning
from skemotion.face import FaceLandmarker, LandmarkFeatures, import_cv2
from skemotion.face._geometry import FEATURES, frame_features


def _similarity(points, degrees, scale, shift):
    theta = np.radians(degrees)
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return points @ turn.T * scale + shift


@pytest.fixture(scope="module")
def real_landmarks(crema_frames):
    pytest.importorskip("ai_edge_litert.interpreter", reason="FaceLandmarker needs ai-edge-litert")
    return FaceLandmarker().fit_transform(crema_frames).astype(np.float64)


def test_features_are_exactly_invariant_to_similarity_transforms(real_landmarks):
    """Check moving, scaling and turning the landmarks leaves every feature unchanged (to
    rounding): the features only see the face's own frame."""
    reference = frame_features(real_landmarks)
    assert np.isfinite(reference).all()
    for degrees, scale, shift in [(20, 1.0, (0, 0)), (-75, 0.3, (500, -40)), (180, 4.0, (-9, 9))]:
        moved = frame_features(_similarity(real_landmarks, degrees, scale, shift))
        np.testing.assert_allclose(moved, reference, atol=1e-9)


def test_features_of_a_transformed_frame_change_less_than_expressions_do(litert, crema_frames,
                                                                         real_landmarks):
    """Check features from a moved, scaled and turned video (landmarks located again) stay close.

    The landmarks themselves move when the image is resampled (about half a pixel), so the
    tolerance has two parts: 0.35 of the feature's spread over all frames of the six real clips
    (how much it varies with expression and speech), plus 0.02 eye distances (radians for
    angles) for the features that hardly vary (eye widths): half a pixel at the 26 px eye
    distance of the scaled-down face. The median change is under a tenth of that tolerance.
    """
    cv2 = import_cv2()
    pipe = LandmarkFeatures(pool=("mean",))
    reference = pipe.fit_transform(real_landmarks)
    spread = frame_features(real_landmarks).reshape(-1, len(FEATURES)).std(axis=0)
    for degrees, scale, centre in [(20, 1.0, (320, 240)), (0, 0.6, (100, 60)),
                                   (-15, 1.3, (300, 220))]:
        matrix = cv2.getRotationMatrix2D(centre, degrees, scale)
        moved = np.stack([[cv2.warpAffine(f, matrix, (640, 480)) for f in clip]
                          for clip in crema_frames])
        features = pipe.transform(FaceLandmarker().fit_transform(moved))
        relative = np.abs(features - reference) / (0.35 * spread + 0.02)
        assert relative.max() < 1, (degrees, scale, FEATURES[relative.max(axis=0).argmax()])
        assert np.median(relative) < 0.1


def test_features_respond_to_expression():
    """Check opening the mouth raises mouth_opening and mouth_aspect, and lifting the mouth
    corners raises the corner lift, on a synthetic landmark set."""
    rng = np.random.default_rng(0)
    points = rng.normal(0, 1, size=(468, 2)) + 100
    points[[33, 133, 159, 145, 7, 163, 144, 153, 154, 155, 173, 157, 158, 160, 161, 246]] = [90, 90]
    points[[263, 362, 386, 374, 249, 390, 373, 380, 381, 382, 398, 384, 385, 387, 388, 466]] = [110, 90]
    points[[61, 291, 13, 14]] = [[92, 120], [108, 120], [100, 119], [100, 121]]
    before = dict(zip(FEATURES, frame_features(points), strict=True))
    points[14] = [100, 126]  # open the mouth
    points[[61, 291]] = [[92, 117], [108, 117]]  # lift the corners
    after = dict(zip(FEATURES, frame_features(points), strict=True))
    assert after["mouth_opening"] > before["mouth_opening"] + 0.2
    assert after["mouth_aspect"] > before["mouth_aspect"]
    assert after["right_corner_lift"] > before["right_corner_lift"]
    assert after["left_corner_lift"] > before["left_corner_lift"]
    np.testing.assert_allclose(before["mouth_width"], 0.8)  # 16 px over an eye distance of 20


def test_pooling_names_and_missing_frames(real_landmarks):
    """Check pooled columns and their names, per-frame output, and that NaN frames are skipped."""
    X = real_landmarks[:3].copy()
    est = LandmarkFeatures(features=["mouth_width", "brow_gap"], pool=("mean", "max"))
    out = est.fit_transform(X)
    assert out.shape == (3, 4)
    assert est.get_feature_names_out().tolist() == [
        "mouth_width_mean", "mouth_width_max", "brow_gap_mean", "brow_gap_max"]
    per_frame = LandmarkFeatures(features=["mouth_width", "brow_gap"], pool=None).fit_transform(X)
    assert per_frame.shape == (3, 6, 2)
    np.testing.assert_allclose(out[:, 0], per_frame[:, :, 0].mean(axis=1))
    X[0, 2:] = np.nan  # landmarks not found in frames 2-5 of clip 0
    partial = est.transform(X)
    np.testing.assert_allclose(partial[0, 0], per_frame[0, :2, 0].mean())
    X[1] = np.nan
    with pytest.raises(ValueError, match=re.escape("samples [1] have no frame with landmarks")):
        est.transform(X)
    with pytest.warns(FaceWarning, match=re.escape("samples [1] have no frame with landmarks")):
        kept = est.set_params(on_empty="nan").transform(X)
    assert np.isnan(kept[1]).all() and np.isfinite(kept[[0, 2]]).all()


def test_bad_input_and_parameters_raise(real_landmarks):
    """Check wrong shapes, point counts, feature and statistic names give clear errors."""
    with pytest.raises(ValueError, match=re.escape("Add the frame axis")):
        LandmarkFeatures().fit(real_landmarks[:, 0])
    with pytest.raises(ValueError, match="Expected 468 Face Mesh landmarks"):
        LandmarkFeatures().fit(real_landmarks[:, :, :68])
    with pytest.raises(ValueError, match="Unknown or no features"):
        LandmarkFeatures(features=["smile"]).fit(real_landmarks)
    with pytest.raises(ValueError, match="Unknown or no statistics"):
        LandmarkFeatures(pool=("mode",)).fit(real_landmarks)
