"""Tests of load_ravdess on file trees laid out like the official RAVDESS zips."""

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from skemotion.datasets import load_ravdess

EMOTIONS = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]


def _names(modality, channel, actor):
    """Every official file name of one actor for a modality code and a vocal channel code."""
    emotions = range(1, 9) if channel == 1 else range(1, 7)  # song: no disgust/surprised
    ext = "wav" if modality == 3 else "mp4"
    for emotion, intensity, statement, rep in itertools.product(emotions, (1, 2), (1, 2), (1, 2)):
        if emotion == 1 and intensity == 2:  # neutral has no strong intensity
            continue
        yield f"{modality:02d}-{channel:02d}-{emotion:02d}-{intensity:02d}-{statement:02d}-{rep:02d}-{actor:02d}.{ext}"


def build_ravdess(root, actors=(1, 2), video=False):
    """Extract-like tree: Audio_Speech_Actors_01-24/Actor_XX, Audio_Song..., Video_Speech_Actor_XX."""
    root = Path(root)
    for actor in actors:
        for zip_name, channel in (("Audio_Speech_Actors_01-24", 1), ("Audio_Song_Actors_01-24", 2)):
            folder = root / zip_name / f"Actor_{actor:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            for name in _names(3, channel, actor):
                (folder / name).touch()
        if video:
            folder = root / f"Video_Speech_Actor_{actor:02d}" / f"Actor_{actor:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            for modality in (1, 2):
                for name in _names(modality, 1, actor):
                    (folder / name).touch()
    return root


@pytest.fixture(scope="module")
def ravdess_root(tmp_path_factory):
    return build_ravdess(tmp_path_factory.mktemp("ravdess"), video=True)


def test_counts_match_the_official_design(ravdess_root):
    """Check that each actor has 60 speech and 44 song audio files, as in the release."""
    bunch = load_ravdess(ravdess_root)
    frame = bunch.frame
    assert len(bunch.data) == 2 * (60 + 44)
    counts = frame.groupby(["actor", "vocal_channel"]).size().to_dict()
    assert counts == {(1, "song"): 44, (1, "speech"): 60, (2, "song"): 44, (2, "speech"): 60}
    assert set(frame["modality"]) == {"audio"}
    assert (frame.loc[frame["emotion"] == "neutral", "intensity"] == "normal").all()
    assert not frame.loc[frame["vocal_channel"] == "song", "emotion"].isin(
        ["disgust", "surprised"]
    ).any()


def test_every_field_is_parsed(ravdess_root):
    """Check every parsed field of one file against the documented meaning of its name."""
    bunch = load_ravdess(ravdess_root)
    i = list(bunch.frame["filename"]).index("03-01-06-02-02-01-02.wav")
    row = bunch.frame.iloc[i].to_dict()
    expected_path = ravdess_root / "Audio_Speech_Actors_01-24" / "Actor_02" / row["filename"]
    assert row == {
        "path": str(expected_path.resolve()),
        "filename": "03-01-06-02-02-01-02.wav",
        "modality": "audio",
        "vocal_channel": "speech",
        "emotion": "fearful",
        "emotion_code": 6,
        "intensity": "strong",
        "statement": "Dogs are sitting by the door",
        "statement_code": 2,
        "repetition": 1,
        "actor": 2,
        "sex": "female",
    }
    assert bunch.data[i] == row["path"]
    assert bunch.target_names[bunch.target[i]] == "fearful"
    assert bunch.groups[i] == 2
    assert bunch.frame.loc[bunch.frame["actor"] == 1, "sex"].eq("male").all()


def test_targets_groups_and_order(ravdess_root):
    """Check that target indexes target_names, groups are actors and rows sort by actor, name."""
    bunch = load_ravdess(ravdess_root)
    assert bunch.target_names.tolist() == EMOTIONS
    assert bunch.target.dtype == np.int64
    np.testing.assert_array_equal(bunch.target_names[bunch.target], bunch.frame["emotion"])
    np.testing.assert_array_equal(bunch.target + 1, bunch.frame["emotion_code"])
    np.testing.assert_array_equal(bunch.groups, bunch.frame["actor"])
    keys = list(zip(bunch.frame["actor"], bunch.frame["filename"], strict=True))
    assert keys == sorted(keys)
    assert "Livingstone" in bunch.DESCR
    assert all(Path(p).is_file() for p in bunch.data)


@pytest.mark.parametrize(
    ("modality", "vocal_channel", "n", "codes"),
    [
        ("audio", "speech", 120, {"03"}),
        ("audio", "song", 88, {"03"}),
        ("video", "all", 120, {"02"}),
        ("audiovisual", "speech", 120, {"01"}),
        ("all", "all", 448, {"01", "02", "03"}),
    ],
)
def test_modality_and_vocal_channel_select_files(ravdess_root, modality, vocal_channel, n, codes):
    """Check that modality/vocal_channel select exactly the files with those codes."""
    bunch = load_ravdess(ravdess_root, modality=modality, vocal_channel=vocal_channel)
    assert len(bunch.data) == n
    assert {name[:2] for name in bunch.frame["filename"]} == codes
    ext = {".wav" if c == "03" else ".mp4" for c in codes}
    assert {Path(p).suffix for p in bunch.data} == ext
    if vocal_channel != "all":
        assert set(bunch.frame["vocal_channel"]) == {vocal_channel}


def test_unrelated_files_are_ignored(tmp_path):
    """Check that READMEs, zips and macOS metadata beside the clips do not count as samples."""
    root = build_ravdess(tmp_path, actors=(3,))
    (root / "README.txt").write_text("RAVDESS")
    (root / "Audio_Speech_Actors_01-24.zip").touch()
    (root / "Audio_Speech_Actors_01-24" / "Actor_03" / ".DS_Store").touch()
    (root / "Audio_Speech_Actors_01-24" / "Actor_03" / "._03-01-01-01-01-01-03.wav").touch()
    assert len(load_ravdess(root).data) == 104


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("03-01-09-01-01-01-05.wav", "emotion 09 is not 01..08"),
        ("03-01-01-02-01-01-05.wav", "neutral (01) has no strong intensity (02)"),
        ("03-02-07-01-01-01-05.wav", "song (02) has no emotion 07"),
        ("04-01-01-01-01-01-05.wav", "modality 04 is not 01, 02 or 03"),
        ("03-03-01-01-01-01-05.wav", "vocal channel 03 is not 01 or 02"),
        ("03-01-03-03-01-01-05.wav", "intensity 03 is not 01 or 02"),
        ("03-01-03-01-03-01-05.wav", "statement 03 is not 01 or 02"),
        ("03-01-03-01-01-03-05.wav", "repetition 03 is not 01 or 02"),
        ("01-01-03-01-01-01-05.wav", "audiovisual files are .mp4, .mov, .mkv, .webm, .avi, .flv, not .wav"),
        ("03-01-03-01-01-01-05.mp4", "audio files are .wav, .flac, .ogg, .oga, .opus, .mp3, .m4a, .aac, .aif, .aiff, not .mp4"),
        ("03-01-03-01-01-01-06.wav", "actor 06 is in folder Actor_05"),
    ],
)
def test_malformed_names_raise(tmp_path, name, reason):
    """Check that a file shaped like a RAVDESS name but invalid raises with the reason."""
    root = build_ravdess(tmp_path, actors=(5,))
    (root / "Audio_Speech_Actors_01-24" / "Actor_05" / name).touch()
    msg = f"{Path('Audio_Speech_Actors_01-24', 'Actor_05', name)} ({reason})"
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_ravdess(root)


def test_actor_out_of_range_raises(tmp_path):
    """Check that actor 25 is rejected even outside an Actor_XX folder."""
    (tmp_path / "03-01-03-01-01-01-25.wav").touch()
    with pytest.raises(ValueError, match=re.escape("03-01-03-01-01-01-25.wav (actor 25 is not 01..24)")):
        load_ravdess(tmp_path)


def test_duplicate_names_raise(tmp_path):
    """Check that the same file extracted twice is reported instead of counted twice."""
    root = build_ravdess(tmp_path, actors=(7,))
    copy = root / "copy" / "Actor_07"
    copy.mkdir(parents=True)
    (copy / "03-01-05-01-01-01-07.wav").touch()
    with pytest.raises(ValueError, match=re.escape("03-01-05-01-01-01-07 at")):
        load_ravdess(root)


def test_reencoded_copies_load(tmp_path):
    """Check that a FLAC copy of the audio release loads like the .wav release."""
    root = build_ravdess(tmp_path, actors=(7,))
    wavs = sorted(root.rglob("03-*.wav"))
    for wav in wavs:
        wav.rename(wav.with_suffix(".flac"))
    bunch = load_ravdess(root)
    assert len(bunch.data) == len(wavs)
    assert all(p.endswith(".flac") for p in bunch.data)


def test_same_recording_in_two_formats_raises(tmp_path):
    """Check that a .wav beside its own .flac is reported as one recording found twice."""
    root = build_ravdess(tmp_path, actors=(7,))
    wav = next(root.rglob("03-01-05-01-01-01-07.wav"))
    wav.with_suffix(".flac").touch()
    with pytest.raises(ValueError, match=re.escape("1 recording(s) occur more than once")):
        load_ravdess(root)


def test_wrong_root_names_what_was_expected(tmp_path):
    """Check the errors for a missing root, a file as root and a root without RAVDESS files."""
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError, match=re.escape(f"{str(missing)!r} does not exist")):
        load_ravdess(missing)
    a_file = tmp_path / "file.txt"
    a_file.touch()
    with pytest.raises(NotADirectoryError, match="is not a directory"):
        load_ravdess(a_file)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=re.escape("named like 03-01-05-01-02-01-12.wav")):
        load_ravdess(tmp_path / "empty")


def test_absent_modality_lists_what_was_found(tmp_path):
    """Check that asking for video in an audio-only copy says what the copy holds."""
    root = build_ravdess(tmp_path, actors=(1,))
    msg = "no RAVDESS files with modality='video' and vocal_channel='all'"
    with pytest.raises(ValueError, match=re.escape(msg)) as info:
        load_ravdess(root, modality="video")
    assert "found 44 audio song, 60 audio speech" in str(info.value)


def test_invalid_parameters():
    """Check the sklearn-style wording for invalid modality and vocal_channel."""
    msg = "The 'modality' parameter of load_ravdess must be a str among"
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_ravdess(".", modality="mp4")
    msg = "The 'vocal_channel' parameter of load_ravdess must be a str among"
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_ravdess(".", vocal_channel="singing")


@pytest.mark.slow
@pytest.mark.slow
def test_load_ravdess_on_real_clips(shared_data):
    """Check load_ravdess on the shared RAVDESS speech copy (FLAC): its manifest, file for file."""
    import pandas as pd

    root = shared_data / "ravdess-speech"
    if not root.is_dir():
        pytest.skip(f"no real RAVDESS clips: {root} does not exist beside this clone")
    bunch = load_ravdess(root)
    manifest = pd.read_csv(root / "MANIFEST.csv").sort_values(["actor", "path"])
    assert len(bunch.data) == len(manifest) == 960
    assert [Path(p).name for p in bunch.data] == [Path(p).name for p in manifest["path"]]
    assert list(bunch.target_names[bunch.target]) == list(manifest["label"])
    assert list(bunch.groups) == list(manifest["actor"])
    assert list(bunch.frame["sex"]) == list(manifest["sex"])


@pytest.mark.parametrize("depth, files", [(1, False), (2, False), (1, True)],
                         ids=["zip-folders-linked", "actor-folders-linked", "files-linked"])
def test_corpus_behind_symlinks(same_corpus, ravdess_root, linked_copy, depth, files):
    """Check that RAVDESS is found through linked folders and files, with a link cycle present."""
    real = load_ravdess(ravdess_root, modality="all")
    linked_root = linked_copy(ravdess_root, depth=depth, files=files)
    linked = load_ravdess(linked_root, modality="all")
    same_corpus(linked, real)
    assert all(str(p).startswith(str(linked_root)) for p in linked.data)


def test_actor_folders_linked_into_a_data_folder(tmp_path):
    """Check the shared-machine layout: data/ravdess/Actor_XX -> elsewhere, plus a loop."""
    shared = build_ravdess(tmp_path / "shared", actors=(1, 2, 3))
    data = tmp_path / "data" / "ravdess"
    data.mkdir(parents=True)
    for actor in (1, 2, 3):
        (data / f"Actor_{actor:02d}").symlink_to(shared / "Audio_Speech_Actors_01-24" / f"Actor_{actor:02d}")
    (data / "again").symlink_to(data)  # a cycle
    bunch = load_ravdess(data, vocal_channel="speech")
    assert len(bunch.data) == 3 * 60
    assert sorted(set(bunch.frame["actor"])) == [1, 2, 3]
