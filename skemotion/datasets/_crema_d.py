"""Loader for a local copy of CREMA-D (Cao et al., 2014)."""

import re

import numpy as np

from ._labels import CORPORA
from ._loader_utils import check_root, find_dirs, find_one, iter_files, listing, make_bunch

__all__ = ["load_crema_d"]

_SENTENCES = {
    "IEO": "It's eleven o'clock",
    "TIE": "That is exactly what happened",
    "IOM": "I'm on my way to the meeting",
    "IWW": "I wonder what this is about",
    "TAI": "The airplane is almost full",
    "MTI": "Maybe tomorrow it will be cold",
    "IWL": "I would like a new alarm clock",
    "ITH": "I think I have a doctor's appointment",
    "DFA": "Don't forget a jacket",
    "ITS": "I think I've seen this before",
    "TSI": "The surface is slick",
    "WSI": "We'll stop in a couple of minutes",
}
_LEVELS = {"LO": "low", "MD": "medium", "HI": "high", "XX": "unspecified"}
_DEFAULT_FOLDER = {"video": "VideoFlash", "audio": "AudioWAV"}
_MEDIA = {".flv", ".mp4", ".wav", ".mp3"}
# Anything shaped like a CREMA-D clip name must parse; other files are ignored.
_LOOKS_LIKE = re.compile(r"^\d{4}_[A-Za-z]+_[A-Za-z]+_[A-Za-z]+\.[A-Za-z0-9]+$")
_VOTE_COLUMNS = {
    "VoiceVote": "voice_vote",
    "VoiceLevel": "voice_level",
    "FaceVote": "face_vote",
    "FaceLevel": "face_level",
    "MultiModalVote": "multimodal_vote",
    "MultiModalLevel": "multimodal_level",
}

DESCR = """\
CREMA-D: the Crowd-sourced Emotional Multimodal Actors Dataset.

7442 clips of 91 actors (48 male, 43 female, aged 20-74) saying 12 sentences in
six emotions (anger, disgust, fear, happy, neutral, sad); the sentence "It's
eleven o'clock" at low, medium, high and unspecified intensity, the others
unspecified. Clip names are ActorID_Sentence_Emotion_Level (1001_DFA_ANG_XX).
Folders: VideoFlash (.flv, audio-visual), AudioMP3 (.mp3), AudioWAV (.wav,
16 kHz); VideoDemographics.csv (ActorID, Age, Sex, Race, Ethnicity) and
processedResults/summaryTable.csv (majority votes of 2443 raters per clip, by
voice, face and both).

Licence: Open Database License 1.0, contents under the Database Contents
License 1.0. https://github.com/CheyneyComputerScience/CREMA-D

Reference: Cao H, Cooper DG, Keutmann MK, Gur RC, Nenkova A, Verma R (2014).
CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset. IEEE Transactions
on Affective Computing 5(4): 377-390. https://doi.org/10.1109/TAFFC.2014.2336244
"""


def _parse(path):
    stem, ext = path.stem, path.suffix
    actor, sentence, emotion, level = stem.split("_")
    if not 1001 <= int(actor) <= 1091:
        return f"actor {actor} is not 1001..1091"
    if sentence not in _SENTENCES:
        return f"sentence {sentence} is not one of {sorted(_SENTENCES)}"
    if emotion not in CORPORA["crema-d"]["codes"]:
        return f"emotion {emotion} is not one of {sorted(CORPORA['crema-d']['codes'])}"
    if level not in _LEVELS:
        return f"level {level} is not one of {sorted(_LEVELS)}"
    if ext.lower() not in _MEDIA:
        return f"extension {ext} is not one of {sorted(_MEDIA)}"
    return {
        "clip": stem,
        "actor": int(actor),
        "sentence": sentence,
        "sentence_text": _SENTENCES[sentence],
        "emotion": CORPORA["crema-d"]["codes"][emotion],
        "emotion_code": emotion,
        "level": _LEVELS[level],
        "level_code": level,
    }


def _media_folder(root, folder):
    """``root/folder`` or the single folder of that name found below root."""
    direct = root / folder
    if direct.is_dir():
        return direct
    hits = find_dirs(root, folder)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ValueError(
            f"load_crema_d: several {folder!r} folders under {str(root)!r}: {listing(hits)}; "
            "pass root= the one to use."
        )
    present = sorted(p.name for p in root.iterdir() if p.is_dir())
    raise FileNotFoundError(
        f"load_crema_d: no {folder!r} folder under {str(root)!r}; expected the CREMA-D "
        "layout (VideoFlash/, AudioWAV/, AudioMP3/ holding files named like "
        f"1001_DFA_ANG_XX.flv). Folders found there: {present or 'none'}; pass folder= to "
        "read another one."
    )


def _read_demographics(path):
    import pandas as pd

    table = pd.read_csv(path)
    expected = ["ActorID", "Age", "Sex", "Race", "Ethnicity"]
    missing = [c for c in expected if c not in table.columns]
    if missing:
        raise ValueError(
            f"load_crema_d: {str(path)!r} lacks the column(s) {missing}; expected the "
            f"official VideoDemographics.csv with columns {expected}."
        )
    table = table[expected].rename(
        columns={"ActorID": "actor", "Age": "age", "Sex": "sex", "Race": "race",
                 "Ethnicity": "ethnicity"}  # fmt: skip
    )
    table["actor"] = table["actor"].astype(np.int64)
    return table


def _read_votes(path):
    import pandas as pd

    table = pd.read_csv(path, dtype=str)
    names = {c.lower(): c for c in table.columns}
    if "filename" not in names:
        raise ValueError(
            f"load_crema_d: {str(path)!r} has no FileName column; expected the official "
            f"summaryTable.csv with columns FileName, {', '.join(_VOTE_COLUMNS)}."
        )
    keep = {names["filename"]: "clip"}
    keep.update({names[c.lower()]: new for c, new in _VOTE_COLUMNS.items() if c.lower() in names})
    # Kept as text: a tie lists several votes/levels separated by ':' ("N:S", "50:50").
    table = table[list(keep)].rename(columns=keep)
    return table.drop_duplicates("clip")


def load_crema_d(root, *, modality="video", folder=None, demographics=True, votes=True):
    """Load a local copy of CREMA-D: clip paths, emotion labels, actors and demographics.

    Clips are named ``ActorID_Sentence_Emotion_Level`` (``1001_DFA_ANG_XX.flv``)
    and every part is parsed and validated. The actor table
    ``VideoDemographics.csv`` and the crowd-vote table ``summaryTable*.csv``
    are joined when found anywhere under ``root``. Nothing is decoded or
    downloaded.

    Parameters
    ----------
    root : str or os.PathLike
        The CREMA-D checkout (the folder that holds ``VideoFlash/`` …).
    modality : {"video", "audio"}, default="video"
        Selects the default media folder: ``VideoFlash`` (audio-visual
        ``.flv``) or ``AudioWAV`` (``.wav``).
    folder : str or None, default=None
        Media folder name to use instead, e.g. ``"AudioMP3"`` or a resampled
        copy such as ``"AudioWAV_resampled"``. Looked up as ``root/folder``,
        then anywhere below ``root``.
    demographics : bool, default=True
        Join ``VideoDemographics.csv`` (age, sex, race, ethnicity per actor)
        when present under ``root``.
    votes : bool, default=True
        Join the crowd votes of ``summaryTable.csv`` (or
        ``summaryTable_subset.csv``) when present under ``root``: the
        majority emotion letter(s) and level(s) by voice, face and both. Clips
        the table does not cover get missing values.

    Returns
    -------
    data : Bunch
        Dictionary-like object with attributes:

        data : ndarray of str of shape (n_samples,), dtype=object
            Absolute paths, sorted by actor then clip name.
        target : ndarray of int of shape (n_samples,)
            Index of the acted emotion in ``target_names``.
        target_names : ndarray of str of shape (6,)
            ``angry, disgust, fearful, happy, neutral, sad`` (the order of the
            codes ANG, DIS, FEA, HAP, NEU, SAD).
        groups : ndarray of int of shape (n_samples,)
            Actor id (1001-1091).
        frame : pandas.DataFrame
            ``path, clip, actor, sentence, sentence_text, emotion,
            emotion_code, level, level_code``, then ``age, sex, race,
            ethnicity`` and the vote columns when those tables were found.
        demographics_file, votes_file : str or None
            The tables that were joined.
        DESCR : str
            Description and citation.

    Raises
    ------
    FileNotFoundError
        If ``root`` or the media folder does not exist (listing the folders
        that do).
    ValueError
        If a clip name does not follow the scheme (listing them with the
        reason), if the folder holds no clip, or if the demographics table
        lacks an actor of the clips.

    See Also
    --------
    load_ravdess, map_labels

    References
    ----------
    .. [1] Cao H, Cooper DG, Keutmann MK, Gur RC, Nenkova A, Verma R (2014).
       CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset. IEEE
       Transactions on Affective Computing 5(4): 377-390.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skemotion.datasets import load_crema_d
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "AudioWAV").mkdir()
    >>> for name in ("1001_DFA_ANG_XX", "1002_IEO_SAD_HI"):
    ...     (root / "AudioWAV" / f"{name}.wav").touch()
    >>> _ = (root / "VideoDemographics.csv").write_text(
    ...     "ActorID,Age,Sex,Race,Ethnicity\\n1001,51,Male,Caucasian,Not Hispanic\\n"
    ...     "1002,21,Female,Caucasian,Not Hispanic\\n")
    >>> bunch = load_crema_d(root, modality="audio")
    >>> bunch.target_names[bunch.target].tolist()
    ['angry', 'sad']
    >>> bunch.groups.tolist()
    [1001, 1002]
    >>> bunch.frame[["sentence_text", "level", "sex"]].iloc[1].tolist()
    ["It's eleven o'clock", 'high', 'Female']
    """
    import pandas as pd

    from skemotion.utils import Options, validate_params

    validate_params(
        "load_crema_d",
        {"modality": modality, "folder": folder, "demographics": demographics, "votes": votes},
        {
            "modality": [Options({"video", "audio"})],
            "folder": [str, None],
            "demographics": ["boolean"],
            "votes": ["boolean"],
        },
    )
    root = check_root(
        root, "load_crema_d", "the CREMA-D checkout with VideoFlash/, AudioWAV/ or AudioMP3/"
    )
    media = _media_folder(root, folder or _DEFAULT_FOLDER[modality])

    rows, bad = [], []
    for path in iter_files(media):
        if not _LOOKS_LIKE.match(path.name):
            continue
        parsed = _parse(path)
        if isinstance(parsed, str):
            bad.append(f"{path.relative_to(media)} ({parsed})")
            continue
        rows.append({"path": str(path), **parsed})
    if bad:
        raise ValueError(
            f"load_crema_d: {len(bad)} file(s) in {str(media)!r} do not follow the CREMA-D "
            f"naming scheme ActorID_Sentence_Emotion_Level: {listing(bad)}."
        )
    if not rows:
        raise ValueError(
            f"load_crema_d: no clips in {str(media)!r}; expected files named like "
            "1001_DFA_ANG_XX.flv (VideoFlash), .wav (AudioWAV) or .mp3 (AudioMP3)."
        )
    frame = pd.DataFrame(rows)
    dupes = frame.loc[frame["clip"].duplicated(keep=False), "path"].tolist()
    if dupes:
        raise ValueError(
            f"load_crema_d: clip names occur more than once in {str(media)!r}: "
            f"{listing(dupes)}; keep one file per clip."
        )
    frame = frame.sort_values(["actor", "clip"], kind="stable").reset_index(drop=True)

    demo_path = None
    if demographics:
        demo_path = find_one(root, ["VideoDemographics.csv"], "load_crema_d", "demographics")
    if demo_path is not None:
        table = _read_demographics(demo_path)
        missing = sorted(set(frame["actor"]) - set(table["actor"]))
        if missing:
            raise ValueError(
                f"load_crema_d: actor(s) {missing} have clips but no row in {str(demo_path)!r}."
            )
        frame = frame.merge(table.drop_duplicates("actor"), on="actor", how="left")

    vote_paths = []
    if votes:
        vote_paths = [
            p for p in iter_files(root) if re.fullmatch(r"summarytable.*\.csv", p.name.lower())
        ]
    if len(vote_paths) > 1:
        raise ValueError(
            f"load_crema_d: several summaryTable files under {str(root)!r}: "
            f"{listing(vote_paths)}; keep one or pass votes=False."
        )
    vote_path = vote_paths[0] if vote_paths else None
    if vote_path is not None:
        frame = frame.merge(_read_votes(vote_path), on="clip", how="left")

    target_names = np.asarray(CORPORA["crema-d"]["classes"], dtype=object)
    index = {name: i for i, name in enumerate(target_names)}
    return make_bunch(
        data=frame["path"].to_numpy(dtype=object),
        target=frame["emotion"].map(index).to_numpy(dtype=np.int64),
        target_names=target_names,
        groups=frame["actor"].to_numpy(dtype=np.int64),
        frame=frame,
        descr=DESCR,
        demographics_file=None if demo_path is None else str(demo_path),
        votes_file=None if vote_path is None else str(vote_path),
    )
