"""Loader for a local copy of FER2013 (Goodfellow et al., 2013)."""

import os
from pathlib import Path

import numpy as np

from ._labels import CORPORA
from ._loader_utils import listing, make_bunch

__all__ = ["load_fer2013"]

_USAGES = ("Training", "PublicTest", "PrivateTest")
_SIDE = 48

DESCR = """\
FER2013: the Facial Expression Recognition 2013 challenge dataset.

35887 grayscale 48x48 face images collected with Google image search, in seven
classes (0 Angry, 1 Disgust, 2 Fear, 3 Happy, 4 Sad, 5 Surprise, 6 Neutral),
distributed as fer2013.csv with columns emotion, pixels (2304 space-separated
values, row-major) and Usage: Training (28709), PublicTest (3589) and
PrivateTest (3589). The later icml_face_data.csv has the same content with the
columns emotion, " Usage", " pixels".

Licence: distributed by the challenge organisers for research
(Kaggle "Challenges in Representation Learning: Facial Expression Recognition").

Reference: Goodfellow IJ, Erhan D, Carrier PL, Courville A, Mirza M, Hamner B,
et al. (2013). Challenges in Representation Learning: A report on three machine
learning contests. ICONIP 2013, LNCS 8228: 117-124. arXiv:1307.0414.
"""


def load_fer2013(csv_path, *, usage="all"):
    """Load FER2013's 48x48 grayscale faces, labels and official usage split.

    Parses the pixel strings of ``fer2013.csv`` (or ``icml_face_data.csv``)
    into images. Every row is checked: a label outside 0..6, a pixel string
    that is not 2304 integers in 0..255, or an unknown usage raises, naming the
    line.

    Parameters
    ----------
    csv_path : str or os.PathLike
        Path to ``fer2013.csv``.
    usage : {"all", "Training", "PublicTest", "PrivateTest"}, default="all"
        Rows to return. The customary protocol trains on ``Training``,
        validates on ``PublicTest`` and tests on ``PrivateTest``.

    Returns
    -------
    data : Bunch
        Dictionary-like object with attributes:

        data : ndarray of shape (n_samples, 48, 48, 1), dtype=uint8
            The images, channels-last, in file order.
        target : ndarray of int of shape (n_samples,)
            The ``emotion`` column (0..6), an index into ``target_names``.
        target_names : ndarray of str of shape (7,)
            ``angry, disgust, fearful, happy, sad, surprised, neutral``.
        groups : None
            FER2013 has no subject ids.
        frame : pandas.DataFrame
            ``row`` (0-based row in the file), ``emotion_code``, ``emotion``,
            ``usage``.
        DESCR : str
            Description and citation.

    Raises
    ------
    FileNotFoundError
        If ``csv_path`` does not exist.
    ValueError
        If columns are missing or rows are malformed (naming the lines).

    See Also
    --------
    map_labels

    References
    ----------
    .. [1] Goodfellow IJ et al. (2013). Challenges in Representation Learning: A
       report on three machine learning contests. ICONIP 2013. arXiv:1307.0414.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import load_fer2013
    >>> path = Path(tempfile.mkdtemp()) / "fer2013.csv"
    >>> pixels = " ".join(str(i % 256) for i in range(48 * 48))
    >>> _ = path.write_text("emotion,pixels,Usage\\n"
    ...                     f"3,{pixels},Training\\n6,{pixels},PrivateTest\\n")
    >>> bunch = load_fer2013(path)
    >>> bunch.data.shape, bunch.data.dtype, int(bunch.data[0, 1, 0, 0])
    ((2, 48, 48, 1), dtype('uint8'), 48)
    >>> bunch.target_names[bunch.target].tolist(), bunch.frame["usage"].tolist()
    (['happy', 'neutral'], ['Training', 'PrivateTest'])
    """
    import pandas as pd

    from skemotion.utils import Options, validate_params

    validate_params(
        "load_fer2013",
        {"csv_path": csv_path, "usage": usage},
        {"csv_path": ["path"], "usage": [Options({"all", *_USAGES})]},
    )
    path = Path(os.fspath(csv_path)).expanduser()
    if not path.is_file():
        raise FileNotFoundError(
            f"load_fer2013: {str(path)!r} does not exist; expected the FER2013 file fer2013.csv "
            "with columns emotion, pixels, Usage."
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in ("emotion", "pixels", "Usage") if c not in table.columns]
    if missing:
        raise ValueError(
            f"load_fer2013: {str(path)!r} lacks the column(s) {missing} (has "
            f"{list(table.columns)}); expected emotion, pixels, Usage."
        )
    emotion = table["emotion"].str.strip()
    used = table["Usage"].str.strip()
    bad_label = np.flatnonzero(~emotion.isin(CORPORA["fer2013"]["codes"]).to_numpy())
    if len(bad_label):
        raise ValueError(
            f"load_fer2013: {str(path)!r} has emotion values outside 0..6 at lines "
            f"{listing(bad_label + 2)}."
        )
    bad_usage = np.flatnonzero(~used.isin(_USAGES).to_numpy())
    if len(bad_usage):
        raise ValueError(
            f"load_fer2013: {str(path)!r} has Usage values other than {list(_USAGES)} at lines "
            f"{listing(bad_usage + 2)}."
        )

    keep = np.ones(len(table), dtype=bool) if usage == "all" else (used == usage).to_numpy()
    rows = np.flatnonzero(keep)
    images = np.empty((len(rows), _SIDE, _SIDE, 1), dtype=np.uint8)
    bad_pixels = []
    for k, i in enumerate(rows):
        values = table["pixels"].iat[i].split()
        try:
            arr = np.array(values, dtype=np.int64)
        except ValueError:
            arr = None
        if arr is None or arr.size != _SIDE * _SIDE or arr.min() < 0 or arr.max() > 255:
            bad_pixels.append(i + 2)
            continue
        images[k, :, :, 0] = arr.reshape(_SIDE, _SIDE)
    if bad_pixels:
        raise ValueError(
            f"load_fer2013: {str(path)!r} has pixel strings that are not 2304 integers in "
            f"0..255 at lines {listing(bad_pixels)}."
        )

    codes = emotion.to_numpy()[rows]
    frame = pd.DataFrame(
        {
            "row": rows,
            "emotion_code": codes.astype(np.int64),
            "emotion": [CORPORA["fer2013"]["codes"][c] for c in codes],
            "usage": used.to_numpy()[rows],
        }
    )
    return make_bunch(
        data=images,
        target=frame["emotion_code"].to_numpy(dtype=np.int64),
        target_names=np.asarray(CORPORA["fer2013"]["classes"], dtype=object),
        groups=None,
        frame=frame,
        descr=DESCR,
    )
