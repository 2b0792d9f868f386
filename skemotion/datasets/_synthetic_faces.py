"""Drawing the synthetic faces with numpy, vectorised over frames and pixels."""

import numpy as np

from ._synthetic_actors import _smooth_path


def _cover(signed_distance):
    """Anti-aliased coverage of a shape from its signed distance in pixels (< 0 inside)."""
    return np.clip(0.5 - signed_distance, 0.0, 1.0)


def _ellipse_sd(u, v, cu, cv, a, b):
    du, dv = u - cu, v - cv
    r = np.sqrt((du / a) ** 2 + (dv / b) ** 2) + 1e-6
    return np.sqrt(du**2 + dv**2) * (1.0 - 1.0 / r)


def _segment_sd(u, v, p0, p1, half_thickness):
    (u0, v0), (u1, v1) = p0, p1
    du, dv = u1 - u0, v1 - v0
    h = np.clip(((u - u0) * du + (v - v0) * dv) / (du**2 + dv**2 + 1e-9), 0.0, 1.0)
    return np.sqrt((u - u0 - h * du) ** 2 + (v - v0 - h * dv) ** 2) - half_thickness


def _lerp(img, color, alpha):
    """Blend ``color`` over ``img`` (modified in place) with coverage ``alpha``."""
    delta = color - img
    delta *= alpha[..., None]
    img += delta
    return img


def _render(actor, track, face, light, noise_rng, size):
    """Render frames as uint8 (T, H, W, 3). All per-frame inputs are arrays of length T."""
    width, height = size
    f32 = np.float32
    col = lambda a: np.asarray(a, f32).reshape(-1, 1, 1)  # noqa: E731  (T,) -> (T, 1, 1)
    # Draw the face only in the window that the head covers in these frames.
    reach = max(actor["rx"], actor["ry"]) * float(np.max(track["scale"])) + 2.0
    x0 = max(int(np.floor(np.min(track["cx"]) - reach)), 0)
    x1 = min(int(np.ceil(np.max(track["cx"]) + reach)), width)
    y0 = max(int(np.floor(np.min(track["cy"]) - reach)), 0)
    y1 = min(int(np.ceil(np.max(track["cy"]) + reach)), height)
    x = (np.arange(x0, x1, dtype=f32) + 0.5)[None, None, :]
    y = (np.arange(y0, y1, dtype=f32) + 0.5)[None, :, None]
    theta, scale = col(track["theta"]), col(track["scale"])
    dx, dy = x - col(track["cx"]), y - col(track["cy"])
    c, s = np.cos(theta), np.sin(theta)
    u = (dx * c + dy * s) / scale  # face-local coordinates in (unscaled) pixels
    v = (-dx * s + dy * c) / scale
    px = 1.0 / scale  # one image pixel in face-local units
    rx, ry = f32(actor["rx"]), f32(actor["ry"])

    window = actor["background"][y0:y1, x0:x1]
    img = np.broadcast_to(window, (len(theta), *window.shape)).copy()
    skin = np.asarray(actor["skin"], f32)
    # Face, with soft shading towards the rim, and hair cap inside the ellipse.
    r2 = (u / rx) ** 2 + (v / ry) ** 2
    a_face = _cover(_ellipse_sd(u, v, 0, 0, rx, ry) / px)
    shade = (1.0 - 0.18 * np.clip(r2, 0, 1))[..., None]
    img = img + a_face[..., None] * (skin * shade - img)
    hairline = actor["hairline"] * ry + 0.06 * ry * np.sin(u / rx * 3.0)
    img = _lerp(img, np.asarray(actor["hair"], f32), a_face * _cover((v - hairline) / px))
    # Nose: a lit bridge and two dark nostrils.
    a_bridge = 0.5 * _cover(_ellipse_sd(u, v, 0, 0.0, 0.07 * rx, 0.22 * ry) / px)
    img = _lerp(img, np.minimum(skin * 1.15, 255), a_bridge)
    for side in (-1.0, 1.0):
        nostril = _ellipse_sd(u, v, side * 0.07 * rx, 0.22 * ry, 0.05 * rx, 0.035 * ry)
        a_nostril = 0.8 * _cover(nostril / px)
        img = _lerp(img, skin * 0.45, a_nostril)

    eye_open = col(face["eye_open"])
    eye_y = actor["eye_y"] * ry
    erx = actor["eye_size"] * rx
    ery = np.maximum(0.62 * erx * eye_open, 0.05)
    brow_y = eye_y - 0.21 * ry - col(face["brow_raise"]) * 0.09 * ry
    brow_tilt = col(face["brow_angle"]) * 0.11 * ry
    brow_half = np.maximum(0.05 * ry, 0.6)
    for side in (-1.0, 1.0):
        ex = side * actor["eye_sep"] * rx
        # Shaded eye socket (darker than the cheeks, as in real faces).
        socket = _ellipse_sd(u, v, ex, eye_y - 0.2 * erx, 1.7 * erx, 1.25 * erx)
        a_socket = 0.9 * _cover(socket / px)
        img = _lerp(img, skin * 0.55, a_socket)
        a_eye = _cover(_ellipse_sd(u, v, ex, eye_y, erx, ery) / px)
        img = _lerp(img, np.array([190, 188, 182], f32), a_eye)
        gaze = col(face["gaze"]) * 0.35 * erx
        a_pupil = a_eye * _cover(_ellipse_sd(u, v, ex + gaze, eye_y, 0.7 * erx, 0.7 * erx) / px)
        img = _lerp(img, np.asarray(actor["iris"], f32), a_pupil)
        inner = (ex - side * 0.85 * erx, brow_y - brow_tilt)
        outer = (ex + side * 1.25 * erx, brow_y + 0.6 * brow_tilt)
        a_brow = _cover(_segment_sd(u, v, inner, outer, brow_half) / px)
        img = _lerp(img, np.asarray(actor["hair"], f32) * 0.8, a_brow)

    # Mouth: a parabola (corners up when smiling) with an opening that drops the jaw.
    mw = actor["mouth_w"] * rx * col(face["mouth_width"])
    mouth_y = actor["mouth_y"] * ry
    amp = 0.25 * ry * col(face["curv"])
    skew = 0.08 * ry * col(face["skew"])
    mu = np.clip(u / mw, -1.0, 1.0)
    centre = mouth_y - amp * (mu**2 - 1.0 / 3.0) - skew * mu
    slope = np.sqrt(1.0 + ((2.0 * amp * mu + skew) / mw) ** 2)
    half_open = col(face["mouth_open"]) * 0.13 * ry * np.sqrt(np.clip(1.0 - mu**2, 0, 1))
    mid = centre + 0.4 * half_open
    lip = np.maximum(0.05 * ry, 0.6)
    outer_sd = np.maximum((np.abs(v - mid) - half_open - lip) / slope, np.abs(u) - mw - 0.5 * lip)
    inner_sd = np.maximum((np.abs(v - mid) - half_open) / slope, np.abs(u) - 0.9 * mw)
    img = _lerp(img, skin * np.array([0.62, 0.36, 0.38], f32), _cover(outer_sd / px))
    img = _lerp(img, np.minimum(np.array([55, 18, 24], f32), 0.35 * skin), _cover(inner_sd / px))

    face_window = img
    img = np.broadcast_to(actor["background"], (len(theta), height, width, 3)).copy()
    img[:, y0:y1, x0:x1] = face_window

    # Lighting: actor gain, per-clip drift and direction, colour cast; then sensor noise.
    x = (np.arange(width, dtype=f32) + 0.5)[None, None, :]
    y = (np.arange(height, dtype=f32) + 0.5)[None, :, None]
    gx, gy = col(light["grad_x"]), col(light["grad_y"])
    field = col(light["gain"]) * (1.0 + gx * (x / width - 0.5) + gy * (y / height - 0.5))
    img = img * field[..., None] * np.asarray(light["cast"], f32).reshape(3)
    img += noise_rng.standard_normal(img.shape, dtype=f32) * f32(light["noise"])
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def _render_chunked(actor, track, face, light, noise_rng, size, chunk=64):
    n = len(track["cx"])
    parts = []
    for start in range(0, n, chunk):
        sl = slice(start, start + chunk)
        cut = lambda d, sl=sl: {k: (v[sl] if np.ndim(v) == 1 else v) for k, v in d.items()}  # noqa: E731
        parts.append(_render(actor, cut(track), cut(face), cut(light), noise_rng, size))
    return np.concatenate(parts)


def _lighting(rng, actor, t):
    drift = rng.uniform(0.03, 0.12) * _smooth_path(rng, t, f_low=0.1, f_high=0.6)
    return {
        "gain": actor["gain"] * (1.0 + drift),
        "grad_x": actor["light_grad"][0] + 0.1 * _smooth_path(rng, t, f_low=0.05, f_high=0.3),
        "grad_y": np.full_like(t, actor["light_grad"][1]),
        # colour cast, shape (1, 3) so that it is not cut like the per-frame arrays
        "cast": (1.0 + rng.uniform(-0.05, 0.05, (1, 3))).astype(np.float32),
        "noise": actor["noise"] * rng.uniform(0.8, 1.25),
    }
