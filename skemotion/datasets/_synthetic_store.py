"""Where synthetic corpora are written, and the one routine that builds or reuses one.

A corpus is written to a folder named by a fingerprint of its parameters, with a
manifest of file digests; asking again for the same corpus reuses the files
when every digest still matches, and regenerates them otherwise.
"""

import hashlib
import json
import os
from pathlib import Path

from ..utils import validate_params

__all__ = ["build_corpus", "get_data_home"]

# Bump when the rendering or the synthesis changes: cached corpora are then regenerated.
_GENERATOR_VERSION = 3
_MANIFEST = {"expressions": "skemotion_expressions.json", "valence": "skemotion_valence.json"}


def get_data_home(data_home=None):
    """Return the folder where skemotion keeps generated corpora, creating it if missing.

    Like :func:`sklearn.datasets.get_data_home`: by default the folder named by the
    ``SKEMOTION_DATA`` environment variable, else ``~/skemotion_data``. ``~`` is
    expanded.

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        The folder to use instead of the default.

    Returns
    -------
    data_home : str
        The path of the (existing) folder.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import get_data_home
    >>> tmp = tempfile.mkdtemp()
    >>> home = get_data_home(Path(tmp) / "skemotion_data")
    >>> Path(home).is_dir()
    True
    """
    if data_home is None:
        data_home = os.environ.get("SKEMOTION_DATA", os.path.join("~", "skemotion_data"))
    validate_params("get_data_home", {"data_home": data_home}, {"data_home": ["path"]})
    data_home = os.path.expanduser(os.fspath(data_home))
    os.makedirs(data_home, exist_ok=True)
    return data_home


def _fingerprint(kind, params):
    blob = json.dumps({"kind": kind, "version": _GENERATOR_VERSION, **params}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _cached(out_dir, kind, fingerprint, names):
    """True when ``out_dir`` holds this exact corpus (manifest matches, files intact)."""
    manifest = out_dir / _MANIFEST[kind]
    try:
        info = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return False
    if info.get("fingerprint") != fingerprint or sorted(info.get("files", {})) != sorted(names):
        return False
    for name, digest in info["files"].items():
        path = out_dir / name
        if not path.is_file() or _sha256(path) != digest:
            return False
    return True


def _forget_previous(out_dir, kind):
    """Remove the manifest and the files of a previous corpus of this kind in ``out_dir``."""
    manifest = out_dir / _MANIFEST[kind]
    try:
        info = json.loads(manifest.read_text())
    except (OSError, ValueError):
        info = {}
    manifest.unlink(missing_ok=True)
    for name in info.get("files", {}):
        if Path(name).name == name:  # never follow paths out of out_dir
            (out_dir / name).unlink(missing_ok=True)


def _write_manifest(out_dir, kind, fingerprint, params, names):
    info = {
        "kind": kind,
        "generator_version": _GENERATOR_VERSION,
        "fingerprint": fingerprint,
        "params": params,
        "files": {name: _sha256(out_dir / name) for name in names},
    }
    tmp = out_dir / (_MANIFEST[kind] + ".tmp")
    tmp.write_text(json.dumps(info, indent=1, sort_keys=True))
    os.replace(tmp, out_dir / _MANIFEST[kind])


def _run_jobs(func, items, n_jobs):
    if n_jobs in (None, 1) or len(items) <= 1:
        for item in items:
            func(item)
        return
    from joblib import Parallel, delayed

    # Threads: the time goes into numpy and into the ffmpeg subprocess, both outside the GIL.
    Parallel(n_jobs=n_jobs, prefer="threads")(delayed(func)(item) for item in items)


def _resolve_out_dir(out_dir, kind, fingerprint):
    if out_dir is None:
        out_dir = Path(get_data_home()) / f"synthetic_{kind}" / fingerprint[:16]
    out_dir = Path(out_dir).expanduser().resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"out_dir '{out_dir}' exists and is not a directory.")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def build_corpus(kind, spec, out_dir, names, make, n_items, *, cache, n_jobs):
    """Write the files of a corpus, or reuse them when the folder already holds it.

    Parameters
    ----------
    kind : {"expressions", "valence"}
        The corpus kind (names its manifest).
    spec : dict
        The JSON-able parameters that define the corpus (fingerprinted).
    out_dir : path or None
        The folder; ``None`` picks one under :func:`get_data_home`.
    names : list of str
        File names the corpus consists of, relative to the folder.
    make : callable
        ``make(i, out, reuse)`` builds item ``i``: it fills in the in-memory
        parts (boxes, timelines) always, and writes its files under ``out``
        unless ``reuse``.
    n_items : int
        Number of items.
    cache : bool
        Whether an intact previous copy may be reused.
    n_jobs : int or None
        Threads for ``make``.

    Returns
    -------
    out : pathlib.Path
        The folder.
    """
    fingerprint = _fingerprint(kind, spec)
    out = _resolve_out_dir(out_dir, kind, fingerprint)
    reuse = bool(cache) and _cached(out, kind, fingerprint, names)
    if not reuse:
        _forget_previous(out, kind)
    _run_jobs(lambda i: make(i, out, reuse), list(range(n_items)), n_jobs)
    if not reuse:
        _write_manifest(out, kind, fingerprint, spec, names)
    return out


def write_clip(path, frames, fps, audio, sr):
    """Write one clip (frames and, when given, audio) as an mp4 file."""
    from ..io import write_video

    if audio is None:
        write_video(path, frames, fps)
    else:
        write_video(path, frames, fps, audio=audio, sr=sr)
