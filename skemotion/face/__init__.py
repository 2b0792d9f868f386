"""Face detection, tracking, cropping and masking for video frames.

Uses OpenCV, a dependency of skemotion; the default detector's model (OpenCV's
Haar cascade) ships inside the OpenCV wheel, so nothing is downloaded.
The faster optional ``BlazeFaceDetector`` runs MediaPipe's BlazeFace models,
which ship inside skemotion, with LiteRT (``pip install skemotion[blazeface]``).
"""

from ._blazeface import BlazeFaceDetector
from ._cropper import FaceCropper, FaceMasker
from ._detectors import FaceDetector, HaarCascadeDetector, import_cv2
from ._registry import get_detector
from ._tracking import box_iou, center_box, track_boxes

__all__ = [
    "BlazeFaceDetector",
    "FaceCropper",
    "FaceDetector",
    "FaceMasker",
    "HaarCascadeDetector",
    "box_iou",
    "center_box",
    "get_detector",
    "import_cv2",
    "track_boxes",
]
