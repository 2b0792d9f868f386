"""Tests of load_crema_d on trees laid out like the CREMA-D repository, and on the real subset."""

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from skemotion.datasets import load_crema_d, map_labels

SENTENCES = {
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
EMOTIONS = {"ANG": "angry", "DIS": "disgust", "FEA": "fearful", "HAP": "happy", "NEU": "neutral",
            "SAD": "sad"}  # fmt: skip
LEVELS = {"LO": "low", "MD": "medium", "HI": "high", "XX": "unspecified"}


def _clips():
    """Clip names covering every sentence, emotion and level (levels vary on IEO only)."""
    names = []
    for i, sentence in enumerate(SENTENCES):
        actor = 1001 + i % 3
        for emotion in EMOTIONS:
            levels = LEVELS if sentence == "IEO" else ["XX"]
            names += [f"{actor}_{sentence}_{emotion}_{level}" for level in levels]
    return names


def build_crema_d(root, *, demographics=True, votes=True):
    root = Path(root)
    for folder, ext in (("VideoFlash", "flv"), ("AudioWAV", "wav"), ("AudioMP3", "mp3")):
        (root / folder).mkdir(parents=True)
        for clip in _clips():
            (root / folder / f"{clip}.{ext}").touch()
    if demographics:
        (root / "VideoDemographics.csv").write_text(
            '"ActorID","Age","Sex","Race","Ethnicity"\n'
            '1001,51,"Male","Caucasian","Not Hispanic"\n'
            '1002,21,"Female","Caucasian","Not Hispanic"\n'
            '1003,21,"Female","African American","Hispanic"\n'
            '1004,42,"Female","Caucasian","Not Hispanic"\n'
        )
    if votes:
        (root / "processedResults").mkdir()
        (root / "processedResults" / "summaryTable.csv").write_text(
            '"","FileName","VoiceVote","VoiceLevel","FaceVote","FaceLevel","MultiModalVote",'
            '"MultiModalLevel"\n'
            '"1","1003_DFA_ANG_XX","A","47.33","A","41.8","A","41.5"\n'
            '"2","1001_IEO_SAD_HI","N:S","50:50","S","70","S","66.5"\n'
        )
    return root


@pytest.fixture(scope="module")
def crema_root(tmp_path_factory):
    return build_crema_d(tmp_path_factory.mktemp("crema"))


def test_every_field_is_parsed(crema_root):
    """Check every parsed and joined field of one clip."""
    bunch = load_crema_d(crema_root)
    frame = bunch.frame
    row = frame.loc[frame["clip"] == "1001_IEO_SAD_HI"].iloc[0].to_dict()
    assert row == {
        "path": str((crema_root / "VideoFlash" / "1001_IEO_SAD_HI.flv").resolve()),
        "clip": "1001_IEO_SAD_HI",
        "actor": 1001,
        "sentence": "IEO",
        "sentence_text": "It's eleven o'clock",
        "emotion": "sad",
        "emotion_code": "SAD",
        "level": "high",
        "level_code": "HI",
        "age": 51,
        "sex": "Male",
        "race": "Caucasian",
        "ethnicity": "Not Hispanic",
        "voice_vote": "N:S",
        "voice_level": "50:50",
        "face_vote": "S",
        "face_level": "70",
        "multimodal_vote": "S",
        "multimodal_level": "66.5",
    }
    assert bunch.demographics_file == str(crema_root / "VideoDemographics.csv")
    assert bunch.votes_file == str(crema_root / "processedResults" / "summaryTable.csv")


def test_all_codes_and_order(crema_root):
    """Check all 12 sentences, 6 emotions and 4 levels, targets, groups and the sort order."""
    bunch = load_crema_d(crema_root)
    frame = bunch.frame
    assert len(frame) == len(_clips())
    assert dict(zip(frame["sentence"], frame["sentence_text"], strict=True)) == SENTENCES
    assert dict(zip(frame["emotion_code"], frame["emotion"], strict=True)) == EMOTIONS
    assert dict(zip(frame["level_code"], frame["level"], strict=True)) == LEVELS
    assert bunch.target_names.tolist() == ["angry", "disgust", "fearful", "happy", "neutral", "sad"]
    np.testing.assert_array_equal(bunch.target_names[bunch.target], frame["emotion"])
    np.testing.assert_array_equal(bunch.groups, frame["actor"])
    keys = list(zip(frame["actor"], frame["clip"], strict=True))
    assert keys == sorted(keys)
    # sex is joined per actor, not per row position
    assert frame.groupby("actor")["sex"].first().to_dict() == {
        1001: "Male", 1002: "Female", 1003: "Female"}  # fmt: skip
    # clips absent from the vote table keep missing votes instead of being dropped
    assert frame["voice_vote"].notna().sum() == 2


@pytest.mark.parametrize(
    ("kwargs", "folder", "ext"),
    [({}, "VideoFlash", ".flv"), ({"modality": "audio"}, "AudioWAV", ".wav"),
     ({"folder": "AudioMP3"}, "AudioMP3", ".mp3")],  # fmt: skip
)
def test_media_folder_choice(crema_root, kwargs, folder, ext):
    """Check that modality/folder choose the media folder."""
    bunch = load_crema_d(crema_root, **kwargs)
    assert {Path(p).parent.name for p in bunch.data} == {folder}
    assert {Path(p).suffix for p in bunch.data} == {ext}


def test_nested_checkout_and_optional_tables(tmp_path):
    """Check a checkout one level down, and loading without demographics or votes."""
    root = build_crema_d(tmp_path / "CREMA-D", demographics=False, votes=False)
    bunch = load_crema_d(tmp_path, modality="audio")
    assert len(bunch.data) == len(_clips())
    assert "age" not in bunch.frame and "voice_vote" not in bunch.frame
    assert bunch.demographics_file is None and bunch.votes_file is None
    (root / "VideoDemographics.csv").write_text("ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,x,y\n")
    skipped = load_crema_d(tmp_path, modality="audio", demographics=False)
    assert "age" not in skipped.frame
    with pytest.raises(ValueError, match=re.escape("actor(s) [1002, 1003] have clips but no row")):
        load_crema_d(tmp_path, modality="audio")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("1001_XYZ_ANG_XX.wav", "sentence XYZ is not one of"),
        ("1001_DFA_CAL_XX.wav", "emotion CAL is not one of"),
        ("1001_DFA_ANG_ZZ.wav", "level ZZ is not one of"),
        ("0999_DFA_ANG_XX.wav", "actor 0999 is not 1001..1091"),
        ("1001_DFA_ANG_XX.ogg", "extension .ogg is not one of"),
    ],
)
def test_malformed_names_raise(tmp_path, name, reason):
    """Check that a clip name outside the scheme raises, naming the file and the reason."""
    root = build_crema_d(tmp_path, votes=False)
    (root / "AudioWAV" / name).touch()
    (root / "AudioWAV" / "notes.txt").touch()  # unrelated: ignored
    with pytest.raises(ValueError, match=re.escape(f"{name} ({reason}")):
        load_crema_d(root, modality="audio")


def test_missing_folder_and_root(tmp_path):
    """Check that a wrong root names the expected layout and the folders it has."""
    (tmp_path / "Other").mkdir()
    msg = "no 'VideoFlash' folder under"
    with pytest.raises(FileNotFoundError, match=re.escape(msg)) as info:
        load_crema_d(tmp_path)
    assert "1001_DFA_ANG_XX.flv" in str(info.value) and "['Other']" in str(info.value)
    with pytest.raises(FileNotFoundError, match="does not exist; expected the CREMA-D checkout"):
        load_crema_d(tmp_path / "missing")
    (tmp_path / "VideoFlash").mkdir()
    with pytest.raises(ValueError, match=re.escape("no clips in")):
        load_crema_d(tmp_path)


def test_bad_tables_raise(tmp_path):
    """Check that a demographics file without its columns is reported, not half-joined."""
    root = build_crema_d(tmp_path, demographics=False, votes=False)
    (root / "VideoDemographics.csv").write_text("Actor,Age\n1001,51\n")
    with pytest.raises(ValueError, match=re.escape("lacks the column(s) ['ActorID', 'Sex'")):
        load_crema_d(root)


@pytest.mark.slow
def test_real_subset(shared_data):
    """Check the loader on the real CREMA-D clips against the subset's MANIFEST.csv."""
    root = shared_data / "crema-d"
    with open(root / "MANIFEST.csv", newline="") as fh:
        manifest = {row["path"]: row for row in csv.DictReader(fh)}

    video = load_crema_d(root)
    assert len(video.data) == 6
    assert set(video.groups) == {1001}
    assert sorted(video.frame["emotion"]) == sorted(EMOTIONS.values())
    assert set(video.frame["age"]) == {51} and set(video.frame["sex"]) == {"Male"}
    assert video.frame.set_index("clip").loc["1001_DFA_SAD_XX", "voice_vote"] == "N"

    wav = load_crema_d(root, folder="AudioWAV_resampled")
    assert len(wav.data) == 12
    assert wav.groups.tolist() == [1001] * 6 + [1002] * 6
    assert wav.frame.groupby("actor")["sex"].first().to_dict() == {1001: "Male", 1002: "Female"}

    mp3 = load_crema_d(root, folder="AudioMP3")
    for bunch in (video, wav, mp3):
        for path, emotion, actor in zip(bunch.data, bunch.frame["emotion"], bunch.groups, strict=True):
            entry = manifest[Path(path).relative_to(root.resolve()).as_posix()]
            assert map_labels([entry["label"]])[0][0] == emotion
            assert int(entry["actor"]) == actor
    assert len(video.data) + len(wav.data) + len(mp3.data) == len(manifest)

    # the returned paths are the real media, readable by skemotion.io
    from skemotion.io import probe

    assert probe(video.data[0]).has_video
    assert probe(wav.data[0]).sample_rate == 16000
    assert probe(mp3.data[0]).has_audio


@pytest.mark.parametrize("depth, files", [(1, False), (1, True)], ids=["folders-linked", "files-linked"])
def test_corpus_behind_symlinks(same_corpus, crema_root, linked_copy, depth, files):
    """Check that CREMA-D, its tables and media folders are found through links, with a cycle."""
    real = load_crema_d(crema_root, modality="audio")
    linked = load_crema_d(linked_copy(crema_root, depth=depth, files=files), modality="audio")
    same_corpus(linked, real)
    assert "age" in linked.frame.columns  # VideoDemographics.csv found through the link


def test_media_folder_found_below_a_linked_folder(crema_root, tmp_path):
    """Check that a media folder nested behind a linked checkout folder is found."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "CREMA-D").symlink_to(crema_root, target_is_directory=True)
    bunch = load_crema_d(root, modality="audio")
    assert len(bunch.data) == len(load_crema_d(crema_root, modality="audio").data)
