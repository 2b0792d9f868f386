"""Benchmark: FaceLandmarker against MediaPipe's own Face Mesh (the peer), same frames, same run.

skemotion runs MediaPipe's Face Mesh model (``face_landmark.tflite``) with its own region of
interest and tracking code on LiteRT. This script checks that the landmarks agree with
MediaPipe's reference implementation (``mediapipe.solutions.face_mesh``, which needs the
``mediapipe`` package) and compares their speed on one core.

Frames are the real CREMA-D clips under ``../shared/data/crema-d/VideoFlash`` at 640x480
(cartoon faces when that folder is absent), also turned by 20 degrees. ``mediapipe`` pins
older numpy and protobuf versions, so it usually lives in its own virtual environment: pass
its interpreter with ``--peer-python``; the peer then runs in a child process on the same
frames (saved to a temporary file), within this run.

Prints, per setting: frames with landmarks for each, the normalised mean error (NME: mean
point distance divided by the distance between the eye centres) between the two, and CPU
ms/frame for each.

Usage::

    python -m venv /tmp/mpenv && /tmp/mpenv/bin/pip install mediapipe==0.10.21
    python benchmarks/bench_face_landmarks.py --peer-python /tmp/mpenv/bin/python
    python benchmarks/bench_face_landmarks.py        # skemotion only
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from skemotion.face import FaceLandmarker, eye_centres, import_cv2
from skemotion.face._testing import draw_faces

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "crema-d" / "VideoFlash"

# The peer: MediaPipe's legacy Face Mesh solution, tracking across the frames of a clip
# (static_image_mode=False) like FaceLandmarker, 468 points (refine_landmarks=False).
PEER = r"""
import json, sys, time
import numpy as np
import mediapipe as mp

X = np.load(sys.argv[1])
out = np.full(X.shape[:2] + (468, 2), np.nan)
cpu = 0.0
for i, clip in enumerate(X):
    with mp.solutions.face_mesh.FaceMesh(max_num_faces=1, refine_landmarks=False) as mesh:
        mesh.process(clip[0])  # warm-up, not timed: graph start
    with mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1,
                                         refine_landmarks=False) as mesh:
        start = time.process_time()
        for t, frame in enumerate(clip):
            result = mesh.process(frame)
            if result.multi_face_landmarks:
                points = result.multi_face_landmarks[0].landmark
                out[i, t] = [(p.x * frame.shape[1], p.y * frame.shape[0]) for p in points]
        cpu += time.process_time() - start
np.save(sys.argv[2], out)
print(json.dumps({"version": mp.__version__, "cpu_s_per_frame": cpu / (X.shape[0] * X.shape[1])}))
"""


def load_frames(n_frames):
    paths = sorted(SHARED.glob("*.flv"))
    if paths:
        from skemotion.io import read_frames

        X = np.stack([read_frames(p, n_frames=n_frames, size=(640, 480)) for p in paths])
        return X, f"real: {len(paths)} CREMA-D clips x {n_frames} frames at 640x480"
    X, _ = draw_faces(n_samples=6, n_frames=n_frames, size=(480, 640), random_state=0)
    return X, f"synthetic: 6 cartoon clips x {n_frames} frames at 640x480 (no shared data)"


def turn(X, degrees):
    cv2 = import_cv2()
    matrix = cv2.getRotationMatrix2D((320, 240), degrees, 1.0)
    return np.stack([[cv2.warpAffine(f, matrix, (640, 480)) for f in clip] for clip in X])


def ours(X):
    """Landmarks (NaN where not found) and CPU seconds per frame, one thread."""
    landmarker = FaceLandmarker()
    landmarker.locate(X[:1, :1])  # warm-up: interpreter creation
    start = time.process_time()
    faces = landmarker.locate(X)
    return faces.landmarks.astype(np.float64), (time.process_time() - start) / X[..., 0, 0, 0].size


def peer(X, python):
    with tempfile.TemporaryDirectory() as tmp:
        frames, points = Path(tmp) / "frames.npy", Path(tmp) / "points.npy"
        np.save(frames, X)
        proc = subprocess.run([python, "-c", PEER, str(frames), str(points)], capture_output=True,
                              text=True, check=True)
        info = json.loads(proc.stdout.strip().splitlines()[-1])
        return np.load(points), info


def nme(a, b):
    """Per-frame mean point distance over the eye distance (of ``b``, the reference)."""
    right, left = eye_centres(b)
    iod = np.linalg.norm(left - right, axis=-1)
    return np.linalg.norm(a - b, axis=-1).mean(axis=-1) / iod


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-frames", type=int, default=20, help="frames per clip (default 20)")
    parser.add_argument("--peer-python", help="a Python with mediapipe installed")
    args = parser.parse_args()
    X, source = load_frames(args.n_frames)
    print(f"{source}; one thread\n")
    print(f"{'frames':<22} {'ours found':>10} {'peer found':>10} {'NME median':>10} "
          f"{'NME p95':>8} {'ours ms':>8} {'peer ms':>8} {'peer/ours':>9}")
    with threadpool_limits(1):
        for label, frames in [("as recorded", X), ("turned 20 degrees", turn(X, 20))]:
            mine, seconds = ours(frames)
            row = f"{label:<22} {np.mean(~np.isnan(mine).any(axis=(2, 3))):10.2f}"
            if args.peer_python:
                theirs, info = peer(frames, args.peer_python)
                both = ~np.isnan(mine).any(axis=(2, 3)) & ~np.isnan(theirs).any(axis=(2, 3))
                errors = nme(mine[both], theirs[both])
                peer_ms = 1000 * info["cpu_s_per_frame"]
                row += (f" {np.mean(~np.isnan(theirs).any(axis=(2, 3))):10.2f} "
                        f"{np.median(errors):10.4f} {np.percentile(errors, 95):8.4f} "
                        f"{1000 * seconds:8.2f} {peer_ms:8.2f} {peer_ms / (1000 * seconds):9.2f}")
            else:
                row += f" {'-':>10} {'-':>10} {'-':>8} {1000 * seconds:8.2f} {'-':>8} {'-':>9}"
            print(row)
    if not args.peer_python:
        print("\nno --peer-python: MediaPipe's own Face Mesh was not run", file=sys.stderr)


if __name__ == "__main__":
    main()
