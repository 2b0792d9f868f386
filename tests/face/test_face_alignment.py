"""FaceCropper / FaceMasker with align=True and mask_shape="hull" (landmark geometry)."""

import re
import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skemotion.exceptions import FaceWarning
from skemotion.face import FaceCropper, FaceLandmarker, FaceMasker, eye_centres, import_cv2
from skemotion.face._align import alignment_matrix
from skemotion.face._testing import draw_faces


def _turn(X, degrees, scale=1.0):
    """Rotate (counter-clockwise) and scale every frame about its centre."""
    cv2 = import_cv2()
    height, width = X.shape[2:4]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, scale)
    return np.stack([[cv2.warpAffine(f, matrix, (width, height)) for f in clip] for clip in X])


def _eye_line(X):
    """Eye-line angles (degrees) and eye distances (pixels), from a fresh landmark run."""
    right, left = eye_centres(FaceLandmarker().fit_transform(X))
    d = left - right
    return np.degrees(np.arctan2(d[..., 1], d[..., 0])), np.hypot(d[..., 0], d[..., 1])


@pytest.mark.parametrize("degrees", [20, -20])
def test_alignment_levels_a_turned_real_face(litert, crema_frames, degrees):
    """Check a real face turned by 20 degrees comes out with level eyes (under 3 degrees) at the
    requested eye distance (within 3 %), measured by locating the landmarks again."""
    turned = _turn(crema_frames[:3, :3], degrees)
    before, _ = _eye_line(turned)
    assert (np.abs(before) > 15).all()  # the input really is turned
    out = FaceCropper(size=112, align=True, eye_distance=0.3).fit_transform(turned)
    angle, distance = _eye_line(out)
    assert np.abs(angle).max() < 3
    np.testing.assert_allclose(distance / 112, 0.3, rtol=0.03)
    # without alignment the crop keeps the tilt
    tilted, _ = _eye_line(FaceCropper(size=112).fit_transform(turned))
    assert (np.abs(tilted) > 15).all()


def test_alignment_on_drawn_faces_puts_the_eyes_where_asked(litert):
    """Check turned cartoon faces come out with level eyes, centred, at the requested distance."""
    X, _ = draw_faces(n_samples=3, n_frames=2, size=(200, 200), random_state=0)
    out = FaceCropper(size=128, align=True, eye_distance=0.35,
                      detector="blazeface").fit_transform(_turn(X, 20))
    right, left = eye_centres(FaceLandmarker().fit_transform(out))
    angle = np.degrees(np.arctan2(left[..., 1] - right[..., 1], left[..., 0] - right[..., 0]))
    assert np.abs(angle).max() < 3
    np.testing.assert_allclose(np.linalg.norm(left - right, axis=-1) / 128, 0.35, rtol=0.05)
    np.testing.assert_allclose((left[..., 0] + right[..., 0]) / 2, 64, atol=3)


def test_alignment_matrix_is_exact_on_given_landmarks(litert, crema_frames):
    """Check the transform maps the eye centres exactly to level points eye_distance apart, on
    the vertical centre line, for a face turned by any angle."""
    points = FaceLandmarker().fit_transform(crema_frames[:1, :1])[0, 0].astype(np.float64)
    for degrees in (0, 20, -35, 90):
        theta = np.radians(degrees)
        turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
        turned = points @ turn.T * 1.7 + [30, -12]
        matrix = alignment_matrix(turned, (100, 80), eye_distance=0.4)
        right, left = eye_centres(turned @ matrix[:, :2].T + matrix[:, 2])
        np.testing.assert_allclose(right[1], left[1], atol=1e-9)
        np.testing.assert_allclose(left[0] - right[0], 40, rtol=1e-9)
        np.testing.assert_allclose((left[0] + right[0]) / 2, 50, rtol=1e-9)


def test_margin_sets_the_scale_without_eye_distance(litert, crema_frames):
    """Check a larger margin makes the aligned face smaller, by the expected factor."""
    X = crema_frames[:2, :2]
    _, tight = _eye_line(FaceCropper(size=160, align=True, margin=0.1).fit_transform(X))
    _, loose = _eye_line(FaceCropper(size=160, align=True, margin=0.3).fit_transform(X))
    np.testing.assert_allclose(tight / loose, 1.6 / 1.2, rtol=0.05)


def test_hull_mask_leaves_the_background_at_the_fill_value(litert, crema_frames):
    """Check mask_shape='hull' sets every pixel outside the landmark hull to `fill` and keeps
    the face's pixels."""
    cv2 = import_cv2()
    X = crema_frames[:2, :2]
    masker = FaceMasker(mask_shape="hull", fill=7)
    out = masker.fit_transform(X)
    assert out.shape == X.shape
    landmarks = masker.detect(X).landmarks
    for i in range(2):
        for t in range(2):
            hull = cv2.convexHull(landmarks[i, t].astype(np.float32))
            yy, xx = np.mgrid[0:480:7, 0:640:7]
            for x, y in zip(xx.ravel(), yy.ravel(), strict=True):
                inside = cv2.pointPolygonTest(hull, (float(x), float(y)), True)
                if inside < -1:  # clearly outside
                    assert (out[i, t, y, x] == 7).all()
                elif inside > 1:  # clearly inside
                    assert (out[i, t, y, x] == X[i, t, y, x]).all()
    # the hull is the face: about a tenth of the frame here, far less than the frame
    share = (out != 7).any(axis=-1).mean()
    assert 0.03 < share < 0.3


def test_aligned_hull_mask_on_a_crop(litert, crema_frames):
    """Check align + hull on a crop: the corners are fill, the centre (the nose) is the face."""
    out = FaceCropper(size=64, align=True, mode="mask", mask_shape="hull",
                      fill=255).fit_transform(crema_frames[:2, :2])
    assert out.shape == (2, 2, 64, 64, 3)
    assert (out[:, :, [0, 0, -1, -1], [0, -1, 0, -1]] == 255).all()
    assert (out[:, :, 32, 32] < 250).any(axis=-1).all()


def test_clips_without_landmarks_fall_back_to_the_box_with_a_warning(litert):
    """Check a clip without a face is cropped by its fallback box, with a FaceWarning naming it,
    while the other clips are aligned."""
    X, _ = draw_faces(n_samples=3, n_frames=2, size=(160, 160), random_state=0)
    X[1] = 40
    aligned = FaceCropper(size=48, align=True, on_no_face="center")
    with pytest.warns(FaceWarning, match=re.escape("no face landmarks found in samples [1]")):
        out = aligned.fit_transform(X)
    box_only = FaceCropper(size=48, on_no_face="center").fit_transform(X)
    np.testing.assert_array_equal(out[1], box_only[1])
    assert not np.array_equal(out[0], box_only[0])


def test_box_path_is_unchanged_and_hull_needs_mask_mode(faces):
    """Check the default crop is untouched by the new parameters, fill works on the box path
    and mask_shape='hull' with mode='crop' is refused."""
    X, _ = faces
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        default = FaceCropper(size=32, mode="mask").fit_transform(X)
        filled = FaceCropper(size=32, mode="mask", fill=9).fit_transform(X)
    background = default == 0
    assert background.any()
    assert (filled[background.all(axis=-1)] == 9).all()
    with pytest.raises(ValueError, match=re.escape("mask_shape='hull') masks the background")):
        FaceCropper(mask_shape="hull").fit(X)


def test_heavy_reduction_and_gray_frames(litert, crema_frames):
    """Check a full HD frame reduced to a 48 px aligned face matches the same face from the
    small original (area-averaged, not aliased), and one-channel frames stay one channel."""
    cv2 = import_cv2()
    small = crema_frames[:1, :2]
    hd = np.stack([[cv2.resize(f, (1920, 1440), interpolation=cv2.INTER_CUBIC) for f in clip]
                   for clip in small])
    cropper = FaceCropper(size=48, align=True, eye_distance=0.35)
    a, b = cropper.fit_transform(small).astype(float), cropper.fit_transform(hd).astype(float)
    assert np.abs(a - b).mean() < 6  # of 255: the same face, slightly sharper from HD
    gray = small.mean(axis=-1, keepdims=True).astype(np.uint8)
    assert cropper.fit_transform(gray).shape == (1, 2, 48, 48, 1)


def test_alignment_parameters_are_searchable(litert):
    """Check GridSearchCV reaches align, eye_distance, mask_shape and landmarker__ parameters."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, _ = draw_faces(n_samples=8, n_frames=2, size=(128, 128), random_state=0)
    y = np.array([0, 1] * 4)
    pipe = Pipeline([
        ("face", FaceMasker(size=24, landmarker=FaceLandmarker(), on_no_face="center")),
        ("flat", FunctionTransformer(lambda Z: Z.reshape(len(Z), -1) / 255.0)),
        ("clf", LogisticRegression(max_iter=1000)),
    ])
    grid = {"face__align": [True], "face__eye_distance": [None, 0.3],
            "face__mask_shape": ["ellipse", "hull"], "face__landmarker__min_presence": [0.6]}
    search = GridSearchCV(pipe, grid, cv=2, error_score="raise").fit(X, y)
    assert len(search.cv_results_["params"]) == 4
