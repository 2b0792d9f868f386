"""Loader for a local copy of RAVDESS (Livingstone & Russo, 2018)."""

import os
import re

import numpy as np

from ._labels import CORPORA
from ._loader_utils import check_root, iter_names, listing, make_bunch

__all__ = ["load_ravdess"]

_MODALITIES = {"01": "audiovisual", "02": "video", "03": "audio"}
_CHANNELS = {"01": "speech", "02": "song"}
_INTENSITIES = {"01": "normal", "02": "strong"}
_STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}
# The release has .wav audio and .mp4 video; re-encoded copies (lossless FLAC, say) keep the names.
_AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".aif", ".aiff")
_VIDEO_EXTENSIONS = (".mp4", ".mov", ".mkv", ".webm", ".avi", ".flv")
_EXTENSIONS = {"audiovisual": _VIDEO_EXTENSIONS, "video": _VIDEO_EXTENSIONS, "audio": _AUDIO_EXTENSIONS}
# The song recordings cover neutral, calm, happy, sad, angry and fearful only.
_SONG_EMOTIONS = {"01", "02", "03", "04", "05", "06"}

# Anything shaped like a RAVDESS identifier: such files must parse, never be skipped.
_LOOKS_LIKE = re.compile(r"^\d{2}(-\d{2}){6}\.[A-Za-z0-9]+$")
_ACTOR_DIR = re.compile(r"^Actor_(\d{2})$")

_EXPECTED = (
    "the RAVDESS Actor_01..Actor_24 folders (from Audio_Speech_Actors_01-24.zip, "
    "Video_Speech_Actor_XX.zip, ...) holding files named like 03-01-05-01-02-01-12.wav"
)

DESCR = """\
RAVDESS: the Ryerson Audio-Visual Database of Emotional Speech and Song.

24 professional actors (12 female, 12 male; odd ids male) vocalise two lexically
matched statements in a neutral North American accent, as speech (neutral, calm,
happy, sad, angry, fearful, surprise, disgust) and song (neutral, calm, happy,
sad, angry, fearful), each emotion at normal and strong intensity (neutral at
normal only), in audio-only (.wav, 48 kHz), video-only and audio-visual (.mp4,
1280x720, 30 fps) versions: 7356 files.

Each file name is a 7-part identifier, e.g. 02-01-06-01-02-01-12.mp4: modality
(01 audio-visual, 02 video-only, 03 audio-only), vocal channel (01 speech, 02
song), emotion (01 neutral, 02 calm, 03 happy, 04 sad, 05 angry, 06 fearful,
07 disgust, 08 surprised), intensity (01 normal, 02 strong), statement (01 "Kids
are talking by the door", 02 "Dogs are sitting by the door"), repetition (01,
02) and actor (01-24).

Licence: CC BY-NC-SA 4.0. https://doi.org/10.5281/zenodo.1188976

Reference: Livingstone SR, Russo FA (2018) The Ryerson Audio-Visual Database of
Emotional Speech and Song (RAVDESS): A dynamic, multimodal set of facial and
vocal expressions in North American English. PLoS ONE 13(5): e0196391.
https://doi.org/10.1371/journal.pone.0196391
"""


def _parse(folder, name):
    """Parsed fields of one RAVDESS file name, or the reason it is not valid."""
    stem, _, ext = name.partition(".")
    parts = stem.split("-")
    modality, channel, emotion, intensity, statement, repetition, actor = parts
    if modality not in _MODALITIES:
        return f"modality {modality} is not 01, 02 or 03"
    if channel not in _CHANNELS:
        return f"vocal channel {channel} is not 01 or 02"
    if emotion not in CORPORA["ravdess"]["codes"]:
        return f"emotion {emotion} is not 01..08"
    if intensity not in _INTENSITIES:
        return f"intensity {intensity} is not 01 or 02"
    if emotion == "01" and intensity == "02":
        return "neutral (01) has no strong intensity (02)"
    if channel == "02" and emotion not in _SONG_EMOTIONS:
        return f"song (02) has no emotion {emotion}"
    if statement not in _STATEMENTS:
        return f"statement {statement} is not 01 or 02"
    if repetition not in ("01", "02"):
        return f"repetition {repetition} is not 01 or 02"
    if not 1 <= int(actor) <= 24:
        return f"actor {actor} is not 01..24"
    kind = _MODALITIES[modality]
    if "." + ext.lower() not in _EXTENSIONS[kind]:
        return f"{kind} files are {', '.join(_EXTENSIONS[kind])}, not .{ext}"
    parent = os.path.basename(folder)
    in_actor_dir = _ACTOR_DIR.match(parent)
    if in_actor_dir and in_actor_dir.group(1) != actor:
        return f"actor {actor} is in folder {parent}"
    return {
        "modality": kind,
        "vocal_channel": _CHANNELS[channel],
        "emotion": CORPORA["ravdess"]["codes"][emotion],
        "emotion_code": int(emotion),
        "intensity": _INTENSITIES[intensity],
        "statement": _STATEMENTS[statement],
        "statement_code": int(statement),
        "repetition": int(repetition),
        "actor": int(actor),
        "sex": "male" if int(actor) % 2 else "female",
    }


def load_ravdess(root, *, modality="audio", vocal_channel="all"):
    """Load a local copy of RAVDESS: file paths, emotion labels and actor groups.

    RAVDESS is distributed as zip files (``Audio_Speech_Actors_01-24.zip``,
    ``Audio_Song_Actors_01-24.zip``, ``Video_Speech_Actor_01.zip`` …
    ``Video_Song_Actor_24.zip``) that each extract to ``Actor_XX`` folders.
    The files may sit at any depth under ``root``; each name is the 7-part
    identifier ``modality-channel-emotion-intensity-statement-repetition-actor``
    and every field is parsed and validated. Nothing is decoded or downloaded.

    Parameters
    ----------
    root : str or os.PathLike
        Folder holding the extracted ``Actor_XX`` folders (any nesting).
    modality : {"audio", "video", "audiovisual", "all"}, default="audio"
        Which files to return: audio-only ``03-*.wav``, video-only (silent)
        ``02-*.mp4``, audio-visual ``01-*.mp4``, or all of them. Copies in
        other formats keep the names and are found too (audio ``.flac``,
        ``.ogg``, ``.mp3``, ...; video ``.mkv``, ``.webm``, ...).
    vocal_channel : {"speech", "song", "all"}, default="all"
        Speech (``-01-``), song (``-02-``) or both.

    Returns
    -------
    data : Bunch
        Dictionary-like object with attributes:

        data : ndarray of str of shape (n_samples,), dtype=object
            Absolute file paths, sorted by actor then file name.
        target : ndarray of int of shape (n_samples,)
            Index of each emotion in ``target_names``.
        target_names : ndarray of str of shape (8,)
            ``neutral, calm, happy, sad, angry, fearful, disgust, surprised``
            (the RAVDESS code order, names from the shared vocabulary of
            :func:`map_labels`).
        groups : ndarray of int of shape (n_samples,)
            Actor id (1-24), for group-aware cross-validation.
        frame : pandas.DataFrame of shape (n_samples, 12)
            ``path, filename, modality, vocal_channel, emotion, emotion_code,
            intensity, statement, statement_code, repetition, actor, sex``.
        DESCR : str
            Description and citation.

    Raises
    ------
    FileNotFoundError
        If ``root`` does not exist.
    ValueError
        If files shaped like RAVDESS names do not follow the scheme (listing
        them with the reason), if a file name occurs twice, or if no file of
        the requested kind is found (naming what was expected).

    See Also
    --------
    load_crema_d, map_labels

    Notes
    -----
    Files not shaped like a RAVDESS identifier (``README``, ``.DS_Store``,
    zips) are ignored; files shaped like one but invalid (``03-01-09-…``,
    ``03-01-01-02-…`` i.e. strong neutral, a ``.wav`` with modality ``01``, an
    actor that disagrees with its ``Actor_XX`` folder) raise.

    References
    ----------
    .. [1] Livingstone SR, Russo FA (2018). The Ryerson Audio-Visual Database of
       Emotional Speech and Song (RAVDESS). PLoS ONE 13(5): e0196391.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import load_ravdess
    >>> root = Path(tempfile.mkdtemp())
    >>> for actor in (1, 2):
    ...     folder = root / f"Actor_{actor:02d}"
    ...     folder.mkdir()
    ...     for emotion in ("01", "05"):
    ...         (folder / f"03-01-{emotion}-01-01-01-{actor:02d}.wav").touch()
    >>> bunch = load_ravdess(root)
    >>> bunch.target_names[bunch.target].tolist()
    ['neutral', 'angry', 'neutral', 'angry']
    >>> bunch.groups.tolist()
    [1, 1, 2, 2]
    >>> bunch.frame[["emotion", "intensity", "sex"]].iloc[1].tolist()
    ['angry', 'normal', 'male']
    """
    import pandas as pd

    from skemotion.utils import Options, validate_params

    validate_params(
        "load_ravdess",
        {"modality": modality, "vocal_channel": vocal_channel},
        {
            "modality": [Options({"audio", "video", "audiovisual", "all"})],
            "vocal_channel": [Options({"speech", "song", "all"})],
        },
    )
    root = check_root(root, "load_ravdess", _EXPECTED)

    rows, bad, seen = [], [], {}
    for folder, name in iter_names(root):
        if not _LOOKS_LIKE.match(name):
            continue
        path = os.path.join(folder, name)
        parsed = _parse(folder, name)
        if isinstance(parsed, str):
            bad.append(f"{os.path.relpath(path, root)} ({parsed})")
            continue
        # one recording in two formats (a .wav and its .flac) is a duplicate too
        seen.setdefault(name.partition(".")[0], []).append(path)
        rows.append({"path": path, "filename": name, **parsed})
    if bad:
        raise ValueError(
            f"load_ravdess: {len(bad)} file(s) under {str(root)!r} do not follow the RAVDESS "
            f"naming scheme modality-channel-emotion-intensity-statement-repetition-actor: "
            f"{listing(bad)}."
        )
    dupes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    if dupes:
        shown = [
            f"{name} at {[os.path.relpath(p, root) for p in ps]}" for name, ps in dupes.items()
        ]
        raise ValueError(
            f"load_ravdess: {len(dupes)} recording(s) occur more than once under "
            f"{str(root)!r}: {listing(shown)}; keep one copy of each."
        )
    if not rows:
        raise ValueError(
            f"load_ravdess: no RAVDESS files under {str(root)!r}; expected {_EXPECTED}."
        )

    columns = [
        "path", "filename", "modality", "vocal_channel", "emotion", "emotion_code",
        "intensity", "statement", "statement_code", "repetition", "actor", "sex",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    found = frame.groupby(["modality", "vocal_channel"]).size()
    keep = np.ones(len(frame), dtype=bool)
    if modality != "all":
        keep &= (frame["modality"] == modality).to_numpy()
    if vocal_channel != "all":
        keep &= (frame["vocal_channel"] == vocal_channel).to_numpy()
    if not keep.any():
        summary = ", ".join(f"{n} {m} {c}" for (m, c), n in found.items())
        raise ValueError(
            f"load_ravdess: no RAVDESS files with modality={modality!r} and "
            f"vocal_channel={vocal_channel!r} under {str(root)!r}; found {summary}."
        )
    frame = frame[keep].sort_values(["actor", "filename"], kind="stable").reset_index(drop=True)

    target_names = np.asarray(CORPORA["ravdess"]["classes"], dtype=object)
    index = {name: i for i, name in enumerate(target_names)}
    return make_bunch(
        data=frame["path"].to_numpy(dtype=object),
        target=frame["emotion"].map(index).to_numpy(dtype=np.int64),
        target_names=target_names,
        groups=frame["actor"].to_numpy(dtype=np.int64),
        frame=frame,
        descr=DESCR,
    )
