"""BlazeFaceDetector: MediaPipe's BlazeFace models shipped in skemotion, run with LiteRT.

The two ``.tflite`` files under ``skemotion/face/data`` were copied unmodified
from the ``mediapipe==0.10.21`` wheel (Apache-2.0; see ``NOTICE-MEDIAPIPE.txt``
there). They run through ``ai-edge-litert`` (``pip install skemotion[blazeface]``);
mediapipe itself is not needed. The pre- and post-processing below (letterbox,
SSD anchors, box decoding, weighted non-maximum suppression) follows MediaPipe's
face detection graphs.
"""

import numpy as np

from ..utils import Interval, Options, validate_params
from ._detectors import FaceDetector, import_cv2
from ._litert import cached_interpreter

__all__ = ["BlazeFaceDetector"]

# MediaPipe's face_detection_{short,full}_range graphs: input size, SSD strides
# and anchors per layer (aspect ratio 1 plus, for short range, one interpolated
# scale). Anchors have a fixed unit size, so boxes decode as offsets / size.
_MODELS = {
    "full_range": {
        "file": "face_detection_full_range_sparse.tflite",
        "size": 192,
        "strides": (4,),
        "anchors_per_layer": 1,
    },
    "short_range": {
        "file": "face_detection_short_range.tflite",
        "size": 128,
        "strides": (8, 16, 16, 16),
        "anchors_per_layer": 2,
    },
}

_SCORE_CLIP = 100.0  # MediaPipe's score_clipping_thresh

def _anchors(size, strides, anchors_per_layer):
    """SSD anchor centres ``(n_anchors, 2)`` (x, y in [0, 1]), in the model's output order.

    Consecutive layers with the same stride share one grid; each cell holds
    ``anchors_per_layer`` anchors per layer (MediaPipe's SsdAnchorsCalculator with
    ``fixed_anchor_size``).
    """
    centres = []
    layer = 0
    while layer < len(strides):
        stride = strides[layer]
        n_layers = 1
        while layer + n_layers < len(strides) and strides[layer + n_layers] == stride:
            n_layers += 1
        grid = int(np.ceil(size / stride))
        yy, xx = np.meshgrid(np.arange(grid), np.arange(grid), indexing="ij")
        cells = np.column_stack([(xx.ravel() + 0.5) / grid, (yy.ravel() + 0.5) / grid])
        centres.append(np.repeat(cells, n_layers * anchors_per_layer, axis=0))
        layer += n_layers
    return np.concatenate(centres)


def _load_interpreter(model, num_threads):
    """This thread's interpreter for ``model``, with its tensor indices and anchors."""
    spec = _MODELS[model]

    def prepare(interpreter):
        (inp,) = interpreter.get_input_details()
        outputs = {int(d["shape"][-1]): d for d in interpreter.get_output_details()}
        anchors = _anchors(spec["size"], spec["strides"], spec["anchors_per_layer"])
        if sorted(outputs) != [1, 16] or any(
            int(d["shape"][1]) != len(anchors) for d in outputs.values()
        ):  # pragma: no cover - guards against a changed model file
            raise ValueError(
                f"Unexpected outputs in BlazeFace model {spec['file']!r}: "
                f"{[tuple(d['shape']) for d in outputs.values()]}; expected "
                f"(1, {len(anchors)}, 16) and (1, {len(anchors)}, 1)."
            )
        return inp["index"], outputs[16]["index"], outputs[1]["index"], anchors

    interpreter, prepared = cached_interpreter(
        spec["file"], num_threads, owner="BlazeFaceDetector", prepare=prepare
    )
    return (interpreter, *prepared)


def _to_rgb(frame):
    frame = np.asarray(frame)
    if frame.dtype != np.uint8:
        raise ValueError(f"Expected a frame of dtype uint8; got {frame.dtype}.")
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 2:
        return np.repeat(frame[:, :, None], 3, axis=2)
    if frame.ndim == 3 and frame.shape[2] == 3:
        return np.ascontiguousarray(frame)
    raise ValueError(
        f"Expected a frame of shape (height, width, 3) or (height, width); got {frame.shape}."
    )


def _weighted_nms(boxes, scores, threshold):
    """MediaPipe's weighted non-maximum suppression.

    Boxes ``(k, 4)`` are taken by decreasing score; each is replaced by the
    score-weighted mean of all remaining boxes that overlap it with IoU above
    ``threshold`` (itself included), which are then removed. The merged box keeps
    the highest score.
    """
    order = np.argsort(-scores, kind="stable")
    boxes, scores = boxes[order], scores[order]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    remaining = np.arange(len(boxes))
    out = []
    while len(remaining):
        top = remaining[0]
        rest = boxes[remaining]
        iw = np.clip(
            np.minimum(rest[:, 2], boxes[top, 2]) - np.maximum(rest[:, 0], boxes[top, 0]), 0, None
        )
        ih = np.clip(
            np.minimum(rest[:, 3], boxes[top, 3]) - np.maximum(rest[:, 1], boxes[top, 1]), 0, None
        )
        inter = iw * ih
        iou = inter / np.maximum(area[remaining] + area[top] - inter, 1e-12)
        merged = iou > threshold
        merged[0] = True
        weights = scores[remaining[merged]]
        box = (boxes[remaining[merged]] * weights[:, None]).sum(axis=0) / weights.sum()
        out.append(np.append(box, scores[top]))
        remaining = remaining[~merged]
    return np.array(out, dtype=np.float64).reshape(-1, 5)


class BlazeFaceDetector(FaceDetector):
    """MediaPipe's BlazeFace face detector, run with LiteRT (an optional extra).

    A single-shot detector (a small convolutional network with SSD anchors) from
    Google's MediaPipe. Its ``.tflite`` models ship inside skemotion (copied
    unmodified from the Apache-2.0 ``mediapipe==0.10.21`` wheel; nothing is
    downloaded), and run with ``ai-edge-litert``: install it with ``pip install
    skemotion[blazeface]``; ``mediapipe`` itself is not needed. The frame is
    letterboxed (resized to fit, padded to a square) to the model's input, the
    896 or 2304 anchor boxes are decoded, those scoring at least ``min_score``
    are kept, and overlapping boxes are merged by MediaPipe's weighted
    non-maximum suppression. The score of a box is the model's face probability.

    Parameters
    ----------
    model : {"full_range", "short_range"}, default="full_range"
        ``"full_range"``: the sparse full-range model (192x192 input, faces up
        to about 5 m from the camera). ``"short_range"``: the short-range model
        (128x128 input, faces within about 2 m, faster).
    min_score : float, default=0.5
        Smallest face probability kept, in (0, 1); larger gives fewer false
        positives and more misses.
    iou_threshold : float, default=0.3
        Boxes overlapping a more confident one with an intersection over union
        above this are merged into it.
    num_threads : int, default=1
        CPU threads LiteRT may use for one frame. One keeps results and timing
        reproducible and leaves the other cores to ``FaceCropper``'s ``n_jobs``.

    See Also
    --------
    HaarCascadeDetector : The default detector, which needs only OpenCV.
    FaceCropper : Crops or masks the tracked face in every frame of a clip.

    Notes
    -----
    Measured on the CREMA-D frames under ``../shared/data`` upscaled to
    640x480 (one thread), both models find and centre the face in every frame,
    the full-range one in about 7 ms and the short-range one in about 3 ms,
    against about 60 ms for the default :class:`HaarCascadeDetector`; see the
    user guide for the detector comparison. Its boxes are square, and a little
    lower and tighter than the Haar cascade's (brows to chin).

    The LiteRT interpreter is created on first use and cached per thread
    outside the instance, so the detector can be cloned and pickled.

    References
    ----------
    .. [1] V. Bazarevsky, Y. Kartynnik, A. Vakunov, K. Raveendran and
       M. Grundmann, "BlazeFace: Sub-millisecond Neural Face Detection on
       Mobile GPUs", CVPR Workshops 2019, arXiv:1907.05047.

    Examples
    --------
    >>> import numpy as np
    >>> from skemotion.face import BlazeFaceDetector
    >>> detector = BlazeFaceDetector(min_score=0.6)
    >>> detector
    BlazeFaceDetector(min_score=0.6)
    >>> detector.detect(np.zeros((360, 480, 3), dtype=np.uint8)).shape
    (0, 5)
    """

    def __init__(self, *, model="full_range", min_score=0.5, iou_threshold=0.3, num_threads=1):
        self.model = model
        self.min_score = min_score
        self.iou_threshold = iou_threshold
        self.num_threads = num_threads

    _parameter_constraints = {
        "model": [Options(set(_MODELS))],
        "min_score": [Interval(float, 0, 1, closed="neither")],
        "iou_threshold": [Interval(float, 0, 1, closed="left")],
        "num_threads": [Interval(int, 1, None, closed="left")],
    }

    def detect(self, frame):
        """Find faces in one frame.

        Parameters
        ----------
        frame : ndarray of shape (height, width, 3) or (height, width), dtype=uint8
            One RGB (or grayscale) frame.

        Returns
        -------
        boxes : ndarray of shape (n_faces, 5), dtype=float32
            ``x0, y0, x1, y1, score`` per face in pixels of ``frame`` (clipped to
            it), sorted by decreasing score (face probability).
        """
        validate_params(self, self.get_params(), self._parameter_constraints)
        rgb = _to_rgb(frame)
        cv2 = import_cv2()
        interpreter, input_index, boxes_index, scores_index, anchors = _load_interpreter(
            self.model, int(self.num_threads)
        )
        size = _MODELS[self.model]["size"]
        height, width = rgb.shape[:2]
        scale = size / max(height, width)
        new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        resized = cv2.resize(rgb, (new_w, new_h), interpolation=interpolation)
        pad_x, pad_y = (size - new_w) // 2, (size - new_h) // 2
        tensor = np.full((1, size, size, 3), -1.0, dtype=np.float32)
        tensor[0, pad_y : pad_y + new_h, pad_x : pad_x + new_w] = resized / np.float32(127.5) - 1
        interpreter.set_tensor(input_index, tensor)
        interpreter.invoke()
        raw = interpreter.get_tensor(boxes_index)[0].astype(np.float64)
        logits = interpreter.get_tensor(scores_index)[0, :, 0].astype(np.float64)
        scores = 1 / (1 + np.exp(-np.clip(logits, -_SCORE_CLIP, _SCORE_CLIP)))
        keep = scores >= self.min_score
        if not keep.any():
            return np.zeros((0, 5), dtype=np.float32)
        raw, scores, anchors = raw[keep], scores[keep], anchors[keep]
        # offsets in input pixels; anchors have unit size (MediaPipe's x/y/w/h_scale = size)
        cx = raw[:, 0] + anchors[:, 0] * size
        cy = raw[:, 1] + anchors[:, 1] * size
        half_w, half_h = raw[:, 2] / 2, raw[:, 3] / 2
        boxes = np.column_stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h])
        boxes = _weighted_nms(boxes, scores, float(self.iou_threshold))
        # letterboxed input pixels -> frame pixels
        boxes[:, [0, 2]] = (boxes[:, [0, 2]] - pad_x) * (width / new_w)
        boxes[:, [1, 3]] = (boxes[:, [1, 3]] - pad_y) * (height / new_h)
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, width)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, height)
        boxes = boxes[(boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])]
        return boxes.astype(np.float32)
