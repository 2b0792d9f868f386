"""Benchmark: FaceCropper speed (frames/s) and detection rate on 640x480 frames.

Frames are the real CREMA-D clips under ``../shared/data/crema-d/VideoFlash``
(480x360, upscaled to 640x480 by ffmpeg through ``skemotion.io.read_frames``),
or, when that folder is absent, cartoon faces drawn at 640x480. Each row is
measured in the same process, single-threaded (OpenCV and BLAS limited to one
thread), after one warm-up frame:

- reference: ``cv2.CascadeClassifier.detectMultiScale`` on the full-size
  grayscale frame with OpenCV's default settings (how the cascade is usually
  called by hand);
- HaarCascadeDetector with several ``working_size`` values and cascades;
- BlazeFaceDetector (both models, one LiteRT thread), when ``ai-edge-litert``
  is installed (``pip install skemotion[blazeface]``);
- the whole FaceCropper transform (detect, track, crop to 112x112), with
  ``detect_every`` 1 and 3;
- with LiteRT: FaceLandmarker (468 Face Mesh landmarks; one model call from a
  BlazeFace box, and the tracked transform, which runs the detector only when the
  face is lost), and FaceCropper with ``align=True`` and a landmark-hull mask.

Prints CPU and wall ms/frame, frames/s (from CPU time), the speed ratio to the reference and the fraction of
frames with a face (and, on real data, whether the box lies on the hand-labelled
face: centre within 25 px of (215, 135) in 480x360 pixels, scaled to 640x480).

Usage::

    python benchmarks/bench_face.py                 # 6 clips x 20 frames
    python benchmarks/bench_face.py --n-frames 60   # more frames per clip
"""

import argparse
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from skemotion.face import (
    BlazeFaceDetector,
    FaceCropper,
    FaceLandmarker,
    HaarCascadeDetector,
    import_cv2,
)
from skemotion.face._testing import draw_faces

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "crema-d" / "VideoFlash"
SIZE = (640, 480)  # width, height
FACE_CENTRE = (215 * 640 / 480, 135 * 480 / 360)  # hand-labelled, actor 1001, scaled to 640x480


def load_frames(n_frames):
    """(n_clips, n_frames, 480, 640, 3) uint8 and a label saying where they come from."""
    paths = sorted(SHARED.glob("*.flv"))
    if paths:
        from skemotion.io import read_frames

        X = np.stack([read_frames(p, n_frames=n_frames, size=SIZE) for p in paths])
        return X, f"real: {len(paths)} CREMA-D clips x {n_frames} frames, upscaled to 640x480"
    X, _ = draw_faces(n_samples=6, n_frames=n_frames, size=SIZE[::-1], random_state=0)
    return X, f"synthetic: 6 cartoon clips x {n_frames} frames at 640x480 (no shared data)"


def time_per_frame(func, frames):
    """(wall seconds, CPU seconds) per frame and the outputs."""
    func(frames[0])  # warm-up (loads the cascade)
    wall, cpu = time.perf_counter(), time.process_time()
    out = [func(f) for f in frames]
    n = len(frames)
    return ((time.perf_counter() - wall) / n, (time.process_time() - cpu) / n), out


def on_face(box, real):
    if not real or box is None:
        return np.nan
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return float(np.hypot(cx - FACE_CENTRE[0], cy - FACE_CENTRE[1]) < 25 * 640 / 480)


def _clip_seconds(func, X):
    """(wall, CPU) seconds per frame of ``func(X)`` after a one-frame warm-up, and its output."""
    func(X[:1, :1])
    wall, cpu = time.perf_counter(), time.process_time()
    out = func(X)
    n = X.shape[0] * X.shape[1]
    return ((time.perf_counter() - wall) / n, (time.process_time() - cpu) / n), out


def _landmark_boxes(landmarks):
    """Bounding box of each frame's landmarks (for the 'on face' column)."""
    points = landmarks.reshape(-1, *landmarks.shape[2:])
    return [None if np.isnan(p).any() else [*p.min(axis=0), *p.max(axis=0)] for p in points]


def landmark_rows(X, frames, cv2):
    """FaceLandmarker and aligned FaceCropper rows."""
    from skemotion.face._landmarks import _roi_from_box, _run_model

    detector = BlazeFaceDetector()
    boxes = [detector.detect(f) for f in frames]

    def one_call(i):
        if not len(boxes[i]):
            return None
        points, _ = _run_model(frames[i], _roi_from_box(boxes[i][0]), cv2)
        return [*points[:, :2].min(axis=0), *points[:, :2].max(axis=0)]

    seconds, out = time_per_frame(one_call, list(range(len(frames))))
    rows = [("FaceLandmarker model call (from a BlazeFace box)", seconds, out)]
    for label, landmarker in [
        ("FaceLandmarker().transform [tracked, blazeface]", FaceLandmarker()),
        ("FaceLandmarker(detector='haar').transform", FaceLandmarker(detector="haar")),
    ]:
        seconds, out = _clip_seconds(landmarker.transform, X)
        rows.append((label, seconds, _landmark_boxes(out)))
    aligned = FaceCropper(size=112, detector="blazeface", align=True, mode="mask",
                          mask_shape="hull", on_no_face="center")
    seconds, faces = _clip_seconds(aligned.detect, X)
    crop_seconds, _ = _clip_seconds(lambda Z: aligned.extract(Z, aligned.detect(Z)), X)
    rows.append(("FaceCropper(blazeface, align=True, mask_shape='hull') -> 112x112",
                 crop_seconds, _landmark_boxes(faces.landmarks)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-frames", type=int, default=20, help="frames per clip (default 20)")
    args = parser.parse_args()
    cv2 = import_cv2()
    cv2.setNumThreads(1)
    X, source = load_frames(args.n_frames)
    real = source.startswith("real")
    frames = X.reshape(-1, *X.shape[2:])
    print(f"{source}; {len(frames)} frames; OpenCV {cv2.__version__}; 1 thread\n")

    rows = []
    with threadpool_limits(1):
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")

        def reference(frame):
            r = cascade.detectMultiScale(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY))
            return None if len(r) == 0 else [r[0][0], r[0][1], r[0][0] + r[0][2], r[0][1] + r[0][3]]

        ref_s, out = time_per_frame(reference, frames)
        rows.append(("reference: detectMultiScale, full size", ref_s, out))
        try:
            import ai_edge_litert.interpreter  # noqa: F401

            blazeface = [
                ("BlazeFaceDetector() [full_range, 192 px]", BlazeFaceDetector()),
                (
                    "BlazeFaceDetector(model='short_range') [128 px]",
                    BlazeFaceDetector(model="short_range"),
                ),
            ]
        except ImportError:
            print("ai-edge-litert not installed: no BlazeFaceDetector rows\n")
            blazeface = []
        for label, detector in [
            ("HaarCascadeDetector() [default: alt2, 240 px]", HaarCascadeDetector()),
            ("HaarCascadeDetector(working_size=160)", HaarCascadeDetector(working_size=160)),
            ("HaarCascadeDetector(working_size=360)", HaarCascadeDetector(working_size=360)),
            (
                "HaarCascadeDetector(cascade='frontalface_default', min_neighbors=5)",
                HaarCascadeDetector(cascade="frontalface_default", min_neighbors=5),
            ),
            *blazeface,
        ]:
            def run(frame, detector=detector):
                boxes = detector.detect(frame)
                return boxes[0, :4] if len(boxes) else None

            seconds, out = time_per_frame(run, frames)
            rows.append((label, seconds, out))
        croppers = [(1, "haar"), (3, "haar")] + ([(1, "blazeface")] if blazeface else [])
        for every, name in croppers:
            cropper = FaceCropper(size=112, detect_every=every, on_no_face="center", detector=name)
            cropper.transform(X[:1, :1])  # warm-up
            wall, cpu = time.perf_counter(), time.process_time()
            faces = cropper.detect(X)
            crops = cropper.extract(X, faces)
            n = len(frames)
            seconds = ((time.perf_counter() - wall) / n, (time.process_time() - cpu) / n)
            assert crops.shape == X.shape[:2] + (112, 112, 3)
            boxes = [b if f else None for b, f in zip(faces.boxes.reshape(-1, 4), faces.found.ravel(), strict=True)]
            if every > 1:  # rate over examined frames; 'on face' over all tracked boxes
                boxes = list(faces.boxes.reshape(-1, 4))
            label = "detector='blazeface'" if name == "blazeface" else f"detect_every={every}"
            rows.append((f"FaceCropper({label}).transform -> 112x112", seconds, boxes))
        if blazeface:
            rows.extend(landmark_rows(X, frames, cv2))

    print("cpu = process CPU time per frame (1 thread: the speed on an idle core); wall = elapsed")
    print(
        f"{'method':<68} {'cpu ms':>7} {'frames/s':>9} {'wall ms':>8} {'x ref':>6} "
        f"{'found':>6} {'on face':>8}"
    )
    for label, seconds, out in rows:
        found = np.mean([b is not None for b in out])
        if label.startswith("FaceCropper(detect_every=3"):
            found = np.nan  # see detection_rate: only every 3rd frame is examined
        ok = np.nanmean([on_face(b, real) for b in out if b is not None]) if real else np.nan
        print(
            f"{label:<68} {1000 * seconds[1]:7.1f} {1 / seconds[1]:9.1f} {1000 * seconds[0]:8.1f} "
            f"{ref_s[1] / seconds[1]:6.2f} {found:6.2f} {ok:8.2f}"
        )


if __name__ == "__main__":
    main()
