"""Tests of load_fer2013 on CSV files laid out like fer2013.csv and icml_face_data.csv."""

import re

import numpy as np
import pytest

from skemotion.datasets import load_fer2013

NAMES = ["angry", "disgust", "fearful", "happy", "sad", "surprised", "neutral"]
USAGES = ["Training", "Training", "PublicTest", "PrivateTest", "Training", "PublicTest",
          "PrivateTest", "Training"]  # fmt: skip


def _images():
    return np.random.default_rng(0).integers(0, 256, (len(USAGES), 48, 48), dtype=np.uint8)


def write_fer(path, header=("emotion", "pixels", "Usage"), images=None, labels=None):
    images = _images() if images is None else images
    labels = [i % 7 for i in range(len(USAGES))] if labels is None else labels
    # columns by position in the official order emotion, pixels, Usage; the
    # header may rename or reorder them (icml_face_data.csv: emotion, " Usage", " pixels")
    by_name = {"pixels": [" ".join(map(str, img.ravel())) for img in images], "Usage": USAGES}
    cells = [[str(v) for v in labels]] + [by_name.get(h.strip(), by_name[d])
                                          for h, d in zip(header[1:], ("pixels", "Usage"), strict=False)]
    lines = [",".join(header)]
    for i in range(len(USAGES)):
        lines.append(",".join(col[i] for col in cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_pixels_labels_and_usage(tmp_path):
    """Check the decoded images (row-major 48x48), labels, names and usage of every row."""
    bunch = load_fer2013(write_fer(tmp_path / "fer2013.csv"))
    assert bunch.data.shape == (8, 48, 48, 1) and bunch.data.dtype == np.uint8
    np.testing.assert_array_equal(bunch.data[..., 0], _images())
    assert bunch.target.tolist() == [0, 1, 2, 3, 4, 5, 6, 0]
    assert bunch.target_names.tolist() == NAMES
    assert bunch.frame.to_dict("list") == {
        "row": list(range(8)),
        "emotion_code": [0, 1, 2, 3, 4, 5, 6, 0],
        "emotion": NAMES + ["angry"],
        "usage": USAGES,
    }
    assert bunch.groups is None
    assert "Goodfellow" in bunch.DESCR


@pytest.mark.parametrize("usage", ["Training", "PublicTest", "PrivateTest"])
def test_usage_selects_rows_in_file_order(tmp_path, usage):
    """Check that usage= returns exactly that split, rows in file order."""
    bunch = load_fer2013(write_fer(tmp_path / "fer2013.csv"), usage=usage)
    rows = [i for i, u in enumerate(USAGES) if u == usage]
    assert bunch.frame["row"].tolist() == rows
    np.testing.assert_array_equal(bunch.data[..., 0], _images()[rows])


def test_icml_face_data_header(tmp_path):
    """Check the column order and leading spaces of icml_face_data.csv."""
    path = write_fer(tmp_path / "icml_face_data.csv", header=("emotion", " Usage", " pixels"))
    bunch = load_fer2013(path)
    np.testing.assert_array_equal(bunch.data[..., 0], _images())
    assert bunch.frame["usage"].tolist() == USAGES


def test_malformed_rows(tmp_path):
    """Check that bad labels, pixel strings, usages and columns raise naming the lines."""
    path = tmp_path / "fer2013.csv"
    write_fer(path, labels=[0, 1, 7, 3, 4, 5, 6, 0])
    with pytest.raises(ValueError, match=re.escape("emotion values outside 0..6 at lines '4'")):
        load_fer2013(path)
    write_fer(path)
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(" ", " 300 ", 1)
    lines[5] = lines[5].rsplit(" ", 1)[0] + ",PublicTest"
    path.write_text("\n".join(lines) + "\n")
    msg = "pixel strings that are not 2304 integers in 0..255 at lines '3', '6'"
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_fer2013(path)
    write_fer(path)
    path.write_text(path.read_text().replace("PublicTest", "Validation"))
    with pytest.raises(ValueError, match=re.escape("Usage values other than")):
        load_fer2013(path)
    write_fer(path, header=("label", "pixels", "Usage"))
    with pytest.raises(ValueError, match=re.escape("lacks the column(s) ['emotion']")):
        load_fer2013(path)


def test_missing_file_and_parameters(tmp_path):
    """Check the errors for a missing file and an unknown usage."""
    with pytest.raises(FileNotFoundError, match=re.escape("expected the FER2013 file fer2013.csv")):
        load_fer2013(tmp_path / "fer2013.csv")
    with pytest.raises(ValueError, match=re.escape("The 'usage' parameter of load_fer2013")):
        load_fer2013(tmp_path / "fer2013.csv", usage="Test")


def test_csv_behind_symlinks(tmp_path):
    """Check that a linked fer2013.csv, and one in a linked folder, load like the file itself."""
    real = load_fer2013(write_fer(tmp_path / "fer2013.csv"))
    (tmp_path / "link.csv").symlink_to(tmp_path / "fer2013.csv")
    (tmp_path / "folder").symlink_to(tmp_path, target_is_directory=True)
    for path in (tmp_path / "link.csv", tmp_path / "folder" / "folder" / "fer2013.csv"):
        bunch = load_fer2013(path)
        np.testing.assert_array_equal(bunch.data, real.data)
        assert bunch.frame.equals(real.frame)
