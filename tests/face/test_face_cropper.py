"""Tests for FaceCropper and FaceMasker."""

import inspect
import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimator_cloneable,
    check_estimator_repr,
    check_get_params_invariance,
    check_mixin_order,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from skemotion.exceptions import NoFaceError
from skemotion.face import FaceCropper, FaceDetector, FaceMasker, HaarCascadeDetector, box_iou

ESTIMATORS = [FaceCropper, FaceMasker]


class WhiteBoxDetector(FaceDetector):
    """Oracle detector: the bounding box of pure-white (255) pixels in the red channel."""

    def __init__(self, *, calls=None):
        self.calls = calls

    def detect(self, frame):
        if self.calls is not None:
            self.calls.append(1)
        ys, xs = np.nonzero(frame[..., 0] == 255)
        if len(xs) == 0:
            return np.zeros((0, 5), np.float32)
        return np.array([[xs.min(), ys.min(), xs.max() + 1, ys.max() + 1, 1]], np.float32)


def _box_frames(boxes, size=(100, 100), fill=None):
    """(n, T, H, W, 3) frames with a random texture and a white rectangle per box (None: none)."""
    rng = np.random.default_rng(0)
    n, T = len(boxes), len(boxes[0])
    X = rng.integers(0, 200, (n, T, size[0], size[1], 3)).astype(np.uint8)
    for i in range(n):
        for t in range(T):
            if boxes[i][t] is not None:
                x0, y0, x1, y1 = boxes[i][t]
                X[i, t, y0:y1, x0:x1] = 255
    return X


# -- geometry with the oracle detector ----------------------------------------------------


def test_crop_is_the_enlarged_square_around_the_box():
    """Check that the crop is the square around the box enlarged by margin on each side."""
    X = _box_frames([[(40, 30, 60, 50)]])
    out = FaceCropper(detector=WhiteBoxDetector(), margin=0.5, size=40).fit_transform(X)
    np.testing.assert_array_equal(out[0, 0], X[0, 0, 20:60, 30:70])


def test_crop_pads_with_black_outside_the_frame():
    """Check that the part of the square outside the frame is zero and the face stays centred."""
    X = _box_frames([[(0, 0, 20, 20)]])
    out = FaceCropper(detector=WhiteBoxDetector(), margin=0.5, size=40).transform(X)
    assert (out[0, 0, :10] == 0).all() and (out[0, 0, :, :10] == 0).all()
    np.testing.assert_array_equal(out[0, 0, 10:, 10:], X[0, 0, :30, :30])


def test_crop_resizes_to_size():
    """Check that the square is resized to size x size and the face stays centred."""
    X = _box_frames([[(30, 30, 70, 70)]])
    out = FaceCropper(detector=WhiteBoxDetector(), margin=0.25, size=20).transform(X)
    assert out.shape == (1, 1, 20, 20, 3) and out.dtype == np.uint8
    # the 40-px white box inside a 60-px square is the central 2/3 of the crop
    assert (out[0, 0, 4:16, 4:16, 0] == 255).all()
    assert (out[0, 0, :2, :, 0] < 255).any()


def test_mask_mode_zeroes_outside_the_ellipse():
    """Check that mode='mask' keeps the crop inside the inscribed ellipse and zeroes the rest."""
    X = _box_frames([[(40, 30, 60, 50)]])
    crop = FaceCropper(detector=WhiteBoxDetector(), margin=0.5, size=40).transform(X)[0, 0]
    masked = FaceCropper(detector=WhiteBoxDetector(), mode="mask", margin=0.5, size=40).transform(X)[0, 0]
    yy, xx = np.mgrid[:40, :40]
    inside = ((xx + 0.5 - 20) / 20) ** 2 + ((yy + 0.5 - 20) / 20) ** 2 <= 1
    np.testing.assert_array_equal(masked[inside], crop[inside])
    assert (masked[~inside] == 0).all()
    assert (~inside).sum() > 0.15 * inside.size  # the corners really are masked


def test_face_masker_keeps_frame_geometry():
    """Check that FaceMasker keeps the frame size and pixels inside the face ellipse."""
    X = _box_frames([[(40, 30, 60, 50)], [(10, 60, 30, 90)]])
    out = FaceMasker(detector=WhiteBoxDetector(), margin=0.0).fit_transform(X)
    assert out.shape == X.shape
    yy, xx = np.mgrid[:100, :100]
    for i, (cx, cy) in enumerate([(50, 40), (20, 75)]):
        ax, ay = 10, (10 if i == 0 else 15)
        inside = ((xx + 0.5 - cx) / ax) ** 2 + ((yy + 0.5 - cy) / ay) ** 2 <= 1
        np.testing.assert_array_equal(out[i, 0][inside], X[i, 0][inside])
        assert (out[i, 0][~inside] == 0).all()


def test_output_keeps_sample_order():
    """Check that one output clip comes per input clip, in input order."""
    X = _box_frames([[(10, 10, 30, 30)], [(50, 50, 80, 80)], [(20, 60, 40, 80)]])
    cropper = FaceCropper(detector=WhiteBoxDetector(), size=16)
    out = cropper.transform(X)
    order = [2, 0, 1]
    np.testing.assert_array_equal(cropper.transform(X[order]), out[order])
    np.testing.assert_array_equal(cropper.detect(X[order]).boxes, cropper.detect(X).boxes[order])


def test_before_first_and_last_box_reuse_in_transform():
    """Check that frames before the first face get the first box and gaps reuse the last one."""
    box = (40, 30, 60, 50)
    X = _box_frames([[None, box, None]])
    cropper = FaceCropper(detector=WhiteBoxDetector(), margin=0.5, size=40)
    faces = cropper.detect(X)
    assert faces.found.tolist() == [[False, True, False]]
    assert faces.detection_rate.tolist() == [pytest.approx(1 / 3)]
    np.testing.assert_array_equal(faces.boxes[0], [box] * 3)
    out = cropper.transform(X)
    for t in range(3):
        np.testing.assert_array_equal(out[0, t], X[0, t, 20:60, 30:70])


def test_before_first_error_names_sample_and_frame():
    """Check that before_first='error' raises NoFaceError naming the sample and first face frame."""
    X = _box_frames([[(40, 30, 60, 50), (40, 30, 60, 50)], [None, (40, 30, 60, 50)]])
    cropper = FaceCropper(detector=WhiteBoxDetector(), before_first="error")
    msg = "FaceCropper: no face found before frames 1 of sample 1 (set before_first='next' or 'center' to fill them)."
    with pytest.raises(NoFaceError, match=re.escape(msg)) as err:
        cropper.transform(X)
    assert err.value.indices == [1]


def test_no_face_error_lists_every_sample():
    """Check that on_no_face='error' raises once, listing all clips without a face."""
    X = _box_frames([[None, None], [(40, 30, 60, 50), None], [None, None]])
    cropper = FaceCropper(detector=WhiteBoxDetector())
    msg = "FaceCropper: no face found in any frame of samples [0, 2] (set on_no_face='center' or 'full'"
    with pytest.raises(NoFaceError, match=re.escape(msg)) as err:
        cropper.transform(X)
    assert err.value.indices == [0, 2]
    assert isinstance(err.value, ValueError)
    # the rate is still available to drop them
    np.testing.assert_array_equal(cropper.detection_rate(X), [0.0, 0.5, 0.0])


def test_no_face_center_and_full():
    """Check the centred and full-frame fallbacks for clips without a face."""
    X = _box_frames([[None]], size=(60, 100))
    centre = FaceCropper(detector=WhiteBoxDetector(), on_no_face="center", margin=0.0, size=30)
    np.testing.assert_array_equal(centre.transform(X)[0, 0], X[0, 0, 15:45, 35:65])
    assert centre.detect(X).fallback.tolist() == ["center"]
    full = FaceCropper(detector=WhiteBoxDetector(), on_no_face="full", margin=0.5, size=100)
    out = full.transform(X)[0, 0]  # the frame padded to a 100x100 square, margin ignored
    np.testing.assert_array_equal(out[20:80], X[0, 0])
    assert (out[:20] == 0).all() and (out[80:] == 0).all()
    masker = FaceMasker(detector=WhiteBoxDetector(), on_no_face="full")
    np.testing.assert_array_equal(masker.transform(X), X)


def test_detect_every_skips_frames():
    """Check that detect_every=k runs the detector on frames 0, k, 2k... and rates over those."""
    calls = []
    X = _box_frames([[(40, 30, 60, 50)] * 5, [None, None, None, None, (40, 30, 60, 50)]])
    faces = FaceCropper(detector=WhiteBoxDetector(calls=calls), detect_every=2).detect(X)
    assert len(calls) == 2 * 3
    assert faces.found.tolist() == [[True, False, True, False, True], [False] * 4 + [True]]
    np.testing.assert_allclose(faces.detection_rate, [1.0, 1 / 3])


def test_extract_checks_boxes_shape():
    """Check that extract refuses boxes computed on another X."""
    X = _box_frames([[(40, 30, 60, 50)]])
    cropper = FaceCropper(detector=WhiteBoxDetector())
    faces = cropper.detect(X)
    msg = "Expected faces.boxes of shape (2, 1, 4) (from detect on the same X); got (1, 1, 4)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        cropper.extract(np.concatenate([X, X]), faces)


def test_grayscale_input():
    """Check that one-channel frames are cropped to one-channel output."""
    X = _box_frames([[(40, 30, 60, 50)]])[..., :1].copy()
    out = FaceCropper(detector=WhiteBoxDetector(), margin=0.5, size=40).transform(X)
    assert out.shape == (1, 1, 40, 40, 1)
    np.testing.assert_array_equal(out[0, 0], X[0, 0, 20:60, 30:70])


# -- the default Haar detector on cartoon faces --------------------------------------------


def test_haar_crop_is_centred_on_drawn_faces(faces):
    """Check that FaceCropper's boxes overlap the drawn faces and crops are centred on them."""
    X, boxes = faces
    cropper = FaceCropper(size=64, margin=0.2)
    found = cropper.detect(X)
    assert (found.detection_rate == 1).all()
    assert (box_iou(found.boxes, boxes) >= 0.5).all()
    out = cropper.extract(X, found)
    assert out.shape == (4, 3, 64, 64, 3)
    # the skin colour (225, 185, 160) in the crop is centred
    for clip in out:
        for frame in clip:
            skin = (np.abs(frame.astype(int) - [225, 185, 160]).sum(axis=2) < 40)
            ys, xs = np.nonzero(skin)
            assert abs(xs.mean() - 31.5) < 0.1 * 64 and abs(ys.mean() - 31.5) < 0.1 * 64


def test_n_jobs_gives_the_same_output(faces):
    """Check that parallel processing returns the same clips in the same order."""
    X, _ = faces
    X = X[:, :2]
    serial = FaceCropper(size=32).transform(X)
    parallel = FaceCropper(size=32, n_jobs=2).transform(X)
    np.testing.assert_array_equal(serial, parallel)


def test_parameters_are_searchable(faces):
    """Check GridSearchCV over margin, size, mode and the detector's own parameters."""
    X, _ = faces
    X = X[:, :1]
    X = np.concatenate([X, X[:, :, ::-1]])  # 8 one-frame clips: upright and upside-down faces
    y = np.array([0] * 4 + [1] * 4)
    pipe = make_pipeline(
        FaceCropper(detector=HaarCascadeDetector(), on_no_face="center"),
        FunctionTransformer(lambda Z: Z.reshape(len(Z), -1).astype(np.float32) / 255),
        LogisticRegression(max_iter=200),
    )
    grid = {
        "facecropper__size": [8],
        "facecropper__margin": [0.0, 0.3],
        "facecropper__mode": ["crop", "mask"],
        "facecropper__detector__min_neighbors": [4],
    }
    search = GridSearchCV(pipe, grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_.named_steps["facecropper"]
    assert best.detector.min_neighbors == 4 and best.size == 8
    assert pipe.named_steps["facecropper"].detector.min_neighbors == 3  # the original is untouched
    assert search.predict(X).shape == (8,)


@pytest.mark.parametrize("size", [(32, 32), [32, 32], np.int64(32)], ids=["tuple", "list", "np.int64"])
def test_square_size_has_one_meaning(size):
    """Check that a square size gives the same crop as an int, as a tuple or a list."""
    X = _box_frames([[(40, 30, 60, 50)]])
    expected = FaceCropper(detector=WhiteBoxDetector(), size=32).fit_transform(X)
    np.testing.assert_array_equal(FaceCropper(detector=WhiteBoxDetector(), size=size).fit_transform(X), expected)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_size_is_width_height_like_frame_sampler(cls):
    """Check that size=(width, height) gives frames of that width and height, face unstretched."""
    X = _box_frames([[(40, 30, 60, 50)]])  # a 20x20 white square
    out = cls(detector=WhiteBoxDetector(), size=(60, 20), margin=0.0).fit_transform(X)
    assert out.shape == (1, 1, 20, 60, 3)
    white = np.all(out[0, 0] == 255, axis=-1)
    rows, cols = np.nonzero(white)
    # The square face stays square (20x20 at scale 1), centred; context added left and right.
    assert cols.max() - cols.min() + 1 == 20 and rows.max() - rows.min() + 1 == 20
    assert abs((cols.min() + cols.max()) / 2 - 29.5) <= 1
    tall = cls(detector=WhiteBoxDetector(), size=(20, 40), margin=0.0).fit_transform(X)
    assert tall.shape == (1, 1, 40, 20, 3)


def test_tuple_sizes_in_grid_search_with_frame_sampler(synthetic_corpus):
    """Check the README's pipeline: FrameSampler and FaceCropper sizes as tuples in a grid search."""
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import Pipeline

    from skemotion.video import FrameSampler

    paths = np.asarray(synthetic_corpus.data[:8], dtype=object)
    y, groups = np.asarray(synthetic_corpus.target[:8]), np.asarray(synthetic_corpus.groups[:8])
    pipe = Pipeline([
        ("frames", FrameSampler(n_frames=2, size=(64, 64))),
        ("face", FaceCropper(size=(32, 32), on_no_face="center")),
        ("flat", FunctionTransformer(lambda Z: Z.reshape(len(Z), -1).astype(np.float32) / 255)),
        ("clf", LogisticRegression(max_iter=100)),
    ])
    grid = {"face__size": [(16, 16), 16, (24, 12)], "frames__size": [64, (64, 48)]}
    search = GridSearchCV(pipe, grid, cv=GroupKFold(2), error_score="raise")
    search.fit(paths, y, groups=groups)
    assert len(search.cv_results_["params"]) == 6
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    frames = FrameSampler(n_frames=2, size=(64, 48)).fit_transform(paths[:1])
    assert frames.shape[2:4] == (48, 64)  # (width, height) in, (height, width) axes out
    assert FaceCropper(size=(24, 12), on_no_face="center").transform(frames).shape[2:4] == (12, 24)


def test_clone_and_pickle_round_trip(faces):
    """Check that a cropper with a detector instance clones and pickles to the same output."""
    X, _ = faces
    cropper = FaceCropper(detector=HaarCascadeDetector(min_neighbors=4), size=24)
    twin = clone(cropper)
    assert twin.detector is not cropper.detector
    assert twin.detector.get_params() == cropper.detector.get_params()
    restored = pickle.loads(pickle.dumps(cropper))
    np.testing.assert_array_equal(restored.transform(X[:1]), cropper.transform(X[:1]))
    assert cropper.fit(X) is cropper


# -- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, msg",
    [
        ({"mode": "blur"}, "The 'mode' parameter of FaceCropper must be a str among {'crop', 'mask'}. Got 'blur' instead."),
        ({"size": 0}, "The 'size' parameter of FaceCropper must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got 0 instead."),
        ({"size": (32, 0)}, "The 'size' parameter of FaceCropper must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got (32, 0) instead."),
        ({"size": (32, 32, 3)}, "The 'size' parameter of FaceCropper must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got (32, 32, 3) instead."),
        ({"size": "32"}, "The 'size' parameter of FaceCropper must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) or None. Got '32' instead."),
        ({"size": None}, "The 'size' parameter of FaceCropper must be an int in the range [1, inf), a (width, height) pair of ints in the range [1, inf) when mode='crop'"),
        ({"margin": -0.1}, "The 'margin' parameter of FaceCropper must be a float in the range [0, inf). Got -0.1 instead."),
        ({"smoothing": 1.0}, "The 'smoothing' parameter of FaceCropper must be a float in the range [0, 1). Got 1.0 instead."),
        ({"detect_every": 0}, "The 'detect_every' parameter of FaceCropper must be an int in the range [1, inf). Got 0 instead."),
        ({"before_first": "prev"}, "The 'before_first' parameter of FaceCropper must be a str among {'center', 'error', 'next'}. Got 'prev' instead."),
        ({"on_no_face": "skip"}, "The 'on_no_face' parameter of FaceCropper must be a str among {'center', 'error', 'full'}. Got 'skip' instead."),
        ({"verbose": -1}, "The 'verbose' parameter of FaceCropper must be an instance of 'bool' or an int in the range [0, inf). Got -1 instead."),
        ({"detector": "yunet"}, "The 'detector' parameter of FaceCropper must be a str among {'blazeface', 'haar'} or an instance of 'FaceDetector'. Got 'yunet' instead."),
    ],
)
def test_bad_parameters_raise_in_fit_and_transform(params, msg):
    """Check that each bad parameter is reported in fit, transform and detect."""
    X = _box_frames([[(40, 30, 60, 50)]])
    cropper = FaceCropper(**params)
    for method in (cropper.fit, cropper.transform, cropper.detect):
        with pytest.raises(ValueError, match=re.escape(msg)):
            method(X)


@pytest.mark.parametrize(
    "output", [np.zeros((1, 4)), np.zeros(5), np.array([[0, 0, np.nan, 4, 1]])], ids=str
)
def test_bad_detector_output_is_reported(output):
    """Check that a plugged-in detector breaking the (k, 5) contract is named in the error."""

    class Broken(FaceDetector):
        def detect(self, frame):
            return output

    msg = "Broken.detect must return a finite array of shape (n_faces, 5) (x0, y0, x1, y1, score)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        FaceCropper(detector=Broken()).transform(np.zeros((1, 1, 8, 8, 3), np.uint8))


def test_face_masker_has_no_mode_parameter():
    """Check that FaceMasker always masks and does not expose mode."""
    assert "mode" not in FaceMasker().get_params()
    assert isinstance(FaceMasker(), FaceCropper)
    with pytest.raises(ValueError, match=re.escape("Invalid parameter 'mode' for estimator")):
        FaceMasker().set_params(mode="crop")


@pytest.mark.parametrize(
    "X, msg",
    [
        (np.zeros((2, 3, 8, 8), np.uint8), "Expected X of shape (n_samples, n_frames, height, width, 3); got (2, 3, 8, 8)."),
        (np.zeros((1, 2, 8, 8, 4), np.uint8), "Expected X of shape (n_samples, n_frames, height, width, 3); got (1, 2, 8, 8, 4)."),
        (np.zeros((1, 2, 8, 8, 3), np.float32), "Expected X of dtype uint8 (frames as read by skemotion.io.read_frames); got float32."),
        (np.zeros((1, 0, 8, 8, 3), np.uint8), "Expected X of shape (n_samples, n_frames, height, width, 3) with no empty axis; got (1, 0, 8, 8, 3)."),
        ("clip.mp4", "Expected X to be an ndarray of shape (n_samples, n_frames, height, width, 3), dtype=uint8; got str."),
    ],
)
def test_bad_X_raises(X, msg):
    """Check that wrong shapes, dtypes and types are rejected with the expected layout."""
    with pytest.raises(ValueError, match=re.escape(msg)):
        FaceCropper().transform(X)


# -- sklearn API ---------------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", ESTIMATORS)
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
    ],
    ids=lambda c: getattr(c, "__name__", str(c)),
)
def test_sklearn_api_checks(Estimator, check):
    """Check the data-free scikit-learn API checks that apply to 5-D media input."""
    check(Estimator.__name__, Estimator())


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_stateless_tags(Estimator):
    """Check that the tags say what the transformer does: no fit needed, uint8 kept, 5-D input."""
    tags = Estimator().__sklearn_tags__()
    assert tags.requires_fit is False
    assert tags.transformer_tags.preserves_dtype == ["uint8"]
    assert tags.input_tags.two_d_array is False


@pytest.mark.parametrize("obj", ESTIMATORS + [HaarCascadeDetector])
def test_docstring_lists_every_parameter(obj):
    """Check that the numpydoc Parameters section documents exactly the __init__ parameters."""
    from numpydoc.docscrape import ClassDoc

    documented = [p.name for p in ClassDoc(obj)["Parameters"]]
    params = [p for p in inspect.signature(obj.__init__).parameters if p != "self"]
    assert documented == params


# -- the synthetic corpus and real faces ---------------------------------------------------


def test_finds_the_face_in_the_synthetic_corpus(synthetic_corpus):
    """Check that the tracked boxes overlap the corpus's known face boxes (IoU)."""
    from skemotion.io import read_frames

    X = np.stack([read_frames(p) for p in synthetic_corpus.data[:8]])
    truth = synthetic_corpus.face_boxes[:8]
    faces = FaceCropper(smoothing=0.0, on_no_face="center").detect(X)
    assert faces.detection_rate.mean() >= 0.9, faces.detection_rate
    iou = box_iou(faces.boxes, truth)
    assert np.median(iou[faces.found]) >= 0.5
    assert (np.median(iou, axis=1) >= 0.5).all()


@pytest.mark.slow
def test_finds_and_centres_real_faces(shared_data):
    """Check detection rate >= 0.9 and crops centred on the face in real CREMA-D clips.

    Hand-labelled on these clips (actor 1001, 480x360, the head barely moves):
    eyes near (190, 120) and (240, 120), mouth near (215, 175), face midline x ~ 215.
    """
    from skemotion.io import read_frames

    paths = sorted((shared_data / "crema-d" / "VideoFlash").glob("*.flv"))
    assert len(paths) >= 6
    X = np.stack([read_frames(p, n_frames=8) for p in paths])
    cropper = FaceCropper(size=64, margin=0.2)
    faces = cropper.detect(X)
    assert (faces.detection_rate >= 0.9).all(), faces.detection_rate
    boxes = faces.boxes.reshape(-1, 4)
    side = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) * 1.4
    cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    assert np.all(np.abs(cx - 215) < 0.1 * side)
    for px, py in [(190, 120), (240, 120), (215, 175)]:  # landmarks well inside the crop
        assert np.all(np.abs(px - cx) < 0.35 * side) and np.all(np.abs(py - cy) < 0.35 * side)
    assert np.all((side > 100) & (side < 260))
    out = cropper.extract(X, faces)
    assert out.shape == (6, 8, 64, 64, 3)
    # green-screen background (G >> R) is rare in the central half of the crops
    centre = out[:, :, 16:48, 16:48].astype(int)
    green = (centre[..., 1] - centre[..., 0]) > 40
    assert green.mean() < 0.05


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_verbose_shows_a_progress_bar_on_stderr(cls, capsys):
    """Check that verbose=1 draws a tqdm bar of the clips on stderr, and verbose=0 nothing."""
    X = _box_frames([[(40, 30, 60, 50)]] * 3)
    quiet = cls(detector=WhiteBoxDetector(), size=16).fit_transform(X)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    loud = cls(detector=WhiteBoxDetector(), size=16, verbose=1).fit_transform(X)
    captured = capsys.readouterr()
    assert cls.__name__ in captured.err and "3/3" in captured.err
    assert captured.out == ""
    np.testing.assert_array_equal(loud, quiet)
