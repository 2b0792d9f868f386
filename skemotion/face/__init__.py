"""Face detection, tracking, cropping and masking for video frames.

Needs OpenCV (``pip install skemotion[face]``); the default detector's model
(OpenCV's Haar cascade) ships inside the OpenCV wheel, so nothing is downloaded.
"""

from ._cropper import FaceCropper, FaceMasker
from ._detectors import FaceDetector, HaarCascadeDetector, get_detector, import_cv2
from ._tracking import box_iou, center_box, track_boxes

__all__ = [
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
