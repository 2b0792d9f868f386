"""Face detection, tracking, cropping and masking for video frames.

Uses OpenCV, a dependency of skemotion; the default detector's model (OpenCV's
Haar cascade) ships inside the OpenCV wheel, so nothing is downloaded.
The faster optional ``BlazeFaceDetector`` and the ``FaceLandmarker`` (alignment,
landmark masks, ``LandmarkFeatures``) run MediaPipe's models, which ship inside
skemotion, with LiteRT (``pip install skemotion[blazeface]``).
"""

from ._blazeface import BlazeFaceDetector
from ._cropper import FaceCropper, FaceMasker
from ._detectors import FaceDetector, HaarCascadeDetector, import_cv2
from ._geometry import LandmarkFeatures
from ._landmarks import MESH_REGIONS, FaceLandmarker, eye_centres
from ._litert import has_litert
from ._registry import get_detector
from ._tracking import box_iou, center_box, track_boxes

__all__ = [
    "BlazeFaceDetector",
    "FaceCropper",
    "FaceDetector",
    "FaceLandmarker",
    "FaceMasker",
    "HaarCascadeDetector",
    "LandmarkFeatures",
    "MESH_REGIONS",
    "box_iou",
    "center_box",
    "eye_centres",
    "get_detector",
    "has_litert",
    "import_cv2",
    "track_boxes",
]
